/* SPDX-License-Identifier: MIT */
/* mrz_fields.c: the MRZ fields that are not dates or plain check digits:
 * document code, issuing state, name, document number (with its check digit
 * and the long-number form of TD1/TD2), nationality, sex, optional data.
 *
 * Names (Doc 9303 Part 3, 4.6): the primary identifier (surname) runs up to
 * the first "<<", the secondary identifier (given names) follows; single
 * fillers separate name components and become single spaces. A name field
 * without a trailing filler is full: the name may have been truncated, which
 * is a note, not an error. */
#include <stdio.h>
#include <string.h>

#include "mrz_internal.h"

#define AT(doc, sp) ((doc)->line[(sp).line] + (sp).col)

static void read_code(const mrz_doc *doc, fr_mrz *out)
{
    const char *s = AT(doc, doc->lay->code);
    const char *first;
    const char *what;
    switch (doc->lay->format) {
    case FR_MRZ_TD3:
        first = "P", what = "a passport (TD3) must begin with P";
        break;
    case FR_MRZ_MRVA:
    case FR_MRZ_MRVB:
        first = "V", what = "a visa must begin with V";
        break;
    default:
        first = "IAC", what = "an identity card (TD1, TD2) must begin with I, A or C";
        break;
    }
    char shown[3];
    if (!MRZ_IS(s[0], MRZ_ALPHA) || !strchr(first, s[0]))
        fr__mrz_add(out, FR_MRZ_F_DOCUMENT_CODE, 1, 1,
                    "The document code '%s' is not valid here: %s.", fr__mrz_show(shown, s, 2),
                    what);
    else if (!MRZ_IS(s[1], MRZ_ALPHA | MRZ_FILLER))
        fr__mrz_add(out, FR_MRZ_F_DOCUMENT_CODE, 1, 2,
                    "The second character of the document code '%s' must be a letter or '<'.",
                    fr__mrz_show(shown, s, 2));
    mrz_copy_field(out->document_code, s, 2);
}

/* `known` is -1 to look the code up, else the answer for the same code. */
static int read_country(const mrz_doc *doc, fr_mrz *out, mrz_span sp, char dst[4], fr_mrz_code code,
                        const char *what, int known)
{
    const char *s = AT(doc, sp);
    mrz_copy_field(dst, s, 3);
    int ok = known >= 0 ? known : fr__mrz_country_ok(s, doc->opt);
    if (ok) return 1;
    char shown[4];
    int before = out->nfindings;
    if (mrz_all_fillers(s, 3))
        fr__mrz_add(out, code, sp.line + 1, sp.col + 1, "The %s code is missing (only fillers).",
                    what);
    else
        fr__mrz_add(out, code, sp.line + 1, sp.col + 1,
                    "The %s code '%s' is not in the ICAO 9303 list of states and organisations.",
                    what, fr__mrz_show(shown, s, 3));
    fr_mrz_finding *f = fr__mrz_last(out, before);
    if (f && !mrz_all_fillers(s, 3)) /* the code as read, for a sentence in another language */
        snprintf(f->value, sizeof f->value, "%s", shown);
    return 0;
}

/* Copy name characters [from, to) with runs of fillers as single spaces. */
static void copy_name(char *dst, const char *s, int from, int to)
{
    int k = 0;
    while (from < to && s[from] == '<')
        from++;
    for (int i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '<') {
            if (k > 0 && dst[k - 1] != ' ') dst[k++] = ' ';
            continue;
        }
        dst[k++] = (char)c;
    }
    if (k > 0 && dst[k - 1] == ' ') k--;
    dst[k] = '\0';
}

static void read_name(const mrz_doc *doc, fr_mrz *out)
{
    mrz_span sp = doc->lay->name;
    const char *s = AT(doc, sp);
    int n = sp.len, line = sp.line + 1;
    int end = (int)mrz_trim(s, (size_t)n);
    if (end == 0) {
        fr__mrz_add(out, FR_MRZ_F_NAME, line, sp.col + 1, "The name field is empty.");
        return;
    }
    int sep = -1, digit = -1;
    for (int i = 0; i < end; i++) {
        if (s[i] == '<') {
            if (sep < 0 && s[i + 1] == '<') sep = i;
        } else if (digit < 0 && MRZ_IS(s[i], MRZ_DIGIT)) {
            digit = i;
        }
    }
    if (digit >= 0)
        fr__mrz_add(out, FR_MRZ_F_NAME, line, sp.col + digit + 1,
                    "The name has the digit '%c' at line %d, column %d; names hold only letters "
                    "(a misread letter, such as 0 for O?).",
                    s[digit], line, sp.col + digit + 1);
    if (s[0] == '<')
        fr__mrz_add(out, FR_MRZ_F_NAME, line, sp.col + 1,
                    "The name field begins with a filler: the primary identifier (surname) is "
                    "missing.");
    if (sep < 0) {
        copy_name(out->surname, s, 0, end);
        out->given_names[0] = '\0';
    } else {
        copy_name(out->surname, s, 0, sep);
        copy_name(out->given_names, s, sep + 2, end);
    }
    if (end == n) {
        out->name_truncated = 1;
        fr__mrz_add(out, FR_MRZ_F_NAME_TRUNCATED, line, sp.col + n,
                    "The name fills the whole field, so it may have been truncated: compare it "
                    "with the name printed on the document.");
    }
}

