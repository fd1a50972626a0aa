/* SPDX-License-Identifier: MIT */
/* policy_store.h: the policy versions kept in the ledger's database (module
 * "policy", table policy_versions), so that every server process of one
 * ledger puts the same policy in force. A PUT /v1/policy adds the next
 * version; each server reads the latest one every few seconds
 * (server_policy.c). Versions are numbered 1, 2, ... by the ledger, never
 * reused: adding a version that another process added first fails with
 * FR_EEXIST, so two administrators cannot overwrite each other unseen.
 * Library-internal; a handle is used by one thread at a time. */
#ifndef FR_POLICY_STORE_H
#define FR_POLICY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

typedef struct fr__pstore fr__pstore;

typedef struct fr__pstore_version {
    int64_t version; /* 0: the ledger holds no policy */
    int64_t at_ms;   /* when it was added */
    char digest[65]; /* BLAKE2b-256 of the text, hex */
    char by[64];     /* who added it: a user name, or "serve" at a server's start */
    char *text;      /* fr_malloc'd, NUL-terminated; NULL when not asked for */
    size_t len;
} fr__pstore_version;

/* Open the module's table in the ledger at path (SQLite file or PostgreSQL
 * URI), creating it on first use. */
int fr__pstore_open(const char *path, fr__pstore **out, fr_error *err);
void fr__pstore_close(fr__pstore *p);
/* The latest version into *v (v->version 0 when there is none); its text
 * only when with_text (the caller frees v->text with fr_free). */
int fr__pstore_latest(fr__pstore *p, int with_text, fr__pstore_version *v, fr_error *err);
/* Add v (version, at_ms, digest, by, text, len). FR_EEXIST when that
 * version number is taken. */
int fr__pstore_add(fr__pstore *p, const fr__pstore_version *v, fr_error *err);
/* Every version, newest first, without their texts, into *out (fr_free)
 * and *n. */
int fr__pstore_list(fr__pstore *p, fr__pstore_version **out, size_t *n, fr_error *err);
/* Version `version` with its text into *v; FR_ENOTFOUND when there is none. */
int fr__pstore_get(fr__pstore *p, int64_t version, fr__pstore_version *v, fr_error *err);
/* 1 when the connection is gone (PostgreSQL): close and open again. */
int fr__pstore_lost(fr__pstore *p);

/* The backends (policy_store_sqlite.c, policy_store_pg.c). */
typedef struct fr__pstore_ops {
    void (*close)(fr__pstore *p);
    int (*latest)(fr__pstore *p, int with_text, fr__pstore_version *v, fr_error *err);
    int (*add)(fr__pstore *p, const fr__pstore_version *v, fr_error *err);
    int (*list)(fr__pstore *p, fr__pstore_version **out, size_t *n, fr_error *err);
    int (*get)(fr__pstore *p, int64_t version, fr__pstore_version *v, fr_error *err);
    int (*lost)(fr__pstore *p); /* NULL: never */
} fr__pstore_ops;

struct fr__pstore {
    const fr__pstore_ops *ops;
};

int fr__pstore_sqlite_open(const char *path, fr__pstore **out, fr_error *err);
int fr__pstore_pg_open(const char *conninfo, fr__pstore **out, fr_error *err);

#endif
