/* SPDX-License-Identifier: MIT */
/* alerts.c: the seasonal test of alerts.h (the first detector), its mirror
 * for decreases, the parameters and the alert sentence. alerts_run.c runs
 * the tests and merges their episodes.
 *
 * Each series becomes a "track" (alerts_internal.h): one observed value per
 * month of the set (a count, or a numerator over a denominator for a rate),
 * with a flag per month saying whether it may serve as baseline. Months are
 * judged in order
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
#include "alerts_internal.h"
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
    p->tests = FR_ALERT_TESTS_DEFAULT;
    p->years_back = 3;
    p->half_window = 1;
    p->alpha = 0.01;
    p->noufaily_periods = 4;
    p->noufaily_skip = 6;
    p->cusum_k = 0.2;
    p->cusum_h = 1.2;
    p->yoy_factor = 3.0;
    p->fall_factor = 2.5;
    p->merge_months = 2;
    p->min_tests = 2;
    p->escalate_factor = 5;
    p->surveillance_compat = 0;
}

static const char *const test_names[FR_ALERT_TEST_COUNT] = {"seasonal", "farrington", "noufaily",
                                                            "cusum",    "yoy",        "fall"};

const char *fr_alert_test_name(unsigned test)
{
    for (int i = 0; i < FR_ALERT_TEST_COUNT; i++)
        if (test == 1u << i) return test_names[i];
    return "";
}

int fr_alert_tests_parse(const char *list, unsigned *tests, fr_error *err)
{
    unsigned t = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        int found = 0;
        if (len == 3 && memcmp(p, "all", 3) == 0) t |= FR_ALERT_TESTS_ALL, found = 1;
        for (int i = 0; i < FR_ALERT_TEST_COUNT && !found; i++)
            if (strlen(test_names[i]) == len && memcmp(p, test_names[i], len) == 0)
                t |= 1u << i, found = 1;
        if (!found)
            return fr_error_set(err, FR_EINVAL, 0, (int)(p - list) + 1, "tests",
                                "'%.*s' is not a test (seasonal, farrington, noufaily, cusum, "
                                "yoy, fall or all)",
                                (int)(len > 40 ? 40 : len), p);
        if (!p[len]) break;
        p += len + 1;
    }
    *tests = t;
    return FR_OK;
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
static int base_months(const fr__track *t, int at, int idx[BASE_MONTHS])
{
    int n = 0;
    for (int i = at - 1; i >= 0 && i >= at - SCAN_BACK && n < BASE_MONTHS; i--)
        if (fr__present(t, i) && !t->excl[i]) idx[n++] = i;
    return n;
}

/* Seasonal factor of month `at` from up to 3 earlier years (1 when unknown);
 * `low` (the fall test) errs the other way: the lowest ratio, at most 1 from
 * a single year. */
static double season_of(const fr__track *t, int at, int *years, int low)
{
    double ratios[3], win[12];
    int nr = 0;
    if (years) *years = 0;
    for (int y = 1; y <= 3; y++) {
        int j = at - 12 * y;
        if (j < 0 || !fr__present(t, j) || t->excl[j]) continue;
        /* the 12 months centred on j, shifted to lie within the history */
        int lo = j - 6 < 0 ? 0 : j - 6;
        if (lo + 11 >= at) lo = at - 12;
        if (lo < 0) continue;
        int nw = 0;
        for (int i = lo; i <= lo + 11; i++)
            if (fr__present(t, i) && !t->excl[i]) win[nw++] = fr__obs(t, i);
        if (nw < 9) continue;
        double med = median(win, nw);
        if (med > 0) ratios[nr++] = fr__obs(t, j) / med;
    }
    if (years) *years = nr;
    if (!nr) return 1.0;
    /* one year cannot tell a season from a trend: then the factor may only
     * raise the expectation; with more years the highest ratio is taken
     * (episode months are already excluded), erring against false alarms */
    double s = ratios[0];
    for (int i = 1; i < nr; i++)
        if (low ? ratios[i] < s : ratios[i] > s) s = ratios[i];
    if (nr == 1 && !low && s < 1) s = 1;
    if (nr == 1 && low && s > 1) s = 1;
    return s < 0.25 ? 0.25 : s > 4 ? 4 : s;
}

static double season(const fr__track *t, int at, int *years)
{
    return season_of(t, at, years, 0);
}

/* Level (count: median; rate: pooled share) of the base months; -1 when
 * there is too little history. *noise receives the robust relative spread. */
