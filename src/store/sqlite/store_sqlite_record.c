/* SPDX-License-Identifier: MIT */
/* store_sqlite_record.c: writing one event into the SQLite ledger.
 *
 * Steps, in the caller's batch or in a transaction of its own:
 * 1. the document: from the cache, else by (state, number); a new document
 *    is linked by store_sqlite_link.c (match weights of core/linkage.c: at
 *    or above the link threshold it joins the known traveller; between the
 *    thresholds a new traveller plus link_reviews rows with the evidence;
 *    below, a new traveller, counted in the name frequencies);
 * 2. exit matching: the traveller's last entry/exit by event time (cached);
 *    an event at or after it is paired incrementally, an earlier one (a post
 *    that sends late) makes the traveller's entries and exits be re-paired
 *    in time order (fr__ledger_pair) after the insert;
 * 3. the insert itself, ON CONFLICT(event_id) DO NOTHING: when nothing was
 *    inserted the stored digest decides between a retry (same content: a
 *    no-op success) and a conflict (FR_ECONFLICT). A new document is only
 *    created after checking the event id, so a conflicting row writes
 *    nothing at all. */
#include <string.h>

#include "frontera/alloc.h"
#include "ledger_rules.h"
#include "store_sqlite.h"

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void bind_date(sqlite3_stmt *st, int i, fr_date d)
{
    if (d == FR_DATE_NONE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, d);
}

/* 1 found, 0 not found, or an error. */
static int doc_lookup(sq_store *s, const fr_document *d, int64_t *doc_id, int64_t *tid,
                      int64_t *pdig, fr_error *err)
{
    sq_doc_slot *hit = fr__sq_doc_get(s, d->state, d->number);
    if (hit) {
        *doc_id = hit->doc_id, *tid = hit->traveller_id, *pdig = hit->person_digest;
        return 1;
    }
    if (fr__sq_docset_absent(s, d->state, d->number)) return 0; /* a load's new document */
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_DOC_FIND, &st, err);
    if (rc != FR_OK) return rc;
    bind_text(st, 1, d->state);
    bind_text(st, 2, d->number);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return fr__sq_error(s, rc, err, "cannot look the document up");
    *doc_id = sqlite3_column_int64(st, 0);
    *tid = sqlite3_column_int64(st, 1);
    *pdig = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    (void)fr__sq_doc_put(s, d->state, d->number, *doc_id, *tid, *pdig); /* a cache: may fail */
    return 1;
}

static int same_document(const fr_document *a, const fr_document *b)
{
    return strcmp(a->type, b->type) == 0 && strcmp(a->state, b->state) == 0 &&
           strcmp(a->number, b->number) == 0 && a->expiry == b->expiry &&
           strcmp(a->surname, b->surname) == 0 && strcmp(a->given_names, b->given_names) == 0 &&
           strcmp(a->nationality, b->nationality) == 0 && a->birth_date == b->birth_date &&
           a->sex == b->sex;
}

/* The linking decision fr__sq_link read for this document in this
 * transaction with no row written since on this connection (no other can
 * write inside it): 1 and *c, else 0. The memo is used once. */
static int memo_take(sq_store *s, const fr_document *d, fr_date day, int entering,
                     sq_link_result *c)
{
    sq_link_memo *m = &s->memo;
    int hit = m->valid && s->in_tx && m->changes == sqlite3_total_changes64(s->db) &&
              m->day == day && m->entering == entering && same_document(&m->doc, d);
    if (hit) *c = m->r;
    m->valid = 0;
    return hit;
}

