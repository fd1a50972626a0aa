/* SPDX-License-Identifier: MIT */
/* analytics_grid.c: the shape of a report (analytics.h): grouping keys,
 * their labels and the dense grid of cells the scans in analytics_report.c
 * count into, plus the report helpers (key names, rates, freeing).
 *
 * Each grouping key gets its distinct values - the nationalities present,
 * ports and classes sorted by name, periods in date order - and a cell
 * number is the row-major combination of their ranks. Each key's share of
 * the cell number is tabulated ahead (per nationality, port, class, and per
 * day of the period), so the scan of one event is four look-ups and an add
 * (fr__an_cell). Empty cells are not reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

static const char *const KEY_NAMES[] = {"",      "nationality", "port", "class",      "year",
                                        "month", "week",        "day",  "embarkation"};

const char *fr_report_key_name(fr_report_key k)
{
    return k >= FR_KEY_NATIONALITY && k <= FR_KEY_EMBARKATION ? KEY_NAMES[k] : "";
}

fr_report_key fr_report_key_parse(const char *s, size_t len)
{
    for (int k = FR_KEY_NATIONALITY; k <= FR_KEY_EMBARKATION; k++)
        if (strlen(KEY_NAMES[k]) == len && memcmp(KEY_NAMES[k], s, len) == 0)
            return (fr_report_key)k;
    return (fr_report_key)0;
}

void fr_report_query_init(fr_report_query *q)
{
    memset(q, 0, sizeof *q);
    q->from = q->to = q->as_of = FR_DATE_NONE;
}

void fr_report_free(fr_report *r)
{
    if (!r) return;
    for (size_t k = 0; k < FR_REPORT_MAX_KEYS; k++)
        fr_free(r->labels[k]);
    fr_free(r->rows);
    fr_free(r);
}

static double ratio(int64_t num, int64_t den)
{
    return den > 0 ? (double)num / (double)den : 0.0;
}

double fr_report_overstay_rate(const fr_report_row *r)
{
    return ratio(r->v[FR_OVS_OUT_OF_COUNTRY] + r->v[FR_OVS_IN_COUNTRY], r->v[FR_OVS_EXPECTED]);
}

double fr_report_in_country_rate(const fr_report_row *r)
{
    return ratio(r->v[FR_OVS_IN_COUNTRY], r->v[FR_OVS_EXPECTED]);
}

double fr_report_crude_rate(const fr_report_row *r)
{
    return ratio(r->v[FR_OVS_CRUDE_ENTRIES] - r->v[FR_OVS_CRUDE_EXITS], r->v[FR_OVS_CRUDE_ENTRIES]);
}

typedef struct {
    const char *label;
    uint32_t id;
} named;

static int named_cmp(const void *x, const void *y)
{
    return strcmp(((const named *)x)->label, ((const named *)y)->label);
}

void fr__an_period_label(fr_report_key k, fr_date d, char out[FR_REPORT_LABEL_MAX])
{
    int y, m, dd;
    if (k == FR_KEY_WEEK) { /* ISO 8601: the week's Thursday gives its year */
        fr_date thu = d - (fr_date_weekday(d) - 1) + 3;
        fr_date jan1;
        fr_date_to_ymd(thu, &y, &m, &dd);
        fr_date_from_ymd(y, 1, 1, &jan1);
        snprintf(out, FR_REPORT_LABEL_MAX, "%04d-W%02d", y, (int)((thu - jan1) / 7 + 1));
        return;
    }
    fr_date_to_ymd(d, &y, &m, &dd);
    if (k == FR_KEY_YEAR)
        snprintf(out, FR_REPORT_LABEL_MAX, "%04d", y);
    else if (k == FR_KEY_MONTH)
        snprintf(out, FR_REPORT_LABEL_MAX, "%04d-%02d", y, m);
    else
        snprintf(out, FR_REPORT_LABEL_MAX, "%04d-%02d-%02d", y, m, dd);
}

/* One non-period key: rank the ids that occur (present[id]) by label. */
static int rank_key(fr_report *r, size_t pos, const char *const *labels, const int *present,
                    size_t nids, uint32_t *rank)
{
    named *v = fr_malloc((nids ? nids : 1) * sizeof *v);
    if (!v) return FR_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < nids; i++) {
        rank[i] = FR_AN_SKIP;
        if (present[i]) v[m++] = (named){labels[i], (uint32_t)i};
    }
    qsort(v, m, sizeof *v, named_cmp);
    r->labels[pos] = fr_calloc(m ? m : 1, FR_REPORT_LABEL_MAX);
    if (!r->labels[pos]) {
        fr_free(v);
        return FR_ENOMEM;
    }
    for (size_t j = 0; j < m; j++) {
        rank[v[j].id] = (uint32_t)j;
        snprintf(r->labels[pos][j], FR_REPORT_LABEL_MAX, "%s", v[j].label);
    }
    r->nlabels[pos] = m;
    fr_free(v);
    return FR_OK;
}