/* The document number and its check digit. Returns how many characters of
 * the optional data the long-number form used. */
static int read_number(const mrz_doc *doc, fr_mrz *out)
{
    const mrz_layout *lay = doc->lay;
    const char *s = AT(doc, lay->number);
    mrz_span cd = lay->number_cd;
    char c = *AT(doc, cd);
    int used = 0;
    if (c == '<' && lay->long_number && !memchr(s, '<', 9)) {
        /* Doc 9303 Part 5 4.2.2 note j / Part 6: a number of more than 9
         * characters continues in the optional data, followed by its check
         * digit and a filler. */
        const char *o = AT(doc, lay->optional);
        int k = 0;
        while (k < lay->optional.len && o[k] != '<')
            k++;
        if (k == 0) {
            fr__mrz_add(out, FR_MRZ_F_CD_DOCUMENT_NUMBER, cd.line + 1, cd.col + 1,
                        "The document number's check digit (line %d, column %d) is a filler, "
                        "which means the number continues in the optional data, but the optional "
                        "data is empty there: the check digit is missing.",
                        cd.line + 1, cd.col + 1);
            mrz_copy_field(out->document_number, s, 9);
        } else {
            char num[FR_MRZ_NUMBER_MAX + 1];
            memcpy(num, s, 9);
            memcpy(num + 9, o, (size_t)(k - 1));
            mrz_span ext = {lay->optional.line, (uint8_t)(lay->optional.col + k - 1), 1};
            fr__mrz_check_one(doc, out, FR_MRZ_F_CD_DOCUMENT_NUMBER, "document number", num,
                              (size_t)(9 + k - 1), ext);
            mrz_copy_field(out->document_number, num, (size_t)(9 + k - 1));
            used = k < lay->optional.len ? k + 1 : k;
        }
        return used;
    }
    mrz_copy_field(out->document_number, s, 9);
    if (mrz_all_fillers(s, 9))
        fr__mrz_add(out, FR_MRZ_F_DOCUMENT_NUMBER, lay->number.line + 1, lay->number.col + 1,
                    "The document number is empty.");
    if (c == '<' && lay->long_number)
        fr__mrz_add(out, FR_MRZ_F_CD_DOCUMENT_NUMBER, cd.line + 1, cd.col + 1,
                    "The document number's check digit (line %d, column %d) is a filler, which "
                    "is allowed only for a number longer than 9 characters, but this number is "
                    "shorter.",
                    cd.line + 1, cd.col + 1);
    else
        fr__mrz_check_one(doc, out, FR_MRZ_F_CD_DOCUMENT_NUMBER, "document number", s, 9, cd);
    return 0;
}

static void read_sex(const mrz_doc *doc, fr_mrz *out)
{
    mrz_span sp = doc->lay->sex;
    char c = *AT(doc, sp);
    out->sex = c;
    if (c == 'M' || c == 'F' || c == 'X' || c == '<') return;
    fr__mrz_add(out, FR_MRZ_F_SEX, sp.line + 1, sp.col + 1,
                "The sex field (line %d, column %d) holds '%c'; it must be M, F, X or < "
                "(unspecified).",
                sp.line + 1, sp.col + 1, out->sex);
}

void fr__mrz_read_fields(const mrz_doc *doc, fr_mrz *out)
{
    const mrz_layout *lay = doc->lay;
    read_code(doc, out);
    int state_ok = read_country(doc, out, lay->state, out->issuing_state, FR_MRZ_F_ISSUING_STATE,
                                "issuing state", -1);
    if (lay->format == FR_MRZ_TD1) {
        int used = read_number(doc, out);
        mrz_copy_field(out->optional_data, AT(doc, lay->optional) + used,
                       (size_t)(lay->optional.len - used));
    }
    fr__mrz_read_date(doc, lay->birth, 1, &out->birth_date, out);
    read_sex(doc, out);
    fr__mrz_read_date(doc, lay->expiry, 0, &out->expiry_date, out);
    /* Most documents are issued by the holder's state: look it up once. */
    int same = memcmp(AT(doc, lay->state), AT(doc, lay->nationality), 3) == 0;
    read_country(doc, out, lay->nationality, out->nationality, FR_MRZ_F_NATIONALITY, "nationality",
                 same ? state_ok : -1);
    if (lay->format != FR_MRZ_TD1) {
        int used = read_number(doc, out);
        mrz_copy_field(out->optional_data, AT(doc, lay->optional) + used,
                       (size_t)(lay->optional.len - used));
    } else {
        mrz_copy_field(out->optional_data_2, AT(doc, lay->optional2), lay->optional2.len);
    }
    read_name(doc, out);
}
