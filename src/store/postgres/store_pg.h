/* SPDX-License-Identifier: MIT */
/* store_pg.h (internal): the PostgreSQL backend's state, shared by
 * store_pg.c (connection, schema, transactions, ids, partitions, flushing),
 * store_pg_record.c (writes) and store_pg_query.c (reads). */
#ifndef FR_STORE_PG_H
#define FR_STORE_PG_H

#include <libpq-fe.h>

#include "store_impl.h"

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

pg_slot *pg_map_get(pg_map *m, const char *key);
/* The slot for key, added (zeroed but for the key) when absent; NULL: OOM. */
pg_slot *pg_map_put(pg_map *m, const char *key);
void pg_map_clear(pg_map *m);
void pg_map_free(pg_map *m);

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
    const char *reason; /* static text of the linking rule */
} pg_review_row;

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
} pg_store;

/* store_pg.c */
int pg_error(pg_store *s, const PGresult *r, fr_error *err, const char *what);
int pg_exec(pg_store *s, const char *sql, fr_error *err, const char *what);
int pg_tx_begin(pg_store *s, fr_error *err);
int pg_tx_commit(pg_store *s, fr_error *err);
void pg_tx_rollback(pg_store *s);
int pg_next_id(pg_store *s, int seq, int64_t *id, fr_error *err);
int pg_ensure_month(pg_store *s, fr_date d, fr_error *err);
int pg_flush(pg_store *s, fr_error *err);
/* Parameters as text: an int64, a date (NULL when FR_DATE_NONE). */
const char *pg_i64(char *buf, int64_t v);
const char *pg_date(char *buf, fr_date d);

/* store_pg_record.c */
int pg_record(fr_store *base, const fr_event *ev, fr_record_result *res, fr_error *err);
int pg_resolve(fr_store *base, const fr_document *doc, int64_t *tid, fr_link_kind *how,
               fr_error *err);

/* store_pg_query.c */
int pg_find_document(fr_store *base, const char *state, const char *number, int64_t *tid,
                     fr_error *err);
int pg_history(fr_store *base, int64_t tid, fr_history **out, fr_error *err);
int pg_export(fr_store *base, fr_date from, fr_date to, fr_store_event_fn fn, void *ud,
              fr_error *err);

#endif
