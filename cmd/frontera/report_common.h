/* SPDX-License-Identifier: MIT */
/* report_common.h: what the `frontera report KIND` subcommands share:
 * the common options (--from --to --as-of --by --nationality --format
 * --persons --csv-input), loading the analytics index (from the ledger named
 * by --db / FRONTERA_DB, or straight from an import-layout CSV), and
 * printing an fr_report as an aligned text table, CSV or JSON.
 *
 * A kind on the index (flows, overstays) puts REPORT_COMMON_OPTIONS in its
 * getopt_long table, hands each option to report_option(), loads and runs
 * its query with report_run(), and prints with report_print() and a column
 * list. The kinds that consume events one by one (alerts, what-if) read them
 * with report_events(). Program code: prints and returns exit codes (cli.h). */
#ifndef FR_CMD_REPORT_COMMON_H
#define FR_CMD_REPORT_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include "frontera/analytics.h"
#include "frontera/store.h"

/* getopt_long rows of the common options (values 0x100 and up). */
enum {
    REPORT_OPT_FROM = 0x100,
    REPORT_OPT_TO,
    REPORT_OPT_AS_OF,
    REPORT_OPT_BY,
    REPORT_OPT_NATIONALITY,
    REPORT_OPT_FORMAT,
    REPORT_OPT_PERSONS,
    REPORT_OPT_CSV_INPUT,
    REPORT_OPT_PORT
};
#define REPORT_COMMON_OPTIONS                                                                      \
    {"from", required_argument, NULL, REPORT_OPT_FROM},                                            \
        {"to", required_argument, NULL, REPORT_OPT_TO},                                            \
        {"as-of", required_argument, NULL, REPORT_OPT_AS_OF},                                      \
        {"by", required_argument, NULL, REPORT_OPT_BY},                                            \
        {"nationality", required_argument, NULL, REPORT_OPT_NATIONALITY},                          \
        {"port", required_argument, NULL, REPORT_OPT_PORT},                                        \
        {"format", required_argument, NULL, REPORT_OPT_FORMAT},                                    \
        {"persons", no_argument, NULL, REPORT_OPT_PERSONS},                                        \
    {                                                                                              \
        "csv-input", required_argument, NULL, REPORT_OPT_CSV_INPUT                                 \
    }

/* The common options' help: a message of its own (marked N_, translated
 * where it is printed: fputs(_(REPORT_COMMON_HELP), out)). */
#define REPORT_COMMON_HELP                                                                         \
    N_("  --from DATE, --to DATE  the period, inclusive: days YYYY-MM-DD or months YYYY-MM\n"      \
       "                          (default: all events)\n"                                         \
       "  --as-of DATE            the report date (default: the last event's date)\n"              \
       "  --by KEYS               group by nationality,port,class and one of\n"                    \
       "                          year,month,week,day (comma-separated, in order);\n"              \
       "                          flows also by embarkation (recorded manifests)\n"                \
       "  --nationality CODES     only these nationalities (ICAO codes, comma-separated)\n"        \
       "  --port LOCODES          only these ports (UN/LOCODEs such as ECUIO, comma-separated)\n"  \
       "  --format text|csv|json  output (default text: an aligned table)\n"                       \
       "  --persons               count distinct travellers, not events\n"                         \
       "  --csv-input FILE        read crossings from an import-layout CSV instead of the "        \
       "ledger\n")

typedef enum { REPORT_TEXT, REPORT_CSV, REPORT_JSON } report_format;

typedef struct report_opts {
    fr_report_query q;
    int nationalities[64];
    char port_codes[64][6];
    const char *ports[64];
    report_format format;
    const char *csv_input;
} report_opts;

void report_opts_init(report_opts *o);

/* Handle common option c (getopt's return) with its argument. Returns 0 when
 * handled, -1 when c is not a common option, FR_EXIT_USAGE after printing
 * the usage error. sub: "report flows". */
int report_option(report_opts *o, const char *sub, int c, const char *arg);

/* Load the index from o->csv_input or the ledger (snapshot flags as
 * report_load_ledger). Returns NULL after printing why. The caller frees it
 * with fr_analytics_free. */
fr_analytics *report_load(const char *sub, const report_opts *o, unsigned snap_flags);
/* The index of the ledger FRONTERA_DB (or frontera.db): its snapshot,
 * refreshed or rebuilt (snapshot.h; snap_flags: FR_SNAPSHOT_LAZY or 0).
 * NULL after printing why. */
fr_analytics *report_load_ledger(const char *sub, unsigned snap_flags);

/* The query of a report kind: fr_analytics_flows or fr_analytics_overstays. */
typedef int (*report_query_fn)(fr_analytics *a, const fr_report_query *q, fr_report **out,
                               fr_error *err);

/* After the options: refuse arguments left in argv from optind on, load the
 * index (report_load) and run query on it. Returns FR_EXIT_OK with the
 * report in *out (the caller frees it with fr_report_free), or the exit code
 * after printing why: FR_EXIT_USAGE for an extra argument or a query the
 * index refuses (FR_EINVAL, FR_ELIMIT), else FR_EXIT_FAILURE. */
int report_run(const char *sub, const report_opts *o, int argc, char **argv, report_query_fn query,
               fr_report **out);

/* Hand each event to fn(ud, ev) (the callback stops the walk by returning
 * non-zero): from the ledger CSV `events` ("-": standard input) up to the
 * date `to`, or, when events is NULL, from the database named by FRONTERA_DB
 * (default ./frontera.db) with local dates in [from, to]. Either date may be
 * FR_DATE_NONE (open). Returns FR_EXIT_OK, or FR_EXIT_FAILURE after printing
 * why. */
int report_events(const char *sub, const char *events, fr_date from, fr_date to,
                  fr_store_event_fn fn, void *ud);

/* A printed column: a value (v[value]), a difference of two values
 * (v[value] - v[minus], when minus >= 0), or a rate. */
typedef struct report_column {
    const char *key;   /* CSV/JSON name: "entries" */
    const char *title; /* text table header: "entries" */
    int value, minus;
    double (*rate)(const fr_report_row *row);
} report_column;

/* Print the rows of r, then (text only) a total line. */
void report_print(FILE *out, const fr_report *r, const report_column *cols, size_t ncols,
                  report_format format);

#endif
