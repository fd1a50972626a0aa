/* SPDX-License-Identifier: MIT */
/* bench_paxlst.c: the PAXLST reader's throughput and the pre-arrival check
 * end to end.
 *
 * 1. Throughput: a generated D05B manifest of 90,000 persons (about 20 MB,
 *    no line ends) is tokenised (fr_paxlst_count_segments) and read
 *    (fr_paxlst_read), best of 5 in wall time and in thread CPU time;
 *    target 50 MB/s on one core. The same file
 *    is tokenised by the npm `edifact` parser (bench/node/edifact-tokenise.mjs,
 *    run with node when bench/node/node_modules holds it) in the same run,
 *    and the ratio printed.
 * 2. End to end: a 260-passenger D12B manifest IST -> UIO arriving
 *    2024-07-01 is read and every passenger checked (fr_manifest_check:
 *    policy data/policy/ecu.policy, stay and history from an empty SQLite
 *    ledger, screening against a generated list of ENTRIES names, default
 *    1,000,000); median and worst of RUNS runs (default 20), in wall time
 *    and in the thread's CPU time (what one core spends, whatever else the
 *    machine runs); target 50 ms.
 *
 * Usage: bench_paxlst [ENTRIES [RUNS]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unicode/uclean.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"
#include "frontera/policy.h"
#include "frontera/screen.h"
#include "frontera/store.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const SYL[] = {"KA", "LO", "MI", "RA", "SE", "TO", "NU", "VE",  "ZA", "LI",
                                  "HA", "MO", "RE", "SU", "DA", "PE", "WA", "CHE", "XI", "AN"};

static void gen_name(char *out, size_t cap, int syllables)
{
    size_t o = 0;
    for (int i = 0; i < syllables && o + 4 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s", SYL[rnd() % 20]);
    out[o] = '\0';
}

static const char *const NAT[] = {"CHN", "DEU", "USA", "COL", "PER", "ESP", "TUR", "GBR"};

/* A manifest of n passengers into buf; returns its length. */
static size_t gen_manifest(char *buf, size_t cap, size_t n, const char *version)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o,
                          "UNA:+.? 'UNB+UNOA:4+TK:ZZ+ECUAPI:ZZ+240630:2200+IC1++APIS'"
                          "UNH+M1+PAXLST:D:%s:UN:IATA'BGM+745'TDT+20+TK1801+++TK'LOC+125+IST'"
                          "DTM+189:2406302330:201'LOC+87+UIO'DTM+232:2407010730:201'",
                          version);
    long segs = 7; /* UNH BGM TDT LOC DTM LOC DTM */
    for (size_t i = 0; i < n && o + 512 < cap; i++) {
        char s[32], g[32];
        gen_name(s, sizeof s, 2 + (int)(rnd() % 2));
        gen_name(g, sizeof g, 2);
        const char *nat = NAT[rnd() % 8];
        o += (size_t)snprintf(buf + o, cap - o,
                              "NAD+FL+++%s:%s'ATT+2++%c'DTM+329:%02d%02d%02d'LOC+178+IST'"
                              "LOC+179+UIO'NAT+2+%s'DOC+P:110:111+X%08zu'DTM+36:%02d%02d15'"
                              "LOC+91+%s'",
                              s, g, rnd() % 2 ? 'M' : 'F', (int)(50 + rnd() % 49),
                              (int)(1 + rnd() % 12), (int)(1 + rnd() % 28), nat, i,
                              (int)(27 + rnd() % 8), (int)(1 + rnd() % 12), nat);
        segs += 9;
    }
    o += (size_t)snprintf(buf + o, cap - o, "CNT+42:%zu'UNT+%ld+M1'UNZ+1+IC1'", n, segs + 2);
    return o;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
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
    *len = (size_t)n;
    return b;
}

