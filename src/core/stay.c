/* SPDX-License-Identifier: MIT */
/* stay.c: the stay calculator (fr_stay_eval, fr_stay_authorise).
 *
 * The history is first merged into disjoint sorted intervals of presence on
 * the stack (no allocation). Each family is then answered from intervals,
 * never day by day:
 *  - rolling N/W: f(t), the days in the window ending on t, changes by
 *    p(t) - p(t-W) each day, so between consecutive "events" (starts and
 *    ends of intervals, and the same shifted by W) it is linear with slope
 *    -1, 0 or +1. Walking the two sorted event streams gives the days in
 *    breach in O(n); the planning answer walks forward from the check date
 *    with p = 1 (f never decreases then) to the first day f exceeds N.
 *  - period / calendar year: intervals are cut at period boundaries and the
 *    days beyond the allowance in each period are counted.
 *  - per-admission / until: the current admission is the interval that
 *    contains the check date.
 * The day-by-day definitions are in stay_naive.c; tests compare the two. */
#include <string.h>

#include "frontera/stay.h"
#include "stay_internal.h"

#define NO_DAY INT32_MAX

static int valid_day(fr_date d)
{
    return d >= FR_DATE_MIN && d <= FR_DATE_MAX;
}

int fr__stay_merge(const fr_stay_record *history, size_t n, fr_date on, fr_stay_iv *out,
                   fr_error *err)
{
    if (n > FR_STAY_MAX_RECORDS)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "history",
                            "a history of %zu stays is more than the %d the calculator accepts", n,
                            FR_STAY_MAX_RECORDS);
    if (n && !history) return fr_error_set(err, FR_EINVAL, 0, 0, "history", "no history given");
    int m = 0, asc = 1, desc = 1;
    for (size_t i = 0; i < n; i++) {
        fr_date s = history[i].entry, e = history[i].exit;
        if (!valid_day(s) || (e != FR_DATE_NONE && !valid_day(e)))
            return fr_error_set(err, FR_EINVAL, 0, 0, "stay", "stay %zu has a date out of range",
                                i + 1);
        if (e != FR_DATE_NONE && e < s)
            return fr_error_set(err, FR_EINVAL, 0, 0, "stay",
                                "stay %zu ends before it starts; swap its dates", i + 1);
        if (s > on) continue; /* after the check date: not yet */
        if (e == FR_DATE_NONE || e > on) e = on;
        if (m > 0) {
            asc &= out[m - 1].s <= s;
            desc &= out[m - 1].s >= s;
        }
        out[m].s = s;
        out[m].e = e;
        m++;
    }
    /* histories usually come oldest-first or newest-first (as a database
     * returns them): both are recognised; anything else is insertion-sorted */
    if (!asc && desc) {
        for (int i = 0, j = m - 1; i < j; i++, j--) {
            fr_stay_iv t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
    } else if (!asc) {
        for (int i = 1; i < m; i++) {
            fr_stay_iv x = out[i];
            int j = i;
            while (j > 0 && out[j - 1].s > x.s) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = x;
        }
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
        if (k > 0 && out[i].s <= out[k - 1].e) { /* shares a day: one presence */
            if (out[i].e > out[k - 1].e) out[k - 1].e = out[i].e;
        } else {
            out[k++] = out[i];
        }
    }
    return k;
}

static int32_t count_days(const fr_stay_iv *v, int n, fr_date a, fr_date b)
{
    int32_t c = 0;
    for (int i = 0; i < n; i++) {
        fr_date s = v[i].s > a ? v[i].s : a, e = v[i].e < b ? v[i].e : b;
        if (e >= s) c += e - s + 1;
    }
    return c;
}

/* Event j of the stream: even j the start of interval j/2, odd j the day
 * after its end. */
static fr_date ev(const fr_stay_iv *v, int j)
{
    return (j & 1) ? v[j >> 1].e + 1 : v[j >> 1].s;
}

/* Where a walk starts: f = days in the window ending on t0 - 1, and the
 * events p(t-W) already passed (iq, q) for t = t0. */
typedef struct walk {
    int32_t f;
    int iq, q;
} walk;

/* First day t >= t0 on which the window ending on t holds more than N days,
 * for a person present every day from t0 on (history before t0 as given).
 * From t0 on f can only grow: f(t) = f(t-1) + 1 - p(t-W), so the walk over
 * the events p(t-W) (interval starts and ends shifted by W) finds the day.
 * Always finite because N < W. */
static fr_date first_exceed(const fr_stay_iv *v, int n, int32_t N, int32_t W, fr_date t0, walk w)
{
    fr_date t = t0;
    for (;;) {
        fr_date next = w.iq < 2 * n ? ev(v, w.iq) + W : NO_DAY;
        if (w.q == 0) {
            fr_date first = t + N - w.f; /* f(t') = f + (t'-t+1) > N */
            if (first < t) first = t;
            if (first < next) return first;
            w.f += next - t;
        } else if (w.f > N) {
            return t;
        }
        t = next;
        while (w.iq < 2 * n && ev(v, w.iq) + W == t)
            w.q = !(w.iq++ & 1);
    }
}

