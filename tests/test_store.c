/* SPDX-License-Identifier: MIT */
/* test_store.c: the ledger store against real SQLite files in a temporary
 * directory: schema migrations (fresh, old, newer, foreign), WAL and
 * durability settings, idempotent and conflicting retries, batches,
 * several connections on one file, export. Linking and pairing rules are
 * in test_store_ledger.c. */
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

#include "frontera/store.h"
#include "tmpdb.h"
#include "store_sqlite.h"

static int setup(void **st)
{
    return tmpdb_setup(st, "fr_store_", 0);
}

static int teardown(void **st)
{
    return tmpdb_teardown(st);
}

static fr_store *open_ok(const tmp *t, unsigned flags)
{
    fr_store *s = NULL;
    fr_error err;
    int rc = fr_store_open(t->db, flags, &s, &err);
    if (rc != FR_OK) fail_msg("open: %s", err.message);
    return s;
}

static void make_event(fr_event *ev, const char *id, fr_event_kind kind, const char *at,
                       const char *doc)
{
    fr_event_init(ev);
    snprintf(ev->event_id, sizeof ev->event_id, "%s", id);
    ev->kind = kind;
    assert_int_equal(fr_datetime_parse_cstr(at, &ev->at, NULL), FR_OK);
    memcpy(ev->port, "ECUIO", 6);
    memcpy(ev->doc.state, "ECU", 4);
    snprintf(ev->doc.number, sizeof ev->doc.number, "%s", doc);
    snprintf(ev->doc.surname, sizeof ev->doc.surname, "PEREZ");
    snprintf(ev->doc.given_names, sizeof ev->doc.given_names, "ANA");
    memcpy(ev->doc.nationality, "ECU", 4);
    assert_int_equal(fr_date_parse_cstr("1990-05-06", &ev->doc.birth_date, NULL), FR_OK);
    ev->doc.sex = 'F';
}

static int user_version(const char *path)
{
    sqlite3 *db;
    int v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void missing_database_is_not_created_without_the_flag(void **st)
{
    tmp *t = *st;
    fr_store *s = NULL;
    fr_error err;
    assert_int_equal(fr_store_open(t->db, 0, &s, &err), FR_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(err.message, "frontera init"));
    assert_int_equal(access(t->db, F_OK), -1);
}

static void fresh_database_reaches_current_version_in_wal(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    int v = 0;
    assert_int_equal(fr_store_schema_version(s, &v, NULL), FR_OK);
    assert_int_equal(v, FR_STORE_SCHEMA_VERSION);
    assert_string_equal(fr_store_backend(s), "sqlite");
    fr_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* opening again is a no-op */
    s = open_ok(t, 0);
    fr_store_close(s);
    assert_int_equal(user_version(t->db), FR_STORE_SCHEMA_VERSION);
}

static void old_database_is_migrated_and_keeps_its_data(void **st)
{
    tmp *t = *st;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(t->db, &db), SQLITE_OK);
    assert_int_equal(fr_store_sqlite_migrate(db, 1, NULL), FR_OK);
    sqlite3_close(db);
    assert_int_equal(user_version(t->db), 1);
    exec_sql(t->db, "INSERT INTO travellers(surname, given_names, nationality, birth_date, sex)"
                    " VALUES('OLD', 'ROW', 'ECU', 7000, 'M')");
    fr_store *s = open_ok(t, 0);
    assert_int_equal(user_version(t->db), FR_STORE_SCHEMA_VERSION);
    fr_history *h = NULL;
    assert_int_equal(fr_store_history(s, 1, &h, NULL), FR_OK); /* the v1 row survived */
    assert_int_equal(h->count, 0);
    assert_int_equal(h->nreviews, 0); /* the v2 table exists and is queried */
    fr_history_free(h);
    fr_store_close(s);
}

