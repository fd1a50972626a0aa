/* SPDX-License-Identifier: MIT */
/* test_policy.c: the policy loader and lookup.
 * - every tests/data/policy/<case>.policy with an "# expect LINE COL FIELD TEXT"
 *   first line must fail with that error (file, line, column, what to fix);
 * - all-or-nothing loading, precedence, inclusive end dates, groups;
 * - the table lookup agrees with the naive scan everywhere;
 * - out-of-memory at every allocation fails cleanly (no leak under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/policy.h"
#include "policy_internal.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s) s[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return s;
}

static fr_policy *load_file(const char *rel)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", FR_SOURCE_DIR, rel);
    char *text = slurp(path, &len);
    assert_non_null(text);
    fr_policy *p = NULL;
    fr_error errs[8];
    size_t n = 0;
    int rc = fr_policy_parse(text, len, &p, errs, 8, &n);
    if (rc != FR_OK) printf("%s:%d:%d: %s\n", rel, errs[0].line, errs[0].column, errs[0].message);
    assert_int_equal(rc, FR_OK);
    free(text);
    return p;
}

static fr_date D(const char *s)
{
    fr_date d;
    assert_int_equal(fr_date_parse_cstr(s, &d, NULL), FR_OK);
    return d;
}

static const fr_policy_rule *at(const fr_policy *p, const char *code, fr_admission_class k,
                                const char *day)
{
    int c = fr_country_find_cstr(code);
    assert_true(c >= 0);
    return fr_policy_lookup(p, c, k, D(day));
}

static void each_bad_file_reports_its_error_where_it_is(void **st)
{
    (void)st;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tests/data/policy", FR_SOURCE_DIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int cases = 0;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".policy") || strncmp(de->d_name, "good", 4) == 0) continue;
        char path[1024];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *text = slurp(path, &len);
        assert_non_null(text);
        fr_error errs[16];
        size_t n = 0;
        fr_policy *sentinel = (fr_policy *)(uintptr_t)0x1;
        fr_policy *p = sentinel;
        int rc = fr_policy_parse(text, len, &p, errs, 16, &n);
        assert_int_not_equal(rc, FR_OK);
        assert_ptr_equal(p, sentinel); /* nothing half-loaded is handed back */
        int want_line, want_col, count;
        char field[48], what[200];
        if (sscanf(text, "# expect-count %d", &count) == 1) {
            assert_int_equal((int)n, count);
        } else {
            assert_int_equal(
                sscanf(text, "# expect %d %d %47s %199[^\n]", &want_line, &want_col, field, what),
                4);
            int found = 0;
            for (size_t i = 0; i < n && i < 16; i++)
                if (errs[i].line == want_line && errs[i].column == want_col &&
                    (strcmp(field, "-") == 0 || strcmp(errs[i].field, field) == 0) &&
                    strstr(errs[i].message, what))
                    found = 1;
            if (!found)
                printf("%s: got %d:%d %s: %s\n", de->d_name, errs[0].line, errs[0].column,
                       errs[0].field, errs[0].message);
            assert_true(found);
            assert_int_equal((int)n, 1); /* and nothing else is reported */
        }
        free(text);
        cases++;
    }
    closedir(d);
    assert_true(cases >= 20);
}

/* ref_es= is the rule's legal reference in Spanish ("" when not given);
 * given twice it is an error at its place, like any key. */
static void a_rule_may_give_its_reference_in_spanish(void **st)
{
    (void)st;
    static const char OK[] =
        "jurisdiction ECU\n"
        "rule CHN visitor visa_required from=2024-07-01 ref=\"Communique\"\n"
        "    ref_es=\"Comunicado de la Canciller\xc3\xad"
        "a\"\n"
        "rule USA visitor visa_free stay=period:90/1y from=2017-02-06 ref=\"LOMH\"\n";
    fr_policy *p = NULL;
    fr_error errs[4];
    size_t n = 0;
    assert_int_equal(fr_policy_parse(OK, sizeof OK - 1, &p, errs, 4, &n), FR_OK);
    const fr_policy_rule *r = at(p, "CHN", FR_CLASS_VISITOR, "2024-07-01");
    assert_string_equal(r->ref, "Communique");
    assert_string_equal(r->ref_es, "Comunicado de la Canciller\xc3\xad"
                                   "a");
    r = at(p, "USA", FR_CLASS_VISITOR, "2024-07-01");
    assert_string_equal(r->ref_es, "");
    fr_policy_free(p);
    static const char TWICE[] = "jurisdiction ECU\n"
                                "rule CHN visitor visa_required from=2024-07-01 ref=\"C\"\n"
                                "    ref_es=\"a\" ref_es=\"b\"\n";
    p = NULL;
    assert_int_not_equal(fr_policy_parse(TWICE, sizeof TWICE - 1, &p, errs, 4, &n), FR_OK);
    assert_null(p);
    assert_int_equal(n, 1);
    assert_string_equal(errs[0].field, "ref_es");
    assert_int_equal(errs[0].line, 3);
    assert_int_equal(errs[0].column, 16);
}

