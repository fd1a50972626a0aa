/* SPDX-License-Identifier: MIT */
/* test_analytics.c: flow and overstay reports on a small ledger whose
 * figures are worked out by hand below (docs/analytics.md has the rules),
 * including the DHS edge cases: a departure on the authorised-until date is
 * in time, one day later is an overstay, an exit after the report date does
 * not count, a stay that has not ended by the report date is not expected;
 * an extension moves the end of the stay; an event sent late re-pairs its
 * traveller; the same ledger in reverse arrival order gives the same figures.
 *
 * The ledger (all 2024; u = authorised until; E entry, X exit, R refusal,
 * C encounter, EXT extension):
 *   T1  CHN  E 01-01 ECUIO u 03-30   X 03-30 ECUIO          (leaves on the last day)
 *   T2  CHN  E 01-10 ECUIO u 04-08   X 04-09 ECGYE          (one day late)
 *            E 04-20 ECGYE u 05-10   X 05-10 ECGYE          (in time)
 *   T3  CHN  E 02-01 ECGYE u 05-01   C 04-15 ECTUL          (never exits)
 *   T4  CHN  E 06-01 ECUIO u 08-29                           (stay not over)
 *   T5  COL  E 01-05 ECUIO u 07-02   X 01-20 ECUIO
 *   T6  COL  E 02-01 ECGYE u 02-20   EXT 02-15 u 03-31   X 03-25 ECGYE
 *   T7  COL  X 02-02 ECUIO                                   (no entry)
 *   T8  CHN  R 03-01 ECUIO
 *   T9  COL  X 03-10 ECUIO sent before E 03-01 ECUIO u 03-09 (late; left a day late)
 *   T10 COL  E 01-02 ECUIO u 01-31   X 05-10 ECUIO          (100 days late) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <stdlib.h>

#include "frontera/alloc.h"
#include "frontera/analytics.h"
#include "frontera/country.h"

typedef struct {
    fr_event_kind kind;
    const char *date, *port;
    uint64_t trav;
    const char *nat, *until;
} row;

#define E FR_EVENT_ENTRY
#define X FR_EVENT_EXIT
static const row LEDGER[] = {
    {E, "2024-01-01", "ECUIO", 1, "CHN", "2024-03-30"},
    {X, "2024-03-30", "ECUIO", 1, "CHN", NULL},
    {E, "2024-01-10", "ECUIO", 2, "CHN", "2024-04-08"},
    {X, "2024-04-09", "ECGYE", 2, "CHN", NULL},
    {E, "2024-04-20", "ECGYE", 2, "CHN", "2024-05-10"},
    {X, "2024-05-10", "ECGYE", 2, "CHN", NULL},
    {E, "2024-02-01", "ECGYE", 3, "CHN", "2024-05-01"},
    {FR_EVENT_ENCOUNTER, "2024-04-15", "ECTUL", 3, "CHN", NULL},
    {E, "2024-06-01", "ECUIO", 4, "CHN", "2024-08-29"},
    {E, "2024-01-05", "ECUIO", 5, "COL", "2024-07-02"},
    {X, "2024-01-20", "ECUIO", 5, "COL", NULL},
    {E, "2024-02-01", "ECGYE", 6, "COL", "2024-02-20"},
    {FR_EVENT_EXTENSION, "2024-02-15", "ECGYE", 6, "COL", "2024-03-31"},
    {X, "2024-03-25", "ECGYE", 6, "COL", NULL},
    {X, "2024-02-02", "ECUIO", 7, "COL", NULL},
    {FR_EVENT_REFUSAL, "2024-03-01", "ECUIO", 8, "CHN", NULL},
    {X, "2024-03-10", "ECUIO", 9, "COL", NULL},
    {E, "2024-03-01", "ECUIO", 9, "COL", "2024-03-09"},
    {E, "2024-01-02", "ECUIO", 10, "COL", "2024-01-31"},
    {X, "2024-05-10", "ECUIO", 10, "COL", NULL},
};
#define NLEDGER (sizeof LEDGER / sizeof LEDGER[0])

static fr_date D(const char *s)
{
    fr_date d = FR_DATE_NONE;
    fr_error err;
    assert_int_equal(fr_date_parse_cstr(s, &d, &err), FR_OK);
    return d;
}

static void add(fr_analytics *a, const row *r)
{
    fr_analytics_event ev = {.kind = r->kind,
                             .date = D(r->date),
                             .port = r->port,
                             .nationality = r->nat,
                             /* only admissions carry a class, as at the booth */
                             .admission_class = r->until ? "T" : "",
                             .authorised_until = r->until ? D(r->until) : FR_DATE_NONE,
                             .traveller = r->trav};
    ev.at_utc = (int64_t)ev.date * 86400 + 12 * 3600;
    fr_error err;
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_OK);
}

