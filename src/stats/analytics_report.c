/* SPDX-License-Identifier: MIT */
/* analytics_report.c: the flow and overstay reports over the columnar index
 * (analytics.h; definitions in docs/analytics.md). Each is one scan of the
 * event columns counting into the dense grid of analytics_grid.c, with no
 * allocation per event and no hashing. Counting persons instead of events
 * collects (cell, traveller, tag) triples in one 64-bit word each, sorts
 * them and counts distinct ones. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"

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

/* The nationalities a query keeps, as a bit set over FR_AN_NAT. */
static void nat_mask(const fr_an_grid *g, uint64_t m[8])
{
    memset(m, 0, 8 * sizeof *m);
    for (unsigned n = 0; n < 512; n++)
        if (g->natc[n] != FR_AN_SKIP) m[n >> 6] |= (uint64_t)1 << (n & 63);
}

/* The ports a query keeps, as a bit set over FR_AN_PORT. */
static void port_mask(const fr_an_grid *g, uint64_t m[16])
{
    memset(m, 0, 16 * sizeof *m);
    for (unsigned p = 0; p <= FR_ANALYTICS_MAX_PORTS; p++)
        if (g->portc[p] != FR_AN_SKIP) m[p >> 6] |= (uint64_t)1 << (p & 63);
}

/* Whether block z may hold an event of the nationalities nm and ports pm. */
static int nat_overlap(const fr_an_zone *z, const uint64_t nm[8], const uint64_t pm[16])
{
    uint64_t n = 0, p = 0;
    for (int k = 0; k < 8; k++)
        n |= z->nat[k] & nm[k];
    for (int k = 0; k < 16; k++)
        p |= z->port[k] & pm[k];
    return n != 0 && p != 0;
}

/* The counting scan's look-up tables: an event's slot in the grid (cell *
 * nv + value) is the sum of one entry per field, each table covering every
 * value its bits can hold, so no event, whatever its column holds, reads
 * outside them. A field filtered out, a day outside the period and a kind
 * not counted weigh FLOW_OUT, which puts the sum past the grid: such events
 * land in one spare slot after it, with no branch in the loop. */
#define FLOW_OUT ((uint64_t)1 << 48)
typedef struct flow_tables {
    uint64_t natkind[4096]; /* by the attributes' low 12 bits: the kind, then the nationality */
    uint64_t port[1024], cls[512];
    uint64_t day[65536]; /* by the date column's value */
    int by_class;        /* cls holds something other than 0 */
} flow_tables;

static flow_tables *flow_tables_new(const fr_an_grid *g)
{
    flow_tables *t = fr_malloc(sizeof *t);
    if (!t) return NULL;
    const uint64_t nv = FR_FLOW_NVALUES;
    t->by_class = 0;
    for (size_t x = 0; x < 512; x++) {
        t->cls[x] = g->classc[x] * nv;
        t->by_class |= t->cls[x] != 0;
    }
    for (uint32_t at = 0; at < 4096; at++) {
        unsigned k = FR_AN_KIND(at), x = FR_AN_NAT(at);
        t->natkind[at] = g->natc[x] == FR_AN_SKIP                         ? FLOW_OUT
                         : k >= FR_EVENT_ENTRY && k <= FR_EVENT_ENCOUNTER ? g->natc[x] * nv + k - 1
                                                                          : FLOW_OUT;
    }
    for (size_t x = 0; x < 1024; x++)
        t->port[x] = g->portc[x] == FR_AN_SKIP ? FLOW_OUT : g->portc[x] * nv;
    for (size_t d = 0; d < 65536; d++)
        t->day[d] =
            (fr_date)d >= g->lo && (fr_date)d <= g->hi ? g->dayc[d - (size_t)g->lo] * nv : FLOW_OUT;
    return t;
}

/* One part of the flows' scan: the events of zones [z0, z1), counted into
 * the part's own grid of 32-bit counts (an index holds fewer than 2^31
 * events) with a spare slot at its end, or collected as (cell, traveller,
 * kind) words into keys (counting persons). */
typedef struct flow_part {
    const fr_analytics *a;
    const fr_an_grid *g;
    const flow_tables *t;
    const uint64_t *nm, *pm;
    size_t z0, z1, size;
    uint32_t *cnt;
    uint64_t *keys;
    size_t m;
} flow_part;

/* Whether zone z may hold an event the report counts. */
static int zone_counts(const fr_an_zone *zn, const fr_an_grid *g, const flow_part *p)
{
    return zn->dmax >= (int32_t)g->lo && zn->dmin <= (int32_t)g->hi &&
           nat_overlap(zn, p->nm, p->pm);
}

/* Count events [i0, i1) of a block; dx: the day's weight when the whole
 * block lies in one period (its dates then not read), else FLOW_OUT + 1.
 * Inlined with by_class constant, so the loop without classes does one
 * look-up fewer. */
