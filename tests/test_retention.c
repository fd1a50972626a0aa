/* SPDX-License-Identifier: MIT */
/* test_retention.c: the retention rule (retention.h): which person is due
 * for erasure when, under the EES periods (3 years after an exit, 5 after
 * an unclosed stay or a refusal with no later exit) and others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "frontera/retention.h"

static fr_date D(const char *s)
{
    fr_date d = FR_DATE_NONE;
    assert_int_equal(fr_date_parse_cstr(s, &d, NULL), FR_OK);
    return d;
}

static fr_retention ees(void)
{
    fr_retention r;
    fr_retention_defaults(&r);
    return r;
}

#define EV(k, d, u)                                                                                \
    {                                                                                              \
        (k), D(d), (u)                                                                             \
    }
#define NONE FR_DATE_NONE

static void closed_stay_is_kept_three_years_after_the_exit(void **st)
{
    (void)st;
    fr_retention r = ees();
    fr_retention_event ev[] = {EV(FR_EVENT_ENTRY, "2021-03-01", D("2021-05-29")),
                               EV(FR_EVENT_EXIT, "2021-05-10", NONE)};
    fr_retention_rule rule = FR_RETAIN_NONE;
    fr_date keep = fr_retention_keep_until(&r, ev, 2, &rule);
    assert_int_equal(keep, D("2024-05-10"));
    assert_int_equal(rule, FR_RETAIN_EXIT);
    assert_false(fr_retention_due(keep, D("2024-05-10"))); /* the last day kept */
    assert_true(fr_retention_due(keep, D("2024-05-11")));
}

static void overstayer_is_kept_five_years_after_the_authorised_stay(void **st)
{
    (void)st;
    fr_retention r = ees();
    /* entered, never left: 5 years after the last authorised day, not the entry */
    fr_retention_event ev[] = {EV(FR_EVENT_ENTRY, "2020-01-10", D("2020-04-08"))};
    fr_retention_rule rule;
    fr_date keep = fr_retention_keep_until(&r, ev, 1, &rule);
    assert_int_equal(keep, D("2025-04-08"));
    assert_int_equal(rule, FR_RETAIN_OVERSTAY);
    /* an extension moves the end of the stay, and so the date */
    fr_retention_event ext[] = {EV(FR_EVENT_ENTRY, "2020-01-10", D("2020-04-08")),
                                EV(FR_EVENT_EXTENSION, "2020-04-01", D("2020-07-07"))};
    assert_int_equal(fr_retention_keep_until(&r, ext, 2, NULL), D("2025-07-07"));
    /* no authorised stay given: counted from the entry */
    fr_retention_event open[] = {EV(FR_EVENT_ENTRY, "2020-01-10", NONE)};
    assert_int_equal(fr_retention_keep_until(&r, open, 1, NULL), D("2025-01-10"));
}

static void an_entry_closed_by_another_entry_counts_as_an_overstay(void **st)
{
    (void)st;
    fr_retention r = ees();
    /* the first stay was never closed by an exit: its 5 years outlast the
     * second stay's 3 */
    fr_retention_event ev[] = {EV(FR_EVENT_ENTRY, "2020-01-10", D("2020-12-31")),
                               EV(FR_EVENT_ENTRY, "2021-01-05", D("2021-02-01")),
                               EV(FR_EVENT_EXIT, "2021-01-20", NONE)};
    fr_retention_rule rule;
    assert_int_equal(fr_retention_keep_until(&r, ev, 3, &rule), D("2025-12-31"));
    assert_int_equal(rule, FR_RETAIN_OVERSTAY);
}

static void refusal_without_later_exit_is_kept_five_years(void **st)
{
    (void)st;
    fr_retention r = ees();
    fr_retention_event ev[] = {EV(FR_EVENT_REFUSAL, "2021-06-01", NONE)};
    fr_retention_rule rule;
    assert_int_equal(fr_retention_keep_until(&r, ev, 1, &rule), D("2026-06-01"));
    assert_int_equal(rule, FR_RETAIN_REFUSAL);
    /* refused, later admitted and gone: the exit closes the file */
    fr_retention_event later[] = {EV(FR_EVENT_REFUSAL, "2021-06-01", NONE),
                                  EV(FR_EVENT_ENTRY, "2022-01-01", D("2022-02-01")),
                                  EV(FR_EVENT_EXIT, "2022-01-15", NONE)};
    assert_int_equal(fr_retention_keep_until(&r, later, 3, &rule), D("2025-01-15"));
    assert_int_equal(rule, FR_RETAIN_EXIT);
    /* an encounter inland is kept like a refusal */
    fr_retention_event enc[] = {EV(FR_EVENT_ENCOUNTER, "2021-06-01", NONE)};
    assert_int_equal(fr_retention_keep_until(&r, enc, 1, &rule), D("2026-06-01"));
    assert_int_equal(rule, FR_RETAIN_REFUSAL);
}

