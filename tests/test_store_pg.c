/* SPDX-License-Identifier: MIT */
/* test_store_pg.c: the PostgreSQL backend on a real server (the throw-away
 * cluster of tests/pg-cluster.sh; run as "test_store_pg pg"): schema
 * creation and refusal of a newer or foreign schema, idempotent and
 * conflicting retries, a batch (sent by COPY) rolled back or committed,
 * events in monthly partitions, the same import giving the same export
 * byte for byte as SQLite, two processes recording for the same
 * travellers at once (no lost pairing, no duplicate traveller), a schema 2
 * database brought to 3 (frequencies and sequence from its rows), and an
 * incremental reader of the event sequence that misses nothing while
 * several processes write (single records and batches). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/ledger.h"
#include "frontera/linkage.h"
#include "frontera/store.h"
#include "pgdb.h"
#include "store_pg.h"

static int setup(void **st)
{
    return (*st = pgdb_new()) ? 0 : -1;
}

static int teardown(void **st)
{
    pgdb_free(*st);
    return 0;
}

static fr_store *open_ok(const char *where, unsigned flags)
{
    fr_store *s = NULL;
    fr_error err;
    if (fr_store_open(where, flags, &s, &err) != FR_OK) fail_msg("open: %s", err.message);
    return s;
}

static long long scalar(const char *uri, const char *sql)
{
    PGconn *c = PQconnectdb(uri);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) fail_msg("%s: %s", sql, PQerrorMessage(c));
    long long v = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

static void make_event(fr_event *ev, const char *id, fr_event_kind kind, const char *at,
                       const char *doc, const char *surname)
{
    fr_event_init(ev);
    snprintf(ev->event_id, sizeof ev->event_id, "%s", id);
    ev->kind = kind;
    assert_int_equal(fr_datetime_parse_cstr(at, &ev->at, NULL), FR_OK);
    memcpy(ev->port, "ECUIO", 6);
    memcpy(ev->doc.state, "ECU", 4);
    snprintf(ev->doc.number, sizeof ev->doc.number, "%s", doc);
    snprintf(ev->doc.surname, sizeof ev->doc.surname, "%s", surname);
    snprintf(ev->doc.given_names, sizeof ev->doc.given_names, "ANA");
    memcpy(ev->doc.nationality, "ECU", 4);
    assert_int_equal(fr_date_parse_cstr("1990-05-06", &ev->doc.birth_date, NULL), FR_OK);
    ev->doc.sex = 'F';
}

static void missing_ledger_is_not_found_then_created_at_current_version(void **st)
{
    pgdb *p = *st;
    fr_store *s = NULL;
    fr_error err;
    assert_int_equal(fr_store_open(p->uri, 0, &s, &err), FR_ENOTFOUND);
    assert_non_null(strstr(err.message, "frontera init"));
    s = open_ok(p->uri, FR_STORE_CREATE);
    assert_string_equal(fr_store_backend(s), "postgres");
    int v = 0;
    assert_int_equal(fr_store_schema_version(s, &v, NULL), FR_OK);
    assert_int_equal(v, FR_STORE_SCHEMA_VERSION);
    fr_store_close(s);
    s = open_ok(p->uri, FR_STORE_CREATE); /* a second init is a no-op */
    fr_store_close(s);
    assert_int_equal(scalar(p->uri, "SELECT version FROM frontera_schema"),
                     FR_STORE_SCHEMA_VERSION);
    /* events are partitioned */
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM pg_partitioned_table"
                                    " WHERE partrelid = 'events'::regclass"),
                     1);
}

static void newer_and_foreign_schemas_are_refused_untouched(void **st)
{
    pgdb *p = *st;
    fr_store_close(open_ok(p->uri, FR_STORE_CREATE));
    assert_int_equal(pgdb_sql(p->uri, "UPDATE frontera_schema SET version = 42"), 0);
    fr_store *s = NULL;
    fr_error err;
    assert_int_equal(fr_store_open(p->uri, 0, &s, &err), FR_EVERSION);
    assert_non_null(strstr(err.message, "schema version 42, newer than"));
    assert_int_equal(fr_store_open(p->uri, FR_STORE_CREATE, &s, &err), FR_EVERSION);
    assert_int_equal(scalar(p->uri, "SELECT version FROM frontera_schema"), 42);
    /* another application's database */
    pgdb *q = pgdb_new();
    assert_non_null(q);
    assert_int_equal(pgdb_sql(q->uri, "CREATE TABLE accounts(id int)"), 0);
    assert_int_equal(fr_store_open(q->uri, FR_STORE_CREATE, &s, &err), FR_EVERSION);
    assert_non_null(strstr(err.message, "not a frontera database"));
    pgdb_free(q);
}

