/* SPDX-License-Identifier: MIT */
/* auth_impl.h: the backend interface behind auth.h, and the SQLite helpers
 * shared by the auth and audit backends (both keep their tables in the
 * ledger's database file, each with its own version in fr_module_schema).
 * Library-internal. */
#ifndef FR_AUTH_IMPL_H
#define FR_AUTH_IMPL_H

#include <sqlite3.h>

#include "frontera/auth.h"

typedef struct fr_auth_ops {
    void (*close)(fr_auth *a);
    /* insert a user (ports: "" but for a post); FR_EEXIST when the name is taken */
    int (*insert)(fr_auth *a, const char *name, fr_role role, const char *ports,
                  const unsigned char *hash, int64_t now_ms, fr_error *err);
    /* set a new hash of an active user; else FR_ENOTFOUND (no such user) or
     * FR_ECONFLICT (revoked), err left to fr_auth_user_rotate, which words both */
    int (*set_hash)(fr_auth *a, const char *name, const unsigned char *hash, fr_error *err);
    int (*revoke)(fr_auth *a, const char *name, int64_t now_ms, fr_error *err);
    int (*list)(fr_auth *a, fr_user **out, size_t *n, fr_error *err);
    /* the user whose token hash is `hash` (active or not) and the stored
     * hash; FR_ENOTFOUND */
    int (*find)(fr_auth *a, const unsigned char *hash, fr_user *user, unsigned char *stored,
                fr_error *err);
    /* NULL: never; else 1 when the connection is gone (fr_auth_lost) */
    int (*lost)(fr_auth *a);
} fr_auth_ops;

struct fr_auth {
    const fr_auth_ops *ops;
};

int fr__auth_sqlite_open(const char *path, fr_auth **out, fr_error *err);
int fr__auth_pg_open(const char *conninfo, fr_auth **out, fr_error *err); /* auth_pg.c */

#endif
