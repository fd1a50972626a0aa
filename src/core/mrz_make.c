/* SPDX-License-Identifier: MIT */
/* mrz_make.c: fr_mrz_make, the MRZ writer.
 *
 * It fills the lines of the chosen format with fillers, writes each field at
 * its place from the layout table (the same one the reader uses, so the two
 * cannot disagree), computes every check digit and refuses, with the field
 * named, anything the reader would flag: an unknown state, a character
 * outside the MRZ alphabet, a field too long, a date whose two-digit year
 * would be read back in another century. Names are normalised (upper case,
 * accented Latin letters transliterated as Doc 9303 recommends, spaces and
 * hyphens to fillers, apostrophes dropped) and cut at the field's end when
 * too long. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mrz_internal.h"

typedef struct maker {
    char line[3][MRZ_LINE_BUF + 1];
    const mrz_layout *lay;
    const fr_mrz_options *opt;
    fr_error *err;
} maker;

static char *at(maker *m, mrz_span sp)
{
    return m->line[sp.line] + sp.col;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
make_error(maker *m, const char *field, const char *fmt, ...)
{
    /* the format itself goes to the error, so a program can say it in
     * another language (status.h) */
    va_list ap;
    va_start(ap, fmt);
    int rc = fr_error_setv(m->err, FR_EINVAL, 0, 0, field, fmt, ap);
    va_end(ap);
    return rc;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Copy an alphanumeric field (A-Z, 0-9, '<'; lower case raised). */
static int put_text(maker *m, const char *field, const char *v, mrz_span sp, int letters_only)
{
    size_t n = strlen(v);
    if (n > sp.len) {
        char lim[48];
        snprintf(lim, sizeof lim, "%s (at most %d characters)", v, sp.len);
        return make_error(m, field, "'%s' is too long for this format.", lim);
    }
    char *d = at(m, sp);
    for (size_t i = 0; i < n; i++) {
        char c = upper(v[i]);
        if (c == ' ') c = '<';
        if (!MRZ_IS(c, MRZ_ALPHA | MRZ_FILLER | (letters_only ? 0 : MRZ_DIGIT)))
            return make_error(m, field,
                              letters_only ? "'%s' may hold only letters A-Z."
                                           : "'%s' may hold only letters A-Z, digits and '<'.",
                              v);
        d[i] = c;
    }
    return FR_OK;
}

static int put_country(maker *m, const char *field, const char *v, mrz_span sp)
{
    int rc = put_text(m, field, v, sp, 1);
    if (rc) return rc;
    if (!fr__mrz_country_ok(at(m, sp), m->opt))
        return make_error(m, field, "'%s' is not an ICAO 9303 state or organisation code.", v);
    return FR_OK;
}

/* Doc 9303 Part 3 section 6's recommended transliterations of the Latin
 * letters U+00C0..U+017F ("" for the two signs among them, x and /): marks
 * dropped (JOSE, MUNOZ, PENA), the letters that stand for two written as two
 * (AE for A-umlaut and the AE ligature, AA for A-ring, OE for O-umlaut, O-slash
 * and the OE ligature, UE for U-umlaut, SS, TH, IJ). Its alternatives (A for
 * A-umlaut, NXX for N-tilde) are not used: N, as Spanish passports write it. */
static const char *const latin_to_mrz[0x180 - 0xC0] = {
    "A", "A", "A",  "A",  "AE", "AA", "AE", "C", "E",  "E", "E", "E", "I",  "I", "I",  "I",
    "D", "N", "O",  "O",  "O",  "O",  "OE", "",  "OE", "U", "U", "U", "UE", "Y", "TH", "SS",
    "A", "A", "A",  "A",  "AE", "AA", "AE", "C", "E",  "E", "E", "E", "I",  "I", "I",  "I",
    "D", "N", "O",  "O",  "O",  "O",  "OE", "",  "OE", "U", "U", "U", "UE", "Y", "TH", "Y",
    "A", "A", "A",  "A",  "A",  "A",  "C",  "C", "C",  "C", "C", "C", "C",  "C", "D",  "D",
    "D", "D", "E",  "E",  "E",  "E",  "E",  "E", "E",  "E", "E", "E", "G",  "G", "G",  "G",
    "G", "G", "G",  "G",  "H",  "H",  "H",  "H", "I",  "I", "I", "I", "I",  "I", "I",  "I",
    "I", "I", "IJ", "IJ", "J",  "J",  "K",  "K", "K",  "L", "L", "L", "L",  "L", "L",  "L",
    "L", "L", "L",  "N",  "N",  "N",  "N",  "N", "N",  "N", "N", "N", "O",  "O", "O",  "O",
    "O", "O", "OE", "OE", "R",  "R",  "R",  "R", "R",  "R", "S", "S", "S",  "S", "S",  "S",
    "S", "S", "T",  "T",  "T",  "T",  "T",  "T", "U",  "U", "U", "U", "U",  "U", "U",  "U",
    "U", "U", "U",  "U",  "W",  "W",  "Y",  "Y", "Y",  "Z", "Z", "Z", "Z",  "Z", "Z",  "S",
};

