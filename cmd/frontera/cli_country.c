/* SPDX-License-Identifier: MIT */
/* cli_country.c: a nationality as the user writes it, Spanish names too,
 * and a country named in the user's language.
 *
 * The lookup and the Spanish names (ICU's for ISO regions, the generated
 * table's for XXA, EUE, UNO ...) are the http layer's, shared with the
 * server's query parameters (src/http/country_words.c). The installed
 * library stays free of locale data. */
#include "cli.h"
#include "country_words.h"
#include "frontera/country.h"

int cli_country(const char *text, size_t len)
{
    return fr__country_any(text, len);
}

const char *cli_country_name(int idx, char *buf, size_t cap)
{
    const char *en = fr_country_name(idx);
    if (cli_english()) return en;
    const char *es = fr__country_name_es(idx, buf, cap);
    return es ? es : en;
}
