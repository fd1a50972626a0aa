/* SPDX-License-Identifier: MIT */
/* cmd_report_alerts.c: `frontera report alerts`: early-warning alerts on
 * monthly flows (docs/alerts.md).
 *
 * The monthly series come from a plain series CSV (--series), a ledger CSV
 * such as `frontera synth` output (--events), or the crossings database
 * (the analytics index, fr_analytics_series, the default: purged persons'
 * de-identified crossings included). The detector (alerts.h) judges them; the
 * alerts are printed as text, CSV or JSON, and --svg draws the chart. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "report_common.h"
#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/analytics.h"
#include "frontera/country.h"
#include "frontera/csv.h"
#include "frontera/policy.h"
#include "frontera/series.h"
#include "frontera/svg.h"
#include "i18n.h"

#define SUB "report alerts"

static int add_event(void *ud, const fr_event *ev)
{
    return fr_series_builder_add(ud, ev);
}

/* Build the series from a ledger CSV file or the database (its analytics
 * index: the same series as its export, without reading every event). */
static int series_from_events(const char *sub, const char *events, fr_date to, fr_date as_of,
                              fr_series **out)
{
    fr_series_builder *b = NULL;
    fr_error err;
    int rc = FR_EXIT_FAILURE;
    if (!events) {
        fr_analytics *a = report_load_ledger(sub, 0);
        if (!a) return FR_EXIT_FAILURE;
        rc = fr_analytics_series(a, to, as_of, out, &err);
        fr_analytics_free(a);
        if (rc != FR_OK) cli_print_error(sub, NULL, &err);
        return rc == FR_OK ? FR_EXIT_OK : FR_EXIT_FAILURE;
    }
    if (fr_series_builder_new(&b) != FR_OK) return FR_EXIT_FAILURE;
    if (report_events(sub, events, FR_DATE_NONE, to, add_event, b) != FR_EXIT_OK) goto done;
    if (fr_series_builder_finish(b, as_of, out, &err) != FR_OK) {
        cli_print_error(sub, NULL, &err);
        goto done;
    }
    rc = FR_EXIT_OK;
done:
    fr_series_builder_free(b);
    return rc;
}

static int series_from_csv(const char *sub, const char *path, fr_series **out)
{
    size_t len;
    char *text = cli_read_all(path, FR_SERIES_MAX_BYTES, &len);
    if (!text) return FR_EXIT_FAILURE;
    fr_error errs[20];
    size_t n = 0;
    int rc = fr_series_parse(text, len, out, errs, 20, &n);
    free(text);
    if (rc == FR_OK) return FR_EXIT_OK;
    for (size_t i = 0; i < n && i < 20; i++)
        cli_print_error(sub, path, &errs[i]);
    if (n > 20) fprintf(stderr, _("frontera %s: %s: %zu more problems\n"), sub, path, n - 20);
    return FR_EXIT_FAILURE;
}

int alerts_series_load(const char *sub, const char *series, const char *events, fr_date cutoff,
                       fr_date as_of, fr_series **out)
{
    return series ? series_from_csv(sub, series, out)
                  : series_from_events(sub, events, cutoff, as_of, out);
}

static void print_num(double v, int decimals)
{
    printf("%.*f", decimals, v);
}

/* The names of the tests in bits, each quoted with q, separated by sep. */
static void tests_list(unsigned bits, const char *q, const char *sep)
{
    int first = 1;
    for (int b = 0; b < FR_ALERT_TEST_COUNT; b++)
        if (bits & (1u << b)) {
            printf("%s%s%s%s", first ? "" : sep, q, fr_alert_test_name(1u << b), q);
            first = 0;
        }
}

