/* SPDX-License-Identifier: MIT */
/* manifest.c: pre-arrival checks of a PAXLST manifest (manifest.h).
 *
 * Each person becomes the request the booth would see on arrival: the MRZ
 * of the travel document (written with fr_mrz_make from the DOC, NAT, ATT
 * and DTM data, with nationality and issuing state normalised to ICAO
 * codes), the visa (a DOC of type V), the class (visitor, crew, transit)
 * and the arrival time of the last leg. fr_booth_decide then applies the
 * same rules as at the booth, so a pre-arrival answer and the booth's
 * decision cannot drift apart. A person the request cannot be built for is
 * answered `check` with the reason. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/manifest.h"
#include "frontera/screen.h"

const char *fr_manifest_answer_name(fr_manifest_answer a)
{
    switch (a) {
    case FR_MANIFEST_BOARD:
        return "board";
    case FR_MANIFEST_NO_BOARD:
        return "no-board";
    default:
        return "check";
    }
}

int fr_manifest_port(const char *country2, const char *airport, char out[6])
{
    out[0] = '\0';
    if (!country2 || !airport || strlen(country2) != 2 || strlen(airport) != 3) return -1;
    for (int i = 0; i < 3; i++)
        if (airport[i] < 'A' || airport[i] > 'Z') return -1;
    snprintf(out, 6, "%s%s", country2, airport);
    return 0;
}

/* An ICAO code for an alpha-3 (or ICAO) code as sent; 0 when unknown. */
static int icao_code(const char *sent, char out[4])
{
    int idx = sent[0] ? fr_country_normalize(sent, strlen(sent)) : -1;
    if (idx < 0) return 0;
    snprintf(out, 4, "%s", fr_country_code(idx));
    return 1;
}

/* Letters, spaces, hyphens and apostrophes are what fr_mrz_make takes; other
 * characters (accents, U+FFFD) are dropped. */
static void mrz_name(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 1 < cap; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-' || c == '\'')
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

static fr_mrz_date mrz_date(fr_date d)
{
    fr_mrz_date m = {FR_MRZ_DATE_UNKNOWN, 0, 0, 0, FR_DATE_NONE};
    if (d == FR_DATE_NONE) return m;
    m.kind = FR_MRZ_DATE_FULL;
    fr_date_to_ymd(d, &m.year, &m.month, &m.day);
    m.date = d;
    return m;
}

/* Person p's travel document (the first that is not a visa; NULL: none)
 * and the number of a visa given beside it (*visa, NULL: none). */
static const fr_paxlst_document *travel_document(const fr_paxlst_person *p, const char **visa)
{
    const fr_paxlst_document *doc = NULL;
    *visa = NULL;
    for (int i = 0; i < p->ndocs; i++) {
        if (strcmp(p->docs[i].type, "V") == 0) {
            if (!*visa && p->docs[i].number[0]) *visa = p->docs[i].number;
        } else if (!doc) {
            doc = &p->docs[i];
        }
    }
    return doc;
}

/* The person's fields of an MRZ from p and its document doc (may be NULL):
 * names, nationality and issuing state (each standing for the other when
 * one is unknown), birth date. 1 when either country is known, else 0. */
static int person_fields(const fr_paxlst_person *p, const fr_paxlst_document *doc, fr_mrz *m)
{
    char nat[4] = "", iss[4] = "";
    int have_nat = icao_code(p->nationality, nat);
    int have_iss = doc && icao_code(doc->issuing_country, iss);
    snprintf(m->nationality, sizeof m->nationality, "%s", have_nat ? nat : iss);
    snprintf(m->issuing_state, sizeof m->issuing_state, "%s", have_iss ? iss : nat);
    mrz_name(p->surname, m->surname, sizeof m->surname);
    mrz_name(p->given_names, m->given_names, sizeof m->given_names);
    m->birth_date = mrz_date(p->birth_date);
    return have_nat || have_iss;
}

