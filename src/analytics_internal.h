/* analytics_internal.h: the layout of the columnar index (analytics.h),
 * shared by analytics.c (building and pairing), analytics_report.c (the
 * scans) and analytics_load.c (loaders).
 *
 * Per event, seven parallel columns (20 bytes):
 *   date  uint16  local date, days since 1970-01-01
 *   utc   uint32  the instant, seconds since 1970 (orders a traveller's events)
 *   attr  uint32  kind (3 bits) | nationality (9) | port (10) | class (10)
 *   trav  uint32  traveller index
 *   until int16   the event's own authorised-until, days after `date`
 *   eff   int16   entries: the stay's end after extensions, days after `date`
 *   exitd int16   entries: the date of the exit that closed it, days after `date`
 * (int16 FR_AN_NONE16 = none). Per traveller: its 64-bit key, its open entry,
 * the latest instant seen, a dirty bit, and a slot in an open-addressing hash
 * of keys (uint32, load <= 0.7). */
#ifndef FR_ANALYTICS_INTERNAL_H
#define FR_ANALYTICS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/analytics.h"
#include "frontera/event.h"

#define FR_AN_NONE16 INT16_MIN
#define FR_AN_NOIDX UINT32_MAX

#define FR_AN_KIND(a) ((unsigned)(a)&7u)
#define FR_AN_NAT(a) (((unsigned)(a) >> 3) & 511u)
#define FR_AN_PORT(a) (((unsigned)(a) >> 12) & 1023u)
#define FR_AN_CLASS(a) (((unsigned)(a) >> 22) & 1023u)
#define FR_AN_ATTR(kind, nat, port, cls)                                                           \
    ((uint32_t)(kind) | ((uint32_t)(nat) << 3) | ((uint32_t)(port) << 12) | ((uint32_t)(cls) << 22))

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
    uint64_t *pkey;
    uint32_t *popen; /* open entry, FR_AN_NOIDX none */
    uint32_t *plast; /* latest instant seen */
    uint8_t *pdirty; /* bitmap: re-pair before the next report */
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
};

/* Re-pair the travellers marked dirty (one pass over the events). */
int fr_an_repair(fr_analytics *a);

#endif