static double node_mb_s(const char *file)
{
    char cmd[1024];
    if (access(FR_SOURCE_DIR "/bench/node/node_modules/edifact/parser.js", R_OK) != 0) return -1;
    snprintf(cmd, sizeof cmd, "node %s/bench/node/edifact-tokenise.mjs %s 3 2>/dev/null",
             FR_SOURCE_DIR, file);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[512] = "";
    if (!fgets(line, sizeof line, p)) line[0] = '\0';
    pclose(p);
    const char *m = strstr(line, "\"mb_s\":");
    return m ? atof(m + 7) : -1;
}

static int throughput(void)
{
    size_t cap = 32u << 20;
    char *buf = malloc(cap);
    size_t len = gen_manifest(buf, cap, 90000, "05B");
    double best_tok = 1e9, best_read = 1e9, best_read_cpu = 1e9;
    long segs = 0;
    fr_paxlst_options opt = {0, 0, 0};
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        segs = fr_paxlst_count_segments(buf, len);
        double t1 = now(), c1 = cpu_now();
        fr_paxlst *p = NULL;
        if (fr_paxlst_read(buf, len, &opt, &p, NULL) != FR_OK || !p->messages[0].valid) {
            fprintf(stderr, "bench_paxlst: the generated manifest does not read cleanly\n");
            return 1;
        }
        double t2 = now(), c2 = cpu_now();
        fr_paxlst_free(p);
        if (c2 - c1 < best_read_cpu) best_read_cpu = c2 - c1;
        if (t1 - t0 < best_tok) best_tok = t1 - t0;
        if (t2 - t1 < best_read) best_read = t2 - t1;
    }
    double mb = (double)len / 1e6;
    printf("reader: %.1f MB, %ld segments, 90000 persons\n", mb, segs);
    printf("  tokenise (fr_paxlst_count_segments): %8.1f MB/s\n", mb / best_tok);
    printf("  read     (fr_paxlst_read, strict):   %8.1f MB/s   target 50 MB/s: ratio %.1fx\n",
           mb / best_read, mb / best_read / 50.0);
    printf("  read, by thread CPU time:             %8.1f MB/s   target 50 MB/s: ratio %.1fx\n",
           mb / best_read_cpu, mb / best_read_cpu / 50.0);
    char path[] = "/tmp/bench-paxlst-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        FILE *f = fdopen(fd, "wb");
        fwrite(buf, 1, len, f);
        fclose(f);
        double node = node_mb_s(path);
        if (node > 0)
            printf("  npm edifact tokenise (node, same file): %8.1f MB/s   C tokeniser / node: "
                   "%.1fx\n",
                   node, mb / best_tok / node);
        else
            printf("  npm edifact: not run (cd bench/node && npm ci, and node on PATH)\n");
        unlink(path);
    }
    free(buf);
    return 0;
}

