/* SPDX-License-Identifier: MIT */
/* test_admit.c: the admission decision's rules without a ledger: each
 * ground of refusal with its EU form letter, referrals for unreadable
 * documents, and the authorised-until date from the stay rule. Uses a small
 * policy written here so the expected answers follow from it by hand. */
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

typedef struct {
    fr_policy *policy;
    fr_admit_decision d;
} fixture;

static const char POLICY[] =
    "jurisdiction ECU\n"
    "group @andean BOL COL ECU PER ref=\"CAN Decision 503\"\n"
    "rule * visitor visa_free stay=period:90/1y+90 docs=passport validity=6m from=2017-02-06 "
    "ref=\"LOMH art. 56\"\n"
    "rule @andean visitor visa_free stay=period:180/1y docs=passport,id_card from=2017-02-06 "
    "ref=\"CAN Decision 503\"\n"
    "rule CHN visitor visa_free stay=period:90/1y docs=passport from=2016-08-18 to=2024-06-30 "
    "ref=\"ECU-CHN visa exemption agreement\"\n"
    "rule CHN visitor visa_required docs=passport from=2024-07-01 ref=\"Communique 18 Jun 2024\"\n";

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

static const fr_admit_reason *reason(const fr_admit_decision *d, const char *code)
{
    for (size_t i = 0; i < d->nreasons; i++)
        if (strcmp(d->reasons[i].code, code) == 0) return &d->reasons[i];
    return NULL;
}

static fr_outcome decide(fixture *f, const char *mrz, const char *at, const char *visa,
                         int intended)
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
    assert_int_equal(fr_admit_decide(f->policy, &req, &m, NULL, &f->d, NULL), FR_OK);
    return f->d.outcome;
}

static void chinese_visitor_on_each_side_of_1_july_2024(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "CHN", "E12345678", "2031-01-01");
    assert_int_equal(decide(f, mrz, "2024-06-30T23:59-05:00", NULL, 0), FR_ADMIT);
    char b[FR_DATE_BUFSZ];
    /* 30 June is day 1 of 90: the 90th day is 27 September */
    assert_string_equal(fr_date_format(f->d.authorised_until, b), "2024-09-27");
    assert_non_null(reason(&f->d, "regime.visa_free"));
    assert_int_equal(decide(f, mrz, "2024-07-01T00:01-05:00", NULL, 0), FR_REFUSE);
    const fr_admit_reason *r = reason(&f->d, "visa.required");
    assert_non_null(r);
    assert_int_equal(r->ground, 'C');
    assert_int_equal(f->d.authorised_until, FR_DATE_NONE);
    /* with a visa: not refused; the visa sets the stay, so a supervisor enters it */
    assert_int_equal(decide(f, mrz, "2024-07-01T00:01-05:00", "V998877", 0), FR_REFER);
    assert_non_null(reason(&f->d, "visa.stay_by_visa"));
}

static void document_grounds_are_letter_a(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2024-03-01");
    assert_int_equal(decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0), FR_REFUSE);
    assert_int_equal(reason(&f->d, "document.expired")->ground, 'A');
    /* refused: no stay is stated as if authorised (an officer read "authorised
     * until" under REFUSE) */
    assert_null(reason(&f->d, "stay.authorised"));
    assert_int_equal(f->d.authorised_until, FR_DATE_NONE);
    /* valid on the day but for less than the six months the default rule asks */
    assert_int_equal(decide(f, mrz, "2024-01-02T10:00-05:00", NULL, 0), FR_REFUSE);
    assert_int_equal(reason(&f->d, "document.validity")->ground, 'A');
    assert_null(reason(&f->d, "document.expired"));
    /* an ID card is accepted from Andean citizens, not from others */
    make(mrz, FR_MRZ_TD1, "I", "COL", "123456789", "2030-01-01");
    assert_int_equal(decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0), FR_ADMIT);
    assert_string_equal(f->d.rule->ref, "CAN Decision 503");
    make(mrz, FR_MRZ_TD1, "I", "USA", "123456789", "2030-01-01");
    assert_int_equal(decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0), FR_REFUSE);
    assert_int_equal(reason(&f->d, "document.not_accepted")->ground, 'A');
}