static void newer_database_is_refused(void **st)
{
    tmp *t = *st;
    fr_store_close(open_ok(t, FR_STORE_CREATE));
    exec_sql(t->db, "PRAGMA user_version = 99");
    fr_store *s = NULL;
    fr_error err;
    assert_int_equal(fr_store_open(t->db, 0, &s, &err), FR_EVERSION);
    assert_null(s);
    assert_non_null(strstr(err.message, "schema version 99, newer than"));
    assert_int_equal(user_version(t->db), 99); /* untouched */
}

static void foreign_database_is_refused(void **st)
{
    tmp *t = *st;
    exec_sql(t->db, "CREATE TABLE customers(id INTEGER PRIMARY KEY)");
    fr_store *s = NULL;
    fr_error err;
    assert_int_equal(fr_store_open(t->db, 0, &s, &err), FR_EVERSION);
    assert_non_null(strstr(err.message, "not a frontera database"));
}

static void retry_with_same_content_is_a_noop(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    ev.reasons_json = "[{\"code\":\"ok\"}]";
    fr_record_result r1, r2;
    assert_int_equal(fr_store_record(s, &ev, &r1, NULL), FR_OK);
    assert_int_equal(r1.duplicate, 0);
    assert_int_equal(fr_store_record(s, &ev, &r2, NULL), FR_OK);
    assert_int_equal(r2.duplicate, 1);
    assert_int_equal(r2.traveller_id, r1.traveller_id);
    assert_int_equal(r2.event_row, r1.event_row);
    /* lower-case names normalise to the same content */
    snprintf(ev.doc.given_names, sizeof ev.doc.given_names, "ana");
    assert_int_equal(fr_store_record(s, &ev, &r2, NULL), FR_OK);
    assert_int_equal(r2.duplicate, 1);
    fr_history *h;
    assert_int_equal(fr_store_history(s, r1.traveller_id, &h, NULL), FR_OK);
    assert_int_equal(h->count, 1);
    fr_history_free(h);
    fr_store_close(s);
}

static void retry_with_other_content_conflicts_and_changes_nothing(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    fr_record_result r;
    assert_int_equal(fr_store_record(s, &ev, &r, NULL), FR_OK);
    fr_error err;
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:16-05:00", "A1"); /* other minute */
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_ECONFLICT);
    assert_string_equal(err.field, "event_id");
    /* the same id with a new document: no document or traveller is left behind */
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "NEW9");
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_ECONFLICT);
    int64_t tid;
    assert_int_equal(fr_store_find_document(s, "ECU", "NEW9", &tid, NULL), FR_ENOTFOUND);
    fr_history *h;
    assert_int_equal(fr_store_history(s, r.traveller_id, &h, NULL), FR_OK);
    assert_int_equal(h->count, 1);
    char buf[FR_DATETIME_BUFSZ];
    assert_string_equal(fr_datetime_format(&h->items[0].at, buf), "2024-07-01T10:15:00-05:00");
    fr_history_free(h);
    fr_store_close(s);
}

static void invalid_events_name_the_field(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    fr_error err;
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    memcpy(ev.port, "ZZUIO", 6);
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "port");
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15", "A1"); /* no offset */
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "at");
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    memcpy(ev.doc.nationality, "DEU", 4); /* ICAO writes Germany as D */
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "nationality");
    make_event(&ev, "E-1", FR_EVENT_EXIT, "2024-07-01T10:15-05:00", "A1");
    ev.authorised_until = ev.at.date + 90;
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "authorised_until");
    make_event(&ev, "E 1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "event_id");
    make_event(&ev, "E-1", FR_EVENT_REFUSAL, "2024-07-01T10:15-05:00", "A1");
    ev.reasons_json = "[{\"code\":";
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "reasons");
    fr_store_close(s);
}

