/* SPDX-License-Identifier: MIT */
/* date.h: civil dates and local date-times, without time_t.
 *
 * A civil date (fr_date) is the number of days since 1970-01-01 in an
 * int32_t, proleptic Gregorian calendar, years 0001..9999. Arithmetic on
 * days is plain integer arithmetic: d + 1 is the next day, b - a the days
 * between. Domain code (stay rules, policy dates, reports) works only in
 * fr_date, so no time zone or clock can shift a result. All functions are
 * pure and thread-safe; none reads the clock. */
#ifndef FRONTERA_DATE_H
#define FRONTERA_DATE_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t fr_date;

/* "No date": an open end, an unknown value. Never a valid date. */
#define FR_DATE_NONE INT32_MIN
/* Buffer size for fr_date_format ("YYYY-MM-DD" and NUL). */
#define FR_DATE_BUFSZ 11
/* Smallest and largest representable dates (0001-01-01, 9999-12-31). */
#define FR_DATE_MIN (-719162)
#define FR_DATE_MAX 2932896

FR_API int fr_date_is_leap(int year);
/* Days in month m (1..12) of year; 0 when m is out of range. */
FR_API int fr_date_days_in_month(int year, int month);

/* Build a date from year (1..9999), month (1..12), day (1..days in month).
 * Returns FR_OK, or FR_ERANGE when any part is out of range. */
FR_API int fr_date_from_ymd(int year, int month, int day, fr_date *out);
/* Split a valid date into its parts (any pointer may be NULL). */
FR_API void fr_date_to_ymd(fr_date d, int *year, int *month, int *day);

/* Parse exactly "YYYY-MM-DD" (ISO 8601 extended) or "YYYYMMDD" (basic) from
 * the len bytes at s. On error returns FR_EPARSE (shape) or FR_ERANGE (no such
 * day: 2023-02-29) and fills err (may be NULL) with the column at fault. */
FR_API int fr_date_parse(const char *s, size_t len, fr_date *out, fr_error *err);
/* Convenience for NUL-terminated strings. */
FR_API int fr_date_parse_cstr(const char *s, fr_date *out, fr_error *err);
/* Write "YYYY-MM-DD" and a NUL into buf (FR_DATE_BUFSZ bytes); returns buf.
 * FR_DATE_NONE is written as the empty string. */
FR_API char *fr_date_format(fr_date d, char buf[FR_DATE_BUFSZ]);

/* Same month and day n years later (n may be negative); 29 February becomes
 * 28 February in a common year. */
FR_API fr_date fr_date_add_years(fr_date d, int years);
/* Same day n months later, clamped to the last day of a shorter month. */
FR_API fr_date fr_date_add_months(fr_date d, int months);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
FR_API int fr_date_weekday(fr_date d);

/* A local date and time as written at a border post, with its UTC offset:
 * 2024-07-01T10:15-05:00. The civil date is the local one (stay rules count
 * local days); fr_datetime_utc gives the instant. */
typedef struct fr_datetime {
    fr_date date;       /* local civil date */
    int32_t seconds;    /* seconds since local midnight, 0..86399 */
    int16_t offset_min; /* minutes east of UTC, -14h..+14h */
    uint8_t has_offset; /* 0 when the text had no offset (local, unknown) */
} fr_datetime;

/* Buffer size for fr_datetime_format. */
#define FR_DATETIME_BUFSZ 32

/* Parse YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM] (a space may replace the T).
 * A date alone is midnight. Errors as fr_date_parse, with the column. */
FR_API int fr_datetime_parse(const char *s, size_t len, fr_datetime *out, fr_error *err);
FR_API int fr_datetime_parse_cstr(const char *s, fr_datetime *out, fr_error *err);
/* "YYYY-MM-DDTHH:MM:SS+HH:MM" (or without offset when has_offset is 0). */
FR_API char *fr_datetime_format(const fr_datetime *t, char buf[FR_DATETIME_BUFSZ]);
/* Seconds since 1970-01-01T00:00Z of the instant (local time less offset). */
FR_API int64_t fr_datetime_utc(const fr_datetime *t);

#ifdef __cplusplus
}
#endif
#endif
