/* SPDX-License-Identifier: MIT */
/* test_stay.c: the stay calculator on the worked cases of
 * tests/data/stay/cases.txt (window borders, leap years, same-day trips,
 * open stays, overlaps, every rule family), the rule syntax, bad histories,
 * and the admission helper fr_stay_authorise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/stay.h"

static fr_date D(const char *s)
{
    fr_date d;
    assert_int_equal(fr_date_parse_cstr(s, &d, NULL), FR_OK);
    return d;
}

static fr_date Dopt(const char *s)
{
    return strcmp(s, "-") == 0 ? FR_DATE_NONE : D(s);
}

static fr_stay_rule R(const char *s)
{
    fr_stay_rule r;
    fr_error e;
    if (fr_stay_rule_parse(s, strlen(s), &r, &e) != FR_OK) printf("rule %s: %s\n", s, e.message);
    assert_int_equal(fr_stay_rule_parse(s, strlen(s), &r, NULL), FR_OK);
    return r;
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r'))
        *--e = 0;
    return s;
}

static void worked_cases_from_the_data_file(void **st)
{
    (void)st;
    FILE *f = fopen(FR_SOURCE_DIR "/tests/data/stay/cases.txt", "r");
    assert_non_null(f);
    char line[1024];
    int cases = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        char *col[6] = {0};
        char *p = line;
        for (int i = 0; i < 6; i++) {
            col[i] = p;
            p = strchr(p, '|');
            if (!p) break;
            *p++ = 0;
        }
        assert_non_null(col[5]);
        const char *name = trim(col[0]);
        fr_stay_rule rule = R(trim(col[1]));
        fr_date on = D(trim(col[2]));
        fr_stay_record h[32];
        size_t n = 0;
        char *stays = trim(col[3]);
        for (char *tok = strtok(stays, " "); tok && strcmp(tok, "-") != 0;
             tok = strtok(NULL, " ")) {
            char *dots = strstr(tok, "..");
            assert_non_null(dots);
            *dots = 0;
            h[n].entry = D(tok);
            h[n].exit = dots[2] ? D(dots + 2) : FR_DATE_NONE;
            n++;
        }
        char ws[16], latest[16];
        int used, rem, maxstay, over, breach;
        assert_int_equal(sscanf(col[4], "%15s %d %d %15s %d %d %d", ws, &used, &rem, latest,
                                &maxstay, &over, &breach),
                         7);
        unsigned flags = 0;
        fr_date doc = FR_DATE_NONE;
        char *opt = trim(col[5]);
        if (strstr(opt, "ext")) flags |= FR_STAY_EXTENDED;
        if (strstr(opt, "doc=")) doc = D(strstr(opt, "doc=") + 4);
        fr_stay_result o;
        assert_int_equal(fr_stay_eval(&rule, h, n, on, doc, flags, &o, NULL), FR_OK);
        char got_ws[FR_DATE_BUFSZ], got_latest[FR_DATE_BUFSZ];
        fr_date_format(o.window_start, got_ws);
        fr_date_format(o.latest_exit, got_latest);
        if (o.window_start != D(ws) || o.days_used != used || o.days_remaining != rem ||
            o.latest_exit != Dopt(latest) || o.max_stay_days != maxstay ||
            o.overstay_days != over || o.days_in_breach != breach) {
            printf("%s: got %s %d %d %s %d %d %d\n", name, got_ws, o.days_used, o.days_remaining,
                   o.latest_exit == FR_DATE_NONE ? "-" : got_latest, o.max_stay_days,
                   o.overstay_days, o.days_in_breach);
            fail();
        }
        /* record order must not matter */
        for (size_t i = 0; i + 1 < n; i++) {
            fr_stay_record t = h[i];
            h[i] = h[n - 1 - i];
            h[n - 1 - i] = t;
        }
        fr_stay_result o2;
        assert_int_equal(fr_stay_eval(&rule, h, n, on, doc, flags, &o2, NULL), FR_OK);
        assert_memory_equal(&o, &o2, sizeof o);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 20);
}

static void rule_text_round_trips(void **st)
{
    (void)st;
    const char *good[] = {"rolling:90/180",
                          "period:90/1y",
                          "period:90/1y+90",
                          "period:20/2y",
                          "calendar-year:90",
                          "per-admission:30",
                          "per-admission:30,doc-expiry",
                          "until:2024-03-01",
                          "none"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        fr_stay_rule r = R(good[i]);
        char buf[FR_STAY_RULE_BUFSZ];
        assert_string_equal(fr_stay_rule_format(&r, buf), good[i]);
    }
}

static void bad_rules_name_the_column(void **st)
{
    (void)st;
    struct {
        const char *text;
        int col;
        const char *msg;
    } bad[] = {
        {"rolling:90", 11, "expected '/'"},
        {"rolling:90/90", 12, "must be longer"},
        {"rolling:0/180", 9, "the number of days N must be at least 1"},
        {"rolling:x/180", 9, "expected the number of days N"},
        {"rolling:90/", 12, "expected the window W in days"},
        {"rolling:90/99999", 12, "the window W must be at most 3660 days"},
        {"period:90/1", 12, "expected 'y'"},
        {"period:90/0y", 11, "the period must be at least 1 year"},
        {"period:90/11y", 11, "the period must be at most 10 years"},
        {"period:400/1y", 8, "cannot fit"},
        {"period:90/1y+", 14, "expected the extension in days"},
        {"period:90/1y+0", 14, "the extension must be at least 1 day"},
        {"calendar-year:366", 15, "the number of days per year must be at most 365"},
        {"calendar-year:0", 15, "the number of days per year must be at least 1"},
        {"per-admission:90,cap", 18, "doc-expiry"},
        {"until:2024-02-30", 15, "until:"},
        {"weekly:3", 1, "unknown stay rule"},
        {"rolling:90/180x", 15, "unexpected 'x'"},
        {"rolling:90/18O", 14,
         "unexpected 'O'"}, /* a letter O typed for a zero: not an 18-day window */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fr_stay_rule r;
        fr_error e;
        assert_int_not_equal(fr_stay_rule_parse(bad[i].text, strlen(bad[i].text), &r, &e), FR_OK);
        if (e.column != bad[i].col || !strstr(e.message, bad[i].msg))
            printf("%s: column %d: %s\n", bad[i].text, e.column, e.message);
        assert_int_equal(e.column, bad[i].col);
        assert_non_null(strstr(e.message, bad[i].msg));
    }
}

