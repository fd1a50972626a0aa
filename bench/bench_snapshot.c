/* SPDX-License-Identifier: MIT */
/* bench_snapshot.c: the analytics snapshot (snapshot.h) on a real ledger:
 * opening it (map + checksums + reference checks), refreshing it with
 * 10,000 events written after its stamp (the target: under 50 ms), writing
 * it (temporary file, fsync, rename), its bytes per event (target: at most
 * 32), and beside them the rebuild from the ledger that the snapshot saves;
 * then the alerts' monthly series built from the snapshot against the same
 * series built from the ledger's export.
 *
 * Usage: bench_snapshot [LEDGER.db] [NEW]
 * With a ledger (e.g. one imported from `frontera synth`), its snapshot is
 * made if missing; NEW (default 10000) events are then added to the ledger
 * itself - use a copy. Without one, a scratch ledger of 300,000 random
 * events is made in /tmp and removed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analytics_internal.h"
#include "frontera/series.h"
#include "frontera/snapshot.h"
#include "frontera/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t g_rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return (uint32_t)(g_rng % n);
}

/* n events of `persons` travellers, dated from day0, ids PREFIX-N. */
static int add_events(fr_store *s, const char *prefix, int n, int persons, fr_date day0)
{
    static const char *const NATS[] = {"ECU", "COL", "PER", "USA", "CHN", "VEN", "D"};
    fr_error err = {0};
    if (fr_store_batch_begin(s, &err) != FR_OK) goto fail;
    for (int k = 0; k < n; k++) {
        int p = (int)rnd((uint32_t)persons);
        fr_event ev;
        fr_event_init(&ev);
        snprintf(ev.event_id, sizeof ev.event_id, "%s-%d", prefix, k);
        ev.kind = rnd(2) ? FR_EVENT_ENTRY : FR_EVENT_EXIT;
        ev.at.date = day0 + (fr_date)(k * 300 / (n ? n : 1)) - (rnd(8) == 0 ? (fr_date)rnd(20) : 0);
        ev.at.seconds = (int)rnd(86400);
        ev.at.offset_min = -300;
        ev.at.has_offset = 1;
        memcpy(ev.port, "ECUIO", 6);
        memcpy(ev.doc.state, "ECU", 4);
        snprintf(ev.doc.number, sizeof ev.doc.number, "%.3s%06d", prefix, p);
        snprintf(ev.doc.surname, sizeof ev.doc.surname, "B%s%d", prefix, p);
        snprintf(ev.doc.given_names, sizeof ev.doc.given_names, "ANA");
        snprintf(ev.doc.nationality, sizeof ev.doc.nationality, "%s", NATS[p % 7]);
        ev.doc.birth_date = 5000 + p % 9000;
        ev.doc.sex = 'F';
        if (ev.kind == FR_EVENT_ENTRY) ev.authorised_until = ev.at.date + 90;
        if ((k + 1) % 50000 == 0 &&
            (fr_store_batch_commit(s, &err) != FR_OK || fr_store_batch_begin(s, &err) != FR_OK))
            goto fail;
        if (fr_store_record(s, &ev, NULL, &err) != FR_OK) goto fail;
    }
    if (fr_store_batch_commit(s, &err) != FR_OK) goto fail;
    return 0;
fail:
    fprintf(stderr, "bench_snapshot: %s\n", err.message);
    return -1;
}

static int add_series(void *ud, const fr_event *ev)
{
    return fr_series_builder_add(ud, ev);
}

/* The alerts' monthly series (GET /v1/alerts, `report alerts`) both ways,
 * side by side, each from a fresh open as a new process pays it: the whole
 * ledger exported into a series builder (before), and the snapshot mapped
 * and read by fr_analytics_series (now). Distinct cut-off dates per run.
 * Checks that both give the same series. */
static int series_paths(fr_store *s, const char *path, fr_date last)
{
    double texp = 1e9, tidx = 1e9;
    int same = 1;
    for (int r = 0; r < 3; r++) {
        fr_date to = last - 30 * r;
        fr_error err = {0};
        fr_series_builder *b = NULL;
        fr_series *x = NULL, *y = NULL;
        fr_analytics *a = NULL;
        double t0 = now();
        if (fr_series_builder_new(&b) != FR_OK ||
            fr_store_export(s, FR_DATE_NONE, to, add_series, b, &err) != FR_OK ||
            fr_series_builder_finish(b, FR_DATE_NONE, &x, &err) != FR_OK)
            return 1;
        double t1 = now();
        if (fr_snapshot_read(path, &a, NULL, &err) != FR_OK ||
            fr_analytics_refresh(a, s, NULL, &err) != FR_OK ||
            fr_analytics_series(a, to, FR_DATE_NONE, &y, &err) != FR_OK)
            return 1;
        double t2 = now();
        if (t1 - t0 < texp) texp = t1 - t0;
        if (t2 - t1 < tidx) tidx = t2 - t1;
        for (size_t k = 0; k < fr_series_key_count(x) && same; k++) {
            long ky =
                fr_series_find(y, fr_series_key_nationality(x, k), fr_series_key_metric(x, k));
            for (fr_month m = fr_series_first(x); ky >= 0 && m <= fr_series_last(x); m++)
                same &= fr_series_get(x, k, m) == fr_series_get(y, (size_t)ky, m);
            same &= ky >= 0;
        }
        same &= fr_series_key_count(x) == fr_series_key_count(y);
        fr_series_builder_free(b);
        fr_series_free(x);
        fr_series_free(y);
        fr_analytics_free(a);
    }
    printf("alerts' series: export + builder %.3f s, snapshot + fr_analytics_series %.3f s "
           "(x%.1f, best of 3, distinct cut-offs), %s\n",
           texp, tidx, texp / (tidx > 0 ? tidx : 1e-9), same ? "same series" : "SERIES DIFFER");
    return same ? 0 : 1;
}

