/* SPDX-License-Identifier: MIT */
/* test_admit_params.c: every reason of the admission decision carries the
 * parameters docs/admission.md lists for its code (so that a page or the
 * program can write it in another language), its English sentence is the
 * one it was before the parameters (the pages, the tests of other layers and
 * the documentation quote them), and fr_admit_reason_format follows its
 * rule: choices, nested placeholders, free text kept as it is, a cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "admit_fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/admit.h"
#include "frontera/alloc.h"

static const char POLICY[] =
    "jurisdiction ECU\n"
    "rule * visitor visa_free stay=period:90/1y+90 docs=passport validity=6m from=2017-02-06 "
    "ref=\"LOMH art. 56\"\n"
    "rule ARG visitor free_movement docs=passport,id_card from=2017-02-06 ref=\"Mercosur\"\n"
    "rule CUB visitor visa_on_arrival stay=period:30/1y docs=passport from=2017-02-06 "
    "ref=\"VOA rule\"\n"
    "rule CHN visitor visa_free stay=period:90/1y docs=passport from=2016-08-18 to=2024-06-30 "
    "ref=\"ECU-CHN visa exemption agreement\"\n"
    "rule CHN visitor eta stay=period:90/1y docs=passport from=2024-07-01 "
    "ref=\"Communique 18 Jun 2024\"\n"
    "rule PER visitor visa_free stay=per-admission:90,doc-expiry docs=passport from=2017-02-06 "
    "ref=\"PER rule\"\n"
    "rule IND visitor visa_required docs=passport from=2017-02-06 ref=\"Visa rule\"\n";

/* The parameters of each code, in the order the reason gives them (the
 * table "Each reason's parameters" in docs/admission.md). */
static const struct {
    const char *code, *params;
} PARAMS[] = {
    {"document.is_visa", ""},
    {"mrz.*", "line,column,detail|line,column,detail,found,expected,value"}, /* notes | errors */
    {"mrz.more_findings", "count"},
    {"nationality.unknown", ""},
    {"policy.no_rule", "nationality,class"},
    {"document.expiry_unknown", ""},
    {"document.expired", "expiry"},
    {"document.validity", "expiry,valid_until,ref,ref_es"},
    {"document.not_accepted", "type,accepted,ref,ref_es"},
    {"visa.required", "nationality,regime,class,since,ref,ref_es"},
    {"visa.presented", "visa"},
    {"visa.stay_by_visa", ""},
    {"visa.on_arrival", "nationality,ref,ref_es"},
    {"regime.visa_free", "nationality,class,ref,ref_es,since"},
    {"regime.free_movement", "nationality,ref,ref_es"},
    {"screening.not_configured", ""},
    {"screening.failed", "failure"},
    {"document.lost_stolen", "state,number"},
    {"watchlist.hit", "list,id,score,explanation"},
    {"watchlist.possible", "list,id,score,explanation"},
    {"traveller.possible_namesake", "candidate,evidence"},
    {"traveller.renewed_document", "traveller,misread"},
    {"history.overstay", "overstays,days"},
    {"history.no_exit", "entries,last_entry"},
    {"stay.other_documents", "alone_days,alone_until|days,until,alone_days,alone_until"},
    {"stay.unavailable", ""},
    {"stay.exhausted", "days_used,max_days,rule,ref,ref_es,period_start"},
    {"stay.shortened", "intended_days,days,until"},
    {"stay.document_expiry", "until"},
    {"stay.authorised", "days_used,max_days,period_start,rule,until,days"},
    {"stay.unlimited", ""},
};
#define NCODES (sizeof PARAMS / sizeof PARAMS[0])

typedef struct {
    fr_policy *policy;
    fr_admit_decision d;
    int seen[NCODES];
} fixture;