static int new_document(sq_store *s, const fr_event *ev, int64_t pdig, int64_t *doc_id,
                        int64_t *tid, fr_link_kind *link, fr_error *err)
{
    const fr_document *d = &ev->doc;
    sq_link_result c;
    int entering = ev->kind == FR_EVENT_ENTRY, rc = FR_OK;
    if (!memo_take(s, d, ev->at.date, entering, &c))
        rc = fr__sq_link_candidates(s, d, ev->at.date, entering, &c, err);
    if (rc != FR_OK) return rc;
    fr_link_kind how = fr__slink_kind(c.outcome, 1);
    sqlite3_stmt *st = NULL;
    char sex[2] = {d->sex, 0};
    if (how == FR_LINK_RENEWAL) {
        *tid = c.ids[0];
    } else {
        /* the number is one above every number given (SQ_TRAV_INSERT's three
         * maxima); after the first, this connection counts on from it while
         * its maps hold (no other connection wrote, no merge or purge) */
        int known = s->next_tid > 0;
        if ((rc = fr__sq_stmt(s, known ? SQ_TRAV_INSERT_ID : SQ_TRAV_INSERT, &st, err)) != FR_OK)
            return rc;
        bind_text(st, 1, d->surname);
        bind_text(st, 2, d->given_names);
        bind_text(st, 3, d->nationality);
        bind_date(st, 4, d->birth_date);
        bind_text(st, 5, sex);
        if (known) sqlite3_bind_int64(st, 6, s->next_tid);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            return fr__sq_error(s, rc, err, "cannot add the traveller");
        *tid = sqlite3_last_insert_rowid(s->db);
        s->next_tid = *tid + 1;
        fr__sq_block_added(s, *tid, d);
        if ((rc = fr__sq_link_count(s, d, err)) != FR_OK) return rc;
    }
    if ((rc = fr__sq_stmt(s, SQ_DOC_INSERT, &st, err)) != FR_OK) return rc;
    bind_text(st, 1, d->state);
    bind_text(st, 2, d->number);
    bind_text(st, 3, d->type);
    bind_date(st, 4, d->expiry);
    bind_text(st, 5, d->surname);
    bind_text(st, 6, d->given_names);
    bind_text(st, 7, d->nationality);
    bind_date(st, 8, d->birth_date);
    bind_text(st, 9, sex);
    sqlite3_bind_int64(st, 10, *tid);
    sqlite3_bind_int(st, 11, how);
    sqlite3_bind_int64(st, 12, pdig);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot add the document");
    *doc_id = sqlite3_last_insert_rowid(s->db);
    fr__sq_docset_add(s, d->state, d->number);
    for (size_t i = 0; i < c.n && how == FR_LINK_REVIEW; i++) {
        char why[400];
        fr_linkage_explain(&c.score[i], why, sizeof why);
        if ((rc = fr__sq_stmt(s, SQ_REVIEW_INSERT, &st, err)) != FR_OK) return rc;
        sqlite3_bind_int64(st, 1, *doc_id);
        sqlite3_bind_int64(st, 2, *tid);
        sqlite3_bind_int64(st, 3, c.ids[i]);
        bind_text(st, 4, why);
        sqlite3_bind_double(st, 5, c.score[i].bits);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            return fr__sq_error(s, rc, err, "cannot record the link for review");
    }
    *link = how;
    (void)fr__sq_doc_put(s, d->state, d->number, *doc_id, *tid, pdig);
    if (how != FR_LINK_RENEWAL) { /* a new traveller has no crossings yet */
        sq_trav_slot none = {*tid, 0, 0, 0};
        (void)fr__sq_trav_put(s, &none);
    }
    return FR_OK;
}

/* Does the event's document data contradict what was first recorded for
 * that document? Only the fields the event gives are compared: an exit
 * scanned with the number alone is no mismatch. */
static int doc_differs(sq_store *s, int64_t doc_id, const fr_document *d, fr_error *err)
{
    if (!d->type[0] && d->expiry == FR_DATE_NONE && !d->surname[0] && !d->given_names[0] &&
        !d->nationality[0] && d->birth_date == FR_DATE_NONE && !d->sex)
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_DOC_PERSON, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, doc_id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return fr__sq_error(s, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, err,
                            "cannot read the document");
    }
    char type[3], sur[FR_NAME_MAX + 1], giv[FR_NAME_MAX + 1], nat[4], sex[2];
    fr__modsql_col_text(st, 0, type, sizeof type);
    fr_date exp = sqlite3_column_type(st, 1) == SQLITE_NULL ? FR_DATE_NONE
                                                            : (fr_date)sqlite3_column_int64(st, 1);
    fr__modsql_col_text(st, 2, sur, sizeof sur);
    fr__modsql_col_text(st, 3, giv, sizeof giv);
    fr__modsql_col_text(st, 4, nat, sizeof nat);
    fr_date birth = sqlite3_column_type(st, 5) == SQLITE_NULL
                        ? FR_DATE_NONE
                        : (fr_date)sqlite3_column_int64(st, 5);
    fr__modsql_col_text(st, 6, sex, sizeof sex);
    sqlite3_reset(st);
    return (d->type[0] && strcmp(d->type, type) != 0) ||
           (d->expiry != FR_DATE_NONE && d->expiry != exp) ||
           (d->surname[0] && strcmp(d->surname, sur) != 0) ||
           (d->given_names[0] && strcmp(d->given_names, giv) != 0) ||
           (d->nationality[0] && strcmp(d->nationality, nat) != 0) ||
           (d->birth_date != FR_DATE_NONE && d->birth_date != birth) ||
           (d->sex && d->sex != sex[0]);
}

