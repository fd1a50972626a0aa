/* SPDX-License-Identifier: MIT */
/* screen_internal.h: what the screening modules share inside the library:
 * the ICU transliterator wrapper (translit.c), name tokens, the variant and
 * phonetic keys (namevar.c), the watchlist's entry layout (watchlist.c), and
 * the layout of the screening index (screen_index.c, read by screen.c). */
#ifndef FR_SCREEN_INTERNAL_H
#define FR_SCREEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/screen.h"

/* ---- translit.c ---- */
typedef struct fr_translit fr_translit;
/* Open "Russian-Latin/BGN; Any-Latin; Latin-ASCII". FR_EIO when ICU fails. */
int fr__translit_new(fr_translit **out, fr_error *err);
void fr__translit_free(fr_translit *t);
/* Name text -> ASCII upper-case tokens separated by one space into out.
 * Non-ASCII input goes through ICU; '<', punctuation and digits become
 * separators; apostrophes are dropped. FR_OK, FR_EINVAL (no letters),
 * FR_ELIMIT (input over 512 bytes or output over cap). */
int fr__translit_name(fr_translit *t, const char *in, size_t len, char *out, size_t cap);

/* ---- hangul.c ---- */
/* Copy in (UTF-8) to out with every run of Hangul syllables written in
 * Revised Romanisation (upper case), a space after the surname syllable(s)
 * of a run of two or more. Returns the length written (NUL-terminated), or 0
 * when in holds no Hangul or out (cap bytes) is too small. */
size_t fr__hangul_romanise(const char *in, size_t len, char *out, size_t cap);

/* ---- watchlist_birth.c ---- */
/* Next alternative of a birth-date text (see fr_screen_parse_birth) from
 * *cur (advanced) to end: 1 with its first and last day in lo/hi, 0 when
 * none is left, or FR_EPARSE/FR_ERANGE with err (column relative to the
 * alternative). Allocates nothing. */
int fr__birth_next(const char **cur, const char *end, fr_date *lo, fr_date *hi, fr_error *err);

/* ---- namevar.c ---- */
#define FR_TOK_MAX 32 /* longest token kept (longer ones are cut) */
#define FR_NAME_MAX_TOKENS 16
#define FR_KEYS_PER_TOKEN 3

typedef struct fr_namevar fr_namevar;
int fr__namevar_new(fr_namevar **out);
void fr__namevar_free(fr_namevar *nv);
/* Canonical keys of a token (upper-case ASCII): spelling rules (double
 * letters, KS->X, PH->F, KH->H, -OFF->-OV, -YEV->-EV, -IY->-I ...) then the
 * variant table (CHAN->CHEN, CHEUNG->ZHANG, MOHAMED->MUHAMMAD ...). A token
 * may have up to three keys (WONG is Wang and Huang; GOH is Wu and the
 * Korean Go). Returns the number of keys
 * written into keys[FR_KEYS_PER_TOKEN][FR_TOK_MAX]. */
int fr__namevar_keys(const fr_namevar *nv, const char *tok, size_t len,
                     char keys[FR_KEYS_PER_TOKEN][FR_TOK_MAX]);
/* Phonetic skeleton of a token (first letter class, then consonant classes,
 * no repeats, at most 7) into out[FR_TOK_MAX]; returns its length. */
size_t fr__namevar_skeleton(const char *tok, size_t len, char out[FR_TOK_MAX]);
/* Scripts of a name as fr__translit_is_abjad reports them (bits). */
#define FR_SCRIPT_HEBREW 1
#define FR_SCRIPT_ARABIC 2
/* Abjad skeletons kept per token at most. */
#define FR_ABJ_FORMS 4
/* Abjad skeleton of a token (consonant classes a Hebrew or Arabic spelling
 * shows the same way as a Latin one: UNDERWOOD and 'NDRWWD are both NTRT)
 * into out[FR_TOK_MAX]; returns its length. */