static fr_analytics *ledger(int reverse)
{
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    for (size_t i = 0; i < NLEDGER; i++)
        add(a, &LEDGER[reverse ? NLEDGER - 1 - i : i]);
    return a;
}

static fr_report *run(fr_analytics *a, int overstays, const char *from, const char *to,
                      const char *as_of, const char *by, int persons, int cumulative)
{
    fr_report_query q;
    fr_report_query_init(&q);
    q.from = from ? D(from) : FR_DATE_NONE;
    q.to = to ? D(to) : FR_DATE_NONE;
    q.as_of = as_of ? D(as_of) : FR_DATE_NONE;
    q.persons = persons;
    q.cumulative = cumulative;
    if (by) q.keys[q.nkeys++] = fr_report_key_parse(by, strlen(by));
    fr_report *r = NULL;
    fr_error err;
    int rc =
        overstays ? fr_analytics_overstays(a, &q, &r, &err) : fr_analytics_flows(a, &q, &r, &err);
    assert_int_equal(rc, FR_OK);
    return r;
}

/* Check row i: its label and values. */
static void expect(const fr_report *r, size_t i, const char *label, const int64_t *v)
{
    assert_true(i < r->nrows);
    if (label) assert_string_equal(r->labels[0][r->rows[i].key[0]], label);
    for (size_t k = 0; k < r->nvalues; k++)
        assert_int_equal(r->rows[i].v[k], v[k]);
}

static void overstays_by_nationality_follow_the_dhs_rules(void **state)
{
    (void)state;
    for (int rev = 0; rev < 2; rev++) {
        fr_analytics *a = ledger(rev);
        fr_report *r = run(a, 1, "2024-01-01", "2024-06-30", "2024-06-30", "nationality", 0, 0);
        assert_int_equal(r->nrows, 2);
        /* CHN stays ending 01-01..06-29: T1 (03-30, left 03-30: in time), T2 (04-08, left
         * 04-09: late), T2 again (05-10, left 05-10: in time), T3 (05-01, no exit: in
         * country); T4 ends 08-29: not expected. 4 = 2 + 1 + 1.
         * Crude: entries T1 T2 T2 T3 T4 = 5, exits T1 T2 T2 = 3: (5 - 3) / 5 = 0.4. */
        expect(r, 0, "CHN", (const int64_t[]){4, 2, 1, 1, 5, 3});
        assert_true(fr_report_overstay_rate(&r->rows[0]) == 0.5);
        assert_true(fr_report_in_country_rate(&r->rows[0]) == 0.25);
        assert_true(fr_report_crude_rate(&r->rows[0]) == 0.4);
        /* COL: T6 (extended to 03-31, left 03-25: in time), T9 (03-09, left 03-10: late,
         * the exit sent first), T10 (01-31, left 05-10: late); T5 ends 07-02: not expected.
         * Crude: entries T5 T6 T9 T10 = 4, exits T5 T6 T7 T9 T10 = 5: (4 - 5) / 4 = -0.25. */
        expect(r, 1, "COL", (const int64_t[]){3, 1, 2, 0, 4, 5});
        assert_true(fr_report_crude_rate(&r->rows[1]) == -0.25);
        expect(r, 0, NULL, r->rows[0].v);
        assert_int_equal(r->total.v[FR_OVS_EXPECTED], 7);
        fr_report_free(r);
        fr_analytics_free(a);
    }
}

