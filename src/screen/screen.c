/* SPDX-License-Identifier: MIT */
/* screen.c: screening one traveller against the index (candidate retrieval).
 *
 * How it works: the query name is normalised and tokenised as the lists
 * were. Each token, and each pair of adjacent tokens joined, is a "unit"
 * that looks up the keys it may stand for: its variant keys, keys with the
 * same phonetic skeleton, keys one or two typos away (deletion map, then a
 * verified edit distance), and - for the last token of a truncated MRZ name
 * - keys it is a prefix of. Units are taken rarest first; a rare key's
 * postings add the unit's IDF weight to each record in an accumulator (an
 * open-addressing table in the context, cleared by a generation counter, so
 * nothing is allocated). Common keys are not walked: their pairs are looked
 * up instead (WANG+WEI), which keeps a query for the most common names
 * bounded. The best-accumulated records are then scored in full
 * (screen_score.c), one result per entry, best first. A document given with
 * the query also brings in the entries listing that number. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "screen_internal.h"
#include "screen_score.h"

int fr_screen_ctx_new(const fr_screen_index *idx, const fr_docindex *docs, fr_screen_ctx **out,
                      fr_error *err)
{
    *out = NULL;
    fr_screen_ctx *c = fr_calloc(1, sizeof *c);
    if (!c)
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory creating a screening context");
    c->idx = idx;
    c->docs = docs;
    int rc = fr__translit_new(&c->tl, err);
    if (rc == FR_OK && !idx) rc = fr__namevar_new(&c->own_nv);
    if (rc != FR_OK) {
        fr_screen_ctx_free(c);
        return rc == FR_ENOMEM ? fr_error_set(err, rc, 0, 0, "", "out of memory") : rc;
    }
    c->nv = idx ? idx->nv : c->own_nv;
    *out = c;
    return FR_OK;
}

void fr_screen_ctx_free(fr_screen_ctx *ctx)
{
    if (!ctx) return;
    fr__translit_free(ctx->tl);
    fr__namevar_free(ctx->own_nv);
    fr_free(ctx);
}

const char *fr_screen_band_name(fr_screen_band b)
{
    return b == FR_BAND_HIT ? "hit" : b == FR_BAND_POSSIBLE ? "possible" : "clear";
}

int fr_screen_normalise(fr_screen_ctx *ctx, const char *name, char *out, size_t cap)
{
    if (!ctx || !name || !out) return FR_EINVAL;
    return fr__translit_name(ctx->tl, name, strlen(name), out, cap);
}

int fr_screen_document(fr_screen_ctx *ctx, const char *state, const char *number)
{
    if (!ctx) return FR_EINVAL;
    return fr_docindex_contains(ctx->docs, state, number);
}

/* ---- the accumulator ---- */

static void acc_reset(fr_screen_ctx *c)
{
    c->gen++;
    if (c->gen == 0) { /* wrapped: clear for real */
        memset(c->acc_gen, 0, sizeof c->acc_gen);
        c->gen = 1;
    }
    c->nacc = 0;
}

static void acc_add(fr_screen_ctx *c, uint32_t rec, float w, uint8_t unit)
{
    size_t h = (size_t)(rec * 2654435761u) & (SC_ACC_CAP - 1);
    while (c->acc_gen[h] == c->gen) {
        if (c->acc_rec[h] == rec) {
            uint32_t bit = 1u << (unit & 31);
            if (!(c->acc_unit[h] & bit)) { /* each unit counts once per record */
                c->acc_w[h] += w;
                c->acc_unit[h] |= bit;
            }
            return;
        }
        h = (h + 1) & (SC_ACC_CAP - 1);
    }
    if (c->nacc >= SC_ACC_MAX) return;
    c->acc_gen[h] = c->gen;
    c->acc_rec[h] = rec;
    c->acc_w[h] = w;
    c->acc_unit[h] = 1u << (unit & 31);
    c->acc_slot[c->nacc++] = (uint32_t)h;
}

/* ---- units: what a query token may stand for ---- */

static void unit_key(sc_unit *u, uint32_t k)
{
    for (int i = 0; i < u->nk; i++)
        if (u->k[i] == k) return;
    if (u->nk < SC_UNIT_KEYS) u->k[u->nk++] = k;
}

