/* SPDX-License-Identifier: MIT */
/* translit.c: names in any script to upper-case ASCII tokens, with ICU.
 * (Hangul first goes through hangul.c: Revised Romanisation, surname apart.)
 *
 * How it works: pure-ASCII input (most of it) never touches ICU. Other input
 * is converted to UTF-16, run through one compound transliterator opened
 * once per fr_translit ("Russian-Latin/BGN" first so Cyrillic comes out as
 * passports write it - Khrushchev, not Hruscev -, then "Any-Latin" for Han
 * (pinyin), Arabic, Greek, Hebrew, kana ..., then "Latin-ASCII" to
 * drop diacritics), and back to UTF-8. A final ASCII pass upper-cases
 * letters, drops apostrophes (O'Brien -> OBRIEN), turns everything else
 * (MRZ '<' fillers, commas, hyphens, digits) into single spaces. A
 * transliterator is not thread-safe: one per screening context. */
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "frontera/alloc.h"
#include "screen_internal.h"

#define TL_MAX_IN 512
#define TL_UCAP (TL_MAX_IN * 4)

struct fr_translit {
    UTransliterator *tr;
    UChar ubuf[TL_UCAP];
    char u8[TL_UCAP * 3];
    char hg[TL_MAX_IN * 3 + 1]; /* the input with Hangul romanised (hangul.c) */
};

static const char TL_ID[] = "Russian-Latin/BGN; Any-Latin; Latin-ASCII";

int fr__translit_new(fr_translit **out, fr_error *err)
{
    *out = NULL;
    fr_translit *t = fr_calloc(1, sizeof *t);
    if (!t)
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory opening the transliterator");
    UChar id[64];
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(id, 64, NULL, TL_ID, -1, &st);
    if (U_SUCCESS(st)) t->tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st) || !t->tr) {
        fr_free(t);
        return fr_error_set(err, FR_EIO, 0, 0, "", "ICU cannot open the transform \"%s\": %s",
                            TL_ID, u_errorName(st));
    }
    *out = t;
    return FR_OK;
}

void fr__translit_free(fr_translit *t)
{
    if (!t) return;
    utrans_close(t->tr);
    fr_free(t);
}

static int is_alpha(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* ASCII pass; bytes >= 0x80 (left by ICU for unmapped symbols) separate. */
static int tl_ascii(const char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    int letters = 0, pending_space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\'' || c == '`') continue;
        if (is_alpha(c)) {
            if (pending_space && o > 0) {
                if (o + 1 >= cap) return FR_ELIMIT;
                out[o++] = ' ';
            }
            pending_space = 0;
            if (o + 1 >= cap) return FR_ELIMIT;
            out[o++] = (char)(c >= 'a' ? c - 32 : c);
            letters++;
        } else {
            pending_space = 1;
        }
    }
    if (cap == 0) return FR_ELIMIT;
    out[o] = '\0';
    return letters ? FR_OK : FR_EINVAL;
}

int fr__translit_name(fr_translit *t, const char *in, size_t len, char *out, size_t cap)
{
    if (!t || !in || !out) return FR_EINVAL;
    if (len > TL_MAX_IN) return FR_ELIMIT;
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] >= 0x80) {
            ascii = 0;
            break;
        }
    if (ascii) return tl_ascii(in, len, out, cap);
    size_t hl = fr__hangul_romanise(in, len, t->hg, sizeof t->hg);
    if (hl) { /* Korean: Revised Romanisation, surname apart; the rest to ICU */
        in = t->hg;
        len = hl;
        ascii = 1;
        for (size_t i = 0; i < len && ascii; i++)
            ascii = (unsigned char)in[i] < 0x80;
        if (ascii) return tl_ascii(in, len, out, cap);
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8WithSub(t->ubuf, TL_UCAP, &ulen, in, (int32_t)len, 0xFFFD, NULL, &st);
    if (U_FAILURE(st)) return FR_EINVAL;
    int32_t limit = ulen;
    utrans_transUChars(t->tr, t->ubuf, &ulen, TL_UCAP, 0, &limit, &st);
    if (U_FAILURE(st)) return st == U_BUFFER_OVERFLOW_ERROR ? FR_ELIMIT : FR_EINVAL;
    int32_t blen = 0;
    u_strToUTF8(t->u8, (int32_t)sizeof t->u8, &blen, t->ubuf, ulen, &st);
    if (U_FAILURE(st)) return FR_ELIMIT;
    return tl_ascii(t->u8, (size_t)blen, out, cap);
}

int fr__translit_is_abjad(const char *text, size_t len)
{
    /* UTF-8 lead bytes 0xD6 0x90.. and 0xD7: U+0590-U+05FF, Hebrew; 0xD8
     * to 0xDB: U+0600-U+06FF, Arabic */
    int s = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char c = (unsigned char)text[i], d = (unsigned char)text[i + 1];
        if ((c == 0xD6 && d >= 0x90) || c == 0xD7) s |= FR_SCRIPT_HEBREW;
        if (c >= 0xD8 && c <= 0xDB) s |= FR_SCRIPT_ARABIC;
    }
    return s;
}
