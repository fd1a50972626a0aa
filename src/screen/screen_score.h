/* SPDX-License-Identifier: MIT */
/* screen_score.h: the screening context and the full scoring of a record,
 * shared by screen.c (retrieval) and screen_score.c (scoring, evidence,
 * explanations). Internal. */
#ifndef FR_SCREEN_SCORE_H
#define FR_SCREEN_SCORE_H

#include "screen_internal.h"

#define SC_ACC_CAP 8192 /* accumulator slots (power of two) */
#define SC_ACC_MAX 4096 /* records accumulated at most per query */
#define SC_TOP 48       /* records scored in full per query */
#define SC_UNIT_KEYS 48
#define SC_POSTING_BUDGET 8000 /* postings walked at most per query */
#define SC_NEAR_DAYS 400       /* birth dates this close count as "about then" */
#define SC_PAIR_UNKNOWN 512    /* records of unknown birth year walked per pair */
#define SC_FUZZY_DF 150        /* sound-alike/typo keys posted more often are skipped */
#define SC_MAX_UNITS 32        /* tokens and joined pairs; one bit each in acc_unit */
#define SC_MAX_MATCH FR_NAME_MAX_TOKENS

typedef enum sc_kind { SC_EXACT, SC_VARIANT, SC_TRUNC, SC_PHONETIC, SC_TYPO, SC_INITIAL } sc_kind;

typedef struct sc_qtok {
    char s[FR_TOK_MAX];
    uint8_t len, particle;
    char key[FR_KEYS_PER_TOKEN][FR_TOK_MAX];
    uint32_t kid[FR_KEYS_PER_TOKEN]; /* index ids of key[] (UINT32_MAX: not in the index) */
    int nkeys;
    uint8_t k0len;   /* strlen(key[0]) */
    uint32_t k0mask; /* letters of key[0] */
    uint32_t skel;   /* skeleton hash, 0 when short */
    uint32_t mask;   /* letters present */
    float weight;
    uint8_t script; /* the query was written in Hebrew or Arabic script */
    uint8_t nabj;   /* abjad skeletons (fr__namevar_abjad_forms) */
    uint8_t abjl[FR_ABJ_FORMS];
    char abj[FR_ABJ_FORMS][FR_TOK_MAX];
} sc_qtok;

typedef struct sc_query {
    sc_qtok tok[FR_NAME_MAX_TOKENS];
    sc_qtok join[FR_NAME_MAX_TOKENS][2]; /* tokens i..i+1 and i..i+2 joined (len 0: none) */
    int n;
    int truncated;
    fr_date lo, hi;
    int nat;
    int has_doc;
    char doc_state[8];
    char doc[48];
} sc_query;

typedef struct sc_unit {
    uint8_t a, b;   /* query tokens a..b */
    int nk, nexact; /* keys; the first nexact are the unit's own variant keys */
    uint32_t k[SC_UNIT_KEYS];
    float weight;
    uint64_t rare_df;
} sc_unit;

typedef struct sc_match {
    uint8_t qa, qb, ea, eb; /* spans, inclusive */
    uint8_t kind;
    float sim;
} sc_match;

typedef struct sc_score {
    double score, name;
    double dob_adj, nat_adj;
    int doc_match;
    uint32_t rec;
    sc_match m[SC_MAX_MATCH];
    int nm;
    int swapped;
} sc_score;

typedef struct sc_res {
    uint32_t entry;
    sc_score s;
} sc_res;

struct fr_screen_ctx {
    const fr_screen_index *idx;
    const fr_docindex *docs;
    fr_translit *tl;
    const fr_namevar *nv;
    fr_namevar *own_nv;
    char norm[1024];
    uint32_t gen;
    size_t nacc;
    uint32_t acc_gen[SC_ACC_CAP];
    uint32_t acc_rec[SC_ACC_CAP];
    float acc_w[SC_ACC_CAP];
    uint32_t acc_unit[SC_ACC_CAP]; /* units that reached the record (bit per unit) */
    uint32_t acc_slot[SC_ACC_MAX];
    sc_res res[SC_TOP];
    int nres;
};

/* Normalise and tokenise the query, look up its tokens' weights. */
int fr__sc_query_prepare(fr_screen_ctx *c, const fr_screen_query *in, sc_query *q);
/* Score record rec against q (name alignment and evidence) into *s. */
void fr__sc_score_record(fr_screen_ctx *c, const sc_query *q, uint32_t rec, sc_score *s);
/* Human explanation of s into out. */
void fr__sc_explain(const fr_screen_ctx *c, const sc_query *q, uint32_t entry, const sc_score *s,
                    char *out, size_t cap);

#endif
