/* SPDX-License-Identifier: MIT */
/* test_snapshot.c: the analytics snapshot beside the ledger (snapshot.h):
 * a snapshot refreshed with the events written since equals an index
 * rebuilt from the whole ledger, on random histories with events sent late;
 * damaged, truncated, foreign and other-ledger files are detected and
 * rebuilt; two reader processes and a writer work at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analytics_internal.h"
#include "frontera/country.h"
#include "frontera/series.h"
#include "frontera/snapshot.h"
#include "tmpdb.h"

static const char *const NATS[] = {"ECU", "COL", "PER", "USA", "CHN", "VEN", "D"};
static const char *const PORTS[] = {"ECUIO", "ECGYE", "ECHSA"};

typedef struct gen {
    uint64_t rng;
    int next_id;
} gen;

static uint32_t rnd(gen *g, uint32_t n)
{
    g->rng = g->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(g->rng >> 33) % n;
}

/* Record n random events for travellers 0..persons-1 (each with one document),
 * about one in six sent late (dated before the traveller's latest event). */
static void record_random(fr_store *s, gen *g, int n, int persons)
{
    fr_error err = {0};
    assert_int_equal(fr_store_batch_begin(s, &err), FR_OK);
    for (int k = 0; k < n; k++) {
        int p = (int)rnd(g, (uint32_t)persons);
        fr_event ev;
        fr_event_init(&ev);
        snprintf(ev.event_id, sizeof ev.event_id, "E%07d", g->next_id++);
        uint32_t r = rnd(g, 12);
        ev.kind = r < 5 ? FR_EVENT_ENTRY : r < 10 ? FR_EVENT_EXIT : FR_EVENT_EXTENSION;
        ev.at.date = 19723 + (fr_date)(g->next_id / 3) - (rnd(g, 6) == 0 ? (fr_date)rnd(g, 40) : 0);
        ev.at.seconds = (int)rnd(g, 86400);
        ev.at.offset_min = -300;
        ev.at.has_offset = 1;
        snprintf(ev.port, sizeof ev.port, "%s", PORTS[rnd(g, 3)]);
        memcpy(ev.doc.state, "ECU", 4);
        snprintf(ev.doc.number, sizeof ev.doc.number, "N%06d", p);
        snprintf(ev.doc.surname, sizeof ev.doc.surname, "PERSON%d", p);
        snprintf(ev.doc.given_names, sizeof ev.doc.given_names, "ANA");
        snprintf(ev.doc.nationality, sizeof ev.doc.nationality, "%s", NATS[p % 7]);
        ev.doc.birth_date = 7000 + p;
        ev.doc.sex = 'F';
        if (ev.kind == FR_EVENT_ENTRY) {
            snprintf(ev.admission_class, sizeof ev.admission_class, "%s",
                     rnd(g, 2) ? "visitor" : "resident");
            ev.authorised_until = ev.at.date + 30 + (fr_date)rnd(g, 60);
        } else if (ev.kind == FR_EVENT_EXTENSION) {
            ev.authorised_until = ev.at.date + 90;
        }
        fr_record_result res;
        int rc = fr_store_record(s, &ev, &res, &err);
        if (rc != FR_OK) fail_msg("record: %s", err.message);
    }
    assert_int_equal(fr_store_batch_commit(s, &err), FR_OK);
}

static fr_analytics *rebuild(fr_store *s)
{
    fr_analytics *a = NULL;
    fr_error err = {0};
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    int rc = fr_analytics_load_store(a, s, &err);
    if (rc != FR_OK) fail_msg("rebuild: %s", err.message);
    assert_int_equal(fr__an_repair(a), FR_OK);
    return a;
}

static void same_bytes(const void *x, const void *y, size_t n)
{
    if (n) assert_memory_equal(x, y, n);
}

