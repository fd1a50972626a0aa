/* SPDX-License-Identifier: MIT */
/* mrz_table.c: the data that describes ICAO 9303 machine readable zones
 * (the five layouts, the character classes, the findings codes) and the
 * small helpers every MRZ file uses: recording a finding, copying a field,
 * the check digit, the state code test.
 *
 * Columns in the layouts are 0-based; Doc 9303 counts from 1, so "positions
 * 6-14" of the standard are {col 5, len 9} here. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"
#include "mrz_internal.h"

/* clang-format off */
#define SP(l, c, n) {(l), (c), (n)}

/* Doc 9303 Part 5 (TD1), Part 6 (TD2), Part 4 (TD3), Part 7 (MRV-A/B). */
static const mrz_layout LAYOUTS[] = {
    {.format = FR_MRZ_TD1, .nlines = 3, .width = 30,
     .code = SP(0, 0, 2), .state = SP(0, 2, 3), .number = SP(0, 5, 9), .number_cd = SP(0, 14, 1),
     .optional = SP(0, 15, 15),
     .birth = SP(1, 0, 6), .birth_cd = SP(1, 6, 1), .sex = SP(1, 7, 1), .expiry = SP(1, 8, 6),
     .expiry_cd = SP(1, 14, 1), .nationality = SP(1, 15, 3), .optional2 = SP(1, 18, 11),
     .composite = SP(1, 29, 1),
     .name = SP(2, 0, 30),
     .comp = {SP(0, 5, 25), SP(1, 0, 7), SP(1, 8, 7), SP(1, 18, 11)}, .ncomp = 4,
     .long_number = 1},
    {.format = FR_MRZ_TD2, .nlines = 2, .width = 36,
     .code = SP(0, 0, 2), .state = SP(0, 2, 3), .name = SP(0, 5, 31),
     .number = SP(1, 0, 9), .number_cd = SP(1, 9, 1), .nationality = SP(1, 10, 3),
     .birth = SP(1, 13, 6), .birth_cd = SP(1, 19, 1), .sex = SP(1, 20, 1),
     .expiry = SP(1, 21, 6), .expiry_cd = SP(1, 27, 1), .optional = SP(1, 28, 7),
     .composite = SP(1, 35, 1),
     .comp = {SP(1, 0, 10), SP(1, 13, 7), SP(1, 21, 14)}, .ncomp = 3,
     .long_number = 1},
    {.format = FR_MRZ_TD3, .nlines = 2, .width = 44,
     .code = SP(0, 0, 2), .state = SP(0, 2, 3), .name = SP(0, 5, 39),
     .number = SP(1, 0, 9), .number_cd = SP(1, 9, 1), .nationality = SP(1, 10, 3),
     .birth = SP(1, 13, 6), .birth_cd = SP(1, 19, 1), .sex = SP(1, 20, 1),
     .expiry = SP(1, 21, 6), .expiry_cd = SP(1, 27, 1), .optional = SP(1, 28, 14),
     .optional_cd = SP(1, 42, 1), .composite = SP(1, 43, 1),
     .comp = {SP(1, 0, 10), SP(1, 13, 7), SP(1, 21, 22)}, .ncomp = 3},
    {.format = FR_MRZ_MRVA, .nlines = 2, .width = 44,
     .code = SP(0, 0, 2), .state = SP(0, 2, 3), .name = SP(0, 5, 39),
     .number = SP(1, 0, 9), .number_cd = SP(1, 9, 1), .nationality = SP(1, 10, 3),
     .birth = SP(1, 13, 6), .birth_cd = SP(1, 19, 1), .sex = SP(1, 20, 1),
     .expiry = SP(1, 21, 6), .expiry_cd = SP(1, 27, 1), .optional = SP(1, 28, 16)},
    {.format = FR_MRZ_MRVB, .nlines = 2, .width = 36,
     .code = SP(0, 0, 2), .state = SP(0, 2, 3), .name = SP(0, 5, 31),
     .number = SP(1, 0, 9), .number_cd = SP(1, 9, 1), .nationality = SP(1, 10, 3),
     .birth = SP(1, 13, 6), .birth_cd = SP(1, 19, 1), .sex = SP(1, 20, 1),
     .expiry = SP(1, 21, 6), .expiry_cd = SP(1, 27, 1), .optional = SP(1, 28, 8)},
};
/* clang-format on */

const mrz_layout *fr__mrz_layout_of(fr_mrz_format f)
{
    for (size_t i = 0; i < sizeof LAYOUTS / sizeof LAYOUTS[0]; i++)
        if (LAYOUTS[i].format == f) return &LAYOUTS[i];
    return NULL;
}

#define D_ MRZ_DIGIT
#define A_ MRZ_ALPHA
const uint8_t fr__mrz_class[256] = {
    ['0'] = D_, ['1'] = D_,         ['2'] = D_, ['3'] = D_, ['4'] = D_, ['5'] = D_, ['6'] = D_,
    ['7'] = D_, ['8'] = D_,         ['9'] = D_, ['A'] = A_, ['B'] = A_, ['C'] = A_, ['D'] = A_,
    ['E'] = A_, ['F'] = A_,         ['G'] = A_, ['H'] = A_, ['I'] = A_, ['J'] = A_, ['K'] = A_,
    ['L'] = A_, ['M'] = A_,         ['N'] = A_, ['O'] = A_, ['P'] = A_, ['Q'] = A_, ['R'] = A_,
    ['S'] = A_, ['T'] = A_,         ['U'] = A_, ['V'] = A_, ['W'] = A_, ['X'] = A_, ['Y'] = A_,
    ['Z'] = A_, ['<'] = MRZ_FILLER,
};

