/* SPDX-License-Identifier: MIT */
/* store_sqlite_review.c: a supervisor's corrections of document links in
 * the SQLite ledger: listing the link reviews, resolving one (the same
 * person: merge the review's traveller into the candidate and re-pair; two
 * people: close it), and splitting a document off a wrongly merged
 * traveller. Each runs in one IMMEDIATE transaction and writes a row in
 * link_audit (who, when, what, from which traveller to which). These are
 * rare operations: their statements are prepared per call, outside the
 * write path's statement table. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/linkage.h"
#include "store_sqlite.h"

/* Run one statement with integer/text parameters ("i" int64, "t" text). */
static int run(sq_store *s, const char *sql, const char *types, const void *const *args,
               fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot prepare a correction");
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            sqlite3_bind_int64(st, i + 1, *(const int64_t *)args[i]);
        else
            sqlite3_bind_text(st, i + 1, (const char *)args[i], -1, SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fr__sq_error(s, rc, err, "cannot correct a link");
    return FR_OK;
}

static int audit(sq_store *s, int64_t at, const char *actor, const char *action, int64_t review,
                 int64_t doc, int64_t from, int64_t to, const char *note, fr_error *err)
{
    const void *a[] = {&at, actor, action, &review, &doc, &from, &to, note};
    return run(s,
               "INSERT INTO link_audit(at_utc, actor, action, review_id, document_id,"
               " from_traveller, to_traveller, note)"
               " VALUES(?1, ?2, ?3, nullif(?4, 0), nullif(?5, 0), ?6, ?7, ?8)",
               "ittiiiit", a, err);
}

static const char *const SETTING[3] = {"link_bits", "review_bits", "renewal_rate"};

int fr__sq_set_linkage(fr_store *base, const fr_linkage_params *p, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int rc = fr__sq_tx_begin(s, err);
    if (rc != FR_OK) return rc;
    const double v[3] = {p->link_bits, p->review_bits, p->renewal_rate};
    for (int i = 0; i < 3 && rc == FR_OK; i++) {
        sqlite3_stmt *st = NULL;
        int q = sqlite3_prepare_v2(
            s->db, "INSERT OR REPLACE INTO link_settings(name, value) VALUES(?1, ?2)", -1, &st,
            NULL);
        if (q == SQLITE_OK) {
            sqlite3_bind_text(st, 1, SETTING[i], -1, SQLITE_STATIC);
            sqlite3_bind_double(st, 2, v[i]);
            q = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (q != SQLITE_DONE && q != SQLITE_OK)
            rc = fr__sq_error(s, q, err, "cannot store the thresholds");
    }
    if (rc != FR_OK) {
        fr__sq_tx_rollback(s);
        return rc;
    }
    if ((rc = fr__sq_tx_commit(s, err)) == FR_OK) s->link_params = *p;
    return rc;
}

void fr__sq_get_linkage(fr_store *base, fr_linkage_params *p)
{
    *p = ((sq_store *)base)->link_params;
}

int fr__sq_load_linkage(sq_store *s, fr_error *err)
{
    fr_linkage_defaults(&s->link_params);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT name, value FROM link_settings", -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot read the linking thresholds");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        double v = sqlite3_column_double(st, 1);
        if (n && !strcmp(n, SETTING[0])) s->link_params.link_bits = v;
        if (n && !strcmp(n, SETTING[1])) s->link_params.review_bits = v;
        if (n && !strcmp(n, SETTING[2])) s->link_params.renewal_rate = v;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return fr__sq_error(s, rc, err, "cannot read the linking thresholds");
    return FR_OK;
}

int fr__sq_reviews(fr_store *base, int open_only, fr_link_review **out, size_t *n, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT r.id, r.document_id, d.state, d.number, r.traveller_id, r.candidate_id,"
        " coalesce(r.bits, 0), r.status, r.reason FROM link_reviews r"
        " JOIN documents d ON d.id = r.document_id WHERE r.status = 'open' OR ?1 = 0 ORDER BY r.id",
        -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot list the reviews");
    sqlite3_bind_int(st, 1, open_only);
    size_t cap = 0;
    fr_link_review *v = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            fr_link_review *nv = fr_realloc(v, nc * sizeof *nv);
            if (!nv) {
                sqlite3_finalize(st);
                fr_free(v);
                return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory listing reviews");
            }
            v = nv;
            cap = nc;
        }
        fr_link_review *r = &v[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->document_row = sqlite3_column_int64(st, 1);
        const char *t = (const char *)sqlite3_column_text(st, 2);
        strncpy(r->doc_state, t ? t : "", sizeof r->doc_state - 1);
        t = (const char *)sqlite3_column_text(st, 3);
        strncpy(r->doc_number, t ? t : "", sizeof r->doc_number - 1);
        r->traveller_id = sqlite3_column_int64(st, 4);
        r->candidate_id = sqlite3_column_int64(st, 5);
        r->bits = sqlite3_column_double(st, 6);
        t = (const char *)sqlite3_column_text(st, 7);
        strncpy(r->status, t ? t : "", sizeof r->status - 1);
        t = (const char *)sqlite3_column_text(st, 8);
        strncpy(r->reason, t ? t : "", sizeof r->reason - 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fr_free(v);
        *n = 0;
        return fr__sq_error(s, rc, err, "cannot list the reviews");
    }
    *out = v;
    return FR_OK;
}

static int exists(sq_store *s, int64_t tid, int *yes, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_TRAV_EXISTS, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot read the traveller");
    *yes = rc == SQLITE_ROW;
    return FR_OK;
}

/* Move everything of traveller `from` to `to` and drop `from`. */
static int merge(sq_store *s, int64_t from, int64_t to, fr_error *err)
{
    const void *a[] = {&from, &to};
    int rc;
    if ((rc = run(s, "UPDATE documents SET traveller_id = ?2, link = 3 WHERE traveller_id = ?1",
                  "ii", a, err)) != FR_OK ||
        (rc = run(s, "UPDATE events SET traveller_id = ?2 WHERE traveller_id = ?1", "ii", a,
                  err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE OR IGNORE link_reviews SET traveller_id = ?2"
                  " WHERE traveller_id = ?1 AND status = 'open'",
                  "ii", a, err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE OR IGNORE link_reviews SET candidate_id = ?2"
                  " WHERE candidate_id = ?1 AND status = 'open'",
                  "ii", a, err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE link_reviews SET status = 'linked' WHERE status = 'open'"
                  " AND traveller_id = candidate_id",
                  "", NULL, err)) != FR_OK ||
        (rc = run(s,
                  "INSERT INTO link_settings(name, value) VALUES('traveller_id_floor', ?1)"
                  " ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)",
                  "i", a, err)) != FR_OK ||
        (rc = fr__sq_link_uncount(s, from, err)) != FR_OK || /* one traveller fewer */
        (rc = run(s, "DELETE FROM travellers WHERE id = ?1", "i", a, err)) != FR_OK)
        return rc;
    return fr__sq_repair(s, to, err);
}

static int review_in_tx(sq_store *s, int64_t id, int same, const char *actor, int64_t at,
                        const char *note, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        s->db,
        "SELECT document_id, traveller_id, candidate_id, status FROM link_reviews WHERE id = ?1",
        -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot read the review");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return fr_error_set(err, FR_ENOTFOUND, 0, 0, "review", "there is no review %lld",
                                (long long)id);
        return fr__sq_error(s, rc, err, "cannot read the review");
    }
    int64_t doc = sqlite3_column_int64(st, 0), from = sqlite3_column_int64(st, 1),
            to = sqlite3_column_int64(st, 2);
    int open = strcmp((const char *)sqlite3_column_text(st, 3), "open") == 0;
    sqlite3_finalize(st);
    if (!open)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, "review", "review %lld is already closed",
                            (long long)id);
    const void *a[] = {&id, actor, &at, same ? "linked" : "distinct"};
    rc = run(s,
             "UPDATE link_reviews SET status = ?4, resolved_by = ?2, resolved_at = ?3"
             " WHERE id = ?1",
             "itit", a, err);
    if (rc != FR_OK) return rc;
    if (same) {
        int yes = 0;
        if ((rc = exists(s, to, &yes, err)) != FR_OK) return rc;
        if (!yes)
            return fr_error_set(err, FR_ECONFLICT, 0, 0, "review",
                                "traveller %lld of review %lld no longer exists (merged or "
                                "split since)",
                                (long long)to, (long long)id);
        if ((rc = merge(s, from, to, err)) != FR_OK) return rc;
    }
    return audit(s, at, actor, same ? "review_linked" : "review_distinct", id, doc, from,
                 same ? to : from, note, err);
}

