/* SPDX-License-Identifier: MIT */
/* alerts.h: early-warning alerts on monthly flows by nationality.
 *
 * Several tests judge each month of each (nationality, metric) series of a
 * series set (series.h), each from the months before it only (so a backtest
 * month by month gives the same alerts):
 *
 *   seasonal    the first detector, described below (a seasonal baseline
 *               with episodes and hysteresis);
 *   farrington  the quasi-Poisson regression of Farrington et al. (1996) on
 *               the same months of earlier years (+- half_window months),
 *               with a trend when significant, Anscombe-residual reweighting
 *               and the 2/3-power upper bound (alerts_farrington.c);
 *   noufaily    its improvement by Noufaily et al. (2013): all the earlier
 *               years with a seasonal factor of noufaily_periods levels, the
 *               last noufaily_skip months left out, reweighting only above
 *               2.58, negative-binomial bounds;
 *   cusum       a CUSUM on the log level against the level before the rise,
 *               restarted after each alarm at the new level: a slow rise that
 *               goes on alerts again (alerts_cusum.c);
 *   yoy         year-on-year growth: the 3-month mean at least yoy_factor
 *               times the same months a year before;
 *   fall        decreases: the seasonal baseline mirrored (observed at most
 *               expected / fall_factor); farrington and noufaily also signal a
 *               fall below their lower bound, held to the same gates.
 *
 * Every signal must also pass the gates of size (min_count, min_excess,
 * min_factor for a rise; fall_factor for a fall). A test's signals form
 * episodes (a signal opens one; it ends after close_months months without
 * one, or after max_episode months); the episodes of different tests in the
 * same direction opened within merge_months of each other are one alert,
 * which names every test that fired.
 *
 * The seasonal test judges each month against:
 *
 *   expected = level x season
 *   level    = median of the last 12 usable months before it
 *   season   = highest, over up to 3 earlier years, of the same month's value
 *              divided by the median of the 12 months centred on it; 1 when
 *              no earlier year is known, at least 1 when only one is (one
 *              year cannot tell a season from a trend)
 *
 * A month is significant when every test holds: observed >= min_count,
 * observed - expected >= min_excess, observed / expected >= min_factor (or
 * young_factor while fewer than two earlier years give the season), and
 * a negative-binomial-like z score (observed - expected) / sqrt(expected +
 * (noise * expected)^2) >= min_z, where noise is the robust spread (1.4826 x
 * median absolute log residual) of the recent months, at least noise_floor.
 * Months are judged only after `warmup` months of history.
 *
 * The first significant month opens an alert episode. The baseline level is
 * frozen; the months of the episode do not enter later baselines. The
 * episode goes on while observed >= expected x close_factor and ends after
 * close_months months below (hysteresis), or after max_episode months, when
 * the new level is accepted as normal and learnt. One episode is one alert.
 *
 * Metrics: every metric of the set is judged as a count, except "due" and
 * "nonexits" (series_events.c), which are judged together as the metric
 * "nonexit_rate" = nonexits / due: its baseline is the pooled rate of the
 * last 12 usable months, its tests use rate_min_due, rate_min_nonexits,
 * rate_min_points (absolute rise) and a binomial z.
 *
 * Pure functions of their input: no clock, no I/O, thread-safe. */
#ifndef FRONTERA_ALERTS_H
#define FRONTERA_ALERTS_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/series.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_alert_params {
    int warmup;               /* months of history before a month is judged (12) */
    double min_count;         /* observed at least (100) */
    double min_excess;        /* observed - expected at least (30) */
    double min_factor;        /* observed / expected at least (1.5) ... */
    double young_factor;      /* ... or this (2.0) while the season is known from fewer
                                 than two earlier years: a season cannot be told from a
                                 trend with one year */
    double min_z;             /* z score at least (3.0) */
    double noise_floor;       /* least relative noise assumed (0.10) */
    double close_factor;      /* an episode month needs observed >= expected x this (1.2) */
    int close_months;         /* months below that end an episode (2) */
    int max_episode;          /* longest episode before the new level is learnt (12) */
    double rate_min_due;      /* nonexit_rate: due entries in the month at least (50) */
    double rate_min_nonexits; /* nonexit_rate: non-exits in the month at least (10) */
    double rate_min_points;   /* nonexit_rate: rise of at least this share (0.05) */
    unsigned tests;           /* FR_ALERT_TEST_* bits that run (FR_ALERT_TESTS_DEFAULT) */
    int years_back;           /* farrington/noufaily: years of history b (3; fewer while the
                                 series is younger, at least 1) */
    int half_window;          /* farrington/noufaily: months either side of the same month w (1) */
    double alpha;             /* farrington/noufaily: one-sided level of each bound (0.01) */
    int noufaily_periods;     /* noufaily: seasonal levels (4) */
    int noufaily_skip;        /* noufaily: latest months left out of the fit (6) */
    double cusum_k;           /* cusum: allowance per month, log units (0.2, about x1.22) */
    double cusum_h;           /* cusum: decision limit, log units (1.2) */
    double yoy_factor;        /* yoy: growth factor (3.0) */
    double fall_factor;       /* fall: expected / observed at least (2.5) */
    int merge_months;         /* episodes of different tests opened this close are one alert (2) */
    int min_tests;            /* an alert needs this many families of tests to agree (2; 1 = any
                                 test alone); see fr_alerts_detect */
    int surveillance_compat;  /* farrington/noufaily: use the dispersion R's surveillance
                                 1.20 uses for the trend test and the prediction's
                                 variance (see alerts_farrington.c); 0 (default): Pearson's */
    double escalate_factor;   /* seasonal: an episode whose observed value reaches this times
                                 the value that opened it is reported again (5; 0 = never) */
} fr_alert_params;

