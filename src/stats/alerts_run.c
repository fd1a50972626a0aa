/* SPDX-License-Identifier: MIT */
/* alerts_run.c: fr_alerts_detect and fr_alerts_backtest: build a track per
 * series, run every chosen test over it, turn each test's signals into
 * episodes, and merge the episodes of different tests into alerts.
 *
 * Tracks: a count per (nationality, metric), except "due" (only the
 * denominator of "nonexits", judged as the rate "nonexit_rate") and, where a
 * nationality has both "encounters" and "arrivals", the rate
 * "encounter_ratio" (encounters / arrivals) as well. The regression tests and
 * year-on-year growth judge counts only; seasonal, cusum and fall judge rates
 * too.
 *
 * Episodes of the tests other than seasonal (which keeps its own, alerts.c):
 * a signal that passes the size gates opens one with the expected value at
 * that month frozen; it goes on while the observed value stays beyond
 * frozen x close_factor (divided for a fall), ends after close_months months
 * that are not, or after max_episode months with the new level learnt. A
 * fall episode's months are kept out of the fall test's baseline (as the
 * seasonal test does for rises). A new cusum signal inside its own episode
 * opens a new alert: the level rose (or fell) again since the last one.
 * Cost: the regression tests fit a small GLM per month (O(months x b x 12)
 * each); the rest is O(months) per test. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

int fr__alert_push(fr__alert_list *l, const fr_alert *a)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        fr_alert *v = fr_realloc(l->v, cap * sizeof *v);
        if (!v) return FR_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *a;
    return FR_OK;
}

/* Does a signal of direction dir with expected e at month i pass the gates? */
static int gates(const fr__track *t, int i, int dir, double e, const fr_alert_params *p)
{
    double x = fr__obs(t, i);
    if (t->is_rate) {
        if (t->d[i] < p->rate_min_due) return 0;
        if (dir > 0)
            return t->k[i] >= p->rate_min_nonexits && x - e >= p->rate_min_points &&
                   (e <= 0 || x / e >= p->min_factor);
        return e - x >= p->rate_min_points && (x <= 0 || e / x >= p->fall_factor);
    }
    if (dir > 0) return x >= p->min_count && x - e >= p->min_excess && x >= e * p->min_factor;
    return e >= p->min_count && e - x >= p->min_excess && x * p->fall_factor <= e;
}

static void reset_scratch(fr__track *t)
{
    t->firstp = -1;
    for (int i = 0; i < t->n; i++) {
        t->expect[i] = NAN;
        t->excl[i] = 0;
        if (t->firstp < 0 && fr__present(t, i)) t->firstp = i;
    }
}

static int judge_month(fr__track *t, unsigned test, int i, fr__cusum *c, const fr_alert_params *p,
                       fr__judgement *j, int *onset)
{
    *onset = -1;
    switch (test) {
    case FR_ALERT_TEST_FARRINGTON:
        return fr__farrington_judge(t, i, 0, p, j);
    case FR_ALERT_TEST_NOUFAILY:
        return fr__farrington_judge(t, i, 1, p, j);
    case FR_ALERT_TEST_CUSUM:
        fr__cusum_judge(c, t, i, p, j, onset);
        return FR_OK;
    case FR_ALERT_TEST_YOY:
        fr__yoy_judge(t, i, p, j);
        return FR_OK;
    default:
        fr__fall_judge(t, i, p, j);
        return FR_OK;
    }
}

typedef struct episode {
    fr_alert a;
    int open, start, below, dir;
    double frozen;
} episode;

static int close_episode(episode *ep, const fr__track *t, int learnt, fr__alert_list *out)
{
    ep->open = 0;
    ep->a.ongoing = 0;
    ep->a.learnt = learnt;
    fr__alert_describe(&ep->a, t->is_rate, learnt);
    return fr__alert_push(out, &ep->a);
}

