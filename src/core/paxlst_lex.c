/* SPDX-License-Identifier: MIT */
/* paxlst_lex.c: the ISO 9735 syntax level of the PAXLST reader.
 *
 * fr__pax_lex_init finds the interchange: the first "UNA" or "UNB" that starts
 * the input or follows a line end, a space or a control character (a Type-B
 * envelope - "QK LONPPXS", ".MUCKMTS 250521", STX - is skipped that way).
 * UNA gives, in order, the component and data element separators, the
 * decimal mark, the release character, a reserved (repetition) character and
 * the segment terminator; without UNA the defaults are : + . ? and '.
 *
 * fr__pax_lex_next moves over one segment: it skips line ends (CR, LF, CRLF),
 * spaces and control characters between segments (spaces are counted for a
 * warning), reads the tag up to the first separator, then the data up to
 * the unreleased terminator, cutting elements and components into slices of
 * the input. A line end inside data is not part of the value (fixed-width
 * line wrapping); but a line end followed by what looks like a segment tag
 * ends the segment there as unterminated, so one missing terminator costs
 * one segment, not the rest of the message. Bytes outside the declared
 * character set are counted, the first one located. The cursor advances
 * only over what it has read; nothing is copied. */
#include <string.h>

#include "paxlst_internal.h"

enum { K_PLAIN = 0, K_COMP, K_ELEM, K_TERM, K_REL, K_NL, K_BAD /* plain, outside the set */ };

static uint8_t allowed_unoa[256], allowed_unob[256], allowed_unoc[256];

static const uint8_t *table_for(pax_charset cs)
{
    /* Built on first use; the contents never change, so a race writes the
     * same bytes. */
    static const char unoa_extra[] = " .,-()/='+:?!\"%&*;<>";
    if (!allowed_unoa['A']) {
        for (int c = 0; c < 256; c++) {
            int up = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     (c && strchr(unoa_extra, c) != NULL);
            allowed_unoa[c] = (uint8_t)up;
            allowed_unob[c] = (uint8_t)(c >= 0x20 && c <= 0x7e);
            allowed_unoc[c] = (uint8_t)((c >= 0x20 && c <= 0x7e) || c >= 0xa0);
        }
    }
    switch (cs) {
    case PAX_CS_UNOA:
        return allowed_unoa;
    case PAX_CS_UNOB:
        return allowed_unob;
    case PAX_CS_UNOC:
        return allowed_unoc;
    default:
        return NULL;
    }
}

/* The byte roles of lx->kind, by the same precedence the syntax gives
 * (terminator over element separator over component separator over
 * release character over line end). */
static void build_kinds(pax_lexer *lx)
{
    for (int c = 0; c < 256; c++)
        lx->kind[c] = (uint8_t)(lx->allowed && !lx->allowed[c] ? K_BAD : K_PLAIN);
    lx->kind['\n'] = K_NL;
    lx->kind['\r'] = K_NL;
    lx->kind[(unsigned char)lx->release] = K_REL;
    lx->kind[(unsigned char)lx->comp_sep] = K_COMP;
    lx->kind[(unsigned char)lx->elem_sep] = K_ELEM;
    lx->kind[(unsigned char)lx->term] = K_TERM;
}

static int is_upper_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int starts_at(const char *data, size_t len, size_t i)
{
    if (i + 3 > len) return 0;
    if (data[i] != 'U' || data[i + 1] != 'N' || (data[i + 2] != 'A' && data[i + 2] != 'B'))
        return 0;
    if (i > 0) {
        unsigned char prev = (unsigned char)data[i - 1];
        if (prev > ' ' && prev != 0x7f) return 0;
    }
    if (data[i + 2] == 'B' && i + 3 < len && is_upper_alnum(data[i + 3])) return 0;
    return 1;
}

int fr__pax_lex_init(pax_lexer *lx, const char *data, size_t len, size_t max_segment,
                     size_t *envelope)
{
    memset(lx, 0, sizeof *lx);
    lx->buf = data;
    lx->len = len;
    lx->line = 1;
    lx->max_segment = max_segment;
    lx->comp_sep = ':';
    lx->elem_sep = '+';
    lx->decimal = '.';
    lx->release = '?';
    lx->term = '\'';
    size_t i = 0;
    while (i < len && !starts_at(data, len, i))
        i++;
    *envelope = i;
    if (i >= len) return -1;
    for (size_t k = 0; k < i; k++) {
        if (data[k] == '\n' || (data[k] == '\r' && (k + 1 >= len || data[k + 1] != '\n'))) {
            lx->line++;
            lx->line_start = k + 1;
        }
    }
    lx->pos = i;
    if (data[i + 2] == 'A') {
        if (i + 9 > len) return -2;
        lx->comp_sep = data[i + 3];
        lx->elem_sep = data[i + 4];
        lx->decimal = data[i + 5];
        lx->release = data[i + 6];
        lx->term = data[i + 8];
        lx->had_una = 1;
        lx->pos = i + 9;
    }
    build_kinds(lx);
    return 0;
}