/* A report in a new process after an import: NEW more events written and
 * the writer closed (SQLite then copies its log into the file), then the
 * refresh of the snapshot written above on a connection of its own; best
 * of 3. *s is closed and opened again. */
static int refresh_new_process(fr_store **s, const char *db, const char *path, int nnew)
{
    fr_error err = {0};
    char prefix[32];
    snprintf(prefix, sizeof prefix, "NEX%ld", (long)time(NULL) % 100000);
    if (add_events(*s, prefix, nnew, nnew / 2, 20090) != 0) return 1;
    fr_store_close(*s);
    *s = NULL;
    double best = 1e9;
    for (int k = 0; k < 3; k++) {
        fr_store *s2 = NULL;
        fr_analytics *a = NULL;
        size_t n = 0;
        if (fr_store_open(db, 0, &s2, &err) != FR_OK ||
            fr_snapshot_read(path, &a, NULL, &err) != FR_OK)
            return 1;
        double t0 = now();
        int rc = fr_analytics_refresh(a, s2, &n, &err);
        double t = now() - t0;
        best = t < best ? t : best;
        fr_analytics_free(a);
        fr_store_close(s2);
        if (rc != FR_OK || n != (size_t)nnew) return 1;
    }
    printf("refresh with %d new events in a new process (the writer closed): %.4f s (best of 3)\n",
           nnew, best);
    return fr_store_open(db, 0, s, &err) == FR_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    char db[512], path[600], dir[64] = "";
    int nnew = argc > 2 ? atoi(argv[2]) : 10000;
    if (argc > 1) {
        snprintf(db, sizeof db, "%s", argv[1]);
    } else {
        snprintf(dir, sizeof dir, "/tmp/bench_snapshotXXXXXX");
        if (!mkdtemp(dir)) return 1;
        snprintf(db, sizeof db, "%s/ledger.db", dir);
    }
    fr_snapshot_path(db, path, sizeof path);
    fr_store *s = NULL;
    fr_error err = {0};
    if (fr_store_open(db, argc > 1 ? 0 : FR_STORE_CREATE, &s, &err) != FR_OK) {
        fprintf(stderr, "bench_snapshot: %s\n", err.message);
        return 1;
    }
    if (argc <= 1 && add_events(s, "BASE", 300000, 60000, 19000) != 0) return 1;
    /* the rebuild a report paid before the snapshot, and the snapshot's making */
    fr_analytics *a = NULL;
    fr_snapshot_info info;
    double t0 = now();
    if (fr_snapshot_open(path, s, 0, &a, &info, &err) != FR_OK) {
        fprintf(stderr, "bench_snapshot: %s\n", err.message);
        return 1;
    }
    double topen = now() - t0;
    printf("first open: %s in %.3f s (%zu events read from the ledger%s%s)\n",
           info.how == FR_SNAPSHOT_REBUILT ? "rebuilt and saved" : "mapped", topen, info.new_events,
           info.reason[0] ? "; " : "", info.reason);
    fr_analytics_free(a);
    /* cold open of the current snapshot, best of 5 */
    double best = 1e9;
    uint64_t bytes = 0;
    size_t n = 0;
    for (int r = 0; r < 5; r++) {
        t0 = now();
        if (fr_snapshot_read(path, &a, &bytes, &err) != FR_OK) {
            fprintf(stderr, "bench_snapshot: %s\n", err.message);
            return 1;
        }
        double t = now() - t0;
        if (t < best) best = t;
        n = a->n;
        fr_analytics_free(a);
    }
    printf("snapshot: %zu events, %llu bytes, %.1f bytes/event (target <= 32)\n", n,
           (unsigned long long)bytes, (double)bytes / (double)(n ? n : 1));
    printf("map + check: %.4f s (best of 5)\n", best);
    /* NEW events written after the stamp, then the refresh a report pays */
    char prefix[32];
    snprintf(prefix, sizeof prefix, "NEW%ld", (long)time(NULL) % 100000);
    if (add_events(s, prefix, nnew, nnew / 2, 20089) != 0) return 1;
    if (fr_snapshot_read(path, &a, NULL, &err) != FR_OK) return 1;
    size_t added = 0;
    t0 = now();
    if (fr_analytics_refresh(a, s, &added, &err) != FR_OK) {
        fprintf(stderr, "bench_snapshot: %s\n", err.message);
        return 1;
    }
    fr_report_query q;
    fr_report_query_init(&q);
    fr_report *r = NULL;
    double trefresh = now() - t0;
    t0 = now();
    fr_analytics_flows(a, &q, &r, NULL); /* includes re-pairing the late ones */
    double trep = now() - t0;
    fr_report_free(r);
    printf("refresh with %zu new events, on the writer's connection (the new pages still in its "
           "write-ahead log): %.4f s (target < 0.050), then a flows report (re-pairing first) "
           "%.4f s\n",
           added, trefresh, trep);
    t0 = now();
    uint64_t wbytes = 0;
    int wrc = fr_snapshot_write(a, path, &wbytes, &err);
    printf("write (temporary file, fsync, rename): %.3f s, %llu bytes%s%s\n", now() - t0,
           (unsigned long long)wbytes, wrc ? ": " : "", wrc ? err.message : "");
    fr_date last = a->last;
    fr_analytics_free(a);
    if (wrc == FR_OK && refresh_new_process(&s, db, path, nnew) != 0) return 1;
    if (series_paths(s, path, last) != 0) {
        fprintf(stderr, "bench_snapshot: the alerts' series differ or could not be built\n");
        return 1;
    }
    fr_store_close(s);
    if (dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) return 1;
    }
    return 0;
}
