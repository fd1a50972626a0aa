/* SPDX-License-Identifier: MIT */
/* test_arrivals.c: recorded manifests (arrivals.h) in a real SQLite ledger:
 * a message is stored once (a replay changes nothing, another message under
 * its key is a conflict), persons come back as stored, a ledger that does
 * not exist is refused, the reconciliation reads the ledger's entries, and
 * the routes report (analytics.h, fr_report_routes) groups by embarkation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/analytics.h"
#include "frontera/arrivals.h"
#include "frontera/country.h"
#include "pgdb.h"
#include "tmpdb.h"

/* pg mode: the PostgreSQL database record_once_replay_and_conflict runs on
 * (arrivals_pg.c); otherwise a SQLite ledger in a scratch directory. */
static pgdb *g_pg;

#define MSG                                                                                        \
    "UNA:+.? 'UNB+UNOA:4+TK:ZZ+ECUAPI:ZZ+240630:2200+IC0001++APIS'"                                \
    "UNH+M1+PAXLST:D:12B:UN:IATA'BGM+745'TDT+20+TK1801+++TK'LOC+125+IST'"                          \
    "DTM+189:2406302330:201'LOC+87+UIO'DTM+232:2407010730:201'"                                    \
    "NAD+FL+++WANG:LI'ATT+2++F'DTM+329:900101'LOC+178+IST'NAT+2+CHN'DOC+P+E12345678'"              \
    "DTM+36:300101'LOC+91+CHN'"                                                                    \
    "NAD+DDU+++SILVA:ANA'ATT+2++F'DTM+329:920202'LOC+178+IST'NAT+2+BRA'DOC+P+FX123456'"            \
    "DTM+36:290101'LOC+91+BRA'"                                                                    \
    "CNT+42:2'UNT+25+M1'UNZ+1+IC0001'"

static fr_paxlst *read_msg(const char *replace_from, const char *replace_to)
{
    char text[2048], tmpl[2048];
    snprintf(tmpl, sizeof tmpl, "%s", MSG);
    if (replace_from) {
        /* every occurrence (a reference is in UNH and UNT) */
        char *p = strstr(tmpl, replace_from);
        assert_non_null(p);
        assert_int_equal(strlen(replace_from), strlen(replace_to));
        for (; p; p = strstr(p, replace_from))
            memcpy(p, replace_to, strlen(replace_to));
    }
    snprintf(text, sizeof text, "%s", tmpl);
    fr_paxlst *pax = NULL;
    assert_int_equal(fr_paxlst_read(text, strlen(text), NULL, &pax, NULL), FR_OK);
    assert_true(pax->messages[0].valid);
    assert_int_equal(pax->messages[0].npersons, 2);
    return pax;
}

static void record_once_replay_and_conflict(void **state)
{
    (void)state;
    tmp *t = g_pg ? NULL : tmpdb_new("frarr", 1);
    assert_true(g_pg || t);
    const char *where = g_pg ? g_pg->uri : t->db;
    fr_arrivals *a = NULL;
    assert_int_equal(fr_arrivals_open(where, &a, NULL), FR_OK);
    fr_paxlst *pax = read_msg(NULL, NULL);
    fr_date first, last;
    assert_int_equal(fr_arrivals_span(a, &first, &last, NULL), FR_OK);
    assert_int_equal(first, FR_DATE_NONE); /* nothing recorded yet */
    assert_int_equal(last, FR_DATE_NONE);
    fr_manifest_verdict v[2];
    memset(v, 0, sizeof v);
    v[0].answer = FR_MANIFEST_NO_BOARD;
    v[1].answer = FR_MANIFEST_BOARD;
    fr_arrivals_recorded r;
    assert_int_equal(fr_arrivals_record(a, &pax->messages[0], "ECUIO", v, 1000, &r, NULL), FR_OK);
    assert_false(r.replay);
    assert_int_equal(r.persons, 2);
    int64_t id = r.id;
    /* the same message again, through another handle: nothing new */
    fr_arrivals *b = NULL;
    assert_int_equal(fr_arrivals_open(where, &b, NULL), FR_OK);
    assert_int_equal(fr_arrivals_record(b, &pax->messages[0], "ECUIO", v, 2000, &r, NULL), FR_OK);
    assert_true(r.replay);
    assert_int_equal(r.id, id);
    /* another message under the same key (a different passport number) */
    fr_paxlst *other = read_msg("E12345678", "E12345679");
    fr_error err;
    assert_int_equal(fr_arrivals_record(b, &other->messages[0], "ECUIO", v, 3000, &r, &err),
                     FR_ECONFLICT);
    assert_string_equal(err.field, "ref");
    /* the same content under another message reference is another manifest */
    fr_paxlst *again = read_msg("+M1", "+M2");
    assert_int_equal(fr_arrivals_record(b, &again->messages[0], "ECUIO", v, 4000, &r, NULL), FR_OK);
    assert_false(r.replay);
    assert_true(r.id != id);
    /* a bad post is refused before anything is written */
    assert_int_equal(fr_arrivals_record(b, &again->messages[0], "XXUIO", v, 4000, &r, &err),
                     FR_EINVAL);
    fr_manifest_expected *x = NULL;
    size_t n = 0;
    fr_date d;
    fr_date_parse_cstr("2024-07-01", &d, NULL);
    assert_int_equal(fr_arrivals_expected(a, d, d, "ECUIO", "TK1801", &x, &n, NULL), FR_OK);
    assert_int_equal(n, 4); /* two manifests of two persons */
    assert_int_equal(x[0].manifest_id, id);
    assert_string_equal(x[0].surname, "WANG");
    assert_string_equal(x[0].doc_number, "E12345678");
    assert_string_equal(x[0].embarkation, "IST");
    assert_int_equal(x[0].answer, FR_MANIFEST_NO_BOARD);
    assert_int_equal(x[0].arrival.minute, 450);
    assert_int_equal(x[1].role, FR_PAXLST_DDU);
    assert_string_equal(x[1].nationality, "BRA");
    fr_free(x);
    assert_int_equal(fr_arrivals_span(a, &first, &last, NULL), FR_OK);
    assert_int_equal(first, d);
    assert_int_equal(last, d);
    assert_int_equal(fr_arrivals_expected(a, d + 1, d + 9, NULL, NULL, &x, &n, NULL), FR_OK);
    assert_int_equal(n, 0);
    fr_free(x);
    assert_int_equal(fr_arrivals_expected(a, d, d, "ECGYE", NULL, &x, &n, NULL), FR_OK);
    assert_int_equal(n, 0);
    fr_free(x);
    fr_paxlst_free(pax);
    fr_paxlst_free(other);
    fr_paxlst_free(again);
    fr_arrivals_close(a);
    fr_arrivals_close(b);
    tmpdb_free(t);
}