/* Run one test over a track; one alert per episode into out. */
static int run_test(fr__track *t, unsigned test, int nat, const char *metric,
                    const fr_alert_params *p, fr__alert_list *out)
{
    fr__cusum c;
    fr__cusum_init(&c);
    reset_scratch(t);
    episode ep;
    memset(&ep, 0, sizeof ep);
    for (int i = 0; i < t->n; i++) {
        if (!fr__present(t, i)) continue;
        fr__judgement j;
        int onset, rc = judge_month(t, test, i, &c, p, &j, &onset);
        if (rc != FR_OK) return rc;
        double x = fr__obs(t, i);
        if (ep.open) {
            int cusum_again = test == FR_ALERT_TEST_CUSUM && j.judged && j.signal &&
                              gates(t, i, j.signal, j.expected, p);
            if (cusum_again) {
                if (close_episode(&ep, t, 0, out) != FR_OK) return FR_ENOMEM;
            } else {
                int beyond = ep.dir > 0 ? x >= ep.frozen * p->close_factor
                                        : x * p->close_factor <= ep.frozen;
                if (beyond) {
                    ep.below = 0;
                    ep.a.until = t->first + i;
                    t->excl[i] = 1;
                    if (ep.dir > 0 ? x > ep.a.peak : x < ep.a.peak)
                        ep.a.peak = x, ep.a.peak_period = t->first + i;
                } else if (++ep.below >= p->close_months) {
                    if (close_episode(&ep, t, 0, out) != FR_OK) return FR_ENOMEM;
                    continue;
                }
                if (i - ep.start + 1 >= p->max_episode) {
                    for (int q = ep.start; q <= i; q++)
                        t->excl[q] = 0; /* the new level is learnt */
                    if (close_episode(&ep, t, 1, out) != FR_OK) return FR_ENOMEM;
                }
                continue;
            }
        }
        if (!j.judged || !j.signal || !gates(t, i, j.signal, j.expected, p)) continue;
        memset(&ep, 0, sizeof ep);
        ep.open = 1;
        ep.start = i;
        ep.dir = j.signal;
        ep.frozen = j.expected;
        t->excl[i] = 1;
        fr_alert *a = &ep.a;
        a->nationality = nat;
        snprintf(a->metric, sizeof a->metric, "%s", metric);
        a->period = a->raised = a->until = a->peak_period = t->first + i;
        a->observed = a->peak = x;
        a->expected = j.expected;
        a->factor = j.expected > 0 ? x / j.expected : 999;
        a->z = j.z;
        a->direction = j.signal;
        a->tests = test;
        a->lower = j.lower;
        a->upper = j.upper;
        a->ongoing = 1;
        /* onset: the cusum's run, or the months in a row already beyond the
         * expected value x close_factor as judged then */
        int s = onset >= 0 ? onset : i;
        if (onset < 0)
            while (s > 0 && fr__present(t, s - 1) && !isnan(t->expect[s - 1]) &&
                   (ep.dir > 0 ? fr__obs(t, s - 1) >= t->expect[s - 1] * p->close_factor
                               : fr__obs(t, s - 1) * p->close_factor <= t->expect[s - 1]))
                s--;
        a->since = t->first + s;
        if (test != FR_ALERT_TEST_FALL) t->expect[i] = j.expected;
    }
    if (ep.open) {
        ep.a.ongoing = 1;
        ep.a.learnt = 0;
        fr__alert_describe(&ep.a, t->is_rate, 0);
        return fr__alert_push(out, &ep.a);
    }
    return FR_OK;
}

/* Tests of one family count once towards min_tests: farrington and noufaily
 * are two forms of one model and mostly agree. */
static int families(unsigned tests)
{
    if (tests & FR_ALERT_TEST_NOUFAILY)
        tests = (tests & ~FR_ALERT_TEST_NOUFAILY) | FR_ALERT_TEST_FARRINGTON;
    return __builtin_popcount(tests);
}

static int cmp_dir_period(const void *x, const void *y)
{
    const fr_alert *a = x, *b = y;
    if (a->direction != b->direction) return a->direction < b->direction ? -1 : 1;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    return a->tests < b->tests ? -1 : a->tests > b->tests;
}

static void absorb(fr_alert *g, const fr_alert *o)
{
    g->tests |= o->tests; /* since stays the anchor's onset */
    if (o->until > g->until) g->until = o->until, g->learnt = o->learnt;
    if (o->ongoing) g->ongoing = 1, g->learnt = 0;
    if (g->direction > 0 ? o->peak > g->peak : o->peak < g->peak)
        g->peak = o->peak, g->peak_period = o->peak_period;
}

