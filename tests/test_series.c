/* SPDX-License-Identifier: MIT */
/* test_series.c: the monthly series set and its CSV reader (series.h):
 * months, sums of repeated rows, missing versus zero, every bad row reported
 * with line, column and field, limits; and series built from ledger events
 * (tests/data/alerts/events.csv) with arrivals, encounters, due entries and
 * non-exits counted by hand; a ledger's gap and the month of the report date
 * are missing, not zeros, so they raise no alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/country.h"
#include "frontera/csv.h"
#include "frontera/date.h"
#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/series.h"

static fr_month M(const char *s)
{
    fr_month m;
    fr_error e;
    assert_int_equal(fr_month_parse(s, strlen(s), &m, &e), FR_OK);
    return m;
}

static void months_parse_and_format(void **state)
{
    (void)state;
    char buf[FR_MONTH_BUFSZ];
    fr_month_format(M("2023-11"), buf);
    assert_string_equal(buf, "2023-11");
    assert_int_equal(M("2023-11"), 2023 * 12 + 10);
    fr_month m;
    fr_error e;
    assert_int_equal(fr_month_parse("2023-13", 7, &m, &e), FR_EPARSE);
    assert_int_equal(fr_month_parse("2023-1", 6, &m, &e), FR_EPARSE);
    assert_int_equal(fr_month_parse("2023/01", 7, &m, &e), FR_EPARSE);
    fr_date d;
    assert_int_equal(fr_date_parse_cstr("2024-02-29", &d, &e), FR_OK);
    assert_int_equal(fr_month_of_date(d), M("2024-02"));
    assert_int_equal(fr_month_first_day(M("2024-02")), d - 28);
}

static void csv_reads_sums_and_keeps_missing_apart_from_zero(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "metric,period,count,nationality,source\r\n"
                       "arrivals,2023-01,10,CHN,x\r\n"
                       "arrivals,2023-01,5,CHN,y\r\n"
                       "arrivals,2023-03,0,CHN,\r\n"
                       "\r\n"
                       "encounters,2022-12,7,D,\r\n";
    fr_series *s = NULL;
    size_t n = 99;
    assert_int_equal(fr_series_parse(text, strlen(text), &s, NULL, 0, &n), FR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(fr_series_key_count(s), 2);
    long k = fr_series_find(s, fr_country_find_cstr("CHN"), "arrivals");
    assert_true(k >= 0);
    assert_int_equal(fr_series_get(s, (size_t)k, M("2023-01")), 15);
    assert_int_equal(fr_series_get(s, (size_t)k, M("2023-02")), -1); /* missing */
    assert_int_equal(fr_series_get(s, (size_t)k, M("2023-03")), 0);
    assert_int_equal(fr_series_total(s, (size_t)k, M("2022-01"), M("2024-01")), 15);
    assert_int_equal(fr_series_first(s), M("2022-12"));
    assert_int_equal(fr_series_last(s), M("2023-03"));
    assert_true(fr_series_find(s, fr_country_find_cstr("D"), "encounters") >= 0);
    fr_series_free(s);
    /* a header only: a valid empty set */
    assert_int_equal(fr_series_parse("period,nationality,metric,count\n", 32, &s, NULL, 0, NULL),
                     FR_OK);
    assert_int_equal(fr_series_key_count(s), 0);
    assert_int_equal(fr_series_first(s), FR_MONTH_NONE);
    fr_series_free(s);
}