static void retries_are_noops_and_conflicts_change_nothing(void **st)
{
    pgdb *p = *st;
    fr_store *s = open_ok(p->uri, FR_STORE_CREATE);
    fr_event ev;
    make_event(&ev, "E1", FR_EVENT_ENTRY, "2024-07-01T10:00-05:00", "A1", "PEREZ");
    fr_record_result r1, r2;
    assert_int_equal(fr_store_record(s, &ev, &r1, NULL), FR_OK);
    assert_int_equal(r1.duplicate, 0);
    assert_int_equal(fr_store_record(s, &ev, &r2, NULL), FR_OK);
    assert_int_equal(r2.duplicate, 1);
    assert_int_equal(r2.event_row, r1.event_row);
    ev.at.seconds += 60;
    fr_error err;
    assert_int_equal(fr_store_record(s, &ev, NULL, &err), FR_ECONFLICT);
    assert_string_equal(err.field, "event_id");
    fr_store_close(s);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events"), 1);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM travellers"), 1);
}

static void batch_rollback_leaves_nothing_and_commit_lands_in_month_partitions(void **st)
{
    pgdb *p = *st;
    fr_store *s = open_ok(p->uri, FR_STORE_CREATE);
    fr_event ev;
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    make_event(&ev, "B1", FR_EVENT_ENTRY, "2024-01-05T10:00-05:00", "R1", "ROLL");
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    fr_store_batch_rollback(s);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events"), 0);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM documents"), 0);
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    const char *at[] = {"2024-01-05T10:00-05:00", "2024-02-05T10:00-05:00",
                        "2024-03-05T10:00-05:00"};
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "C%d", i);
        make_event(&ev, id, i % 2 ? FR_EVENT_EXIT : FR_EVENT_ENTRY, at[i], "C1", "COMMIT");
        fr_record_result res;
        assert_int_equal(fr_store_record(s, &ev, &res, NULL), FR_OK);
        assert_int_equal(res.link, i ? FR_LINK_DOCUMENT : FR_LINK_NEW);
    }
    /* a retry inside the batch is seen before the batch is sent */
    fr_record_result dup;
    assert_int_equal(fr_store_record(s, &ev, &dup, NULL), FR_OK);
    assert_int_equal(dup.duplicate, 1);
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    fr_store_close(s);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events"), 3);
    assert_int_equal(scalar(p->uri, "SELECT count(DISTINCT tableoid) FROM events"), 3);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events_2024_02"), 1);
    /* the exit of February closed January's entry */
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events WHERE paired_id IS NOT NULL"), 1);
}

typedef struct {
    char *buf;
    size_t n, cap;
} sbuf;

static int to_csv(void *ud, const fr_event *ev)
{
    sbuf *b = ud;
    char line[12000];
    size_t n = fr_ledger_csv_format(ev, line, sizeof line);
    assert_true(n < sizeof line);
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->buf = realloc(b->buf, b->cap);
        assert_non_null(b->buf);
    }
    memcpy(b->buf + b->n, line, n);
    b->n += n;
    b->buf[b->n] = '\0';
    return 0;
}

typedef struct {
    FILE *f;
} file_src;

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    file_src *fs = ud;
    *got = fread(buf, 1, cap, fs->f);
    return FR_OK;
}

static int ignore_reject(void *ud, long line, const fr_error *why, const fr_csv_row *row)
{
    (void)ud, (void)line, (void)why, (void)row;
    return 0;
}