/* Check each reason's parameter names against PARAMS, and mark its code seen. */
static void check_params(fixture *f)
{
    for (size_t i = 0; i < f->d.nreasons; i++) {
        const fr_admit_reason *r = &f->d.reasons[i];
        char names[256] = "";
        for (size_t k = 0; k < r->nparams; k++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? "," : "",
                     r->params[k].name);
        size_t c = 0;
        for (; c < NCODES; c++)
            if (strcmp(PARAMS[c].code, r->code) == 0 ||
                (strcmp(PARAMS[c].code, "mrz.*") == 0 && strncmp(r->code, "mrz.", 4) == 0 &&
                 strcmp(r->code, "mrz.more_findings") != 0))
                break;
        if (c == NCODES) fail_msg("reason %s is not in the table of parameters", r->code);
        /* one of the |-separated forms */
        const char *forms = PARAMS[c].params;
        int ok = 0;
        for (const char *p = forms;; p = strchr(p, '|') + 1) {
            size_t n = strchr(p, '|') ? (size_t)(strchr(p, '|') - p) : strlen(p);
            if (strlen(names) == n && strncmp(names, p, n) == 0) ok = 1;
            if (!strchr(p, '|')) break;
        }
        if (!ok) fail_msg("reason %s has params \"%s\", not \"%s\"", r->code, names, forms);
        for (size_t k = 0; k < r->nparams; k++)
            assert_string_equal(fr_admit_reason_param(r, r->params[k].name), r->params[k].value);
        f->seen[c] = 1;
    }
}

