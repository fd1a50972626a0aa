/* SPDX-License-Identifier: MIT */
/* policy_build.c: validation across rules, and the lookup table.
 *
 * Overlaps: rules are sorted by (class, rank, from); for each rule the later
 * rules of the same class and rank that start before it ends are compared,
 * and an error is reported when their nationality sets intersect (naming
 * one nationality they share). Rules of different rank never conflict: the
 * more specific wins (nationality > group > default).
 *
 * Table: for every nationality and class, the boundaries (from, to+1) of the
 * rules that cover it cut time into segments; each segment takes the rule of
 * highest rank covering it (unique after the overlap check), neighbours with
 * the same rule are merged, and the result is stored as two flat arrays
 * (segment start, rule index or -1) with an offset and count per cell. */
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "policy_internal.h"

static int cmp_rules(const fr_policy *p, uint32_t a, uint32_t b)
{
    const fr_policy_rule *ra = &p->rules[a], *rb = &p->rules[b];
    if (ra->cls != rb->cls) return ra->cls < rb->cls ? -1 : 1;
    if (ra->rank != rb->rank) return ra->rank < rb->rank ? -1 : 1;
    if (ra->from != rb->from) return ra->from < rb->from ? -1 : 1;
    return ra->line < rb->line ? -1 : ra->line > rb->line;
}

/* Stable merge sort of rule indices (qsort has no context argument in C11). */
static void sort_idx(const fr_policy *p, uint32_t *idx, uint32_t *tmp, size_t n)
{
    if (n < 2) return;
    size_t h = n / 2;
    sort_idx(p, idx, tmp, h);
    sort_idx(p, idx + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_rules(p, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

static int first_common(const fr_cset *a, const fr_cset *b)
{
    for (int w = 0; w < FR_POLICY_CWORDS; w++) {
        uint64_t x = a->w[w] & b->w[w];
        if (x) {
            int bit = 0;
            while (!((x >> bit) & 1u))
                bit++;
            return w * 64 + bit;
        }
    }
    return -1;
}

static void check_overlaps(const fr_policy *p, const uint32_t *idx, fr_pdiag *d)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const fr_policy_rule *a = &p->rules[idx[i]];
        fr_date a_end = a->to == FR_DATE_NONE ? FR_DATE_MAX : a->to;
        for (size_t j = i + 1; j < p->nrules; j++) {
            const fr_policy_rule *b = &p->rules[idx[j]];
            if (b->cls != a->cls || b->rank != a->rank || b->from > a_end) break;
            int c = first_common(&p->rule_set[idx[i]], &p->rule_set[idx[j]]);
            if (c < 0) continue;
            char f[FR_DATE_BUFSZ];
            const fr_policy_rule *later = a->line > b->line ? a : b, *earlier = later == a ? b : a;
            if (a->rank == FR_RANK_DEFAULT)
                fr__pdiag_add(d, FR_ECONFLICT, later->line, later->column, "from",
                              "this default %s rule overlaps the default rule on line %d from %s; "
                              "end one with to= the day before the other starts",
                              fr_admission_class_name(a->cls), earlier->line,
                              fr_date_format(b->from, f));
            else
                fr__pdiag_add(
                    d, FR_ECONFLICT, later->line, later->column, "from",
                    "this %s rule for %s overlaps the rule on line %d (both apply to %s from %s); "
                    "end one with to= the day before the other starts",
                    fr_admission_class_name(a->cls), later->who, earlier->line, fr_country_code(c),
                    fr_date_format(b->from, f));
        }
    }
}

static int cmp_date(const void *a, const void *b)
{
    fr_date x = *(const fr_date *)a, y = *(const fr_date *)b;
    return x < y ? -1 : x > y;
}

static int grow(fr_policy *p, size_t *cap, size_t need)
{
    if (need <= *cap) return FR_OK;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    fr_date *s = fr_realloc(p->seg_start, nc * sizeof *s);
    if (!s) return FR_ENOMEM;
    p->seg_start = s;
    int32_t *r = fr_realloc(p->seg_rule, nc * sizeof *r);
    if (!r) return FR_ENOMEM;
    p->seg_rule = r;
    *cap = nc;
    return FR_OK;
}

/* Segments of one (country, class) cell, appended to the table. */
static int build_cell(fr_policy *p, int c, int k, uint32_t *cand, fr_date *bounds, size_t *cap)
{
    size_t nc = 0, nb = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const fr_policy_rule *r = &p->rules[i];
        if ((int)r->cls != k || !fr__cset_has(&p->rule_set[i], c)) continue;
        cand[nc++] = (uint32_t)i;
        bounds[nb++] = r->from;
        if (r->to != FR_DATE_NONE) bounds[nb++] = r->to + 1;
    }
    size_t cell = (size_t)c * FR_CLASS_COUNT + (size_t)k;
    p->cell_off[cell] = (uint32_t)p->nseg;
    p->cell_n[cell] = 0;
    if (nc == 0) return FR_OK;
    qsort(bounds, nb, sizeof *bounds, cmp_date);
    for (size_t b = 0; b < nb; b++) {
        if (b > 0 && bounds[b] == bounds[b - 1]) continue;
        fr_date t = bounds[b];
        int32_t best = -1;
        for (size_t i = 0; i < nc; i++) {
            const fr_policy_rule *r = &p->rules[cand[i]];
            if (r->from <= t && (r->to == FR_DATE_NONE || t <= r->to) &&
                (best < 0 || r->rank > p->rules[best].rank))
                best = (int32_t)cand[i];
        }
        uint32_t n = p->cell_n[cell];
        if (n > 0 && p->seg_rule[p->nseg - 1] == best) continue;
        if (n == 0 && best < 0) continue;
        if (grow(p, cap, p->nseg + 1)) return FR_ENOMEM;
        p->seg_start[p->nseg] = t;
        p->seg_rule[p->nseg] = best;
        p->nseg++;
        p->cell_n[cell]++;
    }
    return FR_OK;
}

int fr__policy_build(fr_policy *p, fr_pdiag *d)
{
    int rc = FR_OK;
    uint32_t *idx = fr_malloc((p->nrules + 1) * sizeof *idx);
    uint32_t *tmp = fr_malloc((p->nrules + 1) * sizeof *tmp);
    fr_date *bounds = fr_malloc((2 * p->nrules + 1) * sizeof *bounds);
    size_t cells = (size_t)p->ncountries * FR_CLASS_COUNT, cap = 0;
    p->cell_off = fr_calloc(cells, sizeof *p->cell_off);
    p->cell_n = fr_calloc(cells, sizeof *p->cell_n);
    if (!idx || !tmp || !bounds || !p->cell_off || !p->cell_n) {
        rc = FR_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < p->nrules; i++)
        idx[i] = (uint32_t)i;
    sort_idx(p, idx, tmp, p->nrules);
    size_t before = d->n;
    check_overlaps(p, idx, d);
    if (d->n != before) {
        rc = d->first;
        goto done;
    }
    for (int c = 0; c < p->ncountries; c++)
        for (int k = 0; k < FR_CLASS_COUNT; k++)
            if ((rc = build_cell(p, c, k, idx, bounds, &cap))) goto done;
done:
    if (rc == FR_ENOMEM)
        fr__pdiag_add(d, FR_ENOMEM, 0, 0, "", "out of memory while building the lookup table");
    fr_free(idx);
    fr_free(tmp);
    fr_free(bounds);
    return rc;
}
