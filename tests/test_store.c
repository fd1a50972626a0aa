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

#include "frontera/alloc.h"
#include "frontera/ledger.h"
#include "frontera/store.h"
#include "tmpdb.h"
#include "module_sqlite.h"
#include "store_impl.h"
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
    assert_int_equal(fr__store_sqlite_migrate(db, 1, NULL), FR_OK);
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

/* Issue 19, item 1: one out-of-range date (2207, 1969) once stopped every
 * report; item 6: a name with a NUL or invalid UTF-8 was cut or vanished. */
static void implausible_dates_and_malformed_text_are_refused(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event ev;
    fr_error err;
    static const char *const BAD_AT[] = {"2207-01-01T10:15-05:00", "1969-12-31T23:00-05:00",
                                         "1999-12-31T23:59-05:00", "2100-01-01T00:00+00:00"};
    for (size_t i = 0; i < sizeof BAD_AT / sizeof *BAD_AT; i++) {
        make_event(&ev, "E-1", FR_EVENT_ENTRY, BAD_AT[i], "A1");
        assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
        assert_string_equal(err.field, "at");
        assert_non_null(strstr(err.message, "plausible range"));
    }
    make_event(&ev, "E-1", FR_EVENT_ENTRY, "2000-01-01T00:00+00:00", "A1"); /* the first day */
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_OK);
    make_event(&ev, "E-2", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A2");
    ev.authorised_until = ev.at.date + FR_EVENT_STAY_MAX_DAYS + 1;
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
    assert_string_equal(err.field, "authorised_until");
    static const char *const BAD_TEXT[] = {"D\xC3(", "\xFF",
                                           ("A\x01"
                                            "B"),
                                           "\xED\xA0\x80", "\xC0\xAF"};
    for (size_t i = 0; i < sizeof BAD_TEXT / sizeof *BAD_TEXT; i++) {
        make_event(&ev, "E-3", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A3");
        snprintf(ev.doc.surname, sizeof ev.doc.surname, "%s", BAD_TEXT[i]);
        assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_EINVAL);
        assert_string_equal(err.field, "surname");
    }
    make_event(&ev, "E-3", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A3");
    snprintf(ev.doc.surname, sizeof ev.doc.surname, "MU\xC3\x91OZ"); /* MUÑOZ is fine */
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_OK);
    /* "now" events: not more than the slack after the recording clock */
    make_event(&ev, "E-4", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A4");
    int64_t at = fr_datetime_utc(&ev.at);
    assert_int_equal(fr_event_check_clock(&ev, at - FR_EVENT_CLOCK_SLACK_S, &err), FR_OK);
    assert_int_equal(fr_event_check_clock(&ev, at - FR_EVENT_CLOCK_SLACK_S - 60, &err), FR_EINVAL);
    assert_string_equal(err.field, "at");
    /* said in the unit read at a glance: minutes, hours (an offset), days (a year) */
    assert_non_null(strstr(err.message, " minutes after this post's clock"));
    assert_int_equal(fr_event_check_clock(&ev, at - 5 * 3600, &err), FR_EINVAL);
    assert_non_null(strstr(err.message, "is 5 hours after"));
    assert_int_equal(fr_event_check_clock(&ev, at - 400 * 86400LL, &err), FR_EINVAL);
    assert_non_null(strstr(err.message, "is 400 days after"));
    assert_int_equal(fr_event_check_clock(&ev, at + 86400 * 365, &err), FR_OK);
    fr_store_close(s);
}

typedef struct import_probe {
    int fail_at; /* the complete hook fails with a store error on this event number */
    int seen;
    long reject_line;
    char reject_col[32], reject_reason[200];
    unsigned batch_ms; /* fr_import_hooks.batch_ms */
} import_probe;

static int probe_complete(void *ud, fr_store *s, fr_event *ev, fr_error *err)
{
    import_probe *p = ud;
    (void)s;
    (void)ev;
    if (++p->seen == p->fail_at)
        return fr_error_set(err, FR_ESTORE, 0, 0, "", "disk full (simulated)");
    return FR_OK;
}

static int probe_reject(void *ud, long line, const fr_error *why, const fr_csv_row *row)
{
    import_probe *p = ud;
    (void)row;
    if (!p->reject_line) {
        p->reject_line = line;
        snprintf(p->reject_col, sizeof p->reject_col, "%.31s", why->field);
        snprintf(p->reject_reason, sizeof p->reject_reason, "%.199s", why->message);
    }
    return 0;
}

static int count_rows(void *ud, const fr_event *ev)
{
    (void)ev;
    (*(size_t *)ud)++;
    return 0;
}

static size_t import_text(fr_store *s, const char *text, size_t len, size_t batch, import_probe *p,
                          fr_import_stats *stats, int *rc)
{
    fr_csv *csv;
    fr_error err;
    assert_int_equal(fr_csv_new_mem(text, len, NULL, &csv), FR_OK);
    fr_import_hooks h = {p, probe_reject, NULL, NULL, NULL, probe_complete, p->batch_ms};
    *rc = fr_ledger_import(s, csv, batch, &h, stats, &err);
    fr_csv_free(csv);
    size_t n = 0;
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, count_rows, &n, &err), FR_OK);
    return n;
}

/* Issue 19, item 8: on a full disk the import said "100 taken" for a batch
 * that was rolled back. Only committed rows are counted. */
