/* SPDX-License-Identifier: MIT */
/* audit_pg.c: the PostgreSQL backend of audit.h: the table audit_log in the
 * ledger's database, versioned in fr_module_schema as module "audit". Every
 * server process appends to the one chain: begin takes a transaction-scoped
 * advisory lock, so head (read from the table, never from memory) and insert
 * happen as one step among all processes, and the chain stays one verifiable
 * chain with N servers. Triggers refuse UPDATE and DELETE; the hash chain
 * (audit.c) catches whoever edits the table past them. The entries of one
 * append are kept in memory and sent at commit as multi-row INSERTs (a
 * border post's catch-up appends hundreds per request: one round trip each
 * was most of the audit's cost). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_impl.h"
#include "frontera/alloc.h"
#include "module_pg.h"

static const char AUDIT_PG_V1[] =
    "CREATE TABLE IF NOT EXISTS audit_log(seq bigint PRIMARY KEY, at_ms bigint NOT NULL,"
    "  actor text NOT NULL, role text NOT NULL, action text NOT NULL, object text NOT NULL,"
    "  origin text NOT NULL, status int NOT NULL, detail text NOT NULL, prev bytea NOT NULL,"
    "  hash bytea NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log(object, seq);"
    "CREATE OR REPLACE FUNCTION frontera_audit_append_only() RETURNS trigger"
    "  LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $f$;"
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
    "  FOR EACH ROW EXECUTE FUNCTION frontera_audit_append_only();";
static const char *const MIGRATIONS[] = {AUDIT_PG_V1};

typedef struct pgaud {
    fr_audit base;
    PGconn *c;
    int attached;        /* c is a store's connection (fr__audit_pg_attach) */
    fr_audit_entry *buf; /* inserted since begin, sent at commit */
    size_t n, cap;
} pgaud;

/* Rows per INSERT: 11 parameters each, under PostgreSQL's 65,535. */
#define PA_ROWS_PER_INSERT 400

static void pa_close(fr_audit *base)
{
    pgaud *s = (pgaud *)base;
    if (!s->attached) PQfinish(s->c);
    fr_free(s->buf);
    fr_free(s);
}

/* Attached: the store's open transaction is the audit's; the lock is taken
 * in it and released by the store's commit or rollback. */
static int pa_begin(fr_audit *base, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    int rc = FR_OK;
    s->n = 0;
    if (s->attached) {
        if (PQtransactionStatus(s->c) != PQTRANS_INTRANS)
            return fr_error_set(err, FR_EINVAL, 0, 0, "db",
                                "this audit log appends inside the store's batch, and none is "
                                "open");
    } else {
        rc = fr__modpg_exec(s->c, "BEGIN", 0, NULL, NULL, err, "cannot start an audit transaction");
    }
    if (rc == FR_OK)
        rc = fr__modpg_exec(s->c, "SELECT pg_advisory_xact_lock(1179799120, 3)", 0, NULL, NULL, err,
                            "cannot lock the audit log");
    if (rc != FR_OK && !s->attached) PQclear(PQexec(s->c, "ROLLBACK"));
    return rc;
}

static int pa_flush(pgaud *s, fr_error *err);

static int pa_commit(fr_audit *base, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    int rc = pa_flush(s, err); /* the caller rolls back on failure */
    if (rc != FR_OK || s->attached) return rc;
    return fr__modpg_exec(s->c, "COMMIT", 0, NULL, NULL, err, "cannot commit the audit entries");
}

static void pa_rollback(fr_audit *base)
{
    pgaud *s = (pgaud *)base;
    s->n = 0;
    if (!s->attached && PQtransactionStatus(s->c) != PQTRANS_IDLE)
        PQclear(PQexec(s->c, "ROLLBACK"));
}

/* bytea in hex output ("\x0a1b...") to FR_AUDIT_HASH_BYTES bytes */
static void get_hash(const char *v, unsigned char *out)
{
    memset(out, 0, FR_AUDIT_HASH_BYTES);
    if (v[0] != '\\' || v[1] != 'x') return;
    v += 2;
    for (int i = 0; i < FR_AUDIT_HASH_BYTES && v[0] && v[1]; i++, v += 2) {
        char b[3] = {v[0], v[1], 0};
        out[i] = (unsigned char)strtoul(b, NULL, 16);
    }
}