/* The letters a UTF-8 sequence at p stands for in an MRZ, or NULL; *used is
 * the sequence's length. */
static const char *latin_letter(const char *p, int *used)
{
    unsigned char b0 = (unsigned char)p[0], b1 = (unsigned char)p[1];
    if (b0 < 0xC3 || b0 > 0xC5 || (b1 & 0xC0) != 0x80) return NULL;
    unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
    const char *t = latin_to_mrz[cp - 0xC0];
    *used = 2;
    return *t ? t : NULL;
}

/* Append a name part: letters kept (raised), accented Latin letters
 * transliterated, spaces and hyphens to single fillers, apostrophes
 * dropped. */
static int name_part(maker *m, const char *field, const char *v, char *buf, int *k, int cap)
{
    for (const char *p = v; *p; p++) {
        char c = upper(*p);
        if (c == '\'') continue;
        int used;
        const char *t = latin_letter(p, &used);
        if (t) {
            for (; *t && *k < cap - 2; t++)
                buf[(*k)++] = *t;
            p += used - 1;
            if (*k >= cap - 2) break;
            continue;
        }
        if (c == ' ' || c == '-' || c == '<') {
            if (*k > 0 && buf[*k - 1] != '<') buf[(*k)++] = '<';
        } else if (MRZ_IS(c, MRZ_ALPHA)) {
            buf[(*k)++] = c;
        } else {
            return make_error(m, field,
                              "'%s' has a character an MRZ cannot hold; transliterate it to Latin "
                              "letters first (Doc 9303 Part 3 transliterates only accented Latin "
                              "letters).",
                              v);
        }
        if (*k >= cap - 2) break;
    }
    while (*k > 0 && buf[*k - 1] == '<')
        (*k)--;
    return FR_OK;
}

static int put_name(maker *m, const fr_mrz *in)
{
    char buf[160];
    int k = 0;
    int rc = name_part(m, "surname", in->surname, buf, &k, 80);
    if (rc) return rc;
    if (k == 0) return make_error(m, "surname", "The surname (primary identifier) is required.");
    int before = k;
    buf[k++] = '<';
    buf[k++] = '<';
    rc = name_part(m, "given_names", in->given_names, buf, &k, 160);
    if (rc) return rc;
    if (k == before + 2) k = before; /* no given names */
    mrz_span sp = m->lay->name;
    int w = sp.len;
    if (k > w && buf[w - 1] == '<') {
        /* Cut at a separator: a truncated name must end with a letter
         * (Doc 9303 Part 3), so keep the next component's initial and
         * shorten the one before to make room. */
        int s0 = buf[w - 2] == '<' ? w - 2 : w - 1;
        int seplen = buf[s0 + 1] == '<' ? 2 : 1;
        char initial = buf[s0 + seplen];
        memset(buf + w - 1 - seplen, '<', (size_t)seplen);
        buf[w - 1] = initial;
    }
    memcpy(at(m, sp), buf, (size_t)(k < w ? k : w));
    return FR_OK;
}

static void put2(char *s, int v)
{
    s[0] = (char)('0' + v / 10);
    s[1] = (char)('0' + v % 10);
}

