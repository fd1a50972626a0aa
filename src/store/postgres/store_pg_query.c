/* SPDX-License-Identifier: MIT */
/* store_pg_query.c: reading the PostgreSQL ledger: a document's holder, a
 * traveller's history and the export walk, with the SQLite backend's
 * results (store_sqlite_query.c). A history is read in one REPEATABLE READ
 * transaction (or in the caller's batch), so it is one consistent snapshot
 * while other processes write. The export reads pages of PG_EXPORT_PAGE
 * events in id order (keyset), so memory stays bounded and the callback may
 * query the store itself (the analytics index looks documents up); events
 * committed by others during a long export appear if their id is later. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "ledger_rules.h"
#include "store_pg.h"

#define PG_EXPORT_PAGE "2000"

static void copy_text(char *out, size_t cap, const char *in)
{
    snprintf(out, cap, "%s", in ? in : "");
}

static fr_date get_date(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? FR_DATE_NONE : (fr_date)atol(PQgetvalue(r, row, col));
}

static int64_t get_i64(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int fr__pg_find_document(fr_store *base, const char *state, const char *number, int64_t *tid,
                         fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    const char *p[2] = {state, number};
    PGresult *r =
        PQexecParams(s->conn, "SELECT traveller_id FROM documents WHERE state = $1 AND number = $2",
                     2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = fr__pg_error(s, r, err, "cannot look the document up");
    else if (PQntuples(r) == 0)
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "document", "no document %s:%s is recorded",
                          state, number);
    else
        *tid = get_i64(r, 0, 0);
    PQclear(r);
    return rc;
}

static void read_doc(const PGresult *r, int i, int first, fr_document *d)
{
    copy_text(d->type, sizeof d->type, PQgetvalue(r, i, first));
    copy_text(d->state, sizeof d->state, PQgetvalue(r, i, first + 1));
    copy_text(d->number, sizeof d->number, PQgetvalue(r, i, first + 2));
    d->expiry = get_date(r, i, first + 3);
    copy_text(d->surname, sizeof d->surname, PQgetvalue(r, i, first + 4));
    copy_text(d->given_names, sizeof d->given_names, PQgetvalue(r, i, first + 5));
    copy_text(d->nationality, sizeof d->nationality, PQgetvalue(r, i, first + 6));
    d->birth_date = get_date(r, i, first + 7);
    d->sex = PQgetvalue(r, i, first + 8)[0];
}

static PGresult *query_tid(pg_store *s, const char *sql, int64_t tid)
{
    char t[24];
    const char *p[1] = {fr__pg_i64(t, tid)};
    return PQexecParams(s->conn, sql, 1, NULL, p, NULL, NULL, 0);
}

static int load(pg_store *s, fr_history *h, fr_error *err)
{
    PGresult *r = query_tid(s, "SELECT 1 FROM travellers WHERE id = $1", h->traveller_id);
    int rc = FR_OK;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot look the traveller up");
    } else if (PQntuples(r) == 0) {
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "traveller", "there is no traveller %lld",
                          (long long)h->traveller_id);
    }
    PQclear(r);
    if (rc != FR_OK) return rc;
    r = query_tid(s,
                  "SELECT id, event_id, kind, local_date, local_secs, offset_min, at_utc, port,"
                  " document_id, admission_class, authorised_until, decision, anomalies,"
                  " paired_id, officer FROM events WHERE traveller_id = $1 ORDER BY at_utc, id",
                  h->traveller_id);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the history");
        PQclear(r);
        return rc;
    }
    size_t n = (size_t)PQntuples(r);
    if (n && !(h->items = fr_calloc(n, sizeof *h->items))) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the history");
    }
    for (size_t i = 0; i < n; i++) {
        fr_history_item *it = &h->items[i];
        int row = (int)i;
        it->row = get_i64(r, row, 0);
        copy_text(it->event_id, sizeof it->event_id, PQgetvalue(r, row, 1));
        it->kind = (fr_event_kind)atoi(PQgetvalue(r, row, 2));
        it->at.date = (fr_date)atol(PQgetvalue(r, row, 3));
        it->at.seconds = atoi(PQgetvalue(r, row, 4));
        it->at.offset_min = (int16_t)atoi(PQgetvalue(r, row, 5));
        it->at.has_offset = 1;
        it->at_utc = get_i64(r, row, 6);
        copy_text(it->port, sizeof it->port, PQgetvalue(r, row, 7));
        it->document_row = get_i64(r, row, 8);
        copy_text(it->admission_class, sizeof it->admission_class, PQgetvalue(r, row, 9));
        it->authorised_until = get_date(r, row, 10);
        copy_text(it->decision, sizeof it->decision, PQgetvalue(r, row, 11));
        it->anomalies = (unsigned)atoi(PQgetvalue(r, row, 12));
        it->paired = PQgetisnull(r, row, 13) ? -1 : (ptrdiff_t)get_i64(r, row, 13);
        copy_text(it->officer, sizeof it->officer, PQgetvalue(r, row, 14));
    }
    h->count = n;
    PQclear(r);
    /* rows -> indices: an exit's entry comes before it in time order */
    for (size_t i = 0; i < h->count; i++) {
        fr_history_item *it = &h->items[i];
        if (it->kind != FR_EVENT_EXIT || it->paired < 0) {
            it->paired = -1;
            continue;
        }
        ptrdiff_t idx = -1;
        for (size_t j = i; j-- > 0;)
            if (h->items[j].row == (int64_t)it->paired) {
                idx = (ptrdiff_t)j;
                break;
            }
        it->paired = idx;
    }
    r = query_tid(s,
                  "SELECT id, type, state, number, expiry, surname, given_names, nationality,"
                  " birth_date, sex, link FROM documents WHERE traveller_id = $1 ORDER BY id",
                  h->traveller_id);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the documents");
        PQclear(r);
        return rc;
    }
    n = (size_t)PQntuples(r);
    if (n && !(h->documents = fr_calloc(n, sizeof *h->documents))) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the documents");
    }
    for (size_t i = 0; i < n; i++) {
        h->documents[i].row = get_i64(r, (int)i, 0);
        read_doc(r, (int)i, 1, &h->documents[i].doc);
        h->documents[i].link = (fr_link_kind)atoi(PQgetvalue(r, (int)i, 10));
    }
    h->ndocuments = n;
    PQclear(r);
    r = query_tid(s,
                  "SELECT document_id, traveller_id, candidate_id, reason, id, coalesce(bits, 0)"
                  " FROM link_reviews"
                  " WHERE status = 'open' AND (traveller_id = $1 OR candidate_id = $1) ORDER BY id",
                  h->traveller_id);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fr__pg_error(s, r, err, "cannot read the reviews");
        PQclear(r);
        return rc;
    }
    n = (size_t)PQntuples(r);
    if (n && !(h->reviews = fr_calloc(n, sizeof *h->reviews))) {
        PQclear(r);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the reviews");
    }
    for (size_t i = 0; i < n; i++) {
        fr_history_review *v = &h->reviews[i];
        v->document_row = get_i64(r, (int)i, 0);
        v->traveller_id = get_i64(r, (int)i, 1);
        v->candidate_traveller = get_i64(r, (int)i, 2);
        copy_text(v->reason, sizeof v->reason, PQgetvalue(r, (int)i, 3));
        v->id = get_i64(r, (int)i, 4);
        v->bits = strtod(PQgetvalue(r, (int)i, 5), NULL);
    }
    h->nreviews = n;
    PQclear(r);
    return FR_OK;
}

