/* SPDX-License-Identifier: MIT */
/* audit_impl.h: the backend interface behind audit.h. A backend stores
 * entries and hands them back in order; chaining and checking are done once,
 * in audit.c. Library-internal. */
#ifndef FR_AUDIT_IMPL_H
#define FR_AUDIT_IMPL_H

#include "frontera/audit.h"

typedef struct fr_audit_ops {
    void (*close)(fr_audit *a);
    int (*begin)(fr_audit *a, fr_error *err); /* a write transaction holding the log's lock */
    int (*commit)(fr_audit *a, fr_error *err);
    void (*rollback)(fr_audit *a);
    /* the last entry's seq and hash, inside the transaction (seq 0: empty) */
    int (*head)(fr_audit *a, int64_t *seq, unsigned char *hash, fr_error *err);
    int (*insert)(fr_audit *a, const fr_audit_entry *e, fr_error *err);
    int (*walk)(fr_audit *a, int64_t from_seq, size_t limit, fr_audit_entry_fn fn, void *ud,
                fr_error *err);
    int (*about)(fr_audit *a, const char *object, size_t limit, fr_audit_entry_fn fn, void *ud,
                 fr_error *err); /* entries for one object, newest first */
} fr_audit_ops;

struct fr_audit {
    const fr_audit_ops *ops;
};

int fr__audit_sqlite_open(const char *path, fr_audit **out, fr_error *err);
int fr__audit_pg_open(const char *conninfo, fr_audit **out, fr_error *err); /* audit_pg.c */
/* An audit on a store's connection (fr_audit_open_store): begin joins the
 * store's open transaction (and refuses when there is none), commit and
 * rollback leave it to the store, close leaves the connection open. */
int fr__audit_sqlite_attach(void *sqlite_db, fr_audit **out, fr_error *err);
int fr__audit_pg_attach(void *pg_conn, fr_audit **out, fr_error *err); /* audit_pg.c */

#endif