/* Merge the alerts of one track (sorted by direction, then period) in place;
 * returns how many remain.
 * min_tests 1: alerts of different tests in the same direction opened
 * within merge_months of a group's first are one alert, raised at once.
 * min_tests >= 2: each alert of the anchor test (seasonal for a rise, fall
 * for a fall; every alert when the anchor test does not run) collects the
 * other tests' alerts of its direction whose episode comes within
 * merge_months of its month; it is kept when min_tests families agree, and
 * raised in the month the last of them needed fired (its own month when
 * they were already signalling). Alerts that join no anchor are dropped. */
static int merge(fr_alert *v, size_t n, const fr__track *t, const fr_alert_params *p, size_t *kept)
{
    *kept = 0;
    if (!n) return FR_OK;
    qsort(v, n, sizeof *v, cmp_dir_period);
    fr_alert *out = fr_malloc(n * sizeof *out);
    if (!out) return FR_ENOMEM;
    size_t w = 0;
    /* a rate has one family besides its anchor (cusum): the anchor suffices */
    int need = t->is_rate && p->min_tests > 1 ? 1 : p->min_tests;
    for (size_t i = 0; i < n; i++) {
        unsigned anchor = v[i].direction > 0 ? FR_ALERT_TEST_SEASONAL : FR_ALERT_TEST_FALL;
        int anchored = p->min_tests > 1 && (p->tests & anchor);
        if (!anchored) { /* groups of alerts opened within merge_months */
            fr_alert *g = w ? &out[w - 1] : NULL;
            if (g && g->direction == v[i].direction && v[i].period - g->period <= p->merge_months &&
                !(v[i].tests & g->tests)) {
                if (families(g->tests) < p->min_tests &&
                    families(g->tests | v[i].tests) >= p->min_tests)
                    g->raised = v[i].period;
                absorb(g, &v[i]);
                continue;
            }
            out[w++] = v[i];
            continue;
        }
        if (!(v[i].tests & anchor)) continue; /* joins an anchor below, or is dropped */
        fr_alert keep = v[i];
        for (size_t j = 0; j < n; j++) { /* the others, in order of period */
            if (v[j].direction != keep.direction || (v[j].tests & anchor)) continue;
            if (v[j].period > keep.period + p->merge_months ||
                v[j].until + p->merge_months < keep.period)
                continue;
            int before = families(keep.tests);
            keep.tests |= v[j].tests; /* the anchor's episode is the alert's extent */
            if (before < need && families(keep.tests) >= need && v[j].period > keep.raised)
                keep.raised = v[j].period;
        }
        out[w++] = keep;
    }
    size_t k = 0;
    for (size_t i = 0; i < w; i++) {
        if (families(out[i].tests) < need) continue;
        v[k] = out[i];
        fr__alert_describe(&v[k], t->is_rate, v[k].learnt);
        k++;
    }
    fr_free(out);
    *kept = k;
    return FR_OK;
}

/* All the tests over one track; the merged alerts within [from, to] to out. */
static int judge_track(fr__track *t, int nat, const char *metric, const fr_alert_params *p,
                       fr_month from, fr_month to, fr__alert_list *tmp, fr__alert_list *out)
{
    static const unsigned rate_tests =
        FR_ALERT_TEST_SEASONAL | FR_ALERT_TEST_CUSUM | FR_ALERT_TEST_FALL;
    tmp->n = 0;
    for (int b = 0; b < FR_ALERT_TEST_COUNT; b++) {
        unsigned test = 1u << b;
        if (!(p->tests & test) || (t->is_rate && !(rate_tests & test))) continue;
        int rc = test == FR_ALERT_TEST_SEASONAL ? fr__seasonal_run(t, nat, metric, p, tmp)
                                                : run_test(t, test, nat, metric, p, tmp);
        if (rc != FR_OK) return rc;
    }
    size_t n;
    if (merge(tmp->v, tmp->n, t, p, &n) != FR_OK) return FR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if ((from == FR_MONTH_NONE || tmp->v[i].raised >= from) &&
            (to == FR_MONTH_NONE || tmp->v[i].raised <= to))
            if (fr__alert_push(out, &tmp->v[i]) != FR_OK) return FR_ENOMEM;
    return FR_OK;
}

