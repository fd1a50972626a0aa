/* SPDX-License-Identifier: MIT */
/* test_alerts_tests.c: the pieces of the alert tests on cases computed by
 * hand (or, for the quantiles, checked against R 4.2: qnorm, qpois, qnbinom,
 * pt): the IRLS fit of a Poisson GLM, the distribution functions, the
 * Farrington and Noufaily bounds of a flat series, the CUSUM's alarm month
 * on a step, year-on-year growth, the fall test on a halving, and the
 * combined detector: a fall is an alert, a tenfold rise a year later is
 * reported again (escalation), a lone test's signal is not an alert, and the
 * backtest raises each alert in the same month as the whole-series run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "alerts_internal.h"
#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"

#define Y2018 (2018 * 12)

static void glm_intercept_is_the_log_mean_and_phi_pearsons(void **state)
{
    (void)state;
    /* y = 10, 20, 30: mu = 20 everywhere; Pearson: (100 + 0 + 100) / 20 / (3 - 1) = 5 */
    double X[3] = {1, 1, 1}, y[3] = {10, 20, 30}, mu[3], hat[3];
    fr__glm g;
    assert_int_equal(fr__glm_qpois(X, y, NULL, 3, 1, &g, mu, hat), FR_OK);
    assert_true(g.converged);
    assert_true(fabs(g.beta[0] - log(20)) < 1e-9);
    assert_true(fabs(g.phi - 5) < 1e-9);
    /* hat of an intercept-only model: 1/n each; (X'WX)^-1 = 1 / (n mu) = 1/60 */
    assert_true(fabs(hat[1] - 1.0 / 3) < 1e-9);
    assert_true(fabs(g.xtwx_inv[0] - 1.0 / 60) < 1e-9);
    double x0[1] = {1};
    assert_true(fabs(fr__glm_var_eta(&g, x0) - 5.0 / 60) < 1e-9);
}

static void glm_recovers_an_exact_log_linear_trend(void **state)
{
    (void)state;
    double X[10], y[5];
    for (int i = 0; i < 5; i++) {
        X[2 * i] = 1;
        X[2 * i + 1] = i;
        y[i] = exp(1 + 0.5 * i);
    }
    fr__glm g;
    assert_int_equal(fr__glm_qpois(X, y, NULL, 5, 2, &g, NULL, NULL), FR_OK);
    assert_true(fabs(g.beta[0] - 1) < 1e-6);
    assert_true(fabs(g.beta[1] - 0.5) < 1e-6);
    assert_true(g.phi < 1e-9);
    /* a singular design (two equal columns) is refused, not divided by zero */
    for (int i = 0; i < 5; i++)
        X[2 * i + 1] = 1;
    assert_int_equal(fr__glm_qpois(X, y, NULL, 5, 2, &g, NULL, NULL), FR_EINVAL);
}

static void quantiles_agree_with_r(void **state)
{
    (void)state;
    assert_true(fabs(fr__qnorm(0.975) - 1.959964) < 1e-6);
    assert_true(fabs(fr__qnorm(0.01) + 2.326348) < 1e-6);
    assert_true(fabs(fr__pnorm(1.959964) - 0.975) < 1e-6);
    assert_true(fr__qpois(0.99, 10) == 18);                /* R: qpois(0.99, 10) */
    assert_true(fr__qpois(0.99, 100) == 124);              /* qpois(0.99, 100) */
    assert_true(fr__qpois(0.01, 100) == 77);               /* qpois(0.01, 100) */
    assert_true(fr__qpois(0.5, 1e5) == 1e5);               /* large means do not loop forever */
    assert_true(fr__qnbinom(0.99, 5, 10) == 26);           /* qnbinom(0.99, size=5, mu=10) */
    assert_true(fr__qnbinom(0.01, 5, 10) == 1);            /* qnbinom(0.01, size=5, mu=10) */
    assert_true(fr__qnbinom(0.99, 100.0 / 3, 100) == 152); /* qnbinom(0.99, 100/3, mu=100) */
    assert_true(fabs(fr__pt_two_sided(2, 5) - 0.1019395) < 1e-6); /* 2 * pt(-2, 5) */
}

/* A count track over v[0..n). */
static fr__track track_of(const double *v, int n, double *expect, unsigned char *excl)
{
    fr__track t = {n, Y2018, v, NULL, excl, expect, 0, -1};
    for (int i = 0; i < n; i++) {
        expect[i] = NAN;
        excl[i] = 0;
        if (t.firstp < 0 && v[i] >= 0) t.firstp = i;
    }
    return t;
}

