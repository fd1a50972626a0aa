/* SPDX-License-Identifier: MIT */
/* booth.c: the admission at the booth (booth.h): gather the facts the core
 * decision needs (the traveller's history from the store, the screening
 * result from the lists), decide, and record. The rules themselves live in
 * core/admit.c; this file only fetches and writes. */
#include "frontera/booth.h"

#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/mrz.h"

/* The traveller the document resolves to and that traveller's history. A
 * document the ledger cannot hold has no history. *h is the caller's. */
static int gather_history(fr_store *store, const fr_mrz *m, fr_date day, fr_admit_facts *f,
                          fr_history **h, fr_error *err)
{
    *h = NULL;
    fr_document doc;
    if (!m->document_number[0] || fr_admit_document(m, &doc, NULL) != FR_OK) return FR_OK;
    fr_store_link l;
    int rc = fr_store_link_document(store, &doc, day, 1, &l, err);
    if (rc == FR_EINVAL) return FR_OK; /* a document the ledger cannot hold: no history */
    if (rc != FR_OK) return rc;
    f->traveller_id = l.traveller_id;
    f->link = l.how;
    if (l.how == FR_LINK_REVIEW) {
        f->link_candidate = l.candidate_id;
        snprintf(f->link_evidence, sizeof f->link_evidence, "%s", l.evidence);
    }
    if (!f->traveller_id) return FR_OK;
    return fr_store_history(store, f->traveller_id, h, err);
}

static void screening_failed(fr_admit_screening *s, const char *why)
{
    s->state = FR_SCREENING_FAILED;
    snprintf(s->failure, sizeof s->failure, "%s", why);
}

static void gather_screening(const fr_booth_env *env, const fr_mrz *m, fr_admit_screening *s)
{
    memset(s, 0, sizeof *s);
    if (!env->screen) {
        if (env->screening_required || env->screening_failure)
            screening_failed(s, env->screening_failure ? env->screening_failure
                                                       : "the watchlists named for this post "
                                                         "are not loaded");
        return; /* else: not configured */
    }
    s->state = FR_SCREENING_DONE;
    if (m->document_number[0]) {
        int listed = fr_screen_document(env->screen, m->issuing_state, m->document_number);
        if (listed < 0) { /* fail closed: an unchecked document is not a clear one */
            screening_failed(s, fr_country_find_cstr(m->issuing_state) < 0
                                    ? "the issuing state cannot be read, so the document was "
                                      "not checked against the lost and stolen list"
                                    : "the document could not be checked against the lost and "
                                      "stolen list");
            return;
        }
        s->document_listed = listed == 1;
    }
    if (!m->surname[0]) return; /* nothing to screen by name: the MRZ findings refer */
    char name[2 * FR_MRZ_NAME_MAX + 4];
    snprintf(name, sizeof name, "%s, %s", m->surname, m->given_names);
    fr_screen_query q = {name,
                         FR_DATE_NONE,
                         FR_DATE_NONE,
                         fr_country_find(m->nationality, 3),
                         m->issuing_state,
                         m->document_number,
                         m->name_truncated};
    if (m->birth_date.kind == FR_MRZ_DATE_FULL) q.birth_lo = q.birth_hi = m->birth_date.date;
    fr_screen_result res[FR_ADMIT_MAX_MATCHES];
    size_t n = 0;
    if (fr_screen_person(env->screen, &q, res, FR_ADMIT_MAX_MATCHES, &n) != FR_OK) {
        screening_failed(s, "the name check against the watchlists failed");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (res[i].band == FR_BAND_CLEAR) continue;
        fr_admit_match *x = &s->matches[s->nmatches++];
        x->hit = res[i].band == FR_BAND_HIT;
        snprintf(x->list, sizeof x->list, "%s", res[i].list ? res[i].list : "");
        snprintf(x->id, sizeof x->id, "%s", res[i].id ? res[i].id : "");
        x->score = res[i].score;
        snprintf(x->explanation, sizeof x->explanation, "%.*s", (int)sizeof x->explanation - 1,
                 res[i].explanation);
    }
}

void fr_booth_screen_fields(const fr_booth_env *env, const fr_mrz *m, fr_admit_screening *out)
{
    gather_screening(env, m, out);
}

/* What a decision needs that no ledger holds: the document as read and the
 * screening result. */
struct fr_booth_screened {
    fr_mrz m;
    int visa_only; /* a visa's MRZ: no screening, no history */
    fr_admit_screening screening;
};

int fr_booth_screen(const fr_booth_env *env, const fr_admit_request *req, fr_booth_screened **out,
                    fr_error *err)
{
    *out = NULL;
    if (!env || !env->policy)
        return fr_error_set(err, FR_EINVAL, 0, 0, "policy", "no policy loaded");
    if (!req || !req->mrz || !req->mrz_len)
        return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "no machine readable zone given");
    fr_booth_screened *sc = fr_malloc(sizeof *sc);
    if (!sc) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    fr_admit_read(req, &sc->m);
    memset(&sc->screening, 0, sizeof sc->screening);
    sc->visa_only = sc->m.format == FR_MRZ_MRVA || sc->m.format == FR_MRZ_MRVB;
    if (!sc->visa_only) gather_screening(env, &sc->m, &sc->screening);
    *out = sc;
    return FR_OK;
}

