/* SPDX-License-Identifier: MIT */
/* auth_pg.c: the PostgreSQL backend of auth.h: users in auth_users in the
 * ledger's database, versioned in fr_module_schema as module "auth" (the
 * same table layout as auth_sqlite.c; the token hash column is UNIQUE, the
 * lookup index). Every check reads the table, so a revocation or a new
 * token takes effect at once in every server process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_impl.h"
#include "frontera/alloc.h"
#include "module_pg.h"

static const char AUTH_PG_V1[] =
    "CREATE TABLE IF NOT EXISTS auth_users(id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,"
    "  role text NOT NULL, token_hash bytea NOT NULL UNIQUE, created_ms bigint NOT NULL,"
    "  revoked_ms bigint NOT NULL DEFAULT 0)";
/* 1 -> 2: a post's ports (role post) */
static const char AUTH_PG_V2[] =
    "ALTER TABLE auth_users ADD COLUMN IF NOT EXISTS ports text NOT NULL DEFAULT ''";
static const char *const MIGRATIONS[] = {AUTH_PG_V1, AUTH_PG_V2};

typedef struct pga {
    fr_auth base;
    PGconn *c;
} pga;

static void hex_hash(const unsigned char *h, char out[2 * FR_TOKEN_HASH_BYTES + 3])
{
    out[0] = '\\', out[1] = 'x';
    for (int i = 0; i < FR_TOKEN_HASH_BYTES; i++)
        snprintf(out + 2 + 2 * i, 3, "%02x", h[i]);
}

static void row_user(const PGresult *r, int i, fr_user *u)
{
    const char *role = PQgetvalue(r, i, 2);
    memset(u, 0, sizeof *u);
    u->id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
    snprintf(u->name, sizeof u->name, "%s", PQgetvalue(r, i, 1));
    u->role = fr_role_parse(role, strlen(role));
    u->created_ms = strtoll(PQgetvalue(r, i, 3), NULL, 10);
    u->revoked_ms = strtoll(PQgetvalue(r, i, 4), NULL, 10);
    snprintf(u->ports, sizeof u->ports, "%s", PQgetvalue(r, i, 5));
}

static void pga_close(fr_auth *base)
{
    pga *s = (pga *)base;
    PQfinish(s->c);
    fr_free(s);
}

static int pga_insert(fr_auth *base, const char *name, fr_role role, const char *ports,
                      const unsigned char *hash, int64_t now_ms, fr_error *err)
{
    pga *s = (pga *)base;
    char h[2 * FR_TOKEN_HASH_BYTES + 3], now[24];
    hex_hash(hash, h);
    snprintf(now, sizeof now, "%lld", (long long)now_ms);
    const char *p[5] = {name, fr_role_name(role), h, now, ports};
    int rc = fr__modpg_exec(s->c,
                            "INSERT INTO auth_users(name, role, token_hash, created_ms, ports)"
                            " VALUES($1, $2, $3::bytea, $4, $5)",
                            5, p, NULL, err, "cannot add the user");
    if (rc == FR_EEXIST)
        return fr_error_set(err, FR_EEXIST, 0, 0, "name",
                            "there is already a user named '%s' ('frontera user rotate' gives it a "
                            "new token; the name of a revoked user is never given again: choose "
                            "another name)",
                            name);
    return rc;
}

static int changed(pga *s, const char *sql, int n, const char *const *p, fr_error *err)
{
    PGresult *r = NULL;
    int rc = fr__modpg_exec(s->c, sql, n, p, &r, err, "cannot change the user");
    if (rc != FR_OK) return rc;
    int rows = atoi(PQcmdTuples(r));
    PQclear(r);
    return rows > 0 ? FR_OK : FR_ENOTFOUND;
}

