/* SPDX-License-Identifier: MIT */
/* linkage.h: probabilistic record linkage of a new travel document to the
 * travellers the ledger already knows (Fellegi-Sunter, in the manner of the
 * UK Ministry of Justice's Splink).
 *
 * Each piece of evidence - names, birth date, sex, nationality, issuing
 * state, the documents' expiry dates and renewal timing, travel consistency
 * - is compared at one of a few levels; each level has an m probability (of
 * seeing it when the two records are the same person) and a u probability
 * (when they are two people). The match weight is log2 of the prior odds
 * plus the sum of log2(m/u) over the comparisons, in bits: 10 bits is odds
 * of about 1000 to 1. Exact name and birth-date agreement use term
 * frequencies: u is the share of travellers of that nationality carrying
 * that name (and of all travellers born that day), so that WANG WEI born on
 * a given day is weak evidence and a rare name strong evidence.
 *
 * Outcome by two thresholds (fr_linkage_params): at or above link_bits the
 * document joins the candidate; at or above review_bits a new traveller is
 * created and the candidate kept for a supervisor's review; below, a new
 * traveller. Defaults and their meaning are in docs/ledger.md, "Linking".
 *
 * The store supplies candidates (by blocking on the birth date, its
 * day/month swap and the 1st of January of its year, with the same
 * nationality or surname) and the frequencies; everything here is pure and
 * thread-safe. No ICU: name comparison is on the normalised upper-case
 * ASCII the ledger stores (see docs/ledger.md for why the screening
 * module's romanisation tables are not used). */
#ifndef FRONTERA_LINKAGE_H
#define FRONTERA_LINKAGE_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/event.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_linkage_params {
    double link_bits;    /* weight at or above which a document is linked */
    double review_bits;  /* at or above (and below link_bits): review */
    double renewal_rate; /* prior: share of new documents whose holder is already known */
} fr_linkage_params;

/* link_bits 9.5, review_bits 4, renewal_rate 0.02 (docs/ledger.md). */
FR_API void fr_linkage_defaults(fr_linkage_params *p);

/* Frequencies the store keeps (counts of travellers as created). */
typedef struct fr_linkage_freq {
    int64_t travellers;  /* all travellers */
    int64_t nationality; /* travellers of the new document's nationality */
    int64_t name;        /* of the candidate's nationality with its surname and given names */
    int64_t birth;       /* born on the candidate's birth date */
} fr_linkage_freq;

/* A known traveller the new document may belong to, as the store sees it. */
typedef struct fr_linkage_candidate {
    int64_t traveller_id;
    const char *surname, *given_names, *nationality;
    fr_date birth_date;
    char sex;
    /* its most recent document; state "" when unknown */
    const char *doc_state;
    fr_date doc_expiry;
    /* its travel: date of its last entry or exit, and whether that was an
     * entry (still in the country); last_seen FR_DATE_NONE when no travel */
    fr_date last_seen;
    int in_country;
    /* the document code (MRZ: "P" passport; "I", "A", "C" identity cards)
     * of doc_state/doc_expiry: the store gives the latest document of the
     * new one's kind when the candidate has one, else its latest; "" or
     * NULL when unknown (then taken as the same kind) */
    const char *doc_type;
} fr_linkage_candidate;

/* The new document and the event that first shows it. */
typedef struct fr_linkage_query {
    const fr_document *doc;
    fr_date day;  /* the event's date */
    int entering; /* the event is an entry */
} fr_linkage_query;

typedef enum fr_linkage_outcome {
    FR_LINKAGE_NEW = 0,
    FR_LINKAGE_REVIEW = 1,
    FR_LINKAGE_LINK = 2
} fr_linkage_outcome;

#define FR_LINKAGE_MAX_ITEMS 10

/* One comparison: field ("name", "birth_date", ...), level ("exact",
 * "day_month_swapped", ...) and its weight in bits. Static strings. */
typedef struct fr_linkage_item {
    const char *field, *level;
    double bits;
} fr_linkage_item;

typedef struct fr_linkage_score {
    double bits;         /* total match weight, prior included */
    const char *no_link; /* NULL, or why this pair is never linked without a
                            person's review whatever the weight: another
                            nationality (a dual national's passports may be
                            used side by side), or an entry while the
                            candidate is still in the country */
    size_t n;
    fr_linkage_item items[FR_LINKAGE_MAX_ITEMS]; /* items[0] is the prior */
} fr_linkage_score;

/* Score the pair. Needs the document's surname and birth date; without them
 * the weight is -INFINITY-like (-1000) with no items. */
FR_API void fr_linkage_compare(const fr_linkage_params *p, const fr_linkage_query *q,
                               const fr_linkage_candidate *c, const fr_linkage_freq *f,
                               fr_linkage_score *out);

/* The highest weight the pair could reach once the document and travel
 * evidence is known, from the person fields alone: the store skips the
 * document and travel look-ups of a candidate below review_bits. */
FR_API double fr_linkage_upper_bound(const fr_linkage_params *p, const fr_linkage_query *q,
                                     const fr_linkage_candidate *c, const fr_linkage_freq *f);

/* The highest fr_linkage_upper_bound of any candidate born on `key`,
 * whatever its nationality, names and sex (-1000 when no candidate born
 * then can be scored): a blocking date below review_bits need not be read.
 * Never below the bound of a candidate born on key with the same f. */
FR_API double fr_linkage_key_bound(const fr_linkage_params *p, const fr_linkage_query *q,
                                   fr_date key, const fr_linkage_freq *f);

/* The outcome of a score: LINK at or above link_bits unless s->no_link
 * (then REVIEW), REVIEW at or above review_bits, else NEW. */
FR_API fr_linkage_outcome fr_linkage_decide(const fr_linkage_params *p, const fr_linkage_score *s);

/* The evidence as one line for people: "weight 12.3 bits: name exact
 * +9.8, birth_date exact +14.1, ...". Returns the length (truncated to cap-1
 * like snprintf). */
FR_API size_t fr_linkage_explain(const fr_linkage_score *s, char *buf, size_t cap);

/* The reverse of fr_linkage_explain, for what a ledger stored (a review's
 * evidence): bits, no_link and each comparison, with field, level and
 * no_link pointing at this module's static strings, so that a program can
 * say each in its user's words. A field, level or reason this version does
 * not know, or text of another shape, is FR_EPARSE with the column (1-based)
 * and "evidence" as the field; *out is then cleared. */
FR_API int fr_linkage_explain_parse(const char *text, fr_linkage_score *out, fr_error *err);

/* A stable code for a score's no_link reason: "other_nationality",
 * "names_differ", "entry_while_in_country"; NULL for NULL or an unknown
 * text. */
FR_API const char *fr_linkage_no_link_code(const char *no_link);

/* The blocking dates for a birth date: the date itself, its day/month swap
 * (when both are 1..12 and differ) and the 1st of January of its year (the
 * usual stand-in for an unknown day and month). Returns how many (1..3),
 * distinct, written to out. */
FR_API size_t fr_linkage_birth_keys(fr_date birth, fr_date out[3]);

#ifdef __cplusplus
}
#endif
#endif
