/* SPDX-License-Identifier: MIT */
/* module_pg.c: a module's connection to the PostgreSQL ledger
 * (module_pg.h): connect, check the ledger exists, migrate the module's
 * tables once under an advisory lock, and report errors as fr_error. */
#include "module_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fr__modpg_error(PGconn *c, const PGresult *r, fr_error *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg) msg = c ? PQerrorMessage(c) : "no connection";
    int code = FR_ESTORE;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)) code = FR_EBUSY;
    if (state && strcmp(state, "23505") == 0) code = FR_EEXIST;
    char clean[200];
    snprintf(clean, sizeof clean, "%s", msg);
    clean[strcspn(clean, "\n")] = '\0';
    return fr_error_set(err, code, 0, 0, "db", "%s: %s", what, clean);
}

int fr__modpg_exec(PGconn *c, const char *sql, int n, const char *const *params, PGresult **out,
                   fr_error *err, const char *what)
{
    /* without parameters: the simple protocol, which allows several statements */
    PGresult *r = n ? PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0) : PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = fr__modpg_error(c, r, err, what);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return FR_OK;
}

int fr__modpg_open(const char *conninfo, const char *module, const char *const *steps, int n,
                   PGconn **out, fr_error *err)
{
    PGconn *c = PQconnectdb(conninfo);
    PGresult *r = NULL;
    int rc;
    if (PQstatus(c) != CONNECTION_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(c));
        msg[strcspn(msg, "\n")] = '\0';
        rc = fr_error_set(err, FR_ESTORE, 0, 0, "db", "cannot connect to the database: %s", msg);
        goto fail;
    }
    if ((rc = fr__modpg_exec(c, "SET client_min_messages = warning", 0, NULL, NULL, err,
                             "cannot configure the session")) != FR_OK)
        goto fail;
    if ((rc = fr__modpg_exec(c, "SELECT to_regclass('frontera_schema') IS NOT NULL", 0, NULL, &r,
                             err, "cannot read the schema")) != FR_OK)
        goto fail;
    int have = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    r = NULL;
    if (!have) {
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                          "the database has no frontera ledger (frontera init creates one)");
        goto fail;
    }
    if ((rc = fr__modpg_exec(c, "BEGIN", 0, NULL, NULL, err, "cannot migrate the tables")) !=
            FR_OK ||
        (rc = fr__modpg_exec(c,
                             "SELECT pg_advisory_xact_lock(1179799120, 0);"
                             " CREATE TABLE IF NOT EXISTS fr_module_schema("
                             "module text PRIMARY KEY, version int NOT NULL)",
                             0, NULL, NULL, err, "cannot migrate the tables")) != FR_OK)
        goto rollback;
    const char *p[2] = {module, NULL};
    if ((rc = fr__modpg_exec(c, "SELECT version FROM fr_module_schema WHERE module = $1", 1, p, &r,
                             err, "cannot read the tables' version")) != FR_OK)
        goto rollback;
    int version = PQntuples(r) ? atoi(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    r = NULL;
    if (version > n) {
        rc = fr_error_set(err, FR_EVERSION, 0, 0, "db",
                          "the %s tables have version %d, newer than the %d this frontera knows",
                          module, version, n);
        goto rollback;
    }
    for (int v = version; v < n; v++)
        if ((rc = fr__modpg_exec(c, steps[v], 0, NULL, NULL, err, "cannot migrate the tables")) !=
            FR_OK)
            goto rollback;
    char num[16];
    snprintf(num, sizeof num, "%d", n);
    p[1] = num;
    if ((rc = fr__modpg_exec(c,
                             "INSERT INTO fr_module_schema(module, version) VALUES($1, $2)"
                             " ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                             2, p, NULL, err, "cannot migrate the tables")) != FR_OK ||
        (rc = fr__modpg_exec(c, "COMMIT", 0, NULL, NULL, err, "cannot migrate the tables")) !=
            FR_OK)
        goto rollback;
    *out = c;
    return FR_OK;
rollback:
    PQclear(PQexec(c, "ROLLBACK"));
fail:
    PQclear(r);
    PQfinish(c);
    return rc;
}