void report_print_alerts(const fr_alert *a, size_t n, const char *format)
{
    char per[FR_MONTH_BUFSZ], since[FR_MONTH_BUFSZ], until[FR_MONTH_BUFSZ], raised[FR_MONTH_BUFSZ];
    int csv = strcmp(format, "csv") == 0, json = strcmp(format, "json") == 0;
    if (csv)
        printf("nationality,metric,period,observed,expected,factor,since,until,ongoing,raised,"
               "direction,"
               "tests,lower,upper,message\n");
    if (json) printf("[");
    if (!csv && !json && n == 0) printf(_("no alerts\n"));
    for (size_t i = 0; i < n; i++) {
        fr_month_format(a[i].period, per);
        fr_month_format(a[i].since, since);
        fr_month_format(a[i].until, until);
        fr_month_format(a[i].raised, raised);
        const char *nat = fr_country_code(a[i].nationality);
        int rate = a[i].is_rate;
        if (json) {
            printf("%s\n  {\"nationality\": ", i ? "," : "");
            cli_json_string(nat);
            printf(", \"metric\": ");
            cli_json_string(a[i].metric);
            printf(", \"period\": \"%s\", \"observed\": ", per);
            print_num(a[i].observed, rate ? 4 : 0);
            printf(", \"expected\": ");
            print_num(a[i].expected, rate ? 4 : 1);
            printf(", \"factor\": %.2f, \"since\": \"%s\", \"until\": \"%s\", \"ongoing\": %s, "
                   "\"raised\": \"%s\", \"direction\": \"%s\", \"tests\": [",
                   a[i].factor, since, until, a[i].ongoing ? "true" : "false", raised,
                   a[i].direction < 0 ? "fall" : "rise");
            tests_list(a[i].tests, "\"", ", ");
            printf("], \"lower\": ");
            print_num(a[i].lower, rate ? 4 : 1);
            printf(", \"upper\": ");
            print_num(a[i].upper, rate ? 4 : 1);
            printf(", \"message\": ");
            cli_json_string(a[i].message);
            printf("}");
        } else if (csv) {
            printf("%s,%s,%s,", nat, a[i].metric, per);
            print_num(a[i].observed, rate ? 4 : 0);
            printf(",");
            print_num(a[i].expected, rate ? 4 : 1);
            char q[2 * FR_ALERT_MESSAGE_MAX + 3];
            size_t ql = fr_csv_quote(a[i].message, strlen(a[i].message), q, sizeof q);
            printf(",%.2f,%s,%s,%d,%s,%s,", a[i].factor, since, until, a[i].ongoing, raised,
                   a[i].direction < 0 ? "fall" : "rise");
            tests_list(a[i].tests, "", "+");
            printf(",");
            print_num(a[i].lower, rate ? 4 : 1);
            printf(",");
            print_num(a[i].upper, rate ? 4 : 1);
            printf(",%.*s\n", (int)(ql < sizeof q ? ql : 0), q);
        } else {
            char text[sizeof a[i].message + 128];
            printf("%s  %-4s %-15s %s\n", raised, nat, a[i].metric,
                   cli_alert_text(&a[i], text, sizeof text));
        }
    }
    if (json) printf("%s]\n", n ? "\n" : "");
}

#define RULE_LABEL 96 /* a rule's label: two codes and a regime in the user's words */

/* Policy changes (rules for one nationality or group that begin within the
 * chart) as labelled vertical rules; rules that begin the same day with the
 * same regime share one line ("CHN, CUB visa_required", "5 nationalities
 * visa_required"; the regime in the user's words). Labels live in `store`. */