static void csv_reports_every_bad_row_with_line_column_and_field(void **state)
{
    (void)state;
    const char *text = "period,nationality,metric,count\n"
                       "2023-01,CHN,arrivals,10\n"
                       "2023-13,CHN,arrivals,10\n"      /* line 3: month */
                       "2023-02,QQQ,arrivals,10\n"      /* line 4: not a country */
                       "2023-02,CHN,Arrivals,10\n"      /* line 5: metric */
                       "2023-02,CHN,arrivals,-4\n"      /* line 6: count */
                       "2023-02,CHN\n"                  /* line 7: short row */
                       "2023-02,CHN,arrivals,\"1\"x\n"; /* line 8: CSV quoting */
    fr_series *s = (fr_series *)0x1;
    fr_error errs[8];
    size_t n = 0;
    assert_int_equal(fr_series_parse(text, strlen(text), &s, errs, 8, &n), FR_EPARSE);
    assert_ptr_equal(s, (fr_series *)0x1); /* untouched */
    assert_int_equal(n, 6);
    int lines[6] = {3, 4, 5, 6, 7, 8}, cols[5] = {1, 2, 3, 4, 3};
    const char *fields[5] = {"period", "nationality", "metric", "count", "metric"};
    for (int i = 0; i < 6; i++)
        assert_int_equal(errs[i].line, lines[i]);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(errs[i].column, cols[i]);
        assert_string_equal(errs[i].field, fields[i]);
        assert_true(strlen(errs[i].message) > 10);
    }
    assert_non_null(strstr(errs[1].message, "QQQ"));
    /* ISO alpha-3 codes and names are taken outside the MRZ (issue 19, item 9) */
    const char *iso = "period,nationality,metric,count\n2023-01,DEU,arrivals,10\n"
                      "2023-01,XKX,arrivals,2\n";
    assert_int_equal(fr_series_parse(iso, strlen(iso), &s, errs, 8, &n), FR_OK);
    assert_true(fr_series_find(s, fr_country_find_cstr("D"), "arrivals") >= 0);
    assert_true(fr_series_find(s, fr_country_find_cstr("RKS"), "arrivals") >= 0);
    fr_series_free(s);
    /* a missing column is named */
    assert_int_equal(
        fr_series_parse("period,nat,metric,count\n2023-01,CHN,a,1\n", 40, &s, errs, 8, &n),
        FR_EPARSE);
    assert_string_equal(errs[0].field, "nationality");
}

static void add_checks_and_limits(void **state)
{
    (void)state;
    fr_series *s;
    fr_error e;
    int chn = fr_country_find_cstr("CHN");
    assert_int_equal(fr_series_new(&s), FR_OK);
    assert_int_equal(fr_series_add(s, chn, "arrivals", M("2000-01"), 1, &e), FR_OK);
    assert_int_equal(fr_series_add(s, chn, "arrivals", M("2099-12"), 1, &e), FR_OK);
    assert_int_equal(fr_series_add(s, chn, "arrivals", M("2100-01"), 1, &e), FR_ELIMIT);
    assert_int_equal(fr_series_add(s, chn, "bad metric", M("2000-01"), 1, &e), FR_EINVAL);
    assert_int_equal(fr_series_add(s, -1, "arrivals", M("2000-01"), 1, &e), FR_EINVAL);
    assert_int_equal(fr_series_add(s, chn, "arrivals", M("2000-01"), -1, &e), FR_EINVAL);
    assert_int_equal(fr_series_get(s, 0, M("2000-01")), 1); /* unchanged by the failures */
    fr_series_free(s);
    fr_series_free(NULL);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static int64_t get(const fr_series *s, const char *nat, const char *metric, const char *month)
{
    long k = fr_series_find(s, fr_country_find_cstr(nat), metric);
    return k < 0 ? -2 : fr_series_get(s, (size_t)k, M(month));
}

static void built_from_events_with_counts_checked_by_hand(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(FR_SOURCE_DIR "/tests/data/alerts/events.csv", &len);
    fr_csv *csv = NULL;
    fr_series_builder *b = NULL;
    fr_series *s = NULL;
    fr_error e;
    uint64_t rows;
    assert_int_equal(fr_csv_new_mem(text, len, NULL, &csv), FR_OK);
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    assert_int_equal(fr_series_builder_add_csv(b, csv, FR_DATE_NONE, &rows, &e), FR_OK);
    assert_int_equal(rows, 13);
    fr_date as_of;
    assert_int_equal(fr_date_parse_cstr("2023-07-01", &as_of, &e), FR_OK);
    assert_int_equal(fr_series_builder_finish(b, as_of, &s, &e), FR_OK);
    /* China: 3 entries in January (E1 left in time, E2 late, E3 never: met at
     * the border, which is not an exit), E4 in March (stay ended 06-07, no
     * exit), E5 in May (stay runs to 08-17: not due yet) */
    assert_int_equal(get(s, "CHN", "arrivals", "2023-01"), 3);
    assert_int_equal(get(s, "CHN", "arrivals", "2023-02"), 0);
    assert_int_equal(get(s, "CHN", "arrivals", "2023-03"), 1);
    assert_int_equal(get(s, "CHN", "arrivals", "2023-05"), 1);
    assert_int_equal(get(s, "CHN", "due", "2023-01"), 3);
    assert_int_equal(get(s, "CHN", "nonexits", "2023-01"), 2);
    assert_int_equal(get(s, "CHN", "due", "2023-03"), 1);
    assert_int_equal(get(s, "CHN", "nonexits", "2023-03"), 1);
    assert_int_equal(get(s, "CHN", "due", "2023-05"), 0);
    assert_int_equal(get(s, "CHN", "encounters", "2023-03"), 1);
    /* USA: no authorised-until: 90 days (to 05-03); left 04-01 */
    assert_int_equal(get(s, "USA", "due", "2023-02"), 1);
    assert_int_equal(get(s, "USA", "nonexits", "2023-02"), 0);
    assert_int_equal(get(s, "USA", "encounters", "2023-02"), -2); /* no such series */
    assert_int_equal(get(s, "GBR", "arrivals", "2023-04"), -2);   /* exit without entry */
    fr_series_free(s);
    fr_series_builder_free(b);
    fr_csv_free(csv);

    /* the same through fr_series_builder_add and an earlier report date:
     * E4's stay has not ended on 2023-06-01 */
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    fr_event ev;
    fr_event_init(&ev);
    ev.kind = FR_EVENT_ENTRY;
    strcpy(ev.doc.state, "CHN");
    strcpy(ev.doc.number, "E4");
    strcpy(ev.doc.nationality, "CHN");
    assert_int_equal(fr_date_parse_cstr("2023-03-10", &ev.at.date, &e), FR_OK);
    assert_int_equal(fr_date_parse_cstr("2023-06-07", &ev.authorised_until, &e), FR_OK);
    assert_int_equal(fr_series_builder_add(b, &ev), FR_OK);
    assert_int_equal(fr_date_parse_cstr("2023-06-01", &as_of, &e), FR_OK);
    assert_int_equal(fr_series_builder_finish(b, as_of, &s, &e), FR_OK);
    assert_int_equal(get(s, "CHN", "due", "2023-03"), 0);
    assert_int_equal(get(s, "CHN", "nonexits", "2023-03"), 0);
    fr_series_free(s);
    fr_series_builder_free(b);
    free(text);
}

/* Two years of steady USA traffic from first to last, each month: 300 or so
 * entries of 30 days, nine in ten leaving after 5. */
static void steady_ledger(fr_series_builder *b, fr_month first, fr_month last)
{
    uint64_t key = 1;
    int usa = fr_country_find_cstr("USA");
    for (fr_month m = first; m <= last; m++) {
        fr_date d0 = fr_month_first_day(m);
        int n = 300 + (int)(m % 3) * 10;
        for (int i = 0; i < n; i++)
            assert_int_equal(fr_series_builder_add_raw(b, FR_EVENT_ENTRY, d0 + i % 20, usa,
                                                       key + (uint64_t)i, d0 + i % 20 + 29),
                             FR_OK);
        for (int i = 0; i < n; i++)
            if (i % 10)
                assert_int_equal(fr_series_builder_add_raw(b, FR_EVENT_EXIT, d0 + i % 20 + 5, usa,
                                                           key + (uint64_t)i, FR_DATE_NONE),
                                 FR_OK);
        key += (uint64_t)n;
    }
}

static fr_series *finish(fr_series_builder *b, const char *as_of)
{
    fr_series *s = NULL;
    fr_error e;
    fr_date d = FR_DATE_NONE;
    if (as_of) assert_int_equal(fr_date_parse_cstr(as_of, &d, &e), FR_OK);
    assert_int_equal(fr_series_builder_finish(b, d, &s, &e), FR_OK);
    fr_series_builder_free(b);
    return s;
}

static fr_alert *detect(const fr_series *s, size_t *n)
{
    fr_alert *al = NULL;
    fr_error e;
    assert_int_equal(fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &al, n, &e), FR_OK);
    return al;
}

