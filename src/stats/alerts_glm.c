/* SPDX-License-Identifier: MIT */
/* alerts_glm.c: a quasi-Poisson generalised linear model with log link,
 * fitted by iteratively reweighted least squares (IRLS), for the regression
 * tests of alerts_farrington.c.
 *
 * Each iteration solves the weighted least-squares problem
 *     (X' W X) beta = X' W z,  W = w * mu,  z = eta + (y - mu) / mu
 * by a Cholesky factorisation of the p x p matrix (p is small: an intercept,
 * a trend and a few seasonal levels), starting from eta = log(y + 0.5) as
 * R's glm does for the Poisson family (mustart = y + 0.1), until the
 * deviance changes by less than 1e-8 relatively (R's glm.control epsilon).
 * The dispersion is Pearson's: sum w (y - mu)^2 / mu / (n - p), as R's
 * summary.glm reports it for the quasipoisson family. */
#include <math.h>
#include <string.h>

#include "alerts_internal.h"
#include "frontera/alloc.h"
#include "frontera/status.h"

#define MAX_ITER 50

/* Cholesky factor of the p x p symmetric matrix a (in place, lower); 0 when
 * it is not positive definite. */
static int cholesky(double *a, int p)
{
    for (int j = 0; j < p; j++) {
        double s = a[j * p + j];
        for (int k = 0; k < j; k++)
            s -= a[j * p + k] * a[j * p + k];
        if (!(s > 1e-12 * (1 + fabs(a[j * p + j])))) return 0;
        a[j * p + j] = sqrt(s);
        for (int i = j + 1; i < p; i++) {
            double t = a[i * p + j];
            for (int k = 0; k < j; k++)
                t -= a[i * p + k] * a[j * p + k];
            a[i * p + j] = t / a[j * p + j];
        }
    }
    return 1;
}

/* Solve L L' x = b in place (b becomes x). */
static void chol_solve(const double *l, int p, double *b)
{
    for (int i = 0; i < p; i++) {
        double s = b[i];
        for (int k = 0; k < i; k++)
            s -= l[i * p + k] * b[k];
        b[i] = s / l[i * p + i];
    }
    for (int i = p - 1; i >= 0; i--) {
        double s = b[i];
        for (int k = i + 1; k < p; k++)
            s -= l[k * p + i] * b[k];
        b[i] = s / l[i * p + i];
    }
}

static double deviance(const double *y, const double *mu, const double *w, int n)
{
    double d = 0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        double t = y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0;
        d += 2 * wi * (t - (y[i] - mu[i]));
    }
    return d;
}

int fr__glm_qpois(const double *X, const double *y, const double *w, int n, int p, fr__glm *g,
                  double *mu_out, double *hat)
{
    if (p < 1 || p > FR__GLM_MAXP || n <= p) return FR_EINVAL;
    double *eta = fr_malloc((size_t)n * 2 * sizeof *eta);
    if (!eta) return FR_ENOMEM;
    double *mu = eta + n;
    double a[FR__GLM_MAXP * FR__GLM_MAXP], b[FR__GLM_MAXP];
    int rc = FR_EINVAL;
    memset(g, 0, sizeof *g);
    g->p = p;
    g->n = n;
    for (int i = 0; i < n; i++) {
        mu[i] = y[i] + 0.1;
        eta[i] = log(mu[i]);
    }
    double dev_old = deviance(y, mu, w, n);
    for (int it = 1; it <= MAX_ITER; it++) {
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        for (int i = 0; i < n; i++) {
            double wi = (w ? w[i] : 1) * mu[i];
            double z = eta[i] + (y[i] - mu[i]) / mu[i];
            const double *x = X + (size_t)i * p;
            for (int r = 0; r < p; r++) {
                b[r] += wi * x[r] * z;
                for (int c = 0; c <= r; c++)
                    a[r * p + c] += wi * x[r] * x[c];
            }
        }
        if (!cholesky(a, p)) goto done;
        chol_solve(a, p, b);
        for (int i = 0; i < n; i++) {
            const double *x = X + (size_t)i * p;
            double e = 0;
            for (int r = 0; r < p; r++)
                e += x[r] * b[r];
            if (e > 700) e = 700;
            eta[i] = e;
            mu[i] = exp(e);
            if (mu[i] < 1e-300) mu[i] = 1e-300;
        }
        memcpy(g->beta, b, (size_t)p * sizeof *b);
        g->iterations = it;
        double dev = deviance(y, mu, w, n);
        if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < 1e-8) {
            g->converged = 1;
            break;
        }
        dev_old = dev;
    }
    /* (X'WX)^-1 at the solution, the dispersion and the hat values */
    memset(a, 0, sizeof a);
    for (int i = 0; i < n; i++) {
        double wi = (w ? w[i] : 1) * mu[i];
        const double *x = X + (size_t)i * p;
        for (int r = 0; r < p; r++)
            for (int c = 0; c <= r; c++)
                a[r * p + c] += wi * x[r] * x[c];
    }
    if (!cholesky(a, p)) goto done;
    for (int c = 0; c < p; c++) {
        double e[FR__GLM_MAXP] = {0};
        e[c] = 1;
        chol_solve(a, p, e);
        for (int r = 0; r < p; r++)
            g->xtwx_inv[r * p + c] = e[r];
    }
    double pearson = 0;
    int used = 0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (wi <= 0) continue;
        used++;
        pearson += wi * (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
    }
    g->phi = used > p ? pearson / (used - p) : 1;
    if (hat)
        for (int i = 0; i < n; i++) {
            const double *x = X + (size_t)i * p;
            double h = 0;
            for (int r = 0; r < p; r++)
                for (int c = 0; c < p; c++)
                    h += x[r] * g->xtwx_inv[r * p + c] * x[c];
            hat[i] = h * (w ? w[i] : 1) * mu[i];
        }
    if (mu_out) memcpy(mu_out, mu, (size_t)n * sizeof *mu);
    rc = FR_OK;
done:
    fr_free(eta);
    return rc;
}

double fr__glm_var_eta(const fr__glm *g, const double *x)
{
    double v = 0;
    for (int r = 0; r < g->p; r++)
        for (int c = 0; c < g->p; c++)
            v += x[r] * g->xtwx_inv[r * g->p + c] * x[c];
    return v * g->phi;
}
