/* SPDX-License-Identifier: MIT */
/* analytics_internal.h: the layout of the columnar index (analytics.h),
 * shared by analytics.c (building and pairing), analytics_grid.c (report
 * shapes), analytics_report.c (the scans) and analytics_load.c (loaders).
 *
 * Per event, seven parallel columns (20 bytes):
 *   date  uint16  local date, days since 1970-01-01
 *   utc   uint32  the instant, seconds since 1970 (orders a traveller's events)
 *   attr  uint32  kind (3 bits) | nationality (9) | port (10) | class (9) |
 *                 inherited (1: an exit's class taken from the entry it closed)
 *   trav  uint32  traveller index
 *   until int16   the event's own authorised-until, days after `date`
 *   eff   int16   entries: the stay's end after extensions, days after `date`
 *   exitd int16   entries: the date of the exit that closed it, days after `date`
 * (int16 FR_AN_NONE16 = none). Per traveller (16 bytes, one record so an
 * append touches one cache line of it): its 64-bit key, its open entry with
 * a dirty bit, the latest instant seen; and a slot in an open-addressing
 * hash of keys (uint32, load <= 0.7). */
#ifndef FR_ANALYTICS_INTERNAL_H
#define FR_ANALYTICS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/analytics.h"
#include "frontera/event.h"

#define FR_AN_NONE16 INT16_MIN
/* fr_an_traveller.open: the open entry's index (FR_AN_NOIDX: none) in the
 * low 31 bits, FR_AN_DIRTY when the traveller must be re-paired. */
#define FR_AN_NOIDX 0x7FFFFFFFu
#define FR_AN_DIRTY 0x80000000u

#define FR_AN_KIND(a) ((unsigned)(a)&7u)
#define FR_AN_NAT(a) (((unsigned)(a) >> 3) & 511u)
#define FR_AN_PORT(a) (((unsigned)(a) >> 12) & 1023u)
#define FR_AN_CLASS(a) (((unsigned)(a) >> 22) & 511u)
#define FR_AN_CLASS_MASK (511u << 22)
/* an exit recorded without a class that took the class of the entry it closed */
#define FR_AN_INHERITED 0x80000000u
#define FR_AN_ATTR(kind, nat, port, cls)                                                           \
    ((uint32_t)(kind) | ((uint32_t)(nat) << 3) | ((uint32_t)(port) << 12) | ((uint32_t)(cls) << 22))

/* One traveller: 16 bytes, one cache line touched per append. */
typedef struct fr_an_traveller {
    uint64_t key;
    uint32_t open; /* open entry | FR_AN_DIRTY */
    uint32_t last; /* latest instant seen (utc) */
} fr_an_traveller;

/* Zone map: per block of FR_AN_ZONE events, what the block can hold, so a
 * report skips blocks outside its period or its nationalities (filters
 * pushed down). Ranges only widen (re-pairing may move an entry's end of
 * stay), which keeps them safe bounds. */
#define FR_AN_ZONE_SHIFT 12
#define FR_AN_ZONE (1u << FR_AN_ZONE_SHIFT)
typedef struct fr_an_zone {
    int32_t dmin, dmax; /* event dates */
    int32_t umin, umax; /* entries: end of the authorised stay (date + eff) */
    uint64_t nat[8];    /* nationalities present (FR_AN_NAT) */
    uint64_t port[16];  /* ports present */
} fr_an_zone;

struct fr_analytics {
    size_t n, cap; /* events */
    uint16_t *date;
    uint32_t *utc;
    uint32_t *attr;
    uint32_t *trav;
    int16_t *until;
    int16_t *eff;
    int16_t *exitd;

    size_t np, pcap; /* travellers */
    fr_an_traveller *pt;
    size_t ndirty;
    uint32_t *slots; /* traveller index + 1; 0 empty */
    size_t nslots;   /* a power of two */

    /* dictionaries; index 0 of classes is "" */
    char ports[FR_ANALYTICS_MAX_PORTS + 1][6];
    size_t nports;
    char classes[FR_ANALYTICS_MAX_CLASSES + 1][FR_CLASS_MAX + 1];
    size_t nclasses;
    uint32_t natcount[512]; /* events per nationality (0 unknown, else country index + 1) */
    fr_date first, last;
    size_t skipped; /* ledger events left out by fr_analytics_load_store */

    fr_an_zone *zones; /* (cap + FR_AN_ZONE - 1) / FR_AN_ZONE of them */
    size_t zcap;

    /* the ledger's sequence the index holds events up to, and its fingerprint
     * (fr_store_last_sequence); 0 for an index not read from a store */
    int64_t seq, seq_fp;
    /* a snapshot mapping the columns may point into (snapshot.c): columns
     * inside it are copied out before they grow, never freed */
    void *map;
    size_t maplen;
    /* the sections of a snapshot read with FR_SNAPSHOT_LAZY not yet checked;
     * NULL when every column is trusted (built here, or checked whole) */
    struct fr_an_lazy *lazy;
};

/* The columns of a snapshot that may be checked on first use, as bits (the
 * order of snapshot.c's sections). */
