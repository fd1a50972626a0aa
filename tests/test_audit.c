/* SPDX-License-Identifier: MIT */
/* test_audit.c: the hash-chained audit log (audit.h) on a real SQLite
 * ledger file: appends chain and persist across handles and batches, the
 * triggers refuse UPDATE/DELETE, and verification names the first broken
 * entry for each kind of tampering (an edited field, a removed entry, a
 * replaced link, a rewritten chain caught by the head). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontera/audit.h"
#include "frontera/store.h"
#include "tmpdb.h"

static int setup(void **st)
{
    return tmpdb_setup(st, "fr_audit_", 1);
}

static int teardown(void **st)
{
    return tmpdb_teardown(st);
}

static void append(fr_audit *a, int n)
{
    for (int i = 0; i < n; i++) {
        char obj[32];
        snprintf(obj, sizeof obj, "traveller:%d", i + 1);
        fr_audit_record r = {1700000000000 + i, "ana", "officer", "traveller.read", obj,
                             "127.0.0.1",       200,   NULL};
        assert_int_equal(fr_audit_append(a, &r, 1, NULL, NULL), FR_OK);
    }
}

/* Run SQL on the file directly, as someone editing it would. */
static void tamper(const tmp *t, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "tamper: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

static void appends_chain_and_verify(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL, *b = NULL;
    fr_audit_verify_result res;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
    assert_true(res.ok);
    assert_int_equal(res.head_seq, 0);
    append(a, 3);
    /* a second handle (another thread or process) continues the same chain */
    assert_int_equal(fr_audit_open(t->db, &b, NULL), FR_OK);
    fr_audit_record batch[3] = {
        {5, "sup", "supervisor", "admission.override", "traveller:9 event:E1", "10.0.0.1", 200,
         "seen the visa"},
        {6, "sup", "supervisor", "event.record", "traveller:9 event:E2", "10.0.0.1", 200, NULL},
        {7, NULL, NULL, "user.add", NULL, NULL, 0, NULL},
    };
    int64_t first = 0;
    assert_int_equal(fr_audit_append(b, batch, 3, &first, NULL), FR_OK);
    assert_int_equal(first, 4);
    append(a, 1);
    assert_int_equal(fr_audit_verify(b, &res, NULL), FR_OK);
    assert_true(res.ok);
    assert_int_equal(res.entries, 7);
    assert_int_equal(res.head_seq, 7);
    /* the head is the last entry's hash, recomputable from its content */
    fr_audit_close(a);
    fr_audit_close(b);
}

static int collect(void *ud, const fr_audit_entry *e)
{
    fr_audit_entry *out = ud;
    out[e->seq - 1] = *e;
    return 0;
}

static void entry_hash_covers_previous_hash_and_content(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_audit_entry e[3];
    unsigned char h[FR_AUDIT_HASH_BYTES], zero[FR_AUDIT_HASH_BYTES] = {0};
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 3);
    assert_int_equal(fr_audit_walk(a, 1, 0, collect, e, NULL), 0);
    assert_memory_equal(e[0].prev, zero, sizeof zero);
    assert_memory_equal(e[1].prev, e[0].hash, sizeof h);
    fr_audit_entry_hash(&e[1], e[0].hash, h);
    assert_memory_equal(h, e[1].hash, sizeof h);
    fr_audit_entry x = e[1];
    x.status = 404; /* any field changes the hash */
    fr_audit_entry_hash(&x, e[0].hash, h);
    assert_memory_not_equal(h, e[1].hash, sizeof h);
    x = e[1];
    snprintf(x.actor, sizeof x.actor, "an");
    snprintf(x.role, sizeof x.role, "aofficer"); /* same bytes, moved between fields */
    fr_audit_entry_hash(&x, e[0].hash, h);
    assert_memory_not_equal(h, e[1].hash, sizeof h);
    fr_audit_entry_hash(&e[1], zero, h); /* another predecessor */
    assert_memory_not_equal(h, e[1].hash, sizeof h);
    /* walk with a limit and a start */
    fr_audit_entry one[3];
    memset(one, 0, sizeof one);
    assert_int_equal(fr_audit_walk(a, 2, 1, collect, one, NULL), 0);
    assert_int_equal(one[1].seq, 2);
    assert_int_equal(one[2].seq, 0);
    fr_audit_close(a);
}

static void triggers_refuse_update_and_delete(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 2);
    fr_audit_close(a);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit_log SET actor='eve' WHERE seq=1", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log WHERE seq=2", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);
}

static void edited_entry_is_named(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_audit_verify_result res;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 5);
    tamper(
        t,
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET object='traveller:77' WHERE seq=3");
    assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
    assert_false(res.ok);
    assert_int_equal(res.first_bad, 3);
    assert_non_null(strstr(res.reason, "entry 3 has been altered"));
    fr_audit_close(a);
}

