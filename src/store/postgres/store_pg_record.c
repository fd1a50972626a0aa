/* SPDX-License-Identifier: MIT */
/* store_pg_record.c: writing one event into the PostgreSQL ledger, with the
 * same steps and rules as the SQLite backend (store_sqlite_record.c):
 *
 * 1. one round trip (frontera_lookup3, store_pg.c) says whether the event id
 *    is known (a retry, or a conflict), who holds the document, the
 *    traveller's last entry/exit (its row locked first, so two processes
 *    pairing the same traveller queue: no lost pairing update), or, for a new
 *    document, the linking evidence (store_pg_link.c, under the linking
 *    locks, so two posts cannot both create the same person); rows this
 *    transaction wrote and has not sent yet are consulted in memory;
 * 2. the linking decision is store_link.c's (match weights of
 *    core/linkage.c, as on SQLite: link, review with the evidence kept in
 *    link_reviews, or a new traveller counted in the frequencies), the
 *    pairing the core's (fr__ledger_pair) when an event arrives late;
 * 3. new rows are kept and sent at commit (store_pg.c). A single record is
 *    retried when another process won a race (deadlock, a concurrent insert
 *    of the same event id or document). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "ledger_rules.h"
#include "store_pg.h"

#define PG_RETRIES 8

static void doc_key(char *key, size_t cap, const char *state, const char *number)
{
    snprintf(key, cap, "%s:%s", state, number);
}

static void tid_key(char key[24], int64_t tid)
{
    snprintf(key, 24, "t%lld", (long long)tid);
}

static int last_crossing(pg_store *s, int64_t tid, pg_lookup *l, fr_error *err)
{
    char t[24];
    const char *p[1] = {fr__pg_i64(t, tid)};
    PGresult *r = PQexecParams(s->conn, "SELECT * FROM frontera_last_crossing($1)", 1, NULL, p,
                               NULL, NULL, 0);
    int rc;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the traveller's last crossing");
    } else {
        l->have_last = 0;
        rc = fr__pg_lookup_read(r, l, err);
    }
    PQclear(r);
    return rc;
}

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return FR_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = fr_realloc(*arr, nc * elem);
    if (!p) return FR_ENOMEM;
    *arr = p;
    *cap = nc;
    return FR_OK;
}

static int oom(fr_error *err)
{
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
}

static int new_document(pg_store *s, const fr_event *ev, int64_t pdig, pg_lookup *l,
                        int64_t *doc_id, int64_t *tid, fr_link_kind *how, fr_error *err)
{
    const fr_document *d = &ev->doc;
    fr_slink_result c;
    int rc = fr__pg_link_decide(s, d, ev->at.date, ev->kind == FR_EVENT_ENTRY, l, &c, err);
    if (rc != FR_OK) return rc;
    fr_link_kind kind = fr__slink_kind(c.outcome, 1);
    if (kind == FR_LINK_RENEWAL) {
        *tid = c.ids[0];
    } else {
        if ((rc = fr__pg_next_id(s, PG_SEQ_TRAV, tid, err)) != FR_OK) return rc;
        if (grow((void **)&s->ptrav, &s->captrav, s->nptrav, sizeof *s->ptrav) != FR_OK)
            return oom(err);
        pg_trav_row *t = &s->ptrav[s->nptrav];
        memset(t, 0, sizeof *t);
        t->id = *tid;
        memcpy(t->surname, d->surname, sizeof t->surname);
        memcpy(t->given_names, d->given_names, sizeof t->given_names);
        memcpy(t->nationality, d->nationality, sizeof t->nationality);
        t->birth_date = d->birth_date;
        t->sex = d->sex;
        t->next_same_birth = -1;
        if (d->birth_date != FR_DATE_NONE) {
            char key[24];
            snprintf(key, sizeof key, "b%ld", (long)d->birth_date);
            pg_slot *b = fr__pg_map_put(&s->births, key);
            if (!b) return oom(err);
            t->next_same_birth = (int)b->c - 1;
            b->c = (int64_t)s->nptrav + 1;
        }
        s->nptrav++;
        if ((rc = fr__pg_freq_count(s, d, err)) != FR_OK) return rc;
    }
    if ((rc = fr__pg_next_id(s, PG_SEQ_DOC, doc_id, err)) != FR_OK) return rc;
    if (grow((void **)&s->pdoc, &s->capdoc, s->npdoc, sizeof *s->pdoc) != FR_OK) return oom(err);
    pg_doc_row *r = &s->pdoc[s->npdoc++];
    r->id = *doc_id;
    r->traveller_id = *tid;
    r->person_digest = pdig;
    r->doc = *d;
    r->link = kind;
    if (fr__pg_latest_doc(s, *tid, s->npdoc - 1) != FR_OK) return oom(err);
    for (size_t i = 0; i < c.n && kind == FR_LINK_REVIEW; i++) {
        if (grow((void **)&s->prev, &s->capprev, s->nprev, sizeof *s->prev) != FR_OK)
            return oom(err);
        pg_review_row *v = &s->prev[s->nprev++];
        v->document_id = *doc_id, v->traveller_id = *tid, v->candidate_id = c.ids[i];
        v->bits = c.score[i].bits;
        fr_linkage_explain(&c.score[i], v->reason, sizeof v->reason);
    }
    *how = kind;
    char key[40];
    doc_key(key, sizeof key, d->state, d->number);
    pg_slot *slot = fr__pg_map_put(&s->docs, key);
    if (slot) slot->a = *doc_id, slot->b = *tid, slot->c = pdig;
    if (kind != FR_LINK_RENEWAL) { /* a new traveller has no crossings yet */
        char tk[24];
        tid_key(tk, *tid);
        pg_slot *ts = fr__pg_map_put(&s->travs, tk);
        if (!ts) return oom(err);
        ts->a = 0, ts->b = 0, ts->d = 0;
    }
    return FR_OK;
}

