/* SPDX-License-Identifier: MIT */
/* store_sqlite.h (internal): the SQLite backend's state, shared by
 * store_sqlite.c (open, migrations, transactions, statements),
 * store_sqlite_cache.c (in-memory maps), store_sqlite_record.c (writes)
 * and store_sqlite_query.c (reads). */
#ifndef FR_STORE_SQLITE_H
#define FR_STORE_SQLITE_H

#include <sqlite3.h>

#include "module_sqlite.h"
#include "frontera/linkage.h"
#include "store_impl.h"
#include "store_link.h"

/* Prepared statements, prepared once on first use and reused. */
enum {
    SQ_BEGIN,
    SQ_BEGIN_READ,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_DATA_VERSION,
    SQ_DOC_FIND,
    SQ_DOC_INSERT,
    SQ_DOC_PERSON,
    SQ_TRAV_BY_BIRTH,
    SQ_TRAV_INSERT,
    SQ_REVIEW_INSERT,
    SQ_EVENT_INSERT,
    SQ_EVENT_DIGEST,
    SQ_EVENT_LAST_PAIRING,
    SQ_EVENT_PAIRING_ALL,
    SQ_EVENT_SET_PAIRING,
    SQ_TRAV_EXISTS,
    SQ_HIST_EVENTS,
    SQ_HIST_DOCS,
    SQ_HIST_REVIEWS,
    SQ_LINK_BLOCK,
    SQ_FREQ_TOTAL,
    SQ_FREQ_NAT,
    SQ_FREQ_NAME,
    SQ_FREQ_BIRTH,
    SQ_FREQ_ADD_NAT,
    SQ_FREQ_ADD_NAME,
    SQ_FREQ_ADD_BIRTH,
    SQ_TRAV_LAST_DOC,
    SQ_TRAV_PERSON,
    SQ_FREQ_SUB_NAT,
    SQ_FREQ_DROP_NAT,
    SQ_FREQ_SUB_NAME,
    SQ_FREQ_DROP_NAME,
    SQ_FREQ_SUB_BIRTH,
    SQ_FREQ_DROP_BIRTH,
    SQ_BLOCK_DATE,
    SQ_BLOCK_WARM,
    SQ_TRAV_INSERT_ID,
    SQ_COUNT
};

/* document (state, number) -> ids, kept while no other connection writes. */
typedef struct sq_doc_slot {
    char key[28]; /* "STATE:NUMBER"; "" empty slot */
    int64_t doc_id, traveller_id, person_digest;
} sq_doc_slot;

/* traveller -> its last entry/exit by event time (for incremental pairing). */
typedef struct sq_trav_slot {
    int64_t traveller_id; /* 0: empty slot */
    int64_t last_row;     /* 0: the traveller has no entry/exit */
    int64_t last_utc;
    int last_kind;
} sq_trav_slot;

typedef struct sq_map {
    void *slots;
    size_t cap, used; /* cap is a power of two or 0 */
} sq_map;

/* store_sqlite_block.c: the travellers of each birth date read so far */
typedef struct sq_block sq_block;

/* The candidates a new document may belong to, best first (store_link.h). */
typedef fr_slink_result sq_link_result;

/* The last linking decision fr__sq_link read inside a transaction: the
 * booth decides from it and records the same document right after (the
 * server's writer does both in one transaction), and the recording takes it
 * instead of reading the blocking rows again. Taken only inside the same
 * transaction with no row written since on this connection
 * (sqlite3_total_changes64 unmoved; no other connection can write inside
 * it): fr__sq_tx_begin and the cache clear (rollback, merge, split, purge)
 * void it, and memo_take uses it once. */
typedef struct sq_link_memo {
    int valid;
    fr_document doc; /* normalised, as the backend received it */
    fr_date day;
    int entering;
    sqlite3_int64 changes; /* sqlite3_total_changes64 when read */
    sq_link_result r;
} sq_link_memo;

/* store_sqlite_freq.c: the frequency counts the open transaction adds */
typedef struct sq_freq sq_freq;

typedef struct sq_store {
    fr_store base;
    sqlite3 *db;
    sqlite3_stmt *st[SQ_COUNT];
    int in_tx;
    int bulk; /* batches ran: bulk-import settings applied */
    /* rows recorded in the open batch; big_cache once one passed
     * SQ_BIG_BATCH_ROWS and the page cache was raised for it */
    int64_t batch_rows;
    int big_cache;
    int64_t data_version;
    sq_map docs, travs;
    size_t docs_max; /* the document map's slots at most; 0: SQ_CACHE_MAX (tests lower it) */
    /* during an initial load: a hash of every document's key in the ledger
     * (store_sqlite_cache.c, fr__sq_docset_*); complete while docset_on */
    uint64_t *docset;
    size_t docset_cap, docset_used;
    int docset_on;
    sq_block *block;  /* NULL unless batches ran (fr__sq_block_enable) */
    int64_t next_tid; /* the number SQ_TRAV_INSERT would give next; 0: ask it */
    fr_linkage_params link_params;
    int64_t link_total; /* travellers counted in link_nat_freq; -1: not read yet */
    sq_freq *freq;      /* counts held until the commit (store_sqlite_freq.c) */
    sq_link_memo memo;
    /* store_sqlite_load.c: the deferred indexes (SQ_IDX_*) the ledger lacks,
     * and whether an initial load runs (the maps then hold all there is) */
    unsigned deferred;
    int load;
    int watch;          /* the ledger lacked one since this connection opened */
    int load_fd;        /* the load's lock file, held while it runs; -1 */
    int schema_version; /* PRAGMA schema_version when last looked (maps_check) */
} sq_store;

