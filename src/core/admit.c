/* SPDX-License-Identifier: MIT */
/* admit.c: the admission decision (see admit.h and docs/admission.md).
 *
 * The decision is a list of reasons, each with a level; the outcome is the
 * highest level found (refuse > refer > admit). Checks run in the order an
 * officer would make them: the document as read, its validity, the policy in
 * force for the nationality on that day, screening, the traveller's history
 * in the ledger, and the stay rule, which also gives the authorised-until
 * date. Every check that can run does run, so a refusal lists all of its
 * grounds, not only the first. Each reason names its parameters once (add()
 * with TXT/NUM/DAY) and its English sentence is written from them by the
 * template rule of admit_reason.c, so that a program can say it in another
 * language from the same parameters. */
#include "frontera/admit.h"
#include "frontera/text.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"

const char *fr_outcome_name(fr_outcome o)
{
    switch (o) {
    case FR_ADMIT:
        return "admit";
    case FR_REFER:
        return "refer";
    case FR_REFUSE:
        return "refuse";
    }
    return "";
}

const char *fr_reason_level_name(fr_reason_level level)
{
    switch (level) {
    case FR_REASON_INFO:
        return "info";
    case FR_REASON_REFER:
        return "refer";
    case FR_REASON_REFUSE:
        return "refuse";
    case FR_REASON_WARNING:
        return "warning";
    }
    return "info";
}

/* A parameter as add() receives it: text, a number or a date. Each call
 * names its parameters once; the English message is made from them by the
 * same template rule a translation uses (fr_admit_reason_format). */
typedef enum { ARG_TEXT, ARG_NUM, ARG_DATE } arg_kind;
typedef struct arg {
    const char *name;
    arg_kind kind;
    const char *text;
    long long num;
} arg;
#define TXT(n, v)                                                                                  \
    {                                                                                              \
        (n), ARG_TEXT, (v), 0                                                                      \
    }
#define NUM(n, v)                                                                                  \
    {                                                                                              \
        (n), ARG_NUM, NULL, (long long)(v)                                                         \
    }
#define DAY(n, v)                                                                                  \
    {                                                                                              \
        (n), ARG_DATE, NULL, (long long)(v)                                                        \
    }
#define ADD(d, code, ground, level, tmpl, ...)                                                     \
    add((d), (code), (ground), (level), (tmpl),                                                    \
        (const arg[]){__VA_ARGS__, {NULL, ARG_TEXT, NULL, 0}})
#define ADD0(d, code, ground, level, tmpl) add((d), (code), (ground), (level), (tmpl), NULL)

/* Does an MRZ finding's sentence say its place itself ("(line 2, column
 * 10)", "Line 2 has 43 characters")? Then it is not said twice. */
static int says_where(const char *msg)
{
    for (const char *p = msg; (p = strstr(p, "ine ")) != NULL; p += 4)
        if (p > msg && (p[-1] == 'l' || p[-1] == 'L') && p[4] >= '0' && p[4] <= '9') return 1;
    return 0;
}

/* strncpy that always terminates: snprintf("%s") costs a format parse for
 * each of a decision's dozen strings. */
static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void add(fr_admit_decision *d, const char *code, char ground, fr_reason_level level,
                const char *tmpl, const arg *args)
{
    if (level == FR_REASON_REFUSE)
        d->outcome = FR_REFUSE;
    else if (level == FR_REASON_REFER && d->outcome == FR_ADMIT)
        d->outcome = FR_REFER;
    if (d->nreasons == FR_ADMIT_MAX_REASONS) return; /* the outcome still counts */
    fr_admit_reason *r = &d->reasons[d->nreasons++];
    copy(r->code, sizeof r->code, code);
    r->ground = ground;
    r->level = level;
    r->nparams = 0;
    for (; args && args->name; args++) {
        assert(r->nparams < FR_REASON_MAX_PARAMS);
        if (r->nparams == FR_REASON_MAX_PARAMS) break;
        fr_reason_param *p = &r->params[r->nparams++];
        copy(p->name, sizeof p->name, args->name);
        if (args->kind == ARG_NUM)
            snprintf(p->value, sizeof p->value, "%lld", args->num);
        else if (args->kind == ARG_DATE)
            fr_date_format((fr_date)args->num, p->value);
        else
            copy(p->value, sizeof p->value, args->text ? args->text : "");
    }
    fr_admit_reason_format(r, tmpl, r->message, sizeof r->message);
}

