/* SPDX-License-Identifier: MIT */
/* linkeval.h: how well the ledger linked documents to travellers, measured
 * against a ground truth (the true person of each event, as `frontera synth
 * --truth` writes it).
 *
 * Pairwise, as record-linkage studies count: a pair of documents is
 * predicted linked when the ledger gives both to one traveller, truly
 * linked when one person holds both. Precision = correct / predicted pairs,
 * recall = correct / true pairs; overall and by nationality. Harm at the
 * booth: a document given to a traveller that already held another
 * person's document would have shown that person's history (exposed); a
 * document put under review whose candidates are all other people would
 * have been referred for a namesake (innocent referral).
 *
 * The truth is read in the ledger's arrival order (the order the synthetic
 * file was imported in): each exported event must be the next truth row,
 * else FR_EINVAL names the line. Not thread-safe per call. */
#ifndef FRONTERA_LINKEVAL_H
#define FRONTERA_LINKEVAL_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/csv.h"
#include "frontera/status.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_LINKEVAL_MAX_NAT 64

typedef struct fr_linkeval_counts {
    char nationality[4]; /* "" for the total */
    uint64_t documents, persons;
    uint64_t true_pairs, predicted_pairs, correct_pairs;
    uint64_t exposed;           /* documents given to a traveller holding another's earlier one */
    uint64_t innocent_referred; /* documents reviewed against other people only */
    uint64_t reviewed;          /* documents under review at all */
} fr_linkeval_counts;

typedef struct fr_linkeval {
    uint64_t events;
    fr_linkeval_counts total;
    size_t nnat;
    fr_linkeval_counts nat[FR_LINKEVAL_MAX_NAT]; /* by nationality, most documents first */
} fr_linkeval;

/* Walk the ledger and the truth (a CSV with header event_id,person) and
 * fill *out. Errors: FR_EINVAL (the truth does not match the ledger: line
 * and reason in err), FR_EPARSE, FR_ENOMEM, or the store's. */
FR_API int fr_linkeval_run(fr_store *s, fr_csv *truth, fr_linkeval *out, fr_error *err);

/* precision or recall as a fraction; 1 when the denominator is 0 */
FR_API double fr_linkeval_ratio(uint64_t num, uint64_t den);

#ifdef __cplusplus
}
#endif
#endif
