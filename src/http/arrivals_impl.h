/* SPDX-License-Identifier: MIT */
/* arrivals_impl.h: the backend interface behind arrivals.h (arrivals_sqlite.c,
 * arrivals_pg.c). Keys, digests and row conversions are done once, in
 * arrivals.c. Library-internal. */
#ifndef FR_ARRIVALS_IMPL_H
#define FR_ARRIVALS_IMPL_H

#include "frontera/arrivals.h"

/* One manifest row as the backends store it. */
typedef struct fr_arrivals_row {
    const char *sender, *ref, *control_ref, *flight, *port;
    fr_date arrival_date;
    int arrival_minute; /* -1: no time */
    int64_t digest;     /* of the persons and header: tells a replay from a conflict */
    int64_t received_ms;
} fr_arrivals_row;

/* One person to erase (fr_arrivals_purge). */
typedef struct fr_arrivals_frozen {
    int64_t manifest_id;
    int idx;
    int stored; /* FR_MANIFEST_FOLDED or FR_MANIFEST_STORED(outcome) */
} fr_arrivals_frozen;

typedef struct fr_arrivals_ops {
    void (*close)(fr_arrivals *a);
    /* store the manifest and its persons in one transaction; when the key
     * exists, *id and *stored_digest are the stored one's and nothing is
     * written (*existed = 1) */
    int (*insert)(fr_arrivals *a, const fr_arrivals_row *row, const fr_manifest_expected *x,
                  size_t n, int64_t *id, int *existed, int64_t *stored_digest, fr_error *err);
    int (*expected)(fr_arrivals *a, fr_date from, fr_date to, const char *port, const char *flight,
                    fr_manifest_expected **out, size_t *n, fr_error *err);
    /* the first and last arrival dates recorded (FR_DATE_NONE both: none) */
    int (*span)(fr_arrivals *a, fr_date *first, fr_date *last, fr_error *err);
    /* erase the names, birth dates and document numbers of n persons,
     * keeping each one's outcome (fr_manifest_expected.stored), in one
     * transaction */
    int (*freeze)(fr_arrivals *a, const fr_arrivals_frozen *v, size_t n, fr_error *err);
    /* NULL: never; else 1 when the connection is gone (fr_arrivals_lost) */
    int (*lost)(fr_arrivals *a);
} fr_arrivals_ops;

struct fr_arrivals {
    const fr_arrivals_ops *ops;
};

/* Append one person to a growing array (both backends' row loops). */
int fr__arrivals_push(fr_manifest_expected **v, size_t *n, size_t *cap, fr_error *err);

int fr__arrivals_sqlite_open(const char *path, fr_arrivals **out, fr_error *err);
int fr__arrivals_pg_open(const char *conninfo, fr_arrivals **out, fr_error *err);

#endif
