/* SPDX-License-Identifier: MIT */
/* screen_index.c: building the in-memory screening index from a watchlist.
 *
 * How it works: every name of every entry (primary and aliases) becomes a
 * record: its text transliterated and normalised (translit.c), cut into
 * tokens (namevar.c), each token interned once as a "text" with its one or
 * two canonical variant keys. Each record posts itself under the keys of
 * its tokens and of each pair of adjacent tokens joined (so ABDUL RAHMAN is
 * found from ABDULRAHMAN). Postings are built in one pass as (key, record)
 * pairs, sorted, and packed into one array (CSR); the number of records per
 * key gives its IDF weight. Keys posted by more than `common_df` records
 * (WANG, LI, KIM, MUHAMMAD in a large list) are "common": a query does not
 * walk their postings but looks up pairs of common keys that occur in the
 * same record (WANG+WEI), kept in a second posting table. Typos are found
 * through a deletion map (each key and each key with one letter deleted,
 * hashed) and sound-alikes through a skeleton map; entries' document
 * numbers go into a map of their own (those maps: screen_index_maps.c).
 * After the build the index is read only and may be shared between threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "screen_internal.h"

#define IDX_COMMON_MIN 1000
#define SC_BDATE_SPAN 366 /* days: a year or less is windowed by birth date */

int fr__kv_cmp(const void *a, const void *b)
{
    const fr_kv *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

int fr__kv_push(fr_kvbuf *b, uint64_t h, uint32_t v)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        fr_kv *na = fr_realloc(b->a, cap * sizeof *na);
        if (!na) return FR_ENOMEM;
        b->a = na;
        b->cap = cap;
    }
    b->a[b->n].h = h;
    b->a[b->n++].v = v;
    return FR_OK;
}

/* Sort, drop duplicates, and move into an mmap. */
int fr__kv_finish(fr_kvbuf *b, fr_mmap *m, size_t *bytes)
{
    if (b->n) qsort(b->a, b->n, sizeof *b->a, fr__kv_cmp);
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        if (n == 0 || b->a[i].h != b->a[n - 1].h || b->a[i].v != b->a[n - 1].v) b->a[n++] = b->a[i];
    m->h = fr_malloc((n ? n : 1) * sizeof *m->h);
    m->v = fr_malloc((n ? n : 1) * sizeof *m->v);
    if (!m->h || !m->v) return FR_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        m->h[i] = b->a[i].h;
        m->v[i] = b->a[i].v;
    }
    m->n = n;
    *bytes += n * (sizeof *m->h + sizeof *m->v);
    fr_free(b->a);
    b->a = NULL;
    b->n = b->cap = 0;
    return FR_OK;
}

size_t fr__mmap_find(const fr_mmap *m, uint64_t h, size_t *count)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->h[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t e = lo;
    while (e < m->n && m->h[e] == h)
        e++;
    *count = e - lo;
    return lo;
}

uint64_t fr__screen_pair_hash(uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t x = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 29);
}

static int pool_add(fr_screen_index *idx, const char *s, size_t len, uint32_t *off)
{
    if (idx->pool_len + len + 1 > idx->pool_cap) {
        size_t cap = idx->pool_cap ? idx->pool_cap * 2 : 65536;
        char *p = fr_realloc(idx->pool, cap);
        if (!p) return FR_ENOMEM;
        idx->pool = p;
        idx->pool_cap = cap;
    }
    memcpy(idx->pool + idx->pool_len, s, len);
    idx->pool[idx->pool_len + len] = '\0';
    *off = (uint32_t)idx->pool_len;
    idx->pool_len += len + 1;
    return FR_OK;
}

/* Probe for s in a table whose ids map to pool offsets through offs/stride. */
static size_t tab_probe(const fr_screen_index *idx, const fr_strtab *t, const void *items,
                        size_t stride, const char *s, size_t len, uint32_t *id)
{
    size_t h = (size_t)fr__screen_hash(s, len) & (t->cap - 1);
    *id = UINT32_MAX;
    while (t->slot[h]) {
        uint32_t i = t->slot[h] - 1;
        uint32_t off;
        memcpy(&off, (const char *)items + (size_t)i * stride, sizeof off); /* .str is first */
        const char *p = idx->pool + off;
        if (strncmp(p, s, len) == 0 && p[len] == '\0') {
            *id = i;
            return h;
        }
        h = (h + 1) & (t->cap - 1);
    }
    return h;
}