int fr__pg_history(fr_store *base, int64_t tid, fr_history **out, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int own = !s->in_tx;
    int rc = own ? fr__pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err,
                               "cannot start a read")
                 : fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    fr_history *h = fr_calloc(1, sizeof *h);
    if (!h) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    h->traveller_id = tid;
    if ((rc = load(s, h, err)) != FR_OK) goto done;
    fr__ledger_history_finish(h);
    *out = h;
    h = NULL;
done:
    fr_history_free(h);
    if (own) PQclear(PQexec(s->conn, "COMMIT"));
    return rc;
}

int fr__pg_export(fr_store *base, fr_date from, fr_date to, int with_purged, fr_store_event_fn fn,
                  void *ud, fr_error *err)
{
    pg_store *s = (pg_store *)base;
    int rc = fr__pg_flush(s, err);
    if (rc != FR_OK) return rc;
    char f[24], t[24], last[24];
    int64_t after = 0;
    for (;;) {
        const char *p[4] = {fr__pg_i64(f, from == FR_DATE_NONE ? FR_DATE_MIN : from),
                            fr__pg_i64(t, to == FR_DATE_NONE ? FR_DATE_MAX : to),
                            fr__pg_i64(last, after), with_purged ? "1" : "0"};
        PGresult *r =
            PQexecParams(s->conn,
                         "SELECT e.event_id, e.kind, e.local_date, e.local_secs, e.offset_min,"
                         " e.port, d.type, d.state, d.number, d.expiry, d.surname,"
                         " d.given_names, coalesce(d.nationality, e.nationality), d.birth_date,"
                         " d.sex, e.admission_class, e.authorised_until, e.officer, e.decision,"
                         " e.reasons, e.id, e.traveller_id FROM events e"
                         " LEFT JOIN documents d ON d.id = e.document_id"
                         " WHERE e.local_date >= $1 AND e.local_date <= $2 AND e.id > $3"
                         " AND ($4 = 1 OR d.id IS NOT NULL) ORDER BY e.id LIMIT " PG_EXPORT_PAGE,
                         4, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = fr__pg_error(s, r, err, "cannot export");
            PQclear(r);
            return rc;
        }
        int n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            fr_event ev;
            fr_event_init(&ev);
            copy_text(ev.event_id, sizeof ev.event_id, PQgetvalue(r, i, 0));
            ev.kind = (fr_event_kind)atoi(PQgetvalue(r, i, 1));
            ev.at.date = (fr_date)atol(PQgetvalue(r, i, 2));
            ev.at.seconds = atoi(PQgetvalue(r, i, 3));
            ev.at.offset_min = (int16_t)atoi(PQgetvalue(r, i, 4));
            ev.at.has_offset = 1;
            copy_text(ev.port, sizeof ev.port, PQgetvalue(r, i, 5));
            read_doc(r, i, 6, &ev.doc);
            copy_text(ev.admission_class, sizeof ev.admission_class, PQgetvalue(r, i, 15));
            ev.authorised_until = get_date(r, i, 16);
            copy_text(ev.officer, sizeof ev.officer, PQgetvalue(r, i, 17));
            copy_text(ev.decision, sizeof ev.decision, PQgetvalue(r, i, 18));
            ev.reasons_json = PQgetisnull(r, i, 19) ? NULL : PQgetvalue(r, i, 19);
            after = get_i64(r, i, 20);
            ev.traveller_id = get_i64(r, i, 21); /* as on SQLite, purged or not */
            if ((rc = fn(ud, &ev)) != 0) {
                PQclear(r);
                return rc;
            }
        }
        PQclear(r);
        if (n < atoi(PG_EXPORT_PAGE)) return FR_OK;
    }
}
