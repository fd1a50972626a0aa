/* admit.h: the admission decision at the booth.
 *
 * Given the MRZ of the document presented (and optionally a visa reference,
 * the intended stay and the admission class), the port and the local time,
 * fr_admit_decide answers admit, refer (to a supervisor) or refuse, with
 * machine-readable reasons and a sentence for each, and for admit the
 * authorised-until date computed from the policy's stay rule and the
 * traveller's history in the ledger. Refusal grounds carry the letter of the
 * EU standard refusal form (Schengen Borders Code, Annex V Part B) where one
 * applies. The rules, in order of evaluation, are in docs/admission.md.
 *
 * What it reads: a loaded policy (required), a store (optional: without it
 * there is no history), a screening context (optional: without it no
 * watchlist or lost/stolen check is made, and the decision says so).
 * Nothing is written by fr_admit_decide; fr_admit_record writes the entry or
 * the refusal, with the decision and its reasons, in one transaction.
 * Thread-safety: as the store and screening context passed in (one thread
 * per store handle). */
#ifndef FRONTERA_ADMIT_H
#define FRONTERA_ADMIT_H

#include <stdint.h>

#include <jansson.h>

#include "frontera/date.h"
#include "frontera/mrz.h"
#include "frontera/policy.h"
#include "frontera/screen.h"
#include "frontera/stay.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_outcome { FR_ADMIT = 0, FR_REFER = 1, FR_REFUSE = 2 } fr_outcome;
/* "admit", "refer", "refuse". */
const char *fr_outcome_name(fr_outcome o);

/* Each reason pushes the decision at least to its level. */
typedef enum fr_reason_level {
    FR_REASON_INFO = 0,   /* for the officer; no effect on the outcome */
    FR_REASON_REFER = 1,  /* a supervisor must decide */
    FR_REASON_REFUSE = 2  /* entry is refused */
} fr_reason_level;

#define FR_ADMIT_MAX_REASONS 24
#define FR_REASON_MESSAGE_MAX 512

typedef struct fr_admit_reason {
    char code[48];  /* stable: "document.expired", "visa.required", "stay.exhausted" ... */
    char ground;    /* EU standard refusal form letter 'A'..'J', or 0 */
    fr_reason_level level;
    char message[FR_REASON_MESSAGE_MAX];
} fr_admit_reason;

typedef struct fr_admit_request {
    const char *mrz;      /* the MRZ lines as scanned */
    size_t mrz_len;
    int repair;           /* try OCR repairs (mrz.h) */
    const char *port;     /* UN/LOCODE of the border crossing point */
    fr_datetime at;       /* local time at the port, with offset */
    const char *visa;     /* visa, e-visa or travel authorisation reference; NULL: none */
    fr_admission_class cls;
    int32_t intended_days; /* the stay asked for; 0: not said */
} fr_admit_request;

typedef struct fr_admit_decision {
    fr_outcome outcome;
    size_t nreasons;
    fr_admit_reason reasons[FR_ADMIT_MAX_REASONS];
    fr_date authorised_until; /* admit only; FR_DATE_NONE otherwise */
    const fr_policy_rule *rule; /* the rule in force, or NULL; owned by the policy */
    int have_stay;              /* stay below is filled */
    fr_stay_authorisation stay; /* the stay evaluation on the entry date */
    int64_t traveller_id;       /* known traveller (ledger), 0 when none */
    fr_link_kind link;          /* how the document resolved to the traveller */
    fr_mrz mrz;                 /* the document as read */
} fr_admit_decision;

typedef struct fr_admit_env {
    const fr_policy *policy; /* required */
    fr_store *store;         /* NULL: no history */
    fr_screen_ctx *screen;   /* NULL: screening not configured */
} fr_admit_env;

/* Decide. Returns FR_OK with *out filled (whatever the outcome: a refusal is
 * a decision, not an error), or FR_EINVAL (no policy, no MRZ text, no port,
 * err names the field) or a store error (FR_ESTORE, FR_EBUSY) when the
 * history could not be read: then no decision is given. No allocation
 * beyond the store's history read. */
int fr_admit_decide(const fr_admit_env *env, const fr_admit_request *req, fr_admit_decision *out,
                    fr_error *err);

/* Record a decision: an entry for admit, a refusal for refuse (a referral
 * is not a crossing and is not recorded: FR_EINVAL). event_id is the
 * sender's id (NULL: derived from document and time, so a retry of the same
 * admission is idempotent); officer may be NULL. The reasons are stored as
 * JSON with the event. result as fr_store_record. */
int fr_admit_record(fr_store *store, const fr_admit_request *req, const fr_admit_decision *d,
                    const char *event_id, const char *officer, fr_record_result *result,
                    fr_error *err);

/* Complete an entry recorded without an authorised-until date (a CSV import
 * row with the column empty): the stay rule of the policy in force for the
 * nationality (else the issuing state), class and day, applied to the
 * traveller's earlier stays in the ledger, as fr_admit_decide computes it.
 * An entry with no day left gets its own date (it shows as an overstay from
 * the next day). Left empty (FR_OK) when the policy has no rule or no stay
 * rule for it; other kinds and entries with a date are untouched. Errors are
 * the store's. */
int fr_admit_complete_entry(const fr_policy *policy, fr_store *store, fr_event *ev, fr_error *err);

/* The event id a decision is recorded under: `given` when not NULL or "",
 * else ADM-<state>-<number>-<UTC seconds>, so a retry of the same admission
 * is recorded once. Returns out. */
char *fr_admit_event_id(const fr_admit_request *req, const fr_admit_decision *d,
                        const char *given, char out[FR_EVENT_ID_MAX + 1]);

/* The decision as the JSON object `frontera admit --json` prints and the
 * server answers: decision, reasons [{code, message, ground, level}],
 * authorised_until, traveller_id (0: null), event_id (NULL: null), and
 * days_used, days_remaining, rule_ref when known, in that order. A new
 * reference the caller owns (json_decref); NULL when out of memory. */
json_t *fr_admit_decision_json(const fr_admit_decision *d, int64_t traveller_id,
                               const char *event_id);

/* The reasons as a JSON array text [{"code":..,"ground":..,"level":..,"message":..}]
 * into buf (cap bytes). Returns FR_OK or FR_ELIMIT when it does not fit. */
int fr_admit_reasons_json(const fr_admit_decision *d, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