int fr__sq_review_resolve(fr_store *base, int64_t id, int same, const char *actor, int64_t at,
                          const char *note, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int rc = fr__sq_tx_begin(s, err);
    if (rc != FR_OK) return rc;
    rc = review_in_tx(s, id, same, actor, at, note, err);
    fr__sq_cache_clear(s); /* documents changed traveller */
    if (rc == FR_OK) return fr__sq_tx_commit(s, err);
    fr__sq_tx_rollback(s);
    return rc;
}

static int split_in_tx(sq_store *s, const char *state, const char *number, const char *actor,
                       int64_t at, const char *note, int64_t *out, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(s->db,
                           "SELECT d.id, d.traveller_id, d.surname, d.given_names,"
                           " d.nationality, d.birth_date, d.sex,"
                           " (SELECT count(*) FROM documents x WHERE x.traveller_id ="
                           " d.traveller_id) FROM documents d WHERE state = ?1 AND number = ?2",
                           -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot read the document");
    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return fr_error_set(err, FR_ENOTFOUND, 0, 0, "document",
                                "no document %s:%s is recorded", state, number);
        return fr__sq_error(s, rc, err, "cannot read the document");
    }
    int64_t doc = sqlite3_column_int64(st, 0), from = sqlite3_column_int64(st, 1);
    fr_document d;
    memset(&d, 0, sizeof d);
    const char *t = (const char *)sqlite3_column_text(st, 2);
    strncpy(d.surname, t ? t : "", FR_NAME_MAX);
    t = (const char *)sqlite3_column_text(st, 3);
    strncpy(d.given_names, t ? t : "", FR_NAME_MAX);
    t = (const char *)sqlite3_column_text(st, 4);
    strncpy(d.nationality, t ? t : "", 3);
    d.birth_date = sqlite3_column_type(st, 5) == SQLITE_NULL ? FR_DATE_NONE
                                                             : (fr_date)sqlite3_column_int64(st, 5);
    t = (const char *)sqlite3_column_text(st, 6);
    d.sex = t ? t[0] : 0;
    int64_t ndocs = sqlite3_column_int64(st, 7);
    sqlite3_finalize(st);
    if (ndocs < 2)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document",
                            "%s:%s is the only document of traveller %lld: nothing to split", state,
                            number, (long long)from);
    if ((rc = fr__sq_stmt(s, SQ_TRAV_INSERT, &st, err)) != FR_OK) return rc;
    char sex[2] = {d.sex, 0};
    sqlite3_bind_text(st, 1, d.surname, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d.given_names, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d.nationality, -1, SQLITE_STATIC);
    if (d.birth_date == FR_DATE_NONE)
        sqlite3_bind_null(st, 4);
    else
        sqlite3_bind_int64(st, 4, d.birth_date);
    sqlite3_bind_text(st, 5, sex, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot add the traveller");
    int64_t to = sqlite3_last_insert_rowid(s->db);
    if ((rc = fr__sq_link_count(s, &d, err)) != FR_OK) return rc;
    const void *a[] = {&doc, &from, &to};
    if ((rc = run(s, "UPDATE documents SET traveller_id = ?3, link = 2 WHERE id = ?1", "iii", a,
                  err)) != FR_OK ||
        (rc = run(s,
                  "UPDATE events SET traveller_id = ?3 WHERE traveller_id = ?2"
                  " AND document_id = ?1",
                  "iii", a, err)) != FR_OK ||
        (rc = fr__sq_repair(s, from, err)) != FR_OK || (rc = fr__sq_repair(s, to, err)) != FR_OK)
        return rc;
    *out = to;
    return audit(s, at, actor, "split", 0, doc, from, to, note, err);
}

int fr__sq_split(fr_store *base, const char *state, const char *number, const char *actor,
                 int64_t at, const char *note, int64_t *out, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int rc = fr__sq_tx_begin(s, err);
    if (rc != FR_OK) return rc;
    rc = split_in_tx(s, state, number, actor, at, note, out, err);
    fr__sq_cache_clear(s);
    if (rc == FR_OK) return fr__sq_tx_commit(s, err);
    fr__sq_tx_rollback(s);
    return rc;
}