/* Keys whose deletion neighbourhood (the text itself and every text one
 * letter shorter) meets that of s: distance <= 2 by construction. With
 * `allowed` >= 0, only keys within that distance of s are taken. */
static void unit_deletions(const fr_screen_index *idx, sc_unit *u, const char *s, size_t len,
                           int allowed)
{
    char buf[FR_TOK_MAX];
    for (size_t p = 0; p <= len; p++) { /* p == len: the text itself */
        size_t bl = len;
        if (p < len) {
            memcpy(buf, s, p);
            memcpy(buf + p, s + p + 1, len - p - 1);
            bl = len - 1;
        } else {
            memcpy(buf, s, len);
        }
        size_t cnt, pos = fr__mmap_find(&idx->del_map, fr__screen_hash(buf, bl), &cnt);
        for (size_t i = 0; i < cnt && i < 32; i++) {
            uint32_t k = idx->del_map.v[pos + i];
            const fr_key *key = &idx->keys[k];
            if (allowed < 0 ||
                fr__namevar_distance(s, len, idx->pool + key->str, key->len, allowed) <= allowed)
                unit_key(u, k);
        }
    }
}

/* Keys that begin with k0 (at most 16): the rest of a name cut short. */
static void unit_prefixed(const fr_screen_index *idx, sc_unit *u, const char *k0, size_t l0)
{
    size_t lo = 0, hi = idx->nsorted;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strncmp(idx->pool + idx->keys[idx->sorted_keys[mid]].str, k0, l0) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo, n = 0; i < idx->nsorted && n < 16; i++, n++) {
        const fr_key *key = &idx->keys[idx->sorted_keys[i]];
        if (strncmp(idx->pool + key->str, k0, l0) != 0) break;
        unit_key(u, idx->sorted_keys[i]);
    }
}

/* Postings of the unit's rare keys: how telling it is (fewer: more). Its
 * own keys count up to common_df, neighbours only up to SC_FUZZY_DF. */
static void unit_rarity(const fr_screen_index *idx, sc_unit *u, int own_only)
{
    u->rare_df = 0;
    for (int i = 0; i < u->nk; i++)
        if (idx->keys[u->k[i]].df <= (own_only || i < u->nexact ? idx->common_df : SC_FUZZY_DF))
            u->rare_df += idx->keys[u->k[i]].df;
}

/* Keys whose abjad skeleton is that of the token or one edit from it, on the
 * other side: a query in Hebrew or Arabic script looks among the Latin
 * spellings ('L'), a Latin query among names listed in those scripts ('S'). */
static void unit_abjad(const fr_screen_index *idx, sc_unit *u, const sc_qtok *t)
{
    uint64_t h[FR_TOK_MAX];
    for (int f = 0; f < t->nabj; f++) {
        int nh = fr__namevar_abjad_hashes(t->script ? 'L' : 'S', t->abj[f], t->abjl[f], h);
        for (int j = 0; j < nh; j++) {
            size_t cnt, pos = fr__mmap_find(&idx->abjad_map, h[j], &cnt);
            for (size_t i = 0; i < cnt && i < 24; i++)
                unit_key(u, idx->abjad_map.v[pos + i]);
        }
    }
}

