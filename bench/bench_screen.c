/* SPDX-License-Identifier: MIT */
/* bench_screen.c: screening at scale. Generates a 1 million entry watchlist
 * with realistic name frequencies (the shared common surname and forename
 * tables by country: Zipf weights by rank, more people from the most
 * populous countries; Arabic names built from given names with patronymics
 * and AL-), then measures: watchlist parse, save and load time, index build
 * time, index memory per entry (counted by the allocation hook), screening
 * latency p50/p99 on one core and recall for listed persons queried with a
 * variant (typo, swapped order, dropped middle name, romanisation), manifest
 * throughput, and the false-alarm load: 100,000 generated innocent
 * travellers (common names, random birth dates) -> alerts per 1,000.
 *
 * Usage: bench_screen [ENTRIES] [--export DIR]   (default 1000000; --export
 * writes list.csv and queries.csv for scripts/bench-screen-pg.sh, which runs
 * the same list and queries through PostgreSQL pg_trgm). With
 * BENCH_SCREEN_VERBOSE set it prints missed listed persons and the first
 * innocent alerts with their explanations on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/uclean.h>

#include "frontera/alloc.h"
#include "frontera/csv.h"
#include "frontera/screen.h"

#define MAXN 4096

typedef struct pool {
    char *name[MAXN];
    double cum[MAXN];
    int n;
} pool;

typedef struct country {
    char code[3];
    pool sur, giv;
    double weight;
    int arabic;
} country;

static country C[128];
static int NC;
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static size_t live_bytes, peak_bytes;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double rndf(void)
{
    return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* counting allocator: a size header before each block */
static void *cm(size_t n, void *ud)
{
    (void)ud;
    size_t *p = malloc(n + 16);
    if (!p) return NULL;
    p[0] = n;
    live_bytes += n;
    if (live_bytes > peak_bytes) peak_bytes = live_bytes;
    return (char *)p + 16;
}
static void cf(void *q, void *ud)
{
    (void)ud;
    if (!q) return;
    size_t *p = (size_t *)((char *)q - 16);
    live_bytes -= p[0];
    free(p);
}
static void *cr(void *q, size_t n, void *ud)
{
    if (!q) return cm(n, ud);
    size_t *p = (size_t *)((char *)q - 16);
    size_t old = p[0];
    size_t *np = realloc(p, n + 16);
    if (!np) return NULL;
    np[0] = n;
    live_bytes = live_bytes - old + n;
    if (live_bytes > peak_bytes) peak_bytes = live_bytes;
    return (char *)np + 16;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static country *find_country(const char *code, int create)
{
    for (int i = 0; i < NC; i++)
        if (strcmp(C[i].code, code) == 0) return &C[i];
    if (!create || NC == 128) return NULL;
    memset(&C[NC], 0, sizeof C[NC]);
    memcpy(C[NC].code, code, 2);
    return &C[NC++];
}

static void pool_add(pool *p, const char *s)
{
    if (p->n >= MAXN || !*s) return;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->name[i], s) == 0) return;
    p->name[p->n] = strdup(s);
    double w = 1.0 / (p->n + 1); /* Zipf by rank */
    p->cum[p->n] = (p->n ? p->cum[p->n - 1] : 0) + w;
    p->n++;
}

