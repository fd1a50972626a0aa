/* SPDX-License-Identifier: MIT */
/* text.c: UTF-8 well-formedness (text.h) by the table of RFC 3629, section 4:
 * the lead byte fixes the length and the smallest code point, so overlong
 * forms, surrogates and values above U+10FFFF are refused in one pass. */
#include "frontera/text.h"

#include <string.h>

/* Length of the well-formed sequence at p (1..4), or 0 when it is not one. */
static size_t seq_len(const unsigned char *p, size_t left)
{
    unsigned c = p[0], cp;
    size_t n;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 1, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 2, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 3, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (left <= n) return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n + 1;
}

static int check(const char *s, size_t len, size_t *bad_at, int controls)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = seq_len(p + i, len - i);
        if (n == 0 || (!controls && p[i] < 0x20 && p[i] != '\t')) {
            if (bad_at) *bad_at = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

size_t fr_text_utf8_seq(const char *s, size_t left)
{
    return left ? seq_len((const unsigned char *)s, left) : 0;
}

int fr_text_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    return check(s, len, bad_at, 1);
}

int fr_text_ok(const char *s, size_t len, size_t *bad_at)
{
    return check(s, len, bad_at, 0);
}

void fr_text_utf8_repair(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t n = seq_len(p + i, len - i);
        if (n == 0) {
            p[i] = '?';
            n = 1;
        }
        i += n;
    }
}
