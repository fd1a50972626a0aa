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
 * with the events the central refused (sync_issues): at once for a batch
 * with refused events, otherwise at most once every FR_SYNC_MARK_EVERY_MS
 * during a push and always at its end (also when it ends in an error). So:
 * - a batch is sent again only when its answer was not kept (a crash, a
 *   dropped connection, a crash within a second of the answer): the central
 *   takes a retried event as a no-op, so nothing is doubled; the mark never
 *   passes an event without an answer for it, so nothing is lost;
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
/* During a long push the mark is written at most this often (and at its
 * end, and after any batch with refused events): see fr_sync_push. */
#define FR_SYNC_MARK_EVERY_MS 1000

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
    size_t skipped;    /* the central's own events (pulled histories): passed, not sent */
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

/* What the post pulled from the central: "policy", "watchlist",
 * "lost-stolen", "histories" (version: the central's last event sequence
 * the pull covered; digest: "FINGERPRINT/DAYS" of that sequence, see
 * fr_sync_pull_histories). checked_ms 0: never pulled. */
#define FR_SYNC_LISTS 4
typedef struct fr_sync_list_state {
    char name[16];
    int64_t version;    /* the central's: the policy's version, a list's file time */
    char digest[65];    /* BLAKE2b-256 hex of the text held */
    int64_t pulled_ms;  /* when the post last replaced it (post clock) */
    int64_t checked_ms; /* when the central last confirmed it (post clock) */
    /* What the central offered at the post's last pull when the post refused
     * it (a text that did not match its digest, or did not load or parse
     * whole): the post still holds the older list above. refused_ms 0: the
     * last pull took what the central had (policy, watchlist, lost-stolen). */
    int64_t refused_version;
    char refused_digest[65];
    int64_t refused_ms;
} fr_sync_list_state;

/* What a post officer sees. */
typedef struct fr_sync_status {
    char central[FR_SYNC_URL_MAX + 1];
    int64_t acked_seq;
    int64_t last_seq;                /* the ledger's last event */
    int64_t waiting;                 /* own events not yet acknowledged (the pulled
                                        histories are never sent) */
    int64_t last_ok_ms, last_try_ms; /* 0: never */
    char last_error[200];            /* "" after a success */
    int have_skew;
    int64_t skew_ms;
    int64_t issues;                          /* conflicts and rejections kept */
    fr_sync_list_state lists[FR_SYNC_LISTS]; /* policy, watchlist, lost-stolen, histories */
    /* The time (ms since the epoch, UTC) of the first own event the central
     * has not acknowledged, as the post recorded it (the booth records an
     * event as it happens); 0 when none waits. */
    int64_t oldest_waiting_ms;
} fr_sync_status;

/* The status of the post's sync with each central it has pushed to; with
 * `central` (not NULL), with that one only, even before its first push
 * (FR_EINVAL for an address fr_sync_push would refuse). *out (fr_free) and
 * *n. */
int fr_sync_status_get(const char *db, const char *central, fr_sync_status **out, size_t *n,
                       fr_error *err);

/* Is url a central's address fr_sync_push would take (http:// or https://,
 * no credentials, query or spaces)? FR_OK, else FR_EINVAL on field
 * "central" saying what it must be: a program checks --central before it
 * starts rather than at every push. */
int fr_sync_check_central(const char *url, fr_error *err);

/* What a post officer is warned of (docs/sync.md, "Status a post officer
 * sees"), one bit each. */
typedef enum fr_sync_warning {
    FR_SYNC_WARN_STALE = 1u << 0,   /* tried, and no success for stale_s (or never) */
    FR_SYNC_WARN_OFFLINE = 1u << 1, /* the last attempt failed */
    FR_SYNC_WARN_WAITING = 1u << 2, /* an event has waited for longer than waiting_s */
    FR_SYNC_WARN_ISSUES = 1u << 3,  /* the central refused events (sync issues) */
    FR_SYNC_WARN_SKEW = 1u << 4,    /* the clocks differ by more than skew_s */
    FR_SYNC_WARN_LISTS = 1u << 5,   /* a list is behind the central's or unconfirmed */
    FR_SYNC_WARN_LAST = FR_SYNC_WARN_LISTS
} fr_sync_warning;
/* A pulled list's warnings (fr_sync_list_warnings). */
typedef enum fr_sync_list_warning {
    FR_SYNC_LIST_BEHIND = 1u << 0,      /* the central offered a newer one, refused here */
    FR_SYNC_LIST_UNCONFIRMED = 1u << 1, /* not confirmed by the central for lists_s */
    FR_SYNC_LIST_WARN_LAST = FR_SYNC_LIST_UNCONFIRMED
} fr_sync_list_warning;

/* When a warning is due; 0 in a member: its default below. */
#define FR_SYNC_STALE_S 900   /* 15 minutes without a success */
#define FR_SYNC_WAITING_S 600 /* an event waiting for 10 minutes */
#define FR_SYNC_SKEW_S 120    /* clocks 2 minutes apart */
#define FR_SYNC_LISTS_S 3600  /* a list not confirmed for an hour */
typedef struct fr_sync_limits {
    int64_t stale_s, waiting_s, skew_s, lists_s;
} fr_sync_limits;

/* The warnings (FR_SYNC_WARN_*) due for s at now_ms (the post's clock);
 * lim NULL: the defaults. Nothing is stale before the first attempt. Pure. */
