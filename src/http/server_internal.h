/* SPDX-License-Identifier: MIT */
/* server_internal.h: what the server's files share: the server object, the
 * per-request state, worker contexts, the policy reference, the audit group
 * commit, metrics, and the answer helpers. Library-internal. */
#ifndef FR_SERVER_INTERNAL_H
#define FR_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "frontera/admit.h"
#include "frontera/analytics.h"
#include "frontera/audit.h"
#include "frontera/auth.h"
#include "frontera/arrivals.h"
#include "frontera/policy.h"
#include "policy_store.h"
#include "frontera/screen.h"
#include "frontera/server.h"
#include "frontera/store.h"

/* Routes (metrics label = template). */
#define SRV_ROUTES(X)                                                                              \
    X(R_ADMISSIONS, "POST", "/v1/admissions")                                                      \
    X(R_OVERRIDE, "POST", "/v1/admissions/{event_id}/override")                                    \
    X(R_MANIFESTS, "POST", "/v1/manifests")                                                        \
    X(R_RECONCILIATION, "GET", "/v1/manifests/reconciliation")                                     \
    X(R_EVENTS, "POST", "/v1/events")                                                              \
    X(R_EXITS, "POST", "/v1/exits")                                                                \
    X(R_TRAVELLER, "GET", "/v1/travellers/{id}")                                                   \
    X(R_SPLIT, "POST", "/v1/travellers/{id}/split")                                                \
    X(R_REVIEWS, "GET", "/v1/reviews")                                                             \
    X(R_REVIEW, "GET", "/v1/reviews/{id}")                                                         \
    X(R_RESOLVE, "POST", "/v1/reviews/{id}/resolve")                                               \
    X(R_FLOWS, "GET", "/v1/reports/flows")                                                         \
    X(R_OVERSTAYS, "GET", "/v1/reports/overstays")                                                 \
    X(R_PORT_DAYS, "GET", "/v1/reports/port-days")                                                 \
    X(R_ALERTS, "GET", "/v1/alerts")                                                               \
    X(R_OVERSTAYERS, "GET", "/v1/overstayers")                                                     \
    X(R_WHATIF, "POST", "/v1/reports/whatif")                                                      \
    X(R_POLICY_GET, "GET", "/v1/policy")                                                           \
    X(R_POLICY_PUT, "PUT", "/v1/policy")                                                           \
    X(R_SYNC_WATCHLIST, "GET", "/v1/sync/watchlist")                                               \
    X(R_SYNC_LOST, "GET", "/v1/sync/lost-stolen")                                                  \
    X(R_SYNC_HISTORIES, "GET", "/v1/sync/histories")                                               \
    X(R_SYNC_STATUS, "GET", "/v1/sync/status")                                                     \
    X(R_SELFCHECK, "POST", "/v1/self-check")                                                       \
    X(R_ME, "GET", "/v1/me")                                                                       \
    X(R_COUNTRIES, "GET", "/v1/countries")                                                         \
    X(R_HEALTHZ, "GET", "/healthz")                                                                \
    X(R_METRICS, "GET", "/metrics")                                                                \
    X(R_WEB, "GET", "pages")                                                                       \
    X(R_OTHER, "ANY", "other")

typedef enum srv_route {
#define SRV_X_ENUM(id, m, t) id,
    SRV_ROUTES(SRV_X_ENUM)
#undef SRV_X_ENUM
        R_COUNT
} srv_route;

const char *fr__srv_route_template(srv_route r);
const char *fr__srv_route_method(srv_route r);

/* ---- policy: a reference-counted version, swapped atomically ---- */
typedef struct srv_policy {
    fr_policy *policy;
    atomic_int refs;
    uint64_t version; /* the ledger's number (server_policy_share.c) */
    char *text;       /* the file text (fr_malloc) */
    size_t len;
    char digest[65]; /* BLAKE2b-256 hex of text */
} srv_policy;

