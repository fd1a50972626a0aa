/* SPDX-License-Identifier: MIT */
/* screen_score.c: scoring a candidate name against the query, and why.
 *
 * How it works: every query token (and each adjacent pair joined) is
 * compared with every token of the listed name (and each adjacent pair
 * joined): exact 1.0, same variant key 0.95 (WONG/WANG, MOHAMED/MUHAMMAD),
 * prefix of a truncated MRZ name 0.93, same phonetic skeleton 0.85, one typo
 * 0.80-0.86, two typos 0.76; a joined side costs 3%. Matches are taken
 * greedily, best first, each token used once, in any order (swapped surname
 * and given names cost nothing but are reported). Coverage is measured on
 * both sides with IDF weights, so a matching rare token counts for more than
 * a matching WANG or MUHAMMAD, and particles (AL, DE, VAN, BIN) weigh little:
 *   name = 0.7 x the better coverage + 0.3 x the worse one,
 * capped at 0.6 when only one real token matched between two multi-token
 * names. Evidence then moves the score (see screen.h); a matching document
 * number makes it a hit. */
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"
#include "screen_score.h"

#define SC_PARTICLE_W 0.3f

/* Bits set in x (SWAR: without -mpopcnt the builtin is a library call). */
static inline int bits(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return (int)((((x + (x >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

static float key_weight(const fr_screen_index *idx, uint32_t k)
{
    return k == UINT32_MAX ? idx->max_weight : idx->keys[k].weight;
}

static void qtok_fill(fr_screen_ctx *c, sc_qtok *t, const char *s, size_t len, int particle)
{
    if (len > FR_TOK_MAX - 1) len = FR_TOK_MAX - 1;
    memcpy(t->s, s, len);
    t->s[len] = '\0';
    t->len = (uint8_t)len;
    t->particle = (uint8_t)particle;
    t->script = 0; /* set by the caller for the query's own tokens */
    t->nabj = 0;
    t->nkeys = fr__namevar_keys(c->nv, s, len, t->key);
    t->skel = fr__namevar_skel_hash(t->s, t->len);
    t->mask = fr__namevar_letter_mask(t->s, t->len);
    /* the keys as index ids (compared by id while scoring), the first's
     * length and letters (bounds for its edit distance) */
    for (int i = 0; i < t->nkeys; i++)
        t->kid[i] = fr__screen_index_key(c->idx, t->key[i], strlen(t->key[i]));
    t->k0len = (uint8_t)strlen(t->key[0]);
    t->k0mask = fr__namevar_letter_mask(t->key[0], t->k0len);
    if (particle) {
        t->weight = SC_PARTICLE_W;
        return;
    }
    t->weight = key_weight(c->idx, t->kid[0]);
    for (int i = 1; i < t->nkeys; i++) {
        float w = key_weight(c->idx, t->kid[i]);
        if (w < t->weight) t->weight = w;
    }
}

int fr__sc_query_prepare(fr_screen_ctx *c, const fr_screen_query *in, sc_query *q)
{
    size_t len = strlen(in->name);
    int rc = fr__translit_name(c->tl, in->name, len, c->norm, sizeof c->norm);
    if (rc != FR_OK) return FR_EINVAL;
    fr_tok toks[FR_NAME_MAX_TOKENS];
    q->n = fr__namevar_tokens(c->norm, toks, FR_NAME_MAX_TOKENS);
    if (q->n == 0) return FR_EINVAL;
    int script = fr__translit_is_abjad(in->name, len);
    for (int i = 0; i < q->n; i++) {
        sc_qtok *t = &q->tok[i];
        qtok_fill(c, t, toks[i].s, toks[i].len, toks[i].particle);
        size_t ol[FR_ABJ_FORMS];
        t->script = (uint8_t)script;
        t->nabj = (uint8_t)fr__namevar_abjad_forms(t->s, t->len, script, t->abj, ol);
        for (int f = 0; f < t->nabj; f++)
            t->abjl[f] = (uint8_t)ol[f];
    }
    for (int i = 0; i < q->n; i++) {
        char buf[FR_TOK_MAX * 3];
        size_t l = q->tok[i].len;
        memcpy(buf, q->tok[i].s, l);
        for (int x2 = 1; x2 <= 2; x2++) {
            q->join[i][x2 - 1].len = 0;
            if (i + x2 >= q->n || l >= FR_TOK_MAX) continue;
            memcpy(buf + l, q->tok[i + x2].s, q->tok[i + x2].len);
            l += q->tok[i + x2].len;
            if (l < FR_TOK_MAX) qtok_fill(c, &q->join[i][x2 - 1], buf, l, 0);
        }
    }
    /* An MRZ name field that does not end in '<' fillers filled the whole
     * field: its last token may have been cut short. */
    q->truncated = in->name_truncated != 0 ||
                   (strstr(in->name, "<<") != NULL && len > 0 && in->name[len - 1] != '<');
    q->lo = in->birth_lo;
    q->hi = in->birth_hi == FR_DATE_NONE ? in->birth_lo : in->birth_hi;
    if (q->lo == FR_DATE_NONE) q->hi = FR_DATE_NONE;
    q->nat = in->nationality;
    q->has_doc = 0;
    q->doc_state[0] = '\0';
    if (in->doc_number && fr_docindex_normalise(in->doc_number, q->doc, sizeof q->doc) == FR_OK) {
        q->has_doc = 1;
        int st = in->doc_state ? fr_country_find_cstr(in->doc_state) : -1;
        if (st >= 0) snprintf(q->doc_state, sizeof q->doc_state, "%s", fr_country_code(st));
    }
    return FR_OK;
}

/* Birth-date evidence of one listed date (or year, month, range) lo..hi. */
static double dob_one(const sc_query *q, fr_date lo, fr_date hi, int jan1_year)
{
    if (q->lo == q->hi && lo == hi && q->lo == lo) return 0.06;
    int ey, em, ed;
    fr_date_to_ymd(lo, &ey, &em, &ed);
    int exact = lo == hi;
    /* 1 January alone is the usual placeholder for "born that year", on a
     * list that uses it so (fr_screen_index.jan1_year) */
    if (jan1_year && exact && em == 1 && ed == 1 && fr_date_from_ymd(ey, 12, 31, &hi) != FR_OK)
        hi = lo;
    if (q->lo <= hi && lo <= q->hi) return hi - lo > 366 ? 0.02 : 0.03;
    int32_t gap = q->lo > hi ? q->lo - hi : lo - q->hi;
    /* day and month swapped: a clerical slip (an exact name stays possible);
     * any other difference makes an exact name clear */
    int qy, qm, qd;
    fr_date_to_ymd(q->lo, &qy, &qm, &qd);
    int slip = q->lo == q->hi && exact && qy == ey && qm == ed && qd == em;
    return slip ? -0.06 : gap <= 400 ? -0.19 : -0.25;
}

/* How close a query token and a listed text are by abjad skeletons, when one
 * of them was written in Hebrew or Arabic script: 2 equal, 1 one edit apart,
 * 0 neither (or not applicable). */
static int abjad_sim(const fr_screen_index *idx, const sc_qtok *t, const fr_text *et,
                     const char *es, size_t el)
{
    if (!et || (!t->script && !et->abjad) || t->particle) return 0;
    char es_sk[FR_ABJ_FORMS][FR_TOK_MAX];
    size_t esl[FR_ABJ_FORMS];
    const char *ep[FR_ABJ_FORMS];
    int ne = et->nabj, best = 0;
    if (ne) { /* kept by the index, one after the other */
        const char *p = idx->pool + et->abj;
        for (int j = 0; j < ne; j++) {
            ep[j] = p;
            esl[j] = et->abjl[j];
            p += esl[j] + 1;
        }
    } else {
        ne = fr__namevar_abjad_forms(es, el, 0, es_sk, esl);
        for (int j = 0; j < ne; j++)
            ep[j] = es_sk[j];
    }
    for (int i = 0; i < t->nabj; i++)
        for (int j = 0; j < ne; j++) {
            int r = fr__namevar_abjad_near(t->abj[i], t->abjl[i], ep[j], esl[j]);
            if (r > best) best = r;
        }
    return best;
}

/* Similarity of query token t to a listed text (string, keys). */
static float sim_tok(const fr_screen_index *idx, const sc_qtok *t, const char *es, size_t el,
                     const fr_text *et, int trunc, uint8_t *kind)
{
    if (el == t->len && memcmp(es, t->s, el) == 0) {
        *kind = SC_EXACT;
        return 1.0f;
    }
    const char *ek0 = NULL;
    size_t ek0l = 0;
    if (et)
        for (int k = 0; k < FR_KEYS_PER_TOKEN; k++) {
            if (et->key[k] == UINT32_MAX) continue;
            if (k == 0) {
                ek0 = idx->pool + idx->keys[et->key[k]].str;
                ek0l = idx->keys[et->key[k]].len;
            }
            for (int j = 0; j < t->nkeys; j++)
                if (et->key[k] == t->kid[j]) {
                    *kind = SC_VARIANT;
                    return 0.95f;
                }
        }
    int abj = abjad_sim(idx, t, et, es, el);
    if (abj == 2) {
        *kind = SC_PHONETIC;
        return 0.85f;
    }
    if (trunc && el > t->len && memcmp(es, t->s, t->len) == 0) {
        *kind = SC_TRUNC;
        return t->len >= 3 ? 0.93f : 0.85f;
    }
    uint32_t esk = et ? et->skel : fr__namevar_skel_hash(es, el);
    if (esk && esk == t->skel) {
        *kind = SC_PHONETIC;
        return 0.85f;
    }
    if (!ek0) {
        ek0 = es;
        ek0l = el;
    }
    if ((t->len == 1 || el == 1) && t->s[0] == es[0]) {
        *kind = SC_INITIAL;
        return 0.80f;
    }
    /* typos, on the keys (spelling rules applied) and on the raw text; each
     * edit changes at most two letters of the letter set, a cheap bound that
     * spares most raw distance computations */
    uint32_t em = et ? et->mask : fr__namevar_letter_mask(es, el);
    int bound = bits(em ^ t->mask);
    size_t ql = t->k0len;
    int a1 = fr__namevar_typos_allowed(ql < ek0l ? ql : ek0l);
    int a2 = fr__namevar_typos_allowed(t->len < el ? t->len : el);
    size_t mx = el > t->len ? el : t->len;
    int d1 = a1 && bits(fr__namevar_letter_mask(ek0, ek0l) ^ t->k0mask) <= 2 * a1
                 ? fr__namevar_distance(t->key[0], ql, ek0, ek0l, a1)
                 : 99;
    int d2 = a2 && bound <= 2 * a2 ? fr__namevar_distance(t->s, t->len, es, el, a2) : 99;
    int d = d1 <= a1 ? d1 : d2 <= a2 ? d2 : 99;
    if (d2 <= a2 && d2 < d) d = d2;
    if (abj == 1 && (d == 99 || d >= 2)) { /* one consonant class apart */
        *kind = SC_PHONETIC;
        return 0.78f;
    }
    if (d == 99 && mx >= 7 && a2 >= 1 && bound <= 2 * (a2 + 1)) {
        /* one edit more than the length allows, in a long token: a weak
         * match that only counts together with the other names */
        int d3 = fr__namevar_distance(t->s, t->len, es, el, a2 + 1);
        if (d3 == a2 + 1) {
            *kind = SC_TYPO;
            return 0.74f;
        }
    }
    if (d == 99) return 0.0f;
    *kind = SC_TYPO;
    if (d == 0) return 0.95f;
    if (d == 1) return mx >= 6 ? 0.86f : 0.80f;
    return 0.76f;
}

static float text_weight(const fr_screen_index *idx, const fr_text *t)
{
    if (t->particle) return SC_PARTICLE_W;
    float w = idx->keys[t->key[0]].weight;
    for (int k = 1; k < FR_KEYS_PER_TOKEN; k++)
        if (t->key[k] != UINT32_MAX && idx->keys[t->key[k]].weight < w)
            w = idx->keys[t->key[k]].weight;
    return w;
}

/* A listed name as the alignment reads it, prepared once per record. */
typedef struct sc_listed {
    const uint32_t *et; /* its tokens (indexes into idx->texts) */
    int m;
    float w[FR_NAME_MAX_TOKENS];
    /* joined spans (two or three tokens): ABDULRAHMAN / ABDUL RAHMAN,
     * DELACRUZ / DE LA CRUZ; length 0 when the span does not fit */
    char js[FR_NAME_MAX_TOKENS][2][FR_TOK_MAX];
    uint8_t jl[FR_NAME_MAX_TOKENS][2];
} sc_listed;

#define SC_MAX_CAND (FR_NAME_MAX_TOKENS * FR_NAME_MAX_TOKENS * 3)

/* Token pairings similar enough to count, and the order they are taken in. */
typedef struct sc_cands {
    sc_match m[SC_MAX_CAND];
    float w[SC_MAX_CAND]; /* similarity x the weight of the tokens covered */
    int n;
} sc_cands;

/* What the matches taken cover on each side, against what there is. */
typedef struct sc_cover {
    double mq, me;          /* matched weight, query and listed side */
    double wq, we;          /* total weight */
    int real, qreal, ereal; /* real (non-particle) tokens matched, in the query, listed */
    uint32_t eused;         /* listed tokens matched (bit per token) */
} sc_cover;

static void listed_prepare(const fr_screen_index *idx, const fr_rec *rec, sc_listed *L)
{
    L->et = idx->rtoks + rec->tok;
    L->m = rec->ntok;
    for (int j = 0; j < L->m; j++)
        L->w[j] = text_weight(idx, &idx->texts[L->et[j]]);
    for (int j = 0; j < L->m; j++) {
        const fr_text *t = &idx->texts[L->et[j]];
        size_t l = t->len;
        char buf[FR_TOK_MAX * 3];
        memcpy(buf, idx->pool + t->str, l);
        for (int x2 = 1; x2 <= 2; x2++) {
            L->jl[j][x2 - 1] = 0;
            if (j + x2 >= L->m || l >= FR_TOK_MAX) continue;
            const fr_text *t2 = &idx->texts[L->et[j + x2]];
            memcpy(buf + l, idx->pool + t2->str, t2->len);
            l += t2->len;
            if (l >= FR_TOK_MAX) continue;
            memcpy(L->js[j][x2 - 1], buf, l);
            L->js[j][x2 - 1][l] = '\0';
            L->jl[j][x2 - 1] = (uint8_t)l;
        }
    }
}

static void cand_add(sc_cands *cs, int qa, int qb, int ea, int eb, uint8_t kind, float x)
{
    if (cs->n < SC_MAX_CAND)
        cs->m[cs->n++] = (sc_match){(uint8_t)qa, (uint8_t)qb, (uint8_t)ea, (uint8_t)eb, kind, x};
}

/* Query token i against the spans that start at listed token j. Joining
 * already bends the name, so a joined span counts only when exact or a
 * variant, never as a typo or sound-alike. */
static void match_listed_joins(const fr_screen_index *idx, const sc_query *q, const sc_listed *L,
                               int i, int j, sc_cands *cs)
{
    for (int x2 = 1; x2 <= 2; x2++) {
        size_t l = L->jl[j][x2 - 1];
        if (!l || l + 1 < q->tok[i].len || l > (size_t)q->tok[i].len + 2) continue;
        uint8_t kind;
        /* no keys for a joined span: compared as spelled, exact or typo */
        float x = sim_tok(idx, &q->tok[i], L->js[j][x2 - 1], l, NULL, 0, &kind) * 0.97f;
        if (x >= 0.74f && kind <= SC_VARIANT) cand_add(cs, i, i, j, j + x2, kind, x);
    }
}

/* The query spans that start at token i against listed token t (number j). */
static void match_query_joins(const fr_screen_index *idx, const sc_query *q, const fr_text *t,
                              int i, int j, sc_cands *cs)
{
    for (int x2 = 1; x2 <= 2; x2++) {
        const sc_qtok *jq = &q->join[i][x2 - 1];
        /* only equal spellings or keys count here, so the length window is
         * wide: McCune-Reischauer writes O where Revised writes EO (YON-SONG
         * is YEONSEONG, two letters longer) */
        if (!jq->len || (size_t)jq->len + 4 < t->len || jq->len > (size_t)t->len + 4) continue;
        uint8_t kind;
        float x = sim_tok(idx, jq, idx->pool + t->str, t->len, t, 0, &kind) * 0.97f;
        if (x >= 0.74f && kind <= SC_VARIANT) cand_add(cs, i, i + x2, j, j, kind, x);
    }
}

static void collect_matches(const fr_screen_index *idx, const sc_query *q, const sc_listed *L,
                            sc_cands *cs)
{
    cs->n = 0;
    for (int i = 0; i < q->n; i++) {
        for (int j = 0; j < L->m; j++) {
            const fr_text *t = &idx->texts[L->et[j]];
            uint8_t kind;
            float x = sim_tok(idx, &q->tok[i], idx->pool + t->str, t->len, t,
                              q->truncated && i == q->n - 1, &kind);
            if (x >= 0.74f) cand_add(cs, i, i, j, j, kind, x);
            match_listed_joins(idx, q, L, i, j, cs);
            match_query_joins(idx, q, t, i, j, cs);
        }
    }
}

/* Best first by weighted similarity (a joined AL+DIBISKI beats AL=AL); the
 * insertion sort keeps equal candidates in the order they were found. */
static void rank_matches(const sc_query *q, const sc_listed *L, sc_cands *cs)
{
    for (int a = 0; a < cs->n; a++) {
        const sc_match *x = &cs->m[a];
        float w = 0;
        for (int i = x->qa; i <= x->qb; i++)
            w += q->tok[i].weight;
        for (int j = x->ea; j <= x->eb; j++)
            w += L->w[j];
        cs->w[a] = x->sim * w;
    }
    for (int a = 1; a < cs->n; a++)
        for (int b = a; b > 0; b--) {
            if (cs->w[b - 1] >= cs->w[b]) break;
            float tw = cs->w[b - 1];
            cs->w[b - 1] = cs->w[b];
            cs->w[b] = tw;
            sc_match t = cs->m[b - 1];
            cs->m[b - 1] = cs->m[b];
            cs->m[b] = t;
        }
}

static void cover_totals(const fr_screen_index *idx, const sc_query *q, const sc_listed *L,
                         sc_cover *cv)
{
    memset(cv, 0, sizeof *cv);
    for (int i = 0; i < q->n; i++) {
        cv->wq += q->tok[i].weight;
        cv->qreal += !q->tok[i].particle;
    }
    for (int j = 0; j < L->m; j++) {
        cv->we += L->w[j];
        cv->ereal += !idx->texts[L->et[j]].particle;
    }
}

/* Greedy, best first, each token used once: the alignment explained to the
 * officer, and the weight it covers. */
static void take_matches(const sc_query *q, const sc_listed *L, const sc_cands *cs, sc_score *s,
                         sc_cover *cv)
{
    uint32_t qused = 0;
    for (int k = 0; k < cs->n && s->nm < SC_MAX_MATCH; k++) {
        const sc_match *x = &cs->m[k];
        uint32_t qm = ((1u << (x->qb + 1)) - 1) & ~((1u << x->qa) - 1);
        uint32_t em = ((1u << (x->eb + 1)) - 1) & ~((1u << x->ea) - 1);
        if ((qused & qm) || (cv->eused & em)) continue;
        qused |= qm;
        cv->eused |= em;
        s->m[s->nm++] = *x;
        int isreal = 0;
        for (int i = x->qa; i <= x->qb; i++) {
            cv->mq += x->sim * q->tok[i].weight;
            isreal |= !q->tok[i].particle;
        }
        for (int j = x->ea; j <= x->eb; j++)
            cv->me += x->sim * L->w[j];
        cv->real += isreal;
    }
}

/* An MRZ cut short loses the names after the cut: listed tokens after the
 * one the truncated token matched, and a last token that matched nothing, do
 * not count against the name. */
static void forgive_truncation(const sc_query *q, const sc_listed *L, const sc_score *s,
                               sc_cover *cv)
{
    int n = q->n, last = -1;
    for (int k = 0; k < s->nm; k++)
        if (s->m[k].qb == n - 1) last = s->m[k].eb;
    if (last < 0)
        cv->wq -= q->tok[n - 1].weight;
    else
        for (int j = last + 1; j < L->m; j++)
            if (!(cv->eused & (1u << j))) cv->we -= L->w[j];
}

static void name_from_cover(const sc_cover *cv, sc_score *s)
{
    double cq = cv->wq > 0 ? cv->mq / cv->wq : 0, ce = cv->we > 0 ? cv->me / cv->we : 0;
    double hi = cq > ce ? cq : ce, lo = cq > ce ? ce : cq;
    s->name = 0.7 * hi + 0.3 * lo;
    /* two multi-token names that share one real token (a surname, say) are
     * not the same name */
    if (cv->real <= 1 && cv->qreal >= 2 && cv->ereal >= 2 && s->name > 0.6) s->name = 0.6;
    for (int a = 0; a < s->nm; a++)
        for (int b = a + 1; b < s->nm; b++)
            if ((s->m[a].qa < s->m[b].qa) != (s->m[a].ea < s->m[b].ea)) s->swapped = 1;
}

static double dob_evidence(const sc_query *q, const fr_watchlist_entry *en, int jan1_year)
{
    if (q->lo == FR_DATE_NONE || en->birth_lo == FR_DATE_NONE) return 0;
    /* the best of the entry's dates: any one of them may be the true one */
    const char *p = en->birth_date, *end = p + strlen(p);
    fr_date blo, bhi;
    double best = -1;
    while (fr__birth_next(&p, end, &blo, &bhi, NULL) == 1) {
        double a = dob_one(q, blo, bhi, jan1_year);
        if (a > best) best = a;
    }
    return best > -1 ? best : dob_one(q, en->birth_lo, en->birth_hi, jan1_year);
}

static double nat_evidence(const sc_query *q, const fr_watchlist_entry *en)
{
    if (q->nat < 0 || !en->nationalities[0]) return 0;
    const char *code = fr_country_code(q->nat);
    size_t cl = strlen(code);
    double adj = -0.05;
    for (const char *p = en->nationalities; *p;) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == cl && memcmp(p, code, l) == 0) adj = 0.02;
        p += l + (e != NULL);
    }
    return adj;
}

/* One listed document "STATE:NUMBER" or "NUMBER" (l bytes at p) against the
 * query's; a state on only one side does not stop the match. */
static int doc_same(const sc_query *q, const char *p, size_t l)
{
    const char *colon = memchr(p, ':', l);
    char tmp[64], norm[48];
    const char *num = colon ? colon + 1 : p;
    size_t nl = (size_t)(p + l - num);
    if (nl >= sizeof tmp) return 0;
    memcpy(tmp, num, nl);
    tmp[nl] = '\0';
    int same_state = !colon || !q->doc_state[0] ||
                     (strlen(q->doc_state) == (size_t)(colon - p) &&
                      memcmp(q->doc_state, p, (size_t)(colon - p)) == 0);
    return same_state && fr_docindex_normalise(tmp, norm, sizeof norm) == FR_OK &&
           strcmp(norm, q->doc) == 0;
}

static int doc_evidence(const sc_query *q, const fr_watchlist_entry *en)
{
    if (!q->has_doc) return 0;
    for (const char *p = en->documents; *p;) {
        const char *e = strchr(p, '|');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (doc_same(q, p, l)) return 1;
        p = e ? e + 1 : p + l;
    }
    return 0;
}

void fr__sc_score_record(fr_screen_ctx *c, const sc_query *q, uint32_t rid, sc_score *s)
{
    const fr_screen_index *idx = c->idx;
    const fr_rec *rec = &idx->recs[rid];
    sc_listed L;
    sc_cands cs;
    sc_cover cv;
    memset(s, 0, sizeof *s);
    s->rec = rid;
    listed_prepare(idx, rec, &L);
    collect_matches(idx, q, &L, &cs);
    rank_matches(q, &L, &cs);
    cover_totals(idx, q, &L, &cv);
    take_matches(q, &L, &cs, s, &cv);
    if (q->truncated) forgive_truncation(q, &L, s, &cv);
    name_from_cover(&cv, s);
    fr_watchlist_entry en;
    fr_watchlist_get(idx->wl, rec->entry, &en);
    s->dob_adj = dob_evidence(q, &en, idx->jan1_year);
    s->nat_adj = nat_evidence(q, &en);
    s->doc_match = doc_evidence(q, &en);
    double sc =
        0.9 * s->name * (rec->alias == SC_WEAK_ALIAS ? 0.93 : 1.0) + s->dob_adj + s->nat_adj;
    if (s->doc_match) sc = (sc > 0.95 ? sc : 0.95) + 0.04;
    s->score = sc < 0 ? 0 : sc > 1 ? 1 : sc;
}

/* The explanation's words: every lowercase word of it is one of these
 * phrases, so that a reader can say it again in another language
 * (fr_screen_explanation_words; the CLI from the catalogue, the pages from
 * words.es.json). FR_PHRASE marks them for xgettext (tests/cli/i18n.sh), and
 * tests/web reads this table to check the pages know each one. */
#define FR_PHRASE(s) s
enum {
    PH_NAME,
    PH_PRIMARY,
    PH_ALIAS,
    PH_WEAK_ALIAS,
    PH_EXACT,
    PH_VARIANT,
    PH_TRUNCATED,
    PH_PHONETIC,
    PH_TYPO,
    PH_INITIAL,
    PH_JOINED,
    PH_NOT_GIVEN,
    PH_ORDER,
    PH_DOB_MATCH,
    PH_DOB_RANGE,
    PH_DOB_YEARS,
    PH_DOB_DIFFERS,
    PH_DOB_SWAPPED,
    PH_NAT_MATCH,
    PH_NAT_DIFFERS,
    PH_DOC,
    PH_DOC_MATCH,
    PH_COUNT
};
static const char *const PHRASES[PH_COUNT] = {
    [PH_NAME] = FR_PHRASE("name"),
    [PH_PRIMARY] = FR_PHRASE("primary name"),
    [PH_ALIAS] = FR_PHRASE("alias"),
    [PH_WEAK_ALIAS] = FR_PHRASE("weak alias"),
    [PH_EXACT] = FR_PHRASE("exact"),
    [PH_VARIANT] = FR_PHRASE("variant"),
    [PH_TRUNCATED] = FR_PHRASE("truncated"),
    [PH_PHONETIC] = FR_PHRASE("phonetic"),
    [PH_TYPO] = FR_PHRASE("typo"),
    [PH_INITIAL] = FR_PHRASE("initial"),
    [PH_JOINED] = FR_PHRASE("joined"),
    [PH_NOT_GIVEN] = FR_PHRASE("not given"),
    [PH_ORDER] = FR_PHRASE("order differs"),
    [PH_DOB_MATCH] = FR_PHRASE("birth date matches"),
    [PH_DOB_RANGE] = FR_PHRASE("birth date within a listed year, range or circa date"),
    [PH_DOB_YEARS] = FR_PHRASE("birth date differs by years"),
    [PH_DOB_DIFFERS] = FR_PHRASE("birth date differs"),
    [PH_DOB_SWAPPED] = FR_PHRASE("birth date has day and month swapped"),
    [PH_NAT_MATCH] = FR_PHRASE("nationality matches"),
    [PH_NAT_DIFFERS] = FR_PHRASE("nationality differs"),
    [PH_DOC] = FR_PHRASE("document number"),
    [PH_DOC_MATCH] = FR_PHRASE("matches the listed one"),
};

const char *const *fr_screen_explanation_phrases(size_t *n)
{
    if (n) *n = PH_COUNT;
    return PHRASES;
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int fr_screen_explanation_words(const char *explanation,
                                const char *(*word)(void *ud, const char *phrase), void *ud,
                                char *out, size_t cap)
{
    if (!explanation || !word || !out || cap == 0) return FR_EINVAL;
    size_t o = 0;
    int rc = FR_OK;
    for (const char *p = explanation; *p;) {
        /* the longest phrase that starts here as whole words */
        const char *best = NULL;
        size_t blen = 0;
        if (p == explanation || !is_letter(p[-1]))
            for (int i = 0; i < PH_COUNT; i++) {
                size_t n = strlen(PHRASES[i]);
                if (n > blen && strncmp(p, PHRASES[i], n) == 0 && !is_letter(p[n]))
                    best = PHRASES[i], blen = n;
            }
        const char *put = p;
        size_t plen = 1;
        if (best) {
            const char *w = word(ud, best);
            put = w ? w : best;
            plen = strlen(put);
        }
        if (o + plen >= cap) {
            rc = FR_ELIMIT; /* cut at a whole piece */
            break;
        }
        memcpy(out + o, put, plen);
        o += plen;
        p += best ? blen : 1;
    }
    out[o] = '\0';
    return rc;
}

static const char *kind_name(uint8_t k)
{
    static const int ph[] = {PH_EXACT, PH_VARIANT, PH_TRUNCATED, PH_PHONETIC, PH_TYPO, PH_INITIAL};
    return k < 6 ? PHRASES[ph[k]] : "?";
}

static void span_text(const char *const *s, int a, int b, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = a; i <= b && o + 1 < cap; i++) {
        int w = snprintf(out + o, cap - o, "%s%s", i > a ? "+" : "", s[i]);
        if (w < 0) break;
        o += (size_t)w;
        if (o >= cap) {
            o = cap - 1;
            break;
        }
    }
}

void fr__sc_explain(const fr_screen_ctx *c, const sc_query *q, uint32_t entry, const sc_score *s,
                    char *out, size_t cap)
{
    const fr_screen_index *idx = c->idx;
    const fr_rec *rec = &idx->recs[s->rec];
    const char *es[FR_NAME_MAX_TOKENS], *qs[FR_NAME_MAX_TOKENS];
    for (int j = 0; j < rec->ntok; j++)
        es[j] = idx->pool + idx->texts[idx->rtoks[rec->tok + j]].str;
    for (int i = 0; i < q->n; i++)
        qs[i] = q->tok[i].s;
    size_t o = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (o + 1 < cap) {                                                                         \
            int w_ = snprintf(out + o, cap - o, __VA_ARGS__);                                      \
            if (w_ > 0) o = o + (size_t)w_ < cap ? o + (size_t)w_ : cap - 1;                       \
        }                                                                                          \
    } while (0)
    PUT("%s %.2f (%s):", PHRASES[PH_NAME], s->name,
        PHRASES[rec->alias == SC_WEAK_ALIAS ? PH_WEAK_ALIAS
                : rec->alias                ? PH_ALIAS
                                            : PH_PRIMARY]);
    for (int k = 0; k < s->nm; k++) {
        char a[80], b[80];
        span_text(qs, s->m[k].qa, s->m[k].qb, a, sizeof a);
        span_text(es, s->m[k].ea, s->m[k].eb, b, sizeof b);
        int joined = s->m[k].qa != s->m[k].qb || s->m[k].ea != s->m[k].eb;
        PUT(" %s=%s %s%s%s;", a, b, kind_name(s->m[k].kind), joined ? " " : "",
            joined ? PHRASES[PH_JOINED] : "");
    }
    uint32_t used = 0;
    for (int k = 0; k < s->nm; k++)
        for (int j = s->m[k].ea; j <= s->m[k].eb; j++)
            used |= 1u << j;
    int first = 1;
    for (int j = 0; j < rec->ntok; j++)
        if (!(used & (1u << j))) {
            PUT("%s%s%s", first ? " " : ",", first ? PHRASES[PH_NOT_GIVEN] : "", first ? ":" : "");
            PUT("%s", es[j]);
            first = 0;
        }
    if (!first) PUT(";");
    if (s->swapped) PUT(" %s;", PHRASES[PH_ORDER]);
    int dob = s->dob_adj > 0.05   ? PH_DOB_MATCH
              : s->dob_adj > 0    ? PH_DOB_RANGE
              : s->dob_adj < -0.2 ? PH_DOB_YEARS
              : s->dob_adj < -0.1 ? PH_DOB_DIFFERS
              : s->dob_adj < 0    ? PH_DOB_SWAPPED
                                  : -1;
    if (dob >= 0) PUT(" %s;", PHRASES[dob]);
    if (s->nat_adj) PUT(" %s;", PHRASES[s->nat_adj > 0 ? PH_NAT_MATCH : PH_NAT_DIFFERS]);
    if (s->doc_match) PUT(" %s %s %s;", PHRASES[PH_DOC], q->doc, PHRASES[PH_DOC_MATCH]);
    (void)entry;
#undef PUT
    if (o > 0 && out[o - 1] == ';') out[o - 1] = '\0';
}
