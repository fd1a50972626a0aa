/* SPDX-License-Identifier: MIT */
/* store.h: the crossings ledger, the system of record for every entry, exit,
 * refusal, encounter and extension, behind one backend-neutral interface.
 *
 * An fr_store is an opaque handle on one database. Inside, a table of
 * function pointers (src/store_impl.h) routes each call to a backend: SQLite
 * (src/store/sqlite/) or PostgreSQL (src/store/postgres/); SQL text lives
 * only in backends.
 * This layer validates events (event.h) and normalises names before any
 * backend sees them, so every backend stores the same thing.
 *
 * Semantics (docs/ledger.md has the full text):
 * - An event id is chosen by the sender. Recording the same id with the same
 *   content again is a no-op success (result.duplicate = 1); the same id with
 *   different content fails with FR_ECONFLICT and changes nothing.
 * - A document (issuing state + number) belongs to one traveller. A new
 *   document is linked to a known traveller by match weights (linkage.h):
 *   at or above the link threshold it joins that traveller (a renewal);
 *   between the thresholds a new traveller is created and the possible
 *   match kept for review with its evidence - never guessed. Every backend
 *   decides with the same code, so SQLite and PostgreSQL agree.
 * - Exits are matched to the open entry of the same traveller by event time,
 *   not arrival order: an event that arrives late re-pairs the traveller's
 *   history. An exit with no open entry, or an entry while one is open, is
 *   recorded as it happened and flagged (FR_ANOMALY_*), never rejected.
 * - An acknowledged write (FR_OK from fr_store_record outside a batch, or
 *   from fr_store_batch_commit) is durable.
 *
 * Threads: one fr_store is used by one thread at a time; open one per thread.
 * Several processes may use the same database at once: writers wait for each
 * other (busy timeout) and caches are revalidated at each transaction. */
#ifndef FRONTERA_STORE_H
#define FRONTERA_STORE_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/event.h"
#include "frontera/history.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version this build writes and reads. */
#define FR_STORE_SCHEMA_VERSION 4

/* fr_store_open flags */
#define FR_STORE_CREATE 0x1u /* create the database when it does not exist */

typedef struct fr_store fr_store;

/* Open the database at `where`: an SQLite file path or "sqlite:PATH"; or a
 * PostgreSQL database as a libpq URI ("postgres://USER@HOST:PORT/DB",
 * "postgresql://...") or libpq keyword=value pairs ("host=H dbname=D"),
 * bringing its schema up to FR_STORE_SCHEMA_VERSION. Fails with FR_ENOTFOUND
 * when it does not exist and FR_STORE_CREATE is not given, FR_EVERSION when it
 * was written by a newer frontera or is not a frontera database, FR_EBUSY when
 * other processes hold it past the busy timeout, FR_ESTORE otherwise; err says
 * which. On success *out is owned by the caller: fr_store_close. */
FR_API int fr_store_open(const char *where, unsigned flags, fr_store **out, fr_error *err);
/* Whether `where` names a PostgreSQL database (a postgres:// or
 * postgresql:// URI, or libpq keyword=value text) rather than a SQLite file. */
FR_API int fr_store_is_pg(const char *where);
FR_API void fr_store_close(fr_store *s); /* NULL is a no-op; rolls back an open batch */

/* Name of the backend ("sqlite" or "postgres") and the schema version found in the database. */
FR_API const char *fr_store_backend(const fr_store *s);
FR_API int fr_store_schema_version(fr_store *s, int *version, fr_error *err);

typedef struct fr_record_result {
    int64_t traveller_id;
    int64_t event_row; /* the store's id of the event */
    int duplicate;     /* 1: already recorded with the same content; nothing changed */
    fr_link_kind link;
    unsigned anomalies; /* FR_ANOMALY_* of the new event, as first paired */
} fr_record_result;

/* Record one event (with its decision and reasons) in one transaction:
 * document link, traveller, event, exit matching. result may be NULL.
 * Errors: FR_EINVAL (err->field names the bad field), FR_ECONFLICT (the event
 * id exists with other content), FR_EBUSY, FR_ESTORE. Inside a batch the
 * event is written in the batch's transaction and is durable only after
 * fr_store_batch_commit; an FR_EINVAL or FR_ECONFLICT there wrote nothing and
 * the batch goes on, any other error means the batch must be rolled back. */
FR_API int fr_store_record(fr_store *s, const fr_event *ev, fr_record_result *result,
                           fr_error *err);

/* fr_store_record with flags. FR_RECORD_REASONS_BUILT: ev->reasons_json was
 * written by fr_admit_reasons_json (admit.h; fr_booth_event), which always
 * writes a JSON array in valid UTF-8, so its length is checked but it is not
 * parsed again (a server's writer records a group of admissions one after
 * the other, and that parse was a tenth of its time). Unknown flags:
 * FR_EINVAL. */
