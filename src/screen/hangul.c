/* SPDX-License-Identifier: MIT */
/* hangul.c: Korean names in Hangul to Revised Romanisation, surname apart.
 *
 * How it works: Korean names are written without a space (최영혜 is CHOE
 * Yeonghye) and ICU's Hangul-Latin is not Revised Romanisation (박 comes out
 * BAG, not BAK). Each run of Hangul syllables (U+AC00-U+D7A3) is decomposed
 * arithmetically into lead, vowel and tail jamo (Unicode 15, section 3.12)
 * and written with the Revised Romanisation tables of the National Institute
 * of the Korean Language (2000): leads g kk n d tt r m b pp s ss - j jj ch k
 * t p h, tails in final position k n t l m p ng. A run of two syllables or
 * more is cut after the surname: its first syllable, or its first two for
 * the compound surnames below. Everything else is copied as it is, for ICU.
 * Pure function: thread-safe. */
#include <string.h>

#include "screen_internal.h"

static const char *const HG_LEAD[19] = {"G",  "KK", "N", "D",  "TT", "R", "M", "B", "PP", "S",
                                        "SS", "",   "J", "JJ", "CH", "K", "T", "P", "H"};
static const char *const HG_VOWEL[21] = {"A",  "AE", "YA", "YAE", "EO", "E",  "YEO",
                                         "YE", "O",  "WA", "WAE", "OE", "YO", "U",
                                         "WO", "WE", "WI", "YU",  "EU", "UI", "I"};
static const char *const HG_TAIL[28] = {"",  "K",  "K", "K", "N", "N", "N", "T", "L", "K",
                                        "M", "L",  "L", "L", "P", "L", "M", "P", "P", "T",
                                        "T", "NG", "T", "T", "K", "T", "P", "T"};
/* Compound surnames (two syllables): 남궁 황보 제갈 선우 독고 사공 서문. */
static const unsigned HG_COMPOUND[][2] = {{0xB0A8, 0xAD81}, {0xD669, 0xBCF4}, {0xC81C, 0xAC08},
                                          {0xC120, 0xC6B0}, {0xB3C5, 0xACE0}, {0xC0AC, 0xACF5},
                                          {0xC11C, 0xBB38}};

/* The Hangul syllable at s (3 bytes of UTF-8), or 0. */
static unsigned hg_at(const char *s, size_t left)
{
    if (left < 3) return 0;
    const unsigned char *u = (const unsigned char *)s;
    if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80) return 0;
    unsigned cp = (unsigned)(u[0] & 0x0F) << 12 | (unsigned)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    return cp >= 0xAC00 && cp <= 0xD7A3 ? cp : 0;
}

static int hg_put(char *out, size_t cap, size_t *o, const char *s)
{
    size_t l = strlen(s);
    if (*o + l >= cap) return 0;
    memcpy(out + *o, s, l);
    *o += l;
    return 1;
}

size_t fr__hangul_romanise(const char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    int any = 0;
    while (i < len) {
        unsigned run[64];
        size_t n = 0;
        while (n < 64 && (run[n] = hg_at(in + i, len - i)) != 0) {
            n++;
            i += 3;
        }
        if (n == 0) {
            if (o + 1 >= cap) return 0;
            out[o++] = in[i++];
            continue;
        }
        any = 1;
        size_t sur = n >= 2 ? 1 : 0;
        for (size_t c = 0; n >= 3 && c < sizeof HG_COMPOUND / sizeof *HG_COMPOUND; c++)
            if (run[0] == HG_COMPOUND[c][0] && run[1] == HG_COMPOUND[c][1]) sur = 2;
        for (size_t k = 0; k < n; k++) {
            unsigned s = run[k] - 0xAC00;
            if (k == sur && sur && !hg_put(out, cap, &o, " ")) return 0;
            if (!hg_put(out, cap, &o, HG_LEAD[s / 588]) ||
                !hg_put(out, cap, &o, HG_VOWEL[(s % 588) / 28]) ||
                !hg_put(out, cap, &o, HG_TAIL[s % 28]))
                return 0;
        }
    }
    if (!any || o >= cap) return 0;
    out[o] = '\0';
    return o;
}