static inline void count_block(const flow_tables *t, const uint16_t *date, const uint32_t *attr,
                               size_t i0, size_t i1, uint64_t dx, int by_class, uint32_t *cnt,
                               uint64_t spare)
{
    for (size_t i = i0; i < i1; i++) {
        uint32_t at = attr[i];
        uint64_t x = (dx <= FLOW_OUT ? dx : t->day[date[i]]) + t->natkind[at & 4095u] +
                     t->port[FR_AN_PORT(at)] + (by_class ? t->cls[FR_AN_CLASS(at)] : 0);
        cnt[x < spare ? x : spare]++;
    }
}

static void *flow_scan(void *arg)
{
    flow_part *p = arg;
    const fr_analytics *a = p->a;
    const fr_an_grid *g = p->g;
    const size_t n = a->n;
    const uint16_t *date = a->date;
    const uint32_t *attr = a->attr, *trav = a->trav;
    const flow_tables *t = p->t;
    uint32_t *cnt = p->cnt; /* locals: stores through cnt cannot change them */
    uint64_t *keys = p->keys;
    size_t m = 0;
    unsigned ulo = (unsigned)g->lo, uhi = (unsigned)g->hi;
    for (size_t z = p->z0; z < p->z1; z++) {
        if (!zone_counts(&a->zones[z], g, p)) continue; /* skip the blocks that cannot match */
        size_t i0 = z << FR_AN_ZONE_SHIFT, i1 = i0 + FR_AN_ZONE < n ? i0 + FR_AN_ZONE : n;
        if (!keys) {
            /* every day of the block in one period of the report (a block of
             * 4,096 events spans hours at a nation's volume): its dates need
             * not be read, a third of the bytes */
            const fr_an_zone *zn = &a->zones[z];
            uint64_t dx = zn->dmin >= 0 && zn->dmax <= 65535 && t->day[zn->dmin] < FLOW_OUT &&
                                  t->day[zn->dmin] == t->day[zn->dmax]
                              ? t->day[zn->dmin]
                              : FLOW_OUT + 1;
            if (t->by_class)
                count_block(t, date, attr, i0, i1, dx, 1, cnt, p->size);
            else
                count_block(t, date, attr, i0, i1, dx, 0, cnt, p->size);
            continue;
        }
        for (size_t i = i0; i < i1; i++) {
            unsigned d = date[i];
            if (d < ulo || d > uhi) continue;
            uint32_t at = attr[i];
            unsigned k = FR_AN_KIND(at);
            if (k > FR_EVENT_ENCOUNTER) continue;
            uint32_t c = fr__an_cell(g, at, d);
            if (c == FR_AN_SKIP) continue;
            keys[m++] = (uint64_t)c << 35 | (uint64_t)trav[i] << 3 | k;
        }
    }
    p->m = m;
    return NULL;
}

/* How many parts to scan n events in: one per CPU this process may run on,
 * each of at least FLOW_PART_MIN events (below that a thread costs more
 * than it saves), at most FLOW_PARTS. */
#define FLOW_PARTS 8
#define FLOW_PART_MIN ((size_t)1 << 20)
static size_t flow_parts(size_t n)
{
    size_t k = n / FLOW_PART_MIN, cpus = fr__an_cpus();
    if (k > cpus) k = cpus;
    return k < 1 ? 1 : k > FLOW_PARTS ? FLOW_PARTS : k;
}

/* Scan the events in parts on threads of their own (the first on this one),
 * each counting into its own grid, then add the grids into cnt. A part whose
 * grid cannot be allocated goes to the part before it; a thread that cannot
 * be started leaves its part to this one. FR_ENOMEM when not even the first
 * grid can be allocated. */
static int flow_count(const fr_analytics *a, const fr_an_grid *g, const uint64_t nm[8],
                      const uint64_t pm[16], int64_t *cnt)
{
    size_t nz = fr__an_nzones(a->n), k = flow_parts(a->n), size = g->cells * FR_FLOW_NVALUES;
    flow_part part[FLOW_PARTS];
    pthread_t th[FLOW_PARTS];
    int started[FLOW_PARTS] = {0};
    flow_tables *t = flow_tables_new(g);
    if (!t) return FR_ENOMEM;
    for (size_t j = 0; j < k; j++) {
        part[j] = (flow_part){a, g, t, nm, pm, nz * j / k, nz * (j + 1) / k, size, NULL, NULL, 0};
        if (!(part[j].cnt = fr_calloc(size + 1, sizeof *part[j].cnt))) { /* + the spare */
            if (j == 0) {
                fr_free(t);
                return FR_ENOMEM;
            }
            part[j - 1].z1 = nz;
            k = j;
        }
    }
    for (size_t j = 1; j < k; j++)
        started[j] = pthread_create(&th[j], NULL, flow_scan, &part[j]) == 0;
    flow_scan(&part[0]);
    for (size_t j = 0; j < k; j++) {
        if (j > 0 && started[j])
            pthread_join(th[j], NULL);
        else if (j > 0)
            flow_scan(&part[j]);
        for (size_t c = 0; c < size; c++)
            cnt[c] += part[j].cnt[c];
        fr_free(part[j].cnt);
    }
    fr_free(t);
    return FR_OK;
}

