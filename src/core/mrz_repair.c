/* SPDX-License-Identifier: MIT */
/* mrz_repair.c: opt-in repair of common OCR confusions.
 *
 * Scanners confuse O/0, I/1, B/8, S/5, Z/2 and G/6. Where the format fixes
 * the kind of character a position holds, a wrong-kind character from those
 * pairs has exactly one reading: a date or check digit position holds
 * digits (so 'O' there is 0), a state code, the document code or a name holds
 * letters (so '0' there is O). Each field is one candidate: all its wrong-kind
 * characters are replaced together, and the candidate is kept only when the
 * field then passes what covers it: its check digit (dates, the number's and
 * the personal number's check digits, the composite, tried last), the code
 * table (states), the allowed codes (document code), or, for names, which no
 * check digit covers, that no digit is left. Otherwise the line is restored
 * and the ordinary findings report the field.
 *
 * Alphanumeric fields (document number, optional data) are never changed:
 * there either reading is legal, and a check digit modulo 10 would accept
 * one wrong guess in ten. */
#include <string.h>

#include "mrz_internal.h"

/* The digit an OCR engine misreads as this letter (O->0, I->1, B->8, S->5,
 * Z->2, G->6), or 0. Shared with the date reader, which names the digit in
 * its finding. */
char fr__mrz_ocr_digit(char c)
{
    switch (c) {
    case 'O':
        return '0';
    case 'I':
        return '1';
    case 'B':
        return '8';
    case 'S':
        return '5';
    case 'Z':
        return '2';
    case 'G':
        return '6';
    default:
        return 0;
    }
}

static char to_letter(char c)
{
    switch (c) {
    case '0':
        return 'O';
    case '1':
        return 'I';
    case '8':
        return 'B';
    case '5':
        return 'S';
    case '2':
        return 'Z';
    case '6':
        return 'G';
    default:
        return 0;
    }
}

typedef struct change {
    uint8_t line, col;
    char from, to;
} change;

typedef struct cand {
    change ch[48];
    int n;
} cand;

/* Replace wrong-kind characters of a span in place, remembering each. */
static void apply(mrz_doc *doc, mrz_span sp, int want_digits, cand *c)
{
    char *s = doc->line[sp.line] + sp.col;
    for (int i = 0; i < sp.len; i++) {
        char r = want_digits ? fr__mrz_ocr_digit(s[i]) : to_letter(s[i]);
        if (!r || c->n >= (int)(sizeof c->ch / sizeof c->ch[0])) continue;
        c->ch[c->n++] = (change){sp.line, (uint8_t)(sp.col + i), s[i], r};
        s[i] = r;
    }
}

static void undo(mrz_doc *doc, const cand *c)
{
    for (int i = c->n - 1; i >= 0; i--)
        doc->line[c->ch[i].line][c->ch[i].col] = c->ch[i].from;
}

static void report(fr_mrz *out, const cand *c, const char *what, const char *why)
{
    for (int i = 0; i < c->n; i++)
        fr__mrz_add(out, FR_MRZ_F_REPAIR_APPLIED, c->ch[i].line + 1, c->ch[i].col + 1,
                    "Read '%c' at line %d, column %d as '%c': the %s %s.", c->ch[i].from,
                    c->ch[i].line + 1, c->ch[i].col + 1, c->ch[i].to, what, why);
    out->repairs += c->n;
}

static int cd_holds(const mrz_doc *doc, const char *data, size_t n, mrz_span cd)
{
    char c = doc->line[cd.line][cd.col];
    return c >= '0' && c <= '9' && c - '0' == fr_mrz_check_digit(data, n);
}

static const char *at(const mrz_doc *doc, mrz_span sp)
{
    return doc->line[sp.line] + sp.col;
}

/* A digit field and its check digit. */
static void repair_checked(mrz_doc *doc, fr_mrz *out, mrz_span data, mrz_span cd,
                           int data_is_digits, const char *what)
{
    cand c = {.n = 0};
    if (data_is_digits) apply(doc, data, 1, &c);
    apply(doc, cd, 1, &c);
    if (!c.n) return;
    int ok = cd_holds(doc, at(doc, data), data.len, cd);
    if (ok && data_is_digits)
        for (int i = 0; i < data.len; i++)
            if (!MRZ_IS(at(doc, data)[i], MRZ_DIGIT | MRZ_FILLER)) ok = 0;
    if (!ok) {
        undo(doc, &c);
        return;
    }
    report(out, &c, what,
           data_is_digits ? "holds only digits, and its check digit then holds"
                          : "is a digit, and it then holds");
}