/* Issue 19, item 5: rows numbered 0 or below, text after a NUL and column
 * type changes went unnoticed; each tampering here must break the chain. */
static void every_row_byte_and_type_is_verified(void **st)
{
    tmp *t = *st;
    static const char *const TAMPER[] = {
        "INSERT INTO audit_log SELECT 0, at_ms, actor, role, action, object, origin, status,"
        " detail, prev, hash FROM audit_log WHERE seq = 1",
        "INSERT INTO audit_log SELECT -3, at_ms, actor, role, action, object, origin, status,"
        " detail, prev, hash FROM audit_log WHERE seq = 1",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET detail = detail || char(0) || 'hidden' WHERE seq = 2",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET actor = actor || char(0) || 'x' WHERE seq = 2",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET status = status + 0.25 WHERE seq = 2",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET at_ms = at_ms + 0.25 WHERE seq = 2",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET object = CAST(object AS BLOB) WHERE seq = 2",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET hash = CAST(hash AS TEXT) WHERE seq = 3",
        "DROP TRIGGER audit_log_no_update;"
        " UPDATE audit_log SET prev = prev || X'00' WHERE seq = 3",
    };
    for (size_t i = 0; i < sizeof TAMPER / sizeof *TAMPER; i++) {
        fr_audit *a = NULL;
        fr_audit_verify_result res;
        tmp one = *t; /* a fresh file for each tampering, in the same directory */
        snprintf(one.db, sizeof one.db, "%s/t%zu.db", t->dir, i);
        fr_store *ledger = NULL; /* the audit table lives in a ledger file */
        assert_int_equal(fr_store_open(one.db, FR_STORE_CREATE, &ledger, NULL), FR_OK);
        fr_store_close(ledger);
        assert_int_equal(fr_audit_open(one.db, &a, NULL), FR_OK);
        append(a, 3);
        assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
        assert_true(res.ok);
        tamper(&one, TAMPER[i]);
        assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
        if (res.ok) fail_msg("tampering %zu went unnoticed: %s", i, TAMPER[i]);
        fr_audit_close(a);
    }
}

static int collect_about(void *ud, const fr_audit_entry *e)
{
    char *out = ud;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%lld:%s ", (long long)e->seq, e->action);
    return 0;
}

/* Issue 19, item 5: "who looked" showed forged rows numbered 0 and missed the
 * admission recorded for the traveller ("traveller:1 event:..."). */
static void about_lists_admissions_and_skips_forged_rows(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    fr_audit_record r[3] = {
        {1700000000000, "ana", "officer", "admission.record", "traveller:1 event:ADM-1", "x", 200,
         NULL},
        {1700000000001, "ana", "officer", "traveller.read", "traveller:1", "x", 200, NULL},
        {1700000000002, "ana", "officer", "traveller.read", "traveller:12", "x", 200, NULL}};
    assert_int_equal(fr_audit_append(a, r, 3, NULL, NULL), FR_OK);
    tamper(t, "INSERT INTO audit_log VALUES(0, 1, 'mallory', 'officer', 'traveller.read',"
              " 'traveller:1', 'x', 200, '', zeroblob(32), zeroblob(32))");
    char got[256] = "";
    assert_int_equal(fr_audit_about(a, "traveller:1", 0, collect_about, got, NULL), FR_OK);
    assert_string_equal(got, "2:traveller.read 1:admission.record ");
    fr_audit_close(a);
}

static void removed_entry_is_named(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_audit_verify_result res;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 5);
    tamper(t, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq=2");
    assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
    assert_false(res.ok);
    assert_int_equal(res.first_bad, 2);
    assert_non_null(strstr(res.reason, "entry 2 is missing"));
    fr_audit_close(a);
}

static void renumbered_chain_breaks_the_link(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_audit_verify_result res;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 4);
    /* remove entry 2 and renumber the rest so the sequence has no gap */
    tamper(t, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;"
              "DELETE FROM audit_log WHERE seq=2; UPDATE audit_log SET seq=seq-1 WHERE seq>2");
    assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
    assert_false(res.ok);
    assert_int_equal(res.first_bad, 2);
    assert_non_null(strstr(res.reason, "does not follow entry 1"));
    fr_audit_close(a);
}