size_t fr__namevar_abjad(const char *tok, size_t len, char out[FR_TOK_MAX]);
/* A token's abjad skeletons: its own and, for a token from Hebrew or Arabic
 * script (script: FR_SCRIPT_* bits, 0 for Latin), the readings the script
 * leaves open: Hebrew וו or an initial ו as V, the Arabic article AL
 * written onto the name, a final Arabic ة (T) not pronounced. A Latin
 * token has one (an initial silent K of KN dropped). Returns how many (1 to
 * FR_ABJ_FORMS) into out/ol, distinct. */
int fr__namevar_abjad_forms(const char *tok, size_t len, int script,
                            char out[FR_ABJ_FORMS][FR_TOK_MAX], size_t ol[FR_ABJ_FORMS]);
/* Hashes under which an abjad skeleton sk (sl letters) is found: itself and,
 * from 4 letters, itself less each one letter (shorter ones would reach too
 * many names: at 3 letters the query cost 4x more for no recall); side 'L' for a Latin spelling,
 * 'S' for one transliterated from Hebrew or Arabic script. Returns how many
 * were written into h (0 for a skeleton under 2 letters). */
int fr__namevar_abjad_hashes(char side, const char *sk, size_t sl, uint64_t h[FR_TOK_MAX]);
/* 2 when two abjad skeletons of 2 letters or more are equal, 1 when they
 * are one edit apart (both at least 3 letters) or both the same single
 * consonant (HARARI and HRRY are both R), else 0. */
int fr__namevar_abjad_near(const char *a, size_t la, const char *b, size_t lb);
/* The scripts of text (UTF-8) among Hebrew and Arabic: FR_SCRIPT_HEBREW
 * and FR_SCRIPT_ARABIC bits, 0 when it has neither. */
int fr__translit_is_abjad(const char *text, size_t len);
/* 1 when the token is a name particle (AL, EL, DE, DA, VAN, VON, BIN, IBN ...). */
int fr__namevar_is_particle(const char *tok, size_t len);
/* Optimal string alignment distance, or max+1 when it exceeds max. */
int fr__namevar_distance(const char *a, size_t la, const char *b, size_t lb, int max);
/* Typos allowed for a token of this length: 0 up to 3, 1 up to 7, else 2. */
int fr__namevar_typos_allowed(size_t len);
/* Split "SURNAME, GIVEN" normalised text into tokens (pointers into text).
 * Splits an ABDUL/ABDEL/ABDOUL/ABD AL prefix into ABD + rest. Returns the
 * number of tokens (at most FR_NAME_MAX_TOKENS); lengths capped at
 * FR_TOK_MAX-1. */
typedef struct fr_tok {
    char s[FR_TOK_MAX];
    uint8_t len;
    uint8_t particle;
} fr_tok;
int fr__namevar_tokens(const char *text, fr_tok *toks, int max);

/* 64-bit FNV-1a. */
uint64_t fr__screen_hash(const char *s, size_t len);

/* ---- screen_index.c: layout ---- */

/* A sorted multimap from 64-bit hashes to 32-bit values. */
typedef struct fr_mmap {
    uint64_t *h;
    uint32_t *v;
    size_t n;
} fr_mmap;
/* First position of h in m; *count equal entries follow (0 when absent). */
size_t fr__mmap_find(const fr_mmap *m, uint64_t h, size_t *count);

/* A string table: open addressing over ids (slot = id + 1, 0 empty). */
typedef struct fr_strtab {
    uint32_t *slot;
    size_t cap;
} fr_strtab;

/* A distinct normalised token (or two adjacent tokens joined) of the names. */
typedef struct fr_text {
    uint32_t str;                    /* offset in idx->pool */
    uint32_t key[FR_KEYS_PER_TOKEN]; /* key ids; UINT32_MAX when absent */
    uint32_t mask;                   /* letters present (bit 0 = A) */
    uint32_t skel;                   /* hash of the skeleton (0: shorter than 3) */
    uint8_t len;
    uint8_t particle;
    uint8_t abjad; /* a listed name wrote it in Hebrew or Arabic script */
    uint8_t nabj;  /* its abjad skeletons (fr__namevar_abjad_forms) */
    uint8_t abjl[FR_ABJ_FORMS];
    uint32_t abj; /* offset in idx->pool of the first; each follows the one
                   * before and its NUL */
} fr_text;

