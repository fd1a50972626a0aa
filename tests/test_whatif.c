/* SPDX-License-Identifier: MIT */
/* test_whatif.c: a policy applied to past arrivals (whatif.h), on the
 * thirteen events of tests/data/alerts/events.csv with the two policies of
 * tests/data/alerts/ (then.policy: the policy in force; whatif.policy: the
 * one tested). Every count below was worked out by hand from those files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/csv.h"
#include "frontera/series.h"
#include "frontera/whatif.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static fr_policy *policy(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/alerts/%s", FR_SOURCE_DIR, name);
    size_t len;
    char *text = slurp(path, &len);
    fr_policy *p = NULL;
    fr_error errs[4];
    assert_int_equal(fr_policy_parse(text, len, &p, errs, 4, NULL), FR_OK);
    free(text);
    return p;
}

static int add(void *ud, const fr_event *ev)
{
    return fr_whatif_add(ud, ev);
}

/* Feed events.csv through the ledger CSV reader (series.h). */
static void feed(fr_whatif *w)
{
    size_t len;
    char *text = slurp(FR_SOURCE_DIR "/tests/data/alerts/events.csv", &len);
    fr_csv *csv = NULL;
    fr_error e;
    uint64_t rows = 0;
    assert_int_equal(fr_csv_new_mem(text, len, NULL, &csv), FR_OK);
    assert_int_equal(fr_series_csv_events(csv, FR_DATE_NONE, add, w, &rows, &e), FR_OK);
    assert_int_equal(rows, 13);
    fr_csv_free(csv);
    free(text);
}

static const fr_whatif_row *row(const fr_whatif_row *r, size_t n, const char *nat)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fr_country_code(r[i].nationality), nat) == 0) return &r[i];
    fail_msg("no row for %s", nat);
    return NULL;
}

static void counts_against_the_policy_in_force_checked_by_hand(void **state)
{
    (void)state;
    fr_policy *p = policy("whatif.policy"), *then = policy("then.policy");
    fr_whatif *w;
    fr_date from, to, as_of;
    fr_error e;
    assert_int_equal(fr_date_parse_cstr("2023-01-01", &from, &e), FR_OK);
    assert_int_equal(fr_date_parse_cstr("2023-12-31", &to, &e), FR_OK);
    assert_int_equal(fr_date_parse_cstr("2023-07-01", &as_of, &e), FR_OK);
    assert_int_equal(fr_whatif_new(p, then, from, to, &w), FR_OK);
    feed(w);
    fr_whatif_row *r;
    size_t n;
    assert_int_equal(fr_whatif_finish(w, as_of, &r, &n), FR_OK);
    assert_int_equal(n, 4); /* CHN, CUB, IND, USA (GBR only exited) */
    assert_string_equal(fr_country_code(r[0].nationality), "CHN"); /* most arrivals first */
    const fr_whatif_row *chn = row(r, n, "CHN");
    assert_int_equal(chn->arrivals, 5);
    assert_int_equal(chn->need_visa, 2); /* E4 (03-10) and E5 (05-20): from 03-01 */
    assert_int_equal(chn->need_visa_baseline, 0);
    assert_int_equal(chn->visa_free, 5);
    assert_int_equal(chn->overstays, 1); /* E2 left 03-01, allowed to 02-15 */
    assert_int_equal(chn->nonexits, 2);  /* E3 (to 02-20) and E4 (to 06-07); E5 not due */
    const fr_whatif_row *cub = row(r, n, "CUB");
    assert_int_equal(cub->need_visa, 0);
    assert_int_equal(cub->need_visa_baseline, 1);
    assert_int_equal(cub->visa_free, 0);
    assert_int_equal(cub->nonexits, 0); /* not visa-free then: not counted */
    const fr_whatif_row *ind = row(r, n, "IND");
    assert_int_equal(ind->need_visa, 1); /* evisa */
    assert_int_equal(ind->visa_free, 1);
    assert_int_equal(ind->nonexits, 1);
    const fr_whatif_row *usa = row(r, n, "USA");
    assert_int_equal(usa->arrivals, 1);
    assert_int_equal(usa->need_visa + usa->overstays + usa->nonexits, 0); /* left in 90 days */
    fr_free(r);
    fr_whatif_free(w);
    fr_policy_free(p);
    fr_policy_free(then);
}

static void without_baseline_visa_free_means_under_the_policy(void **state)
{
    (void)state;
    fr_policy *p = policy("whatif.policy");
    fr_whatif *w;
    fr_date from, as_of;
    fr_error e;
    assert_int_equal(fr_date_parse_cstr("2023-02-01", &from, &e), FR_OK);
    assert_int_equal(fr_date_parse_cstr("2023-07-01", &as_of, &e), FR_OK);
    assert_int_equal(fr_whatif_new(p, NULL, from, FR_DATE_NONE, &w), FR_OK);
    feed(w);
    fr_whatif_row *r;
    size_t n;
    assert_int_equal(fr_whatif_finish(w, as_of, &r, &n), FR_OK);
    const fr_whatif_row *chn = row(r, n, "CHN");
    assert_int_equal(chn->arrivals, 2); /* January entries are before the period */
    assert_int_equal(chn->need_visa, 2);
    assert_int_equal(chn->need_visa_baseline, 0);
    assert_int_equal(chn->visa_free, 0);
    assert_int_equal(chn->overstays, 0); /* E2's late exit: its entry is outside the period */
    const fr_whatif_row *cub = row(r, n, "CUB");
    assert_int_equal(cub->visa_free, 1);
    assert_int_equal(cub->nonexits, 1); /* to 06-09, no exit */
    fr_free(r);
    fr_whatif_free(w);
    fr_policy_free(p);
    assert_int_equal(fr_whatif_new(NULL, NULL, FR_DATE_NONE, FR_DATE_NONE, &w), FR_EINVAL);
    fr_whatif_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_against_the_policy_in_force_checked_by_hand),
        cmocka_unit_test(without_baseline_visa_free_means_under_the_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