static void put_hash(const unsigned char *h, char out[2 * FR_AUDIT_HASH_BYTES + 3])
{
    out[0] = '\\', out[1] = 'x';
    for (int i = 0; i < FR_AUDIT_HASH_BYTES; i++)
        snprintf(out + 2 + 2 * i, 3, "%02x", h[i]);
}

static int pa_head(fr_audit *base, int64_t *seq, unsigned char *hash, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    PGresult *r = NULL;
    int rc = fr__modpg_exec(s->c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", 0,
                            NULL, &r, err, "cannot read the audit head");
    if (rc != FR_OK) return rc;
    *seq = 0;
    memset(hash, 0, FR_AUDIT_HASH_BYTES);
    if (PQntuples(r) == 1) {
        *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        get_hash(PQgetvalue(r, 0, 1), hash);
    }
    PQclear(r);
    return FR_OK;
}

static int pa_insert(fr_audit *base, const fr_audit_entry *e, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        fr_audit_entry *b = fr_realloc(s->buf, cap * sizeof *b);
        if (!b) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        s->buf = b, s->cap = cap;
    }
    s->buf[s->n++] = *e;
    return FR_OK;
}

typedef struct pa_text { /* one row's parameters that are not already text */
    char seq[24], at[24], status[16];
    char prev[2 * FR_AUDIT_HASH_BYTES + 3], hash[2 * FR_AUDIT_HASH_BYTES + 3];
} pa_text;

/* Send the kept entries, PA_ROWS_PER_INSERT rows per statement. */
static int pa_flush(pgaud *s, fr_error *err)
{
    int rc = FR_OK;
    size_t rows = s->n < PA_ROWS_PER_INSERT ? s->n : PA_ROWS_PER_INSERT;
    const char **p = fr_malloc((rows ? rows : 1) * 11 * sizeof *p);
    pa_text *t = fr_malloc((rows ? rows : 1) * sizeof *t);
    size_t cap = 256 + rows * 128;
    char *sql = fr_malloc(cap);
    if (!p || !t || !sql) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    for (size_t from = 0; from < s->n && rc == FR_OK; from += rows) {
        size_t k = s->n - from < rows ? s->n - from : rows;
        size_t len = (size_t)snprintf(sql, cap,
                                      "INSERT INTO audit_log(seq, at_ms, actor, role, action, "
                                      "object, origin, status, detail, prev, hash) VALUES ");
        for (size_t i = 0; i < k; i++) {
            const fr_audit_entry *e = &s->buf[from + i];
            pa_text *x = &t[i];
            snprintf(x->seq, sizeof x->seq, "%lld", (long long)e->seq);
            snprintf(x->at, sizeof x->at, "%lld", (long long)e->at_ms);
            snprintf(x->status, sizeof x->status, "%d", e->status);
            put_hash(e->prev, x->prev);
            put_hash(e->hash, x->hash);
            const char *row[11] = {x->seq,    x->at,     e->actor,  e->role, e->action, e->object,
                                   e->origin, x->status, e->detail, x->prev, x->hash};
            memcpy(&p[11 * i], row, sizeof row);
            size_t b = 11 * i + 1;
            len += (size_t)snprintf(sql + len, cap - len,
                                    "%s($%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, $%zu, "
                                    "$%zu::bytea, $%zu::bytea)",
                                    i ? ", " : "", b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6,
                                    b + 7, b + 8, b + 9, b + 10);
        }
        rc = fr__modpg_exec(s->c, sql, (int)(11 * k), p, NULL, err,
                            "cannot append to the audit log");
    }
done:
    s->n = 0;
    fr_free(p);
    fr_free(t);
    fr_free(sql);
    return rc;
}

