/* SPDX-License-Identifier: MIT */
/* snapshot.c: the analytics index persisted beside the ledger (snapshot.h).
 *
 * File layout (host byte order, checked by a marker): a 512-byte header,
 * then one section per column, each 64-byte aligned:
 *   date utc attr trav until eff exitd   event columns, cap entries each
 *   pt slots                             travellers (pcap) and their hash
 *   zones                                zone maps, one per 4096 events
 *   dict                                 ports, classes, events per nationality
 * The event and traveller sections carry spare capacity (1/64, at least
 * 4096), so appending the events written since the stamp into the mapping
 * (private, copy-on-write) moves no column. The header records counts,
 * capacities, the stamp (ledger sequence, fingerprint, schema version), each
 * section's offset, length and a 64-bit checksum, and its own checksum.
 * Reading maps the file, checks the header, the size (truncation), every
 * checksum and the references between columns (traveller numbers, open
 * entries, hash slots), so a damaged file is refused rather than trusted. */
#include "frontera/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"

#define SNAP_MAGIC "FRSNAPv1"
#define SNAP_ENDIAN 0x01020304u
#define SNAP_HEADER 512u
#define SNAP_ALIGN 64u

enum {
    S_DATE,
    S_UTC,
    S_ATTR,
    S_TRAV,
    S_UNTIL,
    S_EFF,
    S_EXITD,
    S_PT,
    S_SLOTS,
    S_ZONES,
    S_DICT,
    S_N
};
static const char *const SECTION[S_N] = {"date",  "utc", "attr",  "trav",  "until", "eff",
                                         "exitd", "pt",  "slots", "zones", "dict"};

typedef struct snap_section {
    uint64_t off, len, sum;
} snap_section;

typedef struct snap_header {
    char magic[8];
    uint32_t format, endian, store_schema, reserved;
    int64_t seq, seq_fp;
    uint64_t n, cap, np, pcap, nslots, nzones, nports, nclasses;
    int64_t first, last;
    uint64_t file_bytes;
    snap_section sec[S_N];
    uint64_t header_sum; /* of the header with this field 0 */
} snap_header;

/* dict: the dictionaries and counters of struct fr_analytics, as they are. */
#define DICT_BYTES                                                                                 \
    (sizeof(((fr_analytics *)0)->ports) + sizeof(((fr_analytics *)0)->classes) +                   \
     sizeof(((fr_analytics *)0)->natcount))

_Static_assert(sizeof(snap_header) <= SNAP_HEADER, "the snapshot header outgrew its space");

/* A section's checksum: XXH3 (libxxhash), about three times as fast as the
 * four-lane xxHash64 round of format 1 (11 against 31 ms over 194 MB, the
 * scale-1 snapshot): every cold report checks every section. */
static uint64_t checksum(const void *p, size_t n)
{
    return (uint64_t)XXH3_64bits(p, n);
}

static uint64_t header_checksum(const snap_header *h)
{
    snap_header c = *h;
    c.header_sum = 0;
    return checksum(&c, sizeof c);
}

int fr_snapshot_path(const char *ledger, char *out, size_t cap)
{
    if (fr_store_is_pg(ledger)) return FR_ENOTFOUND; /* no file beside a server */
    if (strncmp(ledger, "sqlite:", 7) == 0) ledger += 7;
    int n = snprintf(out, cap, "%s.analytics", ledger);
    return n < 0 || (size_t)n >= cap ? FR_ELIMIT : FR_OK;
}

/* ---- reading ---- */

static int bad_section(fr_error *err, const char *path, int k, int refs)
{
    return refs ? fr_error_set(err, FR_EPARSE, 0, 0, "",
                               "the analytics snapshot %s is damaged: its %s section refers to "
                               "travellers, events, ports or classes it does not hold",
                               path, SECTION[k])
                : fr_error_set(err, FR_EPARSE, 0, 0, "",
                               "the analytics snapshot %s is damaged: the checksum of its %s "
                               "section fails",
                               path, SECTION[k]);
}