static void unreadable_documents_are_referred_not_refused(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    mrz[44 + 3] = mrz[44 + 3] == '9' ? '8' : '9'; /* a digit of the number: check digit fails */
    assert_int_equal(decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0), FR_REFER);
    assert_non_null(reason(&f->d, "mrz.check_digit.document_number"));
    assert_int_equal(f->d.authorised_until, FR_DATE_NONE);
    make(mrz, FR_MRZ_MRVA, "V", "USA", "123456789", "2030-01-01");
    assert_int_equal(decide(f, mrz, "2024-03-02T10:00-05:00", NULL, 0), FR_REFER);
    assert_non_null(reason(&f->d, "document.is_visa"));
}

static void intended_stay_shortens_and_is_explained(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    assert_int_equal(decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 10), FR_ADMIT);
    char b[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(f->d.authorised_until, b), "2024-03-10");
    assert_int_equal(f->d.stay.limited_by, FR_STAY_LIMIT_INTENDED);
    /* asking for more than the rule allows: the rule's 90 days, and a note */
    assert_int_equal(decide(f, mrz, "2024-03-01T10:00-05:00", NULL, 200), FR_ADMIT);
    assert_string_equal(fr_date_format(f->d.authorised_until, b), "2024-05-29");
    assert_non_null(reason(&f->d, "stay.shortened"));
}

static void reasons_serialise_as_json(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX], buf[8192];
    make(mrz, FR_MRZ_TD3, "P", "CHN", "E12345678", "2031-01-01");
    decide(f, mrz, "2024-07-01T10:00-05:00", NULL, 0);
    assert_int_equal(fr_admit_reasons_json(&f->d, buf, sizeof buf), FR_OK);
    assert_non_null(
        strstr(buf, "\"code\":\"visa.required\",\"ground\":\"C\",\"level\":\"refuse\""));
    assert_int_equal(fr_admit_reasons_json(&f->d, buf, 20), FR_ELIMIT);
}

/* A new document that only possibly belongs to a known traveller (a
 * namesake?) is referred with the evidence; it is never refused, and the
 * stay is the full one (nobody's history is counted). */
static void possible_namesake_refers_never_refuses_or_shortens(void **state)
{
    fixture *f = *state;
    char mrz[FR_MRZ_TEXT_MAX];
    make(mrz, FR_MRZ_TD3, "P", "USA", "123456789", "2030-01-01");
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.mrz = mrz;
    req.mrz_len = strlen(mrz);
    req.port = "ECUIO";
    assert_int_equal(fr_datetime_parse_cstr("2024-03-01T10:00-05:00", &req.at, NULL), FR_OK);
    fr_mrz m;
    fr_admit_read(&req, &m);
    fr_admit_facts facts;
    memset(&facts, 0, sizeof facts);
    facts.link = FR_LINK_REVIEW;
    facts.link_candidate = 4242;
    snprintf(facts.link_evidence, sizeof facts.link_evidence,
             "weight 7.5 bits: name exact +6.0, birth_date exact +14.4");
    assert_int_equal(fr_admit_decide(f->policy, &req, &m, &facts, &f->d, NULL), FR_OK);
    assert_int_equal(f->d.outcome, FR_REFER);
    const fr_admit_reason *r = reason(&f->d, "traveller.possible_namesake");
    assert_non_null(r);
    assert_int_equal(r->level, FR_REASON_REFER);
    assert_non_null(strstr(r->message, "Possible earlier record of a namesake, verify"));
    assert_non_null(strstr(r->message, "traveller 4242"));
    assert_non_null(strstr(r->message, "birth_date exact +14.4"));
    for (size_t i = 0; i < f->d.nreasons; i++)
        assert_int_not_equal(f->d.reasons[i].level, FR_REASON_REFUSE);
    /* the stay evaluated on no history: the full 90 days of the rule */
    assert_true(f->d.have_stay);
    char b[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(f->d.stay.authorised_until, b), "2024-05-29");
}