static void bad_histories_are_errors_not_answers(void **st)
{
    (void)st;
    fr_stay_rule r = R("rolling:90/180");
    fr_stay_result o;
    fr_error e;
    fr_stay_record h[2] = {{D("2024-01-10"), D("2024-01-05")}, {D("2024-02-01"), FR_DATE_NONE}};
    assert_int_equal(fr_stay_eval(&r, h, 2, D("2024-03-01"), FR_DATE_NONE, 0, &o, &e), FR_EINVAL);
    assert_non_null(strstr(e.message, "stay 1 ends before it starts"));
    static fr_stay_record many[FR_STAY_MAX_RECORDS + 1];
    for (size_t i = 0; i < FR_STAY_MAX_RECORDS + 1; i++)
        many[i].entry = many[i].exit = D("2024-01-01");
    assert_int_equal(
        fr_stay_eval(&r, many, FR_STAY_MAX_RECORDS + 1, D("2024-03-01"), FR_DATE_NONE, 0, &o, &e),
        FR_ELIMIT);
    assert_int_equal(
        fr_stay_eval(&r, many, FR_STAY_MAX_RECORDS, D("2024-03-01"), FR_DATE_NONE, 0, &o, &e),
        FR_OK);
    assert_int_equal(o.days_used, 1);
    fr_stay_rule none = R("none");
    assert_int_equal(fr_stay_eval(&none, h + 1, 1, D("2024-03-01"), FR_DATE_NONE, 0, &o, &e),
                     FR_EINVAL);
}

static void future_records_are_ignored(void **st)
{
    (void)st;
    fr_stay_rule r = R("rolling:90/180");
    fr_stay_record h[2] = {{D("2025-01-01"), D("2025-01-10")}, {D("2025-05-01"), D("2025-05-20")}};
    fr_stay_result o;
    assert_int_equal(fr_stay_eval(&r, h, 2, D("2025-01-05"), FR_DATE_NONE, 0, &o, NULL), FR_OK);
    assert_int_equal(o.days_used, 5); /* through the check date only */
    assert_true(o.present);
}

static void authorise_for_admission(void **st)
{
    (void)st;
    fr_stay_rule r = R("rolling:90/180");
    fr_stay_record h[1] = {{D("2025-01-01"), D("2025-03-31")}};
    fr_stay_authorisation a;
    /* full 90 days used: refused on 2025-06-29, allowed on 2025-06-30 */
    assert_int_equal(fr_stay_authorise(&r, h, 1, D("2025-06-29"), FR_DATE_NONE, 0, 0, &a, NULL),
                     FR_OK);
    assert_true(a.exhausted);
    assert_int_equal(a.authorised_until, FR_DATE_NONE);
    assert_int_equal(fr_stay_authorise(&r, h, 1, D("2025-06-30"), FR_DATE_NONE, 0, 0, &a, NULL),
                     FR_OK);
    assert_false(a.exhausted);
    assert_int_equal(a.authorised_until, D("2025-09-27"));
    assert_int_equal(a.authorised_days, 90);
    assert_int_equal(a.limited_by, FR_STAY_LIMIT_RULE);
    /* a shorter intended stay is what is authorised */
    assert_int_equal(fr_stay_authorise(&r, h, 1, D("2025-06-30"), FR_DATE_NONE, 14, 0, &a, NULL),
                     FR_OK);
    assert_int_equal(a.authorised_until, D("2025-07-13"));
    assert_int_equal(a.limited_by, FR_STAY_LIMIT_INTENDED);
    assert_false(a.shortened);
    /* a longer one is cut to the rule, and says so */
    assert_int_equal(fr_stay_authorise(&r, h, 1, D("2025-06-30"), FR_DATE_NONE, 120, 0, &a, NULL),
                     FR_OK);
    assert_int_equal(a.authorised_until, D("2025-09-27"));
    assert_true(a.shortened);
    /* document expiry caps a per-admission rule that asks for it */
    fr_stay_rule pa = R("per-admission:90,doc-expiry");
    assert_int_equal(
        fr_stay_authorise(&pa, NULL, 0, D("2024-03-01"), D("2024-04-15"), 0, 0, &a, NULL), FR_OK);
    assert_int_equal(a.authorised_until, D("2024-04-15"));
    assert_int_equal(a.limited_by, FR_STAY_LIMIT_DOCUMENT);
    /* an expired document leaves nothing */
    assert_int_equal(
        fr_stay_authorise(&pa, NULL, 0, D("2024-03-01"), D("2024-02-15"), 0, 0, &a, NULL), FR_OK);
    assert_true(a.exhausted);
    assert_int_equal(a.limited_by, FR_STAY_LIMIT_DOCUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_cases_from_the_data_file),
        cmocka_unit_test(rule_text_round_trips),
        cmocka_unit_test(bad_rules_name_the_column),
        cmocka_unit_test(bad_histories_are_errors_not_answers),
        cmocka_unit_test(future_records_are_ignored),
        cmocka_unit_test(authorise_for_admission),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