static void the_report_date_decides_what_is_expected_and_what_has_left(void **state)
{
    (void)state;
    fr_analytics *a = ledger(0);
    /* As of 04-08, T2's stay (ends 04-08) has not ended: CHN expects only T1 (in time).
     * COL: T6 in time, T9 late (left 03-10), T10 (ended 01-31, exit 05-10 is after the
     * report date) in the country. Crude up to 04-08: CHN entries T1 T2 T3 = 3, exits T1
     * = 1; COL entries T5 T6 T9 T10 = 4, exits T5 T6 T7 T9 = 4. */
    fr_report *r = run(a, 1, "2024-01-01", "2024-06-30", "2024-04-08", "nationality", 0, 0);
    assert_int_equal(r->nrows, 2);
    expect(r, 0, "CHN", (const int64_t[]){1, 1, 0, 0, 3, 1});
    expect(r, 1, "COL", (const int64_t[]){3, 1, 1, 1, 4, 4});
    fr_report_free(r);
    /* As of 04-09 T2's stay has ended and the exit that day makes it a late departure. */
    r = run(a, 1, "2024-01-01", "2024-06-30", "2024-04-09", "nationality", 0, 0);
    expect(r, 0, "CHN", (const int64_t[]){2, 1, 1, 0, 3, 2});
    fr_report_free(r);
    /* The period keys take the authorised-until month: Jan T10, Mar T1 T6 T9, Apr T2,
     * May T2 T3 (as of 06-30). */
    r = run(a, 1, "2024-01-01", "2024-06-30", "2024-06-30", "month", 0, 0);
    assert_int_equal(r->nrows, 6);
    expect(r, 0, "2024-01", (const int64_t[]){1, 0, 1, 0, 4, 1}); /* entries T1 T10 T5 T2 */
    expect(r, 2, "2024-03", (const int64_t[]){3, 2, 1, 0, 1, 3});
    expect(r, 3, "2024-04", (const int64_t[]){1, 0, 1, 0, 1, 1});
    expect(r, 4, "2024-05", (const int64_t[]){2, 1, 0, 1, 0, 2});
    fr_report_free(r);
    fr_analytics_free(a);
}

static void persons_count_each_traveller_once_with_the_worst_outcome(void **state)
{
    (void)state;
    fr_analytics *a = ledger(0);
    fr_report *r = run(a, 1, "2024-01-01", "2024-06-30", "2024-06-30", "nationality", 1, 0);
    /* CHN persons: T1 in time, T2 late then in time -> late, T3 in country: 3 = 1 + 1 + 1;
     * crude persons: entering T1 T2 T3 T4 = 4, leaving T1 T2 = 2. */
    expect(r, 0, "CHN", (const int64_t[]){3, 1, 1, 1, 4, 2});
    expect(r, 1, "COL", (const int64_t[]){3, 1, 2, 0, 4, 5});
    assert_int_equal(r->total.v[FR_OVS_EXPECTED], 6);
    assert_int_equal(r->total.v[FR_OVS_CRUDE_ENTRIES], 8);
    fr_report_free(r);
    r = run(a, 0, "2024-01-01", "2024-06-30", NULL, "nationality", 1, 0);
    /* flows in persons: CHN entries T1 T2 T3 T4, exits T1 T2, refusal T8, encounter T3 */
    expect(r, 0, "CHN", (const int64_t[]){4, 2, 1, 1});
    fr_report_free(r);
    fr_analytics_free(a);
}

