/* SPDX-License-Identifier: MIT */
/* test_translit.c: name normalisation (translit.c through fr_screen_normalise)
 * and the token keys of namevar.c: scripts to Latin, diacritics, case,
 * punctuation and MRZ fillers, variant keys per family, skeletons, distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <unicode/uclean.h>

#include "frontera/screen.h"
#include "screen_internal.h"

static fr_screen_ctx *ctx;

static int setup(void **st)
{
    (void)st;
    fr_error err;
    return fr_screen_ctx_new(NULL, NULL, &ctx, &err);
}

static int teardown(void **st)
{
    (void)st;
    fr_screen_ctx_free(ctx);
    return 0;
}

static void norm_is(const char *in, const char *want)
{
    char out[256];
    assert_int_equal(fr_screen_normalise(ctx, in, out, sizeof out), FR_OK);
    assert_string_equal(out, want);
}

static void latin_case_punctuation_and_mrz_fillers(void **st)
{
    (void)st;
    norm_is("García López, José-María", "GARCIA LOPEZ JOSE MARIA");
    norm_is("O'Brien,  Seán", "OBRIEN SEAN");
    norm_is("SMITH<<JOHN<PAUL<<<<<<", "SMITH JOHN PAUL");
    norm_is("Müller-Lüdenscheidt", "MULLER LUDENSCHEIDT");
    norm_is("Łukasz Żółć", "LUKASZ ZOLC");
    char out[64];
    assert_int_equal(fr_screen_normalise(ctx, "<<< 123 ,,", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_screen_normalise(ctx, "ABCDEFGHIJ", out, 5), FR_ELIMIT);
}

static void scripts_to_latin(void **st)
{
    (void)st;
    norm_is("张伟", "ZHANG WEI");                  /* Han -> pinyin, tones dropped */
    norm_is("Хрущёв Никита", "KHRUSHCHEV NIKITA"); /* Russian BGN, as passports write it */
    norm_is("Αλέξανδρος", "ALEXANDROS");           /* Greek */
    char out[64];
    assert_int_equal(fr_screen_normalise(ctx, "محمد", out, sizeof out),
                     FR_OK); /* unvocalised Arabic */
    assert_true(strlen(out) >= 3);
    char sk1[FR_TOK_MAX], sk2[FR_TOK_MAX];
    fr__namevar_skeleton(out, strlen(out), sk1);
    fr__namevar_skeleton("MUHAMMAD", 8, sk2);
    assert_string_equal(sk1, sk2); /* MHMD: the skeleton still meets the Latin spelling */
    /* Hangul: Revised Romanisation (hangul.c), the surname apart */
    norm_is("김정은", "GIM JEONGEUN");
    norm_is("박", "BAK");                 /* ICU would write BAG */
    norm_is("남궁민수", "NAMGUNG MINSU"); /* a compound surname stays whole */
}

static void same_key(const fr_namevar *nv, const char *a, const char *b)
{
    char ka[FR_KEYS_PER_TOKEN][FR_TOK_MAX], kb[FR_KEYS_PER_TOKEN][FR_TOK_MAX];
    int na = fr__namevar_keys(nv, a, strlen(a), ka), nb = fr__namevar_keys(nv, b, strlen(b), kb);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (strcmp(ka[i], kb[j]) == 0) return;
    fail_msg("%s and %s have no key in common (%s / %s)", a, b, ka[0], kb[0]);
}

static void differ_key(const fr_namevar *nv, const char *a, const char *b)
{
    char ka[FR_KEYS_PER_TOKEN][FR_TOK_MAX], kb[FR_KEYS_PER_TOKEN][FR_TOK_MAX];
    int na = fr__namevar_keys(nv, a, strlen(a), ka), nb = fr__namevar_keys(nv, b, strlen(b), kb);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (strcmp(ka[i], kb[j]) == 0) fail_msg("%s and %s share key %s", a, b, ka[i]);
}