static const char *pick(const pool *p)
{
    double x = rndf() * p->cum[p->n - 1];
    int lo = 0, hi = p->n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (p->cum[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p->name[lo];
}

static int load_names(const char *path, int country_col, int name_col, int surnames)
{
    size_t len;
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char *buf = malloc(4 << 20);
    len = fread(buf, 1, (4 << 20) - 1, f);
    fclose(f);
    fr_csv *csv;
    fr_csv_row row;
    fr_error err;
    if (fr_csv_new_mem(buf, len, NULL, &csv) != FR_OK) return -1;
    fr_csv_next(csv, &row, &err); /* header */
    while (fr_csv_next(csv, &row, &err) > 0) {
        if ((int)row.count <= name_col || row.fields[country_col].len != 2) continue;
        country *c = find_country(row.fields[country_col].ptr, 1);
        if (!c) continue;
        pool_add(surnames ? &c->sur : &c->giv, row.fields[name_col].ptr);
    }
    fr_csv_free(csv);
    free(buf);
    return 0;
}

static const char *ARAB[] = {"EG", "SA", "IQ", "JO", "MA", "DZ",
                             "AE", "KW", "LB", "LY", "TN", "PK"};

static void setup_countries(void)
{
    static const struct {
        const char *c;
        double w;
    } W[] = {{"CN", 18}, {"IN", 14},  {"US", 5},   {"RU", 4},   {"MX", 3},   {"KR", 2},
             {"EG", 3},  {"SA", 1.5}, {"IQ", 1.5}, {"PK", 4},   {"PH", 2},   {"VN", 2},
             {"JP", 2},  {"TR", 2},   {"DE", 1.5}, {"FR", 1.5}, {"GB", 1.5}, {"ES", 1.2},
             {"BR", 3},  {"CO", 1},   {"MA", 1},   {"DZ", 1}};
    for (int i = 0; i < NC; i++) {
        C[i].weight = 0.5;
        for (size_t k = 0; k < sizeof ARAB / sizeof *ARAB; k++)
            if (strcmp(C[i].code, ARAB[k]) == 0) C[i].arabic = 1;
        for (size_t k = 0; k < sizeof W / sizeof *W; k++)
            if (strcmp(C[i].code, W[k].c) == 0) C[i].weight = W[k].w;
        if (C[i].giv.n == 0 || (C[i].sur.n == 0 && !C[i].arabic)) C[i].weight = 0;
        if (C[i].arabic) { /* Arabic naming: common given names lead, as in life */
            pool_add(&C[i].giv, "Mohammed");
            pool_add(&C[i].giv, "Ahmed");
            pool_add(&C[i].giv, "Ali");
        }
    }
}

static country *pick_country(void)
{
    double tot = 0;
    for (int i = 0; i < NC; i++)
        tot += C[i].weight;
    double x = rndf() * tot;
    for (int i = 0; i < NC; i++) {
        x -= C[i].weight;
        if (x <= 0 && C[i].weight > 0) return &C[i];
    }
    return &C[0];
}

/* "SURNAME, Given [Given2]" */
static void gen_name(char *out, size_t cap)
{
    country *c = pick_country();
    if (c->arabic) {
        const char *fam = pick(&c->giv);
        snprintf(out, cap, "%s%s, %s %s", rndf() < 0.4 ? "AL-" : "", fam, pick(&c->giv),
                 pick(&c->giv));
    } else if (rndf() < 0.3) {
        snprintf(out, cap, "%s, %s %s", pick(&c->sur), pick(&c->giv), pick(&c->giv));
    } else {
        snprintf(out, cap, "%s, %s", pick(&c->sur), pick(&c->giv));
    }
}

static void gen_date(char *out, size_t cap)
{
    snprintf(out, cap, "%04d-%02d-%02d", 1940 + (int)(rnd() % 66), 1 + (int)(rnd() % 12),
             1 + (int)(rnd() % 28));
}

/* a variant of a listed name: swap, typo, drop a token, case */
static void variant(const char *in, char *out, size_t cap)
{
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%.150s", in);
    int kind = (int)(rnd() % 4);
    char *comma = strchr(tmp, ',');
    if (kind == 0 && comma) {
        *comma = '\0';
        snprintf(out, cap, "%s %s", comma + 2, tmp);
        return;
    }
    if (kind == 1) {
        size_t n = strlen(tmp);
        size_t p = n > 6 ? 2 + rnd() % (n - 4) : 1;
        if (tmp[p] >= 'a' && tmp[p] <= 'z') tmp[p] = (char)('a' + (tmp[p] - 'a' + 1) % 26);
        snprintf(out, cap, "%s", tmp);
        return;
    }
    if (kind == 2 && comma) {
        char *sp = strrchr(comma + 2, ' ');
        if (sp) *sp = '\0';
    }
    snprintf(out, cap, "%s", tmp);
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t N = 1000000;
    const char *export_dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
            export_dir = argv[++i];
        else
            N = (size_t)strtoull(argv[i], NULL, 10);
    }
    fr_allocator a = {cm, cr, cf, NULL};
    fr_set_allocator(&a);
    if (load_names(FR_SOURCE_DIR "/../shared/data/names/common-surnames-by-country.csv", 0, 5, 1) ||
        load_names(FR_SOURCE_DIR "/../shared/data/names/common-forenames-by-country.csv", 0, 11,
                   0)) {
        fprintf(stderr, "bench_screen: cannot read the shared name tables\n");
        return 1;
    }
    setup_countries();
    /* the list as CSV text */
    size_t cap = N * 96 + 4096, len = 0;
    char *csv = malloc(cap);
    char **names = malloc(N * sizeof *names);
    char(*dobs)[11] = malloc(N * 11);
    len += (size_t)snprintf(csv, cap,
                            "id,list,name,aliases,birth_date,nationality,documents,reason\n");
    for (size_t i = 0; i < N; i++) {
        char nm[160], d[16];
        gen_name(nm, sizeof nm);
        gen_date(d, sizeof d);
        names[i] = strdup(nm);
        memcpy(dobs[i], d, 11);
        len += (size_t)snprintf(csv + len, cap - len, "E%zu,BENCH,\"%s\",,%s,,,\n", i, nm, d);
    }
    double t0 = now();
    fr_watchlist *wl;
    fr_watchlist_counts counts;
    fr_watchlist_new(&wl);
    if (fr_watchlist_parse(wl, csv, len, FR_WATCHLIST_CSV, NULL, &counts) != FR_OK ||
        counts.rejected) {
        fprintf(stderr, "bench_screen: parse failed (%zu rejected)\n", counts.rejected);
        return 1;
    }
    double t_parse = now() - t0;
    fr_error err;
    char path[] = "/tmp/bench-screen-XXXXXX";
    if (!mkdtemp(path)) return 1;
    char file[256];
    snprintf(file, sizeof file, "%s/BENCH.wl.csv", path);
    t0 = now();
    fr_watchlist_save(wl, NULL, file, &err);
    double t_save = now() - t0;
    fr_watchlist_free(wl);
    size_t base = live_bytes;
    t0 = now();
    fr_watchlist_new(&wl);
    size_t rej = 0;
    fr_watchlist_load_dir(wl, path, &rej, &err);
    double t_load = now() - t0;
    size_t wl_bytes = live_bytes - base;
    t0 = now();
    fr_screen_index *idx;
    if (fr_screen_index_build(wl, &idx, &err) != FR_OK) {
        fprintf(stderr, "bench_screen: %s\n", err.message);
        return 1;
    }
    double t_build = now() - t0;
    size_t idx_bytes = live_bytes - base - wl_bytes;
    fr_screen_ctx *ctx;
    fr_screen_ctx_new(idx, NULL, &ctx, &err);
    /* queries: half listed persons with a variant, half innocent */
    enum { Q = 20000 };
    static double lat[Q], cpu[Q]; /* wall and on-CPU microseconds per query */
    static char qn[Q][192];
    static char qd[Q][11];
    static long qe[Q];
    for (int i = 0; i < Q; i++) {
        if (i % 2 == 0) {
            size_t e = rnd() % N;
            variant(names[e], qn[i], sizeof qn[i]);
            memcpy(qd[i], dobs[e], 11);
            qe[i] = (long)e;
        } else {
            gen_name(qn[i], sizeof qn[i]);
            gen_date(qd[i], sizeof qd[i]);
            qe[i] = -1;
        }
    }
    if (export_dir) {
        char p2[512];
        snprintf(p2, sizeof p2, "%s/list.csv", export_dir);
        FILE *f = fopen(p2, "w");
        if (f) {
            fwrite(csv, 1, len, f);
            fclose(f);
        }
        snprintf(p2, sizeof p2, "%s/queries.csv", export_dir);
        f = fopen(p2, "w");
        if (f) {
            fprintf(f, "q,name,expect\n");
            for (int i = 0; i < Q; i++)
                fprintf(f, "%d,\"%s\",%s%ld\n", i, qn[i], qe[i] >= 0 ? "E" : "", qe[i]);
            fclose(f);
        }
    }
    int found = 0, listed = 0, found_noddob = 0;
    fr_screen_result res[5];
    size_t n;
    for (int i = 0; i < Q; i++) {
        fr_screen_query q = {.name = qn[i], .nationality = -1};
        fr_screen_parse_birth(qd[i], 10, &q.birth_lo, &q.birth_hi, NULL);
        double s = now(), sc = cpu_now();
        fr_screen_person(ctx, &q, res, 5, &n);
        lat[i] = (now() - s) * 1e6;
        cpu[i] = (cpu_now() - sc) * 1e6;
        if (getenv("BENCH_SCREEN_SLOW") && cpu[i] > atof(getenv("BENCH_SCREEN_SLOW")))
            fprintf(stderr, "SLOW %.0f us on CPU: %s %s (%zu results)\n", cpu[i], qn[i], qd[i], n);
        if (qe[i] >= 0) {
            listed++;
            char id[32];
            snprintf(id, sizeof id, "E%ld", qe[i]);
            int f = 0;
            for (size_t k = 0; k < n; k++)
                if (res[k].band >= FR_BAND_POSSIBLE && strcmp(res[k].id, id) == 0) f = 1;
            found += f;
            if (!f && getenv("BENCH_SCREEN_VERBOSE") && listed - found < 25)
                fprintf(stderr, "missed %s (%s %s) -> %s %.3f %s\n", qn[i], id, names[qe[i]],
                        n ? res[0].id : "-", n ? res[0].score : 0, n ? res[0].explanation : "");
            q.birth_lo = q.birth_hi = FR_DATE_NONE;
            fr_screen_person(ctx, &q, res, 5, &n);
            for (size_t k = 0; k < n; k++)
                if (res[k].band >= FR_BAND_POSSIBLE && strcmp(res[k].id, id) == 0) found_noddob++;
        }
    }
    qsort(lat, Q, sizeof *lat, cmpd);
    qsort(cpu, Q, sizeof *cpu, cmpd);
    /* manifest throughput: all queries back to back */
    t0 = now();
    for (int i = 0; i < Q; i++) {
        fr_screen_query q = {.name = qn[i], .nationality = -1};
        fr_screen_parse_birth(qd[i], 10, &q.birth_lo, &q.birth_hi, NULL);
        fr_screen_person(ctx, &q, res, 5, &n);
    }
    double t_manifest = now() - t0;
    /* false alarms: innocent travellers */
    enum { INNOCENT = 100000 };
    int alerts = 0, alerts_nodob = 0, hits = 0;
    rng = 0x1234567887654321ULL;
    for (int i = 0; i < INNOCENT; i++) {
        char nm[192], d[16];
        gen_name(nm, sizeof nm);
        gen_date(d, sizeof d);
        fr_screen_query q = {.name = nm, .nationality = -1};
        fr_screen_parse_birth(d, 10, &q.birth_lo, &q.birth_hi, NULL);
        fr_screen_person(ctx, &q, res, 1, &n);
        alerts += n && res[0].band >= FR_BAND_POSSIBLE;
        hits += n && res[0].band == FR_BAND_HIT;
        if (getenv("BENCH_SCREEN_VERBOSE") && n && res[0].band >= FR_BAND_POSSIBLE && alerts < 15)
            fprintf(stderr, "innocent %s %s -> %s %.3f %s\n", nm, d, res[0].id, res[0].score,
                    res[0].explanation);
        if (i < 20000) {
            q.birth_lo = q.birth_hi = FR_DATE_NONE;
            fr_screen_person(ctx, &q, res, 1, &n);
            alerts_nodob += n && res[0].band >= FR_BAND_POSSIBLE;
        }
    }
    fr_screen_index_stats st;
    fr_screen_index_get_stats(idx, &st);
    printf(
        "bench_screen: %zu entries (%zu names, %zu distinct tokens, %zu keys); command: %s %zu\n",
        N, st.names, st.tokens, st.keys, argv[0], N);
    printf("  parse CSV            %8.3f s\n", t_parse);
    printf("  save (fsync, rename) %8.3f s\n", t_save);
    printf("  load list file       %8.3f s\n", t_load);
    printf("  build index          %8.3f s\n", t_build);
    printf("  memory: watchlist %.1f B/entry, index %.1f B/entry (allocator count; index "
           "self-report %.1f)\n",
           (double)wl_bytes / N, (double)idx_bytes / N, (double)st.bytes / N);
    printf("  latency (1 core, %d queries, with birth date): p50 %.1f us, p90 %.1f us, p99 %.1f "
           "us, max %.1f us\n",
           Q, lat[Q / 2], lat[Q * 9 / 10], lat[Q * 99 / 100], lat[Q - 1]);
    /* the thread's CPU time leaves out the time the query waited for a core
     * (the machine is shared): the query's own cost */
    printf("  latency on CPU (same queries): p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us\n",
           cpu[Q / 2], cpu[Q * 9 / 10], cpu[Q * 99 / 100], cpu[Q - 1]);
    printf("  manifest throughput  %.0f travellers/s\n", Q / t_manifest);
    printf("  recall of listed persons queried with a variant at >= possible: %.4f with birth "
           "date, %.4f without\n",
           (double)found / listed, (double)found_noddob / listed);
    printf("  false alarms, %d innocent travellers: %.2f alerts per 1000 (hits %.2f per 1000) with "
           "birth date;"
           " %.2f per 1000 without birth date (20000)\n",
           INNOCENT, alerts * 1000.0 / INNOCENT, hits * 1000.0 / INNOCENT,
           alerts_nodob * 1000.0 / 20000);
    fr_screen_ctx_free(ctx);
    fr_screen_index_free(idx);
    fr_watchlist_free(wl);
    remove(file);
    remove(path);
    for (size_t i = 0; i < N; i++)
        free(names[i]);
    free(names);
    free(dobs);
    free(csv);
    u_cleanup();
    return 0;
}