static void flows_count_each_kind_by_nationality_port_and_month(void **state)
{
    (void)state;
    fr_analytics *a = ledger(0);
    fr_report *r = run(a, 0, "2024-01-01", "2024-06-30", NULL, "nationality", 0, 0);
    /* CHN: entries T1 T2 T2 T3 T4 = 5, exits T1 T2 T2 = 3, refusal T8, encounter T3.
     * COL: entries T5 T6 T9 T10 = 4, exits T5 T6 T7 T9 T10 = 5 (the extension is no flow) */
    expect(r, 0, "CHN", (const int64_t[]){5, 3, 1, 1});
    expect(r, 1, "COL", (const int64_t[]){4, 5, 0, 0});
    fr_report_free(r);
    r = run(a, 0, "2024-01-01", "2024-06-30", NULL, "port", 0, 0);
    /* ECGYE: entries T3 T6 T2 = 3, exits T2 T6 T2 = 3; ECTUL: T3's encounter;
     * ECUIO: entries T1 T2 T4 T5 T9 T10 = 6, exits T1 T5 T7 T9 T10 = 5, refusal T8 */
    assert_int_equal(r->nrows, 3);
    expect(r, 0, "ECGYE", (const int64_t[]){3, 3, 0, 0});
    expect(r, 1, "ECTUL", (const int64_t[]){0, 0, 0, 1});
    expect(r, 2, "ECUIO", (const int64_t[]){6, 5, 1, 0});
    fr_report_free(r);
    /* By month: Jan E 4 (01-01 01-02 01-05 01-10) X 1 (01-20); Feb E 2 X 1 (T7); Mar E 1
     * (T9) X 3 (T9 T6 T1) R 1; Apr E 1 (T2) X 1 (T2) C 1; May X 2 (T2 T10); Jun E 1 (T4). */
    r = run(a, 0, "2024-01-01", "2024-06-30", NULL, "month", 0, 0);
    assert_int_equal(r->nrows, 6);
    expect(r, 0, "2024-01", (const int64_t[]){4, 1, 0, 0});
    expect(r, 1, "2024-02", (const int64_t[]){2, 1, 0, 0});
    expect(r, 2, "2024-03", (const int64_t[]){1, 3, 1, 0});
    expect(r, 3, "2024-04", (const int64_t[]){1, 1, 0, 1});
    expect(r, 4, "2024-05", (const int64_t[]){0, 2, 0, 0});
    expect(r, 5, "2024-06", (const int64_t[]){1, 0, 0, 0});
    assert_int_equal(r->total.v[FR_FLOW_ENTRIES], 9);
    assert_int_equal(r->total.v[FR_FLOW_EXITS], 8);
    fr_report_free(r);
    /* Cumulative: running sums of the above: Jan 4/1, Feb 6/2, Mar 7/5/1, Apr 8/6/1/1,
     * May 8/8/1/1, Jun 9/8/1/1. */
    r = run(a, 0, "2024-01-01", "2024-06-30", NULL, "month", 0, 1);
    expect(r, 1, "2024-02", (const int64_t[]){6, 2, 0, 0});
    expect(r, 4, "2024-05", (const int64_t[]){8, 8, 1, 1});
    expect(r, 5, "2024-06", (const int64_t[]){9, 8, 1, 1});
    fr_report_free(r);
    /* A narrower period: March only. */
    r = run(a, 0, "2024-03-01", "2024-03-31", NULL, NULL, 0, 0);
    assert_int_equal(r->nrows, 1);
    expect(r, 0, NULL, (const int64_t[]){1, 3, 1, 0});
    fr_report_free(r);
    fr_analytics_free(a);
}

static void weeks_are_iso_weeks_and_the_filter_keeps_one_nationality(void **state)
{
    (void)state;
    fr_analytics *a = ledger(0);
    fr_report_query q;
    fr_report_query_init(&q);
    int col = fr_country_find_cstr("COL");
    q.nationalities = &col;
    q.nnationalities = 1;
    q.keys[q.nkeys++] = FR_KEY_WEEK;
    fr_report *r = NULL;
    fr_error err;
    assert_int_equal(fr_analytics_flows(a, &q, &r, &err), FR_OK);
    /* COL events: 01-02 (Tue, W01), 01-05 (W01), 01-20 (Sat, W03), 02-01 T6 (Thu, W05),
     * 02-02 T7 exit (W05), 03-01 T9 (Fri, W09), 03-10 (Sun, W10), 03-25 (Mon, W13),
     * 05-10 (Fri, W19) */
    assert_int_equal(r->nrows, 7);
    expect(r, 0, "2024-W01", (const int64_t[]){2, 0, 0, 0});
    expect(r, 2, "2024-W05", (const int64_t[]){1, 1, 0, 0});
    expect(r, 6, "2024-W19", (const int64_t[]){0, 1, 0, 0});
    assert_int_equal(r->total.v[FR_FLOW_ENTRIES], 4);
    fr_report_free(r);
    fr_analytics_free(a);
    /* 2024-12-30 is a Monday in ISO week 2025-W01 */
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    add(a, &(row){E, "2024-12-30", "ECUIO", 1, "ESP", "2025-03-29"});
    r = run(a, 0, NULL, NULL, NULL, "week", 0, 0);
    assert_string_equal(r->labels[0][r->rows[0].key[0]], "2025-W01");
    fr_report_free(r);
    fr_analytics_free(a);
}