static void variant_families_share_keys(void **st)
{
    (void)st;
    fr_namevar *nv;
    assert_int_equal(fr__namevar_new(&nv), FR_OK);
    /* Chinese: Pinyin, Wade-Giles, Cantonese, Hokkien */
    const char *cn[][2] = {{"CHEN", "CHAN"}, {"ZHANG", "CHANG"}, {"ZHANG", "CHEUNG"},
                           {"WANG", "WONG"}, {"HUANG", "WONG"},  {"LI", "LEE"},
                           {"ZHOU", "CHOW"}, {"ZHOU", "CHAU"},   {"XU", "HSU"},
                           {"XU", "TSUI"},   {"WU", "NG"},       {"LIU", "LAU"},
                           {"GUO", "KWOK"}};
    for (size_t i = 0; i < sizeof cn / sizeof *cn; i++)
        same_key(nv, cn[i][0], cn[i][1]);
    /* Arabic */
    const char *ar[][2] = {
        {"MOHAMMED", "MUHAMMAD"}, {"MOHAMED", "MUHAMMAD"}, {"MOHAMMAD", "MOHAMED"},
        {"ABDUL", "ABD"},         {"ABDEL", "ABDUL"},      {"BIN", "IBN"},
        {"HUSSEIN", "HUSAYN"},    {"YOUSSEF", "YUSUF"},    {"QASIM", "KASIM"}};
    for (size_t i = 0; i < sizeof ar / sizeof *ar; i++)
        same_key(nv, ar[i][0], ar[i][1]);
    /* Slavic: table and spelling rules */
    const char *sl[][2] = {{"ALEKSANDR", "ALEXANDER"}, {"IVANOV", "IVANOFF"},
                           {"SERGEYEV", "SERGEEV"},    {"DMITRIY", "DMITRI"},
                           {"YURI", "IURII"},          {"PETROV", "PETROFF"},
                           {"KOVALSKIY", "KOVALSKI"},  {"KHALID", "HALID"}};
    for (size_t i = 0; i < sizeof sl / sizeof *sl; i++)
        same_key(nv, sl[i][0], sl[i][1]);
    /* Macau's Portuguese-based Cantonese romanisation and Sino-Vietnamese
     * readings, both generated from Unihan (scripts/gen-name-variants.py) */
    const char *mo[][2] = {{"WANG", "VONG"},  {"LIANG", "LEONG"},  {"YANG", "IEONG"},
                           {"ZHAO", "CHIO"},  {"ZHENG", "CHEANG"}, {"ZHANG", "TRUONG"},
                           {"WANG", "VUONG"}, {"GUO", "KUOK"}};
    for (size_t i = 0; i < sizeof mo / sizeof *mo; i++)
        same_key(nv, mo[i][0], mo[i][1]);
    /* Korean: a spelling the Chinese groups fill every key of keeps its
     * Korean one (KO: GAO, XU, GE and the Korean GO) */
    same_key(nv, "KO", "GO");
    same_key(nv, "KO", "GAO");
    /* the common Korean surnames' letter-by-letter alternatives: voiced or
     * voiceless initials, English vowels (배 BAE / PAI, 전 JEON / CHUN) */
    same_key(nv, "BAE", "PAI");
    same_key(nv, "JEON", "CHUN");
    differ_key(nv, "BAE", "PARK");
    /* a joined token split two ways: EUN+GYEONG as well as EUNG+YEONG */
    same_key(nv, "EUNGYEONG", "UNKYONG");
    same_key(nv, "EUNGYEONG", "UNGYONG");
    /* and different names stay different */
    differ_key(nv, "WANG", "ZHANG");
    differ_key(nv, "LI", "LIU");
    differ_key(nv, "KIM", "PARK");
    differ_key(nv, "HASSAN", "HUSSEIN");
    fr__namevar_free(nv);
}

static int has_form(const char *tok, int script, const char *want)
{
    char out[FR_ABJ_FORMS][FR_TOK_MAX];
    size_t ol[FR_ABJ_FORMS];
    int n = fr__namevar_abjad_forms(tok, strlen(tok), script, out, ol);
    for (int i = 0; i < n; i++)
        if (strcmp(out[i], want) == 0) return 1;
    return 0;
}