static size_t policy_rules(const char *path, fr_month from, fr_month to, fr_chart_rule *rules,
                           char (*store)[RULE_LABEL], size_t max, int *failed)
{
    size_t len, n = 0, nerr = 0;
    int count[32] = {0};
    fr_regime regime[32];
    char first[32][2][12];
    *failed = 0;
    if (max > 32) max = 32;
    char *text = cli_read_all(path, FR_POLICY_MAX_BYTES, &len);
    if (!text) return *failed = 1, 0;
    fr_policy *p = NULL;
    fr_error errs[8];
    if (fr_policy_parse(text, len, &p, errs, 8, &nerr) != FR_OK) {
        for (size_t i = 0; i < nerr && i < 8; i++)
            cli_print_error(SUB, path, &errs[i]);
        free(text);
        return *failed = 1, 0;
    }
    free(text);
    for (size_t i = 0; i < fr_policy_rule_count(p); i++) {
        const fr_policy_rule *r = fr_policy_rule_at(p, i);
        if (r->rank == FR_RANK_DEFAULT || r->from == FR_DATE_NONE) continue;
        fr_month m = fr_month_of_date(r->from);
        if (m <= from || m > to) continue;
        size_t j = 0;
        while (j < n && !(rules[j].day == r->from && regime[j] == r->regime))
            j++;
        if (j == n) {
            if (n == max) continue;
            rules[n].day = r->from;
            rules[n].label = store[n];
            regime[n] = r->regime;
            n++;
        }
        if (count[j] < 2) snprintf(first[j][count[j]], 12, "%s", r->who);
        count[j]++;
    }
    for (size_t j = 0; j < n; j++) {
        /* whole words: a cut could split a Spanish letter's bytes */
        const char *rg = cli_code_word(fr_regime_name(regime[j]));
        if (count[j] == 1)
            snprintf(store[j], RULE_LABEL, "%.11s %s", first[j][0], rg);
        else if (count[j] == 2)
            snprintf(store[j], RULE_LABEL, "%.11s, %.11s %s", first[j][0], first[j][1], rg);
        else
            snprintf(store[j], RULE_LABEL,
                     ngettext("%d nationality %s", "%d nationalities %s", (unsigned long)count[j]),
                     count[j], rg);
    }
    fr_policy_free(p);
    return n;
}

/* The chart's words in the user's language: the library keeps none (svg.h). */
static fr_svg_words chart_words(const char *metric)
{
    return (fr_svg_words){
        .x_label = _("month"),
        .desc = _("Line chart of {y_label} from {from} to {to}, one line per "
                  "nationality:{lines}. {alerts|1=1 alert is|{alerts} alerts are} marked with "
                  "circles and {rules|1=1 policy change|{rules} policy changes} with vertical "
                  "dashed lines."),
        .metric = cli_metric_word(metric),
        .title = _("Monthly {metric} by nationality, {from} to {to}"),
        .y_label = _("{metric} per month"),
        .alert = _("{nationality} alert {month} (x{factor})"),
    };
}

static int write_svg(const char *path, const fr_series *s, const char *metric, size_t top,
                     const fr_alert *a, size_t n, const char *policy, fr_month from, fr_month to)
{
    fr_chart_rule rules[32];
    char labels[32][RULE_LABEL];
    size_t nrules = 0;
    if (from == FR_MONTH_NONE) from = fr_series_first(s);
    if (to == FR_MONTH_NONE) to = fr_series_last(s);
    if (policy) {
        int failed;
        nrules = policy_rules(policy, from, to, rules, labels, 32, &failed);
        if (failed) return FR_EXIT_FAILURE;
    }
    char *svg = NULL;
    size_t len;
    fr_error err;
    fr_svg_words words = chart_words(metric);
    fr_svg_series_request rq = {.metric = metric,
                                .top_n = top,
                                .alerts = a,
                                .nalerts = n,
                                .rules = rules,
                                .nrules = nrules,
                                .from = from,
                                .to = to,
                                .words = &words};
    if (fr_svg_series_chart(s, &rq, &svg, &len, &err) != FR_OK) {
        cli_print_error(SUB, path, &err);
        return FR_EXIT_FAILURE;
    }
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(svg, 1, len, f) == len;
    if (f && fclose(f) != 0) ok = 0;
    fr_free(svg);
    if (!ok) {
        fprintf(stderr, _("frontera %s: cannot write %s\n"), SUB, path);
        return FR_EXIT_FAILURE;
    }
    return FR_EXIT_OK;
}

