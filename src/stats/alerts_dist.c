/* SPDX-License-Identifier: MIT */
/* alerts_dist.c: the few distribution functions the alert tests need: the
 * normal quantile and CDF, and quantiles of the Poisson and negative
 * binomial distributions (the thresholds of Noufaily et al.).
 *
 * The discrete CDFs are regularised incomplete functions, computed with the
 * series and continued fractions of Abramowitz & Stegun 6.5 and 26.5
 * (modified Lentz's method):
 *     Poisson(mu):       P(X <= k) = Q(k + 1, mu)        (upper gamma)
 *     NB(size, mu):      P(X <= k) = I_p(size, k + 1),   p = size / (size + mu)
 * A quantile is the smallest k with P(X <= k) >= prob, found by bracketing
 * from the normal approximation and bisecting on whole numbers. */
#include <float.h>
#include <math.h>

#include "alerts_internal.h"

#define CF_MAX 100000
#define CF_EPS 1e-15
#define TINY 1e-300

double fr__pnorm(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Wichura's AS 241 (PPND16), accurate to about 1e-16. */
double fr__qnorm(double p)
{
    if (p <= 0) return -INFINITY;
    if (p >= 1) return INFINITY;
    double q = p - 0.5, r, x;
    if (fabs(q) <= 0.425) {
        r = 0.180625 - q * q;
        return q *
               (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                     67265.770927008700853) *
                        r +
                    45921.953931549871457) *
                       r +
                   13731.693765509461125) *
                      r +
                  1971.5909503065514427) *
                     r +
                 133.14166789178437745) *
                    r +
                3.387132872796366608) /
               (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                     39307.89580009271061) *
                        r +
                    21213.794301586595867) *
                       r +
                   5394.1960214247511077) *
                      r +
                  687.1870074920579083) *
                     r +
                 42.313330701600911252) *
                    r +
                1.0);
    }
    r = q < 0 ? p : 1 - p;
    r = sqrt(-log(r));
    if (r <= 5) {
        r -= 1.6;
        x = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
                  0.24178072517745061177) *
                     r +
                 1.27045825245236838258) *
                    r +
                3.64784832476320460504) *
                   r +
               5.7694972214606914055) *
                  r +
              4.6303378461565452959) *
                 r +
             1.42343711074968357734) /
            (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                  0.0151986665636164571966) *
                     r +
                 0.14810397642748007459) *
                    r +
                0.68976733498510000455) *
                   r +
               1.6763848301838038494) *
                  r +
              2.05319162663775882187) *
                 r +
             1.0);
    } else {
        r -= 5;
        x = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
                  0.0012426609473880784386) *
                     r +
                 0.026532189526576123093) *
                    r +
                0.29656057182850489123) *
                   r +
               1.7848265399172913358) *
                  r +
              5.4637849111641143699) *
                 r +
             6.6579046435011037772) /
            (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                  1.8463183175100546818e-5) *
                     r +
                 7.868691311456132591e-4) *
                    r +
                0.0148753612908506148525) *
                   r +
               0.13692988092273580531) *
                  r +
              0.59983220655588793769) *
                 r +
             1.0);
    }
    return q < 0 ? -x : x;
}

/* Regularised upper incomplete gamma Q(a, x). */
static double gamma_q(double a, double x)
{
    if (x <= 0) return 1;
    double lpre = a * log(x) - x - lgamma(a);
    if (x < a + 1) { /* series for P */
        double sum = 1 / a, del = sum, ap = a;
        for (int n = 0; n < CF_MAX; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (fabs(del) < fabs(sum) * CF_EPS) break;
        }
        return 1 - sum * exp(lpre);
    }
    double b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
    for (int i = 1; i < CF_MAX; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < TINY) d = TINY;
        c = b + an / c;
        if (fabs(c) < TINY) c = TINY;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < CF_EPS) break;
    }
    return exp(lpre) * h;
}

static double beta_cf(double a, double b, double x)
{
    double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < TINY) d = TINY;
    d = 1 / d;
    double h = d;
    for (int m = 1; m < CF_MAX; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < TINY) d = TINY;
        c = 1 + aa / c;
        if (fabs(c) < TINY) c = TINY;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < TINY) d = TINY;
        c = 1 + aa / c;
        if (fabs(c) < TINY) c = TINY;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < CF_EPS) break;
    }
    return h;
}

/* Regularised incomplete beta I_x(a, b). */
static double beta_i(double a, double b, double x)
{
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return exp(lbt) * beta_cf(a, b, x) / a;
    return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}

typedef double (*cdf_fn)(double k, double a, double b);

static double pois_cdf(double k, double mu, double unused)
{
    (void)unused;
    return k < 0 ? 0 : gamma_q(k + 1, mu);
}

static double nb_cdf(double k, double size, double mu)
{
    return k < 0 ? 0 : beta_i(size, k + 1, size / (size + mu));
}

/* Smallest whole k >= 0 with cdf(k) >= prob, from a guess and a spread. */
static double quantile(cdf_fn cdf, double a, double b, double prob, double guess, double sd)
{
    if (prob <= 0) return 0;
    if (prob >= 1) return INFINITY;
    double step = sd > 1 ? ceil(sd) : 1;
    double lo = floor(guess), hi;
    if (lo < 0) lo = 0;
    if (cdf(lo, a, b) >= prob) { /* go down until below */
        hi = lo;
        for (;;) {
            lo = hi - step;
            if (lo < 0) {
                lo = -1;
                break;
            }
            if (cdf(lo, a, b) < prob) break;
            hi = lo;
            step *= 2;
        }
    } else {
        for (;;) {
            hi = lo + step;
            if (cdf(hi, a, b) >= prob) break;
            lo = hi;
            step *= 2;
            if (hi > 1e15) return hi;
        }
    }
    while (hi - lo > 1) { /* cdf(lo) < prob <= cdf(hi) */
        double mid = floor((lo + hi) / 2);
        if (cdf(mid, a, b) >= prob)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

double fr__qpois(double prob, double mu)
{
    if (!(mu > 0)) return 0;
    return quantile(pois_cdf, mu, 0, prob, mu + fr__qnorm(prob) * sqrt(mu), sqrt(mu));
}

double fr__qnbinom(double prob, double size, double mu)
{
    if (!(mu > 0)) return 0;
    if (!(size > 0) || !isfinite(size)) return fr__qpois(prob, mu);
    double sd = sqrt(mu + mu * mu / size);
    return quantile(nb_cdf, size, mu, prob, mu + fr__qnorm(prob) * sd, sd);
}

double fr__pt_two_sided(double t, double df)
{
    if (!(df > 0)) return 1;
    return beta_i(df / 2, 0.5, df / (df + t * t));
}
