/* country.c: lookup in the ICAO 9303 code table (src/country_table.inc,
 * generated, sorted by code). Binary search over constant data. */
#include "frontera/country.h"

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

int fr_country_find(const char *code, size_t len)
{
    if (!code) return -1;
    while (len > 0 && code[0] == ' ') code++, len--;
    while (len > 0 && (code[len - 1] == '<' || code[len - 1] == ' ')) len--;
    if (len == 0 || len > 3) return -1;
    char key[4] = {0};
    for (size_t i = 0; i < len; i++) {
        if (code[i] < 'A' || code[i] > 'Z') return -1;
        key[i] = code[i];
    }
    int lo = 0, hi = NROWS - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(TABLE[mid].code, key);
        if (c == 0) return mid;
        if (c < 0)
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
