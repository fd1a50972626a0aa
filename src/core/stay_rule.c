/* SPDX-License-Identifier: MIT */
/* stay_rule.c: the text form of stay rules ("rolling:90/180", "period:90/1y+90",
 * "calendar-year:90", "per-admission:90,doc-expiry", "until:2025-03-01",
 * "none"): a cursor over the bytes that reports the column at fault, and the
 * canonical formatter (format then parse gives the same rule). */
#include <stdio.h>
#include <string.h>

#include "frontera/stay.h"

#define RULE_MAX_DAYS 3660

typedef struct cur {
    const char *s;
    size_t len, pos;
} cur;

static int take_lit(cur *c, const char *lit)
{
    size_t n = strlen(lit);
    if (c->len - c->pos < n || memcmp(c->s + c->pos, lit, n) != 0) return 0;
    c->pos += n;
    return 1;
}

/* The numbers of a rule. Each has its sentences written out whole, so that
 * each is translated whole (po/es.po). */
typedef enum num {
    NUM_DAYS,     /* N */
    NUM_WINDOW,   /* W */
    NUM_YEARS,    /* the period */
    NUM_EXTRA,    /* the extension */
    NUM_PER_YEAR, /* the days per calendar year */
} num;

static int num_too_big(size_t at, num what, int max, fr_error *err)
{
    int col = (int)at + 1;
    switch (what) {
    case NUM_DAYS:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay",
                            "the number of days N must be at most %d", max);
    case NUM_WINDOW:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay", "the window W must be at most %d days",
                            max);
    case NUM_YEARS:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay", "the period must be at most %d years",
                            max);
    case NUM_EXTRA:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay", "the extension must be at most %d days",
                            max);
    default:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay",
                            "the number of days per year must be at most %d", max);
    }
}

static int num_missing(size_t at, num what, fr_error *err)
{
    int col = (int)at + 1;
    switch (what) {
    case NUM_DAYS:
        return fr_error_set(err, FR_EPARSE, 0, col, "stay", "expected the number of days N");
    case NUM_WINDOW:
        return fr_error_set(err, FR_EPARSE, 0, col, "stay", "expected the window W in days");
    case NUM_YEARS:
        return fr_error_set(err, FR_EPARSE, 0, col, "stay", "expected the period in years");
    case NUM_EXTRA:
        return fr_error_set(err, FR_EPARSE, 0, col, "stay", "expected the extension in days");
    default:
        return fr_error_set(err, FR_EPARSE, 0, col, "stay", "expected the number of days per year");
    }
}

/* Decimal number 0..max; FR_OK or an error naming what was expected. */
static int take_num(cur *c, int32_t max, int32_t *out, num what, fr_error *err)
{
    size_t start = c->pos;
    int64_t v = 0;
    while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
        v = v * 10 + (c->s[c->pos] - '0');
        if (v > max) return num_too_big(start, what, (int)max, err);
        c->pos++;
    }
    if (c->pos == start) return num_missing(start, what, err);
    *out = (int32_t)v;
    return FR_OK;
}

static int end_or_error(const cur *c, fr_error *err)
{
    if (c->pos == c->len) return FR_OK;
    return fr_error_set(err, FR_EPARSE, 0, (int)c->pos + 1, "stay",
                        "unexpected '%c' after the stay rule", c->s[c->pos]);
}

/* A number read as 0 where at least 1 is meant (the window is checked
 * against N instead). */
static int positive(size_t at, int32_t v, num what, fr_error *err)
{
    if (v >= 1) return FR_OK;
    int col = (int)at + 1;
    switch (what) {
    case NUM_YEARS:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay", "the period must be at least 1 year");
    case NUM_EXTRA:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay", "the extension must be at least 1 day");
    case NUM_PER_YEAR:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay",
                            "the number of days per year must be at least 1");
    default:
        return fr_error_set(err, FR_ERANGE, 0, col, "stay",
                            "the number of days N must be at least 1");
    }
}