static void unit_lookup(fr_screen_ctx *c, sc_unit *u, const char *s, size_t len, int prefix,
                        int joined)
{
    const fr_screen_index *idx = c->idx;
    char keys[FR_KEYS_PER_TOKEN][FR_TOK_MAX];
    int nk = fr__namevar_keys(c->nv, s, len, keys);
    u->nk = 0;
    u->weight = idx->max_weight;
    for (int i = 0; i < nk; i++) {
        uint32_t k = fr__screen_index_key(idx, keys[i], strlen(keys[i]));
        if (k != UINT32_MAX) {
            unit_key(u, k);
            if (idx->keys[k].weight < u->weight) u->weight = idx->keys[k].weight;
        }
    }
    u->nexact = u->nk;
    if (joined) { /* two tokens written as one: only their exact keys */
        unit_rarity(idx, u, 1);
        return;
    }
    char sk[FR_TOK_MAX];
    size_t sl = fr__namevar_skeleton(s, len, sk);
    if (sl >= 3) { /* sound-alikes */
        size_t cnt, pos = fr__mmap_find(&idx->skel_map, fr__screen_hash(sk, sl), &cnt);
        for (size_t i = 0; i < cnt && i < 24; i++)
            unit_key(u, idx->skel_map.v[pos + i]);
    }
    const char *k0 = keys[0];
    size_t l0 = strlen(k0);
    int allowed = fr__namevar_typos_allowed(l0);
    /* typos: on the raw spelling (no distance check needed), then on the key
     * (spelling rules applied) within the typos its length allows */
    if (len >= 4 && len < FR_TOK_MAX) unit_deletions(idx, u, s, len, -1);
    if (allowed > 0) unit_deletions(idx, u, k0, l0, allowed);
    if (prefix && len >= 3) unit_prefixed(idx, u, k0, l0);
    unit_rarity(idx, u, 0);
}

/* The units of a query: each real (non-particle) token, then each pair of
 * adjacent tokens written as one; *nplain gets the number of the first. */
static int build_units(fr_screen_ctx *c, const sc_query *q, sc_unit *units, int *nplain)
{
    int nu = 0;
    *nplain = 0;
    for (int i = 0; i < q->n && nu < SC_MAX_UNITS; i++) {
        if (q->tok[i].particle) continue;
        units[nu].a = (uint8_t)i;
        units[nu].b = (uint8_t)i;
        unit_lookup(c, &units[nu], q->tok[i].s, q->tok[i].len, q->truncated && i == q->n - 1, 0);
        if (c->idx->abjad_map.n) {
            unit_abjad(c->idx, &units[nu], &q->tok[i]);
            unit_rarity(c->idx, &units[nu], 0);
        }
        nu++;
        (*nplain)++;
    }
    for (int i = 0; i + 1 < q->n && nu < SC_MAX_UNITS; i++) {
        char buf[FR_TOK_MAX * 2];
        size_t l = (size_t)q->tok[i].len + q->tok[i + 1].len;
        if (l >= FR_TOK_MAX) continue;
        memcpy(buf, q->tok[i].s, q->tok[i].len);
        memcpy(buf + q->tok[i].len, q->tok[i + 1].s, q->tok[i + 1].len);
        units[nu].a = (uint8_t)i;
        units[nu].b = (uint8_t)(i + 1);
        unit_lookup(c, &units[nu], buf, l, 0, 1);
        nu++;
    }
    /* rarest units first, so a full accumulator holds the most telling ones */
    for (int i = 1; i < nu; i++)
        for (int j = i; j > 0 && units[j].rare_df < units[j - 1].rare_df; j--) {
            sc_unit t = units[j];
            units[j] = units[j - 1];
            units[j - 1] = t;
        }
    return nu;
}

/* Two units' weights credited to the postings pp[1 + from .. 1 + to),
 * within the budget. */
static void credit_pair(fr_screen_ctx *c, const uint32_t *pp, uint32_t from, uint32_t to,
                        const float w[2], const uint8_t u[2], size_t *budget)
{
    for (uint32_t p = from; p < to && *budget; p++, (*budget)--) {
        acc_add(c, pp[1 + p], w[0], u[0]);
        acc_add(c, pp[1 + p], w[1], u[1]);
    }
}

/* The postings of one key pair (pp[0] records, sorted by birth date with
 * the unknown first). For a dated query: the unknown (at most
 * SC_PAIR_UNKNOWN), then only those born within SC_NEAR_DAYS of it. */
static void walk_pair(fr_screen_ctx *c, const sc_query *q, const uint32_t *pp, const float w[2],
                      const uint8_t u[2], size_t *budget)
{
    const fr_screen_index *idx = c->idx;
    uint32_t from = 0, to = pp[0];
    if (q->lo != FR_DATE_NONE) {
        uint32_t lo = 0, hi = pp[0];
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (idx->recs[pp[1 + mid]].bdate < q->lo - SC_NEAR_DAYS)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t unknown = 0;
        while (unknown < pp[0] && unknown < SC_PAIR_UNKNOWN &&
               idx->recs[pp[1 + unknown]].bdate == FR_DATE_NONE)
            unknown++;
        credit_pair(c, pp, 0, unknown, w, u, budget);
        from = lo > unknown ? lo : unknown;
        to = from;
        while (to < pp[0] && idx->recs[pp[1 + to]].bdate <= q->hi + SC_NEAR_DAYS)
            to++;
    }
    credit_pair(c, pp, from, to, w, u, budget);
}