static int tab_grow(const fr_screen_index *idx, fr_strtab *t, const void *items, size_t stride,
                    size_t n)
{
    size_t cap = t->cap ? t->cap * 2 : 4096;
    uint32_t *slot = fr_calloc(cap, sizeof *slot);
    if (!slot) return FR_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t off;
        memcpy(&off, (const char *)items + i * stride, sizeof off);
        const char *p = idx->pool + off;
        size_t h = (size_t)fr__screen_hash(p, strlen(p)) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)i + 1;
    }
    fr_free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return FR_OK;
}

uint32_t fr__screen_index_text(const fr_screen_index *idx, const char *s, size_t len)
{
    uint32_t id;
    if (!idx->text_tab.cap) return UINT32_MAX;
    tab_probe(idx, &idx->text_tab, idx->texts, sizeof *idx->texts, s, len, &id);
    return id;
}

uint32_t fr__screen_index_key(const fr_screen_index *idx, const char *s, size_t len)
{
    uint32_t id;
    if (!idx->key_tab.cap) return UINT32_MAX;
    tab_probe(idx, &idx->key_tab, idx->keys, sizeof *idx->keys, s, len, &id);
    return id;
}

static int key_intern(fr_screen_index *idx, const char *s, int plain, uint32_t *out)
{
    size_t len = strlen(s);
    if ((idx->nkeys + 1) * 2 > idx->key_tab.cap &&
        tab_grow(idx, &idx->key_tab, idx->keys, sizeof *idx->keys, idx->nkeys) != FR_OK)
        return FR_ENOMEM;
    uint32_t id;
    size_t h = tab_probe(idx, &idx->key_tab, idx->keys, sizeof *idx->keys, s, len, &id);
    if (id != UINT32_MAX) {
        if (plain) idx->keys[id].plain = 1;
        *out = id;
        return FR_OK;
    }
    if (idx->nkeys == idx->keys_cap) {
        size_t cap = idx->keys_cap ? idx->keys_cap * 2 : 4096;
        fr_key *k = fr_realloc(idx->keys, cap * sizeof *k);
        if (!k) return FR_ENOMEM;
        idx->keys = k;
        idx->keys_cap = cap;
    }
    fr_key *k = &idx->keys[idx->nkeys];
    memset(k, 0, sizeof *k);
    if (pool_add(idx, s, len, &k->str) != FR_OK) return FR_ENOMEM;
    k->len = (uint8_t)len;
    k->plain = (uint8_t)plain;
    idx->key_tab.slot[h] = (uint32_t)idx->nkeys + 1;
    *out = (uint32_t)idx->nkeys++;
    return FR_OK;
}

static int text_intern(fr_screen_index *idx, const char *s, size_t len, int particle, int plain,
                       int abjad, uint32_t *out)
{
    if ((idx->ntexts + 1) * 2 > idx->text_tab.cap &&
        tab_grow(idx, &idx->text_tab, idx->texts, sizeof *idx->texts, idx->ntexts) != FR_OK)
        return FR_ENOMEM;
    uint32_t id;
    size_t h = tab_probe(idx, &idx->text_tab, idx->texts, sizeof *idx->texts, s, len, &id);
    if (id != UINT32_MAX) idx->texts[id].abjad |= (uint8_t)abjad;
    if (id != UINT32_MAX && (!plain || idx->keys[idx->texts[id].key[0]].plain)) {
        *out = id;
        return FR_OK;
    }
    char keys[FR_KEYS_PER_TOKEN][FR_TOK_MAX];
    int nk = fr__namevar_keys(idx->nv, s, len, keys);
    uint32_t kid[FR_KEYS_PER_TOKEN];
    for (int i = 0; i < FR_KEYS_PER_TOKEN; i++)
        kid[i] = UINT32_MAX;
    for (int i = 0; i < nk; i++)
        if (key_intern(idx, keys[i], plain, &kid[i]) != FR_OK) return FR_ENOMEM;
    if (id != UINT32_MAX) { /* seen joined before, now as a token: keys marked plain */
        *out = id;
        return FR_OK;
    }
    if (idx->ntexts == idx->texts_cap) {
        size_t cap = idx->texts_cap ? idx->texts_cap * 2 : 4096;
        fr_text *t = fr_realloc(idx->texts, cap * sizeof *t);
        if (!t) return FR_ENOMEM;
        idx->texts = t;
        idx->texts_cap = cap;
    }
    fr_text *t = &idx->texts[idx->ntexts];
    if (pool_add(idx, s, len, &t->str) != FR_OK) return FR_ENOMEM;
    t->len = (uint8_t)len;
    t->particle = (uint8_t)particle;
    t->abjad = (uint8_t)abjad;
    memcpy(t->key, kid, sizeof t->key);
    t->mask = fr__namevar_letter_mask(s, len);
    t->skel = fr__namevar_skel_hash(s, len);
    idx->text_tab.slot[h] = (uint32_t)idx->ntexts + 1;
    *out = (uint32_t)idx->ntexts++;
    return FR_OK;
}

