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
#include "frontera/screen.h"

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

/* A person whose passport number no machine readable zone can hold (11
 * characters) gets no decision, but is still screened: listed by name and
 * birth date, no-board; an unlisted one with such a number stays check. */
static void a_long_passport_number_is_still_screened(void **state)
{
    (void)state;
    static const char LIST[] =
        "id,list,name,aliases,birth_date,nationality,documents,reason\n"
        "KPi.001,UN,\"KIM, Kwang Il\",,1966-10-02,PRK,PS381420397,sanctions\n";
    fr_watchlist *wl = NULL;
    fr_docindex *docs = NULL;
    fr_screen_index *idx = NULL;
    fr_screen_ctx *screen = NULL;
    fr_watchlist_counts counts;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    assert_int_equal(fr_docindex_new(&docs), FR_OK);
    assert_int_equal(fr_watchlist_parse(wl, LIST, sizeof LIST - 1, FR_WATCHLIST_CSV, NULL, &counts),
                     FR_OK);
    assert_int_equal(counts.rejected, 0);
    assert_int_equal(fr_screen_index_build(wl, &idx, NULL), FR_OK);
    assert_int_equal(fr_screen_ctx_new(idx, docs, &screen, NULL), FR_OK);
    fr_policy *policy = load_policy();
    char text[4096];
    int n = snprintf(text, sizeof text, HEAD, "240630", "240701");
    snprintf(text + n, sizeof text - (size_t)n, "%s",
             "NAD+FL+++KIM:KWANG IL'ATT+2++M'DTM+329:661002'NAT+2+PRK'DOC+P:110:111+PS381420397'"
             "DTM+36:300101'LOC+91+PRK'"
             "NAD+FL+++PARK:MIN'ATT+2++F'DTM+329:900101'NAT+2+KOR'DOC+P:110:111+M12345678901'"
             "DTM+36:300101'LOC+91+KOR'"
             "CNT+42:2'UNT+23+M1'UNZ+1+IC0001'");
    fr_paxlst *pax = NULL;
    assert_int_equal(fr_paxlst_read(text, strlen(text), NULL, &pax, NULL), FR_OK);
    const fr_paxlst_message *m = &pax->messages[0];
    assert_int_equal(m->npersons, 2);
    fr_booth_env env = {policy, NULL, screen, 1, NULL};
    fr_manifest_verdict *v = NULL;
    assert_int_equal(fr_manifest_check(&env, m, "ECUIO", &v, NULL), FR_OK);
    assert_false(v[0].decided);
    assert_int_equal(v[0].answer, FR_MANIFEST_NO_BOARD);
    assert_non_null(strstr(v[0].problem, "watchlist hit (UN KPi.001"));
    assert_false(v[1].decided);
    assert_int_equal(v[1].answer, FR_MANIFEST_CHECK);
    assert_null(strstr(v[1].problem, "watchlist"));
    fr_free(v);
    fr_paxlst_free(pax);
    fr_policy_free(policy);
    fr_screen_ctx_free(screen);
    fr_screen_index_free(idx);
    fr_docindex_free(docs);
    fr_watchlist_free(wl);
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

/* ---- reconciliation (fr_manifest_reconcile) ---- */

static fr_manifest_expected person(const char *flight, const char *port, const char *day,
                                   int minute, fr_paxlst_role role, const char *surname,
                                   const char *nat, const char *birth, const char *state,
                                   const char *number)
{
    fr_manifest_expected x;
    memset(&x, 0, sizeof x);
    snprintf(x.flight, sizeof x.flight, "%s", flight);
    snprintf(x.port, sizeof x.port, "%s", port);
    assert_int_equal(fr_date_parse_cstr(day, &x.arrival.date, NULL), FR_OK);
    x.arrival.minute = minute;
    x.role = role;
    snprintf(x.surname, sizeof x.surname, "%s", surname);
    snprintf(x.nationality, sizeof x.nationality, "%s", nat);
    assert_int_equal(fr_date_parse_cstr(birth, &x.birth_date, NULL), FR_OK);
    snprintf(x.doc_state, sizeof x.doc_state, "%s", state);
    snprintf(x.doc_number, sizeof x.doc_number, "%s", number);
    return x;
}

static fr_event event(const char *id, fr_event_kind kind, const char *at, const char *port,
                      const char *state, const char *number, const char *surname, const char *nat,
                      const char *birth)
{
    fr_event e;
    fr_event_init(&e);
    snprintf(e.event_id, sizeof e.event_id, "%s", id);
    e.kind = kind;
    assert_int_equal(fr_datetime_parse(at, strlen(at), &e.at, NULL), FR_OK);
    snprintf(e.port, sizeof e.port, "%s", port);
    snprintf(e.doc.state, sizeof e.doc.state, "%s", state);
    snprintf(e.doc.number, sizeof e.doc.number, "%s", number);
    snprintf(e.doc.surname, sizeof e.doc.surname, "%s", surname);
    snprintf(e.doc.nationality, sizeof e.doc.nationality, "%s", nat);
    assert_int_equal(fr_date_parse_cstr(birth, &e.doc.birth_date, NULL), FR_OK);
    return e;
}

/* Two flights into ECUIO on 2024-07-01 (TK1801 at 07:30, AV0011 at 15:00)
 * and one into ECGYE. */
static void reconcile_matches_entries_to_announced_persons(void **state)
{
    (void)state;
    fr_manifest_expected x[] = {
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_FL, "WANG", "CHN", "1990-01-01",
               "CHN", "E12345678"), /* 0: never comes */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_FL, "ZHANG", "CHN", "1988-05-05",
               "CHN", "E87654321"), /* 1: enters with the passport sent */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_FL, "MUELLER", "D", "1985-03-03",
               "D", "C01X00T47"), /* 2: enters with another passport */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_DDU, "SILVA", "BRA", "1992-02-02",
               "BRA", "FX123456"), /* 3: in transit, enters */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_DDU, "COSTA", "BRA", "1993-03-03",
               "BRA", "FX654321"), /* 4: in transit, continues */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_FL, "KARA", "TUR", "1970-07-07",
               "TUR", "U1234567"), /* 5: refused */
        person("TK1801", "ECUIO", "2024-07-01", 450, FR_PAXLST_FL, "ZHANG", "CHN", "1988-05-05",
               "CHN", "E87654321"), /* 6: 1 again (an updated manifest) */
        person("AV0011", "ECUIO", "2024-07-01", 900, FR_PAXLST_FL, "ROJAS", "COL", "1975-05-05",
               "COL", "AA111111"), /* 7: the later flight, enters */
        person("AV0011", "ECGYE", "2024-07-01", 900, FR_PAXLST_FL, "DIAZ", "COL", "1976-06-06",
               "COL", "BB222222"), /* 8: another post; its event is at ECUIO */
    };
    fr_event ev[] = {
        event("e0", FR_EVENT_ENTRY, "2024-07-01T08:10-05:00", "ECUIO", "CHN", "E87654321", "ZHANG",
              "CHN", "1988-05-05"),
        event("e1", FR_EVENT_ENTRY, "2024-07-01T08:12-05:00", "ECUIO", "D", "C01X00T99", "MUELLER",
              "D", "1985-03-03"),
        event("e2", FR_EVENT_ENTRY, "2024-07-01T08:20-05:00", "ECUIO", "BRA", "FX123456", "SILVA",
              "BRA", "1992-02-02"),
        event("e3", FR_EVENT_REFUSAL, "2024-07-01T08:30-05:00", "ECUIO", "TUR", "U1234567", "KARA",
              "TUR", "1970-07-07"),
        event("e4", FR_EVENT_ENTRY, "2024-07-01T09:00-05:00", "ECUIO", "COL", "ZZ999999", "PEREZ",
              "COL", "1980-01-01"), /* unannounced, nearest TK1801 */
        event("e5", FR_EVENT_ENTRY, "2024-07-01T15:40-05:00", "ECUIO", "COL", "AA111111", "ROJAS",
              "COL", "1975-05-05"),
        event("e6", FR_EVENT_ENTRY, "2024-07-01T16:00-05:00", "ECUIO", "ECU", "EC000001", "LEON",
              "ECU", "1960-01-01"), /* unannounced, nearest AV0011 */
        event("e7", FR_EVENT_ENTRY, "2024-07-01T15:30-05:00", "ECUIO", "COL", "BB222222", "DIAZ",
              "COL", "1976-06-06"), /* DIAZ was announced at ECGYE: no match here */
        event("e8", FR_EVENT_ENTRY, "2024-07-03T09:00-05:00", "ECUIO", "CHN", "E12345678", "WANG",
              "CHN", "1990-01-01"), /* two days later: outside every window */
        event("e9", FR_EVENT_EXIT, "2024-07-01T08:00-05:00", "ECUIO", "CHN", "E12345678", "WANG",
              "CHN", "1990-01-01"), /* an exit is never an arrival */
    };
    size_t nx = sizeof x / sizeof x[0], ne = sizeof ev / sizeof ev[0];
    fr_manifest_match m[9];
    long ep[10], ef[10];
    assert_int_equal(fr_manifest_reconcile(x, nx, ev, ne, m, ep, ef, NULL), FR_OK);
    assert_int_equal(m[0].outcome, FR_RECON_NOT_PRESENTED);
    assert_int_equal(m[0].event, -1);
    assert_int_equal(m[1].outcome, FR_RECON_ENTERED);
    assert_int_equal(m[1].event, 0);
    assert_int_equal(m[2].outcome, FR_RECON_ENTERED); /* by nationality, birth date, surname */
    assert_int_equal(m[2].event, 1);
    assert_int_equal(m[3].outcome, FR_RECON_TRANSIT_ENTERED);
    assert_int_equal(m[4].outcome, FR_RECON_TRANSIT_CONTINUED);
    assert_int_equal(m[5].outcome, FR_RECON_REFUSED);
    assert_int_equal(m[5].event, 3);
    assert_int_equal(m[6].same_as, 1);
    assert_int_equal(m[6].outcome, FR_RECON_ENTERED);
    assert_int_equal(m[7].outcome, FR_RECON_ENTERED);
    assert_int_equal(m[7].event, 5);
    assert_int_equal(m[8].outcome, FR_RECON_NOT_PRESENTED);
    assert_int_equal(ep[0], 1);
    assert_int_equal(ep[4], -1);
    assert_int_equal(ef[4], 0); /* a person of TK1801 */
    assert_int_equal(ef[6], 7); /* a person of AV0011 */
    assert_int_equal(ep[7], -1);
    assert_string_equal(x[ef[7]].flight, "AV0011"); /* 15:30 is nearest AV0011 at 15:00 */
    assert_int_equal(ep[8], -1);
    assert_int_equal(ef[8], -1); /* no flight near it */
    assert_int_equal(ep[9], -1);
    assert_int_equal(ef[9], -1);
    assert_string_equal(fr_manifest_outcome_name(FR_RECON_TRANSIT_ENTERED), "transit_entered");
}