static int setup(void **state)
{
    fixture *f = fr_calloc(1, sizeof *f);
    assert_non_null(f);
    f->policy = fixture_policy(POLICY, sizeof POLICY - 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fr_policy_free(f->policy);
    fr_free(f);
    return 0;
}

static void decide(fixture *f, const char *mrz, const char *at, const char *visa, int intended,
                   const fr_admit_facts *facts)
{
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.mrz = mrz;
    req.mrz_len = strlen(mrz);
    req.port = "ECUIO";
    req.visa = visa;
    req.intended_days = intended;
    assert_int_equal(fr_datetime_parse_cstr(at, &req.at, NULL), FR_OK);
    fr_mrz m;
    fr_admit_read(&req, &m);
    assert_int_equal(fr_admit_decide(f->policy, &req, &m, facts, &f->d, NULL), FR_OK);
    check_params(f);
}

static const char *message(const fixture *f, const char *code)
{
    for (size_t i = 0; i < f->d.nreasons; i++)
        if (strcmp(f->d.reasons[i].code, code) == 0) return f->d.reasons[i].message;
    fail_msg("no reason %s", code);
    return NULL;
}

/* An entry on 2024-01-10 with its exit on `out` (NULL: none) and an
 * authorised stay until `until` (NULL: none). */
static void stay(fr_history_item it[2], const char *out, const char *until)
{
    memset(it, 0, 2 * sizeof *it);
    it[0].kind = FR_EVENT_ENTRY;
    it[0].paired = out ? 1 : -1;
    it[0].authorised_until = FR_DATE_NONE;
    if (until)
        assert_int_equal(fr_date_parse(until, strlen(until), &it[0].authorised_until, NULL), FR_OK);
    assert_int_equal(fr_datetime_parse_cstr("2024-01-10T10:00-05:00", &it[0].at, NULL), FR_OK);
    it[1].kind = FR_EVENT_EXIT;
    it[1].paired = 0;
    it[1].authorised_until = FR_DATE_NONE;
    assert_int_equal(fr_datetime_parse_cstr(out ? out : "2024-01-10T12:00-05:00", &it[1].at, NULL),
                     FR_OK);
}

/* Decisions that between them give nearly every code; the English
 * sentences as admit.c wrote them with printf before the parameters. */
static void every_reason_has_its_params_and_its_english_sentence(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "CHN", "E12345678", "2031-01-01");
    decide(f, mrz, "2024-06-30T23:59-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "regime.visa_free"),
                        "Nationals of CHN may enter as visitor without a visa (ECU-CHN visa "
                        "exemption agreement, in force since 2016-08-18).");
    assert_string_equal(message(f, "stay.authorised"),
                        "0 days used of 90 in the period from 2024-06-30 (period:90/1y); "
                        "authorised until 2024-09-27 (90 days).");
    assert_string_equal(message(f, "screening.not_configured"),
                        "No watchlist is loaded on this post: the traveller was not screened.");
    decide(f, mrz, "2024-07-01T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "visa.required"),
                        "Nationals of CHN need a travel authorisation (ETA) to enter as visitor "
                        "since 2024-07-01 (Communique 18 Jun 2024); none was presented.");
    decide(f, mrz, "2024-07-01T10:00-05:00", "ETA-77", 0, NULL);
    assert_string_equal(message(f, "visa.presented"),
                        "Visa reference ETA-77 presented: check it against the visa record.");
    make(mrz, FR_MRZ_TD3, "P", "IND", "J1234567", "2031-01-01");
    decide(f, mrz, "2024-07-01T10:00-05:00", "V-1", 0, NULL);
    (void)message(f, "visa.stay_by_visa");
    make(mrz, FR_MRZ_TD3, "P", "CUB", "C1234567", "2031-01-01");
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 40, NULL);
    assert_string_equal(message(f, "visa.on_arrival"),
                        "Nationals of CUB receive a visa on arrival (VOA rule).");
    assert_string_equal(message(f, "stay.shortened"),
                        "The traveller asked for 40 days; 30 are available, until 2024-03-30.");
    make(mrz, FR_MRZ_TD1, "I", "ARG", "A1234567", "2031-01-01");
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "regime.free_movement"),
                        "Nationals of ARG enjoy free movement (Mercosur).");
    (void)message(f, "stay.unlimited");
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2024-03-01");
    decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "document.expired"),
                        "The document expired on 2024-03-01; a valid travel document is required.");
    decide(f, mrz, "2024-01-02T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "document.validity"),
                        "The document expires on 2024-03-01; this nationality needs one valid "
                        "until at least 2024-07-02 (LOMH art. 56).");
    make(mrz, FR_MRZ_TD3, "P", "PER", "123456789", "2024-04-01");
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "stay.document_expiry"),
                        "The stay ends on 2024-04-01, when the document expires.");
    make(mrz, FR_MRZ_TD1, "I", "USA", "123456789", "2030-01-01");
    decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "document.not_accepted"),
                        "A document of type 'I' is not accepted for this nationality: a passport "
                        "is required (LOMH art. 56).");
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    mrz[44 + 3] = mrz[44 + 3] == '9' ? '8' : '9';
    decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0, NULL);
    make(mrz, FR_MRZ_MRVA, "V", "USA", "123456789", "2030-01-01");
    decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0, NULL);
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    memcpy(strstr(mrz + 44, "USA"), "QQQ", 3); /* the nationality: no state's code */
    decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0, NULL);
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    decide(f, mrz, "2010-01-02T10:00-05:00", NULL, 0, NULL);
    assert_string_equal(message(f, "policy.no_rule"),
                        "The policy has no rule for nationals of USA entering as visitor on this "
                        "day: a supervisor decides.");

    /* screening and the ledger */
    fr_admit_facts facts;
    memset(&facts, 0, sizeof facts);
    facts.screening.state = FR_SCREENING_FAILED;
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "screening.failed"),
                        "Screening could not be done (unknown error): a supervisor decides.");
    facts.screening.state = FR_SCREENING_DONE;
    facts.screening.document_listed = 1;
    facts.screening.nmatches = 2;
    facts.screening.matches[0] = (fr_admit_match){1, "un", "QDi.1", 0.934, "name {exact}"};
    facts.screening.matches[1] = (fr_admit_match){0, "ofac", "77", 0.5, "alias"};
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "document.lost_stolen"),
                        "Document USA 123456789 is listed as lost or stolen: retain it and follow "
                        "the procedure.");
    assert_string_equal(message(f, "watchlist.hit"),
                        "Strong match with list un entry QDi.1 (score 0.93): name {exact}");
    assert_string_equal(message(f, "watchlist.possible"),
                        "Possible match with list ofac entry 77 (score 0.50): alias");
    memset(&facts, 0, sizeof facts);
    facts.link = FR_LINK_REVIEW;
    facts.link_candidate = 4242;
    decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "traveller.possible_namesake"),
                        "Possible earlier record of a namesake, verify: this new document may "
                        "belong to traveller 4242, or to another person with the same or a similar "
                        "name. That record is not counted. Evidence: not given");

    fr_history_item items[4];
    fr_history h;
    memset(&h, 0, sizeof h);
    h.items = items;
    h.open_entry = -1;
    h.authorised_until = FR_DATE_NONE;
    stay(items, "2024-02-20T10:00-05:00", "2024-02-10"); /* 10 days over */
    stay(items + 2, NULL, "2024-03-01");                 /* no exit */
    items[2].at.date += 60;
    h.count = 3; /* items[3], its exit, left out */
    facts.link = FR_LINK_RENEWAL;
    facts.history = &h;
    facts.traveller_id = 77;
    decide(f, mrz, "2024-04-20T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "traveller.renewed_document"),
                        "A new document of traveller 77: the earlier documents' history counts.");
    {
        /* the same link, but the number fails its check digit: a misread */
        char bad[FR_MRZ_TEXT_MAX];
        snprintf(bad, sizeof bad, "%s", mrz);
        char *l2 = strchr(bad, '\n') + 1;
        l2[9] = l2[9] == '0' ? '1' : '0';
        decide(f, bad, "2024-04-20T10:00-05:00", NULL, 0, &facts);
        assert_string_equal(message(f, "traveller.renewed_document"),
                            "The document number as read is not one of traveller 77's documents, "
                            "and its check digit fails: most likely a known document misread. "
                            "Rescan it before recording.");
        decide(f, mrz, "2024-04-20T10:00-05:00", NULL, 0, &facts);
    }
    assert_string_equal(message(f, "history.overstay"),
                        "The traveller overstayed 1 time before, 10 days in all.");
    assert_string_equal(message(f, "history.no_exit"),
                        "1 earlier entry (last on 2024-03-10) has no recorded exit: ask how and "
                        "when the traveller left.");
    assert_string_equal(message(f, "stay.other_documents"),
                        "Days used on the traveller's other documents shorten this stay to 47 "
                        "days, until 2024-06-05; on this document alone 90 days, until 2024-07-18. "
                        "Verify that the documents belong to one person (photographs, earlier "
                        "stamps) before applying the shorter stay.");
    h.count = 2;
    items[1].at.date = items[0].at.date + 89; /* 90 days on the other document */
    items[0].authorised_until = FR_DATE_NONE;
    decide(f, mrz, "2024-04-20T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "stay.other_documents"),
                        "Days used on the traveller's other documents leave no day of this stay; "
                        "on this document alone 90 days are available, until 2024-07-18. Verify "
                        "that the documents belong to one person (photographs, earlier stamps) "
                        "before refusing.");
    assert_string_equal(message(f, "stay.exhausted"),
                        "The traveller has already stayed 90 of the 90 days allowed "
                        "(period:90/1y+90, LOMH art. 56) in the period from 2024-01-10.");
    /* two entries with no exit: the plural */
    stay(items, NULL, NULL);
    stay(items + 2, NULL, NULL);
    items[2].at.date += 20;
    items[1] = items[2];
    h.count = 2;
    facts.link = FR_LINK_DOCUMENT;
    decide(f, mrz, "2024-04-20T10:00-05:00", NULL, 0, &facts);
    assert_string_equal(message(f, "history.no_exit"),
                        "2 earlier entries (last on 2024-01-30) have no recorded exit: ask how and "
                        "when the traveller left.");

    /* what no decision here gives: an MRZ with more than four errors, a
     * document's expiry unreadable, a stay that cannot be computed */
    const char *unseen[] = {"mrz.more_findings", "document.expiry_unknown", "stay.unavailable"};
    for (size_t c = 0; c < NCODES; c++) {
        int expected = 1;
        for (size_t u = 0; u < sizeof unseen / sizeof unseen[0]; u++)
            if (strcmp(PARAMS[c].code, unseen[u]) == 0) expected = 0;
        if (expected && !f->seen[c]) fail_msg("no decision here gave %s", PARAMS[c].code);
    }
}