static void advance_events(const fr_stay_iv *v, int n, int32_t W, fr_date t0, walk *w)
{
    while (w->iq < 2 * n && ev(v, w->iq) + W <= t0)
        w->q = !(w->iq++ & 1);
}

/* Days in breach: f only grows during presence, so within an interval the
 * days with f > N are a tail [first_exceed, end]. One pass over the sorted
 * intervals with three pointers: j finds the window ending on each
 * interval's last day (only intervals whose peak exceeds N are walked), k
 * the window ending the day before it starts, and the event cursor only
 * moves forward. */
static int32_t rolling_breach(const fr_stay_iv *v, int n, int32_t N, int32_t W)
{
    int32_t in = 0, breach = 0, before = 0, gone = 0; /* in: days of intervals j..i */
    int j = 0, k = 0;
    walk w = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        int32_t len = v[i].e - v[i].s + 1;
        in += len;
        fr_date lo = v[i].e - W + 1;
        while (v[j].e < lo) {
            in -= v[j].e - v[j].s + 1;
            j++;
        }
        int32_t peak = in - (v[j].s < lo ? lo - v[j].s : 0);
        if (peak > N) {
            fr_date cut = v[i].s - W; /* window ending s-1 is cut..s-1 */
            while (k < i && v[k].e < cut) {
                gone += v[k].e - v[k].s + 1;
                k++;
            }
            w.f = before - gone - (k < i && v[k].s < cut ? cut - v[k].s : 0);
            advance_events(v, n, W, v[i].s, &w);
            breach += v[i].e - first_exceed(v, n, N, W, v[i].s, w) + 1;
        }
        before += len;
    }
    return breach;
}

static fr_date rolling_latest(const fr_stay_iv *v, int n, int32_t N, int32_t W, fr_date on)
{
    walk w = {count_days(v, n, on - W, on - 1), 0, 0};
    advance_events(v, n, W, on, &w);
    fr_date t = first_exceed(v, n, N, W, on, w);
    return t - 1 >= on ? t - 1 : FR_DATE_NONE;
}

/* Period containing `cur` that follows the period ending prev_end. */
static void period_of(const fr_stay_rule *r, fr_date cur, fr_date *ps, fr_date *pe)
{
    if (r->kind == FR_STAY_CALENDAR_YEAR) {
        int y;
        fr_date_to_ymd(cur, &y, NULL, NULL);
        fr_date_from_ymd(y, 1, 1, ps);
        fr_date_from_ymd(y, 12, 31, pe);
    } else {
        *ps = cur;
        *pe = fr_date_add_years(cur, r->period_years) - 1;
    }
}

static void eval_periods(const fr_stay_rule *r, const fr_stay_iv *v, int n, fr_date on, int32_t A,
                         fr_stay_result *o)
{
    fr_date ps = FR_DATE_NONE, pe = FR_DATE_NONE;
    int32_t used = 0, breach = 0;
    for (int i = 0; i < n; i++) {
        fr_date c = v[i].s;
        while (c <= v[i].e) {
            if (ps == FR_DATE_NONE || c > pe) {
                period_of(r, c, &ps, &pe);
                used = 0;
            }
            fr_date end = v[i].e < pe ? v[i].e : pe;
            int32_t len = end - c + 1;
            int32_t before = used > A ? used - A : 0;
            used += len;
            breach += (used > A ? used - A : 0) - before;
            c = end + 1;
        }
    }
    if (ps == FR_DATE_NONE || on > pe) { /* a new period would begin on the check date */
        period_of(r, on, &ps, &pe);
        used = r->kind == FR_STAY_CALENDAR_YEAR ? count_days(v, n, ps, on) : 0;
    }
    o->window_start = ps;
    o->window_end = pe;
    o->days_used = used;
    o->days_in_breach = breach;
    int32_t before = used - (o->present ? 1 : 0);
    fr_date latest = on + A - before - 1;
    for (int guard = 0; latest >= pe && guard < 64; guard++) { /* stays on into a new period */
        period_of(r, pe + 1, &ps, &pe);
        latest = ps + A - 1;
    }
    o->latest_exit = latest >= on ? latest : FR_DATE_NONE;
}