int fr_analytics_flows(fr_analytics *a, const fr_report_query *q, fr_report **out, fr_error *err)
{
    if (q->persons && q->cumulative)
        return fr_error_set(err, FR_EINVAL, 0, 0, "persons",
                            "cumulative counts of persons are not supported; count events");
    /* the dates and attributes, the travellers only to count persons */
    int rc = fr__an_need(a, FR_AN_C_DATE | FR_AN_C_ATTR | (q->persons ? FR_AN_C_TRAV : 0u), err);
    if (rc != FR_OK) return rc;
    fr_date lo = q->from != FR_DATE_NONE ? q->from : a->first != FR_DATE_NONE ? a->first : 0;
    fr_date hi = q->to != FR_DATE_NONE ? q->to : a->last != FR_DATE_NONE ? a->last : 0;
    fr_an_grid g;
    fr_report *r = NULL;
    rc = fr__an_begin(a, q, lo, hi, &r, &g, err);
    if (rc != FR_OK) return rc;
    r->query.from = g.lo;
    r->query.to = g.hi;
    const size_t nv = FR_FLOW_NVALUES;
    int64_t *cnt = fr_calloc(g.cells ? g.cells * nv : 1, sizeof *cnt), tot[FR_FLOW_NVALUES] = {0};
    uint64_t *keys = NULL;
    size_t m = 0;
    if (!cnt) goto nomem;
    if (q->persons && !(keys = fr_malloc((a->n ? a->n : 1) * sizeof *keys))) goto nomem;
    uint64_t nm[8], pm[16];
    nat_mask(&g, nm);
    port_mask(&g, pm);
    if (!g.empty && g.cells > 0) {
        if (keys) { /* one part: the words are sorted together */
            flow_part p = {a, &g, NULL, nm, pm, 0, fr__an_nzones(a->n), 0, NULL, keys, 0};
            flow_scan(&p);
            m = p.m;
        } else if (flow_count(a, &g, nm, pm, cnt) != FR_OK) {
            goto nomem;
        }
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
    rc = fr__an_collect(r, &g, cnt, nv, keys || (q->cumulative && g.period >= 0) ? tot : NULL, err);
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
    int rc = fr__an_need(a,
                         FR_AN_C_DATE | FR_AN_C_ATTR | FR_AN_C_EFF | FR_AN_C_EXITD |
                             (q->persons ? FR_AN_C_TRAV : 0u),
                         err);
    if (rc != FR_OK) return rc;
    fr_date as_of = q->as_of != FR_DATE_NONE ? q->as_of : a->last != FR_DATE_NONE ? a->last : 0;
    fr_date lo = q->from != FR_DATE_NONE ? q->from : a->first != FR_DATE_NONE ? a->first : 0;
    fr_date hi = q->to != FR_DATE_NONE ? q->to : as_of;
    fr_an_grid g;
    fr_report *r = NULL;
    rc = fr__an_begin(a, q, lo, hi, &r, &g, err);
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
    uint64_t nm[8], pm[16];
    nat_mask(&g, nm);
    port_mask(&g, pm);
    for (size_t i = 0; ok && i < a->n; i++) {
        if ((i & (FR_AN_ZONE - 1)) == 0) { /* skip the blocks that cannot match */
            const fr_an_zone *z = &a->zones[i >> FR_AN_ZONE_SHIFT];
            int dhs = z->umax >= dlo && z->umin <= dhi && z->dmin <= as_of;
            int crude = z->dmax >= clo && z->dmin <= chi;
            if (!(dhs || crude) || !nat_overlap(z, nm, pm)) {
                i += FR_AN_ZONE - 1;
                continue;
            }
        }
        uint32_t at = a->attr[i];
        unsigned k = FR_AN_KIND(at);
        int64_t d = a->date[i];
        if (k == FR_EVENT_ENTRY && a->eff[i] != FR_AN_NONE16) {
            int64_t u = d + a->eff[i];
            if (u >= dlo && u <= dhi && d <= as_of) {
                uint32_t c = fr__an_cell(&g, at, (unsigned)u);
                if (c != FR_AN_SKIP) {
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
            uint32_t c = fr__an_cell(&g, at, (unsigned)d);
            if (c == FR_AN_SKIP) continue;
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
    rc = fr__an_collect(r, &g, cnt, nv, keys ? tot : NULL, err);
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