static void no_ledger_no_manifests(void **state)
{
    (void)state;
    tmp *t = tmpdb_new("frarr", 0);
    assert_non_null(t);
    fr_arrivals *a = NULL;
    assert_int_equal(fr_arrivals_open(t->db, &a, NULL), FR_ENOTFOUND);
    assert_null(a);
    tmpdb_free(t);
}

static void record_entry(fr_store *s, const char *id, const char *at, const char *state,
                         const char *number, const char *surname, const char *nat)
{
    fr_event e;
    fr_event_init(&e);
    snprintf(e.event_id, sizeof e.event_id, "%s", id);
    e.kind = FR_EVENT_ENTRY;
    assert_int_equal(fr_datetime_parse_cstr(at, &e.at, NULL), FR_OK);
    snprintf(e.port, sizeof e.port, "ECUIO");
    snprintf(e.doc.state, sizeof e.doc.state, "%s", state);
    snprintf(e.doc.number, sizeof e.doc.number, "%s", number);
    snprintf(e.doc.surname, sizeof e.doc.surname, "%s", surname);
    snprintf(e.doc.nationality, sizeof e.doc.nationality, "%s", nat);
    fr_record_result res;
    fr_error err;
    assert_int_equal(fr_store_record(s, &e, &res, &err), FR_OK);
}

/* The transit passenger who entered shows in the reconciliation, and the
 * routes report counts arrivals from IST by nationality and month. */
