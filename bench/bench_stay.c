/* SPDX-License-Identifier: MIT */
/* bench_stay.c: stay evaluations per second for realistic histories: 20
 * stays of 1..30 days spread over about five years (some overlapping, the
 * last one open), checked on the day after the last entry, for the
 * Schengen rule (rolling:90/180) and Ecuador's (period:90/1y+90). Compares
 * fr_stay_eval (intervals, no allocation) with the day-by-day reference
 * (stay_naive.c) on the same histories (records newest first, as a database
 * returns them), then on overstayers' histories in random record order (long
 * stays, short gaps: the slow paths of the sort and of the rolling rule). One core. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "frontera/stay.h"
#include "stay_internal.h"

#define NH 256
#define NS 20

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static fr_stay_record hist[NH][NS];
static fr_date check[NH];

/* heavy: long stays and short gaps, so most histories break the rule */
static void make_histories(int heavy)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int h = 0; h < NH; h++) {
        fr_date d = 18628; /* 2021-01-01 */
        for (int s = 0; s < NS; s++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            d += heavy ? 10 + (fr_date)(x % 50) : 20 + (fr_date)(x % 120); /* gap */
            hist[h][s].entry = d;
            hist[h][s].exit = d + (fr_date)((x >> 16) % (heavy ? 120 : 30));
            if (heavy) d = hist[h][s].exit;
        }
        hist[h][NS - 1].exit = FR_DATE_NONE; /* still present */
        if (!heavy) { /* newest first, as a database query ordered by entry DESC returns them */
            for (int s = 0; s < NS / 2; s++) {
                fr_stay_record t = hist[h][s];
                hist[h][s] = hist[h][NS - 1 - s];
                hist[h][NS - 1 - s] = t;
            }
        } else { /* random order: the insertion-sort path */
            for (int s = NS - 1; s > 0; s--) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                int r = (int)(x % (uint64_t)(s + 1));
                fr_stay_record t = hist[h][s];
                hist[h][s] = hist[h][r];
                hist[h][r] = t;
            }
        }
        check[h] = FR_DATE_MIN;
        for (int s = 0; s < NS; s++)
            if (hist[h][s].entry + 1 > check[h]) check[h] = hist[h][s].entry + 1;
    }
}

static void run(const char *text)
{
    fr_stay_rule r;
    fr_stay_rule_parse(text, strlen(text), &r, NULL);
    fr_stay_result o;
    int64_t sink = 0;
    int rounds = 4000;
    double t0 = now();
    for (int k = 0; k < rounds; k++)
        for (int h = 0; h < NH; h++) {
            fr_stay_eval(&r, hist[h], NS, check[h], FR_DATE_NONE, 0, &o, NULL);
            sink += o.days_used + o.latest_exit;
        }
    double fast = (double)rounds * NH / (now() - t0);
    int nrounds = 4;
    t0 = now();
    for (int k = 0; k < nrounds; k++)
        for (int h = 0; h < NH; h++) {
            fr__stay_eval_naive(&r, hist[h], NS, check[h], FR_DATE_NONE, 0, &o, NULL);
            sink += o.days_used + o.latest_exit;
        }
    double naive = (double)nrounds * NH / (now() - t0);
    printf("  %-16s fr_stay_eval %11.0f evals/s (%.0f ns)   day-by-day reference %9.0f evals/s   "
           "speed-up %.0fx  %s [%lld]\n",
           text, fast, 1e9 / fast, naive, fast / naive,
           fast > 2e6 ? "target met" : "target NOT met", (long long)(sink & 1));
}

int main(void)
{
    printf(
        "bench_stay: %d histories of %d stays (1..30 days, gaps 20..140) over ~5 years, one open,\n"
        "newest first;\n"
        "target > 2,000,000 evals/s\n",
        NH, NS);
    make_histories(0);
    run("rolling:90/180");
    run("period:90/1y+90");
    run("calendar-year:90");
    run("per-admission:90");
    printf("overstayers, records in random order: stays of 1..120 days, gaps 10..60 (most break "
           "the rule):\n");
    make_histories(1);
    run("rolling:90/180");
    run("period:90/1y+90");
    return 0;
}
