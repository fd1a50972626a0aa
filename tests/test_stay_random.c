/* SPDX-License-Identifier: MIT */
/* test_stay_random.c: fr_stay_eval against the day-by-day reference
 * (stay_naive.c) on many random histories for every rule family: the fast
 * interval algorithms must give exactly the figures of the definitions.
 * Deterministic (fixed seed), so a failure is reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "frontera/stay.h"
#include "stay_internal.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *rules[] = {"rolling:90/180",
                              "rolling:5/12",
                              "rolling:30/60",
                              "period:90/1y",
                              "period:90/1y+90",
                              "period:20/2y",
                              "calendar-year:90",
                              "calendar-year:10",
                              "per-admission:90",
                              "per-admission:7",
                              "per-admission:30,doc-expiry",
                              "until:2024-03-01",
                              "until:2023-12-31"};

/* Coverage of the interesting cases, checked at the end. */
static int seen_breach, seen_none, seen_present, seen_capped, seen_overstay;

static void compare(const fr_stay_rule *r, const fr_stay_record *h, size_t n, fr_date on,
                    fr_date doc, unsigned flags, const char *rs)
{
    fr_stay_result a, b;
    assert_int_equal(fr_stay_eval(r, h, n, on, doc, flags, &a, NULL), FR_OK);
    assert_int_equal(fr__stay_eval_naive(r, h, n, on, doc, flags, &b, NULL), FR_OK);
    seen_breach += a.days_in_breach > 0;
    seen_none += a.latest_exit == FR_DATE_NONE;
    seen_present += a.present;
    seen_overstay += a.overstay_days > 0;
    seen_capped += doc != FR_DATE_NONE && a.latest_exit == doc;
    if (memcmp(&a, &b, sizeof a) != 0) {
        char d[FR_DATE_BUFSZ], e[FR_DATE_BUFSZ];
        printf("MISMATCH rule %s on %s flags %u\n", rs, fr_date_format(on, d), flags);
        for (size_t i = 0; i < n; i++)
            printf("  %s..%s\n", fr_date_format(h[i].entry, d), fr_date_format(h[i].exit, e));
        printf("  fast : ws=%d we=%d max=%d used=%d rem=%d latest=%d mstay=%d over=%d breach=%d "
               "pres=%d\n",
               a.window_start, a.window_end, a.max_days, a.days_used, a.days_remaining,
               a.latest_exit, a.max_stay_days, a.overstay_days, a.days_in_breach, a.present);
        printf("  naive: ws=%d we=%d max=%d used=%d rem=%d latest=%d mstay=%d over=%d breach=%d "
               "pres=%d\n",
               b.window_start, b.window_end, b.max_days, b.days_used, b.days_remaining,
               b.latest_exit, b.max_stay_days, b.overstay_days, b.days_in_breach, b.present);
        fail();
    }
}

static void fast_equals_definition_on_random_histories(void **st)
{
    (void)st;
    fr_date base;
    fr_date_from_ymd(2023, 1, 1, &base);
    for (int iter = 0; iter < 1500; iter++) {
        fr_stay_record h[24];
        size_t n = rnd(12);
        int span = 30 + (int)rnd(900);
        for (size_t i = 0; i < n; i++) {
            h[i].entry = base + (fr_date)rnd((uint32_t)span);
            uint32_t kind = rnd(10);
            if (kind == 0)
                h[i].exit = FR_DATE_NONE;
            else if (kind == 1)
                h[i].exit = h[i].entry; /* same-day trip */
            else
                h[i].exit = h[i].entry + (fr_date)rnd(kind < 5 ? 15 : 120);
        }
        fr_date on = base + (fr_date)rnd((uint32_t)span + 60);
        for (size_t k = 0; k < sizeof rules / sizeof *rules; k++) {
            fr_stay_rule r;
            assert_int_equal(fr_stay_rule_parse(rules[k], strlen(rules[k]), &r, NULL), FR_OK);
            fr_date doc = rnd(2) ? FR_DATE_NONE : on + (fr_date)rnd(60) - 10;
            compare(&r, h, n, on, doc, rnd(2) ? FR_STAY_EXTENDED : 0, rules[k]);
        }
    }
    printf("covered: breach %d, no day left %d, present %d, overstay %d, capped %d\n", seen_breach,
           seen_none, seen_present, seen_overstay, seen_capped);
    assert_true(seen_breach > 100 && seen_none > 100 && seen_present > 100 && seen_overstay > 100 &&
                seen_capped > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_equals_definition_on_random_histories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
