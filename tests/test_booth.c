/* SPDX-License-Identifier: MIT */
/* test_booth.c: the admission at the booth end to end, with a real SQLite
 * ledger and real screening lists: every reason code the decision can give
 * is produced here at least once by the situation that causes it, and the
 * screening fails closed (lists named but unusable refer, never admit).
 * The policy is written here so every expected answer follows by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uclean.h>

#include <jansson.h>

#include "frontera/alloc.h"
#include "frontera/booth.h"
#include "tmpdb.h"

static const char POLICY[] =
    "jurisdiction ECU\n"
    "group @andean BOL COL PER ref=\"CAN Decision 503\"\n"
    "rule * visitor visa_free stay=period:90/1y docs=passport validity=6m from=2017-02-06 "
    "ref=\"LOMH art. 56\"\n"
    "rule @andean visitor visa_free stay=period:180/1y docs=passport,id_card from=2017-02-06 "
    "ref=\"CAN Decision 503\"\n"
    "rule ECU visitor free_movement docs=passport,id_card from=2017-02-06 ref=\"Constitution\"\n"
    "rule IND visitor visa_on_arrival stay=period:30/1y docs=passport from=2017-02-06 ref=\"VOA\"\n"
    "rule CHN visitor visa_free stay=period:90/1y docs=passport from=2016-08-18 to=2024-06-30 "
    "ref=\"ECU-CHN agreement\"\n"
    "rule CHN visitor visa_required docs=passport from=2024-07-01 ref=\"Communique 18 Jun 2024\"\n"
    "rule AUS visitor visa_free stay=per-admission:90,doc-expiry docs=passport from=2017-02-06 "
    "ref=\"A\"\n"
    "rule RUS visitor visa_required stay=period:90/1y docs=passport from=2017-02-06 ref=\"V\"\n";

static const char LIST[] = "id,list,name,aliases,birth_date,nationality,documents,reason\n"
                           "W1,interpol,\"MORALES, Dario Ezequiel\",,1971-04-09,ARG,,fraud\n"
                           "W2,interpol,\"PETROVA, Svetlana\",,1960,RUS,,smuggling\n";

typedef struct {
    tmp *t;
    fr_policy *policy;
    fr_store *store;
    fr_watchlist *wl;
    fr_screen_index *idx;
    fr_docindex *docs;
    fr_screen_ctx *screen;
    fr_booth_env env;
    fr_admit_decision d;
} fixture;

static int setup(void **state)
{
    fixture *f = fr_calloc(1, sizeof *f);
    if (!f || !(f->t = tmpdb_new("frbooth", 1))) return -1;
    fr_error errs[4];
    size_t n = 0;
    if (fr_policy_parse(POLICY, sizeof POLICY - 1, &f->policy, errs, 4, &n) != FR_OK) {
        print_error("policy: %d:%d %s\n", errs[0].line, errs[0].column, errs[0].message);
        return -1;
    }
    if (fr_store_open(f->t->db, 0, &f->store, NULL) != FR_OK) return -1;
    if (fr_watchlist_new(&f->wl) || fr_docindex_new(&f->docs)) return -1;
    fr_watchlist_counts counts;
    if (fr_watchlist_parse(f->wl, LIST, sizeof LIST - 1, FR_WATCHLIST_CSV, NULL, &counts) ||
        counts.rejected)
        return -1;
    if (fr_docindex_add(f->docs, "USA", "L0ST00001", "P") != FR_OK) return -1;
    fr_error err;
    if (fr_screen_index_build(f->wl, &f->idx, &err) ||
        fr_screen_ctx_new(f->idx, f->docs, &f->screen, &err))
        return -1;
    f->env = (fr_booth_env){f->policy, f->store, f->screen, 1, NULL};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fr_screen_ctx_free(f->screen);
    fr_screen_index_free(f->idx);
    fr_docindex_free(f->docs);
    fr_watchlist_free(f->wl);
    fr_store_close(f->store);
    fr_policy_free(f->policy);
    tmpdb_free(f->t);
    fr_free(f);
    u_cleanup();
    return 0;
}

typedef struct {
    fr_mrz_format fmt;
    const char *code, *nat, *number, *expiry, *surname, *given, *birth;
} doc;

static void make(char out[FR_MRZ_TEXT_MAX], const doc *x)
{
    fr_mrz m;
    memset(&m, 0, sizeof m);
    m.format = x->fmt ? x->fmt : FR_MRZ_TD3;
    strcpy(m.document_code, x->code ? x->code : "P");
    strcpy(m.issuing_state, x->nat);
    strcpy(m.nationality, x->nat);
    strcpy(m.surname, x->surname ? x->surname : "PEREZ");
    strcpy(m.given_names, x->given ? x->given : "ANA MARIA");
    strcpy(m.document_number, x->number);
    m.sex = 'F';
    const char *birth = x->birth ? x->birth : "1990-05-17";
    const char *expiry = x->expiry ? x->expiry : "2031-01-01";
    assert_int_equal(fr_mrz_date_parse(birth, strlen(birth), &m.birth_date), FR_OK);
    assert_int_equal(fr_mrz_date_parse(expiry, strlen(expiry), &m.expiry_date), FR_OK);
    fr_error err;
    assert_int_equal(fr_mrz_make(&m, NULL, out, &err), FR_OK);
}

static fr_admit_request request(const char *mrz, const char *at)
{
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.mrz = mrz;
    req.mrz_len = strlen(mrz);
    req.port = "ECUIO";
    req.cls = FR_CLASS_VISITOR;
    assert_int_equal(fr_datetime_parse_cstr(at, &req.at, NULL), FR_OK);
    return req;
}

static fr_outcome decide_req(fixture *f, const fr_admit_request *req)
{
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_booth_decide(&f->env, req, &f->d, &err);
    if (rc != FR_OK) print_error("decide: %s\n", err.message);
    assert_int_equal(rc, FR_OK);
    return f->d.outcome;
}

static fr_outcome decide(fixture *f, const doc *x, const char *at)
{
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, x);
    fr_admit_request req = request(mrz, at);
    return decide_req(f, &req);
}

static const fr_admit_reason *reason(const fr_admit_decision *d, const char *code)
{
    for (size_t i = 0; i < d->nreasons; i++)
        if (strcmp(d->reasons[i].code, code) == 0) return &d->reasons[i];
    return NULL;
}

/* On a failure, what the decision said instead. */
static void dump(const fr_admit_decision *d, const char *code)
{
    print_error("missing reason %s; the decision was %s:\n", code, fr_outcome_name(d->outcome));
    for (size_t i = 0; i < d->nreasons; i++)
        print_error("  %s: %s\n", d->reasons[i].code, d->reasons[i].message);
}