/* Every column, the travellers, the dictionaries and the reports agree. */
static void assert_same(fr_analytics *x, fr_analytics *y)
{
    assert_int_equal(fr__an_repair(x), FR_OK);
    assert_int_equal(fr__an_repair(y), FR_OK);
    assert_int_equal(x->n, y->n);
    assert_int_equal(x->np, y->np);
    assert_int_equal(x->seq, y->seq);
    size_t n = x->n;
    same_bytes(x->date, y->date, n * 2);
    same_bytes(x->utc, y->utc, n * 4);
    same_bytes(x->attr, y->attr, n * 4);
    same_bytes(x->trav, y->trav, n * 4);
    same_bytes(x->until, y->until, n * 2);
    same_bytes(x->eff, y->eff, n * 2);
    same_bytes(x->exitd, y->exitd, n * 2);
    for (size_t p = 0; p < x->np; p++) {
        assert_true(x->pt[p].key == y->pt[p].key);
        assert_int_equal(x->pt[p].open, y->pt[p].open);
    }
    assert_int_equal(x->nports, y->nports);
    assert_memory_equal(x->ports, y->ports, sizeof x->ports);
    assert_memory_equal(x->natcount, y->natcount, sizeof x->natcount);
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[0] = FR_KEY_NATIONALITY;
    q.keys[1] = FR_KEY_MONTH;
    q.nkeys = 2;
    for (int ovs = 0; ovs < 2; ovs++) {
        fr_report *rx = NULL, *ry = NULL;
        assert_int_equal(ovs ? fr_analytics_overstays(x, &q, &rx, NULL)
                             : fr_analytics_flows(x, &q, &rx, NULL),
                         FR_OK);
        assert_int_equal(ovs ? fr_analytics_overstays(y, &q, &ry, NULL)
                             : fr_analytics_flows(y, &q, &ry, NULL),
                         FR_OK);
        assert_int_equal(rx->nrows, ry->nrows);
        same_bytes(rx->rows, ry->rows, rx->nrows * sizeof *rx->rows);
        assert_memory_equal(&rx->total, &ry->total, sizeof rx->total);
        fr_report_free(rx);
        fr_report_free(ry);
    }
}

static fr_store *open_store(tmp *t)
{
    fr_store *s = NULL;
    fr_error err = {0};
    int rc = fr_store_open(t->db, 0, &s, &err);
    if (rc != FR_OK) fail_msg("open: %s", err.message);
    return s;
}

static fr_analytics *snap_open(tmp *t, fr_store *s, unsigned flags, fr_snapshot_info *info)
{
    char path[256];
    fr_analytics *a = NULL;
    fr_error err = {0};
    assert_int_equal(fr_snapshot_path(t->db, path, sizeof path), FR_OK);
    int rc = fr_snapshot_open(path, s, flags, &a, info, &err);
    if (rc != FR_OK) fail_msg("snapshot: %s", err.message);
    return a;
}