static void precedence_nationality_over_group_over_default(void **st)
{
    (void)st;
    fr_policy *p = load_file("tests/data/policy/good_precedence.policy");
    assert_string_equal(fr_policy_jurisdiction(p), "ECU");
    const fr_policy_rule *r = at(p, "ECU", FR_CLASS_VISITOR, "2024-01-01");
    assert_int_equal(r->regime, FR_REGIME_FREE_MOVEMENT); /* nationality beats @andean */
    assert_int_equal(r->rank, FR_RANK_NATIONALITY);
    r = at(p, "COL", FR_CLASS_VISITOR, "2024-01-01");
    assert_int_equal(r->regime, FR_REGIME_VISA_FREE);
    assert_string_equal(r->who, "@andean");
    assert_int_equal(r->docs, FR_DOC_PASSPORT | FR_DOC_ID_CARD);
    assert_int_equal(r->stay.kind, FR_STAY_PERIOD);
    assert_int_equal(r->stay.max_days, 180);
    r = at(p, "D", FR_CLASS_VISITOR, "2024-01-01");
    assert_int_equal(r->regime, FR_REGIME_VISA_REQUIRED); /* the default */
    assert_int_equal(r->rank, FR_RANK_DEFAULT);
    assert_null(at(p, "D", FR_CLASS_VISITOR, "2017-02-05")); /* before every rule */
    assert_null(at(p, "D", FR_CLASS_TRANSIT, "2024-01-01")); /* no transit default */
    r = at(p, "BRA", FR_CLASS_TRANSIT, "2024-01-01");        /* nested group */
    assert_string_equal(r->who, "@south");
    r = at(p, "USA", FR_CLASS_VISITOR, "2024-01-01");
    assert_string_equal(r->ref, "LOMH \"art. 56\""); /* escapes undone */
    assert_string_equal(r->note, "a note");
    assert_int_equal(r->line, 12);
    assert_int_equal(r->stay.extension_days, 90);
    assert_int_equal(fr_policy_min_expiry(r, D("2024-01-01")), D("2024-06-29")); /* 180 days */
    fr_policy_free(p);
}

static void end_date_is_inclusive_china_2024(void **st)
{
    (void)st;
    fr_policy *p = load_file("tests/data/policy/good_precedence.policy");
    const fr_policy_rule *r = at(p, "CHN", FR_CLASS_VISITOR, "2024-06-30");
    assert_int_equal(r->regime, FR_REGIME_VISA_FREE);
    assert_int_equal(fr_policy_min_expiry(r, D("2024-06-30")), D("2024-12-30")); /* 6 months */
    r = at(p, "CHN", FR_CLASS_VISITOR, "2024-07-01");
    assert_int_equal(r->regime, FR_REGIME_VISA_REQUIRED);
    assert_int_equal(
        fr_policy_next_change(p, fr_country_find_cstr("CHN"), FR_CLASS_VISITOR, D("2020-01-01")),
        D("2024-07-01"));
    assert_int_equal(
        fr_policy_next_change(p, fr_country_find_cstr("CHN"), FR_CLASS_VISITOR, D("2024-07-01")),
        FR_DATE_NONE);
    assert_int_equal(
        fr_policy_next_change(p, fr_country_find_cstr("CHN"), FR_CLASS_VISITOR, D("2000-01-01")),
        D("2017-02-06"));
    fr_policy_free(p);
}