enum {
    FR_AN_C_DATE = 1u << 0,
    FR_AN_C_UTC = 1u << 1,
    FR_AN_C_ATTR = 1u << 2,
    FR_AN_C_TRAV = 1u << 3,
    FR_AN_C_UNTIL = 1u << 4,
    FR_AN_C_EFF = 1u << 5,
    FR_AN_C_EXITD = 1u << 6,
    FR_AN_C_PT = 1u << 7,
    FR_AN_C_SLOTS = 1u << 8,
    FR_AN_C_ALL = (1u << 9) - 1
};

/* What is left to check of a snapshot read lazily (snapshot.c). Reached
 * through a pointer so that a function given a const index can still check
 * a column before it reads it. */
typedef struct fr_an_lazy {
    unsigned unchecked; /* FR_AN_C_ bits */
    uint64_t off[9], len[9], sum[9];
    char path[]; /* the file, for the message */
} fr_an_lazy;

/* Check the columns cols of a snapshot read lazily: each section's checksum
 * and the references it holds, once. FR_EPARSE (err says which section of
 * which file) when one fails: nothing of it may be read. */
int fr__an_check(const fr_analytics *a, unsigned cols, fr_error *err);

/* How many CPUs this process may run on (its affinity), at least 1: the
 * threads a scan or a check is split over. */
size_t fr__an_cpus(void);

/* fr_snapshot_read, or with lazily 1 as FR_SNAPSHOT_LAZY reads (snapshot.c;
 * for fr_snapshot_open and the fuzz target). */
int fr__snapshot_read(const char *path, int lazily, fr_analytics **out, uint64_t *file_bytes,
                      fr_error *err);

/* Every function that reads columns calls this first with those it reads. */
static inline int fr__an_need(const fr_analytics *a, unsigned cols, fr_error *err)
{
    return a->lazy && (a->lazy->unchecked & cols) ? fr__an_check(a, cols, err) : FR_OK;
}

/* Whether p points into the snapshot mapping. */
static inline int fr__an_in_map(const fr_analytics *a, const void *p)
{
    return a->map && (const char *)p >= (const char *)a->map &&
           (const char *)p < (const char *)a->map + a->maplen;
}

/* The zone covering event i widened for a change to it (after any update of
 * date, attr or eff). */
static inline void fr__an_zone_note(fr_analytics *a, size_t i)
{
    fr_an_zone *z = &a->zones[i >> FR_AN_ZONE_SHIFT];
    int32_t d = a->date[i];
    uint32_t at = a->attr[i];
    if (d < z->dmin) z->dmin = d;
    if (d > z->dmax) z->dmax = d;
    if ((at & 7u) == 1u && a->eff[i] != FR_AN_NONE16) { /* an entry */
        int32_t u = d + a->eff[i];
        if (u < z->umin) z->umin = u;
        if (u > z->umax) z->umax = u;
    }
    z->nat[FR_AN_NAT(at) >> 6] |= (uint64_t)1 << (FR_AN_NAT(at) & 63);
    z->port[FR_AN_PORT(at) >> 6] |= (uint64_t)1 << (FR_AN_PORT(at) & 63);
}

/* An empty zone (nothing can match it). */
void fr__an_zone_clear(fr_an_zone *z);

/* The number of zones the first n events span. */
static inline size_t fr__an_nzones(size_t n)
{
    return (n + FR_AN_ZONE - 1) >> FR_AN_ZONE_SHIFT;
}

/* Re-pair the travellers marked dirty (one pass over the events). */
int fr__an_repair(fr_analytics *a);

/* ---- report grid (analytics_grid.c) ---- */
#define FR_AN_SKIP UINT32_MAX /* a nationality or port filtered out */

typedef struct fr_an_grid {
    size_t cells, mult[FR_REPORT_MAX_KEYS];
    int period; /* position of the period key, -1 none */
    fr_date lo, hi;
    uint32_t natc[512], portc[FR_ANALYTICS_MAX_PORTS + 1], classc[FR_ANALYTICS_MAX_CLASSES + 1];
    uint32_t *dayc; /* hi - lo + 1 entries */
    int empty;      /* the period holds no day of the index's range */
} fr_an_grid;

/* The cell of an event with attributes at on day (in [lo, hi]), or FR_AN_SKIP. */
static inline uint32_t fr__an_cell(const fr_an_grid *g, uint32_t at, unsigned day)
{
    uint32_t c = g->natc[FR_AN_NAT(at)], pc = g->portc[FR_AN_PORT(at)];
    if (c == FR_AN_SKIP || pc == FR_AN_SKIP) return FR_AN_SKIP;
    return c + pc + g->classc[FR_AN_CLASS(at)] + g->dayc[day - (unsigned)g->lo];
}

/* Re-pair, check the query, allocate the report and build the grid for the
 * days [lo, hi]. On error nothing is left allocated. */
int fr__an_begin(fr_analytics *a, const fr_report_query *q, fr_date lo, fr_date hi, fr_report **out,
                 fr_an_grid *g, fr_error *err);
/* Turn counts (nv per cell) into the report's rows; the total is their sum,
 * or tot when given. */
int fr__an_collect(fr_report *r, const fr_an_grid *g, const int64_t *cnt, size_t nv,
                   const int64_t *tot, fr_error *err);

/* The label of date d under period key k (year "2024", month "2024-07",
 * ISO week "2024-W27", day "2024-07-01"): analytics_grid.c, routes.c. */
void fr__an_period_label(fr_report_key k, fr_date d, char out[FR_REPORT_LABEL_MAX]);

#endif