static int pga_set_hash(fr_auth *base, const char *name, const unsigned char *hash, fr_error *err)
{
    char h[2 * FR_TOKEN_HASH_BYTES + 3];
    hex_hash(hash, h);
    const char *p[2] = {name, h};
    pga *s = (pga *)base;
    int rc = changed(
        s, "UPDATE auth_users SET token_hash = $2::bytea WHERE name = $1 AND revoked_ms = 0", 2, p,
        err);
    if (rc != FR_ENOTFOUND) return rc;
    /* absent, or revoked: a revoked user stays revoked (a rotation must not
     * bring back an account that was shut on purpose), as on SQLite */
    PGresult *r = NULL;
    if ((rc = fr__modpg_exec(s->c, "SELECT 1 FROM auth_users WHERE name = $1", 1, p, &r, err,
                             "cannot read the user")) != FR_OK)
        return rc;
    int revoked = PQntuples(r) > 0;
    PQclear(r);
    return revoked ? FR_ECONFLICT : FR_ENOTFOUND; /* fr_auth_user_rotate says which */
}

static int pga_revoke(fr_auth *base, const char *name, int64_t now_ms, fr_error *err)
{
    pga *s = (pga *)base;
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)now_ms);
    const char *p[2] = {name, now};
    /* revoking a revoked user is a no-op success, as on SQLite */
    int rc = changed(s,
                     "UPDATE auth_users SET revoked_ms = CASE WHEN revoked_ms = 0 THEN $2::bigint"
                     " ELSE revoked_ms END WHERE name = $1",
                     2, p, err);
    if (rc == FR_ENOTFOUND)
        return fr_error_set(err, rc, 0, 0, "name", "there is no user named '%s'", name);
    return rc;
}

static int pga_list(fr_auth *base, fr_user **out, size_t *n, fr_error *err)
{
    pga *s = (pga *)base;
    PGresult *r = NULL;
    int rc = fr__modpg_exec(s->c,
                            "SELECT id, name, role, created_ms, revoked_ms, ports FROM auth_users"
                            " ORDER BY name COLLATE \"C\"",
                            0, NULL, &r, err, "cannot list the users");
    if (rc != FR_OK) return rc;
    size_t count = (size_t)PQntuples(r);
    fr_user *v = fr_calloc(count ? count : 1, sizeof *v);
    if (!v) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory listing users");
    }
    for (size_t i = 0; i < count; i++)
        row_user(r, (int)i, &v[i]);
    PQclear(r);
    *out = v;
    *n = count;
    return FR_OK;
}

static int pga_find(fr_auth *base, const unsigned char *hash, fr_user *user, unsigned char *stored,
                    fr_error *err)
{
    pga *s = (pga *)base;
    char h[2 * FR_TOKEN_HASH_BYTES + 3];
    hex_hash(hash, h);
    const char *p[1] = {h};
    PGresult *r = NULL;
    int rc = fr__modpg_exec(s->c,
                            "SELECT id, name, role, created_ms, revoked_ms, ports, token_hash"
                            " FROM auth_users WHERE token_hash = $1::bytea",
                            1, p, &r, err, "cannot look up the token");
    if (rc != FR_OK) return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return FR_ENOTFOUND;
    }
    row_user(r, 0, user);
    const char *v = PQgetvalue(r, 0, 6);
    memset(stored, 0, FR_TOKEN_HASH_BYTES);
    if (v[0] == '\\' && v[1] == 'x' && strlen(v) == 2 + 2 * FR_TOKEN_HASH_BYTES)
        for (int i = 0; i < FR_TOKEN_HASH_BYTES; i++) {
            char b[3] = {v[2 + 2 * i], v[3 + 2 * i], 0};
            stored[i] = (unsigned char)strtoul(b, NULL, 16);
        }
    PQclear(r);
    return FR_OK;
}

static int pga_lost(fr_auth *base)
{
    return PQstatus(((pga *)base)->c) == CONNECTION_BAD;
}

static const fr_auth_ops OPS = {pga_close, pga_insert, pga_set_hash, pga_revoke,
                                pga_list,  pga_find,   pga_lost};

int fr__auth_pg_open(const char *conninfo, fr_auth **out, fr_error *err)
{
    pga *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc = fr__modpg_open(conninfo, "auth", MIGRATIONS,
                            (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), &s->c, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