static void test_refresh_equals_rebuild_with_late_events(void **state)
{
    tmp *t = *state;
    fr_store *s = open_store(t);
    gen g = {12345, 0};
    fr_snapshot_info info;
    fr_analytics *a = snap_open(t, s, FR_SNAPSHOT_SAVE, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    assert_int_equal(a->n, 0);
    fr_analytics_free(a);
    for (int round = 0; round < 8; round++) {
        record_random(s, &g, 500 + round * 300, 300);
        /* every other round the snapshot is only refreshed in memory */
        unsigned flags = round % 2 ? FR_SNAPSHOT_NO_SAVE : FR_SNAPSHOT_SAVE;
        a = snap_open(t, s, flags, &info);
        assert_int_equal(info.how, FR_SNAPSHOT_REFRESHED);
        assert_true(info.new_events > 0);
        assert_int_equal(info.saved, !(round % 2));
        fr_analytics *b = rebuild(s);
        assert_same(a, b);
        fr_analytics_free(b);
        /* a refreshed index keeps taking events in memory */
        record_random(s, &g, 50, 300);
        size_t added = 0;
        assert_int_equal(fr_analytics_refresh(a, s, &added, NULL), FR_OK);
        assert_int_equal(added, 50);
        b = rebuild(s);
        assert_same(a, b);
        fr_analytics_free(b);
        fr_analytics_free(a);
        /* and the saved file, with nothing new, is current */
        a = snap_open(t, s, 0, &info);
        assert_true(info.how == FR_SNAPSHOT_CURRENT || info.how == FR_SNAPSHOT_REFRESHED);
        fr_analytics_free(a);
    }
    fr_store_close(s);
}

/* A ledger of 2,000 random events (seed) and its snapshot saved beside it;
 * the store stays open for the caller. */
static fr_store *saved_snapshot(tmp *t, uint32_t seed)
{
    fr_store *s = open_store(t);
    gen g = {seed, 0};
    record_random(s, &g, 2000, 200);
    fr_snapshot_info info;
    fr_analytics *a = snap_open(t, s, FR_SNAPSHOT_SAVE, &info);
    assert_int_equal(info.saved, 1);
    assert_true(a->n == 2000 && a->np > 5);
    fr_analytics_free(a);
    return s;
}

/* Write a snapshot, damage it with fn, and check it is rebuilt for `want`. */
static void damage_case(tmp *t, void (*fn)(const char *path), const char *want)
{
    fr_store *s = saved_snapshot(t, 777);
    fr_snapshot_info info;
    fr_analytics *a = NULL;
    char path[256];
    fr_snapshot_path(t->db, path, sizeof path);
    fn(path);
    fr_analytics *bad = NULL;
    fr_error err = {0};
    assert_int_not_equal(fr_snapshot_read(path, &bad, NULL, &err), FR_OK);
    assert_null(bad);
    if (!strstr(err.message, want)) fail_msg("read said '%s', not '%s'", err.message, want);
    a = snap_open(t, s, 0, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    if (!strstr(info.reason, want)) fail_msg("reason '%s', not '%s'", info.reason, want);
    assert_int_equal(info.saved, 1); /* and replaced by a good one */
    fr_analytics *b = rebuild(s);
    assert_same(a, b);
    fr_analytics_free(a);
    a = snap_open(t, s, 0, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_CURRENT);
    assert_same(a, b);
    fr_analytics_free(a);
    fr_analytics_free(b);
    fr_store_close(s);
}

/* Flip a bit of the byte at `at`, or of the section's byte at `at` when
 * section >= 0 (its offset from the header's section table, byte 128). */
static void flip_at(const char *path, int section, off_t at)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    uint64_t off = 0;
    if (section >= 0)
        assert_int_equal(pread(fd, &off, sizeof off, 128 + 24 * section), (ssize_t)sizeof off);
    at += (off_t)off;
    unsigned char c;
    assert_int_equal(pread(fd, &c, 1, at), 1);
    c ^= 0x10;
    assert_int_equal(pwrite(fd, &c, 1, at), 1);
    close(fd);
}

static void flip_byte(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    flip_at(path, -1, st.st_size / 2);
}

static void cut_short(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size - 100), 0);
}

static void foreign(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 1000; i++)
        fputs("event_id,kind,at\n", f);
    fclose(f);
}

static void header_flip(const char *path)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    int64_t seq = 1;
    assert_int_equal(pwrite(fd, &seq, sizeof seq, 24), (ssize_t)sizeof seq); /* the stamp */
    close(fd);
}

static void test_damaged_snapshot_is_rebuilt(void **state)
{
    damage_case(*state, flip_byte, "checksum");
}

/* A file whose checksums were recomputed after a column was changed (by
 * accident or by design) is still refused by the references between the
 * columns. The header's section table (snapshot.c, snap_header) starts at
 * byte 128, 24 bytes a section {offset, length, checksum}; sections 2 attr,
 * 3 trav, 7 the travellers (16 bytes each, open entry at +8), 8 the hash. */
void fr__snapshot_reseal(void *buf, size_t len);
static int forged_section, forged_at;
static uint32_t forged_value;
static void forge(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    unsigned char *buf = malloc((size_t)st.st_size);
    assert_non_null(buf);
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, buf, (size_t)st.st_size, 0), st.st_size);
    uint64_t off;
    memcpy(&off, buf + 128 + 24 * forged_section, sizeof off);
    memcpy(buf + off + (size_t)forged_at, &forged_value, sizeof forged_value);
    fr__snapshot_reseal(buf, (size_t)st.st_size);
    assert_int_equal(pwrite(fd, buf, (size_t)st.st_size, 0), st.st_size);
    close(fd);
    free(buf);
}