/* Labels of the period key over [lo, hi]; dayc[d - lo] = period rank. */
static int period_key(fr_report *r, size_t pos, fr_report_key k, const fr_an_grid *g,
                      uint32_t *dayc)
{
    size_t ndays = (size_t)(g->hi - g->lo + 1), np = 0;
    char prev[FR_REPORT_LABEL_MAX] = "", cur[FR_REPORT_LABEL_MAX];
    for (size_t i = 0; i < ndays; i++) { /* count first */
        fr__an_period_label(k, g->lo + (fr_date)i, cur);
        if (i == 0 || strcmp(cur, prev) != 0) np++;
        memcpy(prev, cur, sizeof cur);
    }
    r->labels[pos] = fr_calloc(np ? np : 1, FR_REPORT_LABEL_MAX);
    if (!r->labels[pos]) return FR_ENOMEM;
    np = 0;
    for (size_t i = 0; i < ndays; i++) {
        fr__an_period_label(k, g->lo + (fr_date)i, cur);
        if (i == 0 || strcmp(cur, prev) != 0) memcpy(r->labels[pos][np++], cur, sizeof cur);
        dayc[i] = (uint32_t)(np - 1);
        memcpy(prev, cur, sizeof cur);
    }
    r->nlabels[pos] = np;
    return FR_OK;
}

/* Build the grid for [lo, hi] (already clipped to 0..65535, lo <= hi). */
static int grid_build(fr_analytics *a, const fr_report_query *q, fr_report *r, fr_an_grid *g,
                      fr_error *err)
{
    int present[512] = {0}, allowed[512];
    const char *natl[512];
    uint32_t natrank[512],
        portrank[FR_ANALYTICS_MAX_PORTS + 1] = {0}, classrank[FR_ANALYTICS_MAX_CLASSES + 1] = {0};
    for (size_t x = 0; x < 512; x++) {
        allowed[x] = q->nationalities == NULL;
        natl[x] = x == 0 ? "-" : (int)x <= fr_country_count() ? fr_country_code((int)x - 1) : "";
        natrank[x] = 0;
    }
    for (size_t i = 0; i < q->nnationalities; i++)
        if (q->nationalities[i] >= 0 && q->nationalities[i] < 511)
            allowed[q->nationalities[i] + 1] = 1;
    for (size_t x = 0; x < 512; x++)
        present[x] = allowed[x] && a->natcount[x] > 0;
    int port_ok[FR_ANALYTICS_MAX_PORTS + 1];
    for (size_t x = 0; x < a->nports; x++) {
        port_ok[x] = q->ports == NULL;
        for (size_t i = 0; i < q->nports && !port_ok[x]; i++)
            port_ok[x] = q->ports[i] && strcmp(q->ports[i], a->ports[x]) == 0;
    }
    g->period = -1;
    r->nkeys = q->nkeys;
    for (size_t k = 0; k < q->nkeys; k++) {
        fr_report_key key = q->keys[k];
        r->keys[k] = key;
        if (key == FR_KEY_EMBARKATION)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by",
                                "the ledger does not know ports of embarkation: group by "
                                "embarkation on recorded manifests (fr_report_routes)");
        if (key < FR_KEY_NATIONALITY || key > FR_KEY_DAY)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by", "unknown grouping key");
        for (size_t j = 0; j < k; j++) {
            int pj = q->keys[j] >= FR_KEY_YEAR, pk = key >= FR_KEY_YEAR;
            if (q->keys[j] == key || (pj && pk))
                return fr_error_set(err, FR_EINVAL, 0, 0, "by",
                                    "group by %s and %s: use each key once and one period",
                                    fr_report_key_name(q->keys[j]), fr_report_key_name(key));
        }
    }
    int rc = FR_OK;
    g->dayc = fr_calloc((size_t)(g->hi - g->lo + 1), sizeof *g->dayc);
    if (!g->dayc) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t k = 0; k < q->nkeys && rc == FR_OK; k++) {
        switch (q->keys[k]) {
        case FR_KEY_NATIONALITY:
            rc = rank_key(r, k, natl, present, 512, natrank);
            break;
        case FR_KEY_PORT:
        case FR_KEY_CLASS: {
            int is_port = q->keys[k] == FR_KEY_PORT;
            size_t n = is_port ? a->nports : a->nclasses;
            const char *lab[FR_ANALYTICS_MAX_PORTS + 1]; /* the larger dictionary */
            int pres[FR_ANALYTICS_MAX_PORTS + 1];
            for (size_t i = 0; i < n; i++) {
                lab[i] = is_port ? a->ports[i] : a->classes[i][0] ? a->classes[i] : "-";
                pres[i] = is_port ? port_ok[i] : 1;
            }
            rc = rank_key(r, k, lab, pres, n, is_port ? portrank : classrank);
            break;
        }
        default:
            g->period = (int)k;
            rc = period_key(r, k, q->keys[k], g, g->dayc);
            break;
        }
    }
    if (rc != FR_OK) return fr_error_set(err, rc, 0, 0, "", "out of memory");
    g->cells = 1;
    for (size_t k = q->nkeys; k-- > 0;) {
        g->mult[k] = g->cells;
        if (r->nlabels[k] && g->cells > FR_REPORT_MAX_CELLS / r->nlabels[k])
            return fr_error_set(err, FR_ELIMIT, 0, 0, "by",
                                "more than %u groups: group by fewer keys or a shorter period",
                                FR_REPORT_MAX_CELLS);
        g->cells *= r->nlabels[k];
    }
    /* each key's contribution to the cell number */
    for (size_t x = 0; x < 512; x++)
        g->natc[x] = present[x] ? 0 : FR_AN_SKIP;
    memset(g->portc, 0, sizeof g->portc);
    memset(g->classc, 0, sizeof g->classc);
    for (size_t k = 0; k < q->nkeys; k++) {
        size_t mu = g->mult[k];
        if (q->keys[k] == FR_KEY_NATIONALITY) {
            for (size_t x = 0; x < 512; x++)
                if (present[x]) g->natc[x] = (uint32_t)(natrank[x] * mu);
        } else if (q->keys[k] == FR_KEY_PORT) {
            for (size_t x = 0; x < a->nports; x++)
                g->portc[x] = (uint32_t)(portrank[x] * mu);
        } else if (q->keys[k] == FR_KEY_CLASS) {
            for (size_t x = 0; x < a->nclasses; x++)
                g->classc[x] = (uint32_t)(classrank[x] * mu);
        } else {
            for (fr_date d = g->lo; d <= g->hi; d++)
                g->dayc[d - g->lo] *= (uint32_t)mu;
        }
    }
    for (size_t x = 0; x < a->nports; x++)
        if (!port_ok[x]) g->portc[x] = FR_AN_SKIP;
    if (g->period < 0) memset(g->dayc, 0, (size_t)(g->hi - g->lo + 1) * sizeof *g->dayc);
    return FR_OK;
}