#define HAS(f, code, lvl)                                                                          \
    do {                                                                                           \
        const fr_admit_reason *r_ = reason(&(f)->d, code);                                         \
        if (!r_) dump(&(f)->d, code);                                                              \
        assert_non_null(r_);                                                                       \
        assert_int_equal(r_->level, lvl);                                                          \
    } while (0)

/* Record an event of the traveller described by x directly in the ledger. */
static void record(fixture *f, const doc *x, fr_event_kind kind, const char *id, const char *at,
                   const char *until)
{
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, x);
    fr_admit_request req = request(mrz, at);
    fr_mrz m;
    fr_admit_read(&req, &m);
    fr_event ev;
    fr_event_init(&ev);
    assert_int_equal(fr_admit_document(&m, &ev.doc, NULL), FR_OK);
    snprintf(ev.event_id, sizeof ev.event_id, "%s", id);
    ev.kind = kind;
    ev.at = req.at;
    strcpy(ev.port, "ECUIO");
    if (until)
        assert_int_equal(fr_date_parse(until, strlen(until), &ev.authorised_until, NULL), FR_OK);
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_store_record(f->store, &ev, NULL, &err);
    if (rc != FR_OK) print_error("record %s: %s (%s)\n", id, err.message, err.field);
    assert_int_equal(rc, FR_OK);
}

static void a_clean_visit_is_admitted_with_its_stay(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "USA", .number = "A10000001"};
    assert_int_equal(decide(f, &x, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "regime.visa_free", FR_REASON_INFO);
    HAS(f, "stay.authorised", FR_REASON_INFO);
    assert_null(reason(&f->d, "screening.not_configured"));
    char b[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(f->d.authorised_until, b), "2024-05-29");
}

