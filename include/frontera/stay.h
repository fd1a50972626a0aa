/* SPDX-License-Identifier: MIT */
/* stay.h: stay rules and the stay calculator.
 *
 * A stay rule limits how long a person may remain. Five families:
 *   rolling:N/W         at most N days in any window of W days; the window
 *                       ending on day D is D-W+1..D (Schengen: rolling:90/180)
 *   period:N/Yy[+E]     N days within a period of Y years counted from the
 *                       first entry of that period; +E: one extension of E
 *                       days may be granted (Ecuador: period:90/1y+90)
 *   calendar-year:N     N days per calendar year (1 January..31 December)
 *   per-admission:N[,doc-expiry]
 *                       N days from the day of entry (entry day is day 1);
 *                       ",doc-expiry": never beyond the document's expiry
 *   until:YYYY-MM-DD    an explicit date given at admission
 *
 * Conventions (docs/stay.md): dates only; the entry day and the exit day
 * both count; overlapping records and a same-day exit and re-entry count a
 * day once (records are merged into continuous presence); a stay with no
 * exit counts through the check date; presence after the check date is
 * ignored (the answer is "as of" the check date).
 *
 * The calculator allocates nothing: histories up to FR_STAY_MAX_RECORDS
 * records are merged in a fixed buffer on the stack. All functions are pure
 * and thread-safe. */
#ifndef FRONTERA_STAY_H
#define FRONTERA_STAY_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest history fr_stay_eval accepts (FR_ELIMIT beyond). */
#define FR_STAY_MAX_RECORDS 1024
/* Buffer size for fr_stay_rule_format. */
#define FR_STAY_RULE_BUFSZ 48

typedef enum fr_stay_kind {
    FR_STAY_NONE = 0,          /* no stay rule (the visa or permit sets the stay) */
    FR_STAY_ROLLING = 1,       /* max_days in any window of window_days */
    FR_STAY_PERIOD = 2,        /* max_days per period_years from first entry */
    FR_STAY_CALENDAR_YEAR = 3, /* max_days per calendar year */
    FR_STAY_PER_ADMISSION = 4, /* max_days from the day of entry */
    FR_STAY_UNTIL = 5          /* until the date `until` */
} fr_stay_kind;

typedef struct fr_stay_rule {
    fr_stay_kind kind;
    int32_t max_days;        /* N (rolling, period, calendar-year, per-admission) */
    int32_t window_days;     /* W (rolling) */
    int32_t period_years;    /* Y (period) */
    int32_t extension_days;  /* E (period): granted on request, see FR_STAY_EXTENDED */
    int32_t cap_at_document; /* 1: never authorise beyond the document's expiry */
    fr_date until;           /* the date (until) */
} fr_stay_rule;

/* Parse a rule ("rolling:90/180", "period:90/1y+90", "calendar-year:90",
 * "per-admission:90,doc-expiry", "until:2025-03-01", "none") from len bytes.
 * N is 1..3660, W is N+1..3660 days, Y is 1..10 (N+E below 365*Y), E is
 * 1..3660. Returns FR_OK
 * or FR_EPARSE/FR_ERANGE with err->column (1-based in s) and a sentence. */
FR_API int fr_stay_rule_parse(const char *s, size_t len, fr_stay_rule *out, fr_error *err);
/* Canonical text of a rule (parses back to the same rule); returns buf. */
FR_API char *fr_stay_rule_format(const fr_stay_rule *r, char buf[FR_STAY_RULE_BUFSZ]);

/* One stay: entry and exit dates, both days of presence. exit FR_DATE_NONE:
 * still present (counts through the check date). */
typedef struct fr_stay_record {
    fr_date entry;
    fr_date exit;
} fr_stay_record;

/* Evaluation options. */
#define FR_STAY_EXTENDED 1u /* period rule: the extension has been granted (N+E) */

typedef struct fr_stay_result {
    fr_date window_start;   /* first day of the window/period/year/admission considered */
    fr_date window_end;     /* its last day (rolling: the check date) */
    int32_t max_days;       /* the allowance applied in that window (N, N+E, ...) */
    int32_t days_used;      /* days of presence in window_start..check date */
    int32_t days_remaining; /* max(0, max_days - days_used): the snapshot */
    fr_date latest_exit;    /* latest day the person may remain if present or entering
                               on the check date and staying on; FR_DATE_NONE: none */
    int32_t max_stay_days;  /* latest_exit - check date + 1, or 0 */
    int32_t overstay_days;  /* max(0, days_used - max_days) */
    int32_t days_in_breach; /* days of presence, up to the check date, on which the
                               rule was broken (the whole history) */
    int32_t present; /* 1 when the history places the person in the country on the check date */
} fr_stay_result;

/* Evaluate rule for the history (n records, any order, may overlap) as of
 * the check date `on`. doc_expiry (FR_DATE_NONE: unknown) caps latest_exit
 * when rule->cap_at_document is set. flags: FR_STAY_EXTENDED.
 * Errors: FR_EINVAL (NULL, kind NONE, a record with exit before entry, a
 * date out of range, a check date after 9978-02-04), FR_ELIMIT (more than FR_STAY_MAX_RECORDS
 * records). err may be NULL; its column/line are 0, its field names the record
 * ("stay 3"). No allocation. */
FR_API int fr_stay_eval(const fr_stay_rule *rule, const fr_stay_record *history, size_t n,
                        fr_date on, fr_date doc_expiry, unsigned flags, fr_stay_result *out,
                        fr_error *err);

/* The admission question: may the person be admitted on `entry` and until
 * when? */
typedef enum fr_stay_limit {
    FR_STAY_LIMIT_RULE = 1,     /* the stay rule */
    FR_STAY_LIMIT_DOCUMENT = 2, /* the document's expiry (rule->cap_at_document) */
    FR_STAY_LIMIT_INTENDED = 3  /* the intended stay asked for is shorter */
} fr_stay_limit;

typedef struct fr_stay_authorisation {
    fr_date authorised_until; /* last day of authorised stay; FR_DATE_NONE when exhausted */
    int32_t authorised_days;  /* authorised_until - entry + 1, or 0 */
    int32_t exhausted;        /* 1: no day is available on `entry` (refuse under this rule) */
    int32_t shortened;        /* 1: intended_days asked for more than the rule allows */
    fr_stay_limit limited_by; /* what set authorised_until */
    fr_stay_result eval;      /* the evaluation on the entry date */
} fr_stay_authorisation;

/* Evaluate the rule on the entry date (the history must not contain the new
 * entry) and derive the authorised-until date: the latest exit, capped at
 * doc_expiry when the rule says so, and at entry + intended_days - 1 when
 * intended_days > 0. Errors as fr_stay_eval. */
FR_API int fr_stay_authorise(const fr_stay_rule *rule, const fr_stay_record *history, size_t n,
                             fr_date entry, fr_date doc_expiry, int32_t intended_days,
                             unsigned flags, fr_stay_authorisation *out, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