/* Build the MRZ text of person p's travel document; 0, or -1 with problem. */
static int person_mrz(const fr_paxlst_person *p, fr_date day, char text[FR_MRZ_TEXT_MAX],
                      const char **visa, char *problem, size_t cap)
{
    const fr_paxlst_document *doc = travel_document(p, visa);
    if (!doc || !doc->number[0]) {
        snprintf(problem, cap, "The manifest gives no travel document number for this person.");
        return -1;
    }
    fr_mrz m;
    memset(&m, 0, sizeof m);
    int passport = doc->type[0] == 'P' || doc->type[0] == '\0';
    m.format = passport ? FR_MRZ_TD3 : FR_MRZ_TD1;
    snprintf(m.document_code, sizeof m.document_code, "%s", passport ? "P" : "I");
    if (!person_fields(p, doc, &m)) {
        snprintf(problem, cap,
                 "Neither the nationality ('%s') nor the document's issuing country ('%s') is a "
                 "known country code.",
                 p->nationality, doc->issuing_country);
        return -1;
    }
    if (strlen(doc->number) >= sizeof m.document_number) {
        snprintf(problem, cap, "The document number is longer than %zu characters.",
                 sizeof m.document_number - 1);
        return -1;
    }
    memcpy(m.document_number, doc->number, strlen(doc->number) + 1);
    m.expiry_date = mrz_date(doc->expiry);
    m.sex = p->sex[0] == 'M' || p->sex[0] == 'F' || p->sex[0] == 'X' ? p->sex[0] : '<';
    fr_mrz_options o = fr_mrz_options_default(day);
    fr_error err;
    fr_error_clear(&err);
    if (fr_mrz_make(&m, &o, text, &err) != FR_OK) {
        snprintf(problem, cap, "The document cannot be checked: %s: %s", err.field, err.message);
        return -1;
    }
    return 0;
}

/* A person no decision could be taken for (no MRZ could be built from the
 * manifest: a number too long for a passport, an unknown country, ...) is
 * still screened by name, birth date, nationality and document: a listed
 * person or a lost or stolen document is no-board, whatever the rest. */
static void screen_undecided(const fr_booth_env *env, const fr_paxlst_person *p,
                             fr_manifest_verdict *r)
{
    const char *visa;
    const fr_paxlst_document *doc = travel_document(p, &visa);
    fr_mrz m;
    memset(&m, 0, sizeof m);
    /* the number as the lost/stolen list keeps it; one that does not fit is
     * not looked up there (the name still is) */
    if (person_fields(p, doc, &m) && doc &&
        fr_docindex_normalise(doc->number, m.document_number, sizeof m.document_number) != FR_OK)
        m.document_number[0] = 0;
    fr_admit_screening sc;
    fr_booth_screen_fields(env, &m, &sc);
    size_t len = strlen(r->problem);
    char *at = r->problem + len;
    size_t room = sizeof r->problem - len;
    if (sc.document_listed) {
        r->answer = FR_MANIFEST_NO_BOARD;
        snprintf(at, room, " The document is on the lost and stolen list.");
        return;
    }
    for (size_t i = 0; i < sc.nmatches; i++)
        if (sc.matches[i].hit) {
            r->answer = FR_MANIFEST_NO_BOARD;
            snprintf(at, room, " Screened by name: a watchlist hit (%s %s, score %.2f).",
                     sc.matches[i].list, sc.matches[i].id, sc.matches[i].score);
            return;
        }
    if (sc.nmatches)
        snprintf(at, room, " Screened by name: a possible watchlist match (%s %s).",
                 sc.matches[0].list, sc.matches[0].id);
    else if (sc.state == FR_SCREENING_FAILED)
        snprintf(at, room, " Not screened: %s.", sc.failure);
}

static fr_admission_class class_of(fr_paxlst_role r)
{
    switch (r) {
    case FR_PAXLST_FM:
        return FR_CLASS_CREW;
    case FR_PAXLST_DDU:
    case FR_PAXLST_DDT:
        return FR_CLASS_TRANSIT;
    default:
        return FR_CLASS_VISITOR;
    }
}

/* Refer-level reasons that concern only what happens at the booth on
 * arrival, not whether the person may board: the stay a visa sets is
 * entered by the supervisor then. */
static int arrival_only(const char *code)
{
    return strcmp(code, "visa.stay_by_visa") == 0;
}

static fr_manifest_answer answer_of(const fr_admit_decision *d)
{
    if (d->outcome == FR_ADMIT) return FR_MANIFEST_BOARD;
    if (d->outcome == FR_REFUSE) return FR_MANIFEST_NO_BOARD;
    for (size_t i = 0; i < d->nreasons; i++)
        if (d->reasons[i].level == FR_REASON_REFER && !arrival_only(d->reasons[i].code))
            return FR_MANIFEST_CHECK;
    return FR_MANIFEST_BOARD;
}

