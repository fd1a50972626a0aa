/* SPDX-License-Identifier: MIT */
/* store_pg_review.c: the linking thresholds and a supervisor's corrections
 * of document links in the PostgreSQL ledger, with the SQLite backend's
 * meaning (store_sqlite_review.c): listing the link reviews, resolving one
 * (the same person: the review's traveller is merged into the candidate and
 * re-paired; two people: it is closed), splitting a document off a wrongly
 * merged traveller, each audited in link_audit.
 *
 * Each correction is one transaction holding the linking lock exclusively
 * (no document is linked meanwhile, by this process or another) and bumps
 * the link generation, so every process drops its document cache at its
 * next look-up (store_pg_link.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "store_pg.h"

/* Run one statement with text parameters; *out (may be NULL) gets the rows. */
static int run(pg_store *s, const char *sql, int n, const char *const *p, PGresult **out,
               fr_error *err, const char *what)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        int rc = fr__pg_error(s, r, err, what);
        PQclear(r);
        return rc;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return FR_OK;
}

static const char *const SETTING[3] = {"link_bits", "review_bits", "renewal_rate"};

int fr__pg_load_linkage(pg_store *s, fr_error *err)
{
    fr_linkage_defaults(&s->link_params);
    PGresult *r = NULL;
    int rc = run(s, "SELECT name, value FROM link_settings", 0, NULL, &r, err,
                 "cannot read the linking thresholds");
    if (rc != FR_OK) return rc;
    for (int i = 0; i < PQntuples(r); i++) {
        const char *n = PQgetvalue(r, i, 0);
        double v = strtod(PQgetvalue(r, i, 1), NULL);
        if (!strcmp(n, SETTING[0])) s->link_params.link_bits = v;
        if (!strcmp(n, SETTING[1])) s->link_params.review_bits = v;
        if (!strcmp(n, SETTING[2])) s->link_params.renewal_rate = v;
    }
    PQclear(r);
    return FR_OK;
}

void fr__pg_get_linkage(fr_store *base, fr_linkage_params *p)
{
    *p = ((pg_store *)base)->link_params;
}

/* Begin a correction: a transaction holding the linking lock exclusively. */
static int begin(pg_store *s, fr_error *err)
{
    int rc = fr__pg_tx_begin(s, err);
    if (rc == FR_OK && (rc = fr__pg_exec(s, "SELECT pg_advisory_xact_lock(1179799122, 0)", err,
                                         "cannot take the linking lock")) != FR_OK)
        fr__pg_tx_rollback(s);
    return rc;
}

static int end(pg_store *s, int rc, fr_error *err)
{
    if (rc == FR_OK)
        rc = fr__pg_exec(s,
                         "UPDATE frontera_counters SET value = value + 1"
                         " WHERE name = 'link_generation'",
                         err, "cannot record the correction");
    fr__pg_map_clear(&s->docs); /* documents changed traveller */
    if (rc == FR_OK) return fr__pg_tx_commit(s, err);
    fr__pg_tx_rollback(s);
    return rc;
}

int fr__pg_set_linkage(fr_store *base, const fr_linkage_params *p, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = begin(s, err);
    if (rc != FR_OK) return rc;
    const double v[3] = {p->link_bits, p->review_bits, p->renewal_rate};
    for (int i = 0; i < 3 && rc == FR_OK; i++) {
        char val[40];
        snprintf(val, sizeof val, "%.17g", v[i]);
        const char *q[2] = {SETTING[i], val};
        rc = run(s,
                 "INSERT INTO link_settings(name, value) VALUES($1, $2) ON CONFLICT (name)"
                 " DO UPDATE SET value = excluded.value",
                 2, q, NULL, err, "cannot store the thresholds");
    }
    if ((rc = end(s, rc, err)) == FR_OK) s->link_params = *p;
    return rc;
}

int fr__pg_reviews(fr_store *base, int open_only, fr_link_review **out, size_t *n, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    PGresult *r = NULL;
    const char *p[1] = {open_only ? "1" : "0"};
    rc = run(s,
             "SELECT r.id, r.document_id, d.state, d.number, r.traveller_id, r.candidate_id,"
             " coalesce(r.bits, 0), r.status, r.reason FROM link_reviews r"
             " JOIN documents d ON d.id = r.document_id WHERE r.status = 'open' OR $1::int = 0"
             " ORDER BY r.id",
             1, p, &r, err, "cannot list the reviews");
    if (rc != FR_OK) return rc;
    size_t rows = (size_t)PQntuples(r);
    fr_link_review *v = rows ? fr_calloc(rows, sizeof *v) : NULL;
    if (rows && !v) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory listing reviews");
    }
    for (size_t i = 0; i < rows; i++) {
        int k = (int)i;
        fr_link_review *x = &v[i];
        x->id = strtoll(PQgetvalue(r, k, 0), NULL, 10);
        x->document_row = strtoll(PQgetvalue(r, k, 1), NULL, 10);
        snprintf(x->doc_state, sizeof x->doc_state, "%s", PQgetvalue(r, k, 2));
        snprintf(x->doc_number, sizeof x->doc_number, "%s", PQgetvalue(r, k, 3));
        x->traveller_id = strtoll(PQgetvalue(r, k, 4), NULL, 10);
        x->candidate_id = strtoll(PQgetvalue(r, k, 5), NULL, 10);
        x->bits = strtod(PQgetvalue(r, k, 6), NULL);
        snprintf(x->status, sizeof x->status, "%s", PQgetvalue(r, k, 7));
        snprintf(x->reason, sizeof x->reason, "%s", PQgetvalue(r, k, 8));
    }
    PQclear(r);
    *out = v;
    *n = rows;
    return FR_OK;
}

