/* SPDX-License-Identifier: MIT */
/* screen.h: watchlists, lost/stolen documents, and screening of travellers.
 *
 * Three objects, each with one owner:
 *
 *   fr_watchlist  a set of listed persons (id, list, name, aliases, birth date,
 *                 nationality, documents, reason), read from CSV or JSON Lines
 *                 and kept as one file per list (fr_watchlist_save/load).
 *   fr_docindex   the lost/stolen travel documents: a hash set of
 *                 (issuing state, normalised number), exact match in O(1).
 *   fr_screen_index  the in-memory index built from a watchlist: name tokens
 *                 reduced to canonical variant keys (Chen/Chan, Mohammed/
 *                 Muhammad, -ov/-off ...), phonetic skeletons and deletion
 *                 neighbours for typos, postings per key, pair postings for
 *                 very common tokens, and document numbers. Immutable once
 *                 built: any number of threads may read it at once.
 *   fr_screen_ctx one per thread: the ICU transliterator and scratch memory.
 *                 fr_screen_person and fr_screen_document allocate nothing.
 *
 * Lifetimes: an index borrows its watchlist (keep the watchlist alive and
 * unchanged until the index is freed); a context borrows its index and
 * docindex. Free in reverse order. Every *_free(NULL) is a no-op.
 *
 * Scores are in [0, 1]: 0.9 x the name similarity (rare tokens weigh more,
 * via IDF over the list; a weak alias x 0.93) plus evidence, the best over
 * the entry's birth dates: a date match +0.06 (within a listed year or a
 * month +0.03, a wider range or circa +0.02; a listed YYYY-01-01 is taken as
 * the year, a common placeholder); a clerical slip (day and month swapped) -0.06;
 * otherwise a different date -0.19 within about a year, -0.25 beyond, so an
 * exact name with another birth date falls to clear;
 * nationality +0.02 (any of the entry's) / -0.05 (none); a matching document number lifts the
 * result to at least 0.95 (a hit). Bands: hit >= FR_SCREEN_HIT, possible >= FR_SCREEN_POSSIBLE,
 * else clear. docs/screening.md has the details. */
#ifndef FRONTERA_SCREEN_H
#define FRONTERA_SCREEN_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_SCREEN_HIT 0.85
#define FR_SCREEN_POSSIBLE 0.72
/* Results scoring below this are not returned at all. */
#define FR_SCREEN_REPORT_FLOOR 0.50

/* ---- watchlists ---------------------------------------------------------- */

typedef struct fr_watchlist fr_watchlist;

typedef enum fr_watchlist_format {
    FR_WATCHLIST_CSV = 1,      /* id,list,name,aliases,birth_date,nationality,documents,reason
                                  [,weak_aliases] */
    FR_WATCHLIST_JSONL = 2,    /* one JSON object per line with the same keys */
    FR_WATCHLIST_UN_XML = 3,   /* UN Security Council Consolidated List (XML) */
    FR_WATCHLIST_OFAC_CSV = 4, /* OFAC SDN legacy CSV: sdn.csv (+ alt.csv as aux) */
    FR_WATCHLIST_OFAC_XML = 5, /* OFAC SDN XML (sdn.xml) */
    FR_WATCHLIST_EU_XML = 6,   /* EU consolidated financial sanctions list (FSF XML) */
    FR_WATCHLIST_FTM = 7       /* OpenSanctions FollowTheMoney entities, JSON per line */
} fr_watchlist_format;

/* "csv", "jsonl", "un-xml", "ofac-csv", "ofac-xml", "eu-xml", "ftm" to the
 * format: FR_OK or FR_EINVAL. */
FR_API int fr_watchlist_format_parse(const char *name, fr_watchlist_format *out);
FR_API const char *fr_watchlist_format_name(fr_watchlist_format fmt);

/* The format of a list file from its first bytes (head, n: a few KiB are
 * enough), for an import that was not told: XML by its root element
 * (CONSOLIDATED_LIST: un-xml, sdnList: ofac-xml, export: eu-xml), JSON lines
 * with a "schema" member (ftm) or without (jsonl), OFAC's legacy CSV (a
 * numeric first field and its "-0-" empty marks), else csv. FR_OK, or
 * FR_EINVAL for XML of no known root (*out then FR_WATCHLIST_CSV). */
FR_API int fr_watchlist_format_guess(const char *head, size_t n, fr_watchlist_format *out);