/* The document as read: MRZ errors are for a supervisor (a misread is more
 * often the scanner than a forgery), notes are for the officer. */
static void check_mrz(fr_admit_decision *d)
{
    const fr_mrz *m = &d->mrz;
    if (m->format == FR_MRZ_MRVA || m->format == FR_MRZ_MRVB) {
        ADD0(d, "document.is_visa", 0, FR_REASON_REFER,
             "This is the machine readable zone of a visa, not of a travel document: scan the "
             "passport, and enter the visa number as the visa reference.");
        return;
    }
    int shown = 0, errors = 0; /* the first four errors are listed, then one for the rest */
    for (int i = 0; i < m->nfindings; i++) {
        const fr_mrz_finding *f = &m->findings[i];
        char code[48];
        snprintf(code, sizeof code, "mrz.%s", fr_mrz_code_name(f->code));
        if (f->level == FR_MRZ_NOTE) {
            ADD(d, code, 0, FR_REASON_INFO, "{detail}", NUM("line", f->line),
                NUM("column", f->column), TXT("detail", f->message));
        } else if (errors++ < 4) {
            /* the place is the reader's (a whole zone's finding is at line
             * 1, column 1 there, mrz.h), so the booth and `frontera mrz`
             * say the same; a check digit's values (empty for other
             * findings) let a program say the sentence in another language
             * in full */
            ADD(d, code, 0, FR_REASON_REFER,
                says_where(f->message) ? "{detail}" : "Line {line}, column {column}: {detail}",
                NUM("line", f->line), NUM("column", f->column), TXT("detail", f->message),
                TXT("found", f->found), TXT("expected", f->expected), TXT("value", f->value));
            shown++;
        }
    }
    if (m->nerrors > errors) errors = m->nerrors; /* findings beyond the array's capacity */
    if (errors > shown)
        ADD(d, "mrz.more_findings", 0, FR_REASON_REFER,
            "The machine readable zone has {count} problems in all; examine the document by hand.",
            NUM("count", errors));
}

void fr_admit_mrz_reasons(const fr_mrz *mrz, fr_admit_decision *out)
{
    out->outcome = FR_ADMIT;
    out->nreasons = 0;
    out->mrz = *mrz;
    check_mrz(out);
}

static unsigned doc_kind(const fr_mrz *m)
{
    switch (m->document_code[0]) {
    case 'P':
        return FR_DOC_PASSPORT;
    case 'I':
    case 'A':
    case 'C':
        return FR_DOC_ID_CARD;
    default:
        return 0;
    }
}

static void check_document(fr_admit_decision *d, const fr_policy_rule *rule, fr_date entry)
{
    const fr_mrz *m = &d->mrz;
    if (m->expiry_date.kind != FR_MRZ_DATE_FULL) {
        ADD0(d, "document.expiry_unknown", 0, FR_REASON_REFER,
             "The document's expiry date could not be read: check it by hand.");
    } else if (m->expiry_date.date < entry) {
        ADD(d, "document.expired", 'A', FR_REASON_REFUSE,
            "The document expired on {expiry}; a valid travel document is required.",
            DAY("expiry", m->expiry_date.date));
    } else if (rule && fr_policy_min_expiry(rule, entry) > m->expiry_date.date) {
        ADD(d, "document.validity", 'A', FR_REASON_REFUSE,
            "The document expires on {expiry}; this nationality needs one valid until at least "
            "{valid_until} ({ref}).",
            DAY("expiry", m->expiry_date.date),
            DAY("valid_until", fr_policy_min_expiry(rule, entry)), TXT("ref", rule->ref),
            TXT("ref_es", rule->ref_es));
    }
    if (rule && rule->docs && !(rule->docs & doc_kind(m)))
        ADD(d, "document.not_accepted", 'A', FR_REASON_REFUSE,
            "A document of type '{type}' is not accepted for this nationality: "
            "{accepted|passport=a passport is|a passport or ID card is} required ({ref}).",
            TXT("type", m->document_code),
            TXT("accepted", rule->docs == FR_DOC_PASSPORT ? "passport" : "passport,id_card"),
            TXT("ref", rule->ref), TXT("ref_es", rule->ref_es));
}

