/* SPDX-License-Identifier: MIT */
/* arrivals_routes.c: flows by route (arrivals.h, fr_arrivals_routes), shared
 * by `frontera report flows --by embarkation,...` and GET /v1/reports/flows.
 * The period is reconciled a month at a time (fr_arrivals_reconcile); each
 * announced person it counts becomes one fr_route_person with its outcome,
 * copied out of the reconciliation, and fr_report_routes groups them. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/arrivals.h"

#define ROUTES_STEP_DAYS 31 /* a month at a time: the entries of a period are held in memory */

typedef struct owned {
    fr_date date;
    char embarkation[8], nationality[4], port[6];
    int outcome;
} owned;

static int route_outcome(fr_manifest_outcome o)
{
    switch (o) {
    case FR_RECON_ENTERED:
        return FR_ROUTE_ENTERED;
    case FR_RECON_REFUSED:
        return FR_ROUTE_REFUSED;
    case FR_RECON_NOT_PRESENTED:
        return FR_ROUTE_NOT_PRESENTED;
    case FR_RECON_TRANSIT_ENTERED:
        return FR_ROUTE_TRANSIT_ENTERED;
    default:
        return -1;
    }
}

/* Append the counted persons of r to *v. */
static int collect(const fr_arrivals_recon *r, owned **v, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < r->npersons; i++) {
        if (!fr_arrivals_recon_counts(r, i)) continue;
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 1024;
            owned *nv = fr_realloc(*v, ncap * sizeof *nv);
            if (!nv) return FR_ENOMEM;
            *v = nv;
            *cap = ncap;
        }
        const fr_manifest_expected *p = &r->persons[i];
        owned *o = &(*v)[(*n)++];
        o->date = p->arrival.date;
        snprintf(o->embarkation, sizeof o->embarkation, "%s", p->embarkation);
        snprintf(o->nationality, sizeof o->nationality, "%s", p->nationality);
        snprintf(o->port, sizeof o->port, "%s", p->port);
        o->outcome = route_outcome(r->match[i].outcome);
    }
    return FR_OK;
}

int fr_arrivals_routes(fr_arrivals *a, fr_store *s, const fr_report_query *q, fr_report **out,
                       fr_error *err)
{
    if (!a || !s || !q || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to read");
    *out = NULL;
    fr_date first, last;
    int rc = fr_arrivals_span(a, &first, &last, err);
    if (rc != FR_OK) return rc;
    fr_report_query qq = *q; /* open ends: the recorded arrivals' */
    if (qq.from == FR_DATE_NONE) qq.from = first;
    if (qq.to == FR_DATE_NONE) qq.to = last;
    if (qq.from != FR_DATE_NONE && qq.to != FR_DATE_NONE && qq.from > qq.to) {
        if (q->from != FR_DATE_NONE && q->to != FR_DATE_NONE)
            return fr_error_set(err, FR_EINVAL, 0, 0, "from", "the period starts after it ends");
        qq.to = qq.from; /* nothing recorded in it: an empty report */
    }
    if (qq.from == FR_DATE_NONE || qq.to == FR_DATE_NONE) qq.from = qq.to = FR_DATE_NONE;
    q = &qq;
    owned *v = NULL;
    fr_route_person *p = NULL;
    size_t n = 0, cap = 0;
    const char *port = q->nports == 1 && q->ports ? q->ports[0] : NULL;
    for (fr_date d = q->from; d != FR_DATE_NONE && d <= q->to && rc == FR_OK;
         d += ROUTES_STEP_DAYS) {
        fr_date end = d + ROUTES_STEP_DAYS - 1 < q->to ? d + ROUTES_STEP_DAYS - 1 : q->to;
        fr_arrivals_recon *r = NULL;
        rc = fr_arrivals_reconcile(a, s, d, end, port, &r, err);
        if (rc == FR_OK && collect(r, &v, &n, &cap) != FR_OK)
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory counting routes");
        fr_arrivals_recon_free(r);
    }
    if (rc == FR_OK && !(p = fr_calloc(n ? n : 1, sizeof *p)))
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory counting routes");
    if (rc == FR_OK) {
        for (size_t i = 0; i < n; i++)
            p[i] = (fr_route_person){v[i].date, v[i].embarkation, v[i].nationality, v[i].port,
                                     v[i].outcome};
        rc = fr_report_routes(p, n, q, out, err);
    }
    fr_free(p);
    fr_free(v);
    return rc;
}