static void import_counts_only_committed_rows(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    static const char CSV[] = "event_id,kind,at,port,document_state,document_number\n"
                              "I-1,entry,2024-07-01T10:15-05:00,ECUIO,ECU,B1\n"
                              "I-2,entry,2024-07-01T10:15-05:00,ECUIO,ECU,B2\n"
                              "I-3,entry,2024-07-01T10:15-05:00,ECUIO,ECU,B3\n"
                              "I-4,entry,2024-07-01T10:15-05:00,ECUIO,ECU,B4\n"
                              "I-5,entry,2024-07-01T10:15-05:00,ECUIO,ECU,B5\n";
    import_probe p = {.fail_at = 4};
    fr_import_stats stats;
    int rc;
    size_t stored = import_text(s, CSV, sizeof CSV - 1, 2, &p, &stats, &rc);
    assert_int_equal(rc, FR_ESTORE);
    assert_int_equal(stored, 2);      /* the first batch of two */
    assert_int_equal(stats.taken, 2); /* not 3: I-3 was rolled back with its batch */
    assert_int_equal(stats.batches, 1);
    fr_store_close(s);
}

/* The notice hook gets an fr_error, not a sentence: the English message
 * and the format and values it was made with, so that a program says it in
 * its user's language (the unknown columns were English under LANG=es). A
 * long list names what fits and counts the rest, its values kept whole. */
typedef struct notice_probe {
    int n;
    fr_error last;
} notice_probe;

static void probe_notice(void *ud, const fr_error *what)
{
    notice_probe *p = ud;
    p->n++;
    p->last = *what;
}

static void import_notice_keeps_its_format_and_values(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    static const char CSV[] = "event_id,gate,kind,at,port,document_state,document_number,colour\n"
                              "N-1,G4,entry,2024-07-01T10:15-05:00,ECUIO,ECU,N1,red\n";
    notice_probe p = {0};
    fr_import_hooks h = {.ud = &p, .notice = probe_notice};
    fr_csv *csv;
    fr_error err;
    char again[512];
    assert_int_equal(fr_csv_new_mem(CSV, sizeof CSV - 1, NULL, &csv), FR_OK);
    assert_int_equal(fr_ledger_import(s, csv, 0, &h, NULL, &err), FR_OK);
    fr_csv_free(csv);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.last.code, FR_OK);
    assert_int_equal(p.last.line, 1);
    assert_string_equal(p.last.message, "ignoring unknown columns: gate, colour");
    assert_non_null(p.last.fmt);
    assert_string_equal(p.last.fmt, "ignoring unknown columns: %s");
    assert_int_equal(fr_error_format(&p.last, NULL, "columnas: %s", again, sizeof again), FR_OK);
    assert_string_equal(again, "columnas: gate, colour");

    /* forty unknown columns of 12 characters: the first names, then a count */
    char head[1024] = "event_id,kind,at,port,document_state,document_number";
    for (int i = 0; i < 40; i++) {
        size_t u = strlen(head);
        snprintf(head + u, sizeof head - u, ",unknown_c%02d", i);
    }
    size_t u = strlen(head);
    snprintf(head + u, sizeof head - u, "\nN-2,entry,2024-07-01T10:15-05:00,ECUIO,ECU,N2\n");
    p.n = 0;
    assert_int_equal(fr_csv_new_mem(head, strlen(head), NULL, &csv), FR_OK);
    assert_int_equal(fr_ledger_import(s, csv, 0, &h, NULL, &err), FR_OK);
    fr_csv_free(csv);
    assert_int_equal(p.n, 1);
    assert_non_null(p.last.fmt);
    assert_string_equal(p.last.fmt, "ignoring unknown columns: %s and %d more");
    assert_non_null(strstr(p.last.message, "ignoring unknown columns: unknown_c00, unknown_c01"));
    assert_int_equal(fr_error_format(&p.last, NULL, p.last.fmt, again, sizeof again), FR_OK);
    assert_string_equal(again, p.last.message); /* every value kept: nothing was cut */
    int named = 1;
    for (const char *c = p.last.message; (c = strchr(c, ',')) != NULL; c++)
        named++;
    char more[32];
    snprintf(more, sizeof more, " and %d more", 40 - named);
    assert_non_null(strstr(p.last.message, more));
    fr_store_close(s);
}

/* A batch open longer than batch_ms is committed between chunks of rows,
 * whatever its row count; 0 keeps batches by rows only. */
static void import_commits_a_batch_open_too_long(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    enum { N = 20000 };
    static const char HEAD[] = "event_id,kind,at,port,document_state,document_number\n";
    size_t cap = sizeof HEAD + (size_t)N * 64, len = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    len += (size_t)snprintf(csv, cap, "%s", HEAD);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(csv + len, cap - len,
                                "T-%d,entry,2024-07-01T10:15-05:00,ECUIO,ECU,T%d\n", i, i);
    import_probe p = {.batch_ms = 1}; /* every chunk of 4,000 rows takes longer */
    fr_import_stats stats;
    int rc;
    assert_int_equal(import_text(s, csv, len, 1000000, &p, &stats, &rc), N);
    assert_int_equal(rc, FR_OK);
    assert_int_equal(stats.taken, N);
    assert_true(stats.batches >= 2);
    assert_true(stats.batches <= N / 4000 + 1); /* and the last, at the end */
    memset(&p, 0, sizeof p);                    /* batch_ms 0: the same rows again, in one batch */
    assert_int_equal(import_text(s, csv, len, 1000000, &p, &stats, &rc), N);
    assert_int_equal(stats.duplicates, N);
    assert_int_equal(stats.batches, 1);
    free(csv);
    fr_store_close(s);
}