static void refusal_is_recorded_with_decision_and_reasons_in_one_call(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    make_event(&ev, "R-1", FR_EVENT_REFUSAL, "2024-07-01T10:15-05:00", "A1");
    snprintf(ev.decision, sizeof ev.decision, "refuse");
    ev.reasons_json = "[{\"code\":\"C\",\"message\":\"no valid visa\"}]";
    fr_record_result r;
    assert_int_equal(fr_store_record(s, &ev, &r, NULL), FR_OK);
    fr_history *h;
    assert_int_equal(fr_store_history(s, r.traveller_id, &h, NULL), FR_OK);
    assert_int_equal(h->count, 1);
    assert_string_equal(h->items[0].decision, "refuse");
    assert_int_equal(h->in_country, 0);
    fr_history_free(h);
    fr_store_close(s);
}

typedef struct {
    int n;
    char last_reasons[128];
} export_seen;

static int count_export(void *ud, const fr_event *ev)
{
    export_seen *e = ud;
    e->n++;
    snprintf(e->last_reasons, sizeof e->last_reasons, "%s",
             ev->reasons_json ? ev->reasons_json : "");
    return 0;
}

static void batch_rollback_leaves_nothing_and_commit_is_visible_to_others(void **st)
{
    tmp *t = *st;
    fr_store *a = open_ok(t, FR_STORE_CREATE), *b = open_ok(t, 0);
    fr_event ev;
    assert_int_equal(fr_store_batch_begin(a, NULL), FR_OK);
    make_event(&ev, "B-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    fr_store_batch_rollback(a);
    export_seen seen = {0};
    assert_int_equal(fr_store_export(b, FR_DATE_NONE, FR_DATE_NONE, count_export, &seen, NULL),
                     FR_OK);
    assert_int_equal(seen.n, 0);
    /* the rolled-back document must not linger in a's cache */
    assert_int_equal(fr_store_batch_begin(a, NULL), FR_OK);
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    make_event(&ev, "B-2", FR_EVENT_EXIT, "2024-07-05T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    assert_int_equal(fr_store_batch_commit(a, NULL), FR_OK);
    /* b writes for the same traveller; a's caches must notice */
    make_event(&ev, "B-3", FR_EVENT_ENTRY, "2024-08-01T10:15-05:00", "A1");
    fr_record_result r;
    assert_int_equal(fr_store_record(b, &ev, &r, NULL), FR_OK);
    assert_int_equal(r.anomalies, 0);
    make_event(&ev, "B-4", FR_EVENT_EXIT, "2024-08-03T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(a, &ev, &r, NULL), FR_OK);
    assert_int_equal(r.anomalies, 0); /* paired with b's entry, not flagged */
    seen.n = 0;
    assert_int_equal(fr_store_export(a, FR_DATE_NONE, FR_DATE_NONE, count_export, &seen, NULL),
                     FR_OK);
    assert_int_equal(seen.n, 4);
    fr_date from, to;
    fr_date_parse_cstr("2024-07-02", &from, NULL);
    fr_date_parse_cstr("2024-08-01", &to, NULL);
    seen.n = 0;
    assert_int_equal(fr_store_export(a, from, to, count_export, &seen, NULL), FR_OK);
    assert_int_equal(seen.n, 2); /* B-2 and B-3 */
    fr_store_close(a);
    fr_store_close(b);
}

static void export_gives_reasons_back(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    make_event(&ev, "R-1", FR_EVENT_REFUSAL, "2024-07-01T10:15-05:00", "A1");
    ev.reasons_json = "[\"x\"]";
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    export_seen seen = {0};
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, count_export, &seen, NULL),
                     FR_OK);
    assert_int_equal(seen.n, 1);
    assert_string_equal(seen.last_reasons, "[\"x\"]");
    fr_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(missing_database_is_not_created_without_the_flag),
        T(fresh_database_reaches_current_version_in_wal),
        T(old_database_is_migrated_and_keeps_its_data),
        T(newer_database_is_refused),
        T(foreign_database_is_refused),
        T(retry_with_same_content_is_a_noop),
        T(retry_with_other_content_conflicts_and_changes_nothing),
        T(invalid_events_name_the_field),
        T(refusal_is_recorded_with_decision_and_reasons_in_one_call),
        T(batch_rollback_leaves_nothing_and_commit_is_visible_to_others),
        T(export_gives_reasons_back),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