static void flat_series_gives_the_hand_computed_bounds(void **state)
{
    (void)state;
    double v[49], expect[49];
    unsigned char excl[49];
    for (int i = 0; i < 49; i++)
        v[i] = 100;
    v[48] = 130;
    fr__track t = track_of(v, 49, expect, excl);
    fr_alert_params p;
    fr_alert_params_default(&p);
    fr__judgement j;
    /* Farrington, b = 3, w = 1: nine reference months of 100, no trend, phi
     * max(1, 0) = 1 and no variance of the fit (a perfect fit): tau = 1, so
     * upper = (100^(2/3) + z sqrt(4/9 100^(1/3)))^(3/2), z = qnorm(0.99) */
    assert_int_equal(fr__farrington_judge(&t, 48, 0, &p, &j), FR_OK);
    assert_true(j.judged);
    double z = 2.326348, m23 = pow(100, 2.0 / 3), se = sqrt(4.0 / 9 * pow(100, 1.0 / 3));
    assert_true(fabs(j.expected - 100) < 1e-6);
    assert_true(fabs(j.upper - pow(m23 + z * se, 1.5)) < 1e-3); /* 124.14 */
    assert_true(fabs(j.lower - pow(m23 - z * se, 1.5)) < 1e-3);
    assert_int_equal(j.signal, 1); /* 130 > 124.14 */
    /* Noufaily: phi = 1, so the Poisson quantiles: qpois(0.99, 100) = 124, qpois(0.01) = 77 */
    assert_int_equal(fr__farrington_judge(&t, 48, 1, &p, &j), FR_OK);
    assert_true(j.upper == 124 && j.lower == 77);
    assert_int_equal(j.signal, 1);
    v[48] = 120; /* within both bounds */
    assert_int_equal(fr__farrington_judge(&t, 48, 1, &p, &j), FR_OK);
    assert_int_equal(j.signal, 0);
    v[48] = 70; /* below Noufaily's 77 */
    assert_int_equal(fr__farrington_judge(&t, 48, 1, &p, &j), FR_OK);
    assert_int_equal(j.signal, -1);
    /* too young: 11 months of history cannot give one year back plus w */
    assert_int_equal(fr__farrington_judge(&t, 12, 0, &p, &j), FR_OK);
    assert_false(j.judged);
    assert_int_equal(fr__farrington_judge(&t, 13, 0, &p, &j), FR_OK);
    assert_true(j.judged);
}

static void cusum_alarms_in_the_hand_computed_month_of_a_step(void **state)
{
    (void)state;
    /* 100 for 12 months, then 150: each month adds log(151/101) - 0.2 = 0.2022;
     * the sum passes h = 1.2 in the 6th month of the step (6 x 0.2022 = 1.213) */
    double v[30], expect[30];
    unsigned char excl[30];
    for (int i = 0; i < 30; i++)
        v[i] = i < 12 ? 100 : 150;
    fr__track t = track_of(v, 30, expect, excl);
    fr_alert_params p;
    fr_alert_params_default(&p);
    fr__cusum c;
    fr__cusum_init(&c);
    int alarms = 0, first = -1, onset_of_first = -1;
    for (int i = 0; i < 30; i++) {
        fr__judgement j;
        int onset;
        fr__cusum_judge(&c, &t, i, &p, &j, &onset);
        if (j.signal) {
            alarms++;
            if (first < 0) first = i, onset_of_first = onset;
            assert_int_equal(j.signal, 1);
            assert_true(fabs(j.expected - 100) < 1e-9);
        }
    }
    assert_int_equal(first, 17);
    assert_int_equal(onset_of_first, 12);
    assert_int_equal(alarms, 1); /* restarted at the new level 150: no second alarm */
}

static void year_on_year_needs_the_month_and_the_quarter(void **state)
{
    (void)state;
    double v[27], expect[27];
    unsigned char excl[27];
    for (int i = 0; i < 27; i++)
        v[i] = 100;
    v[26] = 400; /* one month x4, the quarter's mean (100+100+400)/3 = 200 < 300: no signal */
    fr__track t = track_of(v, 27, expect, excl);
    fr_alert_params p;
    fr_alert_params_default(&p);
    fr__judgement j;
    fr__yoy_judge(&t, 26, &p, &j);
    assert_true(j.judged && j.expected == 100);
    assert_int_equal(j.signal, 0);
    v[24] = v[25] = 400; /* the quarter x4 too */
    fr__yoy_judge(&t, 26, &p, &j);
    assert_int_equal(j.signal, 1);
    v[24] = v[25] = v[26] = 30; /* all below a third */
    fr__yoy_judge(&t, 26, &p, &j);
    assert_int_equal(j.signal, -1);
    fr__yoy_judge(&t, 13, &p, &j); /* no year before the quarter */
    assert_false(j.judged);
}

static void put(fr_series *s, const char *nat, fr_month m, int64_t v)
{
    fr_error e;
    assert_int_equal(fr_series_add(s, fr_country_find_cstr(nat), "arrivals", m, v, &e), FR_OK);
}

static int64_t wobble(int64_t level, int i)
{
    return level + (i % 2 ? level / 20 : -level / 20);
}

/* 2018-01..: CHN 1000 a month for 3 years, then 2021-01.. 400 (a fall to 40%);
 * PER at 2000 throughout. */
static fr_series *fall_series(void)
{
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    for (int i = 0; i < 48; i++) {
        put(s, "CHN", Y2018 + i, i < 36 ? wobble(1000, i) : wobble(400, i));
        put(s, "PER", Y2018 + i, wobble(2000, i));
    }
    return s;
}