/* A message person becomes an expected arrival with ICAO codes, names in
 * compare form and the travel document (not the visa). */
static void expected_from_message_normalises_codes(void **state)
{
    (void)state;
    fr_policy *policy = load_policy();
    fr_paxlst *pax = NULL;
    fr_manifest_verdict *v = check("240630", "240701", &pax, policy);
    const fr_paxlst_message *m = &pax->messages[0];
    fr_manifest_expected x;
    fr_manifest_expected_from(m, 2, "ECUIO", &v[2], &x);
    assert_string_equal(x.nationality, "D");
    assert_string_equal(x.doc_state, "D");
    assert_string_equal(x.doc_number, "C01X00T47");
    assert_string_equal(x.flight, "TK1801");
    assert_string_equal(x.embarkation, "IST"); /* no LOC+178: the first leg's departure */
    assert_int_equal(x.arrival.minute, 450);
    assert_int_equal(x.answer, FR_MANIFEST_BOARD);
    fr_manifest_expected_from(m, 1, "ECUIO", &v[1], &x);
    assert_string_equal(x.doc_number, "E87654321"); /* the passport, not the DOC+V */
    char key[32];
    fr_manifest_name_key("  de la  Cruz-o'Neil ", key, sizeof key);
    assert_string_equal(key, "DE LA CRUZ ONEIL");
    fr_free(v);
    fr_paxlst_free(pax);
    fr_policy_free(policy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinese_national_needs_a_visa_from_2024_07_01),
        cmocka_unit_test(a_long_passport_number_is_still_screened),
        cmocka_unit_test(port_from_airport),
        cmocka_unit_test(reconcile_matches_entries_to_announced_persons),
        cmocka_unit_test(expected_from_message_normalises_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