static void test_forged_references_are_refused(void **state)
{
    const struct {
        int section, at;
        uint32_t value;
    } cases[] = {
        {3, 4 * 1500, 0x00FFFFFFu},   /* an event of a traveller beyond the table */
        {2, 4 * 10, 1023u << 12},     /* a port beyond the dictionary */
        {2, 4 * 1999, 511u << 22},    /* a class beyond the dictionary */
        {7, 16 * 3 + 8, 0x80000000u}, /* a traveller written to be re-paired */
        {7, 16 * 5 + 8, 5000000u},    /* an open entry beyond the events */
    };
    tmp *t = *state;
    fr_store *s = saved_snapshot(t, 778);
    fr_snapshot_info info;
    fr_analytics *a = NULL;
    char path[256], good[300], cmd[700];
    fr_snapshot_path(t->db, path, sizeof path);
    snprintf(good, sizeof good, "%s.good", path);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", path, good);
    assert_int_equal(system(cmd), 0);
    fr_analytics *bad = NULL;
    fr_error err = {0};
    assert_int_equal(fr_snapshot_read(path, &bad, NULL, &err), FR_OK); /* resealed untouched */
    fr_analytics_free(bad);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, path);
        assert_int_equal(system(cmd), 0);
        forged_section = cases[k].section;
        forged_at = cases[k].at;
        forged_value = cases[k].value;
        forge(path);
        bad = NULL;
        assert_int_not_equal(fr_snapshot_read(path, &bad, NULL, &err), FR_OK);
        assert_null(bad);
        if (!strstr(err.message, "section refers to travellers, events, ports or classes"))
            fail_msg("case %zu: read said '%s'", k, err.message);
    }
    /* and the ledger's own snapshot is then rebuilt, equal to one from the store */
    a = snap_open(t, s, 0, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    fr_analytics *b = rebuild(s);
    assert_same(a, b);
    fr_analytics_free(a);
    fr_analytics_free(b);
    unlink(good);
    fr_store_close(s);
}

/* The totals of flows by nationality and of overstays by nationality. */
static void report_totals(fr_analytics *a, int *flows_rc, int64_t fl[FR_FLOW_NVALUES], int *ovs_rc,
                          int64_t ov[FR_OVS_NVALUES])
{
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
    fr_report *r = NULL;
    fr_error err = {0};
    *flows_rc = fr_analytics_flows(a, &q, &r, &err);
    for (int v = 0; v < FR_FLOW_NVALUES; v++)
        fl[v] = r ? r->total.v[v] : -1;
    fr_report_free(r);
    r = NULL;
    *ovs_rc = fr_analytics_overstays(a, &q, &r, &err);
    for (int v = 0; v < FR_OVS_NVALUES; v++)
        ov[v] = r ? r->total.v[v] : -1;
    fr_report_free(r);
}

/* Read lazily (FR_SNAPSHOT_LAZY), a column is checked when a function first
 * reads it: a report that does not read a damaged column gives the numbers
 * of a rebuild; one that does fails with FR_EPARSE naming the section, and
 * nothing is written back or appended from it. */
