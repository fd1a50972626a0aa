/* SPDX-License-Identifier: MIT */
/* auth.h: users, roles and bearer tokens for the frontera server.
 *
 * A user has a name, one role and at most one live token. A token is 32
 * random bytes from libsodium (randombytes_buf), shown to the caller once as
 * text ("frt_" + 43 characters of unpadded base64url) and stored only as a
 * hash: BLAKE2b-256 (crypto_generichash) keyed with a fixed domain-separation
 * key. A slow password hash is not needed: a 256-bit random token cannot be
 * guessed from its hash. A presented token is hashed, its row found by the
 * hash, and the stored hash compared again with sodium_memcmp (constant
 * time). Revoking a user (or issuing a new token) makes the old token fail at
 * once, in every process sharing the database.
 *
 * Roles and what they may do (fr_role_may):
 *   officer     admissions, events, traveller records, policy (read), the
 *               post's sync status
 *   supervisor  as officer, plus overrides of referrals and reports/alerts
 *   analyst     aggregate reports and alerts, policy (read): never a personal record
 *   admin       users, policy (read and write), watchlists, traveller records, reports,
 *               the post's sync status
 *   carrier     an airline's system: pre-arrival checks of its own manifests
 *               (POST /v1/manifests) and nothing else
 *   post        a border post's server sending its events to the central
 *               store (POST /v1/events, sync.h): events of its own ports only
 *               (fr_user.ports), each keeping the officer the post recorded;
 *               and reading the policy in force (GET /v1/policy) to pull it
 *
 * Storage: tables auth_users and fr_module_schema in the ledger's SQLite file
 * (src/auth_sqlite.c; SQL lives only there, behind src/auth_impl.h so another
 * backend can follow). The ledger schema must exist first (fr_store_open).
 * Threads: one fr_auth handle per thread. The library reads no clock: the
 * caller passes the time (milliseconds since the epoch, UTC). */
#ifndef FRONTERA_AUTH_H
#define FRONTERA_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_role {
    FR_ROLE_NONE = 0,
    FR_ROLE_OFFICER = 1,
    FR_ROLE_SUPERVISOR = 2,
    FR_ROLE_ANALYST = 3,
    FR_ROLE_ADMIN = 4,
    FR_ROLE_CARRIER = 5,
    FR_ROLE_POST = 6
} fr_role;

/* "officer", "supervisor", "analyst", "admin", "carrier", "post"; "" for FR_ROLE_NONE. */
const char *fr_role_name(fr_role r);
/* Parse an exact lower-case role name; FR_ROLE_NONE when unknown. */
fr_role fr_role_parse(const char *s, size_t len);

typedef enum fr_perm {
    FR_PERM_ADMIT = 1,     /* POST /v1/admissions */
    FR_PERM_EVENTS = 2,    /* POST /v1/events */
    FR_PERM_TRAVELLER = 3, /* GET /v1/travellers/{id}: a personal record */
    FR_PERM_OVERRIDE = 4,  /* a supervisor's decision on a referral */
    FR_PERM_REPORTS = 5,   /* aggregate reports and alerts */
    FR_PERM_POLICY_READ = 6,
    FR_PERM_POLICY_WRITE = 7,
    FR_PERM_USERS = 8,
    FR_PERM_MANIFEST = 9,     /* POST /v1/manifests: pre-arrival checks of a manifest */
    FR_PERM_REVIEW = 10,      /* document-link reviews: see the evidence, link, keep apart, split */
    FR_PERM_ENFORCEMENT = 11, /* GET /v1/overstayers: named people past their stay */
    FR_PERM_SYNC_PULL = 12, /* GET /v1/sync/...: a post pulls lists and histories (docs/sync.md) */
    FR_PERM_SYNC_STATUS = 13,          /* GET /v1/sync/status: a post's own sync, for its staff */
    FR_PERM_LAST = FR_PERM_SYNC_STATUS /* the highest: fr_role_may bounds-checks against it */
} fr_perm;

/* 1 when role r may do p, else 0. Pure. */
int fr_role_may(fr_role r, fr_perm p);

