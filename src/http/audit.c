/* SPDX-License-Identifier: MIT */
/* audit.c: the backend-neutral half of audit.h: the hash of an entry, the
 * chained append (head read inside the write transaction, then each record
 * hashed after the one before) and the verification walk that names the
 * first broken entry. Storage is the backend's (audit_sqlite.c). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit_impl.h"
#include "frontera/store.h"
#include "store_impl.h"

static const char DOMAIN[] = "frontera-audit-v1";

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (56 - 8 * i));
    crypto_generichash_update(st, b, sizeof b);
}

static void put_str(crypto_generichash_state *st, const char *s)
{
    size_t n = strlen(s);
    put_u64(st, (uint64_t)n);
    crypto_generichash_update(st, (const unsigned char *)s, n);
}

void fr_audit_entry_hash(const fr_audit_entry *e, const unsigned char prev[FR_AUDIT_HASH_BYTES],
                         unsigned char out[FR_AUDIT_HASH_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, FR_AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)DOMAIN, sizeof DOMAIN - 1);
    crypto_generichash_update(&st, prev, FR_AUDIT_HASH_BYTES);
    put_u64(&st, (uint64_t)e->seq);
    put_u64(&st, (uint64_t)e->at_ms);
    put_u64(&st, (uint64_t)(int64_t)e->status);
    put_str(&st, e->actor);
    put_str(&st, e->role);
    put_str(&st, e->action);
    put_str(&st, e->object);
    put_str(&st, e->origin);
    put_str(&st, e->detail);
    crypto_generichash_final(&st, out, FR_AUDIT_HASH_BYTES);
}

void fr_audit_hash_hex(const unsigned char h[FR_AUDIT_HASH_BYTES],
                       char out[2 * FR_AUDIT_HASH_BYTES + 1])
{
    sodium_bin2hex(out, 2 * FR_AUDIT_HASH_BYTES + 1, h, FR_AUDIT_HASH_BYTES);
}

int fr_audit_open(const char *path, fr_audit **out, fr_error *err)
{
    if (!path || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "db", "no database named");
    if (sodium_init() < 0) return fr_error_set(err, FR_EIO, 0, 0, "", "libsodium cannot start");
    if (strncmp(path, "sqlite:", 7) == 0) path += 7;
    if (fr_store_is_pg(path)) return fr__audit_pg_open(path, out, err);
    return fr__audit_sqlite_open(path, out, err);
}

int fr_audit_open_store(fr_store *store, fr_audit **out, fr_error *err)
{
    if (!store || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "db", "no store given");
    if (sodium_init() < 0) return fr_error_set(err, FR_EIO, 0, 0, "", "libsodium cannot start");
    void *conn = store->ops->connection ? store->ops->connection(store) : NULL;
    if (conn && strcmp(store->ops->name, "sqlite") == 0)
        return fr__audit_sqlite_attach(conn, out, err);
    if (conn && strcmp(store->ops->name, "postgres") == 0)
        return fr__audit_pg_attach(conn, out, err);
    return fr_error_set(err, FR_EINVAL, 0, 0, "db",
                        "the %s store does not share its connection with the audit log",
                        store->ops->name);
}

void fr_audit_close(fr_audit *a)
{
    if (a) a->ops->close(a);
}

static int copy_field(char *dst, size_t cap, const char *src, const char *field, fr_error *err)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        return fr_error_set(err, FR_EINVAL, 0, 0, field, "the audit %s is longer than %zu bytes",
                            field, cap - 1);
    memcpy(dst, src ? src : "", n);
    dst[n] = 0;
    return FR_OK;
}

static int fill(fr_audit_entry *e, const fr_audit_record *r, fr_error *err)
{
    int rc;
    memset(e, 0, sizeof *e);
    e->at_ms = r->at_ms;
    e->status = r->status;
    if ((rc = copy_field(e->actor, sizeof e->actor, r->actor, "actor", err)) != FR_OK ||
        (rc = copy_field(e->role, sizeof e->role, r->role, "role", err)) != FR_OK ||
        (rc = copy_field(e->action, sizeof e->action, r->action, "action", err)) != FR_OK ||
        (rc = copy_field(e->object, sizeof e->object, r->object, "object", err)) != FR_OK ||
        (rc = copy_field(e->origin, sizeof e->origin, r->origin, "origin", err)) != FR_OK ||
        (rc = copy_field(e->detail, sizeof e->detail, r->detail, "detail", err)) != FR_OK)
        return rc;
    if (!e->action[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "action", "an audit entry needs an action");
    return FR_OK;
}

int fr_audit_append(fr_audit *a, const fr_audit_record *recs, size_t n, int64_t *first_seq,
                    fr_error *err)
{
    fr_audit_entry e;
    int64_t seq = 0;
    unsigned char prev[FR_AUDIT_HASH_BYTES];
    if (!a || !recs || n == 0) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to append");
    for (size_t i = 0; i < n; i++) { /* validate all before writing any */
        int rc = fill(&e, &recs[i], err);
        if (rc != FR_OK) return rc;
    }
    int rc = a->ops->begin(a, err);
    if (rc != FR_OK) return rc;
    if ((rc = a->ops->head(a, &seq, prev, err)) != FR_OK) goto fail;
    if (first_seq) *first_seq = seq + 1;
    for (size_t i = 0; i < n; i++) {
        fill(&e, &recs[i], NULL);
        e.seq = ++seq;
        memcpy(e.prev, prev, sizeof prev);
        fr_audit_entry_hash(&e, prev, e.hash);
        if ((rc = a->ops->insert(a, &e, err)) != FR_OK) goto fail;
        memcpy(prev, e.hash, sizeof prev);
    }
    if ((rc = a->ops->commit(a, err)) != FR_OK) goto fail;
    return FR_OK;