static int cmp_alert(const void *x, const void *y)
{
    const fr_alert *a = x, *b = y;
    if (a->raised != b->raised) return a->raised < b->raised ? -1 : 1;
    int c = strcmp(fr_country_code(a->nationality), fr_country_code(b->nationality));
    if (c) return c;
    c = strcmp(a->metric, b->metric);
    return c ? c : b->direction - a->direction;
}

static int check_params(const fr_alert_params *p, fr_error *err)
{
    if (p->warmup < 1 || p->warmup > 120 || p->close_months < 1 || p->max_episode < 1 ||
        p->min_factor < 1 || p->close_factor <= 0 || p->noise_floor < 0 || p->min_z < 0 ||
        p->min_count < 0 || p->min_excess < 0 || p->rate_min_points < 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "params",
                            "alert parameters out of range (warmup 1..120, factors >= 1, "
                            "counts and thresholds >= 0)");
    if (!p->tests || (p->tests & ~FR_ALERT_TESTS_ALL) || p->years_back < 1 || p->years_back > 20 ||
        p->half_window < 0 || p->half_window > 5 || !(p->alpha > 0) || !(p->alpha < 0.5) ||
        p->noufaily_periods < 1 || p->noufaily_periods > 10 || p->noufaily_skip < p->half_window ||
        p->noufaily_skip > 11 || p->cusum_k < 0 || !(p->cusum_h > 0) || p->yoy_factor <= 1 ||
        p->fall_factor <= 1 || p->merge_months < 0 || p->min_tests < 1 ||
        p->min_tests > FR_ALERT_TEST_COUNT)
        return fr_error_set(err, FR_EINVAL, 0, 0, "params",
                            "test parameters out of range (at least one test; years back "
                            "1..20; half window 0..5; alpha in (0, 0.5); periods 1..10; months "
                            "left out half window..11; cusum h > 0; growth and fall factors > 1)");
    return FR_OK;
}

/* Detection over the months up to `upto` (FR_MONTH_NONE: all). */
static int detect(const fr_series *s, const fr_alert_params *params, fr_month from, fr_month to,
                  fr_month upto, fr__alert_list *list, fr_error *err)
{
    double *k = NULL, *d = NULL, *expect = NULL;
    unsigned char *excl = NULL;
    fr__alert_list tmp = {NULL, 0, 0};
    fr_month first = fr_series_first(s), last = fr_series_last(s);
    if (upto != FR_MONTH_NONE && upto < last) last = upto;
    if (first == FR_MONTH_NONE || last < first) return FR_OK;
    size_t months = (size_t)(last - first) + 1;
    k = fr_malloc(months * sizeof *k);
    d = fr_malloc(months * sizeof *d);
    expect = fr_malloc(months * sizeof *expect);
    excl = fr_malloc(months);
    if (!k || !d || !expect || !excl) goto nomem;
    size_t nkeys = fr_series_key_count(s);
    for (size_t key = 0; key < nkeys; key++) {
        const char *metric = fr_series_key_metric(s, key);
        int nat = fr_series_key_nationality(s, key);
        for (int pass = 0; pass < 2; pass++) {
            long den = -1;
            const char *name = metric;
            if (pass == 0) {
                if (strcmp(metric, "due") == 0) continue;
                if (strcmp(metric, "nonexits") == 0) {
                    den = fr_series_find(s, nat, "due");
                    if (den < 0) continue;
                    name = "nonexit_rate";
                }
            } else {
                if (strcmp(metric, "encounters") != 0) continue;
                den = fr_series_find(s, nat, "arrivals");
                if (den < 0) continue;
                name = "encounter_ratio";
            }
            for (size_t i = 0; i < months; i++) {
                k[i] = (double)fr_series_get(s, key, first + (fr_month)i);
                if (den >= 0) d[i] = (double)fr_series_get(s, (size_t)den, first + (fr_month)i);
            }
            fr__track t = {(int)months, first, k, den >= 0 ? d : NULL, excl, expect, den >= 0, -1};
            int rc = judge_track(&t, nat, name, params, from, to, &tmp, list);
            if (rc != FR_OK) goto nomem;
        }
    }
    fr_free(tmp.v);
    fr_free(k);
    fr_free(d);
    fr_free(expect);
    fr_free(excl);
    return FR_OK;
nomem:
    fr_free(tmp.v);
    fr_free(k);
    fr_free(d);
    fr_free(expect);
    fr_free(excl);
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
}