/* Letters present in s (bit 0 = A), for a cheap edit-distance bound. */
uint32_t fr__namevar_letter_mask(const char *s, size_t len);
/* Skeleton hash as stored in fr_text.skel (0 when the skeleton is short). */
uint32_t fr__namevar_skel_hash(const char *s, size_t len);

/* A canonical key and its postings (name record ids, ascending). */
typedef struct fr_key {
    uint32_t str;  /* offset in idx->pool */
    uint32_t post; /* offset in idx->postings */
    uint32_t df;   /* number of postings */
    float weight;  /* IDF weight */
    uint8_t len;
    uint8_t plain; /* key of a single token (not only of joined pairs) */
} fr_key;

#define SC_WEAK_ALIAS 2

/* A name (primary or alias) of an entry. */
typedef struct fr_rec {
    uint32_t entry;
    uint32_t tok; /* offset in idx->rtoks (text ids) */
    uint8_t ntok;
    uint8_t alias; /* 0 for the primary name, 1 an alias, SC_WEAK_ALIAS a weak one */
    fr_date bdate; /* entry's birth date (middle of its range), FR_DATE_NONE unknown
                      or too vague to window candidates by (several dates, wide) */
} fr_rec;

struct fr_screen_index {
    const fr_watchlist *wl;
    fr_namevar *nv;
    char *pool; /* NUL-terminated strings */
    size_t pool_len, pool_cap;
    fr_text *texts;
    size_t ntexts, texts_cap;
    fr_key *keys;
    size_t nkeys, keys_cap;
    fr_strtab text_tab, key_tab;
    uint32_t *postings;
    size_t npostings;
    fr_rec *recs;
    size_t nrecs, recs_cap;
    uint32_t *rtoks;
    size_t nrtoks, rtoks_cap;
    uint32_t *entry_rec; /* first record of entry i; entry_rec[nentries] = nrecs */
    size_t nentries;
    fr_mmap skel_map;    /* hash(skeleton) -> key id */
    fr_mmap abjad_map;   /* hash(side, abjad skeleton or it less one letter) -> key id */
    fr_mmap del_map;     /* hash(key, or key less one letter) -> key id */
    fr_mmap pair_map;    /* hash(pair of common keys) -> offset in pair_post */
    uint32_t *pair_post; /* per pair: count, then record ids */
    size_t npair_post;
    fr_mmap doc_map;       /* hash(normalised document number) -> entry */
    uint32_t *sorted_keys; /* plain key ids sorted by string, for prefix search */
    size_t nsorted;
    size_t bytes;
    uint32_t common_df; /* keys with more postings are "common" */
    uint8_t jan1_year;  /* the list writes "born in YYYY" as YYYY-01-01 (see screen_index.c) */
    float max_weight;
};

/* Growable (hash, value) pairs, sorted and packed into an fr_mmap. */
typedef struct fr_kv {
    uint64_t h;
    uint32_t v;
} fr_kv;
typedef struct fr_kvbuf {
    fr_kv *a;
    size_t n, cap;
} fr_kvbuf;
int fr__kv_cmp(const void *a, const void *b);
int fr__kv_push(fr_kvbuf *b, uint64_t h, uint32_t v);
/* Sort, drop duplicates, move into m (adds its size to *bytes), free b. */
int fr__kv_finish(fr_kvbuf *b, fr_mmap *m, size_t *bytes);
/* Build steps in screen_index_maps.c (after the postings). */
int fr__screen_build_pairs(fr_screen_index *idx);
int fr__screen_build_fuzzy_maps(fr_screen_index *idx);
int fr__screen_sort_keys(fr_screen_index *idx);
int fr__screen_build_docs(fr_screen_index *idx);

/* Text or key id of a string, or UINT32_MAX. */
uint32_t fr__screen_index_text(const fr_screen_index *idx, const char *s, size_t len);
uint32_t fr__screen_index_key(const fr_screen_index *idx, const char *s, size_t len);
/* Pair hash of two key ids (order-free). */
uint64_t fr__screen_pair_hash(uint32_t a, uint32_t b);

#endif