void fr__pax_lex_charset(pax_lexer *lx, const char *syntax, size_t n)
{
    lx->cs = PAX_CS_UNKNOWN;
    if (n == 4 && memcmp(syntax, "UNOA", 4) == 0) lx->cs = PAX_CS_UNOA;
    if (n == 4 && memcmp(syntax, "UNOB", 4) == 0) lx->cs = PAX_CS_UNOB;
    if (n == 4 && memcmp(syntax, "UNOC", 4) == 0) lx->cs = PAX_CS_UNOC;
    if (n == 4 && (memcmp(syntax, "UNOW", 4) == 0 || memcmp(syntax, "UNOY", 4) == 0))
        lx->cs = PAX_CS_UTF8;
    lx->allowed = table_for(lx->cs);
    build_kinds(lx);
}

static int kind_of(const pax_lexer *lx, unsigned char c)
{
    int k = lx->kind[c];
    return k == K_BAD ? K_PLAIN : k;
}

static void newline_at(pax_lexer *lx, size_t i)
{
    /* CRLF counts once: the CR of a CRLF is not a line end by itself. */
    if (lx->buf[i] == '\r' && i + 1 < lx->len && lx->buf[i + 1] == '\n') return;
    lx->line++;
    lx->line_start = i + 1;
}

/* Skip what may separate segments; 1 when a segment starts at lx->pos. */
static int skip_between(pax_lexer *lx)
{
    while (lx->pos < lx->len) {
        unsigned char c = (unsigned char)lx->buf[lx->pos];
        if (kind_of(lx, c) != K_PLAIN && kind_of(lx, c) != K_NL) return 1;
        if (c == '\n' || c == '\r') {
            newline_at(lx, lx->pos);
        } else if (c == ' ' || c == '\t') {
            if (!lx->spaces) {
                lx->space_line = lx->line;
                lx->space_column = (int)(lx->pos - lx->line_start + 1);
            }
            lx->spaces++;
        } else if (c >= 0x20 && c != 0x7f) {
            return 1;
        }
        lx->pos++;
    }
    return 0;
}

/* After a line end at i: does a segment tag (3 upper-case letters or digits
 * then a separator or terminator) start at the next non-line-end byte? */
static int tag_follows(const pax_lexer *lx, size_t i)
{
    while (i < lx->len && (lx->buf[i] == '\n' || lx->buf[i] == '\r' || lx->buf[i] == ' '))
        i++;
    if (i + 4 > lx->len) return 0;
    const char *p = lx->buf + i;
    return p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z' && is_upper_alnum(p[2]) &&
           (p[3] == lx->elem_sep || p[3] == lx->term);
}

static void bad_char(pax_lexer *lx, size_t i, unsigned char c)
{
    if (!lx->bad_chars) {
        lx->bad_line = lx->line;
        lx->bad_column = (int)(i - lx->line_start + 1);
        lx->bad_byte = c;
    }
    lx->bad_chars++;
}

static void add_comp(pax_segment *s, size_t start, size_t end, const char *buf)
{
    size_t e = s->nelem - 1;
    size_t idx = (size_t)s->first[e] + s->ncomp[e];
    if (idx >= PAX_MAX_COMPONENTS) {
        s->too_many = 1;
        return;
    }
    s->comp[idx] = (pax_slice){buf + start, end - start};
    s->ncomp[e]++;
}

static int new_elem(pax_segment *s)
{
    if (s->nelem >= PAX_MAX_ELEMENTS) {
        s->too_many = 1;
        return 0;
    }
    size_t e = s->nelem++;
    size_t used = e ? (size_t)s->first[e - 1] + s->ncomp[e - 1] : 0;
    s->first[e] = (uint16_t)(used < PAX_MAX_COMPONENTS ? used : PAX_MAX_COMPONENTS);
    s->ncomp[e] = 0;
    return 1;
}