/* The demo's case: a ledger whose data end 2023-12-31 and a booth that
 * records two entries at today's date, 2025-06-10. The months between are a
 * gap in the record and 2025-06 is not over on the report date (the day
 * after the last event): both are missing, not zeros that would read as
 * every nationality falling, and the entries whose stay spans the gap are
 * neither due nor non-exits (their exits may lie in it). So the series up to
 * 2023-12 and the alerts are those of the ledger without the two entries. */
static void gap_and_open_month_are_missing_not_zero(void **state)
{
    (void)state;
    int usa = fr_country_find_cstr("USA");
    fr_series_builder *b = NULL;
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    steady_ledger(b, M("2022-01"), M("2023-12"));
    fr_series *before = finish(b, "2024-01-01");
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    steady_ledger(b, M("2022-01"), M("2023-12"));
    fr_date today;
    fr_error e;
    assert_int_equal(fr_date_parse_cstr("2025-06-10", &today, &e), FR_OK);
    for (uint64_t k = 1; k <= 2; k++)
        assert_int_equal(
            fr_series_builder_add_raw(b, FR_EVENT_ENTRY, today, usa, 1000000 + k, today + 89),
            FR_OK);
    fr_series *after = finish(b, NULL);

    assert_int_equal(get(after, "USA", "arrivals", "2024-01"), -1);
    assert_int_equal(get(after, "USA", "arrivals", "2025-05"), -1);
    assert_int_equal(get(after, "USA", "arrivals", "2025-06"), -1); /* not over */
    assert_int_equal(fr_series_last(after), M("2023-12"));
    for (size_t k = 0; k < fr_series_key_count(before); k++) {
        long ka = fr_series_find(after, fr_series_key_nationality(before, k),
                                 fr_series_key_metric(before, k));
        assert_true(ka >= 0);
        for (fr_month m = M("2022-01"); m <= M("2023-12"); m++)
            assert_int_equal(fr_series_get(after, (size_t)ka, m), fr_series_get(before, k, m));
    }
    /* December's 320 entries of 30 days: the 32 of Dec 1 and 2 ended their
     * stays in December; the others were not due on 2024-01-01, and their
     * stays span the gap now */
    assert_int_equal(get(after, "USA", "arrivals", "2023-12"), 320);
    assert_int_equal(get(after, "USA", "due", "2023-12"), 32);

    size_t nb = 0, na = 0;
    fr_alert *ab = detect(before, &nb), *aa = detect(after, &na);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(aa[i].period, ab[i].period);
        assert_int_equal(aa[i].direction, ab[i].direction);
        assert_string_equal(aa[i].metric, ab[i].metric);
    }
    fr_free(ab);
    fr_free(aa);
    fr_series_free(after);

    /* a report date after 2025-07, with an entry in July: 2025-06 is over but
     * the record resumed in it at an unknown point, so it stays missing, as
     * the gap does; July is recorded whole and counted */
    assert_int_equal(fr_series_builder_new(&b), FR_OK);
    steady_ledger(b, M("2022-01"), M("2023-12"));
    for (uint64_t k = 1; k <= 3; k++)
        assert_int_equal(fr_series_builder_add_raw(b, FR_EVENT_ENTRY, today + (k == 3) * 30, usa,
                                                   1000000 + k, today + 89),
                         FR_OK);
    after = finish(b, "2025-08-01");
    assert_int_equal(get(after, "USA", "arrivals", "2025-06"), -1);
    assert_int_equal(get(after, "USA", "arrivals", "2025-07"), 1);
    assert_int_equal(get(after, "USA", "arrivals", "2024-06"), -1);
    assert_int_equal(get(after, "USA", "arrivals", "2023-12"),
                     get(before, "USA", "arrivals", "2023-12"));
    fr_series_free(after);
    fr_series_free(before);
}

