/* SPDX-License-Identifier: MIT */
/* alerts_internal.h: what alerts*.c share (not part of the public interface).
 *
 * A "track" is one series as the detectors see it: a value per month of the
 * set (a count, or a numerator over a denominator for a rate), with a flag
 * per month saying whether it may serve as baseline. Each test turns a track
 * into a list of "signals" (fr__signal: the month it fired, the expected
 * value with its interval); alerts.c turns signals into episodes and merges
 * the episodes of different tests into alerts. */
#ifndef FR_ALERTS_INTERNAL_H
#define FR_ALERTS_INTERNAL_H

#include "frontera/alerts.h"

typedef struct fr__track {
    int n;           /* months */
    fr_month first;  /* month of index 0 */
    const double *k; /* count, or numerator; < 0 missing */
    const double *d; /* NULL for a count; denominator for a rate */
    unsigned char *excl;
    double *expect; /* expected as judged at each month; NAN when not judged */
    int is_rate;
    int firstp; /* first month with a value, or -1 */
} fr__track;

static inline int fr__present(const fr__track *t, int i)
{
    return t->k[i] >= 0 && (!t->d || t->d[i] > 0);
}

static inline double fr__obs(const fr__track *t, int i)
{
    return t->d ? t->k[i] / t->d[i] : t->k[i];
}

/* What one test says of one month: judged (enough history), whether the
 * observed value is out of the interval upwards (+1), downwards (-1) or not
 * (0), and the expected value with its interval [lower, upper]. */
typedef struct fr__judgement {
    int judged;
    int signal;
    double expected, lower, upper;
    double z; /* the test's score where it has one, else 0 */
} fr__judgement;

/* A growing list of alerts. */
typedef struct fr__alert_list {
    fr_alert *v;
    size_t n, cap;
} fr__alert_list;
int fr__alert_push(fr__alert_list *l, const fr_alert *a);

/* The seasonal test (alerts.c): judge a track from its first month, with
 * its own episodes, appending one alert per episode (direction +1, tests
 * FR_ALERT_TEST_SEASONAL) to out. t->excl and t->expect are its scratch. */
int fr__seasonal_run(fr__track *t, int nat, const char *metric, const fr_alert_params *p,
                     fr__alert_list *out);
/* The decrease test (alerts.c): month `at` against the seasonal baseline
 * mirrored. Uses t->excl (episode months) and sets t->expect[at]. */
void fr__fall_judge(fr__track *t, int at, const fr_alert_params *p, fr__judgement *out);
/* The sentence of an alert (alerts.c), from its fields. */
void fr__alert_describe(fr_alert *a, int is_rate, int learnt);

/* The quasi-Poisson regression tests (alerts_farrington.c): Farrington et
 * al. (1996) when noufaily is 0, Noufaily et al. (2013) otherwise. Judges
 * month `at` of a count track from the months before it only. Returns
 * FR_OK or FR_ENOMEM. */
int fr__farrington_judge(const fr__track *t, int at, int noufaily, const fr_alert_params *p,
                         fr__judgement *out);

/* CUSUM on the log level with restart (alerts_cusum.c): state across months. */
typedef struct fr__cusum {
    double s_up, s_down; /* cumulated log excess over the reference level */
    double ref;          /* reference level; <= 0 unknown */
    int since;           /* first month of the current run of positive s_up */
    int reset_at;        /* index of the last reset (alarm), -1 none */
} fr__cusum;
void fr__cusum_init(fr__cusum *c);
/* Judge month `at` (in order; every month of the track must be passed). */
void fr__cusum_judge(fr__cusum *c, const fr__track *t, int at, const fr_alert_params *p,
                     fr__judgement *out, int *onset);
/* Year-on-year growth of month `at` against the same month a year before. */
void fr__yoy_judge(const fr__track *t, int at, const fr_alert_params *p, fr__judgement *out);

/* A quasi-Poisson GLM with log link fitted by iteratively reweighted least
 * squares (glm.c). X is n x p, row-major; w prior weights (NULL: 1). */
#define FR__GLM_MAXP 16
typedef struct fr__glm {
    int p, n, converged, iterations;
    double beta[FR__GLM_MAXP];
    double xtwx_inv[FR__GLM_MAXP * FR__GLM_MAXP]; /* (X'WX)^-1 at the solution */
    double phi;                                   /* Pearson dispersion, unclamped */
} fr__glm;
/* Fit; mu (n values, may be NULL) receives the fitted means and hat (may be
 * NULL) the diagonal of the hat matrix. FR_OK, FR_EINVAL (singular design,
 * n <= p, p > FR__GLM_MAXP) or FR_ENOMEM. */
int fr__glm_qpois(const double *X, const double *y, const double *w, int n, int p, fr__glm *g,
                  double *mu, double *hat);
/* Variance of the linear predictor x'beta (phi included). */
double fr__glm_var_eta(const fr__glm *g, const double *x);

/* Distributions (alerts_dist.c). */
double fr__qnorm(double prob);                           /* standard normal quantile */
double fr__pnorm(double x);                              /* standard normal CDF */
double fr__qpois(double prob, double mu);                /* smallest k with P(X <= k) >= prob */
double fr__qnbinom(double prob, double size, double mu); /* same, negative binomial */
/* Two-sided p-value of Student's t with df degrees of freedom. */
double fr__pt_two_sided(double t, double df);

#endif