static void test_lazy_reads_check_each_column_on_first_use(void **state)
{
    tmp *t = *state;
    fr_store *s = saved_snapshot(t, 779);
    char path[256];
    fr_snapshot_path(t->db, path, sizeof path);
    fr_analytics *b = rebuild(s);
    int frc, orc;
    int64_t want_f[FR_FLOW_NVALUES], want_o[FR_OVS_NVALUES], fl[FR_FLOW_NVALUES],
        ov[FR_OVS_NVALUES];
    report_totals(b, &frc, want_f, &orc, want_o);
    assert_true(frc == FR_OK && orc == FR_OK && want_f[FR_FLOW_ENTRIES] > 0);

    /* intact: the same numbers, and every column checked by the end */
    fr_snapshot_info info;
    fr_analytics *a = snap_open(t, s, FR_SNAPSHOT_LAZY | FR_SNAPSHOT_NO_SAVE, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_CURRENT);
    assert_non_null(a->lazy);
    assert_int_equal(a->lazy->unchecked, FR_AN_C_ALL);
    report_totals(a, &frc, fl, &orc, ov);
    assert_true(frc == FR_OK && orc == FR_OK);
    assert_memory_equal(fl, want_f, sizeof fl);
    assert_memory_equal(ov, want_o, sizeof ov);
    /* flows and overstays in events never read the traveller table */
    assert_true(a->lazy->unchecked & FR_AN_C_PT);
    assert_true(a->lazy->unchecked & FR_AN_C_UTC);
    assert_false(a->lazy->unchecked & (FR_AN_C_DATE | FR_AN_C_ATTR | FR_AN_C_EXITD));
    assert_same(a, b);
    fr_analytics_free(a);

    /* the traveller table forged (checksums recomputed): flows and overstays
     * do not read it; the series and an append do, and are refused */
    forged_section = 7;
    forged_at = 16 * 5 + 8;
    forged_value = 5000000u; /* an open entry beyond the events */
    forge(path);
    a = snap_open(t, s, FR_SNAPSHOT_LAZY | FR_SNAPSHOT_NO_SAVE, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_CURRENT);
    report_totals(a, &frc, fl, &orc, ov);
    assert_true(frc == FR_OK && orc == FR_OK);
    assert_memory_equal(fl, want_f, sizeof fl);
    assert_memory_equal(ov, want_o, sizeof ov);
    fr_series *series = NULL;
    fr_error err = {0};
    assert_int_equal(fr_analytics_series(a, a->last, a->last, &series, &err), FR_EPARSE);
    assert_null(series);
    if (!strstr(err.message, "its pt section refers to")) fail_msg("series: '%s'", err.message);
    fr_analytics_event ev = {.kind = FR_EVENT_ENTRY,
                             .date = 19723,
                             .at_utc = 1704067200,
                             .nationality = "ECU",
                             .port = "ECUIO",
                             .traveller = 1,
                             .authorised_until = FR_DATE_NONE};
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_EPARSE);
    char other[300];
    snprintf(other, sizeof other, "%s.other", path);
    assert_int_equal(fr_snapshot_write(a, other, NULL, &err), FR_EPARSE);
    assert_int_equal(access(other, F_OK), -1);
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st); /* the counts, none of the damaged columns */
    assert_int_equal(st.events, b->n);
    fr_analytics_free(a);

    /* a flipped byte in the dates: both fail with the section's checksum,
     * and opening without the flag rebuilds the file */
    flip_at(path, 0, 100);
    a = snap_open(t, s, FR_SNAPSHOT_LAZY | FR_SNAPSHOT_NO_SAVE, &info);
    report_totals(a, &frc, fl, &orc, ov);
    assert_true(frc == FR_EPARSE && orc == FR_EPARSE);
    fr_analytics_free(a);
    /* with events written since, a lazy open checks every column (appending
     * re-pairs them) and rebuilds, as an open of the whole file does */
    gen g2 = {780, 2000};
    record_random(s, &g2, 50, 20);
    a = snap_open(t, s, FR_SNAPSHOT_LAZY | FR_SNAPSHOT_NO_SAVE, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    if (!strstr(info.reason, "its date section fails")) fail_msg("reason: '%s'", info.reason);
    fr_analytics_free(b);
    b = rebuild(s);
    assert_same(a, b);
    fr_analytics_free(a);
    a = snap_open(t, s, 0, &info);
    assert_true(info.how == FR_SNAPSHOT_REBUILT && strstr(info.reason, "date section"));
    assert_same(a, b);
    fr_analytics_free(a);
    fr_analytics_free(b);
    fr_store_close(s);
}

static void test_truncated_snapshot_is_rebuilt(void **state)
{
    damage_case(*state, cut_short, "truncated");
}

static void test_foreign_file_is_rebuilt(void **state)
{
    damage_case(*state, foreign, "not a frontera analytics snapshot");
}

static void test_forged_stamp_fails_the_header_checksum(void **state)
{
    damage_case(*state, header_flip, "header checksum");
}

