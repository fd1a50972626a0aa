/* SPDX-License-Identifier: MIT */
/* country.h: the ICAO Doc 9303 Part 3 table of states and organisations.
 *
 * Every place that takes a nationality or an issuing state validates it here.
 * Codes are those an MRZ carries: ISO 3166-1 alpha-3 for states, except
 * Germany ("D"), plus the special codes of Part 3 (GBD, GBN, GBO, GBP, GBS,
 * EUE, UNO, UNA, UNK, XOM, XPO, XXA, XXB, XXC, XXX, ...). The table is
 * constant data: every function is thread-safe. */
#ifndef FRONTERA_COUNTRY_H
#define FRONTERA_COUNTRY_H

#include "frontera/api.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_country_kind {
    FR_COUNTRY_STATE = 1,        /* a state or territory */
    FR_COUNTRY_ORGANISATION = 2, /* an organisation that issues documents */
    FR_COUNTRY_NATIONALITY = 3   /* a nationality status without a state: XXA, GBO ... */
} fr_country_kind;

/* Index (0..fr_country_count()-1) of the code in the len bytes at code, or -1.
 * Trailing '<' fillers (as in an MRZ: "D<<") and surrounding spaces are
 * ignored; letters must be upper case. O(log n), no allocation. */
FR_API int fr_country_find(const char *code, size_t len);
/* Same for a NUL-terminated string. */
FR_API int fr_country_find_cstr(const char *code);
/* A nationality or state as people and published lists write it outside an
 * MRZ, to its ICAO code: the ICAO code itself in any case ("chn", "D", "D<<"),
 * an ISO 3166-1 alpha-3 code where ICAO writes another (DEU -> D; XKX and
 * KOS, used for Kosovo, -> RKS), the English name in the table in any case
 * ("Germany", "united states"), or a common other English name ("United States
 * of America", "Russia", "Korea, Republic of", "Turkey", "Czech Republic",
 * "Ivory Coast", "Great Britain", ...). Surrounding spaces are ignored.
 * Returns the table index, or -1 when nothing matches. Pure, no allocation. */
FR_API int fr_country_normalize(const char *text, size_t len);

/* Number of codes in the table. */
FR_API int fr_country_count(void);
/* Code ("CHN", "D"), English name, kind of the entry at idx; NULL/0 when out of range. */
FR_API const char *fr_country_code(int idx);
FR_API const char *fr_country_name(int idx);
FR_API fr_country_kind fr_country_kind_of(int idx);

#ifdef __cplusplus
}
#endif
#endif