static void check_regime(fr_admit_decision *d, const fr_policy_rule *rule,
                         const fr_admit_request *req)
{
    const char *nat = d->mrz.nationality;
    switch (rule->regime) {
    case FR_REGIME_VISA_REQUIRED:
    case FR_REGIME_EVISA:
    case FR_REGIME_ETA:
        if (!req->visa || !req->visa[0]) {
            ADD(d, "visa.required", 'C', FR_REASON_REFUSE,
                "Nationals of {nationality} need {regime|eta=a travel authorisation (ETA)|evisa=a "
                "visa or e-visa|a visa} to enter as {class} since {since} ({ref}); none was "
                "presented.",
                TXT("nationality", nat), TXT("regime", fr_regime_name(rule->regime)),
                TXT("class", fr_admission_class_name(rule->cls)), DAY("since", rule->from),
                TXT("ref", rule->ref), TXT("ref_es", rule->ref_es));
        } else {
            ADD(d, "visa.presented", 0, FR_REASON_INFO,
                "Visa reference {visa} presented: check it against the visa record.",
                TXT("visa", req->visa));
            if (rule->stay.kind == FR_STAY_NONE)
                ADD0(d, "visa.stay_by_visa", 0, FR_REASON_REFER,
                     "The stay is set by the visa, which frontera cannot read: a supervisor "
                     "enters the authorised stay.");
        }
        break;
    case FR_REGIME_VISA_ON_ARRIVAL:
        ADD(d, "visa.on_arrival", 0, FR_REASON_INFO,
            "Nationals of {nationality} receive a visa on arrival ({ref}).",
            TXT("nationality", nat), TXT("ref", rule->ref), TXT("ref_es", rule->ref_es));
        break;
    case FR_REGIME_VISA_FREE:
        ADD(d, "regime.visa_free", 0, FR_REASON_INFO,
            "Nationals of {nationality} may enter as {class} without a visa ({ref}, in force "
            "since {since}).",
            TXT("nationality", nat), TXT("class", fr_admission_class_name(rule->cls)),
            TXT("ref", rule->ref), TXT("ref_es", rule->ref_es), DAY("since", rule->from));
        break;
    case FR_REGIME_FREE_MOVEMENT:
        ADD(d, "regime.free_movement", 0, FR_REASON_INFO,
            "Nationals of {nationality} enjoy free movement ({ref}).", TXT("nationality", nat),
            TXT("ref", rule->ref), TXT("ref_es", rule->ref_es));
        break;
    }
}

/* Screening fails closed: a list that was asked for and could not be
 * consulted refers the traveller; a post with no list says so every time. */
static void check_screening(fr_admit_decision *d, const fr_admit_screening *sc)
{
    const fr_mrz *m = &d->mrz;
    switch (sc->state) {
    case FR_SCREENING_NOT_CONFIGURED:
        ADD0(d, "screening.not_configured", 0, FR_REASON_WARNING,
             "No watchlist is loaded on this post: the traveller was not screened.");
        return;
    case FR_SCREENING_FAILED:
        ADD(d, "screening.failed", 0, FR_REASON_REFER,
            "Screening could not be done ({failure|=unknown error}): a supervisor decides.",
            TXT("failure", sc->failure));
        return;
    case FR_SCREENING_DONE:
        break;
    }
    if (sc->document_listed)
        ADD(d, "document.lost_stolen", 'A', FR_REASON_REFUSE,
            "Document {state} {number} is listed as lost or stolen: retain it and follow the "
            "procedure.",
            TXT("state", m->issuing_state), TXT("number", m->document_number));
    for (size_t i = 0; i < sc->nmatches && i < FR_ADMIT_MAX_MATCHES; i++) {
        const fr_admit_match *x = &sc->matches[i];
        char score[32];
        snprintf(score, sizeof score, "%.2f", x->score);
        ADD(d, x->hit ? "watchlist.hit" : "watchlist.possible", x->hit ? 'H' : 0, FR_REASON_REFER,
            x->hit ? "Strong match with list {list} entry {id} (score {score}): {explanation}"
                   : "Possible match with list {list} entry {id} (score {score}): {explanation}",
            TXT("list", x->list), TXT("id", x->id), TXT("score", score),
            TXT("explanation", x->explanation));
    }
}

/* What the ledger says of a traveller before a given day. */
typedef struct {
    int64_t traveller_id;
    fr_link_kind link;
    int overstays, overstay_days; /* earlier stays that ended after their authorised end */
    int open;                     /* earlier entries with no exit */
    fr_date last_open;            /* the latest of them */
} history_info;