unsigned fr_sync_status_warnings(const fr_sync_status *s, int64_t now_ms,
                                 const fr_sync_limits *lim);
/* The warnings (FR_SYNC_LIST_*) of one list: only a list the post pulled,
 * or was offered, has any. Pure. */
unsigned fr_sync_list_warnings(const fr_sync_list_state *l, int64_t now_ms,
                               const fr_sync_limits *lim);
/* "stale", "offline", "waiting", "issues", "skew", "lists" for one
 * FR_SYNC_WARN_* bit; "behind", "unconfirmed" for one FR_SYNC_LIST_* bit
 * (list 1); "" for anything else. */
const char *fr_sync_warning_name(unsigned bit, int list);

/* The post's own background sync (a post's `serve --central`), as the
 * status shows it. */
typedef struct fr_sync_background {
    const char *central;   /* where it pushes */
    unsigned every_s;      /* seconds between pushes */
    unsigned pull_every_s; /* seconds between pulls; 0: it pulls nothing */
    int running;           /* 1 while its thread runs */
} fr_sync_background;

/* The status of v[0..n) (fr_sync_status_get) at now_ms as one JSON object,
 * the answer of a post's GET /v1/sync/status (docs/openapi.yaml):
 * "configured" (a central is known: n > 0 or bg), "now", "limits" (lim with
 * its defaults filled in), "background" (bg, or null), "centrals" (per
 * central the figures of fr_sync_status with their times in ISO 8601, ages
 * in seconds, its lists and their warnings, and its warnings by name; each
 * object is what `frontera sync status --json` prints) and "warnings" (of
 * every central). No personal data: counts, times, versions, digests and
 * the last error's sentence (which never holds the token). *out (fr_free,
 * NUL-terminated) and *len. FR_ENOMEM. */
int fr_sync_status_json(const fr_sync_status *v, size_t n, const fr_sync_background *bg,
                        int64_t now_ms, const fr_sync_limits *lim, char **out, size_t *len,
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

/* The central's lists a post pulls into its watchlist directory (the
 * directory `frontera serve --watchlists` screens against). */
typedef enum fr_sync_list {
    FR_SYNC_WATCHLIST = 1,   /* every list of the central as one file, central.wl.csv */
    FR_SYNC_LOST_STOLEN = 2, /* lost-stolen.docs.csv */
} fr_sync_list;
/* "watchlist", "lost-stolen"; "" for another value. */
const char *fr_sync_list_name(fr_sync_list which);
/* The file it is kept in, in the watchlist directory. */
const char *fr_sync_list_file(fr_sync_list which);

typedef struct fr_sync_list_pull {
    int64_t version; /* the central's (the newest list file's time, s since the epoch) */
    char digest[65]; /* BLAKE2b-256 hex of the text now held */
    int changed;     /* 1: the file was replaced */
    size_t entries;  /* rows of the list held */
} fr_sync_list_pull;

/* Pull list `which` from the central (GET /v1/sync/watchlist or
 * /v1/sync/lost-stolen as the post user) into dir: the post sends the
 * digest of the file it holds and the central answers 304 when it is the
 * same; otherwise the text must hash to the digest the central states and
 * load whole (every row valid) before it replaces the file atomically
 * (temporary file, fsync, rename, fsync of the directory). The version,
 * digest and times are kept in the post's ledger (cfg->db, table
 * sync_lists) for fr_sync_status_get. Errors: those of fr_sync_push,
 * FR_ENOTFOUND (the central serves no such list), FR_ECONFLICT (digest
 * mismatch, or a list that does not load: the file is left as it was),
 * FR_EIO (the file). */
int fr_sync_pull_list(const fr_sync_config *cfg, fr_sync_list which, const char *dir,
                      fr_sync_list_pull *out, fr_error *err);

/* What a history pull did. */
typedef struct fr_sync_history_report {
    int incremental;   /* 1: only the travellers with new events since the last pull */
    int64_t seq;       /* the central's last event sequence the pull covers */
    size_t travellers; /* in the central's set (see below) that were sent */
    size_t events;     /* received */
    size_t recorded;   /* new in the post's ledger */
    size_t known;      /* already there (pulled before, or the post's own) */
    size_t conflicts;  /* an id the post holds with other content: not applied */
    size_t refused;    /* refused by the post's ledger (a bad field): not applied */
} fr_sync_history_report;

/* Pull the histories of the travellers the post is likely to see (GET
 * /v1/sync/histories?days=N as the post user; days 0: 180): every event of
 * the last `days` days of each traveller who crossed at one of the post's
 * ports in that time or is still in the country (last movement an entry,
 * within that time). Each event is recorded in the post's ledger
 * (fr_store_record: idempotent on the event id) in one transaction with
 * the note that it came from the central (table sync_pulled), so the
 * post's booth decides with it (stay periods, an entry without exit) and
 * fr_sync_push never sends it back. An event the post already holds
 * changes nothing. The post keeps the central's last sequence and its
 * fingerprint (sync_lists, "histories") and sends them with the next pull:
 * the central then sends only the travellers with an event recorded since
 * (their whole window), unless `full` is set, `days` changed, or the
 * central's ledger is not the one stamped (then everything again). The
 * mark moves only after every event is recorded, so an interrupted pull is
 * repeated. Errors: those of fr_sync_push, store errors. */
int fr_sync_pull_histories(const fr_sync_config *cfg, int days, int full,
                           fr_sync_history_report *rep, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
