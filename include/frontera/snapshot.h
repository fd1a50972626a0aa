/* SPDX-License-Identifier: MIT */
/* snapshot.h: the analytics index persisted beside the ledger, so a report
 * starts in milliseconds instead of re-reading every event.
 *
 * A snapshot file ("LEDGER.analytics") holds the index's columns, its
 * dictionaries, its traveller table with the pairing and its zone maps, laid
 * out as in memory: opening it maps the file (no parsing) and checks one
 * checksum per section. It is stamped with the ledger's last event sequence
 * and that event's fingerprint (store.h, fr_store_last_sequence) and with the
 * ledger schema version. Opening compares the stamp with the ledger:
 * - the same ledger, further on: the events written since are read and
 *   appended (late events re-pair exactly as in a fresh load);
 * - another ledger, another schema or format, a truncated, damaged or foreign
 *   file: the index is rebuilt from the ledger, and info says why.
 * A snapshot is never changed in place: a new one is written to a temporary
 * file, synced and renamed over the old, so readers that mapped the old one
 * keep a consistent view. One process writes at a time (an advisory lock on
 * "LEDGER.analytics.lock"); others skip the write and keep going. The file
 * holds pseudonymous records (traveller numbers, dates, nationalities) and is
 * created readable by its owner only.
 *
 * Ownership: *out from fr_snapshot_open/read is the caller's
 * (fr_analytics_free). Threads: as analytics.h. The library never prints. */
#ifndef FRONTERA_SNAPSHOT_H
#define FRONTERA_SNAPSHOT_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/analytics.h"
#include "frontera/status.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The snapshot file format this build reads and writes. */
#define FR_SNAPSHOT_FORMAT 2

/* fr_snapshot_open flags */
#define FR_SNAPSHOT_NO_SAVE 0x1u /* never write the file (read-only use) */
#define FR_SNAPSHOT_SAVE 0x2u    /* write it whenever the index changed */
/* Check each column's checksum and references when a function first reads
 * it rather than at open: a report that reads few columns (flows counted in
 * events read the dates and the attributes) maps and checks only those. A
 * column found damaged then makes that function fail with FR_EPARSE (err
 * names the file and the section) and read nothing of it; opening again
 * without this flag rebuilds the file. The zones and dictionaries are
 * checked at open either way. */
#define FR_SNAPSHOT_LAZY 0x4u
/* Without either flag the file is written after a rebuild, or when the
 * events read since the stamp reach FR_SNAPSHOT_SAVE_EVERY or 1/64 of the
 * index: a few thousand new events are cheaper to re-read than to rewrite. */
#define FR_SNAPSHOT_SAVE_EVERY 65536u

typedef enum fr_snapshot_how {
    FR_SNAPSHOT_CURRENT = 1, /* the file matched the ledger as it is */
    FR_SNAPSHOT_REFRESHED,   /* the file plus the events written since */
    FR_SNAPSHOT_REBUILT      /* read from the whole ledger (reason says why) */
} fr_snapshot_how;

typedef struct fr_snapshot_info {
    fr_snapshot_how how;
    int saved;            /* 1: the file was written */
    int64_t seq;          /* the ledger sequence the index holds events up to */
    size_t new_events;    /* events read from the ledger */
    uint64_t file_bytes;  /* size of the file read or written (0: none) */
    char reason[256];     /* why it was rebuilt, as a sentence; "" otherwise */
    char save_error[256]; /* why saving failed or was skipped; "" otherwise */
    /* the same two as errors (code FR_OK when none): they keep their formats
     * and values, so a program can say them in its language (status.h) */
    fr_error why, save_why;
} fr_snapshot_info;

/* The snapshot path for a ledger given as to fr_store_open ("PATH" or
 * "sqlite:PATH"): PATH.analytics. FR_ELIMIT when it does not fit in cap;
 * FR_ENOTFOUND for a PostgreSQL ledger, which has no file beside it (the
 * index is then built in memory: fr_analytics_refresh on a new index). */
FR_API int fr_snapshot_path(const char *ledger, char *out, size_t cap);

/* The analytics index of store s, current to its last event, from the
 * snapshot at path (see above). A problem with the snapshot is not an error
 * (info->reason says what was wrong, and the index is rebuilt); failing to
 * save is not either (info->save_error). Errors: those of the store
 * (FR_ESTORE, FR_EBUSY), of the index (analytics.h), FR_ENOMEM. */
FR_API int fr_snapshot_open(const char *path, fr_store *s, unsigned flags, fr_analytics **out,
                            fr_snapshot_info *info, fr_error *err);

/* The analytics index of the ledger `ledger` (as given to fr_store_open),
 * opened as s: from its snapshot file (fr_snapshot_open) for a SQLite
 * ledger, built in memory for a PostgreSQL one (info->how REBUILT, no file).
 * Errors: as fr_snapshot_open, FR_ELIMIT when the path is too long. */
FR_API int fr_snapshot_load(const char *ledger, fr_store *s, unsigned flags, fr_analytics **out,
                            fr_snapshot_info *info, fr_error *err);

/* Map and check the snapshot file at path without a ledger. Errors:
 * FR_ENOTFOUND (no file), FR_EIO, FR_EPARSE (truncated, damaged or not a
 * snapshot: err says which), FR_EVERSION (another format or byte order). */
FR_API int fr_snapshot_read(const char *path, fr_analytics **out, uint64_t *file_bytes,
                            fr_error *err);

/* Write a (re-paired first) atomically to path: temporary file, fsync,
 * rename, fsync of the directory. FR_EBUSY when another process is writing
 * it; FR_EIO otherwise (err says which call failed). */
FR_API int fr_snapshot_write(fr_analytics *a, const char *path, uint64_t *file_bytes,
                             fr_error *err);

/* Append to a the store's events written after a's stamp (its sequence),
 * and stamp it with the last one; *added (may be NULL) counts them. An index
 * made without a store starts at sequence 0: it then takes every event. */
FR_API int fr_analytics_refresh(fr_analytics *a, fr_store *s, size_t *added, fr_error *err);

/* The ledger sequence a holds events up to (0: none, or not from a store). */
FR_API int64_t fr_analytics_sequence(const fr_analytics *a);

#ifdef __cplusplus
}
#endif
#endif
