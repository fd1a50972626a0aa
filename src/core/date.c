/* SPDX-License-Identifier: MIT */
/* date.c: civil date arithmetic (days since 1970-01-01) and ISO 8601 text.
 *
 * The conversion between (y, m, d) and a day count uses the era-based
 * algorithm described by Howard Hinnant ("chrono-compatible low-level date
 * algorithms"): years are shifted to start in March so the leap day is the
 * last day of the year, and 400-year eras make it exact for every date. */
#include "frontera/date.h"

#include <stdio.h>
#include <string.h>

int fr_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int fr_date_days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && fr_date_is_leap(y) ? 29 : dim[m - 1];
}

static fr_date days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int fr_date_from_ymd(int y, int m, int d, fr_date *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > fr_date_days_in_month(y, m))
        return FR_ERANGE;
    *out = days_from_civil(y, m, d);
    return FR_OK;
}

void fr_date_to_ymd(fr_date z0, int *year, int *month, int *day)
{
    int z = z0 + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    const int y = yoe + era * 400 + (m <= 2);
    if (year) *year = y;
    if (month) *month = m;
    if (day) *day = d;
}

/* Read n digits at s into *v; 0 when any is not a digit. */
static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int fr_date_parse(const char *s, size_t len, fr_date *out, fr_error *err)
{
    int y, m, d;
    if (len == 10) {
        if (!digits(s, 4, &y))
            return fr_error_set(err, FR_EPARSE, 0, 1, "date", "expected a year YYYY at column 1");
        if (s[4] != '-' || s[7] != '-')
            return fr_error_set(err, FR_EPARSE, 0, s[4] != '-' ? 5 : 8, "date",
                                "expected a date as YYYY-MM-DD");
        if (!digits(s + 5, 2, &m))
            return fr_error_set(err, FR_EPARSE, 0, 6, "date", "expected a month MM at column 6");
        if (!digits(s + 8, 2, &d))
            return fr_error_set(err, FR_EPARSE, 0, 9, "date", "expected a day DD at column 9");
    } else if (len == 8) {
        if (!digits(s, 4, &y) || !digits(s + 4, 2, &m) || !digits(s + 6, 2, &d))
            return fr_error_set(err, FR_EPARSE, 0, 1, "date", "expected a date as YYYYMMDD");
    } else {
        return fr_error_set(err, FR_EPARSE, 0, 1, "date",
                            "expected a date as YYYY-MM-DD, got %zu characters", len);
    }
    if (m < 1 || m > 12)
        return fr_error_set(err, FR_ERANGE, 0, len == 10 ? 6 : 5, "date",
                            "month %02d does not exist", m);
    if (y < 1 || d < 1 || d > fr_date_days_in_month(y, m))
        return fr_error_set(err, FR_ERANGE, 0, len == 10 ? 9 : 7, "date",
                            "day %02d does not exist in %04d-%02d", d, y, m);
    *out = days_from_civil(y, m, d);
    return FR_OK;
}

int fr_date_parse_cstr(const char *s, fr_date *out, fr_error *err)
{
    return fr_date_parse(s, strlen(s), out, err);
}

char *fr_date_format(fr_date dt, char buf[FR_DATE_BUFSZ])
{
    if (dt == FR_DATE_NONE || dt < FR_DATE_MIN || dt > FR_DATE_MAX) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, d;
    fr_date_to_ymd(dt, &y, &m, &d);
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return buf;
}

fr_date fr_date_add_months(fr_date dt, int months)
{
    int y, m, d;
    fr_date_to_ymd(dt, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int dim = fr_date_days_in_month(y, m);
    if (d > dim) d = dim;
    return days_from_civil(y, m, d);
}

fr_date fr_date_add_years(fr_date dt, int years)
{
    return fr_date_add_months(dt, years * 12);
}

int fr_date_weekday(fr_date dt)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((dt % 7 + 7 + 3) % 7);
    return w + 1;
}

int fr_datetime_parse(const char *s, size_t len, fr_datetime *out, fr_error *err)
{
    fr_datetime t = {0};
    int rc;
    if (len < 10)
        return fr_error_set(err, FR_EPARSE, 0, 1, "at",
                            "expected a date and time as YYYY-MM-DDTHH:MM+HH:MM");
    if ((rc = fr_date_parse(s, 10, &t.date, err)) != FR_OK) return rc;
    size_t i = 10;
    if (i < len) {
        int hh, mm, ss = 0;
        if ((s[i] != 'T' && s[i] != ' ') || len < i + 6 || !digits(s + i + 1, 2, &hh) ||
            s[i + 3] != ':' || !digits(s + i + 4, 2, &mm))
            return fr_error_set(err, FR_EPARSE, 0, (int)i + 1, "at",
                                "expected the time as THH:MM after the date");
        i += 6;
        if (i < len && s[i] == ':') {
            if (len < i + 3 || !digits(s + i + 1, 2, &ss))
                return fr_error_set(err, FR_EPARSE, 0, (int)i + 2, "at", "expected seconds as :SS");
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) { /* fraction: ignored */
                i++;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                    i++;
            }
        }
        if (hh > 23 || mm > 59 || ss > 59)
            return fr_error_set(err, FR_ERANGE, 0, 12, "at", "time %02d:%02d:%02d does not exist",
                                hh, mm, ss);
        t.seconds = hh * 3600 + mm * 60 + ss;
        if (i < len) {
            if (s[i] == 'Z' && i + 1 == len) {
                t.has_offset = 1;
                i++;
            } else if ((s[i] == '+' || s[i] == '-') && len == i + 6 && s[i + 3] == ':') {
                int oh, om;
                if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) || oh > 14 || om > 59)
                    return fr_error_set(err, FR_EPARSE, 0, (int)i + 1, "at",
                                        "the UTC offset must be +HH:MM or -HH:MM");
                t.offset_min = (int16_t)((oh * 60 + om) * (s[i] == '-' ? -1 : 1));
                t.has_offset = 1;
                i = len;
            } else {
                return fr_error_set(err, FR_EPARSE, 0, (int)i + 1, "at",
                                    "unexpected text after the time; expected Z or +HH:MM");
            }
        }
    }
    *out = t;
    return FR_OK;
}

int fr_datetime_parse_cstr(const char *s, fr_datetime *out, fr_error *err)
{
    return fr_datetime_parse(s, strlen(s), out, err);
}

char *fr_datetime_format(const fr_datetime *t, char buf[FR_DATETIME_BUFSZ])
{
    char d[FR_DATE_BUFSZ];
    fr_date_format(t->date, d);
    unsigned hh = (unsigned)(t->seconds / 3600) % 24u, mm = (unsigned)(t->seconds / 60) % 60u,
             ss = (unsigned)t->seconds % 60u;
    if (!t->has_offset) {
        snprintf(buf, FR_DATETIME_BUFSZ, "%.10sT%02u:%02u:%02u", d, hh, mm, ss);
    } else {
        unsigned o = (unsigned)(t->offset_min < 0 ? -t->offset_min : t->offset_min) % 1440u;
        snprintf(buf, FR_DATETIME_BUFSZ, "%.10sT%02u:%02u:%02u%c%02u:%02u", d, hh, mm, ss,
                 t->offset_min < 0 ? '-' : '+', o / 60, o % 60);
    }
    return buf;
}

int64_t fr_datetime_utc(const fr_datetime *t)
{
    return (int64_t)t->date * 86400 + t->seconds - (int64_t)t->offset_min * 60;
}
