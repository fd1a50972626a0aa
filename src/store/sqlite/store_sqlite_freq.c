/* SPDX-License-Identifier: MIT */
/* store_sqlite_freq.c: the counts a transaction adds to the linking
 * frequencies (link_nat_freq, link_name_freq, link_birth_freq), held in
 * memory until its commit.
 *
 * Why: every new traveller adds one to three counts, and each upsert is a
 * B-tree descent and a page write in a table keyed in random order: in an
 * import they were a sixth of the time. Held here, a batch writes each key
 * once with its sum, in key order (the nationalities and the birth dates
 * repeat a great deal within a batch), just before COMMIT. Nothing else
 * changes: the transaction's own reads add what it holds (fr__sq_freq_get),
 * other connections see the counts of every committed transaction as before
 * (the flush is inside it), a rollback drops them with the rows they
 * counted, and a count taken away (merge, split, purge) first writes what is
 * held, so a decrement never meets a row that is not written yet. */
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "store_sqlite.h"

#define FREQ_MIN 256

typedef struct freq_slot {
    uint64_t hash; /* 0: empty */
    int64_t birth; /* SQ_FREQ_BIRTH_KEY */
    uint32_t off;  /* names: "NAT\0SURNAME\0GIVEN\0" in the arena */
    int32_t delta;
    int kind;
} freq_slot;

struct sq_freq {
    freq_slot *slots;
    size_t cap, used;
    char *arena;
    size_t alen, acap;
    int64_t total; /* the sum of the nationality counts held */
};

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h | 1; /* never 0, the empty mark */
}

static uint64_t key_hash(int kind, const char *a, const char *b, const char *c, int64_t birth)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
    if (kind == SQ_FREQ_BIRTH_KEY) return mix(h ^ (uint64_t)birth * 0x9e3779b97f4a7c15ULL);
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < (kind == SQ_FREQ_NAT_KEY ? 1 : 3); i++) {
        for (const char *p = parts[i]; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL; /* a separator: AB|C is not A|BC */
    }
    return mix(h);
}

static int same(const sq_freq *f, const freq_slot *e, int kind, const char *a, const char *b,
                const char *c, int64_t birth)
{
    if (e->kind != kind) return 0;
    if (kind == SQ_FREQ_BIRTH_KEY) return e->birth == birth;
    const char *k = f->arena + e->off;
    if (strcmp(k, a) != 0) return 0;
    if (kind == SQ_FREQ_NAT_KEY) return 1;
    k += strlen(k) + 1;
    if (strcmp(k, b) != 0) return 0;
    k += strlen(k) + 1;
    return strcmp(k, c) == 0;
}

static freq_slot *find(const sq_freq *f, uint64_t h, int kind, const char *a, const char *b,
                       const char *c, int64_t birth)
{
    if (!f || !f->cap) return NULL;
    for (size_t j = h & (f->cap - 1);; j = (j + 1) & (f->cap - 1)) {
        freq_slot *e = &f->slots[j];
        if (!e->hash) return NULL;
        if (e->hash == h && same(f, e, kind, a, b, c, birth)) return e;
    }
}

static int grow(sq_freq *f)
{
    size_t ncap = f->cap ? f->cap * 2 : FREQ_MIN;
    freq_slot *ns = fr_calloc(ncap, sizeof *ns);
    if (!ns) return FR_ENOMEM;
    for (size_t i = 0; i < f->cap; i++) {
        if (!f->slots[i].hash) continue;
        size_t j = f->slots[i].hash & (ncap - 1);
        while (ns[j].hash)
            j = (j + 1) & (ncap - 1);
        ns[j] = f->slots[i];
    }
    fr_free(f->slots);
    f->slots = ns;
    f->cap = ncap;
    return FR_OK;
}

/* Room for n more bytes in the arena. */
static int arena_reserve(sq_freq *f, size_t n)
{
    if (f->alen + n <= f->acap) return FR_OK;
    size_t ncap = f->acap ? f->acap : 4096;
    while (ncap < f->alen + n)
        ncap *= 2;
    if (ncap > UINT32_MAX) return FR_ENOMEM;
    char *na = fr_realloc(f->arena, ncap);
    if (!na) return FR_ENOMEM;
    f->arena = na;
    f->acap = ncap;
    return FR_OK;
}

static void arena_put(sq_freq *f, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(f->arena + f->alen, s, n);
    f->alen += n;
}

/* One more for a key; the room is reserved (fr__sq_freq_add). */
static void add(sq_freq *f, int kind, const char *a, const char *b, const char *c, int64_t birth)
{
    uint64_t h = key_hash(kind, a, b, c, birth);
    freq_slot *e = find(f, h, kind, a, b, c, birth);
    if (e) {
        e->delta++;
        return;
    }
    size_t off = f->alen;
    if (kind != SQ_FREQ_BIRTH_KEY) arena_put(f, a);
    if (kind == SQ_FREQ_NAME_KEY) {
        arena_put(f, b);
        arena_put(f, c);
    }
    size_t j = h & (f->cap - 1);
    while (f->slots[j].hash)
        j = (j + 1) & (f->cap - 1);
    f->slots[j] = (freq_slot){h, birth, (uint32_t)off, 1, kind};
    f->used++;
}