/* The tests (fr_alert_params.tests, fr_alert.tests). */
#define FR_ALERT_TEST_SEASONAL 0x01u
#define FR_ALERT_TEST_FARRINGTON 0x02u
#define FR_ALERT_TEST_NOUFAILY 0x04u
#define FR_ALERT_TEST_CUSUM 0x08u
#define FR_ALERT_TEST_YOY 0x10u
#define FR_ALERT_TEST_FALL 0x20u
#define FR_ALERT_TEST_COUNT 6
#define FR_ALERT_TESTS_ALL 0x3fu
#define FR_ALERT_TESTS_DEFAULT FR_ALERT_TESTS_ALL

/* Name of one test bit ("seasonal", "farrington" ...), "" otherwise. */
FR_API const char *fr_alert_test_name(unsigned test);
/* The names of the tests in the bits of `tests`, in test order, joined by
 * sep, into buf (cut at cap). Returns buf. */
FR_API char *fr_alert_tests_format(unsigned tests, const char *sep, char *buf, size_t cap);
/* Parse a comma-separated list of test names ("all" for every test) into
 * *tests. FR_EINVAL with the unknown name in err. */
FR_API int fr_alert_tests_parse(const char *list, unsigned *tests, fr_error *err);

/* Fill p with the defaults above. */
FR_API void fr_alert_params_default(fr_alert_params *p);

#define FR_ALERT_MESSAGE_MAX 320

typedef struct fr_alert {
    int nationality;                       /* country index (country.h) */
    char metric[FR_SERIES_METRIC_MAX + 1]; /* "arrivals", "nonexit_rate" ... */
    fr_month period; /* the first significant month: the figures below are its */
    fr_month raised; /* the month the alert is raised: when enough tests agree
                        (min_tests), period or later */
    fr_month since;  /* onset: first of the months in a row above expected x close_factor */
    fr_month until;  /* last month of the episode */
    int ongoing;     /* the episode runs to the last month of the series */
    int learnt;      /* the episode ended with its level taken as the new normal */
    double observed, expected, factor, z; /* at period; rates are shares (0..1) */
    int is_rate;          /* the series is a share of another ("nonexit_rate", "encounter_ratio"):
                             observed, expected, lower, upper and peak are 0..1, said in percent */
    double peak;          /* highest observed value in the episode ... */
    fr_month peak_period; /* ... and its month (lowest for a fall) */
    int direction;        /* +1 a rise, -1 a fall */
    unsigned tests;       /* FR_ALERT_TEST_* bits of the tests that fired */
    double lower, upper;  /* interval of the expected value at period (the first test's) */
    char message[FR_ALERT_MESSAGE_MAX]; /* one sentence that explains it */
} fr_alert;

/* Judge every series of s and return the alerts raised in [from, to]
 * (FR_MONTH_NONE: open; months before `from` still serve as history), in
 * order of period, then nationality code, then metric. *out (caller frees
 * with fr_free; NULL when there is none) and *n receive them. params may be
 * NULL (defaults). Errors: FR_EINVAL (a parameter out of range, err says
 * which), FR_ENOMEM. */
FR_API int fr_alerts_detect(const fr_series *s, const fr_alert_params *params, fr_month from,
                            fr_month to, fr_alert **out, size_t *n, fr_error *err);

/* What one test says of each month of one series, before episodes, gates and
 * merging: for comparisons with other implementations (bench/
 * compare-surveillance.sh) and charts. key is a series key (a count; rates are
 * not traced), test one FR_ALERT_TEST_* bit other than SEASONAL. *out
 * (caller frees with fr_free) receives one row per month of the set. */
typedef struct fr_alert_judgement {
    fr_month month;
    int judged;      /* enough history to judge */
    int signal;      /* +1 above the interval, -1 below, 0 within */
    double observed; /* -1 missing */
    double expected, lower, upper;
} fr_alert_judgement;
FR_API int fr_alerts_trace(const fr_series *s, size_t key, unsigned test,
                           const fr_alert_params *params, fr_alert_judgement **out, size_t *n,
                           fr_error *err);

/* Backtest: for each month m of [from, to] (FR_MONTH_NONE: the whole set),
 * judge the series as known at the end of m (months after m hidden) and
 * keep the alerts raised in m, as a live run would have printed them then
 * (until, ongoing and peak as known in m). Same ownership and errors as
 * fr_alerts_detect. Cost: one detection per month. */
FR_API int fr_alerts_backtest(const fr_series *s, const fr_alert_params *params, fr_month from,
                              fr_month to, fr_alert **out, size_t *n, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
