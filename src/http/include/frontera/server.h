/* SPDX-License-Identifier: MIT */
/* server.h: the frontera HTTP server: a JSON API over the ledger, the
 * admission decision, the policy in force, reports, users and the audit log.
 *
 * libmicrohttpd runs an internal thread pool (one epoll loop per thread);
 * each request borrows a worker context (its own fr_store, fr_auth and
 * screening handles) from a pool, so no handle is shared between threads.
 * Every route but GET /healthz and the browser pages (webassets.h, GET
 * outside /v1) needs "Authorization: Bearer TOKEN" (auth.h) and the role's
 * permission. Errors are RFC 9457 problem documents
 * (application/problem+json) with the field at fault in "field". Every read
 * or write of a personal record is appended to the audit log (audit.h) and
 * committed before the answer is sent; appends from all threads are grouped
 * into one transaction per disk flush (group commit). The policy in force is
 * swapped atomically by PUT /v1/policy: requests hold a reference to the
 * version they started with until they finish. Routes, bodies and answers:
 * docs/server.md and docs/openapi.yaml.
 *
 * The server reads no clock and no environment of its own: the caller passes
 * the clocks and the access-log sink. The access log holds the method, the
 * route template, the status and the latency - never a name, a document
 * number or a traveller id.
 *
 * Threads: fr_server_start and fr_server_stop from one controlling thread. */
#ifndef FRONTERA_SERVER_H
#define FRONTERA_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/screen.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_SERVER_DEFAULT_BODY_MAX (1u << 20)  /* 1 MiB: larger bodies get 413 */
#define FR_SERVER_DEFAULT_TIMEOUT_S 30         /* idle connection timeout */
#define FR_SERVER_DEFAULT_MAX_CONNECTIONS 1024 /* open connections in all */
#define FR_SERVER_DEFAULT_PER_ADDRESS 64       /* open connections from one client address */
#define FR_SERVER_BATCH_MAX 1000               /* events in one POST /v1/events */
#define FR_SERVER_DEFAULT_THREADS 16 /* requests worked at once: they wait on disk flushes */

