/* SPDX-License-Identifier: MIT */
/* store_pg.h (internal): the PostgreSQL backend's state, shared by
 * store_pg.c (connection, schema, transactions, ids, partitions, flushing),
 * store_pg_record.c (writes) and store_pg_query.c (reads). */
#ifndef FR_STORE_PG_H
#define FR_STORE_PG_H

#include <libpq-fe.h>

#include "frontera/linkage.h"
#include "store_impl.h"
#include "store_link.h"

/* A small open-addressing map from a short string key to a few integers,
 * used for the backend's caches (store_pg.c). */
typedef struct pg_slot {
    char key[FR_EVENT_ID_MAX + 8]; /* "" empty */
    int64_t a, b, c;
    int d;
} pg_slot;

typedef struct pg_map {
    pg_slot *slots;
    size_t cap, used;
} pg_map;

pg_slot *fr__pg_map_get(pg_map *m, const char *key);
/* The slot for key, added (zeroed but for the key) when absent; NULL: OOM. */
pg_slot *fr__pg_map_put(pg_map *m, const char *key);
void fr__pg_map_clear(pg_map *m);
void fr__pg_map_free(pg_map *m);

/* A growing text buffer (COPY data, array literals); oom set on failure. */
typedef struct pg_buf {
    char *p;
    size_t n, cap;
    int oom;
} pg_buf;

/* Rows written in this transaction and not yet sent to the server. */
typedef struct pg_trav_row {
    int64_t id;
    char surname[FR_NAME_MAX + 1], given_names[FR_NAME_MAX + 1], nationality[4];
    fr_date birth_date;
    char sex;
    int next_same_birth; /* index of the previous pending traveller born that day, or -1 */
} pg_trav_row;

typedef struct pg_doc_row {
    int64_t id, traveller_id, person_digest;
    fr_document doc;
    fr_link_kind link;
} pg_doc_row;

typedef struct pg_event_row {
    int64_t id, traveller_id, document_id, digest, paired_id;
    unsigned anomalies;
    fr_event ev;   /* reasons_json points at reasons below (or NULL) */
    char *reasons; /* owned */
} pg_event_row;

typedef struct pg_review_row {
    int64_t document_id, traveller_id, candidate_id;
    double bits;
    char reason[400]; /* the evidence (fr_linkage_explain) */
} pg_review_row;

/* An event written in this transaction, numbered at commit (store_pg_seq.c). */
typedef struct pg_seq_row {
    int64_t id, digest;
    fr_date local_date;
} pg_seq_row;

enum { PG_SEQ_TRAV, PG_SEQ_DOC, PG_SEQ_EVENT, PG_SEQ_COUNT };

typedef struct pg_ids {
    int64_t *ids; /* prefetched from the sequence, in order */
    size_t pos, n, cap;
} pg_ids;

typedef struct pg_store {
    fr_store base;
    PGconn *conn;
    PGconn *ddl; /* a second connection for partition DDL outside the transaction */
    char *conninfo;
    int in_tx, batch;
    pg_map docs;   /* "STATE:NUMBER" -> a doc id, b traveller, c person digest (kept) */
    pg_map months; /* "YYYYMM" partitions known to exist (kept) */
    pg_map evs;    /* this transaction's event ids -> a digest, b traveller, c row, d anomalies */
    pg_map travs;  /* this transaction: traveller -> a last row, b last utc, d last kind */
    pg_map births; /* this transaction: birth date -> c newest pending traveller index + 1 */
    pg_trav_row *ptrav;
    size_t nptrav, captrav, flushed_trav;
    pg_doc_row *pdoc;
    size_t npdoc, capdoc, flushed_doc;
    pg_event_row *pev;
    size_t npev, capev;
    pg_review_row *prev;
    size_t nprev, capprev;
    pg_ids seq[PG_SEQ_COUNT];
    size_t id_hint[PG_SEQ_COUNT]; /* ids the prefetched chunk will take (fr__pg_ids_hint) */
    pg_map freq; /* this transaction's unsent travellers counted: "T", "N"nat, "B"date, "M"name */
    pg_seq_row *txev; /* events written in this transaction, in order */
    size_t ntxev, captxev;
    fr_linkage_params link_params;
    int64_t link_gen; /* link generation the document cache belongs to; -1 unknown */
    /* A batch's chunk looked up at once (store_pg_prefetch.c); valid until
     * this transaction sends rows (fr__pg_flush) or ends. */
    int pre_valid;
    pg_map pre_ev;   /* the chunk's event ids -> a digest, b traveller, c row, d anomalies;
                        d -1: not on the server */
    pg_map pre_doc;  /* the chunk's documents not on the server -> a first candidate in
                        pre_cand, b their number, c the nationality's count, d the
                        pass that last saw it (store_pg_prefetch.c) */
    pg_map pre_freq; /* the server's counts of the chunk's names ("M" keys) and birth
                        dates ("B" keys), for candidates this transaction creates */
    struct pg_cand *pre_cand;
    size_t npre_cand, cappre_cand;
    int64_t pre_total; /* travellers counted in the frequency tables */
} pg_store;