/* The traveller's stays before `at` as stay records (at most
 * FR_STAY_MAX_RECORDS, the most recent kept). An entry with no exit counts
 * through its authorised end (or its own day), never through the day of
 * `at`. An entry earlier on that same day adds no stay record (the day is
 * counted once, by this entry) but, without an exit, is open all the same. */
static void history_records(const fr_history *h, const fr_datetime *at, int64_t only_doc,
                            fr_stay_record *recs, size_t *nrecs, history_info *hi)
{
    fr_date entry = at->date;
    memset(hi, 0, sizeof *hi);
    hi->last_open = FR_DATE_NONE;
    *nrecs = 0;
    if (!h) return;
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        if (it->kind != FR_EVENT_ENTRY || it->at.date > entry) continue;
        if (only_doc && it->document_row != only_doc) continue;
        if (it->at.date == entry) { /* earlier today: open unless it was closed */
            int paired = it->paired >= 0 && (size_t)it->paired < h->count;
            if (fr_datetime_utc(&it->at) < fr_datetime_utc(at) && !paired) {
                hi->open++;
                hi->last_open = it->at.date;
            }
            continue;
        }
        fr_date out;
        if (it->paired >= 0 && (size_t)it->paired < h->count) {
            out = h->items[it->paired].at.date;
            if (it->authorised_until != FR_DATE_NONE && out > it->authorised_until) {
                hi->overstays++;
                hi->overstay_days += out - it->authorised_until;
            }
        } else {
            hi->open++;
            hi->last_open = it->at.date;
            out = it->authorised_until != FR_DATE_NONE ? it->authorised_until : it->at.date;
        }
        if (out > entry - 1) out = entry - 1;
        if (out < it->at.date) out = it->at.date;
        if (*nrecs == FR_STAY_MAX_RECORDS) { /* keep the most recent */
            memmove(recs, recs + 1, sizeof *recs * (FR_STAY_MAX_RECORDS - 1));
            (*nrecs)--;
        }
        recs[(*nrecs)++] = (fr_stay_record){it->at.date, out};
    }
}

int fr_admit_document(const fr_mrz *m, fr_document *doc, fr_error *err)
{
    memset(doc, 0, sizeof *doc);
    doc->expiry = doc->birth_date = FR_DATE_NONE;
    if (strlen(m->document_number) > FR_DOCNUM_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document_number",
                            "document numbers longer than %d characters cannot be recorded",
                            FR_DOCNUM_MAX);
    snprintf(doc->type, sizeof doc->type, "%s", m->document_code);
    snprintf(doc->state, sizeof doc->state, "%s", m->issuing_state);
    snprintf(doc->number, sizeof doc->number, "%.*s", FR_DOCNUM_MAX, m->document_number);
    snprintf(doc->surname, sizeof doc->surname, "%s", m->surname);
    snprintf(doc->given_names, sizeof doc->given_names, "%s", m->given_names);
    if (fr_country_find(m->nationality, strlen(m->nationality)) >= 0)
        snprintf(doc->nationality, sizeof doc->nationality, "%s", m->nationality);
    if (m->expiry_date.kind == FR_MRZ_DATE_FULL) doc->expiry = m->expiry_date.date;
    if (m->birth_date.kind == FR_MRZ_DATE_FULL) doc->birth_date = m->birth_date.date;
    doc->sex = (m->sex == 'M' || m->sex == 'F' || m->sex == 'X') ? m->sex : 0;
    return FR_OK;
}

/* The history as reasons for the officer and records for the stay rule.
 * Only a history the document resolved to with certainty counts; a possible
 * link (review: a namesake?) is never lent to the traveller: it refers, so
 * that an officer verifies, and can neither refuse nor shorten a stay. */
/* The row of the document being read in the traveller's history (0: it is new). */
static int64_t document_row(const fr_history *h, const fr_mrz *m)
{
    for (size_t i = 0; h && i < h->ndocuments; i++)
        if (strcmp(h->documents[i].doc.state, m->issuing_state) == 0 &&
            strncmp(h->documents[i].doc.number, m->document_number, FR_DOCNUM_MAX) == 0)
            return h->documents[i].row;
    return 0;
}

