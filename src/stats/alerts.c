/* SPDX-License-Identifier: MIT */
/* alerts.c: the early-warning detector of alerts.h.
 *
 * Each series becomes a "track": one observed value per month of the set
 * (a count, or non-exits over due entries for the rate), with a flag per
 * month saying whether it may serve as baseline. Months are judged in order
 * because an episode changes what later baselines may use: months inside an
 * episode are excluded (so the level stays frozen at its pre-surge value)
 * unless the episode ran for max_episode months, in which case the new
 * level is accepted and its months become baseline again.
 * Cost: O(months x 36) per series, allocation per series only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "series_internal.h"

#define BASE_MONTHS 12
#define BASE_MIN 6
#define SCAN_BACK 36

void fr_alert_params_default(fr_alert_params *p)
{
    p->warmup = 12;
    p->min_count = 100;
    p->min_excess = 30;
    p->min_factor = 1.5;
    p->young_factor = 2.0;
    p->min_z = 3.0;
    p->noise_floor = 0.10;
    p->close_factor = 1.2;
    p->close_months = 2;
    p->max_episode = 12;
    p->rate_min_due = 50;
    p->rate_min_nonexits = 10;
    p->rate_min_points = 0.05;
}

typedef struct track {
    int n;           /* months */
    fr_month first;  /* month of index 0 */
    const double *k; /* count, or non-exits; < 0 missing */
    const double *d; /* NULL for a count; due entries for a rate */
    unsigned char *excl;
    double *expect; /* expected as judged at each month; NAN when not judged */
    int is_rate;
    int firstp; /* first month with a value, or -1 */
} track;

static int present(const track *t, int i)
{
    return t->k[i] >= 0 && (!t->d || t->d[i] > 0);
}

