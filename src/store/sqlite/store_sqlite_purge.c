/* SPDX-License-Identifier: MIT */
/* store_sqlite_purge.c: the retention purge on the SQLite ledger
 * (fr_store_purge, docs/retention.md).
 *
 * One call is one batch in one IMMEDIATE transaction (or the caller's):
 * travellers above the cursor are read in number order, each with the
 * instant of its latest event (one probe of events_traveller_time); those
 * old enough to be due are read whole (events in event-time order) and
 * decided by fr_retention_keep_until. A due person is erased in the same
 * transaction: each event de-identified in place (same row, so the same
 * sequence number and pairing; event id, document, officer, reasons and
 * digest replaced, nationality kept on the row), the link reviews naming
 * them deleted, their traveller row counted out of the linking frequencies
 * (fr__sq_link_uncount, as a merge does),
 * the notes of link corrections about them blanked, then their documents
 * and traveller row deleted. A crash rolls the batch back whole. Statements
 * are prepared once per call: the purge is rare, but a batch runs them for
 * every person of it. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/retention.h"
#include "ledger_rules.h"
#include "store_sqlite.h"

enum {
    P_SCAN,
    P_EVENTS,
    P_EV_PURGE,
    P_REVIEWS,
    P_REVIEWS_COUNT,
    P_DOCS,
    P_DOCS_COUNT,
    P_TRAV_DEL,
    P_NOTE_MARK,
    P_NOTES,
    P_COUNT
};

static const char *const PSQL[P_COUNT] = {
    [P_SCAN] = "SELECT t.id, (SELECT max(e.at_utc) FROM events e WHERE e.traveller_id = t.id)"
               " FROM travellers t WHERE t.id > ?1 ORDER BY t.id LIMIT ?2",
    [P_EVENTS] = "SELECT e.id, e.kind, e.local_date, e.authorised_until, e.at_utc, e.port,"
                 " coalesce(d.nationality, e.nationality, '') FROM events e"
                 " LEFT JOIN documents d ON d.id = e.document_id WHERE e.traveller_id = ?1"
                 " ORDER BY e.at_utc, e.id",
    [P_EV_PURGE] = "UPDATE events SET event_id = ?2, document_id = 0, nationality = ?3,"
                   " officer = '', reasons = NULL, digest = ?4 WHERE id = ?1",
    [P_REVIEWS] = "DELETE FROM link_reviews WHERE traveller_id = ?1 OR candidate_id = ?1",
    [P_REVIEWS_COUNT] = "SELECT count(*) FROM link_reviews WHERE traveller_id = ?1"
                        " OR candidate_id = ?1",
    [P_DOCS] = "DELETE FROM documents WHERE traveller_id = ?1",
    [P_DOCS_COUNT] = "SELECT count(*) FROM documents WHERE traveller_id = ?1",
    [P_TRAV_DEL] = "DELETE FROM travellers WHERE id = ?1",
    [P_NOTE_MARK] = "INSERT OR IGNORE INTO temp.purge_batch(id) VALUES(?1)",
    [P_NOTES] = "UPDATE link_audit SET note = '' WHERE note <> ''"
                " AND (from_traveller IN (SELECT id FROM temp.purge_batch)"
                " OR to_traveller IN (SELECT id FROM temp.purge_batch))",
};

typedef struct pevent {
    int64_t row, at_utc;
    char port[8], nat[4];
} pevent;

typedef struct purge {
    sq_store *s;
    sqlite3_stmt *st[P_COUNT];
    fr_retention_event *ev;
    pevent *pe;
    size_t n, cap;
} purge;

static int pstmt(purge *p, int which, sqlite3_stmt **out, fr_error *err)
{
    if (!p->st[which]) {
        int rc = sqlite3_prepare_v2(p->s->db, PSQL[which], -1, &p->st[which], NULL);
        if (rc != SQLITE_OK) return fr__sq_error(p->s, rc, err, "cannot prepare the purge");
    } else {
        sqlite3_reset(p->st[which]);
        sqlite3_clear_bindings(p->st[which]);
    }
    *out = p->st[which];
    return FR_OK;
}

/* Run statement `which` with the traveller bound as ?1; *changes or *count. */
static int run_tid(purge *p, int which, int64_t tid, int64_t *out, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = pstmt(p, which, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && out) *out = sqlite3_column_int64(st, 0);
    if (rc == SQLITE_DONE && out) *out = sqlite3_changes(p->s->db);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fr__sq_error(p->s, rc, err, "cannot purge");
    return FR_OK;
}

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    fr__modsql_col_text(st, i, out, cap);
}