static void import_file(fr_store *s, const char *path, size_t batch, fr_import_stats *st)
{
    file_src fs = {fopen(path, "rb")};
    assert_non_null(fs.f);
    fr_csv *csv = NULL;
    assert_int_equal(fr_csv_new(read_file, &fs, NULL, &csv), FR_OK);
    fr_error err;
    fr_import_hooks hooks = {0};
    hooks.reject = ignore_reject;
    if (fr_ledger_import(s, csv, batch, &hooks, st, &err) != FR_OK)
        fail_msg("import: %s", err.message);
    fr_csv_free(csv);
    fclose(fs.f);
}

/* Export a store and the history of every traveller as one text. */
static void dump(fr_store *s, sbuf *b)
{
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, to_csv, b, NULL), FR_OK);
    for (int64_t tid = 1;; tid++) {
        fr_history *h = NULL;
        int rc = fr_store_history(s, tid, &h, NULL);
        if (rc == FR_ENOTFOUND) break;
        assert_int_equal(rc, FR_OK);
        char line[256];
        for (size_t i = 0; i < h->count; i++) {
            int n =
                snprintf(line, sizeof line, "t%lld %s anomalies %u paired %td\n", (long long)tid,
                         h->items[i].event_id, h->items[i].anomalies, h->items[i].paired);
            fr_event dummy;
            (void)dummy;
            if (b->n + (size_t)n + 1 > b->cap) {
                b->cap = (b->n + (size_t)n + 1) * 2;
                b->buf = realloc(b->buf, b->cap);
            }
            memcpy(b->buf + b->n, line, (size_t)n + 1);
            b->n += (size_t)n;
        }
        for (size_t i = 0; i < h->ndocuments; i++) {
            int n = snprintf(line, sizeof line, "t%lld doc %s:%s link %d\n", (long long)tid,
                             h->documents[i].doc.state, h->documents[i].doc.number,
                             h->documents[i].link);
            if (b->n + (size_t)n + 1 > b->cap) {
                b->cap = (b->n + (size_t)n + 1) * 2;
                b->buf = realloc(b->buf, b->cap);
            }
            memcpy(b->buf + b->n, line, (size_t)n + 1);
            b->n += (size_t)n;
        }
        fr_history_free(h);
    }
}

static void same_import_gives_same_export_histories_and_stats_as_sqlite(void **st)
{
    pgdb *p = *st;
    char dir[] = "/tmp/fr_pgparity_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char db[128];
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    /* the hand-written cases, then 4,000 generated crossings sent twice in
     * another order (late arrivals re-pair), then the bad rows */
    char gen[160], rev[160], cmd[1400];
    snprintf(gen, sizeof gen, "%s/gen.csv", dir);
    snprintf(rev, sizeof rev, "%s/rev.csv", dir);
    snprintf(cmd, sizeof cmd,
             "awk -v n=4000 -f %s/tests/data/ledger/gen.awk > %s && (head -1 %s;"
             " tail -n +2 %s | sed 's/^C/L/' | sort -t, -k3,3r | head -600) > %s",
             FR_SOURCE_DIR, gen, gen, gen, rev);
    assert_int_equal(system(cmd), 0);
    const char *files[] = {FR_SOURCE_DIR "/tests/data/ledger/sample.csv",
                           FR_SOURCE_DIR "/tests/data/ledger/reordered.csv", gen, rev,
                           FR_SOURCE_DIR "/tests/data/ledger/bad.csv"};
    enum { NF = sizeof files / sizeof *files };
    sbuf out[2] = {{0}, {0}};
    fr_import_stats stats[2][NF];
    for (int b = 0; b < 2; b++) {
        fr_store *s = open_ok(b ? p->uri : db, FR_STORE_CREATE);
        for (int f = 0; f < NF; f++)
            import_file(s, files[f], f == 0 ? 3 : 500, &stats[b][f]); /* several COPYs */
        dump(s, &out[b]);
        fr_store_close(s);
    }
    unlink(gen);
    unlink(rev);
    for (int f = 0; f < NF; f++) {
        assert_int_equal(stats[0][f].taken, stats[1][f].taken);
        assert_int_equal(stats[0][f].duplicates, stats[1][f].duplicates);
        assert_int_equal(stats[0][f].rejected, stats[1][f].rejected);
    }
    assert_true(out[0].n > 100);
    assert_string_equal(out[0].buf, out[1].buf);
    /* the export imports back into PostgreSQL as duplicates only */
    char back[160];
    snprintf(back, sizeof back, "%s/export.csv", dir);
    FILE *f = fopen(back, "w");
    fputs(fr_ledger_csv_header(), f);
    sbuf e = {0};
    fr_store *s = open_ok(p->uri, 0);
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, to_csv, &e, NULL), FR_OK);
    fputs(e.buf, f);
    fclose(f);
    fr_import_stats again;
    import_file(s, back, 1000, &again);
    assert_int_equal(again.taken, 0);
    assert_true(again.duplicates > 0);
    fr_store_close(s);
    unlink(back);
    unlink(db);
    char side[200];
    snprintf(side, sizeof side, "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db);
    unlink(side);
    rmdir(dir);
    free(e.buf);
    free(out[0].buf);
    free(out[1].buf);
}

