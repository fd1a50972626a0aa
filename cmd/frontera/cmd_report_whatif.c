/* SPDX-License-Identifier: MIT */
/* cmd_report_whatif.c: `frontera report whatif`: apply a visa policy file to
 * the historical arrivals of a period (whatif.h, docs/alerts.md): who would
 * have needed a visa, against the policy in force then (--baseline), and
 * how many visa-free entrants overstayed or never left. Events come from the
 * database (fr_store_export_stats) or a ledger CSV (--events). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "report_common.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/date.h"
#include "frontera/policy.h"
#include "frontera/whatif.h"
#include "i18n.h"

#define SUB "report whatif"

static fr_policy *load_policy(const char *path)
{
    size_t len, n = 0;
    char *text = cli_read_all(path, FR_POLICY_MAX_BYTES, &len);
    if (!text) return NULL;
    fr_policy *p = NULL;
    fr_error errs[20];
    if (fr_policy_parse(text, len, &p, errs, 20, &n) != FR_OK) {
        for (size_t i = 0; i < n && i < 20; i++)
            cli_print_error(SUB, path, &errs[i]);
        p = NULL;
    }
    free(text);
    return p;
}

static int add_event(void *ud, const fr_event *ev)
{
    return fr_whatif_add(ud, ev);
}

typedef struct whatif_head {
    const char *policy, *baseline;
    fr_date from, to, as_of;
} whatif_head;

static void print_rows(const fr_whatif_row *r, size_t n, const char *format, int baseline,
                       const whatif_head *hd)
{
    if (strcmp(format, "csv") == 0) {
        printf("nationality,arrivals,need_visa,need_visa_baseline,no_rule,visa_free,overstays,"
               "nonexits\n");
        for (size_t i = 0; i < n; i++)
            printf("%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n", fr_country_code(r[i].nationality),
                   (unsigned long long)r[i].arrivals, (unsigned long long)r[i].need_visa,
                   (unsigned long long)r[i].need_visa_baseline, (unsigned long long)r[i].no_rule,
                   (unsigned long long)r[i].visa_free, (unsigned long long)r[i].overstays,
                   (unsigned long long)r[i].nonexits);
        return;
    }
    if (strcmp(format, "json") == 0) {
        printf("[");
        for (size_t i = 0; i < n; i++)
            printf("%s\n  {\"nationality\": \"%s\", \"arrivals\": %llu, \"need_visa\": %llu, "
                   "\"need_visa_baseline\": %llu, \"no_rule\": %llu, \"visa_free\": %llu, "
                   "\"overstays\": %llu, \"nonexits\": %llu}",
                   i ? "," : "", fr_country_code(r[i].nationality),
                   (unsigned long long)r[i].arrivals, (unsigned long long)r[i].need_visa,
                   (unsigned long long)r[i].need_visa_baseline, (unsigned long long)r[i].no_rule,
                   (unsigned long long)r[i].visa_free, (unsigned long long)r[i].overstays,
                   (unsigned long long)r[i].nonexits);
        printf("%s]\n", n ? "\n" : "");
        return;
    }
    char fb[FR_DATE_BUFSZ], tb[FR_DATE_BUFSZ], ab[FR_DATE_BUFSZ];
    printf(_("What if: the entries from %s to %s under the policy %s.\n"),
           hd->from == FR_DATE_NONE ? _("the first") : fr_date_format(hd->from, fb),
           hd->to == FR_DATE_NONE ? _("the last") : fr_date_format(hd->to, tb), hd->policy);
    if (hd->baseline) printf(_("Baseline: the policy %s.\n"), hd->baseline);
    printf(_("Overstays and non-exits as of %s.\n"), hd->as_of == FR_DATE_NONE
                                                         ? _("the day after the last event")
                                                         : fr_date_format(hd->as_of, ab));
    /* the baseline's column only when there is a baseline */
    printf("%-4s %10s %10s", _("nat"), _("arrivals"), _("need visa"));
    if (baseline) printf(" %18s", _("need visa before"));
    printf(" %10s %10s %10s\n", _("visa free"), _("overstays"), _("non-exits"));
    for (size_t i = 0; i < n; i++) {
        printf("%-4s %10llu %10llu", fr_country_code(r[i].nationality),
               (unsigned long long)r[i].arrivals, (unsigned long long)r[i].need_visa);
        if (baseline) printf(" %18llu", (unsigned long long)r[i].need_visa_baseline);
        printf(" %10llu %10llu %10llu\n", (unsigned long long)r[i].visa_free,
               (unsigned long long)r[i].overstays, (unsigned long long)r[i].nonexits);
    }
}

int report_whatif(int argc, char **argv)
{
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'}, {"baseline", required_argument, NULL, 'b'},
        {"events", required_argument, NULL, 'e'}, {"csv-input", required_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'F'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0}};
    fr_date from = FR_DATE_NONE, to = FR_DATE_NONE, as_of = FR_DATE_NONE;
    const char *format = "text", *policy_path = NULL, *baseline_path = NULL, *events = NULL;
    fr_error err;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf(
                _("Usage: frontera [--db PATH] report whatif --policy FILE [--baseline FILE]\n"
                  "       [--events FILE.csv] [--from DATE] [--to DATE] [--as-of DATE]\n"
                  "       [--format text|csv|json]\n"
                  "Apply a visa policy file to the entries of a period: by nationality, the\n"
                  "arrivals, those who would have needed a visa under --policy (and under\n"
                  "--baseline, the policy in force then), those who entered visa-free and, among\n"
                  "them, the overstays (late exits) and non-exits as of --as-of (default: the\n"
                  "day after the last event). Events come from the database or --events.\n"));
            return FR_EXIT_OK;
        case 'p':
            policy_path = optarg;
            break;
        case 'b':
            baseline_path = optarg;
            break;
        case 'e':
            events = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "csv") != 0 &&
                strcmp(optarg, "json") != 0)
                return cli_usage_error(SUB, "--format must be text, csv or json");
            format = optarg;
            break;
        case 'f':
        case 't':
        case 'a': {
            fr_date *d = c == 'f' ? &from : c == 't' ? &to : &as_of;
            if (fr_date_parse_cstr(optarg, d, &err) != FR_OK)
                return cli_usage_error(SUB, "%s: %s", optarg, cli_error_text(&err));
            break;
        }
        default:
            return cli_bad_option(SUB, argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error(SUB, "unexpected argument '%s'", argv[optind]);
    if (!policy_path) return cli_usage_error(SUB, "--policy FILE is required");
    int rc = FR_EXIT_FAILURE;
    fr_policy *policy = load_policy(policy_path), *baseline = NULL;
    fr_whatif *w = NULL;
    fr_whatif_row *rows = NULL;
    size_t n = 0;
    if (!policy) goto done;
    if (baseline_path && !(baseline = load_policy(baseline_path))) goto done;
    if (fr_whatif_new(policy, baseline, from, to, &w) != FR_OK) goto done;
    if (report_events(SUB, events, from, FR_DATE_NONE, add_event, w) != FR_EXIT_OK) goto done;
    if (fr_whatif_finish(w, as_of, &rows, &n) != FR_OK) {
        fprintf(stderr, _("frontera %s: out of memory\n"), SUB);
        goto done;
    }
    whatif_head hd = {policy_path, baseline_path, from, to, as_of};
    print_rows(rows, n, format, baseline != NULL, &hd);
    rc = fflush(stdout) == 0 ? FR_EXIT_OK : FR_EXIT_FAILURE;
done:
    fr_free(rows);
    fr_whatif_free(w);
    fr_policy_free(policy);
    fr_policy_free(baseline);
    return rc;
}
