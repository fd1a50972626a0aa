/* SPDX-License-Identifier: MIT */
/* report.h: the `frontera report KIND` family. cmd_report.c dispatches to
 * one function per kind, each in its own file, each with the signature of a
 * subcommand (argv[0] is the kind: "flows", ...), answering --help, and
 * returning an exit code (cli.h). Common options, shared by every kind:
 *   --from DATE --to DATE   the period      --as-of DATE   the report date
 *   --by KEYS               grouping keys   --format text|csv|json
 *   --svg FILE              a chart (flows, alerts) */
#ifndef FR_CMD_REPORT_H
#define FR_CMD_REPORT_H

int report_flows(int argc, char **argv);     /* cmd_report_flows.c */
int report_overstays(int argc, char **argv); /* cmd_report_overstays.c */
int report_alerts(int argc, char **argv);    /* cmd_report_alerts.c */
int report_whatif(int argc, char **argv);    /* cmd_report_whatif.c */
int report_backtest(int argc, char **argv);  /* cmd_report_backtest.c */

/* Shared by alerts and backtest (cmd_report_alerts.c): load the monthly
 * series from a series CSV, a ledger CSV (events) or the database (neither),
 * printing why on failure (exit code returned); print alerts as text, csv or
 * json. */
#include "frontera/alerts.h"
#include "frontera/date.h"
#include "frontera/series.h"
int alerts_series_load(const char *sub, const char *series, const char *events, fr_date cutoff,
                       fr_date as_of, fr_series **out);
void report_print_alerts(const fr_alert *a, size_t n, const char *format);

#endif