static int put_date(maker *m, const char *field, const fr_mrz_date *d, mrz_span sp, int birth)
{
    char *s = at(m, sp);
    if (birth && d->kind == FR_MRZ_DATE_UNKNOWN) return FR_OK; /* six fillers */
    int full = d->kind == FR_MRZ_DATE_FULL;
    if (!(full || (birth && d->kind == FR_MRZ_DATE_PARTIAL)) || d->year < 1 || d->year > 9999 ||
        d->month < 0 || d->month > 12 || d->day < 0 ||
        d->day > (d->month ? fr_date_days_in_month(d->year, d->month) : 31) ||
        (full && (d->month == 0 || d->day == 0)))
        return make_error(
            m, field,
            birth ? "The date of birth is not a date (YYYY-MM-DD, or YYYY-MM / YYYY "
                    "when the day or month is unknown)."
                  : "The date of expiry is missing or is not a full date (YYYY-MM-DD).");
    if (m->opt && m->opt->today != FR_DATE_NONE) {
        mrz_doc doc;
        memset(&doc, 0, sizeof doc);
        doc.opt = m->opt;
        fr_date_to_ymd(m->opt->today, &doc.ty, &doc.tm, &doc.td);
        int y = birth ? fr__mrz_birth_year(&doc, d->year % 100, d->month, d->day)
                      : fr__mrz_expiry_year(&doc, d->year % 100);
        if (y != d->year)
            return make_error(m, field,
                              birth
                                  ? "The year %d cannot be written with two digits: it would be "
                                    "read as a date in another century (a birth date cannot be in "
                                    "the future or 100 years or more in the past)."
                                  : "The year %d cannot be written with two digits: it would be "
                                    "read in another century (see the expiry window in "
                                    "docs/mrz.md).",
                              d->year);
    }
    put2(s, d->year % 100);
    if (d->month) put2(s + 2, d->month); /* else "<<": unknown */
    if (d->day) put2(s + 4, d->day);
    return FR_OK;
}

static void put_cd(maker *m, mrz_span data, mrz_span cd)
{
    *at(m, cd) = (char)('0' + fr_mrz_check_digit(at(m, data), data.len));
}

/* The number, its check digit and the optional data (they share room in
 * the long-number form). */
static int put_number(maker *m, const fr_mrz *in)
{
    const mrz_layout *lay = m->lay;
    const char *v = in->document_number;
    size_t n = strlen(v), on = strlen(in->optional_data);
    if (n == 0) return make_error(m, "document_number", "The document number is required.");
    if (v[n - 1] == '<' || v[n - 1] == ' ')
        return make_error(m, "document_number", "'%s' must not end with a filler or space.", v);
    for (size_t i = 0; i < n; i++) {
        char c = upper(v[i]);
        if (!MRZ_IS(c, MRZ_ALPHA | MRZ_DIGIT | (n <= 9 ? MRZ_FILLER : 0)))
            return make_error(m, "document_number",
                              n <= 9 ? "'%s' may hold only letters A-Z, digits and '<'."
                                     : "'%s' may hold only letters A-Z and digits.",
                              v);
    }
    if (n <= 9) {
        for (size_t i = 0; i < n; i++)
            at(m, lay->number)[i] = upper(v[i]);
        put_cd(m, lay->number, lay->number_cd);
        return put_text(m, "optional_data", in->optional_data, lay->optional, 0);
    }
    size_t room = lay->optional.len;
    if (!lay->long_number || n - 9 + 1 > room)
        return make_error(m, "document_number",
                          lay->long_number ? "'%s' is too long even for the long-number form."
                                           : "'%s' is longer than 9 characters, which only TD1 and "
                                             "TD2 can hold.",
                          v);
    if (on && n - 9 + 2 + on > room)
        return make_error(m, "optional_data",
                          "'%s' does not fit beside the long document number in the optional data.",
                          in->optional_data);
    char num[FR_MRZ_NUMBER_MAX + 1];
    for (size_t i = 0; i < n; i++)
        num[i] = upper(v[i]);
    memcpy(at(m, lay->number), num, 9);
    *at(m, lay->number_cd) = '<';
    char *o = at(m, lay->optional);
    memcpy(o, num + 9, n - 9);
    o[n - 9] = (char)('0' + fr_mrz_check_digit(num, n));
    if (!on) return FR_OK;
    mrz_span rest = {lay->optional.line, (uint8_t)(lay->optional.col + n - 9 + 2),
                     (uint8_t)(room - (n - 9 + 2))};
    return put_text(m, "optional_data", in->optional_data, rest, 0);
}