/* The readings a script leaves open are the script's own: Hebrew's vav as V
 * (ולרי WLRY, VALERIE), never Arabic's (وليد WLYD is WALID, not VALID);
 * Arabic's silent final ة (فاطمة FATMT, FATIMA); foreign sounds written
 * with the nearest letter; English KN- and TCH. */
static void abjad_forms_by_script(void **st)
{
    (void)st;
    char out[FR_ABJ_FORMS][FR_TOK_MAX];
    size_t ol[FR_ABJ_FORMS];
    int n = fr__namevar_abjad_forms("WLYD", 4, FR_SCRIPT_ARABIC, out, ol);
    for (int i = 0; i < n; i++)
        assert_true(out[i][0] != 'B');
    n = fr__namevar_abjad_forms("WLRY", 4, FR_SCRIPT_HEBREW, out, ol);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "LR");
    assert_string_equal(out[1], "BLR");
    n = fr__namevar_abjad_forms("FATMT", 5, FR_SCRIPT_ARABIC, out, ol);
    assert_int_equal(n, 2);
    assert_string_equal(out[1], "BTM");
    n = fr__namevar_abjad_forms("FATMT", 5, FR_SCRIPT_HEBREW, out, ol);
    assert_int_equal(n, 1); /* a Hebrew final T is said */
    /* a Spanish J written خ in Arabic */
    assert_true(has_form("KHAYMY", FR_SCRIPT_ARABIC, "GM"));  /* JAIME */
    assert_true(has_form("KHAYMY", FR_SCRIPT_ARABIC, "KM"));  /* and KHAIMI */
    assert_false(has_form("KHAYMY", FR_SCRIPT_HEBREW, "GM")); /* not Hebrew's */
    n = fr__namevar_abjad_forms("KNOX", 4, 0, out, ol);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "NKS");
    fr__namevar_abjad_forms("BUTCHER", 7, 0, out, ol);
    assert_string_equal(out[0], "BSR");
    assert_int_equal(fr__translit_is_abjad("\xd7\x95\xd7\x9c", 4), FR_SCRIPT_HEBREW);
    assert_int_equal(fr__translit_is_abjad("\xd9\x88 \xd7\x95", 5),
                     FR_SCRIPT_HEBREW | FR_SCRIPT_ARABIC);
    assert_int_equal(fr__translit_is_abjad("VALERIE", 7), 0);
}

static void particles_tokens_and_distance(void **st)
{
    (void)st;
    assert_true(fr__namevar_is_particle("AL", 2));
    assert_true(fr__namevar_is_particle("VAN", 3));
    assert_false(fr__namevar_is_particle("KIM", 3));
    fr_tok t[FR_NAME_MAX_TOKENS];
    int n = fr__namevar_tokens("ABDULRAHMAN AL ZAWAHIRI", t, FR_NAME_MAX_TOKENS);
    assert_int_equal(n, 4);
    assert_string_equal(t[0].s, "ABD");
    assert_string_equal(t[1].s, "RAHMAN");
    assert_true(t[2].particle);
    n = fr__namevar_tokens("ABDULLAH", t, FR_NAME_MAX_TOKENS); /* not ABD + LAH */
    assert_int_equal(n, 1);
    assert_int_equal(fr__namevar_distance("GUPTA", 5, "GUTPA", 5, 2), 1); /* transposition */
    assert_int_equal(fr__namevar_distance("RAJESH", 6, "RAEESH", 6, 2), 1);
    assert_int_equal(fr__namevar_distance("ABC", 3, "XYZ", 3, 1), 2); /* over max: max+1 */
    assert_int_equal(fr__namevar_typos_allowed(3), 0);
    assert_int_equal(fr__namevar_typos_allowed(6), 1);
    assert_int_equal(fr__namevar_typos_allowed(9), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin_case_punctuation_and_mrz_fillers),
        cmocka_unit_test(scripts_to_latin),
        cmocka_unit_test(variant_families_share_keys),
        cmocka_unit_test(abjad_forms_by_script),
        cmocka_unit_test(particles_tokens_and_distance),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    u_cleanup();
    return rc;
}
