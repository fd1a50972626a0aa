/* SPDX-License-Identifier: MIT */
/* stay_naive.c: the stay rules applied literally, one day at a time.
 *
 * A bitmap of presence days (one byte a day) is built from the records, and
 * each figure is computed from its definition: the days in the window
 * ending on every day, a walk through periods, a simulated stay from the
 * check date on. It is the oracle the tests compare fr_stay_eval with, and
 * the baseline of bench_stay; it allocates and is O(days). */
#include <string.h>

#include "frontera/alloc.h"
#include "stay_internal.h"

#define HORIZON 8000 /* days simulated after the check date (>> 2 * 3660) */

typedef struct days {
    fr_date lo, hi;
    unsigned char *p;    /* presence */
    unsigned char *cont; /* 1: presence on t continues the admission of t-1 */
} days;

static int at(const days *d, fr_date t)
{
    return t >= d->lo && t <= d->hi ? d->p[t - d->lo] : 0;
}

static int build(const fr_stay_record *h, size_t n, fr_date on, days *d, fr_error *err)
{
    d->lo = on - HORIZON;
    for (size_t i = 0; i < n; i++)
        if (h[i].entry < d->lo) d->lo = h[i].entry;
    d->hi = on + HORIZON;
    size_t len = (size_t)(d->hi - d->lo + 1);
    d->p = fr_calloc(len, 1);
    d->cont = fr_calloc(len, 1);
    if (!d->p || !d->cont) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (h[i].entry > on) continue;
        fr_date e = h[i].exit == FR_DATE_NONE || h[i].exit > on ? on : h[i].exit;
        for (fr_date t = h[i].entry; t <= e; t++) {
            d->p[t - d->lo] = 1;
            if (t > h[i].entry) d->cont[t - d->lo] = 1;
        }
    }
    return FR_OK;
}

static int32_t window(const days *d, fr_date t, int32_t w)
{
    int32_t c = 0;
    for (fr_date u = t - w + 1; u <= t; u++)
        c += at(d, u);
    return c;
}

static void naive_rolling(const fr_stay_rule *r, days *d, fr_date on, fr_stay_result *o)
{
    o->max_days = r->max_days;
    o->window_start = on - r->window_days + 1;
    o->window_end = on;
    o->days_used = window(d, on, r->window_days);
    for (fr_date t = d->lo; t <= on; t++)
        if (at(d, t) && window(d, t, r->window_days) > r->max_days) o->days_in_breach++;
    o->latest_exit = FR_DATE_NONE;
    for (fr_date t = on; t <= d->hi; t++) {
        d->p[t - d->lo] = 1;
        if (window(d, t, r->window_days) > r->max_days) break;
        o->latest_exit = t;
    }
}

static void period_at(const fr_stay_rule *r, fr_date t, fr_date *ps, fr_date *pe)
{
    int y;
    fr_date_to_ymd(t, &y, NULL, NULL);
    if (r->kind == FR_STAY_CALENDAR_YEAR) {
        fr_date_from_ymd(y, 1, 1, ps);
        fr_date_from_ymd(y, 12, 31, pe);
    } else {
        *ps = t;
        *pe = fr_date_add_years(t, r->period_years) - 1;
    }
}

static void naive_period(const fr_stay_rule *r, days *d, fr_date on, int32_t A, fr_stay_result *o)
{
    fr_date ps = FR_DATE_NONE, pe = FR_DATE_NONE;
    int32_t used = 0;
    for (fr_date t = d->lo; t <= on; t++) {
        if (!at(d, t)) continue;
        if (ps == FR_DATE_NONE || t > pe) {
            period_at(r, t, &ps, &pe);
            used = 0;
        }
        if (++used > A) o->days_in_breach++;
    }
    if (ps == FR_DATE_NONE || on > pe) {
        period_at(r, on, &ps, &pe);
        used = 0;
        for (fr_date t = ps; t <= on; t++)
            used += at(d, t);
    }
    o->max_days = A;
    o->window_start = ps;
    o->window_end = pe;
    o->days_used = used;
    int32_t u = used - at(d, on);
    o->latest_exit = FR_DATE_NONE;
    for (fr_date t = on; t <= d->hi; t++) {
        if (t > pe) {
            period_at(r, t, &ps, &pe);
            u = 0;
        }
        if (++u > A) break;
        o->latest_exit = t;
    }
}

static void naive_admission(const fr_stay_rule *r, days *d, fr_date on, fr_stay_result *o)
{
    fr_date start = FR_DATE_NONE, last_start = FR_DATE_NONE, last_day = FR_DATE_NONE;
    for (fr_date t = d->lo; t <= on; t++) {
        if (!at(d, t)) continue;
        if (!d->cont[t - d->lo] || start == FR_DATE_NONE) {
            /* continuing only if some record covered t-1 and t */
            if (!(d->cont[t - d->lo] && at(d, t - 1))) start = t;
        }
        last_start = start;
        last_day = t;
        if (r->kind == FR_STAY_PER_ADMISSION && t - start + 1 > r->max_days) o->days_in_breach++;
    }
    int present = at(d, on);
    fr_date ws = present ? last_start : on;
    o->window_start = ws;
    o->days_used = present ? on - ws + 1 : 0;
    fr_date latest;
    if (r->kind == FR_STAY_PER_ADMISSION) {
        o->max_days = r->max_days;
        latest = ws + r->max_days - 1;
    } else {
        o->max_days = r->until >= ws ? r->until - ws + 1 : 0;
        latest = r->until;
        if (last_day != FR_DATE_NONE)
            for (fr_date t = last_start; t <= last_day; t++)
                if (t > r->until && at(d, t)) o->days_in_breach++;
    }
    o->window_end = latest;
    o->latest_exit = latest >= on ? latest : FR_DATE_NONE;
}

int fr__stay_eval_naive(const fr_stay_rule *rule, const fr_stay_record *history, size_t n,
                        fr_date on, fr_date doc_expiry, unsigned flags, fr_stay_result *out,
                        fr_error *err)
{
    fr_error_clear(err);
    if (!rule || !out || rule->kind == FR_STAY_NONE || on < FR_DATE_MIN + HORIZON ||
        on > FR_DATE_MAX - HORIZON)
        return fr_error_set(err, FR_EINVAL, 0, 0, "",
                            "no rule, no result or check date out of range");
    fr_stay_iv scratch[FR_STAY_MAX_RECORDS]; /* validation only */
    int m = fr__stay_merge(history, n, on, scratch, err);
    if (m < 0) return m;
    days d = {0, 0, NULL, NULL};
    int rc = build(history, n, on, &d, err);
    if (rc) goto done;
    fr_stay_result o;
    memset(&o, 0, sizeof o);
    o.present = at(&d, on);
    switch (rule->kind) {
    case FR_STAY_ROLLING:
        naive_rolling(rule, &d, on, &o);
        break;
    case FR_STAY_PERIOD:
    case FR_STAY_CALENDAR_YEAR:
        naive_period(rule, &d, on,
                     rule->max_days + ((flags & FR_STAY_EXTENDED) ? rule->extension_days : 0), &o);
        break;
    default:
        naive_admission(rule, &d, on, &o);
        break;
    }
    fr__stay_finish(rule, on, doc_expiry, &o);
    *out = o;
done:
    fr_free(d.p);
    fr_free(d.cont);
    return rc;
}