/* ---- screening lists: a reference-counted version, swapped atomically
 * (server_lists.c); the first is the configuration's (borrowed), later ones
 * come from fr_server_swap_lists and are released through their owner ---- */
typedef struct srv_lists {
    const fr_screen_index *idx;
    const fr_docindex *docs;
    void (*release)(void *owner);
    void *owner;
    atomic_int refs;
    uint64_t gen; /* 1 at start, +1 for each swap */
} srv_lists;

/* ---- what a central serves its posts, cached by the files' stamp ---- */
typedef struct srv_listfile {
    uint64_t stamp; /* names, sizes and modification times; 0: not built */
    char *text;     /* fr_malloc */
    size_t len;
    int64_t version; /* the newest file's modification time (s since the epoch) */
    char digest[65]; /* BLAKE2b-256 hex of text */
} srv_listfile;

/* ---- a worker context: one per concurrent request ---- */
typedef struct srv_ctx {
    fr_store *store;
    fr_store *replica; /* --db-replica: aggregate reports read it; NULL: store */
    fr_auth *auth;
    fr_screen_ctx *screen;
    uint64_t screen_gen;   /* the srv_lists version screen was built for (0: none) */
    fr_audit *audit;       /* reads only ("who looked"); the writer thread appends */
    fr_arrivals *arrivals; /* recorded manifests: opened on first use */
    struct srv_ctx *next;
} srv_ctx;

/* ---- metrics ---- */
#define SRV_STATUS_SLOTS 16
#define SRV_LAT_BUCKETS 12
typedef struct srv_metrics {
    atomic_uint_fast64_t requests[R_COUNT][SRV_STATUS_SLOTS];
    atomic_uint_fast64_t lat_bucket[R_COUNT][SRV_LAT_BUCKETS + 1]; /* last: +Inf */
    atomic_uint_fast64_t lat_sum_us[R_COUNT];
    atomic_uint_fast64_t decisions[3]; /* admit, refer, refuse */
    atomic_uint_fast64_t audit_entries, audit_batches, audit_failures;
    atomic_uint_fast64_t policy_swaps;
    atomic_uint_fast64_t checkpoints; /* server_checkpoint.c */
    atomic_uint_fast64_t wal_frames;  /* the log's length after the last one */
} srv_metrics;

/* ---- the group commit: ledger writes and audit entries (server_audit.c) ---- */
typedef struct srv_write srv_write;
/* Run by the writer thread inside the group's transaction, on the writer's
 * store: write what the request records, and set w->recs/w->nrecs to its
 * audit records (memory the waiting request owns). FR_OK, or an error for
 * this request alone (err filled): the group is then rolled back and run
 * again without it. May run more than once; each run starts afresh. */
typedef int (*srv_write_fn)(srv_write *w, fr_store *store, fr_error *err);
struct srv_write {
    srv_write_fn apply; /* NULL: audit records only */
    void *ud;           /* for apply */
    /* the events apply will record, in order (NULL entries skipped): the
     * group's are looked up at once before it runs (fr_store_prefetch) */
    const fr_event *const *pre;
    size_t npre;
    const fr_audit_record *recs;
    size_t nrecs;
    /* the outcome, set by the writer */
    int rc;
    fr_error err;
    int ledger_only; /* rc is the audit's failure after the ledger committed */
    int done;
    pthread_cond_t wake; /* signalled by the writer when done */
    srv_write *next;
};

typedef struct srv_audit {
    fr_store *store; /* the writer thread's own connection */
    fr_audit *audit; /* on store (one transaction with it), or, when the
                      * backend does not share its connection, separate */
    int shared;      /* audit is on store: ledger rows and entries commit as one */
    /* recorded admissions are decided by the writer, in the group's
     * transaction (server_admit.c); on SQLite, whose reads are local. On
     * PostgreSQL each read is a round trip that would hold up the group:
     * there the request's thread decides, and its reads overlap. */
    int decides;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake; /* the writer's: work queued, or stop */
    srv_write *head, *tail;
    int stop, started;
} srv_audit;

