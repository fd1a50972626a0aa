/* SPDX-License-Identifier: MIT */
/* store_sqlite_query.c: reading the SQLite ledger: a document's holder, a
 * traveller's history (documents, events in event-time order, open reviews,
 * current stay) and the export walk. Reads run in SQLite's implicit read
 * transaction, so a history is one consistent snapshot even while other
 * processes write. */
#include <string.h>

#include "frontera/alloc.h"
#include "ledger_rules.h"
#include "store_sqlite.h"

static fr_date col_date(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? FR_DATE_NONE
                                                     : (fr_date)sqlite3_column_int64(st, i);
}

int fr__sq_find_document(fr_store *base, const char *state, const char *number, int64_t *tid,
                         fr_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_DOC_FIND, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, number, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *tid = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        return FR_OK;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "document", "no document %s:%s is recorded",
                            state, number);
    return fr__sq_error(s, rc, err, "cannot look the document up");
}

/* Grow *arr (of elem bytes) to hold n+1 elements. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return FR_OK;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = fr_realloc(*arr, nc * elem);
    if (!p) return FR_ENOMEM;
    *arr = p;
    *cap = nc;
    return FR_OK;
}

static void read_doc(sqlite3_stmt *st, int first, fr_document *d)
{
    char sex[2];
    fr__modsql_col_text(st, first, d->type, sizeof d->type);
    fr__modsql_col_text(st, first + 1, d->state, sizeof d->state);
    fr__modsql_col_text(st, first + 2, d->number, sizeof d->number);
    d->expiry = col_date(st, first + 3);
    fr__modsql_col_text(st, first + 4, d->surname, sizeof d->surname);
    fr__modsql_col_text(st, first + 5, d->given_names, sizeof d->given_names);
    fr__modsql_col_text(st, first + 6, d->nationality, sizeof d->nationality);
    d->birth_date = col_date(st, first + 7);
    fr__modsql_col_text(st, first + 8, sex, sizeof sex);
    d->sex = sex[0];
}

static int load_events(sq_store *s, fr_history *h, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_HIST_EVENTS, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, h->traveller_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&h->items, &cap, h->count, sizeof *h->items) != FR_OK) {
            sqlite3_reset(st);
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the history");
        }
        fr_history_item *it = &h->items[h->count++];
        memset(it, 0, sizeof *it);
        it->row = sqlite3_column_int64(st, 0);
        fr__modsql_col_text(st, 1, it->event_id, sizeof it->event_id);
        it->kind = (fr_event_kind)sqlite3_column_int(st, 2);
        it->at.date = (fr_date)sqlite3_column_int64(st, 3);
        it->at.seconds = sqlite3_column_int(st, 4);
        it->at.offset_min = (int16_t)sqlite3_column_int(st, 5);
        it->at.has_offset = 1;
        it->at_utc = sqlite3_column_int64(st, 6);
        fr__modsql_col_text(st, 7, it->port, sizeof it->port);
        it->document_row = sqlite3_column_int64(st, 8);
        fr__modsql_col_text(st, 9, it->admission_class, sizeof it->admission_class);
        it->authorised_until = col_date(st, 10);
        fr__modsql_col_text(st, 11, it->decision, sizeof it->decision);
        it->anomalies = (unsigned)sqlite3_column_int(st, 12);
        /* paired_id (a row) becomes an index below; keep the row for now */
        it->paired = sqlite3_column_type(st, 13) == SQLITE_NULL
                         ? -1
                         : (ptrdiff_t)sqlite3_column_int64(st, 13);
        fr__modsql_col_text(st, 14, it->officer, sizeof it->officer);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) return fr__sq_error(s, step, err, "cannot read the history");
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
    return FR_OK;
}

static int load_docs(sq_store *s, fr_history *h, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_HIST_DOCS, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, h->traveller_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&h->documents, &cap, h->ndocuments, sizeof *h->documents) != FR_OK) {
            sqlite3_reset(st);
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the documents");
        }
        fr_history_document *d = &h->documents[h->ndocuments++];
        memset(d, 0, sizeof *d);
        d->row = sqlite3_column_int64(st, 0);
        read_doc(st, 1, &d->doc);
        d->link = (fr_link_kind)sqlite3_column_int(st, 10);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) return fr__sq_error(s, step, err, "cannot read the documents");
    if ((rc = fr__sq_stmt(s, SQ_HIST_REVIEWS, &st, err)) != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, h->traveller_id);
    cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow((void **)&h->reviews, &cap, h->nreviews, sizeof *h->reviews) != FR_OK) {
            sqlite3_reset(st);
            return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the reviews");
        }
        fr_history_review *r = &h->reviews[h->nreviews++];
        r->document_row = sqlite3_column_int64(st, 0);
        r->traveller_id = sqlite3_column_int64(st, 1);
        r->candidate_traveller = sqlite3_column_int64(st, 2);
        fr__modsql_col_text(st, 3, r->reason, sizeof r->reason);
        r->id = sqlite3_column_int64(st, 4);
        r->bits = sqlite3_column_double(st, 5);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) return fr__sq_error(s, step, err, "cannot read the reviews");
    return FR_OK;
}

