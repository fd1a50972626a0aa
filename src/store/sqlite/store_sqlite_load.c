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
 * instead of being cleared; every new traveller is put in it with no
 * crossing, so the query behind it is never asked). Anything else
 * that needs one of the indexes (a late event re-pairing a traveller, a date
 * past the blocking cap, the memory given up) creates it first
 * (fr__sq_index_need, called by fr__sq_stmt), and from then on it is kept
 * row by row as before.
 *
 * Crash safety: the indexes are dropped in a transaction of their own and
 * created in one. The loader holds an advisory lock (flock) on the file
 * "LEDGER-load" for the whole load; the kernel drops it when the process
 * dies. A connection learns that an index is missing at open and whenever
 * the schema changes; it builds it when one of its write transactions first
 * needs it and no load is alive (a load that was killed), and otherwise
 * reads without it: the same rows, more slowly. So nothing but the loader
 * builds during a load (a build of seconds would hold the write lock past
 * the others' busy timeout), an open never writes, and a read never turns
 * into a write. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

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

/* "LEDGER-load" for the ledger's file into buf; 0 when the ledger has no
 * file (an in-memory database) or the name does not fit. */
static int load_path(sq_store *s, char *buf, size_t cap)
{
    const char *f = sqlite3_db_filename(s->db, "main");
    if (!f || !*f) return 0;
    int n = snprintf(buf, cap, "%s-load", f);
    return n > 0 && (size_t)n < cap;
}

/* Is another process loading this ledger now (it holds the lock)? */
static int load_alive(sq_store *s)
{
    char path[4096];
    if (s->load_fd >= 0 || !load_path(s, path, sizeof path)) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0; /* never loaded here */
    int alive = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd); /* also releases the shared lock taken */
    return alive;
}

void fr__sq_indexes_restore(sq_store *s)
{
    int bits = missing(s->db);
    if (bits <= 0) return; /* all there, or unreadable: the open says so next */
    s->deferred = (unsigned)bits;
    s->watch = 1; /* built by the first write transaction that needs one */
}

int fr__sq_index_need(sq_store *s, unsigned bits, fr_error *err)
{
    bits &= s->deferred;
    if (!bits) return FR_OK;
    /* only in a write transaction (a read never becomes a write), and not
     * while another process loads the ledger: it builds them at its end.
     * Not built here, the statement reads without the index. */
    if (!s->in_tx || load_alive(s)) return FR_OK;
    /* a rollback undoes it, and fr__sq_index_refresh then reads what is there */
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
    char path[4096];
    if (!load_path(s, path, sizeof path)) return FR_OK; /* no file: nothing to gain */
    int rc = fr__sq_tx_begin(s, err), empty = 0;
    if (rc != FR_OK) return rc;
    if ((rc = ledger_empty(s, &empty, err)) != FR_OK || !empty) goto end;
    /* the lock says "a load is alive" to the others (load_alive) */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) { /* another load: the normal way */
        if (fd >= 0) close(fd);
        goto end;
    }
    for (size_t i = 0; i < N_DEFERRED; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", DEFERRED[i].name);
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) { /* the normal way */
            close(fd);
            fr__sq_tx_rollback(s);
            return FR_OK;
        }
    }
    if ((rc = fr__sq_tx_commit(s, err)) != FR_OK) {
        close(fd);
        fr__sq_index_refresh(s);
        return rc;
    }
    s->load_fd = fd;
    for (size_t i = 0; i < N_DEFERRED; i++)
        s->deferred |= DEFERRED[i].bit;
    s->watch = 1;
    /* the maps start empty and hold all there is from now on */
    s->load = 1;
    fr__sq_block_complete(s);
    fr__sq_docset_start(s);
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
    fr__sq_docset_stop(s);
    if (s->in_tx) fr__sq_tx_rollback(s);
    fr__sq_index_refresh(s);
    int rc = FR_OK;
    if (s->deferred && (rc = fr__sq_tx_begin(s, err)) == FR_OK) {
        if ((rc = fr__sq_index_need(s, s->deferred, err)) != FR_OK)
            fr__sq_tx_rollback(s);
        else if ((rc = fr__sq_tx_commit(s, err)) != FR_OK)
            fr__sq_index_refresh(s);
    }
    fr__sq_load_release(s); /* built or not: the next write that needs one builds it */
    return rc;
}

void fr__sq_load_release(sq_store *s)
{
    if (s->load_fd < 0) return;
    char path[4096];
    if (load_path(s, path, sizeof path)) unlink(path); /* tidy; a killed load leaves it */
    close(s->load_fd);                                 /* releases the lock */
    s->load_fd = -1;
}
