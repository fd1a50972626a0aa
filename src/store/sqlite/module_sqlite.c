/* SPDX-License-Identifier: MIT */
/* module_sqlite.c: a module's handle on the ledger's database
 * (module_sqlite.h). Opening is fr_modsql_open plus fr_modsql_migrate
 * (auth_sqlite.c); each statement is prepared with SQLITE_PREPARE_PERSISTENT
 * the first time it is asked for and kept until the handle closes, so a
 * handle prepares each of its module's statements at most once. */
#include "module_sqlite.h"

#include <assert.h>
#include <string.h>

int fr_modsql_handle_open(fr_modsql_handle *h, const char *path, const char *module,
                          const char *const *steps, int nsteps, const char *const *sql, int nsql,
                          fr_error *err)
{
    assert(nsql >= 0 && nsql <= FR_MODSQL_MAX_STMTS);
    memset(h, 0, sizeof *h);
    h->sql = sql;
    h->nsql = nsql;
    int rc = fr_modsql_open(path, &h->db, err);
    if (rc == FR_OK) rc = fr_modsql_migrate(h->db, module, steps, nsteps, err);
    if (rc != FR_OK) {
        sqlite3_close(h->db);
        h->db = NULL;
    }
    return rc;
}

int fr_modsql_handle_stmt(fr_modsql_handle *h, int which, sqlite3_stmt **out, fr_error *err)
{
    assert(which >= 0 && which < h->nsql);
    if (!h->st[which]) {
        int rc = sqlite3_prepare_v3(h->db, h->sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                                    &h->st[which], NULL);
        if (rc != SQLITE_OK) return fr_modsql_error(h->db, rc, err, "cannot prepare a statement");
    }
    sqlite3_reset(h->st[which]);
    sqlite3_clear_bindings(h->st[which]);
    *out = h->st[which];
    return FR_OK;
}

void fr_modsql_handle_close(fr_modsql_handle *h)
{
    for (int i = 0; i < h->nsql; i++)
        sqlite3_finalize(h->st[i]);
    sqlite3_close(h->db);
    memset(h, 0, sizeof *h);
}