/* The traveller's last entry/exit by event time: cache, else one query. */
int fr__sq_pairing_state(sq_store *s, int64_t tid, sq_trav_slot *out, fr_error *err)
{
    sq_trav_slot *hit = fr__sq_trav_get(s, tid);
    if (hit && hit->last_row >= 0) {
        *out = *hit;
        return FR_OK;
    }
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_EVENT_LAST_PAIRING, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    memset(out, 0, sizeof *out);
    out->traveller_id = tid;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->last_row = sqlite3_column_int64(st, 0);
        out->last_kind = sqlite3_column_int(st, 1);
        out->last_utc = sqlite3_column_int64(st, 2);
    } else if (rc != SQLITE_DONE) {
        return fr__sq_error(s, rc, err, "cannot read the traveller's last crossing");
    }
    sqlite3_reset(st);
    (void)fr__sq_trav_put(s, out);
    return FR_OK;
}

/* Re-pair all entries and exits of a traveller in event-time order. */
int fr__sq_repair(sq_store *s, int64_t tid, fr_error *err)
{
    size_t n = 0, cap = 0;
    int64_t *rows = NULL, *old_paired = NULL;
    unsigned *old_anom = NULL, *anom = NULL;
    fr_event_kind *kinds = NULL;
    ptrdiff_t *paired = NULL;
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_EVENT_PAIRING_ALL, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            int64_t *r = fr_realloc(rows, nc * sizeof *r);
            if (r) rows = r;
            int64_t *op = fr_realloc(old_paired, nc * sizeof *op);
            if (op) old_paired = op;
            unsigned *oa = fr_realloc(old_anom, nc * sizeof *oa);
            if (oa) old_anom = oa;
            fr_event_kind *k = fr_realloc(kinds, nc * sizeof *k);
            if (k) kinds = k;
            if (!r || !op || !oa || !k) {
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory re-pairing exits");
                goto done;
            }
            cap = nc;
        }
        rows[n] = sqlite3_column_int64(st, 0);
        kinds[n] = (fr_event_kind)sqlite3_column_int(st, 1);
        old_anom[n] = (unsigned)sqlite3_column_int(st, 2);
        old_paired[n] = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 3);
        n++;
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        rc = fr__sq_error(s, step, err, "cannot read the traveller's crossings");
        goto done;
    }
    anom = fr_malloc((n ? n : 1) * sizeof *anom);
    paired = fr_malloc((n ? n : 1) * sizeof *paired);
    if (!anom || !paired) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory re-pairing exits");
        goto done;
    }
    fr__ledger_pair(kinds, n, anom, paired);
    for (size_t i = 0; i < n; i++) {
        unsigned a = (old_anom[i] & ~(unsigned)FR_ANOMALY_PAIRING_MASK) | anom[i];
        int64_t p = paired[i] >= 0 ? rows[paired[i]] : 0;
        if (a == old_anom[i] && p == old_paired[i]) continue;
        if ((rc = fr__sq_stmt(s, SQ_EVENT_SET_PAIRING, &st, err)) != FR_OK) goto done;
        sqlite3_bind_int64(st, 1, rows[i]);
        sqlite3_bind_int(st, 2, (int)a);
        if (p)
            sqlite3_bind_int64(st, 3, p);
        else
            sqlite3_bind_null(st, 3);
        if ((step = sqlite3_step(st)) != SQLITE_DONE) {
            rc = fr__sq_error(s, step, err, "cannot re-pair the crossings");
            goto done;
        }
    }
    fr__sq_trav_forget(s, tid); /* reloaded on next use */
    rc = FR_OK;