static double level_of(const fr__track *t, int at, const fr_alert_params *p, double *noise,
                       int spread_of_level)
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
        v[i] = fr__obs(t, idx[i]);
        double e = t->expect[idx[i]];
        if (!isnan(e) && e > 0 && v[i] > 0) r[nr++] = fabs(log(v[i] / e));
    }
    double spread;
    if (nr >= BASE_MIN && !spread_of_level) {
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

static double zscore(const fr__track *t, int i, double e, double noise)
{
    if (t->is_rate) {
        double n = t->d[i], var = n * e * (e < 1 ? 1 - e : 1) + (noise * n * e) * (noise * n * e);
        return var > 0 ? (t->k[i] - n * e) / sqrt(var) : (t->k[i] > n * e ? 1e9 : 0);
    }
    double var = e + (noise * e) * (noise * e);
    return var > 0 ? (t->k[i] - e) / sqrt(var) : (t->k[i] > e ? 1e9 : 0);
}

static int significant(const fr__track *t, int i, double e, double z, const fr_alert_params *p,
                       int young)
{
    double x = fr__obs(t, i), f = e > 0 ? x / e : 1e9;
    double need = young && p->young_factor > p->min_factor ? p->young_factor : p->min_factor;
    if (z < p->min_z || f < need) return 0;
    if (t->is_rate)
        return t->d[i] >= p->rate_min_due && t->k[i] >= p->rate_min_nonexits &&
               x - e >= p->rate_min_points;
    return x >= p->min_count && x - e >= p->min_excess;
}

char *fr_alert_tests_format(unsigned tests, const char *sep, char *buf, size_t cap)
{
    size_t tl = 0;
    if (cap) buf[0] = 0;
    for (int i = 0; i < FR_ALERT_TEST_COUNT; i++)
        if (tests & (1u << i) && tl < cap)
            tl += (size_t)snprintf(buf + tl, cap - tl, "%s%s", tl ? sep : "",
                                   fr_alert_test_name(1u << i));
    return buf;
}

void fr__alert_describe(fr_alert *a, int is_rate, int learnt)
{
    a->is_rate = is_rate != 0;
    char per[FR_MONTH_BUFSZ], since[FR_MONTH_BUFSZ], until[FR_MONTH_BUFSZ], peak[FR_MONTH_BUFSZ];
    fr_month_format(a->period, per);
    fr_month_format(a->since, since);
    fr_month_format(a->until, until);
    fr_month_format(a->peak_period, peak);
    const char *nat = fr_country_code(a->nationality);
    char tests[64];
    fr_alert_tests_format(a->tests, ", ", tests, sizeof tests);
    double k = is_rate ? 100 : 1; /* rates in percent */
    int d = is_rate ? 1 : 0;
    const char *u = is_rate ? "%" : "";
    int end = a->ongoing ? 0 : learnt == 1 ? 1 : learnt == 2 ? 3 : 2;
#define FR_ALERT_ARGS                                                                              \
    nat, a->metric, d, k * a->observed, u, per, d, k * a->expected, u, d, k * a->lower, u, d,      \
        k * a->upper, u, a->factor, since, tests, d, k * a->peak, u, peak
    char *m = a->message;
    size_t ms = sizeof a->message;
    if (a->direction >= 0 && end == 0)
        snprintf(m, ms,
                 "%s %s rose: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.1f times; "
                 "rising since %s [%s]; peak %.*f%s in %s; still high at the end of the data",
                 FR_ALERT_ARGS);
    else if (a->direction >= 0 && end == 1)
        snprintf(m, ms,
                 "%s %s rose: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.1f times; "
                 "rising since %s [%s]; peak %.*f%s in %s; taken as the new normal level after %s",
                 FR_ALERT_ARGS, until);
    else if (a->direction >= 0 && end == 3)
        snprintf(m, ms,
                 "%s %s rose: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.1f times; "
                 "rising since %s [%s]; peak %.*f%s in %s; rose further after %s (a new alert)",
                 FR_ALERT_ARGS, until);
    else if (a->direction >= 0)
        snprintf(m, ms,
                 "%s %s rose: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.1f times; "
                 "rising since %s [%s]; peak %.*f%s in %s; back to normal after %s",
                 FR_ALERT_ARGS, until);
    else if (end == 0)
        snprintf(m, ms,
                 "%s %s fell: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.2f times; "
                 "falling since %s [%s]; lowest %.*f%s in %s; still low at the end of the data",
                 FR_ALERT_ARGS);
    else if (end == 1)
        snprintf(
            m, ms,
            "%s %s fell: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.2f times; "
            "falling since %s [%s]; lowest %.*f%s in %s; taken as the new normal level after %s",
            FR_ALERT_ARGS, until);
    else
        snprintf(m, ms,
                 "%s %s fell: %.*f%s in %s against %.*f%s expected (%.*f%s to %.*f%s), %.2f times; "
                 "falling since %s [%s]; lowest %.*f%s in %s; back to normal after %s",
                 FR_ALERT_ARGS, until);
#undef FR_ALERT_ARGS
}

/* Follow an episode opened at month `start` with the frozen level: mark its
 * months, track until and peak. Returns the last index it covers (the month
 * that closed it, or the last month). */
static int follow(fr__track *t, int start, double frozen, const fr_alert_params *p, fr_alert *a,
                  int *learnt)
{
    int below = 0, j;
    a->ongoing = 1;
    *learnt = 0;
    for (j = start + 1; j < t->n; j++) {
        if (!fr__present(t, j)) continue;
        double e = t->is_rate ? frozen : frozen * season(t, j, NULL);
        double x = fr__obs(t, j);
        if (!t->is_rate && p->escalate_factor > 0 && x >= p->escalate_factor * a->observed) {
            a->ongoing = 0; /* reported again from j: the level rose further */
            *learnt = 2;
            return j - 1;
        }
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

static double level(const fr__track *t, int at, const fr_alert_params *p, double *noise)
{
    return level_of(t, at, p, noise, 0);
}

/* Half-width of the interval of the expected value at the z of the test. */
static double half_width(const fr__track *t, int i, double e, double noise, double z)
{
    if (t->is_rate) {
        double n = t->d[i], var = n * e * (e < 1 ? 1 - e : 1) + (noise * n * e) * (noise * n * e);
        return var > 0 ? z * sqrt(var) / n : 0;
    }
    return z * sqrt(e + (noise * e) * (noise * e));
}

int fr__seasonal_run(fr__track *t, int nat, const char *metric, const fr_alert_params *p,
                     fr__alert_list *out)
{
    t->firstp = -1;
    for (int i = 0; i < t->n; i++) {
        t->expect[i] = NAN;
        t->excl[i] = 0;
        if (t->firstp < 0 && fr__present(t, i)) t->firstp = i;
    }
    for (int i = 0; i < t->n; i++) {
        if (!fr__present(t, i)) continue;
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
        a.period = a.raised = a.until = a.peak_period = t->first + i;
        a.observed = a.peak = fr__obs(t, i);
        a.expected = e;
        a.factor = e > 0 ? a.observed / e : 999;
        a.z = z;
        a.direction = 1;
        a.tests = FR_ALERT_TEST_SEASONAL;
        double hw = half_width(t, i, e, noise, p->min_z);
        a.lower = e - hw > 0 ? e - hw : 0;
        a.upper = e + hw;
        int s = i;
        while (s > 0 && fr__present(t, s - 1) && !isnan(t->expect[s - 1]) && !t->excl[s - 1] &&
               fr__obs(t, s - 1) >= t->expect[s - 1] * p->close_factor)
            s--;
        a.since = t->first + s;
        t->excl[i] = 1;
        int learnt;
        i = follow(t, i, lvl, p, &a, &learnt);
        a.learnt = learnt;
        fr__alert_describe(&a, t->is_rate, learnt);
        if (fr__alert_push(out, &a) != FR_OK) return FR_ENOMEM;
    }
    return FR_OK;
}

void fr__fall_judge(fr__track *t, int at, const fr_alert_params *p, fr__judgement *out)
{
    memset(out, 0, sizeof *out);
    /* the noise is the spread of the level itself (MAD of the logs of the
     * base months): residuals of a rising series would hide any fall */
    double noise, lvl = level_of(t, at, p, &noise, 1);
    if (lvl < 0) return;
    int years = 0;
    double e = t->is_rate ? lvl : lvl * season_of(t, at, &years, 1);
    t->expect[at] = e;
    /* on the log scale: the count model's variance cannot make a fall to a
     * fraction of the expected value significant once the noise is large */
    double x = fr__obs(t, at);
    double z = t->is_rate ? zscore(t, at, e, noise) : log((x + 1) / (e + 1)) / noise;
    double hw = half_width(t, at, e, noise, p->min_z);
    out->judged = 1;
    out->expected = e;
    out->lower = t->is_rate ? (e - hw > 0 ? e - hw : 0) : (e + 1) * exp(-p->min_z * noise) - 1;
    out->upper = t->is_rate ? e + hw : (e + 1) * exp(p->min_z * noise) - 1;
    if (out->lower < 0) out->lower = 0;
    out->signal = z <= -p->min_z ? -1 : 0;
    out->z = z;
}