/* fr__sq_read_begin, then prepare sql (what: for the error). On failure nothing
 * stays open. */
static int read_prepare(sq_store *s, const char *sql, sqlite3_stmt **st, int *own, const char *what,
                        fr_error *err)
{
    int rc = fr__sq_read_begin(s, own, err);
    if (rc != FR_OK) return rc;
    if ((rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL)) != SQLITE_OK) {
        int status = fr__sq_error(s, rc, err, what);
        fr__sq_read_end(s, *own);
        return status;
    }
    return FR_OK;
}

int fr__sq_history(fr_store *base, int64_t tid, fr_history **out, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    int own;
    int rc = fr__sq_read_begin(s, &own, err);
    if (rc != FR_OK) return rc;
    fr_history *h = fr_calloc(1, sizeof *h);
    if (!h) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    h->traveller_id = tid;
    if ((rc = fr__sq_stmt(s, SQ_TRAV_EXISTS, &st, err)) != FR_OK) goto done;
    sqlite3_bind_int64(st, 1, tid);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_DONE) {
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "traveller", "there is no traveller %lld",
                          (long long)tid);
        goto done;
    }
    if (step != SQLITE_ROW) {
        rc = fr__sq_error(s, step, err, "cannot look the traveller up");
        goto done;
    }
    if ((rc = load_events(s, h, err)) != FR_OK || (rc = load_docs(s, h, err)) != FR_OK) goto done;
    fr__ledger_history_finish(h);
    *out = h;
    h = NULL;
done:
    fr_history_free(h);
    fr__sq_read_end(s, own);
    return rc;
}

/* The columns of one exported event (EXPORT_COLS), read into ev; strings
 * are copied except reasons, which point into the statement's row. */
#define EXPORT_HEAD                                                                                \
    "e.event_id, e.kind, e.local_date, e.local_secs, e.offset_min, e.port,"                        \
    " d.type, d.state, d.number, d.expiry, d.surname, d.given_names, "
#define EXPORT_TAIL                                                                                \
    ", d.birth_date, d.sex, e.admission_class, e.authorised_until, e.officer, e.decision,"         \
    " e.reasons, e.traveller_id, e.id FROM events e "
#define EXPORT_COLS                                                                                \
    EXPORT_HEAD "d.nationality" EXPORT_TAIL "JOIN documents d ON d.id = e.document_id"
/* with the purged events: their document row is gone, the nationality on theirs */
#define EXPORT_COLS_ALL                                                                            \
    EXPORT_HEAD "coalesce(d.nationality, e.nationality)" EXPORT_TAIL                               \
                "LEFT JOIN documents d ON d.id = e.document_id"

static void export_row(sqlite3_stmt *st, fr_event *ev)
{
    fr_event_init(ev);
    fr__modsql_col_text(st, 0, ev->event_id, sizeof ev->event_id);
    ev->kind = (fr_event_kind)sqlite3_column_int(st, 1);
    ev->at.date = (fr_date)sqlite3_column_int64(st, 2);
    ev->at.seconds = sqlite3_column_int(st, 3);
    ev->at.offset_min = (int16_t)sqlite3_column_int(st, 4);
    ev->at.has_offset = 1;
    fr__modsql_col_text(st, 5, ev->port, sizeof ev->port);
    read_doc(st, 6, &ev->doc);
    fr__modsql_col_text(st, 15, ev->admission_class, sizeof ev->admission_class);
    ev->authorised_until = col_date(st, 16);
    fr__modsql_col_text(st, 17, ev->officer, sizeof ev->officer);
    fr__modsql_col_text(st, 18, ev->decision, sizeof ev->decision);
    ev->reasons_json = (const char *)sqlite3_column_text(st, 19);
    ev->traveller_id = sqlite3_column_int64(st, 20);
}

