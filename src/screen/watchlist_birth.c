/* SPDX-License-Identifier: MIT */
/* watchlist_birth.c: birth dates as published lists write them.
 *
 * Lists rarely know a date exactly: the UN writes a year or "BETWEEN 1955 and
 * 1958", OFAC "circa 1975", "1962 to 1963", "Mar 1957", the EU a year with a
 * circa flag, OpenSanctions "1970-05", and a person often has several dates.
 * The grammar (case-insensitive, spaces around parts ignored):
 *
 *   dates := alt { (';' | '|') alt }       several dates, any one may be true
 *   alt   := [circa] point [('..' | ' to ') point] | [circa] YYYY-YYYY
 *   circa := "circa" | "ca." | "c." | "approx." | "approximately" | "about" | "~"
 *   point := YYYY-MM-DD | YYYYMMDD | YYYY-MM | YYYY | [DD] Mon[.] YYYY
 *
 * A point is a day, a month or a year (lo..hi its first and last day); circa
 * widens an alternative by a year on each side. fr_screen_parse_birth returns
 * the envelope of all alternatives; fr__birth_next walks them one by one for
 * the scoring, which compares each and keeps the best (screen_score.c). */
#include <string.h>

#include "screen_internal.h"

#define CIRCA_DAYS 366

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int starts(const char *s, size_t len, const char *w)
{
    size_t n = strlen(w);
    if (len < n) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != w[i]) return 0;
    return 1;
}

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

static int month_word(const char *s, size_t len, int *m)
{
    static const char *const names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};
    for (int i = 0; i < 12; i++)
        if (starts(s, len, names[i])) {
            *m = i + 1;
            return 1;
        }
    return 0;
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* One point: its first and last day. Column of errors relative to s. */
static int parse_point(const char *s, size_t len, fr_date *lo, fr_date *hi, fr_error *err)
{
    int y = 0, m = 0, d = 0;
    trim(&s, &len);
    if (len == 0) return fr_error_set(err, FR_EPARSE, 0, 1, "birth_date", "a date is missing");
    if ((len == 4 && digits(s, 4, &y)) ||
        (len == 7 && s[4] == '-' && digits(s, 4, &y) && digits(s + 5, 2, &m)) ||
        (len == 8 && digits(s, 4, &y) && digits(s + 4, 2, &m) && digits(s + 6, 2, &d))) {
        /* a year, a month (m set) or YYYYMMDD (d set): the range is made below */
    } else if (len == 10 && s[4] == '-' && s[7] == '-') {
        fr_date x;
        int rc = fr_date_parse(s, len, &x, err);
        if (rc != FR_OK) return rc;
        *lo = *hi = x;
        return FR_OK;
    } else if (len >= 8 && !is_digit(s[len - 5]) && digits(s + len - 4, 4, &y)) {
        /* [DD] Mon[.] YYYY */
        size_t k = 0;
        if (is_digit(s[0])) {
            while (k < len && is_digit(s[k]))
                k++;
            if (k > 2 || !digits(s, k, &d))
                return fr_error_set(err, FR_EPARSE, 0, 1, "birth_date",
                                    "a day is one or two digits");
            while (k < len && s[k] == ' ')
                k++;
        }
        if (!month_word(s + k, len - 4 - k, &m))
            return fr_error_set(err, FR_EPARSE, 0, (int)k + 1, "birth_date",
                                "expected a month name (Jan, Feb, ...)");
    } else {
        return fr_error_set(err, FR_EPARSE, 0, 1, "birth_date",
                            "expected YYYY-MM-DD, YYYYMMDD, YYYY-MM, YYYY, \"DD Mon YYYY\" or "
                            "\"Mon YYYY\"");
    }
    if (y < 1) return fr_error_set(err, FR_ERANGE, 0, 1, "birth_date", "year 0 does not exist");
    if (m > 12 || (d && !m))
        return fr_error_set(err, FR_ERANGE, 0, 1, "birth_date", "the month is out of range");
    int rc;
    if (d) {
        if ((rc = fr_date_from_ymd(y, m, d, lo)) != FR_OK)
            return fr_error_set(err, FR_ERANGE, 0, 1, "birth_date", "no such day in that month");
        *hi = *lo;
        return FR_OK;
    }
    if ((rc = fr_date_from_ymd(y, m ? m : 1, 1, lo)) != FR_OK ||
        (rc = fr_date_from_ymd(y, m ? m : 12, m ? fr_date_days_in_month(y, m) : 31, hi)) != FR_OK)
        return fr_error_set(err, FR_ERANGE, 0, 1, "birth_date", "the date is out of range");
    return FR_OK;
}

