/* SPDX-License-Identifier: MIT */
/* ledger.h (internal): backend-neutral rules of the crossings ledger, shared
 * by store.c and every backend: name normalisation, the exact person
 * comparison, content digests for idempotent retries, exit matching, and the
 * current-stay summary of a history. Pure functions, thread-safe. */
#ifndef FR_LEDGER_H
#define FR_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/event.h"
#include "frontera/history.h"

/* Upper-case ASCII letters, turn '<' and runs of spaces into one space,
 * trim; in place. */
void fr__ledger_name_norm(char *s);

/* The person fields of a known traveller, for the linking rule. */
typedef struct fr_ledger_person {
    const char *surname, *given_names, *nationality;
    fr_date birth_date;
    char sex;
} fr_ledger_person;

typedef enum { FR_MATCH_NONE = 0, FR_MATCH_SAME = 1, FR_MATCH_UNCERTAIN = 2 } fr_ledger_match;

/* Compare a new document's holder with a known traveller (docs/ledger.md,
 * "Linking documents"). On FR_MATCH_UNCERTAIN, *why (may be NULL) gets a
 * static sentence. A document without surname, nationality or birth date
 * never matches. Any match (certain or not) has the same birth date and the
 * same nationality or the same surname: backends may pre-filter on that. */
fr_ledger_match fr__ledger_person_match(const fr_document *doc, const fr_ledger_person *p,
                                        const char **why);

/* Levenshtein distance of a and b, or limit+1 when it exceeds limit. */
int fr__ledger_distance(const char *a, const char *b, int limit);

/* 64-bit digests: of an event's own content (the document by state and
 * number only: its person fields belong to the document, so an export of
 * the ledger imports back into it as duplicates), and of a document's
 * person fields (to see a document reread with other data). */
int64_t fr__ledger_event_digest(const fr_event *ev);
int64_t fr__ledger_person_digest(const fr_document *doc);

/* A purged (de-identified) event (store.h fr_store_purge): its new event id,
 * "purged ROW" (a space, so no sender's id can take it), and its new digest,
 * made only of what it keeps, so it confirms no guess of the document. */
#define FR_LEDGER_PURGED_PREFIX "purged "
void fr__ledger_purged_id(int64_t row, char out[FR_EVENT_ID_MAX + 1]);
int64_t fr__ledger_purged_digest(int64_t row, fr_event_kind kind, int64_t at_utc, const char *port,
                                 const char *nationality);

/* Exit matching over one traveller's entries and exits in event-time order:
 * kinds[i] in, anomalies[i] (pairing bits only) and paired[i] (exit -> index
 * of its entry, else -1) out. The one rule every backend applies. */
void fr__ledger_pair(const fr_event_kind *kinds, size_t n, unsigned *anomalies, ptrdiff_t *paired);

/* Fill h's derived fields (paired both ways, in_country, open_entry,
 * authorised_until, anomalies) from h->items, which must be in time order
 * with paired set on exits only (as indices). */
void fr__ledger_history_finish(fr_history *h);

#endif