static void ecu_policy_facts(void **st)
{
    (void)st;
    fr_policy *p = load_file("data/policy/ecu.policy");
    const fr_policy_rule *r = at(p, "CHN", FR_CLASS_VISITOR, "2024-06-30");
    assert_int_equal(r->regime, FR_REGIME_VISA_FREE);
    assert_non_null(strstr(r->ref, "mutual visa exemption"));
    r = at(p, "CHN", FR_CLASS_VISITOR, "2024-07-01");
    assert_int_equal(r->regime, FR_REGIME_VISA_REQUIRED);
    assert_non_null(strstr(r->ref, "18 Jun 2024"));
    r = at(p, "USA", FR_CLASS_VISITOR, "2024-07-01"); /* LOMH art. 56 */
    assert_int_equal(r->stay.kind, FR_STAY_PERIOD);
    assert_int_equal(r->stay.max_days, 90);
    assert_int_equal(r->stay.extension_days, 90);
    assert_non_null(strstr(r->ref, "art. 56"));
    r = at(p, "PER", FR_CLASS_VISITOR, "2024-07-01"); /* Andean: 180 days, ID card */
    assert_int_equal(r->stay.max_days, 180);
    assert_true(r->docs & FR_DOC_ID_CARD);
    r = at(p, "ECU", FR_CLASS_VISITOR, "2024-07-01");
    assert_int_equal(r->regime, FR_REGIME_FREE_MOVEMENT);
    assert_int_equal(at(p, "HTI", FR_CLASS_VISITOR, "2021-05-16")->regime, FR_REGIME_VISA_FREE);
    assert_int_equal(at(p, "HTI", FR_CLASS_VISITOR, "2021-05-17")->regime, FR_REGIME_VISA_REQUIRED);
    assert_int_equal(at(p, "IND", FR_CLASS_VISITOR, "2019-08-13")->regime, FR_REGIME_VISA_FREE);
    assert_int_equal(at(p, "IND", FR_CLASS_VISITOR, "2019-08-14")->regime, FR_REGIME_VISA_REQUIRED);
    assert_null(at(p, "CHN", FR_CLASS_TRANSIT, "2025-08-31"));
    assert_int_equal(at(p, "CHN", FR_CLASS_TRANSIT, "2025-09-01")->regime, FR_REGIME_VISA_REQUIRED);
    for (size_t i = 0; i < fr_policy_rule_count(p); i++)
        assert_true(strlen(fr_policy_rule_at(p, i)->ref) > 5);
    fr_policy_free(p);
}

/* The engine is not Ecuador-specific: Schengen's dated changes. */
static void schengen_policy_dated_changes(void **st)
{
    (void)st;
    fr_policy *p = load_file("data/policy/schengen.policy");
    assert_int_equal(at(p, "GBR", FR_CLASS_VISITOR, "2020-12-31")->regime, FR_REGIME_FREE_MOVEMENT);
    const fr_policy_rule *r = at(p, "GBR", FR_CLASS_VISITOR, "2021-01-01");
    assert_int_equal(r->regime, FR_REGIME_VISA_FREE);
    assert_int_equal(r->stay.kind, FR_STAY_ROLLING);
    assert_int_equal(r->stay.window_days, 180);
    assert_int_equal(at(p, "RKS", FR_CLASS_VISITOR, "2023-12-31")->regime, FR_REGIME_VISA_REQUIRED);
    assert_int_equal(at(p, "RKS", FR_CLASS_VISITOR, "2024-01-01")->regime, FR_REGIME_VISA_FREE);
    assert_int_equal(at(p, "D", FR_CLASS_VISITOR, "2024-01-01")->regime, FR_REGIME_FREE_MOVEMENT);
    assert_true(at(p, "D", FR_CLASS_VISITOR, "2024-01-01")->docs & FR_DOC_ID_CARD);
    assert_int_equal(at(p, "CHN", FR_CLASS_VISITOR, "2024-01-01")->regime, FR_REGIME_VISA_REQUIRED);
    fr_policy_free(p);
}

/* The 2025-01-12 visa matrix (Destination ECU) and the policy agree on the
 * regime of every nationality on that day. */
static void ecu_policy_matches_the_2025_matrix(void **st)
{
    (void)st;
    fr_policy *p = load_file("data/policy/ecu.policy");
    FILE *f = fopen(FR_SHARED_DATA "/visa/passport-index-2025-01-12-iso3.csv", "r");
    if (!f) {
        fr_policy_free(p);
        /* absent data is a skip on a developer's machine, a failure where the
         * data is expected: present when the build was configured, or asked
         * for with FR_REQUIRE_SHARED_DATA=1 (CI) */
        const char *req = getenv("FR_REQUIRE_SHARED_DATA");
        if (FR_SHARED_DATA_EXPECTED || (req && strcmp(req, "1") == 0))
            fail_msg("the shared data (%s) is expected but missing", FR_SHARED_DATA);
        skip();
    }
    char line[256];
    int rows = 0;
    fr_date day = D("2025-01-12");
    while (fgets(line, sizeof line, f)) {
        char pass[8], dest[8], req[64];
        if (sscanf(line, "%7[^,],%7[^,],%63[^\r\n]", pass, dest, req) != 3 ||
            strcmp(dest, "ECU") != 0)
            continue;
        if (strcmp(req, "-1") == 0) continue;
        const char *code = strcmp(pass, "DEU") == 0 ? "D" : strcmp(pass, "XKX") == 0 ? "RKS" : pass;
        int c = fr_country_find_cstr(code);
        assert_true(c >= 0);
        const fr_policy_rule *r = fr_policy_lookup(p, c, FR_CLASS_VISITOR, day);
        assert_non_null(r);
        fr_regime want = strcmp(req, "e-visa") == 0 ? FR_REGIME_VISA_REQUIRED : FR_REGIME_VISA_FREE;
        if (r->regime != want)
            printf("%s: matrix %s, policy %s\n", code, req, fr_regime_name(r->regime));
        assert_int_equal(r->regime, want);
        rows++;
    }
    fclose(f);
    assert_true(rows > 190);
    fr_policy_free(p);
}

