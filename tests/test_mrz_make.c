/* SPDX-License-Identifier: MIT */
/* test_mrz_make.c: the MRZ writer and the reader's API around the cases:
 * check digits against the ICAO specimens, fr_mrz_make writing the
 * specimens exactly, refusing bad fields with the field named, round trips
 * parse(make(x)) == x over thousands of generated documents in all five
 * formats, the findings array overflowing safely, argument checks, and the
 * findings code table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"
#include "frontera/mrz.h"

static fr_date D(const char *s)
{
    fr_date d;
    assert_int_equal(fr_date_parse_cstr(s, &d, NULL), FR_OK);
    return d;
}

static fr_mrz_date MD(const char *s)
{
    fr_mrz_date d;
    assert_int_equal(fr_mrz_date_parse(s, strlen(s), &d), FR_OK);
    return d;
}

static void check_digits_match_the_icao_specimens(void **st)
{
    (void)st;
    assert_int_equal(fr_mrz_check_digit("L898902C3", 9), 6);
    assert_int_equal(fr_mrz_check_digit("740812", 6), 2);
    assert_int_equal(fr_mrz_check_digit("120415", 6), 9);
    assert_int_equal(fr_mrz_check_digit("ZE184226B<<<<<", 14), 1);
    assert_int_equal(fr_mrz_check_digit("D23145890", 9), 7);
    assert_int_equal(fr_mrz_check_digit("L8988901C", 9), 4);
    assert_int_equal(fr_mrz_check_digit("400907", 6), 8);
    /* '<' counts 0; nothing gives 0 */
    assert_int_equal(fr_mrz_check_digit("<<<<<<", 6), 0);
    assert_int_equal(fr_mrz_check_digit("", 0), 0);
    assert_int_equal(fr_mrz_check_digit("A<<", 3), fr_mrz_check_digit("A", 1));
}

static fr_mrz erikssons(fr_mrz_format f)
{
    fr_mrz m;
    memset(&m, 0, sizeof m);
    m.format = f;
    strcpy(m.issuing_state, "UTO");
    strcpy(m.surname, "Eriksson");
    strcpy(m.given_names, "Anna Maria");
    strcpy(m.nationality, "UTO");
    m.birth_date = MD("1974-08-12");
    m.expiry_date = MD("2012-04-15");
    m.sex = 'F';
    return m;
}

