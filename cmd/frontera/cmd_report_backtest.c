/* SPDX-License-Identifier: MIT */
/* cmd_report_backtest.c: `frontera report backtest`: the alert tests run
 * month by month over a series as if live (fr_alerts_backtest: each month
 * judged with the later months hidden), printing each alert with the month it
 * would have been raised, how long after its onset, and - known only in
 * hindsight, from a run over the whole series - when the episode peaked, so
 * that an analyst can judge the lead time (docs/alerts.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "i18n.h"

#define SUB "report backtest"

static void usage(void)
{
    printf(_("Usage: frontera [--db PATH] report backtest [--series FILE.csv | --events FILE.csv]\n"
             "       [--from MONTH] [--to MONTH] [--as-of DATE] [--nationality CODE]\n"
             "       [--tests LIST] [--min-tests N] [--format text|csv]\n"
             "Replay the alert tests month by month as if live: each month is judged with\n"
             "the later months hidden, and each alert is printed in the month it would\n"
             "have been raised, with its delay after the onset and, in hindsight, the\n"
             "month the episode peaked (lead time) (docs/alerts.md).\n"
             "  --series FILE     a monthly series CSV: period,nationality,metric,count\n"
             "  --events FILE     a ledger CSV instead of the database (--db)\n"
             "  --from/--to       the months replayed (default: the whole series)\n"
             "  --as-of DATE      report date for the non-exit rate (events after it ignored)\n"
             "  --nationality C   only this nationality's alerts (ICAO code)\n"
             "  --tests LIST      the tests (default all; see report alerts --help)\n"
             "  --min-tests N     families of tests that must agree (default 2)\n"
             "  --trace TEST      instead: what one test (farrington, noufaily, cusum, yoy,\n"
             "                    fall) says of each month of --nationality's series (--metric),\n"
             "                    as CSV: month,observed,judged,expected,lower,upper,signal\n"
             "  --surveillance-compat  farrington/noufaily: the dispersion R's surveillance\n"
             "                    uses for the trend test and bound (docs/alerts.md)\n"
             "Exit status: 0, 2 usage, 3 failure.\n"));
}

static int month_arg(const char *s, fr_month *m)
{
    fr_error err;
    fr_date d;
    if (strlen(s) == 7 && fr_month_parse(s, 7, m, &err) == FR_OK) return 0;
    if (fr_date_parse_cstr(s, &d, &err) == FR_OK) {
        *m = fr_month_of_date(d);
        return 0;
    }
    return -1;
}

/* The episode of the whole-series run that a backtest alert belongs to. */
static const fr_alert *hindsight(const fr_alert *all, size_t n, const fr_alert *a)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].nationality == a->nationality && all[i].direction == a->direction &&
            all[i].period == a->period && strcmp(all[i].metric, a->metric) == 0)
            return &all[i];
    return NULL;
}

/* --trace: what one test says of each month of one series, as CSV. */
static int print_trace(const fr_series *s, int nat, const char *metric, unsigned test,
                       const fr_alert_params *p)
{
    long key = -1;
    for (size_t k = 0; k < fr_series_key_count(s) && key < 0; k++)
        if (fr_series_key_nationality(s, k) == nat &&
            (metric ? strcmp(fr_series_key_metric(s, k), metric) == 0
                    : strcmp(fr_series_key_metric(s, k), "due") != 0))
            key = (long)k;
    if (key < 0) {
        fprintf(stderr, _("frontera %s: no series for %s%s%s\n"), SUB, fr_country_code(nat),
                metric ? " " : "", metric ? metric : "");
        return FR_EXIT_FAILURE;
    }
    fr_alert_judgement *v = NULL;
    size_t n = 0;
    fr_error err;
    if (fr_alerts_trace(s, (size_t)key, test, p, &v, &n, &err) != FR_OK) {
        cli_print_error(SUB, NULL, &err);
        return FR_EXIT_FAILURE;
    }
    printf("month,observed,judged,expected,lower,upper,signal\n");
    for (size_t i = 0; i < n; i++) {
        char m[FR_MONTH_BUFSZ];
        fr_month_format(v[i].month, m);
        if (v[i].judged)
            printf("%s,%.0f,1,%.4f,%.4f,%.4f,%d\n", m, v[i].observed, v[i].expected, v[i].lower,
                   v[i].upper, v[i].signal);
        else
            printf("%s,%.0f,0,,,,\n", m, v[i].observed);
    }
    fr_free(v);
    return fflush(stdout) == 0 ? FR_EXIT_OK : FR_EXIT_FAILURE;
}

