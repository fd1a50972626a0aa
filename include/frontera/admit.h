/* SPDX-License-Identifier: MIT */
/* admit.h: the admission decision at the booth, as a pure function.
 *
 * Given the MRZ of the document presented (and optionally a visa reference,
 * the intended stay and the admission class), the port and the local time,
 * the policy in force, and the facts the booth gathered before deciding (the
 * traveller's history and how the document was linked to it, the screening
 * result), fr_admit_decide answers admit, refer (to a supervisor) or refuse,
 * with machine-readable reasons and a sentence for each, and for admit the
 * authorised-until date computed from the policy's stay rule and the
 * history. Refusal grounds carry the letter of the standard refusal form
 * where one applies. The rules, in order of evaluation, are in
 * docs/admission.md.
 *
 * This is the core layer: no store, no screening lists, no JSON library.
 * booth.h gathers the facts from a store and screening lists, calls
 * fr_admit_decide, and records the decision. Screening fails closed: a
 * screening that was asked for and could not be done refers the traveller.
 * All functions are pure and thread-safe. */
#ifndef FRONTERA_ADMIT_H
#define FRONTERA_ADMIT_H

#include "frontera/api.h"

#include <stdint.h>

#include "frontera/date.h"
#include "frontera/mrz.h"
#include "frontera/policy.h"
#include "frontera/history.h"
#include "frontera/stay.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_outcome { FR_ADMIT = 0, FR_REFER = 1, FR_REFUSE = 2 } fr_outcome;
/* "admit", "refer", "refuse". */
FR_API const char *fr_outcome_name(fr_outcome o);

/* Each reason pushes the decision at least to its level. */
typedef enum fr_reason_level {
    FR_REASON_INFO = 0,   /* for the officer; no effect on the outcome */
    FR_REASON_REFER = 1,  /* a supervisor must decide */
    FR_REASON_REFUSE = 2, /* entry is refused */
    FR_REASON_WARNING = 3 /* for the officer, shown as a warning; no effect on the outcome */
} fr_reason_level;

/* "info", "refer", "refuse", "warning". */
FR_API const char *fr_reason_level_name(fr_reason_level level);

#define FR_ADMIT_MAX_REASONS 24
#define FR_REASON_MESSAGE_MAX 512
#define FR_REASON_MAX_PARAMS 6
#define FR_REASON_PARAM_MAX 400

/* A named value a reason's sentence is made from, so that a program can say
 * the same in another language: a number ("12"), a date ("2024-07-01"), a
 * code ("ECU", "visitor", "rolling:90/180") or text from outside (a list
 * entry's explanation, the linking evidence, a legal reference), kept as it
 * is. The names of each code are listed in docs/admission.md. */
typedef struct fr_reason_param {
    char name[24];
    char value[FR_REASON_PARAM_MAX];
} fr_reason_param;

typedef struct fr_admit_reason {
    char code[48]; /* stable: "document.expired", "visa.required", "stay.exhausted" ... */
    char ground;   /* EU standard refusal form letter 'A'..'J', or 0 */
    fr_reason_level level;
    char message[FR_REASON_MESSAGE_MAX]; /* English, made from the params */
    size_t nparams;
    fr_reason_param params[FR_REASON_MAX_PARAMS];
} fr_admit_reason;

/* The value of the reason's parameter name, or NULL when it has none. */
FR_API const char *fr_admit_reason_param(const fr_admit_reason *r, const char *name);

/* Write a sentence for r from a template into buf (cap bytes, always
 * terminated when cap > 0): "{name}" is the parameter's value; "{name|k1=t1|
 * k2=t2|t}" is the text of the first alternative whose key equals the value,
 * else the bare alternative t, else the value ("{n|1=y|ies}" for a plural,
 * "{evidence|=not given}" for an empty value). Values are copied as they are
 * (never read as templates); an unknown name is left as written. The library
 * writes each reason's English message this way; a program writes another
 * language's from its own templates, keyed by code. Returns FR_OK, or
 * FR_ELIMIT when the sentence was cut to fit. Pure and thread-safe. */
FR_API int fr_admit_reason_format(const fr_admit_reason *r, const char *tmpl, char *buf,
                                  size_t cap);

typedef struct fr_admit_request {
    const char *mrz; /* the MRZ lines as scanned */
    size_t mrz_len;
    int repair;       /* try OCR repairs (mrz.h) */
    const char *port; /* UN/LOCODE of the border crossing point */
    fr_datetime at;   /* local time at the port, with offset */
    const char *visa; /* visa, e-visa or travel authorisation reference; NULL: none */
    fr_admission_class cls;
    int32_t intended_days; /* the stay asked for; 0: not said */
} fr_admit_request;

typedef struct fr_admit_decision {
    fr_outcome outcome;
    size_t nreasons;
    fr_admit_reason reasons[FR_ADMIT_MAX_REASONS]; /* [0, nreasons) filled; the rest undefined */
    fr_date authorised_until;                      /* admit only; FR_DATE_NONE otherwise */
    const fr_policy_rule *rule; /* the rule in force, or NULL; owned by the policy */
    int have_stay;              /* stay below is filled */
    fr_stay_authorisation stay; /* the stay evaluation on the entry date */
    int64_t traveller_id;       /* known traveller (ledger), 0 when none */
    fr_link_kind link;          /* how the document resolved to the traveller */
    fr_mrz mrz;                 /* the document as read */
} fr_admit_decision;