static void load_history(fr_admit_decision *d, const fr_admit_facts *f, const fr_datetime *entry,
                         fr_stay_record *recs, size_t *nrecs, fr_stay_record *own, size_t *nown)
{
    history_info hi, own_hi;
    d->link = f->link;
    d->traveller_id = f->traveller_id;
    int certain = f->link == FR_LINK_DOCUMENT || f->link == FR_LINK_RENEWAL;
    history_records(certain ? f->history : NULL, entry, 0, recs, nrecs, &hi);
    /* the same crossings of this document alone: a stay that another
     * document's days would shorten is referred (check_stay) */
    int64_t row = certain ? document_row(f->history, &d->mrz) : 0;
    *nown = 0;
    if (row) {
        history_records(f->history, entry, row, own, nown, &own_hi);
    } else if (f->link == FR_LINK_DOCUMENT) { /* known, but its documents not given: all its own */
        memcpy(own, recs, *nrecs * sizeof *recs);
        *nown = *nrecs;
    }
    if (f->link == FR_LINK_REVIEW)
        ADD(d, "traveller.possible_namesake", 0, FR_REASON_REFER,
            "Possible earlier record of a namesake, verify: this new document may belong to "
            "traveller {candidate}, or to another person with the same or a similar name. That "
            "record is not counted. Evidence: {evidence|=not given}",
            NUM("candidate", f->link_candidate), TXT("evidence", f->link_evidence));
    if (f->link == FR_LINK_RENEWAL) {
        /* a number whose check digit fails is more likely a known document
         * misread than a new one: the officer rescans rather than records */
        int misread = 0;
        for (int i = 0; i < d->mrz.nfindings; i++)
            misread |= d->mrz.findings[i].code == FR_MRZ_F_CD_DOCUMENT_NUMBER;
        ADD(d, "traveller.renewed_document", 0, FR_REASON_INFO,
            "{misread|1=The document number as read is not one of traveller {traveller}'s "
            "documents, and its check digit fails: most likely a known document misread. Rescan it "
            "before recording.|A new document of traveller {traveller}: the earlier documents' "
            "history counts.}",
            NUM("traveller", f->traveller_id), NUM("misread", misread));
    }
    if (hi.overstays)
        ADD(d, "history.overstay", 0, FR_REASON_REFER,
            "The traveller overstayed {overstays} time{overstays|1=|s} before, {days} "
            "day{days|1=|s} in all.",
            NUM("overstays", hi.overstays), NUM("days", hi.overstay_days));
    if (hi.open)
        ADD(d, "history.no_exit", 0, FR_REASON_REFER,
            "{entries} earlier entr{entries|1=y|ies} (last on {last_entry}) ha{entries|1=s|ve} "
            "no recorded exit: ask how and when the traveller left.",
            NUM("entries", hi.open), DAY("last_entry", hi.last_open));
}

void fr_admit_complete_entry(const fr_policy *policy, const fr_history *h, fr_event *ev)
{
    if (!policy || !ev || ev->kind != FR_EVENT_ENTRY || ev->authorised_until != FR_DATE_NONE)
        return;
    const char *nat = ev->doc.nationality[0] ? ev->doc.nationality : ev->doc.state;
    int country = fr_country_find(nat, strlen(nat));
    char cls[FR_CLASS_MAX + 1];
    size_t n = 0;
    for (; ev->admission_class[n] && n < FR_CLASS_MAX; n++)
        cls[n] = (char)(ev->admission_class[n] >= 'A' && ev->admission_class[n] <= 'Z'
                            ? ev->admission_class[n] - 'A' + 'a'
                            : ev->admission_class[n]);
    cls[n] = '\0';
    int k = n ? fr_admission_class_parse(cls, n) : FR_CLASS_VISITOR;
    if (country < 0 || k < 0) return; /* the policy cannot say: left empty */
    const fr_policy_rule *rule =
        fr_policy_lookup(policy, country, (fr_admission_class)k, ev->at.date);
    if (!rule || rule->stay.kind == FR_STAY_NONE) return;
    fr_stay_record recs[FR_STAY_MAX_RECORDS];
    size_t nrecs = 0;
    history_info hi;
    history_records(h, &ev->at, 0, recs, &nrecs, &hi);
    fr_stay_authorisation a;
    if (fr_stay_authorise(&rule->stay, recs, nrecs, ev->at.date, ev->doc.expiry, 0, 0, &a, NULL) !=
        FR_OK)
        return;
    /* An entry with no day left happened all the same: it is recorded, and its authorised
     * stay ends on the day of entry, so that the stay shows as an overstay from the next. */
    ev->authorised_until = a.exhausted ? ev->at.date : a.authorised_until;
}