/* Issue 19, items 6 and 9: a NUL or invalid UTF-8 in a name is rejected with
 * its line and column; ISO alpha-3 codes are taken and normalised; a header
 * separated by ';' is named as such. */
static void import_rejects_bad_text_and_takes_alpha3(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    static const char NUL_CSV[] = "event_id,kind,at,port,document_state,document_number,surname\n"
                                  "N-1,entry,2024-07-01T10:15-05:00,ECUIO,ECU,C1,\"D\0OE\"\n";
    import_probe p = {0};
    fr_import_stats stats;
    int rc;
    assert_int_equal(import_text(s, NUL_CSV, sizeof NUL_CSV - 1, 0, &p, &stats, &rc), 0);
    assert_int_equal(rc, FR_OK);
    assert_int_equal(stats.rejected, 1);
    assert_int_equal(p.reject_line, 2);
    assert_string_equal(p.reject_col, "surname");
    assert_non_null(strstr(p.reject_reason, "byte 2"));
    static const char U8_CSV[] = "event_id,kind,at,port,document_state,document_number,surname\n"
                                 "N-2,entry,2024-07-01T10:15-05:00,ECUIO,ECU,C2,L\xFFPEZ\n";
    memset(&p, 0, sizeof p);
    assert_int_equal(import_text(s, U8_CSV, sizeof U8_CSV - 1, 0, &p, &stats, &rc), 0);
    assert_int_equal(stats.rejected, 1);
    assert_string_equal(p.reject_col, "surname");
    static const char A3_CSV[] =
        "event_id,kind,at,port,document_state,document_number,nationality\n"
        "N-3,entry,2024-07-01T10:15-05:00,ECUIO,DEU,C3,xkx\n";
    memset(&p, 0, sizeof p);
    assert_int_equal(import_text(s, A3_CSV, sizeof A3_CSV - 1, 0, &p, &stats, &rc), 1);
    assert_int_equal(stats.taken, 1);
    int64_t tid;
    fr_error err;
    assert_int_equal(fr_store_find_document(s, "D", "C3", &tid, &err), FR_OK);
    static const char NAME_CSV[] =
        "event_id,kind,at,port,document_state,document_number,nationality\n"
        "N-4,entry,2024-07-01T10:15-05:00,ECUIO,ECU,C5,Alemania\n";
    memset(&p, 0, sizeof p); /* a name the table does not know is quoted, and what is taken said */
    assert_int_equal(import_text(s, NAME_CSV, sizeof NAME_CSV - 1, 0, &p, &stats, &rc), 1);
    assert_int_equal(stats.rejected, 1);
    assert_string_equal(p.reject_col, "nationality");
    assert_non_null(strstr(p.reject_reason, "'Alemania' is not an ICAO 9303 code"));
    static const char SEMI[] = "event_id;kind;at;port;document_state;document_number\n"
                               "S-1;entry;2024-07-01T10:15-05:00;ECUIO;ECU;C4\n";
    fr_csv *csv;
    assert_int_equal(fr_csv_new_mem(SEMI, sizeof SEMI - 1, NULL, &csv), FR_OK);
    assert_int_equal(fr_ledger_import(s, csv, 0, NULL, &stats, &err), FR_EPARSE);
    assert_non_null(strstr(err.message, "separated by ';'"));
    fr_csv_free(csv);
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

static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

/* The frequency counts the traveller of A1 makes (link_nat_freq,
 * link_name_freq, link_birth_freq: each held in memory until the commit). */
static void assert_counts(const char *path, int64_t n)
{
    assert_int_equal(sql_int(path, "SELECT coalesce(sum(n), 0) FROM link_nat_freq"), n);
    assert_int_equal(sql_int(path, "SELECT coalesce(sum(n), 0) FROM link_name_freq"), n);
    assert_int_equal(sql_int(path, "SELECT coalesce(sum(n), 0) FROM link_birth_freq"), n);
}

static void batch_rollback_leaves_nothing_and_commit_is_visible_to_others(void **st)
{
    tmp *t = *st;
    fr_store *a = open_ok(t, FR_STORE_CREATE), *b = open_ok(t, 0);
    fr_event ev;
    assert_int_equal(fr_store_batch_begin(a, NULL), FR_OK);
    make_event(&ev, "B-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    /* a second traveller in the same batch: the counts it reads include the first's */
    make_event(&ev, "B-0", FR_EVENT_ENTRY, "2024-07-01T10:16-05:00", "A0");
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    fr_store_batch_rollback(a);
    assert_counts(t->db, 0); /* and none held for the next commit */
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
    assert_counts(t->db, 1); /* the rolled-back travellers are not counted */
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

/* A connection opened while another holds the write lock (as the server's
 * group commit does most of the time under load) must not wait for it: a
 * current schema is only read. Before, every open took BEGIN IMMEDIATE and
 * this open failed with FR_EBUSY after the busy timeout. Then a checkpoint
 * from that second connection copies the first one's commit into the file. */
static void open_beside_a_writer_and_checkpoint_from_another_connection(void **st)
{
    tmp *t = *st;
    fr_store *a = open_ok(t, FR_STORE_CREATE), *b = NULL;
    fr_event ev;
    fr_error err;
    assert_int_equal(fr_store_batch_begin(a, NULL), FR_OK);
    make_event(&ev, "W-1", FR_EVENT_ENTRY, "2024-07-01T10:15-05:00", "A1");
    assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
    int rc = fr_store_open(t->db, 0, &b, &err);
    if (rc != FR_OK) fail_msg("open beside a writer: %s", err.message);
    assert_int_equal(fr_store_batch_commit(a, NULL), FR_OK);
    int64_t frames = -1, copied = -1;
    assert_int_equal(fr_store_checkpoint(b, &frames, &copied, &err), FR_OK);
    assert_true(frames > 0);
    assert_int_equal(copied, frames); /* no reader holds an older snapshot */
    assert_int_equal(fr_store_checkpoint(b, NULL, NULL, NULL), FR_OK);
    assert_int_equal(fr_store_checkpoint(NULL, &frames, &copied, NULL), FR_EINVAL);
    assert_int_equal(frames, 0);
    fr_store_close(a);
    fr_store_close(b);
}

/* The busy handler: short sleeps first, and it gives up once its sleeps
 * reach the limit (here 10 ms: 20 x 100 us, 20 x 250 us, then 1 ms each). */
static void busy_handler_gives_up_at_its_limit(void **st)
{
    (void)st;
    void *ten_ms = (void *)(intptr_t)10;
    assert_int_equal(fr__modsql_busy(ten_ms, 0), 1);
    assert_int_equal(fr__modsql_busy(ten_ms, 39), 1);
    assert_int_equal(fr__modsql_busy(ten_ms, 42), 1); /* 9 ms slept: 1 ms more */
    assert_int_equal(fr__modsql_busy(ten_ms, 43), 0); /* 10 ms slept */
    assert_int_equal(fr__modsql_busy((void *)(intptr_t)0, 0), 0);
}

/* Each history read looks up the traveller's open link reviews. Without
 * statistics SQLite chose the status index for it, which reads every open
 * review of the ledger (1,513 at scale 1: audited reads at 3,600/s instead
 * of 11,900/s); the query must go by the traveller and candidate indexes. */
static void history_reviews_go_by_the_id_indexes(void **st)
{
    tmp *t = *st;
    fr_store *base = open_ok(t, FR_STORE_CREATE);
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *q = NULL, *plan = NULL;
    assert_int_equal(fr__sq_stmt(s, SQ_HIST_REVIEWS, &q, NULL), FR_OK);
    char sql[1024];
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(q));
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &plan, NULL), SQLITE_OK);
    int by_traveller = 0, by_candidate = 0, by_status = 0;
    while (sqlite3_step(plan) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(plan, 3);
        by_traveller |= d && strstr(d, "link_reviews_traveller") != NULL;
        by_candidate |= d && strstr(d, "link_reviews_candidate") != NULL;
        by_status |= d && strstr(d, "link_reviews_status") != NULL;
    }
    sqlite3_finalize(plan);
    assert_true(by_traveller && by_candidate);
    assert_false(by_status);
    fr_store_close(base);
}

