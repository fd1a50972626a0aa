/* SPDX-License-Identifier: MIT */
/* analytics.c: the columnar index of crossings (analytics.h): appending
 * events into compact columns, the traveller hash, and the pairing of each
 * entry with its exit and its last extension.
 *
 * Pairing follows the ledger's rule (ledger_link.c, fr__ledger_pair): in a
 * traveller's event-time order an entry becomes the open one, an exit closes
 * the open entry (or is unpaired), an extension moves the open entry's
 * authorised-until; an exit recorded without an admission class takes the
 * class of the entry it closes (so flows by class count it). An event at or after the traveller's
 * latest instant is paired on the spot (O(1)); an earlier one (sent late) marks the traveller
 * dirty, and fr__an_repair replays all dirty travellers in one pass over the
 * events, sorted by (traveller, instant, arrival). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/country.h"

size_t fr__an_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (size_t)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

int fr_analytics_new(fr_analytics **out)
{
    fr_analytics *a = fr_calloc(1, sizeof *a);
    if (!a) return FR_ENOMEM;
    a->nclasses = 1; /* "" */
    a->first = a->last = FR_DATE_NONE;
    *out = a;
    return FR_OK;
}

/* Free a column unless it lies in the snapshot mapping. */
static void col_free(fr_analytics *a, void *p)
{
    if (!fr__an_in_map(a, p)) fr_free(p);
}

void fr_analytics_free(fr_analytics *a)
{
    if (!a) return;
    void *cols[] = {a->date, a->utc,   a->attr, a->trav,  a->until,
                    a->eff,  a->exitd, a->pt,   a->slots, a->zones};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        col_free(a, cols[k]);
    if (a->map) munmap(a->map, a->maplen);
    fr_free(a->lazy);
    fr_free(a);
}

void fr__an_zone_clear(fr_an_zone *z)
{
    memset(z, 0, sizeof *z);
    z->dmin = z->umin = INT32_MAX;
    z->dmax = z->umax = INT32_MIN;
}

/* Resize one column holding n elements of size bytes to cap elements; a
 * column inside the snapshot mapping is copied out. */
static int resize(fr_analytics *a, void **col, size_t n, size_t cap, size_t size)
{
    if (fr__an_in_map(a, *col)) {
        void *p = fr_malloc((cap ? cap : 1) * size);
        if (!p) return FR_ENOMEM;
        memcpy(p, *col, (n < cap ? n : cap) * size);
        *col = p;
        return FR_OK;
    }
    void *p = fr_realloc(*col, (cap ? cap : 1) * size);
    if (!p) return FR_ENOMEM;
    *col = p;
    return FR_OK;
}

static int events_resize(fr_analytics *a, size_t cap)
{
    size_t n = a->n, nz = fr__an_nzones(cap), z0 = fr__an_nzones(a->n);
    if (resize(a, (void **)&a->date, n, cap, 2) || resize(a, (void **)&a->utc, n, cap, 4) ||
        resize(a, (void **)&a->attr, n, cap, 4) || resize(a, (void **)&a->trav, n, cap, 4) ||
        resize(a, (void **)&a->until, n, cap, 2) || resize(a, (void **)&a->eff, n, cap, 2) ||
        resize(a, (void **)&a->exitd, n, cap, 2) ||
        resize(a, (void **)&a->zones, z0, nz, sizeof *a->zones))
        return FR_ENOMEM; /* columns already grown keep their size: harmless */
    for (size_t z = z0; z < nz; z++)
        fr__an_zone_clear(&a->zones[z]);
    a->cap = cap;
    a->zcap = nz;
    return FR_OK;
}

