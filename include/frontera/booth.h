/* SPDX-License-Identifier: MIT */
/* booth.h: the admission at the booth, end to end.
 *
 * fr_booth_decide reads the document (admit.h), finds the traveller's history
 * in the ledger (store.h), screens the traveller against the watchlists and
 * the lost/stolen list (screen.h), and asks the core for the decision
 * (fr_admit_decide). fr_booth_record writes the entry or the refusal with its
 * decision and reasons. fr_booth_complete_entry fills an imported entry's
 * missing authorised-until date exactly as the booth would have.
 *
 * Screening fails closed: when lists were asked for (env.screening_required)
 * but none could be loaded, or a check fails, the decision refers with
 * reason screening.failed, never admits. Threads: as the store and the
 * screening context passed in (one thread per handle). */
#ifndef FRONTERA_BOOTH_H
#define FRONTERA_BOOTH_H

#include "frontera/api.h"

#include "frontera/admit.h"
#include "frontera/screen.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_booth_env {
    const fr_policy *policy; /* required */
    fr_store *store;         /* NULL: no history */
    fr_screen_ctx *screen;   /* NULL: no lists loaded */
    /* The post named lists (an option, the environment, the server's
     * configuration): then a NULL screen is a failure, not "not configured". */
    int screening_required;
    const char *screening_failure; /* why the lists could not be loaded, or NULL */
} fr_booth_env;

/* Decide. FR_OK with *out filled whatever the outcome; FR_EINVAL as
 * fr_admit_decide; a store error (FR_ESTORE, FR_EBUSY) when the history could
 * not be read: then no decision is given. */
FR_API int fr_booth_decide(const fr_booth_env *env, const fr_admit_request *req,
                           fr_admit_decision *out, fr_error *err);

/* The decision in two steps, for a caller that reads the history somewhere
 * else than where it screens (the server: screening on the request's thread,
 * the history read and the decision in the transaction that records them,
 * so that the decision sees every crossing committed before its own).
 * fr_booth_screen reads the document and screens it (env->store is not
 * used); fr_booth_decide_screened reads the history from store (NULL: none)
 * and decides, as fr_booth_decide, which is the two in a row. *out is the
 * caller's: fr_booth_screened_free. A screened request may be decided
 * several times (a group commit run again), from one thread at a time. */
typedef struct fr_booth_screened fr_booth_screened;
FR_API int fr_booth_screen(const fr_booth_env *env, const fr_admit_request *req,
                           fr_booth_screened **out, fr_error *err);
FR_API int fr_booth_decide_screened(const fr_booth_screened *sc, const fr_policy *policy,
                                    fr_store *store, const fr_admit_request *req,
                                    fr_admit_decision *out, fr_error *err);
/* Screen a document's person and number as the booth does (lists and
 * lost/stolen documents of env), for a caller that has the fields but no
 * machine readable zone to decide on (a manifest's passport number longer
 * than one can hold): *out as fr_admit_decide would see it. */
FR_API void fr_booth_screen_fields(const fr_booth_env *env, const fr_mrz *m,
                                   fr_admit_screening *out);

/* The document as read (fr_admit_read). */
FR_API const fr_mrz *fr_booth_screened_mrz(const fr_booth_screened *sc);
FR_API void fr_booth_screened_free(fr_booth_screened *sc);

/* Record a decision: an entry for admit, a refusal for refuse (a referral is
 * not a crossing: FR_EINVAL). event_id NULL: fr_admit_event_id's default;
 * officer may be NULL. result as fr_store_record. */
FR_API int fr_booth_record(fr_store *store, const fr_admit_request *req, const fr_admit_decision *d,
                           const char *event_id, const char *officer, fr_record_result *result,
                           fr_error *err);
/* The event fr_booth_record would write, built without writing it (a
 * server hands it to its group commit). *reasons receives the reasons text
 * (fr_malloc: free it with fr_free once ev is no longer used), which
 * ev->reasons_json points to. */
