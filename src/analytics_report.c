/* analytics_report.c: the flow and overstay reports over the columnar index
 * (analytics.h; definitions in docs/analytics.md).
 *
 * A report is a dense grid: each grouping key gets its distinct values
 * (nationalities present, ports, classes sorted by name; periods in date
 * order), and a cell number is the row-major combination of their ranks.
 * Before the scan, each key's contribution to the cell number is tabulated
 * (per nationality, port, class, and per day of the period), so the scan of
 * one event is four table look-ups and an add, with no allocation and no
 * hashing. Counting persons instead of events collects (cell, traveller,
 * tag) triples in one 64-bit word each, sorts them and counts distinct ones.
 * Empty cells are not reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

#define SKIP UINT32_MAX

static const char *const KEY_NAMES[] = {"",     "nationality", "port", "class",
                                        "year", "month",       "week", "day"};

const char *fr_report_key_name(fr_report_key k)
{
    return k >= FR_KEY_NATIONALITY && k <= FR_KEY_DAY ? KEY_NAMES[k] : "";
}

fr_report_key fr_report_key_parse(const char *s, size_t len)
{
    for (int k = FR_KEY_NATIONALITY; k <= FR_KEY_DAY; k++)
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

typedef struct grid {
    size_t cells, mult[FR_REPORT_MAX_KEYS];
    int period; /* position of the period key, -1 none */
    fr_date lo, hi;
    uint32_t natc[512], portc[FR_ANALYTICS_MAX_PORTS + 1], classc[FR_ANALYTICS_MAX_CLASSES + 1];
    uint32_t *dayc; /* hi - lo + 1 entries */
    int empty;      /* the period holds no day of the index's range */
} grid;

typedef struct {
    const char *label;
    uint32_t id;
} named;

static int named_cmp(const void *x, const void *y)
{
    return strcmp(((const named *)x)->label, ((const named *)y)->label);
}

static void period_label(fr_report_key k, fr_date d, char out[FR_REPORT_LABEL_MAX])
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
        rank[i] = SKIP;
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
static int period_key(fr_report *r, size_t pos, fr_report_key k, const grid *g, uint32_t *dayc)
{
    size_t ndays = (size_t)(g->hi - g->lo + 1), np = 0;
    char prev[FR_REPORT_LABEL_MAX] = "", cur[FR_REPORT_LABEL_MAX];
    for (size_t i = 0; i < ndays; i++) { /* count first */
        period_label(k, g->lo + (fr_date)i, cur);
        if (i == 0 || strcmp(cur, prev) != 0) np++;
        memcpy(prev, cur, sizeof cur);
    }
    r->labels[pos] = fr_calloc(np ? np : 1, FR_REPORT_LABEL_MAX);
    if (!r->labels[pos]) return FR_ENOMEM;
    np = 0;
    for (size_t i = 0; i < ndays; i++) {
        period_label(k, g->lo + (fr_date)i, cur);
        if (i == 0 || strcmp(cur, prev) != 0) memcpy(r->labels[pos][np++], cur, sizeof cur);
        dayc[i] = (uint32_t)(np - 1);
        memcpy(prev, cur, sizeof cur);
    }
    r->nlabels[pos] = np;
    return FR_OK;
}

