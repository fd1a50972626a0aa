/* SPDX-License-Identifier: MIT */
/* paxlst_internal.h: what the PAXLST reader's files share.
 *
 * paxlst_lex.c is the ISO 9735 syntax level: it finds the interchange (after
 * any envelope), reads the UNA service string advice and moves a cursor over
 * the input one segment at a time, cutting each into element and component
 * slices without copying (a slice may still hold release characters; the
 * value is unescaped when it is copied out). paxlst_read.c gives the
 * segments their PAXLST meaning. */
#ifndef FR_PAXLST_INTERNAL_H
#define FR_PAXLST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/paxlst.h"

#define PAX_MAX_ELEMENTS 40
#define PAX_MAX_COMPONENTS 160 /* over the whole segment */

typedef struct pax_slice {
    const char *p;
    size_t n;
} pax_slice;

/* Character sets the lexer can check. */
typedef enum pax_charset {
    PAX_CS_UNKNOWN = 0, /* not checked */
    PAX_CS_UNOA,
    PAX_CS_UNOB,
    PAX_CS_UNOC,
    PAX_CS_UTF8 /* UNOW, UNOY */
} pax_charset;

typedef struct pax_segment {
    char tag[4];      /* 3 characters, NUL-terminated ("" when unreadable) */
    pax_slice rawtag; /* as written */
    long number;      /* 1-based from the first segment after UNA */
    int line, column; /* where the tag starts */
    int terminated;   /* ended with the segment terminator (not end of input) */
    int released;     /* some value holds a release character */
    int too_many;     /* elements or components beyond the limits were dropped */
    int too_long;     /* longer than the options allow */
    size_t nelem;
    uint16_t first[PAX_MAX_ELEMENTS]; /* index of the element's first component */
    uint16_t ncomp[PAX_MAX_ELEMENTS];
    pax_slice comp[PAX_MAX_COMPONENTS];
} pax_segment;

typedef struct pax_lexer {
    const char *buf;
    size_t len, pos;
    int line;
    size_t line_start;
    long nseg;
    char comp_sep, elem_sep, decimal, release, term;
    int had_una;
    size_t max_segment;
    pax_charset cs;
    const uint8_t *allowed; /* 256 flags for cs, NULL: not checked */
    uint8_t kind[256];      /* each byte's role (separators, line end, plain, plain but
                               outside cs): built from the separators and cs, so the scan
                               does one lookup per byte */
    /* characters outside the set since the caller last looked */
    long bad_chars;
    int bad_line, bad_column;
    unsigned char bad_byte;
    int spaces; /* spaces or tabs between segments since the caller last looked */
    int space_line, space_column;
} pax_lexer;

/* Start a lexer over data: skip any envelope before UNA/UNB and read UNA.
 * Returns 0, or -1 when no UNA or UNB is found (not EDIFACT), or -2 when
 * the UNA is cut short; *envelope gets the bytes skipped. */
int fr__pax_lex_init(pax_lexer *lx, const char *data, size_t len, size_t max_segment,
                     size_t *envelope);
/* Set the character set (from UNB S001). */
void fr__pax_lex_charset(pax_lexer *lx, const char *syntax, size_t n);
/* The next segment; 1 with one, 0 at the end of the input (only
 * whitespace, line ends and control characters left). */
int fr__pax_lex_next(pax_lexer *lx, pax_segment *seg);
/* At the end: 1 when something other than line ends, spaces and control
 * characters follows position pos; *line, *col say where. */
int fr__pax_lex_trailing(const pax_lexer *lx, int *line, int *col);

/* Component c (0-based) of element e (0-based); an empty slice when absent. */
pax_slice fr__pax_get(const pax_segment *s, size_t e, size_t c);
/* Copy a value out, unescaped and as UTF-8 (cs says how to read bytes >=
 * 0x80), NUL-terminated, cut at a character boundary to fit cap. Returns 1
 * when it was cut, else 0. */
int fr__pax_copy(char *dst, size_t cap, pax_slice v, char release, pax_charset cs);
/* Does slice v equal the C string s? */
int fr__pax_eq(pax_slice v, const char *s);

#endif