/* One entry as stored. Strings are owned by the watchlist, NUL-terminated,
 * valid until it is freed; aliases, weak_aliases, documents and
 * nationalities are '|'-separated ("" when none). Weak aliases are those a
 * list marks as low quality (UN "Low", OFAC and EU weak a.k.a.): they score
 * lower. birth_date is the text as listed (one or several dates, years,
 * ranges, circa: fr_screen_parse_birth); birth_lo..birth_hi is the envelope
 * of its dates (equal for one full date, a whole year for "1970",
 * FR_DATE_NONE both when unknown). nationalities are ICAO codes;
 * nationality is the index (fr_country_code) of the first, or -1. */
typedef struct fr_watchlist_entry {
    const char *id;
    const char *list;
    const char *name;
    const char *aliases;
    const char *weak_aliases;
    const char *documents;
    const char *reason;
    const char *birth_date;
    const char *nationalities;
    fr_date birth_lo, birth_hi;
    int nationality;
} fr_watchlist_entry;

/* Called for every rejected row; the row is skipped and parsing goes on. */
typedef void (*fr_watchlist_row_error_fn)(void *ud, const fr_error *err);

FR_API int fr_watchlist_new(fr_watchlist **out);
FR_API void fr_watchlist_free(fr_watchlist *wl);

typedef struct fr_watchlist_counts {
    size_t accepted; /* entries appended */
    size_t rejected; /* rows or entries refused (each reported to on_error) */
    size_t skipped;  /* entries that are not persons (companies, vessels ...) */
} fr_watchlist_counts;

/* How a list is read by fr_watchlist_parse and fr_watchlist_import. A
 * zero-initialised struct (or NULL) means: every row keeps its own list
 * name, no second file, rejected rows are counted and not reported. */
typedef struct fr_watchlist_import_options {
    const char *list_override; /* not NULL nor "": replaces every row's list name (a row
                                  without one needs it) */
    const char *aux;           /* a second file some formats come with (OFAC CSV: the
                                  aliases file alt.csv); NULL: none. Ignored by the other
                                  formats and by fr_watchlist_parse */
    size_t aux_len;
    fr_watchlist_row_error_fn on_error; /* called for every rejected row; NULL: none */
    void *ud;                           /* passed to on_error */
} fr_watchlist_import_options;

/* Parse len bytes of CSV (a header row naming the columns is required, in any
 * order; unknown columns are an error) or JSON Lines and append the valid
 * entries (any other format is read as fr_watchlist_import does, without
 * aux). A bad row (unknown nationality, bad date, missing id or name,
 * duplicate id within its list, bad JSON) is reported to opt->on_error with
 * its line, column when known, and field, and skipped. counts (may be NULL)
 * gets the rows accepted and rejected. Returns FR_OK, or FR_EINVAL, FR_EPARSE
 * (CSV header unusable, nothing appended) or FR_ENOMEM (the rows before it
 * stay appended). */
FR_API int fr_watchlist_parse(fr_watchlist *wl, const char *data, size_t len,
                              fr_watchlist_format fmt, const fr_watchlist_import_options *opt,
                              fr_watchlist_counts *counts);

/* Import a list in any format above from len bytes at data, appending the
 * persons it names (opt->aux: the second file, for OFAC CSV). Each format
 * maps names, aliases (strong and weak), birth dates (exact, year, month,
 * range, circa, several), nationalities and citizenships (codes or names, to
 * ICAO codes; a value that names no state is kept in the reason as
 * "nationality as listed: ..."), identity documents (issuing state and
 * number, for the document check) and the list's own reference (the entry
 * id) and programme (the reason). The default list names (without
 * opt->list_override) are UN-SC, OFAC-SDN, EU-FSF and, for FtM, the entity's
 * first dataset. An entry that cannot be taken is reported to opt->on_error
 * with its line and field and counted as rejected; an unreadable XML
 * document stops the import with FR_EPARSE (reported with its line and
 * column, nothing appended). counts may be NULL. Returns FR_OK, FR_EINVAL,
 * FR_EPARSE or FR_ENOMEM. */
FR_API int fr_watchlist_import(fr_watchlist *wl, fr_watchlist_format fmt, const char *data,
                               size_t len, const fr_watchlist_import_options *opt,
                               fr_watchlist_counts *counts);

FR_API size_t fr_watchlist_count(const fr_watchlist *wl);
/* Fill *e with entry i (0 <= i < count). FR_OK or FR_ERANGE. */
FR_API int fr_watchlist_get(const fr_watchlist *wl, size_t i, fr_watchlist_entry *e);

/* Write the entries whose list is `list` (all when NULL) as canonical CSV to
 * path: a temporary file in the same directory is written, fsync'd and
 * rename()d over path, then the directory is fsync'd, so readers see the old
 * file or the new one, never a mix. FR_OK or FR_EIO/FR_ENOMEM with err. */
