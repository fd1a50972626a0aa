/* SPDX-License-Identifier: MIT */
/* country.c: lookup in the ICAO 9303 code table (src/country_table.inc,
 * generated, sorted by code). Binary search over constant data. */
#include "frontera/country.h"

#include <stdint.h>
#include <string.h>

typedef struct {
    const char *code;
    const char *name;
    fr_country_kind kind;
} country_row;

static const country_row TABLE[] = {
#include "country_table.inc"
};
#define NROWS ((int)(sizeof TABLE / sizeof TABLE[0]))

/* A code packed into an integer, first letter highest: for upper-case codes
 * of one to three letters this orders exactly as strcmp does, so the binary
 * search compares integers instead of strings (it runs on every MRZ). */
static uint32_t pack(const char *s)
{
    uint32_t k = (uint32_t)(unsigned char)s[0] << 16;
    if (s[1]) k |= (uint32_t)(unsigned char)s[1] << 8 | (unsigned char)s[2];
    return k;
}

int fr_country_find(const char *code, size_t len)
{
    if (!code) return -1;
    while (len > 0 && code[0] == ' ')
        code++, len--;
    while (len > 0 && (code[len - 1] == '<' || code[len - 1] == ' '))
        len--;
    if (len == 0 || len > 3) return -1;
    char key[4] = {0};
    for (size_t i = 0; i < len; i++) {
        if (code[i] < 'A' || code[i] > 'Z') return -1;
        key[i] = code[i];
    }
    const uint32_t k = pack(key);
    int lo = 0, hi = NROWS - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        uint32_t m = pack(TABLE[mid].code);
        if (m == k) return mid;
        if (m < k)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int fr_country_find_cstr(const char *code)
{
    return code ? fr_country_find(code, strlen(code)) : -1;
}

int fr_country_count(void)
{
    return NROWS;
}

const char *fr_country_code(int idx)
{
    return idx >= 0 && idx < NROWS ? TABLE[idx].code : NULL;
}

const char *fr_country_name(int idx)
{
    return idx >= 0 && idx < NROWS ? TABLE[idx].name : NULL;
}

fr_country_kind fr_country_kind_of(int idx)
{
    return idx >= 0 && idx < NROWS ? TABLE[idx].kind : (fr_country_kind)0;
}
