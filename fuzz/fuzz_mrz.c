/* SPDX-License-Identifier: MIT */
/* fuzz_mrz.c: the MRZ reader and writer.
 *
 * The first byte picks the options (repair, specimen, the reference date); the rest is MRZ text.
 * Whatever the input: findings fit the array, each is at a place in the MRZ (line and column from
 * 1, never 0), every field and message is printable ASCII, and the return code agrees with
 * `valid`. When the document is valid, make(parse(x)) must succeed and parse back to the same
 * fields (the round trip). Independently, the bytes are cut into fields and handed to
 * fr_mrz_make: whatever it accepts must read back as a valid document. Every parse is done twice,
 * with and without the fr_mrz_codes table, and must give the same findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/mrz.h"

static void printable(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap) abort();
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e) abort();
}

static void same_date(const fr_mrz_date *a, const fr_mrz_date *b)
{
    if (a->kind != b->kind || a->year != b->year || a->month != b->month || a->day != b->day ||
        a->date != b->date)
        abort();
}

static void check_result(const fr_mrz *m, int rc)
{
    if (m->nfindings < 0 || m->nfindings > FR_MRZ_MAX_FINDINGS) abort();
    if ((rc == FR_OK) != (m->valid == 1) || (m->nerrors == 0) != m->valid) abort();
    for (int i = 0; i < m->nfindings; i++) {
        const fr_mrz_finding *f = &m->findings[i];
        if (f->line < 1 || f->line > 3 || f->column < 1 || f->column > 65) abort();
        printable(f->message, sizeof f->message);
        if (strlen(f->message) < 10) abort();
    }
    printable(m->document_code, sizeof m->document_code);
    printable(m->issuing_state, sizeof m->issuing_state);
    printable(m->surname, sizeof m->surname);
    printable(m->given_names, sizeof m->given_names);
    printable(m->document_number, sizeof m->document_number);
    printable(m->nationality, sizeof m->nationality);
    printable(m->optional_data, sizeof m->optional_data);
    printable(m->optional_data_2, sizeof m->optional_data_2);
}

static void round_trip(const fr_mrz *m, const fr_mrz_options *o)
{
    char text[FR_MRZ_TEXT_MAX];
    if (fr_mrz_make(m, o, text, NULL) != FR_OK) abort();
    fr_mrz b;
    if (fr_mrz_parse(text, strlen(text), o, &b) != FR_OK) abort();
    if (b.format != m->format || strcmp(b.document_code, m->document_code) ||
        strcmp(b.issuing_state, m->issuing_state) || strcmp(b.surname, m->surname) ||
        strcmp(b.given_names, m->given_names) || strcmp(b.document_number, m->document_number) ||
        strcmp(b.nationality, m->nationality) || b.sex != m->sex ||
        strcmp(b.optional_data, m->optional_data) || strcmp(b.optional_data_2, m->optional_data_2))
        abort();
    same_date(&b.birth_date, &m->birth_date);
    same_date(&b.expiry_date, &m->expiry_date);
}

/* Cut bytes into the fields of an fr_mrz (each NUL-terminated). */
static void take(char *dst, size_t cap, const uint8_t **p, size_t *n)
{
    size_t k = *n ? (size_t)(**p) % cap : 0;
    if (*n) (*p)++, (*n)--;
    if (k > *n) k = *n;
    memcpy(dst, *p, k);
    dst[k] = '\0';
    *p += k, *n -= k;
}

static void make_from_bytes(const uint8_t *p, size_t n, const fr_mrz_options *o)
{
    if (n < 8) return;
    fr_mrz in;
    memset(&in, 0, sizeof in);
    in.format = (fr_mrz_format)(p[0] % 6);
    in.sex = (char)p[1];
    in.birth_date = (fr_mrz_date){(fr_mrz_date_kind)(p[2] % 4), 1900 + p[3] % 140, p[4] % 13,
                                  p[5] % 32, FR_DATE_NONE};
    in.expiry_date = (fr_mrz_date){FR_MRZ_DATE_FULL, 1990 + p[6] % 60, 1 + p[7] % 12, 1 + p[5] % 28,
                                   FR_DATE_NONE};
    p += 8, n -= 8;
    take(in.document_code, sizeof in.document_code, &p, &n);
    take(in.issuing_state, sizeof in.issuing_state, &p, &n);
    take(in.surname, sizeof in.surname, &p, &n);
    take(in.given_names, sizeof in.given_names, &p, &n);
    take(in.document_number, sizeof in.document_number, &p, &n);
    take(in.nationality, sizeof in.nationality, &p, &n);
    take(in.optional_data, sizeof in.optional_data, &p, &n);
    take(in.optional_data_2, sizeof in.optional_data_2, &p, &n);
    char text[FR_MRZ_TEXT_MAX];
    fr_error err;
    if (fr_mrz_make(&in, o, text, &err) != FR_OK) {
        if (err.field[0] == '\0' || strlen(err.message) < 10) abort();
        return;
    }
    fr_mrz b;
    if (fr_mrz_parse(text, strlen(text), o, &b) != FR_OK) abort();
    check_result(&b, FR_OK);
}

static fr_mrz_codes CODES;
static int codes_ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!codes_ready) fr_mrz_codes_init(&CODES), codes_ready = 1;
    fr_mrz_options o = fr_mrz_options_default(18000 + (fr_date)(data[0] >> 2) * 300);
    o.repair = data[0] & 1;
    o.specimen = (data[0] >> 1) & 1;
    fr_mrz m;
    int rc = fr_mrz_parse((const char *)data + 1, size - 1, &o, &m);
    check_result(&m, rc);
    fr_mrz_options fast = o;
    fast.codes = &CODES;
    fr_mrz m2;
    if (fr_mrz_parse((const char *)data + 1, size - 1, &fast, &m2) != rc) abort();
    if (m2.nfindings != m.nfindings || m2.nerrors != m.nerrors) abort();
    for (int i = 0; i < m.nfindings; i++)
        if (m2.findings[i].code != m.findings[i].code ||
            strcmp(m2.findings[i].message, m.findings[i].message) != 0)
            abort();
    if (rc == FR_OK) round_trip(&m, &o);
    o.repair = 0;
    make_from_bytes(data + 1, size - 1, &o);
    return 0;
}
