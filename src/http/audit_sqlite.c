/* SPDX-License-Identifier: MIT */
/* audit_sqlite.c: the SQLite backend of audit.h. The log is the table
 * audit_log in the ledger's database file (seq is the primary key; prev and
 * hash are 32-byte blobs), versioned in fr_module_schema as module "audit".
 * Triggers refuse UPDATE and DELETE, so the application can only append;
 * the hash chain (audit.c) catches whoever edits the file past them. */
#include <stdio.h>
#include <string.h>

#include "audit_impl.h"
#include "module_sqlite.h"
#include "frontera/alloc.h"

/* version 0 -> 1 */
static const char AUDIT_V1[] =
    "CREATE TABLE IF NOT EXISTS audit_log("
    "  seq INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
    "  action TEXT NOT NULL, object TEXT NOT NULL, origin TEXT NOT NULL, status INTEGER NOT NULL,"
    "  detail TEXT NOT NULL, prev BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
/* version 1 -> 2: "who looked at this record" reads by object, newest first */
static const char AUDIT_V2[] =
    "CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log(object, seq);";
static const char *const MIGRATIONS[] = {AUDIT_V1, AUDIT_V2};

enum { Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_HEAD, Q_INSERT, Q_WALK, Q_ABOUT, Q_COUNT };
static const char *const SQL[Q_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_HEAD] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    [Q_INSERT] = "INSERT INTO audit_log(seq, at_ms, actor, role, action, object, origin, status,"
                 " detail, prev, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_WALK] = "SELECT seq, at_ms, actor, role, action, object, origin, status, detail, prev, hash"
               " FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
    [Q_ABOUT] = "SELECT seq, at_ms, actor, role, action, object, origin, status, detail, prev, hash"
                " FROM audit_log WHERE seq > 0 AND (object = ?1 OR (object >= ?1 || ' ' AND"
                " object < ?1 || '!')) ORDER BY seq DESC LIMIT ?2",
};

typedef struct sqaud {
    fr_audit base;
    fr_modsql_handle h;
    int attached; /* h.db is a store's connection (fr__audit_sqlite_attach) */
} sqaud;

static int exec_one(sqaud *s, int which, fr_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, which, &st, err);
    if (rc != FR_OK) return rc;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FR_OK : fr__modsql_error(s->h.db, rc, err, what);
}

static void sa_close(fr_audit *base)
{
    sqaud *s = (sqaud *)base;
    if (s->attached) { /* the statements are ours, the connection the store's */
        for (int i = 0; i < s->h.nsql; i++)
            sqlite3_finalize(s->h.st[i]);
        fr_free(s);
        return;
    }
    if (s->h.db && !sqlite3_get_autocommit(s->h.db))
        sqlite3_exec(s->h.db, "ROLLBACK", NULL, NULL, NULL);
    fr__modsql_handle_close(&s->h);
    fr_free(s);
}

/* Attached: the store's batch is the transaction (BEGIN IMMEDIATE holds the
 * write lock, so the head read below is the head the commit extends). */
static int sa_begin(fr_audit *base, fr_error *err)
{
    sqaud *s = (sqaud *)base;
    if (!s->attached) return exec_one(s, Q_BEGIN, err, "cannot start an audit transaction");
    if (sqlite3_get_autocommit(s->h.db))
        return fr_error_set(err, FR_EINVAL, 0, 0, "db",
                            "this audit log appends inside the store's batch, and none is open");
    return FR_OK;
}

static int sa_commit(fr_audit *base, fr_error *err)
{
    sqaud *s = (sqaud *)base;
    return s->attached ? FR_OK : exec_one(s, Q_COMMIT, err, "cannot commit the audit entries");
}

static void sa_rollback(fr_audit *base)
{
    sqaud *s = (sqaud *)base; /* attached: the store's rollback undoes the inserts */
    if (!s->attached && !sqlite3_get_autocommit(s->h.db)) exec_one(s, Q_ROLLBACK, NULL, "rollback");
}

static int sa_head(fr_audit *base, int64_t *seq, unsigned char *hash, fr_error *err)
{
    sqaud *s = (sqaud *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_HEAD, &st, err);
    if (rc != FR_OK) return rc;
    *seq = 0;
    memset(hash, 0, FR_AUDIT_HASH_BYTES);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        const void *h = sqlite3_column_blob(st, 1);
        if (h && sqlite3_column_bytes(st, 1) == FR_AUDIT_HASH_BYTES)
            memcpy(hash, h, FR_AUDIT_HASH_BYTES);
        rc = FR_OK;
    } else {
        rc = rc == SQLITE_DONE ? FR_OK
                               : fr__modsql_error(s->h.db, rc, err, "cannot read the audit head");
    }
    sqlite3_reset(st);
    return rc;
}

