/* SPDX-License-Identifier: MIT */
/* cmd_manifest_reconcile.c: `frontera manifest reconcile`: the manifests
 * recorded with `manifest check --record` against the booth's entries and
 * refusals in the ledger (arrivals.h, fr_arrivals_reconcile), one JSON
 * object per flight (views.h, fr__reconciliation_json), audited as
 * manifest.reconcile (the period only) as the server audits it. Exit 0 when every
 * announced person entered or was refused and no entry was unannounced, 1
 * otherwise, 2 usage, 3 failure. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrivals_cli.h"
#include "cli.h"
#include "frontera/alloc.h"
#include "views.h"
#include "i18n.h"

/* Is there something to look at in one flight's object? */
static int flagged(const json_t *flight)
{
    const json_t *c = json_object_get(flight, "counts");
    return json_integer_value(json_object_get(c, "not_presented")) > 0 ||
           json_integer_value(json_object_get(c, "transit_entered")) > 0 ||
           json_integer_value(json_object_get(c, "unannounced")) > 0;
}

int cmd_manifest_reconcile(int argc, char **argv)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"flight", required_argument, NULL, 'F'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *sub = "manifest reconcile";
    const char *port = NULL, *flight = NULL;
    fr_date from = FR_DATE_NONE, to = FR_DATE_NONE;
    fr_error err;
    fr_error_clear(&err);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
        case 'f':
        case 't': {
            fr_date d;
            if (fr_date_parse_cstr(optarg, &d, &err) != FR_OK)
                return cli_usage_error(sub, "'%s' is not a date (YYYY-MM-DD)", optarg);
            if (c != 't') from = d;
            if (c != 'f') to = d;
            break;
        }
        case 'p':
            if (fr_event_check_port(optarg, &err) != FR_OK)
                return cli_usage_error(sub, "--port takes a UN/LOCODE such as ECUIO");
            port = optarg;
            break;
        case 'F':
            flight = optarg;
            break;
        case 'h':
            printf(_("Usage: frontera manifest reconcile --date DATE | --from DATE --to DATE\n"
                     "                                   [--port LOCODE] [--flight FLIGHT]\n"
                     "The manifests recorded with `manifest check --record` for flights arriving\n"
                     "in the period, against the booth's entries and refusals in the ledger\n"
                     "($FRONTERA_DB): one JSON object per flight (flight, port, arrival,\n"
                     "manifests, counts, persons with their outcome, unannounced entries).\n"
                     "Exit 0 nothing to look at, 1 a person not presented, a transit passenger\n"
                     "who entered or an unannounced entry, 2 usage, 3 failure. docs/paxlst.md.\n"));
            return FR_EXIT_OK;
        default:
            return cli_bad_option(sub, argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (from == FR_DATE_NONE || to == FR_DATE_NONE)
        return cli_usage_error(sub, "give --date DATE, or --from DATE and --to DATE");
    if (from > to) return cli_usage_error(sub, "--from is after --to");
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    int rc = FR_EXIT_FAILURE;
    fr_store *store = NULL;
    fr_arrivals *arr = NULL;
    fr_arrivals_recon *r = NULL;
    json_t *flights = NULL;
    if (fr_store_open(db, 0, &store, &err) != FR_OK || fr_arrivals_open(db, &arr, &err) != FR_OK) {
        cli_print_error(sub, db, &err);
        goto done;
    }
    int e = fr_arrivals_reconcile(arr, store, from, to, port, &r, &err);
    if (e != FR_OK) {
        cli_print_error(sub, db, &err);
        rc = e == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
        goto done;
    }
    if (!(flights = fr__reconciliation_json(r, flight))) {
        fprintf(stderr, _("frontera %s: out of memory\n"), sub);
        goto done;
    }
    /* names of persons: audited as the server audits it, before anything is shown */
    char object[128], a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ];
    snprintf(object, sizeof object, "reconciliation:%s..%s%s%.8s%s%.23s", fr_date_format(from, a),
             fr_date_format(to, b), port ? " port:" : "", port ? port : "",
             flight ? " flight:" : "", flight ? flight : "");
    if (cli_audit("manifest", db, "manifest.reconcile", object, "cli", NULL) != FR_OK) goto done;
    int any = 0;
    for (size_t i = 0; i < json_array_size(flights); i++) {
        json_t *f = json_array_get(flights, i);
        any |= flagged(f);
        char *s = json_dumps(f, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s) goto done;
        puts(s);
        free(s);
    }
    rc = fflush(stdout) != 0 ? FR_EXIT_FAILURE : any ? FR_EXIT_FINDING : FR_EXIT_OK;
done:
    json_decref(flights);
    fr_arrivals_recon_free(r);
    fr_arrivals_close(arr);
    fr_store_close(store);
    return rc;
}