static void exits_take_the_class_of_the_entry_they_close(void **state)
{
    (void)state;
    for (int rev = 0; rev < 2; rev++) {
        fr_analytics *a = ledger(rev);
        fr_report *r = run(a, 0, NULL, NULL, NULL, "class", 0, 0);
        /* "-": T7's exit (closes nothing), T8's refusal, T3's encounter; T: 9 entries and the
         * 7 exits that close them (T1 T2 T2 T5 T6 T9 T10) */
        assert_int_equal(r->nrows, 2);
        expect(r, 0, "-", (const int64_t[]){0, 1, 1, 1});
        expect(r, 1, "T", (const int64_t[]){9, 7, 0, 0});
        fr_report_free(r);
        fr_analytics_free(a);
    }
    /* An exit that closed an entry, then loses it to an earlier exit sent late, loses
     * the class too: E 01-01, X 02-01, then X 01-15 (late). */
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    add(a, &(row){E, "2024-01-01", "ECUIO", 1, "ESP", "2024-03-30"});
    add(a, &(row){X, "2024-02-01", "ECUIO", 1, "ESP", NULL});
    add(a, &(row){X, "2024-01-15", "ECUIO", 1, "ESP", NULL});
    fr_report *r = run(a, 0, NULL, NULL, NULL, "class", 0, 0);
    expect(r, 0, "-", (const int64_t[]){0, 1, 0, 0});
    expect(r, 1, "T", (const int64_t[]){1, 1, 0, 0});
    fr_report_free(r);
    /* and the entry's departure is the 01-15 exit: in time */
    r = run(a, 1, NULL, "2024-12-31", "2024-12-31", NULL, 0, 0);
    expect(r, 0, NULL, (const int64_t[]){1, 1, 0, 0, 1, 2});
    fr_report_free(r);
    fr_analytics_free(a);
}

static void stats_count_pairs_and_memory(void **state)
{
    (void)state;
    fr_analytics *a = ledger(1);
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st);
    assert_int_equal(st.events, NLEDGER);
    assert_int_equal(st.travellers, 10);
    assert_int_equal(st.entries, 9);
    assert_int_equal(st.exits, 8);
    assert_int_equal(st.extensions, 1);
    /* paired: T1 T2 T2 T5 T6 T9 T10 = 7 entries: exits unpaired 8 - 7 = 1 (T7), open 2 */
    assert_int_equal(st.unpaired_exits, 1);
    assert_int_equal(st.open_entries, 2);
    assert_int_equal(st.event_bytes, 20);
    assert_true(st.bytes > 20 * NLEDGER);
    fr_analytics_free(a);
}

/* Compacting to one event, then appending: the growth rule must grow from a
 * capacity of 1 (it once computed 1 + 1/2 = 1 and wrote past the end). */
static void appending_after_compacting_a_tiny_index_grows_it(void **state)
{
    (void)state;
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    fr_analytics_event ev = {.kind = E,
                             .date = D("2024-01-01"),
                             .port = "ECUIO",
                             .nationality = "CHN",
                             .traveller = 1,
                             .authorised_until = D("2024-03-30")};
    assert_int_equal(fr_analytics_append(a, &ev, NULL), FR_OK);
    fr_analytics_compact(a);
    for (int i = 0; i < 100; i++) {
        ev.traveller = (uint64_t)i + 2;
        assert_int_equal(fr_analytics_append(a, &ev, NULL), FR_OK);
    }
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st);
    assert_int_equal(st.events, 101);
    fr_analytics_free(a);
}