/* Read the pages of [p, p + n) of the mapping in one call rather than one
 * fault at a time; a kernel without MADV_POPULATE_READ (5.14) faults them. */
static void populate(const void *p, size_t n)
{
#ifdef MADV_POPULATE_READ
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), lo = (uintptr_t)p & ~(pg - 1);
    if (n) (void)madvise((void *)lo, (uintptr_t)p + n - lo, MADV_POPULATE_READ);
#else
    (void)p;
    (void)n;
#endif
}

static int section_refs_ok(const fr_analytics *a, int k);
_Static_assert(S_SLOTS == 8 && FR_AN_C_SLOTS == 1u << S_SLOTS && FR_AN_C_DATE == 1u << S_DATE,
               "the lazily checked sections are the first nine, in the order of FR_AN_C_");

/* Check section k of a's mapping: its checksum, then its references. */
static int check_section(const fr_analytics *a, int k, uint64_t off, uint64_t len, uint64_t sum,
                         const char *path, int lazily, fr_error *err)
{
    const char *p = (const char *)a->map + off;
    if (lazily) populate(p, (size_t)len);
    if (checksum(p, (size_t)len) != sum) return bad_section(err, path, k, 0);
    if (!section_refs_ok(a, k)) return bad_section(err, path, k, 1);
    return FR_OK;
}

int fr__an_check(const fr_analytics *a, unsigned cols, fr_error *err)
{
    fr_an_lazy *z = a->lazy;
    for (int k = 0; k <= S_SLOTS; k++) {
        if (!(z->unchecked & cols & (1u << k))) continue;
        int rc = check_section(a, k, z->off[k], z->len[k], z->sum[k], z->path, 1, err);
        if (rc != FR_OK) return rc;
        z->unchecked &= ~(1u << k);
    }
    return FR_OK;
}

/* The largest of n values, in blocks of a fixed length: a loop of known
 * length the compiler turns into vector instructions at -O2 (GCC's cheapest
 * cost model will not otherwise), the rest one at a time. */
#define REF_BLOCK 1024
static uint32_t max_u32(const uint32_t *v, size_t n)
{
    uint32_t m = 0;
    size_t i = 0;
    for (; i + REF_BLOCK <= n; i += REF_BLOCK) {
        uint32_t b = 0;
        for (size_t k = 0; k < REF_BLOCK; k++)
            b = v[i + k] > b ? v[i + k] : b;
        m = b > m ? b : m;
    }
    for (; i < n; i++)
        m = v[i] > m ? v[i] : m;
    return m;
}

/* The largest port and class of the events' attributes. */
static void max_port_class(const uint32_t *attr, size_t n, uint32_t *port, uint32_t *cls)
{
    uint32_t pm = 0, cm = 0;
    size_t i = 0;
    for (; i + REF_BLOCK <= n; i += REF_BLOCK) {
        uint32_t bp = 0, bc = 0;
        for (size_t k = 0; k < REF_BLOCK; k++) {
            uint32_t p = FR_AN_PORT(attr[i + k]), c = FR_AN_CLASS(attr[i + k]);
            bp = p > bp ? p : bp;
            bc = c > bc ? c : bc;
        }
        pm = bp > pm ? bp : pm;
        cm = bc > cm ? bc : cm;
    }
    for (; i < n; i++) {
        uint32_t p = FR_AN_PORT(attr[i]), c = FR_AN_CLASS(attr[i]);
        pm = p > pm ? p : pm;
        cm = c > cm ? c : cm;
    }
    *port = pm;
    *cls = cm;
}

/* How many of n values are not 0, in blocks as max_u32. */
static size_t nonzero_u32(const uint32_t *v, size_t n)
{
    size_t m = 0, i = 0;
    for (; i + REF_BLOCK <= n; i += REF_BLOCK) {
        uint32_t b = 0;
        for (size_t k = 0; k < REF_BLOCK; k++)
            b += v[i + k] != 0;
        m += b;
    }
    for (; i < n; i++)
        m += v[i] != 0;
    return m;
}