/* A random person among few birth dates, names and nationalities, so that
 * documents meet many namesakes: renewals, typos, swapped names, another
 * nationality with the same surname. Date 0 also holds 600 travellers of one
 * nationality, past the blocking query's cap of 512 rows. */
static void namesake_event(fr_event *ev, unsigned *seed, int i)
{
    static const char *const SUR[] = {"PEREZ", "PERES", "LOPEZ", "CHEN", "WANG", "GARCIA"};
    static const char *const GIV[] = {"ANA", "ANA MARIA", "LUIS", "WEI", "MARIA ANA", "JOSE"};
    static const char *const NAT[] = {"ECU", "COL", "CHN", "USA"};
    static const char *const BIRTH[] = {"1990-05-06", "1990-06-05", "1990-01-01",
                                        "1985-03-04", "1985-04-03", "1970-12-11"};
    char id[32], at[40], doc[16];
    int big = i < 600; /* the first 600: one nationality on one date, all different names */
    snprintf(id, sizeof id, "N%d", i);
    snprintf(at, sizeof at, "2024-%02d-%02dT%02d:00-05:00", 1 + i / 250 % 12, 1 + i / 10 % 28,
             i % 24);
    unsigned r = (unsigned)rand_r(seed);
    /* a document number from a small pool: the same document comes back */
    snprintf(doc, sizeof doc, "D%u", big ? (unsigned)i : 1000u + r % 700u);
    make_event(ev, id, (r >> 8) % 2 ? FR_EVENT_ENTRY : FR_EVENT_EXIT, at, doc);
    unsigned p = big ? (unsigned)i : r % 700u; /* the person behind the document */
    if (big) {
        snprintf(ev->doc.surname, sizeof ev->doc.surname, "S%c%c%c", 'A' + p % 26,
                 'A' + p / 26 % 26, 'A' + p / 676 % 26);
        snprintf(ev->doc.given_names, sizeof ev->doc.given_names, "G%c%c", 'A' + p % 23,
                 'A' + p / 23 % 26);
        memcpy(ev->doc.nationality, "ECU", 4);
        assert_int_equal(fr_date_parse_cstr(BIRTH[0], &ev->doc.birth_date, NULL), FR_OK);
        return;
    }
    snprintf(ev->doc.surname, sizeof ev->doc.surname, "%s", SUR[p % 6]);
    snprintf(ev->doc.given_names, sizeof ev->doc.given_names, "%s", GIV[p / 6 % 6]);
    memcpy(ev->doc.nationality, NAT[p / 36 % 4], 4);
    assert_int_equal(fr_date_parse_cstr(BIRTH[p / 144 % 6], &ev->doc.birth_date, NULL), FR_OK);
    ev->doc.sex = p % 3 ? 'F' : 'M';
}