fail:
    a->ops->rollback(a);
    return rc;
}

typedef struct verify_state {
    fr_audit_verify_result *res;
    int64_t last_seq;
    unsigned char last_hash[FR_AUDIT_HASH_BYTES];
} verify_state;

static int verify_one(void *ud, const fr_audit_entry *e)
{
    verify_state *vs = ud;
    fr_audit_verify_result *r = vs->res;
    unsigned char h[FR_AUDIT_HASH_BYTES];
    r->entries++;
    if (e->seq <= 0) {
        r->first_bad = e->seq;
        snprintf(r->reason, sizeof r->reason,
                 "an entry numbered %lld is in the log: entries are numbered from 1, so it was "
                 "not written by frontera",
                 (long long)e->seq);
        return 1;
    }
    if (e->seq != vs->last_seq + 1) {
        r->first_bad = vs->last_seq + 1;
        snprintf(r->reason, sizeof r->reason,
                 "entry %lld is missing: the log goes from entry %lld to entry %lld",
                 (long long)(vs->last_seq + 1), (long long)vs->last_seq, (long long)e->seq);
        return 1;
    }
    if (sodium_memcmp(e->prev, vs->last_hash, sizeof h) != 0) {
        r->first_bad = e->seq;
        snprintf(r->reason, sizeof r->reason,
                 "entry %lld does not follow entry %lld: its previous-hash is not that entry's "
                 "hash (an entry was replaced or the chain rewritten)",
                 (long long)e->seq, (long long)vs->last_seq);
        return 1;
    }
    if (e->bad_column[0]) {
        r->first_bad = e->seq;
        snprintf(r->reason, sizeof r->reason,
                 "entry %lld has been altered: its %s is not stored as frontera writes it "
                 "(another type, a NUL byte or extra bytes)",
                 (long long)e->seq, e->bad_column);
        return 1;
    }
    fr_audit_entry_hash(e, vs->last_hash, h);
    if (sodium_memcmp(h, e->hash, sizeof h) != 0) {
        r->first_bad = e->seq;
        snprintf(r->reason, sizeof r->reason,
                 "entry %lld has been altered: its content does not match its hash",
                 (long long)e->seq);
        return 1;
    }
    vs->last_seq = e->seq;
    memcpy(vs->last_hash, e->hash, sizeof h);
    return 0;
}

int fr_audit_verify(fr_audit *a, fr_audit_verify_result *res, fr_error *err)
{
    verify_state vs;
    memset(res, 0, sizeof *res);
    memset(&vs, 0, sizeof vs);
    vs.res = res;
    int rc = a->ops->walk(a, INT64_MIN, 0, verify_one, &vs, err); /* every row, 0 and below too */
    if (rc < 0) return rc;
    res->ok = rc == 0;
    res->head_seq = vs.last_seq;
    memcpy(res->head, vs.last_hash, sizeof res->head);
    return FR_OK;
}

int fr_audit_walk(fr_audit *a, int64_t from_seq, size_t limit, fr_audit_entry_fn fn, void *ud,
                  fr_error *err)
{
    return a->ops->walk(a, from_seq, limit, fn, ud, err);
}

int fr_audit_about(fr_audit *a, const char *object, size_t limit, fr_audit_entry_fn fn, void *ud,
                   fr_error *err)
{
    if (!a || !object || !fn) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to read");
    return a->ops->about(a, object, limit, fn, ud, err);
}
