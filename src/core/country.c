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

/* Codes and names that are not the table's own but are written for a state
 * outside an MRZ: ISO 3166 alpha-3 where ICAO differs, user-assigned codes,
 * and the usual English short and long forms of names the table words
 * otherwise. Compared case-insensitively. */
static const struct {
    const char *text;
    const char *icao;
} ALIASES[] = {
    {"DEU", "D"},
    {"XKX", "RKS"},
    {"KOS", "RKS"},
    {"UNITED STATES OF AMERICA", "USA"},
    {"US", "USA"},
    {"RUSSIA", "RUS"},
    {"KOREA, REPUBLIC OF", "KOR"},
    {"REPUBLIC OF KOREA", "KOR"},
    {"KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF", "PRK"},
    {"DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "PRK"},
    {"IRAN, ISLAMIC REPUBLIC OF", "IRN"},
    {"IRAN (ISLAMIC REPUBLIC OF)", "IRN"},
    {"SYRIAN ARAB REPUBLIC", "SYR"},
    {"LAO PEOPLE'S DEMOCRATIC REPUBLIC", "LAO"},
    {"VIET NAM", "VNM"},
    {"BOLIVIA (PLURINATIONAL STATE OF)", "BOL"},
    {"VENEZUELA (BOLIVARIAN REPUBLIC OF)", "VEN"},
    {"VENEZUELA, BOLIVARIAN REPUBLIC OF", "VEN"},
    {"TANZANIA, UNITED REPUBLIC OF", "TZA"},
    {"UNITED REPUBLIC OF TANZANIA", "TZA"},
    {"MOLDOVA, REPUBLIC OF", "MDA"},
    {"REPUBLIC OF MOLDOVA", "MDA"},
    {"TURKEY", "TUR"},
    {"CZECH REPUBLIC", "CZE"},
    {"IVORY COAST", "CIV"},
    {"COTE D'IVOIRE", "CIV"},
    {"DEMOCRATIC REPUBLIC OF THE CONGO", "COD"},
    {"CONGO, DEMOCRATIC REPUBLIC OF THE", "COD"},
    {"REPUBLIC OF THE CONGO", "COG"},
    {"GREAT BRITAIN", "GBR"},
    {"UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "GBR"},
    {"MACEDONIA", "MKD"},
    {"THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA", "MKD"},
    {"PALESTINE", "PSE"},
    {"STATE OF PALESTINE", "PSE"},
    {"MICRONESIA (FEDERATED STATES OF)", "FSM"},
    {"HOLY SEE", "VAT"},
    {"VATICAN", "VAT"},
    {"CHINA, PEOPLE'S REPUBLIC OF", "CHN"},
    {"PEOPLE'S REPUBLIC OF CHINA", "CHN"},
    {"TAIWAN, PROVINCE OF CHINA", "TWN"},
    /* as the OFAC SDN list writes them */
    {"KOREA, NORTH", "PRK"},
    {"NORTH KOREA", "PRK"},
    {"KOREA, SOUTH", "KOR"},
    {"SOUTH KOREA", "KOR"},
    {"BURMA", "MMR"},
    {"THE GAMBIA", "GMB"},
    {"GAMBIA, THE", "GMB"},
    {"THE BAHAMAS", "BHS"},
    {"BAHAMAS, THE", "BHS"},
    {"PALESTINIAN", "PSE"},
    {"WEST BANK", "PSE"},
};

static int ascii_upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Equal ignoring ASCII case; the table's names may hold UTF-8 (Åland, Türkiye),
 * compared byte for byte. */
static int same_text(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && b[i]; i++)
        if (ascii_upper((unsigned char)a[i]) != ascii_upper((unsigned char)b[i])) return 0;
    return i == alen && b[i] == '\0';
}

int fr_country_normalize(const char *text, size_t len)
{
    if (!text) return -1;
    while (len > 0 && text[0] == ' ')
        text++, len--;
    while (len > 0 && text[len - 1] == ' ')
        len--;
    if (len == 0 || len > 80) return -1;
    if (len <= 3 || (len > 3 && text[3] == '<')) {
        char up[4] = {0};
        size_t n = 0;
        for (; n < len && n < 3 && text[n] != '<'; n++)
            up[n] = (char)ascii_upper((unsigned char)text[n]);
        int i = fr_country_find(up, n);
        if (i >= 0 && (n == len || text[n] == '<')) return i;
    }
    for (size_t a = 0; a < sizeof ALIASES / sizeof ALIASES[0]; a++)
        if (same_text(text, len, ALIASES[a].text)) return fr_country_find_cstr(ALIASES[a].icao);
    for (int i = 0; i < NROWS; i++)
        if (same_text(text, len, TABLE[i].name)) return i;
    return -1;
}