/* Does the event's document data contradict what was first recorded? As
 * the SQLite backend: only the fields the event gives are compared. */
static int doc_differs(pg_store *s, int64_t doc_id, const fr_document *d, fr_error *err)
{
    if (!d->type[0] && d->expiry == FR_DATE_NONE && !d->surname[0] && !d->given_names[0] &&
        !d->nationality[0] && d->birth_date == FR_DATE_NONE && !d->sex)
        return 0;
    int rc = fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    char id[24];
    const char *p[1] = {fr__pg_i64(id, doc_id)};
    PGresult *r = PQexecParams(s->conn,
                               "SELECT type, coalesce(expiry::text, ''), surname, given_names,"
                               " nationality, coalesce(birth_date::text, ''), sex FROM documents"
                               " WHERE id = $1",
                               1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        rc = fr__pg_error(s, r, err, "cannot read the document");
        PQclear(r);
        return rc;
    }
    const char *ex = PQgetvalue(r, 0, 1), *bi = PQgetvalue(r, 0, 5);
    fr_date exp = *ex ? (fr_date)atol(ex) : FR_DATE_NONE;
    fr_date birth = *bi ? (fr_date)atol(bi) : FR_DATE_NONE;
    int differs = (d->type[0] && strcmp(d->type, PQgetvalue(r, 0, 0)) != 0) ||
                  (d->expiry != FR_DATE_NONE && d->expiry != exp) ||
                  (d->surname[0] && strcmp(d->surname, PQgetvalue(r, 0, 2)) != 0) ||
                  (d->given_names[0] && strcmp(d->given_names, PQgetvalue(r, 0, 3)) != 0) ||
                  (d->nationality[0] && strcmp(d->nationality, PQgetvalue(r, 0, 4)) != 0) ||
                  (d->birth_date != FR_DATE_NONE && d->birth_date != birth) ||
                  (d->sex && d->sex != PQgetvalue(r, 0, 6)[0]);
    PQclear(r);
    return differs;
}