/* ---- the checkpointer (server_checkpoint.c) ---- */
typedef struct srv_ckpt {
    fr_store *store; /* its own connection */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stop, started;
} srv_ckpt;
/* A background thread's end (server_audit.c): set *stop under mu, wake it,
 * wait for it, then destroy mu and wake. */
void fr__srv_thread_end(pthread_t thread, pthread_mutex_t *mu, pthread_cond_t *wake, int *stop);
/* A condition whose timed waits are on the monotonic clock (a step of the
 * wall clock must not stop a background thread's timing), and the moment
 * ms milliseconds from now on that clock, for pthread_cond_timedwait. */
void fr__srv_cond_init_monotonic(pthread_cond_t *c);
struct timespec fr__srv_after_ms(long ms);
/* Start it (SQLite only; PostgreSQL checkpoints by itself) / stop it. */
int fr__srv_ckpt_start(fr_server *s, fr_error *err);
void fr__srv_ckpt_stop(fr_server *s);

/* ---- the policy shared through the ledger (server_policy_share.c) ---- */
typedef struct srv_pshare {
    pthread_mutex_t store_mu; /* guards store */
    fr__pstore *store;        /* one connection, for the thread and PUT */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stop, started, woken, inited;
    atomic_int ledger_ok; /* the last read of the ledger worked (/healthz) */
} srv_pshare;
/* After fr__srv_policy_init: agree with the ledger's latest version (the
 * newest is in force), then follow it on a thread. */
int fr__srv_pshare_start(fr_server *s, fr_error *err);
void fr__srv_pshare_stop(fr_server *s);
/* Add np as version np->version, added by `by`; FR_EEXIST when another
 * server took that number first. */
int fr__srv_pshare_add(fr_server *s, const srv_policy *np, const char *by, fr_error *err);
/* The ledger's latest version number (0 when none or unreadable). */
uint64_t fr__srv_pshare_latest(fr_server *s);
/* Read the ledger now instead of at the next tick. */
void fr__srv_pshare_wake(fr_server *s);
/* 1 while the ledger answered the last read. */
int fr__srv_pshare_ledger_ok(fr_server *s);

/* The self-check's limit per address (server_selfcheck.c). */
#define SRV_SELFCHECK_SLOTS 4096
#define SRV_SELFCHECK_PER_MIN 10
typedef struct srv_rate_slot {
    uint32_t hash;  /* of the address */
    uint32_t count; /* questions in this minute */
    int64_t minute; /* since the epoch */
} srv_rate_slot;

struct fr_server {
    fr_server_config cfg;
    char *db_path, *replica_path, *snapshot_path, *host, *policy_path, *lists_dir;
    char *tls_cert, *tls_key; /* PEM copies (cfg), kept while the daemon runs */
    struct MHD_Daemon *mhd;
    uint16_t port;
    atomic_int draining;
    atomic_int inflight;
    /* contexts */
    pthread_mutex_t ctx_mu;
    srv_ctx *free_ctx;
    /* the gate (server.c): requests being worked, at most cfg.threads */
    pthread_mutex_t gate_mu;
    pthread_cond_t gate_cv;
    unsigned busy;
    srv_ctx **all_ctx;
    size_t nctx, capctx;
    /* policy */
    pthread_mutex_t policy_mu;     /* guards the pointer swap and acquire */
    pthread_mutex_t policy_put_mu; /* one PUT at a time */
    srv_policy *policy;
    uint64_t policy_version;
    /* screening lists */
    pthread_mutex_t lists_mu; /* guards the pointer swap and acquire */
    srv_lists *lists;
    /* a central's lists for its posts: [0] watchlist, [1] lost/stolen */
    pthread_mutex_t listfile_mu;
    srv_listfile listfile[2];
    srv_audit audit;
    srv_ckpt ckpt;
    srv_pshare pshare;
    srv_metrics metrics;
    /* one writer at a time on the database from this process: the group
     * commit's writer thread and any other in-process writer queue here
     * instead of in SQLite's sleeping busy handler */
    pthread_mutex_t write_mu;
    /* reports: the shared analytics index (server_reports.c) */
    pthread_mutex_t report_mu;
    fr_analytics *report_index;
    int64_t report_loaded_ms;
    atomic_int report_stale;
    /* the public self-check: questions per address per minute */
    pthread_mutex_t selfcheck_mu;
    srv_rate_slot selfcheck_slots[SRV_SELFCHECK_SLOTS];
};