/* Build the grid for [lo, hi] (already clipped to 0..65535, lo <= hi). */
static int grid_build(fr_analytics *a, const fr_report_query *q, fr_report *r, grid *g,
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
    g->period = -1;
    r->nkeys = q->nkeys;
    for (size_t k = 0; k < q->nkeys; k++) {
        fr_report_key key = q->keys[k];
        r->keys[k] = key;
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
            const char *lab[FR_ANALYTICS_MAX_CLASSES + 1];
            int pres[FR_ANALYTICS_MAX_CLASSES + 1];
            for (size_t i = 0; i < n; i++) {
                lab[i] = is_port ? a->ports[i] : a->classes[i][0] ? a->classes[i] : "-";
                pres[i] = 1;
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
        g->natc[x] = present[x] ? 0 : SKIP;
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
    if (g->period < 0) memset(g->dayc, 0, (size_t)(g->hi - g->lo + 1) * sizeof *g->dayc);
    return FR_OK;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Count distinct (cell, traveller, tag) words into cnt (nv values a cell).
 * Flows: tag = kind, value tag - 1. Overstays: tags 1..3 are DHS outcomes
 * of which a person counts once, with the worst; 4 and 5 crude entries and
 * exits. */
static void count_distinct(uint64_t *keys, size_t m, size_t nv, int64_t *cnt, int ovs)
{
    qsort(keys, m, sizeof *keys, u64_cmp);
    size_t i = 0;
    while (i < m) {
        uint64_t run = keys[i] >> 3;
        size_t cell = (size_t)(keys[i] >> 35);
        unsigned worst = 0, last = 0;
        for (; i < m && keys[i] >> 3 == run; i++) {
            unsigned t = (unsigned)(keys[i] & 7u);
            if (t == last) continue;
            last = t;
            if (!ovs)
                cnt[cell * nv + t - 1]++;
            else if (t >= 4)
                cnt[cell * nv + t]++;
            else
                worst = t;
        }
        if (worst) {
            cnt[cell * nv + FR_OVS_EXPECTED]++;
            cnt[cell * nv + worst]++;
        }
    }
}

/* Collect rows from the counts; the total is the sum, or tot when given. */
static int collect(fr_report *r, const grid *g, const int64_t *cnt, size_t nv, const int64_t *tot,
                   fr_error *err)
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
static int begin(fr_analytics *a, const fr_report_query *q, fr_date lo, fr_date hi, fr_report **out,
                 grid *g, fr_error *err)
{
    if (fr_an_repair(a) != FR_OK)
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

static inline uint32_t cell_of(const grid *g, uint32_t at, unsigned day)
{
    uint32_t c = g->natc[FR_AN_NAT(at)];
    if (c == SKIP) return SKIP;
    return c + g->portc[FR_AN_PORT(at)] + g->classc[FR_AN_CLASS(at)] +
           g->dayc[day - (unsigned)g->lo];
}

int fr_analytics_flows(fr_analytics *a, const fr_report_query *q, fr_report **out, fr_error *err)
{
    if (q->persons && q->cumulative)
        return fr_error_set(err, FR_EINVAL, 0, 0, "persons",
                            "cumulative counts of persons are not supported; count events");
    fr_date lo = q->from != FR_DATE_NONE ? q->from : a->first != FR_DATE_NONE ? a->first : 0;
    fr_date hi = q->to != FR_DATE_NONE ? q->to : a->last != FR_DATE_NONE ? a->last : 0;
    grid g;
    fr_report *r = NULL;
    int rc = begin(a, q, lo, hi, &r, &g, err);
    if (rc != FR_OK) return rc;
    r->query.from = g.lo;
    r->query.to = g.hi;
    const size_t nv = FR_FLOW_NVALUES;
    int64_t *cnt = fr_calloc(g.cells ? g.cells * nv : 1, sizeof *cnt), tot[FR_FLOW_NVALUES] = {0};
    uint64_t *keys = NULL;
    size_t m = 0;
    if (!cnt) goto nomem;
    if (q->persons && !(keys = fr_malloc((a->n ? a->n : 1) * sizeof *keys))) goto nomem;
    unsigned ulo = (unsigned)g.lo, uhi = (unsigned)g.hi;
    int inside = !g.empty && g.cells > 0;
    for (size_t i = 0; inside && i < a->n; i++) {
        unsigned d = a->date[i];
        if (d < ulo || d > uhi) continue;
        uint32_t at = a->attr[i];
        unsigned k = FR_AN_KIND(at);
        if (k > FR_EVENT_ENCOUNTER) continue;
        uint32_t c = cell_of(&g, at, d);
        if (c == SKIP) continue;
        if (keys)
            keys[m++] = (uint64_t)c << 35 | (uint64_t)a->trav[i] << 3 | k;
        else
            cnt[(size_t)c * nv + k - 1]++;
    }
    if (keys) {
        count_distinct(keys, m, nv, cnt, 0);
        for (size_t j = 0; j < m; j++)
            keys[j] &= ((uint64_t)1 << 35) - 1;
        count_distinct(keys, m, nv, tot, 0);
    } else if (q->cumulative && g.period >= 0) {
        size_t mu = g.mult[g.period];
        for (size_t c = 0; c < g.cells; c++)
            for (size_t v = 0; v < nv; v++)
                tot[v] += cnt[c * nv + v];
        for (size_t c = 0; c < g.cells; c++)
            if (c / mu % r->nlabels[g.period] > 0)
                for (size_t v = 0; v < nv; v++)
                    cnt[c * nv + v] += cnt[(c - mu) * nv + v];
    }
    rc = collect(r, &g, cnt, nv, keys || (q->cumulative && g.period >= 0) ? tot : NULL, err);
    goto done;
nomem:
    rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory computing the flows");
done:
    fr_free(keys);
    fr_free(cnt);
    fr_free(g.dayc);
    if (rc != FR_OK) {
        fr_report_free(r);
        return rc;
    }
    *out = r;
    return FR_OK;
}

int fr_analytics_overstays(fr_analytics *a, const fr_report_query *q, fr_report **out,
                           fr_error *err)
{
    fr_date as_of = q->as_of != FR_DATE_NONE ? q->as_of : a->last != FR_DATE_NONE ? a->last : 0;
    fr_date lo = q->from != FR_DATE_NONE ? q->from : a->first != FR_DATE_NONE ? a->first : 0;
    fr_date hi = q->to != FR_DATE_NONE ? q->to : as_of;
    grid g;
    fr_report *r = NULL;
    int rc = begin(a, q, lo, hi, &r, &g, err);
    if (rc != FR_OK) return rc;
    r->query.from = g.lo;
    r->query.to = g.hi;
    r->query.as_of = as_of;
    const size_t nv = FR_OVS_NVALUES;
    int64_t *cnt = fr_calloc(g.cells ? g.cells * nv : 1, sizeof *cnt), tot[FR_OVS_NVALUES] = {0};
    uint64_t *keys = NULL;
    size_t m = 0;
    if (!cnt) goto nomem;
    /* an entry may give two words: its DHS outcome and its crude count */
    if (q->persons && !(keys = fr_malloc((a->n ? 2 * a->n : 1) * sizeof *keys))) goto nomem;
    /* DHS: stays that ended in [lo, hi] and before the report date */
    int64_t dlo = g.lo, dhi = g.hi < as_of - 1 ? g.hi : (int64_t)as_of - 1;
    int64_t clo = g.lo, chi = g.hi < as_of ? g.hi : as_of;
    int ok = !g.empty && g.cells > 0;
    for (size_t i = 0; ok && i < a->n; i++) {
        uint32_t at = a->attr[i];
        unsigned k = FR_AN_KIND(at);
        int64_t d = a->date[i];
        if (k == FR_EVENT_ENTRY && a->eff[i] != FR_AN_NONE16) {
            int64_t u = d + a->eff[i];
            if (u >= dlo && u <= dhi && d <= as_of) {
                uint32_t c = cell_of(&g, at, (unsigned)u);
                if (c != SKIP) {
                    int64_t x = a->exitd[i] == FR_AN_NONE16 ? INT64_MAX : d + a->exitd[i];
                    unsigned t = x > as_of ? FR_OVS_IN_COUNTRY
                                 : x <= u  ? FR_OVS_IN_TIME
                                           : FR_OVS_OUT_OF_COUNTRY;
                    if (keys) {
                        keys[m++] = (uint64_t)c << 35 | (uint64_t)a->trav[i] << 3 | t;
                    } else {
                        cnt[(size_t)c * nv + FR_OVS_EXPECTED]++;
                        cnt[(size_t)c * nv + t]++;
                    }
                }
            }
        }
        if ((k == FR_EVENT_ENTRY || k == FR_EVENT_EXIT) && d >= clo && d <= chi) {
            uint32_t c = cell_of(&g, at, (unsigned)d);
            if (c == SKIP) continue;
            unsigned t = k == FR_EVENT_ENTRY ? FR_OVS_CRUDE_ENTRIES : FR_OVS_CRUDE_EXITS;
            if (keys)
                keys[m++] = (uint64_t)c << 35 | (uint64_t)a->trav[i] << 3 | t;
            else
                cnt[(size_t)c * nv + t]++;
        }
    }
    if (keys) {
        count_distinct(keys, m, nv, cnt, 1);
        for (size_t j = 0; j < m; j++)
            keys[j] &= ((uint64_t)1 << 35) - 1;
        count_distinct(keys, m, nv, tot, 1);
    }
    rc = collect(r, &g, cnt, nv, keys ? tot : NULL, err);
    goto done;
nomem:
    rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory computing the overstays");
done:
    fr_free(keys);
    fr_free(cnt);
    fr_free(g.dayc);
    if (rc != FR_OK) {
        fr_report_free(r);
        return rc;
    }
    *out = r;
    return FR_OK;
}
