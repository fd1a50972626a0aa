/* SPDX-License-Identifier: MIT */
/* test_country_words.c: every ICAO 9303 code has a Spanish name, ICU's for
 * the ISO regions and the generated table's for the codes that are no region
 * (src/http/country_names_es.inc), and every such name is read back as its
 * code (fr__country_any), so the program's lists and the server's query
 * parameters say the same names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "country_words.h"
#include "frontera/country.h"

static const char *es_of(const char *code, char *buf, size_t cap)
{
    return fr__country_name_es(fr_country_find_cstr(code), buf, cap);
}

static void every_code_has_a_spanish_name_read_back_as_itself(void **st)
{
    (void)st;
    char buf[256];
    for (int i = 0; i < fr_country_count(); i++) {
        const char *es = fr__country_name_es(i, buf, sizeof buf);
        if (!es || !*es) fail_msg("%s has no Spanish name", fr_country_code(i));
        int back = fr__country_any(es, strlen(es));
        if (back != i)
            fail_msg("'%s' (%s) reads back as %s", es, fr_country_code(i),
                     back < 0 ? "nothing" : fr_country_code(back));
    }
}

/* The codes that are no ISO region were English under a Spanish locale
 * ("XXA nationality Stateless person (1954 Convention)"). */
static void icao_special_codes_are_named_in_spanish(void **st)
{
    (void)st;
    char buf[256];
    assert_string_equal(es_of("XXA", buf, sizeof buf), "Persona apátrida (Convención de 1954)");
    assert_string_equal(es_of("XXB", buf, sizeof buf), "Refugiado (Convención de 1951)");
    assert_string_equal(es_of("EUE", buf, sizeof buf), "Unión Europea");
    assert_string_equal(es_of("UNO", buf, sizeof buf), "Organización de las Naciones Unidas");
    assert_string_equal(es_of("ANT", buf, sizeof buf), "Antillas Neerlandesas (antiguas)");
    assert_string_equal(es_of("D", buf, sizeof buf), "Alemania");
    assert_string_equal(es_of("ECU", buf, sizeof buf), "Ecuador");
    /* no organisation or nationality keeps its English name */
    for (int i = 0; i < fr_country_count(); i++) {
        if (fr_country_kind_of(i) == FR_COUNTRY_STATE) continue;
        const char *es = fr__country_name_es(i, buf, sizeof buf);
        assert_non_null(es);
        if (strcmp(es, fr_country_name(i)) == 0)
            fail_msg("%s is English in Spanish: %s", fr_country_code(i), es);
    }
}

static void spanish_names_of_special_codes_are_read_in_any_case(void **st)
{
    (void)st;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"union europea", "EUE"},
        {"UNIÓN EUROPEA", "EUE"},
        {"persona apatrida (convencion de 1954)", "XXA"},
        {"Organización de las Naciones Unidas", "UNO"},
        {" alemania ", "D"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int idx = fr__country_any(cases[i].in, strlen(cases[i].in));
        if (idx < 0) fail_msg("'%s' is not read", cases[i].in);
        assert_string_equal(fr_country_code(idx), cases[i].want);
    }
}

static void bad_index_and_short_buffer(void **st)
{
    (void)st;
    char buf[4];
    assert_null(fr__country_name_es(-1, buf, sizeof buf));
    assert_null(fr__country_name_es(fr_country_count(), buf, sizeof buf));
    assert_null(es_of("D", buf, sizeof buf)); /* "Alemania" needs 9 bytes */
    assert_null(es_of("D", buf, 0));
    /* a static name needs no buffer */
    assert_string_equal(es_of("EUE", NULL, 0), "Unión Europea");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_spanish_name_read_back_as_itself),
        cmocka_unit_test(icao_special_codes_are_named_in_spanish),
        cmocka_unit_test(spanish_names_of_special_codes_are_read_in_any_case),
        cmocka_unit_test(bad_index_and_short_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
