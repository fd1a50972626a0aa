/* SPDX-License-Identifier: MIT */
/* retention.h: how long the ledger keeps a person's data, and when a
 * person's data is due to be erased (docs/retention.md).
 *
 * The default follows the EU Entry/Exit System (Regulation (EU) 2017/2226,
 * Art. 34): a stay closed by an exit is kept exit_years (3) after the exit;
 * an entry never closed by an exit (an overstayer, or someone still in the
 * country) is kept overstay_years (5) after the last day of its authorised
 * stay (after the entry day when no stay was authorised); a refusal or an
 * encounter with no later exit is kept overstay_years after it. A person
 * is kept as long as any of their records is: the purge erases a person
 * whole or not at all. Pure, no allocation, thread-safe. */
#ifndef FRONTERA_RETENTION_H
#define FRONTERA_RETENTION_H

#include "frontera/api.h"

#include <stddef.h>

#include "frontera/date.h"
#include "frontera/event.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_RETENTION_EXIT_YEARS 3
#define FR_RETENTION_OVERSTAY_YEARS 5
#define FR_RETENTION_YEARS_MAX 100

typedef struct fr_retention {
    int exit_years;     /* after the exit that closes a stay (1..100) */
    int overstay_years; /* after an unclosed stay's end, or a refusal/encounter with no
                           later exit (1..100) */
    int manifest_days;  /* airline manifests (arrivals.h): days after the flight's arrival
                           (1..FR_RETENTION_MANIFEST_DAYS_MAX, and less than exit_years: a
                           manifest is erased while the entries it is matched to are kept) */
} fr_retention;
#define FR_RETENTION_MANIFEST_DAYS 90
#define FR_RETENTION_MANIFEST_DAYS_MAX 3650

/* Which record keeps a person longest. */
typedef enum fr_retention_rule {
    FR_RETAIN_NONE = 0,     /* no events: nothing keeps the person */
    FR_RETAIN_EXIT = 1,     /* an exit (or a record followed by one) */
    FR_RETAIN_OVERSTAY = 2, /* an entry never closed by an exit */
    FR_RETAIN_REFUSAL = 3   /* a refusal or an encounter with no later exit */
} fr_retention_rule;

/* One event of a person, as the rule needs it. */
typedef struct fr_retention_event {
    fr_event_kind kind;
    fr_date date;             /* local civil date */
    fr_date authorised_until; /* entries and extensions; FR_DATE_NONE: not given */
} fr_retention_event;

/* The EES defaults (3 and 5 years). */
FR_API void fr_retention_defaults(fr_retention *r);
/* FR_OK, or FR_EINVAL (err->field "exit_years" or "overstay_years") when a
 * period is outside 1..FR_RETENTION_YEARS_MAX. */
FR_API int fr_retention_check(const fr_retention *r, fr_error *err);

/* The last day a person's data is kept, given all of their events in
 * event-time order (the order exits are paired in), and (rule, may be NULL)
 * the rule that sets it. FR_DATE_NONE when n is 0. A person is due for
 * erasure on any day after it: fr_retention_due. */
FR_API fr_date fr_retention_keep_until(const fr_retention *r, const fr_retention_event *ev,
                                       size_t n, fr_retention_rule *rule);

/* 1 when a person kept until keep_until is due on as_of (as_of is after
 * keep_until, or keep_until is FR_DATE_NONE), else 0. */
FR_API int fr_retention_due(fr_date keep_until, fr_date as_of);

/* The earliest cutoffs of a run on as_of, for reports and the audit log:
 * exits on or before *exit_cutoff, and unclosed stays ended (refusals made)
 * on or before *overstay_cutoff, are past their period. */
FR_API void fr_retention_cutoffs(const fr_retention *r, fr_date as_of, fr_date *exit_cutoff,
                                 fr_date *overstay_cutoff);

#ifdef __cplusplus
}
#endif
#endif