#define FR_RECORD_REASONS_BUILT 1u
FR_API int fr_store_record_flags(fr_store *s, const fr_event *ev, unsigned flags,
                                 fr_record_result *result, fr_error *err);

/* Inside a batch: the events about to be recorded, in order, so that a
 * backend may look them all up at once (PostgreSQL: one round trip for the
 * chunk instead of one per event). A hint: it changes no result, and the
 * events need not stay valid after the call; events that fail validation
 * are ignored. Outside a batch, or on a backend without it, it does
 * nothing. */
FR_API int fr_store_prefetch(fr_store *s, const fr_event *const *evs, size_t n, fr_error *err);

/* Group many fr_store_record calls in one transaction (bulk import). */
FR_API int fr_store_batch_begin(fr_store *s, fr_error *err);
FR_API int fr_store_batch_commit(fr_store *s, fr_error *err);
FR_API void fr_store_batch_rollback(fr_store *s);

/* The traveller holding document state/number: FR_OK and *traveller_id, or
 * FR_ENOTFOUND. */
FR_API int fr_store_find_document(fr_store *s, const char *state, const char *number,
                                  int64_t *traveller_id, fr_error *err);
/* Which traveller would this document belong to, by the linking rule, without
 * writing anything: the holder of a known document (FR_LINK_DOCUMENT), a
 * certain match (FR_LINK_RENEWAL), or none (*how FR_LINK_NONE, or
 * FR_LINK_REVIEW when only a possible match exists; *traveller_id 0).
 * fr_store_link_document with no day; it says more. */
FR_API int fr_store_resolve(fr_store *s, const fr_document *doc, int64_t *traveller_id,
                            fr_link_kind *how, fr_error *err);

/* The linking decision for a document in full (docs/ledger.md, "Linking
 * documents"): how (DOCUMENT: already known; RENEWAL: linked with
 * certainty; REVIEW: only a possible match; NONE: nobody), the holder
 * (DOCUMENT, RENEWAL; else 0), and for RENEWAL and REVIEW the best
 * candidate with its weight and evidence. `day` is the date the document is
 * shown (FR_DATE_NONE: unknown, the renewal-timing evidence is left out),
 * `entering` says it is shown at an entry. Writes nothing. */
typedef struct fr_store_link {
    fr_link_kind how;
    int64_t traveller_id;
    int64_t candidate_id;
    double bits;
    char evidence[400];
} fr_store_link;
FR_API int fr_store_link_document(fr_store *s, const fr_document *doc, fr_date day, int entering,
                                  fr_store_link *out, fr_error *err);

/* The linking thresholds (linkage.h), kept in the database so that the
 * booth, `record` and imports decide alike: fr_store_set_linkage stores them
 * (one transaction; not inside a batch) and every handle opened afterwards
 * uses them; unset, fr_linkage_defaults. FR_EINVAL when review_bits >
 * link_bits or the renewal rate is not within (0, 1). */
struct fr_linkage_params;
FR_API int fr_store_set_linkage(fr_store *s, const struct fr_linkage_params *p, fr_error *err);
FR_API void fr_store_get_linkage(fr_store *s, struct fr_linkage_params *p);

/* Link reviews: a document given a new traveller because it only possibly
 * belongs to a known one. */
typedef struct fr_link_review {
    int64_t id;
    int64_t document_row;
    char doc_state[4];
    char doc_number[FR_DOCNUM_MAX + 1];
    int64_t traveller_id; /* the traveller the document was given */
    int64_t candidate_id; /* the one it may belong to */
    double bits;
    char status[12]; /* "open", "linked", "distinct" */
    char reason[400];
} fr_link_review;

/* Reviews in id order: open ones only, or all. *out is the caller's
 * (fr_free from alloc.h), *n its length. */
FR_API int fr_store_reviews(fr_store *s, int open_only, fr_link_review **out, size_t *n,
                            fr_error *err);

/* The longest note of a decision on who is who. */
#define FR_STORE_NOTE_MAX 400

/* A supervisor's answer to review `id`: same_person 1 moves every document
 * and event of the review's traveller to the candidate (the traveller is
 * merged into it) and re-pairs the candidate's entries and exits; 0 records
 * that they are two people. actor, at_utc (seconds since the epoch, the
 * caller's clock) and note go to the link audit; the note says why, in 3 to
 * FR_STORE_NOTE_MAX characters (FR_EINVAL, field "note", otherwise: for
 * either answer). FR_ENOTFOUND: no such review; FR_ECONFLICT: it is not open
 * any more. One transaction. */
