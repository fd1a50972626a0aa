/* SPDX-License-Identifier: MIT */
/* bench_reports.c: the flow and overstay reports at 1 and 10 million events,
 * in frontera's analytics index and as SQL in SQLite, PostgreSQL and DuckDB,
 * with a check that all four give identical numbers.
 *
 * The ledger is `frontera synth --scenario ecuador-2024 --seed 1` scaled to
 * the size (the generator is called in-process, its events kept in memory).
 * frontera: the events are appended to an index (timed: "build"), then each
 * report runs REPS times (best time kept; one thread):
 *   flows      2022-01-01..2024-12-31 by nationality, port, month
 *   overstays  2023-01-01..2024-06-30 as of 2024-12-31 by nationality
 * The same events (with the index's traveller numbers) are written as CSV
 * and scripts/bench-reports.sh loads them into each engine and runs
 * bench/sql/<report>.<engine>.sql (see bench/sql/README.md); it writes each
 * engine's rows and times in the work directory, which this program compares
 * with frontera's and prints as a table with ratios (engine / frontera).
 *
 * Usage: bench_reports [--quick] [--events N] [--keep] [--frontera-only]
 * (default 1M and 10M; --quick: 1M only, also FR_BENCH_QUICK=1; --keep: keep
 * the work directory; --frontera-only: no SQL engines). Needs sqlite3, PostgreSQL 15 in
 * /usr/lib/postgresql/15/bin, node (bench/node installs @duckdb/node-api). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analytics_internal.h"
#include "frontera/analytics.h"
#include "frontera/country.h"
#include "frontera/synth.h"

#define REPS 5

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct {
    fr_analytics_event *ev;
    size_t n, cap;
} capture;

static int sink(const fr_synth_event *e, void *ud)
{
    capture *c = ud;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 1 << 20;
        fr_analytics_event *p = realloc(c->ev, nc * sizeof *p);
        if (!p) return FR_ENOMEM;
        c->ev = p;
        c->cap = nc;
    }
    fr_document doc;
    memset(&doc, 0, sizeof doc);
    snprintf(doc.state, sizeof doc.state, "%s", e->document_state);
    snprintf(doc.number, sizeof doc.number, "%s", e->document_number);
    snprintf(doc.nationality, sizeof doc.nationality, "%s", e->nationality);
    snprintf(doc.surname, sizeof doc.surname, "%s", e->surname);
    snprintf(doc.given_names, sizeof doc.given_names, "%s", e->given_names);
    doc.birth_date = e->birth_date;
    /* port, nationality and class point into the generator's static tables */
    c->ev[c->n++] = (fr_analytics_event){.kind = fr_event_kind_parse(e->kind, strlen(e->kind)),
                                         .date = e->at.date,
                                         .at_utc = fr_datetime_utc(&e->at),
                                         .port = e->port,
                                         .nationality = e->nationality,
                                         .admission_class = e->admission_class,
                                         .authorised_until = e->authorised_until,
                                         .traveller = fr_analytics_person_key(&doc)};
    return FR_OK;
}

static fr_date D(const char *s)
{
    fr_date d;
    fr_error err;
    return fr_date_parse_cstr(s, &d, &err) == FR_OK ? d : FR_DATE_NONE;
}

static int write_events(const fr_analytics *a, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fprintf(f, "seq,trav,kind,d,t,port,nat,cls,until\n");
    for (size_t i = 0; i < a->n; i++) {
        char d[FR_DATE_BUFSZ], u[FR_DATE_BUFSZ] = "";
        uint32_t at = a->attr[i];
        unsigned nat = FR_AN_NAT(at);
        fr_date_format(a->date[i], d);
        if (a->until[i] != FR_AN_NONE16) fr_date_format(a->date[i] + a->until[i], u);
        fprintf(f, "%zu,%u,%u,%s,%u,%s,%s,%s,%s\n", i, a->trav[i], FR_AN_KIND(at), d, a->utc[i],
                a->ports[FR_AN_PORT(at)], nat ? fr_country_code((int)nat - 1) : "",
                a->classes[FR_AN_CLASS(at)], u);
    }
    return fclose(f);
}

/* Write a report's rows as CSV without header: labels, then values. */
static int write_report(const fr_report *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t k = 0; k < r->nkeys; k++)
            fprintf(f, "%s,", r->labels[k][r->rows[i].key[k]]);
        for (size_t v = 0; v < r->nvalues; v++)
            fprintf(f, "%lld%s", (long long)r->rows[i].v[v], v + 1 < r->nvalues ? "," : "\n");
    }
    return fclose(f);
}