static void truncation_is_seen_only_against_the_head(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_audit_verify_result before, after;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    append(a, 4);
    assert_int_equal(fr_audit_verify(a, &before, NULL), FR_OK);
    tamper(t, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq=4");
    assert_int_equal(fr_audit_verify(a, &after, NULL), FR_OK);
    assert_true(after.ok); /* the chain that is left holds ... */
    assert_int_equal(after.head_seq, 3);
    assert_memory_not_equal(after.head, before.head,
                            FR_AUDIT_HASH_BYTES); /* ... but the head moved */
    fr_audit_close(a);
}

static void bad_records_write_nothing(void **st)
{
    tmp *t = *st;
    fr_audit *a = NULL;
    fr_error err;
    fr_audit_verify_result res;
    char big[FR_AUDIT_DETAIL_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(fr_audit_open(t->db, &a, NULL), FR_OK);
    fr_audit_record recs[2] = {
        {1, "ana", "officer", "traveller.read", "traveller:1", "cli", 200, NULL},
        {2, "ana", "officer", "traveller.read", "traveller:2", "cli", 200, big}};
    assert_int_equal(fr_audit_append(a, recs, 2, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "detail");
    fr_audit_record noact = {1, "ana", "officer", "", "traveller:1", "cli", 200, NULL};
    assert_int_equal(fr_audit_append(a, &noact, 1, NULL, &err), FR_EINVAL);
    assert_int_equal(fr_audit_append(a, recs, 0, NULL, &err), FR_EINVAL);
    assert_int_equal(fr_audit_verify(a, &res, NULL), FR_OK);
    assert_int_equal(res.entries, 0);
    fr_audit_close(a);
}

static int64_t count_rows(const tmp *t, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t n = -1;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void ledger_event(fr_event *ev, const char *id)
{
    fr_event_init(ev);
    snprintf(ev->event_id, sizeof ev->event_id, "%s", id);
    ev->kind = FR_EVENT_ENTRY;
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30T10:15-05:00", &ev->at, NULL), FR_OK);
    memcpy(ev->port, "ECUIO", 6);
    memcpy(ev->doc.state, "ECU", 4);
    snprintf(ev->doc.number, sizeof ev->doc.number, "N%s", id);
    snprintf(ev->doc.surname, sizeof ev->doc.surname, "PEREZ");
    memcpy(ev->doc.nationality, "ECU", 4);
}

/* fr_audit_open_store: the entries join the store's batch, so a ledger row
 * and its audit entry commit together or roll back together (the server's
 * group commit rests on this), and the chain goes on across handles. */
static void store_audit_commits_and_rolls_back_with_the_ledger(void **st)
{
    tmp *t = *st;
    fr_store *s = NULL;
    fr_audit *a = NULL, *other = NULL;
    fr_error err;
    fr_event ev;
    fr_record_result res;
    fr_audit_verify_result vr;
    fr_audit_record rec = {1,     "ana", "officer", "admission.record", "traveller:1 event:E1",
                           "cli", 200,   "entry"};
    assert_int_equal(fr_store_open(t->db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_audit_open_store(s, &a, &err), FR_OK);
    /* no batch open: refused, nothing written */
    assert_int_equal(fr_audit_append(a, &rec, 1, NULL, &err), FR_EINVAL);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM audit_log"), 0);
    /* rolled back: neither the row nor the entry */
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    ledger_event(&ev, "E1");
    assert_int_equal(fr_store_record(s, &ev, &res, NULL), FR_OK);
    assert_int_equal(fr_audit_append(a, &rec, 1, NULL, NULL), FR_OK);
    fr_store_batch_rollback(s);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM events"), 0);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM audit_log"), 0);
    /* committed: both, in one transaction */
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    assert_int_equal(fr_store_record(s, &ev, &res, NULL), FR_OK);
    int64_t first = 0;
    assert_int_equal(fr_audit_append(a, &rec, 1, &first, NULL), FR_OK);
    assert_int_equal(first, 1);
    /* uncommitted: another connection sees neither yet */
    assert_int_equal(count_rows(t, "SELECT count(*) FROM events"), 0);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM audit_log"), 0);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM events"), 1);
    assert_int_equal(count_rows(t, "SELECT count(*) FROM audit_log"), 1);
    /* a separate handle and the store's continue one chain */
    assert_int_equal(fr_audit_open(t->db, &other, NULL), FR_OK);
    append(other, 2);
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    assert_int_equal(fr_audit_append(a, &rec, 1, &first, NULL), FR_OK);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_int_equal(first, 4);
    assert_int_equal(fr_audit_verify(a, &vr, NULL), FR_OK);
    assert_true(vr.ok);
    assert_int_equal(vr.entries, 4);
    fr_audit_close(other);
    fr_audit_close(a); /* leaves the store's connection open */
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    fr_store_batch_rollback(s);
    fr_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(appends_chain_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(entry_hash_covers_previous_hash_and_content, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(triggers_refuse_update_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(removed_entry_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(renumbered_chain_breaks_the_link, setup, teardown),
        cmocka_unit_test_setup_teardown(truncation_is_seen_only_against_the_head, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_records_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(every_row_byte_and_type_is_verified, setup, teardown),
        cmocka_unit_test_setup_teardown(about_lists_admissions_and_skips_forged_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(store_audit_commits_and_rolls_back_with_the_ledger, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