/* A snapshot of another ledger put beside this one is not trusted. */
static void test_snapshot_of_another_ledger_is_rebuilt(void **state)
{
    tmp *t = *state;
    tmp *other = tmpdb_new("frsnapo", 1);
    assert_non_null(other);
    fr_store *so = open_store(other), *s = open_store(t);
    gen g1 = {1, 0}, g2 = {2, 0};
    record_random(so, &g1, 3000, 100);
    record_random(s, &g2, 3000, 100);
    fr_snapshot_info info;
    fr_analytics *a = snap_open(other, so, FR_SNAPSHOT_SAVE, &info);
    fr_analytics_free(a);
    char from[256], to[256], cmd[600];
    fr_snapshot_path(other->db, from, sizeof from);
    fr_snapshot_path(t->db, to, sizeof to);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    a = snap_open(t, s, 0, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    assert_non_null(strstr(info.reason, "another ledger"));
    fr_analytics *b = rebuild(s);
    assert_same(a, b);
    fr_analytics_free(a);
    fr_analytics_free(b);
    /* a ledger shorter than the stamp: the snapshot is ahead of it */
    tmp *empty = tmpdb_new("frsnape", 1);
    assert_non_null(empty);
    fr_snapshot_path(empty->db, to, sizeof to);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    fr_store *se = open_store(empty);
    a = snap_open(empty, se, 0, &info);
    assert_int_equal(info.how, FR_SNAPSHOT_REBUILT);
    assert_non_null(strstr(info.reason, "ends at 0"));
    assert_int_equal(a->n, 0);
    fr_analytics_free(a);
    fr_store_close(se);
    fr_store_close(so);
    fr_store_close(s);
    tmpdb_free(empty);
    tmpdb_free(other);
}

/* Two reader processes open the snapshot (refreshing and saving it) while
 * this one writes events and snapshots: every open succeeds, every index
 * holds exactly the events up to its stamp, and at the end the snapshot
 * equals a rebuild. */
static void test_two_readers_and_a_writer(void **state)
{
    tmp *t = *state;
    fr_store *s = open_store(t);
    gen g = {99, 0};
    record_random(s, &g, 1000, 150);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            int bad = 0;
            for (int i = 0; i < 40 && !bad; i++) {
                fr_store *rs = NULL;
                char path[256];
                fr_analytics *a = NULL;
                fr_snapshot_info info;
                fr_snapshot_path(t->db, path, sizeof path);
                if (fr_store_open(t->db, 0, &rs, NULL) != FR_OK ||
                    fr_snapshot_open(path, rs, k ? FR_SNAPSHOT_SAVE : 0, &a, &info, NULL) !=
                        FR_OK) {
                    bad = 1;
                } else {
                    fr_report_query q;
                    fr_report *r = NULL;
                    fr_report_query_init(&q);
                    /* no event is lost or counted twice: sequence = events here */
                    if ((int64_t)a->n != a->seq || fr_analytics_flows(a, &q, &r, NULL) != FR_OK)
                        bad = 2;
                    else if (r->total.v[FR_FLOW_ENTRIES] + r->total.v[FR_FLOW_EXITS] >
                             (int64_t)a->n)
                        bad = 3;
                    if (info.how == FR_SNAPSHOT_REBUILT && info.file_bytes == 0 && i > 0 &&
                        strstr(info.reason, "damaged"))
                        bad = 4; /* a half-written file was seen */
                    fr_report_free(r);
                }
                fr_analytics_free(a);
                fr_store_close(rs);
            }
            _exit(bad);
        }
    }
    for (int round = 0; round < 20; round++) {
        record_random(s, &g, 300, 150);
        fr_snapshot_info info;
        fr_analytics *a = snap_open(t, s, FR_SNAPSHOT_SAVE, &info);
        assert_int_equal((int64_t)a->n, a->seq);
        fr_analytics_free(a);
    }
    for (int k = 0; k < 2; k++) {
        int st = 0;
        assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    fr_snapshot_info info;
    fr_analytics *a = snap_open(t, s, 0, &info);
    fr_analytics *b = rebuild(s);
    assert_same(a, b);
    fr_analytics_free(a);
    fr_analytics_free(b);
    fr_store_close(s);
}

/* Period and nationality filters skip blocks: the answers stay the same as
 * counting every event (checked against a filter-free scan by hand). */