/* Per request (MHD's con_cls). */
typedef struct srv_req {
    fr_server *srv;
    struct MHD_Connection *conn;
    srv_route route;
    const char *method;
    char param[160]; /* {event_id} or {id}, percent-decoded */
    int64_t start_ns;
    char *body;
    size_t len, cap;
    int too_big, answered;
    unsigned status; /* the status sent */
    fr_user user;    /* the caller, once authenticated */
    char origin[FR_AUDIT_ORIGIN_MAX + 1];
} srv_req;

/* ---- server.c ---- */
int64_t fr__srv_now_ms(const fr_server *s);
srv_ctx *fr__srv_ctx_acquire(fr_server *s, fr_error *err);
void fr__srv_ctx_release(fr_server *s, srv_ctx *c);

/* ---- server_answer.c: every answer goes through these ---- */
/* Send a JSON body (takes the reference of j). */
enum MHD_Result fr__srv_send_json(srv_req *r, unsigned status, json_t *j);
enum MHD_Result fr__srv_send_text(srv_req *r, unsigned status, const char *ctype, const char *text,
                                  size_t len);
/* A list a central serves its posts (server_sync.c): text/csv with its
 * version and digest in headers and ETag "DIGEST"; 304 without a body when
 * the post's If-None-Match names the same digest. */
#define SRV_LIST_VERSION_HEADER "X-Frontera-List-Version"
#define SRV_LIST_DIGEST_HEADER "X-Frontera-List-Digest"
enum MHD_Result fr__srv_send_list(srv_req *r, const char *text, size_t len, int64_t version,
                                  const char *digest);
/* A page or asset built into the program (webassets.h), with its security
 * headers and ETag; 304 when the client's If-None-Match matches. */
enum MHD_Result fr__srv_send_asset(srv_req *r, const char *path, const unsigned char *data,
                                   size_t len, const char *ctype);
/* An RFC 9457 problem: slug names the type (urn:frontera:problem:SLUG);
 * field may be NULL; extra (may be NULL) members are merged in (reference taken).
 * Beside the English detail, detail_parts carries the format(s) it was made
 * with and the values printed in it, so that a client says it in its user's
 * language from its own catalogue (docs/server.md, "Problems"). */
