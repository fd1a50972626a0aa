/* SPDX-License-Identifier: MIT */
/* country_words.h: a country as a user writes it, in English or in Spanish,
 * for the server's query parameters and the program's options alike, and a
 * country's name in Spanish for the program's lists.
 * Library-internal (the http layer; the installed library stays free of
 * locale data). */
#ifndef FR_COUNTRY_WORDS_H
#define FR_COUNTRY_WORDS_H

#include <stddef.h>

/* The country table index (country.h) of text: fr_country_normalize (ICAO or
 * ISO alpha-3 code, English name), else a Spanish name ("Alemania", "perú",
 * "Estados Unidos", "EE. UU.", "Unión Europea", any name
 * fr__country_name_es gives; case and accents do not matter), else -1. */
int fr__country_any(const char *text, size_t len);

/* The Spanish name (UTF-8) of the country table index idx: a static string
 * for the ICAO codes that are no ISO region (XXA "Persona apátrida
 * (Convención de 1954)", EUE "Unión Europea", ...), else ICU's name of the
 * region written into buf (cap bytes). NULL when idx is not in the table, or
 * the name is missing or longer than buf. Thread-safe. */
const char *fr__country_name_es(int idx, char *buf, size_t cap);

#endif
