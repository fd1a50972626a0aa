/* SPDX-License-Identifier: MIT */
/* alerts_farrington.c: the quasi-Poisson regression tests of Farrington et
 * al. (1996) and Noufaily et al. (2013), as the R package surveillance
 * implements them in farringtonFlexible (the reference for bench/
 * compare-surveillance.sh), for monthly counts.
 *
 * To judge month t, with b years back and a half-window of w months:
 * - Farrington: the reference months are t - 12j - w .. t - 12j + w for
 *   j = 1..b; the model is log mu = a + beta * time.
 * - Noufaily: every month from t - 12b - w to t - noufaily_skip - 1, with a
 *   seasonal factor of P levels: the windows around t - 12j form level P,
 *   the months between two windows are cut into P - 1 blocks (the first
 *   blocks one longer when they do not divide evenly), as surveillance's
 *   blocks(); log mu = a + beta * time + season.
 * Both fit the model (alerts_glm.c), take phi = max(1, dispersion), compute
 * the standardised Anscombe residuals s = 3/2 (y^(2/3) mu^(-1/6) - mu^(1/2))
 * / sqrt(phi (1 - h)) and refit with weights gamma * s^-2 where s exceeds 1
 * (Farrington) or 2.58 (Noufaily), gamma making the weights sum to n. The
 * trend is kept only with three years of history, a two-sided t-test p below
 * 0.05 and a prediction not above the largest reference count; otherwise the
 * model is refitted without it. Bounds at level alpha:
 * - Farrington: on the 2/3-power scale, mu0^(2/3) +- z sqrt(4/9 mu0^(1/3)
 *   (phi + var(mu0)/mu0)), raised to 3/2 (z the normal 1 - alpha quantile);
 * - Noufaily: the alpha and 1 - alpha quantiles of a negative binomial of
 *   mean mu0 and size mu0 / (phi - 1) (Poisson when phi is 1).
 * Deviations from surveillance 1.20: while the series is younger than b
 * years, b is the number of whole years available (surveillance refuses);
 * the tests then start judging one year (plus w months) into the series.
 * And surveillance's fitGLM.flexible overwrites the fitted model's working
 * weights with the prior weights (model$weights <- omega), so the dispersion
 * that summary() and predict() then use for the trend's t-test and the
 * prediction's standard error is sum omega (y - mu)^2 / mu^2 / (n - p), not
 * Pearson's sum omega (y - mu)^2 / mu / (n - p): with counts in the hundreds it
 * is far smaller, keeps trends more often and narrows the bound. frontera
 * uses Pearson's; surveillance_compat = 1 reproduces surveillance's for the
 * comparison (bench/compare-surveillance.sh). */
#include <math.h>
#include <string.h>

#include "alerts_internal.h"
#include "frontera/alloc.h"
#include "frontera/status.h"

#define MAX_POINTS 1300

typedef struct design {
    int n, p, trend, levels;
    double *X, *y;
    int level_col[FR__GLM_MAXP]; /* column of each seasonal level (0: the reference) */
} design;

/* Seasonal levels of months lo..at (surveillance's blocks()); -1 outside. */
static void blocks(int at, int b, int w, int P, int lo, int *lvl)
{
    for (int i = lo; i <= at; i++)
        lvl[i - lo] = -1;
    for (int i = at - w; i <= at; i++)
        if (i >= lo) lvl[i - lo] = P;
    for (int j = 1; j <= b; j++) {
        int ref = at - 12 * j, later = at - 12 * (j - 1);
        for (int i = ref - w; i <= ref + w; i++)
            if (i >= lo && i <= at) lvl[i - lo] = P;
        if (P == 1) continue;
        int period = later - 2 * w - 1 - ref, len = period / (P - 1), rest = period % (P - 1);
        int pos = ref + w + 1;
        for (int q = 1; q <= P - 1; q++) {
            int l = len + (q <= rest);
            for (int i = pos; i < pos + l; i++)
                if (i >= lo && i <= at) lvl[i - lo] = q;
            pos += l;
        }
    }
}

/* surveillance's dispersion after its weights overwrite (see above). */
static double compat_dispersion(const design *d, const double *mu, const double *wt, int p)
{
    double s = 0;
    for (int i = 0; i < d->n; i++)
        s += wt[i] * (d->y[i] - mu[i]) * (d->y[i] - mu[i]) / (mu[i] * mu[i]);
    return d->n > p ? s / (d->n - p) : 1;
}

/* Fit with reweighting; g and phi (clamped) out. */
static int fit_reweighted(const design *d, double thr, fr__glm *g, double *phi, double *mu,
                          double *hat, double *wt)
{
    int rc = fr__glm_qpois(d->X, d->y, NULL, d->n, d->p, g, mu, hat);
    if (rc != FR_OK) return rc;
    double ph = g->phi > 1 ? g->phi : 1, sum = 0;
    for (int i = 0; i < d->n; i++) {
        double h = hat[i] < 1 ? hat[i] : 1 - 1e-9;
        double s =
            1.5 * (pow(d->y[i], 2.0 / 3) * pow(mu[i], -1.0 / 6) - sqrt(mu[i])) / sqrt(ph * (1 - h));
        wt[i] = s > thr ? 1 / (s * s) : 1;
        sum += wt[i];
    }
    for (int i = 0; i < d->n; i++)
        wt[i] *= d->n / sum;
    rc = fr__glm_qpois(d->X, d->y, wt, d->n, d->p, g, mu, NULL);
    if (rc != FR_OK) return rc;
    *phi = g->phi > 1 ? g->phi : 1;
    return FR_OK;
}