static double obs(const track *t, int i)
{
    return t->d ? t->k[i] / t->d[i] : t->k[i];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The usable months before t, newest first, at most BASE_MONTHS; count returned. */
static int base_months(const track *t, int at, int idx[BASE_MONTHS])
{
    int n = 0;
    for (int i = at - 1; i >= 0 && i >= at - SCAN_BACK && n < BASE_MONTHS; i--)
        if (present(t, i) && !t->excl[i]) idx[n++] = i;
    return n;
}

/* Seasonal factor of month `at` from up to 3 earlier years (1 when unknown). */
static double season(const track *t, int at, int *years)
{
    double ratios[3], win[12];
    int nr = 0;
    if (years) *years = 0;
    for (int y = 1; y <= 3; y++) {
        int j = at - 12 * y;
        if (j < 0 || !present(t, j) || t->excl[j]) continue;
        /* the 12 months centred on j, shifted to lie within the history */
        int lo = j - 6 < 0 ? 0 : j - 6;
        if (lo + 11 >= at) lo = at - 12;
        if (lo < 0) continue;
        int nw = 0;
        for (int i = lo; i <= lo + 11; i++)
            if (present(t, i) && !t->excl[i]) win[nw++] = obs(t, i);
        if (nw < 9) continue;
        double med = median(win, nw);
        if (med > 0) ratios[nr++] = obs(t, j) / med;
    }
    if (years) *years = nr;
    if (!nr) return 1.0;
    /* one year cannot tell a season from a trend: then the factor may only
     * raise the expectation; with more years the highest ratio is taken
     * (episode months are already excluded), erring against false alarms */
    double s = ratios[0];
    for (int i = 1; i < nr; i++)
        if (ratios[i] > s) s = ratios[i];
    if (nr == 1 && s < 1) s = 1;
    return s < 0.25 ? 0.25 : s > 4 ? 4 : s;
}

/* Level (count: median; rate: pooled share) of the base months; -1 when
 * there is too little history. *noise receives the robust relative spread. */
static double level(const track *t, int at, const fr_alert_params *p, double *noise)
{
    int idx[BASE_MONTHS], nb = base_months(t, at, idx);
    if (nb < BASE_MIN || t->firstp < 0 || t->firstp >= at || at - t->firstp < p->warmup) return -1;
    *noise = p->noise_floor;
    if (t->is_rate) {
        double sk = 0, sd = 0;
        for (int i = 0; i < nb; i++)
            sk += t->k[idx[i]], sd += t->d[idx[i]];
        return sd > 0 ? sk / sd : -1;
    }
    double v[BASE_MONTHS], r[BASE_MONTHS];
    int nr = 0;
    for (int i = 0; i < nb; i++) {
        v[i] = obs(t, idx[i]);
        double e = t->expect[idx[i]];
        if (!isnan(e) && e > 0 && v[i] > 0) r[nr++] = fabs(log(v[i] / e));
    }
    double spread;
    if (nr >= BASE_MIN) {
        spread = 1.4826 * median(r, nr);
    } else {
        double lv[BASE_MONTHS];
        int nl = 0;
        for (int i = 0; i < nb; i++)
            if (v[i] > 0) lv[nl++] = log(v[i]);
        spread = 0;
        if (nl >= BASE_MIN) {
            double m = median(lv, nl);
            for (int i = 0; i < nl; i++)
                lv[i] = fabs(lv[i] - m);
            spread = 1.4826 * median(lv, nl);
        }
    }
    if (spread > *noise) *noise = spread;
    double lvl = median(v, nb);
    return lvl;
}

static double zscore(const track *t, int i, double e, double noise)
{
    if (t->is_rate) {
        double n = t->d[i], var = n * e * (1 - e) + (noise * n * e) * (noise * n * e);
        return var > 0 ? (t->k[i] - n * e) / sqrt(var) : (t->k[i] > n * e ? 1e9 : 0);
    }
    double var = e + (noise * e) * (noise * e);
    return var > 0 ? (t->k[i] - e) / sqrt(var) : (t->k[i] > e ? 1e9 : 0);
}

static int significant(const track *t, int i, double e, double z, const fr_alert_params *p,
                       int young)
{
    double x = obs(t, i), f = e > 0 ? x / e : 1e9;
    double need = young && p->young_factor > p->min_factor ? p->young_factor : p->min_factor;
    if (z < p->min_z || f < need) return 0;
    if (t->is_rate)
        return t->d[i] >= p->rate_min_due && t->k[i] >= p->rate_min_nonexits &&
               x - e >= p->rate_min_points;
    return x >= p->min_count && x - e >= p->min_excess;
}

typedef struct alert_list {
    fr_alert *v;
    size_t n, cap;
} alert_list;

static int push_alert(alert_list *l, const fr_alert *a)
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

static void describe(fr_alert *a, int is_rate, int learnt)
{
    char per[FR_MONTH_BUFSZ], since[FR_MONTH_BUFSZ], until[FR_MONTH_BUFSZ], peak[FR_MONTH_BUFSZ];
    fr_month_format(a->period, per);
    fr_month_format(a->since, since);
    fr_month_format(a->until, until);
    fr_month_format(a->peak_period, peak);
    const char *nat = fr_country_code(a->nationality);
    char tail[128];
    if (a->ongoing)
        snprintf(tail, sizeof tail, "still above at the end of the data");
    else if (learnt)
        snprintf(tail, sizeof tail, "taken as the new normal level after %s", until);
    else
        snprintf(tail, sizeof tail, "back to normal after %s", until);
    if (is_rate)
        snprintf(a->message, sizeof a->message,
                 "%s %s: %.1f%% in %s against %.1f%% expected (%.1f times); rising since %s; "
                 "peak %.1f%% in %s; %s",
                 nat, a->metric, 100 * a->observed, per, 100 * a->expected, a->factor, since,
                 100 * a->peak, peak, tail);
    else
        snprintf(a->message, sizeof a->message,
                 "%s %s: %.0f in %s, %.1f times the %.0f expected from the seasonal baseline; "
                 "rising since %s; peak %.0f in %s; %s",
                 nat, a->metric, a->observed, per, a->factor, a->expected, since, a->peak, peak,
                 tail);
}

/* Follow an episode opened at month `start` with the frozen level: mark its
 * months, track until and peak. Returns the last index it covers (the month
 * that closed it, or the last month). */
static int follow(track *t, int start, double frozen, const fr_alert_params *p, fr_alert *a,
                  int *learnt)
{
    int below = 0, j;
    a->ongoing = 1;
    *learnt = 0;
    for (j = start + 1; j < t->n; j++) {
        if (!present(t, j)) continue;
        double e = t->is_rate ? frozen : frozen * season(t, j, NULL);
        double x = obs(t, j);
        t->expect[j] = e;
        if (x >= e * p->close_factor) {
            t->excl[j] = 1;
            below = 0;
            a->until = t->first + j;
            if (x > a->peak) a->peak = x, a->peak_period = t->first + j;
        } else if (++below >= p->close_months) {
            a->ongoing = 0;
            return j;
        }
        if (j - start + 1 >= p->max_episode) {
            for (int q = start; q <= j; q++)
                t->excl[q] = 0; /* the new level is learnt */
            a->ongoing = 0;
            *learnt = 1;
            return j;
        }
    }
    return t->n - 1;
}

/* Judge one track and append its alerts raised within [from, to]. */
static int judge(track *t, int nat, const char *metric, const fr_alert_params *p, fr_month from,
                 fr_month to, alert_list *out)
{
    t->firstp = -1;
    for (int i = 0; i < t->n; i++) {
        t->expect[i] = NAN;
        if (t->firstp < 0 && present(t, i)) t->firstp = i;
    }
    for (int i = 0; i < t->n; i++) {
        if (!present(t, i)) continue;
        double noise, lvl = level(t, i, p, &noise);
        if (lvl < 0) continue;
        int years = 0;
        double e = t->is_rate ? lvl : lvl * season(t, i, &years);
        t->expect[i] = e;
        double z = zscore(t, i, e, noise);
        if (!significant(t, i, e, z, p, !t->is_rate && years < 2)) continue;
        fr_alert a;
        memset(&a, 0, sizeof a);
        a.nationality = nat;
        snprintf(a.metric, sizeof a.metric, "%s", metric);
        a.period = a.until = a.peak_period = t->first + i;
        a.observed = a.peak = obs(t, i);
        a.expected = e;
        a.factor = e > 0 ? a.observed / e : 999;
        a.z = z;
        int s = i;
        while (s > 0 && present(t, s - 1) && !isnan(t->expect[s - 1]) && !t->excl[s - 1] &&
               obs(t, s - 1) >= t->expect[s - 1] * p->close_factor)
            s--;
        a.since = t->first + s;
        t->excl[i] = 1;
        int learnt;
        i = follow(t, i, lvl, p, &a, &learnt);
        describe(&a, t->is_rate, learnt);
        if ((from == FR_MONTH_NONE || a.period >= from) && (to == FR_MONTH_NONE || a.period <= to))
            if (push_alert(out, &a) != FR_OK) return FR_ENOMEM;
    }
    return FR_OK;
}

static int cmp_alert(const void *x, const void *y)
{
    const fr_alert *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    int c = strcmp(fr_country_code(a->nationality), fr_country_code(b->nationality));
    return c ? c : strcmp(a->metric, b->metric);
}

static int check_params(const fr_alert_params *p, fr_error *err)
{
    if (p->warmup < 1 || p->warmup > 120 || p->close_months < 1 || p->max_episode < 1 ||
        p->min_factor < 1 || p->close_factor <= 0 || p->noise_floor < 0 || p->min_z < 0 ||
        p->min_count < 0 || p->min_excess < 0 || p->rate_min_points < 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "params",
                            "alert parameters out of range (warmup 1..120, factors >= 1, "
                            "counts and thresholds >= 0)");
    return FR_OK;
}

int fr_alerts_detect(const fr_series *s, const fr_alert_params *params, fr_month from, fr_month to,
                     fr_alert **out, size_t *n, fr_error *err)
{
    fr_alert_params def;
    if (!params) fr_alert_params_default(&def), params = &def;
    int rc = check_params(params, err);
    if (rc != FR_OK) return rc;
    alert_list list = {NULL, 0, 0};
    double *k = NULL, *d = NULL, *expect = NULL;
    unsigned char *excl = NULL;
    *out = NULL;
    *n = 0;
    fr_month first = fr_series_first(s), last = fr_series_last(s);
    if (first == FR_MONTH_NONE) return FR_OK;
    if (last < first) return FR_OK;
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
        long due = -1;
        if (strcmp(metric, "due") == 0) continue;
        if (strcmp(metric, "nonexits") == 0) {
            due = fr_series_find(s, nat, "due");
            if (due < 0) continue;
        }
        for (size_t i = 0; i < months; i++) {
            k[i] = (double)fr_series_get(s, key, first + i);
            if (due >= 0) d[i] = (double)fr_series_get(s, (size_t)due, first + i);
        }
        memset(excl, 0, months);
        track t = {(int)months, first, k, due >= 0 ? d : NULL, excl, expect, due >= 0, -1};
        if (judge(&t, nat, due >= 0 ? "nonexit_rate" : metric, params, from, to, &list) != FR_OK)
            goto nomem;
    }
    if (list.n) qsort(list.v, list.n, sizeof *list.v, cmp_alert);
    *out = list.v;
    *n = list.n;
    rc = FR_OK;
    goto done;
nomem:
    fr_free(list.v);
    rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
done:
    fr_free(k);
    fr_free(d);
    fr_free(expect);
    fr_free(excl);
    return rc;
}