/* The stays of the document being read (own, nown) beside those of all the
 * traveller's documents (recs, n). */
typedef struct stay_records {
    const fr_stay_record *all, *own;
    size_t nall, nown;
} stay_records;

/* Days used on the traveller's other documents (linked as a renewal: by
 * weight of evidence, not by a document number) that refuse or shorten the
 * stay are not applied by the machine: the decision refers with both
 * figures, so that an officer confirms the documents are one person's. A
 * namesake's passport that looks exactly like a renewal then costs a
 * question at the booth, never days of someone else's stay. */
/* Both cases in one sentence (the code has one template): days and until
 * are given when the stay is only shortened. */
#define OTHER_DOCUMENTS                                                                            \
    "Days used on the traveller's other documents {until|=leave no day of this stay; on this "     \
    "document alone {alone_days} days are available, until {alone_until}. Verify that the "        \
    "documents belong to one person (photographs, earlier stamps) before refusing.|shorten this "  \
    "stay to {days} days, until {until}; on this document alone {alone_days} days, until "         \
    "{alone_until}. Verify that the documents belong to one person (photographs, earlier stamps) " \
    "before applying the shorter stay.}"

static void check_other_documents(fr_admit_decision *d, const fr_policy_rule *rule,
                                  const fr_admit_request *req, const stay_records *sr,
                                  fr_date doc_expiry)
{
    fr_stay_authorisation alone;
    if (sr->nall == sr->nown ||
        fr_stay_authorise(&rule->stay, sr->own, sr->nown, req->at.date, doc_expiry,
                          req->intended_days, 0, &alone, NULL) != FR_OK ||
        alone.exhausted)
        return;
    if (d->stay.exhausted)
        ADD(d, "stay.other_documents", 0, FR_REASON_REFER, OTHER_DOCUMENTS,
            NUM("alone_days", alone.authorised_days), DAY("alone_until", alone.authorised_until));
    else if (d->stay.authorised_until < alone.authorised_until)
        ADD(d, "stay.other_documents", 0, FR_REASON_REFER, OTHER_DOCUMENTS,
            NUM("days", d->stay.authorised_days), DAY("until", d->stay.authorised_until),
            NUM("alone_days", alone.authorised_days), DAY("alone_until", alone.authorised_until));
}

static void check_stay(fr_admit_decision *d, const fr_policy_rule *rule,
                       const fr_admit_request *req, const stay_records *sr)
{
    char rb[FR_STAY_RULE_BUFSZ];
    fr_date entry = req->at.date;
    fr_date doc_expiry =
        d->mrz.expiry_date.kind == FR_MRZ_DATE_FULL ? d->mrz.expiry_date.date : FR_DATE_NONE;
    if (fr_stay_authorise(&rule->stay, sr->all, sr->nall, entry, doc_expiry, req->intended_days, 0,
                          &d->stay, NULL) != FR_OK) {
        ADD0(d, "stay.unavailable", 0, FR_REASON_REFER,
             "The stay could not be computed from the history: a supervisor decides the stay.");
        return;
    }
    d->have_stay = 1;
    fr_stay_rule_format(&rule->stay, rb);
    const fr_stay_result *e = &d->stay.eval;
    size_t nreasons = d->nreasons;
    check_other_documents(d, rule, req, sr, doc_expiry);
    int lent = d->nreasons > nreasons; /* the other documents decide: refer, never refuse */
    if (d->stay.exhausted) {
        ADD(d, "stay.exhausted", lent ? 0 : 'F', lent ? FR_REASON_REFER : FR_REASON_REFUSE,
            "The traveller has already stayed {days_used} of the {max_days} days allowed ({rule}, "
            "{ref}) in the period from {period_start}.",
            NUM("days_used", e->days_used), NUM("max_days", e->max_days), TXT("rule", rb),
            TXT("ref", rule->ref), TXT("ref_es", rule->ref_es),
            DAY("period_start", e->window_start));
        return;
    }
    /* a traveller refused on other grounds is authorised nothing: no stay
     * is stated (an officer read "authorised until" under REFUSE) */
    if (d->outcome == FR_REFUSE) return;
    if (d->stay.shortened)
        ADD(d, "stay.shortened", 0, FR_REASON_INFO,
            "The traveller asked for {intended_days} days; {days} are available, until {until}.",
            NUM("intended_days", req->intended_days), NUM("days", d->stay.authorised_days),
            DAY("until", d->stay.authorised_until));
    else if (d->stay.limited_by == FR_STAY_LIMIT_DOCUMENT)
        ADD(d, "stay.document_expiry", 0, FR_REASON_INFO,
            "The stay ends on {until}, when the document expires.",
            DAY("until", d->stay.authorised_until));
    ADD(d, "stay.authorised", 0, FR_REASON_INFO,
        "{days_used} days used of {max_days} in the period from {period_start} ({rule}); "
        "authorised until {until} ({days} days).",
        NUM("days_used", e->days_used), NUM("max_days", e->max_days),
        DAY("period_start", e->window_start), TXT("rule", rb),
        DAY("until", d->stay.authorised_until), NUM("days", d->stay.authorised_days));
}

