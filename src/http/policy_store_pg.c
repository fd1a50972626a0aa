/* SPDX-License-Identifier: MIT */
/* policy_store_pg.c: the PostgreSQL backend of policy_store.h: the
 * versions in policy_versions in the ledger's database, versioned in
 * fr_module_schema as module "policy" (the same layout as
 * policy_store_sqlite.c). Every server process of the central reads the
 * same table, which is what puts one policy in force in all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "module_pg.h"
#include "policy_store.h"

static const char POLICY_PG_V1[] =
    "CREATE TABLE IF NOT EXISTS policy_versions(version bigint PRIMARY KEY,"
    "  at_ms bigint NOT NULL, digest text NOT NULL, by_user text NOT NULL, text text NOT NULL)";
static const char *const MIGRATIONS[] = {POLICY_PG_V1};

typedef struct pgp {
    fr__pstore base;
    PGconn *c;
} pgp;

static void pgp_close(fr__pstore *base)
{
    pgp *s = (pgp *)base;
    PQfinish(s->c);
    fr_free(s);
}

/* Row i of r into v (the text when r has it). */
static int row_version(const PGresult *r, int i, fr__pstore_version *v, fr_error *err)
{
    memset(v, 0, sizeof *v);
    v->version = strtoll(PQgetvalue(r, i, 0), NULL, 10);
    v->at_ms = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    snprintf(v->digest, sizeof v->digest, "%s", PQgetvalue(r, i, 2));
    snprintf(v->by, sizeof v->by, "%s", PQgetvalue(r, i, 3));
    if (PQnfields(r) < 5) return FR_OK;
    size_t n = (size_t)PQgetlength(r, i, 4);
    if (!(v->text = fr_malloc(n + 1)))
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    memcpy(v->text, PQgetvalue(r, i, 4), n);
    v->text[n] = 0;
    v->len = n;
    return FR_OK;
}

static int pgp_latest(fr__pstore *base, int with_text, fr__pstore_version *v, fr_error *err)
{
    pgp *s = (pgp *)base;
    PGresult *r = NULL;
    memset(v, 0, sizeof *v);
    int rc = fr__modpg_exec(s->c,
                            with_text ? "SELECT version, at_ms, digest, by_user, text FROM "
                                        "policy_versions ORDER BY version DESC LIMIT 1"
                                      : "SELECT version, at_ms, digest, by_user FROM "
                                        "policy_versions ORDER BY version DESC LIMIT 1",
                            0, NULL, &r, err, "cannot read the policy versions");
    if (rc != FR_OK) return rc;
    if (PQntuples(r) == 1) rc = row_version(r, 0, v, err);
    PQclear(r);
    return rc;
}

static int pgp_get(fr__pstore *base, int64_t version, fr__pstore_version *v, fr_error *err)
{
    pgp *s = (pgp *)base;
    PGresult *r = NULL;
    char ver[24];
    snprintf(ver, sizeof ver, "%lld", (long long)version);
    const char *p[1] = {ver};
    memset(v, 0, sizeof *v);
    int rc = fr__modpg_exec(s->c,
                            "SELECT version, at_ms, digest, by_user, text FROM policy_versions"
                            " WHERE version = $1",
                            1, p, &r, err, "cannot read the policy versions");
    if (rc != FR_OK) return rc;
    rc = PQntuples(r) == 1 ? row_version(r, 0, v, err) : FR_ENOTFOUND;
    PQclear(r);
    return rc;
}

static int pgp_list(fr__pstore *base, fr__pstore_version **out, size_t *n, fr_error *err)
{
    pgp *s = (pgp *)base;
    PGresult *r = NULL;
    *out = NULL;
    *n = 0;
    int rc = fr__modpg_exec(s->c,
                            "SELECT version, at_ms, digest, by_user FROM policy_versions"
                            " ORDER BY version DESC",
                            0, NULL, &r, err, "cannot read the policy versions");
    if (rc != FR_OK) return rc;
    size_t count = (size_t)PQntuples(r);
    fr__pstore_version *v = count ? fr_calloc(count, sizeof *v) : NULL;
    if (count && !v) rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t i = 0; rc == FR_OK && i < count; i++)
        rc = row_version(r, (int)i, &v[i], err);
    PQclear(r);
    if (rc != FR_OK) {
        fr_free(v);
        return rc;
    }
    *out = v;
    *n = count;
    return FR_OK;
}

static int pgp_add(fr__pstore *base, const fr__pstore_version *v, fr_error *err)
{
    pgp *s = (pgp *)base;
    char version[24], at[24];
    snprintf(version, sizeof version, "%lld", (long long)v->version);
    snprintf(at, sizeof at, "%lld", (long long)v->at_ms);
    const char *p[5] = {version, at, v->digest, v->by, v->text};
    int rc = fr__modpg_exec(s->c,
                            "INSERT INTO policy_versions(version, at_ms, digest, by_user, text)"
                            " VALUES($1, $2, $3, $4, $5)",
                            5, p, NULL, err, "cannot keep the policy version");
    if (rc == FR_EEXIST)
        return fr_error_set(err, FR_EEXIST, 0, 0, "policy",
                            "policy version %lld was added by another server first",
                            (long long)v->version);
    return rc;
}

static int pgp_lost(fr__pstore *base)
{
    return PQstatus(((pgp *)base)->c) == CONNECTION_BAD;
}

static const fr__pstore_ops OPS = {pgp_close, pgp_latest, pgp_add, pgp_list, pgp_get, pgp_lost};

int fr__pstore_pg_open(const char *conninfo, fr__pstore **out, fr_error *err)
{
    pgp *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc = fr__modpg_open(conninfo, "policy", MIGRATIONS,
                            (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), &s->c, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