/* Whether a traveller's open entry is out of range (n events) or marked
 * to be re-paired (a snapshot is written paired), in blocks as max_u32. */
static int bad_open(const fr_an_traveller *pt, size_t np, size_t n)
{
    uint32_t bad = 0;
    size_t i = 0;
    for (; i + REF_BLOCK <= np; i += REF_BLOCK)
        for (size_t k = 0; k < REF_BLOCK; k++) {
            uint32_t o = pt[i + k].open & FR_AN_NOIDX;
            bad |= (uint32_t)(o != FR_AN_NOIDX && o >= n) | (pt[i + k].open & FR_AN_DIRTY);
        }
    for (; i < np; i++) {
        uint32_t o = pt[i].open & FR_AN_NOIDX;
        bad |= (uint32_t)(o != FR_AN_NOIDX && o >= n) | (pt[i].open & FR_AN_DIRTY);
    }
    return bad != 0;
}

/* The references one section holds are in range: nothing read later can go
 * out of bounds even if a file passed its checksums by accident or by design.
 * Reductions over whole columns (the largest value, a count) rather than
 * loops that stop at the first bad entry: this runs at every cold report. */
static int section_refs_ok(const fr_analytics *a, int k)
{
    uint32_t port_max = 0, class_max = 0;
    switch (k) {
    case S_ATTR:
        max_port_class(a->attr, a->n, &port_max, &class_max);
        return !a->n || (port_max < a->nports && class_max < a->nclasses);
    case S_TRAV:
        return !a->n || max_u32(a->trav, a->n) < a->np;
    case S_PT:
        return !bad_open(a->pt, a->np, a->n);
    case S_SLOTS:
        return max_u32(a->slots, a->nslots) <= a->np && nonzero_u32(a->slots, a->nslots) == a->np;
    default: /* dates and day counts: read as values, never as indexes */
        return 1;
    }
}

static int check_header(const snap_header *h, uint64_t size, const char *path, fr_error *err)
{
    if (size < sizeof *h)
        return fr_error_set(err, FR_EPARSE, 0, 0, "",
                            "%s is not a frontera analytics snapshot (too short)", path);
    if (memcmp(h->magic, SNAP_MAGIC, 8) != 0)
        return fr_error_set(err, FR_EPARSE, 0, 0, "",
                            "%s is not a frontera analytics snapshot (no signature)", path);
    if (h->endian != SNAP_ENDIAN)
        return fr_error_set(err, FR_EVERSION, 0, 0, "",
                            "the analytics snapshot %s was written on a machine of another "
                            "byte order",
                            path);
    if (h->format != FR_SNAPSHOT_FORMAT)
        return fr_error_set(err, FR_EVERSION, 0, 0, "",
                            "the analytics snapshot %s has format %u; this frontera reads %u", path,
                            (unsigned)h->format, (unsigned)FR_SNAPSHOT_FORMAT);
    if (header_checksum(h) != h->header_sum)
        return fr_error_set(err, FR_EPARSE, 0, 0, "",
                            "the analytics snapshot %s is damaged: its header checksum fails",
                            path);
    if (size != h->file_bytes)
        return fr_error_set(err, FR_EPARSE, 0, 0, "",
                            "the analytics snapshot %s is truncated: %llu bytes of %llu", path,
                            (unsigned long long)size, (unsigned long long)h->file_bytes);
    const uint64_t want[S_N] = {h->cap * 2,    h->cap * 4,
                                h->cap * 4,    h->cap * 4,
                                h->cap * 2,    h->cap * 2,
                                h->cap * 2,    h->pcap * sizeof(fr_an_traveller),
                                h->nslots * 4, h->nzones * sizeof(fr_an_zone),
                                DICT_BYTES};
    if (h->n > h->cap || h->cap > FR_ANALYTICS_MAX_EVENTS || h->np > h->pcap ||
        h->pcap > UINT32_MAX || h->nslots > ((uint64_t)1 << 32) ||
        (h->nslots & (h->nslots - 1)) != 0 || h->np * 10 > h->nslots * 7 ||
        h->nzones != fr__an_nzones(h->cap) || h->nports > FR_ANALYTICS_MAX_PORTS ||
        h->nclasses < 1 || h->nclasses > FR_ANALYTICS_MAX_CLASSES)
        return fr_error_set(err, FR_EPARSE, 0, 0, "",
                            "the analytics snapshot %s is damaged: its counts are inconsistent",
                            path);
    for (int k = 0; k < S_N; k++)
        if (h->sec[k].len != want[k] || h->sec[k].off % SNAP_ALIGN != 0 ||
            h->sec[k].off < SNAP_HEADER || h->sec[k].off > size ||
            h->sec[k].len > size - h->sec[k].off)
            return fr_error_set(
                err, FR_EPARSE, 0, 0, "",
                "the analytics snapshot %s is damaged: a section lies outside the file", path);
    return FR_OK;
}