static int count_event(void *ud, const fr_event *ev)
{
    (void)ev;
    (*(int *)ud)++;
    return FR_OK;
}

static void ledger_csv_errors_name_line_column_and_field(void **state)
{
    (void)state;
    const char *text = "event_id,kind,at,port,document_state,document_number,nationality\n"
                       "A,entry,2023-01-01T10:00:00-05:00,ECUIO,CHN,E1,CHN\n"
                       "B,refusal,2023-01-01T10:00:00-05:00,ECUIO,CHN,E2,CHN\n"
                       "C,exit,2023-02-30T10:00:00-05:00,ECUIO,CHN,E1,CHN\n";
    fr_csv *csv = NULL;
    fr_error e;
    int n = 0;
    assert_int_equal(fr_csv_new_mem(text, strlen(text), NULL, &csv), FR_OK);
    assert_int_equal(fr_series_csv_events(csv, FR_DATE_NONE, count_event, &n, NULL, &e), FR_EPARSE);
    assert_int_equal(n, 1); /* the entry; the refusal is not a series event */
    assert_int_equal(e.line, 4);
    assert_int_equal(e.column, 3);
    assert_string_equal(e.field, "at");
    fr_csv_free(csv);
    const char *nohdr = "event_id,kind,port\nA,entry,ECUIO\n";
    assert_int_equal(fr_csv_new_mem(nohdr, strlen(nohdr), NULL, &csv), FR_OK);
    assert_int_equal(fr_series_csv_events(csv, FR_DATE_NONE, count_event, &n, NULL, &e), FR_EPARSE);
    assert_string_equal(e.field, "at");
    fr_csv_free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(months_parse_and_format),
        cmocka_unit_test(csv_reads_sums_and_keeps_missing_apart_from_zero),
        cmocka_unit_test(csv_reports_every_bad_row_with_line_column_and_field),
        cmocka_unit_test(add_checks_and_limits),
        cmocka_unit_test(built_from_events_with_counts_checked_by_hand),
        cmocka_unit_test(gap_and_open_month_are_missing_not_zero),
        cmocka_unit_test(ledger_csv_errors_name_line_column_and_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