int fr_alerts_detect(const fr_series *s, const fr_alert_params *params, fr_month from, fr_month to,
                     fr_alert **out, size_t *n, fr_error *err)
{
    fr_alert_params def;
    if (!params) fr_alert_params_default(&def), params = &def;
    *out = NULL;
    *n = 0;
    int rc = check_params(params, err);
    if (rc != FR_OK) return rc;
    fr__alert_list list = {NULL, 0, 0};
    rc = detect(s, params, from, to, FR_MONTH_NONE, &list, err);
    if (rc != FR_OK) {
        fr_free(list.v);
        return rc;
    }
    if (list.n) qsort(list.v, list.n, sizeof *list.v, cmp_alert);
    *out = list.v;
    *n = list.n;
    return FR_OK;
}

int fr_alerts_backtest(const fr_series *s, const fr_alert_params *params, fr_month from,
                       fr_month to, fr_alert **out, size_t *n, fr_error *err)
{
    fr_alert_params def;
    if (!params) fr_alert_params_default(&def), params = &def;
    *out = NULL;
    *n = 0;
    int rc = check_params(params, err);
    if (rc != FR_OK) return rc;
    fr_month first = fr_series_first(s), last = fr_series_last(s);
    if (first == FR_MONTH_NONE) return FR_OK;
    if (from == FR_MONTH_NONE || from < first) from = first;
    if (to == FR_MONTH_NONE || to > last) to = last;
    fr__alert_list list = {NULL, 0, 0};
    for (fr_month m = from; m <= to; m++) {
        size_t before = list.n;
        rc = detect(s, params, m, m, m, &list, err);
        if (rc != FR_OK) {
            fr_free(list.v);
            return rc;
        }
        if (list.n - before > 1) qsort(list.v + before, list.n - before, sizeof *list.v, cmp_alert);
    }
    *out = list.v;
    *n = list.n;
    return FR_OK;
}

int fr_alerts_trace(const fr_series *s, size_t key, unsigned test, const fr_alert_params *params,
                    fr_alert_judgement **out, size_t *n, fr_error *err)
{
    fr_alert_params def;
    if (!params) fr_alert_params_default(&def), params = &def;
    *out = NULL;
    *n = 0;
    int rc = check_params(params, err);
    if (rc != FR_OK) return rc;
    if (key >= fr_series_key_count(s) || test == FR_ALERT_TEST_SEASONAL ||
        __builtin_popcount(test) != 1 || (test & ~FR_ALERT_TESTS_ALL))
        return fr_error_set(err, FR_EINVAL, 0, 0, "test",
                            "a trace needs a series key and one test other than seasonal");
    fr_month first = fr_series_first(s), last = fr_series_last(s);
    if (first == FR_MONTH_NONE) return FR_OK;
    size_t months = (size_t)(last - first) + 1;
    double *k = fr_malloc(months * sizeof *k), *expect = fr_malloc(months * sizeof *expect);
    unsigned char *excl = fr_malloc(months);
    fr_alert_judgement *v = fr_calloc(months, sizeof *v);
    if (!k || !expect || !excl || !v) goto nomem;
    for (size_t i = 0; i < months; i++)
        k[i] = (double)fr_series_get(s, key, first + (fr_month)i);
    fr__track t = {(int)months, first, k, NULL, excl, expect, 0, -1};
    reset_scratch(&t);
    fr__cusum c;
    fr__cusum_init(&c);
    for (size_t i = 0; i < months; i++) {
        v[i].month = first + (fr_month)i;
        v[i].observed = k[i];
        if (!fr__present(&t, (int)i)) continue;
        fr__judgement j;
        int onset;
        if (judge_month(&t, test, (int)i, &c, params, &j, &onset) != FR_OK) goto nomem;
        v[i].judged = j.judged;
        v[i].signal = j.signal;
        v[i].expected = j.expected;
        v[i].lower = j.lower;
        v[i].upper = j.upper;
    }
    fr_free(k);
    fr_free(expect);
    fr_free(excl);
    *out = v;
    *n = months;
    return FR_OK;
nomem:
    fr_free(k);
    fr_free(expect);
    fr_free(excl);
    fr_free(v);
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
}