/* Re-pair all entries and exits of a traveller in event-time order (the
 * core's rule), after sending what this transaction holds. */
int fr__pg_repair(pg_store *s, int64_t tid, fr_error *err)
{
    int rc = fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    char t[24];
    const char *p[1] = {fr__pg_i64(t, tid)};
    PGresult *r = PQexecParams(s->conn,
                               "SELECT id, local_date, kind, anomalies, coalesce(paired_id, 0)"
                               " FROM events WHERE traveller_id = $1 AND kind IN (1, 2)"
                               " ORDER BY at_utc, id",
                               1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the traveller's crossings");
        PQclear(r);
        return rc;
    }
    size_t n = (size_t)PQntuples(r);
    fr_event_kind *kinds = fr_malloc((n ? n : 1) * sizeof *kinds);
    unsigned *anom = fr_malloc((n ? n : 1) * sizeof *anom);
    ptrdiff_t *paired = fr_malloc((n ? n : 1) * sizeof *paired);
    if (!kinds || !anom || !paired) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory re-pairing exits");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        kinds[i] = (fr_event_kind)atoi(PQgetvalue(r, (int)i, 2));
    fr__ledger_pair(kinds, n, anom, paired);
    for (size_t i = 0; i < n; i++) {
        unsigned old = (unsigned)atoi(PQgetvalue(r, (int)i, 3));
        int64_t old_p = strtoll(PQgetvalue(r, (int)i, 4), NULL, 10);
        unsigned a = (old & ~(unsigned)FR_ANOMALY_PAIRING_MASK) | anom[i];
        int64_t np = paired[i] >= 0 ? strtoll(PQgetvalue(r, (int)paired[i], 0), NULL, 10) : 0;
        if (a == old && np == old_p) continue;
        char an[24], pp[24];
        const char *q[4] = {PQgetvalue(r, (int)i, 0), PQgetvalue(r, (int)i, 1), fr__pg_i64(an, a),
                            np ? fr__pg_i64(pp, np) : NULL};
        PGresult *u = PQexecParams(s->conn,
                                   "UPDATE events SET anomalies = $3, paired_id = $4"
                                   " WHERE id = $1 AND local_date = $2",
                                   4, NULL, q, NULL, NULL, 0);
        if (PQresultStatus(u) != PGRES_COMMAND_OK) {
            rc = fr__pg_error(s, u, err, "cannot re-pair the crossings");
            PQclear(u);
            goto done;
        }
        PQclear(u);
    }
    char tk[24];
    tid_key(tk, tid);
    pg_slot *ts = fr__pg_map_get(&s->travs, tk);
    if (ts) ts->d = -1; /* ask the server again */
    rc = FR_OK;
done:
    PQclear(r);
    fr_free(kinds);
    fr_free(anom);
    fr_free(paired);
    return rc;
}

static int event_anomalies(pg_store *s, int64_t row, unsigned *out, fr_error *err)
{
    char id[24];
    const char *p[1] = {fr__pg_i64(id, row)};
    PGresult *r = PQexecParams(s->conn, "SELECT anomalies FROM events WHERE id = $1", 1, NULL, p,
                               NULL, NULL, 0);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = fr__pg_error(s, r, err, "cannot read the event");
    else
        *out = (unsigned)atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

static int known_event(const fr_event *ev, int64_t stored, int64_t digest, fr_record_result *res,
                       fr_error *err)
{
    if (stored != digest)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, "event_id",
                            "event id '%s' was already recorded with different content",
                            ev->event_id);
    res->duplicate = 1;
    res->link = FR_LINK_DOCUMENT;
    return FR_OK;
}

