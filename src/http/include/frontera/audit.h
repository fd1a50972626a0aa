/* SPDX-License-Identifier: MIT */
/* audit.h: the append-only audit log: who did what, when, from where, to
 * which record, with what result - chained by hashes so tampering shows.
 *
 * Entry n (n = 1, 2, ...) stores prev = the hash of entry n-1 (32 zero bytes
 * for entry 1) and hash = BLAKE2b-256 over "frontera-audit-v1", prev, and its
 * own content (seq, time, status, then actor, role, action, object, origin,
 * detail, each length-prefixed so no two contents encode alike). Editing an
 * entry breaks its own hash; removing or reordering entries breaks the link
 * or the sequence of the next one. Truncating the tail or rewriting the whole
 * chain is caught only against a head hash kept elsewhere: fr_audit_verify
 * reports the head, and `frontera audit verify --expect-head HEX` checks it.
 *
 * Appends are durable when FR_OK is returned (one transaction per call,
 * synchronous=FULL); several records may be appended in one call (the
 * server's group commit). Several processes may append to one database: the
 * head is read inside the write transaction. The table refuses UPDATE and
 * DELETE by trigger, so only a deliberate edit of the file gets past it.
 *
 * Storage: table audit_log in the ledger's SQLite file, version in
 * fr_module_schema (src/audit_sqlite.c). One handle per thread. The library
 * reads no clock: callers pass the time. Never put a document number or a
 * name in stderr logs: the audit log itself is the place for the record id. */
#ifndef FRONTERA_AUDIT_H
#define FRONTERA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_AUDIT_HASH_BYTES 32
/* Field limits in bytes (without the NUL); longer values are FR_EINVAL. */
#define FR_AUDIT_ACTOR_MAX 48
#define FR_AUDIT_ROLE_MAX 16
#define FR_AUDIT_ACTION_MAX 40
#define FR_AUDIT_OBJECT_MAX 128
#define FR_AUDIT_ORIGIN_MAX 64
#define FR_AUDIT_DETAIL_MAX 512

/* What to append. Strings may be NULL (stored as ""). */
typedef struct fr_audit_record {
    int64_t at_ms;     /* when, ms since the epoch, UTC */
    const char *actor; /* user name, or "cli:USER" for the command line */
    const char *role;  /* the actor's role */
    const char
        *action; /* "traveller.read", "admission.record", "event.record", "policy.write" ... */
    const char *object; /* "traveller:42", "event:ADM-...", "user:ana" ... */
    const char *origin; /* client address, or "cli" */
    int status;         /* HTTP status of the answer, or 0 */
    const char *detail; /* short free text (a supervisor's reason) */
} fr_audit_record;

/* One stored entry. */
typedef struct fr_audit_entry {
    int64_t seq;
    int64_t at_ms;
    char actor[FR_AUDIT_ACTOR_MAX + 1];
    char role[FR_AUDIT_ROLE_MAX + 1];
    char action[FR_AUDIT_ACTION_MAX + 1];
    char object[FR_AUDIT_OBJECT_MAX + 1];
    char origin[FR_AUDIT_ORIGIN_MAX + 1];
    int status;
    char detail[FR_AUDIT_DETAIL_MAX + 1];
    unsigned char prev[FR_AUDIT_HASH_BYTES];
    unsigned char hash[FR_AUDIT_HASH_BYTES];
    /* Set when reading: the column whose stored value is not exactly what an
     * append writes (another type, a NUL byte inside the text, text longer
     * than the field, a hash not 32 bytes); "" when the row is well-formed.
     * The hash covers the fields as read, so fr_audit_verify refuses such a
     * row: every stored byte and every type is covered. */
    char bad_column[16];
} fr_audit_entry;

typedef struct fr_audit fr_audit;

/* Open the audit table in the database at path ("sqlite:PATH" or a file
 * path), creating or migrating it. Errors as fr_auth_open. */
int fr_audit_open(const char *path, fr_audit **out, fr_error *err);

struct fr_store;
/* The audit table in the store's own database, written through the store's
 * connection: fr_audit_append on it joins the store's open batch
 * (fr_store_batch_begin ... fr_store_batch_commit), so the ledger rows and
 * their audit entries commit (or roll back) together, in one disk flush.
 * Appending with no batch open is refused (FR_EINVAL). Reads (walk, about,
 * verify) work at any time. The store must outlive the audit and both are
 * used from one thread. On SQLite it migrates the audit table as
 * fr_audit_open does; on PostgreSQL the table must exist (fr_audit_open).
 * FR_EINVAL when the store's backend does not share its connection (the
 * caller then appends through fr_audit_open, a transaction of its own). */
int fr_audit_open_store(struct fr_store *store, fr_audit **out, fr_error *err);
void fr_audit_close(fr_audit *a); /* NULL is a no-op */

/* Append n records (n >= 1) in one durable transaction (for an audit opened
 * on a store: in the store's open batch), chained after the current head. *first_seq (may be NULL)
 * receives the first one's number. FR_EINVAL (a field too long: err->field names it; nothing
 * written), FR_EBUSY, FR_ESTORE. */
int fr_audit_append(fr_audit *a, const fr_audit_record *recs, size_t n, int64_t *first_seq,
                    fr_error *err);

/* The hash of entry e chained after prev (e->prev and e->hash are not
 * read). Pure. */
void fr_audit_entry_hash(const fr_audit_entry *e, const unsigned char prev[FR_AUDIT_HASH_BYTES],
                         unsigned char out[FR_AUDIT_HASH_BYTES]);

typedef struct fr_audit_verify_result {
    int64_t entries;                         /* entries checked */
    int ok;                                  /* 1 when the whole chain holds */
    int64_t first_bad;                       /* seq of the first broken entry (0 when ok) */
    char reason[256];                        /* why it is broken, a sentence */
    unsigned char head[FR_AUDIT_HASH_BYTES]; /* hash of the last entry (zeros: empty log) */
    int64_t head_seq;
} fr_audit_verify_result;

/* Walk the whole chain in order and check every link: every row of the
 * table, numbered 1, 2, ... without gaps (a row numbered 0 or below breaks
 * the chain), each of the types an append writes. FR_OK whether or not the
 * chain holds (see res->ok); an error only when it could not be read. */
int fr_audit_verify(fr_audit *a, fr_audit_verify_result *res, fr_error *err);

/* Call fn for each entry with seq >= from_seq, in order, at most limit (0:
 * all). A non-zero return from fn stops the walk and is returned. */
typedef int (*fr_audit_entry_fn)(void *ud, const fr_audit_entry *e);
int fr_audit_walk(fr_audit *a, int64_t from_seq, size_t limit, fr_audit_entry_fn fn, void *ud,
                  fr_error *err);

/* Call fn for the entries about one object ("traveller:42"), newest first,
 * at most limit (0: all): who looked at a record, and when. Entries whose
 * object starts with it and a space ("traveller:42 event:ADM-1": an admission
 * recorded for that traveller) are about it too; rows numbered 0 or below
 * (never written by an append) are left out. */
int fr_audit_about(fr_audit *a, const char *object, size_t limit, fr_audit_entry_fn fn, void *ud,
                   fr_error *err);

/* Hex text of a hash into out (2 * FR_AUDIT_HASH_BYTES + 1 bytes). */
void fr_audit_hash_hex(const unsigned char h[FR_AUDIT_HASH_BYTES],
                       char out[2 * FR_AUDIT_HASH_BYTES + 1]);

#ifdef __cplusplus
}
#endif
#endif
