/* SPDX-License-Identifier: MIT */
/* mrz_parse.c: fr_mrz_parse, the reader's driver.
 *
 * It cuts the text into lines (\n or \r\n, trailing blanks and blank lines
 * ignored, a lone 90/72/88-character line split as a scanner that dropped
 * the newlines would have read it), decides the format from the number and
 * length of the lines and the first letter of the document code, copies the
 * lines into an mrz_doc padded with fillers to the format's width, then runs
 * the optional repair pass, the character-set check, the field readers and
 * the check digits. Nothing here allocates; a valid document formats no
 * message. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mrz_internal.h"

/* Cut text into at most 4 trimmed, non-blank lines (the 4th only to notice
 * that there are too many). Returns the number of lines found (may be > 4). */
static int split_lines(const char *text, size_t len, const char *ptr[4], int n[4])
{
    int count = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        const char *nl = memchr(text + i, '\n', len - i);
        i = nl ? (size_t)(nl - text) : len;
        size_t end = i;
        if (i < len) i++; /* the '\n' */
        while (end > start &&
               (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t'))
            end--;
        if (end == start) continue;
        if (count < 4) {
            ptr[count] = text + start;
            n[count] = end - start > 100000 ? 100000 : (int)(end - start);
        }
        count++;
    }
    return count;
}

/* A finding about the whole zone (no line or column of its own) is placed at
 * line 1, column 1, where the officer starts reading, so that every program
 * (the CLI's JSON, the admission reasons, the booth page) gives the same
 * place and none says "line 0" (mrz.h, docs/mrz.md "Findings"). */
static fr_mrz_format pick_format(int nlines, const int n[4], const char *first, fr_mrz *out)
{
    if (nlines == 0) {
        fr__mrz_add(out, FR_MRZ_F_FORMAT, 1, 1, "There is no MRZ text to read.");
        return FR_MRZ_NONE;
    }
    if (nlines > 3) {
        fr__mrz_add(out, FR_MRZ_F_FORMAT, 1, 1,
                    "The text has %d lines; an MRZ has 2 (passports, visas, TD2 cards) or 3 "
                    "(TD1 cards). Separate documents with a blank line.",
                    nlines);
        return FR_MRZ_NONE;
    }
    if (nlines == 1) {
        fr__mrz_add(
            out, FR_MRZ_F_FORMAT, 1, 1,
            "Only one line of %d characters was read; an MRZ has 2 or 3 lines (or 90, 72 or "
            "88 characters without line breaks). Rescan the whole zone.",
            n[0]);
        return FR_MRZ_NONE;
    }
    if (nlines == 3) return FR_MRZ_TD1;
    int widest = n[0] > n[1] ? n[0] : n[1];
    if (widest <= 32) {
        fr__mrz_add(out, FR_MRZ_F_FORMAT, 1, 1,
                    "Two lines of about 30 characters were read; a TD1 card has three lines. "
                    "A line is missing: rescan the whole zone.");
        return FR_MRZ_NONE;
    }
    int visa = first[0] == 'V';
    if (widest >= 40) return visa ? FR_MRZ_MRVA : FR_MRZ_TD3;
    return visa ? FR_MRZ_MRVB : FR_MRZ_TD2;
}

static void copy_lines(mrz_doc *doc, const char *ptr[4], const int n[4], fr_mrz *out)
{
    int w = doc->lay->width;
    for (int l = 0; l < doc->nlines; l++) {
        int k = n[l] < w ? n[l] : w;
        memcpy(doc->line[l], ptr[l], (size_t)k);
        if (k < MRZ_SCAN) memset(doc->line[l] + k, '<', (size_t)(MRZ_SCAN - k));
        doc->line[l][MRZ_SCAN] = '\0';
        doc->len[l] = n[l];
        if (n[l] != w) {
            int before = out->nfindings;
            fr__mrz_add(out, FR_MRZ_F_LENGTH, l + 1, n[l] < w ? n[l] + 1 : w + 1,
                        "Line %d has %d characters; a %s line has %d. Characters were %s, so the "
                        "fields after the gap may be shifted: rescan the document.",
                        l + 1, n[l], fr_mrz_format_name(doc->lay->format), w,
                        n[l] < w ? "dropped" : "added");
            fr_mrz_finding *f = fr__mrz_last(out, before);
            if (f) { /* the counts, for a sentence in another language */
                snprintf(f->value, sizeof f->value, "%d", n[l]);
                snprintf(f->expected, sizeof f->expected, "%d", w < 999 ? w : 999);
            }
        }
    }
}

/* 1 when the MRZ_SCAN bytes at s are all in the MRZ alphabet: eight bytes
 * at a time (SWAR). For a 7-bit byte v, v + (0x80 - lo) has its high bit
 * set exactly when v >= lo, and no carry crosses into the next byte; a word
 * with any 8-bit byte is rejected outright, so carries there do not matter.
 * The slow search below finds what is wrong. */
static int clean_line(const unsigned char *s)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
    uint64_t bad = 0;
    for (int i = 0; i < MRZ_SCAN; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t ge30 = x + ones * (0x80 - 0x30), gt39 = x + ones * (0x7f - 0x39);
        uint64_t ge41 = x + ones * (0x80 - 0x41), gt5a = x + ones * (0x7f - 0x5a);
        uint64_t ne3c = (x ^ (ones * 0x3c)) + ones * 0x7f;
        uint64_t ok = (ge30 & ~gt39) | (ge41 & ~gt5a) | ~ne3c;
        bad |= (~ok & high) | (x & high);
    }
    return bad == 0;
}