void fr_admit_read(const fr_admit_request *req, fr_mrz *out)
{
    fr_mrz_options mo = fr_mrz_options_default(req->at.date);
    mo.repair = req->repair;
    fr_mrz_parse(req->mrz, req->mrz_len, &mo, out); /* findings become reasons */
}

int fr_admit_decide(const fr_policy *policy, const fr_admit_request *req, const fr_mrz *mrz,
                    const fr_admit_facts *facts, fr_admit_decision *d, fr_error *err)
{
    static const fr_admit_facts NO_FACTS;
    if (!policy) return fr_error_set(err, FR_EINVAL, 0, 0, "policy", "no policy loaded");
    if (!req || !req->mrz || !req->mrz_len || !mrz)
        return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "no machine readable zone given");
    if (!req->port || strlen(req->port) != 5)
        return fr_error_set(err, FR_EINVAL, 0, 0, "port",
                            "the port must be a 5-character UN/LOCODE such as ECUIO");
    if (!d) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no decision to fill");
    if (!facts) facts = &NO_FACTS;
    /* Every field but the reasons: at 24 reasons of ~3.3 KB (message and
     * parameters) the whole struct is 80 KB, and zeroing it cost 1.8 us of a
     * 0.9 us decision. add() fills each reason it appends; nothing reads a
     * reason at or past nreasons. */
    _Static_assert(
        offsetof(fr_admit_decision, authorised_until) -
                (offsetof(fr_admit_decision, reasons) + sizeof((fr_admit_decision *)0)->reasons) <
            sizeof(fr_date),
        "authorised_until follows the reasons: no field between stays unset");
    memset(d, 0, offsetof(fr_admit_decision, reasons));
    memset((char *)d + offsetof(fr_admit_decision, authorised_until), 0,
           sizeof *d - offsetof(fr_admit_decision, authorised_until));
    d->outcome = FR_ADMIT;
    d->authorised_until = FR_DATE_NONE;
    const fr_date entry = req->at.date;

    d->mrz = *mrz;
    check_mrz(d);
    if (d->mrz.format == FR_MRZ_MRVA || d->mrz.format == FR_MRZ_MRVB)
        return FR_OK; /* a visa alone says nothing of the travel document: rescan */

    int nat = fr_country_find(d->mrz.nationality, strlen(d->mrz.nationality));
    if (nat < 0)
        ADD0(d, "nationality.unknown", 0, FR_REASON_REFER,
             "The nationality could not be read from the document: the policy cannot be applied.");
    const fr_policy_rule *rule = nat >= 0 ? fr_policy_lookup(policy, nat, req->cls, entry) : NULL;
    d->rule = rule;
    if (nat >= 0 && !rule)
        ADD(d, "policy.no_rule", 0, FR_REASON_REFER,
            "The policy has no rule for nationals of {nationality} entering as {class} on this "
            "day: a supervisor decides.",
            TXT("nationality", d->mrz.nationality),
            TXT("class", fr_admission_class_name(req->cls)));
    check_document(d, rule, entry);
    if (rule) check_regime(d, rule, req);
    check_screening(d, &facts->screening);

    fr_stay_record recs[FR_STAY_MAX_RECORDS], own[FR_STAY_MAX_RECORDS];
    stay_records sr = {recs, own, 0, 0};
    if (d->mrz.document_number[0] && nat >= 0)
        load_history(d, facts, &req->at, recs, &sr.nall, own, &sr.nown);
    if (rule && rule->stay.kind != FR_STAY_NONE) check_stay(d, rule, req, &sr);
    if (d->outcome == FR_ADMIT) {
        if (d->have_stay) {
            d->authorised_until = d->stay.authorised_until;
        } else {
            /* admitted with no stay rule and nothing else asked a supervisor: cannot happen
             * for visa regimes (visa.stay_by_visa refers), so only free movement remains */
            ADD0(d, "stay.unlimited", 0, FR_REASON_INFO,
                 "The policy sets no limit on the stay for this nationality.");
        }
    }
    return FR_OK;
}

