/* SPDX-License-Identifier: MIT */
/* screen_index_maps.c: the secondary maps of the screening index, built
 * after the postings: pairs of common keys (sorted by birth date, so a query
 * walks only the homonyms born about when the traveller was), the skeleton
 * and deletion maps that find sound-alikes and typos, the key list sorted by
 * spelling (prefix search for truncated MRZ names), and the map of listed
 * document numbers. Called once by fr_screen_index_build (screen_index.c). */
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "screen_internal.h"

typedef struct pkv {
    uint64_t h;
    int32_t date; /* birth date of the record, FR_DATE_NONE unknown (sorts first) */
    uint32_t rec;
} pkv;

static int pkv_cmp(const void *a, const void *b)
{
    const pkv *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    if (x->date != y->date) return x->date < y->date ? -1 : 1;
    return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* Pairs of common keys in one record. Each pair's records are sorted by
 * birth date, so a query with a birth date walks only about a year around it. */
int fr__screen_build_pairs(fr_screen_index *idx)
{
    pkv *b = NULL;
    size_t n = 0, cap = 0;
    fr_kvbuf m = {0};
    int rc = FR_OK;
    for (size_t r = 0; r < idx->nrecs && rc == FR_OK; r++) {
        const fr_rec *rec = &idx->recs[r];
        uint32_t common[FR_NAME_MAX_TOKENS * FR_KEYS_PER_TOKEN];
        int nc = 0;
        for (int i = 0; i < rec->ntok; i++) {
            const fr_text *t = &idx->texts[idx->rtoks[rec->tok + i]];
            for (int k = 0; k < FR_KEYS_PER_TOKEN; k++)
                if (t->key[k] != UINT32_MAX && idx->keys[t->key[k]].df > idx->common_df &&
                    !t->particle)
                    common[nc++] = t->key[k];
        }
        for (int i = 0; i < nc && rc == FR_OK; i++)
            for (int j = i + 1; j < nc && rc == FR_OK; j++) {
                if (common[i] == common[j]) continue;
                if (n == cap) {
                    size_t nc2 = cap ? cap * 2 : 4096;
                    pkv *nb = fr_realloc(b, nc2 * sizeof *nb);
                    if (!nb) {
                        rc = FR_ENOMEM;
                        break;
                    }
                    b = nb;
                    cap = nc2;
                }
                b[n].h = fr__screen_pair_hash(common[i], common[j]);
                b[n].date = rec->bdate;
                b[n++].rec = (uint32_t)r;
            }
    }
    if (rc != FR_OK) goto done;
    if (n) qsort(b, n, sizeof *b, pkv_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || b[i].h != b[i - 1].h) groups++;
    idx->pair_post = fr_malloc((n + groups + 1) * sizeof *idx->pair_post);
    if (!idx->pair_post) {
        rc = FR_ENOMEM;
        goto done;
    }
    size_t o = 0, head = 0;
    for (size_t i = 0; i < n && rc == FR_OK; i++) {
        if (i == 0 || b[i].h != b[i - 1].h) {
            head = o++;
            idx->pair_post[head] = 0;
            rc = fr__kv_push(&m, b[i].h, (uint32_t)head);
        } else if (b[i].rec == b[i - 1].rec) {
            continue;
        }
        idx->pair_post[o++] = b[i].rec;
        idx->pair_post[head]++;
    }
    idx->npair_post = o;
    idx->bytes += (n + groups + 1) * sizeof *idx->pair_post;
    if (rc == FR_OK) rc = fr__kv_finish(&m, &idx->pair_map, &idx->bytes);
done:
    fr_free(m.a);
    fr_free(b);
    return rc;
}

int fr__screen_build_fuzzy_maps(fr_screen_index *idx)
{
    fr_kvbuf sk = {0}, del = {0}, ab = {0};
    int rc = FR_OK;
    for (size_t i = 0; i < idx->ntexts && rc == FR_OK; i++) {
        const fr_text *t = &idx->texts[i];
        if (t->key[0] == UINT32_MAX || !idx->keys[t->key[0]].plain || t->particle) continue;
        char s[FR_TOK_MAX];
        size_t sl = fr__namevar_skeleton(idx->pool + t->str, t->len, s);
        if (sl >= 3)
            for (int k = 0; k < FR_KEYS_PER_TOKEN && rc == FR_OK; k++)
                if (t->key[k] != UINT32_MAX)
                    rc = fr__kv_push(&sk, fr__screen_hash(s, sl), t->key[k]);
        /* abjad skeletons: a Latin spelling under 'L' (found by a query in
         * Hebrew or Arabic script), one from those scripts under 'S' */
        char as[FR_ABJ_FORMS][FR_TOK_MAX];
        size_t asl[FR_ABJ_FORMS];
        uint64_t ah[FR_TOK_MAX];
        int nf = fr__namevar_abjad_forms(idx->pool + t->str, t->len, t->abjad, as, asl);
        for (int side = 0; side < 2 && rc == FR_OK; side++) {
            if (side == 1 && !t->abjad) break;
            for (int f = 0; f < (side ? nf : 1) && rc == FR_OK; f++) {
                int nh = fr__namevar_abjad_hashes(side ? 'S' : 'L', as[f], asl[f], ah);
                for (int j = 0; j < nh && rc == FR_OK; j++)
                    rc = fr__kv_push(&ab, ah[j], t->key[0]);
            }
        }
        /* the raw spelling and its deletions too: spelling rules can move a
         * typo'd token away from its key (RAEESH -> RAISH, RAJESH) */
        const char *raw = idx->pool + t->str;
        if (t->len >= 4 && rc == FR_OK) {
            rc = fr__kv_push(&del, fr__screen_hash(raw, t->len), t->key[0]);
            char buf[FR_TOK_MAX];
            for (size_t p = 0; p < t->len && rc == FR_OK; p++) {
                if (p > 0 && raw[p] == raw[p - 1]) continue;
                memcpy(buf, raw, p);
                memcpy(buf + p, raw + p + 1, t->len - p - 1);
                rc = fr__kv_push(&del, fr__screen_hash(buf, t->len - 1u), t->key[0]);
            }
        }
    }
    idx->sorted_keys = fr_malloc((idx->nkeys ? idx->nkeys : 1) * sizeof *idx->sorted_keys);
    if (!idx->sorted_keys) rc = FR_ENOMEM;
    for (size_t k = 0; k < idx->nkeys && rc == FR_OK; k++) {
        const fr_key *key = &idx->keys[k];
        if (!key->plain) continue;
        idx->sorted_keys[idx->nsorted++] = (uint32_t)k;
        if (key->len < 4) continue;
        const char *s = idx->pool + key->str;
        rc = fr__kv_push(&del, fr__screen_hash(s, key->len), (uint32_t)k);
        char buf[FR_TOK_MAX];
        for (size_t p = 0; p < key->len && rc == FR_OK; p++) {
            if (p > 0 && s[p] == s[p - 1]) continue;
            memcpy(buf, s, p);
            memcpy(buf + p, s + p + 1, key->len - p - 1);
            rc = fr__kv_push(&del, fr__screen_hash(buf, key->len - 1u), (uint32_t)k);
        }
    }
    idx->bytes += idx->nsorted * sizeof *idx->sorted_keys;
    if (rc == FR_OK) rc = fr__kv_finish(&sk, &idx->skel_map, &idx->bytes);
    if (rc == FR_OK) rc = fr__kv_finish(&del, &idx->del_map, &idx->bytes);
    if (rc == FR_OK) rc = fr__kv_finish(&ab, &idx->abjad_map, &idx->bytes);
    fr_free(ab.a);
    fr_free(sk.a);
    fr_free(del.a);
    return rc;
}

int fr__screen_build_docs(fr_screen_index *idx)
{
    fr_kvbuf b = {0};
    int rc = FR_OK;
    for (size_t e = 0; e < idx->nentries && rc == FR_OK; e++) {
        fr_watchlist_entry en;
        fr_watchlist_get(idx->wl, e, &en);
        for (const char *p = en.documents; *p && rc == FR_OK;) {
            const char *q = strchr(p, '|');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            const char *colon = memchr(p, ':', l);
            const char *num = colon ? colon + 1 : p;
            char tmp[64], norm[48];
            size_t nl = (size_t)(p + l - num);
            if (nl < sizeof tmp) {
                memcpy(tmp, num, nl);
                tmp[nl] = '\0';
                if (fr_docindex_normalise(tmp, norm, sizeof norm) == FR_OK)
                    rc = fr__kv_push(&b, fr__screen_hash(norm, strlen(norm)), (uint32_t)e);
            }
            p = q ? q + 1 : p + l;
        }
    }
    if (rc == FR_OK) rc = fr__kv_finish(&b, &idx->doc_map, &idx->bytes);
    fr_free(b.a);
    return rc;
}

/* Merge sort of key ids by key string (qsort has no context pointer). */
int fr__screen_sort_keys(fr_screen_index *idx)
{
    size_t n = idx->nsorted;
    uint32_t *a = idx->sorted_keys, *tmp = fr_malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp) return FR_ENOMEM;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] =
                    strcmp(idx->pool + idx->keys[a[j]].str, idx->pool + idx->keys[a[i]].str) < 0
                        ? a[j++]
                        : a[i++];
            while (i < mid)
                tmp[o++] = a[i++];
            while (j < hi)
                tmp[o++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    fr_free(tmp);
    return FR_OK;
}
