/* SPDX-License-Identifier: MIT */
/* stay_internal.h: shared by the stay calculator and its reference.
 *
 * fr__stay_merge normalises a history into disjoint sorted intervals of
 * presence (clipped at the check date, records that share a day merged).
 * fr__stay_eval_naive is the day-by-day reference implementation: it applies
 * each definition literally over a bitmap of days, allocates, and is slow;
 * tests compare fr_stay_eval with it on random histories and the benchmark
 * uses it as the baseline. */
#ifndef FR_STAY_INTERNAL_H
#define FR_STAY_INTERNAL_H

#include "frontera/stay.h"

typedef struct fr_stay_iv {
    fr_date s, e; /* both days of presence */
} fr_stay_iv;

/* Validate, clip at `on`, sort and merge history into out (capacity
 * FR_STAY_MAX_RECORDS). Returns the count, or a negative fr_status. */
int fr__stay_merge(const fr_stay_record *history, size_t n, fr_date on, fr_stay_iv *out,
                   fr_error *err);

/* Shared tail of both implementations: days_remaining, overstay_days, the
 * document cap on latest_exit and max_stay_days from the other fields. */
void fr__stay_finish(const fr_stay_rule *rule, fr_date on, fr_date doc_expiry, fr_stay_result *o);

/* The reference implementation; same contract as fr_stay_eval except that it
 * allocates (FR_ENOMEM). */
int fr__stay_eval_naive(const fr_stay_rule *rule, const fr_stay_record *history, size_t n,
                        fr_date on, fr_date doc_expiry, unsigned flags, fr_stay_result *out,
                        fr_error *err);

#endif