static void test_pushed_down_filters_give_the_same_numbers(void **state)
{
    tmp *t = *state;
    fr_store *s = open_store(t);
    gen g = {4242, 0};
    for (int i = 0; i < 6; i++)
        record_random(s, &g, 3000, 400);
    fr_analytics *a = rebuild(s);
    int chn = fr_country_find_cstr("CHN");
    fr_report_query q;
    fr_report_query_init(&q);
    q.from = 19723 + 1000;
    q.to = 19723 + 2500;
    q.nationalities = &chn;
    q.nnationalities = 1;
    fr_report *r = NULL;
    assert_int_equal(fr_analytics_flows(a, &q, &r, NULL), FR_OK);
    int64_t want[FR_FLOW_NVALUES] = {0};
    for (size_t i = 0; i < a->n; i++) {
        unsigned k = FR_AN_KIND(a->attr[i]);
        if (a->date[i] < q.from || a->date[i] > q.to || k > FR_EVENT_ENCOUNTER) continue;
        if (FR_AN_NAT(a->attr[i]) != (unsigned)chn + 1) continue;
        want[k - 1]++;
    }
    assert_true(want[FR_FLOW_ENTRIES] > 0);
    for (int v = 0; v < FR_FLOW_NVALUES; v++)
        assert_int_equal(r->total.v[v], want[v]);
    fr_report_free(r);
    /* and one port of them */
    const char *const port[] = {"ECGYE"};
    q.ports = port;
    q.nports = 1;
    assert_int_equal(fr_analytics_flows(a, &q, &r, NULL), FR_OK);
    memset(want, 0, sizeof want);
    for (size_t i = 0; i < a->n; i++) {
        unsigned k = FR_AN_KIND(a->attr[i]);
        if (a->date[i] < q.from || a->date[i] > q.to || k > FR_EVENT_ENCOUNTER) continue;
        if (FR_AN_NAT(a->attr[i]) != (unsigned)chn + 1) continue;
        if (strcmp(a->ports[FR_AN_PORT(a->attr[i])], "ECGYE") != 0) continue;
        want[k - 1]++;
    }
    assert_true(want[FR_FLOW_ENTRIES] > 0);
    for (int v = 0; v < FR_FLOW_NVALUES; v++)
        assert_int_equal(r->total.v[v], want[v]);
    fr_report_free(r);
    fr_analytics_free(a);
    fr_store_close(s);
}

/* Flows over an index large enough to be scanned in parts on threads of
 * their own (analytics_report.c: a part per CPU, of at least 2^20 events):
 * every cell is the count of its events. */
static void test_flows_scanned_in_parts_count_every_event_once(void **state)
{
    (void)state;
    enum { N = 2300000, MONTHS = 36 };
    static int64_t want[7][MONTHS][FR_FLOW_NVALUES];
    memset(want, 0, sizeof want);
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    assert_int_equal(fr_analytics_reserve(a, N, 400000), FR_OK);
    gen g = {99, 0};
    fr_date first;
    assert_int_equal(fr_date_from_ymd(2022, 1, 1, &first), FR_OK);
    for (int i = 0; i < N; i++) {
        fr_date d = first + (fr_date)((int64_t)i * 1095 / N);
        uint32_t nat = rnd(&g, 7), kind = 1 + rnd(&g, 5); /* entry .. extension */
        fr_analytics_event ev = {.kind = (fr_event_kind)kind,
                                 .date = d,
                                 .at_utc = (int64_t)d * 86400 + i % 86400,
                                 .port = PORTS[rnd(&g, 3)],
                                 .nationality = NATS[nat],
                                 .authorised_until = FR_DATE_NONE,
                                 .traveller = 1 + rnd(&g, 400000)};
        assert_int_equal(fr_analytics_append(a, &ev, NULL), FR_OK);
        int y, m, dd;
        fr_date_to_ymd(d, &y, &m, &dd);
        if (kind <= FR_EVENT_ENCOUNTER) want[nat][(y - 2022) * 12 + m - 1][kind - 1]++;
    }
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
    q.keys[q.nkeys++] = FR_KEY_MONTH;
    fr_report *r = NULL;
    assert_int_equal(fr_analytics_flows(a, &q, &r, NULL), FR_OK);
    size_t cells = 0;
    for (int n = 0; n < 7; n++)
        for (int m = 0; m < MONTHS; m++)
            cells += want[n][m][FR_FLOW_ENTRIES] || want[n][m][FR_FLOW_EXITS] ||
                     want[n][m][FR_FLOW_REFUSALS] || want[n][m][FR_FLOW_ENCOUNTERS];
    assert_int_equal(r->nrows, cells);
    for (size_t i = 0; i < r->nrows; i++) {
        const char *nat = r->labels[0][r->rows[i].key[0]], *month = r->labels[1][r->rows[i].key[1]];
        int n = 0, y = 0, m = 0;
        while (n < 7 && strcmp(NATS[n], nat) != 0)
            n++;
        assert_true(n < 7 && sscanf(month, "%d-%d", &y, &m) == 2);
        for (int v = 0; v < FR_FLOW_NVALUES; v++)
            assert_int_equal(r->rows[i].v[v], want[n][(y - 2022) * 12 + m - 1][v]);
    }
    fr_report_free(r);
    fr_analytics_free(a);
}

