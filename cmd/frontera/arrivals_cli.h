/* SPDX-License-Identifier: MIT */
/* arrivals_cli.h: the commands on recorded manifests (arrivals.h):
 * `frontera manifest reconcile` (cmd_manifest_reconcile.c) and the routes
 * form of `frontera report flows --by embarkation,...` (cmd_report_routes.c).
 * Program code: prints and returns exit codes (cli.h). */
#ifndef FR_CMD_ARRIVALS_CLI_H
#define FR_CMD_ARRIVALS_CLI_H

#include "report_common.h"

/* argv[0] is "reconcile". */
int cmd_manifest_reconcile(int argc, char **argv);

/* Does the query group by embarkation (the routes report)? */
int report_wants_routes(const report_opts *o);
/* The routes report over recorded manifests and the ledger for o's period
 * (both ends required), printed in o's format. */
int report_routes(const char *sub, const report_opts *o, int argc, char **argv);

#endif
