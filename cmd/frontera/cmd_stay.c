/* SPDX-License-Identifier: MIT */
/* cmd_stay.c: `frontera stay --rule RULE --on DATE [--json] STAY...`: days
 * used, remaining, the latest exit and any overstay under a stay rule, for a
 * traveller's history of stays (ENTRY..EXIT, or ENTRY.. while still present).
 * Exit 1 when the person is in overstay on the check date. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/stay.h"
#include "i18n.h"

static void usage(void)
{
    printf(
        _("Usage: frontera stay --rule RULE --on DATE [--json] [--extended] [--doc-expiry DATE] "
          "STAY...\n"
          "Compute the days used and remaining, the latest exit, overstay and days in breach\n"
          "under a stay rule, as of DATE, for a history of stays.\n\n"
          "RULE:  rolling:90/180 | period:90/1y[+90] | calendar-year:90 |\n"
          "       per-admission:90[,doc-expiry] | until:YYYY-MM-DD\n"
          "STAY:  ENTRY..EXIT (both days count) or ENTRY.. (still present)\n\n"
          "  --rule RULE          the stay rule\n"
          "  --on DATE            the check date (YYYY-MM-DD)\n"
          "  --json               one JSON object: window_start, days_used, days_remaining,\n"
          "                       latest_exit, max_stay_days, overstay_days, days_in_breach\n"
          "  --extended           the period rule's extension has been granted\n"
          "  --doc-expiry DATE    the document's expiry (caps per-admission:N,doc-expiry)\n"
          "  --help               show this help\n\n"
          "Exit status: 0 no overstay, 1 overstay on DATE, 2 usage error.\n"
          "Example: frontera stay --rule rolling:90/180 --on 2025-06-30 2025-01-01..2025-03-31\n"));
}

static int parse_stay(const char *arg, fr_stay_record *r)
{
    const char *dots = strstr(arg, "..");
    if (!dots) return -1;
    if (fr_date_parse(arg, (size_t)(dots - arg), &r->entry, NULL) != FR_OK) return -1;
    const char *ex = dots + 2;
    r->exit = FR_DATE_NONE;
    if (*ex && fr_date_parse_cstr(ex, &r->exit, NULL) != FR_OK) return -1;
    return 0;
}

static void json_date(const char *key, fr_date d, const char *sep)
{
    char b[FR_DATE_BUFSZ];
    if (d == FR_DATE_NONE)
        printf("\"%s\":null%s", key, sep);
    else
        printf("\"%s\":\"%s\"%s", key, fr_date_format(d, b), sep);
}

static void explain(const fr_stay_rule *rule, fr_date on, const fr_stay_result *o)
{
    char r[FR_STAY_RULE_BUFSZ], a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ], c[FR_DATE_BUFSZ];
    fr_stay_rule_format(rule, r);
    fr_date_format(on, c);
    const char *what = rule->kind == FR_STAY_ROLLING         ? _("window")
                       : rule->kind == FR_STAY_PERIOD        ? _("period")
                       : rule->kind == FR_STAY_CALENDAR_YEAR ? _("calendar year")
                                                             : _("admission");
    printf(_("Rule %s, checked on %s (%s %s..%s).\n"), r, c, what,
           fr_date_format(o->window_start, a),
           rule->kind == FR_STAY_ROLLING ? c : fr_date_format(o->window_end, b));
    printf(_("Days used: %d of %d; days remaining: %d.\n"), (int)o->days_used, (int)o->max_days,
           (int)o->days_remaining);
    printf(o->present ? _("Present in the country on %s.\n") : _("Not in the country on %s.\n"), c);
    if (o->latest_exit != FR_DATE_NONE)
        printf(o->present
                   ? ngettext("If staying on %s, may remain until %s inclusive (%d day).\n",
                              "If staying on %s, may remain until %s inclusive (%d days).\n",
                              (unsigned long)o->max_stay_days)
                   : ngettext("If entering on %s, may remain until %s inclusive (%d day).\n",
                              "If entering on %s, may remain until %s inclusive (%d days).\n",
                              (unsigned long)o->max_stay_days),
               c, fr_date_format(o->latest_exit, a), (int)o->max_stay_days);
    else
        printf(_("No day is available on %s: %s.\n"), c,
               o->present ? _("the person must already have left")
                          : _("entry would break the rule"));
    if (o->overstay_days > 0)
        printf(ngettext("OVERSTAY: %d day beyond the maximum on %s.\n",
                        "OVERSTAY: %d days beyond the maximum on %s.\n",
                        (unsigned long)o->overstay_days),
               (int)o->overstay_days, c);
    if (o->days_in_breach > 0)
        printf(_("Days of presence in breach of the rule (whole history): %d.\n"),
               (int)o->days_in_breach);
}

int cmd_stay(int argc, char **argv)
{
    static const struct option opts[] = {{"rule", required_argument, NULL, 'r'},
                                         {"on", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"extended", no_argument, NULL, 'e'},
                                         {"doc-expiry", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *rule_s = NULL, *on_s = NULL, *doc_s = NULL;
    int json = 0, c;
    unsigned flags = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:o:jed:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            rule_s = optarg;
            break;
        case 'o':
            on_s = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'e':
            flags |= FR_STAY_EXTENDED;
            break;
        case 'd':
            doc_s = optarg;
            break;
        case 'h':
            usage();
            return FR_EXIT_OK;
        default:
            return cli_bad_option("stay", argc, argv);
        }
    }
    if (!rule_s || !on_s) return cli_usage_error("stay", "--rule and --on are required");
    fr_stay_rule rule;
    fr_error err;
    if (fr_stay_rule_parse(rule_s, strlen(rule_s), &rule, &err) != FR_OK)
        return cli_usage_error("stay", "--rule %s: column %d: %s", rule_s, err.column,
                               cli_error_text(&err));
    if (rule.kind == FR_STAY_NONE)
        return cli_usage_error("stay", "--rule none sets no limit to compute");
    fr_date on, doc = FR_DATE_NONE;
    if (fr_date_parse_cstr(on_s, &on, &err) != FR_OK)
        return cli_usage_error("stay", "--on %s: %s", on_s, cli_error_text(&err));
    if (doc_s && fr_date_parse_cstr(doc_s, &doc, &err) != FR_OK)
        return cli_usage_error("stay", "--doc-expiry %s: %s", doc_s, cli_error_text(&err));
    size_t n = (size_t)(argc - optind);
    if (n > FR_STAY_MAX_RECORDS)
        return cli_usage_error("stay", "at most %d stays", FR_STAY_MAX_RECORDS);
    fr_stay_record *h = calloc(n ? n : 1, sizeof *h);
    if (!h) {
        fprintf(stderr, _("frontera stay: out of memory\n"));
        return FR_EXIT_FAILURE;
    }
    for (size_t i = 0; i < n; i++) {
        if (parse_stay(argv[optind + (int)i], &h[i]) != 0) {
            free(h);
            return cli_usage_error(
                "stay", "'%s' is not a stay: write ENTRY..EXIT or ENTRY.. with dates YYYY-MM-DD",
                argv[optind + (int)i]);
        }
    }
    fr_stay_result o;
    int rc = fr_stay_eval(&rule, h, n, on, doc, flags, &o, &err);
    free(h);
    if (rc != FR_OK) {
        fprintf(stderr, _("frontera stay: %s%s%s\n"), err.field, err.field[0] ? ": " : "",
                cli_error_text(&err));
        return FR_EXIT_USAGE;
    }
    if (json) {
        printf("{");
        json_date("window_start", o.window_start, ",");
        printf("\"days_used\":%d,\"days_remaining\":%d,", (int)o.days_used, (int)o.days_remaining);
        json_date("latest_exit", o.latest_exit, ",");
        printf("\"max_stay_days\":%d,\"overstay_days\":%d,\"days_in_breach\":%d}\n",
               (int)o.max_stay_days, (int)o.overstay_days, (int)o.days_in_breach);
    } else {
        explain(&rule, on, &o);
    }
    return o.overstay_days > 0 ? FR_EXIT_FINDING : FR_EXIT_OK;
}