/* Collect rows from the counts; the total is the sum, or tot when given. */
int fr__an_collect(fr_report *r, const fr_an_grid *g, const int64_t *cnt, size_t nv,
                   const int64_t *tot, fr_error *err)
{
    size_t n = 0;
    for (size_t c = 0; c < g->cells; c++)
        for (size_t v = 0; v < nv; v++)
            if (cnt[c * nv + v]) {
                n++;
                break;
            }
    r->rows = fr_calloc(n ? n : 1, sizeof *r->rows);
    if (!r->rows) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    r->nvalues = nv;
    memset(&r->total, 0, sizeof r->total);
    for (size_t c = 0; c < g->cells; c++) {
        int any = 0;
        for (size_t v = 0; v < nv; v++)
            any |= cnt[c * nv + v] != 0;
        if (!any) continue;
        fr_report_row *row = &r->rows[r->nrows++];
        for (size_t k = 0; k < r->nkeys; k++)
            row->key[k] = (uint32_t)(c / g->mult[k] % r->nlabels[k]);
        for (size_t v = 0; v < nv; v++) {
            row->v[v] = cnt[c * nv + v];
            if (!tot) r->total.v[v] += row->v[v];
        }
    }
    if (tot)
        for (size_t v = 0; v < nv; v++)
            r->total.v[v] = tot[v];
    return FR_OK;
}

/* Resolve the period and set up the report and its grid. lo/hi: the days to
 * tabulate. Returns FR_OK with *empty set when nothing can match. */
int fr__an_begin(fr_analytics *a, const fr_report_query *q, fr_date lo, fr_date hi, fr_report **out,
                 fr_an_grid *g, fr_error *err)
{
    if (fr__an_repair(a) != FR_OK)
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory re-pairing the index");
    if (q->nkeys > FR_REPORT_MAX_KEYS)
        return fr_error_set(err, FR_EINVAL, 0, 0, "by", "at most %d grouping keys",
                            FR_REPORT_MAX_KEYS);
    if (q->from != FR_DATE_NONE && q->to != FR_DATE_NONE && q->from > q->to)
        return fr_error_set(err, FR_EINVAL, 0, 0, "from", "the period starts after it ends");
    fr_report *r = fr_calloc(1, sizeof *r);
    if (!r) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    r->query = *q;
    r->query.nationalities = NULL;
    r->query.nnationalities = 0;
    g->empty = hi < lo || hi < 0 || lo > 65535;
    if (lo < 0) lo = 0;
    if (hi > 65535) hi = 65535;
    if (hi < lo) hi = lo; /* nothing will fall inside: an empty report */
    g->lo = lo;
    g->hi = hi;
    g->dayc = NULL;
    int rc = grid_build(a, q, r, g, err);
    if (rc != FR_OK) {
        fr_free(g->dayc);
        fr_report_free(r);
        return rc;
    }
    *out = r;
    return FR_OK;
}
