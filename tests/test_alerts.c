/* SPDX-License-Identifier: MIT */
/* test_alerts.c: the early-warning detector (alerts.h) on small hand-built
 * monthly series: a surge is flagged in the month it becomes significant and
 * once (one episode, not one alert per month), a seasonal peak that recurs
 * every year is not, a nationality with 3 arrivals a month never alerts,
 * the non-exit rate alerts on a jump of the share, the period filter, and
 * the explanation carries observed, expected, factor and onset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"

#define Y2020 (2020 * 12) /* 2020-01 */

static void put(fr_series *s, const char *nat, const char *metric, fr_month m, int64_t v)
{
    fr_error e;
    assert_int_equal(fr_series_add(s, fr_country_find_cstr(nat), metric, m, v, &e), FR_OK);
}

/* A steady level with +-5% alternating noise. */
static int64_t steady(int64_t level, int i)
{
    return level + (i % 2 ? level / 20 : -level / 20);
}

static fr_alert *detect(fr_series *s, size_t *n)
{
    fr_alert *a = NULL;
    fr_error e;
    assert_int_equal(fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, n, &e), FR_OK);
    return a;
}

static void surge_is_flagged_in_the_month_it_becomes_significant_and_once(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    /* 2020-01 .. 2022-12: 1000 a month, then from 2022-03: 1100, 1300, 2400,
     * 3000 ... held high for 8 months, then back to 1000 */
    for (int i = 0; i < 36; i++) {
        int64_t v = steady(1000, i);
        if (i == 26) v = 1100;            /* 2022-03: +10%, noise */
        if (i == 27) v = 1400;            /* 2022-04: +40%, not yet significant (factor < 1.5) */
        if (i >= 28 && i <= 35) v = 3000; /* 2022-05 .. 2022-12: tripled */
        if (i == 28) v = 2400;
        put(s, "CHN", "arrivals", Y2020 + i, v);
        put(s, "USA", "arrivals", Y2020 + i, steady(5000, i));
    }
    for (int i = 36; i < 42; i++) { /* 2023-01 .. 2023-06: back to normal */
        put(s, "CHN", "arrivals", Y2020 + i, steady(1000, i));
        put(s, "USA", "arrivals", Y2020 + i, steady(5000, i));
    }
    size_t n;
    fr_alert *a = detect(s, &n);
    assert_int_equal(n, 1); /* one episode: not one alert per high month; USA none */
    char buf[FR_MONTH_BUFSZ];
    fr_month_format(a[0].period, buf);
    assert_string_equal(buf, "2022-05");
    fr_month_format(a[0].since, buf);
    assert_string_equal(buf, "2022-04"); /* the +40% month opened the rise */
    fr_month_format(a[0].until, buf);
    assert_string_equal(buf, "2022-12");
    assert_false(a[0].ongoing);
    assert_string_equal(fr_country_code(a[0].nationality), "CHN");
    assert_string_equal(a[0].metric, "arrivals");
    assert_true(a[0].observed == 2400);
    assert_true(a[0].expected > 900 && a[0].expected < 1100);
    assert_true(fabs(a[0].factor - a[0].observed / a[0].expected) < 1e-9);
    assert_true(a[0].peak == 3000);
    assert_non_null(strstr(a[0].message, "CHN arrivals rose: 2400 in 2022-05"));
    assert_non_null(strstr(a[0].message, "since 2022-04"));
    fr_free(a);
    fr_series_free(s);
}

static void seasonal_peak_recurring_every_year_is_not_flagged(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    /* four years; July and December triple every year */
    for (int i = 0; i < 48; i++) {
        int64_t v = steady(2000, i);
        if (i % 12 == 6 || i % 12 == 11) v = 6000 + (i % 24 == 6 ? 300 : 0);
        put(s, "PER", "arrivals", Y2020 + i, v);
    }
    size_t n;
    fr_alert *a = detect(s, &n);
    assert_int_equal(n, 0);
    fr_free(a);
    /* the same series with a surge in 2023-03 is flagged then: the season
     * does not blind the detector */
    put(s, "PER", "arrivals", Y2020 + 38, 6000);
    a = detect(s, &n);
    assert_int_equal(n, 1);
    char buf[FR_MONTH_BUFSZ];
    fr_month_format(a[0].period, buf);
    assert_string_equal(buf, "2023-03");
    fr_free(a);
    fr_series_free(s);
}