char *fr_admit_event_id(const fr_admit_request *req, const fr_admit_decision *d, const char *given,
                        char out[FR_EVENT_ID_MAX + 1])
{
    if (given && given[0])
        snprintf(out, FR_EVENT_ID_MAX + 1, "%s", given);
    else /* the same document at the same instant is the same admission: retries are idempotent */
        snprintf(out, FR_EVENT_ID_MAX + 1, "ADM-%s-%.20s-%lld", d->mrz.issuing_state,
                 d->mrz.document_number, (long long)fr_datetime_utc(&req->at));
    return out;
}

/* Append s to buf as a JSON string: always valid JSON and valid UTF-8 (a
 * byte that is not part of a well-formed sequence becomes U+FFFD), so the
 * store may take the text without parsing it again (FR_RECORD_REASONS_BUILT). */
static int json_str(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = *len, left = strlen(s);
    if (n + 2 >= cap) return FR_ELIMIT;
    buf[n++] = '"';
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (n + 8 >= cap) return FR_ELIMIT;
        if (c == '"' || c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)c;
            s++, left--;
        } else if (c < 0x20) {
            n += (size_t)snprintf(buf + n, cap - n, "\\u%04x", c);
            s++, left--;
        } else {
            size_t k = fr_text_utf8_seq(s, left);
            if (k == 0) { /* U+FFFD REPLACEMENT CHARACTER */
                memcpy(buf + n, "\xEF\xBF\xBD", 3);
                n += 3;
                k = 1;
            } else {
                memcpy(buf + n, s, k);
                n += k;
            }
            s += k, left -= k;
        }
    }
    buf[n++] = '"';
    buf[n] = '\0';
    *len = n;
    return FR_OK;
}

int fr_admit_reasons_json(const fr_admit_decision *d, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap < 3) return FR_ELIMIT;
    buf[len++] = '[';
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        char ground[2] = {r->ground, 0};
        int w = snprintf(buf + len, cap - len, "%s{\"code\":", i ? "," : "");
        if (w < 0 || (size_t)w >= cap - len) return FR_ELIMIT;
        len += (size_t)w;
        if (json_str(buf, cap, &len, r->code)) return FR_ELIMIT;
        w = snprintf(buf + len, cap - len, ",\"ground\":");
        if (w < 0 || (size_t)w >= cap - len) return FR_ELIMIT;
        len += (size_t)w;
        if (r->ground) {
            if (json_str(buf, cap, &len, ground)) return FR_ELIMIT;
        } else {
            if (len + 5 >= cap) return FR_ELIMIT;
            memcpy(buf + len, "null", 5);
            len += 4;
        }
        w = snprintf(buf + len, cap - len,
                     ",\"level\":\"%s\",\"message\":", fr_reason_level_name(r->level));
        if (w < 0 || (size_t)w >= cap - len) return FR_ELIMIT;
        len += (size_t)w;
        if (json_str(buf, cap, &len, r->message)) return FR_ELIMIT;
        if (len + 12 >= cap) return FR_ELIMIT;
        memcpy(buf + len, ",\"params\":{", 11);
        len += 11;
        for (size_t k = 0; k < r->nparams && k < FR_REASON_MAX_PARAMS; k++) {
            if (k) buf[len++] = ',';
            if (json_str(buf, cap, &len, r->params[k].name)) return FR_ELIMIT;
            if (len + 2 >= cap) return FR_ELIMIT;
            buf[len++] = ':';
            if (json_str(buf, cap, &len, r->params[k].value)) return FR_ELIMIT;
        }
        if (len + 3 >= cap) return FR_ELIMIT;
        buf[len++] = '}';
        buf[len++] = '}';
    }
    if (len + 2 >= cap) return FR_ELIMIT;
    buf[len++] = ']';
    buf[len] = '\0';
    return FR_OK;
}