/* Add one name of entry e as a record; post its keys into kp. */
static int add_name(fr_screen_index *idx, fr_translit *tl, uint32_t e, const char *name, size_t len,
                    int alias, fr_kvbuf *kp)
{
    char norm[1024];
    fr_tok toks[FR_NAME_MAX_TOKENS];
    char tmp[FR_TOK_MAX * 2];
    int rc = fr__translit_name(tl, name, len, norm, sizeof norm);
    if (rc == FR_EINVAL || rc == FR_ELIMIT) return FR_OK; /* no letters: nothing to match */
    if (rc != FR_OK) return rc;
    int n = fr__namevar_tokens(norm, toks, FR_NAME_MAX_TOKENS);
    if (n == 0) return FR_OK;
    int abjad = fr__translit_is_abjad(name, len);
    if (idx->nrtoks + (size_t)n > idx->rtoks_cap) {
        size_t cap = idx->rtoks_cap ? idx->rtoks_cap * 2 : 65536;
        uint32_t *r = fr_realloc(idx->rtoks, cap * sizeof *r);
        if (!r) return FR_ENOMEM;
        idx->rtoks = r;
        idx->rtoks_cap = cap;
    }
    if (idx->nrecs == idx->recs_cap) {
        size_t cap = idx->recs_cap ? idx->recs_cap * 2 : 16384;
        fr_rec *r = fr_realloc(idx->recs, cap * sizeof *r);
        if (!r) return FR_ENOMEM;
        idx->recs = r;
        idx->recs_cap = cap;
    }
    uint32_t rid = (uint32_t)idx->nrecs;
    fr_rec *rec = &idx->recs[idx->nrecs++];
    rec->entry = e;
    rec->tok = (uint32_t)idx->nrtoks;
    rec->ntok = (uint8_t)n;
    rec->alias = (uint8_t)alias;
    fr_watchlist_entry en;
    fr_watchlist_get(idx->wl, e, &en);
    /* an entry with several dates, or a range wider than about a year, is
     * not windowed by birth date: it stays among the undated candidates */
    rec->bdate = en.birth_lo == FR_DATE_NONE || en.birth_hi - en.birth_lo > SC_BDATE_SPAN ||
                         strpbrk(en.birth_date, ";|")
                     ? FR_DATE_NONE
                     : en.birth_lo + (en.birth_hi - en.birth_lo) / 2;
    for (int i = 0; i < n; i++) {
        uint32_t t;
        if ((rc = text_intern(idx, toks[i].s, toks[i].len, toks[i].particle, 1, abjad, &t)) !=
            FR_OK)
            return rc;
        idx->rtoks[idx->nrtoks++] = t;
        for (int k = 0; k < FR_KEYS_PER_TOKEN; k++)
            if (idx->texts[t].key[k] != UINT32_MAX &&
                fr__kv_push(kp, idx->texts[t].key[k], rid) != FR_OK)
                return FR_ENOMEM;
        if (i + 1 < n && toks[i].len + toks[i + 1].len < FR_TOK_MAX) {
            memcpy(tmp, toks[i].s, toks[i].len);
            memcpy(tmp + toks[i].len, toks[i + 1].s, toks[i + 1].len);
            uint32_t j;
            if ((rc = text_intern(idx, tmp, (size_t)toks[i].len + toks[i + 1].len, 0, 0, 0, &j)) !=
                FR_OK)
                return rc;
            if (fr__kv_push(kp, idx->texts[j].key[0], rid) != FR_OK) return FR_ENOMEM;
        }
    }
    return FR_OK;
}

