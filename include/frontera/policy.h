/* SPDX-License-Identifier: MIT */
/* policy.h: visa policy with effective dates, and its lookup.
 *
 * A policy is a plain-text file an administrator edits under version
 * control (format in docs/policy.md):
 *
 *     jurisdiction ECU
 *     group @andean BOL COL ECU PER  ref="Acuerdo de Cartagena"
 *     rule * visitor visa_required from=2017-02-06 ref="LOMH art. 56"
 *     rule CHN visitor visa_free stay=period:90/1y from=2016-08-18 to=2024-06-30
 *         ref="Agreement on mutual visa exemption ECU-CHN"
 *
 * Each rule names who (an ICAO 9303 code, a @group defined in the file, or
 * * for every nationality not otherwise listed), an admission class, a
 * regime, a stay rule, accepted documents, a minimum remaining document
 * validity, the effective dates (from and to, BOTH INCLUSIVE: to=2024-06-30
 * applies on 30 June and not on 1 July; no `to`: open-ended) and a legal
 * reference.
 *
 * Precedence: a rule for a nationality overrides a rule for a group that
 * contains it, which overrides the default (*). Two rules of the same rank
 * that could apply to the same nationality, class and day are an error
 * (overlap), never silently resolved.
 *
 * Loading is all or nothing: fr_policy_parse builds a new object and hands
 * it back only when the whole file is valid; the caller swaps it in for the
 * policy in force. A loaded policy is immutable: lookups from many threads
 * at once are safe. */
#ifndef FRONTERA_POLICY_H
#define FRONTERA_POLICY_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/stay.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits: a larger file fails with FR_ELIMIT and a sentence. */
#define FR_POLICY_MAX_BYTES (8u << 20)
#define FR_POLICY_MAX_RULES 20000
#define FR_POLICY_MAX_GROUPS 256

typedef enum fr_admission_class {
    FR_CLASS_VISITOR = 0,  /* tourist, business visitor: "visitor" */
    FR_CLASS_TRANSIT = 1,  /* "transit" */
    FR_CLASS_CREW = 2,     /* "crew" */
    FR_CLASS_OFFICIAL = 3, /* diplomatic, official, service passports: "official" */
    FR_CLASS_COUNT = 4
} fr_admission_class;

typedef enum fr_regime {
    FR_REGIME_VISA_FREE = 1,       /* "visa_free" */
    FR_REGIME_VISA_REQUIRED = 2,   /* "visa_required" */
    FR_REGIME_VISA_ON_ARRIVAL = 3, /* "visa_on_arrival" */
    FR_REGIME_EVISA = 4,           /* "evisa" */
    FR_REGIME_ETA = 5,             /* "eta" */
    FR_REGIME_FREE_MOVEMENT = 6    /* "free_movement" */
} fr_regime;

/* Accepted travel documents (bit set). */
#define FR_DOC_PASSPORT 1u
#define FR_DOC_ID_CARD 2u

typedef enum fr_policy_rank {
    FR_RANK_DEFAULT = 1,    /* rule * */
    FR_RANK_GROUP = 2,      /* rule @group */
    FR_RANK_NATIONALITY = 3 /* rule CHN */
} fr_policy_rank;

/* One rule as written in the file. Owned by the policy; valid until
 * fr_policy_free. */
typedef struct fr_policy_rule {
    int line, column; /* where the rule begins in the file */
    const char *who;  /* "CHN", "@andean" or "*" */
    int country;      /* country index (country.h) when who is a code, else -1 */
    fr_policy_rank rank;
    fr_admission_class cls;
    fr_regime regime;
    fr_stay_rule stay;      /* kind FR_STAY_NONE: the visa/permit sets the stay */
    unsigned docs;          /* FR_DOC_* */
    int32_t min_validity;   /* remaining document validity required on entry ... */
    char min_validity_unit; /* ... in 'd' days or 'm' months; 0 when none */
    fr_date from, to;       /* effective, both inclusive; to FR_DATE_NONE: open */
    const char *ref;        /* legal reference (never empty) */
    const char *ref_es;     /* the same in Spanish (ref_es=), or "" */
    const char *note;       /* free text or "" */
    const char *note_es;    /* the note in Spanish (note_es=), or "" */
} fr_policy_rule;

typedef struct fr_policy fr_policy;

/* Parse and validate a whole policy file (len bytes at text). On success
 * *out receives a new policy the caller owns (fr_policy_free) and FR_OK is
 * returned. On failure *out is left untouched, every problem found is
 * written to errs[0..max_errs) (line, column, field, a sentence saying what
 * to fix), *n_errs (may be NULL) receives how many were found (may exceed
 * max_errs) and the first error's code is returned (FR_EPARSE, FR_ECONFLICT,
 * FR_ERANGE, FR_ENOTFOUND, FR_ELIMIT, FR_ENOMEM). errs may be NULL when
 * max_errs is 0. */
FR_API int fr_policy_parse(const char *text, size_t len, fr_policy **out, fr_error *errs,
                           size_t max_errs, size_t *n_errs);
FR_API void fr_policy_free(fr_policy *p);

/* The jurisdiction named in the file ("ECU"), or "" when none. */
FR_API const char *fr_policy_jurisdiction(const fr_policy *p);
FR_API size_t fr_policy_rule_count(const fr_policy *p);
FR_API const fr_policy_rule *fr_policy_rule_at(const fr_policy *p, size_t i);
/* Groups defined in the file: name ("@andean"), members (country indexes). */
FR_API size_t fr_policy_group_count(const fr_policy *p);
FR_API const char *fr_policy_group_name(const fr_policy *p, size_t i);
FR_API int fr_policy_group_has(const fr_policy *p, size_t i, int country);

/* The rule in force for a nationality (country index from fr_country_find),
 * class and day, with precedence applied; NULL when no rule applies (no
 * default rule in the file, or the day is outside every rule's dates).
 * O(log k) over a precomputed per-nationality table; no allocation. */
FR_API const fr_policy_rule *fr_policy_lookup(const fr_policy *p, int country,
                                              fr_admission_class cls, fr_date on);
/* The first day after `after` on which the rule in force for (country, cls)
 * is different (another rule or none), or FR_DATE_NONE when it never changes
 * again. */
FR_API fr_date fr_policy_next_change(const fr_policy *p, int country, fr_admission_class cls,
                                     fr_date after);

/* Earliest document expiry acceptable for an entry on `entry` under rule:
 * entry + min_validity days or months (a document must be valid through that
 * day); entry itself when the rule asks for none. */
FR_API fr_date fr_policy_min_expiry(const fr_policy_rule *r, fr_date entry);

/* Names and their parsers ("visitor", "visa_free"); parse returns -1 when unknown. */
FR_API const char *fr_admission_class_name(fr_admission_class c);
FR_API int fr_admission_class_parse(const char *s, size_t len);
FR_API const char *fr_regime_name(fr_regime r);
FR_API int fr_regime_parse(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
