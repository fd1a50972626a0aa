/* SPDX-License-Identifier: MIT */
/* policy_store_sqlite.c: the SQLite backend of policy_store.h, in the
 * ledger's database file through the module helpers of
 * store/sqlite/module_sqlite.h. The version is the primary key, so a
 * version added twice is a constraint error (FR_EEXIST). */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "module_sqlite.h"
#include "policy_store.h"

/* version 0 -> 1 */
static const char POLICY_V1[] =
    "CREATE TABLE IF NOT EXISTS policy_versions("
    "  version INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, digest TEXT NOT NULL,"
    "  by_user TEXT NOT NULL, text TEXT NOT NULL)";
static const char *const MIGRATIONS[] = {POLICY_V1};

enum { Q_LATEST, Q_LATEST_TEXT, Q_ADD, Q_LIST, Q_GET, Q_COUNT };
static const char *const SQL[Q_COUNT] = {
    [Q_LATEST] = "SELECT version, at_ms, digest, by_user FROM policy_versions"
                 " ORDER BY version DESC LIMIT 1",
    [Q_LATEST_TEXT] = "SELECT version, at_ms, digest, by_user, text FROM policy_versions"
                      " ORDER BY version DESC LIMIT 1",
    [Q_ADD] = "INSERT INTO policy_versions(version, at_ms, digest, by_user, text)"
              " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_LIST] = "SELECT version, at_ms, digest, by_user FROM policy_versions ORDER BY version DESC",
    [Q_GET] =
        "SELECT version, at_ms, digest, by_user, text FROM policy_versions WHERE version = ?1",
};

typedef struct sqp {
    fr__pstore base;
    fr_modsql_handle h;
} sqp;

static void sqp_close(fr__pstore *base)
{
    sqp *s = (sqp *)base;
    fr__modsql_handle_close(&s->h);
    fr_free(s);
}

/* The row at st into v (the text when the statement has it). */
static int row_version(sqlite3_stmt *st, int with_text, fr__pstore_version *v, fr_error *err)
{
    v->version = sqlite3_column_int64(st, 0);
    v->at_ms = sqlite3_column_int64(st, 1);
    fr__modsql_col_text(st, 2, v->digest, sizeof v->digest);
    fr__modsql_col_text(st, 3, v->by, sizeof v->by);
    if (!with_text) return FR_OK;
    const unsigned char *t = sqlite3_column_text(st, 4);
    size_t n = (size_t)sqlite3_column_bytes(st, 4);
    if (!(v->text = fr_malloc(n + 1)))
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    if (n) memcpy(v->text, t, n);
    v->text[n] = 0;
    v->len = n;
    return FR_OK;
}

/* One row of statement `which` (bound by the caller's version, when > 0). */
static int one(sqp *s, int which, int64_t version, int with_text, fr__pstore_version *v,
               fr_error *err)
{
    sqlite3_stmt *st = NULL;
    memset(v, 0, sizeof *v);
    int rc = fr__modsql_handle_stmt(&s->h, which, &st, err);
    if (rc != FR_OK) return rc;
    if (version > 0) sqlite3_bind_int64(st, 1, version);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        rc = row_version(st, with_text, v, err);
    else if (step == SQLITE_DONE)
        rc = version > 0 ? FR_ENOTFOUND : FR_OK;
    else
        rc = fr__modsql_error(s->h.db, step, err, "cannot read the policy versions");
    sqlite3_reset(st);
    return rc;
}

static int sqp_latest(fr__pstore *base, int with_text, fr__pstore_version *v, fr_error *err)
{
    return one((sqp *)base, with_text ? Q_LATEST_TEXT : Q_LATEST, 0, with_text, v, err);
}

static int sqp_get(fr__pstore *base, int64_t version, fr__pstore_version *v, fr_error *err)
{
    if (version <= 0) return FR_ENOTFOUND;
    return one((sqp *)base, Q_GET, version, 1, v, err);
}

static int sqp_list(fr__pstore *base, fr__pstore_version **out, size_t *n, fr_error *err)
{
    sqp *s = (sqp *)base;
    sqlite3_stmt *st = NULL;
    fr__pstore_version *v = NULL;
    size_t count = 0, cap = 0;
    *out = NULL;
    *n = 0;
    int rc = fr__modsql_handle_stmt(&s->h, Q_LIST, &st, err), step;
    if (rc != FR_OK) return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            fr__pstore_version *nv = fr_realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
                goto done;
            }
            v = nv;
            cap = ncap;
        }
        memset(&v[count], 0, sizeof *v);
        row_version(st, 0, &v[count++], err);
    }
    if (step != SQLITE_DONE)
        rc = fr__modsql_error(s->h.db, step, err, "cannot read the policy versions");
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

static int sqp_add(fr__pstore *base, const fr__pstore_version *v, fr_error *err)
{
    sqp *s = (sqp *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_ADD, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, v->version);
    sqlite3_bind_int64(st, 2, v->at_ms);
    sqlite3_bind_text(st, 3, v->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, v->by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, v->text, (int)v->len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return fr_error_set(err, FR_EEXIST, 0, 0, "policy",
                            "policy version %lld was added by another server first",
                            (long long)v->version);
    return rc == SQLITE_DONE ? FR_OK
                             : fr__modsql_error(s->h.db, rc, err, "cannot keep the policy version");
}

static const fr__pstore_ops OPS = {sqp_close, sqp_latest, sqp_add, sqp_list, sqp_get, NULL};

int fr__pstore_sqlite_open(const char *path, fr__pstore **out, fr_error *err)
{
    sqp *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc =
        fr__modsql_handle_open(&s->h, path, "policy", MIGRATIONS,
                               (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), SQL, Q_COUNT, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}