static void reconcile_with_the_ledger_and_routes(void **state)
{
    (void)state;
    tmp *t = tmpdb_new("frarr", 1);
    assert_non_null(t);
    fr_arrivals *a = NULL;
    fr_store *s = NULL;
    assert_int_equal(fr_arrivals_open(t->db, &a, NULL), FR_OK);
    assert_int_equal(fr_store_open(t->db, 0, &s, NULL), FR_OK);
    fr_paxlst *pax = read_msg(NULL, NULL);
    fr_arrivals_recorded r;
    assert_int_equal(fr_arrivals_record(a, &pax->messages[0], "ECUIO", NULL, 1, &r, NULL), FR_OK);
    record_entry(s, "e1", "2024-07-01T08:40-05:00", "BRA", "FX123456", "SILVA", "BRA");
    record_entry(s, "e2", "2024-07-01T09:00-05:00", "COL", "AB123456", "PEREZ", "COL");
    fr_date d;
    fr_date_parse_cstr("2024-07-01", &d, NULL);
    fr_arrivals_recon *rc = NULL;
    assert_int_equal(fr_arrivals_reconcile(a, s, d, d, NULL, &rc, NULL), FR_OK);
    assert_int_equal(rc->npersons, 2);
    assert_int_equal(rc->match[0].outcome, FR_RECON_NOT_PRESENTED);
    assert_int_equal(rc->match[1].outcome, FR_RECON_TRANSIT_ENTERED);
    assert_string_equal(rc->events[rc->match[1].event].event_id, "e1");
    assert_int_equal(rc->nevents, 2);
    size_t unannounced = 0;
    for (size_t e = 0; e < rc->nevents; e++)
        unannounced += rc->event_flight[e] >= 0;
    assert_int_equal(unannounced, 1);
    /* routes: one row per (embarkation, nationality, month) */
    fr_route_person p[2];
    for (size_t i = 0; i < 2; i++) {
        assert_true(fr_arrivals_recon_counts(rc, i));
        int o = rc->match[i].outcome == FR_RECON_NOT_PRESENTED ? FR_ROUTE_NOT_PRESENTED
                                                               : FR_ROUTE_TRANSIT_ENTERED;
        p[i] = (fr_route_person){rc->persons[i].arrival.date, rc->persons[i].embarkation,
                                 rc->persons[i].nationality, rc->persons[i].port, o};
    }
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[0] = FR_KEY_EMBARKATION;
    q.keys[1] = FR_KEY_NATIONALITY;
    q.keys[2] = FR_KEY_MONTH;
    q.nkeys = 3;
    fr_report *rep = NULL;
    assert_int_equal(fr_report_routes(p, 2, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->nrows, 2);
    assert_string_equal(rep->labels[0][rep->rows[0].key[0]], "IST");
    assert_string_equal(rep->labels[1][rep->rows[0].key[1]], "BRA");
    assert_string_equal(rep->labels[2][rep->rows[0].key[2]], "2024-07");
    assert_int_equal(rep->rows[0].v[FR_ROUTE_TRANSIT_ENTERED], 1);
    assert_int_equal(rep->rows[1].v[FR_ROUTE_NOT_PRESENTED], 1);
    assert_int_equal(rep->total.v[FR_ROUTE_ANNOUNCED], 2);
    fr_report_free(rep);
    int chn = fr_country_normalize("CHN", 3);
    q.nationalities = &chn;
    q.nnationalities = 1;
    assert_int_equal(fr_report_routes(p, 2, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->nrows, 1);
    assert_int_equal(rep->total.v[FR_ROUTE_ANNOUNCED], 1);
    fr_report_free(rep);
    q.keys[2] = FR_KEY_CLASS;
    assert_int_equal(fr_report_routes(p, 2, &q, &rep, NULL), FR_EINVAL);
    /* the same through the stores (fr_arrivals_routes); an open period is the
     * recorded arrivals' first to last day */
    q.keys[2] = FR_KEY_MONTH;
    q.nationalities = NULL;
    q.nnationalities = 0;
    assert_int_equal(fr_arrivals_routes(a, s, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->total.v[FR_ROUTE_ANNOUNCED], 2);
    fr_report_free(rep);
    q.from = d + 5;
    q.to = d;
    assert_int_equal(fr_arrivals_routes(a, s, &q, &rep, NULL), FR_EINVAL);
    q.from = q.to = d;
    assert_int_equal(fr_arrivals_routes(a, s, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->nrows, 2);
    assert_int_equal(rep->total.v[FR_ROUTE_ANNOUNCED], 2);
    assert_int_equal(rep->total.v[FR_ROUTE_TRANSIT_ENTERED], 1);
    assert_int_equal(rep->total.v[FR_ROUTE_NOT_PRESENTED], 1);
    fr_report_free(rep);
    q.from = d - 31; /* three steps of a month: the flight is counted once */
    q.to = d + 31;
    assert_int_equal(fr_arrivals_routes(a, s, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->total.v[FR_ROUTE_ANNOUNCED], 2);
    assert_int_equal(rep->total.v[FR_ROUTE_TRANSIT_ENTERED], 1);
    fr_report_free(rep);
    q.from = q.to = d + 1; /* no flight that day */
    assert_int_equal(fr_arrivals_routes(a, s, &q, &rep, NULL), FR_OK);
    assert_int_equal(rep->nrows, 0);
    fr_report_free(rep);
    /* the ledger's index knows no embarkation */
    fr_analytics *an = NULL;
    assert_int_equal(fr_analytics_new(&an), FR_OK);
    fr_report_query_init(&q);
    q.keys[0] = FR_KEY_EMBARKATION;
    q.nkeys = 1;
    assert_int_equal(fr_analytics_flows(an, &q, &rep, NULL), FR_EINVAL);
    fr_analytics_free(an);
    assert_int_equal(fr_report_key_parse("embarkation", 11), FR_KEY_EMBARKATION);
    fr_arrivals_recon_free(rc);
    fr_paxlst_free(pax);
    fr_store_close(s);
    fr_arrivals_close(a);
    tmpdb_free(t);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "pg") == 0) {
        pgdb_require();
        g_pg = pgdb_new();
        /* the module tables need only the ledger's marker table: the arrivals
         * backend is tested apart from the ledger's own PostgreSQL schema */
        if (!g_pg || pgdb_sql(g_pg->uri, "CREATE TABLE frontera_schema(application text NOT "
                                         "NULL, version int NOT NULL)") != 0)
            return 1;
        const struct CMUnitTest pg[] = {cmocka_unit_test(record_once_replay_and_conflict)};
        int rc = cmocka_run_group_tests(pg, NULL, NULL);
        pgdb_free(g_pg);
        return rc;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(record_once_replay_and_conflict),
        cmocka_unit_test(no_ledger_no_manifests),
        cmocka_unit_test(reconcile_with_the_ledger_and_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