typedef struct fr_server_config {
    const char *db_path;      /* the ledger database (required; created when missing) */
    const char *replica_path; /* aggregate reports read this copy (a PostgreSQL hot standby),
                                 or NULL: the ledger database */
    /* The analytics snapshot the report index starts from (snapshot.h), or
     * NULL: LEDGER.analytics beside an SQLite ledger, none for PostgreSQL
     * (the index is built from the store at the first report). */
    const char *snapshot_path;
    const char *host;         /* IPv4 or IPv6 literal to listen on (NULL: 127.0.0.1) */
    uint16_t port;            /* 0: any free port (fr_server_port tells which) */
    unsigned threads;         /* requests worked at once (0: FR_SERVER_DEFAULT_THREADS) */
    size_t body_max;          /* request body limit in bytes (0: the default) */
    unsigned timeout_s;       /* idle connection timeout (0: the default) */
    unsigned max_connections; /* 0: FR_SERVER_DEFAULT_MAX_CONNECTIONS */
    /* Connections one client address may hold open at once (0: the default,
     * FR_SERVER_DEFAULT_PER_ADDRESS; never more than max_connections): one
     * client holding idle connections cannot lock the others out. */
    unsigned per_address;
    /* The policy: its text (parsed at start; a bad policy fails the start)
     * and the file PUT /v1/policy rewrites (keeping FILE.prev), or NULL when
     * the policy may not be changed through the API (PUT answers 409). */
    const char *policy_text;
    size_t policy_len;
    const char *policy_path;
    /* How often, in ms, the server reads the policy version the ledger holds
     * and puts a newer one (another server's PUT) in force; 0: every 2,000. */
    unsigned policy_follow_ms;
    const fr_screen_index *screen; /* watchlist index (borrowed), or NULL */
    const fr_docindex *lost_docs;  /* lost/stolen documents (borrowed), or NULL */
    /* A central: the watchlist directory it serves its border posts
     * (GET /v1/sync/watchlist: every *.wl.csv in it as one canonical CSV;
     * GET /v1/sync/lost-stolen: its lost-stolen.docs.csv), read again when
     * a file changes; NULL: those routes answer 404. docs/sync.md. */
    const char *lists_dir;
    /* Clocks: wall time in ms since the epoch (UTC) for the audit log, and a
     * monotonic clock in ns for latencies. Both required. */
    int64_t (*now_ms)(void *ud);
    int64_t (*mono_ns)(void *ud);
    void *clock_ud;
    /* One access-log line per request (no newline), from any thread; and
     * server errors (a store that fails). NULL: none. */
    void (*log)(void *ud, const char *line);
    void *log_ud;
    /* A border post's server (docs/sync.md): returns 1 while the post decides
     * offline (its last attempt to reach the central failed), with *since_ms
     * the last time it did reach it (0: never). Admissions decided then carry
     * the reason "post.offline", kept with the recorded event. NULL: never
     * offline. Called from any thread. */
    int (*offline)(void *ud, int64_t *since_ms);
    void *offline_ud;
    /* A border post's server: the status of its sync with the central, the
     * answer of GET /v1/sync/status (docs/sync.md; the sync layer writes it,
     * fr_sync_status_json): the JSON object into *json (fr_free) and *len,
     * as of now_ms (this server's clock), or an error (err, no personal data).
     * NULL: the route answers {"configured": false}. Called from any thread. */
    int (*sync_status)(void *ud, int64_t now_ms, char **json, size_t *len, fr_error *err);
    void *sync_status_ud;
    /* https: the server's certificate (chain) and private key as PEM text,
     * both or neither (NULL: plain http); TLS by libmicrohttpd with GnuTLS.
     * Copied at start; FR_EINVAL (field "tls") when only one is given, when
     * libmicrohttpd was built without TLS, or when they do not load. */
    const char *tls_cert_pem;
    const char *tls_key_pem;
} fr_server_config;

typedef struct fr_server fr_server;

/* Start listening and serving. FR_OK and *out, or FR_EINVAL (config; err
 * names the field), the policy's first error (err has line and column),
 * FR_ESTORE/FR_EBUSY/FR_EVERSION (database), FR_EIO (cannot listen: the port
 * is taken). */
int fr_server_start(const fr_server_config *cfg, fr_server **out, fr_error *err);

/* The port the server listens on (useful after port 0). */
uint16_t fr_server_port(const fr_server *s);

/* Put a new policy in force without a restart (a border post's server after
 * its background sync pulled one, docs/sync.md): the text is parsed whole
 * first; a policy without rules or for another jurisdiction is refused
 * (FR_EINVAL), as PUT /v1/policy refuses it; nothing is written to a file.
 * Requests in flight finish on the version they started with. *version
 * (may be NULL) the new version number. Thread-safe. */
int fr_server_set_policy(fr_server *s, const char *text, size_t len, uint64_t *version,
                         fr_error *err);

/* Put new screening lists in force without a restart: idx and docs (either
 * may be NULL) are borrowed until the server calls release(owner) (may be
 * NULL), once no request uses them any more (at the latest in
 * fr_server_stop). Each worker builds its screening context for the new
 * lists on its next request; a request in flight finishes on the lists it
 * started with, so no decision ever sees half of a list. On an error
 * (FR_ENOMEM) nothing changes and release is not called. Thread-safe. */
int fr_server_swap_lists(fr_server *s, const fr_screen_index *idx, const fr_docindex *docs,
                         void (*release)(void *owner), void *owner, fr_error *err);

/* Graceful stop: stop accepting connections, let the requests in flight
 * finish (at most drain_ms; keep-alive connections are told to close),
 * commit the pending audit entries, close every handle and free s. NULL is
 * a no-op. Returns the number of requests still in flight when the drain
 * time ran out (0 when all finished). */
unsigned fr_server_stop(fr_server *s, unsigned drain_ms);

#ifdef __cplusplus
}
#endif
#endif