int fr_stay_rule_parse(const char *s, size_t len, fr_stay_rule *out, fr_error *err)
{
    fr_error_clear(err);
    if (!s || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "stay", "no stay rule given");
    fr_stay_rule r;
    memset(&r, 0, sizeof r);
    r.until = FR_DATE_NONE;
    cur c = {s, len, 0};
    int rc;
    size_t at;
    if (take_lit(&c, "none")) {
        r.kind = FR_STAY_NONE;
    } else if (take_lit(&c, "rolling:")) {
        r.kind = FR_STAY_ROLLING;
        at = c.pos;
        if ((rc = take_num(&c, RULE_MAX_DAYS, &r.max_days, NUM_DAYS, err))) return rc;
        if ((rc = positive(at, r.max_days, NUM_DAYS, err))) return rc;
        if (!take_lit(&c, "/"))
            return fr_error_set(err, FR_EPARSE, 0, (int)c.pos + 1, "stay",
                                "expected '/' and the window in days, as in rolling:90/180");
        at = c.pos;
        if ((rc = take_num(&c, RULE_MAX_DAYS, &r.window_days, NUM_WINDOW, err))) return rc;
        /* a stray character first: "90/18O" is a typo, not a window of 18 days */
        if ((rc = end_or_error(&c, err))) return rc;
        if (r.window_days <= r.max_days)
            return fr_error_set(
                err, FR_ERANGE, 0, (int)at + 1, "stay",
                "the window (%d days) must be longer than the days allowed in it (%d)",
                (int)r.window_days, (int)r.max_days);
    } else if (take_lit(&c, "period:")) {
        r.kind = FR_STAY_PERIOD;
        at = c.pos;
        size_t n_at = at;
        if ((rc = take_num(&c, RULE_MAX_DAYS, &r.max_days, NUM_DAYS, err))) return rc;
        if ((rc = positive(at, r.max_days, NUM_DAYS, err))) return rc;
        if (!take_lit(&c, "/"))
            return fr_error_set(err, FR_EPARSE, 0, (int)c.pos + 1, "stay",
                                "expected '/' and the period in years, as in period:90/1y");
        at = c.pos;
        if ((rc = take_num(&c, 10, &r.period_years, NUM_YEARS, err))) return rc;
        if ((rc = positive(at, r.period_years, NUM_YEARS, err))) return rc;
        if (!take_lit(&c, "y"))
            return fr_error_set(
                err, FR_EPARSE, 0, (int)c.pos + 1, "stay",
                "expected 'y' after the period's number of years, as in period:90/1y");
        if (r.max_days >= 365 * r.period_years)
            return fr_error_set(err, FR_ERANGE, 0, (int)n_at + 1, "stay",
                                "%d days cannot fit in a period of %d year(s)", (int)r.max_days,
                                (int)r.period_years);
        if (take_lit(&c, "+")) {
            at = c.pos;
            if ((rc = take_num(&c, RULE_MAX_DAYS, &r.extension_days, NUM_EXTRA, err))) return rc;
            if ((rc = positive(at, r.extension_days, NUM_EXTRA, err))) return rc;
            if (r.max_days + r.extension_days >= 365 * r.period_years)
                return fr_error_set(err, FR_ERANGE, 0, (int)at + 1, "stay",
                                    "%d days and an extension of %d cannot fit in %d year(s)",
                                    (int)r.max_days, (int)r.extension_days, (int)r.period_years);
        }
    } else if (take_lit(&c, "calendar-year:")) {
        r.kind = FR_STAY_CALENDAR_YEAR;
        at = c.pos;
        if ((rc = take_num(&c, 365, &r.max_days, NUM_PER_YEAR, err))) return rc;
        if ((rc = positive(at, r.max_days, NUM_PER_YEAR, err))) return rc;
    } else if (take_lit(&c, "per-admission:")) {
        r.kind = FR_STAY_PER_ADMISSION;
        at = c.pos;
        if ((rc = take_num(&c, RULE_MAX_DAYS, &r.max_days, NUM_DAYS, err))) return rc;
        if ((rc = positive(at, r.max_days, NUM_DAYS, err))) return rc;
        if (take_lit(&c, ",")) {
            if (!take_lit(&c, "doc-expiry"))
                return fr_error_set(err, FR_EPARSE, 0, (int)c.pos + 1, "stay",
                                    "the only option of per-admission is ',doc-expiry'");
            r.cap_at_document = 1;
        }
    } else if (take_lit(&c, "until:")) {
        r.kind = FR_STAY_UNTIL;
        fr_error derr;
        if (fr_date_parse(s + c.pos, len - c.pos, &r.until, &derr) != FR_OK)
            return fr_error_set(err, derr.code, 0, (int)c.pos + derr.column, "stay",
                                "until: needs a date YYYY-MM-DD (%s)", derr.message);
        c.pos = len;
    } else {
        return fr_error_set(
            err, FR_EPARSE, 0, 1, "stay",
            "unknown stay rule; write rolling:N/W, period:N/Yy[+E], "
            "calendar-year:N, per-admission:N[,doc-expiry], until:YYYY-MM-DD or none");
    }
    if ((rc = end_or_error(&c, err))) return rc;
    *out = r;
    return FR_OK;
}

char *fr_stay_rule_format(const fr_stay_rule *r, char buf[FR_STAY_RULE_BUFSZ])
{
    char d[FR_DATE_BUFSZ];
    switch (r->kind) {
    case FR_STAY_ROLLING:
        snprintf(buf, FR_STAY_RULE_BUFSZ, "rolling:%d/%d", (int)r->max_days, (int)r->window_days);
        break;
    case FR_STAY_PERIOD:
        if (r->extension_days > 0)
            snprintf(buf, FR_STAY_RULE_BUFSZ, "period:%d/%dy+%d", (int)r->max_days,
                     (int)r->period_years, (int)r->extension_days);
        else
            snprintf(buf, FR_STAY_RULE_BUFSZ, "period:%d/%dy", (int)r->max_days,
                     (int)r->period_years);
        break;
    case FR_STAY_CALENDAR_YEAR:
        snprintf(buf, FR_STAY_RULE_BUFSZ, "calendar-year:%d", (int)r->max_days);
        break;
    case FR_STAY_PER_ADMISSION:
        snprintf(buf, FR_STAY_RULE_BUFSZ, "per-admission:%d%s", (int)r->max_days,
                 r->cap_at_document ? ",doc-expiry" : "");
        break;
    case FR_STAY_UNTIL:
        snprintf(buf, FR_STAY_RULE_BUFSZ, "until:%s", fr_date_format(r->until, d));
        break;
    case FR_STAY_NONE:
    default:
        snprintf(buf, FR_STAY_RULE_BUFSZ, "none");
        break;
    }
    return buf;
}
