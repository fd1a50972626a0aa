/* SPDX-License-Identifier: MIT */
/* test_country.c: the ICAO 9303 Part 3 code table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "frontera/country.h"

static void icao_special_codes_are_known(void **st)
{
    (void)st;
    static const char *special[] = {"D",   "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "UNA",
                                    "UNK", "UNO", "XXA", "XXB", "XXC", "XXX", "XOM", "XPO"};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++) {
        int idx = fr_country_find_cstr(special[i]);
        assert_true(idx >= 0);
        assert_string_equal(fr_country_code(idx), special[i]);
    }
    assert_int_equal(fr_country_kind_of(fr_country_find_cstr("XXA")), FR_COUNTRY_NATIONALITY);
    assert_int_equal(fr_country_kind_of(fr_country_find_cstr("UNO")), FR_COUNTRY_ORGANISATION);
}

static void germany_is_d_not_deu(void **st)
{
    (void)st;
    assert_int_equal(fr_country_find_cstr("DEU"), -1);
    int d = fr_country_find("D<<", 3); /* as it appears in an MRZ */
    assert_true(d >= 0);
    assert_string_equal(fr_country_name(d), "Germany");
}

static void states_and_bad_codes(void **st)
{
    (void)st;
    assert_string_equal(fr_country_name(fr_country_find_cstr("ECU")), "Ecuador");
    assert_string_equal(fr_country_name(fr_country_find_cstr("CHN")), "China");
    assert_true(fr_country_find_cstr("ECU") >= 0);
    assert_int_equal(fr_country_find_cstr("ecu"), -1);
    assert_int_equal(fr_country_find_cstr("QQQ"), -1);
    assert_int_equal(fr_country_find_cstr(""), -1);
    assert_int_equal(fr_country_find_cstr("ECUA"), -1);
    assert_int_equal(fr_country_find_cstr("<<<"), -1);
    assert_null(fr_country_code(-1));
    assert_null(fr_country_code(fr_country_count()));
    /* every code finds itself: the table is sorted for the binary search */
    for (int i = 0; i < fr_country_count(); i++)
        assert_int_equal(fr_country_find_cstr(fr_country_code(i)), i);
    assert_true(fr_country_count() > 260);
}

static void codes_and_names_outside_an_mrz_normalise_to_icao(void **st)
{
    (void)st;
    struct {
        const char *in, *want;
    } cases[] = {{"DEU", "D"},
                 {"deu", "D"},
                 {"D", "D"},
                 {"D<<", "D"},
                 {" chn ", "CHN"},
                 {"XKX", "RKS"},
                 {"Germany", "D"},
                 {"UNITED STATES", "USA"},
                 {"United States of America", "USA"},
                 {"Korea, Republic of", "KOR"},
                 {"Russia", "RUS"},
                 {"Turkey", "TUR"},
                 {"Viet Nam", "VNM"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int idx = fr_country_normalize(cases[i].in, strlen(cases[i].in));
        assert_true(idx >= 0);
        assert_string_equal(fr_country_code(idx), cases[i].want);
    }
    const char *bad[] = {"", "ZZZ", "Atlantis", "DEUX", "CH N", "United"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(fr_country_normalize(bad[i], strlen(bad[i])), -1);
    assert_int_equal(fr_country_normalize(NULL, 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(icao_special_codes_are_known),
        cmocka_unit_test(germany_is_d_not_deu),
        cmocka_unit_test(states_and_bad_codes),
        cmocka_unit_test(codes_and_names_outside_an_mrz_normalise_to_icao),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