static int parse_alt(const char *s, size_t len, fr_date *lo, fr_date *hi, fr_error *err)
{
    static const char *const circa[] = {"circa", "approximately", "approx.", "approx",
                                        "about", "ca.",           "c.",      "~"};
    size_t skip = 0;
    int approx = 0;
    trim(&s, &len);
    for (size_t i = 0; i < sizeof circa / sizeof *circa && !approx; i++)
        if (starts(s, len, circa[i])) {
            skip = strlen(circa[i]);
            approx = 1;
        }
    const char *p = s + skip, *end = s + len;
    const char *sep = NULL;
    size_t seplen = 0;
    for (const char *q = p; q < end; q++) {
        if (q + 1 < end && q[0] == '.' && q[1] == '.') {
            sep = q;
            seplen = 2;
            break;
        }
        if (end - q >= 4 && starts(q, (size_t)(end - q), " to ")) {
            sep = q;
            seplen = 4;
            break;
        }
    }
    /* "1979-1982": two years joined by a hyphen */
    if (!sep && end - p == 9 && p[4] == '-' && is_digit(p[0]) && is_digit(p[3]) && is_digit(p[5]) &&
        is_digit(p[8])) {
        sep = p + 4;
        seplen = 1;
    }
    fr_date a, b, c, d;
    int rc = parse_point(p, sep ? (size_t)(sep - p) : (size_t)(end - p), &a, &b, err);
    if (rc != FR_OK) {
        if (err) err->column += (int)(p - s);
        return rc;
    }
    if (sep) {
        rc = parse_point(sep + seplen, (size_t)(end - sep - seplen), &c, &d, err);
        if (rc != FR_OK) {
            if (err) err->column += (int)(sep + seplen - s);
            return rc;
        }
        if (d < a)
            return fr_error_set(err, FR_ERANGE, 0, 1, "birth_date",
                                "the range ends before it starts");
        b = d;
    }
    if (approx) {
        a = a - CIRCA_DAYS < FR_DATE_MIN ? FR_DATE_MIN : a - CIRCA_DAYS;
        b = b + CIRCA_DAYS > FR_DATE_MAX ? FR_DATE_MAX : b + CIRCA_DAYS;
    }
    *lo = a;
    *hi = b;
    return FR_OK;
}

int fr__birth_next(const char **cur, const char *end, fr_date *lo, fr_date *hi, fr_error *err)
{
    const char *p = *cur;
    while (p < end && (*p == ' ' || *p == ';' || *p == '|'))
        p++;
    if (p >= end) {
        *cur = end;
        return 0;
    }
    const char *e = p;
    while (e < end && *e != ';' && *e != '|')
        e++;
    *cur = e;
    int rc = parse_alt(p, (size_t)(e - p), lo, hi, err);
    return rc == FR_OK ? 1 : rc;
}

int fr_screen_parse_birth(const char *s, size_t len, fr_date *lo, fr_date *hi, fr_error *err)
{
    *lo = *hi = FR_DATE_NONE;
    fr_error_clear(err);
    if (!s || len == 0) return FR_OK;
    const char *p = s, *end = s + len;
    fr_date a, b, elo = FR_DATE_NONE, ehi = FR_DATE_NONE;
    for (;;) {
        const char *start = p;
        while (start < end && (*start == ' ' || *start == ';' || *start == '|'))
            start++;
        int rc = fr__birth_next(&p, end, &a, &b, err);
        if (rc == 0) break;
        if (rc < 0) {
            if (err) err->column += (int)(start - s);
            return rc;
        }
        if (elo == FR_DATE_NONE || a < elo) elo = a;
        if (ehi == FR_DATE_NONE || b > ehi) ehi = b;
    }
    *lo = elo;
    *hi = ehi;
    return FR_OK;
}