static void eval_admission(const fr_stay_rule *r, const fr_stay_iv *v, int n, fr_date on,
                           fr_stay_result *o)
{
    fr_date start = o->present ? v[n - 1].s : on;
    o->window_start = start;
    o->days_used = o->present ? on - start + 1 : 0;
    int32_t breach = 0;
    fr_date latest;
    if (r->kind == FR_STAY_PER_ADMISSION) {
        latest = start + r->max_days - 1;
        o->max_days = r->max_days;
        for (int i = 0; i < n; i++) {
            int32_t len = v[i].e - v[i].s + 1;
            if (len > r->max_days) breach += len - r->max_days;
        }
    } else {
        latest = r->until;
        o->max_days = r->until >= start ? r->until - start + 1 : 0;
        if (n > 0 && v[n - 1].e > r->until)
            breach = v[n - 1].e - (v[n - 1].s > r->until ? v[n - 1].s : r->until + 1) + 1;
    }
    o->window_end = latest;
    o->days_in_breach = breach;
    o->latest_exit = latest >= on ? latest : FR_DATE_NONE;
}

static int check_args(const fr_stay_rule *rule, fr_stay_result *out, fr_date on, fr_error *err)
{
    if (!rule || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no rule or no result given");
    if (rule->kind == FR_STAY_NONE)
        return fr_error_set(err, FR_EINVAL, 0, 0, "stay",
                            "this rule sets no stay limit (the visa or permit does)");
    if (!valid_day(on) || on > FR_DATE_MAX - 8000)
        return fr_error_set(err, FR_EINVAL, 0, 0, "on",
                            "the check date must be between 0001-01-01 and 9978-02-04");
    return FR_OK;
}

void fr__stay_finish(const fr_stay_rule *rule, fr_date on, fr_date doc_expiry, fr_stay_result *o)
{
    o->days_remaining = o->max_days > o->days_used ? o->max_days - o->days_used : 0;
    o->overstay_days = o->days_used > o->max_days ? o->days_used - o->max_days : 0;
    if (rule->cap_at_document && doc_expiry != FR_DATE_NONE && o->latest_exit != FR_DATE_NONE &&
        o->latest_exit > doc_expiry)
        o->latest_exit = doc_expiry >= on ? doc_expiry : FR_DATE_NONE;
    o->max_stay_days = o->latest_exit != FR_DATE_NONE ? o->latest_exit - on + 1 : 0;
}

int fr_stay_eval(const fr_stay_rule *rule, const fr_stay_record *history, size_t n, fr_date on,
                 fr_date doc_expiry, unsigned flags, fr_stay_result *out, fr_error *err)
{
    fr_error_clear(err);
    int rc = check_args(rule, out, on, err);
    if (rc) return rc;
    fr_stay_iv v[FR_STAY_MAX_RECORDS];
    int m = fr__stay_merge(history, n, on, v, err);
    if (m < 0) return m;
    fr_stay_result o;
    memset(&o, 0, sizeof o);
    o.present = m > 0 && v[m - 1].e == on;
    switch (rule->kind) {
    case FR_STAY_ROLLING:
        o.max_days = rule->max_days;
        o.window_start = on - rule->window_days + 1;
        o.window_end = on;
        o.days_used = count_days(v, m, o.window_start, on);
        o.days_in_breach = rolling_breach(v, m, rule->max_days, rule->window_days);
        o.latest_exit = rolling_latest(v, m, rule->max_days, rule->window_days, on);
        break;
    case FR_STAY_PERIOD:
    case FR_STAY_CALENDAR_YEAR:
        o.max_days = rule->max_days + ((flags & FR_STAY_EXTENDED) ? rule->extension_days : 0);
        eval_periods(rule, v, m, on, o.max_days, &o);
        break;
    case FR_STAY_PER_ADMISSION:
    case FR_STAY_UNTIL:
        eval_admission(rule, v, m, on, &o);
        break;
    default:
        return fr_error_set(err, FR_EINVAL, 0, 0, "stay", "unknown stay rule kind %d",
                            (int)rule->kind);
    }
    fr__stay_finish(rule, on, doc_expiry, &o);
    *out = o;
    return FR_OK;
}

int fr_stay_authorise(const fr_stay_rule *rule, const fr_stay_record *history, size_t n,
                      fr_date entry, fr_date doc_expiry, int32_t intended_days, unsigned flags,
                      fr_stay_authorisation *out, fr_error *err)
{
    if (!out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no result given");
    fr_stay_result rule_only;
    int rc = fr_stay_eval(rule, history, n, entry, FR_DATE_NONE, flags, &rule_only, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    rc = fr_stay_eval(rule, history, n, entry, doc_expiry, flags, &out->eval, err);
    if (rc) return rc;
    fr_date until = out->eval.latest_exit;
    out->limited_by = until != rule_only.latest_exit ? FR_STAY_LIMIT_DOCUMENT : FR_STAY_LIMIT_RULE;
    if (until != FR_DATE_NONE && intended_days > 0) {
        fr_date want = entry + intended_days - 1;
        if (want < until) {
            until = want;
            out->limited_by = FR_STAY_LIMIT_INTENDED;
        } else if (want > until) {
            out->shortened = 1;
        }
    }
    out->authorised_until = until;
    out->exhausted = until == FR_DATE_NONE;
    out->authorised_days = until == FR_DATE_NONE ? 0 : until - entry + 1;
    return FR_OK;
}
