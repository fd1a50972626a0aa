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
 * have been referred for a namesake (innocent referral). With a policy, the
 * harm itself is measured: each entry that came after another person's
 * crossing on the same traveller is decided by the booth's rule twice, on
 * the ledger's history and on the person's own crossings, and the worse
 * answers caused by the other person's record are counted (fr_linkeval_harm).
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

/* Admissions decided worse because of another person's record. */
typedef struct fr_linkeval_harm {
    uint64_t travellers;     /* travellers holding crossings of more than one person */
    uint64_t entries;        /* their entries after another person's crossing, replayed */
    uint64_t refused;        /* refused, when the person's own record admits or refers */
    uint64_t shortened;      /* authorised stay ends earlier than on the own record */
    uint64_t shortened_days; /* by how many days in all */
    uint64_t referred;       /* referred, when the own record admits */
    /* the cost of not applying another document's days unseen (admit.h,
     * stay.other_documents): entries of one true person on a traveller
     * holding several of that person's documents that came after a crossing
     * on another of them, replayed, and those referred for an officer to
     * confirm that the documents are one person's */
    uint64_t renewal_entries;
    uint64_t renewal_referred;
} fr_linkeval_harm;

typedef struct fr_linkeval {
    uint64_t events;
    int harm_measured; /* 1 when a policy was given: harm below is filled */
    fr_linkeval_harm harm;
    fr_linkeval_counts total;
    size_t nnat;
    fr_linkeval_counts nat[FR_LINKEVAL_MAX_NAT]; /* by nationality, most documents first */
} fr_linkeval;

/* Walk the ledger and the truth (a CSV with header event_id,person) and
 * fill *out; with a policy (may be NULL: harm not measured) replay the
 * admissions exposed to another person's record (fr_linkeval_harm).
 * Errors: FR_EINVAL (the truth does not match the ledger: line and reason
 * in err), FR_EPARSE, FR_ENOMEM, or the store's. */
struct fr_policy;
FR_API int fr_linkeval_run(fr_store *s, fr_csv *truth, const struct fr_policy *policy,
                           fr_linkeval *out, fr_error *err);

/* precision or recall as a fraction; 1 when the denominator is 0 */
FR_API double fr_linkeval_ratio(uint64_t num, uint64_t den);

#ifdef __cplusplus
}
#endif
#endif