static int build_names(fr_screen_index *idx, fr_translit *tl, fr_kvbuf *kp)
{
    size_t n = fr_watchlist_count(idx->wl);
    idx->entry_rec = fr_malloc((n + 1) * sizeof *idx->entry_rec);
    if (!idx->entry_rec) return FR_ENOMEM;
    idx->nentries = n;
    for (size_t e = 0; e < n; e++) {
        fr_watchlist_entry en;
        fr_watchlist_get(idx->wl, e, &en);
        idx->entry_rec[e] = (uint32_t)idx->nrecs;
        int rc = add_name(idx, tl, (uint32_t)e, en.name, strlen(en.name), 0, kp);
        for (const char *p = en.aliases; rc == FR_OK && *p;) {
            const char *q = strchr(p, '|');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            rc = add_name(idx, tl, (uint32_t)e, p, l, 1, kp);
            p = q ? q + 1 : p + l;
        }
        for (const char *p = en.weak_aliases; rc == FR_OK && *p;) {
            const char *q = strchr(p, '|');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            rc = add_name(idx, tl, (uint32_t)e, p, l, SC_WEAK_ALIAS, kp);
            p = q ? q + 1 : p + l;
        }
        if (rc != FR_OK) return rc;
    }
    idx->entry_rec[n] = (uint32_t)idx->nrecs;
    return FR_OK;
}

/* (key, record) pairs -> CSR postings, df and weights. */
static int build_postings(fr_screen_index *idx, fr_kvbuf *kp)
{
    if (kp->n) qsort(kp->a, kp->n, sizeof *kp->a, fr__kv_cmp);
    size_t n = 0;
    for (size_t i = 0; i < kp->n; i++)
        if (n == 0 || kp->a[i].h != kp->a[n - 1].h || kp->a[i].v != kp->a[n - 1].v)
            kp->a[n++] = kp->a[i];
    idx->postings = fr_malloc((n ? n : 1) * sizeof *idx->postings);
    if (!idx->postings) return FR_ENOMEM;
    idx->npostings = n;
    for (size_t k = 0; k < idx->nkeys; k++)
        idx->keys[k].df = 0;
    for (size_t i = 0; i < n; i++) {
        fr_key *k = &idx->keys[kp->a[i].h];
        if (k->df == 0) k->post = (uint32_t)i;
        k->df++;
        idx->postings[i] = kp->a[i].v;
    }
    double N = (double)(idx->nrecs ? idx->nrecs : 1);
    idx->max_weight = (float)log(N + 1.0) + 1.0f;
    for (size_t k = 0; k < idx->nkeys; k++)
        idx->keys[k].weight = (float)log((N + 1.0) / (idx->keys[k].df + 0.5)) + 1.0f;
    idx->common_df =
        (uint32_t)(idx->nrecs / 1000 > IDX_COMMON_MIN ? idx->nrecs / 1000 : IDX_COMMON_MIN);
    fr_free(kp->a);
    kp->a = NULL;
    kp->n = kp->cap = 0;
    return FR_OK;
}

/* The abjad skeletons of the texts, kept in the pool: a query in Hebrew or
 * Arabic script meets the Latin ones while scoring (and a Latin query the
 * ones written in those scripts); computing them per comparison cost a
 * tenth of the screening time. */
static int abjad_forms(fr_screen_index *idx)
{
    for (size_t i = 0; i < idx->ntexts; i++) {
        fr_text *t = &idx->texts[i];
        char f[FR_ABJ_FORMS][FR_TOK_MAX];
        size_t fl[FR_ABJ_FORMS];
        int n = fr__namevar_abjad_forms(idx->pool + t->str, t->len, t->abjad, f, fl);
        for (int k = 0; k < n; k++) { /* pool_add appends: the forms follow each other */
            uint32_t off;
            if (pool_add(idx, f[k], fl[k], &off) != FR_OK) return FR_ENOMEM;
            t = &idx->texts[i];
            if (k == 0) t->abj = off;
            t->abjl[k] = (uint8_t)fl[k];
        }
        t->nabj = (uint8_t)n;
    }
    return FR_OK;
}