FR_API int fr_watchlist_save(const fr_watchlist *wl, const char *list, const char *path,
                             fr_error *err);
/* The same canonical CSV in memory: *out (fr_free; NUL-terminated) and
 * *len. What a central serves its border posts (GET /v1/sync/watchlist).
 * FR_OK or FR_ENOMEM. */
FR_API int fr_watchlist_csv(const fr_watchlist *wl, const char *list, char **out, size_t *len,
                            fr_error *err);
/* Append the entries of a file written by fr_watchlist_save (or any CSV in
 * the import format). Rows that fail validation are counted in *rejected. */
FR_API int fr_watchlist_load(fr_watchlist *wl, const char *path, size_t *rejected, fr_error *err);
/* Load every "*.wl.csv" file of dir (a missing directory is an empty set). */
FR_API int fr_watchlist_load_dir(fr_watchlist *wl, const char *dir, size_t *rejected,
                                 fr_error *err);
/* The file name a list is kept under in a watchlist directory: the list name
 * with every byte outside [A-Za-z0-9_-] written as %XX (hex), plus ".wl.csv";
 * two different names never map to one file.
 * Writes at most cap bytes; FR_ELIMIT when it does not fit, FR_EINVAL for an
 * empty name. */
FR_API int fr_watchlist_file_name(const char *list, char *out, size_t cap);

/* ---- lost and stolen documents -------------------------------------------- */

typedef struct fr_docindex fr_docindex;

FR_API int fr_docindex_new(fr_docindex **out);
FR_API void fr_docindex_free(fr_docindex *d);
/* Add one document. state is an ICAO 9303 code (FR_EINVAL when unknown);
 * number is normalised (upper case; spaces, '-', '<', '/' and '.' removed;
 * FR_EINVAL when empty or not alphanumeric, FR_ELIMIT beyond 40 bytes); type
 * ("P", "ID"...: letters and digits, at most 8, else FR_EINVAL) may be NULL.
 * Adding a document twice is not an error. */
FR_API int fr_docindex_add(fr_docindex *d, const char *state, const char *number, const char *type);
/* 1 when (state, number) is listed, 0 when not, FR_EINVAL for an unknown
 * state or an unusable number. O(1), no allocation, thread-safe for readers. */
FR_API int fr_docindex_contains(const fr_docindex *d, const char *state, const char *number);
FR_API size_t fr_docindex_count(const fr_docindex *d);
/* CSV with a header: state,number[,type]. Bad rows go to on_error and are
 * skipped (same conventions as fr_watchlist_parse). */
FR_API int fr_docindex_parse(fr_docindex *d, const char *data, size_t len,
                             fr_watchlist_row_error_fn on_error, void *ud, size_t *accepted,
                             size_t *rejected);
/* Atomic save (as fr_watchlist_save) and load of the canonical CSV. */
FR_API int fr_docindex_save(const fr_docindex *d, const char *path, fr_error *err);
FR_API int fr_docindex_load(fr_docindex *d, const char *path, size_t *rejected, fr_error *err);
/* Normalise a document number into out (cap bytes): FR_OK, FR_EINVAL, FR_ELIMIT. */
FR_API int fr_docindex_normalise(const char *number, char *out, size_t cap);

/* ---- the screening index and contexts ------------------------------------- */

typedef struct fr_screen_index fr_screen_index;
typedef struct fr_screen_ctx fr_screen_ctx;

typedef struct fr_screen_index_stats {
    size_t entries;  /* watchlist entries */
    size_t names;    /* name records (primary names and aliases) */
    size_t tokens;   /* distinct normalised name tokens */
    size_t keys;     /* distinct canonical keys */
    size_t postings; /* postings (single keys and common pairs) */
    size_t bytes;    /* bytes allocated by the index itself */
} fr_screen_index_stats;

/* Build the index over wl (borrowed; must outlive the index, unchanged).
 * Creates and frees its own ICU transliterator. FR_OK, FR_ENOMEM, or FR_EIO
 * with err when ICU cannot open its transforms. */
FR_API int fr_screen_index_build(const fr_watchlist *wl, fr_screen_index **out, fr_error *err);
FR_API void fr_screen_index_free(fr_screen_index *idx);
FR_API void fr_screen_index_get_stats(const fr_screen_index *idx, fr_screen_index_stats *st);

/* A per-thread context over idx and docs (either may be NULL: no persons /
 * no documents). Opens the ICU transliterator once. Not thread-safe itself:
 * one context per thread. */
