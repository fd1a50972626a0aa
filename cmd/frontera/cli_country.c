/* SPDX-License-Identifier: MIT */
/* cli_country.c: a nationality as the user writes it, Spanish names too.
 *
 * The lookup (English and Spanish names, codes) is the http layer's, shared
 * with the server's query parameters (src/http/country_words.c); here, a
 * country named in the user's language (ICU's Spanish names). The installed
 * library stays free of locale data. */
#include <stdio.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "cli.h"
#include "country_words.h"
#include "frontera/country.h"

int cli_country(const char *text, size_t len)
{
    return fr__country_any(text, len);
}

const char *cli_country_name(int idx, char *buf, size_t cap)
{
    const char *code = fr_country_code(idx), *en = fr_country_name(idx);
    if (!code || cli_english() || cap == 0) return en;
    /* the ISO region of the code (D is DEU) named in Spanish by ICU; the
     * codes without a region (organisations, XXA ...) keep the table's */
    const char *iso3 = strcmp(code, "D") == 0 ? "DEU" : code;
    for (const char *const *r = uloc_getISOCountries(); *r; r++) {
        char loc[16];
        snprintf(loc, sizeof loc, "und_%s", *r);
        const char *i3 = uloc_getISO3Country(loc);
        if (!i3 || strcmp(i3, iso3) != 0) continue;
        UChar name[128];
        UErrorCode st = U_ZERO_ERROR;
        int32_t m = uloc_getDisplayCountry(loc, "es", name, 128, &st);
        if (U_FAILURE(st) || m <= 0) return en;
        st = U_ZERO_ERROR;
        u_strToUTF8(buf, (int32_t)cap, NULL, name, m, &st);
        return U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING ? buf : en;
    }
    return en;
}