/* Does the list write a year of birth as 1 January of it? Many converted
 * lists do ("1975" -> 1975-01-01); then a listed 1 January is read as the
 * whole year. A list of true dates has about 1 in 365 on 1 January; this
 * takes 1 January as a placeholder only when more than 1 in 100 of the
 * list's exact dates fall on it. On a list of true dates a homonym born in
 * the listed year but not on 1 January stays contradicted (issue 18: the
 * unconditional rule raised false alarms from 8.4 to 14.7 per 1,000). */
static void detect_jan1_years(fr_screen_index *idx)
{
    size_t exact = 0, jan1 = 0, n = fr_watchlist_count(idx->wl);
    for (size_t e = 0; e < n; e++) {
        fr_watchlist_entry en;
        fr_watchlist_get(idx->wl, e, &en);
        if (en.birth_lo == FR_DATE_NONE || en.birth_lo != en.birth_hi) continue;
        int y, m, d;
        fr_date_to_ymd(en.birth_lo, &y, &m, &d);
        exact++;
        jan1 += m == 1 && d == 1;
    }
    idx->jan1_year = jan1 * 100 > exact;
}

int fr_screen_index_build(const fr_watchlist *wl, fr_screen_index **out, fr_error *err)
{
    *out = NULL;
    if (!wl) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no watchlist");
    fr_screen_index *idx = fr_calloc(1, sizeof *idx);
    fr_translit *tl = NULL;
    fr_kvbuf kp = {0};
    int rc;
    if (!idx) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory building the index");
    idx->wl = wl;
    if ((rc = fr__translit_new(&tl, err)) != FR_OK) goto fail;
    if ((rc = fr__namevar_new(&idx->nv)) != FR_OK) goto oom;
    if ((rc = build_names(idx, tl, &kp)) != FR_OK) goto oom;
    detect_jan1_years(idx);
    if ((rc = abjad_forms(idx)) != FR_OK) goto oom;
    if ((rc = build_postings(idx, &kp)) != FR_OK) goto oom;
    if ((rc = fr__screen_build_pairs(idx)) != FR_OK) goto oom;
    if ((rc = fr__screen_build_fuzzy_maps(idx)) != FR_OK) goto oom;
    if ((rc = fr__screen_sort_keys(idx)) != FR_OK) goto oom;
    if ((rc = fr__screen_build_docs(idx)) != FR_OK) goto oom;
    idx->bytes +=
        idx->pool_cap + idx->texts_cap * sizeof *idx->texts + idx->keys_cap * sizeof *idx->keys +
        (idx->text_tab.cap + idx->key_tab.cap) * sizeof(uint32_t) +
        idx->npostings * sizeof *idx->postings + idx->recs_cap * sizeof *idx->recs +
        idx->rtoks_cap * sizeof *idx->rtoks + (idx->nentries + 1) * sizeof *idx->entry_rec;
    fr__translit_free(tl);
    *out = idx;
    return FR_OK;
oom:
    fr_error_set(err, rc, 0, 0, "", "cannot build the screening index: %s", fr_strerror(rc));
fail:
    fr_free(kp.a);
    fr__translit_free(tl);
    fr_screen_index_free(idx);
    return rc;
}

static void mmap_free(fr_mmap *m)
{
    fr_free(m->h);
    fr_free(m->v);
}

void fr_screen_index_free(fr_screen_index *idx)
{
    if (!idx) return;
    fr__namevar_free(idx->nv);
    fr_free(idx->pool);
    fr_free(idx->texts);
    fr_free(idx->keys);
    fr_free(idx->text_tab.slot);
    fr_free(idx->key_tab.slot);
    fr_free(idx->postings);
    fr_free(idx->recs);
    fr_free(idx->rtoks);
    fr_free(idx->entry_rec);
    mmap_free(&idx->skel_map);
    mmap_free(&idx->abjad_map);
    mmap_free(&idx->del_map);
    mmap_free(&idx->pair_map);
    fr_free(idx->pair_post);
    mmap_free(&idx->doc_map);
    fr_free(idx->sorted_keys);
    fr_free(idx);
}

void fr_screen_index_get_stats(const fr_screen_index *idx, fr_screen_index_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!idx) return;
    st->entries = idx->nentries;
    st->names = idx->nrecs;
    st->tokens = idx->ntexts;
    st->keys = idx->nkeys;
    st->postings = idx->npostings + idx->npair_post;
    st->bytes = idx->bytes;
}