/* store_sqlite_load.c. An import into an empty ledger (fr__sq_load_begin)
 * drops these indexes and builds them at its end (fr__sq_load_end); a
 * statement that reads through one builds it first (fr__sq_stmt). */
#define SQ_IDX_BIRTH 1u  /* travellers_birth */
#define SQ_IDX_EVENTS 2u /* events_traveller_time */
int fr__sq_load_begin(fr_store *base, int *on, fr_error *err);
int fr__sq_load_end(fr_store *base, fr_error *err);
/* Build the indexes of bits that are missing, in the open write
 * transaction, unless another process is loading the ledger; without a
 * write transaction nothing is built (FR_OK either way: the statement then
 * reads without the index). */
int fr__sq_index_need(sq_store *s, unsigned bits, fr_error *err);
/* After a rollback (which may undo a build): read which are missing. */
void fr__sq_index_refresh(sq_store *s);
/* At open, and when the schema changed: which are missing (a killed load
 * left them so, or another process loads now); built on first need. */
void fr__sq_indexes_restore(sq_store *s);
/* The load's lock released (load end, close). */
void fr__sq_load_release(sq_store *s);
void fr__sq_bulk_settings(sq_store *s);

/* store_sqlite.c */
int fr__sq_stmt(sq_store *s, int which, sqlite3_stmt **out, fr_error *err);
int fr__sq_error(sq_store *s, int rc, fr_error *err, const char *what);
int fr__sq_tx_begin(sq_store *s, fr_error *err);
int fr__sq_tx_commit(sq_store *s, fr_error *err);
void fr__sq_tx_rollback(sq_store *s);
/* A read of several statements outside a transaction: one snapshot, and the
 * connection's maps (documents, travellers, blocking rows, counts) checked
 * against PRAGMA data_version first, as fr__sq_tx_begin does; without it a
 * connection that only reads (a server's request thread) would answer from a
 * document map that a merge, a split or a purge on another connection has
 * made wrong. Inside a transaction it does nothing. *own: whether
 * fr__sq_read_end must end it. */
int fr__sq_read_begin(sq_store *s, int *own, fr_error *err);
void fr__sq_read_end(sq_store *s, int own);
/* Apply migrations 1..target to an open connection (tests build old
 * databases with it). */
int fr__store_sqlite_migrate(sqlite3 *db, int target, fr_error *err);

/* store_sqlite_cache.c */
sq_doc_slot *fr__sq_doc_get(sq_store *s, const char *state, const char *number);
int fr__sq_doc_put(sq_store *s, const char *state, const char *number, int64_t doc_id,
                   int64_t traveller_id, int64_t person_digest);
sq_trav_slot *fr__sq_trav_get(sq_store *s, int64_t traveller_id);
int fr__sq_trav_put(sq_store *s, const sq_trav_slot *v);
void fr__sq_trav_forget(sq_store *s, int64_t traveller_id);
void fr__sq_cache_clear(sq_store *s);
void fr__sq_cache_free(sq_store *s);
/* The documents of an initial load (the ledger started empty): start when
 * it begins, add each document the connection creates; absent answers 1
 * when (state, number) is surely not in the ledger, so a new document costs
 * no look-up of the documents index. A failure to grow, the cache clear
 * (another connection wrote, a rollback, a merge...) and the load's end
 * stop it: then absent answers 0 and the index is asked. */
void fr__sq_docset_start(sq_store *s);
void fr__sq_docset_add(sq_store *s, const char *state, const char *number);
int fr__sq_docset_absent(const sq_store *s, const char *state, const char *number);
void fr__sq_docset_stop(sq_store *s);

/* store_sqlite.c: count a row recorded in the open batch; past
 * SQ_BIG_BATCH_ROWS the connection's page cache grows to 1 GiB. */
#define SQ_BIG_BATCH_ROWS 50000
void fr__sq_batch_row(sq_store *s);

/* store_sqlite_record.c */
int fr__sq_record(fr_store *base, const fr_event *ev, fr_record_result *res, fr_error *err);
int fr__sq_link(fr_store *base, const fr_document *doc, fr_date day, int entering,
                fr_store_link *out, fr_error *err);

/* store_sqlite_review.c */
int fr__sq_set_linkage(fr_store *base, const fr_linkage_params *p, fr_error *err);
int fr__sq_load_linkage(sq_store *s, fr_error *err);
void fr__sq_get_linkage(fr_store *base, fr_linkage_params *p);
int fr__sq_reviews(fr_store *base, int open_only, fr_link_review **out, size_t *n, fr_error *err);
int fr__sq_review_resolve(fr_store *base, int64_t id, int same, const char *actor, int64_t at,
                          const char *note, fr_error *err);