static void document_grounds(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "USA", .number = "A10000002", .expiry = "2024-02-01"};
    assert_int_equal(decide(f, &x, "2024-03-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "document.expired", FR_REASON_REFUSE);
    x.expiry = "2024-05-01"; /* valid on the day, not for six months */
    assert_int_equal(decide(f, &x, "2024-03-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "document.validity", FR_REASON_REFUSE);
    doc id = {.fmt = FR_MRZ_TD1, .code = "I", .nat = "USA", .number = "A10000003"};
    assert_int_equal(decide(f, &id, "2024-03-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "document.not_accepted", FR_REASON_REFUSE);
    /* a passport expiring within the stay, under a rule that caps the stay at it */
    doc aus = {.nat = "AUS", .number = "U10000001", .expiry = "2024-04-01"};
    assert_int_equal(decide(f, &aus, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "stay.document_expiry", FR_REASON_INFO);
}

static void documents_that_cannot_be_read(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    doc x = {.nat = "USA", .number = "A10000004"};
    make(mrz, &x);
    /* the expiry date (line 2, columns 22-27) unreadable, its check digit kept */
    memcpy(mrz + 45 + 21, "31AB01", 6);
    fr_admit_request req = request(mrz, "2024-03-01T10:00-05:00");
    assert_int_equal(decide_req(f, &req), FR_REFER);
    HAS(f, "document.expiry_unknown", FR_REASON_REFER);
    int mrz_finding = 0;
    for (size_t i = 0; i < f->d.nreasons; i++)
        mrz_finding += strncmp(f->d.reasons[i].code, "mrz.", 4) == 0;
    assert_true(mrz_finding > 0);
    /* many errors: the first four are listed, then one sentence for the rest */
    make(mrz, &x);
    for (int c = 0; c < 44; c += 2)
        if (mrz[45 + c] >= '0' && mrz[45 + c] <= '9') mrz[45 + c] = mrz[45 + c] == '9' ? '0' : '9';
    memcpy(mrz + 2, "Z9Z", 3);
    memcpy(mrz + 5, "P3R3Z", 5);                    /* digits in the surname */
    mrz[45 + 43] = mrz[45 + 43] == '1' ? '2' : '1'; /* and the composite check digit */
    req = request(mrz, "2024-03-01T10:00-05:00");
    assert_int_equal(decide_req(f, &req), FR_REFER);
    HAS(f, "mrz.more_findings", FR_REASON_REFER);
    /* a visa's MRZ instead of the passport's */
    doc v = {.fmt = FR_MRZ_MRVA, .code = "V", .nat = "USA", .number = "V10000001"};
    assert_int_equal(decide(f, &v, "2024-03-01T10:00-05:00"), FR_REFER);
    HAS(f, "document.is_visa", FR_REASON_REFER);
    /* a nationality no policy can know */
    make(mrz, &x);
    memcpy(mrz + 45 + 10, "ZZZ", 3);
    req = request(mrz, "2024-03-01T10:00-05:00");
    assert_int_equal(decide_req(f, &req), FR_REFER);
    HAS(f, "nationality.unknown", FR_REASON_REFER);
}

static void regimes_and_visas(void **state)
{
    fixture *f = *state;
    doc chn = {.nat = "CHN", .number = "E10000001"};
    assert_int_equal(decide(f, &chn, "2024-07-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "visa.required", FR_REASON_REFUSE);
    assert_int_equal(reason(&f->d, "visa.required")->ground, 'C');
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &chn);
    fr_admit_request req = request(mrz, "2024-07-01T10:00-05:00");
    req.visa = "V998877";
    assert_int_equal(decide_req(f, &req), FR_REFER);
    HAS(f, "visa.presented", FR_REASON_INFO);
    HAS(f, "visa.stay_by_visa", FR_REASON_REFER);
    /* a visa with a stay rule of its own: admitted on the visa */
    doc rus = {.nat = "RUS", .number = "R10000001"};
    make(mrz, &rus);
    req = request(mrz, "2024-03-01T10:00-05:00");
    req.visa = "V112233";
    assert_int_equal(decide_req(f, &req), FR_ADMIT);
    HAS(f, "visa.presented", FR_REASON_INFO);
    doc ind = {.nat = "IND", .number = "N10000001"};
    assert_int_equal(decide(f, &ind, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "visa.on_arrival", FR_REASON_INFO);
    doc ecu = {.nat = "ECU", .number = "Q10000001"};
    assert_int_equal(decide(f, &ecu, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "regime.free_movement", FR_REASON_INFO);
    HAS(f, "stay.unlimited", FR_REASON_INFO);
    /* a class the policy has no rule for */
    doc usa = {.nat = "USA", .number = "A10000005"};
    make(mrz, &usa);
    req = request(mrz, "2024-03-01T10:00-05:00");
    req.cls = FR_CLASS_OFFICIAL;
    assert_int_equal(decide_req(f, &req), FR_REFER);
    HAS(f, "policy.no_rule", FR_REASON_REFER);
}

static void the_stay_rule_with_a_history_in_the_ledger(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "DNK", .number = "K10000001", .surname = "HANSEN", .given = "METTE"};
    /* 80 days in January-March: 10 left in the year */
    record(f, &x, FR_EVENT_ENTRY, "H1", "2024-01-01T10:00-05:00", "2024-03-30");
    record(f, &x, FR_EVENT_EXIT, "H2", "2024-03-20T10:00-05:00", NULL);
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &x);
    fr_admit_request req = request(mrz, "2024-06-01T10:00-05:00");
    req.intended_days = 30;
    assert_int_equal(decide_req(f, &req), FR_ADMIT);
    HAS(f, "stay.shortened", FR_REASON_INFO);
    assert_int_not_equal(f->d.traveller_id, 0);
    /* a day the calculator cannot work on (beyond its range): a supervisor decides */
    decide(f, &x, "9990-01-01T10:00-05:00");
    HAS(f, "stay.unavailable", FR_REASON_REFER);
    /* all 90 days used: refused with ground F */
    record(f, &x, FR_EVENT_ENTRY, "H3", "2024-06-01T10:00-05:00", "2024-06-10");
    record(f, &x, FR_EVENT_EXIT, "H4", "2024-06-10T10:00-05:00", NULL);
    assert_int_equal(decide(f, &x, "2024-07-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "stay.exhausted", FR_REASON_REFUSE);
    assert_int_equal(reason(&f->d, "stay.exhausted")->ground, 'F');
}

static void earlier_overstays_and_missing_exits_refer(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "CAN", .number = "K20000001", .surname = "TREMBLAY", .given = "LUC"};
    record(f, &x, FR_EVENT_ENTRY, "O1", "2023-01-01T10:00-05:00", "2023-01-31");
    record(f, &x, FR_EVENT_EXIT, "O2", "2023-02-10T10:00-05:00", NULL); /* 10 days late */
    decide(f, &x, "2024-03-01T10:00-05:00");
    HAS(f, "history.overstay", FR_REASON_REFER);
    assert_int_equal(f->d.outcome, FR_REFER);
    doc y = {.nat = "CAN", .number = "K20000002", .surname = "GAGNON", .given = "ELISE"};
    record(f, &y, FR_EVENT_ENTRY, "O3", "2023-05-01T10:00-05:00", "2023-05-20");
    assert_int_equal(decide(f, &y, "2024-03-01T10:00-05:00"), FR_REFER);
    HAS(f, "history.no_exit", FR_REASON_REFER);
}

static void renewed_and_uncertain_documents(void **state)
{
    fixture *f = *state;
    doc old = {.nat = "NOR",
               .number = "N30000001",
               .surname = "BERG",
               .given = "INGRID",
               .birth = "1975-02-03"};
    record(f, &old, FR_EVENT_ENTRY, "R1", "2023-01-01T10:00-05:00", "2023-01-20");
    record(f, &old, FR_EVENT_EXIT, "R2", "2023-01-20T10:00-05:00", NULL);
    doc renewed = old;
    renewed.number = "N30000002";
    assert_int_equal(decide(f, &renewed, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "traveller.renewed_document", FR_REASON_INFO);
    /* same birth date and nationality, names a small edit apart: a possible namesake,
     * referred with the evidence, and the other traveller's history is not counted */
    doc near = old;
    near.number = "N30000003";
    near.given = "INGRIDA";
    decide(f, &near, "2024-03-01T10:00-05:00");
    HAS(f, "traveller.possible_namesake", FR_REASON_REFER);
    assert_int_equal(f->d.outcome, FR_REFER);
    assert_non_null(strstr(reason(&f->d, "traveller.possible_namesake")->message,
                           "name one_or_two_letters_apart"));
    assert_int_equal(f->d.traveller_id, 0);
}

static void screening_hits_lost_documents_and_fails_closed(void **state)
{
    fixture *f = *state;
    doc lost = {.nat = "USA", .number = "L0ST00001"};
    assert_int_equal(decide(f, &lost, "2024-03-01T10:00-05:00"), FR_REFUSE);
    HAS(f, "document.lost_stolen", FR_REASON_REFUSE);
    doc hit = {.nat = "ARG",
               .number = "G40000001",
               .surname = "MORALES",
               .given = "DARIO EZEQUIEL",
               .birth = "1971-04-09"};
    assert_int_equal(decide(f, &hit, "2024-03-01T10:00-05:00"), FR_REFER);
    HAS(f, "watchlist.hit", FR_REASON_REFER);
    assert_int_equal(reason(&f->d, "watchlist.hit")->ground, 'H');
    doc possible = {.nat = "RUS",
                    .number = "R40000001",
                    .surname = "PETROVA",
                    .given = "SVETLANA",
                    .birth = "1961-08-01"};
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &possible);
    fr_admit_request req = request(mrz, "2024-03-01T10:00-05:00");
    req.visa = "V1";
    decide_req(f, &req);
    assert_non_null(reason(&f->d, "watchlist.possible") ? reason(&f->d, "watchlist.possible")
                                                        : reason(&f->d, "watchlist.hit"));
    /* lists named for the post but not loaded: refer, never admit */
    doc clean = {.nat = "USA", .number = "A10000009"};
    fr_booth_env saved = f->env;
    f->env.screen = NULL;
    f->env.screening_required = 1;
    assert_int_equal(decide(f, &clean, "2024-03-01T10:00-05:00"), FR_REFER);
    HAS(f, "screening.failed", FR_REASON_REFER);
    f->env.screening_required = 0;
    f->env.screening_failure = "no watchlist directory /missing";
    assert_int_equal(decide(f, &clean, "2024-03-01T10:00-05:00"), FR_REFER);
    HAS(f, "screening.failed", FR_REASON_REFER);
    assert_non_null(strstr(reason(&f->d, "screening.failed")->message, "/missing"));
    /* no lists at all: admitted, with a warning in the decision */
    f->env.screening_failure = NULL;
    assert_int_equal(decide(f, &clean, "2024-03-01T10:00-05:00"), FR_ADMIT);
    HAS(f, "screening.not_configured", FR_REASON_WARNING);
    f->env = saved;
}

static void records_the_decision_with_its_reasons(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "FIN", .number = "F50000001", .surname = "VIRTANEN", .given = "AINO"};
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &x);
    fr_admit_request req = request(mrz, "2024-03-01T10:00-05:00");
    assert_int_equal(decide_req(f, &req), FR_ADMIT);
    fr_record_result res;
    assert_int_equal(fr_booth_record(f->store, &req, &f->d, NULL, "officer1", &res, NULL), FR_OK);
    assert_int_equal(res.duplicate, 0);
    /* a retry of the same admission is the same event */
    assert_int_equal(fr_booth_record(f->store, &req, &f->d, NULL, "officer1", &res, NULL), FR_OK);
    assert_int_equal(res.duplicate, 1);
    fr_history *h = NULL;
    assert_int_equal(fr_store_history(f->store, res.traveller_id, &h, NULL), FR_OK);
    assert_int_equal(h->count, 1);
    assert_string_equal(h->items[0].decision, "admit");
    assert_string_equal(h->items[0].officer, "officer1");
    assert_int_equal(h->items[0].authorised_until, f->d.authorised_until);
    fr_history_free(h);
    /* a referral is not a crossing */
    doc chn = {.nat = "CHN", .number = "E50000001"};
    make(mrz, &chn);
    req = request(mrz, "2024-07-01T10:00-05:00");
    req.visa = "V1";
    assert_int_equal(decide_req(f, &req), FR_REFER);
    assert_int_equal(fr_booth_record(f->store, &req, &f->d, NULL, NULL, &res, NULL), FR_EINVAL);
}

/* An exit at the booth closes the open entry and says how long the stay was
 * and how late it ends; a retry is the same exit; an exit nobody entered
 * for is recorded and flagged; a misread MRZ is refused, not recorded. */
static void an_exit_at_the_booth_closes_the_entry_and_counts_days_over(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "NOR", .number = "N70000001", .surname = "HANSEN", .given = "KARI"};
    record(f, &x, FR_EVENT_ENTRY, "E-IN", "2024-03-01T10:00-05:00", "2024-05-29");
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &x);
    fr_admit_request req = request(mrz, "2024-06-02T18:30-05:00");
    req.port = "ECGYE";
    fr_booth_exit_result out;
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_booth_exit(f->store, &req, NULL, "officer2", &out, &err);
    if (rc != FR_OK) print_error("exit: %s\n", err.message);
    assert_int_equal(rc, FR_OK);
    assert_int_equal(out.duplicate, 0);
    assert_int_equal(out.anomalies & FR_ANOMALY_EXIT_WITHOUT_ENTRY, 0);
    char b[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(out.entered, b), "2024-03-01");
    assert_string_equal(fr_date_format(out.authorised_until, b), "2024-05-29");
    assert_string_equal(out.entry_port, "ECUIO");
    assert_int_equal(out.days_stayed, 94); /* 1 March to 2 June, both counted */
    assert_int_equal(out.days_over, 4);    /* 30, 31 May, 1 and 2 June */
    assert_true(strncmp(out.event_id, "EXI-NOR-N70000001-", 18) == 0);
    fr_history *h = NULL;
    assert_int_equal(fr_store_history(f->store, out.traveller_id, &h, NULL), FR_OK);
    assert_int_equal(h->count, 2);
    assert_int_equal(h->items[1].kind, FR_EVENT_EXIT);
    assert_string_equal(h->items[1].port, "ECGYE");
    assert_string_equal(h->items[1].officer, "officer2");
    assert_int_equal(h->in_country, 0);
    fr_history_free(h);
    /* the same exit again: nothing new */
    assert_int_equal(fr_booth_exit(f->store, &req, NULL, "officer2", &out, NULL), FR_OK);
    assert_int_equal(out.duplicate, 1);
    /* leaving in time */
    doc y = {.nat = "NOR", .number = "N70000002", .surname = "BERG", .given = "OLA"};
    record(f, &y, FR_EVENT_ENTRY, "E-IN2", "2024-03-01T10:00-05:00", "2024-05-29");
    make(mrz, &y);
    req = request(mrz, "2024-05-29T08:00-05:00");
    assert_int_equal(fr_booth_exit(f->store, &req, "X-2", NULL, &out, NULL), FR_OK);
    assert_int_equal(out.days_over, 0);
    assert_string_equal(out.event_id, "X-2");
    /* nobody entered on this document: recorded, flagged, no entry */
    doc z = {.nat = "NOR", .number = "N70000003", .surname = "DAHL", .given = "INGRID"};
    make(mrz, &z);
    req = request(mrz, "2024-05-29T08:00-05:00");
    assert_int_equal(fr_booth_exit(f->store, &req, NULL, NULL, &out, NULL), FR_OK);
    assert_true(out.anomalies & FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    assert_int_equal(out.entered, FR_DATE_NONE);
    assert_int_equal(out.days_stayed, 0);
    /* a check digit wrong: refused with the reader's sentence */
    mrz[strlen(mrz) - 1] = mrz[strlen(mrz) - 1] == '0' ? '1' : '0';
    req = request(mrz, "2024-05-29T08:00-05:00");
    fr_error_clear(&err);
    assert_int_equal(fr_booth_exit(f->store, &req, NULL, NULL, &out, &err), FR_EINVAL);
    assert_string_equal(err.field, "mrz");
    assert_true(err.message[0] != 0);
}

static void an_imported_entry_is_completed_as_at_the_booth(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "SWE", .number = "S60000001", .surname = "LINDQVIST", .given = "EBBA"};
    record(f, &x, FR_EVENT_ENTRY, "C1", "2024-01-01T10:00-05:00", "2024-01-30");
    record(f, &x, FR_EVENT_EXIT, "C2", "2024-01-30T10:00-05:00", NULL); /* 30 days used */
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &x);
    fr_admit_request req = request(mrz, "2024-03-01T10:00-05:00");
    fr_mrz m;
    fr_admit_read(&req, &m);
    fr_event ev;
    fr_event_init(&ev);
    assert_int_equal(fr_admit_document(&m, &ev.doc, NULL), FR_OK);
    ev.kind = FR_EVENT_ENTRY;
    ev.at = req.at;
    strcpy(ev.admission_class, "visitor");
    assert_int_equal(fr_booth_complete_entry(f->policy, f->store, &ev, NULL), FR_OK);
    assert_int_equal(decide_req(f, &req), FR_ADMIT);
    assert_int_equal(ev.authorised_until, f->d.authorised_until);
    char b[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(ev.authorised_until, b), "2024-04-29"); /* 60 days left */
}

/* An admission a post decided offline (reason post.offline) decided again
 * with the central's history: the stay the post gave is longer than the
 * days the traveller had left after a visit recorded at another post. */
static void an_offline_decision_is_decided_again_with_the_full_history(void **state)
{
    fixture *f = *state;
    doc x = {.nat = "DNK", .number = "K70000001", .surname = "HANSEN", .given = "METTE"};
    /* 80 days in January-March at another post, unknown to the offline post */
    record(f, &x, FR_EVENT_ENTRY, "F1", "2024-01-01T10:00-05:00", "2024-03-30");
    record(f, &x, FR_EVENT_EXIT, "F2", "2024-03-20T10:00-05:00", NULL);
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, &x);
    fr_admit_request req = request(mrz, "2024-06-01T10:00-05:00");
    fr_mrz m;
    fr_admit_read(&req, &m);
    fr_event ev;
    fr_event_init(&ev);
    assert_int_equal(fr_admit_document(&m, &ev.doc, NULL), FR_OK);
    strcpy(ev.event_id, "F3");
    ev.kind = FR_EVENT_ENTRY;
    ev.at = req.at;
    strcpy(ev.port, "ECTUL");
    strcpy(ev.admission_class, "visitor");
    strcpy(ev.decision, "admit");
    assert_int_equal(fr_date_parse_cstr("2024-08-29", &ev.authorised_until, NULL), FR_OK);
    fr_booth_recheck x3;
    /* not marked offline: not for a recheck */
    assert_int_equal(fr_booth_decided_offline(&ev), 0);
    assert_int_equal(fr_booth_recheck_offline(f->policy, f->store, &ev, &x3, NULL), FR_EINVAL);
    ev.reasons_json = "[{\"code\": \"stay.authorised\", \"level\": \"info\"},"
                      " {\"code\" : \"post.offline\", \"level\": \"info\"}]";
    assert_int_equal(fr_booth_decided_offline(&ev), 1);
    assert_int_equal(fr_store_record(f->store, &ev, NULL, NULL), FR_OK);
    /* a later crossing at another post counts for nothing */
    record(f, &x, FR_EVENT_EXIT, "F4", "2024-06-05T10:00-05:00", NULL);
    fr_error err;
    fr_error_clear(&err);
    assert_int_equal(fr_booth_recheck_offline(f->policy, f->store, &ev, &x3, &err), FR_OK);
    char b[FR_DATE_BUFSZ];
    assert_int_equal(x3.post, FR_ADMIT);
    assert_int_equal(x3.central, FR_ADMIT);
    assert_string_equal(fr_date_format(x3.central_until, b), "2024-06-10"); /* 10 days left */
    assert_int_equal(x3.earlier, 2);
    assert_true(x3.differs);
    /* the same admission with no earlier visit: the post decided as the central would */
    doc y = {.nat = "DNK", .number = "K70000002", .surname = "JENSEN", .given = "ANNE"};
    make(mrz, &y);
    req = request(mrz, "2024-06-01T10:00-05:00");
    fr_admit_read(&req, &m);
    assert_int_equal(fr_admit_document(&m, &ev.doc, NULL), FR_OK);
    strcpy(ev.event_id, "F5");
    assert_int_equal(fr_store_record(f->store, &ev, NULL, NULL), FR_OK);
    assert_int_equal(fr_booth_recheck_offline(f->policy, f->store, &ev, &x3, &err), FR_OK);
    assert_int_equal(x3.earlier, 0);
    assert_string_equal(fr_date_format(x3.central_until, b), "2024-08-29");
    assert_false(x3.differs);
    assert_string_equal(x3.codes, "");
}

/* The reasons are stored without being parsed again (FR_RECORD_REASONS_BUILT),
 * so they must come out valid JSON in valid UTF-8 whatever the strings: a
 * supervisor's reason cut mid-character by its buffer, stray bytes,
 * control characters and quotes. Well-formed characters pass unchanged. */
static void reasons_json_is_valid_utf8_whatever_the_text(void **state)
{
    (void)state;
    fr_admit_decision *d = fr_calloc(1, sizeof *d);
    assert_non_null(d);
    d->nreasons = 2;
    snprintf(d->reasons[0].code, sizeof d->reasons[0].code, "override.supervisor");
    snprintf(d->reasons[0].message, sizeof d->reasons[0].message,
             "ni\xC3\xB1o \xF0\x9F\x98\x80 \"q\" \\ \x01 cut \xC3");
    d->reasons[0].nparams = 1;
    snprintf(d->reasons[0].params[0].name, sizeof d->reasons[0].params[0].name, "reason");
    snprintf(d->reasons[0].params[0].value, sizeof d->reasons[0].params[0].value,
             "\xFF\xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \xE2\x82");
    snprintf(d->reasons[1].code, sizeof d->reasons[1].code, "stay.authorised");
    snprintf(d->reasons[1].message, sizeof d->reasons[1].message, "\x80");
    char buf[4096];
    assert_int_equal(fr_admit_reasons_json(d, buf, sizeof buf), FR_OK);
    json_error_t je;
    json_t *j = json_loads(buf, JSON_REJECT_DUPLICATES, &je);
    if (!j) fail_msg("not JSON at %d: %s (%s)", je.position, je.text, buf);
    const char *msg = json_string_value(json_object_get(json_array_get(j, 0), "message"));
    assert_string_equal(msg, "ni\xC3\xB1o \xF0\x9F\x98\x80 \"q\" \\ \x01 cut \xEF\xBF\xBD");
    const char *v = json_string_value(
        json_object_get(json_object_get(json_array_get(j, 0), "params"), "reason"));
    /* overlong, surrogate, beyond U+10FFFF, cut: one U+FFFD for each byte */
    assert_string_equal(
        v, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "message")),
                        "\xEF\xBF\xBD");
    json_decref(j);
    fr_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_clean_visit_is_admitted_with_its_stay, setup, teardown),
        cmocka_unit_test(reasons_json_is_valid_utf8_whatever_the_text),
        cmocka_unit_test_setup_teardown(document_grounds, setup, teardown),
        cmocka_unit_test_setup_teardown(documents_that_cannot_be_read, setup, teardown),
        cmocka_unit_test_setup_teardown(regimes_and_visas, setup, teardown),
        cmocka_unit_test_setup_teardown(the_stay_rule_with_a_history_in_the_ledger, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(earlier_overstays_and_missing_exits_refer, setup, teardown),
        cmocka_unit_test_setup_teardown(renewed_and_uncertain_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(screening_hits_lost_documents_and_fails_closed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(records_the_decision_with_its_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(an_exit_at_the_booth_closes_the_entry_and_counts_days_over,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_imported_entry_is_completed_as_at_the_booth, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(an_offline_decision_is_decided_again_with_the_full_history,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
