/* SPDX-License-Identifier: MIT */
/* analytics_overstayers.c: the list to act on (analytics.h,
 * fr_analytics_overstayers): the travellers in the country past their
 * authorised stay on a date, with their entry and the days over.
 *
 * One pass over the events keeps, per traveller, the latest entry on or
 * before as_of (an array of traveller -> event index); a second pass over
 * the travellers keeps those whose stay (eff: with extensions) ended before
 * as_of and whose exit, if any, came after it. Rows are sorted by days
 * over, most first, and cut at the caller's maximum after sorting. */
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

static int by_days_over(const void *x, const void *y)
{
    const fr_overstayer *a = x, *b = y;
    if (a->days_over != b->days_over) return a->days_over > b->days_over ? -1 : 1;
    return a->traveller < b->traveller ? -1 : a->traveller > b->traveller;
}

int fr_analytics_overstayers(fr_analytics *a, const fr_overstayer_query *q, size_t max,
                             fr_overstayer **out, size_t *n, size_t *total, fr_error *err)
{
    *out = NULL;
    *n = *total = 0;
    if (!a || !q || q->as_of == FR_DATE_NONE)
        return fr_error_set(err, FR_EINVAL, 0, 0, "as_of", "the list needs its date (as_of)");
    int rc0 = fr__an_need(a, FR_AN_C_ALL, err);
    if (rc0 != FR_OK) return rc0;
    unsigned nat = 0;
    if (q->nationality && q->nationality[0]) {
        int ci = fr_country_find_cstr(q->nationality);
        if (ci < 0)
            return fr_error_set(err, FR_EINVAL, 0, 0, "nationality",
                                "unknown nationality code '%.8s'", q->nationality);
        nat = (unsigned)ci + 1;
    }
    if (fr__an_repair(a) != FR_OK) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    uint32_t *latest = fr_malloc((a->np ? a->np : 1) * sizeof *latest);
    if (!latest) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t t = 0; t < a->np; t++)
        latest[t] = FR_AN_NOIDX;
    for (size_t i = 0; i < a->n; i++) {
        if (FR_AN_KIND(a->attr[i]) != FR_EVENT_ENTRY || (fr_date)a->date[i] > q->as_of) continue;
        uint32_t t = a->trav[i], prev = latest[t];
        if (prev == FR_AN_NOIDX || a->utc[i] >= a->utc[prev]) latest[t] = (uint32_t)i;
    }
    size_t cap = 0, count = 0;
    fr_overstayer *rows = NULL;
    int rc = FR_OK;
    int32_t min_over = q->min_days_over > 0 ? q->min_days_over : 1;
    for (size_t t = 0; t < a->np; t++) {
        uint32_t i = latest[t];
        if (i == FR_AN_NOIDX || a->eff[i] == FR_AN_NONE16) continue;
        fr_date d = a->date[i], until = d + a->eff[i];
        if (until >= q->as_of || q->as_of - until < min_over) continue;
        if (a->exitd[i] != FR_AN_NONE16 && d + a->exitd[i] <= q->as_of) continue; /* left */
        uint32_t at = a->attr[i];
        if (nat && FR_AN_NAT(at) != nat) continue;
        const char *port = a->ports[FR_AN_PORT(at)];
        if (q->port && q->port[0] && strcmp(port, q->port) != 0) continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            fr_overstayer *nr = fr_realloc(rows, ncap * sizeof *nr);
            if (!nr) {
                rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
                goto done;
            }
            rows = nr;
            cap = ncap;
        }
        fr_overstayer *r = &rows[count++];
        memset(r, 0, sizeof *r);
        r->traveller = a->pt[t].key;
        unsigned x = FR_AN_NAT(at);
        if (x && (int)x <= fr_country_count())
            memcpy(r->nationality, fr_country_code((int)x - 1),
                   strlen(fr_country_code((int)x - 1)) + 1);
        memcpy(r->port, port, sizeof r->port);
        r->entered = d;
        r->until = until;
        r->days_over = q->as_of - until;
    }
    if (count) qsort(rows, count, sizeof *rows, by_days_over);
    *total = count;
    if (count > max) count = max; /* the most days over first */
done:
    fr_free(latest);
    if (rc != FR_OK) {
        fr_free(rows);
        *total = 0;
        return rc;
    }
    *out = rows;
    *n = count;
    return FR_OK;
}