/* Map and check the file at path (fr_snapshot_read). lazily: check only the
 * zones and dictionaries now, and each column when first read (fr__an_need);
 * its pages are then read in only for the columns a report reads. */
int fr__snapshot_read(const char *path, int lazily, fr_analytics **out, uint64_t *file_bytes,
                      fr_error *err)
{
    *out = NULL;
    if (file_bytes) *file_bytes = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fr_error_set(err, errno == ENOENT ? FR_ENOTFOUND : FR_EIO, 0, 0, "",
                            "cannot open the analytics snapshot %s: %s", path, strerror(errno));
    struct stat stt;
    snap_header h;
    void *map = MAP_FAILED;
    fr_analytics *a = NULL;
    int rc;
    if (fstat(fd, &stt) != 0) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot read %s: %s", path, strerror(errno));
        goto fail;
    }
    uint64_t size = (uint64_t)stt.st_size;
    memset(&h, 0, sizeof h);
    ssize_t got = size >= sizeof h ? pread(fd, &h, sizeof h, 0) : 0;
    if (got < 0) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot read %s: %s", path, strerror(errno));
        goto fail;
    }
    if ((size_t)got < sizeof h) size = (uint64_t)got; /* shorter than a header */
    if ((rc = check_header(&h, size, path, err)) != FR_OK) goto fail;
    /* private: appending the events since the stamp copies only the pages it
     * touches, and never reaches the file. Populated read-only first (a
     * writable populate would copy every page: perf showed the copy as a
     * third of a cold report), then made writable. */
    map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE | (lazily ? 0 : MAP_POPULATE), fd, 0);
    if (map != MAP_FAILED && mprotect(map, (size_t)size, PROT_READ | PROT_WRITE) != 0) {
        munmap(map, (size_t)size);
        map = MAP_FAILED;
    }
    if (map == MAP_FAILED) {
        rc = fr_error_set(err, errno == ENOMEM ? FR_ENOMEM : FR_EIO, 0, 0, "",
                          "cannot map the analytics snapshot %s: %s", path, strerror(errno));
        goto fail;
    }
    if ((rc = fr_analytics_new(&a)) != FR_OK) {
        rc = fr_error_set(err, rc, 0, 0, "", "out of memory");
        goto fail;
    }
    char *m = map;
    a->n = (size_t)h.n;
    a->cap = (size_t)h.cap;
    a->date = (uint16_t *)(void *)(m + h.sec[S_DATE].off);
    a->utc = (uint32_t *)(void *)(m + h.sec[S_UTC].off);
    a->attr = (uint32_t *)(void *)(m + h.sec[S_ATTR].off);
    a->trav = (uint32_t *)(void *)(m + h.sec[S_TRAV].off);
    a->until = (int16_t *)(void *)(m + h.sec[S_UNTIL].off);
    a->eff = (int16_t *)(void *)(m + h.sec[S_EFF].off);
    a->exitd = (int16_t *)(void *)(m + h.sec[S_EXITD].off);
    a->np = (size_t)h.np;
    a->pcap = (size_t)h.pcap;
    a->pt = (fr_an_traveller *)(void *)(m + h.sec[S_PT].off);
    a->slots = (uint32_t *)(void *)(m + h.sec[S_SLOTS].off);
    a->nslots = (size_t)h.nslots;
    a->zones = (fr_an_zone *)(void *)(m + h.sec[S_ZONES].off);
    a->zcap = (size_t)h.nzones;
    const char *d = m + h.sec[S_DICT].off;
    memcpy(a->ports, d, sizeof a->ports);
    memcpy(a->classes, d + sizeof a->ports, sizeof a->classes);
    memcpy(a->natcount, d + sizeof a->ports + sizeof a->classes, sizeof a->natcount);
    a->nports = (size_t)h.nports;
    a->nclasses = (size_t)h.nclasses;
    a->first = (fr_date)h.first;
    a->last = (fr_date)h.last;
    a->seq = h.seq;
    a->seq_fp = h.seq_fp;
    a->map = map;
    a->maplen = (size_t)size;
    map = MAP_FAILED; /* a owns it now */
    if (h.store_schema != FR_STORE_SCHEMA_VERSION) {
        rc = fr_error_set(err, FR_EVERSION, 0, 0, "",
                          "the analytics snapshot %s was made for ledger schema %u, not %d", path,
                          (unsigned)h.store_schema, FR_STORE_SCHEMA_VERSION);
        goto fail;
    }
    /* the zones and dictionaries at once (every report reads them); the
     * columns now, or on first use when lazily */
    for (int k = lazily ? S_ZONES : 0; k < S_N; k++)
        if ((rc = check_section(a, k, h.sec[k].off, h.sec[k].len, h.sec[k].sum, path, lazily,
                                err)) != FR_OK)
            goto fail;
    if (lazily) {
        size_t pl = strlen(path) + 1;
        if (!(a->lazy = fr_malloc(sizeof *a->lazy + pl))) {
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            goto fail;
        }
        a->lazy->unchecked = FR_AN_C_ALL;
        for (int k = 0; k <= S_SLOTS; k++) {
            a->lazy->off[k] = h.sec[k].off;
            a->lazy->len[k] = h.sec[k].len;
            a->lazy->sum[k] = h.sec[k].sum;
        }
        memcpy(a->lazy->path, path, pl);
    }
    close(fd);
    if (file_bytes) *file_bytes = size;
    *out = a;
    return FR_OK;