static int run_rows(pgaud *s, PGresult *r, fr_audit_entry_fn fn, void *ud)
{
    fr_audit_entry *e = fr_malloc(sizeof *e);
    int rc = FR_OK;
    if (!e) rc = FR_ENOMEM;
    for (int i = 0; e && i < PQntuples(r); i++) {
        memset(e, 0, sizeof *e);
        e->seq = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        e->at_ms = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        snprintf(e->actor, sizeof e->actor, "%s", PQgetvalue(r, i, 2));
        snprintf(e->role, sizeof e->role, "%s", PQgetvalue(r, i, 3));
        snprintf(e->action, sizeof e->action, "%s", PQgetvalue(r, i, 4));
        snprintf(e->object, sizeof e->object, "%s", PQgetvalue(r, i, 5));
        snprintf(e->origin, sizeof e->origin, "%s", PQgetvalue(r, i, 6));
        e->status = atoi(PQgetvalue(r, i, 7));
        snprintf(e->detail, sizeof e->detail, "%s", PQgetvalue(r, i, 8));
        get_hash(PQgetvalue(r, i, 9), e->prev);
        get_hash(PQgetvalue(r, i, 10), e->hash);
        if ((rc = fn(ud, e)) != 0) break;
    }
    (void)s;
    fr_free(e);
    PQclear(r);
    return rc;
}

#define PA_COLS "seq, at_ms, actor, role, action, object, origin, status, detail, prev, hash"

static int pa_walk(fr_audit *base, int64_t from_seq, size_t limit, fr_audit_entry_fn fn, void *ud,
                   fr_error *err)
{
    pgaud *s = (pgaud *)base;
    /* pages, so memory stays bounded however long the log is */
    int64_t next = from_seq;
    size_t left = limit;
    for (;;) {
        size_t page = 5000;
        if (limit && left < page) page = left;
        if (limit && page == 0) return FR_OK;
        char f[24], l[24];
        snprintf(f, sizeof f, "%lld", (long long)next);
        snprintf(l, sizeof l, "%zu", page);
        const char *p[2] = {f, l};
        PGresult *r = NULL;
        int rc = fr__modpg_exec(s->c,
                                "SELECT " PA_COLS " FROM audit_log WHERE seq >= $1 ORDER BY seq"
                                " LIMIT $2",
                                2, p, &r, err, "cannot read the audit log");
        if (rc != FR_OK) return rc;
        int n = PQntuples(r);
        if (n > 0) next = strtoll(PQgetvalue(r, n - 1, 0), NULL, 10) + 1;
        if ((rc = run_rows(s, r, fn, ud)) != 0) return rc;
        if ((size_t)n < page) return FR_OK;
        if (limit) left -= (size_t)n;
    }
}

static int pa_about(fr_audit *base, const char *object, size_t limit, fr_audit_entry_fn fn,
                    void *ud, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    char l[24];
    snprintf(l, sizeof l, "%zu", limit ? limit : (size_t)1 << 40);
    const char *p[2] = {object, l};
    PGresult *r = NULL;
    int rc = fr__modpg_exec(s->c,
                            /* as on SQLite: the object itself, or a record about
                             * several ("traveller:1 event:E-1"); starts_with does not
                             * depend on the database's collation */
                            "SELECT " PA_COLS " FROM audit_log WHERE object = $1"
                            " OR starts_with(object, $1 || ' ') ORDER BY seq DESC LIMIT $2",
                            2, p, &r, err, "cannot read the audit log");
    return rc != FR_OK ? rc : run_rows(s, r, fn, ud);
}

static const fr_audit_ops OPS = {pa_close, pa_begin,  pa_commit, pa_rollback,
                                 pa_head,  pa_insert, pa_walk,   pa_about};

int fr__audit_pg_open(const char *conninfo, fr_audit **out, fr_error *err)
{
    pgaud *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc = fr__modpg_open(conninfo, "audit", MIGRATIONS, 1, &s->c, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}

int fr__audit_pg_attach(void *pg_conn, fr_audit **out, fr_error *err)
{
    PGconn *c = pg_conn;
    PGresult *r = NULL;
    /* the table is migrated by fr_audit_open (the server opens one per worker first) */
    int rc = fr__modpg_exec(c, "SELECT to_regclass('audit_log') IS NOT NULL", 0, NULL, &r, err,
                            "cannot read the schema");
    if (rc != FR_OK) return rc;
    int have = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!have)
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "db",
                            "the database has no audit log yet (fr_audit_open creates it)");
    pgaud *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    s->c = c;
    s->attached = 1;
    *out = &s->base;
    return FR_OK;
}
