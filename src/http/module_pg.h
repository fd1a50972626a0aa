/* SPDX-License-Identifier: MIT */
/* module_pg.h: a module's connection to the ledger's PostgreSQL database,
 * shared by the backends that keep their own tables there (auth_pg.c,
 * audit_pg.c), the counterpart of module_sqlite.h. Library-internal; a
 * connection is used by one thread at a time. */
#ifndef FR_MODULE_PG_H
#define FR_MODULE_PG_H

#include <libpq-fe.h>

#include "frontera/status.h"

/* Connect to the ledger at conninfo (the ledger's schema must exist:
 * FR_ENOTFOUND otherwise) and bring `module`'s tables to version n by
 * running steps[v] for v in [current, n), recording the version in
 * fr_module_schema, in one transaction under an advisory lock. FR_EVERSION
 * when the database has a newer version of the module. */
int fr__modpg_open(const char *conninfo, const char *module, const char *const *steps, int n,
                   PGconn **out, fr_error *err);
/* An fr_error from a failed result (FR_EBUSY for deadlocks and
 * serialization failures, FR_EEXIST for a unique violation). */
int fr__modpg_error(PGconn *c, const PGresult *r, fr_error *err, const char *what);
/* Run a statement with text parameters; *out the result on success (the
 * caller PQclears it) or NULL when out is NULL. */
int fr__modpg_exec(PGconn *c, const char *sql, int n, const char *const *params, PGresult **out,
                   fr_error *err, const char *what);

#endif