static void make_writes_the_icao_specimens(void **st)
{
    (void)st;
    fr_mrz_options o = fr_mrz_options_default(D("2010-01-01"));
    o.specimen = 1;
    char out[FR_MRZ_TEXT_MAX];
    fr_mrz m = erikssons(FR_MRZ_TD3);
    strcpy(m.document_number, "L898902C3");
    strcpy(m.optional_data, "ZE184226B");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_string_equal(out, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n");
    m = erikssons(FR_MRZ_TD1);
    strcpy(m.document_number, "D23145890");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_string_equal(out, "I<UTOD231458907<<<<<<<<<<<<<<<\n"
                             "7408122F1204159UTO<<<<<<<<<<<6\n"
                             "ERIKSSON<<ANNA<MARIA<<<<<<<<<<\n");
    m = erikssons(FR_MRZ_TD2);
    strcpy(m.document_number, "D23145890");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_string_equal(out, "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
                             "D231458907UTO7408122F1204159<<<<<<<6\n");
    /* The MRV specimens: born 1940, nationality XXX, expiry 1996. */
    o.today = D("1995-01-01");
    m = erikssons(FR_MRZ_MRVA);
    strcpy(m.document_number, "L8988901C");
    strcpy(m.nationality, "XXX");
    m.birth_date = MD("1940-09-07");
    m.expiry_date = MD("1996-12-10");
    strcpy(m.optional_data, "6ZE184226B");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_string_equal(out, "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                             "L8988901C4XXX4009078F96121096ZE184226B<<<<<<\n");
    m.format = FR_MRZ_MRVB;
    m.optional_data[0] = '\0';
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_string_equal(out, "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
                             "L8988901C4XXX4009078F9612109<<<<<<<<\n");
}

/* One bad field at a time: make refuses it and names it. */
static void make_refuses_bad_fields_with_the_field_named(void **st)
{
    (void)st;
    fr_mrz_options o = fr_mrz_options_default(D("2026-11-29"));
    char out[FR_MRZ_TEXT_MAX];
    fr_error err;
    fr_mrz good = erikssons(FR_MRZ_TD3);
    strcpy(good.issuing_state, "D");
    strcpy(good.nationality, "D");
    strcpy(good.document_number, "C01X00T47");
    assert_int_equal(fr_mrz_make(&good, &o, out, &err), FR_OK);

#define REFUSE(fld, stmt)                                                                          \
    do {                                                                                           \
        fr_mrz m = good;                                                                           \
        stmt;                                                                                      \
        assert_int_equal(fr_mrz_make(&m, &o, out, &err), FR_EINVAL);                               \
        assert_string_equal(err.field, fld);                                                       \
        assert_true(strlen(err.message) > 15);                                                     \
        assert_string_equal(out, "");                                                              \
    } while (0)
    REFUSE("format", m.format = FR_MRZ_NONE);
    REFUSE("document_code", strcpy(m.document_code, "I"));
    REFUSE("document_code", strcpy(m.document_code, "P1"));
    REFUSE("issuing_state", strcpy(m.issuing_state, "DEU"));
    REFUSE("issuing_state", strcpy(m.issuing_state, "UTO")); /* specimens only */
    REFUSE("nationality", strcpy(m.nationality, "ZZZ"));
    REFUSE("surname", strcpy(m.surname, ""));
    REFUSE("surname", strcpy(m.surname, "\xe5\xbc\xa0")); /* Han: romanise it first */
    REFUSE("surname", strcpy(m.surname, "\xc3\x97"));     /* the multiplication sign */
    REFUSE("given_names", strcpy(m.given_names, "Ann4"));
    REFUSE("document_number", strcpy(m.document_number, ""));
    REFUSE("document_number", strcpy(m.document_number, "AB1234567890")); /* TD3: 9 max */
    REFUSE("document_number", strcpy(m.document_number, "AB-12"));
    REFUSE("document_number", strcpy(m.document_number, "AB12<"));
    REFUSE("birth_date", m.birth_date = MD("2027-01-01")); /* future: would read as 1927 */
    REFUSE("birth_date", m.birth_date = MD("1926-11-28")); /* 100 years: would read as 2026 */
    REFUSE("birth_date", m.birth_date.kind = FR_MRZ_DATE_INVALID);
    REFUSE("sex", m.sex = 'Q');
    REFUSE("expiry_date", m.expiry_date = MD("2031-05"));
    REFUSE("expiry_date", m.expiry_date = MD("2047-01-01")); /* beyond 20 years */
    REFUSE("expiry_date", m.expiry_date.kind = FR_MRZ_DATE_UNKNOWN);
    REFUSE("optional_data", strcpy(m.optional_data, "123456789012345"));
    REFUSE("optional_data", strcpy(m.optional_data, "12-4"));
    REFUSE("optional_data_2", strcpy(m.optional_data_2, "X"));
    fr_mrz td1 = good;
    td1.format = FR_MRZ_TD1;
    strcpy(td1.document_number, "ABCDEFGHI12345"); /* 9 + 5: 6 of 15 used */
    assert_int_equal(fr_mrz_make(&td1, &o, out, &err), FR_OK);
    strcpy(td1.optional_data, "123456789");
    assert_int_equal(fr_mrz_make(&td1, &o, out, &err), FR_EINVAL);
    assert_string_equal(err.field, "optional_data");
    strcpy(td1.optional_data, "12345678");
    assert_int_equal(fr_mrz_make(&td1, &o, out, &err), FR_OK);
    strcpy(td1.document_number, "ABCDEFGHI123456789012345"); /* 24 */
    td1.optional_data[0] = '\0';
    assert_int_equal(fr_mrz_make(&td1, &o, out, &err), FR_EINVAL);
    assert_string_equal(err.field, "document_number");
    /* without a reference date, make does not judge centuries */
    fr_mrz m = good;
    m.birth_date = MD("2027-01-01");
    assert_int_equal(fr_mrz_make(&m, NULL, out, &err), FR_OK);
}

/* A small deterministic generator (xorshift). */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(uint32_t n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state % n;
}

static void rnd_word(char *dst, int maxlen)
{
    int n = 1 + (int)rnd((uint32_t)maxlen);
    for (int i = 0; i < n; i++)
        dst[i] = (char)('A' + rnd(26));
    dst[n] = '\0';
}

static void rnd_alnum(char *dst, int n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < n; i++)
        dst[i] = A[rnd(36)];
    dst[n] = '\0';
}

static void round_trips_in_every_format(void **st)
{
    (void)st;
    static const char *const states[] = {"D", "FRA", "GBR", "UTO", "XXA", "EUE", "UNO", "NLD"};
    fr_mrz_options o = fr_mrz_options_default(D("2026-11-29"));
    o.specimen = 1;
    int made = 0;
    for (int iter = 0; iter < 5000; iter++) {
        fr_mrz in;
        memset(&in, 0, sizeof in);
        in.format = (fr_mrz_format)(1 + rnd(5));
        int td12 = in.format == FR_MRZ_TD1 || in.format == FR_MRZ_TD2;
        const char *codes = in.format == FR_MRZ_TD3                                ? "P"
                            : in.format == FR_MRZ_MRVA || in.format == FR_MRZ_MRVB ? "V"
                                                                                   : "IAC";
        in.document_code[0] = codes[rnd((uint32_t)strlen(codes))];
        if (rnd(2)) in.document_code[1] = (char)('A' + rnd(26));
        strcpy(in.issuing_state, states[rnd(8)]);
        strcpy(in.nationality, states[rnd(8)]);
        /* names that fit: surname plus given names within the narrowest field */
        rnd_word(in.surname, 10);
        if (rnd(3)) {
            rnd_word(in.given_names, 6);
            if (rnd(2)) {
                strcat(in.given_names, " ");
                rnd_word(in.given_names + strlen(in.given_names), 5);
            }
        }
        int nlen =
            td12 && rnd(3) == 0 ? 10 + (int)rnd(in.format == FR_MRZ_TD1 ? 12 : 5) : 1 + (int)rnd(9);
        rnd_alnum(in.document_number, nlen);
        int year = 1927 + (int)rnd(99), month = 1 + (int)rnd(12);
        int day = 1 + (int)rnd((uint32_t)fr_date_days_in_month(year, month));
        switch (rnd(8)) {
        case 0:
            in.birth_date.kind = FR_MRZ_DATE_UNKNOWN;
            break;
        case 1:
            in.birth_date = (fr_mrz_date){FR_MRZ_DATE_PARTIAL, year, month, 0, FR_DATE_NONE};
            break;
        case 2:
            in.birth_date = (fr_mrz_date){FR_MRZ_DATE_PARTIAL, year, 0, 0, FR_DATE_NONE};
            break;
        default:
            in.birth_date.kind = FR_MRZ_DATE_FULL;
            in.birth_date.year = year, in.birth_date.month = month, in.birth_date.day = day;
            assert_int_equal(fr_date_from_ymd(year, month, day, &in.birth_date.date), FR_OK);
        }
        if (in.birth_date.kind != FR_MRZ_DATE_UNKNOWN && in.birth_date.year == 2026 &&
            in.birth_date.month >= 11)
            in.birth_date.year = 2025; /* not after the reference date */
        if (in.birth_date.kind == FR_MRZ_DATE_FULL)
            fr_date_from_ymd(in.birth_date.year, in.birth_date.month, in.birth_date.day,
                             &in.birth_date.date);
        int ey = 1950 + (int)rnd(96), em = 1 + (int)rnd(12);
        int ed = 1 + (int)rnd((uint32_t)fr_date_days_in_month(ey, em));
        in.expiry_date.kind = FR_MRZ_DATE_FULL;
        in.expiry_date.year = ey, in.expiry_date.month = em, in.expiry_date.day = ed;
        fr_date_from_ymd(ey, em, ed, &in.expiry_date.date);
        in.sex = "MFX<"[rnd(4)];
        int optmax = in.format == FR_MRZ_TD1    ? 15
                     : in.format == FR_MRZ_TD2  ? 7
                     : in.format == FR_MRZ_TD3  ? 14
                     : in.format == FR_MRZ_MRVA ? 16
                                                : 8;
        if (nlen > 9) optmax -= nlen - 9 + 2;
        if (optmax > 0 && rnd(2)) rnd_alnum(in.optional_data, 1 + (int)rnd((uint32_t)optmax));
        if (in.format == FR_MRZ_TD1 && rnd(2)) rnd_alnum(in.optional_data_2, 1 + (int)rnd(11));

        char text[FR_MRZ_TEXT_MAX];
        fr_error err;
        if (fr_mrz_make(&in, &o, text, &err) != FR_OK)
            fail_msg("make refused %s: %s: %s", fr_mrz_format_name(in.format), err.field,
                     err.message);
        made++;
        fr_mrz out;
        int rc = fr_mrz_parse(text, strlen(text), &o, &out);
        if (rc != FR_OK) fail_msg("%s%s", text, out.findings[0].message);
        assert_int_equal(out.format, in.format);
        assert_string_equal(out.document_code, in.document_code);
        assert_string_equal(out.issuing_state, in.issuing_state);
        assert_string_equal(out.surname, in.surname);
        assert_string_equal(out.given_names, in.given_names);
        assert_string_equal(out.document_number, in.document_number);
        assert_string_equal(out.nationality, in.nationality);
        assert_int_equal(out.birth_date.kind, in.birth_date.kind);
        assert_int_equal(out.birth_date.year, in.birth_date.year);
        assert_int_equal(out.birth_date.month, in.birth_date.month);
        assert_int_equal(out.birth_date.day, in.birth_date.day);
        if (in.birth_date.kind == FR_MRZ_DATE_FULL)
            assert_int_equal(out.birth_date.date, in.birth_date.date);
        assert_int_equal(out.sex, in.sex);
        assert_int_equal(out.expiry_date.date, in.expiry_date.date);
        assert_string_equal(out.optional_data, in.optional_data);
        assert_string_equal(out.optional_data_2, in.optional_data_2);
        /* and make(parse(make(x))) is the same text */
        char again[FR_MRZ_TEXT_MAX];
        assert_int_equal(fr_mrz_make(&out, &o, again, NULL), FR_OK);
        assert_string_equal(again, text);
    }
    assert_int_equal(made, 5000);
}

/* Accented Latin letters are written as Doc 9303 Part 3 section 6
 * recommends: marks dropped, the letters standing for two as two. */
static void accented_latin_names_are_transliterated(void **st)
{
    (void)st;
    fr_mrz_options o = fr_mrz_options_default(D("2026-11-29"));
    char out[FR_MRZ_TEXT_MAX];
    fr_error err;
    fr_mrz m = erikssons(FR_MRZ_TD3);
    strcpy(m.issuing_state, "ECU");
    strcpy(m.nationality, "ECU");
    strcpy(m.document_number, "A1234567");
    m.expiry_date = MD("2030-01-01");
    strcpy(m.surname, "Mu\xc3\xb1oz Pe\xc3\xb1"
                      "a"); /* Muñoz Peña */
    strcpy(m.given_names, "Jos\xc3\xa9 \xc3\x81"
                          "ngel"); /* José Ángel */
    assert_int_equal(fr_mrz_make(&m, &o, out, &err), FR_OK);
    assert_memory_equal(out, "P<ECUMUNOZ<PENA<<JOSE<ANGEL<<<<", 31);
    strcpy(m.surname, "M\xc3\xbcller-Stra\xc3\x9f"
                      "e");                                           /* Müller-Straße */
    strcpy(m.given_names, "\xc3\x98ystein \xc5\x92il \xc5\x81ukasz"); /* Øystein Œil Łukasz */
    assert_int_equal(fr_mrz_make(&m, &o, out, &err), FR_OK);
    assert_memory_equal(out, "P<ECUMUELLER<STRASSE<<OEYSTEIN<OEIL<LUKASZ<", 43);
    fr_mrz back;
    assert_int_equal(fr_mrz_parse(out, strlen(out), &o, &back), FR_OK);
    assert_true(back.valid);
    assert_string_equal(back.surname, "MUELLER STRASSE");
}

/* A long name is cut so that it ends with a letter, and the reader notices. */
static void long_names_are_cut_and_noticed(void **st)
{
    (void)st;
    fr_mrz_options o = fr_mrz_options_default(D("2026-11-29"));
    fr_mrz m = erikssons(FR_MRZ_TD3);
    strcpy(m.issuing_state, "CHE");
    strcpy(m.nationality, "CHE");
    strcpy(m.document_number, "X1234567");
    strcpy(m.surname, "Vonderschmittbergerhausen");
    strcpy(m.given_names, "Maximiliane Theresia");
    char out[FR_MRZ_TEXT_MAX];
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_memory_equal(out, "P<CHEVONDERSCHMITTBERGERHAUSEN<<MAXIMILIAN<T\n", 45);
    fr_mrz r;
    assert_int_equal(fr_mrz_parse(out, strlen(out), &o, &r), FR_OK);
    assert_true(r.name_truncated);
    assert_int_equal(r.nfindings, 1);
    assert_int_equal(r.findings[0].code, FR_MRZ_F_NAME_TRUNCATED);
    assert_int_equal(r.findings[0].level, FR_MRZ_NOTE);
    assert_true(r.valid);
    assert_string_equal(r.given_names, "MAXIMILIAN T");
    /* cut right at the "<<" between surname and given names */
    strcpy(m.surname, "Abcdefghijklmnopqrstuvwxyzabcdefghijkl"); /* 38 letters */
    strcpy(m.given_names, "Anna");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_memory_equal(out + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ<<A\n", 40);
    /* apostrophes dropped, hyphens and spaces become single fillers */
    strcpy(m.surname, "O'Brien-Smith");
    strcpy(m.given_names, "  mary   ann ");
    assert_int_equal(fr_mrz_make(&m, &o, out, NULL), FR_OK);
    assert_memory_equal(out + 5, "OBRIEN<SMITH<<MARY<ANN<", 23);
}

static void findings_overflow_is_flagged(void **st)
{
    (void)st;
    fr_mrz_options o = fr_mrz_options_default(D("2026-11-29"));
    o.specimen = 1;
    o.repair = 1;
    /* 39 digits in the name: each repaired, each a note: more than fit */
    const char *t = "P<UTO000000000000000000000000000000000000000\n"
                    "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
    fr_mrz r;
    assert_int_equal(fr_mrz_parse(t, strlen(t), &o, &r), FR_OK);
    assert_int_equal(r.nfindings, FR_MRZ_MAX_FINDINGS);
    assert_int_equal(r.findings_overflow, 1);
    assert_int_equal(r.repairs, 39);
    assert_true(r.valid);
    assert_string_equal(r.surname, "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO");
    /* garbage: many errors, counted even when not stored */
    o.repair = 0;
    const char *g = "x\ny\nz\n";
    assert_int_equal(fr_mrz_parse(g, strlen(g), &o, &r), FR_EPARSE);
    assert_true(r.nerrors >= r.nfindings);
    assert_false(r.valid);
}

static void bad_arguments_are_einval(void **st)
{
    (void)st;
    fr_mrz r;
    fr_mrz_options o = fr_mrz_options_default(FR_DATE_NONE);
    assert_int_equal(fr_mrz_parse("x", 1, &o, &r), FR_EINVAL);
    o.today = D("2026-11-29");
    assert_int_equal(fr_mrz_parse(NULL, 0, &o, &r), FR_EINVAL);
    assert_int_equal(fr_mrz_parse("x", 1, NULL, &r), FR_EINVAL);
    assert_int_equal(fr_mrz_parse("x", 1, &o, NULL), FR_EINVAL);
    o.expiry_years = 100;
    assert_int_equal(fr_mrz_parse("x", 1, &o, &r), FR_EINVAL);
    /* len is respected: text past it is not read */
    o.expiry_years = 0;
    o.specimen = 1;
    const char *t = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                    "L898902C36UTO7408122F1204159ZE184226B<<<<<10GARBAGE";
    assert_int_equal(fr_mrz_parse(t, strlen(t) - 7, &o, &r), FR_OK);
    char out[FR_MRZ_TEXT_MAX];
    assert_int_equal(fr_mrz_make(NULL, NULL, out, NULL), FR_EINVAL);
}

static void code_table_is_complete_and_unique(void **st)
{
    (void)st;
    for (int i = 0; i < FR_MRZ_F_COUNT_; i++) {
        const char *n = fr_mrz_code_name((fr_mrz_code)i);
        assert_true(strlen(n) >= 3);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(n, fr_mrz_code_name((fr_mrz_code)j));
    }
    assert_string_equal(fr_mrz_code_name(FR_MRZ_F_CD_COMPOSITE), "check_digit.composite");
    assert_int_equal(fr_mrz_code_level(FR_MRZ_F_REPAIR_APPLIED), FR_MRZ_NOTE);
    assert_int_equal(fr_mrz_code_level(FR_MRZ_F_LENGTH), FR_MRZ_ERROR);
    assert_string_equal(fr_mrz_code_name(FR_MRZ_F_COUNT_), "?");
    for (int f = FR_MRZ_TD1; f <= FR_MRZ_MRVB; f++)
        assert_int_equal(fr_mrz_format_from_name(fr_mrz_format_name((fr_mrz_format)f)), f);
    assert_int_equal(fr_mrz_format_from_name("MRV-A"), FR_MRZ_MRVA);
    assert_int_equal(fr_mrz_format_from_name("td3"), FR_MRZ_NONE);
    assert_null(fr_mrz_format_name(FR_MRZ_NONE));
}

static void partial_dates_format_and_parse(void **st)
{
    (void)st;
    char buf[FR_MRZ_DATE_BUFSZ];
    fr_mrz_date d = MD("1974-08");
    assert_int_equal(d.kind, FR_MRZ_DATE_PARTIAL);
    assert_string_equal(fr_mrz_date_format(&d, buf), "1974-08");
    d = MD("1974");
    assert_int_equal(d.month, 0);
    assert_string_equal(fr_mrz_date_format(&d, buf), "1974");
    d = MD("2000-02-29");
    assert_int_equal(d.kind, FR_MRZ_DATE_FULL);
    assert_int_equal(d.date, D("2000-02-29"));
    assert_string_equal(fr_mrz_date_format(&d, buf), "2000-02-29");
    assert_int_equal(fr_mrz_date_parse("2001-02-29", 10, &d), FR_ERANGE);
    assert_int_equal(fr_mrz_date_parse("1974-13", 7, &d), FR_ERANGE);
    assert_int_equal(fr_mrz_date_parse("74-08", 5, &d), FR_EPARSE);
    assert_int_equal(fr_mrz_date_parse("197X", 4, &d), FR_EPARSE);
    d.kind = FR_MRZ_DATE_UNKNOWN;
    assert_string_equal(fr_mrz_date_format(&d, buf), "");
}

/* The bitmap agrees with fr_country_find on every three-character field
 * of A-Z and '<', seen through the reader. */
static void code_table_agrees_with_country_h(void **st)
{
    (void)st;
    static fr_mrz_codes codes;
    fr_mrz_codes_init(&codes);
    fr_mrz_options slow = fr_mrz_options_default(D("2026-11-29")), fast = slow;
    fast.codes = &codes;
    char t[] = "P<XXXERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
               "L898902C36UTO7408122F1204159ZE184226B<<<<<10\n";
    int known = 0;
    for (int i = 0; i < 27 * 27 * 27; i++) {
        int a = i / 729, b = i / 27 % 27, c = i % 27;
        t[2] = (char)(a == 26 ? '<' : 'A' + a);
        t[3] = (char)(b == 26 ? '<' : 'A' + b);
        t[4] = (char)(c == 26 ? '<' : 'A' + c);
        fr_mrz m1, m2;
        fr_mrz_parse(t, sizeof t - 1, &slow, &m1);
        fr_mrz_parse(t, sizeof t - 1, &fast, &m2);
        int ok1 = 1, ok2 = 1;
        for (int k = 0; k < m1.nfindings; k++)
            ok1 &= m1.findings[k].code != FR_MRZ_F_ISSUING_STATE;
        for (int k = 0; k < m2.nfindings; k++)
            ok2 &= m2.findings[k].code != FR_MRZ_F_ISSUING_STATE;
        assert_int_equal(ok1, ok2);
        assert_int_equal(ok1, fr_country_find(t + 2, 3) >= 0);
        known += ok1;
    }
    assert_true(known > 250); /* the table is not empty */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_digits_match_the_icao_specimens),
        cmocka_unit_test(make_writes_the_icao_specimens),
        cmocka_unit_test(make_refuses_bad_fields_with_the_field_named),
        cmocka_unit_test(round_trips_in_every_format),
        cmocka_unit_test(accented_latin_names_are_transliterated),
        cmocka_unit_test(long_names_are_cut_and_noticed),
        cmocka_unit_test(findings_overflow_is_flagged),
        cmocka_unit_test(bad_arguments_are_einval),
        cmocka_unit_test(code_table_is_complete_and_unique),
        cmocka_unit_test(partial_dates_format_and_parse),
        cmocka_unit_test(code_table_agrees_with_country_h),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