FR_API int fr_store_review_resolve(fr_store *s, int64_t id, int same_person, const char *actor,
                                   int64_t at_utc, const char *note, fr_error *err);

/* Split a wrongly merged traveller: document state/number and its events
 * move to a new traveller (*new_traveller), and both are re-paired. The
 * document must not be its traveller's only one (FR_EINVAL). Audited like a
 * review, with a note as a review's. One transaction. */
FR_API int fr_store_split(fr_store *s, const char *state, const char *number, const char *actor,
                          int64_t at_utc, const char *note, int64_t *new_traveller, fr_error *err);

/* A traveller's documents, events and current stay. FR_ENOTFOUND when the
 * traveller does not exist. *out is owned by the caller: fr_history_free. */
FR_API int fr_store_history(fr_store *s, int64_t traveller_id, fr_history **out, fr_error *err);

/* Call fn for each event, in arrival order, whose local date is within
 * [from, to] (either may be FR_DATE_NONE: open). ev->reasons_json points into
 * the store and is valid during the call only. A non-zero return from fn
 * stops the walk and is returned. */
typedef int (*fr_store_event_fn)(void *ud, const fr_event *ev);
FR_API int fr_store_export(fr_store *s, fr_date from, fr_date to, fr_store_event_fn fn, void *ud,
                           fr_error *err);
/* fr_store_export for statistics (alerts, what-if): the same events and
 * also the de-identified events of persons erased by fr_store_purge (their
 * document empty but for the nationality; traveller_id and event_id
 * "purged N" kept), so a report over it gives the same figures before and
 * after a purge. ev->traveller_id is set on every backend. */
FR_API int fr_store_export_stats(fr_store *s, fr_date from, fr_date to, fr_store_event_fn fn,
                                 void *ud, fr_error *err);

/* ---- Events by sequence (the analytics snapshot's feed) ----
 * Every recorded event gets a sequence number, increasing in the order
 * events are committed; the ledger is append-only, so the events with a
 * sequence above N are exactly those written since a reader saw N. */

/* What the analytics engine needs of one event. Strings point into the
 * store and are valid during the callback only. */
typedef struct fr_store_crossing {
    int64_t seq;          /* the event's sequence number (> 0) */
    int64_t traveller_id; /* the traveller holding the event's document */
    fr_event_kind kind;
    fr_date date;                                     /* local civil date */
    int64_t at_utc;                                   /* the instant (fr_datetime_utc) */
    const char *port, *nationality, *admission_class; /* "" when none */
    fr_date authorised_until;                         /* FR_DATE_NONE: not given */
} fr_store_crossing;

typedef int (*fr_store_crossing_fn)(void *ud, const fr_store_crossing *c);

/* The last sequence number (0: the ledger is empty) and a fingerprint of
 * the event holding it (its content digest), read in one consistent view:
 * a reader that stamped (seq, fingerprint) can later tell whether this is
 * still the same ledger (fr_store_sequence_fingerprint). */
FR_API int fr_store_last_sequence(fr_store *s, int64_t *seq, int64_t *fingerprint, fr_error *err);
/* The fingerprint of the event with sequence seq: FR_OK, or FR_ENOTFOUND
 * when there is no such event (another ledger, or one rebuilt). */
FR_API int fr_store_sequence_fingerprint(fr_store *s, int64_t seq, int64_t *fingerprint,
                                         fr_error *err);
/* Call fn for each event with a sequence in (after, upto] in sequence order
 * (upto <= 0: up to the last), in one read transaction. A non-zero return
 * from fn stops the walk and is returned. */
FR_API int fr_store_crossings_since(fr_store *s, int64_t after, int64_t upto,
                                    fr_store_crossing_fn fn, void *ud, fr_error *err);

/* Call fn for each whole event (as fr_store_export gives it, with its
 * sequence number) whose sequence is above `after`, in sequence order, at
 * most `limit` of them (0: no limit), in one read transaction: what a
 * border post sends to the central store (sync.h). ev->reasons_json is
 * valid during the call only. A non-zero return from fn stops the walk and
 * is returned. FR_EVERSION on a backend without it (PostgreSQL: a central
 * store is not synchronised upwards). */
typedef int (*fr_store_seq_event_fn)(void *ud, int64_t seq, const fr_event *ev);
FR_API int fr_store_events_since(fr_store *s, int64_t after, size_t limit, fr_store_seq_event_fn fn,
                                 void *ud, fr_error *err);