/* What the command line asked for. */
typedef struct backtest_opts {
    const char *series, *events, *format, *metric;
    unsigned trace; /* the test traced (one bit), or 0 */
    fr_month from, to;
    fr_date as_of;
    int nat; /* only this nationality, or -1 */
    fr_alert_params params;
} backtest_opts;

#define OPTS_HELP (-1) /* --help was shown: nothing more to do */

static const struct option longopts[] = {{"series", required_argument, NULL, 's'},
                                         {"events", required_argument, NULL, 'e'},
                                         {"csv-input", required_argument, NULL, 'e'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"nationality", required_argument, NULL, 'N'},
                                         {"tests", required_argument, NULL, 'T'},
                                         {"min-tests", required_argument, NULL, 'M'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"trace", required_argument, NULL, 'R'},
                                         {"metric", required_argument, NULL, 'm'},
                                         {"surveillance-compat", no_argument, NULL, 'C'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};

/* The options that say how the tests judge (--tests, --min-tests, --trace,
 * --surveillance-compat). */
static int test_option(int c, const char *arg, backtest_opts *o)
{
    fr_error err;
    char *end;
    switch (c) {
    case 'T':
        if (fr_alert_tests_parse(arg, &o->params.tests, &err) != FR_OK)
            return cli_usage_error(SUB, "--tests: %s", cli_error_text(&err));
        break;
    case 'M':
        o->params.min_tests = (int)strtol(arg, &end, 10);
        if (*end || o->params.min_tests < 1 || o->params.min_tests > FR_ALERT_TEST_COUNT)
            return cli_usage_error(SUB, "--min-tests must be 1..%d", FR_ALERT_TEST_COUNT);
        break;
    case 'R':
        if (fr_alert_tests_parse(arg, &o->trace, &err) != FR_OK ||
            __builtin_popcount(o->trace) != 1 || o->trace == FR_ALERT_TEST_SEASONAL)
            return cli_usage_error(SUB, "--trace takes one test: farrington, noufaily, "
                                        "cusum, yoy or fall");
        break;
    case 'C':
        o->params.surveillance_compat = 1;
        break;
    default:
        return cli_usage_error(SUB, "unknown option");
    }
    return FR_EXIT_OK;
}

static int parse_options(int argc, char **argv, backtest_opts *o)
{
    fr_error err;
    int c, rc = FR_EXIT_OK;
    optind = 1;
    while (rc == FR_EXIT_OK && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage();
            return OPTS_HELP;
        case 's':
            o->series = optarg;
            break;
        case 'e':
            o->events = optarg;
            break;
        case 'f':
        case 't':
            if (month_arg(optarg, c == 'f' ? &o->from : &o->to) != 0)
                return cli_usage_error(SUB, "%s: not a month YYYY-MM or date YYYY-MM-DD", optarg);
            break;
        case 'a':
            if (fr_date_parse_cstr(optarg, &o->as_of, &err) != FR_OK)
                return cli_usage_error(SUB, "%s: not a date YYYY-MM-DD", optarg);
            break;
        case 'N':
            o->nat = cli_country(optarg, strlen(optarg));
            if (o->nat < 0)
                return cli_usage_error(SUB,
                                       "--nationality: '%s' is not an ICAO 9303 code (D for "
                                       "Germany), an ISO alpha-3 code or a country name",
                                       optarg);
            break;
        case 'm':
            o->metric = optarg;
            break;
        case 'F':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "csv") != 0)
                return cli_usage_error(SUB, "--format must be text or csv");
            o->format = optarg;
            break;
        case '?':
            return cli_bad_option(SUB, argc, argv);
        default: /* how the tests judge, or an unknown option */
            rc = test_option(c, optarg, o);
        }
    }
    if (rc != FR_EXIT_OK) return rc;
    if (optind < argc) return cli_usage_error(SUB, "unexpected argument '%s'", argv[optind]);
    if (o->series && o->events) return cli_usage_error(SUB, "give --series or --events, not both");
    if (o->trace && o->nat < 0) return cli_usage_error(SUB, "--trace needs --nationality");
    return FR_EXIT_OK;
}