static double run_report(fr_analytics *a, int ovs, fr_report **keep)
{
    fr_report_query q;
    fr_report_query_init(&q);
    if (ovs) {
        q.from = D("2023-01-01");
        q.to = D("2024-06-30");
        q.as_of = D("2024-12-31");
        q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
    } else {
        q.from = D("2022-01-01");
        q.to = D("2024-12-31");
        q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
        q.keys[q.nkeys++] = FR_KEY_PORT;
        q.keys[q.nkeys++] = FR_KEY_MONTH;
    }
    double best = 1e30;
    for (int i = 0; i < REPS; i++) {
        fr_report *r = NULL;
        fr_error err;
        double t0 = now();
        int rc =
            ovs ? fr_analytics_overstays(a, &q, &r, &err) : fr_analytics_flows(a, &q, &r, &err);
        double t = now() - t0;
        if (rc != FR_OK) {
            fprintf(stderr, "bench_reports: %s\n", err.message);
            exit(1);
        }
        if (t < best) best = t;
        if (i == REPS - 1)
            *keep = r;
        else
            fr_report_free(r);
    }
    return best;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) b[n] = '\0';
    *len = (size_t)n;
    return b;
}

/* Engine times from times.txt ("engine what seconds"); -1 when missing. */
static double engine_time(const char *dir, const char *engine, const char *what)
{
    char path[512], e[32], w[32];
    double s, found = -1;
    snprintf(path, sizeof path, "%s/times.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fscanf(f, "%31s %31s %lf", e, w, &s) == 3)
        if (strcmp(e, engine) == 0 && strcmp(w, what) == 0) found = s;
    fclose(f);
    return found;
}

/* "identical", "DIFFERENT" or "missing": engine's sorted rows vs frontera's. */
static const char *same(const char *dir, const char *engine, const char *report)
{
    char p1[512], p2[512];
    size_t n1, n2;
    snprintf(p1, sizeof p1, "%s/frontera_%s.sorted", dir, report);
    snprintf(p2, sizeof p2, "%s/%s_%s.sorted", dir, engine, report);
    char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    const char *res = !a || !b                            ? "missing"
                      : n1 == n2 && memcmp(a, b, n1) == 0 ? "identical"
                                                          : "DIFFERENT";
    free(a);
    free(b);
    return res;
}

static int g_frontera_only;

static int bench(size_t target, const char *dir, int *mismatch)
{
    capture c = {0};
    fr_synth_options opt = {"ecuador-2024", 1, (double)target / 6.6e6};
    fr_synth_stats ss;
    fr_error err;
    if (opt.scale > 100) opt.scale = 100;
    double t0 = now();
    if (fr_synth_run(&opt, sink, &c, &ss, &err) != FR_OK) {
        fprintf(stderr, "bench_reports: synth: %s\n", err.message);
        return 1;
    }
    double tgen = now() - t0;
    fr_analytics *a = NULL;
    if (fr_analytics_new(&a) != FR_OK) return 1;
    t0 = now();
    for (size_t i = 0; i < c.n; i++)
        if (fr_analytics_append(a, &c.ev[i], &err) != FR_OK) {
            fprintf(stderr, "bench_reports: append: %s\n", err.message);
            return 1;
        }
    fr_analytics_compact(a);
    double tbuild = now() - t0;
    free(c.ev);
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st);
    printf("\n-- %zu events (synth ecuador-2024 seed 1 scale %.3f, generated in %.1f s), %zu "
           "travellers\n",
           st.events, opt.scale, tgen, st.travellers);
    printf("frontera index: %zu bytes = %.1f bytes/event (%zu in per-event columns + %.1f per "
           "event for travellers); built in %.3f s (%.0f ns/event)\n",
           st.bytes, (double)st.bytes / (double)st.events, st.event_bytes,
           (double)st.bytes / (double)st.events - (double)st.event_bytes, tbuild,
           tbuild * 1e9 / (double)st.events);
    fr_report *rf = NULL, *ro = NULL;
    double tf = run_report(a, 0, &rf), to = run_report(a, 1, &ro);
    char path[512];
    snprintf(path, sizeof path, "%s/frontera_flows.csv", dir);
    write_report(rf, path);
    snprintf(path, sizeof path, "%s/frontera_overstays.csv", dir);
    write_report(ro, path);
    for (size_t i = 0; i < ro->nrows; i++)
        if (strcmp(ro->labels[0][ro->rows[i].key[0]], "CHN") == 0)
            printf("overstays CHN: expected %lld, in time %lld, left late %lld, not left %lld "
                   "(DHS rate %.1f%%); crude: entries %lld exits %lld (%.1f%%)\n",
                   (long long)ro->rows[i].v[0], (long long)ro->rows[i].v[1],
                   (long long)ro->rows[i].v[2], (long long)ro->rows[i].v[3],
                   100 * fr_report_overstay_rate(&ro->rows[i]), (long long)ro->rows[i].v[4],
                   (long long)ro->rows[i].v[5], 100 * fr_report_crude_rate(&ro->rows[i]));
    fr_report_free(rf);
    fr_report_free(ro);
    snprintf(path, sizeof path, "%s/events.csv", dir);
    t0 = now();
    if (write_events(a, path) != 0) {
        fprintf(stderr, "bench_reports: cannot write %s\n", path);
        return 1;
    }
    fr_analytics_free(a);
    fflush(stdout);
    if (g_frontera_only) {
        printf("frontera: flows %.4f s, overstays %.4f s\n", tf, to);
        return 0;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "bash '%s/scripts/bench-reports.sh' '%s' %d", FR_SOURCE_DIR, dir, 3);
    double tscript = now();
    if (system(cmd) != 0) fprintf(stderr, "bench_reports: scripts/bench-reports.sh failed\n");
    tscript = now() - tscript;
    printf("%-9s %10s %10s %8s %10s %8s %10s %10s\n", "engine", "load s", "flows s", "x",
           "overstay s", "x", "flows", "overstays");
    printf("%-9s %10.3f %10.4f %8s %10.4f %8s %10s %10s\n", "frontera", tbuild, tf, "1", to, "1",
           "-", "-");
    static const char *const ENGINES[] = {"duckdb", "sqlite", "postgres"};
    for (int e = 0; e < 3; e++) {
        double l = engine_time(dir, ENGINES[e], "load"), f = engine_time(dir, ENGINES[e], "flows"),
               o = engine_time(dir, ENGINES[e], "overstays");
        const char *sf = same(dir, ENGINES[e], "flows"), *so = same(dir, ENGINES[e], "overstays");
        if (strcmp(sf, "identical") || strcmp(so, "identical")) *mismatch = 1;
        if (l < 0 || f < 0 || o < 0) { /* skipped or failed: the script said why */
            printf("%-9s %10s %10s %8s %10s %8s %10s %10s\n", ENGINES[e], "-", "-", "-", "-", "-",
                   sf, so);
            continue;
        }
        printf("%-9s %10.3f %10.4f %8.1f %10.4f %8.1f %10s %10s\n", ENGINES[e], l, f, f / tf, o,
               o / to, sf, so);
    }
    /* DuckDB with the pairing materialised first, as frontera's index keeps it */
    double pl = engine_time(dir, "duckdb-paired", "pairing"),
           po = engine_time(dir, "duckdb-paired", "overstays");
    const char *sp = same(dir, "duckdb-paired", "overstays");
    if (strcmp(sp, "identical")) *mismatch = 1;
    if (pl >= 0 && po >= 0)
        printf("%-9s %10.3f %10s %8s %10.4f %8.1f %10s %10s   (load = pairing table only)\n",
               "duckdb+p", pl, "-", "-", po, po / to, "-", sp);
    printf("(x = engine time / frontera time, best of %d for frontera, of 3 for the engines; "
           "frontera one thread, engines as many as they take; loads include indexes; "
           "engines' side took %.0f s)\n",
           REPS, tscript);
    double xd = engine_time(dir, "duckdb", "overstays") / to,
           xs = engine_time(dir, "sqlite", "overstays") / to,
           bpe = (double)st.bytes / (double)st.events;
    printf("targets (overstays): >= 2x DuckDB: %s (%.1fx); >= 20x SQLite: %s (%.1fx); "
           /* a missing engine shows as a negative ratio: NOT MET */
           "<= 32 bytes/event: %s (%.1f)\n",
           xd >= 2 ? "met" : "NOT MET", xd, xs >= 20 ? "met" : "NOT MET", xs,
           bpe <= 32 ? "met" : "NOT MET", bpe);
    double ld = engine_time(dir, "duckdb", "load"), od = engine_time(dir, "duckdb", "overstays");
    printf("end to end, load then the overstay report: frontera %.3f s (index built from events in "
           "memory), DuckDB %.3f s (table loaded by parsing the CSV) (x %.1f)\n",
           tbuild + to, ld + od, (ld + od) / (tbuild + to));
    return 0;
}