static int audit(pg_store *s, int64_t at, const char *actor, const char *action, int64_t review,
                 int64_t doc, int64_t from, int64_t to, const char *note, fr_error *err)
{
    char a[24], rv[24], d[24], f[24], t[24];
    const char *p[8] = {fr__pg_i64(a, at),
                        actor,
                        action,
                        fr__pg_i64(rv, review),
                        fr__pg_i64(d, doc),
                        fr__pg_i64(f, from),
                        fr__pg_i64(t, to),
                        note};
    return run(s,
               "INSERT INTO link_audit(at_utc, actor, action, review_id, document_id,"
               " from_traveller, to_traveller, note)"
               " VALUES($1, $2, $3, nullif($4::bigint, 0), nullif($5::bigint, 0), $6, $7, $8)",
               8, p, NULL, err, "cannot audit the correction");
}

/* Move everything of traveller `from` to `to`, drop `from`, re-pair `to`. */
static int merge(pg_store *s, int64_t from, int64_t to, fr_error *err)
{
    static const char *const SQL[] = {
        "UPDATE documents SET traveller_id = $2, link = 3 WHERE traveller_id = $1",
        "UPDATE events SET traveller_id = $2 WHERE traveller_id = $1",
        "UPDATE event_keys SET traveller_id = $2 WHERE traveller_id = $1",
        "UPDATE link_reviews SET traveller_id = $2 WHERE traveller_id = $1 AND status = 'open'",
        ("UPDATE link_reviews r SET candidate_id = $2 WHERE r.candidate_id = $1"
         " AND r.status = 'open' AND NOT EXISTS (SELECT 1 FROM link_reviews x"
         " WHERE x.document_id = r.document_id AND x.candidate_id = $2)"),
        ("UPDATE link_reviews SET status = 'linked' WHERE status = 'open'"
         " AND traveller_id = candidate_id AND traveller_id IN ($1, $2)"),
    };
    char f[24], t[24];
    const char *p[2] = {fr__pg_i64(f, from), fr__pg_i64(t, to)};
    for (size_t i = 0; i < sizeof SQL / sizeof *SQL; i++) {
        int rc = run(s, SQL[i], 2, p, NULL, err, "cannot merge the travellers");
        if (rc != FR_OK) return rc;
    }
    char one[32];
    snprintf(one, sizeof one, "{%s}", f);
    int rc = fr__pg_freq_uncount(s, one, err); /* one traveller fewer */
    if (rc == FR_OK)
        rc = run(s, "DELETE FROM travellers WHERE id = $1", 1, p, NULL, err,
                 "cannot merge the travellers");
    return rc == FR_OK ? fr__pg_repair(s, to, err) : rc;
}

static int review_in_tx(pg_store *s, int64_t id, int same, const char *actor, int64_t at,
                        const char *note, fr_error *err)
{
    char v[24];
    const char *p[1] = {fr__pg_i64(v, id)};
    PGresult *r = NULL;
    int rc = run(s,
                 "SELECT document_id, traveller_id, candidate_id, status,"
                 " EXISTS (SELECT 1 FROM travellers t WHERE t.id = candidate_id)"
                 " FROM link_reviews WHERE id = $1 FOR UPDATE",
                 1, p, &r, err, "cannot read the review");
    if (rc != FR_OK) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "review", "there is no review %lld",
                            (long long)id);
    }
    int64_t doc = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    int64_t from = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    int64_t to = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
    int open = strcmp(PQgetvalue(r, 0, 3), "open") == 0;
    int exists = PQgetvalue(r, 0, 4)[0] == 't';
    PQclear(r);
    if (!open)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, "review", "review %lld is already closed",
                            (long long)id);
    char a[24];
    const char *q[4] = {p[0], actor, fr__pg_i64(a, at), same ? "linked" : "distinct"};
    rc = run(
        s, "UPDATE link_reviews SET status = $4, resolved_by = $2, resolved_at = $3 WHERE id = $1",
        4, q, NULL, err, "cannot close the review");
    if (rc != FR_OK) return rc;
    if (same) {
        if (!exists)
            return fr_error_set(err, FR_ECONFLICT, 0, 0, "review",
                                "traveller %lld of review %lld no longer exists (merged or "
                                "split since)",
                                (long long)to, (long long)id);
        if ((rc = merge(s, from, to, err)) != FR_OK) return rc;
    }
    return audit(s, at, actor, same ? "review_linked" : "review_distinct", id, doc, from,
                 same ? to : from, note, err);
}

