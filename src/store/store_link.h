/* SPDX-License-Identifier: MIT */
/* store_link.h (internal): the linking decision every backend runs for a
 * new document, once (store_link.c). A backend supplies the blocking rows
 * (travellers born on one of fr_linkage_birth_keys of the document's birth
 * date, with the same nationality or surname), the totals of its frequency
 * tables, and two look-ups per candidate (its name and birth-date
 * frequencies; its latest document and last crossing); the driver bounds,
 * scores (core/linkage.c), keeps the candidates at or above review and
 * decides. SQLite and PostgreSQL both call it, so they agree by
 * construction. */
#ifndef FR_STORE_LINK_H
#define FR_STORE_LINK_H

#include "frontera/history.h"
#include "frontera/linkage.h"
#include "frontera/status.h"

/* A blocking row: a known traveller's person fields. */
typedef struct fr_slink_row {
    int64_t id;
    char surname[FR_NAME_MAX + 1], given_names[FR_NAME_MAX + 1], nationality[4];
    char sex;
    fr_date birth_date;
} fr_slink_row;

/* The backend's look-ups. name_birth fills f->name and f->birth for the
 * candidate (the rest of f is already set); travel fills c->doc_state
 * (pointing into state), c->doc_type (into type: the kind of its document
 * compared with doc, "" when unknown), c->doc_expiry, c->last_seen and
 * c->in_country. */
typedef struct fr_slink_source {
    int (*name_birth)(void *ud, const fr_slink_row *x, fr_linkage_freq *f, fr_error *err);
    int (*travel)(void *ud, const fr_document *doc, fr_linkage_candidate *c, char state[4],
                  char type[3], fr_error *err);
    void *ud;
} fr_slink_source;

/* The candidates at or above the review threshold, best first (ties: the
 * lower traveller id first), and the outcome: the best one's, except that a
 * second candidate at review or above makes a LINK a REVIEW. */
#define FR_SLINK_MAX 8
typedef struct fr_slink_result {
    fr_linkage_outcome outcome;
    size_t n;
    int64_t ids[FR_SLINK_MAX];
    fr_linkage_score score[FR_SLINK_MAX];
} fr_slink_result;

/* Whether the document can be linked at all (birth date, surname and
 * nationality known); when 0 the outcome is NEW with no look-up. */
int fr__slink_wanted(const fr_document *d);

/* Could row x reach review from its person fields with f (name and birth
 * frequencies taken as f says)? Backends may drop rows with it early. */
int fr__slink_may_review(const fr_linkage_params *p, const fr_linkage_query *q,
                         const fr_slink_row *x, const fr_linkage_freq *f);
/* The same for a row whose fields are not copied into an fr_slink_row yet
 * (names at most FR_NAME_MAX bytes, as a copy would hold them). */
int fr__slink_may_review_at(const fr_linkage_params *p, const fr_linkage_query *q, int64_t id,
                            const char *surname, const char *given_names, const char *nationality,
                            fr_date birth, char sex, const fr_linkage_freq *f);
/* Append x to *rows (*n of them, grown eight at a time; the caller frees)
 * when it may reach review (fr__slink_may_review); FR_ENOMEM with err set. */
int fr__slink_keep_row(const fr_linkage_params *p, const fr_linkage_query *q,
                       const fr_linkage_freq *f, const fr_slink_row *x, fr_slink_row **rows,
                       size_t *n, fr_error *err);

/* The blocking dates worth reading for q (into out, returns how many, 0..3):
 * those of fr_linkage_birth_keys on which some candidate could pass
 * fr__slink_may_review with the totals in f (fr_linkage_key_bound). With
 * millions of travellers the 1st of January of the birth year can only
 * reach review for a rare nationality, so it is mostly skipped; the rows
 * it would have given are all refused by fr__slink_may_review. */
size_t fr__slink_keys(const fr_linkage_params *p, const fr_linkage_query *q,
                      const fr_linkage_freq *f, fr_date out[3]);

/* Decide for q over rows[0..n) with the totals in f (travellers,
 * nationality). An error of a look-up is returned as is. */
int fr__slink_decide(const fr_linkage_params *p, const fr_linkage_query *q,
                     const fr_linkage_freq *f, const fr_slink_row *rows, size_t n,
                     const fr_slink_source *src, fr_slink_result *r, fr_error *err);

/* The link kind of an outcome for a record (NEW -> FR_LINK_NEW) or for a
 * look-up without writing (NEW -> FR_LINK_NONE). */
fr_link_kind fr__slink_kind(fr_linkage_outcome o, int recording);

#endif