static void digest_of(const char *path, const char *sql, char out[17])
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    uint64_t h = 1469598103934665603ULL;
    int rows = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            const unsigned char *v = sqlite3_column_text(q, c);
            for (const unsigned char *p = v ? v : (const unsigned char *)"\1"; *p; p++)
                h = (h ^ *p) * 1099511628211ULL;
            h = (h ^ 0xff) * 1099511628211ULL;
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_true(rows > 0);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The link a server's writer reads for its decision, in the batch: the
 * recording that follows takes it (sq_link_memo) unless a write came
 * between. */
static void link_in_batch(fr_store *s, const fr_event *ev)
{
    fr_store_link l;
    assert_int_equal(
        fr_store_link_document(s, &ev->doc, ev->at.date, ev->kind == FR_EVENT_ENTRY, &l, NULL),
        FR_OK);
}

/* A link read in a batch and a write before the document's own recording
 * (an exit of the candidate's old passport): the recording decides again.
 * Read before the exit, the candidate was still in the country, so the new
 * passport could not be linked to her (an entry while still inside); after
 * it, it is her renewal. */
static void a_write_voids_the_link_read_before_it(void **st)
{
    tmp *t = *st;
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    fr_event in, out, renewed;
    fr_record_result r1, r2;
    make_event(&in, "IN", FR_EVENT_ENTRY, "2024-01-10T10:00-05:00", "OLD1");
    assert_int_equal(fr_date_parse_cstr("2024-07-01", &in.doc.expiry, NULL), FR_OK);
    make_event(&out, "OUT", FR_EVENT_EXIT, "2024-05-30T10:00-05:00", "OLD1");
    out.doc.expiry = in.doc.expiry;
    make_event(&renewed, "BACK", FR_EVENT_ENTRY, "2024-06-20T10:00-05:00", "NEW1");
    assert_int_equal(fr_date_parse_cstr("2034-06-05", &renewed.doc.expiry, NULL), FR_OK);
    assert_int_equal(fr_store_record(s, &in, &r1, NULL), FR_OK);
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    fr_store_link l;
    assert_int_equal(fr_store_link_document(s, &renewed.doc, renewed.at.date, 1, &l, NULL), FR_OK);
    assert_int_not_equal(l.how, FR_LINK_RENEWAL); /* she is inside */
    assert_int_equal(fr_store_record(s, &out, NULL, NULL), FR_OK);
    assert_int_equal(fr_store_record(s, &renewed, &r2, NULL), FR_OK);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_int_equal(r2.traveller_id, r1.traveller_id); /* linked as her renewal */
    fr_store_close(s);
}

/* A bulk import keeps each birth date's travellers in memory for linking
 * (store_sqlite_block.c): the same links, reviews, frequencies and pairings
 * as recording one event at a time with the blocking query, also when
 * another connection writes between batches, after a merge, and past the
 * query's cap; and when the batch reads a document's link before recording
 * it (the decision's), or reads another document's link and then writes;
 * and when the dates are read ahead (fr_store_warm) between batches. */
