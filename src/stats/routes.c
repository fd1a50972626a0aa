/* SPDX-License-Identifier: MIT */
/* routes.c: flows by route from recorded manifests (analytics.h,
 * fr_report_routes). The persons are few beside the ledger's events (one
 * row per announced passenger), so the report is built by sorting rather
 * than on the index's dense grid: each key's labels are collected, sorted
 * and numbered, every person becomes a row of label numbers and counts,
 * and the rows are sorted and summed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

typedef char label[FR_REPORT_LABEL_MAX];

static int label_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int row_cmp(const void *a, const void *b)
{
    const fr_report_row *x = a, *y = b;
    for (size_t k = 0; k < FR_REPORT_MAX_KEYS; k++)
        if (x->key[k] != y->key[k]) return x->key[k] < y->key[k] ? -1 : 1;
    return 0;
}

static void key_label(fr_report_key k, const fr_route_person *p, label out)
{
    const char *s = k == FR_KEY_EMBARKATION   ? p->embarkation
                    : k == FR_KEY_NATIONALITY ? p->nationality
                    : k == FR_KEY_PORT        ? p->port
                                              : NULL;
    if (!s)
        fr__an_period_label(k, p->date, out);
    else
        snprintf(out, FR_REPORT_LABEL_MAX, "%s", s && s[0] ? s : "unknown");
}

static int kept(const fr_route_person *p, const fr_report_query *q)
{
    if (p->date == FR_DATE_NONE) return 0;
    if (q->from != FR_DATE_NONE && p->date < q->from) return 0;
    if (q->to != FR_DATE_NONE && p->date > q->to) return 0;
    if (q->nationalities) {
        int idx = p->nationality && p->nationality[0]
                      ? fr_country_normalize(p->nationality, strlen(p->nationality))
                      : -1,
            ok = 0;
        for (size_t i = 0; i < q->nnationalities && !ok; i++)
            ok = idx >= 0 && q->nationalities[i] == idx;
        if (!ok) return 0;
    }
    if (q->ports) {
        int ok = 0;
        for (size_t i = 0; i < q->nports && !ok; i++)
            ok = q->ports[i] && p->port && strcmp(q->ports[i], p->port) == 0;
        if (!ok) return 0;
    }
    return 1;
}

static int check_keys(const fr_report_query *q, fr_error *err)
{
    if (q->nkeys > FR_REPORT_MAX_KEYS)
        return fr_error_set(err, FR_EINVAL, 0, 0, "by", "at most %d keys", FR_REPORT_MAX_KEYS);
    if (q->from != FR_DATE_NONE && q->to != FR_DATE_NONE && q->from > q->to)
        return fr_error_set(err, FR_EINVAL, 0, 0, "from", "the period starts after it ends");
    for (size_t k = 0; k < q->nkeys; k++) {
        fr_report_key key = q->keys[k];
        if (key == FR_KEY_CLASS)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by",
                                "manifests carry no admission class: group routes by "
                                "embarkation, nationality, port and a period");
        if (key < FR_KEY_NATIONALITY || key > FR_KEY_EMBARKATION)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by", "unknown grouping key");
        for (size_t j = 0; j < k; j++) {
            int pj = q->keys[j] >= FR_KEY_YEAR && q->keys[j] <= FR_KEY_DAY,
                pk = key >= FR_KEY_YEAR && key <= FR_KEY_DAY;
            if (q->keys[j] == key || (pj && pk))
                return fr_error_set(err, FR_EINVAL, 0, 0, "by",
                                    "group by %s and %s: use each key once and one period",
                                    fr_report_key_name(q->keys[j]), fr_report_key_name(key));
        }
    }
    return FR_OK;
}

int fr_report_routes(const fr_route_person *p, size_t n, const fr_report_query *q, fr_report **out,
                     fr_error *err)
{
    if (!q || !out || (n && !p))
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "no persons or no query");
    *out = NULL;
    int rc = check_keys(q, err);
    if (rc != FR_OK) return rc;
    fr_report *r = fr_calloc(1, sizeof *r);
    fr_report_row *rows = fr_calloc(n ? n : 1, sizeof *rows);
    label *tmp = fr_calloc(n ? n : 1, sizeof *tmp);
    if (!r || !rows || !tmp) goto nomem;
    r->query = *q;
    r->query.nationalities = NULL;
    r->query.nnationalities = 0;
    r->query.ports = NULL;
    r->query.nports = 0;
    r->nkeys = q->nkeys;
    r->nvalues = FR_ROUTE_NVALUES;
    for (size_t k = 0; k < q->nkeys; k++) {
        r->keys[k] = q->keys[k];
        /* this key's labels: sorted, unique */
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (kept(&p[i], q)) key_label(q->keys[k], &p[i], tmp[m++]);
        qsort(tmp, m, sizeof *tmp, label_cmp);
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (u == 0 || strcmp(tmp[u - 1], tmp[i]) != 0) memcpy(tmp[u++], tmp[i], sizeof *tmp);
        r->labels[k] = fr_calloc(u ? u : 1, sizeof *r->labels[k]);
        if (!r->labels[k]) goto nomem;
        memcpy(r->labels[k], tmp, u * sizeof *tmp);
        r->nlabels[k] = u;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!kept(&p[i], q)) continue;
        fr_report_row *row = &rows[m++];
        for (size_t k = 0; k < q->nkeys; k++) {
            label l;
            key_label(q->keys[k], &p[i], l);
            label *hit = bsearch(l, r->labels[k], r->nlabels[k], sizeof l, label_cmp);
            row->key[k] = (uint32_t)(hit - r->labels[k]);
        }
        row->v[FR_ROUTE_ANNOUNCED] = 1;
        if (p[i].outcome >= FR_ROUTE_ENTERED && p[i].outcome < FR_ROUTE_NVALUES)
            row->v[p[i].outcome] = 1;
        for (size_t v = 0; v < FR_ROUTE_NVALUES; v++)
            r->total.v[v] += row->v[v];
    }
    qsort(rows, m, sizeof *rows, row_cmp);
    size_t u = 0;
    for (size_t i = 0; i < m; i++) {
        if (u > 0 && row_cmp(&rows[u - 1], &rows[i]) == 0) {
            for (size_t v = 0; v < FR_ROUTE_NVALUES; v++)
                rows[u - 1].v[v] += rows[i].v[v];
        } else {
            rows[u++] = rows[i];
        }
    }
    r->rows = rows;
    r->nrows = u;
    fr_free(tmp);
    *out = r;
    return FR_OK;
nomem:
    fr_free(tmp);
    fr_free(rows);
    fr_report_free(r);
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory building the routes report");
}
