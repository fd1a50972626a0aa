/* SPDX-License-Identifier: MIT */
/* policy_lookup.c: answering from a loaded policy.
 *
 * fr_policy_lookup finds the (country, class) cell and the last segment that
 * starts on or before the day: a linear scan for the usual one to four
 * segments, a binary search beyond. fr__policy_lookup_scan is the naive
 * answer (every rule, every time) kept as the tests' oracle and the
 * benchmark's baseline. Also the names of classes and regimes. */
#include <string.h>

#include "frontera/country.h"
#include "policy_internal.h"

static const char *const class_names[FR_CLASS_COUNT] = {"visitor", "transit", "crew", "official"};
static const char *const regime_names[] = {"",      "visa_free", "visa_required", "visa_on_arrival",
                                           "evisa", "eta",       "free_movement"};
#define NREGIMES 7

const char *fr_admission_class_name(fr_admission_class c)
{
    return (unsigned)c < FR_CLASS_COUNT ? class_names[c] : "?";
}

int fr_admission_class_parse(const char *s, size_t len)
{
    for (int i = 0; i < FR_CLASS_COUNT; i++)
        if (strlen(class_names[i]) == len && memcmp(class_names[i], s, len) == 0) return i;
    return -1;
}

const char *fr_regime_name(fr_regime r)
{
    return r > 0 && r < NREGIMES ? regime_names[r] : "?";
}

int fr_regime_parse(const char *s, size_t len)
{
    for (int i = 1; i < NREGIMES; i++)
        if (strlen(regime_names[i]) == len && memcmp(regime_names[i], s, len) == 0) return i;
    return -1;
}

const char *fr_policy_jurisdiction(const fr_policy *p)
{
    return p ? p->jurisdiction : "";
}
size_t fr_policy_rule_count(const fr_policy *p)
{
    return p ? p->nrules : 0;
}
const fr_policy_rule *fr_policy_rule_at(const fr_policy *p, size_t i)
{
    return p && i < p->nrules ? &p->rules[i] : NULL;
}

int fr__policy_rule_covers(const fr_policy *p, size_t i, int country)
{
    return fr__cset_has(&p->rule_set[i], country);
}

/* Index of the segment in force on `on` within the cell, or -1. */
static long seg_at(const fr_policy *p, size_t cell, fr_date on)
{
    uint32_t n = p->cell_n[cell];
    if (n == 0) return -1;
    const fr_date *s = p->seg_start + p->cell_off[cell];
    if (on < s[0]) return -1;
    uint32_t lo = 0, hi = n; /* last i with s[i] <= on, in [lo, hi) */
    if (n <= 4) {
        while (lo + 1 < n && s[lo + 1] <= on)
            lo++;
    } else {
        while (hi - lo > 1) {
            uint32_t mid = (lo + hi) / 2;
            if (s[mid] <= on)
                lo = mid;
            else
                hi = mid;
        }
    }
    return (long)(p->cell_off[cell] + lo);
}

const fr_policy_rule *fr_policy_lookup(const fr_policy *p, int country, fr_admission_class cls,
                                       fr_date on)
{
    if (!p || country < 0 || country >= p->ncountries || (unsigned)cls >= FR_CLASS_COUNT)
        return NULL;
    long i = seg_at(p, (size_t)country * FR_CLASS_COUNT + cls, on);
    if (i < 0 || p->seg_rule[i] < 0) return NULL;
    return &p->rules[p->seg_rule[i]];
}

fr_date fr_policy_next_change(const fr_policy *p, int country, fr_admission_class cls,
                              fr_date after)
{
    if (!p || country < 0 || country >= p->ncountries || (unsigned)cls >= FR_CLASS_COUNT)
        return FR_DATE_NONE;
    size_t cell = (size_t)country * FR_CLASS_COUNT + cls;
    long i = seg_at(p, cell, after);
    size_t next = i < 0 ? p->cell_off[cell] : (size_t)i + 1;
    if (next >= (size_t)p->cell_off[cell] + p->cell_n[cell]) return FR_DATE_NONE;
    return p->seg_start[next];
}

const fr_policy_rule *fr__policy_lookup_scan(const fr_policy *p, int country,
                                             fr_admission_class cls, fr_date on)
{
    const fr_policy_rule *best = NULL;
    if (!p || country < 0 || country >= p->ncountries) return NULL;
    for (size_t i = 0; i < p->nrules; i++) {
        const fr_policy_rule *r = &p->rules[i];
        if (r->cls != cls || on < r->from || (r->to != FR_DATE_NONE && on > r->to)) continue;
        if (!fr__cset_has(&p->rule_set[i], country)) continue;
        if (!best || r->rank > best->rank) best = r;
    }
    return best;
}

fr_date fr_policy_min_expiry(const fr_policy_rule *r, fr_date entry)
{
    if (!r || r->min_validity <= 0) return entry;
    if (r->min_validity_unit == 'm') return fr_date_add_months(entry, r->min_validity);
    return entry + r->min_validity;
}
