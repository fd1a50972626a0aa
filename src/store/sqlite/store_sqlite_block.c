/* SPDX-License-Identifier: MIT */
/* store_sqlite_block.c: the travellers of a birth date, in memory, for the
 * blocking of a bulk import (store_sqlite_link.c).
 *
 * Why: linking a new document reads every traveller born on its birth-date
 * keys with the same nationality or surname (SQ_LINK_BLOCK). At a nation's
 * volume that is about 80 rows a document for the frequent nationalities, of
 * which the bound refuses nearly all; stepping SQLite through them was the
 * largest single cost of an import (bench/RESULTS.md, issue 14). Here a date's
 * travellers are read from the covering index once, kept as small rows, and
 * the travellers the connection creates are added as it creates them, so each
 * later document of that date is a scan of memory.
 *
 * Same answer as the query: the rows kept are exactly the travellers rows of
 * the date (the connection's own writes included); a document whose dates
 * hold more matching rows than the query's cap is handed back to the query
 * (fr__sq_block_rows gives 0), so the cap picks the same rows as before. Like
 * the other maps (store_sqlite_cache.c) it is valid only while no other
 * connection writes: fr__sq_cache_clear empties it, which fr__sq_tx_begin does
 * when PRAGMA data_version moves, and a rollback, a merge, a split and the
 * purge do. Past SQ_BLOCK_MAX_BYTES it starts over (a cache). */
#include <stdint.h>
#include <string.h>

#include "frontera/alloc.h"
#include "linkage_internal.h"
#include "store_sqlite.h"

#define SQ_BLOCK_MAX_BYTES ((size_t)512 << 20)
/* while complete (an initial load), forgetting costs an index build */
#define SQ_BLOCK_LOAD_MAX_BYTES ((size_t)4 << 30)
#define SQ_BLOCK_CAP 512 /* SQ_LINK_BLOCK's LIMIT */

typedef struct sq_brow {
    int64_t id;
    uint32_t surname, given_names; /* offsets into the arena */
    uint32_t nationality;          /* nat_code */
    /* a hash of the surname: most rows of a date are of another nationality
     * and another surname, told apart here without reading the arena */
    uint32_t surhash;
    char sex;
    char long_nat;       /* the stored nationality has more than three letters */
    char long_name;      /* a name longer than FR_NAME_MAX: cut when copied */
    fr_name_shape shape; /* fr__linkage_names_far: most rows refused unscored */
} sq_brow;

typedef struct sq_bdate {
    fr_date date; /* FR_DATE_NONE: empty slot */
    uint32_t n, cap;
    sq_brow *rows;
} sq_bdate;

struct sq_block {
    sq_bdate *dates;
    size_t cap, used; /* power of two */
    char *arena;
    size_t alen, acap;
    size_t bytes; /* rows and arena, for the limit */
    /* fr__sq_block_warm: the last date read ahead (when warm_started), and
     * whether all are; a reset starts it over */
    int warm_started, warm_done;
    fr_date warm_after;
    int complete; /* fr__sq_block_complete: a date not here has no rows */
};

/* A nationality's (first) three letters and NUL as one word, compared at
 * once; a row whose stored text is longer (never written: codes have three
 * letters) is marked, equal to no document's, as in the query. */
static uint32_t nat_code(const char *nat)
{
    char c[4] = {0, 0, 0, 0};
    size_t n = strlen(nat);
    memcpy(c, nat, n < 3 ? n : 3);
    uint32_t v;
    memcpy(&v, c, sizeof v);
    return v;
}

/* FNV-1a over the surname's bytes. */
static uint32_t sur_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void block_reset(sq_block *b)
{
    for (size_t i = 0; i < b->cap; i++)
        fr_free(b->dates[i].rows);
    fr_free(b->dates);
    fr_free(b->arena);
    memset(b, 0, sizeof *b);
}

void fr__sq_block_free(sq_store *s)
{
    if (!s->block) return;
    block_reset(s->block);
    fr_free(s->block);
    s->block = NULL;
}

void fr__sq_block_clear(sq_store *s)
{
    if (s->block) block_reset(s->block);
}