static void usage(void)
{
    printf(
        _("Usage: frontera [--db PATH] report alerts [--series FILE.csv | --events FILE.csv]\n"
          "       [--from DATE] [--to DATE] [--as-of DATE] [--format text|csv|json]\n"
          "       [--svg FILE] [--metric NAME] [--top N] [--policy FILE] [--min-count N]\n"
          "Early-warning alerts: unusual rises and falls by nationality in arrivals, the non-exit\n"
          "rate, encounters or the encounter-to-entry ratio, by six tests (docs/alerts.md).\n"
          "  --series FILE   a monthly series CSV: period,nationality,metric,count\n"
          "  --events FILE   a ledger CSV (frontera synth/export output) instead of the database\n"
          "                  (--csv-input FILE is the same, as in the other reports)\n"
          "  (neither)       the events in the database (--db, default ./frontera.db)\n"
          "  --from/--to     report alerts raised in these months (earlier months are history);\n"
          "                  events after --to are ignored\n"
          "  --nationality CODES  only these nationalities' alerts (codes or names,\n"
          "                  comma-separated)\n"
          "  --as-of DATE    report date: events after it are ignored; entries whose stay ended\n"
          "                  before it count for the non-exit rate (default: day after the last "
          "event)\n"
          "  --svg FILE      draw METRIC (default arrivals, else encounters) for the top N\n"
          "                  nationalities (default 8) with alerts marked, and the changes of\n"
          "                  --policy FILE as vertical lines\n"
          "  --min-count N   least monthly count that may alert (default 100)\n"
          "  --min-factor F  least observed/expected ratio that may alert (default 1.5)\n"
          "  --warmup N      months of history before a month is judged (default 12)\n"
          "  --tests LIST    the tests to run, comma-separated (default all): seasonal,\n"
          "                  farrington, noufaily, cusum, yoy, fall\n"
          "  --min-tests N   families of tests that must agree to raise a rise (default 2;\n"
          "                  rates need the first alone; 1: every test's own alerts)\n"
          "  --escalate F    a rise reaching F times its opening value is reported again\n"
          "                  (default 5; 0: never)\n"
          "  --yoy-factor F, --fall-factor F, --alpha A, --cusum-h H\n"
          "                  the tests' thresholds (default 3, 2.5, 0.01, 1.2; docs/alerts.md)\n"
          "Exit status: 0 (alerts or not), 2 usage, 3 failure.\n"));
}

/* What the command line asked for. */
typedef struct alerts_opts {
    fr_date from, to, as_of;
    const char *format, *series, *events, *svg, *metric, *policy;
    long top;
    fr_alert_params params;
    int nats[64]; /* --nationality: only their alerts (nnats 0: all) */
    size_t nnats;
} alerts_opts;

#define OPTS_HELP (-1) /* --help was shown: nothing more to do */

/* --yoy-factor, --fall-factor (above 1) and --cusum-h (above 0). */
static int factor_option(int c, const char *arg, fr_alert_params *p)
{
    char *end;
    double v = strtod(arg, &end);
    if (*end || !(v > (c == 'H' ? 0 : 1)))
        return cli_usage_error(SUB, "%s must be a number above %d",
                               c == 'Y'   ? "--yoy-factor"
                               : c == 'L' ? "--fall-factor"
                                          : "--cusum-h",
                               c == 'H' ? 0 : 1);
    *(c == 'Y' ? &p->yoy_factor : c == 'L' ? &p->fall_factor : &p->cusum_h) = v;
    return FR_EXIT_OK;
}