static int sa_insert(fr_audit *base, const fr_audit_entry *e, fr_error *err)
{
    sqaud *s = (sqaud *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__modsql_handle_stmt(&s->h, Q_INSERT, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, e->seq);
    sqlite3_bind_int64(st, 2, e->at_ms);
    sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, e->status);
    sqlite3_bind_text(st, 9, e->detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, e->prev, FR_AUDIT_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, e->hash, FR_AUDIT_HASH_BYTES, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? FR_OK
                             : fr__modsql_error(s->h.db, rc, err, "cannot append to the audit log");
}

static const char *const COLUMN[] = {"seq",    "at_ms",  "actor",  "role", "action", "object",
                                     "origin", "status", "detail", "prev", "hash"};

static void mark_bad(fr_audit_entry *e, int i)
{
    if (!e->bad_column[0]) snprintf(e->bad_column, sizeof e->bad_column, "%s", COLUMN[i]);
}

static int64_t col_int(sqlite3_stmt *st, int i, fr_audit_entry *e)
{
    if (sqlite3_column_type(st, i) != SQLITE_INTEGER) mark_bad(e, i);
    return sqlite3_column_int64(st, i);
}

/* Text as an append writes it: of type TEXT, without NUL, fitting the field. */
static void col_text(sqlite3_stmt *st, int i, char *dst, size_t cap, fr_audit_entry *e)
{
    if (sqlite3_column_type(st, i) != SQLITE_TEXT) mark_bad(e, i);
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= cap || (n && memchr(t, 0, n))) mark_bad(e, i);
    fr__modsql_col_text(st, i, dst, cap); /* the one column reader */
}

static void col_hash(sqlite3_stmt *st, int i, unsigned char *dst, fr_audit_entry *e)
{
    if (sqlite3_column_type(st, i) != SQLITE_BLOB) mark_bad(e, i);
    const void *h = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    memset(dst, 0, FR_AUDIT_HASH_BYTES);
    if (n != FR_AUDIT_HASH_BYTES) mark_bad(e, i);
    if (h) memcpy(dst, h, n < FR_AUDIT_HASH_BYTES ? (size_t)n : FR_AUDIT_HASH_BYTES);
}

/* Step a bound statement, handing each row to fn; finalizes st. */
static int run_rows(sqaud *s, sqlite3_stmt *st, fr_audit_entry_fn fn, void *ud, fr_error *err)
{
    fr_audit_entry *e = fr_malloc(sizeof *e);
    if (!e) {
        sqlite3_finalize(st);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    }
    int rc = FR_OK, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        memset(e, 0, sizeof *e);
        e->seq = col_int(st, 0, e);
        e->at_ms = col_int(st, 1, e);
        col_text(st, 2, e->actor, sizeof e->actor, e);
        col_text(st, 3, e->role, sizeof e->role, e);
        col_text(st, 4, e->action, sizeof e->action, e);
        col_text(st, 5, e->object, sizeof e->object, e);
        col_text(st, 6, e->origin, sizeof e->origin, e);
        int64_t status = col_int(st, 7, e);
        if (status < INT32_MIN || status > INT32_MAX) mark_bad(e, 7);
        e->status = (int)status;
        col_text(st, 8, e->detail, sizeof e->detail, e);
        col_hash(st, 9, e->prev, e);
        col_hash(st, 10, e->hash, e);
        if ((rc = fn(ud, e)) != 0) break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = fr__modsql_error(s->h.db, step, err, "cannot read the audit log");
    fr_free(e);
    sqlite3_finalize(st);
    return rc;
}

static int sa_walk(fr_audit *base, int64_t from_seq, size_t limit, fr_audit_entry_fn fn, void *ud,
                   fr_error *err)
{
    sqaud *s = (sqaud *)base;
    sqlite3_stmt *st = NULL;
    /* a statement of its own: fn may append through another handle meanwhile */
    int rc = sqlite3_prepare_v2(s->h.db, SQL[Q_WALK], -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__modsql_error(s->h.db, rc, err, "cannot read the audit log");
    sqlite3_bind_int64(st, 1, from_seq);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
    return run_rows(s, st, fn, ud, err);
}

static int sa_about(fr_audit *base, const char *object, size_t limit, fr_audit_entry_fn fn,
                    void *ud, fr_error *err)
{
    sqaud *s = (sqaud *)base;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->h.db, SQL[Q_ABOUT], -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__modsql_error(s->h.db, rc, err, "cannot read the audit log");
    sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
    return run_rows(s, st, fn, ud, err);
}

static const fr_audit_ops OPS = {sa_close, sa_begin,  sa_commit, sa_rollback,
                                 sa_head,  sa_insert, sa_walk,   sa_about};

int fr__audit_sqlite_open(const char *path, fr_audit **out, fr_error *err)
{
    sqaud *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc =
        fr__modsql_handle_open(&s->h, path, "audit", MIGRATIONS,
                               (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), SQL, Q_COUNT, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}

int fr__audit_sqlite_attach(void *sqlite_db, fr_audit **out, fr_error *err)
{
    sqlite3 *db = sqlite_db;
    if (!sqlite3_get_autocommit(db))
        return fr_error_set(err, FR_EINVAL, 0, 0, "db",
                            "the audit log attaches to a store outside a transaction");
    int rc = fr__modsql_migrate(db, "audit", MIGRATIONS,
                                (int)(sizeof MIGRATIONS / sizeof *MIGRATIONS), err);
    if (rc != FR_OK) return rc;
    sqaud *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    s->attached = 1;
    s->h.db = db;
    s->h.sql = SQL;
    s->h.nsql = Q_COUNT;
    *out = &s->base;
    return FR_OK;
}
