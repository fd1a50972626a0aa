/* SPDX-License-Identifier: MIT */
/* test_date.c: civil dates, ISO 8601 text and local date-times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "frontera/date.h"

static fr_date D(const char *s)
{
    fr_date d = FR_DATE_NONE;
    assert_int_equal(fr_date_parse_cstr(s, &d, NULL), FR_OK);
    return d;
}

static void epoch_is_day_zero(void **st)
{
    (void)st;
    assert_int_equal(D("1970-01-01"), 0);
    assert_int_equal(D("1970-01-02"), 1);
    assert_int_equal(D("1969-12-31"), -1);
    assert_int_equal(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is leap */
    assert_int_equal(D("1900-03-01") - D("1900-02-28"), 1); /* 1900 is not */
    assert_int_equal(D("0001-01-01"), FR_DATE_MIN);
    assert_int_equal(D("9999-12-31"), FR_DATE_MAX);
}

static void every_day_round_trips(void **st)
{
    (void)st;
    char buf[FR_DATE_BUFSZ];
    int py = 0, pm = 12, pd = 31; /* the day before 0001-01-01 */
    for (fr_date d = FR_DATE_MIN; d <= FR_DATE_MAX; d++) {
        int y, m, dd;
        fr_date_to_ymd(d, &y, &m, &dd);
        /* consecutive days step the calendar by exactly one */
        if (dd == 1) {
            assert_int_equal(pd, fr_date_days_in_month(py, pm));
        } else {
            assert_int_equal(dd, pd + 1);
        }
        fr_date back;
        assert_int_equal(fr_date_from_ymd(y, m, dd, &back), FR_OK);
        assert_int_equal(back, d);
        py = y, pm = m, pd = dd;
    }
    assert_string_equal(fr_date_format(D("2024-02-29"), buf), "2024-02-29");
    assert_string_equal(fr_date_format(FR_DATE_NONE, buf), "");
}

static void bad_dates_say_where(void **st)
{
    (void)st;
    fr_date d;
    fr_error err;
    assert_int_equal(fr_date_parse_cstr("2023-02-29", &d, &err), FR_ERANGE);
    assert_int_equal(err.column, 9);
    assert_non_null(strstr(err.message, "does not exist"));
    assert_int_equal(fr_date_parse_cstr("2023-13-01", &d, &err), FR_ERANGE);
    assert_int_equal(err.column, 6);
    assert_int_equal(fr_date_parse_cstr("2023/01/01", &d, &err), FR_EPARSE);
    assert_int_equal(fr_date_parse_cstr("23-01-01", &d, &err), FR_EPARSE);
    assert_int_equal(fr_date_parse_cstr("", &d, &err), FR_EPARSE);
    assert_int_equal(fr_date_parse_cstr("0000-01-01", &d, &err), FR_ERANGE);
    assert_int_equal(fr_date_parse_cstr("20240229", &d, &err), FR_OK);
    assert_int_equal(d, D("2024-02-29"));
}

static void month_and_year_arithmetic_clamps(void **st)
{
    (void)st;
    assert_int_equal(fr_date_add_years(D("2024-02-29"), 1), D("2025-02-28"));
    assert_int_equal(fr_date_add_years(D("2024-02-29"), 4), D("2028-02-29"));
    assert_int_equal(fr_date_add_months(D("2024-01-31"), 1), D("2024-02-29"));
    assert_int_equal(fr_date_add_months(D("2024-03-31"), -1), D("2024-02-29"));
    assert_int_equal(fr_date_add_months(D("2024-12-15"), 1), D("2025-01-15"));
    assert_int_equal(fr_date_weekday(D("2024-07-01")), 1); /* a Monday */
    assert_int_equal(fr_date_weekday(D("1970-01-01")), 4);
    assert_int_equal(fr_date_weekday(D("1969-12-28")), 7);
}

static void datetimes_keep_local_date_and_offset(void **st)
{
    (void)st;
    fr_datetime t;
    char buf[FR_DATETIME_BUFSZ];
    assert_int_equal(fr_datetime_parse_cstr("2024-07-01T10:15-05:00", &t, NULL), FR_OK);
    assert_int_equal(t.date, D("2024-07-01"));
    assert_int_equal(t.seconds, 10 * 3600 + 15 * 60);
    assert_int_equal(t.offset_min, -300);
    assert_string_equal(fr_datetime_format(&t, buf), "2024-07-01T10:15:00-05:00");
    assert_int_equal(fr_datetime_utc(&t), (int64_t)D("2024-07-01") * 86400 + 15 * 3600 + 15 * 60);
    /* 23:30 local in Quito is the next day in UTC, but the local date stays */
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30T23:30:00-05:00", &t, NULL), FR_OK);
    assert_int_equal(t.date, D("2024-06-30"));
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30T23:30:00Z", &t, NULL), FR_OK);
    assert_int_equal(t.offset_min, 0);
    assert_int_equal(t.has_offset, 1);
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30", &t, NULL), FR_OK);
    assert_int_equal(t.seconds, 0);
    fr_error err;
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30T25:00", &t, &err), FR_ERANGE);
    assert_int_equal(fr_datetime_parse_cstr("2024-06-30T10:00+0500", &t, &err), FR_EPARSE);
    assert_int_equal(err.column, 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(epoch_is_day_zero),
        cmocka_unit_test(every_day_round_trips),
        cmocka_unit_test(bad_dates_say_where),
        cmocka_unit_test(month_and_year_arithmetic_clamps),
        cmocka_unit_test(datetimes_keep_local_date_and_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
