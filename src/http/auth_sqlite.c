/* SPDX-License-Identifier: MIT */
/* auth_sqlite.c: the SQLite backend of auth.h, in the ledger's database
 * through the module helpers of store/sqlite/module_sqlite.h. Users live in
 * auth_users; the token hash column is UNIQUE (the lookup index).
 * Statements are prepared once per handle. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "auth_impl.h"
#include "module_sqlite.h"
#include "frontera/alloc.h"

/* version 0 -> 1 */
static const char AUTH_V1[] =
    "CREATE TABLE IF NOT EXISTS auth_users("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    "  token_hash BLOB NOT NULL UNIQUE, created_ms INTEGER NOT NULL,"
    "  revoked_ms INTEGER NOT NULL DEFAULT 0)";
/* 1 -> 2: a post's ports (role post) */
static const char AUTH_V2[] = "ALTER TABLE auth_users ADD COLUMN ports TEXT NOT NULL DEFAULT ''";
static const char *const MIGRATIONS[] = {AUTH_V1, AUTH_V2};

enum { Q_INSERT, Q_SET_HASH, Q_REVOKE, Q_LIST, Q_FIND, Q_COUNT };
static const char *const SQL[Q_COUNT] = {
    [Q_INSERT] = "INSERT INTO auth_users(name, role, token_hash, created_ms, ports)"
                 " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_SET_HASH] = "UPDATE auth_users SET token_hash = ?2 WHERE name = ?1 AND revoked_ms = 0",
    [Q_REVOKE] = "UPDATE auth_users SET revoked_ms = ?2 WHERE name = ?1 AND revoked_ms = 0",
    [Q_LIST] = "SELECT id, name, role, created_ms, revoked_ms, ports FROM auth_users ORDER BY name",
    [Q_FIND] = ("SELECT id, name, role, created_ms, revoked_ms, ports, token_hash FROM auth_users"
                " WHERE token_hash = ?1"),
};

typedef struct sqa {
    fr_auth base;
    fr_modsql_handle h;
} sqa;

static void row_user(sqlite3_stmt *st, fr_user *u)
{
    const unsigned char *name = sqlite3_column_text(st, 1), *role = sqlite3_column_text(st, 2);
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    snprintf(u->name, sizeof u->name, "%s", name ? (const char *)name : "");
    u->role = role ? fr_role_parse((const char *)role, strlen((const char *)role)) : FR_ROLE_NONE;
    u->created_ms = sqlite3_column_int64(st, 3);
    u->revoked_ms = sqlite3_column_int64(st, 4);
    fr__modsql_col_text(st, 5, u->ports, sizeof u->ports);
}

static void sqa_close(fr_auth *base)
{
    sqa *s = (sqa *)base;
    fr__modsql_handle_close(&s->h);
    fr_free(s);
}

static int sqa_insert(fr_auth *base, const char *name, fr_role role, const char *ports,
                      const unsigned char *hash, int64_t now_ms, fr_error *err)
{
    sqa *s = (sqa *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_INSERT, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, fr_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, hash, FR_TOKEN_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now_ms);
    sqlite3_bind_text(st, 5, ports, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
        return fr_error_set(err, FR_EEXIST, 0, 0, "name",
                            "there is already a user named '%s' ('frontera user rotate' gives it a "
                            "new token; the name of a revoked user is never given again: choose "
                            "another name)",
                            name);
    return rc == SQLITE_DONE ? FR_OK : fr__modsql_error(s->h.db, rc, err, "cannot add the user");
}

static int sqa_update(sqa *s, int which, const char *name, const unsigned char *hash,
                      int64_t now_ms, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, which, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (hash)
        sqlite3_bind_blob(st, 2, hash, FR_TOKEN_HASH_BYTES, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 2, now_ms);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fr__modsql_error(s->h.db, rc, err, "cannot change the user");
    return sqlite3_changes(s->h.db) > 0 ? FR_OK : FR_ENOTFOUND;
}

static int sqa_set_hash(fr_auth *base, const char *name, const unsigned char *hash, fr_error *err)
{
    sqa *s = (sqa *)base;
    int rc = sqa_update(s, Q_SET_HASH, name, hash, 0, err);
    if (rc != FR_ENOTFOUND) return rc;
    /* absent, or revoked: a revoked user stays revoked (a rotation must not
     * bring back an account that was shut on purpose) */
    sqlite3_stmt *st = NULL;
    int revoked = 0;
    if (sqlite3_prepare_v2(s->h.db, "SELECT 1 FROM auth_users WHERE name = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        revoked = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return revoked ? FR_ECONFLICT : FR_ENOTFOUND; /* fr_auth_user_rotate says which */
}

static int sqa_list(fr_auth *base, fr_user **out, size_t *n, fr_error *err);

static int sqa_revoke(fr_auth *base, const char *name, int64_t now_ms, fr_error *err)
{
    sqa *s = (sqa *)base;
    int rc = sqa_update(s, Q_REVOKE, name, NULL, now_ms, err);
    if (rc != FR_ENOTFOUND) return rc;
    /* nothing changed: no such user, or already revoked */
    fr_user *all = NULL;
    size_t count = 0;
    int found = 0;
    if ((rc = sqa_list(base, &all, &count, err)) != FR_OK) return rc;
    for (size_t i = 0; i < count; i++)
        found |= strcmp(all[i].name, name) == 0;
    fr_free(all);
    return found
               ? FR_OK
               : fr_error_set(err, FR_ENOTFOUND, 0, 0, "name", "there is no user named '%s'", name);
}

static int sqa_list(fr_auth *base, fr_user **out, size_t *n, fr_error *err)
{
    sqa *s = (sqa *)base;
    sqlite3_stmt *st = NULL;
    fr_user *v = NULL;
    size_t count = 0, cap = 0;
    int rc = fr__modsql_handle_stmt(&s->h, Q_LIST, &st, err), step;
    if (rc != FR_OK) return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            fr_user *nv = fr_realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory listing users");
                goto done;
            }
            v = nv;
            cap = ncap;
        }
        row_user(st, &v[count++]);
    }
    if (step != SQLITE_DONE) rc = fr__modsql_error(s->h.db, step, err, "cannot list the users");
done:
    sqlite3_reset(st);
    if (rc != FR_OK) {
        fr_free(v);
        return rc;
    }
    *out = v;
    *n = count;
    return FR_OK;
}

static int sqa_find(fr_auth *base, const unsigned char *hash, fr_user *user, unsigned char *stored,
                    fr_error *err)
{
    sqa *s = (sqa *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_FIND, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_blob(st, 1, hash, FR_TOKEN_HASH_BYTES, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        row_user(st, user);
        const void *h = sqlite3_column_blob(st, 6);
        if (h && sqlite3_column_bytes(st, 6) == FR_TOKEN_HASH_BYTES)
            memcpy(stored, h, FR_TOKEN_HASH_BYTES);
        else
            memset(stored, 0, FR_TOKEN_HASH_BYTES);
        rc = FR_OK;
    } else if (rc == SQLITE_DONE) {
        rc = FR_ENOTFOUND;
    } else {
        rc = fr__modsql_error(s->h.db, rc, err, "cannot look up the token");
    }
    sqlite3_reset(st);
    return rc;
}

static const fr_auth_ops OPS = {sqa_close, sqa_insert, sqa_set_hash, sqa_revoke,
                                sqa_list,  sqa_find,   NULL};

int fr__auth_sqlite_open(const char *path, fr_auth **out, fr_error *err)
{
    sqa *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc =
        fr__modsql_handle_open(&s->h, path, "auth", MIGRATIONS,
                               (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), SQL, Q_COUNT, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