int fr__sq_export(fr_store *base, fr_date from, fr_date to, int with_purged, fr_store_event_fn fn,
                  void *ud, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    static const char sql[] =
        "SELECT " EXPORT_COLS " WHERE e.local_date >= ?1 AND e.local_date <= ?2 ORDER BY e.id";
    static const char sql_all[] =
        "SELECT " EXPORT_COLS_ALL " WHERE e.local_date >= ?1 AND e.local_date <= ?2 ORDER BY e.id";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, with_purged ? sql_all : sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot prepare the export");
    sqlite3_bind_int64(st, 1, from == FR_DATE_NONE ? FR_DATE_MIN : from);
    sqlite3_bind_int64(st, 2, to == FR_DATE_NONE ? FR_DATE_MAX : to);
    int status = FR_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fr_event ev;
        export_row(st, &ev);
        status = fn(ud, &ev);
        if (status != 0) break;
    }
    if (status == FR_OK && rc != SQLITE_DONE) status = fr__sq_error(s, rc, err, "cannot export");
    sqlite3_finalize(st);
    return status;
}

int fr__sq_events_since(fr_store *base, int64_t after, size_t limit, fr_store_seq_event_fn fn,
                        void *ud, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    static const char sql[] = "SELECT " EXPORT_COLS " WHERE e.id > ?1 ORDER BY e.id LIMIT ?2";
    sqlite3_stmt *st = NULL;
    int own, rc, status;
    if ((status = read_prepare(s, sql, &st, &own, "cannot prepare the read of events by sequence",
                               err)) != FR_OK)
        return status;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, limit > 0 && limit < INT64_MAX ? (sqlite3_int64)limit : -1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fr_event ev;
        export_row(st, &ev);
        status = fn(ud, sqlite3_column_int64(st, 21), &ev);
        if (status != 0) break;
    }
    if (status == FR_OK && rc != SQLITE_DONE)
        status = fr__sq_error(s, rc, err, "cannot read events");
    sqlite3_finalize(st);
    fr__sq_read_end(s, own);
    return status;
}

/* The sequence is the events table's rowid: SQLite has one writer at a time
 * and the ledger never deletes, so rowids grow in commit order. */
int fr__sq_last_sequence(fr_store *base, int64_t *seq, int64_t *fingerprint, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT id, digest FROM events ORDER BY id DESC LIMIT 1", -1,
                                &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot read the last sequence");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        *fingerprint = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot read the last sequence");
    return FR_OK;
}

int fr__sq_sequence_fingerprint(fr_store *base, int64_t seq, int64_t *fingerprint, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "SELECT digest FROM events WHERE id = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot read an event's fingerprint");
    sqlite3_bind_int64(st, 1, seq);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *fingerprint = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return fr_error_set(err, FR_ENOTFOUND, 0, 0, "", "the ledger has no event %lld",
                            (long long)seq);
    if (rc != SQLITE_ROW) return fr__sq_error(s, rc, err, "cannot read an event's fingerprint");
    return FR_OK;
}

int fr__sq_crossings_since(fr_store *base, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                           void *ud, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    static const char sql[] =
        "SELECT e.id, coalesce(d.traveller_id, e.traveller_id), e.kind, e.local_date, e.at_utc,"
        " e.port, coalesce(d.nationality, e.nationality), e.admission_class, e.authorised_until"
        " FROM events e LEFT JOIN documents d ON d.id = e.document_id"
        " WHERE e.id > ?1 AND e.id <= ?2 ORDER BY e.id";
    sqlite3_stmt *st = NULL;
    int own, rc, status;
    if ((status = read_prepare(s, sql, &st, &own, "cannot prepare the read of new events", err)) !=
        FR_OK)
        return status;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, upto > 0 ? upto : INT64_MAX);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *port = sqlite3_column_text(st, 5);
        const unsigned char *nat = sqlite3_column_text(st, 6);
        const unsigned char *cls = sqlite3_column_text(st, 7);
        fr_store_crossing c = {.seq = sqlite3_column_int64(st, 0),
                               .traveller_id = sqlite3_column_int64(st, 1),
                               .kind = (fr_event_kind)sqlite3_column_int(st, 2),
                               .date = (fr_date)sqlite3_column_int64(st, 3),
                               .at_utc = sqlite3_column_int64(st, 4),
                               .port = port ? (const char *)port : "",
                               .nationality = nat ? (const char *)nat : "",
                               .admission_class = cls ? (const char *)cls : "",
                               .authorised_until = col_date(st, 8)};
        status = fn(ud, &c);
        if (status != 0) break;
    }
    if (status == FR_OK && rc != SQLITE_DONE)
        status = fr__sq_error(s, rc, err, "cannot read events");
    sqlite3_finalize(st);
    fr__sq_read_end(s, own);
    return status;
}