/* Advisory lock classes (pg_advisory_xact_lock(class, key)). */
#define PG_LOCK_SCHEMA 1179799120 /* key 0 migrations, 1 partitions, 2 ids */
#define PG_LOCK_BIRTH 1179799121  /* key: a blocking birth date modulo 2048 */
#define PG_LOCK_LINKS                                                                              \
    1179799122 /* key 0: shared by a record linking a new document,                                \
                  exclusive by a batch, a review and a split */

/* store_pg.c */
/* Apply migrations up to version target (tests build old databases). */
int fr__store_pg_migrate(const char *conninfo, int target, fr_error *err);
int fr__pg_error(pg_store *s, const PGresult *r, fr_error *err, const char *what);
int fr__pg_exec(pg_store *s, const char *sql, fr_error *err, const char *what);
int fr__pg_tx_begin(pg_store *s, fr_error *err);
int fr__pg_tx_commit(pg_store *s, fr_error *err);
void fr__pg_tx_rollback(pg_store *s);
int fr__pg_next_id(pg_store *s, int seq, int64_t *id, fr_error *err);
/* The ids a batch's next chunk will need, taken together at its first id. */
void fr__pg_ids_hint(pg_store *s, size_t travellers, size_t documents, size_t events);
int fr__pg_ensure_month(pg_store *s, fr_date d, fr_error *err);
int fr__pg_flush(pg_store *s, fr_error *err);
/* Read a pipeline's results up to its sync (and leave pipeline mode): fn
 * sees each result with its statement's position (from 0) and returns
 * FR_OK or an error (the first error is kept, the rest only read); it sets
 * *keep to own the result, else it is cleared. Aborted statements after an
 * error are skipped. */
typedef int (*pg_pipe_fn)(void *ud, int at, PGresult *r, int *keep, fr_error *err);
int fr__pg_pipe_read(pg_store *s, pg_pipe_fn fn, void *ud, fr_error *err);
/* Parameters as text: an int64, a date (NULL when FR_DATE_NONE). */
const char *fr__pg_i64(char *buf, int64_t v);
const char *fr__pg_date(char *buf, fr_date d);

/* store_pg_record.c */
int fr__pg_record(fr_store *base, const fr_event *ev, fr_record_result *res, fr_error *err);
/* Re-pair a traveller's entries and exits in event-time order. */
int fr__pg_repair(pg_store *s, int64_t tid, fr_error *err);

/* store_pg_link.c: the look-up of one event and the linking of a new
 * document (store_link.h) over the server's rows and this transaction's
 * unsent ones. */
typedef struct pg_cand {
    fr_slink_row row;
    int detailed;            /* state .. last_utc read from the server */
    int counted;             /* name_n and birth_n read (a chunk's row may lack them) */
    int64_t name_n, birth_n; /* the server's counts */
    char state[4];           /* latest document on the server of the new one's kind */
    char type[3];            /* (else of any kind); "" none */
    fr_date expiry;
    int has_last, last_kind; /* last entry/exit on the server */
    int64_t last_utc;
} pg_cand;

typedef struct pg_lookup {
    int have_event;
    int64_t ev_digest, ev_tid, ev_row;
    unsigned ev_anom;
    int have_doc;
    int64_t doc_id, tid, pdig;
    int have_last;
    int64_t last_row, last_utc;
    int last_kind;
    int64_t gen;        /* link generation; -1 not read */
    int64_t total, nat; /* frequency totals (k 4) */
    pg_cand *c;         /* server rows, then this transaction's unsent travellers */
    size_t nc, cap, nserver;
} pg_lookup;

void fr__pg_lookup_free(pg_lookup *l);
/* Run frontera_lookup3 for an event (event_id "" for none) showing doc:
 * with_doc 0 when the caller already knows the document; link_lock takes
 * the linking locks (a record), pairs asks for the last crossing. */
int fr__pg_lookup_run(pg_store *s, const char *event_id, const fr_document *doc, int with_doc,
                      int pairs, int link_lock, pg_lookup *l, fr_error *err);
/* Read frontera_lookup3 / frontera_last_crossing rows into l. */
int fr__pg_lookup_read(PGresult *r, pg_lookup *l, fr_error *err);
/* The linking decision for doc from a look-up (with_doc 1). */
int fr__pg_link_decide(pg_store *s, const fr_document *doc, fr_date day, int entering, pg_lookup *l,
                       fr_slink_result *r, fr_error *err);
/* Count a new (unsent) traveller in the transaction's frequency deltas. */
int fr__pg_freq_count(pg_store *s, const fr_document *d, fr_error *err);
/* Count the traveller rows tids (a bigint[] literal) out of the frequency
 * tables before they are deleted (a merge, a purge); a count that falls to
 * 0 deletes its row. */
int fr__pg_freq_uncount(pg_store *s, const char *tids, fr_error *err);
/* Send the frequency counts of travellers rows [from, to) of the pending
 * list and clear the deltas (fr__pg_flush). */
int fr__pg_freq_flush(pg_store *s, size_t from, size_t to, fr_error *err);
/* The same as one statement (fr__pg_freq_sql) and its four array parameters,
 * built into b (the caller frees b[k].p), for a pipeline. */