static int travellers_resize(fr_analytics *a, size_t cap)
{
    if (resize(a, (void **)&a->pt, a->np, cap, sizeof *a->pt)) return FR_ENOMEM;
    a->pcap = cap;
    return FR_OK;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static int slots_resize(fr_analytics *a, size_t nslots)
{
    uint32_t *s = fr_calloc(nslots, sizeof *s);
    if (!s) return FR_ENOMEM;
    for (size_t p = 0; p < a->np; p++) {
        size_t h = (size_t)mix(a->pt[p].key) & (nslots - 1);
        while (s[h])
            h = (h + 1) & (nslots - 1);
        s[h] = (uint32_t)(p + 1);
    }
    col_free(a, a->slots);
    a->slots = s;
    a->nslots = nslots;
    return FR_OK;
}

static size_t slots_for(size_t travellers)
{
    size_t n = 1024;
    while (n * 7 / 10 < travellers + 1)
        n *= 2;
    return n;
}

int fr_analytics_reserve(fr_analytics *a, size_t events, size_t travellers)
{
    int rc = fr__an_need(a, FR_AN_C_ALL, NULL); /* columns are copied and rehashed */
    if (rc != FR_OK) return rc;
    if (events > a->cap && events_resize(a, events)) return FR_ENOMEM;
    if (travellers > a->pcap && travellers_resize(a, travellers)) return FR_ENOMEM;
    if (slots_for(travellers) > a->nslots && slots_resize(a, slots_for(travellers)))
        return FR_ENOMEM;
    return FR_OK;
}

void fr_analytics_compact(fr_analytics *a)
{
    if (fr__an_need(a, FR_AN_C_ALL, NULL) != FR_OK) return; /* left as it is */
    /* on failure the old blocks stay; a mapped snapshot stays mapped */
    if (a->n < a->cap && !fr__an_in_map(a, a->date)) events_resize(a, a->n);
    if (a->np < a->pcap && !fr__an_in_map(a, a->pt)) travellers_resize(a, a->np);
}

/* The traveller index of key, adding it when new (*added = 1). */
static int traveller_find(fr_analytics *a, uint64_t key, uint32_t *out, int *added)
{
    *added = 0;
    if (a->nslots) {
        size_t h = (size_t)mix(key) & (a->nslots - 1);
        for (uint32_t s; (s = a->slots[h]) != 0; h = (h + 1) & (a->nslots - 1))
            if (a->pt[s - 1].key == key) {
                *out = s - 1;
                return FR_OK;
            }
    }
    if (a->np >= UINT32_MAX - 1) return FR_ELIMIT;
    if (a->np >= a->pcap && travellers_resize(a, a->pcap + a->pcap / 2 + 1024)) return FR_ENOMEM;
    if ((a->np + 1) * 10 > a->nslots * 7 && slots_resize(a, slots_for(a->np + 1))) return FR_ENOMEM;
    size_t h = (size_t)mix(key) & (a->nslots - 1);
    while (a->slots[h])
        h = (h + 1) & (a->nslots - 1);
    uint32_t p = (uint32_t)a->np++;
    a->slots[h] = p + 1;
    a->pt[p] = (fr_an_traveller){key, FR_AN_NOIDX, 0};
    *out = p;
    *added = 1;
    return FR_OK;
}

static int dict_find(char *base, size_t width, size_t *n, size_t max, const char *s, size_t len)
{
    for (size_t i = 0; i < *n; i++) {
        const char *e = base + i * width;
        if (strncmp(e, s, len) == 0 && e[len] == '\0') return (int)i;
    }
    if (*n >= max) return -1;
    memcpy(base + *n * width, s, len);
    base[*n * width + len] = '\0';
    return (int)(*n)++;
}

static int16_t clamp16(int64_t d)
{
    return d > INT16_MAX ? INT16_MAX : d <= INT16_MIN ? INT16_MIN + 1 : (int16_t)d;
}

/* Pair event i of traveller p, which is at or after all of p's events. */
static void pair_step(fr_analytics *a, uint32_t p, uint32_t i)
{
    unsigned kind = FR_AN_KIND(a->attr[i]);
    fr_an_traveller *t = &a->pt[p];
    uint32_t open = t->open & FR_AN_NOIDX;
    if (kind == FR_EVENT_ENTRY) {
        a->eff[i] = a->until[i];
        a->exitd[i] = FR_AN_NONE16;
        t->open = i;
    } else if (kind == FR_EVENT_EXIT) {
        if (a->attr[i] & FR_AN_INHERITED) /* re-pairing: forget the old entry's class */
            a->attr[i] &= ~(FR_AN_CLASS_MASK | FR_AN_INHERITED);
        if (open == FR_AN_NOIDX) goto done;
        if (FR_AN_CLASS(a->attr[i]) == 0 && FR_AN_CLASS(a->attr[open]) != 0)
            a->attr[i] |= (a->attr[open] & FR_AN_CLASS_MASK) | FR_AN_INHERITED;
        a->exitd[open] = clamp16((int64_t)a->date[i] - a->date[open]);
        t->open = FR_AN_NOIDX;
    } else if (kind == FR_EVENT_EXTENSION && open != FR_AN_NOIDX && a->until[i] != FR_AN_NONE16) {
        a->eff[open] = clamp16((int64_t)a->date[i] + a->until[i] - a->date[open]);
        fr__an_zone_note(a, open);
    }
done:
    if (a->utc[i] > t->last) t->last = a->utc[i];
}

int fr_analytics_append(fr_analytics *a, const fr_analytics_event *ev, fr_error *err)
{
    int rc0 = fr__an_need(a, FR_AN_C_ALL, err); /* appending re-pairs: reads every column */
    if (rc0 != FR_OK) return rc0;
    if (ev->kind < FR_EVENT_ENTRY || ev->kind > FR_EVENT_EXTENSION)
        return fr_error_set(err, FR_EINVAL, 0, 0, "kind", "unknown event kind %d", (int)ev->kind);
    if (ev->date < 0 || ev->date > 65534 || ev->at_utc < 0 || ev->at_utc > (int64_t)UINT32_MAX)
        return fr_error_set(err, FR_ERANGE, 0, 0, "at",
                            "the analytics index holds events from 1970 to 2106 only");
    int16_t until = FR_AN_NONE16;
    if (ev->authorised_until != FR_DATE_NONE) {
        int64_t d = (int64_t)ev->authorised_until - ev->date;
        if (d <= INT16_MIN || d > INT16_MAX)
            return fr_error_set(err, FR_ERANGE, 0, 0, "authorised_until",
                                "an authorised stay of %lld days is beyond the index's range",
                                (long long)d);
        until = (int16_t)d;
    }
    size_t plen = ev->port ? strlen(ev->port) : 0;
    if (plen == 0 || plen > 5)
        return fr_error_set(err, FR_EINVAL, 0, 0, "port", "the port must be a UN/LOCODE");
    unsigned nat = 0;
    if (ev->nationality && ev->nationality[0]) {
        int c = fr_country_find_cstr(ev->nationality);
        if (c < 0 || c >= 511)
            return fr_error_set(err, FR_EINVAL, 0, 0, "nationality",
                                "'%s' is not an ICAO 9303 nationality code", ev->nationality);
        nat = (unsigned)c + 1;
    }
    const char *cls = ev->admission_class ? ev->admission_class : "";
    size_t clen = strlen(cls);
    if (clen > FR_CLASS_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "admission_class",
                            "an admission class has at most %d characters", FR_CLASS_MAX);
    if (a->n >= FR_ANALYTICS_MAX_EVENTS)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "", "the analytics index is full");
    if (a->n >= a->cap && events_resize(a, a->cap + a->cap / 2 + 4096))
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory growing the analytics index");
    size_t np0 = a->nports, nc0 = a->nclasses;
    int port = dict_find(&a->ports[0][0], sizeof a->ports[0], &a->nports, FR_ANALYTICS_MAX_PORTS,
                         ev->port, plen);
    int klass = dict_find(&a->classes[0][0], sizeof a->classes[0], &a->nclasses,
                          FR_ANALYTICS_MAX_CLASSES, cls, clen);
    if (port < 0 || klass < 0) {
        a->nports = np0;
        a->nclasses = nc0;
        return fr_error_set(err, FR_ELIMIT, 0, 0, port < 0 ? "port" : "admission_class",
                            "more than %d distinct %s",
                            port < 0 ? FR_ANALYTICS_MAX_PORTS : FR_ANALYTICS_MAX_CLASSES,
                            port < 0 ? "ports" : "admission classes");
    }
    uint32_t p;
    int added;
    int rc = traveller_find(a, ev->traveller, &p, &added);
    if (rc != FR_OK) {
        a->nports = np0;
        a->nclasses = nc0;
        return fr_error_set(err, rc, 0, 0, "", "cannot add a traveller to the analytics index");
    }
    uint32_t i = (uint32_t)a->n++;
    a->date[i] = (uint16_t)ev->date;
    a->utc[i] = (uint32_t)ev->at_utc;
    a->attr[i] = FR_AN_ATTR(ev->kind, nat, port, klass);
    a->trav[i] = p;
    a->until[i] = until;
    a->eff[i] = until;
    a->exitd[i] = FR_AN_NONE16;
    fr__an_zone_note(a, i);
    a->natcount[nat]++;
    if (a->first == FR_DATE_NONE || ev->date < a->first) a->first = ev->date;
    if (a->last == FR_DATE_NONE || ev->date > a->last) a->last = ev->date;
    fr_an_traveller *t = &a->pt[p];
    if (t->open & FR_AN_DIRTY) return FR_OK; /* re-paired later */
    if (!added && a->utc[i] < t->last) {
        t->open |= FR_AN_DIRTY;
        a->ndirty++;
        return FR_OK;
    }
    pair_step(a, p, i);
    return FR_OK;
}

