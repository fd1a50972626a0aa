/* SPDX-License-Identifier: MIT */
/* cmd_report_overstays.c: `frontera report overstays`: the DHS Entry/Exit
 * Overstay Report counts (expected departures, in time, out-of-country and
 * suspected in-country overstays, rates) beside the ministry's crude
 * measure (entries - exits) / entries, each labelled with what it counts
 * (docs/analytics.md). */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "report.h"
#include "report_common.h"
#include "i18n.h"

static const report_column OVS_COLUMNS[] = {
    {"expected_departures", N_("expected"), FR_OVS_EXPECTED, -1, NULL},
    {"in_time", N_("in time"), FR_OVS_IN_TIME, -1, NULL},
    {"out_of_country_overstays", N_("left late"), FR_OVS_OUT_OF_COUNTRY, -1, NULL},
    {"in_country_overstays", N_("not left"), FR_OVS_IN_COUNTRY, -1, NULL},
    {"overstay_rate", N_("DHS rate"), 0, -1, fr_report_overstay_rate},
    {"in_country_rate", N_("not-left rate"), 0, -1, fr_report_in_country_rate},
    {"crude_entries", N_("| entries"), FR_OVS_CRUDE_ENTRIES, -1, NULL},
    {"crude_exits", N_("exits"), FR_OVS_CRUDE_EXITS, -1, NULL},
    {"crude_rate", N_("crude rate"), 0, -1, fr_report_crude_rate},
};

int report_overstays(int argc, char **argv)
{
    static const struct option opts[] = {
        REPORT_COMMON_OPTIONS, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *sub = "report overstays";
    report_opts o;
    report_opts_init(&o);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(
                _("Usage: frontera [--db PATH] report overstays [OPTION]...\n"
                  "DHS method: admissions (entries) whose authorised stay ended in the period and\n"
                  "before --as-of: expected departures, in time (left on or before the last\n"
                  "authorised day), out-of-country overstays (left later), suspected in-country\n"
                  "overstays (no exit by --as-of); period keys take the authorised-until date.\n"
                  "Beside it, the ministry's crude measure: (entries - exits) / entries of the\n"
                  "movements dated in the period; period keys take the event "
                  "date.\n\n"),
                stdout);
            fputs(_(REPORT_COMMON_HELP), stdout);
            fputs(_("\nExample: frontera report overstays --from 2024-01-01 --to 2024-06-30 \\\n"
                    "           --as-of 2024-12-31 --by nationality\n"),
                  stdout);
            return FR_EXIT_OK;
        }
        int rc = report_option(&o, sub, c, optarg);
        if (rc > 0) return rc;
        if (rc < 0) return cli_bad_option(sub, argc, argv);
    }
    fr_report *r = NULL;
    int rc = report_run(sub, &o, argc, argv, fr_analytics_overstays, &r);
    if (rc != FR_EXIT_OK) return rc;
    if (o.format == REPORT_TEXT) {
        char f[FR_DATE_BUFSZ], t[FR_DATE_BUFSZ], s[FR_DATE_BUFSZ];
        fr_date_format(r->query.from, f);
        fr_date_format(r->query.to, t);
        fr_date_format(r->query.as_of, s);
        printf(_("DHS overstay method, %s: admissions whose authorised stay ended %s..%s, "
                 "departures as of %s\n"
                 "  expected = in time + left late (out-of-country) + not left (suspected "
                 "in-country)\n"
                 "Ministry crude measure (the columns after |): (entries - exits) / entries of "
                 "movements dated %s..%s;\n  it counts movements, not people who overstayed\n\n"),
               o.q.persons ? _("per person") : _("per entry"), f, t, s, f, t);
    }
    report_print(stdout, r, OVS_COLUMNS, sizeof OVS_COLUMNS / sizeof OVS_COLUMNS[0], o.format);
    fr_report_free(r);
    return FR_EXIT_OK;
}