/* Units u and v, both single tokens: every pair of their common keys
 * (WANG+WEI), own keys on pass 0 and neighbours on pass 1. */
static void walk_unit_pairs(fr_screen_ctx *c, const sc_query *q, const sc_unit *units, int u, int v,
                            int pass, size_t *budget)
{
    const fr_screen_index *idx = c->idx;
    const sc_unit *U = &units[u], *V = &units[v];
    for (int i = 0; i < U->nk; i++) {
        if (idx->keys[U->k[i]].df <= idx->common_df) continue;
        for (int j = 0; j < V->nk; j++) {
            if (idx->keys[V->k[j]].df <= idx->common_df || U->k[i] == V->k[j]) continue;
            if ((i < U->nexact && j < V->nexact) != (pass == 0)) continue;
            size_t cnt;
            size_t pos =
                fr__mmap_find(&idx->pair_map, fr__screen_pair_hash(U->k[i], V->k[j]), &cnt);
            if (!cnt) continue;
            const float w[2] = {pass ? U->weight * 0.6f : U->weight,
                                pass ? V->weight * 0.6f : V->weight};
            const uint8_t uv[2] = {(uint8_t)u, (uint8_t)v};
            walk_pair(c, q, idx->pair_post + idx->pair_map.v[pos], w, uv, budget);
        }
    }
}

/* Single keys, rarest units first: a unit's own variant keys, then its
 * typo and sound-alike neighbours (only rare ones, unless the token itself
 * is unknown - a typo - when any but common ones). A common key is walked
 * only for a one-token name, and then only up to common_df postings. */
static void walk_single_keys(fr_screen_ctx *c, const sc_unit *units, int nu, int nplain,
                             size_t *budget)
{
    const fr_screen_index *idx = c->idx;
    for (int pass = 0; pass < 2; pass++)
        for (int u = 0; u < nu; u++)
            for (int i = pass ? units[u].nexact : 0; i < (pass ? units[u].nk : units[u].nexact);
                 i++) {
                const fr_key *k = &idx->keys[units[u].k[i]];
                int common = k->df > idx->common_df;
                if (pass && k->df > (units[u].nexact ? SC_FUZZY_DF : idx->common_df)) continue;
                if (common && !(nplain == 1 && units[u].a == units[u].b)) continue;
                uint32_t cap = common ? idx->common_df : k->df;
                if (cap > *budget) cap = (uint32_t)*budget;
                *budget -= cap;
                /* a neighbour counts less */
                float w = pass ? units[u].weight * 0.6f : units[u].weight;
                for (uint32_t p = 0; p < cap; p++)
                    acc_add(c, idx->postings[k->post + p], w, (uint8_t)u);
            }
}

static void retrieve(fr_screen_ctx *c, const sc_query *q)
{
    sc_unit units[SC_MAX_UNITS];
    int nplain;
    int nu = build_units(c, q, units, &nplain);
    /* first, pairs of common keys from different single-token units: the
     * most specific postings, windowed by birth year; then single keys.
     * Postings walked are budgeted. */
    size_t budget = SC_POSTING_BUDGET;
    for (int pass = 0; pass < 2; pass++) /* the units' own keys first, then their neighbours */
        for (int u = 0; u < nu; u++) {
            if (units[u].a != units[u].b) continue;
            for (int v = u + 1; v < nu; v++)
                if (units[v].a == units[v].b) walk_unit_pairs(c, q, units, u, v, pass, &budget);
        }
    walk_single_keys(c, units, nu, nplain, &budget);
}