fail:
    fr_analytics_free(a);
    if (map != MAP_FAILED) munmap(map, (size_t)size);
    close(fd);
    return rc;
}

int fr_snapshot_read(const char *path, fr_analytics **out, uint64_t *file_bytes, fr_error *err)
{
    return fr__snapshot_read(path, 0, out, file_bytes, err);
}

/* ---- writing ---- */

typedef struct writer {
    int fd;
    uint64_t off;
    const char *path;
    fr_error *err;
} writer;

static int put(writer *w, const void *p, size_t n)
{
    const char *b = p;
    while (n > 0) {
        ssize_t k = write(w->fd, b, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0)
            return fr_error_set(w->err, FR_EIO, 0, 0, "", "cannot write %s: %s", w->path,
                                k < 0 ? strerror(errno) : "no space written");
        b += k;
        n -= (size_t)k;
        w->off += (uint64_t)k;
    }
    return FR_OK;
}

static int pad(writer *w, uint64_t to)
{
    static const char zero[4096];
    while (w->off < to) {
        uint64_t n = to - w->off < sizeof zero ? to - w->off : sizeof zero;
        int rc = put(w, zero, (size_t)n);
        if (rc != FR_OK) return rc;
    }
    return FR_OK;
}

/* One section: used bytes from memory, then nfill filler elements. */
typedef struct chunk {
    const void *p;
    size_t used; /* bytes */
    const void *fill;
    size_t fill_size, nfill;
} chunk;

