/* SPDX-License-Identifier: MIT */
/* retention.c: the retention rule (retention.h): the last day a person's
 * data is kept, from their events in event-time order.
 *
 * One pass, pairing as the ledger does (an exit closes the open entry; an
 * entry while one is open leaves the earlier one unclosed): each record
 * gives a keep-until date and the person is kept until the latest of them.
 * An exit: exit_years after it. An entry closed by an exit: covered by the
 * exit. An entry never closed by an exit: overstay_years after the last day
 * of its authorised stay, extensions included (after the entry day when no
 * stay was authorised). A refusal or encounter: exit_years after it when an
 * exit follows it, else overstay_years. An extension: exit_years after it
 * (its stay's own date is counted with the entry). */
#include "frontera/retention.h"

void fr_retention_defaults(fr_retention *r)
{
    r->exit_years = FR_RETENTION_EXIT_YEARS;
    r->overstay_years = FR_RETENTION_OVERSTAY_YEARS;
    r->manifest_days = FR_RETENTION_MANIFEST_DAYS;
}

int fr_retention_check(const fr_retention *r, fr_error *err)
{
    if (r->exit_years < 1 || r->exit_years > FR_RETENTION_YEARS_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "exit_years",
                            "the retention after an exit must be 1..%d years, not %d",
                            FR_RETENTION_YEARS_MAX, r->exit_years);
    if (r->overstay_years < 1 || r->overstay_years > FR_RETENTION_YEARS_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "overstay_years",
                            "the retention of overstays and refusals must be 1..%d years, not %d",
                            FR_RETENTION_YEARS_MAX, r->overstay_years);
    if (r->manifest_days < 1 || r->manifest_days > FR_RETENTION_MANIFEST_DAYS_MAX ||
        r->manifest_days >= r->exit_years * 365)
        return fr_error_set(err, FR_EINVAL, 0, 0, "manifest_days",
                            "the retention of airline manifests must be 1..%d days and shorter "
                            "than the %d years after an exit, not %d days",
                            FR_RETENTION_MANIFEST_DAYS_MAX, r->exit_years, r->manifest_days);
    return FR_OK;
}

typedef struct keep {
    fr_date until;
    fr_retention_rule rule;
} keep;

static void keep_at(keep *k, fr_date d, int years, fr_retention_rule rule)
{
    fr_date u = fr_date_add_years(d, years);
    if (k->until == FR_DATE_NONE || u > k->until || (u == k->until && rule > k->rule)) {
        k->until = u;
        k->rule = rule;
    }
}

/* An entry left unclosed: overstay_years after its stay (or its day). */
static void keep_open(keep *k, const fr_retention *r, fr_date entered, fr_date until)
{
    fr_date end = until != FR_DATE_NONE && until > entered ? until : entered;
    keep_at(k, end, r->overstay_years, FR_RETAIN_OVERSTAY);
}

fr_date fr_retention_keep_until(const fr_retention *r, const fr_retention_event *ev, size_t n,
                                fr_retention_rule *rule)
{
    keep k = {FR_DATE_NONE, FR_RETAIN_NONE};
    int open = 0;
    fr_date entered = FR_DATE_NONE, until = FR_DATE_NONE;
    /* the last exit, for "a refusal with a later exit" */
    size_t last_exit = n;
    for (size_t i = n; i-- > 0;)
        if (ev[i].kind == FR_EVENT_EXIT) {
            last_exit = i;
            break;
        }
    for (size_t i = 0; i < n; i++) {
        const fr_retention_event *e = &ev[i];
        switch (e->kind) {
        case FR_EVENT_ENTRY:
            if (open) keep_open(&k, r, entered, until);
            open = 1;
            entered = e->date;
            until = e->authorised_until;
            break;
        case FR_EVENT_EXIT:
            open = 0;
            keep_at(&k, e->date, r->exit_years, FR_RETAIN_EXIT);
            break;
        case FR_EVENT_EXTENSION:
            if (open && e->authorised_until != FR_DATE_NONE &&
                (until == FR_DATE_NONE || e->authorised_until > until))
                until = e->authorised_until;
            keep_at(&k, e->date, r->exit_years, FR_RETAIN_EXIT);
            break;
        case FR_EVENT_REFUSAL:
        case FR_EVENT_ENCOUNTER:
            if (last_exit < n && last_exit > i)
                keep_at(&k, e->date, r->exit_years, FR_RETAIN_EXIT);
            else
                keep_at(&k, e->date, r->overstay_years, FR_RETAIN_REFUSAL);
            break;
        default:
            keep_at(&k, e->date, r->overstay_years, FR_RETAIN_REFUSAL);
            break;
        }
    }
    if (open) keep_open(&k, r, entered, until);
    if (rule) *rule = k.rule;
    return k.until;
}

int fr_retention_due(fr_date keep_until, fr_date as_of)
{
    return keep_until == FR_DATE_NONE || as_of > keep_until;
}

void fr_retention_cutoffs(const fr_retention *r, fr_date as_of, fr_date *exit_cutoff,
                          fr_date *overstay_cutoff)
{
    /* d + N years < as_of  <=>  d < as_of - N years (up to 29 February) */
    if (exit_cutoff) *exit_cutoff = fr_date_add_years(as_of, -r->exit_years) - 1;
    if (overstay_cutoff) *overstay_cutoff = fr_date_add_years(as_of, -r->overstay_years) - 1;
}