int fr_analytics_append_event(fr_analytics *a, const fr_event *ev, uint64_t traveller,
                              fr_error *err)
{
    fr_analytics_event e = {.kind = ev->kind,
                            .date = ev->at.date,
                            .at_utc = fr_datetime_utc(&ev->at),
                            .port = ev->port,
                            .nationality = ev->doc.nationality,
                            .admission_class = ev->admission_class,
                            .authorised_until = ev->authorised_until,
                            .traveller = traveller};
    return fr_analytics_append(a, &e, err);
}

typedef struct {
    uint32_t trav, utc, idx;
} repair_item;

static int repair_cmp(const void *x, const void *y)
{
    const repair_item *a = x, *b = y;
    if (a->trav != b->trav) return a->trav < b->trav ? -1 : 1;
    if (a->utc != b->utc) return a->utc < b->utc ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int fr__an_repair(fr_analytics *a)
{
    if (a->ndirty == 0) return FR_OK;
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->pt[a->trav[i]].open & FR_AN_DIRTY) m++;
    repair_item *it = fr_malloc(m * sizeof *it);
    if (!it) return FR_ENOMEM;
    m = 0;
    for (size_t i = 0; i < a->n; i++) {
        uint32_t p = a->trav[i];
        if (a->pt[p].open & FR_AN_DIRTY) it[m++] = (repair_item){p, a->utc[i], (uint32_t)i};
    }
    qsort(it, m, sizeof *it, repair_cmp);
    for (size_t k = 0; k < m; k++) {
        uint32_t p = it[k].trav;
        if (k == 0 || it[k - 1].trav != p) {
            a->pt[p].open = FR_AN_NOIDX; /* and no longer dirty */
            a->pt[p].last = 0;
        }
        pair_step(a, p, it[k].idx);
    }
    fr_free(it);
    a->ndirty = 0;
    return FR_OK;
}