static void table_lookup_equals_naive_scan(void **st)
{
    (void)st;
    const char *files[] = {"data/policy/ecu.policy", "data/policy/schengen.policy",
                           "tests/data/policy/good_precedence.policy"};
    uint64_t x = 88172645463325252u;
    for (size_t f = 0; f < 3; f++) {
        fr_policy *p = load_file(files[f]);
        for (int i = 0; i < 200000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            int c = (int)(x % (uint64_t)fr_country_count());
            fr_admission_class k = (fr_admission_class)((x >> 20) % FR_CLASS_COUNT);
            fr_date d = D("2015-01-01") + (fr_date)((x >> 32) % 4400);
            assert_ptr_equal(fr_policy_lookup(p, c, k, d), fr__policy_lookup_scan(p, c, k, d));
        }
        /* every rule boundary, the day before and the day after */
        for (size_t r = 0; r < fr_policy_rule_count(p); r++) {
            const fr_policy_rule *rule = fr_policy_rule_at(p, r);
            fr_date pts[4] = {rule->from - 1, rule->from, rule->to, rule->to + 1};
            for (int c = 0; c < fr_country_count(); c++)
                for (int j = 0; j < (rule->to == FR_DATE_NONE ? 2 : 4); j++)
                    assert_ptr_equal(fr_policy_lookup(p, c, rule->cls, pts[j]),
                                     fr__policy_lookup_scan(p, c, rule->cls, pts[j]));
        }
        fr_policy_free(p);
    }
}

static int fail_at, allocs;
static void *fail_malloc(size_t n, void *ud)
{
    (void)ud;
    return ++allocs == fail_at ? NULL : malloc(n);
}
static void *fail_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return ++allocs == fail_at ? NULL : realloc(p, n);
}
static void plain_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

static void out_of_memory_at_each_allocation_fails_cleanly(void **st)
{
    (void)st;
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/tests/data/policy/good_precedence.policy", FR_SOURCE_DIR);
    char *text = slurp(path, &len);
    assert_non_null(text);
    fr_allocator a = {fail_malloc, fail_realloc, plain_free, NULL};
    fr_set_allocator(&a);
    int ok = 0;
    for (fail_at = 1; fail_at < 500 && !ok; fail_at++) {
        allocs = 0;
        fr_policy *p = NULL;
        fr_error e;
        int rc = fr_policy_parse(text, len, &p, &e, 1, NULL);
        if (rc == FR_OK) {
            ok = 1;
            fr_policy_free(p);
        } else {
            assert_int_equal(rc, FR_ENOMEM);
            assert_null(p);
        }
    }
    fr_set_allocator(NULL);
    free(text);
    assert_true(ok);
    assert_true(fail_at > 10);
}

static void empty_and_comment_only_files_load_with_no_rules(void **st)
{
    (void)st;
    fr_policy *p = NULL;
    assert_int_equal(fr_policy_parse("", 0, &p, NULL, 0, NULL), FR_OK);
    assert_int_equal(fr_policy_rule_count(p), 0);
    assert_null(fr_policy_lookup(p, 0, FR_CLASS_VISITOR, 0));
    fr_policy_free(p);
    const char *t = "# only a comment\n\n   \n";
    assert_int_equal(fr_policy_parse(t, strlen(t), &p, NULL, 0, NULL), FR_OK);
    fr_policy_free(p);
    size_t n = 0;
    const char nul[] = "rule\0";
    assert_int_equal(fr_policy_parse(nul, sizeof nul - 1, &p, NULL, 0, &n), FR_EPARSE);
    assert_int_equal((int)n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_bad_file_reports_its_error_where_it_is),
        cmocka_unit_test(precedence_nationality_over_group_over_default),
        cmocka_unit_test(a_rule_may_give_its_reference_in_spanish),
        cmocka_unit_test(end_date_is_inclusive_china_2024),
        cmocka_unit_test(ecu_policy_facts),
        cmocka_unit_test(schengen_policy_dated_changes),
        cmocka_unit_test(ecu_policy_matches_the_2025_matrix),
        cmocka_unit_test(table_lookup_equals_naive_scan),
        cmocka_unit_test(out_of_memory_at_each_allocation_fails_cleanly),
        cmocka_unit_test(empty_and_comment_only_files_load_with_no_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
