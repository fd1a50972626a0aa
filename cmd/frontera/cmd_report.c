/* SPDX-License-Identifier: MIT */
/* cmd_report.c: `frontera report KIND ...`: dispatches to one function per
 * report kind (report.h): flows, overstays (cmd_report_flows.c,
 * cmd_report_overstays.c, on the analytics index, docs/analytics.md),
 * alerts and whatif (cmd_report_alerts.c, cmd_report_whatif.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "report.h"
#include "i18n.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} KINDS[] = {
    {"flows", report_flows, N_("entries, exits, refusals, encounters and net by group and period")},
    {"overstays", report_overstays,
     N_("DHS overstay counts and rates beside the ministry's crude rate")},
    {"alerts", report_alerts, N_("early-warning alerts on monthly flows")},
    {"whatif", report_whatif, N_("what-if projections of a policy change")},
    {"backtest", report_backtest, N_("the alerts replayed month by month, as if live")},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static void usage(FILE *out)
{
    fprintf(out, _("Usage: frontera [--db PATH] report KIND [OPTION]...\n"
                   "Migration reports on the crossings ledger.\n\nKinds:\n"));
    for (size_t i = 0; i < NKINDS; i++)
        fprintf(out, "  %-10s %s\n", KINDS[i].name, _(KINDS[i].summary));
    fprintf(out, _("\n'frontera report KIND --help' shows a kind's options.\n"));
}

int cmd_report(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return FR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return FR_EXIT_OK;
    }
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(argv[1], KINDS[i].name) == 0) return KINDS[i].fn(argc - 1, argv + 1);
    return cli_usage_error(
        "report", "unknown report kind '%s' (flows, overstays, alerts, whatif, backtest)", argv[1]);
}