int fr__pax_lex_next(pax_lexer *lx, pax_segment *s)
{
    if (!skip_between(lx)) return 0;
    s->tag[0] = '\0';
    s->number = ++lx->nseg;
    s->line = lx->line;
    s->column = (int)(lx->pos - lx->line_start + 1);
    s->terminated = s->released = s->too_many = s->too_long = 0;
    s->nelem = 0;
    size_t start = lx->pos, i = lx->pos;
    const size_t len = lx->len;
    const char *buf = lx->buf;
    /* the tag */
    while (i < len) {
        int k = kind_of(lx, (unsigned char)buf[i]);
        if (k == K_ELEM || k == K_TERM || k == K_COMP) break;
        if (k == K_NL && tag_follows(lx, i)) break;
        if (i - start > 8) break;
        i++;
    }
    s->rawtag = (pax_slice){buf + start, i - start};
    size_t tl = i - start;
    while (tl > 0 && buf[start + tl - 1] == ' ')
        tl--;
    if (tl == 3 && is_upper_alnum(buf[start]) && is_upper_alnum(buf[start + 1]) &&
        is_upper_alnum(buf[start + 2])) {
        memcpy(s->tag, buf + start, 3);
        s->tag[3] = '\0';
    }
    /* the data: element 0 is the tag's place, so element numbers follow the
     * standard's (element 1 is the first after the tag). */
    new_elem(s);
    add_comp(s, start, i, buf);
    size_t cstart = i;
    int in_data = 0;
    const uint8_t *kind = lx->kind;
    while (i < len) {
        /* the common case: a run of plain bytes, one table lookup each */
        while (i < len && kind[(unsigned char)buf[i]] == K_PLAIN)
            i++;
        if (i >= len) break;
        unsigned char c = (unsigned char)buf[i];
        int k = kind[c];
        if (k == K_BAD) {
            bad_char(lx, i, c);
            i++;
            continue;
        }
        if (k == K_REL) {
            s->released = 1;
            if (i + 1 < len) {
                unsigned char r = (unsigned char)buf[i + 1];
                if (kind[r] == K_BAD) bad_char(lx, i + 1, r);
            }
            i += 2;
            continue;
        }
        if (k == K_NL) {
            if (tag_follows(lx, i)) break; /* a missing terminator */
            s->released = 1;               /* the line end is dropped when copied */
            newline_at(lx, i);
            i++;
            continue;
        }
        if (in_data) add_comp(s, cstart, i, buf);
        in_data = 1;
        if (k == K_TERM) {
            s->terminated = 1;
            i++;
            break;
        }
        if (k == K_ELEM && !new_elem(s)) {
            /* too many elements: keep scanning for the terminator */
        }
        i++;
        cstart = i;
    }
    if (i > len) i = len; /* a release character as the last byte */
    if (!s->terminated && in_data) add_comp(s, cstart, i, buf);
    if (!s->terminated && !in_data && i > start) {
        /* a tag and nothing else before the end or a line break */
    }
    if (i - start > lx->max_segment) s->too_long = 1;
    lx->pos = i;
    return 1;
}

int fr__pax_lex_trailing(const pax_lexer *lx, int *line, int *col)
{
    int l = lx->line;
    size_t ls = lx->line_start;
    for (size_t i = lx->pos; i < lx->len; i++) {
        unsigned char c = (unsigned char)lx->buf[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= lx->len || lx->buf[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        } else if (c > ' ' && c != 0x7f) {
            *line = l;
            *col = (int)(i - ls + 1);
            return 1;
        }
    }
    return 0;
}

pax_slice fr__pax_get(const pax_segment *s, size_t e, size_t c)
{
    if (e >= s->nelem || c >= s->ncomp[e]) return (pax_slice){"", 0};
    return s->comp[s->first[e] + c];
}

int fr__pax_eq(pax_slice v, const char *s)
{
    size_t n = strlen(s);
    return v.n == n && memcmp(v.p, s, n) == 0;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t k;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        k = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        k = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        k = 4;
    else
        return 0;
    if (k > n) return 0;
    for (size_t j = 1; j < k; j++)
        if ((p[j] & 0xc0) != 0x80) return 0;
    if (k == 3 && p[0] == 0xe0 && p[1] < 0xa0) return 0;
    if (k == 3 && p[0] == 0xed && p[1] >= 0xa0) return 0;
    if (k == 4 && p[0] == 0xf0 && p[1] < 0x90) return 0;
    if (k == 4 && p[0] == 0xf4 && p[1] >= 0x90) return 0;
    return k;
}

int fr__pax_copy(char *dst, size_t cap, pax_slice v, char release, pax_charset cs)
{
    size_t o = 0;
    int cut = 0;
    const unsigned char *p = (const unsigned char *)v.p;
    /* the common case: printable ASCII with no release character, copied
     * as it is */
    if (v.n < cap) {
        size_t i = 0;
        while (i < v.n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != (unsigned char)release)
            i++;
        if (i == v.n) {
            memcpy(dst, p, v.n);
            dst[v.n] = '\0';
            return 0;
        }
    }
    for (size_t i = 0; i < v.n; i++) {
        unsigned char c = p[i];
        unsigned char seq[4];
        size_t k = 1;
        if (c == (unsigned char)release && i + 1 < v.n) {
            c = p[++i];
        } else if (c == '\n' || c == '\r') {
            continue;
        }
        seq[0] = c;
        if (c >= 0x80) {
            size_t u = cs == PAX_CS_UNOC ? 0 : utf8_len(p + i, v.n - i);
            if (u) {
                memcpy(seq, p + i, u);
                k = u;
                i += u - 1;
            } else if (cs == PAX_CS_UNOC && c >= 0xa0) {
                seq[0] = (unsigned char)(0xc0 | (c >> 6));
                seq[1] = (unsigned char)(0x80 | (c & 0x3f));
                k = 2;
            } else {
                seq[0] = 0xef, seq[1] = 0xbf, seq[2] = 0xbd; /* U+FFFD */
                k = 3;
            }
        } else if (c < 0x20 || c == 0x7f) {
            seq[0] = ' ';
        }
        if (o + k >= cap) {
            cut = 1;
            break;
        }
        memcpy(dst + o, seq, k);
        o += k;
    }
    if (cap) dst[o < cap ? o : cap - 1] = '\0';
    return cut;
}