FR_API int fr_screen_ctx_new(const fr_screen_index *idx, const fr_docindex *docs,
                             fr_screen_ctx **out, fr_error *err);
FR_API void fr_screen_ctx_free(fr_screen_ctx *ctx);

typedef enum fr_screen_band {
    FR_BAND_CLEAR = 0,
    FR_BAND_POSSIBLE = 1,
    FR_BAND_HIT = 2
} fr_screen_band;

/* A traveller. name is UTF-8 in any script, "SURNAME, GIVEN NAMES", "GIVEN
 * SURNAME" or an MRZ name field ("SURNAME<<GIVEN<NAMES"); order does not
 * matter. Every other field may be NULL / FR_DATE_NONE / -1 / 0. */
typedef struct fr_screen_query {
    const char *name;
    fr_date birth_lo, birth_hi; /* a date (lo == hi) or a year; FR_DATE_NONE: unknown */
    int nationality;            /* fr_country_find / fr_country_normalize index or -1 */
    const char *doc_state;      /* document issuing state code, or NULL */
    const char *doc_number;     /* document number, or NULL */
    int name_truncated;         /* 1 when the name came from a full MRZ field
                                   and its last token may be cut short; also
                                   assumed for a name with "<<" and no
                                   trailing '<' (a field filled to the end) */
} fr_screen_query;

#define FR_SCREEN_EXPLAIN 320

typedef struct fr_screen_result {
    const char *id;   /* entry id, owned by the watchlist */
    const char *list; /* entry list name, owned by the watchlist */
    size_t entry;     /* index for fr_watchlist_get */
    double score;
    fr_screen_band band;
    char explanation[FR_SCREEN_EXPLAIN]; /* which parts matched and how */
} fr_screen_result;

/* Screen one traveller: up to max results (best first, one per entry, score
 * >= FR_SCREEN_REPORT_FLOOR) into results, their number in *n. The library
 * allocates nothing (all scratch lives in the context; ICU may allocate
 * inside its transliterator for a non-ASCII name); cost bounded by the
 * posting caps, not by the list size. FR_OK, or
 * FR_EINVAL (NULL arguments, a name with no letters, or longer than 512
 * bytes). */
FR_API int fr_screen_person(fr_screen_ctx *ctx, const fr_screen_query *query,
                            fr_screen_result *results, size_t max, size_t *n);
/* 1 when the document is listed lost or stolen, 0 when not, FR_EINVAL for a
 * bad state or number. Same as fr_docindex_contains on the context's list. */
FR_API int fr_screen_document(fr_screen_ctx *ctx, const char *state, const char *number);

/* Normalise a name as the index does (transliterated to Latin, ASCII, upper
 * case, tokens separated by one space) into out (cap bytes). For tests and
 * for showing officers what was compared. FR_OK, FR_EINVAL, FR_ELIMIT. */
FR_API int fr_screen_normalise(fr_screen_ctx *ctx, const char *name, char *out, size_t cap);

FR_API const char *fr_screen_band_name(fr_screen_band b);
/* A result's explanation is English made of fixed phrases ("name 0.92
 * (primary name): WEI=WEI exact; ZANG=ZHANG phonetic; birth date matches")
 * around the names, which are upper case. The phrases, n of them (for a
 * catalogue; each is an msgid of po/es.po): */
FR_API const char *const *fr_screen_explanation_phrases(size_t *n);
/* The explanation again with each phrase replaced by word(ud, phrase) (NULL:
 * kept), the longest phrase first at each word start; names, figures and
 * punctuation as they are. FR_ELIMIT when out (cap bytes) is too short: out
 * then holds the pieces that fit. */
FR_API int fr_screen_explanation_words(const char *explanation,
                                       const char *(*word)(void *ud, const char *phrase), void *ud,
                                       char *out, size_t cap);

/* Parse a birth date as lists write it into the envelope lo..hi of its
 * dates: a point "YYYY-MM-DD", "YYYYMMDD", "YYYY-MM", "YYYY", "DD Mon YYYY"
 * or "Mon YYYY"; a range "A..B" or "A to B" of points, or "YYYY-YYYY"; "circa", "ca.",
 * "c.", "approx.", "approximately", "about" or "~" before a point or range
 * (widened by a year each side); several of these separated by ';' or '|'.
 * "" is unknown (FR_DATE_NONE). FR_OK, or FR_EPARSE/FR_ERANGE with err
 * (column within s). */
FR_API int fr_screen_parse_birth(const char *s, size_t len, fr_date *lo, fr_date *hi,
                                 fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