static void bulk_linking_equals_one_at_a_time(void **st)
{
    tmp *t = *st;
    char one[160];
    snprintf(one, sizeof one, "%s/one.db", t->dir);
    fr_store *a = NULL, *b = open_ok(t, FR_STORE_CREATE), *other = NULL;
    assert_int_equal(fr_store_open(one, FR_STORE_CREATE, &a, NULL), FR_OK);
    assert_int_equal(fr_store_open(t->db, 0, &other, NULL), FR_OK);
    fr_store *other_a = NULL;
    assert_int_equal(fr_store_open(one, 0, &other_a, NULL), FR_OK);
    unsigned seed = 7;
    fr_event ev;
    fr_record_result r;
    fr_error err;
    const int n = 3000;
    assert_int_equal(fr_store_batch_begin(b, NULL), FR_OK);
    for (int i = 0; i < n; i++) {
        unsigned peek = seed;
        namesake_event(&ev, &seed, i);
        if (i % 3 == 0) { /* a server's writer: the decision reads the link, then records */
            link_in_batch(b, &ev);
        } else if (i % 3 == 1) { /* the next document's link read, then this write: stale */
            fr_event next;
            namesake_event(&next, &peek, i + 1);
            link_in_batch(b, &next);
        }
        int ra = fr_store_record(a, &ev, &r, &err);
        int rb = fr_store_record(b, &ev, &r, &err);
        assert_int_equal(ra, rb);
        if (i % 400 != 399) continue;
        assert_int_equal(fr_store_batch_commit(b, NULL), FR_OK);
        /* another process records a namesake: the batch's memory is stale */
        namesake_event(&ev, &seed, n + i);
        snprintf(ev.event_id, sizeof ev.event_id, "O%d", i);
        assert_int_equal(fr_store_record(other, &ev, &r, NULL), FR_OK);
        assert_int_equal(fr_store_record(other_a, &ev, &r, NULL), FR_OK);
        if (i == 1599) { /* a supervisor merges a reviewed pair: counts are taken out */
            fr_link_review *rv = NULL;
            size_t nrv = 0;
            assert_int_equal(fr_store_reviews(a, 1, &rv, &nrv, NULL), FR_OK);
            assert_true(nrv > 0);
            assert_int_equal(fr_store_review_resolve(a, rv[0].id, 1, "sup", 1, "same", NULL),
                             FR_OK);
            assert_int_equal(fr_store_review_resolve(b, rv[0].id, 1, "sup", 1, "same", NULL),
                             FR_OK);
            fr_free(rv);
        }
        if (i ==
            799) { /* read ahead between batches (a server's idle writer): a few dates, then all */
            int done = 0;
            assert_int_equal(fr_store_warm(b, 2, &done, NULL), FR_OK);
            assert_false(done);
            for (int k = 0; k < 100 && !done; k++)
                assert_int_equal(fr_store_warm(b, 3, &done, NULL), FR_OK);
            assert_true(done);
            assert_int_equal(fr_store_warm(b, 3, &done, NULL), FR_OK); /* nothing left */
            assert_true(done);
        } else if (i == 1999) {
            int done = 0;
            assert_int_equal(fr_store_warm(b, 64, &done, NULL), FR_OK);
        }
        assert_int_equal(fr_store_batch_begin(b, NULL), FR_OK);
        assert_int_equal(fr_store_warm(b, 1, NULL, NULL), FR_EINVAL); /* not inside a batch */
    }
    assert_int_equal(fr_store_batch_commit(b, NULL), FR_OK);
    assert_non_null(((sq_store *)b)->block); /* the batches did use memory */
    fr_store_close(a);
    fr_store_close(b);
    fr_store_close(other);
    fr_store_close(other_a);
    static const char *const Q[] = {
        "SELECT id, surname, given_names, nationality, birth_date, sex FROM travellers ORDER BY id",
        "SELECT id, number, traveller_id, link FROM documents ORDER BY id",
        "SELECT document_id, traveller_id, candidate_id, reason, bits FROM link_reviews",
        "SELECT * FROM link_name_freq ORDER BY 1, 2, 3",
        "SELECT * FROM link_nat_freq ORDER BY 1",
        "SELECT * FROM link_birth_freq ORDER BY 1",
        "SELECT event_id, traveller_id, document_id, anomalies, paired_id FROM events ORDER BY id",
    };
    for (size_t i = 0; i < sizeof Q / sizeof *Q; i++) {
        char da[17], db[17];
        digest_of(one, Q[i], da);
        digest_of(t->db, Q[i], db);
        if (strcmp(da, db) != 0) fail_msg("differs: %s", Q[i]);
    }
    /* the namesakes did meet: some documents went to review, some linked */
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(one, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT (SELECT count(*) FROM link_reviews),"
                                        " (SELECT count(DISTINCT link) FROM documents)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_true(sqlite3_column_int(q, 0) > 0);
    assert_true(sqlite3_column_int(q, 1) >= 3); /* new, renewal and review links */
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* The namesake event of row i of namesake_csv. */
static void namesake_row(fr_event *ev, unsigned *seed, int i, int ordered)
{
    namesake_event(ev, seed, ordered ? 600 + i : i);
    if (!ordered) return;
    char when[40];
    snprintf(when, sizeof when, "2024-%02d-%02dT%02d:00-05:00", 1 + i / 672 % 12, 1 + i / 24 % 28,
             i % 24);
    assert_int_equal(fr_datetime_parse_cstr(when, &ev->at, NULL), FR_OK);
}

/* The namesake events as import CSV; `ordered`: times increasing with the
 * row (no late event) and without the date past the blocking cap. */
static char *namesake_csv(int n, int ordered, size_t *len)
{
    size_t cap = (size_t)n * 512 + 1024, at = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    at += (size_t)snprintf(csv, cap, "%s", fr_ledger_csv_header());
    unsigned seed = 11;
    for (int i = 0; i < n; i++) {
        fr_event ev;
        namesake_row(&ev, &seed, i, ordered);
        at += fr_ledger_csv_format(&ev, csv + at, cap - at);
        assert_true(at < cap);
    }
    *len = at;
    return csv;
}

static int index_count(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                           " AND name IN ('travellers_birth', 'events_traveller_time')",
                           -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    int n = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* The complete hook of load_probe: what the backend held while the rows
 * were recorded. */
typedef struct load_probe {
    unsigned deferred_min; /* the fewest deferred indexes seen (bits AND-ed) */
    int load_seen, rows;
} load_probe;

static int load_complete(void *ud, fr_store *s, fr_event *ev, fr_error *err)
{
    load_probe *p = ud;
    (void)ev;
    (void)err;
    sq_store *q = (sq_store *)s;
    p->deferred_min = p->rows++ ? p->deferred_min & q->deferred : q->deferred;
    p->load_seen |= q->load;
    return FR_OK;
}

/* An import into an empty ledger builds travellers_birth and
 * events_traveller_time once at its end (store_sqlite_load.c): the same
 * travellers, links, reviews, frequencies and pairings as recording one
 * event at a time with both indexes; in time order the connection's memory
 * answers every read (no index built before the end); late events and a
 * date past the blocking cap build them when first needed. */
static void initial_load_equals_recording_one_at_a_time(void **st)
{
    tmp *t = *st;
    static const char *const Q[] = {
        "SELECT id, surname, given_names, nationality, birth_date, sex FROM travellers ORDER BY id",
        "SELECT id, number, traveller_id, link, person_digest FROM documents ORDER BY id",
        "SELECT document_id, traveller_id, candidate_id, reason, bits FROM link_reviews",
        "SELECT * FROM link_name_freq ORDER BY 1, 2, 3",
        "SELECT * FROM link_nat_freq ORDER BY 1",
        "SELECT * FROM link_birth_freq ORDER BY 1",
        "SELECT event_id, traveller_id, document_id, anomalies, paired_id FROM events ORDER BY id",
    };
    for (int ordered = 1; ordered >= 0; ordered--) {
        char one[160], bulk[160];
        snprintf(one, sizeof one, "%s/one%d.db", t->dir, ordered);
        snprintf(bulk, sizeof bulk, "%s/bulk%d.db", t->dir, ordered);
        size_t len;
        char *csv = namesake_csv(2400, ordered, &len);
        /* one at a time, indexes kept */
        fr_store *a = NULL;
        assert_int_equal(fr_store_open(one, FR_STORE_CREATE, &a, NULL), FR_OK);
        unsigned seed = 11;
        for (int i = 0; i < 2400; i++) {
            fr_event ev;
            namesake_row(&ev, &seed, i, ordered);
            assert_int_equal(fr_store_record(a, &ev, NULL, NULL), FR_OK);
        }
        fr_store_close(a);
        /* the import, in batches of 300 */
        fr_store *b = NULL;
        assert_int_equal(fr_store_open(bulk, FR_STORE_CREATE, &b, NULL), FR_OK);
        fr_csv *in = NULL;
        fr_error err;
        assert_int_equal(fr_csv_new_mem(csv, len, NULL, &in), FR_OK);
        load_probe p = {0};
        fr_import_hooks h = {.ud = &p, .complete = load_complete};
        fr_import_stats stats;
        assert_int_equal(fr_ledger_import(b, in, 300, &h, &stats, &err), FR_OK);
        fr_csv_free(in);
        assert_int_equal(stats.taken, 2400);
        assert_true(p.load_seen);
        if (ordered) /* never needed before the end */
            assert_int_equal(p.deferred_min, SQ_IDX_BIRTH | SQ_IDX_EVENTS);
        else /* a late event and the crowded date built both on the way */
            assert_int_equal(p.deferred_min, 0);
        assert_int_equal(((sq_store *)b)->deferred, 0);
        assert_int_equal(((sq_store *)b)->load, 0);
        fr_store_close(b);
        assert_int_equal(index_count(bulk), 2);
        for (size_t i = 0; i < sizeof Q / sizeof *Q; i++) {
            char da[17], db[17];
            digest_of(one, Q[i], da);
            digest_of(bulk, Q[i], db);
            if (strcmp(da, db) != 0) fail_msg("differs (ordered %d): %s", ordered, Q[i]);
        }
        free(csv);
    }
}

/* A new ledger whose initial load has begun. */
static fr_store *load_started(const tmp *t)
{
    fr_store *s = open_ok(t, FR_STORE_CREATE);
    int on = 0;
    assert_int_equal(fr__store_load_begin(s, &on, NULL), FR_OK);
    assert_true(on);
    return s;
}

/* One event recorded in a batch of its own. */
static void record_batch(fr_store *s, const char *id, fr_event_kind kind, const char *at,
                         const char *doc, fr_record_result *r)
{
    fr_event ev;
    make_event(&ev, id, kind, at, doc);
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    assert_int_equal(fr_store_record(s, &ev, r, NULL), FR_OK);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
}

/* During a load the loader knows every document of the ledger without the
 * documents index (fr__sq_docset_*): one another connection writes in the
 * meantime must still be found, not created twice. */
static void a_document_written_beside_a_load_is_found(void **st)
{
    tmp *t = *st;
    fr_store *s = load_started(t);
    fr_event ev;
    fr_record_result a, b, c;
    record_batch(s, "D1", FR_EVENT_ENTRY, "2024-01-10T10:00-05:00", "D1", &a);
    fr_store *other = open_ok(t, 0);
    make_event(&ev, "D2", FR_EVENT_ENTRY, "2024-01-11T10:00-05:00", "D2");
    assert_int_equal(fr_store_record(other, &ev, &b, NULL), FR_OK);
    /* the loader records the other's document, and its own again */
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    make_event(&ev, "D3", FR_EVENT_EXIT, "2024-01-20T10:00-05:00", "D2");
    assert_int_equal(fr_store_record(s, &ev, &c, NULL), FR_OK);
    assert_int_equal(c.traveller_id, b.traveller_id);
    make_event(&ev, "D4", FR_EVENT_EXIT, "2024-01-21T10:00-05:00", "D1");
    assert_int_equal(fr_store_record(s, &ev, &c, NULL), FR_OK);
    assert_int_equal(c.traveller_id, a.traveller_id);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_int_equal(fr__store_load_end(s, NULL), FR_OK);
    assert_int_equal(sql_int(t->db, "SELECT count(*) FROM documents"), 2);
    assert_int_equal(sql_int(t->db, "SELECT count(*) FROM events WHERE paired_id IS NOT NULL"), 2);
    fr_store_close(other);
    fr_store_close(s);
}

/* The same when the document map forgets (it is a cache of 2^20 slots,
 * emptied when full): a load's documents are all known without it. */
static void a_load_knows_its_documents_past_the_document_map(void **st)
{
    tmp *t = *st;
    fr_store *s = load_started(t);
    ((sq_store *)s)->docs_max = 1024; /* emptied every ~700 documents */
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    fr_event ev;
    char id[32], doc[32];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 3000; i++) {
            snprintf(id, sizeof id, "M%d-%d", pass, i);
            snprintf(doc, sizeof doc, "M%d", i);
            make_event(&ev, id, pass ? FR_EVENT_EXIT : FR_EVENT_ENTRY,
                       pass ? "2024-03-01T10:00-05:00" : "2024-02-01T10:00-05:00", doc);
            snprintf(ev.doc.surname, sizeof ev.doc.surname, "S%d", i); /* not namesakes */
            assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
        }
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_int_equal(fr__store_load_end(s, NULL), FR_OK);
    assert_int_equal(sql_int(t->db, "SELECT count(*) FROM documents"), 3000);
    assert_int_equal(sql_int(t->db, "SELECT count(*) FROM events WHERE paired_id IS NOT NULL"),
                     3000);
    fr_store_close(s);
}

/* A load killed before its end leaves the two indexes missing. While a
 * load is alive another process reads and writes without them and builds
 * nothing (a build would hold the write lock for seconds); an open never
 * builds, nor a read; once no load is alive, the first write transaction
 * that needs one builds it. A ledger that is not empty is loaded with its
 * indexes. */
static void a_killed_load_gets_its_indexes_back(void **st)
{
    tmp *t = *st;
    fr_store *s = load_started(t);
    int on = 0;
    fr_event ev;
    record_batch(s, "K1", FR_EVENT_ENTRY, "2024-01-10T10:00-05:00", "K1", NULL);
    assert_int_equal(index_count(t->db), 0);
    /* another process during the load */
    fr_store *other = open_ok(t, 0);
    assert_int_equal(((sq_store *)other)->deferred, SQ_IDX_BIRTH | SQ_IDX_EVENTS);
    make_event(&ev, "K2", FR_EVENT_ENTRY, "2024-01-11T10:00-05:00", "K2"); /* her namesake's */
    fr_record_result r;
    assert_int_equal(fr_store_record(other, &ev, &r, NULL), FR_OK);
    fr_history *hist = NULL;
    assert_int_equal(fr_store_history(other, r.traveller_id, &hist, NULL), FR_OK);
    fr_history_free(hist);
    assert_int_equal(index_count(t->db), 0); /* nothing built beside the load */
    fr_store_close(s);                       /* killed: no fr__store_load_end */
    assert_int_equal(index_count(t->db), 0);
    fr_store *third = open_ok(t, 0); /* an open does not build */
    assert_int_equal(index_count(t->db), 0);
    assert_int_equal(fr_store_history(third, r.traveller_id, &hist, NULL), FR_OK);
    fr_history_free(hist);
    assert_int_equal(index_count(t->db), 0); /* nor a read */
    /* no load alive: the next write that reads through one builds it */
    make_event(&ev, "K3", FR_EVENT_ENTRY, "2024-01-12T10:00-05:00", "K3");
    assert_int_equal(fr_store_record(other, &ev, NULL, NULL), FR_OK);
    assert_true(index_count(t->db) >= 1);
    assert_int_equal(fr__store_load_begin(third, &on, NULL), FR_OK);
    assert_false(on);                                         /* not empty */
    assert_int_equal(fr__store_load_end(third, NULL), FR_OK); /* builds the rest */
    assert_int_equal(index_count(t->db), 2);
    fr_store_close(third);
    fr_store_close(other);
}

/* Every statement of the SQLite store reads its rows by an index, without
 * statistics (no ANALYZE is ever run): a full scan of a table that grows
 * with the ledger turns a booth's write or read into seconds at a nation's
 * volume (SQ_HIST_REVIEWS read every open review before it said +status). */
static void no_statement_scans_a_growing_table(void **st)
{
    tmp *t = *st;
    fr_store *base = open_ok(t, FR_STORE_CREATE);
    sq_store *s = (sq_store *)base;
    static const char *const GROWING[] = {"travellers",   "documents",      "events",
                                          "link_reviews", "link_name_freq", "link_birth_freq",
                                          "link_audit"};
    int checked = 0;
    for (int i = 0; i < SQ_COUNT; i++) {
        if (i == SQ_BEGIN || i == SQ_COMMIT || i == SQ_ROLLBACK || i == SQ_DATA_VERSION) continue;
        sqlite3_stmt *q = NULL, *plan = NULL;
        assert_int_equal(fr__sq_stmt(s, i, &q, NULL), FR_OK);
        char sql[2048];
        snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(q));
        assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &plan, NULL), SQLITE_OK);
        while (sqlite3_step(plan) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(plan, 3);
            if (!d || strncmp(d, "SCAN ", 5) != 0 || strstr(d, " USING ")) continue;
            for (size_t g = 0; g < sizeof GROWING / sizeof *GROWING; g++) {
                size_t n = strlen(GROWING[g]);
                if (strncmp(d + 5, GROWING[g], n) == 0 && (d[5 + n] == '\0' || d[5 + n] == ' '))
                    fail_msg("statement %d scans %s: %s", i, GROWING[g], sqlite3_sql(q));
            }
        }
        sqlite3_finalize(plan);
        checked++;
    }
    assert_true(checked > 30);
    fr_store_close(base);
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
        T(implausible_dates_and_malformed_text_are_refused),
        T(import_counts_only_committed_rows),
        T(import_commits_a_batch_open_too_long),
        T(import_notice_keeps_its_format_and_values),
        T(import_rejects_bad_text_and_takes_alpha3),
        T(open_beside_a_writer_and_checkpoint_from_another_connection),
        cmocka_unit_test(busy_handler_gives_up_at_its_limit),
        T(history_reviews_go_by_the_id_indexes),
        T(bulk_linking_equals_one_at_a_time),
        T(a_write_voids_the_link_read_before_it),
        T(no_statement_scans_a_growing_table),
        T(initial_load_equals_recording_one_at_a_time),
        T(a_killed_load_gets_its_indexes_back),
        T(a_document_written_beside_a_load_is_found),
        T(a_load_knows_its_documents_past_the_document_map),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