int fr__sq_split(fr_store *base, const char *state, const char *number, const char *actor,
                 int64_t at, const char *note, int64_t *out, fr_error *err);

int fr__sq_pairing_state(sq_store *s, int64_t tid, sq_trav_slot *out, fr_error *err);
int fr__sq_repair(sq_store *s, int64_t tid, fr_error *err);

/* store_sqlite_link.c */
/* Score the travellers a new document may belong to (on `day`, an entry when
 * entering) and decide: r->outcome with the candidates at or above review. */
int fr__sq_link_candidates(sq_store *s, const fr_document *d, fr_date day, int entering,
                           sq_link_result *r, fr_error *err);
/* Count a new traveller in the frequency tables. */
int fr__sq_link_count(sq_store *s, const fr_document *d, fr_error *err);
/* Count traveller tid's row out of them before it is deleted (a merge, a
 * purge); a count that falls to 0 deletes its row. */
int fr__sq_link_uncount(sq_store *s, int64_t tid, fr_error *err);

/* store_sqlite_freq.c. The counts a write transaction adds to the three
 * frequency tables, held in memory and written at its commit, each key once
 * in key order. add: a new traveller of document d (FR_ENOMEM: nothing was
 * held, write the counts at once); get: what is held for one key (added to
 * the table's count by the reads of the same transaction); total: the sum
 * held for the nationalities; flush: write them (fr__sq_tx_commit, before
 * COMMIT; fr__sq_link_uncount, before a decrement); drop: forget them (a
 * rollback); free: at close. */
enum { SQ_FREQ_NAT_KEY, SQ_FREQ_NAME_KEY, SQ_FREQ_BIRTH_KEY };
int fr__sq_freq_add(sq_store *s, const fr_document *d);
int64_t fr__sq_freq_get(const sq_store *s, int kind, const char *a, const char *b, const char *c,
                        int64_t birth);
int64_t fr__sq_freq_total(const sq_store *s);
int fr__sq_freq_flush(sq_store *s, fr_error *err);
void fr__sq_freq_drop(sq_store *s);
void fr__sq_freq_free(sq_store *s);

/* store_sqlite_block.c. Enable keeps each birth date's travellers in memory
 * once read (for bulk imports); clear forgets them (with fr__sq_cache_clear);
 * free releases the memory. */
int fr__sq_block_enable(sq_store *s);
/* The ledger holds no traveller the memory lacks (an initial load into an
 * empty ledger): a date not read yet has none, and is not asked. Forgotten
 * with the rest. */
void fr__sq_block_complete(sq_store *s);
void fr__sq_block_clear(sq_store *s);
void fr__sq_block_free(sq_store *s);
/* Traveller id, created for document d by this connection, joins its date. */
void fr__sq_block_added(sq_store *s, int64_t id, const fr_document *d);
/* fr_store_warm: the next `dates` birth dates of the ledger, in date order,
 * read into memory, until all are or half the memory cap is used (*done). In
 * a read of the caller's (fr__sq_read_begin), after fr__sq_block_enable. */
int fr__sq_block_warm(sq_store *s, size_t dates, int *done, fr_error *err);
/* The blocking rows of SQ_LINK_BLOCK for the nk dates keys (same nationality
 * or surname as d) that may reach review (fr__slink_may_review with q, f),
 * from memory: 1 with *rows (the caller frees it) and *nrows; 0 when the
 * query must answer (not enabled, or more rows than its cap); or an error. */
int fr__sq_block_rows(sq_store *s, const fr_date *keys, size_t nk, const fr_document *d,
                      const fr_linkage_query *q, const fr_linkage_freq *f, fr_slink_row **rows,
                      size_t *nrows, fr_error *err);

/* store_sqlite_query.c */
int fr__sq_find_document(fr_store *base, const char *state, const char *number, int64_t *tid,
                         fr_error *err);
int fr__sq_history(fr_store *base, int64_t tid, fr_history **out, fr_error *err);
int fr__sq_export(fr_store *base, fr_date from, fr_date to, int with_purged, fr_store_event_fn fn,
                  void *ud, fr_error *err);
int fr__sq_last_sequence(fr_store *base, int64_t *seq, int64_t *fingerprint, fr_error *err);
int fr__sq_sequence_fingerprint(fr_store *base, int64_t seq, int64_t *fingerprint, fr_error *err);
int fr__sq_events_since(fr_store *base, int64_t after, size_t limit, fr_store_seq_event_fn fn,
                        void *ud, fr_error *err);
int fr__sq_crossings_since(fr_store *base, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                           void *ud, fr_error *err);

/* store_sqlite_purge.c */
struct fr_retention;
int fr__sq_purge(fr_store *base, const struct fr_retention *r, fr_date as_of, unsigned flags,
                 int64_t *cursor, size_t max, fr_purge_counts *counts, int *done, fr_error *err);

#endif