static void format_follows_its_rule(void **state)
{
    (void)state;
    fr_admit_reason r;
    memset(&r, 0, sizeof r);
    r.nparams = 3;
    strcpy(r.params[0].name, "n");
    strcpy(r.params[0].value, "1");
    strcpy(r.params[1].name, "text");
    strcpy(r.params[1].value, "{n} stays {n|1=as|is}");
    strcpy(r.params[2].name, "empty");
    char buf[128];
    assert_int_equal(fr_admit_reason_format(&r, "{n} entr{n|1=y|ies}: {text}", buf, sizeof buf),
                     FR_OK);
    assert_string_equal(buf, "1 entry: {n} stays {n|1=as|is}");
    strcpy(r.params[0].value, "2");
    assert_int_equal(fr_admit_reason_format(&r,
                                            "{n|1=one|{n} of {n}}, {empty|=none}, "
                                            "{missing|=absent}, {unknown} {",
                                            buf, sizeof buf),
                     FR_OK);
    assert_string_equal(buf, "2 of 2, none, absent, {unknown} {");
    /* no matching key and no bare alternative: the value */
    assert_int_equal(fr_admit_reason_format(&r, "{n|1=one}", buf, sizeof buf), FR_OK);
    assert_string_equal(buf, "2");
    assert_int_equal(fr_admit_reason_format(&r, "a long sentence {text}", buf, 10), FR_ELIMIT);
    assert_string_equal(buf, "a long se");
    assert_null(fr_admit_reason_param(&r, "nothing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_reason_has_its_params_and_its_english_sentence, setup,
                                        teardown),
        cmocka_unit_test(format_follows_its_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