static int put_all(maker *m, const fr_mrz *in)
{
    const mrz_layout *lay = m->lay;
    int rc;
    const char *code = in->document_code[0]        ? in->document_code
                       : lay->format == FR_MRZ_TD3 ? "P"
                       : lay->format == FR_MRZ_MRVA || lay->format == FR_MRZ_MRVB ? "V"
                                                                                  : "I";
    const char *first = lay->format == FR_MRZ_TD3                                  ? "P"
                        : lay->format == FR_MRZ_MRVA || lay->format == FR_MRZ_MRVB ? "V"
                                                                                   : "IAC";
    if ((rc = put_text(m, "document_code", code, lay->code, 1))) return rc;
    if (*at(m, lay->code) == '<' || !strchr(first, *at(m, lay->code)))
        return make_error(m, "document_code", "'%s' is not a document code this format may carry.",
                          code);
    if ((rc = put_country(m, "issuing_state", in->issuing_state, lay->state))) return rc;
    if ((rc = put_name(m, in))) return rc;
    if ((rc = put_number(m, in))) return rc;
    if ((rc = put_country(m, "nationality", in->nationality, lay->nationality))) return rc;
    if ((rc = put_date(m, "birth_date", &in->birth_date, lay->birth, 1))) return rc;
    char sex = in->sex ? in->sex : '<';
    if (sex != 'M' && sex != 'F' && sex != 'X' && sex != '<') {
        char s[2] = {sex, '\0'};
        return make_error(m, "sex", "'%s' is not a sex the MRZ knows: use M, F, X or <.", s);
    }
    *at(m, lay->sex) = sex;
    if ((rc = put_date(m, "expiry_date", &in->expiry_date, lay->expiry, 0))) return rc;
    if (lay->optional2.len) {
        if ((rc = put_text(m, "optional_data_2", in->optional_data_2, lay->optional2, 0)))
            return rc;
    } else if (in->optional_data_2[0]) {
        return make_error(m, "optional_data_2",
                          "Only TD1 cards have a second optional data field.");
    }
    put_cd(m, lay->birth, lay->birth_cd);
    put_cd(m, lay->expiry, lay->expiry_cd);
    if (lay->optional_cd.len) {
        if (mrz_all_fillers(at(m, lay->optional), lay->optional.len))
            *at(m, lay->optional_cd) = '<';
        else
            put_cd(m, lay->optional, lay->optional_cd);
    }
    if (lay->composite.len) {
        char buf[64];
        size_t n = 0;
        for (int i = 0; i < lay->ncomp; i++) {
            memcpy(buf + n, at(m, lay->comp[i]), lay->comp[i].len);
            n += lay->comp[i].len;
        }
        *at(m, lay->composite) = (char)('0' + fr_mrz_check_digit(buf, n));
    }
    return FR_OK;
}

int fr_mrz_make(const fr_mrz *in, const fr_mrz_options *opt, char out[FR_MRZ_TEXT_MAX],
                fr_error *err)
{
    if (!out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "No output buffer.");
    out[0] = '\0';
    if (!in) return fr_error_set(err, FR_EINVAL, 0, 0, "", "No fields to write.");
    maker m;
    m.lay = fr__mrz_layout_of(in->format);
    m.opt = opt;
    m.err = err;
    if (!m.lay)
        return fr_error_set(err, FR_EINVAL, 0, 0, "format",
                            "The format must be TD1, TD2, TD3, MRVA or MRVB.");
    for (int l = 0; l < m.lay->nlines; l++) {
        memset(m.line[l], '<', m.lay->width);
        m.line[l][m.lay->width] = '\0';
    }
    int rc = put_all(&m, in);
    if (rc) return rc;
    size_t k = 0;
    for (int l = 0; l < m.lay->nlines; l++) {
        memcpy(out + k, m.line[l], m.lay->width);
        k += m.lay->width;
        out[k++] = '\n';
    }
    out[k] = '\0';
    fr_error_clear(err);
    return FR_OK;
}
