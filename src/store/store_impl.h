/* SPDX-License-Identifier: MIT */
/* store_impl.h: the backend interface behind fr_store (store.h), in the
 * manner of SQLite's sqlite3_io_methods. A backend defines a struct whose
 * first member is an fr_store, points base.ops at its table, and lets
 * store.c do validation and normalisation. Events reaching a backend are
 * valid (fr_event_validate) and names are normalised (fr__ledger_name_norm). */
#ifndef FR_STORE_IMPL_H
#define FR_STORE_IMPL_H

#include "frontera/store.h"

typedef struct fr_store_ops {
    const char *name;
    void (*close)(fr_store *s);
    int (*schema_version)(fr_store *s, int *version, fr_error *err);
    int (*batch_begin)(fr_store *s, fr_error *err);
    int (*batch_commit)(fr_store *s, fr_error *err);
    void (*batch_rollback)(fr_store *s);
    int (*record)(fr_store *s, const fr_event *ev, fr_record_result *res, fr_error *err);
    /* optional: look a batch's next events up at once (fr_store_prefetch);
     * entries of evs may be NULL (events that will not be recorded) */
    int (*prefetch)(fr_store *s, const fr_event *const *evs, size_t n, fr_error *err);
    int (*find_document)(fr_store *s, const char *state, const char *number, int64_t *tid,
                         fr_error *err);
    int (*link)(fr_store *s, const fr_document *doc, fr_date day, int entering, fr_store_link *out,
                fr_error *err);
    int (*set_linkage)(fr_store *s, const struct fr_linkage_params *p, fr_error *err);
    void (*get_linkage)(fr_store *s, struct fr_linkage_params *p);
    int (*reviews)(fr_store *s, int open_only, fr_link_review **out, size_t *n, fr_error *err);
    int (*review_resolve)(fr_store *s, int64_t id, int same_person, const char *actor,
                          int64_t at_utc, const char *note, fr_error *err);
    int (*split)(fr_store *s, const char *state, const char *number, const char *actor,
                 int64_t at_utc, const char *note, int64_t *new_tid, fr_error *err);
    int (*history)(fr_store *s, int64_t tid, fr_history **out, fr_error *err);
    /* with_purged: also the de-identified events of erased persons
     * (fr_store_export_stats) */
    int (*export_events)(fr_store *s, fr_date from, fr_date to, int with_purged,
                         fr_store_event_fn fn, void *ud, fr_error *err);
    int (*last_sequence)(fr_store *s, int64_t *seq, int64_t *fingerprint, fr_error *err);
    int (*sequence_fingerprint)(fr_store *s, int64_t seq, int64_t *fingerprint, fr_error *err);
    int (*crossings_since)(fr_store *s, int64_t after, int64_t upto, fr_store_crossing_fn fn,
                           void *ud, fr_error *err);
    /* The backend's own connection (sqlite3 * for "sqlite", PGconn * for
     * "postgres"), for a module that keeps its tables in the ledger's database
     * and must write inside the store's batch transaction, so that its rows
     * and the ledger's commit as one (the audit log: audit.c,
     * fr_audit_open_store). The store keeps ownership; the caller uses it only
     * from the store's thread. NULL (or no entry): the backend does not share. */
    void *(*connection)(fr_store *s);
    /* optional (NULL: FR_EVERSION): whole events by sequence */
    int (*events_since)(fr_store *s, int64_t after, size_t limit, fr_store_seq_event_fn fn,
                        void *ud, fr_error *err);
    /* one batch of the purge (fr_store_purge); arguments checked by store.c */
    int (*purge)(fr_store *s, const struct fr_retention *r, fr_date as_of, unsigned flags,
                 int64_t *cursor, size_t max_persons, fr_purge_counts *counts, int *done,
                 fr_error *err);
    /* optional (NULL: nothing to do): a checkpoint that makes no writer wait */
    int (*checkpoint)(fr_store *s, int64_t *log_frames, int64_t *copied, fr_error *err);
    /* optional (NULL: nothing to read ahead): fr_store_warm */
    int (*warm)(fr_store *s, size_t dates, int *done, fr_error *err);
    /* optional (NULL: *on = 0): an import into an empty ledger may defer
     * index work to its end (fr__store_load_begin) */
    int (*load_begin)(fr_store *s, int *on, fr_error *err);
    int (*load_end)(fr_store *s, fr_error *err);
    /* optional (NULL: never): fr_store_lost */
    int (*lost)(fr_store *s);
} fr_store_ops;

struct fr_store {
    const fr_store_ops *ops;
    int in_batch;
};

/* An import's bulk load (fr_ledger_import), outside a batch: when the ledger
 * is empty the backend may build some indexes only at fr__store_load_end
 * (store_sqlite_load.c); *on says whether it does. Results are the same
 * either way. fr__store_load_end is called after the last batch, also after
 * a failed one. */
int fr__store_load_begin(fr_store *s, int *on, fr_error *err);
int fr__store_load_end(fr_store *s, fr_error *err);

/* Backends. */
int fr__store_sqlite_open(const char *path, unsigned flags, fr_store **out, fr_error *err);
/* conninfo: a libpq connection URI or keyword/value string. */
int fr__store_pg_open(const char *conninfo, unsigned flags, fr_store **out, fr_error *err);
/* Is `where` a PostgreSQL location (postgres://, postgresql://, or libpq
 * keyword=value pairs such as "host=... dbname=...")? */

#endif
