/* SPDX-License-Identifier: MIT */
/* bench_svg.c: how long fr_svg_chart takes to draw the largest chart the
 * alerts report draws (24 lines, 10 years of months, an alert mark on every
 * line, 8 policy changes), and a small one (8 lines, 3 years). Values come
 * from a fixed generator, so every run draws the same bytes; the size and a
 * checksum of the document are printed so that two builds can be compared.
 * CPU time of this (single-threaded) process, best of 5 rounds.
 * Usage: bench_svg [ROUNDS_OF_CHARTS]  (default 2000 charts per round) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "frontera/alloc.h"
#include "frontera/svg.h"

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* FNV-1a of the document: the same chart must give the same bytes. */
static uint64_t digest(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static double values[FR_SVG_MAX_LINES][120];
static char labels[FR_SVG_MAX_LINES][8], mark_labels[FR_SVG_MAX_LINES][40], rule_labels[8][40];

static void bench(const char *name, size_t nlines, size_t months, int n)
{
    fr_chart_line lines[FR_SVG_MAX_LINES];
    fr_chart_mark marks[FR_SVG_MAX_LINES];
    fr_chart_rule rules[8];
    uint32_t x = 12345;
    fr_month first = 2015 * 12;
    for (size_t l = 0; l < nlines; l++) {
        snprintf(labels[l], sizeof labels[l], "N%02zu", l);
        for (size_t i = 0; i < months; i++) {
            x = x * 1103515245u + 12345u;
            values[l][i] = (double)(1000 * (l + 1)) + (double)(x >> 20) - (i % 17 == 5 ? -1e9 : 0);
            if (values[l][i] > 1e8) values[l][i] = -1; /* a missing month now and then */
        }
        lines[l] = (fr_chart_line){labels[l], values[l]};
        snprintf(mark_labels[l], sizeof mark_labels[l], "N%02zu alert (x%.1f)", l, 1.5 + l);
        marks[l] = (fr_chart_mark){l, first + (fr_month)((l * 7) % months), mark_labels[l]};
    }
    for (size_t r = 0; r < 8; r++) {
        snprintf(rule_labels[r], sizeof rule_labels[r], "N%02zu visa_required", r);
        rules[r] = (fr_chart_rule){fr_month_first_day(first + (fr_month)(r * months / 8)) + 9,
                                   rule_labels[r]};
    }
    fr_chart c = {"Monthly arrivals by nationality",
                  NULL,
                  "arrivals per month",
                  first,
                  months,
                  lines,
                  nlines,
                  marks,
                  nlines,
                  rules,
                  8,
                  0,
                  0,
                  NULL};
    double best = 1e9;
    size_t bytes = 0;
    uint64_t h = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = cpu();
        for (int k = 0; k < n; k++) {
            char *out;
            size_t len;
            fr_error err;
            if (fr_svg_chart(&c, &out, &len, &err) != FR_OK) {
                fprintf(stderr, "bench_svg: %s\n", err.message);
                exit(1);
            }
            bytes = len;
            h = digest(out, len);
            fr_free(out);
        }
        double t = cpu() - t0;
        if (t < best) best = t;
    }
    printf("  %-34s %7.1f us/chart  %9.0f charts/s  (%zu bytes, digest %016llx)\n", name,
           best / n * 1e6, n / best, bytes, (unsigned long long)h);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    if (n < 1) n = 1;
    printf("bench_svg: fr_svg_chart, %d charts per round, best of 5 (CPU time)\n", n);
    bench("24 lines x 120 months, 24 marks", FR_SVG_MAX_LINES, 120, n);
    bench("8 lines x 36 months, 8 marks", 8, 36, n);
    return 0;
}
