/* SPDX-License-Identifier: MIT */
/* mrz_internal.h: what the MRZ module's files share and nobody else needs.
 *
 * The five formats are described by data, not code: an mrz_layout gives,
 * for each field, the line, the 0-based column and the width (a zero width
 * means the format has no such field). The reader (mrz_parse.c) copies the
 * lines into an mrz_doc, padded with fillers to the format's width, so the
 * field readers (mrz_fields.c, mrz_dates.c, mrz_check.c) and the repairer
 * (mrz_repair.c) index fixed positions without bounds tests. */
#ifndef FR_MRZ_INTERNAL_H
#define FR_MRZ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "frontera/mrz.h"

/* A field's place: line 0..2, 0-based column, width (0 = absent). */
typedef struct mrz_span {
    uint8_t line, col, len;
} mrz_span;

typedef struct mrz_layout {
    fr_mrz_format format;
    uint8_t nlines, width;
    mrz_span code, state, name, number, number_cd, nationality, birth, birth_cd, sex, expiry,
        expiry_cd, optional, optional_cd, optional2, composite;
    mrz_span comp[4]; /* what the composite check digit covers */
    uint8_t ncomp;
    uint8_t long_number; /* number > 9 characters may continue in `optional` */
} mrz_layout;

/* The layout of a format; NULL for FR_MRZ_NONE. */
const mrz_layout *fr__mrz_layout_of(fr_mrz_format f);

/* Character classes of the MRZ alphabet. */
enum { MRZ_DIGIT = 1, MRZ_ALPHA = 2, MRZ_FILLER = 4 };
extern const uint8_t fr__mrz_class[256];
#define MRZ_IS(c, cls) ((fr__mrz_class[(unsigned char)(c)] & (cls)) != 0)

/* Widest line kept (longer input lines are cut here after a `length` finding). */
#define MRZ_LINE_BUF 64

/* Lines are padded with fillers to at least this many bytes, so whole-line
 * scans run a fixed length. */
#define MRZ_SCAN 48

/* The document being read: lines padded with '<' to the layout's width
 * (and to MRZ_SCAN); line[l][width] is not '\0' when width < MRZ_SCAN. */
typedef struct mrz_doc {
    char line[3][MRZ_LINE_BUF + 1];
    int len[3]; /* the length as read (before padding or cutting) */
    int nlines;
    const mrz_layout *lay;
    const fr_mrz_options *opt;
    int ty, tm, td; /* opt->today as year, month, day */
} mrz_doc;

/* Record a finding (line and column 1-based). The message is formatted only
 * if there is room to store it; nerrors and valid are kept up to date. */
void fr__mrz_add(fr_mrz *out, fr_mrz_code code, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The last finding recorded (NULL when the array was full): a check digit
 * finding's values go in after fr__mrz_add. */
fr_mrz_finding *fr__mrz_last(fr_mrz *out, int before);

/* Length of the n characters at s without their trailing fillers. */
static inline size_t mrz_trim(const char *s, size_t n)
{
    static const char fill8[8] = {'<', '<', '<', '<', '<', '<', '<', '<'};
    while (n >= 8 && memcmp(s + n - 8, fill8, 8) == 0)
        n -= 8;
    while (n > 0 && s[n - 1] == '<')
        n--;
    return n;
}

/* Copy n MRZ characters to dst as text, trailing fillers dropped. The
 * character-set check has already turned bytes that are not printable
 * ASCII into '?'. dst has room for n + 1. */
static inline void mrz_copy_field(char *dst, const char *src, size_t n)
{
    n = mrz_trim(src, n);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* 1 when the n characters at s are all fillers. */
static inline int mrz_all_fillers(const char *s, size_t n)
{
    return mrz_trim(s, n) == 0;
}

/* Check digit tables: value, value x 3, value x 7 of each byte. */
extern const uint8_t fr__mrz_v1[256], fr__mrz_v3[256], fr__mrz_v7[256];

/* fr_mrz_check_digit, inlined for the reader's hot path. */
static inline int mrz_cd(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned sum = 0;
    size_t i = 0;
    for (; i + 3 <= len; i += 3)
        sum += fr__mrz_v7[u[i]] + fr__mrz_v3[u[i + 1]] + fr__mrz_v1[u[i + 2]];
    if (i < len) sum += fr__mrz_v7[u[i]];
    if (i + 1 < len) sum += fr__mrz_v3[u[i + 1]];
    return (int)(sum % 10);
}

/* 1 when the code (3 characters, trailing fillers allowed) is in the ICAO
 * table, or is UTO and opt allows specimens. opt may be NULL (strict, and
 * looked up with fr_country_find). */
int fr__mrz_country_ok(const char *code, const fr_mrz_options *opt);
/* Render n bytes for a message: printable ASCII as is, others as '?'.
 * buf has room for n + 1. Returns buf. */
char *fr__mrz_show(char *buf, const char *s, size_t n);

/* mrz_fields.c: document code, states, names, number, sex, optional data. */
void fr__mrz_read_fields(const mrz_doc *doc, fr_mrz *out);
/* mrz_dates.c: a YYMMDD field; `birth` selects the century rule. */
void fr__mrz_read_date(const mrz_doc *doc, mrz_span at, int birth, fr_mrz_date *d, fr_mrz *out);
/* Century of a two-digit year, for reading and for making. */
int fr__mrz_birth_year(const mrz_doc *doc, int yy, int month, int day);
int fr__mrz_expiry_year(const mrz_doc *doc, int yy);
/* mrz_check.c: date, optional data and composite check digits (the number's
 * own check digit is read with the number in mrz_fields.c). */
void fr__mrz_check_digits(const mrz_doc *doc, fr_mrz *out);
/* Report a check digit: data at `data`, digit at cd. Returns 1 when it holds. */
int fr__mrz_check_one(const mrz_doc *doc, fr_mrz *out, fr_mrz_code code, const char *what,
                      const char *data, size_t n, mrz_span cd);
/* mrz_repair.c: fix OCR confusions in place before the fields are read. */
void fr__mrz_repair(mrz_doc *doc, fr_mrz *out);

/* The digit OCR misreads as letter c (O I B S Z G), or 0 (mrz_repair.c). */
char fr__mrz_ocr_digit(char c);

#endif