#define FR_USER_NAME_MAX 48 /* [A-Za-z0-9._@-], 1..48 bytes */
#define FR_TOKEN_BYTES 32   /* random bytes in a token */
#define FR_TOKEN_PREFIX "frt_"
#define FR_TOKEN_TEXT_LEN 47 /* "frt_" + 43 base64url characters */
#define FR_TOKEN_BUFSZ 48    /* text and its NUL */
#define FR_TOKEN_HASH_BYTES 32
/* A post's ports: UN/LOCODEs separated by commas, at most 16 of them. */
#define FR_USER_PORTS_MAX 95

typedef struct fr_user {
    int64_t id;
    char name[FR_USER_NAME_MAX + 1];
    fr_role role;
    int64_t created_ms;                /* ms since the epoch, UTC */
    int64_t revoked_ms;                /* 0 while active */
    char ports[FR_USER_PORTS_MAX + 1]; /* role post: "ECUIO,ECTUL"; else "" */
} fr_user;

typedef struct fr_auth fr_auth;

/* Open the user table in the database at path (an SQLite file path or
 * "sqlite:PATH"), creating or migrating it. FR_ENOTFOUND when there is no
 * database file, FR_EVERSION when the tables were written by a newer
 * frontera, FR_EBUSY, FR_ESTORE. *out: fr_auth_close. */
int fr_auth_open(const char *path, fr_auth **out, fr_error *err);
void fr_auth_close(fr_auth *a); /* NULL is a no-op */

/* 1 when a's connection to its database is gone (PostgreSQL restarted or
 * failed over): close it and open it again. 0 otherwise, always for SQLite. */
int fr_auth_lost(fr_auth *a);

/* Is the user name acceptable? FR_OK or FR_EINVAL with err (field "name"). */
int fr_auth_check_name(const char *name, fr_error *err);

/* Add a user with a new token, written to token (shown once; not kept).
 * FR_EEXIST when the name is taken (active or revoked), FR_EINVAL for a bad
 * name or role, FR_EIO when no randomness, store errors. */
int fr_auth_user_add(fr_auth *a, const char *name, fr_role role, int64_t now_ms,
                     char token[FR_TOKEN_BUFSZ], fr_error *err);
/* Add a user of role post scoped to ports (UN/LOCODEs separated by
 * commas, 1 to 16, fr_event_check_port each), as fr_auth_user_add.
 * FR_EINVAL (field "ports") for a bad list. */
int fr_auth_user_add_post(fr_auth *a, const char *name, const char *ports, int64_t now_ms,
                          char token[FR_TOKEN_BUFSZ], fr_error *err);
/* May user u record an event at port? 1 for every role but post; for a
 * post, when port is one of u->ports. Pure. */
int fr_auth_port_allowed(const fr_user *u, const char *port);

/* Give an active user a new token (the old one stops working).
 * FR_ENOTFOUND when there is no such user, FR_ECONFLICT when the user is
 * revoked: a revoked user stays revoked (add a new user instead). */
int fr_auth_user_rotate(fr_auth *a, const char *name, int64_t now_ms, char token[FR_TOKEN_BUFSZ],
                        fr_error *err);
/* Revoke a user's token: it fails from now on. FR_ENOTFOUND when there is no
 * such user; revoking a revoked user is FR_OK and keeps the first time. */
int fr_auth_user_revoke(fr_auth *a, const char *name, int64_t now_ms, fr_error *err);
/* All users by name. *out (fr_free; NULL when none) and *n. */
int fr_auth_user_list(fr_auth *a, fr_user **out, size_t *n, fr_error *err);

/* Who holds this token? FR_OK and *user (active users only), or FR_EAUTH
 * for a malformed, unknown or revoked token (err says which, without the
 * token), or a store error. */
int fr_auth_check(fr_auth *a, const char *token, size_t len, fr_user *user, fr_error *err);

/* The stored hash of a token text (exposed for tests). FR_OK, or FR_EAUTH
 * when the text is not a well-formed token. */
int fr_auth_token_hash(const char *token, size_t len, unsigned char hash[FR_TOKEN_HASH_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