int fr__sq_freq_add(sq_store *s, const fr_document *d)
{
    if (!s->freq && !(s->freq = fr_calloc(1, sizeof *s->freq))) return FR_ENOMEM;
    sq_freq *f = s->freq;
    /* room for all three first, so that a failure adds none of them */
    size_t nat = strlen(d->nationality) + 1;
    while ((f->used + 3) * 10 >= f->cap * 7)
        if (grow(f) != FR_OK) return FR_ENOMEM;
    if (arena_reserve(f, 2 * nat + strlen(d->surname) + strlen(d->given_names) + 2) != FR_OK)
        return FR_ENOMEM;
    add(f, SQ_FREQ_NAT_KEY, d->nationality, NULL, NULL, 0);
    add(f, SQ_FREQ_NAME_KEY, d->nationality, d->surname, d->given_names, 0);
    if (d->birth_date != FR_DATE_NONE) add(f, SQ_FREQ_BIRTH_KEY, NULL, NULL, NULL, d->birth_date);
    f->total++;
    return FR_OK;
}

int64_t fr__sq_freq_get(const sq_store *s, int kind, const char *a, const char *b, const char *c,
                        int64_t birth)
{
    const freq_slot *e = find(s->freq, key_hash(kind, a, b, c, birth), kind, a, b, c, birth);
    return e ? e->delta : 0;
}

int64_t fr__sq_freq_total(const sq_store *s)
{
    return s->freq ? s->freq->total : 0;
}

/* Key order, so that the upserts walk each table's B-tree forward. */
typedef struct freq_ref {
    const freq_slot *e;
    const char *key; /* in the arena; NULL for a birth date */
} freq_ref;

static int by_key(const void *x, const void *y)
{
    const freq_ref *a = x, *b = y;
    if (a->e->kind != b->e->kind) return a->e->kind - b->e->kind;
    if (a->e->kind == SQ_FREQ_BIRTH_KEY)
        return (a->e->birth > b->e->birth) - (a->e->birth < b->e->birth);
    const char *p = a->key, *q = b->key;
    for (int i = 0; i < (a->e->kind == SQ_FREQ_NAT_KEY ? 1 : 3); i++) {
        int c = strcmp(p, q);
        if (c) return c;
        p += strlen(p) + 1;
        q += strlen(q) + 1;
    }
    return 0;
}

static int upsert(sq_store *s, const freq_ref *r, fr_error *err)
{
    static const int STMT[3] = {[SQ_FREQ_NAT_KEY] = SQ_FREQ_ADD_NAT,
                                [SQ_FREQ_NAME_KEY] = SQ_FREQ_ADD_NAME,
                                [SQ_FREQ_BIRTH_KEY] = SQ_FREQ_ADD_BIRTH};
    sqlite3_stmt *st = NULL;
    int kind = r->e->kind, rc = fr__sq_stmt(s, STMT[kind], &st, err);
    if (rc != FR_OK) return rc;
    if (kind == SQ_FREQ_BIRTH_KEY) {
        sqlite3_bind_int64(st, 1, r->e->birth);
        sqlite3_bind_int64(st, 2, r->e->delta);
    } else {
        const char *k = r->key;
        int n = 1;
        for (; n <= (kind == SQ_FREQ_NAT_KEY ? 1 : 3); n++, k += strlen(k) + 1)
            sqlite3_bind_text(st, n, k, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, n, r->e->delta);
    }
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* they point into the arena, emptied below */
    if (rc != SQLITE_DONE) return fr__sq_error(s, rc, err, "cannot count the travellers");
    return FR_OK;
}

int fr__sq_freq_flush(sq_store *s, fr_error *err)
{
    sq_freq *f = s->freq;
    if (!f || !f->used) return FR_OK;
    freq_ref *refs = fr_malloc(f->used * sizeof *refs);
    if (!refs) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < f->cap; i++) {
        const freq_slot *e = &f->slots[i];
        if (e->hash && e->delta)
            refs[n++] = (freq_ref){e, e->kind == SQ_FREQ_BIRTH_KEY ? NULL : f->arena + e->off};
    }
    qsort(refs, n, sizeof *refs, by_key);
    int rc = FR_OK;
    for (size_t i = 0; i < n && rc == FR_OK; i++)
        rc = upsert(s, &refs[i], err);
    fr_free(refs);
    if (rc == FR_OK) fr__sq_freq_drop(s);
    return rc;
}

void fr__sq_freq_drop(sq_store *s)
{
    sq_freq *f = s->freq;
    if (!f) return;
    if (f->used) memset(f->slots, 0, f->cap * sizeof *f->slots);
    f->used = 0;
    f->alen = 0;
    f->total = 0;
}

void fr__sq_freq_free(sq_store *s)
{
    if (!s->freq) return;
    fr_free(s->freq->slots);
    fr_free(s->freq->arena);
    fr_free(s->freq);
    s->freq = NULL;
}