/* A number option of the detector (--min-count ... --tests). */
static int param_option(int c, const char *arg, fr_alert_params *p)
{
    char *end;
    fr_error err;
    switch (c) {
    case 'c':
        p->min_count = strtod(arg, &end);
        if (*end || p->min_count < 0) return cli_usage_error(SUB, "--min-count must be >= 0");
        break;
    case 'x':
        p->min_factor = strtod(arg, &end);
        if (*end || p->min_factor < 1) return cli_usage_error(SUB, "--min-factor must be >= 1");
        break;
    case 'w':
        p->warmup = (int)strtol(arg, &end, 10);
        if (*end || p->warmup < 1 || p->warmup > 120)
            return cli_usage_error(SUB, "--warmup must be 1..120 months");
        break;
    case 'M':
        p->min_tests = (int)strtol(arg, &end, 10);
        if (*end || p->min_tests < 1 || p->min_tests > FR_ALERT_TEST_COUNT)
            return cli_usage_error(SUB, "--min-tests must be 1..%d", FR_ALERT_TEST_COUNT);
        break;
    case 'E':
        p->escalate_factor = strtod(arg, &end);
        if (*end || !(p->escalate_factor == 0 || p->escalate_factor > 1))
            return cli_usage_error(SUB, "--escalate must be 0 (never) or a factor above 1");
        break;
    case 'A':
        p->alpha = strtod(arg, &end);
        if (*end || !(p->alpha > 0 && p->alpha < 0.5))
            return cli_usage_error(SUB, "--alpha must be between 0 and 0.5");
        break;
    case 'T':
        if (fr_alert_tests_parse(arg, &p->tests, &err) != FR_OK)
            return cli_usage_error(SUB, "--tests: %s", cli_error_text(&err));
        break;
    case 'Y':
    case 'L':
    case 'H':
        return factor_option(c, arg, p);
    default:
        return cli_usage_error(SUB, "unknown option");
    }
    return FR_EXIT_OK;
}

/* --from, --to, --as-of: a day, or a month YYYY-MM (its first day for
 * --from, its last otherwise). */
static int date_option(int c, const char *arg, alerts_opts *o)
{
    fr_error err;
    fr_date *d = c == 'f' ? &o->from : c == 't' ? &o->to : &o->as_of;
    if (fr_date_parse_cstr(arg, d, &err) == FR_OK) return FR_EXIT_OK;
    fr_month m;
    if (strlen(arg) != 7 || fr_month_parse(arg, 7, &m, &err) != FR_OK)
        return cli_usage_error(SUB, "%s: not a date YYYY-MM-DD or month YYYY-MM", arg);
    *d = c == 'f' ? fr_month_first_day(m) : fr_month_first_day(m + 1) - 1;
    return FR_EXIT_OK;
}

static const struct option longopts[] = {{"series", required_argument, NULL, 's'},
                                         {"events", required_argument, NULL, 'e'},
                                         {"csv-input", required_argument, NULL, 'e'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"svg", required_argument, NULL, 'g'},
                                         {"metric", required_argument, NULL, 'm'},
                                         {"top", required_argument, NULL, 'n'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {"min-count", required_argument, NULL, 'c'},
                                         {"min-factor", required_argument, NULL, 'x'},
                                         {"warmup", required_argument, NULL, 'w'},
                                         {"tests", required_argument, NULL, 'T'},
                                         {"min-tests", required_argument, NULL, 'M'},
                                         {"yoy-factor", required_argument, NULL, 'Y'},
                                         {"fall-factor", required_argument, NULL, 'L'},
                                         {"alpha", required_argument, NULL, 'A'},
                                         {"cusum-h", required_argument, NULL, 'H'},
                                         {"escalate", required_argument, NULL, 'E'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"nationality", required_argument, NULL, 'N'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};

/* --nationality CODES: codes, ISO alpha-3 codes or names, comma-separated. */
static int nationality_option(const char *arg, alerts_opts *o)
{
    for (const char *p = arg;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int c = cli_country(p, n);
        if (c < 0)
            return cli_usage_error(SUB,
                                   "--nationality: '%.*s' is not an ICAO 9303 code (D for "
                                   "Germany), an ISO alpha-3 code or a country name",
                                   (int)n, p);
        if (o->nnats >= sizeof o->nats / sizeof o->nats[0])
            return cli_usage_error(SUB, "--nationality: at most 64 codes");
        o->nats[o->nnats++] = c;
        if (!e) return FR_EXIT_OK;
        p = e + 1;
    }
}

/* Keep the alerts of the nationalities asked for (all when none was). */
static size_t keep_nationalities(const alerts_opts *o, fr_alert *a, size_t n)
{
    if (!o->nnats) return n;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < o->nnats; j++)
            if (a[i].nationality == o->nats[j]) {
                a[k++] = a[i];
                break;
            }
    return k;
}

static int parse_options(int argc, char **argv, alerts_opts *o)
{
    int c, rc = FR_EXIT_OK;
    char *end;
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
        case 'g':
            o->svg = optarg;
            break;
        case 'm':
            o->metric = optarg;
            break;
        case 'p':
            o->policy = optarg;
            break;
        case 'b':
            if (strcmp(optarg, "nationality") != 0)
                return cli_usage_error(SUB, "alerts are by nationality only (--by nationality)");
            break;
        case 'n':
            o->top = strtol(optarg, &end, 10);
            if (*end || o->top < 1 || o->top > FR_SVG_MAX_LINES)
                return cli_usage_error(SUB, "--top must be 1..%d", FR_SVG_MAX_LINES);
            break;
        case 'N':
            rc = nationality_option(optarg, o);
            break;
        case 'F':
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "csv") != 0 &&
                strcmp(optarg, "json") != 0)
                return cli_usage_error(SUB, "--format must be text, csv or json");
            o->format = optarg;
            break;
        case 'f':
        case 't':
        case 'a':
            rc = date_option(c, optarg, o);
            break;
        case '?':
            return cli_bad_option(SUB, argc, argv);
        default: /* the detector's options, or an unknown one */
            rc = param_option(c, optarg, &o->params);
        }
    }
    if (rc != FR_EXIT_OK) return rc;
    if (optind < argc) return cli_usage_error(SUB, "unexpected argument '%s'", argv[optind]);
    if (o->series && o->events) return cli_usage_error(SUB, "give --series or --events, not both");
    return FR_EXIT_OK;
}