int fr__sq_block_enable(sq_store *s)
{
    if (s->block) return FR_OK;
    s->block = fr_calloc(1, sizeof *s->block);
    return s->block ? FR_OK : FR_ENOMEM;
}

void fr__sq_block_complete(sq_store *s)
{
    if (s->block) s->block->complete = 1;
}

static size_t hash_date(fr_date d)
{
    uint64_t x = (uint64_t)(int64_t)d * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x >> 32);
}

static sq_bdate *date_find(sq_block *b, fr_date d)
{
    if (!b->cap) return NULL;
    for (size_t j = hash_date(d) & (b->cap - 1);; j = (j + 1) & (b->cap - 1)) {
        if (b->dates[j].date == FR_DATE_NONE) return NULL;
        if (b->dates[j].date == d) return &b->dates[j];
    }
}

static sq_bdate *date_add(sq_block *b, fr_date d)
{
    if ((b->used + 1) * 10 >= b->cap * 7) {
        size_t ncap = b->cap ? b->cap * 2 : 4096;
        sq_bdate *nd = fr_malloc(ncap * sizeof *nd);
        if (!nd) return NULL;
        for (size_t i = 0; i < ncap; i++)
            nd[i] = (sq_bdate){FR_DATE_NONE, 0, 0, NULL};
        for (size_t i = 0; i < b->cap; i++) {
            if (b->dates[i].date == FR_DATE_NONE) continue;
            size_t j = hash_date(b->dates[i].date) & (ncap - 1);
            while (nd[j].date != FR_DATE_NONE)
                j = (j + 1) & (ncap - 1);
            nd[j] = b->dates[i];
        }
        fr_free(b->dates);
        b->dates = nd;
        b->bytes += (ncap - b->cap) * sizeof *nd;
        b->cap = ncap;
    }
    size_t j = hash_date(d) & (b->cap - 1);
    while (b->dates[j].date != FR_DATE_NONE)
        j = (j + 1) & (b->cap - 1);
    b->dates[j].date = d;
    b->used++;
    return &b->dates[j];
}

static int arena_put(sq_block *b, const char *t, size_t n, uint32_t *off)
{
    if (b->alen + n + 1 > b->acap) {
        size_t ncap = b->acap ? b->acap * 2 : (size_t)1 << 20;
        while (ncap < b->alen + n + 1)
            ncap *= 2;
        if (ncap > UINT32_MAX) return FR_ENOMEM;
        char *na = fr_realloc(b->arena, ncap);
        if (!na) return FR_ENOMEM;
        b->bytes += ncap - b->acap;
        b->arena = na;
        b->acap = ncap;
    }
    *off = (uint32_t)b->alen;
    if (n) memcpy(b->arena + b->alen, t, n);
    b->arena[b->alen + n] = '\0';
    b->alen += n + 1;
    return FR_OK;
}

static int row_add(sq_block *b, sq_bdate *dt, int64_t id, const char *sur, size_t nsur,
                   const char *giv, size_t ngiv, const char *nat, char sex)
{
    if (dt->n == dt->cap) {
        uint32_t ncap = dt->cap ? dt->cap * 2 : 8;
        sq_brow *nr = fr_realloc(dt->rows, ncap * sizeof *nr);
        if (!nr) return FR_ENOMEM;
        b->bytes += (ncap - dt->cap) * sizeof *nr;
        dt->rows = nr;
        dt->cap = ncap;
    }
    sq_brow *r = &dt->rows[dt->n];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->sex = sex;
    r->nationality = nat_code(nat);
    r->long_nat = strlen(nat) > 3;
    r->surhash = sur_hash(sur, nsur);
    r->long_name = nsur > FR_NAME_MAX || ngiv > FR_NAME_MAX;
    fr__linkage_name_shape(sur, nsur, giv, ngiv, &r->shape);
    int rc = arena_put(b, sur, nsur, &r->surname);
    if (rc == FR_OK) rc = arena_put(b, giv, ngiv, &r->given_names);
    if (rc != FR_OK) return rc;
    dt->n++;
    return FR_OK;
}