static int record_looked(pg_store *s, const fr_event *ev, fr_record_result *res, pg_lookup *l,
                         fr_error *err)
{
    int64_t digest = fr__ledger_event_digest(ev), pdig = fr__ledger_person_digest(&ev->doc);
    int pairs = ev->kind == FR_EVENT_ENTRY || ev->kind == FR_EVENT_EXIT;
    int rc;
    /* an event id this transaction already holds */
    pg_slot *mine = fr__pg_map_get(&s->evs, ev->event_id);
    if (mine && !(mine->d & 0x100)) {
        res->traveller_id = mine->b, res->event_row = mine->c, res->anomalies = (unsigned)mine->d;
        return known_event(ev, mine->a, digest, res, err);
    }
    char dk[40], tk[24];
    doc_key(dk, sizeof dk, ev->doc.state, ev->doc.number);
    pg_slot *dc = fr__pg_map_get(&s->docs, dk);
    pg_slot *tc = NULL;
    if (dc) {
        tid_key(tk, dc->b);
        tc = fr__pg_map_get(&s->travs, tk);
        if (tc && tc->d < 0) tc = NULL;
    }
    /* the chunk's look-up (store_pg_prefetch.c), else one round trip */
    pg_slot *pe = s->pre_valid && !mine ? fr__pg_map_get(&s->pre_ev, ev->event_id) : NULL;
    if (pe && pairs && dc && !tc) pe = NULL; /* its traveller was not locked for the chunk */
    if (pe && !dc &&
        (rc = fr__pg_lookup_prefetched(s, &ev->doc, ev->at.date, ev->kind == FR_EVENT_ENTRY, l,
                                       err)) <= 0) {
        if (rc < 0) return rc;
        pe = NULL;
    }
    if (pe) {
        l->gen = -1;
        if (pe->d >= 0) {
            l->have_event = 1;
            l->ev_digest = pe->a, l->ev_tid = pe->b, l->ev_row = pe->c;
            l->ev_anom = (unsigned)pe->d;
        }
    } else if ((rc = fr__pg_lookup_run(s, ev->event_id, &ev->doc, !dc, pairs && !tc, 1, l, err)) !=
               FR_OK) {
        return rc;
    }
    if (l->gen >= 0 && l->gen != s->link_gen) {
        /* links were corrected (by anyone) since the document cache was
         * filled: drop it and ask the server about the document */
        fr__pg_map_clear(&s->docs);
        s->link_gen = l->gen;
        if (dc) {
            fr__pg_lookup_free(l);
            memset(l, 0, sizeof *l);
            dc = NULL, tc = NULL;
            if ((rc = fr__pg_lookup_run(s, ev->event_id, &ev->doc, 1, pairs, 1, l, err)) != FR_OK)
                return rc;
        }
    }
    if (l->have_event) {
        res->traveller_id = l->ev_tid, res->event_row = l->ev_row, res->anomalies = l->ev_anom;
        return known_event(ev, l->ev_digest, digest, res, err);
    }
    int64_t doc_id, tid, stored_pdig;
    unsigned anomalies = 0;
    if (dc || l->have_doc) {
        doc_id = dc ? dc->a : l->doc_id;
        tid = dc ? dc->b : l->tid;
        stored_pdig = dc ? dc->c : l->pdig;
        if (!dc && (dc = fr__pg_map_put(&s->docs, dk)) != NULL)
            dc->a = doc_id, dc->b = tid, dc->c = stored_pdig;
        res->link = FR_LINK_DOCUMENT;
        if (stored_pdig != pdig) {
            if ((rc = doc_differs(s, doc_id, &ev->doc, err)) < 0) return rc;
            if (rc) anomalies |= FR_ANOMALY_DOCUMENT_MISMATCH;
        }
    } else {
        if ((rc = new_document(s, ev, pdig, l, &doc_id, &tid, &res->link, err)) != FR_OK) return rc;
    }
    /* the traveller's last entry/exit: this transaction's, else the server's */
    tid_key(tk, tid);
    tc = fr__pg_map_get(&s->travs, tk);
    if (tc && tc->d < 0) tc = NULL;
    int64_t last_row = 0, last_utc = 0;
    int last_kind = 0;
    if (pairs) {
        if (tc) {
            last_row = tc->a, last_utc = tc->b, last_kind = tc->d;
        } else {
            if (!l->have_last && (rc = last_crossing(s, tid, l, err)) != FR_OK) return rc;
            if (l->have_last)
                last_row = l->last_row, last_utc = l->last_utc, last_kind = l->last_kind;
        }
    }
    int64_t utc = fr_datetime_utc(&ev->at), paired = 0;
    int late = 0;
    if (pairs) {
        late = last_row && utc < last_utc;
        if (!late && last_kind == FR_EVENT_ENTRY) {
            if (ev->kind == FR_EVENT_ENTRY)
                anomalies |= FR_ANOMALY_ENTRY_WITHOUT_EXIT;
            else
                paired = last_row;
        } else if (!late && ev->kind == FR_EVENT_EXIT) {
            anomalies |= FR_ANOMALY_EXIT_WITHOUT_ENTRY;
        }
    }
    if ((rc = fr__pg_ensure_month(s, ev->at.date, err)) != FR_OK) return rc;
    int64_t row;
    if ((rc = fr__pg_next_id(s, PG_SEQ_EVENT, &row, err)) != FR_OK) return rc;
    if (grow((void **)&s->pev, &s->capev, s->npev, sizeof *s->pev) != FR_OK) return oom(err);
    pg_event_row *e = &s->pev[s->npev];
    memset(e, 0, sizeof *e);
    e->id = row, e->traveller_id = tid, e->document_id = doc_id, e->digest = digest;
    e->paired_id = paired, e->anomalies = anomalies;
    e->ev = *ev;
    if (ev->reasons_json && ev->reasons_json[0]) {
        size_t n = strlen(ev->reasons_json);
        if (!(e->reasons = fr_malloc(n + 1))) return oom(err);
        memcpy(e->reasons, ev->reasons_json, n + 1);
    }
    e->ev.reasons_json = e->reasons;
    s->npev++;
    if (fr__pg_seq_note(s, row, ev->at.date, digest) != FR_OK) return oom(err);
    pg_slot *es = fr__pg_map_put(&s->evs, ev->event_id);
    if (!es) return oom(err);
    es->a = digest, es->b = tid, es->c = row, es->d = (int)anomalies;
    res->event_row = row;
    res->traveller_id = tid;
    res->anomalies = anomalies;
    if (pairs && !late) {
        pg_slot *ts = fr__pg_map_put(&s->travs, tk);
        if (!ts) return oom(err);
        ts->a = row, ts->b = utc, ts->d = ev->kind;
    } else if (pairs && late) {
        if ((rc = fr__pg_repair(s, tid, err)) != FR_OK) return rc;
        if ((rc = event_anomalies(s, row, &res->anomalies, err)) != FR_OK) return rc;
    }
    return FR_OK;
}

static int record_in_tx(pg_store *s, const fr_event *ev, fr_record_result *res, fr_error *err)
{
    pg_lookup l;
    memset(&l, 0, sizeof l);
    int rc = record_looked(s, ev, res, &l, err);
    fr__pg_lookup_free(&l);
    return rc;
}

int fr__pg_record(fr_store *base, const fr_event *ev, fr_record_result *res, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    if (s->in_tx) return record_in_tx(s, ev, res, err); /* a batch: the caller commits */
    int rc = FR_EBUSY;
    for (int attempt = 0; attempt < PG_RETRIES && rc == FR_EBUSY; attempt++) {
        memset(res, 0, sizeof *res);
        if ((rc = fr__pg_tx_begin(s, err)) != FR_OK) return rc;
        rc = record_in_tx(s, ev, res, err);
        if (rc == FR_OK) {
            rc = fr__pg_tx_commit(s, err); /* rolls back on failure */
        } else {
            fr__pg_tx_rollback(s);
        }
    }
    return rc;
}
