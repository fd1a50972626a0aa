/* SPDX-License-Identifier: MIT */
/* linkeval_internal.h: the booth-harm half of linkeval (linkeval_harm.c),
 * called by linkeval.c. Library-internal. */
#ifndef FR_LINKEVAL_INTERNAL_H
#define FR_LINKEVAL_INTERNAL_H

#include "frontera/linkeval.h"
#include "frontera/policy.h"

/* The true person of a document of the ledger, or UINT32_MAX when the
 * document is not among the evaluated events. */
typedef uint32_t (*lk_person_fn)(void *ud, const char *state, const char *number);

/* Replay at the booth every entry of traveller tid that came after a
 * crossing of another person on the same traveller: decide it on the
 * ledger's history (as the booth saw it) and on the person's own crossings
 * only, and count in *h the decisions made worse by the other person's
 * record. FR_OK or the store's error. */
int fr__lk_harm_traveller(fr_store *s, const fr_policy *policy, int64_t tid, lk_person_fn person,
                          void *ud, fr_linkeval_harm *h, fr_error *err);

/* Replay at the booth every entry of traveller tid (one true person with
 * several documents) that came after a crossing on another of its
 * documents, on the ledger's history, and count in h->renewal_entries and
 * h->renewal_referred those the booth refers because the other documents'
 * days would shorten or end the stay. FR_OK or the store's error. */
int fr__lk_renewal_traveller(fr_store *s, const fr_policy *policy, int64_t tid, fr_linkeval_harm *h,
                             fr_error *err);

#endif
