/* SPDX-License-Identifier: MIT */
/* cmd_report_flows.c: `frontera report flows`: entries, exits, refusals,
 * encounters and the net balance (entries - exits) per group and period, on
 * the analytics index (docs/analytics.md). --cumulative gives running totals
 * along the period key from --from: "entered since DATE, left through
 * official routes since DATE". */
#include <getopt.h>
#include <stdio.h>

#include "arrivals_cli.h"
#include "cli.h"
#include "report.h"
#include "report_common.h"
#include "i18n.h"

static const report_column FLOW_COLUMNS[] = {
    {"entries", N_("entries"), FR_FLOW_ENTRIES, -1, NULL},
    {"exits", N_("exits"), FR_FLOW_EXITS, -1, NULL},
    {"refusals", N_("refusals"), FR_FLOW_REFUSALS, -1, NULL},
    {"encounters", N_("encounters"), FR_FLOW_ENCOUNTERS, -1, NULL},
    {"net", N_("net"), FR_FLOW_ENTRIES, FR_FLOW_EXITS, NULL},
};

int report_flows(int argc, char **argv)
{
    static const struct option opts[] = {REPORT_COMMON_OPTIONS,
                                         {"cumulative", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *sub = "report flows";
    report_opts o;
    report_opts_init(&o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(
                _("Usage: frontera [--db PATH] report flows [OPTION]...\n"
                  "Entries, exits, refusals, encounters and net (entries - exits) of events whose\n"
                  "local date is in the period, by the --by keys.\n\n"),
                stdout);
            fputs(_(REPORT_COMMON_HELP), stdout);
            fputs(_("  --cumulative            running totals along the period key from --from\n\n"
                    "With --by embarkation (with nationality, port and a period) the flows come\n"
                    "from the manifests recorded with `manifest check --record`, matched to the\n"
                    "booth's entries: columns announced, entered, refused, not_presented and\n"
                    "transit_entered, per port of embarkation (default period: the recorded\n"
                    "arrivals' first to last day).\n\n"
                    "Example: frontera report flows --from 2023-01-01 --to 2024-06-30 \\\n"
                    "           --by nationality --nationality CHN\n"
                    "         frontera report flows --from 2024-01-01 --to 2024-12-31 \\\n"
                    "           --by embarkation,nationality,month --nationality CHN\n"),
                  stdout);
            return FR_EXIT_OK;
        }
        if (c == 'c') {
            o.q.cumulative = 1;
            continue;
        }
        int rc = report_option(&o, sub, c, optarg);
        if (rc > 0) return rc;
        if (rc < 0) return cli_bad_option(sub, argc, argv);
    }
    if (report_wants_routes(&o)) return report_routes(sub, &o, argc, argv);
    fr_report *r = NULL;
    int rc = report_run(sub, &o, argc, argv, fr_analytics_flows, &r);
    if (rc != FR_EXIT_OK) return rc;
    report_print(stdout, r, FLOW_COLUMNS, sizeof FLOW_COLUMNS / sizeof FLOW_COLUMNS[0], o.format);
    fr_report_free(r);
    return FR_EXIT_OK;
}