/* Two processes record, for the same 20 travellers (new passports), an entry
 * then an exit each, interleaved: one traveller per person, every exit
 * paired, nothing flagged. */
static void two_processes_recording_the_same_travellers_lose_nothing(void **st)
{
    pgdb *p = *st;
    fr_store_close(open_ok(p->uri, FR_STORE_CREATE));
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            fr_store *s = NULL;
            if (fr_store_open(p->uri, 0, &s, NULL) != FR_OK) _exit(2);
            for (int i = 0; i < 20; i++) {
                fr_event ev;
                char id[16], doc[16], sur[16], at[40];
                /* process 0 records entries, process 1 the exits a day later;
                 * both know the passport (a post scans it whole) */
                snprintf(id, sizeof id, "%c%d", k ? 'X' : 'E', i);
                snprintf(doc, sizeof doc, "P%d", i);
                snprintf(sur, sizeof sur, "PERSON%c", 'A' + i);
                snprintf(at, sizeof at, "2024-05-%02dT10:00-05:00", k ? 2 : 1);
                make_event(&ev, id, k ? FR_EVENT_EXIT : FR_EVENT_ENTRY, at, doc, sur);
                fr_error err;
                int rc = fr_store_record(s, &ev, NULL, &err);
                if (rc != FR_OK) {
                    fprintf(stderr, "child %d: %s\n", k, err.message);
                    _exit(3);
                }
            }
            fr_store_close(s);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM travellers"), 20);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM documents"), 20);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events"), 40);
    /* whichever arrived first, each exit ends up paired to its entry */
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events e JOIN events n"
                                    " ON n.id = e.paired_id WHERE e.kind = 2 AND n.kind = 1"
                                    " AND n.traveller_id = e.traveller_id"),
                     20);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events WHERE anomalies <> 0"), 0);
}

