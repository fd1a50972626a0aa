/* SPDX-License-Identifier: MIT */
/* cli_purge.h: the retention purge as the program runs it (cli_purge.c):
 * batch by batch, each batch's audit entry committed with it; shared by
 * `frontera purge` and the daily purge of `frontera serve`. */
#ifndef FR_CLI_PURGE_H
#define FR_CLI_PURGE_H

#include <stdatomic.h>
#include <stddef.h>

#include "frontera/retention.h"
#include "frontera/store.h"

/* Run the purge of db on as_of to the end (dry: count only, nothing
 * written, nothing audited). Each batch of `batch` persons is one
 * transaction, with an audit entry (actor, role, origin; action "ledger.purge":
 * the counts and cutoffs, no personal data) appended in it through the
 * store's connection. stop (may be NULL): when set, the run ends after the
 * batch in progress (the next run goes on from there). *total gets the
 * sums. FR_OK or the error (err). */
int cli_purge_run(const char *db, const fr_retention *r, fr_date as_of, int dry, size_t batch,
                  const char *actor, const char *role, const char *origin, atomic_int *stop,
                  fr_purge_counts *total, fr_error *err);

/* The audit detail of a run or batch (no personal data). */
void cli_purge_detail(const fr_retention *r, fr_date as_of, const fr_purge_counts *c, char *out,
                      size_t cap);

/* Today's date (UTC) from the wall clock. */
fr_date cli_purge_today(void);

/* `frontera serve`'s daily purge: a thread that purges min(every_s, 600)
 * seconds after start and then every every_s seconds until cli_purger_stop; log (may be NULL) gets
 * one line per run (counts only). */
typedef struct cli_purger cli_purger;
int cli_purger_start(const char *db, const fr_retention *r, unsigned every_s,
                     void (*log)(const char *line), cli_purger **out);
void cli_purger_stop(cli_purger *p); /* NULL: no-op */

#endif
