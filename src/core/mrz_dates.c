/* SPDX-License-Identifier: MIT */
/* mrz_dates.c: MRZ dates (YYMMDD) and their century.
 *
 * Doc 9303 writes dates with two-digit years; an unknown day, or month and
 * day, is written as fillers ("74<<<<", "7408<<"), and a wholly unknown date
 * of birth as six fillers. The century is chosen against the reference date
 * `today` of the options (never the clock):
 *   - a date of birth is the latest date with those digits that is not after
 *     today (so it is at most 99 years and 364 days old);
 *   - a date of expiry lies in the 100-year window whose last year is
 *     today's year + W (W = opt->expiry_years, default 20): with today in
 *     2026, "46" is 2046 and "47" is 1947.
 * Partial dates are compared as if the unknown month and day were 1. */
#include <stdio.h>
#include <string.h>

#include "mrz_internal.h"

static const char *const MONTHS[] = {"",        "January",  "February", "March",  "April",
                                     "May",     "June",     "July",     "August", "September",
                                     "October", "November", "December"};

int fr__mrz_birth_year(const mrz_doc *doc, int yy, int month, int day)
{
    int y = doc->ty - doc->ty % 100 + yy;
    int m = month ? month : 1, d = day ? day : 1;
    if (y > doc->ty || (y == doc->ty && (m > doc->tm || (m == doc->tm && d > doc->td)))) y -= 100;
    return y;
}

int fr__mrz_expiry_year(const mrz_doc *doc, int yy)
{
    int w = doc->opt && doc->opt->expiry_years ? doc->opt->expiry_years : FR_MRZ_EXPIRY_WINDOW;
    int y = doc->ty - doc->ty % 100 + yy;
    if (y > doc->ty + w)
        y -= 100;
    else if (y <= doc->ty + w - 100)
        y += 100;
    return y;
}

/* Two characters: a number 0..99, -1 for "<<", -2 for anything else. */
static int pair(const char *s)
{
    if (MRZ_IS(s[0], MRZ_DIGIT) && MRZ_IS(s[1], MRZ_DIGIT)) return (s[0] - '0') * 10 + s[1] - '0';
    if (s[0] == '<' && s[1] == '<') return -1;
    return -2;
}

/* The slow path, for a date that is not six digits: unknown (all fillers,
 * birth only), a wrong character, digits and fillers mixed, an incomplete
 * expiry date. Returns 1 when the date is a legal partial one to go on with. */
static int date_shape(const char *s, int birth, fr_mrz_date *d, fr_mrz *out, int line, int col)
{
    const char *what = birth ? "date of birth" : "date of expiry";
    fr_mrz_code code = birth ? FR_MRZ_F_DATE_BIRTH : FR_MRZ_F_DATE_EXPIRY;
    char raw[7]; /* the field as shown in messages */

    if (mrz_all_fillers(s, 6)) {
        if (birth) {
            d->kind = FR_MRZ_DATE_UNKNOWN;
            return 0;
        }
        fr__mrz_add(out, code, line, col,
                    "The date of expiry is blank (fillers); a document must show when it expires.");
        return 0;
    }
    for (int i = 0; i < 6; i++) {
        if (MRZ_IS(s[i], MRZ_DIGIT | MRZ_FILLER)) continue;
        char hint = fr__mrz_ocr_digit(s[i]);
        if (hint)
            fr__mrz_add(out, code, line, col + i,
                        "The %s %s has '%c' at column %d where a digit is required (a misread "
                        "'%c'? repair mode can correct it).",
                        what, fr__mrz_show(raw, s, 6), s[i], col + i, hint);
        else
            fr__mrz_add(out, code, line, col + i,
                        "The %s %s has '%c' at column %d where a digit is required.", what,
                        fr__mrz_show(raw, s, 6), s[i], col + i);
        return 0;
    }
    int yy = pair(s), mm = pair(s + 2), dd = pair(s + 4);
    if (yy < 0 || mm == -2 || dd == -2) {
        fr__mrz_add(out, code, line, col,
                    "The %s %s mixes digits and fillers: only the whole day, or the month and the "
                    "day, may be unknown (<<).",
                    what, fr__mrz_show(raw, s, 6));
        return 0;
    }
    if (!birth && (mm < 0 || dd < 0)) {
        fr__mrz_add(out, code, line, col,
                    "The date of expiry %s has an unknown month or day; an expiry date must be "
                    "complete.",
                    fr__mrz_show(raw, s, 6));
        return 0;
    }
    return 1;
}

