/* SPDX-License-Identifier: MIT */
/* module_sqlite.c: the helpers the modules that keep their own tables in
 * the ledger's database share (users, audit log: module_sqlite.h).
 *
 * Each module records its schema version in fr_module_schema(module,
 * version), a table of its own (the ledger's PRAGMA user_version is the
 * ledger's), and migrates with CREATE ... IF NOT EXISTS steps in one
 * IMMEDIATE transaction, so two processes opening at once migrate once; a
 * module already at its version is only read, without the write lock.
 * Opening a handle is fr__modsql_open plus fr__modsql_migrate; each statement is prepared with
 * SQLITE_PREPARE_PERSISTENT the first time it is asked for and kept until the handle closes, so a
 * handle prepares each of its module's statements at most once. */
#include "module_sqlite.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BUSY_MS 10000

int fr__modsql_busy(void *ud, int n)
{
    long limit_us = (long)(intptr_t)ud * 1000L, slept, next;
    if (n < 20) { /* the first 2 ms */
        slept = n * 100L;
        next = 100;
    } else if (n < 40) { /* to 7 ms */
        slept = 2000 + (n - 20) * 250L;
        next = 250;
    } else if (n < 70) { /* to 37 ms */
        slept = 7000 + (n - 40) * 1000L;
        next = 1000;
    } else {
        slept = 37000 + (long)(n - 70) * 5000L;
        next = 5000;
    }
    if (slept >= limit_us) return 0;
    if (next > limit_us - slept) next = limit_us - slept;
    struct timespec ts = {next / 1000000L, (next % 1000000L) * 1000L};
    nanosleep(&ts, NULL);
    return 1;
}

int fr__modsql_error(sqlite3 *db, int rc, fr_error *err, const char *what)
{
    int code = FR_ESTORE;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) code = FR_EBUSY;
    if ((rc & 0xff) == SQLITE_NOMEM) code = FR_ENOMEM;
    const char *msg = (rc & 0xff) == SQLITE_FULL ? "the disk is full"
                      : db                       ? sqlite3_errmsg(db)
                                                 : sqlite3_errstr(rc);
    return fr_error_set(err, code, 0, 0, "db", "%s: %s", what, msg);
}

int fr__modsql_open(const char *path, sqlite3 **out, fr_error *err)
{
    struct stat st;
    sqlite3 *db = NULL;
    if (stat(path, &st) != 0)
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                            "there is no database at %s (frontera init creates one)", path);
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot open %s: %s", path,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return FR_ESTORE;
    }
    sqlite3_busy_handler(db, fr__modsql_busy, (void *)(intptr_t)BUSY_MS);
    rc =
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = fr__modsql_error(db, rc, err, "cannot configure the database");
        sqlite3_close(db);
        return rc;
    }
    /* the ledger owns the file: it must have created its schema first */
    sqlite3_stmt *q = NULL;
    int version = 0;
    rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version <= 0) {
        sqlite3_close(db);
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                            "%s is not a frontera ledger yet (frontera init creates one)", path);
    }
    *out = db;
    return FR_OK;
}

/* The module's recorded version, read without a write lock; -1 when the
 * table of versions or the module's row is not there yet. */
static int module_version(sqlite3 *db, const char *module)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db, "SELECT version FROM fr_module_schema WHERE module = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return version;
}

int fr__modsql_migrate(sqlite3 *db, const char *module, const char *const *steps, int n,
                       fr_error *err)
{
    /* Tables already at version n are only read: taking the write lock on
     * every open would queue a server's new connections behind its group
     * commit (store_sqlite.c, fr__store_sqlite_migrate). */
    if (module_version(db, module) == n) return FR_OK;
    sqlite3_stmt *st = NULL;
    int version = 0, rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) return fr__modsql_error(db, rc, err, "cannot start the migration");
    rc = sqlite3_exec(db,
                      "CREATE TABLE IF NOT EXISTS fr_module_schema("
                      "module TEXT PRIMARY KEY, version INTEGER NOT NULL)",
                      NULL, NULL, NULL);
    if (rc != SQLITE_OK) goto fail;
    rc = sqlite3_prepare_v2(db, "SELECT version FROM fr_module_schema WHERE module = ?1", -1, &st,
                            NULL);
    if (rc != SQLITE_OK) goto fail;
    sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    else if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (version > n) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return fr_error_set(err, FR_EVERSION, 0, 0, "db",
                            "the %s tables have version %d, newer than the %d this frontera "
                            "knows; use a newer frontera",
                            module, version, n);
    }
    for (int v = version; v < n; v++)
        if ((rc = sqlite3_exec(db, steps[v], NULL, NULL, NULL)) != SQLITE_OK) goto fail;
    if (version < n) {
        rc = sqlite3_prepare_v2(db,
                                "INSERT INTO fr_module_schema(module, version) VALUES(?1, ?2)"
                                " ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                                -1, &st, NULL);
        if (rc != SQLITE_OK) goto fail;
        sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, n);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE) goto fail;
        sqlite3_finalize(st);
        st = NULL;
    }
    if ((rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) goto fail;
    return FR_OK;
fail:
    rc = fr__modsql_error(db, rc, err, "cannot migrate the tables");
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int fr__modsql_handle_open(fr_modsql_handle *h, const char *path, const char *module,
                           const char *const *steps, int nsteps, const char *const *sql, int nsql,
                           fr_error *err)
{
    assert(nsql >= 0 && nsql <= FR_MODSQL_MAX_STMTS);
    memset(h, 0, sizeof *h);
    h->sql = sql;
    h->nsql = nsql;
    int rc = fr__modsql_open(path, &h->db, err);
    if (rc == FR_OK) rc = fr__modsql_migrate(h->db, module, steps, nsteps, err);
    if (rc != FR_OK) {
        sqlite3_close(h->db);
        h->db = NULL;
    }
    return rc;
}

int fr__modsql_handle_stmt(fr_modsql_handle *h, int which, sqlite3_stmt **out, fr_error *err)
{
    assert(which >= 0 && which < h->nsql);
    if (!h->st[which]) {
        int rc = sqlite3_prepare_v3(h->db, h->sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                    &h->st[which], NULL);
        if (rc != SQLITE_OK) return fr__modsql_error(h->db, rc, err, "cannot prepare a statement");
    }
    sqlite3_reset(h->st[which]);
    sqlite3_clear_bindings(h->st[which]);
    *out = h->st[which];
    return FR_OK;
}

void fr__modsql_handle_close(fr_modsql_handle *h)
{
    for (int i = 0; i < h->nsql; i++)
        sqlite3_finalize(h->st[i]);
    sqlite3_close(h->db);
    memset(h, 0, sizeof *h);
}

void fr__modsql_col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(out, t, n);
    out[n] = '\0';
}