/* Check digit values: 0-9, A=10 .. Z=35, '<' (and anything else) 0; and
 * the same times the weights 7 and 3, so a group of three characters costs
 * three table loads and two additions. */
/* clang-format off */
#define MRZ_VALUES(X)                                                                              \
    X('1', 1) X('2', 2) X('3', 3) X('4', 4) X('5', 5) X('6', 6) X('7', 7) X('8', 8) X('9', 9)     \
    X('A', 10) X('B', 11) X('C', 12) X('D', 13) X('E', 14) X('F', 15) X('G', 16) X('H', 17)       \
    X('I', 18) X('J', 19) X('K', 20) X('L', 21) X('M', 22) X('N', 23) X('O', 24) X('P', 25)       \
    X('Q', 26) X('R', 27) X('S', 28) X('T', 29) X('U', 30) X('V', 31) X('W', 32) X('X', 33)       \
    X('Y', 34) X('Z', 35)
/* clang-format on */
#define V1_(c, v) [c] = (v),
#define V3_(c, v) [c] = (v)*3,
#define V7_(c, v) [c] = (v)*7,
const uint8_t fr__mrz_v1[256] = {MRZ_VALUES(V1_)};
const uint8_t fr__mrz_v3[256] = {MRZ_VALUES(V3_)};
const uint8_t fr__mrz_v7[256] = {MRZ_VALUES(V7_)};

int fr_mrz_check_digit(const char *s, size_t len)
{
    return mrz_cd(s, len);
}

static const char *const FORMAT_NAMES[] = {NULL, "TD1", "TD2", "TD3", "MRVA", "MRVB"};

const char *fr_mrz_format_name(fr_mrz_format f)
{
    return (unsigned)f < sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0] ? FORMAT_NAMES[f] : NULL;
}

fr_mrz_format fr_mrz_format_from_name(const char *name)
{
    if (!name) return FR_MRZ_NONE;
    for (int f = FR_MRZ_TD1; f <= FR_MRZ_MRVB; f++)
        if (strcmp(name, FORMAT_NAMES[f]) == 0) return (fr_mrz_format)f;
    if (strcmp(name, "MRV-A") == 0) return FR_MRZ_MRVA;
    if (strcmp(name, "MRV-B") == 0) return FR_MRZ_MRVB;
    return FR_MRZ_NONE;
}

static const struct {
    const char *name;
    fr_mrz_level level;
} CODES[] = {
#define FR_X_ROW(e, s, l) {s, l},
    FR_MRZ_FINDING_MAP(FR_X_ROW)
#undef FR_X_ROW
};

const char *fr_mrz_code_name(fr_mrz_code c)
{
    return (unsigned)c < FR_MRZ_F_COUNT_ ? CODES[c].name : "?";
}

fr_mrz_level fr_mrz_code_level(fr_mrz_code c)
{
    return (unsigned)c < FR_MRZ_F_COUNT_ ? CODES[c].level : FR_MRZ_ERROR;
}

void fr__mrz_add(fr_mrz *out, fr_mrz_code code, int line, int col, const char *fmt, ...)
{
    /* every finding has a place: a whole zone's is line 1, column 1, a whole
     * line's its column 1 (mrz.h); a 0 would be "line 0" to an officer */
    assert(line >= 1 && line <= 3 && col >= 1);
    fr_mrz_level level = fr_mrz_code_level(code);
    if (level == FR_MRZ_ERROR) {
        out->nerrors++;
        out->valid = 0;
    }
    if (out->nfindings >= FR_MRZ_MAX_FINDINGS) {
        out->findings_overflow = 1;
        return;
    }
    fr_mrz_finding *f = &out->findings[out->nfindings++];
    f->code = code;
    f->level = level;
    f->line = line;
    f->column = col;
    f->found[0] = f->expected[0] = f->value[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
}

fr_mrz_finding *fr__mrz_last(fr_mrz *out, int before)
{
    return out->nfindings > before ? &out->findings[out->nfindings - 1] : NULL;
}

char *fr__mrz_show(char *buf, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
    return buf;
}

/* Index of a three-character code field over {A-Z, <}^3, or -1. */
static int code_index(const char *code)
{
    int idx = 0;
    for (int i = 0; i < 3; i++) {
        unsigned char c = (unsigned char)code[i];
        int v = c == '<' ? 26 : (unsigned)(c - 'A') < 26u ? c - 'A' : -1;
        if (v < 0) return -1;
        idx = idx * 27 + v;
    }
    return idx;
}

void fr_mrz_codes_init(fr_mrz_codes *codes)
{
    memset(codes->bits, 0, sizeof codes->bits);
    char code[3];
    for (int a = 0; a < 27; a++)
        for (int b = 0; b < 27; b++)
            for (int c = 0; c < 27; c++) {
                code[0] = (char)(a == 26 ? '<' : 'A' + a);
                code[1] = (char)(b == 26 ? '<' : 'A' + b);
                code[2] = (char)(c == 26 ? '<' : 'A' + c);
                if (fr_country_find(code, 3) < 0) continue;
                int idx = code_index(code);
                codes->bits[idx >> 3] |= (uint8_t)(1u << (idx & 7));
            }
}

int fr__mrz_country_ok(const char *code, const fr_mrz_options *opt)
{
    if (opt && opt->specimen && code[0] == 'U' && code[1] == 'T' && code[2] == 'O') return 1;
    int idx = code_index(code);
    if (idx < 0) return 0;
    if (opt && opt->codes) return opt->codes->bits[idx >> 3] >> (idx & 7) & 1;
    return fr_country_find(code, 3) >= 0;
}

fr_mrz_options fr_mrz_options_default(fr_date today)
{
    fr_mrz_options o;
    memset(&o, 0, sizeof o);
    o.today = today;
    return o;
}
