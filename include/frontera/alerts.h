/* SPDX-License-Identifier: MIT */
/* alerts.h: early-warning alerts on monthly flows by nationality.
 *
 * The detector reads a series set (series.h) and judges each month of each
 * (nationality, metric) series against a seasonal baseline:
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
} fr_alert_params;

/* Fill p with the defaults above. */
void fr_alert_params_default(fr_alert_params *p);

#define FR_ALERT_MESSAGE_MAX 320

typedef struct fr_alert {
    int nationality;                       /* country index (country.h) */
    char metric[FR_SERIES_METRIC_MAX + 1]; /* "arrivals", "nonexit_rate" ... */
    fr_month period; /* the month the alert is raised (first significant month) */
    fr_month since;  /* onset: first of the months in a row above expected x close_factor */
    fr_month until;  /* last month of the episode */
    int ongoing;     /* the episode runs to the last month of the series */
    double observed, expected, factor, z; /* at period; rates are shares (0..1) */
    double peak;                          /* highest observed value in the episode ... */
    fr_month peak_period;                 /* ... and its month */
    char message[FR_ALERT_MESSAGE_MAX];   /* one sentence that explains it */
} fr_alert;

/* Judge every series of s and return the alerts raised in [from, to]
 * (FR_MONTH_NONE: open; months before `from` still serve as history), in
 * order of period, then nationality code, then metric. *out (caller frees
 * with fr_free; NULL when there is none) and *n receive them. params may be
 * NULL (defaults). Errors: FR_EINVAL (a parameter out of range, err says
 * which), FR_ENOMEM. */
int fr_alerts_detect(const fr_series *s, const fr_alert_params *params, fr_month from, fr_month to,
                     fr_alert **out, size_t *n, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