/* One backtest alert, with the peak of its episode as the whole-series run
 * saw it (h, or NULL: none). */
static void print_alert(const fr_alert *a, const fr_alert *h, int csv)
{
    fr_month peak = h ? h->peak_period : a->peak_period;
    char raised[FR_MONTH_BUFSZ], since[FR_MONTH_BUFSZ], pk[FR_MONTH_BUFSZ];
    fr_month_format(a->raised, raised);
    fr_month_format(a->since, since);
    fr_month_format(peak, pk);
    char tests[64];
    fr_alert_tests_format(a->tests, "+", tests, sizeof tests);
    const char *dir = a->direction < 0 ? "fall" : "rise";
    int delay = a->raised - a->since, lead = peak - a->raised;
    if (csv) {
        printf("%s,%s,%s,%s,%s,%d,%s,%d,%s\n", raised, fr_country_code(a->nationality), a->metric,
               dir, since, delay, pk, lead, tests);
        return;
    }
    /* each count has its own plural; a lead before the raise (negative) too */
    char before[64], after[64];
    snprintf(before, sizeof before,
             ngettext("%d month before", "%d months before", (unsigned long)abs(delay)), delay);
    snprintf(after, sizeof after,
             ngettext("%d month after", "%d months after", (unsigned long)abs(lead)), lead);
    printf(_("%s  %-4s %-15s %-4s since %s (%s), %s %s (%s)  [%s]\n"), raised,
           fr_country_code(a->nationality), a->metric, cli_code_word(dir), since, before,
           a->direction < 0 ? _("lowest") : _("peak"), pk, after, tests);
}

/* The replay, and the whole-series run that gives each alert's peak. */
static int run_backtest(const fr_series *s, const backtest_opts *o)
{
    fr_alert *bt = NULL, *all = NULL;
    size_t nbt = 0, nall = 0;
    fr_error err;
    if (fr_alerts_backtest(s, &o->params, o->from, o->to, &bt, &nbt, &err) != FR_OK ||
        fr_alerts_detect(s, &o->params, FR_MONTH_NONE, FR_MONTH_NONE, &all, &nall, &err) != FR_OK) {
        cli_print_error(SUB, NULL, &err);
        fr_free(bt);
        return FR_EXIT_FAILURE;
    }
    int csv = strcmp(o->format, "csv") == 0;
    if (csv)
        printf("raised,nationality,metric,direction,since,delay_months,peak,lead_months,tests\n");
    size_t shown = 0;
    for (size_t i = 0; i < nbt; i++) {
        if (o->nat >= 0 && bt[i].nationality != o->nat) continue;
        print_alert(&bt[i], hindsight(all, nall, &bt[i]), csv);
        shown++;
    }
    if (!csv && !shown) printf(_("no alerts\n"));
    fr_free(bt);
    fr_free(all);
    return FR_EXIT_OK;
}

int report_backtest(int argc, char **argv)
{
    backtest_opts o = {.format = "text",
                       .from = FR_MONTH_NONE,
                       .to = FR_MONTH_NONE,
                       .as_of = FR_DATE_NONE,
                       .nat = -1};
    fr_alert_params_default(&o.params);
    int rc = parse_options(argc, argv, &o);
    if (rc != FR_EXIT_OK) return rc == OPTS_HELP ? FR_EXIT_OK : rc;
    fr_series *s = NULL;
    rc = alerts_series_load(SUB, o.series, o.events, o.as_of, o.as_of, &s);
    if (rc != FR_EXIT_OK) return rc;
    if (o.trace)
        rc = print_trace(s, o.nat, o.metric, o.trace, &o.params);
    else
        rc = run_backtest(s, &o);
    fr_series_free(s);
    if (rc == FR_EXIT_OK && !o.trace && fflush(stdout) != 0) return FR_EXIT_FAILURE;
    return rc;
}
