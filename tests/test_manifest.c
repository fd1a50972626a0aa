/* SPDX-License-Identifier: MIT */
/* test_manifest.c: pre-arrival checks of a PAXLST manifest under Ecuador's
 * policy (data/policy/ecu.policy): a Chinese national arriving IST -> UIO
 * on 2024-07-01 without a visa is no-board (the visa requirement starts that
 * day); the same with DOC+V (an Ecuadorian visa) is board; a German
 * national (DEU in the manifest, D in ICAO) is board; a passenger whose
 * passport expired is no-board; one with no document number is check; and
 * the day before the change, the Chinese national without a visa is board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"

#define HEAD                                                                                       \
    "UNA:+.? 'UNB+UNOA:4+TK:ZZ+ECUAPI:ZZ+240630:2200+IC0001++APIS'"                                \
    "UNH+M1+PAXLST:D:12B:UN:IATA'BGM+745'TDT+20+TK1801+++TK'LOC+125+IST'"                          \
    "DTM+189:%s2330:201'LOC+87+UIO'DTM+232:%s0730:201'"

static const char PERSONS[] =
    "NAD+FL+++WANG:LI'ATT+2++F'DTM+329:900101'NAT+2+CHN'DOC+P:110:111+E12345678'DTM+36:300101'"
    "LOC+91+CHN'"
    "NAD+FL+++ZHANG:WEI'ATT+2++M'DTM+329:880505'NAT+2+CHN'DOC+P:110:111+E87654321'"
    "DTM+36:300101'LOC+91+CHN'DOC+V:110:111+EC998877'DTM+36:241231'LOC+91+ECU'"
    "NAD+FL+++MUELLER:ANNA'ATT+2++F'DTM+329:850303'NAT+2+DEU'DOC+P+C01X00T47'DTM+36:310101'"
    "LOC+91+DEU'"
    "NAD+FL+++SCHMIDT:JAN'ATT+2++M'DTM+329:800101'NAT+2+DEU'DOC+P+C01X00T48'DTM+36:240101'"
    "LOC+91+DEU'"
    "NAD+FL+++NODOC:PAT'ATT+2++M'NAT+2+DEU'"
    "CNT+42:5'UNT+43+M1'UNZ+1+IC0001'";

static fr_policy *load_policy(void)
{
    FILE *f = fopen(FR_SOURCE_DIR "/data/policy/ecu.policy", "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fr_policy *p = NULL;
    size_t nerr = 0;
    assert_int_equal(fr_policy_parse(buf, n, &p, NULL, 0, &nerr), FR_OK);
    return p;
}

static fr_manifest_verdict *check(const char *dep, const char *arr, fr_paxlst **pax,
                                  fr_policy *policy)
{
    char text[4096];
    int n = snprintf(text, sizeof text, HEAD, dep, arr);
    snprintf(text + n, sizeof text - (size_t)n, "%s", PERSONS);
    assert_int_equal(fr_paxlst_read(text, strlen(text), NULL, pax, NULL), FR_OK);
    const fr_paxlst_message *m = &(*pax)->messages[0];
    assert_int_equal(m->nfindings, 0);
    assert_int_equal(m->npersons, 5);
    fr_booth_env env = {policy, NULL, NULL, 0, NULL};
    fr_manifest_verdict *v = NULL;
    assert_int_equal(fr_manifest_check(&env, m, "ECUIO", &v, NULL), FR_OK);
    return v;
}

static int has_reason(const fr_manifest_verdict *v, const char *code)
{
    for (size_t i = 0; i < v->decision.nreasons; i++)
        if (strcmp(v->decision.reasons[i].code, code) == 0) return 1;
    return 0;
}

static void chinese_national_needs_a_visa_from_2024_07_01(void **state)
{
    (void)state;
    fr_policy *policy = load_policy();
    fr_paxlst *pax = NULL;
    fr_manifest_verdict *v = check("240630", "240701", &pax, policy);
    assert_int_equal(v[0].answer, FR_MANIFEST_NO_BOARD);
    assert_true(has_reason(&v[0], "visa.required"));
    assert_int_equal(v[1].answer, FR_MANIFEST_BOARD);
    assert_true(has_reason(&v[1], "visa.presented"));
    assert_int_equal(v[2].answer, FR_MANIFEST_BOARD);
    assert_string_equal(v[2].decision.mrz.nationality, "D");
    assert_int_equal(v[3].answer, FR_MANIFEST_NO_BOARD);
    assert_true(has_reason(&v[3], "document.expired"));
    assert_int_equal(v[4].answer, FR_MANIFEST_CHECK);
    assert_false(v[4].decided);
    assert_true(strstr(v[4].problem, "no travel document number") != NULL);
    fr_free(v);
    fr_paxlst_free(pax);
    /* arriving on 2024-06-30, before the requirement, the same passenger boards */
    v = check("240629", "240630", &pax, policy);
    assert_int_equal(v[0].answer, FR_MANIFEST_BOARD);
    fr_free(v);
    fr_paxlst_free(pax);
    fr_policy_free(policy);
}

static void port_from_airport(void **state)
{
    (void)state;
    char out[6];
    assert_int_equal(fr_manifest_port("EC", "UIO", out), 0);
    assert_string_equal(out, "ECUIO");
    assert_int_equal(fr_manifest_port("EC", "UI", out), -1);
    assert_int_equal(fr_manifest_port("EC", "uio", out), -1);
    assert_string_equal(fr_manifest_answer_name(FR_MANIFEST_NO_BOARD), "no-board");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinese_national_needs_a_visa_from_2024_07_01),
        cmocka_unit_test(port_from_airport),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