done:
    fr_free(rows);
    fr_free(old_paired);
    fr_free(old_anom);
    fr_free(kinds);
    fr_free(anom);
    fr_free(paired);
    return rc;
}

/* The event id exists: a retry (same digest) or a conflict. */
static int existing(sq_store *s, const fr_event *ev, int64_t digest, fr_record_result *res,
                    fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_EVENT_DIGEST, &st, err);
    if (rc != FR_OK) return rc;
    bind_text(st, 1, ev->event_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) return fr__sq_error(s, rc, err, "cannot look the event id up");
    int64_t stored = sqlite3_column_int64(st, 0);
    res->traveller_id = sqlite3_column_int64(st, 1);
    res->event_row = sqlite3_column_int64(st, 2);
    res->anomalies = (unsigned)sqlite3_column_int(st, 3);
    sqlite3_reset(st);
    if (stored != digest)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, "event_id",
                            "event id '%s' was already recorded with different content",
                            ev->event_id);
    res->duplicate = 1;
    res->link = FR_LINK_DOCUMENT;
    return 1;
}

static int insert_event(sq_store *s, const fr_event *ev, int64_t tid, int64_t doc_id,
                        int64_t digest, unsigned anomalies, int64_t paired, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_EVENT_INSERT, &st, err);
    if (rc != FR_OK) return rc;
    bind_text(st, 1, ev->event_id);
    sqlite3_bind_int(st, 2, ev->kind);
    sqlite3_bind_int64(st, 3, tid);
    sqlite3_bind_int64(st, 4, doc_id);
    sqlite3_bind_int64(st, 5, fr_datetime_utc(&ev->at));
    sqlite3_bind_int64(st, 6, ev->at.date);
    sqlite3_bind_int(st, 7, ev->at.seconds);
    sqlite3_bind_int(st, 8, ev->at.offset_min);
    bind_text(st, 9, ev->port);
    bind_text(st, 10, ev->admission_class);
    bind_date(st, 11, ev->authorised_until);
    bind_text(st, 12, ev->officer);
    bind_text(st, 13, ev->decision);
    if (ev->reasons_json && ev->reasons_json[0])
        bind_text(st, 14, ev->reasons_json);
    else
        sqlite3_bind_null(st, 14);
    sqlite3_bind_int64(st, 15, digest);
    sqlite3_bind_int(st, 16, (int)anomalies);
    if (paired)
        sqlite3_bind_int64(st, 17, paired);
    else
        sqlite3_bind_null(st, 17);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) return fr__sq_error(s, rc, err, "cannot record the event");
    return sqlite3_changes(s->db) ? 1 : 0;
}