const char *fr__pg_freq_sql(void);
int fr__pg_freq_args(pg_store *s, size_t from, size_t to, pg_buf b[4], fr_error *err);
/* Remember doc row index i as traveller tid's latest in this transaction. */
int fr__pg_latest_doc(pg_store *s, int64_t tid, size_t i);
int fr__pg_link(fr_store *base, const fr_document *doc, fr_date day, int entering,
                fr_store_link *out, fr_error *err);

/* The latest document (of doc's kind first) and last crossing of
 * candidates, in one query: fr__pg_details_arg adds candidate c[at] (traveller
 * id) to the three arrays, fr__pg_details_run reads them into c[0..nc) and
 * frees the arrays. */
void fr__pg_details_arg(pg_buf *ix, pg_buf *ids, pg_buf *pp, int first, int64_t at, int64_t id,
                        const fr_document *doc);
int fr__pg_details_run(pg_store *s, pg_buf *ix, pg_buf *ids, pg_buf *pp, pg_cand *c, size_t nc,
                       fr_error *err);
/* The key of a name's count in s->freq and s->pre_freq. */
void fr__pg_name_key(char key[24], const char *nat, const char *sur, const char *giv);
/* Fill l (with_doc) from the chunk's look-up for a document not on the
 * server: 1 done, 0 the chunk does not cover it (run fr__pg_lookup_run). */
int fr__pg_lookup_prefetched(pg_store *s, const fr_document *doc, fr_date day, int entering,
                             pg_lookup *l, fr_error *err);

/* store_pg_prefetch.c */
/* Look the chunk's events up at once (fr_store_prefetch); a batch only. */
int fr__pg_prefetch(fr_store *base, const fr_event *const *evs, size_t n, fr_error *err);
/* The blocking dates worth reading for a new document with these totals
 * (fr__slink_keys; 0 when there are no travellers). */
size_t fr__pg_prefetch_keys(pg_store *s, const fr_document *d, fr_date day, int entering,
                            int64_t travellers, int64_t nationality, fr_date out[3]);
/* Forget the chunk's look-up (its answers may be stale). */
void fr__pg_prefetch_clear(pg_store *s);
void fr__pg_prefetch_free(pg_store *s);

/* store_pg_review.c */
int fr__pg_load_linkage(pg_store *s, fr_error *err);
int fr__pg_set_linkage(fr_store *base, const fr_linkage_params *p, fr_error *err);
void fr__pg_get_linkage(fr_store *base, fr_linkage_params *p);
int fr__pg_reviews(fr_store *base, int open_only, fr_link_review **out, size_t *n, fr_error *err);
int fr__pg_review_resolve(fr_store *base, int64_t id, int same, const char *actor, int64_t at,
                          const char *note, fr_error *err);
int fr__pg_split(fr_store *base, const char *state, const char *number, const char *actor,
                 int64_t at, const char *note, int64_t *out, fr_error *err);

/* store_pg_seq.c */
/* Remember an event written in this transaction; number them at commit. */
int fr__pg_seq_note(pg_store *s, int64_t id, fr_date local_date, int64_t digest);
/* Numbering is one statement (fr__pg_seq_sql) with four parameters: the three
 * arrays fr__pg_seq_args builds into b and the count; fr__pg_seq_check its result.
 * It runs last before COMMIT (fr__pg_tx_commit). */
const char *fr__pg_seq_sql(void);
int fr__pg_seq_args(pg_store *s, pg_buf b[3], char count[24], fr_error *err);
int fr__pg_seq_check(pg_store *s, PGresult *r, fr_error *err);
int fr__pg_last_sequence(fr_store *base, int64_t *seq, int64_t *fingerprint, fr_error *err);
int fr__pg_sequence_fingerprint(fr_store *base, int64_t seq, int64_t *fingerprint, fr_error *err);
int fr__pg_crossings_since(fr_store *base, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                           void *ud, fr_error *err);

/* store_pg_purge.c */
struct fr_retention;
int fr__pg_purge(fr_store *base, const struct fr_retention *r, fr_date as_of, unsigned flags,
                 int64_t *cursor, size_t max, fr_purge_counts *counts, int *done, fr_error *err);

void fr__pg_buf_put(pg_buf *b, const char *s, size_t n);
/* One element of an array literal: "{" before the first, "," between, the
 * text double-quoted with '"' and '\\' escaped; NULL for s NULL. fr__pg_buf_end
 * closes it ("{}" when empty) and NUL-terminates. */
void fr__pg_buf_elem(pg_buf *b, const char *s, int first);
void fr__pg_buf_end(pg_buf *b, int empty);

/* store_pg_query.c */
int fr__pg_find_document(fr_store *base, const char *state, const char *number, int64_t *tid,
                         fr_error *err);
int fr__pg_history(fr_store *base, int64_t tid, fr_history **out, fr_error *err);
int fr__pg_export(fr_store *base, fr_date from, fr_date to, int with_purged, fr_store_event_fn fn,
                  void *ud, fr_error *err);

#endif