/* The metric charted when none was named: arrivals, else encounters (a
 * series of encounters alone, as the US Border Patrol publishes). */
static const char *default_metric(const fr_series *s)
{
    const char *metric = "arrivals";
    int found = 0;
    for (size_t k = 0; k < fr_series_key_count(s) && !found; k++)
        found = strcmp(fr_series_key_metric(s, k), metric) == 0;
    if (!found) metric = fr_series_key_count(s) ? "encounters" : metric;
    return metric;
}

int report_alerts(int argc, char **argv)
{
    alerts_opts o = {.from = FR_DATE_NONE,
                     .to = FR_DATE_NONE,
                     .as_of = FR_DATE_NONE,
                     .format = "text",
                     .top = 8};
    fr_alert_params_default(&o.params);
    int rc = parse_options(argc, argv, &o);
    if (rc != FR_EXIT_OK) return rc == OPTS_HELP ? FR_EXIT_OK : rc;
    fr_series *s = NULL;
    /* events after the report date are not known on it */
    fr_date cutoff =
        o.as_of != FR_DATE_NONE && (o.to == FR_DATE_NONE || o.to > o.as_of) ? o.as_of : o.to;
    rc = alerts_series_load(SUB, o.series, o.events, cutoff, o.as_of, &s);
    if (rc != FR_EXIT_OK) return rc;
    fr_month mfrom = o.from == FR_DATE_NONE ? FR_MONTH_NONE : fr_month_of_date(o.from);
    fr_month mto = o.to == FR_DATE_NONE ? FR_MONTH_NONE : fr_month_of_date(o.to);
    fr_alert *alerts = NULL;
    size_t n = 0;
    fr_error err;
    if (fr_alerts_detect(s, &o.params, mfrom, mto, &alerts, &n, &err) != FR_OK) {
        cli_print_error(SUB, NULL, &err);
        fr_series_free(s);
        return FR_EXIT_FAILURE;
    }
    n = keep_nationalities(&o, alerts, n);
    report_print_alerts(alerts, n, o.format);
    if (o.svg) {
        const char *metric = o.metric ? o.metric : default_metric(s);
        rc = write_svg(o.svg, s, metric, (size_t)o.top, alerts, n, o.policy, mfrom, mto);
    }
    fr_free(alerts);
    fr_series_free(s);
    if (fflush(stdout) != 0) return FR_EXIT_FAILURE;
    return rc;
}
