/* SPDX-License-Identifier: MIT */
/* fuzz_watchlist_import.c: the importers of published lists (UN XML, OFAC
 * XML, EU XML, FtM JSON lines, OFAC CSV with its alt.csv). The first byte
 * picks the format (for OFAC CSV the rest is split at its first form feed
 * into sdn.csv and alt.csv). Any input must give FR_OK or an error code;
 * every reported error must lie inside the input; the counts must match the
 * watchlist; every stored birth date must parse again, every nationality be
 * a known code. Nothing may leak or print. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/country.h"
#include "frontera/screen.h"

typedef struct chk {
    long lines;
    size_t errors;
} chk;

static void on_err(void *ud, const fr_error *err)
{
    chk *c = ud;
    c->errors++;
    if (err->line < 0 || err->line > c->lines + 1 || err->column < 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const fr_watchlist_format fmts[] = {FR_WATCHLIST_UN_XML, FR_WATCHLIST_OFAC_XML,
                                               FR_WATCHLIST_EU_XML, FR_WATCHLIST_FTM,
                                               FR_WATCHLIST_OFAC_CSV};
    if (size == 0) return 0;
    fr_watchlist_format fmt = fmts[data[0] % 5];
    const char *s = (const char *)data + 1, *aux = NULL;
    size_t len = size - 1, aux_len = 0;
    chk c = {1, 0};
    for (size_t i = 0; i < len; i++)
        c.lines += s[i] == '\n';
    if (fmt == FR_WATCHLIST_OFAC_CSV) {
        const char *ff = memchr(s, '\f', len);
        if (ff) {
            aux = ff + 1;
            aux_len = len - (size_t)(aux - s);
            len = (size_t)(ff - s);
        }
    }
    fr_watchlist *wl;
    if (fr_watchlist_new(&wl) != FR_OK) return 0;
    fr_watchlist_counts n;
    fr_watchlist_import_options opt = {.list_override = data[0] & 8 ? "FUZZ" : NULL,
                                       .aux = aux,
                                       .aux_len = aux_len,
                                       .on_error = on_err,
                                       .ud = &c};
    int rc = fr_watchlist_import(wl, fmt, s, len, &opt, &n);
    if (rc != FR_OK && rc != FR_EPARSE && rc != FR_ELIMIT && rc != FR_ENOMEM) abort();
    if (fr_watchlist_count(wl) != n.accepted) abort();
    if (rc == FR_OK && c.errors != n.rejected) abort();
    for (size_t i = 0; i < fr_watchlist_count(wl); i++) {
        fr_watchlist_entry e;
        if (fr_watchlist_get(wl, i, &e) != FR_OK || !*e.id || !*e.name || !*e.list) abort();
        fr_date lo, hi;
        if (fr_screen_parse_birth(e.birth_date, strlen(e.birth_date), &lo, &hi, NULL) != FR_OK ||
            lo != e.birth_lo || hi != e.birth_hi)
            abort();
        for (const char *p = e.nationalities; *p;) {
            const char *q = strchr(p, '|');
            size_t l = q ? (size_t)(q - p) : strlen(p);
            if (fr_country_find(p, l) < 0) abort();
            p += l + (q != NULL);
        }
    }
    fr_watchlist_free(wl);
    return 0;
}