static void the_latest_record_keeps_the_whole_person(void **st)
{
    (void)st;
    fr_retention r = ees();
    /* an old closed stay and a recent one: nothing is due until the recent
     * exit's three years have passed */
    fr_retention_event ev[] = {
        EV(FR_EVENT_ENTRY, "2015-01-01", D("2015-03-01")), EV(FR_EVENT_EXIT, "2015-02-01", NONE),
        EV(FR_EVENT_ENTRY, "2023-07-01", D("2023-09-01")), EV(FR_EVENT_EXIT, "2023-08-01", NONE)};
    fr_date keep = fr_retention_keep_until(&r, ev, 4, NULL);
    assert_int_equal(keep, D("2026-08-01"));
    assert_false(fr_retention_due(keep, D("2026-01-01")));
    assert_true(fr_retention_due(keep, D("2026-08-02")));
}

static void periods_are_configurable_and_checked(void **st)
{
    (void)st;
    fr_retention r = {1, 2, 30};
    fr_error err;
    fr_error_clear(&err);
    assert_int_equal(fr_retention_check(&r, &err), FR_OK);
    assert_int_equal(ees().manifest_days, 90);
    /* a manifest kept as long as the crossings it is matched to: refused */
    r.manifest_days = 365;
    assert_int_equal(fr_retention_check(&r, &err), FR_EINVAL);
    assert_string_equal(err.field, "manifest_days");
    r.manifest_days = 0;
    assert_int_equal(fr_retention_check(&r, &err), FR_EINVAL);
    r.manifest_days = 30;
    fr_retention_event ev[] = {EV(FR_EVENT_EXIT, "2020-02-29", NONE)};
    assert_int_equal(fr_retention_keep_until(&r, ev, 1, NULL), D("2021-02-28"));
    fr_retention_event ov[] = {EV(FR_EVENT_ENTRY, "2020-01-01", D("2020-03-31"))};
    assert_int_equal(fr_retention_keep_until(&r, ov, 1, NULL), D("2022-03-31"));
    r.exit_years = 0;
    assert_int_equal(fr_retention_check(&r, &err), FR_EINVAL);
    assert_string_equal(err.field, "exit_years");
    r.exit_years = 3;
    r.overstay_years = FR_RETENTION_YEARS_MAX + 1;
    assert_int_equal(fr_retention_check(&r, &err), FR_EINVAL);
    assert_string_equal(err.field, "overstay_years");
}

static void cutoffs_match_the_rule(void **st)
{
    (void)st;
    fr_retention r = ees();
    fr_date x, o, as_of = D("2026-12-06");
    fr_retention_cutoffs(&r, as_of, &x, &o);
    assert_int_equal(x, D("2023-12-05"));
    assert_int_equal(o, D("2021-12-05"));
    /* an exit on the cutoff is due on as_of, one a day later is not */
    fr_retention_event on[] = {EV(FR_EVENT_EXIT, "2023-12-05", NONE)};
    fr_retention_event after[] = {EV(FR_EVENT_EXIT, "2023-12-06", NONE)};
    assert_true(fr_retention_due(fr_retention_keep_until(&r, on, 1, NULL), as_of));
    assert_false(fr_retention_due(fr_retention_keep_until(&r, after, 1, NULL), as_of));
    /* no events: nothing keeps the person */
    fr_retention_rule rule;
    assert_int_equal(fr_retention_keep_until(&r, NULL, 0, &rule), FR_DATE_NONE);
    assert_int_equal(rule, FR_RETAIN_NONE);
    assert_true(fr_retention_due(FR_DATE_NONE, as_of));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closed_stay_is_kept_three_years_after_the_exit),
        cmocka_unit_test(overstayer_is_kept_five_years_after_the_authorised_stay),
        cmocka_unit_test(an_entry_closed_by_another_entry_counts_as_an_overstay),
        cmocka_unit_test(refusal_without_later_exit_is_kept_five_years),
        cmocka_unit_test(the_latest_record_keeps_the_whole_person),
        cmocka_unit_test(periods_are_configurable_and_checked),
        cmocka_unit_test(cutoffs_match_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