static void bad_events_and_queries_are_refused_with_the_field(void **state)
{
    (void)state;
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    fr_error err;
    fr_analytics_event ev = {.kind = E,
                             .date = D("2024-01-01"),
                             .port = "ECUIO",
                             .nationality = "XYZ",
                             .authorised_until = FR_DATE_NONE};
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_EINVAL);
    assert_string_equal(err.field, "nationality");
    ev.nationality = "DEU"; /* Germany is D in ICAO 9303 */
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_EINVAL);
    ev.nationality = "D";
    ev.date = D("1969-12-31");
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_ERANGE);
    ev.date = D("2024-01-01");
    ev.port = "";
    assert_int_equal(fr_analytics_append(a, &ev, &err), FR_EINVAL);
    assert_string_equal(err.field, "port");
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st);
    assert_int_equal(st.events, 0);
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[q.nkeys++] = FR_KEY_MONTH;
    q.keys[q.nkeys++] = FR_KEY_WEEK;
    fr_report *r = NULL;
    assert_int_equal(fr_analytics_flows(a, &q, &r, &err), FR_EINVAL);
    assert_string_equal(err.field, "by");
    q.nkeys = 0;
    q.from = D("2024-02-01");
    q.to = D("2024-01-01");
    assert_int_equal(fr_analytics_overstays(a, &q, &r, &err), FR_EINVAL);
    assert_null(r);
    fr_analytics_free(a);
}

/* Fail the k-th allocation (k counts down; -1 never). */
static long g_fail_at = -1;
static int failing(void)
{
    return g_fail_at >= 0 && g_fail_at-- == 0;
}
static void *t_malloc(size_t n, void *ud)
{
    (void)ud;
    return failing() ? NULL : malloc(n);
}
static void *t_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return failing() ? NULL : realloc(p, n);
}
static void t_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

/* Build the ledger and run both reports (persons too), failing each
 * allocation in turn: every step returns FR_OK or FR_ENOMEM, nothing leaks
 * (the sanitizer build checks), and once nothing fails the figures are right. */
static void out_of_memory_anywhere_is_an_error_not_a_crash(void **state)
{
    (void)state;
    fr_allocator al = {t_malloc, t_realloc, t_free, NULL};
    fr_set_allocator(&al);
    int done = 0;
    for (long k = 0; !done && k < 10000; k++) {
        g_fail_at = k;
        fr_analytics *a = NULL;
        fr_error err;
        int rc = fr_analytics_new(&a);
        for (size_t i = 0; rc == FR_OK && i < NLEDGER; i++) {
            const row *r = &LEDGER[NLEDGER - 1 - i]; /* reverse: late events, re-pairing */
            fr_analytics_event ev = {.kind = r->kind,
                                     .date = D(r->date),
                                     .port = r->port,
                                     .nationality = r->nat,
                                     .admission_class = "T",
                                     .authorised_until = r->until ? D(r->until) : FR_DATE_NONE,
                                     .traveller = r->trav};
            ev.at_utc = (int64_t)ev.date * 86400;
            rc = fr_analytics_append(a, &ev, &err);
        }
        fr_report *r1 = NULL, *r2 = NULL;
        fr_report_query q;
        fr_report_query_init(&q);
        q.from = D("2024-01-01");
        q.to = q.as_of = D("2024-06-30");
        q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
        if (rc == FR_OK) rc = fr_analytics_overstays(a, &q, &r1, &err);
        q.persons = 1;
        q.keys[q.nkeys++] = FR_KEY_MONTH;
        if (rc == FR_OK) rc = fr_analytics_flows(a, &q, &r2, &err);
        assert_true(rc == FR_OK || rc == FR_ENOMEM);
        if (rc == FR_OK && g_fail_at >= 0) { /* nothing failed: check and stop */
            assert_int_equal(r1->rows[0].v[FR_OVS_EXPECTED], 4);
            assert_int_equal(r1->rows[1].v[FR_OVS_OUT_OF_COUNTRY], 2);
            assert_int_equal(r2->total.v[FR_FLOW_ENTRIES], 8); /* distinct persons entering */
            done = 1;
        }
        fr_report_free(r1);
        fr_report_free(r2);
        fr_analytics_free(a);
    }
    fr_set_allocator(NULL);
    assert_true(done);
}