/* ---- Retention (retention.h, docs/retention.md) ----
 * A person whose every record is past its retention period is erased
 * whole, in one transaction with the rest of their batch: the traveller and
 * document rows are deleted (so the person can no longer be found by name
 * or document number), their link reviews deleted, their names and birth
 * date taken out of the linking frequencies (a row whose count falls to 0
 * is deleted), and the notes of link corrections about them blanked. Their
 * events stay, de-identified: kind, dates and times, port, nationality,
 * admission class, authorised stay, decision and the exit pairing, under the
 * same traveller number (which no row maps to a person any more) and the
 * same sequence number; the event id, officer, reasons and content digest
 * are replaced. So every report over fr_store_crossings_since (flows,
 * overstays, alerts, the analytics snapshot) is unchanged by construction,
 * while the export, the history and the events of fr_store_events_since
 * (which carry documents) no longer include them. */
struct fr_retention;

/* What a purge erased (or, dry run, would erase); added to by each batch. */
typedef struct fr_purge_counts {
    int64_t examined;   /* persons looked at (their latest record is old enough) */
    int64_t travellers; /* persons erased */
    int64_t documents;
    int64_t events[6];        /* de-identified, by fr_event_kind (index 1..5) */
    int64_t reviews;          /* link reviews deleted */
    int64_t by_rule[4];       /* persons by the rule that kept them longest (fr_retention_rule) */
    int64_t manifest_persons; /* airline manifest persons erased (filled by the caller that
                                 also runs fr_arrivals_purge; the store leaves it 0) */
} fr_purge_counts;

#define FR_PURGE_DRY_RUN 0x1u /* count only: write nothing */

/* One batch of the purge on as_of: the persons with a traveller number
 * above *cursor whose latest record is old enough to be due, at most
 * max_persons of them (0: 1000), in traveller order; each is erased when
 * fr_retention_keep_until over their events says so (FR_PURGE_DRY_RUN:
 * only counted). *cursor moves past the persons looked at; *done is 1 when
 * none is left. Start with *cursor 0 and call until *done: a run stopped at
 * any point (even killed) leaves whole persons erased or untouched, and a
 * new run from 0 finishes the work. Inside a batch (fr_store_batch_begin) it
 * writes in the batch's transaction, so an audit entry appended through the
 * store's connection (audit.h fr_audit_open_store) commits with it; else in
 * one transaction of its own. FR_EINVAL (bad retention), FR_EBUSY,
 * FR_ESTORE. */
FR_API int fr_store_purge(fr_store *s, const struct fr_retention *r, fr_date as_of, unsigned flags,
                          int64_t *cursor, size_t max_persons, fr_purge_counts *counts, int *done,
                          fr_error *err);

/* The number of events in the ledger and a digest of every one of them
 * (its content, the document's person fields and the document as read),
 * independent of order and backend: two ledgers holding the same events give
 * the same pair (frontera migrate checks a copy with it). */
FR_API int fr_store_digest(fr_store *s, uint64_t *count, uint64_t *digest, fr_error *err);

/* Copy what has been committed to the store's write-ahead log into the
 * database file, without making any writer wait: SQLite runs a passive
 * checkpoint on this connection (the pages no reader still needs); a backend
 * that checkpoints on its own (PostgreSQL) does nothing. A server calls it
 * from a thread of its own, so that the thread committing admissions never
 * pays for the copy and its fsync. *log_frames (may be NULL) is the log's
 * length in pages afterwards, *copied (may be NULL) how many of them are in
 * the database file; both 0 when there is nothing to do, both -1 when another
 * connection was checkpointing (nothing done here). FR_OK, or FR_ESTORE (err
 * says why). */
FR_API int fr_store_checkpoint(fr_store *s, int64_t *log_frames, int64_t *copied, fr_error *err);

/* Read ahead, a little at a time, what recording will read (SQLite: the
 * travellers of each birth date, which the linking of a new document reads
 * and a connection that runs batches keeps in memory; docs/ledger.md). A
 * server's writer calls it while it has nothing to commit, so that a booth
 * does not pay for those reads on the first documents of each date after a
 * start. At most `dates` birth dates per call; *done (may be NULL) is 1 when
 * everything is read or the memory set aside for it is full (then further
 * calls return at once until something is forgotten: another connection
 * wrote, a merge, a rollback). Outside a batch. Changes no result: what is
 * read is exactly what the linking would read. FR_OK (a backend without it:
 * *done 1), or a store error. */
FR_API int fr_store_warm(fr_store *s, size_t dates, int *done, fr_error *err);

/* 1 when the store's connection to its database is gone (PostgreSQL: the
 * server restarted, or failed over, or the network dropped it; seen once an
 * operation failed on it): every later operation fails, and the store is to
 * be closed and opened again. 0 otherwise, and always for SQLite. */
FR_API int fr_store_lost(fr_store *s);

#ifdef __cplusplus
}
#endif
#endif