/* Build the design over the chosen months: intercept, trend (optional),
 * one column per seasonal level other than P that occurs. */
static void build(design *d, const fr__track *t, const int *idx, const int *lvl, int n, int trend,
                  int P)
{
    int present[FR__GLM_MAXP + 1] = {0};
    for (int i = 0; i < n; i++)
        if (lvl[i] >= 1 && lvl[i] < P) present[lvl[i]] = 1;
    d->p = 1 + (trend ? 1 : 0);
    for (int q = 1; q < P && q <= FR__GLM_MAXP; q++)
        d->level_col[q] = present[q] && d->p < FR__GLM_MAXP ? d->p++ : 0;
    d->n = n;
    d->trend = trend;
    for (int i = 0; i < n; i++) {
        double *x = d->X + (size_t)i * d->p;
        memset(x, 0, (size_t)d->p * sizeof *x);
        x[0] = 1;
        if (trend) x[1] = idx[i];
        if (lvl[i] >= 1 && lvl[i] < P && d->level_col[lvl[i]]) x[d->level_col[lvl[i]]] = 1;
        d->y[i] = t->k[idx[i]];
    }
}

int fr__farrington_judge(const fr__track *t, int at, int noufaily, const fr_alert_params *p,
                         fr__judgement *out)
{
    memset(out, 0, sizeof *out);
    int w = p->half_window, P = noufaily ? p->noufaily_periods : 1;
    int skip = noufaily ? p->noufaily_skip : w;
    int b = p->years_back;
    while (b > 0 && at - 12 * b - w < 0)
        b--;
    if (b < 1 || t->is_rate) return FR_OK;
    if (P < 1) P = 1;
    if (P > FR__GLM_MAXP - 1) P = FR__GLM_MAXP - 1;
    int lo = at - 12 * b - w, span = at - lo + 1;
    if (span > MAX_POINTS) return FR_OK;
    int lvl_all[MAX_POINTS], idx[MAX_POINTS], lvl[MAX_POINTS], n = 0;
    blocks(at, b, w, P, lo, lvl_all);
    double maxy = 0;
    for (int i = lo; i <= at - skip - 1; i++) {
        if (lvl_all[i - lo] < 0 || !fr__present(t, i)) continue;
        idx[n] = i;
        lvl[n] = lvl_all[i - lo];
        if (t->k[i] > maxy) maxy = t->k[i];
        n++;
    }
    if (n < 3 || maxy <= 0) return FR_OK;
    int rc = FR_ENOMEM;
    double *buf = fr_malloc((size_t)n * (FR__GLM_MAXP + 5) * sizeof *buf);
    if (!buf) return FR_ENOMEM;
    design d;
    d.X = buf;
    d.y = buf + (size_t)n * FR__GLM_MAXP;
    double *mu = d.y + n, *hat = mu + n, *wt = hat + n;
    fr__glm g;
    double phi = 1, x0[FR__GLM_MAXP] = {0};
    int fitted = 0;
    double thr = noufaily ? 2.58 : 1.0;
    /* with a trend first; kept only when significant, not extrapolating,
     * and with three years of history */
    build(&d, t, idx, lvl, n, 1, P);
    if (n > d.p && fit_reweighted(&d, thr, &g, &phi, mu, hat, wt) == FR_OK && g.converged) {
        x0[0] = 1;
        x0[1] = at;
        double eta = g.beta[0] + g.beta[1] * at;
        double disp = p->surveillance_compat ? compat_dispersion(&d, mu, wt, d.p) : g.phi;
        double se = sqrt(g.xtwx_inv[1 * d.p + 1] * disp);
        int df = n - d.p;
        double pval = se > 0 ? fr__pt_two_sided(g.beta[1] / se, df) : 1;
        fitted = b >= 3 && pval < 0.05 && exp(eta) <= maxy;
    }
    if (!fitted) {
        build(&d, t, idx, lvl, n, 0, P);
        if (n <= d.p || fit_reweighted(&d, thr, &g, &phi, mu, hat, wt) != FR_OK || !g.converged) {
            rc = FR_OK; /* no judgement: the model cannot be fitted */
            goto done;
        }
        memset(x0, 0, sizeof x0);
        x0[0] = 1;
    }
    double eta0 = 0;
    for (int c = 0; c < d.p; c++)
        eta0 += x0[c] * g.beta[c];
    if (p->surveillance_compat) g.phi = compat_dispersion(&d, mu, wt, d.p);
    double mu0 = exp(eta0), var_eta = fr__glm_var_eta(&g, x0), y = t->k[at];
    double z = fr__qnorm(1 - p->alpha);
    if (noufaily) {
        if (phi > 1) {
            out->lower = fr__qnbinom(p->alpha, mu0 / (phi - 1), mu0);
            out->upper = fr__qnbinom(1 - p->alpha, mu0 / (phi - 1), mu0);
        } else {
            out->lower = fr__qpois(p->alpha, mu0);
            out->upper = fr__qpois(1 - p->alpha, mu0);
        }
    } else {
        double tau = phi + mu0 * mu0 * var_eta / mu0;
        double se = sqrt(4.0 / 9 * pow(mu0, 1.0 / 3) * tau), m23 = pow(mu0, 2.0 / 3);
        out->upper = pow(m23 + z * se, 1.5);
        out->lower = m23 - z * se > 0 ? pow(m23 - z * se, 1.5) : 0;
    }
    out->judged = 1;
    out->expected = mu0;
    out->signal = y > out->upper && y > 0 ? 1 : y < out->lower ? -1 : 0;
    rc = FR_OK;
done:
    fr_free(buf);
    return rc;
}
