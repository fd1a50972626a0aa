/* SPDX-License-Identifier: MIT */
/* history.h: one traveller's crossings as the ledger knows them: the
 * events in time order with exits paired to entries, the documents and how
 * each was linked to the traveller, open link reviews, and the current stay.
 *
 * A history is what the admission decision (admit.h) reads and what a store
 * (store.h) returns; it is a plain value with three arrays, freed with
 * fr_history_free. The pairing rule that fills `paired` and the anomaly bits
 * is one function (fr__ledger_pair, used by every store backend and by the
 * analytics index). Pure and thread-safe. */
#ifndef FRONTERA_HISTORY_H
#define FRONTERA_HISTORY_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a document was linked to its traveller. */
typedef enum fr_link_kind {
    FR_LINK_NONE = 0,     /* (fr_store_resolve) no traveller found */
    FR_LINK_DOCUMENT = 1, /* the document was already known */
    FR_LINK_NEW = 2,      /* a new traveller */
    FR_LINK_RENEWAL = 3,  /* a new document of a known traveller (same nationality,
                             birth date and names) */
    FR_LINK_REVIEW = 4    /* a new traveller, with a possible match kept for review */
} fr_link_kind;

FR_API const char *fr_link_kind_name(fr_link_kind k); /* "document", "new", ... */

typedef struct fr_history_item {
    int64_t row;
    char event_id[FR_EVENT_ID_MAX + 1];
    fr_event_kind kind;
    fr_datetime at;
    int64_t at_utc; /* seconds since the epoch, UTC */
    char port[6];
    int64_t document_row;
    char admission_class[FR_CLASS_MAX + 1];
    fr_date authorised_until; /* FR_DATE_NONE when not given */
    char decision[16];
    char officer[FR_OFFICER_MAX + 1]; /* who recorded it ("" when not said) */
    unsigned anomalies;
    ptrdiff_t paired; /* exit: index of its entry; entry: index of its exit; -1 none */
} fr_history_item;

typedef struct fr_history_document {
    int64_t row;
    fr_document doc;
    fr_link_kind link;
} fr_history_document;

typedef struct fr_history_review {
    int64_t id;                  /* the review's number (frontera review resolve ID) */
    int64_t document_row;        /* the document whose link is uncertain */
    int64_t traveller_id;        /* the traveller it was given */
    int64_t candidate_traveller; /* the traveller it may belong to */
    double bits;                 /* the match weight (linkage.h) */
    char reason[400];            /* the evidence, explained */
} fr_history_review;

typedef struct fr_history {
    int64_t traveller_id;
    fr_history_item *items; /* by event time (UTC instant), then arrival */
    size_t count;
    fr_history_document *documents;
    size_t ndocuments;
    fr_history_review *reviews; /* open reviews naming this traveller on either side */
    size_t nreviews;
    /* current stay, from the items */
    int in_country;           /* the last entry/exit is an entry */
    ptrdiff_t open_entry;     /* its index, or -1 */
    fr_date authorised_until; /* of the open entry, or a later extension; NONE */
    unsigned anomalies;       /* OR of the items' flags */
} fr_history;

/* Free a history (NULL is a no-op). */
FR_API void fr_history_free(fr_history *h);

#ifdef __cplusplus
}
#endif
#endif
