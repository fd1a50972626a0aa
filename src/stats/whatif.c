/* SPDX-License-Identifier: MIT */
/* whatif.c: a policy applied to past arrivals (whatif.h).
 *
 * Per-nationality counters live in an array indexed by country index; each
 * entry in the period is looked up in the policy (and baseline), and those
 * that entered visa-free are kept in the open-entry table (fr_match, flag
 * bit 1) so a later exit of the same document tells whether they left in
 * time; at the end the ones still open with an ended stay are non-exits. */
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"
#include "frontera/whatif.h"
#include "series_internal.h"

struct fr_whatif {
    const fr_policy *policy, *baseline;
    fr_date from, to, last_day;
    int ncountries;
    fr_whatif_row *rows;
    fr_match open;
};

int fr_whatif_regime_needs_visa(fr_regime r)
{
    return r == FR_REGIME_VISA_REQUIRED || r == FR_REGIME_EVISA;
}

static int regime_visa_free(fr_regime r)
{
    return r == FR_REGIME_VISA_FREE || r == FR_REGIME_FREE_MOVEMENT;
}

int fr_whatif_new(const fr_policy *policy, const fr_policy *baseline, fr_date from, fr_date to,
                  fr_whatif **out)
{
    if (!policy) return FR_EINVAL;
    fr_whatif *w = fr_calloc(1, sizeof *w);
    if (!w) return FR_ENOMEM;
    w->ncountries = fr_country_count();
    w->rows = fr_calloc((size_t)w->ncountries, sizeof *w->rows);
    if (!w->rows) {
        fr_free(w);
        return FR_ENOMEM;
    }
    w->policy = policy;
    w->baseline = baseline;
    w->from = from;
    w->to = to;
    w->last_day = FR_DATE_NONE;
    fr__match_init(&w->open);
    *out = w;
    return FR_OK;
}

void fr_whatif_free(fr_whatif *w)
{
    if (!w) return;
    fr__match_clear(&w->open);
    fr_free(w->rows);
    fr_free(w);
}

int fr_whatif_add(fr_whatif *w, const fr_event *ev)
{
    fr_date day = ev->at.date;
    if (ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_EXIT) return FR_OK;
    if (day != FR_DATE_NONE && (w->last_day == FR_DATE_NONE || day > w->last_day))
        w->last_day = day;
    uint64_t key = fr_series_person_key(ev);
    if (ev->kind == FR_EVENT_EXIT) {
        fr_match_entry e;
        if (fr__match_close(&w->open, key, &e) && day > e.until) w->rows[e.nationality].overstays++;
        return FR_OK;
    }
    if ((w->from != FR_DATE_NONE && day < w->from) || (w->to != FR_DATE_NONE && day > w->to))
        return FR_OK;
    int nat = ev->doc.nationality[0] ? fr_country_find_cstr(ev->doc.nationality) : -1;
    if (nat < 0) return FR_OK;
    int cls = ev->admission_class[0]
                  ? fr_admission_class_parse(ev->admission_class, strlen(ev->admission_class))
                  : FR_CLASS_VISITOR;
    if (cls < 0) cls = FR_CLASS_VISITOR;
    fr_whatif_row *r = &w->rows[nat];
    r->nationality = nat;
    r->arrivals++;
    const fr_policy_rule *pr = fr_policy_lookup(w->policy, nat, (fr_admission_class)cls, day);
    if (!pr)
        r->no_rule++;
    else if (fr_whatif_regime_needs_visa(pr->regime))
        r->need_visa++;
    const fr_policy_rule *then = pr;
    if (w->baseline) {
        then = fr_policy_lookup(w->baseline, nat, (fr_admission_class)cls, day);
        if (then && fr_whatif_regime_needs_visa(then->regime)) r->need_visa_baseline++;
    }
    if (!then || !regime_visa_free(then->regime)) return FR_OK;
    r->visa_free++;
    fr_match_entry e = {key, day,
                        ev->authorised_until != FR_DATE_NONE ? ev->authorised_until
                                                             : day + FR_SERIES_DEFAULT_STAY - 1,
                        nat, 1},
                   prev;
    int rc = fr__match_open(&w->open, &e, &prev);
    if (rc < 0) return rc;
    if (rc == 1 && prev.until < day) w->rows[prev.nationality].nonexits++;
    return FR_OK;
}

static int cmp_row(const void *x, const void *y)
{
    const fr_whatif_row *a = x, *b = y;
    if (a->arrivals != b->arrivals) return a->arrivals > b->arrivals ? -1 : 1;
    return strcmp(fr_country_code(a->nationality), fr_country_code(b->nationality));
}

int fr_whatif_finish(fr_whatif *w, fr_date as_of, fr_whatif_row **rows, size_t *n)
{
    if (as_of == FR_DATE_NONE) as_of = w->last_day == FR_DATE_NONE ? 0 : w->last_day + 1;
    for (size_t i = 0; i < w->open.cap; i++) {
        const fr_match_entry *e = &w->open.slots[i];
        if (e->key && e->until < as_of) w->rows[e->nationality].nonexits++;
    }
    fr__match_clear(&w->open);
    size_t k = 0;
    for (int c = 0; c < w->ncountries; c++)
        if (w->rows[c].arrivals) k++;
    fr_whatif_row *out = fr_malloc((k ? k : 1) * sizeof *out);
    if (!out) return FR_ENOMEM;
    k = 0;
    for (int c = 0; c < w->ncountries; c++)
        if (w->rows[c].arrivals) out[k++] = w->rows[c];
    qsort(out, k, sizeof *out, cmp_row);
    *rows = out;
    *n = k;
    return FR_OK;
}