/* The person's events in event-time order into p->ev / p->pe. */
static int read_events(purge *p, int64_t tid, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = pstmt(p, P_EVENTS, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, tid);
    p->n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->n == p->cap) {
            size_t nc = p->cap ? p->cap * 2 : 64;
            fr_retention_event *e = fr_realloc(p->ev, nc * sizeof *e);
            if (e) p->ev = e;
            pevent *x = e ? fr_realloc(p->pe, nc * sizeof *x) : NULL;
            if (!e || !x) {
                sqlite3_reset(st);
                return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory in the purge");
            }
            p->pe = x;
            p->cap = nc;
        }
        fr_retention_event *e = &p->ev[p->n];
        pevent *x = &p->pe[p->n++];
        x->row = sqlite3_column_int64(st, 0);
        e->kind = (fr_event_kind)sqlite3_column_int(st, 1);
        e->date = (fr_date)sqlite3_column_int64(st, 2);
        e->authorised_until = sqlite3_column_type(st, 3) == SQLITE_NULL
                                  ? FR_DATE_NONE
                                  : (fr_date)sqlite3_column_int64(st, 3);
        x->at_utc = sqlite3_column_int64(st, 4);
        col_copy(st, 5, x->port, sizeof x->port);
        col_copy(st, 6, x->nat, sizeof x->nat);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return fr__sq_error(p->s, rc, err, "cannot read a person's events");
    return FR_OK;
}

/* Erase person tid, whose events are in p. */
static int erase(purge *p, int64_t tid, fr_purge_counts *c, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    for (size_t i = 0; i < p->n; i++) {
        const pevent *x = &p->pe[i];
        char id[FR_EVENT_ID_MAX + 1];
        fr__ledger_purged_id(x->row, id);
        if ((rc = pstmt(p, P_EV_PURGE, &st, err)) != FR_OK) return rc;
        sqlite3_bind_int64(st, 1, x->row);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, x->nat, -1, SQLITE_STATIC);
        sqlite3_bind_int64(
            st, 4, fr__ledger_purged_digest(x->row, p->ev[i].kind, x->at_utc, x->port, x->nat));
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) return fr__sq_error(p->s, rc, err, "cannot de-identify an event");
    }
    int64_t reviews = 0, docs = 0;
    if ((rc = fr__sq_link_uncount(p->s, tid, err)) != FR_OK ||
        (rc = run_tid(p, P_REVIEWS, tid, &reviews, err)) != FR_OK ||
        (rc = run_tid(p, P_NOTE_MARK, tid, NULL, err)) != FR_OK ||
        (rc = run_tid(p, P_DOCS, tid, &docs, err)) != FR_OK ||
        (rc = run_tid(p, P_TRAV_DEL, tid, NULL, err)) != FR_OK)
        return rc;
    c->reviews += reviews;
    c->documents += docs;
    return FR_OK;
}