int fr_manifest_check(const fr_booth_env *env, const fr_paxlst_message *m, const char *port,
                      fr_manifest_verdict **out, fr_error *err)
{
    if (!env || !env->policy || !m || !out || !port || !port[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "port",
                            "a policy, a message and a port are needed");
    *out = NULL;
    fr_datetime at = {FR_DATE_NONE, 0, 0, 0};
    for (size_t i = m->nlegs; i-- > 0;) {
        if (m->legs[i].arrival.date != FR_DATE_NONE) {
            at.date = m->legs[i].arrival.date;
            at.seconds = m->legs[i].arrival.minute > 0 ? m->legs[i].arrival.minute * 60 : 0;
            break;
        }
    }
    fr_manifest_verdict *v = fr_calloc(m->npersons ? m->npersons : 1, sizeof *v);
    if (!v) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory checking a manifest");
    for (size_t i = 0; i < m->npersons; i++) {
        const fr_paxlst_person *p = &m->persons[i];
        fr_manifest_verdict *r = &v[i];
        r->person = i;
        r->answer = FR_MANIFEST_CHECK;
        if (at.date == FR_DATE_NONE) {
            snprintf(r->problem, sizeof r->problem,
                     "The manifest gives no arrival date (DTM+232), so no rule can be applied.");
            continue;
        }
        char text[FR_MRZ_TEXT_MAX];
        const char *visa;
        if (person_mrz(p, at.date, text, &visa, r->problem, sizeof r->problem) != 0) {
            screen_undecided(env, p, r); /* no decision, but never unscreened */
            continue;
        }
        fr_admit_request req;
        memset(&req, 0, sizeof req);
        req.mrz = text;
        req.mrz_len = strlen(text);
        req.port = port;
        req.at = at;
        req.visa = visa;
        req.cls = class_of(p->role);
        fr_error e;
        fr_error_clear(&e);
        int rc = fr_booth_decide(env, &req, &r->decision, &e);
        if (rc == FR_EINVAL) {
            snprintf(r->problem, sizeof r->problem, "The booth cannot decide: %s", e.message);
            continue;
        }
        if (rc != FR_OK) {
            if (err) *err = e;
            fr_free(v);
            return rc;
        }
        r->decided = 1;
        r->answer = answer_of(&r->decision);
    }
    *out = v;
    return FR_OK;
}

/* Upper-case letters and single spaces (accents and other characters are
 * dropped, separators become one space): how names are compared. */
void fr_manifest_name_key(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 1 < cap; p++) {
        unsigned char c = *p;
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z') {
            if (space && o > 0 && o + 2 < cap) out[o++] = ' ';
            space = 0;
            out[o++] = (char)c;
        } else if (c == ' ' || c == '-' || c == '<' || c == ',') {
            space = 1;
        }
    }
    out[o] = '\0';
}

void fr_manifest_expected_from(const fr_paxlst_message *m, size_t i, const char *port,
                               const fr_manifest_verdict *v, fr_manifest_expected *out)
{
    const fr_paxlst_person *p = &m->persons[i];
    const fr_paxlst_document *doc = NULL;
    memset(out, 0, sizeof *out);
    out->arrival.date = FR_DATE_NONE;
    out->arrival.minute = -1;
    for (size_t k = m->nlegs; k-- > 0;) {
        if (m->legs[k].arrival.date != FR_DATE_NONE) {
            out->arrival = m->legs[k].arrival;
            break;
        }
    }
    const fr_paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
    if (last) snprintf(out->flight, sizeof out->flight, "%s", last->flight);
    snprintf(out->port, sizeof out->port, "%s", port ? port : "");
    out->role = p->role;
    fr_manifest_name_key(p->surname, out->surname, sizeof out->surname);
    fr_manifest_name_key(p->given_names, out->given_names, sizeof out->given_names);
    if (!icao_code(p->nationality, out->nationality)) out->nationality[0] = '\0';
    out->birth_date = p->birth_date;
    for (int k = 0; k < p->ndocs && !doc; k++)
        if (strcmp(p->docs[k].type, "V") != 0) doc = &p->docs[k];
    if (doc) {
        if (!icao_code(doc->issuing_country, out->doc_state)) out->doc_state[0] = '\0';
        size_t o = 0;
        for (const char *c = doc->number; *c && o + 1 < sizeof out->doc_number; c++) {
            char u = *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
            if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) out->doc_number[o++] = u;
        }
        out->doc_number[o] = '\0';
    }
    const char *emb = p->embarkation_port[0] ? p->embarkation_port
                      : m->nlegs             ? m->legs[0].from
                                             : "";
    snprintf(out->embarkation, sizeof out->embarkation, "%s", emb);
    out->answer = v ? v->answer : FR_MANIFEST_CHECK;
}