/* n copies of the element fill (size bytes), in pieces of up to 8 KiB. */
static int put_fill(writer *w, const void *fill, size_t size, size_t n)
{
    char buf[8192];
    size_t per = sizeof buf / size;
    for (size_t i = 0; i < per; i++)
        memcpy(buf + i * size, fill, size);
    while (n > 0) {
        size_t k = n < per ? n : per;
        int rc = put(w, buf, k * size);
        if (rc != FR_OK) return rc;
        n -= k;
    }
    return FR_OK;
}

static int write_sections(writer *w, snap_header *h, const chunk *c, const char *tmp)
{
    for (int k = 0; k < S_N; k++) {
        int rc = pad(w, (w->off + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN);
        if (rc != FR_OK) return rc;
        h->sec[k].off = w->off;
        if ((rc = put(w, c[k].p, c[k].used)) != FR_OK) return rc;
        if ((rc = put_fill(w, c[k].fill, c[k].fill_size, c[k].nfill)) != FR_OK) return rc;
        h->sec[k].len = w->off - h->sec[k].off;
    }
    h->file_bytes = w->off;
    /* the checksums are of the bytes as written: read them back mapped */
    void *m = mmap(NULL, (size_t)w->off, PROT_READ, MAP_SHARED, w->fd, 0);
    if (m == MAP_FAILED)
        return fr_error_set(w->err, FR_EIO, 0, 0, "", "cannot map %s: %s", tmp, strerror(errno));
    for (int k = 0; k < S_N; k++)
        h->sec[k].sum = checksum((char *)m + h->sec[k].off, (size_t)h->sec[k].len);
    munmap(m, (size_t)w->off);
    h->header_sum = header_checksum(h);
    if (pwrite(w->fd, h, sizeof *h, 0) != (ssize_t)sizeof *h)
        return fr_error_set(w->err, FR_EIO, 0, 0, "", "cannot write %s: %s", tmp, strerror(errno));
    return FR_OK;
}

static int sync_dir(const char *path, fr_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) + (slash == path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot sync the directory %s: %s", dir,
                            strerror(e));
    }
    close(fd);
    return FR_OK;
}

