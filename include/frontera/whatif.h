/* SPDX-License-Identifier: MIT */
/* whatif.h: apply a visa policy to the arrivals of the past.
 *
 * For every entry dated within [from, to], the what-if looks up the rule a
 * policy file (policy.h) would have applied to that nationality, admission
 * class and day, and counts by nationality: the arrivals, those who would
 * have needed a visa (regime visa_required or evisa) under the policy, and
 * under the baseline policy (the one in force then) when one is given.
 * Among the arrivals who entered visa-free (visa_free or free_movement under
 * the baseline, or under the policy when there is no baseline) it counts
 * the overstays (an exit of the same document after the authorised-until
 * date) and the non-exits (no exit by the report date although the
 * authorised stay had ended; entries with no authorised-until get
 * FR_SERIES_DEFAULT_STAY days). Exits are matched by document (issuing state
 * + number) in the order events are added, which must be time order.
 *
 * An fr_whatif is used by one thread; the policies must outlive it. */
#ifndef FRONTERA_WHATIF_H
#define FRONTERA_WHATIF_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/event.h"
#include "frontera/policy.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_whatif_row {
    int nationality;             /* country index (country.h) */
    uint64_t arrivals;           /* entries within [from, to] */
    uint64_t need_visa;          /* ... that would need a visa under the policy */
    uint64_t need_visa_baseline; /* ... that needed one under the baseline (0 without one) */
    uint64_t no_rule;            /* ... for which the policy has no rule that day */
    uint64_t visa_free;          /* ... that entered visa-free (baseline, else policy) */
    uint64_t overstays;          /* visa-free entrants who left after their authorised stay */
    uint64_t nonexits;           /* visa-free entrants with no exit once their stay ended */
} fr_whatif_row;

typedef struct fr_whatif fr_whatif;

/* policy is required; baseline may be NULL; from/to may be FR_DATE_NONE
 * (open). *out is owned by the caller (fr_whatif_free). FR_EINVAL, FR_ENOMEM. */
FR_API int fr_whatif_new(const fr_policy *policy, const fr_policy *baseline, fr_date from,
                         fr_date to, fr_whatif **out);
FR_API void fr_whatif_free(fr_whatif *w); /* NULL is a no-op */

/* Count one event (entries and exits; others are ignored). An entry whose
 * nationality is not a valid code is skipped. FR_ENOMEM only. */
FR_API int fr_whatif_add(fr_whatif *w, const fr_event *ev);

/* Settle the open entries as of the report date (FR_DATE_NONE: the day after
 * the last event) and return one row per nationality with arrivals, most
 * arrivals first (then by code): *rows (caller frees with fr_free) and *n.
 * The what-if may not be added to afterwards. FR_ENOMEM. */
FR_API int fr_whatif_finish(fr_whatif *w, fr_date as_of, fr_whatif_row **rows, size_t *n);

/* Does a regime require a visa obtained before travel (visa_required, evisa)? */
FR_API int fr_whatif_regime_needs_visa(fr_regime r);

#ifdef __cplusplus
}
#endif
#endif