/* Indices (into acc_slot) of the top records by accumulated weight. */
static int top_records(fr_screen_ctx *c, const sc_query *q, uint32_t *recs, int max)
{
    int n = 0;
    float w[SC_TOP];
    for (size_t i = 0; i < c->nacc; i++) {
        uint32_t h = c->acc_slot[i];
        float x = c->acc_w[h];
        if (q->lo != FR_DATE_NONE) { /* among homonyms, those born then first */
            fr_date b = c->idx->recs[c->acc_rec[h]].bdate;
            if (b != FR_DATE_NONE && b >= q->lo - SC_NEAR_DAYS && b <= q->hi + SC_NEAR_DAYS)
                x += (b >= q->lo && b <= q->hi) ? 1.0f : 0.5f;
        }
        if (n == max && x <= w[n - 1]) continue;
        int j = n < max ? n++ : max - 1;
        while (j > 0 && w[j - 1] < x) {
            w[j] = w[j - 1];
            recs[j] = recs[j - 1];
            j--;
        }
        w[j] = x;
        recs[j] = c->acc_rec[h];
    }
    return n;
}

static void add_result(fr_screen_ctx *c, uint32_t entry, const sc_score *s)
{
    for (int i = 0; i < c->nres; i++)
        if (c->res[i].entry == entry) {
            if (s->score > c->res[i].s.score) c->res[i].s = *s;
            return;
        }
    if (c->nres < SC_TOP) {
        c->res[c->nres].entry = entry;
        c->res[c->nres++].s = *s;
    }
}

int fr_screen_person(fr_screen_ctx *ctx, const fr_screen_query *query, fr_screen_result *results,
                     size_t max, size_t *n)
{
    if (n) *n = 0;
    if (!ctx || !query || !query->name || !n || (max && !results)) return FR_EINVAL;
    if (!ctx->idx) return FR_OK;
    sc_query q;
    int rc = fr__sc_query_prepare(ctx, query, &q);
    if (rc != FR_OK) return rc;
    acc_reset(ctx);
    ctx->nres = 0;
    retrieve(ctx, &q);
    uint32_t recs[SC_TOP];
    int nr = top_records(ctx, &q, recs, SC_TOP);
    for (int i = 0; i < nr; i++) {
        sc_score s;
        fr__sc_score_record(ctx, &q, recs[i], &s);
        add_result(ctx, ctx->idx->recs[recs[i]].entry, &s);
    }
    if (q.has_doc) {
        size_t cnt,
            pos = fr__mmap_find(&ctx->idx->doc_map, fr__screen_hash(q.doc, strlen(q.doc)), &cnt);
        for (size_t i = 0; i < cnt && i < 8; i++) {
            uint32_t e = ctx->idx->doc_map.v[pos + i];
            sc_score best, s;
            best.score = -1;
            for (uint32_t r = ctx->idx->entry_rec[e]; r < ctx->idx->entry_rec[e + 1]; r++) {
                fr__sc_score_record(ctx, &q, r, &s);
                if (s.score > best.score) best = s;
            }
            if (best.score >= 0) add_result(ctx, e, &best);
        }
    }
    /* order: score, then entry number for a stable answer */
    for (int i = 1; i < ctx->nres; i++)
        for (int j = i; j > 0; j--) {
            sc_res *a = &ctx->res[j - 1], *b = &ctx->res[j];
            if (a->s.score > b->s.score || (a->s.score == b->s.score && a->entry < b->entry)) break;
            sc_res t = *a;
            *a = *b;
            *b = t;
        }
    size_t out = 0;
    for (int i = 0; i < ctx->nres && out < max; i++) {
        const sc_res *r = &ctx->res[i];
        if (r->s.score < FR_SCREEN_REPORT_FLOOR) break;
        fr_watchlist_entry en;
        fr_watchlist_get(ctx->idx->wl, r->entry, &en);
        fr_screen_result *o = &results[out++];
        o->id = en.id;
        o->list = en.list;
        o->entry = r->entry;
        o->score = r->s.score;
        o->band = r->s.score >= FR_SCREEN_HIT        ? FR_BAND_HIT
                  : r->s.score >= FR_SCREEN_POSSIBLE ? FR_BAND_POSSIBLE
                                                     : FR_BAND_CLEAR;
        fr__sc_explain(ctx, &q, r->entry, &r->s, o->explanation, sizeof o->explanation);
    }
    *n = out;
    return FR_OK;
}
