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

enum { WL_ID, WL_LIST, WL_NAME, WL_ALIASES, WL_BIRTH, WL_NAT, WL_DOCS, WL_REASON, WL_NFIELDS };

typedef struct wl_ent {
    uint32_t s[WL_NFIELDS]; /* pool offsets; WL_BIRTH and WL_NAT keep the text as given */
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

extern const char *const fr_wl_field_names[WL_NFIELDS];

/* Map the header row's columns to fields (map[field] = column or -1). */
int wl_header(const fr_csv_row *row, int map[WL_NFIELDS], fr_error *err);
int wl_csv_row(const fr_csv_row *row, const int map[WL_NFIELDS], wl_row *r, fr_error *err);
/* A JSON object to a row; aliases/documents arrays are joined with '|' into
 * buf[0]/buf[1]. */
int wl_json_row(json_t *obj, wl_row *r, char buf[2][4097], long line, fr_error *err);
/* Validate and append one row. */
int wl_add_row(fr_watchlist *wl, const wl_row *r, const char *list_override, long line,
               fr_error *err);

#endif
