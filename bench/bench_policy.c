/* SPDX-License-Identifier: MIT */
/* bench_policy.c: policy lookups per second on data/policy/ecu.policy, the
 * precomputed per-nationality table (fr_policy_lookup) against a scan of
 * every rule (fr__policy_lookup_scan), on the same random questions
 * (nationality, class visitor, a day in 2015..2026). One core. Also the
 * time to load and compile the policy. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "frontera/country.h"
#include "frontera/policy.h"
#include "policy_internal.h"

#define NQ 4096
#define ROUNDS 4000

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return s;
}

int main(void)
{
    size_t len;
    char *text = slurp(FR_SOURCE_DIR "/data/policy/ecu.policy", &len);
    if (!text) {
        fprintf(stderr, "bench_policy: cannot read data/policy/ecu.policy\n");
        return 1;
    }
    fr_policy *p = NULL;
    double t0 = now();
    int loads = 50;
    for (int i = 0; i < loads; i++) {
        fr_policy_free(p);
        p = NULL;
        if (fr_policy_parse(text, len, &p, NULL, 0, NULL) != FR_OK) {
            fprintf(stderr, "bench_policy: ecu.policy does not load\n");
            return 1;
        }
    }
    double load_ms = (now() - t0) / loads * 1e3;
    static int qc[NQ];
    static fr_date qd[NQ];
    uint64_t x = 0x2545F4914F6CDD1Du;
    for (int i = 0; i < NQ; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        qc[i] = (int)(x % (uint64_t)fr_country_count());
        qd[i] = 16436 + (fr_date)((x >> 32) % 4380); /* 2015-01-01 .. 2026-12-31 */
    }
    uintptr_t sink = 0;
    t0 = now();
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < NQ; i++)
            sink += (uintptr_t)fr_policy_lookup(p, qc[i], FR_CLASS_VISITOR, qd[i]);
    double fast = (double)ROUNDS * NQ / (now() - t0);
    int scan_rounds = ROUNDS / 100;
    t0 = now();
    for (int r = 0; r < scan_rounds; r++)
        for (int i = 0; i < NQ; i++)
            sink += (uintptr_t)fr__policy_lookup_scan(p, qc[i], FR_CLASS_VISITOR, qd[i]);
    double scan = (double)scan_rounds * NQ / (now() - t0);
    printf("bench_policy: data/policy/ecu.policy, %zu rules, load+compile %.2f ms\n",
           fr_policy_rule_count(p), load_ms);
    printf("  lookup (per-nationality table)   %12.0f lookups/s  (%.1f ns each)\n", fast,
           1e9 / fast);
    printf("  naive scan of every rule         %12.0f lookups/s  (%.1f ns each)\n", scan,
           1e9 / scan);
    printf("  speed-up: %.1fx; target > 10,000,000 lookups/s: %s   [sink %lu]\n", fast / scan,
           fast > 1e7 ? "met" : "NOT met", (unsigned long)(sink & 1));
    fr_policy_free(p);
    free(text);
    return 0;
}