static void repair_country(mrz_doc *doc, fr_mrz *out, mrz_span sp, const char *what)
{
    if (fr__mrz_country_ok(at(doc, sp), doc->opt)) return;
    cand c = {.n = 0};
    apply(doc, sp, 0, &c);
    if (!c.n) return;
    if (!fr__mrz_country_ok(at(doc, sp), doc->opt)) {
        undo(doc, &c);
        return;
    }
    report(out, &c, what, "holds only letters, and the code is then a known one");
}

static void repair_code(mrz_doc *doc, fr_mrz *out)
{
    const char *allowed = doc->lay->format == FR_MRZ_TD3 ? "P"
                          : doc->lay->format == FR_MRZ_MRVA || doc->lay->format == FR_MRZ_MRVB
                              ? "V"
                              : "IAC";
    cand c = {.n = 0};
    apply(doc, doc->lay->code, 0, &c);
    if (!c.n) return;
    const char *s = at(doc, doc->lay->code);
    if (!MRZ_IS(s[0], MRZ_ALPHA) || !strchr(allowed, s[0]) ||
        !MRZ_IS(s[1], MRZ_ALPHA | MRZ_FILLER)) {
        undo(doc, &c);
        return;
    }
    report(out, &c, "document code", "holds only letters, and the code is then valid");
}

static void repair_name(mrz_doc *doc, fr_mrz *out)
{
    mrz_span sp = doc->lay->name;
    cand c = {.n = 0};
    apply(doc, sp, 0, &c);
    if (!c.n) return;
    for (int i = 0; i < sp.len; i++)
        if (MRZ_IS(at(doc, sp)[i], MRZ_DIGIT)) {
            undo(doc, &c);
            return;
        }
    report(out, &c, "name", "holds only letters (no check digit covers names)");
}

static void repair_composite(mrz_doc *doc, fr_mrz *out)
{
    const mrz_layout *lay = doc->lay;
    char buf[64];
    size_t n = 0;
    cand c = {.n = 0};
    apply(doc, lay->composite, 1, &c);
    if (!c.n) return;
    for (int i = 0; i < lay->ncomp; i++) {
        memcpy(buf + n, at(doc, lay->comp[i]), lay->comp[i].len);
        n += lay->comp[i].len;
    }
    if (!cd_holds(doc, buf, n, lay->composite)) {
        undo(doc, &c);
        return;
    }
    report(out, &c, "composite check digit", "is a digit, and it then holds");
}

void fr__mrz_repair(mrz_doc *doc, fr_mrz *out)
{
    const mrz_layout *lay = doc->lay;
    repair_code(doc, out);
    repair_country(doc, out, lay->state, "issuing state");
    repair_country(doc, out, lay->nationality, "nationality");
    repair_name(doc, out);
    /* The number is alphanumeric: only its check digit can be repaired, and
     * not in the long-number form, whose check digit is a filler. */
    if (at(doc, lay->number_cd)[0] != '<')
        repair_checked(doc, out, lay->number, lay->number_cd, 0, "document number check digit");
    repair_checked(doc, out, lay->birth, lay->birth_cd, 1, "date of birth");
    repair_checked(doc, out, lay->expiry, lay->expiry_cd, 1, "date of expiry");
    if (lay->optional_cd.len) {
        mrz_span o = lay->optional, cd = lay->optional_cd;
        cand c = {.n = 0};
        apply(doc, cd, 1, &c);
        if (c.n) {
            int ok = mrz_all_fillers(at(doc, o), o.len) ? at(doc, cd)[0] == '0'
                                                        : cd_holds(doc, at(doc, o), o.len, cd);
            if (ok)
                report(out, &c, "personal number check digit", "is a digit, and it then holds");
            else
                undo(doc, &c);
        }
    }
    if (lay->composite.len) repair_composite(doc, out);
}