void fr_analytics_stats_get(fr_analytics *a, fr_analytics_stats *st)
{
    memset(st, 0, sizeof *st);
    /* a damaged column of a snapshot read lazily: the counts only */
    int whole = fr__an_need(a, FR_AN_C_ALL, NULL) == FR_OK;
    if (whole) (void)fr__an_repair(a); /* on ENOMEM the counts below may be a little stale */
    st->events = a->n;
    st->travellers = a->np;
    st->ports = a->nports;
    st->classes = a->nclasses;
    st->event_bytes = 2 + 4 + 4 + 4 + 2 + 2 + 2;
    st->bytes = sizeof *a + a->cap * st->event_bytes + a->pcap * sizeof *a->pt + a->nslots * 4;
    st->first = a->first;
    st->last = a->last;
    st->skipped = a->skipped;
    size_t paired = 0;
    for (size_t i = 0; whole && i < a->n; i++) {
        switch (FR_AN_KIND(a->attr[i])) {
        case FR_EVENT_ENTRY:
            st->entries++;
            if (a->exitd[i] != FR_AN_NONE16) paired++;
            break;
        case FR_EVENT_EXIT:
            st->exits++;
            break;
        case FR_EVENT_REFUSAL:
            st->refusals++;
            break;
        case FR_EVENT_ENCOUNTER:
            st->encounters++;
            break;
        default:
            st->extensions++;
            break;
        }
    }
    st->unpaired_exits = st->exits - paired;
    st->open_entries = st->entries - paired;
}