enum MHD_Result fr__srv_problem(srv_req *r, unsigned status, const char *slug, const char *title,
                                const char *field, json_t *extra, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
/* The same with a library error's message as the detail (and its parts). */
enum MHD_Result fr__srv_problem_with(srv_req *r, unsigned status, const char *slug,
                                     const char *title, const char *field, json_t *extra,
                                     const fr_error *err);
/* A problem from a library error: FR_EINVAL/FR_EPARSE/FR_ERANGE -> 422,
 * FR_ENOTFOUND -> 404, FR_ECONFLICT/FR_EEXIST -> 409, FR_EBUSY -> 503,
 * others 500 (and logged without personal data). */
enum MHD_Result fr__srv_problem_err(srv_req *r, const fr_error *err);
/* Parse the request body as a JSON object; on failure the 400/415 answer is
 * sent and NULL returned (*ret holds what to return to MHD). */
json_t *fr__srv_body_json(srv_req *r, enum MHD_Result *ret);
/* Check a JSON object's members against a NULL-terminated list of allowed
 * names: the first unknown one is returned, else NULL. */
const char *fr__srv_unknown_member(json_t *obj, const char *const *allowed);
/* The first query parameter of r not in allowed (NULL-terminated), or NULL:
 * a misspelt filter must not silently widen an answer (a list of people
 * as of today for every nationality). fr__srv_unknown_arg_problem: its 422. */
const char *fr__srv_unknown_arg(srv_req *r, const char *const *allowed);
enum MHD_Result fr__srv_unknown_arg_problem(srv_req *r, const char *bad);
void fr__srv_log(const fr_server *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- handlers ---- */
enum MHD_Result fr__srv_admissions(srv_req *r);      /* server_admit.c */
enum MHD_Result fr__srv_override(srv_req *r);        /* server_admit.c */
enum MHD_Result fr__srv_manifests(srv_req *r);       /* server_manifest.c */
enum MHD_Result fr__srv_events(srv_req *r);          /* server_events.c */
enum MHD_Result fr__srv_traveller(srv_req *r);       /* server_traveller.c */
enum MHD_Result fr__srv_reviews_list(srv_req *r);    /* server_reviews.c */
enum MHD_Result fr__srv_review_get(srv_req *r);      /* server_reviews.c */
enum MHD_Result fr__srv_review_resolve(srv_req *r);  /* server_reviews.c */
enum MHD_Result fr__srv_traveller_split(srv_req *r); /* server_reviews.c */
enum MHD_Result fr__srv_report(srv_req *r);          /* server_reports.c */
enum MHD_Result fr__srv_policy_get(srv_req *r);      /* server_policy.c */
enum MHD_Result fr__srv_policy_put(srv_req *r);      /* server_policy.c */
enum MHD_Result fr__srv_metrics_get(srv_req *r);     /* server_metrics.c */
enum MHD_Result fr__srv_reconciliation(srv_req *r);  /* server_manifest.c */
enum MHD_Result fr__srv_exits(srv_req *r);           /* server_exit.c */
enum MHD_Result fr__srv_overstayers(srv_req *r);     /* server_overstayers.c */
enum MHD_Result fr__srv_selfcheck(srv_req *r);       /* server_selfcheck.c: no token */
enum MHD_Result fr__srv_sync_list(srv_req *r);       /* server_sync.c */
enum MHD_Result fr__srv_sync_histories(srv_req *r);  /* server_sync.c */
enum MHD_Result fr__srv_sync_status(srv_req *r);     /* server_sync_status.c */
enum MHD_Result fr__srv_countries(srv_req *r);       /* server_countries.c */

/* ---- server_policy.c ---- */
int fr__srv_policy_init(fr_server *s, const char *text, size_t len, fr_error *err);
srv_policy *fr__srv_policy_acquire(fr_server *s);
void fr__srv_policy_release(srv_policy *p);
void fr__srv_policy_fini(fr_server *s);
/* A version from text (parsed whole: every error in errs, at most max_errs),
 * one reference held; NULL with *rc_out the error. */
srv_policy *fr__srv_policy_new(const char *text, size_t len, fr_error *errs, size_t max_errs,
                               size_t *n_errs, int *rc_out);
/* Put np in force (its reference becomes the server's) and drop the
 * server's reference to the one it replaces. With policy_put_mu held. */
void fr__srv_policy_swap(fr_server *s, srv_policy *np);
/* Write np to the --policy FILE and old to FILE.prev, each through a
 * temporary file and a rename; FR_OK at once without a file. */
int fr__srv_policy_save(const fr_server *s, const srv_policy *old, const srv_policy *np,
                        fr_error *err);

/* ---- server_lists.c ---- */
int fr__srv_lists_init(fr_server *s, fr_error *err);
void fr__srv_lists_fini(fr_server *s);
srv_lists *fr__srv_lists_acquire(fr_server *s);
void fr__srv_lists_release(srv_lists *l);
/* Make c->screen the context of l (built again when l is a newer version).
 * FR_OK, or the error of fr_screen_ctx_new (c->screen is then NULL). */
int fr__srv_lists_ctx(srv_ctx *c, const srv_lists *l, fr_error *err);

/* ---- server_audit.c ---- */
int fr__srv_audit_start(fr_server *s, fr_error *err);
/* Queue w (apply, ud, recs, nrecs filled; the rest is the writer's) and wait
 * until its group has committed: FR_OK, or the error (w->err says what).
 * Its ledger rows and its audit entries commit together or not at all. */
int fr__srv_write_run(fr_server *s, srv_write *w);
/* Append records and wait until they are committed: FR_OK or the error. */
int fr__srv_audit_write(fr_server *s, const fr_audit_record *recs, size_t n);
void fr__srv_audit_stop(fr_server *s);
/* Fill a record for request r (actor, role, origin, time); strings borrowed. */
void fr__srv_audit_record_for(srv_req *r, fr_audit_record *rec, const char *action,
                              const char *object, unsigned status, const char *detail);

/* ---- server_reports.c ---- */
void fr__srv_reports_init(fr_server *s);
void fr__srv_reports_fini(fr_server *s);
/* After a recording (not a duplicate): keep the report index current. */
void fr__srv_reports_note_event(fr_server *s, const fr_event *ev, int64_t traveller);
/* The list to act on from the report index, brought up to date first
 * (fr_analytics_overstayers). */
int fr__srv_reports_overstayers(fr_server *s, const fr_overstayer_query *q, size_t max,
                                fr_overstayer **out, size_t *n, size_t *total, fr_error *err);
/* Load the report index from the analytics snapshot (at start). */
int fr__srv_reports_preload(fr_server *s, fr_error *err);
void fr__srv_reports_note_admission(fr_server *s, const fr_admit_request *req,
                                    const fr_admit_decision *d, int64_t traveller);

/* ---- server_metrics.c ---- */
void fr__srv_metrics_observe(fr_server *s, srv_route route, unsigned status, int64_t latency_ns);

/* ---- request body parsers (also driven by fuzz/fuzz_http_body.c) ---- */

#define SRV_MRZ_MAX 4096
typedef struct srv_adm_in {
    fr_admit_request req;
    char mrz[SRV_MRZ_MAX];
    int record;
    const char *event_id; /* borrowed from the JSON */
} srv_adm_in;

/* The members of POST /v1/admissions (and of an override) into *in; the
 * strings are borrowed from j. FR_OK, or FR_EINVAL with err (field named). */
int fr__srv_admission_parse(json_t *j, srv_adm_in *in, fr_error *err);

/* A crossing to record cannot happen after this server's clock (the post's,
 * for a post: fr__srv_event_clock_s), as POST /v1/events refuses: FR_OK, or
 * FR_EINVAL on field "at" with how far ahead it is. */
int fr__srv_check_at(srv_req *r, const fr_datetime *at, fr_error *err);

/* One event of POST /v1/events from its JSON object, recorded as by officer.
 * *reasons receives an allocation (fr_free) when reasons were given. FR_OK,
 * FR_EINVAL with err (field named), FR_ENOMEM. */
int fr__srv_event_from_json(json_t *j, const char *officer, fr_event *ev, char **reasons,
                            fr_error *err);

/* ---- server_post.c: events sent by a border post (role post) ---- */
#define SRV_POST_CLOCK_HEADER "X-Frontera-Post-Clock"
/* The officer of event object j: for a post, its valid "officer" member
 * (copied into buf and removed from j) or "" without one; else the caller. */
const char *fr__srv_post_officer(srv_req *r, json_t *j, char buf[FR_OFFICER_MAX + 1]);
/* A post may record events at its own ports only: FR_OK or FR_EINVAL (port). */
int fr__srv_post_check(const srv_req *r, const fr_event *ev, fr_error *err);
/* The clock an event's "not in the future" check uses (seconds): the
 * post's (X-Frontera-Post-Clock) for a post that sends it, else the server's. */
int64_t fr__srv_event_clock_s(srv_req *r);

#endif
