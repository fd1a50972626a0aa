/* SPDX-License-Identifier: MIT */
/* alerts_cusum.c: the tests for slow changes of level (alerts.h): a CUSUM on
 * the log level, and year-on-year growth.
 *
 * CUSUM (Page 1954) on x = log((y + 1) / (ref + 1)), y the month's count and
 * ref the reference level:
 *     S+ = max(0, S+ + x - k),  S- = max(0, S- - x - k)
 * signals a rise when S+ > h and a fall when S- > h. The reference is the
 * median of the last 12 months while both sums are 0 (in control); it is
 * frozen while either is positive, so a slow rise cannot teach itself as
 * normal. After a signal both sums restart at 0 with the reference at the
 * median of the last 3 months (the new level): a rise that goes on signals
 * again, one that stops does not. With k = 0.2 a level 1.5 times the
 * reference adds 0.2 a month and signals within 8 months; a tenfold jump
 * signals at once (h = 1.2).
 *
 * Year-on-year: expected = the mean of the same three months a year before
 * (months t-14..t-12); a rise when both the month and the mean of the last
 * three months are at least yoy_factor times it, a fall when both are at
 * most 1 / yoy_factor of it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of the present values of months [at - len + 1, at]; -1 when fewer
 * than half are present. */
static double recent_median(const fr__track *t, int at, int len)
{
    double v[12];
    int n = 0;
    for (int i = at; i > at - len && i >= 0; i--)
        if (fr__present(t, i)) v[n++] = fr__obs(t, i);
    if (n * 2 < len || n == 0) return -1;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void fr__cusum_init(fr__cusum *c)
{
    memset(c, 0, sizeof *c);
    c->ref = -1;
    c->since = -1;
    c->reset_at = -1;
}

void fr__cusum_judge(fr__cusum *c, const fr__track *t, int at, const fr_alert_params *p,
                     fr__judgement *out, int *onset)
{
    memset(out, 0, sizeof *out);
    *onset = -1;
    if (!fr__present(t, at)) return;
    if (c->ref < 0) { /* the first reference: after warmup months */
        if (t->firstp < 0 || at - t->firstp < p->warmup) return;
        c->ref = recent_median(t, at - 1, 12);
        if (c->ref < 0) return;
    }
    double y = fr__obs(t, at), x = log((y + 1) / (c->ref + 1));
    if (c->s_up <= 0 && x - p->cusum_k > 0) c->since = at;
    c->s_up = fmax(0, c->s_up + x - p->cusum_k);
    c->s_down = fmax(0, c->s_down - x - p->cusum_k);
    out->judged = 1;
    out->expected = c->ref;
    /* the interval: the levels that would add nothing to either sum */
    out->lower = (c->ref + 1) * exp(-p->cusum_k) - 1;
    out->upper = (c->ref + 1) * exp(p->cusum_k) - 1;
    if (out->lower < 0) out->lower = 0;
    if (c->s_up > p->cusum_h || c->s_down > p->cusum_h) {
        out->signal = c->s_up > p->cusum_h ? 1 : -1;
        *onset = out->signal > 0 ? c->since : at;
        c->s_up = c->s_down = 0;
        double r = recent_median(t, at, 3);
        c->ref = r >= 0 ? r : y;
        c->reset_at = at;
    } else if (c->s_up <= 0 && c->s_down <= 0) {
        double r = recent_median(t, at, 12);
        if (r >= 0) c->ref = r;
    }
}

void fr__yoy_judge(const fr__track *t, int at, const fr_alert_params *p, fr__judgement *out)
{
    memset(out, 0, sizeof *out);
    if (at < 14 || !fr__present(t, at)) return;
    double before = 0, now = 0;
    for (int i = 0; i < 3; i++) {
        if (!fr__present(t, at - 12 - i) || !fr__present(t, at - i)) return;
        before += fr__obs(t, at - 12 - i);
        now += fr__obs(t, at - i);
    }
    before /= 3;
    now /= 3;
    double y = fr__obs(t, at), f = p->yoy_factor;
    out->judged = 1;
    out->expected = before;
    out->lower = before / f;
    out->upper = before * f;
    if (y >= before * f && now >= before * f && y > 0)
        out->signal = 1;
    else if (y * f <= before && now * f <= before)
        out->signal = -1;
}