/* What screening found, filled by the caller (booth.h from fr_screen_*). */
typedef enum fr_screening_state {
    FR_SCREENING_NOT_CONFIGURED = 0, /* no list on this post: a warning in every decision */
    FR_SCREENING_DONE = 1,           /* lists consulted: matches below */
    FR_SCREENING_FAILED = 2          /* lists named but not usable, or a check failed: REFER */
} fr_screening_state;

#define FR_ADMIT_MAX_MATCHES 3

typedef struct fr_admit_match {
    int hit; /* 1 strong match, 0 possible match */
    char list[64];
    char id[64];
    double score;
    char explanation[256];
} fr_admit_match;

typedef struct fr_admit_screening {
    fr_screening_state state;
    char failure[200];   /* FR_SCREENING_FAILED: what went wrong, for the officer */
    int document_listed; /* the document is on the lost/stolen list */
    size_t nmatches;
    fr_admit_match matches[FR_ADMIT_MAX_MATCHES];
} fr_admit_screening;

/* The facts gathered before deciding. A zeroed struct means: no history
 * known, screening not configured. */
typedef struct fr_admit_facts {
    const fr_history *history; /* the traveller's history, NULL when none */
    int64_t traveller_id;      /* its traveller, 0 when none */
    fr_link_kind link;         /* how the document resolved (history.h) */
    /* FR_LINK_REVIEW: the known traveller this new document only possibly
     * belongs to (a namesake?), and the linking evidence (store.h,
     * fr_store_link_document). Never counted: the decision refers. */
    int64_t link_candidate;
    char link_evidence[400];
    fr_admit_screening screening;
} fr_admit_facts;

/* Read the document of a request: the MRZ parsed with the request's repair
 * option and the entry day as the reference date (mrz.h). */
FR_API void fr_admit_read(const fr_admit_request *req, fr_mrz *out);

/* The ledger's document for an MRZ as read (the one MRZ -> document mapping):
 * type, state, number (at most FR_DOCNUM_MAX characters: FR_EINVAL, field
 * "document_number", beyond), expiry and birth date when fully read, names,
 * nationality when it is an ICAO code, sex when M, F or X. */
FR_API int fr_admit_document(const fr_mrz *m, fr_document *doc, fr_error *err);

/* The inverse: the machine readable zone of a recorded document (TD3 for a
 * passport or an unknown type, else TD1), as the booth would have read it on `today`
 * (FR_DATE_NONE: no reference date), into text. FR_OK, or fr_mrz_make's
 * error when the document cannot be written as one. */
FR_API int fr_admit_document_mrz(const fr_document *doc, fr_date today, char text[FR_MRZ_TEXT_MAX],
                                 fr_error *err);

/* Decide. mrz is the document as read (fr_admit_read); facts may be NULL (no
 * history, screening not configured). Returns FR_OK with *out filled
 * (whatever the outcome: a refusal is a decision, not an error), or
 * FR_EINVAL (no policy, no MRZ text, no port; err names the field). */
FR_API int fr_admit_decide(const fr_policy *policy, const fr_admit_request *req, const fr_mrz *mrz,
                           const fr_admit_facts *facts, fr_admit_decision *out, fr_error *err);

/* The reasons the document alone gives, as fr_admit_decide lists them first
 * (each error finding of the MRZ as "mrz.NAME", the first four, then
 * "mrz.more_findings"; notes at level info; "document.is_visa" for a visa's
 * zone), into out: out->mrz = *mrz, out->reasons, out->nreasons and the
 * outcome they imply; nothing else of out is meaningful. For an exit, which
 * decides nothing but must say what is wrong with the document read. */
FR_API void fr_admit_mrz_reasons(const fr_mrz *mrz, fr_admit_decision *out);

/* Complete an entry recorded without an authorised-until date (a CSV import
 * row with the column empty): the stay rule of the policy in force for the
 * nationality (else the issuing state), class and day, applied to the
 * traveller's earlier stays in h (NULL: none), as fr_admit_decide computes
 * it. An entry with no day left gets its own date (it shows as an overstay
 * from the next day). Left empty when the policy has no rule or no stay rule
 * for it; other kinds and entries with a date are untouched. */
FR_API void fr_admit_complete_entry(const fr_policy *policy, const fr_history *h, fr_event *ev);

/* The event id a decision is recorded under: `given` when not NULL or "",
 * else ADM-<state>-<number>-<UTC seconds>, so a retry of the same admission
 * is recorded once. Returns out. */
FR_API char *fr_admit_event_id(const fr_admit_request *req, const fr_admit_decision *d,
                               const char *given, char out[FR_EVENT_ID_MAX + 1]);

/* The reasons as a JSON array text
 * [{"code":..,"ground":..,"level":..,"message":..,"params":{name:value,..}}]
 * into buf (cap bytes), as stored with the event. Returns FR_OK or FR_ELIMIT
 * when it does not fit. */
FR_API int fr_admit_reasons_json(const fr_admit_decision *d, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
