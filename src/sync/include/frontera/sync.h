/* SPDX-License-Identifier: MIT */
/* sync.h: a border post that keeps working while the line is down sends
 * the events of its own ledger to the central store when it can.
 *
 * A post runs on its own SQLite ledger. fr_sync_push sends every event the
 * central has not acknowledged, in sequence order (store.h,
 * fr_store_events_since), in batches to the central's POST /v1/events as a
 * user of role post (auth.h); each event carries its id, its port, the
 * officer who recorded it and its time by the post's clock. The central
 * records a batch in one transaction and answers per event; the post then
 * moves its durable mark "acknowledged up to sequence N" (table sync_state
 * in the post's ledger, module "sync") past the batch in one transaction
 * with the events the central refused (sync_issues). So:
 * - a batch is sent again only when its answer was not kept (a crash, a
 *   dropped connection): the central takes a retried event as a no-op, so
 *   nothing is doubled; the mark never passes an event without an answer
 *   for it, so nothing is lost;
 * - an event whose id the central holds with other content ("conflict") or
 *   that it refuses ("rejected": a port not the post's, a bad field) is kept
 *   in sync_issues for a supervisor and never overwrites anything.
 * The token travels in the Authorization header only; neither it nor any
 * personal data is in an error message. https is checked against the system
 * CAs, a private CA (cainfo) and/or a pinned public key (pinned_key).
 *
 * The library reads no clock: the caller's clock function gives the post's
 * time (sent to the central, X-Frontera-Post-Clock, and used to measure
 * the skew against the central's Date header). Threads: one call at a time
 * per ledger handle; two pushes from one post at once only send some events
 * twice (no-ops at the central). */
#ifndef FRONTERA_SYNC_H
#define FRONTERA_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_SYNC_BATCH_DEFAULT 500
#define FR_SYNC_BATCH_MAX 1000 /* the central's FR_SERVER_BATCH_MAX */
#define FR_SYNC_URL_MAX 200

typedef struct fr_sync_config {
    const char *db;         /* the post's ledger (an SQLite file) */
    const char *central;    /* http://HOST:PORT or https://HOST:PORT (no path, no credentials) */
    const char *token;      /* the bearer token of a user of role post */
    size_t batch;           /* events per request, 1..FR_SYNC_BATCH_MAX (0: the default) */
    long timeout_ms;        /* per request (0: 30 s) */
    const char *cainfo;     /* PEM file of a private CA for https; NULL: the system's */
    const char *pinned_key; /* "sha256//BASE64" of the central's public key; NULL: none */
    int64_t (*clock_ms)(void *ud); /* the post's clock: ms since the epoch, UTC */
    void *clock_ud;
    size_t max_events; /* stop after this many events (0: all); for tests */
} fr_sync_config;

typedef struct fr_sync_report {
    size_t batches;    /* answered */
    size_t sent;       /* events in answered batches */
    size_t recorded;   /* new at the central */
    size_t duplicates; /* the central had them already (a retry) */
    size_t conflicts;  /* same id, other content: kept in sync_issues */
    size_t rejected;   /* refused by the central: kept in sync_issues */
    int64_t acked_seq; /* the mark after the push */
    int64_t waiting;   /* events after the mark */
    int have_skew;
    int64_t skew_ms; /* the central's clock minus the post's (+-1 s) */
} fr_sync_report;

/* Push every unacknowledged event (see above). FR_OK when the mark reached
 * the ledger's last event (or max_events were sent); conflicts and
 * rejections are counted in *rep and are not an error. Errors (the mark
 * stays after the last answered batch, *rep says what was done): FR_EIO
 * (the central cannot be reached, or answered 5xx: try again later),
 * FR_EAUTH (401/403: the token), FR_EPARSE (an answer that is not the
 * central's), FR_EINVAL (configuration), FR_ENOTFOUND (no ledger), store
 * errors. With nothing to send the central is still asked whether it
 * answers (GET /healthz): the skew is measured, and the outcome is kept in
 * sync_state (last success, last error) either way. */
int fr_sync_push(const fr_sync_config *cfg, fr_sync_report *rep, fr_error *err);

/* What a post officer sees. */
typedef struct fr_sync_status {
    char central[FR_SYNC_URL_MAX + 1];
    int64_t acked_seq;
    int64_t last_seq;                /* the ledger's last event */
    int64_t waiting;                 /* events not yet acknowledged */
    int64_t last_ok_ms, last_try_ms; /* 0: never */
    char last_error[200];            /* "" after a success */
    int have_skew;
    int64_t skew_ms;
    int64_t issues; /* conflicts and rejections kept */
} fr_sync_status;

/* The status of the post's sync with each central it has pushed to; with
 * `central` (not NULL), with that one only, even before its first push
 * (FR_EINVAL for an address fr_sync_push would refuse). *out (fr_free) and
 * *n. */
int fr_sync_status_get(const char *db, const char *central, fr_sync_status **out, size_t *n,
                       fr_error *err);

/* One event the central refused. Strings valid during the call. */
typedef struct fr_sync_issue {
    const char *central;
    int64_t seq;
    const char *event_id;
    const char *status; /* "conflict" or "rejected" */
    const char *field, *detail;
    int64_t at_ms; /* when the answer came (post clock) */
} fr_sync_issue;
typedef int (*fr_sync_issue_fn)(void *ud, const fr_sync_issue *issue);
/* Call fn for each kept issue in (central, sequence) order. */
int fr_sync_issues(const char *db, fr_sync_issue_fn fn, void *ud, fr_error *err);

/* Pull the central's policy into the file at path (GET /v1/policy as the
 * post user): the text must hash to the digest the central states
 * (BLAKE2b-256, as the server computes it) and parse as a whole
 * (fr_policy_parse); then, unless the file already holds exactly that text,
 * it is replaced atomically (a temporary file, fsync, rename, fsync of the
 * directory) after the old one is kept as path.prev. *version (the
 * central's policy version) and *digest (64 hex characters and a NUL) say
 * what the file now holds; *changed 1 when it was replaced. Errors: those
 * of fr_sync_push, FR_ECONFLICT (the text does not match its digest, or
 * does not parse: the file is left as it was), FR_EIO (the file). A running
 * server reads its policy at start: restart it, or PUT the file to it. */
int fr_sync_pull_policy(const fr_sync_config *cfg, const char *path, int64_t *version,
                        char digest[65], int *changed, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