FR_API int fr_booth_event(const fr_admit_request *req, const fr_admit_decision *d,
                          const char *event_id, const char *officer, fr_event *ev, char **reasons,
                          fr_error *err);

/* An exit at the booth: what fr_booth_exit read and wrote. */
typedef struct fr_booth_exit_result {
    fr_mrz mrz;                         /* the document as read */
    char event_id[FR_EVENT_ID_MAX + 1]; /* the exit's id in the ledger */
    int64_t traveller_id;               /* who left */
    int duplicate;                      /* 1: this exit was already recorded */
    unsigned anomalies;                 /* FR_ANOMALY_* of the exit (no open entry ...) */
    fr_date entered;                    /* the day of the entry it closes; FR_DATE_NONE */
    char entry_port[6];                 /* that entry's port; "" */
    fr_date authorised_until;           /* that entry's authorised stay; FR_DATE_NONE */
    int32_t days_stayed;                /* entry to exit, both days counted; 0: no entry */
    int32_t days_over;                  /* exit day past authorised_until; 0: in time */
} fr_booth_exit_result;

/* Record an exit at the booth for the MRZ of req (req->port, req->at;
 * the class, visa and intended stay are not used) and read back the entry it
 * closes: when the traveller entered and whether they leave late. event_id
 * NULL: "EXI-STATE-NUMBER-UTC SECONDS", so a retry is idempotent. The MRZ
 * must read without error (FR_EINVAL, field "mrz", the first finding's
 * sentence in err otherwise): an exit is not decided, and a misread document
 * would pair with nobody. Errors otherwise as fr_store_record and
 * fr_store_history. */
FR_API int fr_booth_exit(fr_store *store, const fr_admit_request *req, const char *event_id,
                         const char *officer, fr_booth_exit_result *out, fr_error *err);

/* fr_admit_complete_entry with the history the store holds for the event's
 * document (read in the caller's transaction). Errors are the store's. */
FR_API int fr_booth_complete_entry(const fr_policy *policy, fr_store *store, fr_event *ev,
                                   fr_error *err);

/* ---- decisions taken offline at a border post (booth_offline.c) ----
 * A post's server that cannot reach the central marks each admission it
 * decides with the reason "post.offline" (docs/sync.md): its history held
 * only the post's own crossings. Once the post has synchronised, the
 * central decides the same admission again against its full history, as it
 * stood just before the event (the traveller's events at every post, up to
 * but not including the event's instant), and says whether it would have
 * decided differently. The record is never changed: this is for a
 * supervisor. */

/* 1 when the event's recorded reasons carry the code "post.offline". */
FR_API int fr_booth_decided_offline(const fr_event *ev);

typedef struct fr_booth_recheck {
    fr_outcome post;       /* as recorded: admit (an entry) or refuse (a refusal) */
    fr_date post_until;    /* the stay the post authorised; FR_DATE_NONE */
    fr_outcome central;    /* what the full history decides */
    fr_date central_until; /* the stay it would authorise; FR_DATE_NONE */
    int differs;           /* 1: a stricter outcome, or a shorter stay than the post gave */
    size_t earlier;        /* the traveller's events before this one, at every post */
    char codes[256];       /* the refer/refuse reasons the central found and the post did not,
                              comma-separated ("history.no_exit,stay.exhausted"); "" none */
} fr_booth_recheck;

/* Re-decide an entry or refusal marked post.offline (FR_EINVAL for other
 * events) under `policy` against the history `store` (the central's) holds
 * for its document. The document is rebuilt from the event (an MRZ made
 * from its fields); a visa the post saw (reason visa.presented) counts as
 * presented; the stay asked for is not recorded, so only a stay *shorter*
 * than the post's is a difference; screening is not repeated (the lists
 * were the post's). Only what more history can change is reported: a
 * stricter outcome (admit < refer < refuse) or a shorter stay. Errors: the
 * store's (FR_ESTORE, FR_EBUSY), FR_EINVAL. Reads only. */
FR_API int fr_booth_recheck_offline(const fr_policy *policy, fr_store *store, const fr_event *ev,
                                    fr_booth_recheck *out, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