static int record_in_tx(sq_store *s, const fr_event *ev, fr_record_result *res, fr_error *err)
{
    int64_t digest = fr__ledger_event_digest(ev), pdig = fr__ledger_person_digest(&ev->doc);
    int64_t doc_id = 0, tid = 0, stored_pdig = 0;
    unsigned anomalies = 0;
    int rc = doc_lookup(s, &ev->doc, &doc_id, &tid, &stored_pdig, err);
    if (rc < 0) return rc;
    if (rc == 0) {
        rc = existing(s, ev, digest, res, err);
        if (rc != 0) return rc < 0 ? rc : FR_OK;
        if ((rc = new_document(s, ev, pdig, &doc_id, &tid, &res->link, err)) != FR_OK) return rc;
    } else {
        res->link = FR_LINK_DOCUMENT;
        if (stored_pdig != pdig) {
            if ((rc = doc_differs(s, doc_id, &ev->doc, err)) < 0) return rc;
            if (rc) anomalies |= FR_ANOMALY_DOCUMENT_MISMATCH;
        }
    }
    int pairs = ev->kind == FR_EVENT_ENTRY || ev->kind == FR_EVENT_EXIT;
    int64_t utc = fr_datetime_utc(&ev->at), paired = 0;
    int late = 0;
    sq_trav_slot ps = {0};
    if (pairs) {
        if ((rc = fr__sq_pairing_state(s, tid, &ps, err)) != FR_OK) return rc;
        late = ps.last_row && utc < ps.last_utc;
        if (!late && ps.last_kind == FR_EVENT_ENTRY) {
            if (ev->kind == FR_EVENT_ENTRY)
                anomalies |= FR_ANOMALY_ENTRY_WITHOUT_EXIT;
            else
                paired = ps.last_row;
        } else if (!late && ev->kind == FR_EVENT_EXIT) {
            anomalies |= FR_ANOMALY_EXIT_WITHOUT_ENTRY;
        }
    }
    rc = insert_event(s, ev, tid, doc_id, digest, anomalies, paired, err);
    if (rc < 0) return rc;
    if (rc == 0) { /* the id exists: nothing was written */
        rc = existing(s, ev, digest, res, err);
        return rc < 0 ? rc : FR_OK;
    }
    res->event_row = sqlite3_last_insert_rowid(s->db);
    res->traveller_id = tid;
    res->anomalies = anomalies;
    if (pairs && late) {
        if ((rc = fr__sq_repair(s, tid, err)) != FR_OK) return rc;
        res->anomalies = 0;
        sqlite3_stmt *st = NULL;
        if ((rc = fr__sq_stmt(s, SQ_EVENT_DIGEST, &st, err)) != FR_OK) return rc;
        bind_text(st, 1, ev->event_id);
        if (sqlite3_step(st) == SQLITE_ROW) res->anomalies = (unsigned)sqlite3_column_int(st, 3);
        sqlite3_reset(st);
    } else if (pairs) {
        sq_trav_slot v = {tid, res->event_row, utc, ev->kind};
        (void)fr__sq_trav_put(s, &v);
    }
    return FR_OK;
}

int fr__sq_record(fr_store *base, const fr_event *ev, fr_record_result *res, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int own = !s->in_tx;
    int rc;
    if (own && (rc = fr__sq_tx_begin(s, err)) != FR_OK) return rc;
    rc = record_in_tx(s, ev, res, err);
    if (!own) fr__sq_batch_row(s);
    if (own) {
        if (rc == FR_OK) return fr__sq_tx_commit(s, err);
        fr__sq_tx_rollback(s);
    }
    return rc; /* in a batch, the caller rolls back on errors other than FR_ECONFLICT */
}

static int link_in_read(sq_store *s, const fr_document *doc, fr_date day, int entering,
                        fr_store_link *out, fr_error *err)
{
    int64_t doc_id, pdig;
    int rc = doc_lookup(s, doc, &doc_id, &out->traveller_id, &pdig, err);
    if (rc < 0) return rc;
    if (rc == 1) {
        out->how = FR_LINK_DOCUMENT;
        return FR_OK;
    }
    sq_link_result c;
    if ((rc = fr__sq_link_candidates(s, doc, day, entering, &c, err)) != FR_OK) return rc;
    if (s->in_tx) { /* the recording of this document may follow: memo_take */
        s->memo.doc = *doc;
        s->memo.day = day;
        s->memo.entering = entering;
        s->memo.changes = sqlite3_total_changes64(s->db);
        s->memo.r = c;
        s->memo.valid = 1;
    }
    out->how = fr__slink_kind(c.outcome, 0);
    if (c.n) {
        out->bits = c.score[0].bits;
        out->candidate_id = c.ids[0];
        fr_linkage_explain(&c.score[0], out->evidence, sizeof out->evidence);
    }
    if (out->how == FR_LINK_RENEWAL) out->traveller_id = c.ids[0];
    return FR_OK;
}

int fr__sq_link(fr_store *base, const fr_document *doc, fr_date day, int entering,
                fr_store_link *out, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    memset(out, 0, sizeof *out);
    int own;
    int rc = fr__sq_read_begin(s, &own, err);
    if (rc != FR_OK) return rc;
    rc = link_in_read(s, doc, day, entering, out, err);
    fr__sq_read_end(s, own);
    return rc;
}