void fr__mrz_read_date(const mrz_doc *doc, mrz_span at, int birth, fr_mrz_date *d, fr_mrz *out)
{
    const char *s = doc->line[at.line] + at.col;
    const char *what = birth ? "date of birth" : "date of expiry";
    fr_mrz_code code = birth ? FR_MRZ_F_DATE_BIRTH : FR_MRZ_F_DATE_EXPIRY;
    int line = at.line + 1, col = at.col + 1;
    char raw[7]; /* the field as shown in messages */
    *d = (fr_mrz_date){FR_MRZ_DATE_INVALID, 0, 0, 0, FR_DATE_NONE};
    int yy = pair(s), mm = pair(s + 2), dd = pair(s + 4);
    if ((yy < 0 || mm < 0 || dd < 0) && !date_shape(s, birth, d, out, line, col)) return;
    if (mm == 0 || mm > 12) {
        fr__mrz_add(out, code, line, col + 2, "The %s %s is not a date: there is no month %02d.",
                    what, fr__mrz_show(raw, s, 6), mm);
        return;
    }
    int y = birth ? fr__mrz_birth_year(doc, yy, mm > 0 ? mm : 0, dd > 0 ? dd : 0)
                  : fr__mrz_expiry_year(doc, yy);
    if (y < 1 || y > 9999) {
        fr__mrz_add(out, code, line, col, "The %s %s cannot be placed in a century.", what,
                    fr__mrz_show(raw, s, 6));
        return;
    }
    if (dd >= 0) {
        int dim = mm > 0 ? fr_date_days_in_month(y, mm) : 31;
        if (dd == 0 || dd > dim) {
            if (mm > 0)
                fr__mrz_add(out, code, line, col + 4, "The %s %s is not a date: %s %d has %d days.",
                            what, fr__mrz_show(raw, s, 6), MONTHS[mm], y, dim);
            else
                fr__mrz_add(out, code, line, col + 4,
                            "The %s %s is not a date: there is no day %02d.", what,
                            fr__mrz_show(raw, s, 6), dd);
            return;
        }
    }
    d->year = y;
    d->month = mm > 0 ? mm : 0;
    d->day = dd > 0 ? dd : 0;
    if (mm > 0 && dd > 0) {
        d->kind = FR_MRZ_DATE_FULL;
        fr_date_from_ymd(y, mm, dd, &d->date);
    } else {
        d->kind = FR_MRZ_DATE_PARTIAL;
    }
}

char *fr_mrz_date_format(const fr_mrz_date *d, char buf[FR_MRZ_DATE_BUFSZ])
{
    buf[0] = '\0';
    if (!d || d->year < 1 || d->year > 9999) return buf;
    if (d->kind == FR_MRZ_DATE_FULL)
        snprintf(buf, FR_MRZ_DATE_BUFSZ, "%04d-%02d-%02d", d->year, d->month, d->day);
    else if (d->kind == FR_MRZ_DATE_PARTIAL && d->month >= 1 && d->month <= 12 && d->day == 0)
        snprintf(buf, FR_MRZ_DATE_BUFSZ, "%04d-%02d", d->year, d->month);
    else if (d->kind == FR_MRZ_DATE_PARTIAL)
        snprintf(buf, FR_MRZ_DATE_BUFSZ, "%04d", d->year);
    return buf;
}

static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int fr_mrz_date_parse(const char *s, size_t len, fr_mrz_date *out)
{
    if (!s || !out) return FR_EINVAL;
    *out = (fr_mrz_date){FR_MRZ_DATE_INVALID, 0, 0, 0, FR_DATE_NONE};
    int y, m = 0;
    if (len == 10) {
        fr_date d;
        int rc = fr_date_parse(s, len, &d, NULL);
        if (rc != FR_OK) return rc;
        int dd;
        fr_date_to_ymd(d, &y, &m, &dd);
        *out = (fr_mrz_date){FR_MRZ_DATE_FULL, y, m, dd, d};
        return FR_OK;
    }
    if (len != 4 && len != 7) return FR_EPARSE;
    if (!digits(s, 4, &y)) return FR_EPARSE;
    if (len == 7 && (s[4] != '-' || !digits(s + 5, 2, &m))) return FR_EPARSE;
    if (y < 1 || (len == 7 && (m < 1 || m > 12))) return FR_ERANGE;
    *out = (fr_mrz_date){FR_MRZ_DATE_PARTIAL, y, m, 0, FR_DATE_NONE};
    return FR_OK;
}