static void a_fall_to_forty_percent_is_an_alert_in_its_first_month(void **state)
{
    (void)state;
    fr_series *s = fall_series();
    fr_alert *a = NULL;
    size_t n = 0;
    fr_error e;
    assert_int_equal(fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fr_country_code(a[0].nationality), "CHN");
    assert_int_equal(a[0].direction, -1);
    assert_int_equal(a[0].raised, Y2018 + 36);
    assert_true(a[0].tests & FR_ALERT_TEST_FALL);
    assert_true(a[0].expected > 900 && a[0].expected < 1100);
    assert_true(a[0].lower < a[0].expected && a[0].upper > a[0].expected);
    assert_non_null(strstr(a[0].message, "CHN arrivals fell: 380 in 2021-01"));
    fr_free(a);
    /* the fall test alone cannot raise it: one family is not enough */
    fr_alert_params p;
    fr_alert_params_default(&p);
    p.tests = FR_ALERT_TEST_FALL;
    assert_int_equal(fr_alerts_detect(s, &p, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 0);
    fr_free(a);
    p.min_tests = 1;
    assert_int_equal(fr_alerts_detect(s, &p, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].tests, FR_ALERT_TEST_FALL);
    fr_free(a);
    fr_series_free(s);
}

/* 2018-01..2020-12 steady 100; 2021: 300 from 2021-01, then 1000 and more
 * from 2021-07: a surge that keeps rising. */
static fr_series *rising_series(void)
{
    fr_series *s;
    assert_int_equal(fr_series_new(&s), FR_OK);
    for (int i = 0; i < 48; i++) {
        int64_t v = i < 36 ? wobble(100, i) : i < 42 ? 300 + 10 * (i - 36) : 1600 + 100 * (i - 42);
        put(s, "CHN", Y2018 + i, v);
    }
    return s;
}

static void a_rise_that_goes_on_is_reported_again_and_the_backtest_agrees(void **state)
{
    (void)state;
    fr_series *s = rising_series();
    fr_alert *a = NULL, *b = NULL;
    size_t n = 0, nb = 0;
    fr_error e;
    assert_int_equal(fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(a[0].raised, Y2018 + 36); /* 300 against 100 */
    assert_int_equal(a[1].raised, Y2018 + 42); /* 1600 >= 5 x 300: rose further */
    assert_true(a[1].tests & FR_ALERT_TEST_SEASONAL);
    assert_non_null(strstr(a[0].message, "rose further after 2021-06"));
    /* --from 2021-04: the second alert is still reported */
    fr_free(a);
    assert_int_equal(fr_alerts_detect(s, NULL, Y2018 + 39, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].raised, Y2018 + 42);
    fr_free(a);
    /* the backtest, month by month with the future hidden, raises the same alerts */
    assert_int_equal(fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_OK);
    assert_int_equal(fr_alerts_backtest(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &b, &nb, &e), FR_OK);
    assert_int_equal(nb, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(b[i].raised, a[i].raised);
        assert_int_equal(b[i].period, a[i].period);
        assert_int_equal(b[i].direction, a[i].direction);
    }
    fr_free(a);
    fr_free(b);
    fr_series_free(s);
}

static void bad_test_names_and_parameters_are_refused(void **state)
{
    (void)state;
    unsigned t = 0;
    fr_error e;
    assert_int_equal(fr_alert_tests_parse("noufaily,cusum", &t, &e), FR_OK);
    assert_int_equal(t, FR_ALERT_TEST_NOUFAILY | FR_ALERT_TEST_CUSUM);
    assert_int_equal(fr_alert_tests_parse("all", &t, &e), FR_OK);
    assert_int_equal(t, FR_ALERT_TESTS_ALL);
    assert_int_equal(fr_alert_tests_parse("seasonal,farington", &t, &e), FR_EINVAL);
    assert_int_equal(e.column, 10);
    assert_non_null(strstr(e.message, "'farington' is not a test"));
    fr_series *s = fall_series();
    fr_alert_params p;
    fr_alert_params_default(&p);
    p.alpha = 0.7;
    fr_alert *a = NULL;
    size_t n = 0;
    assert_int_equal(fr_alerts_detect(s, &p, FR_MONTH_NONE, FR_MONTH_NONE, &a, &n, &e), FR_EINVAL);
    assert_null(a);
    fr_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(glm_intercept_is_the_log_mean_and_phi_pearsons),
        cmocka_unit_test(glm_recovers_an_exact_log_linear_trend),
        cmocka_unit_test(quantiles_agree_with_r),
        cmocka_unit_test(flat_series_gives_the_hand_computed_bounds),
        cmocka_unit_test(cusum_alarms_in_the_hand_computed_month_of_a_step),
        cmocka_unit_test(year_on_year_needs_the_month_and_the_quarter),
        cmocka_unit_test(a_fall_to_forty_percent_is_an_alert_in_its_first_month),
        cmocka_unit_test(a_rise_that_goes_on_is_reported_again_and_the_backtest_agrees),
        cmocka_unit_test(bad_test_names_and_parameters_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
