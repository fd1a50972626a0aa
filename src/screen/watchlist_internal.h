/* SPDX-License-Identifier: MIT */
/* watchlist_internal.h: the watchlist's storage layout and row helpers,
 * shared by watchlist.c (container, import), watchlist_row.c (CSV header and
 * row mapping, JSON rows, birth dates) and watchlist_file.c (persistence). */
#ifndef FR_WATCHLIST_INTERNAL_H
#define FR_WATCHLIST_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "frontera/csv.h"
#include "frontera/screen.h"
#include "screen_fileio.h"

enum {
    WL_ID,
    WL_LIST,
    WL_NAME,
    WL_ALIASES,
    WL_BIRTH,
    WL_NAT,
    WL_DOCS,
    WL_REASON,
    WL_WEAK,
    WL_NFIELDS
};

typedef struct wl_ent {
    uint32_t s[WL_NFIELDS]; /* pool offsets; WL_BIRTH keeps the text as given, WL_NAT the
                               ICAO codes ('|' between) */
    fr_date lo, hi;
    int nat;
} wl_ent;

struct fr_watchlist {
    char *pool;
    size_t pool_len, pool_cap;
    wl_ent *ents;
    size_t n, cap;
    uint32_t *set; /* open addressing over (list, id); UINT32_MAX empty */
    size_t set_cap;
};

/* One row's fields as slices (not NUL-terminated), with CSV columns. */
typedef struct wl_row {
    const char *f[WL_NFIELDS];
    size_t len[WL_NFIELDS];
    int col[WL_NFIELDS];
} wl_row;

extern const char *const fr__wl_field_names[WL_NFIELDS];

/* Map the header row's columns to fields (map[field] = column or -1). */
int fr__wl_header(const fr_csv_row *row, int map[WL_NFIELDS], fr_error *err);
int fr__wl_csv_row(const fr_csv_row *row, const int map[WL_NFIELDS], wl_row *r, fr_error *err);
/* A JSON object to a row; aliases/documents/weak_aliases arrays are joined
 * with '|' into buf[0]/buf[1]/buf[2]. */
int fr__wl_json_row(json_t *obj, wl_row *r, char buf[3][4097], long line, fr_error *err);
/* Validate and append one row. The field limit is WL_FIELD_MAX bytes. */
#define WL_FIELD_MAX 4096
int fr__wl_add_row(fr_watchlist *wl, const wl_row *r, const char *list_override, long line,
                   fr_error *err);

/* ---- importers of published lists (watchlist_import.c and one file per
 * format: watchlist_un.c, watchlist_ofac.c, watchlist_eu.c, watchlist_ftm.c) */

/* One entry being assembled: every field a '|'-joined text. Values are
 * cleaned as added (control characters and '|' become spaces, spaces
 * trimmed, empty values and repeats dropped). A field that would outgrow
 * WL_FIELD_MAX is marked (over) and the entry is refused at commit. */
typedef struct wl_build {
    char buf[WL_NFIELDS][WL_FIELD_MAX + 1];
    size_t len[WL_NFIELDS];
    int over; /* the first field that overflowed, or -1 */
} wl_build;

/* Where imported entries go, and what is counted and reported. */
typedef struct wl_sink {
    fr_watchlist *wl;
    const char *list_override;
    fr_watchlist_row_error_fn cb;
    void *ud;
    fr_watchlist_counts *counts;
} wl_sink;

void fr__wl_build_reset(wl_build *b);
/* Add a value to a field ('|' between values). */
void fr__wl_build_add(wl_build *b, int field, const char *s, size_t len);
void fr__wl_build_adds(wl_build *b, int field, const char *s);
/* A note for the reason field ("; " between notes): "prefix value". */
void fr__wl_build_note(wl_build *b, const char *prefix, const char *s, size_t len);
/* A nationality as listed: its ICAO code when it names a state (code, ISO
 * alpha-3 or alpha-2 when alpha2 is set, English name), else a note. */
void fr__wl_build_nat(wl_build *b, const char *s, size_t len, int alpha2);
/* A birth date in any form fr_screen_parse_birth reads ("circa " put
 * before it when circa is set); one it cannot read becomes a note. */
void fr__wl_build_birth(wl_build *b, const char *s, size_t len, int circa);
/* A document: issuing state as listed (may be empty or unknown: then the
 * number alone), number normalised; an unusable number becomes a note. */
void fr__wl_build_doc(wl_build *b, const char *state, size_t slen, const char *number, size_t nlen,
                      int alpha2);
/* Validate and append the entry (fr__wl_add_row); a refusal is reported and
 * counted. FR_OK, or FR_ENOMEM when the import must stop. */
int fr__wl_sink_commit(wl_sink *k, wl_build *b, long line);
/* Report a refused entry. FR_OK, or FR_ENOMEM when err says so. */
int fr__wl_sink_refuse(wl_sink *k, const fr_error *err);

/* ICAO index of an ISO 3166-1 alpha-2 code (any case), or -1 (iso2.c). */
int fr__iso2_find(const char *s, size_t len);

int fr__wl_import_un(wl_sink *k, const char *data, size_t len);
int fr__wl_import_ofac_csv(wl_sink *k, const char *sdn, size_t len, const char *alt,
                           size_t alt_len);
int fr__wl_import_ofac_xml(wl_sink *k, const char *data, size_t len);
int fr__wl_import_eu(wl_sink *k, const char *data, size_t len);
int fr__wl_import_ftm(wl_sink *k, const char *data, size_t len);

#endif