/* One `charset` finding per line: the first offending byte and the count. */
static void check_charset(mrz_doc *doc, fr_mrz *out)
{
    int w = doc->lay->width;
    for (int l = 0; l < doc->nlines; l++) {
        unsigned char *s = (unsigned char *)doc->line[l];
        if (clean_line(s)) continue;
        int bad = 0, first = -1;
        unsigned char c = 0;
        for (int i = 0; i < w; i++)
            if (!fr__mrz_class[s[i]]) {
                if (first < 0) first = i, c = s[i];
                bad++;
                /* From here on fields copy bytes as they are: keep them
                 * printable (the finding has shown the byte). */
                if (s[i] < 0x20 || s[i] > 0x7e) s[i] = '?';
            }
        if (!bad) continue; /* cannot happen: clean_line and the table agree */
        char shown[16];
        if (c >= 0x20 && c < 0x7f)
            snprintf(shown, sizeof shown, "'%c'", c);
        else
            snprintf(shown, sizeof shown, "byte 0x%02X", c);
        fr__mrz_add(out, FR_MRZ_F_CHARSET, l + 1, first + 1,
                    "Line %d has %d character%s outside the MRZ alphabet (A-Z, 0-9, <), the first, "
                    "%s, at column %d.",
                    l + 1, bad, bad == 1 ? "" : "s", shown, first + 1);
    }
}

/* Findings in reading order (line, then column), stable. */
static void sort_findings(fr_mrz *out)
{
    for (int i = 1; i < out->nfindings; i++) {
        fr_mrz_finding f = out->findings[i];
        int j = i;
        while (j > 0 &&
               (out->findings[j - 1].line > f.line ||
                (out->findings[j - 1].line == f.line && out->findings[j - 1].column > f.column))) {
            out->findings[j] = out->findings[j - 1];
            j--;
        }
        out->findings[j] = f;
    }
}

static void clear_result(fr_mrz *out)
{
    out->format = FR_MRZ_NONE;
    out->document_code[0] = out->issuing_state[0] = out->surname[0] = '\0';
    out->given_names[0] = out->document_number[0] = out->nationality[0] = '\0';
    out->optional_data[0] = out->optional_data_2[0] = '\0';
    out->birth_date = (fr_mrz_date){FR_MRZ_DATE_INVALID, 0, 0, 0, FR_DATE_NONE};
    out->expiry_date = out->birth_date;
    out->sex = '\0';
    out->name_truncated = out->repairs = 0;
    out->valid = 1;
    out->nerrors = out->nfindings = out->findings_overflow = 0;
}

int fr_mrz_parse(const char *text, size_t len, const fr_mrz_options *opt, fr_mrz *out)
{
    if (!text || !opt || !out || opt->today == FR_DATE_NONE) return FR_EINVAL;
    if (opt->today < FR_DATE_MIN || opt->today > FR_DATE_MAX) return FR_EINVAL;
    if (opt->expiry_years < 0 || opt->expiry_years > 99) return FR_EINVAL;
    clear_result(out);

    const char *ptr[4];
    int n[4];
    int nlines = split_lines(text, len, ptr, n);
    /* A scanner that drops the newlines: one line of exactly 3x30, 2x36, 2x44. */
    if (nlines == 1 && (n[0] == 90 || n[0] == 72 || n[0] == 88)) {
        int w = n[0] == 90 ? 30 : n[0] / 2;
        nlines = n[0] / w;
        for (int l = nlines - 1; l >= 0; l--)
            ptr[l] = ptr[0] + l * w, n[l] = w;
    }
    fr_mrz_format f = pick_format(nlines, n, nlines ? ptr[0] : "", out);
    if (f == FR_MRZ_NONE) return FR_EPARSE;

    mrz_doc doc;
    doc.lay = fr__mrz_layout_of(f);
    doc.nlines = doc.lay->nlines;
    doc.opt = opt;
    fr_date_to_ymd(opt->today, &doc.ty, &doc.tm, &doc.td);
    out->format = f;
    copy_lines(&doc, ptr, n, out);

    if (opt->repair) fr__mrz_repair(&doc, out);
    check_charset(&doc, out);
    fr__mrz_read_fields(&doc, out);
    fr__mrz_check_digits(&doc, out);
    if (out->nfindings > 1) sort_findings(out);
    return out->nerrors ? FR_EPARSE : FR_OK;
}
