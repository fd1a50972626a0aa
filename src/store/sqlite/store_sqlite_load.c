/* SPDX-License-Identifier: MIT */
/* store_sqlite_load.c: an import into an empty ledger builds two indexes
 * once, after its rows, instead of row by row.
 *
 * Why: at a nation's volume most of an import's time went to SQLite keeping
 * B-tree indexes whose keys arrive in random order (bench/RESULTS.md, issue
 * 14): a traveller's events (events_traveller_time) and travellers by birth
 * date (travellers_birth). Each row touched a random leaf page of each, and
 * each commit wrote those pages to the WAL again. Built at the end, SQLite
 * sorts the keys once and writes each page once.
 *
 * Why it gives the same answers: an index changes no query's result, only
 * its cost. What the import itself would have read through these two
 * indexes comes from the connection's memory, complete because the ledger
 * was empty when the load began: the travellers of each birth date (the
 * blocking rows, store_sqlite_block.c: a date not in memory has none) and
 * each traveller's last entry or exit (the traveller map, which then grows
 * instead of being cleared: a traveller not in it has none). Anything else
 * that needs one of the indexes (a late event re-pairing a traveller, a date
 * past the blocking cap, the memory given up) creates it first
 * (fr__sq_index_need, called by fr__sq_stmt), and from then on it is kept
 * row by row as before.
 *
 * Crash safety: the indexes are dropped in a transaction of their own and
 * created in one; every open of the ledger creates those missing (a load that
 * was killed), or leaves them to be created on first need when it cannot
 * take the write lock (an import holding it). Another connection open during
 * the load reads the same rows, only more slowly. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_sqlite.h"

static const struct {
    unsigned bit;
    const char *name, *create;
} DEFERRED[] = {
    {SQ_IDX_BIRTH, "travellers_birth",
     "CREATE INDEX IF NOT EXISTS travellers_birth ON travellers(birth_date, nationality,"
     " surname, given_names, sex)"},
    {SQ_IDX_EVENTS, "events_traveller_time",
     "CREATE INDEX IF NOT EXISTS events_traveller_time ON events(traveller_id, at_utc)"},
};
#define N_DEFERRED (sizeof DEFERRED / sizeof DEFERRED[0])

/* The deferred indexes the ledger lacks now, as bits; -1 on error. */
static int missing(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    int bits = 0;
    for (size_t i = 0; i < N_DEFERRED; i++) {
        sqlite3_bind_text(st, 1, DEFERRED[i].name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            bits |= (int)DEFERRED[i].bit;
        else if (rc != SQLITE_ROW)
            bits = -1;
        sqlite3_reset(st);
        if (bits < 0) break;
    }
    sqlite3_finalize(st);
    return bits;
}

static int create(sq_store *s, unsigned bits, fr_error *err)
{
    /* the sort may use a helper thread (the machine's cores are otherwise
     * idle at the end of an import); a hint */
    sqlite3_exec(s->db, "PRAGMA threads = 2", NULL, NULL, NULL);
    for (size_t i = 0; i < N_DEFERRED; i++) {
        if (!(bits & DEFERRED[i].bit)) continue;
        int rc = sqlite3_exec(s->db, DEFERRED[i].create, NULL, NULL, NULL);
        if (rc != SQLITE_OK) return fr__sq_error(s, rc, err, "cannot build an index of the ledger");
    }
    return FR_OK;
}

void fr__sq_indexes_restore(sq_store *s, int busy_ms)
{
    int bits = missing(s->db);
    if (bits <= 0) return; /* all there, or unreadable: the open says so next */
    s->deferred = (unsigned)bits;
    s->watch = 1;
    /* Never wait here: the writer holding the lock may be the import that
     * dropped them. Not built now, they are built on first need. */
    sqlite3_busy_timeout(s->db, 0);
    fr_error e;
    (void)create(s, (unsigned)bits, &e);
    sqlite3_busy_handler(s->db, fr__modsql_busy, (void *)(intptr_t)busy_ms);
    fr__sq_index_refresh(s);
}

int fr__sq_index_need(sq_store *s, unsigned bits, fr_error *err)
{
    bits &= s->deferred;
    if (!bits) return FR_OK;
    /* inside the caller's write transaction when there is one: a rollback
     * undoes it, and fr__sq_index_refresh then reads what is there */
    int rc = create(s, bits, err);
    if (rc == FR_OK) s->deferred &= ~bits;
    return rc;
}

void fr__sq_index_refresh(sq_store *s)
{
    if (!s->watch) return;
    int bits = missing(s->db);
    if (bits >= 0) s->deferred = (unsigned)bits;
}

static int ledger_empty(sq_store *s, int *empty, fr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT EXISTS(SELECT 1 FROM events) OR EXISTS(SELECT 1 FROM"
                                " travellers) OR EXISTS(SELECT 1 FROM documents)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *empty = sqlite3_column_int(st, 0) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? FR_OK : fr__sq_error(s, rc, err, "cannot read the ledger");
}

int fr__sq_load_begin(fr_store *base, int *on, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    *on = 0;
    if (s->in_tx || s->load) return FR_OK;
    fr__sq_bulk_settings(s);
    if (!s->block) return FR_OK; /* without the blocking memory the index answers */
    int rc = fr__sq_tx_begin(s, err), empty = 0;
    if (rc != FR_OK) return rc;
    if ((rc = ledger_empty(s, &empty, err)) != FR_OK || !empty) goto end;
    for (size_t i = 0; i < N_DEFERRED; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", DEFERRED[i].name);
        int step = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        if (step != SQLITE_OK) {
            rc = fr__sq_error(s, step, err, "cannot prepare the ledger for the import");
            goto end;
        }
    }
    if ((rc = fr__sq_tx_commit(s, err)) != FR_OK) {
        fr__sq_index_refresh(s);
        return rc;
    }
    for (size_t i = 0; i < N_DEFERRED; i++)
        s->deferred |= DEFERRED[i].bit;
    s->watch = 1;
    /* the maps start empty and hold all there is from now on */
    s->load = 1;
    fr__sq_block_complete(s);
    *on = 1;
    return FR_OK;
end:
    if (rc == FR_OK) return fr__sq_tx_commit(s, err);
    fr__sq_tx_rollback(s);
    return rc;
}

int fr__sq_load_end(fr_store *base, fr_error *err)
{
    sq_store *s = (sq_store *)base;
    s->load = 0;
    if (s->in_tx) fr__sq_tx_rollback(s);
    fr__sq_index_refresh(s);
    if (!s->deferred) return FR_OK;
    int rc = fr__sq_tx_begin(s, err);
    if (rc != FR_OK) return rc;
    if ((rc = fr__sq_index_need(s, s->deferred, err)) != FR_OK) {
        fr__sq_tx_rollback(s);
        return rc;
    }
    if ((rc = fr__sq_tx_commit(s, err)) != FR_OK) fr__sq_index_refresh(s);
    return rc;
}