const fr_mrz *fr_booth_screened_mrz(const fr_booth_screened *sc)
{
    return &sc->m;
}

void fr_booth_screened_free(fr_booth_screened *sc)
{
    fr_free(sc);
}

int fr_booth_decide_screened(const fr_booth_screened *sc, const fr_policy *policy, fr_store *store,
                             const fr_admit_request *req, fr_admit_decision *out, fr_error *err)
{
    if (!sc || !policy) return fr_error_set(err, FR_EINVAL, 0, 0, "policy", "no policy loaded");
    fr_admit_facts f;
    memset(&f, 0, sizeof f);
    f.screening = sc->screening;
    fr_history *h = NULL;
    if (!sc->visa_only && store &&
        fr_country_find(sc->m.nationality, strlen(sc->m.nationality)) >= 0) {
        int rc = gather_history(store, &sc->m, req->at.date, &f, &h, err);
        if (rc != FR_OK) return rc;
    }
    f.history = h;
    int rc = fr_admit_decide(policy, req, &sc->m, &f, out, err);
    fr_history_free(h);
    return rc;
}

int fr_booth_decide(const fr_booth_env *env, const fr_admit_request *req, fr_admit_decision *out,
                    fr_error *err)
{
    fr_booth_screened *sc = NULL;
    int rc = fr_booth_screen(env, req, &sc, err);
    if (rc == FR_OK) rc = fr_booth_decide_screened(sc, env->policy, env->store, req, out, err);
    fr_booth_screened_free(sc);
    return rc;
}

int fr_booth_event(const fr_admit_request *req, const fr_admit_decision *d, const char *event_id,
                   const char *officer, fr_event *ev, char **reasons, fr_error *err)
{
    *reasons = NULL;
    if (!req || !d) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to record");
    if (d->outcome == FR_REFER)
        return fr_error_set(err, FR_EINVAL, 0, 0, "decision",
                            "a referral is not a crossing: record the supervisor's decision");
    fr_event_init(ev);
    int rc = fr_admit_document(&d->mrz, &ev->doc, err);
    if (rc != FR_OK) return rc;
    ev->kind = d->outcome == FR_ADMIT ? FR_EVENT_ENTRY : FR_EVENT_REFUSAL;
    fr_admit_event_id(req, d, event_id, ev->event_id);
    ev->at = req->at;
    snprintf(ev->port, sizeof ev->port, "%s", req->port);
    snprintf(ev->admission_class, sizeof ev->admission_class, "%s",
             fr_admission_class_name(req->cls));
    if (ev->kind == FR_EVENT_ENTRY) ev->authorised_until = d->authorised_until;
    if (officer) snprintf(ev->officer, sizeof ev->officer, "%s", officer);
    snprintf(ev->decision, sizeof ev->decision, "%s", fr_outcome_name(d->outcome));
    /* the store takes at most FR_REASONS_MAX bytes: a longer text is refused there */
    size_t cap = 2 * FR_REASONS_MAX;
    char *text = fr_malloc(cap);
    if (!text) return fr_error_set(err, FR_ENOMEM, 0, 0, "reasons", "out of memory");
    if (fr_admit_reasons_json(d, text, cap) != FR_OK) {
        fr_free(text);
        return fr_error_set(err, FR_ELIMIT, 0, 0, "reasons", "the reasons do not fit");
    }
    ev->reasons_json = *reasons = text;
    return FR_OK;
}

int fr_booth_record(fr_store *store, const fr_admit_request *req, const fr_admit_decision *d,
                    const char *event_id, const char *officer, fr_record_result *result,
                    fr_error *err)
{
    if (!store) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to record");
    fr_event ev;
    char *reasons = NULL;
    int rc = fr_booth_event(req, d, event_id, officer, &ev, &reasons, err);
    if (rc == FR_OK) rc = fr_store_record_flags(store, &ev, FR_RECORD_REASONS_BUILT, result, err);
    fr_free(reasons);
    return rc;
}

int fr_booth_complete_entry(const fr_policy *policy, fr_store *store, fr_event *ev, fr_error *err)
{
    if (!policy || !store || !ev)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to complete");
    if (ev->kind != FR_EVENT_ENTRY || ev->authorised_until != FR_DATE_NONE) return FR_OK;
    int64_t tid = 0;
    fr_link_kind how = FR_LINK_NONE;
    fr_history *h = NULL;
    int rc = fr_store_resolve(store, &ev->doc, &tid, &how, err);
    if (rc == FR_EINVAL) rc = FR_OK;
    if (rc == FR_OK && tid) rc = fr_store_history(store, tid, &h, err);
    if (rc != FR_OK) return rc;
    fr_admit_complete_entry(policy, h, ev);
    fr_history_free(h);
    return FR_OK;
}