static int purge_batch(purge *p, const fr_retention *r, fr_date as_of, int dry, int64_t *cursor,
                       size_t max, fr_purge_counts *c, int *done, fr_error *err)
{
    int shortest = r->exit_years < r->overstay_years ? r->exit_years : r->overstay_years;
    /* no record is kept less than `shortest` years: a person whose latest
     * event is later than this cannot be due (a day of slack for offsets) */
    int64_t old_utc = ((int64_t)fr_date_add_years(as_of, -shortest) + 2) * 86400;
    size_t window = max * 8;
    int64_t *cand = fr_malloc(max * sizeof *cand);
    if (!cand) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory in the purge");
    size_t nc = 0, scanned = 0;
    int64_t last = *cursor;
    sqlite3_stmt *st = NULL;
    int rc = pstmt(p, P_SCAN, &st, err);
    if (rc != FR_OK) goto done;
    sqlite3_bind_int64(st, 1, *cursor);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)window);
    while (nc < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        scanned++;
        last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_int64(st, 1) < old_utc)
            cand[nc++] = last;
    }
    int finished = rc == SQLITE_DONE;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = fr__sq_error(p->s, rc, err, "cannot find the persons due");
        goto done;
    }
    rc = FR_OK;
    if (!dry && sqlite3_exec(p->s->db,
                             "CREATE TEMP TABLE IF NOT EXISTS purge_batch(id INTEGER PRIMARY KEY)",
                             NULL, NULL, NULL) != SQLITE_OK) {
        rc = fr__sq_error(p->s, SQLITE_ERROR, err, "cannot prepare the purge");
        goto done;
    }
    for (size_t i = 0; i < nc && rc == FR_OK; i++) {
        if ((rc = read_events(p, cand[i], err)) != FR_OK) break;
        c->examined++;
        fr_retention_rule rule;
        fr_date keep = fr_retention_keep_until(r, p->ev, p->n, &rule);
        if (!fr_retention_due(keep, as_of)) continue;
        c->travellers++;
        c->by_rule[rule]++;
        for (size_t k = 0; k < p->n; k++)
            if (p->ev[k].kind > 0 && p->ev[k].kind < 6) c->events[p->ev[k].kind]++;
        if (dry) {
            int64_t docs = 0, reviews = 0;
            if ((rc = run_tid(p, P_DOCS_COUNT, cand[i], &docs, err)) == FR_OK)
                rc = run_tid(p, P_REVIEWS_COUNT, cand[i], &reviews, err);
            c->documents += docs;
            c->reviews += reviews;
        } else {
            rc = erase(p, cand[i], c, err);
        }
    }
    if (rc == FR_OK && !dry) {
        if ((rc = pstmt(p, P_NOTES, &st, err)) == FR_OK) {
            int step = sqlite3_step(st);
            sqlite3_reset(st);
            if (step != SQLITE_DONE) rc = fr__sq_error(p->s, step, err, "cannot blank the notes");
        }
        if (rc == FR_OK &&
            sqlite3_exec(p->s->db, "DELETE FROM temp.purge_batch", NULL, NULL, NULL) != SQLITE_OK)
            rc = fr__sq_error(p->s, SQLITE_ERROR, err, "cannot purge");
    }
    if (rc == FR_OK) {
        *cursor = nc == max ? cand[nc - 1] : last;
        *done = nc < max && finished && scanned < window;
    }
done:
    fr_free(cand);
    return rc;
}

int fr__sq_purge(fr_store *base, const fr_retention *r, fr_date as_of, unsigned flags,
                 int64_t *cursor, size_t max, fr_purge_counts *counts, int *done, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    int dry = (flags & FR_PURGE_DRY_RUN) != 0;
    int own = !s->in_tx;
    int rc;
    if (own) {
        rc = dry ? (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
                        ? FR_OK
                        : fr__sq_error(s, SQLITE_ERROR, err, "cannot start a read"))
                 : fr__sq_tx_begin(s, err);
        if (rc != FR_OK) return rc;
    }
    /* its scan reads a traveller's latest event through events_traveller_time:
     * built first if a killed initial load left it missing */
    if (!dry && (rc = fr__sq_index_need(s, SQ_IDX_EVENTS, err)) != FR_OK) {
        if (own) fr__sq_tx_rollback(s);
        return rc;
    }
    purge p;
    memset(&p, 0, sizeof p);
    p.s = s;
    fr_purge_counts c = *counts;
    rc = purge_batch(&p, r, as_of, dry, cursor, max, &c, done, err);
    for (int i = 0; i < P_COUNT; i++)
        sqlite3_finalize(p.st[i]);
    fr_free(p.ev);
    fr_free(p.pe);
    if (!dry) fr__sq_cache_clear(s); /* documents and travellers are gone */
    if (own) {
        if (dry) {
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        } else if (rc == FR_OK) {
            rc = fr__sq_tx_commit(s, err);
        } else {
            fr__sq_tx_rollback(s);
        }
    }
    if (rc == FR_OK) *counts = c;
    return rc;
}
