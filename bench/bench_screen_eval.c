/* SPDX-License-Identifier: MIT */
/* bench_screen_eval.c: screening quality on the evaluation sets, by family.
 *
 * Reads a list (CSV) and its queries (JSON Lines: name, birth_date,
 * nationality, expect (entry id or null), family, held_out) - by default
 * tests/data/screen_hard/ from scripts/gen-screen-eval-hard.py - screens
 * every query and prints per family: recall at `possible` (the expected
 * entry is among the results at possible or hit), for the tuning part and
 * the held-out part (never looked at while tuning); hit precision (of all
 * queries whose best result is a hit, the share where it is the expected
 * entry; a hit on a negative is wrong); the share of hard negatives raised
 * to possible or hit; and the time per query. Rows the list refuses are
 * counted and reported (a list the program cannot read loses its entries).
 *
 * BENCH_EVAL_VERBOSE=1 prints the tuning part's misses, wrong hits and raised
 * negatives on stderr; the held-out part's are never printed, so it stays out
 * of tuning.
 *
 * Usage: bench_screen_eval [DIR]   (DIR holds list.csv and queries.jsonl) */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/uclean.h>

#include "frontera/country.h"
#include "frontera/screen.h"

typedef struct fam {
    char name[32];
    int n[2], found[2];
} fam;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : FR_SOURCE_DIR "/tests/data/screen_hard";
    char path[4096];
    fr_watchlist *wl = NULL;
    fr_screen_index *idx = NULL;
    fr_screen_ctx *ctx = NULL;
    fr_error err;
    size_t rej = 0;
    snprintf(path, sizeof path, "%s/list.csv", dir);
    if (fr_watchlist_new(&wl) != FR_OK || fr_watchlist_load(wl, path, &rej, &err) != FR_OK) {
        fprintf(stderr, "bench_screen_eval: %s: %s\n", path, err.message);
        return 1;
    }
    if (fr_screen_index_build(wl, &idx, &err) != FR_OK ||
        fr_screen_ctx_new(idx, NULL, &ctx, &err) != FR_OK) {
        fprintf(stderr, "bench_screen_eval: %s\n", err.message);
        return 1;
    }
    snprintf(path, sizeof path, "%s/queries.jsonl", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    fam fams[32];
    int nf = 0, hits = 0, hits_right = 0, neg[2] = {0, 0}, neg_alert[2] = {0, 0}, bad = 0;
    double t = 0;
    long nq = 0;
    char line[8192];
    int verbose = getenv("BENCH_EVAL_VERBOSE") != NULL;
    while (fgets(line, sizeof line, f)) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!o) continue;
        const char *name = json_string_value(json_object_get(o, "name"));
        const char *birth = json_string_value(json_object_get(o, "birth_date"));
        const char *nat = json_string_value(json_object_get(o, "nationality"));
        const char *expect = json_string_value(json_object_get(o, "expect"));
        const char *family = json_string_value(json_object_get(o, "family"));
        int ho = json_is_true(json_object_get(o, "held_out"));
        int show = verbose && !ho;
        fr_screen_query q = {
            .name = name, .birth_lo = FR_DATE_NONE, .birth_hi = FR_DATE_NONE, .nationality = -1};
        if (birth && *birth)
            fr_screen_parse_birth(birth, strlen(birth), &q.birth_lo, &q.birth_hi, NULL);
        if (nat && *nat) q.nationality = fr_country_find_cstr(nat);
        fr_screen_result r[10];
        size_t n = 0;
        double t0 = now();
        int rc = fr_screen_person(ctx, &q, r, 10, &n);
        t += now() - t0;
        nq++;
        if (rc != FR_OK) {
            bad++;
            n = 0;
        }
        if (n && r[0].band == FR_BAND_HIT) {
            hits++;
            hits_right += expect && strcmp(r[0].id, expect) == 0;
            if (show && !(expect && strcmp(r[0].id, expect) == 0))
                fprintf(stderr, "WRONGHIT %-16s %s (want %s) -> %s %.3f %s\n", family, name,
                        expect ? expect : "-", r[0].id, r[0].score, r[0].explanation);
        }
        if (!expect) {
            neg[ho]++;
            neg_alert[ho] += n && r[0].band >= FR_BAND_POSSIBLE;
            if (show && n && r[0].band >= FR_BAND_POSSIBLE)
                fprintf(stderr, "ALERT  %s -> %s %.3f %s\n", name, r[0].id, r[0].score,
                        r[0].explanation);
            json_decref(o);
            continue;
        }
        int k = 0;
        while (k < nf && strcmp(fams[k].name, family) != 0)
            k++;
        if (k == nf && nf < 32) {
            snprintf(fams[nf].name, sizeof fams[nf].name, "%s", family);
            fams[nf].n[0] = fams[nf].n[1] = fams[nf].found[0] = fams[nf].found[1] = 0;
            nf++;
        }
        if (k < nf) {
            int found = 0;
            for (size_t i = 0; i < n; i++)
                found |= r[i].band >= FR_BAND_POSSIBLE && strcmp(r[i].id, expect) == 0;
            fams[k].n[ho]++;
            fams[k].found[ho] += found;
            if (show && !found)
                fprintf(stderr, "MISS   %-16s %s (want %s)%s%s\n", family, name, expect,
                        n ? " got: " : "", n ? r[0].explanation : "");
        }
        json_decref(o);
    }
    fclose(f);
    printf("evaluation set %s: %zu entries (%zu rows refused), %ld queries\n", dir,
           fr_watchlist_count(wl), rej, nq);
    printf("%-22s %8s %8s %8s %8s %8s\n", "family", "tuning", "recall", "held-out", "recall",
           "all");
    double worst = 1;
    for (int k = 0; k < nf; k++) {
        double a = fams[k].n[0] ? (double)fams[k].found[0] / fams[k].n[0] : 0;
        double b = fams[k].n[1] ? (double)fams[k].found[1] / fams[k].n[1] : 0;
        double all = (double)(fams[k].found[0] + fams[k].found[1]) / (fams[k].n[0] + fams[k].n[1]);
        if (all < worst) worst = all;
        printf("%-22s %8d %8.3f %8d %8.3f %8.3f\n", fams[k].name, fams[k].n[0], a, fams[k].n[1], b,
               all);
    }
    printf("lowest family recall at possible: %.3f (target 0.95)\n", worst);
    printf("hit precision: %.4f (%d of %d hits are the expected entry; target 0.98)\n",
           hits ? (double)hits_right / hits : 1.0, hits_right, hits);
    printf("hard negatives raised to possible or hit: tuning %d of %d, held-out %d of %d\n",
           neg_alert[0], neg[0], neg_alert[1], neg[1]);
    printf("queries refused: %d; mean time per query %.1f us\n", bad, nq ? t / nq * 1e6 : 0);
    fr_screen_ctx_free(ctx);
    fr_screen_index_free(idx);
    fr_watchlist_free(wl);
    u_cleanup();
    return 0;
}