static void exec_ok(const char *uri, const char *sql)
{
    PGconn *c = PQconnectdb(uri);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* A ledger written by a schema 2 frontera (the old linking rule merged the
 * two WANG WEI) is brought to 3: frequencies counted from its travellers,
 * its events numbered in id order, old reviews kept (weight 0), and what
 * is recorded next is linked, counted and numbered as on a new ledger. */
static void schema_2_ledger_is_migrated_to_3(void **st)
{
    pgdb *p = *st;
    assert_int_equal(fr__store_pg_migrate(p->uri, 2, NULL), FR_OK);
    assert_int_equal(scalar(p->uri, "SELECT version FROM frontera_schema"), 2);
    fr_date may, june, b1, b2;
    fr_date_parse_cstr("2024-05-01", &may, NULL);
    fr_date_parse_cstr("2024-06-01", &june, NULL);
    fr_date_parse_cstr("1985-03-14", &b1, NULL);
    fr_date_parse_cstr("1990-01-02", &b2, NULL);
    char sql[2048];
    snprintf(
        sql, sizeof sql,
        "SELECT frontera_ensure_month('events_2024_05', %ld, %ld);"
        "INSERT INTO travellers VALUES (1, 'WANG', 'WEI', 'CHN', %ld, 'M'),"
        " (2, 'LI', 'NA', 'CHN', %ld, 'F');"
        "INSERT INTO documents VALUES (1, 'CHN', 'E1', 'P', NULL, 'WANG', 'WEI', 'CHN', %ld,"
        " 'M', 1, 1, 11), (2, 'CHN', 'E2', 'P', NULL, 'WANG', 'WEI', 'CHN', %ld, 'M', 1, 2, 12),"
        " (3, 'CHN', 'E3', 'P', NULL, 'LI', 'NA', 'CHN', %ld, 'F', 2, 1, 13);"
        "INSERT INTO events VALUES (1, 'V1', 1, 1, 1, 1714557600, %ld, 36000, -300, 'ECUIO',"
        " '', NULL, '', '', NULL, 101, 0, NULL), (2, 'V2', 1, 1, 2, 1714644000, %ld, 36000,"
        " -300, 'ECUIO', '', NULL, '', '', NULL, 102, 1, NULL), (3, 'V3', 1, 2, 3, 1714730400,"
        " %ld, 36000, -300, 'ECUIO', '', NULL, '', '', NULL, 103, 0, NULL);"
        "INSERT INTO event_keys VALUES ('V1', 1, %ld, 101, 1), ('V2', 2, %ld, 102, 1),"
        " ('V3', 3, %ld, 103, 2);"
        "INSERT INTO link_reviews(document_id, traveller_id, candidate_id, reason)"
        " VALUES (3, 2, 1, 'old rule');"
        "SELECT setval('travellers_id_seq', 2); SELECT setval('documents_id_seq', 3);"
        " SELECT setval('events_id_seq', 3);",
        (long)may, (long)june, (long)b1, (long)b2, (long)b1, (long)b1, (long)b2, (long)may,
        (long)may + 1, (long)may + 2, (long)may, (long)may + 1, (long)may + 2);
    exec_ok(p->uri, sql);
    fr_store *s = open_ok(p->uri, 0);
    int v = 0;
    assert_int_equal(fr_store_schema_version(s, &v, NULL), FR_OK);
    assert_int_equal(v, FR_STORE_SCHEMA_VERSION);
    assert_int_equal(scalar(p->uri, "SELECT n FROM link_nat_freq WHERE nationality = 'CHN'"), 2);
    assert_int_equal(scalar(p->uri, "SELECT n FROM link_name_freq WHERE surname = 'WANG'"), 1);
    int64_t seq = 0, fp = 0;
    assert_int_equal(fr_store_last_sequence(s, &seq, &fp, NULL), FR_OK);
    assert_int_equal(seq, 3);
    assert_int_equal(fp, 103);
    assert_int_equal(fr_store_sequence_fingerprint(s, 1, &fp, NULL), FR_OK);
    assert_int_equal(fp, 101);
    fr_link_review *rv = NULL;
    size_t n = 0;
    assert_int_equal(fr_store_reviews(s, 1, &rv, &n, NULL), FR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rv[0].reason, "old rule");
    assert_true(rv[0].bits == 0);
    fr_free(rv);
    /* a new traveller is counted and its event numbered after the old ones */
    fr_event ev;
    make_event(&ev, "V4", FR_EVENT_ENTRY, "2024-05-04T10:00-05:00", "N4", "NEWPERSON");
    fr_record_result res;
    assert_int_equal(fr_store_record(s, &ev, &res, NULL), FR_OK);
    assert_int_equal(res.link, FR_LINK_NEW);
    assert_int_equal(scalar(p->uri, "SELECT n FROM link_nat_freq WHERE nationality = 'ECU'"), 1);
    assert_int_equal(fr_store_last_sequence(s, &seq, &fp, NULL), FR_OK);
    assert_int_equal(seq, 4);
    fr_store_close(s);
}

#define SEQ_WRITERS 3
#define SEQ_PER_WRITER 120

typedef struct {
    int64_t *seen;
    size_t n, cap;
    int64_t last;
    int out_of_order;
} seq_reader;

static int collect(void *ud, const fr_store_crossing *c)
{
    seq_reader *r = ud;
    if (c->seq <= r->last) r->out_of_order = 1;
    r->last = c->seq;
    if (r->n < r->cap) r->seen[r->n] = c->seq;
    r->n++;
    return 0;
}

static void writer(const char *uri, int k)
{
    fr_store *s = NULL;
    if (fr_store_open(uri, 0, &s, NULL) != FR_OK) _exit(2);
    int batch = k == SEQ_WRITERS - 1; /* the last one imports in batches of 20 */
    for (int i = 0; i < SEQ_PER_WRITER; i++) {
        fr_error err;
        if (batch && i % 20 == 0 && fr_store_batch_begin(s, &err) != FR_OK) _exit(3);
        fr_event ev;
        char id[24], doc[24], sur[24], at[40];
        snprintf(id, sizeof id, "W%d-%d", k, i);
        snprintf(doc, sizeof doc, "W%dD%d", k, i % 40);
        snprintf(sur, sizeof sur, "WRITER%c", 'A' + k);
        snprintf(at, sizeof at, "2024-%02d-%02dT10:00-05:00", 1 + i % 12, 1 + i / 12);
        make_event(&ev, id, i / 40 % 2 ? FR_EVENT_EXIT : FR_EVENT_ENTRY, at, doc, sur);
        if (fr_store_record(s, &ev, NULL, &err) != FR_OK) {
            fprintf(stderr, "writer %d: %s\n", k, err.message);
            _exit(4);
        }
        if (batch && i % 20 == 19 && fr_store_batch_commit(s, &err) != FR_OK) {
            fprintf(stderr, "writer %d: %s\n", k, err.message);
            _exit(5);
        }
    }
    fr_store_close(s);
    _exit(0);
}

/* While three processes write (two single records, one in batches whose
 * event ids are allocated ahead, so they commit "out of id order"), a
 * reader repeatedly takes the last sequence and reads up to it from where
 * it stopped, as the analytics snapshot does. It must see every event once,
 * in increasing order, with nothing missed. */
static void incremental_reader_misses_nothing_while_processes_write(void **st)
{
    pgdb *p = *st;
    fr_store *s = open_ok(p->uri, FR_STORE_CREATE);
    pid_t kids[SEQ_WRITERS];
    for (int k = 0; k < SEQ_WRITERS; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) writer(p->uri, k);
    }
    enum { TOTAL = SEQ_WRITERS * SEQ_PER_WRITER };
    int64_t seen[TOTAL + 16];
    seq_reader r = {seen, 0, TOTAL + 16, 0, 0};
    int running = SEQ_WRITERS, reads = 0;
    while (running > 0 || reads == 0) {
        int64_t upto = 0, fp = 0;
        assert_int_equal(fr_store_last_sequence(s, &upto, &fp, NULL), FR_OK);
        if (upto > r.last)
            assert_int_equal(fr_store_crossings_since(s, r.last, upto, collect, &r, NULL), FR_OK);
        reads++;
        int status;
        pid_t done;
        while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
            assert_true(WIFEXITED(status));
            assert_int_equal(WEXITSTATUS(status), 0);
            running--;
        }
        usleep(2000);
    }
    int64_t upto = 0, fp = 0;
    assert_int_equal(fr_store_last_sequence(s, &upto, &fp, NULL), FR_OK);
    assert_int_equal(fr_store_crossings_since(s, r.last, upto, collect, &r, NULL), FR_OK);
    assert_false(r.out_of_order);
    assert_int_equal(scalar(p->uri, "SELECT count(*) FROM events"), TOTAL);
    assert_int_equal(upto, TOTAL); /* no gaps: numbers are given at commit */
    assert_int_equal(r.n, TOTAL);  /* every event read once: none missed */
    for (size_t i = 0; i < r.n; i++)
        assert_int_equal(seen[i], (int64_t)i + 1);
    assert_true(reads > 1);
    fr_store_close(s);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "pg") != 0) {
        printf("SKIP: run as 'test_store_pg pg' (ctest unit.test_store_pg.pg)\n");
        return 0;
    }
    pgdb_require();
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(missing_ledger_is_not_found_then_created_at_current_version),
        T(newer_and_foreign_schemas_are_refused_untouched),
        T(retries_are_noops_and_conflicts_change_nothing),
        T(batch_rollback_leaves_nothing_and_commit_lands_in_month_partitions),
        T(same_import_gives_same_export_histories_and_stats_as_sqlite),
        T(two_processes_recording_the_same_travellers_lose_nothing),
        T(schema_2_ledger_is_migrated_to_3),
        T(incremental_reader_misses_nothing_while_processes_write),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