/* The date's rows, read from the covering index on first use. */
static int date_rows(sq_store *s, fr_date d, sq_bdate **out, fr_error *err)
{
    sq_block *b = s->block;
    if ((*out = date_find(b, d)) != NULL) return FR_OK;
    sq_bdate *dt = date_add(b, d);
    if (!dt) goto oom;
    if (b->complete) { /* none: the memory holds all the ledger's travellers */
        *out = dt;
        return FR_OK;
    }
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_BLOCK_DATE, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, d);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *sur = sqlite3_column_text(st, 1);
        size_t nsur = sur ? (size_t)sqlite3_column_bytes(st, 1) : 0;
        const unsigned char *giv = sqlite3_column_text(st, 2);
        size_t ngiv = giv ? (size_t)sqlite3_column_bytes(st, 2) : 0;
        const unsigned char *nat = sqlite3_column_text(st, 3);
        const unsigned char *sex = sqlite3_column_text(st, 4);
        if (row_add(b, dt, sqlite3_column_int64(st, 0), sur ? (const char *)sur : "", nsur,
                    giv ? (const char *)giv : "", ngiv, nat ? (const char *)nat : "",
                    sex ? (char)sex[0] : '\0') != FR_OK) {
            sqlite3_reset(st);
            goto oom;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        block_reset(b); /* the date is half read */
        return fr__sq_error(s, rc, err, "cannot read the travellers of a birth date");
    }
    *out = dt;
    return FR_OK;
oom:
    block_reset(b);
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory linking a document");
}

void fr__sq_block_added(sq_store *s, int64_t id, const fr_document *d)
{
    if (!s->block || d->birth_date == FR_DATE_NONE) return;
    sq_bdate *dt = date_find(s->block, d->birth_date);
    if (!dt && s->block->complete) dt = date_add(s->block, d->birth_date);
    if (!dt) { /* read with it when first needed; none when complete */
        if (s->block->complete) block_reset(s->block);
        return;
    }
    if (row_add(s->block, dt, id, d->surname, strlen(d->surname), d->given_names,
                strlen(d->given_names), d->nationality, d->sex) != FR_OK)
        block_reset(s->block); /* a missing row would change a link: forget all */
}