int fr_snapshot_write(fr_analytics *a, const char *path, uint64_t *file_bytes, fr_error *err)
{
    if (file_bytes) *file_bytes = 0;
    int rc0 = fr__an_need(a, FR_AN_C_ALL, err); /* never write again what failed its check */
    if (rc0 != FR_OK) return rc0;
    if (fr__an_repair(a) != FR_OK)
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory re-pairing the index");
    char lock[4096], tmp[4096];
    if (snprintf(lock, sizeof lock, "%s.lock", path) >= (int)sizeof lock ||
        snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "", "the snapshot path is too long");
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0)
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot open %s: %s", lock, strerror(errno));
    if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(lfd);
        return fr_error_set(err, e == EWOULDBLOCK ? FR_EBUSY : FR_EIO, 0, 0, "",
                            e == EWOULDBLOCK ? "another process is writing the snapshot %s"
                                             : "cannot lock %s",
                            path);
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        close(lfd);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot create %s: %s", tmp, strerror(e));
    }
    /* spare capacity in the file: appends after mapping move no column */
    size_t spare = a->n / 64 > 4096 ? a->n / 64 : 4096;
    size_t cap = a->n + spare, pcap = a->np + spare / 2;
    if (cap > FR_ANALYTICS_MAX_EVENTS) cap = a->n;
    size_t nz = fr__an_nzones(cap), nzu = fr__an_nzones(a->n);
    fr_an_zone empty;
    fr__an_zone_clear(&empty);
    static const char zero[8];
    static const fr_an_traveller none = {0, FR_AN_NOIDX, 0};
    char dict[DICT_BYTES];
    memcpy(dict, a->ports, sizeof a->ports);
    memcpy(dict + sizeof a->ports, a->classes, sizeof a->classes);
    memcpy(dict + sizeof a->ports + sizeof a->classes, a->natcount, sizeof a->natcount);
    size_t f = cap - a->n;
    const chunk c[S_N] = {
        {a->date, a->n * 2, zero, 2, f},
        {a->utc, a->n * 4, zero, 4, f},
        {a->attr, a->n * 4, zero, 4, f},
        {a->trav, a->n * 4, zero, 4, f},
        {a->until, a->n * 2, zero, 2, f},
        {a->eff, a->n * 2, zero, 2, f},
        {a->exitd, a->n * 2, zero, 2, f},
        {a->pt, a->np * sizeof *a->pt, &none, sizeof none, pcap - a->np},
        {a->slots, a->nslots * 4, zero, 4, 0},
        {a->zones, nzu * sizeof *a->zones, &empty, sizeof empty, nz - nzu},
        {dict, sizeof dict, zero, 1, 0},
    };
    snap_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.format = FR_SNAPSHOT_FORMAT;
    h.endian = SNAP_ENDIAN;
    h.store_schema = FR_STORE_SCHEMA_VERSION;
    h.seq = a->seq;
    h.seq_fp = a->seq_fp;
    h.n = a->n;
    h.cap = cap;
    h.np = a->np;
    h.pcap = pcap;
    h.nslots = a->nslots;
    h.nzones = nz;
    h.nports = a->nports;
    h.nclasses = a->nclasses;
    h.first = a->first;
    h.last = a->last;
    writer w = {fd, 0, tmp, err};
    int rc = pad(&w, SNAP_HEADER);
    if (rc == FR_OK) rc = write_sections(&w, &h, c, tmp);
    if (rc == FR_OK && fsync(fd) != 0)
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot sync %s: %s", tmp, strerror(errno));
    if (close(fd) != 0 && rc == FR_OK)
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot write %s: %s", tmp, strerror(errno));
    if (rc == FR_OK && rename(tmp, path) != 0)
        rc = fr_error_set(err, FR_EIO, 0, 0, "", "cannot replace %s: %s", path, strerror(errno));
    if (rc != FR_OK)
        unlink(tmp);
    else
        rc = sync_dir(path, err);
    close(lfd); /* releases the lock */
    if (rc == FR_OK && file_bytes) *file_bytes = h.file_bytes;
    return rc;
}

/* ---- against the ledger ---- */

/* Whether the snapshot a belongs to the ledger s as it is now; else the
 * reason in why (its code FR_EVERSION). *last: the ledger's last sequence. */
static int matches(const fr_analytics *a, fr_store *s, int64_t *last_out, fr_error *why,
                   fr_error *err)
{
    int64_t last = 0, fp = 0;
    int rc = fr_store_last_sequence(s, &last, &fp, err);
    *last_out = last;
    if (rc != FR_OK) return rc;
    if (a->seq > last) {
        fr_error_set(why, FR_EVERSION, 0, 0, "",
                     "the snapshot holds events up to %lld but the ledger ends at %lld",
                     (long long)a->seq, (long long)last);
        return FR_OK;
    }
    if (a->seq > 0) {
        int64_t have = 0;
        rc = fr_store_sequence_fingerprint(s, a->seq, &have, err);
        if (rc == FR_ENOTFOUND || (rc == FR_OK && have != a->seq_fp)) {
            fr_error_set(why, FR_EVERSION, 0, 0, "", "the snapshot was made from another ledger");
            return FR_OK;
        }
        if (rc != FR_OK) return rc;
    } else if (a->n > 0) {
        fr_error_set(why, FR_EVERSION, 0, 0, "", "the snapshot holds events but no ledger stamp");
    }
    return FR_OK;
}

