/* SPDX-License-Identifier: MIT */
/* cmd_report_routes.c: `frontera report flows --by embarkation,...`: flows by
 * route. The ledger does not know where a traveller boarded; the manifests
 * recorded with `manifest check --record` do (arrivals.h,
 * fr_arrivals_routes). Columns: announced, entered, refused, not_presented,
 * transit_entered. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrivals_cli.h"
#include "cli.h"
#include "frontera/alloc.h"
#include "frontera/arrivals.h"
#include "i18n.h"

static const report_column ROUTE_COLUMNS[] = {
    {"announced", N_("announced"), FR_ROUTE_ANNOUNCED, -1, NULL},
    {"entered", N_("entered"), FR_ROUTE_ENTERED, -1, NULL},
    {"refused", N_("refused"), FR_ROUTE_REFUSED, -1, NULL},
    {"not_presented", N_("not presented"), FR_ROUTE_NOT_PRESENTED, -1, NULL},
    {"transit_entered", N_("transit entered"), FR_ROUTE_TRANSIT_ENTERED, -1, NULL},
};

int report_wants_routes(const report_opts *o)
{
    for (size_t k = 0; k < o->q.nkeys; k++)
        if (o->q.keys[k] == FR_KEY_EMBARKATION) return 1;
    return 0;
}

int report_routes(const char *sub, const report_opts *o, int argc, char **argv)
{
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (o->csv_input)
        return cli_usage_error(sub, "--by embarkation reads the recorded manifests in the "
                                    "ledger, not --csv-input");
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    int rc = FR_EXIT_FAILURE;
    fr_error err;
    fr_error_clear(&err);
    fr_store *store = NULL;
    fr_arrivals *arr = NULL;
    fr_report *rep = NULL;
    if (fr_store_open(db, 0, &store, &err) != FR_OK || fr_arrivals_open(db, &arr, &err) != FR_OK) {
        cli_print_error(sub, db, &err);
        goto done;
    }
    int e = fr_arrivals_routes(arr, store, &o->q, &rep, &err);
    if (e != FR_OK) {
        cli_print_error(sub, e == FR_EINVAL ? NULL : db, &err);
        rc = e == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
        goto done;
    }
    report_print(stdout, rep, ROUTE_COLUMNS, sizeof ROUTE_COLUMNS / sizeof ROUTE_COLUMNS[0],
                 o->format);
    rc = fflush(stdout) != 0 ? FR_EXIT_FAILURE : FR_EXIT_OK;
done:
    fr_report_free(rep);
    fr_arrivals_close(arr);
    fr_store_close(store);
    return rc;
}