/* Ecuador's policy as shipped (data/policy/ecu.policy). */
static fr_policy *ecu_policy(void)
{
    FILE *f = fopen(FR_SOURCE_DIR "/data/policy/ecu.policy", "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, f);
    fclose(f);
    assert_true(len > 0 && len < sizeof text);
    fr_policy *p = NULL;
    assert_int_equal(fr_policy_parse(text, len, &p, NULL, 0, NULL), FR_OK);
    return p;
}

/* Decide an entry under p with the history h (NULL: none) on `at`, with a
 * passport valid for five more years. */
static void decide_link(fr_policy *p, const char *nat, const char *at, const fr_history *h,
                        fr_link_kind link, fr_admit_decision *d);

static void decide_with(fr_policy *p, const char *nat, const char *at, const fr_history *h,
                        fr_admit_decision *d)
{
    decide_link(p, nat, at, h, h ? FR_LINK_DOCUMENT : FR_LINK_NEW, d);
}

/* As decide_with, the document resolved to h's traveller as `link`. */
static void decide_link(fr_policy *p, const char *nat, const char *at, const fr_history *h,
                        fr_link_kind link, fr_admit_decision *d)
{
    char mrz[FR_MRZ_TEXT_MAX], expiry[32];
    snprintf(expiry, sizeof expiry, "%04d-01-01", atoi(at) + 5);
    make(mrz, FR_MRZ_TD3, "P", nat, "X1234567", expiry);
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.mrz = mrz;
    req.mrz_len = strlen(mrz);
    req.port = "ECUIO";
    assert_int_equal(fr_datetime_parse_cstr(at, &req.at, NULL), FR_OK);
    fr_admit_facts facts;
    memset(&facts, 0, sizeof facts);
    facts.history = h;
    facts.link = link;
    fr_mrz m;
    fr_admit_read(&req, &m);
    assert_int_equal(fr_admit_decide(p, &req, &m, &facts, d, NULL), FR_OK);
}

/* The admission's stay question: the rule in force (the why), then the stay
 * it allows on the traveller's history; no stay when the rule sets none (a
 * visa does); a referral when no rule applies. */
static void stay_comes_from_the_rule_in_force_and_the_history(void **state)
{
    (void)state;
    fr_policy *p = ecu_policy();
    fr_admit_decision *d = fr_calloc(1, sizeof *d);
    assert_non_null(d);
    /* an earlier stay of 32 days, 10 January to 10 February 2024 */
    fr_history_item items[2];
    memset(items, 0, sizeof items);
    items[0].kind = FR_EVENT_ENTRY;
    items[0].paired = 1;
    items[0].authorised_until = FR_DATE_NONE;
    assert_int_equal(fr_datetime_parse_cstr("2024-01-10T10:00-05:00", &items[0].at, NULL), FR_OK);
    items[1].kind = FR_EVENT_EXIT;
    items[1].paired = 0;
    items[1].authorised_until = FR_DATE_NONE;
    assert_int_equal(fr_datetime_parse_cstr("2024-02-10T10:00-05:00", &items[1].at, NULL), FR_OK);
    fr_history h;
    memset(&h, 0, sizeof h);
    h.items = items;
    h.count = 2;
    h.open_entry = -1;
    h.authorised_until = FR_DATE_NONE;
    char b[FR_DATE_BUFSZ];
    decide_with(p, "USA", "2024-04-20T10:00-05:00", &h, d);
    assert_int_equal(d->outcome, FR_ADMIT);
    assert_non_null(d->rule);
    assert_non_null(strstr(d->rule->ref, "art. 56"));
    assert_int_equal(d->stay.eval.days_used, 32);
    /* 90 - 32 = 58 days from 20 April */
    assert_string_equal(fr_date_format(d->authorised_until, b), "2024-06-16");
    assert_int_equal(d->stay.authorised_days, 58);
    /* China on the last visa-free day, then the day the visa is required */
    decide_with(p, "CHN", "2024-06-30T10:00-05:00", NULL, d);
    assert_string_equal(fr_date_format(d->authorised_until, b), "2024-09-27");
    decide_with(p, "CHN", "2024-07-01T10:00-05:00", NULL, d);
    assert_int_equal(d->rule->regime, FR_REGIME_VISA_REQUIRED);
    assert_int_equal(d->authorised_until, FR_DATE_NONE);
    assert_false(d->have_stay);
    assert_false(d->stay.exhausted);
    /* before the policy's first rule: no rule, so a supervisor decides */
    decide_with(p, "USA", "2010-01-01T10:00-05:00", NULL, d);
    assert_null(d->rule);
    assert_int_equal(d->outcome, FR_REFER);
    assert_non_null(reason(d, "policy.no_rule"));
    assert_int_equal(d->authorised_until, FR_DATE_NONE);
    fr_free(d);
    fr_policy_free(p);
}

/* A stay of 2024-01-10 to `to` on document row `row` (items[0..1]). */
static void stay_on(fr_history_item items[2], int64_t row, const char *to)
{
    memset(items, 0, 2 * sizeof *items);
    items[0].kind = FR_EVENT_ENTRY;
    items[0].paired = 1;
    items[0].document_row = row;
    items[0].authorised_until = FR_DATE_NONE;
    assert_int_equal(fr_datetime_parse_cstr("2024-01-10T10:00-05:00", &items[0].at, NULL), FR_OK);
    items[1].kind = FR_EVENT_EXIT;
    items[1].paired = 0;
    items[1].document_row = row;
    items[1].authorised_until = FR_DATE_NONE;
    assert_int_equal(fr_datetime_parse_cstr(to, &items[1].at, NULL), FR_OK);
}

/* Days used on another document of the traveller (linked as a renewal, by
 * weight of evidence) never shorten or refuse a stay by themselves: the
 * decision refers with both figures. Days on the document read count as
 * always. */
static void other_documents_days_refer_never_refuse_or_shorten(void **state)
{
    (void)state;
    fr_policy *p = ecu_policy();
    fr_admit_decision *d = fr_calloc(1, sizeof *d);
    assert_non_null(d);
    fr_history_item items[2];
    fr_history_document docs[2];
    memset(docs, 0, sizeof docs);
    docs[0].row = 1;
    strcpy(docs[0].doc.state, "USA");
    strcpy(docs[0].doc.number, "OLD000001");
    docs[1].row = 2;
    strcpy(docs[1].doc.state, "USA");
    strcpy(docs[1].doc.number, "X1234567");
    fr_history h;
    memset(&h, 0, sizeof h);
    h.items = items;
    h.count = 2;
    h.documents = docs;
    h.ndocuments = 1; /* the passport read is new: a renewal */
    h.open_entry = -1;
    h.authorised_until = FR_DATE_NONE;
    char b[FR_DATE_BUFSZ];
    /* 32 days on the old passport would leave 58 of 90: referred, with both figures */
    stay_on(items, 1, "2024-02-10T10:00-05:00");
    decide_link(p, "USA", "2024-04-20T10:00-05:00", &h, FR_LINK_RENEWAL, d);
    assert_int_equal(d->outcome, FR_REFER);
    assert_int_equal(d->authorised_until, FR_DATE_NONE);
    const fr_admit_reason *r = reason(d, "stay.other_documents");
    assert_non_null(r);
    assert_int_equal(r->level, FR_REASON_REFER);
    assert_non_null(strstr(r->message, "58 days, until 2024-06-16"));
    assert_non_null(strstr(r->message, "alone 90 days"));
    /* 90 days on the old passport: no day left, but not refused on its strength */
    stay_on(items, 1, "2024-04-08T10:00-05:00");
    decide_link(p, "USA", "2024-04-20T10:00-05:00", &h, FR_LINK_RENEWAL, d);
    assert_int_equal(d->outcome, FR_REFER);
    assert_true(d->stay.exhausted);
    assert_non_null(reason(d, "stay.other_documents"));
    assert_int_equal(reason(d, "stay.exhausted")->level, FR_REASON_REFER);
    /* the same days on the passport read: they count, shortened or refused */
    h.ndocuments = 2;
    stay_on(items, 2, "2024-02-10T10:00-05:00");
    decide_link(p, "USA", "2024-04-20T10:00-05:00", &h, FR_LINK_DOCUMENT, d);
    assert_int_equal(d->outcome, FR_ADMIT);
    assert_null(reason(d, "stay.other_documents"));
    assert_string_equal(fr_date_format(d->authorised_until, b), "2024-06-16");
    stay_on(items, 2, "2024-04-08T10:00-05:00");
    decide_link(p, "USA", "2024-04-20T10:00-05:00", &h, FR_LINK_DOCUMENT, d);
    assert_int_equal(d->outcome, FR_REFUSE);
    assert_int_equal(reason(d, "stay.exhausted")->level, FR_REASON_REFUSE);
    fr_free(d);
    fr_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stay_comes_from_the_rule_in_force_and_the_history),
        cmocka_unit_test(other_documents_days_refer_never_refuse_or_shorten),
        cmocka_unit_test_setup_teardown(chinese_visitor_on_each_side_of_1_july_2024, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(document_grounds_are_letter_a, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_documents_are_referred_not_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(intended_stay_shortens_and_is_explained, setup, teardown),
        cmocka_unit_test_setup_teardown(reasons_serialise_as_json, setup, teardown),
        cmocka_unit_test_setup_teardown(possible_namesake_refers_never_refuses_or_shortens, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
