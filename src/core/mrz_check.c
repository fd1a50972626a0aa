/* SPDX-License-Identifier: MIT */
/* mrz_check.c: the check digits of the dates, of the optional data (TD3
 * personal number) and the composite check digit.
 *
 * Doc 9303 Part 3, 4.9: weights 7, 3, 1 repeated; digits count as
 * themselves, A-Z as 10-35, the filler '<' as 0; the digit is the sum modulo
 * 10. A check digit position must hold a digit, with one exception (Part 4):
 * when the TD3 personal number is all fillers its check digit may be '<' or
 * 0. The composite digit covers the number, birth, expiry and optional data
 * fields with their own check digits, exactly as the layout lists them. */
#include <stdio.h>
#include <string.h>

#include "mrz_internal.h"

/* The values of the check digit finding just added (see fr_mrz_finding). */
static void cd_values(fr_mrz *out, int before, const char *found, const char *expected,
                      const char *value)
{
    fr_mrz_finding *f = fr__mrz_last(out, before);
    if (!f) return;
    /* cut to the finding's fields (a composite's data is longer); the
     * precision says so to gcc -O3's -Wformat-truncation */
    snprintf(f->found, sizeof f->found, "%.*s", (int)sizeof f->found - 1, found);
    snprintf(f->expected, sizeof f->expected, "%.*s", (int)sizeof f->expected - 1, expected);
    snprintf(f->value, sizeof f->value, "%.*s", (int)sizeof f->value - 1, value);
}

int fr__mrz_check_one(const mrz_doc *doc, fr_mrz *out, fr_mrz_code code, const char *what,
                      const char *data, size_t n, mrz_span cd)
{
    char c = doc->line[cd.line][cd.col];
    int want = mrz_cd(data, n);
    if (c >= '0' && c <= '9' && c - '0' == want) return 1;
    char shown[64], cs[2];
    if (n > sizeof shown - 1) n = sizeof shown - 1;
    fr__mrz_show(shown, data, n);
    fr__mrz_show(cs, &c, 1);
    int before = out->nfindings;
    char ws[4];
    snprintf(ws, sizeof ws, "%d", want);
    if (c >= '0' && c <= '9')
        fr__mrz_add(out, code, cd.line + 1, cd.col + 1,
                    "The check digit of the %s (line %d, column %d) is %c, but %s gives %d: the "
                    "field or its check digit was misread or altered.",
                    what, cd.line + 1, cd.col + 1, c, shown, want);
    else
        fr__mrz_add(out, code, cd.line + 1, cd.col + 1,
                    "The check digit of the %s (line %d, column %d) is '%s', not a digit; %s "
                    "gives %d.",
                    what, cd.line + 1, cd.col + 1, cs, shown, want);
    cd_values(out, before, cs, ws, shown);
    return 0;
}

static void check_span(const mrz_doc *doc, fr_mrz *out, fr_mrz_code code, const char *what,
                       mrz_span data, mrz_span cd)
{
    fr__mrz_check_one(doc, out, code, what, doc->line[data.line] + data.col, data.len, cd);
}

static void check_personal_number(const mrz_doc *doc, fr_mrz *out)
{
    mrz_span o = doc->lay->optional, cd = doc->lay->optional_cd;
    const char *s = doc->line[o.line] + o.col;
    char c = doc->line[cd.line][cd.col];
    if (mrz_all_fillers(s, o.len)) {
        if (c == '<' || c == '0') return;
        char cs[2], shown[64];
        int before = out->nfindings;
        fr__mrz_add(out, FR_MRZ_F_CD_OPTIONAL_DATA, cd.line + 1, cd.col + 1,
                    "The personal number is empty, so its check digit (line %d, column %d) must "
                    "be '<' or 0, not '%s'.",
                    cd.line + 1, cd.col + 1, fr__mrz_show(cs, &c, 1));
        size_t n = o.len < sizeof shown - 1 ? o.len : sizeof shown - 1;
        cd_values(out, before, cs, "<", fr__mrz_show(shown, s, n));
        return;
    }
    check_span(doc, out, FR_MRZ_F_CD_OPTIONAL_DATA, "personal number", o, cd);
}

void fr__mrz_check_digits(const mrz_doc *doc, fr_mrz *out)
{
    const mrz_layout *lay = doc->lay;
    /* A date made only of fillers (unknown birth date) still has a check
     * digit: fillers count 0, so it is 0. */
    check_span(doc, out, FR_MRZ_F_CD_BIRTH_DATE, "date of birth", lay->birth, lay->birth_cd);
    check_span(doc, out, FR_MRZ_F_CD_EXPIRY_DATE, "date of expiry", lay->expiry, lay->expiry_cd);
    if (lay->optional_cd.len) check_personal_number(doc, out);
    if (!lay->composite.len) return;
    char buf[64];
    size_t n = 0;
    for (int i = 0; i < lay->ncomp; i++) {
        mrz_span sp = lay->comp[i];
        memcpy(buf + n, doc->line[sp.line] + sp.col, sp.len);
        n += sp.len;
    }
    mrz_span cd = lay->composite;
    char c = doc->line[cd.line][cd.col];
    int want = mrz_cd(buf, n);
    if (c >= '0' && c <= '9' && c - '0' == want) return;
    char cs[2], ws[4];
    fr__mrz_show(cs, &c, 1);
    snprintf(ws, sizeof ws, "%d", want);
    int before = out->nfindings;
    fr__mrz_add(out, FR_MRZ_F_CD_COMPOSITE, cd.line + 1, cd.col + 1,
                "The composite check digit (line %d, column %d) is '%s', but the fields it covers "
                "give %d: some character of the document number, dates or optional data was "
                "misread or altered.",
                cd.line + 1, cd.col + 1, cs, want);
    cd_values(out, before, cs, ws, "");
}