static void three_arrivals_a_month_never_alert(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    /* 3 a month, with months of 0, 9 and 12: large factors, tiny numbers */
    for (int i = 0; i < 48; i++) {
        int64_t v = i % 7 == 3 ? 0 : 3;
        if (i == 30) v = 9;
        if (i == 40) v = 12;
        put(s, "TUV", "arrivals", Y2020 + i, v);
    }
    size_t n;
    fr_alert *a = detect(s, &n);
    assert_int_equal(n, 0);
    fr_free(a);
    fr_series_free(s);
}

static void short_history_is_not_judged(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    for (int i = 0; i < 11; i++)
        put(s, "ARG", "arrivals", Y2020 + i, i < 10 ? 100 : 5000);
    size_t n;
    fr_alert *a = detect(s, &n);
    assert_int_equal(n, 0); /* 10 months of history: below the 12-month warm-up */
    fr_free(a);
    fr_series_free(s);
}

static void nonexit_rate_alerts_on_a_jump_of_the_share(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    /* 400 due entries a month; 3% left no exit, then 20% from 2021-06 */
    for (int i = 0; i < 24; i++) {
        put(s, "CUB", "due", Y2020 + i, 400);
        put(s, "CUB", "nonexits", Y2020 + i, i >= 17 ? 80 : 12);
        put(s, "COL", "due", Y2020 + i, 400);
        put(s, "COL", "nonexits", Y2020 + i, 12 + i % 3);
    }
    size_t n;
    fr_alert *a = detect(s, &n);
    assert_int_equal(n, 1);
    assert_string_equal(fr_country_code(a[0].nationality), "CUB");
    assert_string_equal(a[0].metric, "nonexit_rate");
    char buf[FR_MONTH_BUFSZ];
    fr_month_format(a[0].period, buf);
    assert_string_equal(buf, "2021-06");
    assert_true(fabs(a[0].observed - 0.20) < 1e-9);
    assert_true(fabs(a[0].expected - 0.03) < 1e-9);
    assert_true(a[0].ongoing);
    assert_non_null(strstr(a[0].message, "20.0% in 2021-06"));
    fr_free(a);
    fr_series_free(s);
}

static void period_filter_keeps_history_but_reports_only_the_range(void **state)
{
    (void)state;
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    for (int i = 0; i < 30; i++)
        put(s, "VEN", "encounters", Y2020 + i, i >= 20 ? 4000 : steady(1000, i));
    fr_alert *a = NULL;
    size_t n;
    fr_error e;
    assert_int_equal(fr_alerts_detect(s, NULL, Y2020 + 21, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 0); /* raised in 2021-09, before the range */
    fr_free(a);
    assert_int_equal(fr_alerts_detect(s, NULL, Y2020 + 20, Y2020 + 20, &a, &n, &e), FR_OK);
    assert_int_equal(n, 1);
    fr_free(a);
    fr_alert_params p;
    fr_alert_params_default(&p);
    p.min_factor = 0.5;
    assert_int_equal(fr_alerts_detect(s, &p, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_EINVAL);
    assert_string_equal(e.field, "params");
    fr_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(surge_is_flagged_in_the_month_it_becomes_significant_and_once),
        cmocka_unit_test(seasonal_peak_recurring_every_year_is_not_flagged),
        cmocka_unit_test(three_arrivals_a_month_never_alert),
        cmocka_unit_test(short_history_is_not_judged),
        cmocka_unit_test(nonexit_rate_alerts_on_a_jump_of_the_share),
        cmocka_unit_test(period_filter_keeps_history_but_reports_only_the_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
