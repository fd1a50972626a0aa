/* SPDX-License-Identifier: MIT */
/* cmd_report_routes.c: `frontera report flows --by embarkation,...`: flows by
 * route. The ledger does not know where a traveller boarded; the manifests
 * recorded with `manifest check --record` do. The period is reconciled
 * (arrivals.h) in steps of at most a year, each announced person becomes
 * one fr_route_person with its outcome, and fr_report_routes groups them
 * (analytics.h). Columns: announced, entered, refused, not_presented,
 * transit_entered. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrivals_cli.h"
#include "cli.h"
#include "frontera/alloc.h"
#include "frontera/arrivals.h"

static const report_column ROUTE_COLUMNS[] = {
    {"announced", "announced", FR_ROUTE_ANNOUNCED, -1, NULL},
    {"entered", "entered", FR_ROUTE_ENTERED, -1, NULL},
    {"refused", "refused", FR_ROUTE_REFUSED, -1, NULL},
    {"not_presented", "not presented", FR_ROUTE_NOT_PRESENTED, -1, NULL},
    {"transit_entered", "transit entered", FR_ROUTE_TRANSIT_ENTERED, -1, NULL},
};

#define ROUTES_STEP_DAYS 366

typedef struct owned {
    fr_date date;
    char embarkation[8], nationality[4], port[6];
    int outcome;
} owned;

int report_wants_routes(const report_opts *o)
{
    for (size_t k = 0; k < o->q.nkeys; k++)
        if (o->q.keys[k] == FR_KEY_EMBARKATION) return 1;
    return 0;
}

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

int report_routes(const char *sub, const report_opts *o, int argc, char **argv)
{
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (o->csv_input)
        return cli_usage_error(sub, "--by embarkation reads the recorded manifests in the "
                                    "ledger, not --csv-input");
    if (o->q.from == FR_DATE_NONE || o->q.to == FR_DATE_NONE)
        return cli_usage_error(sub, "--by embarkation needs --from and --to");
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    int rc = FR_EXIT_FAILURE;
    fr_error err;
    fr_error_clear(&err);
    fr_store *store = NULL;
    fr_arrivals *arr = NULL;
    owned *v = NULL;
    fr_route_person *p = NULL;
    fr_report *rep = NULL;
    size_t n = 0, cap = 0;
    if (fr_store_open(db, 0, &store, &err) != FR_OK || fr_arrivals_open(db, &arr, &err) != FR_OK) {
        cli_print_error(sub, db, &err);
        goto done;
    }
    const char *port = o->q.nports == 1 ? o->q.ports[0] : NULL;
    for (fr_date d = o->q.from; d <= o->q.to; d += ROUTES_STEP_DAYS) {
        fr_date end = d + ROUTES_STEP_DAYS - 1 < o->q.to ? d + ROUTES_STEP_DAYS - 1 : o->q.to;
        fr_arrivals_recon *r = NULL;
        if (fr_arrivals_reconcile(arr, store, d, end, port, &r, &err) != FR_OK) {
            cli_print_error(sub, db, &err);
            goto done;
        }
        int c = collect(r, &v, &n, &cap);
        fr_arrivals_recon_free(r);
        if (c != FR_OK) {
            fprintf(stderr, "frontera %s: out of memory\n", sub);
            goto done;
        }
    }
    p = fr_calloc(n ? n : 1, sizeof *p);
    if (!p) {
        fprintf(stderr, "frontera %s: out of memory\n", sub);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (fr_route_person){v[i].date, v[i].embarkation, v[i].nationality, v[i].port,
                                 v[i].outcome};
    int e = fr_report_routes(p, n, &o->q, &rep, &err);
    if (e != FR_OK) {
        cli_print_error(sub, NULL, &err);
        rc = e == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
        goto done;
    }
    report_print(stdout, rep, ROUTE_COLUMNS, sizeof ROUTE_COLUMNS / sizeof ROUTE_COLUMNS[0],
                 o->format);
    rc = fflush(stdout) != 0 ? FR_EXIT_FAILURE : FR_EXIT_OK;
done:
    fr_report_free(rep);
    fr_free(p);
    fr_free(v);
    fr_arrivals_close(arr);
    fr_store_close(store);
    return rc;
}