int fr__pg_review_resolve(fr_store *base, int64_t id, int same, const char *actor, int64_t at,
                          const char *note, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = begin(s, err);
    if (rc != FR_OK) return rc;
    return end(s, review_in_tx(s, id, same, actor, at, note, err), err);
}

static int split_in_tx(pg_store *s, const char *state, const char *number, const char *actor,
                       int64_t at, const char *note, int64_t *out, fr_error *err)
{
    const char *p[2] = {state, number};
    PGresult *r = NULL;
    int rc = run(s,
                 "SELECT d.id, d.traveller_id, d.surname, d.given_names, d.nationality,"
                 " d.birth_date, d.sex, (SELECT count(*) FROM documents x"
                 " WHERE x.traveller_id = d.traveller_id) FROM documents d"
                 " WHERE state = $1 AND number = $2",
                 2, p, &r, err, "cannot read the document");
    if (rc != FR_OK) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "document", "no document %s:%s is recorded",
                            state, number);
    }
    int64_t doc = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    int64_t from = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
    int64_t ndocs = strtoll(PQgetvalue(r, 0, 7), NULL, 10);
    char sur[FR_NAME_MAX + 1], giv[FR_NAME_MAX + 1], nat[4], birth[24], sex[2];
    snprintf(sur, sizeof sur, "%s", PQgetvalue(r, 0, 2));
    snprintf(giv, sizeof giv, "%s", PQgetvalue(r, 0, 3));
    snprintf(nat, sizeof nat, "%s", PQgetvalue(r, 0, 4));
    int no_birth = PQgetisnull(r, 0, 5);
    snprintf(birth, sizeof birth, "%s", PQgetvalue(r, 0, 5));
    snprintf(sex, sizeof sex, "%s", PQgetvalue(r, 0, 6));
    PQclear(r);
    if (ndocs < 2)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document",
                            "%s:%s is the only document of traveller %lld: nothing to split", state,
                            number, (long long)from);
    int64_t to;
    if ((rc = fr__pg_next_id(s, PG_SEQ_TRAV, &to, err)) != FR_OK) return rc;
    char t[24], d[24], f[24];
    const char *tp[6] = {fr__pg_i64(t, to), sur, giv, nat, no_birth ? NULL : birth, sex};
    static const char *const COUNT[3] = {
        "INSERT INTO link_nat_freq(nationality, n) VALUES($1, 1) ON CONFLICT (nationality)"
        " DO UPDATE SET n = link_nat_freq.n + 1",
        "INSERT INTO link_name_freq(nationality, surname, given_names, n) VALUES($1, $2, $3, 1)"
        " ON CONFLICT (nationality, surname, given_names) DO UPDATE SET n = link_name_freq.n + 1",
        "INSERT INTO link_birth_freq(birth_date, n) VALUES($1, 1)"
        " ON CONFLICT (birth_date) DO UPDATE SET n = link_birth_freq.n + 1",
    };
    const char *np[3] = {nat, sur, giv}, *bp[1] = {birth};
    if ((rc = run(s,
                  "INSERT INTO travellers(id, surname, given_names, nationality, birth_date, sex)"
                  " VALUES($1, $2, $3, $4, $5, $6)",
                  6, tp, NULL, err, "cannot add the traveller")) != FR_OK ||
        (rc = run(s, COUNT[0], 1, np, NULL, err, "cannot count the traveller")) != FR_OK ||
        (rc = run(s, COUNT[1], 3, np, NULL, err, "cannot count the traveller")) != FR_OK ||
        (!no_birth &&
         (rc = run(s, COUNT[2], 1, bp, NULL, err, "cannot count the traveller")) != FR_OK))
        return rc;
    const char *mp[3] = {fr__pg_i64(d, doc), fr__pg_i64(f, from), t};
    if ((rc = run(s, "UPDATE documents SET traveller_id = $2, link = 2 WHERE id = $1", 2,
                  (const char *[]){mp[0], t}, NULL, err, "cannot move the document")) != FR_OK ||
        (rc = run(
             s, "UPDATE events SET traveller_id = $3 WHERE traveller_id = $2 AND document_id = $1",
             3, mp, NULL, err, "cannot move the events")) != FR_OK ||
        (rc = run(s,
                  "UPDATE event_keys k SET traveller_id = $3 FROM events e WHERE e.id = k.id"
                  " AND e.local_date = k.local_date AND e.document_id = $1 AND k.traveller_id = $2",
                  3, mp, NULL, err, "cannot move the events")) != FR_OK ||
        (rc = fr__pg_repair(s, from, err)) != FR_OK || (rc = fr__pg_repair(s, to, err)) != FR_OK)
        return rc;
    *out = to;
    return audit(s, at, actor, "split", 0, doc, from, to, note, err);
}

int fr__pg_split(fr_store *base, const char *state, const char *number, const char *actor,
                 int64_t at, const char *note, int64_t *out, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = begin(s, err);
    if (rc != FR_OK) return rc;
    return end(s, split_in_tx(s, state, number, actor, at, note, out, err), err);
}