int fr_snapshot_open(const char *path, fr_store *s, unsigned flags, fr_analytics **out,
                     fr_snapshot_info *info, fr_error *err)
{
    fr_snapshot_info local;
    if (!info) info = &local;
    memset(info, 0, sizeof *info);
    *out = NULL;
    fr_analytics *a = NULL;
    int rc =
        fr__snapshot_read(path, (flags & FR_SNAPSHOT_LAZY) != 0, &a, &info->file_bytes, &info->why);
    if (rc == FR_ENOTFOUND) {
        fr_error_set(&info->why, rc, 0, 0, "", "there is no analytics snapshot yet");
    } else if (rc == FR_OK) {
        int64_t last = 0;
        rc = matches(a, s, &last, &info->why, err);
        if (rc != FR_OK) goto fail;
        /* read lazily with events to append: appending re-pairs, which reads
         * every column, so they are all checked now and a damaged one means
         * a rebuild here, as for a file read whole */
        if (!info->why.code && last > a->seq) (void)fr__an_need(a, FR_AN_C_ALL, &info->why);
    }
    snprintf(info->reason, sizeof info->reason, "%s", info->why.code ? info->why.message : "");
    size_t added = 0;
    if (info->reason[0]) {
        fr_analytics_free(a);
        a = NULL;
        info->file_bytes = 0;
        info->how = FR_SNAPSHOT_REBUILT;
        if ((rc = fr_analytics_new(&a)) != FR_OK) {
            rc = fr_error_set(err, rc, 0, 0, "", "out of memory");
            goto fail;
        }
    }
    if ((rc = fr_analytics_refresh(a, s, &added, err)) != FR_OK) goto fail;
    if (!info->how) info->how = added ? FR_SNAPSHOT_REFRESHED : FR_SNAPSHOT_CURRENT;
    info->new_events = added;
    info->seq = a->seq;
    int save = info->how == FR_SNAPSHOT_REBUILT ||
               (added > 0 && ((flags & FR_SNAPSHOT_SAVE) || added >= FR_SNAPSHOT_SAVE_EVERY ||
                              added * 64 >= a->n));
    if (save && !(flags & FR_SNAPSHOT_NO_SAVE)) {
        uint64_t bytes = 0;
        if (fr_snapshot_write(a, path, &bytes, &info->save_why) == FR_OK) {
            info->saved = 1;
            info->file_bytes = bytes;
        } else {
            snprintf(info->save_error, sizeof info->save_error, "%s", info->save_why.message);
        }
    }
    *out = a;
    return FR_OK;
fail:
    fr_analytics_free(a);
    return rc;
}

/* For the fuzz target (fuzz/fuzz_snapshot.c): recompute the checksums of a
 * snapshot image in memory, so mutated files reach the checks behind them. */
void fr__snapshot_reseal(void *buf, size_t len);
void fr__snapshot_reseal(void *buf, size_t len)
{
    snap_header h;
    if (len < sizeof h) return;
    memcpy(&h, buf, sizeof h);
    for (int k = 0; k < S_N; k++)
        if (h.sec[k].off <= len && h.sec[k].len <= len - h.sec[k].off)
            h.sec[k].sum = checksum((char *)buf + h.sec[k].off, (size_t)h.sec[k].len);
    h.header_sum = header_checksum(&h);
    memcpy(buf, &h, sizeof h);
}

int fr_snapshot_load(const char *ledger, fr_store *s, unsigned flags, fr_analytics **out,
                     fr_snapshot_info *info, fr_error *err)
{
    char path[4096];
    int rc = fr_snapshot_path(ledger, path, sizeof path);
    if (rc == FR_OK) return fr_snapshot_open(path, s, flags, out, info, err);
    if (rc != FR_ENOTFOUND) return fr_error_set(err, rc, 0, 0, "db", "the ledger path is too long");
    if (info) {
        memset(info, 0, sizeof *info);
        info->how = FR_SNAPSHOT_REBUILT;
    }
    fr_analytics *a = NULL;
    if ((rc = fr_analytics_new(&a)) != FR_OK)
        return fr_error_set(err, rc, 0, 0, "", "out of memory for the analytics index");
    if ((rc = fr_analytics_refresh(a, s, NULL, err)) != FR_OK) {
        fr_analytics_free(a);
        return rc;
    }
    *out = a;
    return FR_OK;
}
