/* SPDX-License-Identifier: MIT */
/* country_words.h: a country as a user writes it, in English or in Spanish,
 * for the server's query parameters and the program's options alike.
 * Library-internal (the http layer; the installed library stays free of
 * locale data). */
#ifndef FR_COUNTRY_WORDS_H
#define FR_COUNTRY_WORDS_H

#include <stddef.h>

/* The country table index (country.h) of text: fr_country_normalize (ICAO or
 * ISO alpha-3 code, English name), else a Spanish name ("Alemania", "perú",
 * "Estados Unidos", "EE. UU."; case and accents do not matter), else -1. */
int fr__country_any(const char *text, size_t len);

#endif