/* The list to act on: the latest entry's stay ended, no exit by the date;
 * one who left late, one still within the stay, one whose overstayed entry
 * was followed by an exit are not on it; filters and the cut at max. */
static void overstayers_are_those_still_in_past_their_stay(void **state)
{
    (void)state;
    static const row R[] = {
        {E, "2024-01-01", "ECUIO", 1, "USA", "2024-03-30"}, /* in, 32 days over on 05-01 */
        {E, "2024-01-10", "ECGYE", 2, "CHN", "2024-04-08"}, /* in, 23 days over */
        {E, "2024-01-01", "ECUIO", 3, "USA", "2024-03-30"},
        {X, "2024-04-10", "ECUIO", 3, "USA", NULL},         /* left late: not on the list */
        {E, "2024-04-01", "ECUIO", 4, "USA", "2024-06-29"}, /* within the stay */
        {E, "2024-01-01", "ECUIO", 5, "COL", "2024-01-31"},
        {X, "2024-05-02", "ECUIO", 5, "COL", NULL}, /* leaves after the date: still in on 05-01 */
    };
    fr_analytics *a = NULL;
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    for (size_t i = 0; i < sizeof R / sizeof R[0]; i++)
        add(a, &R[i]);
    fr_overstayer_query q = {D("2024-05-01"), NULL, NULL, 0};
    fr_overstayer *o = NULL;
    size_t n = 0, total = 0;
    fr_error err;
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(total, 3);
    assert_int_equal(o[0].traveller, 5); /* 91 days over, first */
    assert_int_equal(o[0].days_over, 91);
    assert_int_equal(o[1].traveller, 1);
    assert_int_equal(o[1].days_over, 32);
    assert_string_equal(o[1].nationality, "USA");
    assert_string_equal(o[1].port, "ECUIO");
    assert_int_equal(o[1].entered, D("2024-01-01"));
    assert_int_equal(o[1].until, D("2024-03-30"));
    assert_int_equal(o[2].traveller, 2);
    assert_string_equal(o[2].port, "ECGYE");
    fr_free(o);
    /* filters */
    q.nationality = "USA";
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].traveller, 1);
    fr_free(o);
    q.nationality = NULL;
    q.port = "ECGYE";
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].traveller, 2);
    fr_free(o);
    q.port = NULL;
    q.min_days_over = 30;
    assert_int_equal(fr_analytics_overstayers(a, &q, 1, &o, &n, &total, &err), FR_OK);
    assert_int_equal(total, 2);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].traveller, 5);
    fr_free(o);
    /* the day after the last day of the stay is one day over */
    q = (fr_overstayer_query){D("2024-04-09"), "CHN", NULL, 0};
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].days_over, 1);
    fr_free(o);
    q = (fr_overstayer_query){D("2024-04-08"), "CHN", NULL, 0};
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_OK);
    assert_int_equal(n, 0);
    fr_free(o);
    q.nationality = "XYZ";
    assert_int_equal(fr_analytics_overstayers(a, &q, 100, &o, &n, &total, &err), FR_EINVAL);
    assert_string_equal(err.field, "nationality");
    fr_analytics_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overstays_by_nationality_follow_the_dhs_rules),
        cmocka_unit_test(the_report_date_decides_what_is_expected_and_what_has_left),
        cmocka_unit_test(persons_count_each_traveller_once_with_the_worst_outcome),
        cmocka_unit_test(flows_count_each_kind_by_nationality_port_and_month),
        cmocka_unit_test(weeks_are_iso_weeks_and_the_filter_keeps_one_nationality),
        cmocka_unit_test(exits_take_the_class_of_the_entry_they_close),
        cmocka_unit_test(stats_count_pairs_and_memory),
        cmocka_unit_test(bad_events_and_queries_are_refused_with_the_field),
        cmocka_unit_test(appending_after_compacting_a_tiny_index_grows_it),
        cmocka_unit_test(out_of_memory_anywhere_is_an_error_not_a_crash),
        cmocka_unit_test(overstayers_are_those_still_in_past_their_stay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
