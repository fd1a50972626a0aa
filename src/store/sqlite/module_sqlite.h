/* SPDX-License-Identifier: MIT */
/* module_sqlite.h: a module's handle on the ledger's SQLite database, shared
 * by the backends that keep their own tables there (auth_sqlite.c,
 * audit_sqlite.c). It opens the file and migrates the module's tables
 * (fr__modsql_open and fr__modsql_migrate, auth_impl.h), and keeps the
 * module's statements prepared once per handle. Library-internal; a handle
 * is used by one thread at a time. */
#ifndef FR_MODULE_SQLITE_H
#define FR_MODULE_SQLITE_H

#include <sqlite3.h>

#include "frontera/status.h"

/* Open an existing frontera database for a module: read-write, busy
 * timeout, synchronous=FULL. FR_ENOTFOUND when the file does not exist. */
int fr__modsql_open(const char *path, sqlite3 **out, fr_error *err);
/* Bring `module`'s tables to version n by running steps[v] for v in
 * [current, n), recording the version in fr_module_schema, in one IMMEDIATE
 * transaction. FR_EVERSION when the database has a newer version. */
int fr__modsql_migrate(sqlite3 *db, const char *module, const char *const *steps, int n,
                       fr_error *err);
/* The busy handler of every frontera connection (sqlite3_busy_handler, with
 * ud = (void *)(intptr_t)LIMIT_MS): while another connection holds the
 * lock, short sleeps first (100 us for 2 ms, then 250 us, 1 ms, 5 ms),
 * since the holder is most often a group commit or a sync mark that ends
 * within one disk flush. SQLite's own handler sleeps 1, then 2, 5, 10 ...
 * ms: a post's group commit that met its sync thread's short write waited
 * 1.3-3.3 ms to begin. Gives up (SQLITE_BUSY) after LIMIT_MS of sleeps. */
int fr__modsql_busy(void *ud, int n);

/* An fr_error from an SQLite result code. */
int fr__modsql_error(sqlite3 *db, int rc, fr_error *err, const char *what);

/* Copy column i's text into out (cap bytes, NUL-terminated; "" for NULL),
 * cut at cap - 1 bytes. */
void fr__modsql_col_text(sqlite3_stmt *st, int i, char *out, size_t cap);

#define FR_MODSQL_MAX_STMTS 24

typedef struct fr_modsql_handle {
    sqlite3 *db;
    const char *const *sql; /* the module's statement texts, by index; not owned */
    int nsql;               /* at most FR_MODSQL_MAX_STMTS */
    sqlite3_stmt *st[FR_MODSQL_MAX_STMTS];
} fr_modsql_handle;

/* Open the database at path for `module` and bring its tables to version
 * nsteps (fr__modsql_open, then fr__modsql_migrate with steps). sql[0..nsql)
 * are the texts fr__modsql_handle_stmt prepares; they must outlive h. On
 * failure h holds no database and the error is in err (FR_ENOTFOUND,
 * FR_EVERSION, FR_ESTORE, FR_EBUSY, FR_ENOMEM). */
int fr__modsql_handle_open(fr_modsql_handle *h, const char *path, const char *module,
                           const char *const *steps, int nsteps, const char *const *sql, int nsql,
                           fr_error *err);

/* The statement sql[which], prepared on first use (persistent), reset and
 * with its bindings cleared, in *out. The handle keeps it. */
int fr__modsql_handle_stmt(fr_modsql_handle *h, int which, sqlite3_stmt **out, fr_error *err);

/* Finalize the statements and close the database. A handle whose open
 * failed, or that is all zeros, closes as a no-op. */
void fr__modsql_handle_close(fr_modsql_handle *h);

#endif