int main(int argc, char **argv)
{
    size_t sizes[2] = {1000000, 10000000}, nsizes = 2;
    int keep = 0, mismatch = 0;
    const char *q = getenv("FR_BENCH_QUICK");
    if (q && q[0] == '1') nsizes = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            nsizes = 1;
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--frontera-only") == 0)
            g_frontera_only = 1;
        else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc) {
            sizes[0] = (size_t)strtoull(argv[++i], NULL, 10);
            nsizes = 1;
        } else {
            fprintf(stderr,
                    "usage: bench_reports [--quick] [--events N] [--keep] [--frontera-only]\n");
            return 2;
        }
    }
    printf("bench_reports: flows (2022..2024 by nationality, port, month) and overstays "
           "(2023-01..2024-06 as of 2024-12-31 by nationality)\n");
    for (size_t s = 0; s < nsizes; s++) {
        char dir[] = "/tmp/frontera-bench-reports-XXXXXX";
        if (!mkdtemp(dir)) return 1;
        int rc = bench(sizes[s], dir, &mismatch);
        if (!keep) {
            char cmd[128];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
            if (system(cmd) != 0) fprintf(stderr, "bench_reports: cannot remove %s\n", dir);
        } else {
            printf("(kept %s)\n", dir);
        }
        if (rc) return rc;
    }
    if (mismatch) printf("bench_reports: SOME ENGINES DISAGREE with frontera (see above)\n");
    return mismatch;
}