static int end_to_end(size_t entries, int runs)
{
    /* the list */
    size_t cap = entries * 64 + 4096, len = 0;
    char *csv = malloc(cap);
    len += (size_t)snprintf(csv, cap,
                            "id,list,name,aliases,birth_date,nationality,documents,reason\n");
    for (size_t i = 0; i < entries; i++) {
        char s[32], g[32];
        gen_name(s, sizeof s, 2 + (int)(rnd() % 2));
        gen_name(g, sizeof g, 2);
        len += (size_t)snprintf(csv + len, cap - len, "E%zu,BENCH,\"%s %s\",,19%02d-%02d-%02d,,,\n",
                                i, g, s, (int)(40 + rnd() % 60), (int)(1 + rnd() % 12),
                                (int)(1 + rnd() % 28));
    }
    double t0 = now();
    fr_watchlist *wl = NULL;
    fr_error err;
    fr_watchlist_counts counts = {0, 0, 0};
    fr_watchlist_new(&wl);
    if (fr_watchlist_parse(wl, csv, len, FR_WATCHLIST_CSV, NULL, &counts) != FR_OK) {
        fprintf(stderr, "bench_paxlst: the generated list does not parse\n");
        return 1;
    }
    free(csv);
    fr_screen_index *idx = NULL;
    if (fr_screen_index_build(wl, &idx, &err) != FR_OK) {
        fprintf(stderr, "bench_paxlst: %s\n", err.message);
        return 1;
    }
    fr_screen_ctx *ctx = NULL;
    fr_screen_ctx_new(idx, NULL, &ctx, &err);
    double t_list = now() - t0;
    /* the policy and an empty ledger */
    size_t plen;
    char *ptext = slurp(FR_SOURCE_DIR "/data/policy/ecu.policy", &plen);
    fr_policy *policy = NULL;
    size_t nerr;
    if (!ptext || fr_policy_parse(ptext, plen, &policy, NULL, 0, &nerr) != FR_OK) {
        fprintf(stderr, "bench_paxlst: cannot load data/policy/ecu.policy\n");
        return 1;
    }
    char dir[] = "/tmp/bench-paxlst-db-XXXXXX", db[256];
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    fr_store *store = NULL;
    if (fr_store_open(db, FR_STORE_CREATE, &store, &err) != FR_OK) {
        fprintf(stderr, "bench_paxlst: %s\n", err.message);
        return 1;
    }
    fr_booth_env env = {policy, store, ctx, 1, NULL};
    char *man = malloc(1 << 20);
    size_t mlen = gen_manifest(man, 1 << 20, 260, "12B");
    double *t = malloc((size_t)runs * sizeof *t), *tc = malloc((size_t)runs * sizeof *tc);
    size_t answers[3] = {0, 0, 0};
    for (int r = 0; r < runs; r++) {
        double a = now(), ac = cpu_now();
        fr_paxlst *p = NULL;
        fr_manifest_verdict *v = NULL;
        if (fr_paxlst_read(man, mlen, NULL, &p, NULL) != FR_OK || p->messages[0].npersons != 260 ||
            fr_manifest_check(&env, &p->messages[0], "ECUIO", &v, &err) != FR_OK) {
            fprintf(stderr, "bench_paxlst: the 260-passenger check failed\n");
            return 1;
        }
        t[r] = (now() - a) * 1000.0;
        tc[r] = (cpu_now() - ac) * 1000.0;
        if (r == 0)
            for (size_t i = 0; i < 260; i++)
                answers[v[i].answer]++;
        fr_free(v);
        fr_paxlst_free(p);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_d);
    qsort(tc, (size_t)runs, sizeof tc[0], cmp_d);
    printf("end to end: 260 passengers, list of %zu entries (generated, parsed and indexed in "
           "%.1f s), empty ledger\n",
           counts.accepted, t_list);
    printf("  answers: board %zu, no-board %zu, check %zu\n", answers[0], answers[1], answers[2]);
    printf(
        "  read + check, wall: median %.1f ms, worst %.1f ms of %d   target 50 ms: ratio %.2fx\n",
        t[runs / 2], t[runs - 1], runs, 50.0 / t[runs / 2]);
    printf(
        "  read + check, CPU:  median %.1f ms, worst %.1f ms of %d   target 50 ms: ratio %.2fx\n",
        tc[runs / 2], tc[runs - 1], runs, 50.0 / tc[runs / 2]);
    free(t);
    free(tc);
    free(man);
    free(ptext);
    fr_store_close(store);
    unlink(db);
    rmdir(dir);
    fr_policy_free(policy);
    fr_screen_ctx_free(ctx);
    fr_screen_index_free(idx);
    fr_watchlist_free(wl);
    u_cleanup();
    return 0;
}

int main(int argc, char **argv)
{
    size_t entries = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
    if (runs < 1 || runs > 100000) {
        fprintf(stderr, "usage: bench_paxlst [ENTRIES [RUNS (1..100000)]]\n");
        return 2;
    }
    if (throughput()) return 1;
    return end_to_end(entries, (int)runs);
}
