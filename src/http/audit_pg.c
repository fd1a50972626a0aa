/* SPDX-License-Identifier: MIT */
/* audit_pg.c: the PostgreSQL backend of audit.h: the table audit_log in the
 * ledger's database, versioned in fr_module_schema as module "audit". Every
 * server process appends to the one chain: begin takes a transaction-scoped
 * advisory lock, so head (read from the table, never from memory) and insert
 * happen as one step among all processes, and the chain stays one verifiable
 * chain with N servers. Triggers refuse UPDATE and DELETE; the hash chain
 * (audit.c) catches whoever edits the table past them. */
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
    int attached; /* c is a store's connection (fr_audit_pg_attach) */
} pgaud;

static void pa_close(fr_audit *base)
{
    pgaud *s = (pgaud *)base;
    if (!s->attached) PQfinish(s->c);
    fr_free(s);
}

/* Attached: the store's open transaction is the audit's; the lock is taken
 * in it and released by the store's commit or rollback. */
static int pa_begin(fr_audit *base, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    int rc = FR_OK;
    if (s->attached) {
        if (PQtransactionStatus(s->c) != PQTRANS_INTRANS)
            return fr_error_set(err, FR_EINVAL, 0, 0, "db",
                                "this audit log appends inside the store's batch, and none is "
                                "open");
    } else {
        rc = fr_modpg_exec(s->c, "BEGIN", 0, NULL, NULL, err, "cannot start an audit transaction");
    }
    if (rc == FR_OK)
        rc = fr_modpg_exec(s->c, "SELECT pg_advisory_xact_lock(1179799120, 3)", 0, NULL, NULL, err,
                           "cannot lock the audit log");
    if (rc != FR_OK && !s->attached) PQclear(PQexec(s->c, "ROLLBACK"));
    return rc;
}

static int pa_commit(fr_audit *base, fr_error *err)
{
    pgaud *s = (pgaud *)base;
    if (s->attached) return FR_OK;
    return fr_modpg_exec(s->c, "COMMIT", 0, NULL, NULL, err, "cannot commit the audit entries");
}

static void pa_rollback(fr_audit *base)
{
    pgaud *s = (pgaud *)base;
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
    int rc = fr_modpg_exec(s->c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", 0,
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
    char seq[24], at[24], status[16], prev[2 * FR_AUDIT_HASH_BYTES + 3],
        hash[2 * FR_AUDIT_HASH_BYTES + 3];
    snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
    snprintf(at, sizeof at, "%lld", (long long)e->at_ms);
    snprintf(status, sizeof status, "%d", e->status);
    put_hash(e->prev, prev);
    put_hash(e->hash, hash);
    const char *p[11] = {seq,       at,     e->actor,  e->role, e->action, e->object,
                         e->origin, status, e->detail, prev,    hash};
    return fr_modpg_exec(s->c,
                         "INSERT INTO audit_log(seq, at_ms, actor, role, action, object, origin,"
                         " status, detail, prev, hash) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                         " $10::bytea, $11::bytea)",
                         11, p, NULL, err, "cannot append to the audit log");
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
        int rc = fr_modpg_exec(s->c,
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
    int rc = fr_modpg_exec(s->c,
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

int fr_audit_pg_open(const char *conninfo, fr_audit **out, fr_error *err)
{
    pgaud *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->base.ops = &OPS;
    int rc = fr_modpg_open(conninfo, "audit", MIGRATIONS, 1, &s->c, err);
    if (rc != FR_OK) {
        fr_free(s);
        return rc;
    }
    *out = &s->base;
    return FR_OK;
}

int fr_audit_pg_attach(void *pg_conn, fr_audit **out, fr_error *err)
{
    PGconn *c = pg_conn;
    PGresult *r = NULL;
    /* the table is migrated by fr_audit_open (the server opens one per worker first) */
    int rc = fr_modpg_exec(c, "SELECT to_regclass('audit_log') IS NOT NULL", 0, NULL, &r, err,
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