static int add_export(void *ud, const fr_event *ev)
{
    return fr_series_builder_add(ud, ev);
}

/* The alerts' series of the ledger, read the long way: every event exported. */
static fr_series *series_by_export(fr_store *s, fr_date to, fr_date as_of)
{
    fr_series_builder *b = NULL;
    fr_series *out = NULL;
    fr_error err = {0};
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, to, add_export, b, &err), FR_OK);
    assert_int_equal(fr_series_builder_finish(b, as_of, &out, &err), FR_OK);
    fr_series_builder_free(b);
    return out;
}

/* Same keys, same months, same values; returns the sum of one metric. */
static int64_t assert_same_series(const fr_series *x, const fr_series *y, const char *metric)
{
    assert_int_equal(fr_series_key_count(x), fr_series_key_count(y));
    assert_int_equal(fr_series_first(x), fr_series_first(y));
    assert_int_equal(fr_series_last(x), fr_series_last(y));
    int64_t sum = 0;
    for (size_t k = 0; k < fr_series_key_count(x); k++) {
        int nat = fr_series_key_nationality(x, k);
        const char *m = fr_series_key_metric(x, k);
        long ky = fr_series_find(y, nat, m);
        assert_true(ky >= 0);
        for (fr_month mo = fr_series_first(x); mo <= fr_series_last(x); mo++) {
            int64_t v = fr_series_get(x, k, mo);
            if (v != fr_series_get(y, (size_t)ky, mo))
                fail_msg("%s %s month %d: %lld vs %lld", fr_country_code(nat), m, (int)mo,
                         (long long)v, (long long)fr_series_get(y, (size_t)ky, mo));
            if (strcmp(m, metric) == 0) sum += v;
        }
    }
    return sum;
}

/* fr_analytics_series (the alerts' series from the index) equals the series
 * of the ledger's export, with late events, cut-off dates and report dates,
 * on a rebuilt index and on a snapshot refreshed in steps. */
static void test_series_from_the_index_equal_the_export(void **state)
{
    tmp *t = *state;
    fr_store *s = open_store(t);
    gen g = {777, 0};
    fr_snapshot_info info;
    fr_analytics *snap = snap_open(t, s, FR_SNAPSHOT_SAVE, &info);
    fr_analytics_free(snap);
    for (int round = 0; round < 3; round++) {
        record_random(s, &g, 1500, 400);
        snap = snap_open(t, s, FR_SNAPSHOT_SAVE, &info);
        fr_analytics *full = rebuild(s);
        const fr_date cuts[][2] = {{FR_DATE_NONE, FR_DATE_NONE},
                                   {19723 + 200, FR_DATE_NONE},
                                   {19723 + 200, 19723 + 400},
                                   {FR_DATE_NONE, 19723 + 5000}};
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            fr_series *want = series_by_export(s, cuts[c][0], cuts[c][1]);
            for (int which = 0; which < 2; which++) {
                fr_series *got = NULL;
                fr_error err = {0};
                assert_int_equal(
                    fr_analytics_series(which ? snap : full, cuts[c][0], cuts[c][1], &got, &err),
                    FR_OK);
                assert_true(assert_same_series(want, got, "arrivals") > 0);
                assert_true(assert_same_series(got, want, "nonexits") > 0);
                fr_series_free(got);
            }
            fr_series_free(want);
        }
        fr_analytics_free(full);
        fr_analytics_free(snap);
    }
    fr_store_close(s);
}

static int setup(void **st)
{
    return tmpdb_setup(st, "frsnap", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refresh_equals_rebuild_with_late_events, setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_snapshot_is_rebuilt, setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_forged_references_are_refused, setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_lazy_reads_check_each_column_on_first_use, setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_snapshot_is_rebuilt, setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_file_is_rebuilt, setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_forged_stamp_fails_the_header_checksum, setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_of_another_ledger_is_rebuilt, setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_two_readers_and_a_writer, setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_pushed_down_filters_give_the_same_numbers, setup,
                                        tmpdb_teardown),
        cmocka_unit_test(test_flows_scanned_in_parts_count_every_event_once),
        cmocka_unit_test_setup_teardown(test_series_from_the_index_equal_the_export, setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
