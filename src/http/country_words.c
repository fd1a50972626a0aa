/* SPDX-License-Identifier: MIT */
/* country_words.c: a country as the user writes it, Spanish names too
 * (country_words.h).
 *
 * The library knows the ICAO codes, ISO alpha-3 codes and English names
 * (fr_country_normalize). Ecuador's officers and analysts write "Alemania",
 * "Perú" or "Estados Unidos": ICU's locale data names every ISO 3166 region
 * in Spanish, so a name the library does not know is compared with those
 * (an "es" collator at primary strength: case and accents do not matter,
 * "peru" is "Perú"), and the region's alpha-3 code goes back through the
 * library (DEU -> D). The server's query parameters and the program's
 * options use it alike. */
#include <stdio.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "country_words.h"
#include "frontera/country.h"

static int spanish_name(const char *text, size_t len)
{
    UChar in[128];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (len == 0 || len > 80) return -1;
    u_strFromUTF8(in, 128, &n, text, (int32_t)len, &st);
    if (U_FAILURE(st)) return -1;
    UCollator *coll = ucol_open("es", &st);
    if (U_FAILURE(st)) return -1;
    ucol_setStrength(coll, UCOL_PRIMARY);
    int found = -1;
    for (const char *const *r = uloc_getISOCountries(); *r && found < 0; r++) {
        char loc[16];
        UChar name[128];
        snprintf(loc, sizeof loc, "und_%s", *r);
        st = U_ZERO_ERROR;
        int32_t m = uloc_getDisplayCountry(loc, "es", name, 128, &st);
        if (U_FAILURE(st) || m <= 0) continue;
        if (ucol_strcoll(coll, in, n, name, m) != UCOL_EQUAL) continue;
        const char *iso3 = uloc_getISO3Country(loc);
        if (iso3 && *iso3) found = fr_country_normalize(iso3, strlen(iso3));
    }
    ucol_close(coll);
    return found;
}

/* "EE. UU.", "EEUU", "ee.uu.": how Spanish writes the United States. */
static int spanish_usa(const char *text, size_t len)
{
    char k[8];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == ' ' || ch == '.') continue;
        if (n == sizeof k - 1) return 0;
        k[n++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    k[n] = '\0';
    return strcmp(k, "EEUU") == 0;
}

int fr__country_any(const char *text, size_t len)
{
    int c = fr_country_normalize(text, len);
    if (c >= 0) return c;
    if (spanish_usa(text, len)) return fr_country_find_cstr("USA");
    while (len > 0 && text[0] == ' ')
        text++, len--;
    while (len > 0 && text[len - 1] == ' ')
        len--;
    return spanish_name(text, len);
}