static void copy_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1; /* as col_text in store_sqlite_link.c */
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int fr__sq_block_rows(sq_store *s, const fr_date *keys, size_t nk, const fr_document *d,
                      const fr_linkage_query *q, const fr_linkage_freq *f, fr_slink_row **rows,
                      size_t *nrows, fr_error *err)
{
    *rows = NULL;
    *nrows = 0;
    if (!s->block) return 0;
    sq_block *b = s->block;
    if (b->bytes > (b->complete ? SQ_BLOCK_LOAD_MAX_BYTES : SQ_BLOCK_MAX_BYTES)) block_reset(b);
    /* read every date first: adding one may move the others' slots */
    const sq_bdate *dts[3];
    size_t matching = 0;
    for (size_t k = 0; k < nk && k < 3; k++) {
        sq_bdate *dt;
        int rc = date_rows(s, keys[k], &dt, err);
        if (rc != FR_OK) return rc;
    }
    for (size_t k = 0; k < nk && k < 3; k++)
        if ((dts[k] = date_find(b, keys[k])) == NULL) return 0; /* cannot happen; ask SQLite */
    fr_slink_row *out = NULL;
    size_t n = 0;
    uint32_t nat = nat_code(d->nationality), sh = sur_hash(d->surname, strlen(d->surname));
    /* A row whose name is far from the document's (another surname, not the
     * same words, more than two letters apart) is judged by one bound for
     * its date: below review, such rows are refused without being scored;
     * above it, another bound for those whose given names differ too. Most
     * rows of a crowded date are such rows (bench/RESULTS.md). */
    fr_name_shape dshape;
    fr__linkage_name_shape(d->surname, strlen(d->surname), d->given_names, strlen(d->given_names),
                           &dshape);
    for (size_t k = 0; k < nk && k < 3; k++) {
        const sq_bdate *dt = dts[k];
        double review = s->link_params.review_bits;
        int far_refused = fr__linkage_key_bound_far(&s->link_params, q, dt->date, f, 0) < review;
        /* and when it is not, those whose given names differ too may be */
        int other_refused =
            far_refused || fr__linkage_key_bound_far(&s->link_params, q, dt->date, f, 1) < review;
        for (uint32_t i = 0; i < dt->n; i++) {
            const sq_brow *r = &dt->rows[i];
            if ((r->nationality != nat || r->long_nat) && r->surhash != sh) continue;
            const char *sur = b->arena + r->surname;
            if ((r->nationality != nat || r->long_nat) && strcmp(sur, d->surname) != 0) continue;
            if (++matching > SQ_BLOCK_CAP) { /* the query's cap decides which: ask it */
                fr_free(out);
                return 0;
            }
            /* Most rows of a frequent nationality are refused by the bound:
             * judge them on the arena's names, and copy only those kept (a
             * name too long is cut first, as the copy would). */
            if (other_refused && !r->long_name && r->surhash != sh && /* another surname */
                fr__linkage_names_far(&r->shape, &dshape) &&
                (far_refused || fr__linkage_given_differ(&r->shape, &dshape)))
                continue;
            char natc[4];
            memcpy(natc, &r->nationality, sizeof natc);
            if (!r->long_name &&
                !fr__slink_may_review_at(&s->link_params, q, r->id, sur, b->arena + r->given_names,
                                         natc, dt->date, r->sex, f))
                continue;
            fr_slink_row x;
            x.id = r->id;
            copy_name(x.surname, sizeof x.surname, sur);
            copy_name(x.given_names, sizeof x.given_names, b->arena + r->given_names);
            memcpy(x.nationality, &r->nationality, sizeof x.nationality);
            x.sex = r->sex;
            x.birth_date = dt->date;
            int rc = fr__slink_keep_row(&s->link_params, q, f, &x, &out, &n, err);
            if (rc != FR_OK) {
                fr_free(out);
                return rc;
            }
        }
    }
    *rows = out;
    *nrows = n;
    return 1;
}

/* The next `dates` (at most WARM_MAX) birth dates after the last one read
 * ahead, read into memory; b->warm_done when fewer were left. */
#define WARM_MAX 64
static int warm_next(sq_store *s, size_t dates, fr_error *err)
{
    sq_block *b = s->block;
    fr_date next[WARM_MAX];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    int rc = fr__sq_stmt(s, SQ_BLOCK_WARM, &st, err);
    if (rc != FR_OK) return rc;
    sqlite3_bind_int64(st, 1, b->warm_started ? (sqlite3_int64)b->warm_after : INT64_MIN);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)dates);
    while (n < dates && (rc = sqlite3_step(st)) == SQLITE_ROW)
        next[n++] = (fr_date)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (n < dates && rc != SQLITE_DONE)
        return fr__sq_error(s, rc, err, "cannot list the birth dates");
    for (size_t i = 0; i < n; i++) {
        sq_bdate *dt;
        if ((rc = date_rows(s, next[i], &dt, err)) != FR_OK) return rc; /* reset: starts over */
        b->warm_started = 1;
        b->warm_after = next[i];
    }
    b->warm_done = n < dates;
    return FR_OK;
}

int fr__sq_block_warm(sq_store *s, size_t dates, int *done, fr_error *err)
{
    sq_block *b = s->block;
    *done = 1;
    if (!b || b->warm_done) return FR_OK;
    if (b->bytes > SQ_BLOCK_MAX_BYTES / 2) { /* room left for what recording adds */
        b->warm_done = 1;
        return FR_OK;
    }
    *done = 0;
    if (dates == 0) return FR_OK;
    if (dates > WARM_MAX) dates = WARM_MAX;
    int own;
    int rc = fr__sq_read_begin(s, &own, err); /* may forget all: then it starts over */
    if (rc == FR_OK) rc = warm_next(s, dates, err);
    fr__sq_read_end(s, own);
    *done = s->block ? s->block->warm_done : 1;
    return rc;
}
