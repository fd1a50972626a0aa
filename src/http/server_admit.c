/* SPDX-License-Identifier: MIT */
/* server_admit.c: POST /v1/admissions (the decision at the booth, and with
 * "record": true the entry or refusal written to the ledger) and POST
 * /v1/admissions/{event_id}/override (a supervisor's decision, with a
 * mandatory reason, recorded under that event id).
 *
 * The answer has the same members, in the same order, as `frontera admit
 * --json`. A decision that read a known traveller's history, and every
 * recording, is audited before the answer is sent; a decision about a
 * document the ledger does not know reads no personal record and is not. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "frontera/booth.h"
#include "views.h"
#include "frontera/alloc.h"
#include "server_internal.h"

#define MRZ_MAX SRV_MRZ_MAX
#define REASON_MAX 500

typedef srv_adm_in adm_in;

static const char *const ADMIT_MEMBERS[] = {"mrz",
                                            "port",
                                            "at",
                                            "visa",
                                            "admission_class",
                                            "intended_days",
                                            "intended_stay_days",
                                            "record",
                                            "event_id",
                                            "repair",
                                            NULL};
static const char *const OVERRIDE_MEMBERS[] = {"mrz",
                                               "port",
                                               "at",
                                               "visa",
                                               "admission_class",
                                               "intended_days",
                                               "intended_stay_days",
                                               "repair",
                                               "decision",
                                               "reason",
                                               "authorised_until",
                                               NULL};

/* A member that is absent "is required"; one that is there but of the
 * wrong kind "must be" what the message goes on to say. Each sentence is
 * written out whole (not "%s" with the verb), so that it is translated
 * whole (docs/server.md, detail_parts). */
#define GIVEN(v) ((v) && !json_is_null(v))

/* Read the request members shared by both routes. FR_OK, or FR_EINVAL with err. */
int fr__srv_admission_parse(json_t *j, adm_in *in, fr_error *err)
{
    json_t *v;
    memset(in, 0, sizeof *in);
    in->req.cls = FR_CLASS_VISITOR;
    v = json_object_get(j, "mrz");
    size_t off = 0;
    if (json_is_string(v)) {
        off = (size_t)snprintf(in->mrz, sizeof in->mrz, "%s", json_string_value(v));
        if (off >= sizeof in->mrz)
            return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "the MRZ is too long");
    } else if (json_is_array(v) && json_array_size(v) >= 1 && json_array_size(v) <= 3) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *line = json_array_get(v, i);
            if (!json_is_string(line))
                return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "mrz[%zu] must be a string", i);
            int n = snprintf(in->mrz + off, sizeof in->mrz - off, "%s%s", i ? "\n" : "",
                             json_string_value(line));
            if (n < 0 || off + (size_t)n >= sizeof in->mrz)
                return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "the MRZ is too long");
            off += (size_t)n;
        }
    } else {
        return GIVEN(v) ? fr_error_set(err, FR_EINVAL, 0, 0, "mrz",
                                       "mrz must be: an array of the 2 or 3 MRZ lines as read")
                        : fr_error_set(err, FR_EINVAL, 0, 0, "mrz",
                                       "mrz is required: an array of the 2 or 3 MRZ lines as read");
    }
    in->req.mrz = in->mrz;
    in->req.mrz_len = off;
    v = json_object_get(j, "port");
    if (!json_is_string(v))
        return GIVEN(v) ? fr_error_set(err, FR_EINVAL, 0, 0, "port",
                                       "port must be: the UN/LOCODE of the crossing point")
                        : fr_error_set(err, FR_EINVAL, 0, 0, "port",
                                       "port is required: the UN/LOCODE of the crossing point");
    in->req.port = json_string_value(v);
    if (fr_event_check_port(in->req.port, err) != FR_OK) return FR_EINVAL;
    v = json_object_get(j, "at");
    if (!json_is_string(v))
        return GIVEN(v)
                   ? fr_error_set(err, FR_EINVAL, 0, 0, "at",
                                  "at must be: local time with offset, 2024-07-01T10:15-05:00")
                   : fr_error_set(err, FR_EINVAL, 0, 0, "at",
                                  "at is required: local time with offset, 2024-07-01T10:15-05:00");
    if (fr_datetime_parse_cstr(json_string_value(v), &in->req.at, err) != FR_OK) {
        snprintf(err->field, sizeof err->field, "at");
        return FR_EINVAL;
    }
    if (!in->req.at.has_offset) /* never guess UTC: a post's clock is local */
        return fr_error_set(err, FR_EINVAL, 0, 0, "at",
                            "at needs its UTC offset: 2024-07-01T10:15-05:00, not a bare local "
                            "time");
    v = json_object_get(j, "visa");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v))
            return fr_error_set(err, FR_EINVAL, 0, 0, "visa", "visa must be a string");
        in->req.visa = json_string_value(v);
    }
    v = json_object_get(j, "admission_class");
    if (v && !json_is_null(v)) {
        int k = json_is_string(v)
                    ? fr_admission_class_parse(json_string_value(v), json_string_length(v))
                    : -1;
        if (k < 0)
            return fr_error_set(err, FR_EINVAL, 0, 0, "admission_class",
                                "admission_class must be visitor, transit, crew or official");
        in->req.cls = (fr_admission_class)k;
    }
    const char *dn = json_object_get(j, "intended_days") ? "intended_days" : "intended_stay_days";
    v = json_object_get(j, dn);
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 3660)
            return fr_error_set(err, FR_EINVAL, 0, 0, dn,
                                "%s must be a whole number of days, 1 to 3660", dn);
        in->req.intended_days = (int32_t)json_integer_value(v);
    }
    v = json_object_get(j, "repair");
    if (v && !json_is_boolean(v))
        return fr_error_set(err, FR_EINVAL, 0, 0, "repair", "repair must be true or false");
    in->req.repair = json_is_true(v);
    v = json_object_get(j, "record");
    if (v && !json_is_boolean(v))
        return fr_error_set(err, FR_EINVAL, 0, 0, "record", "record must be true or false");
    in->record = json_is_true(v);
    v = json_object_get(j, "event_id");
    if (v && !json_is_null(v)) {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            json_string_length(v) > FR_EVENT_ID_MAX)
            return fr_error_set(err, FR_EINVAL, 0, 0, "event_id",
                                "event_id must be 1 to %d characters", FR_EVENT_ID_MAX);
        in->event_id = json_string_value(v);
    }
    return FR_OK;
}

/* A supervisor's decision (POST /v1/admissions/{event_id}/override). */
typedef struct override_in {
    fr_outcome outcome;
    const char *reason;
    fr_date until;
} override_in;

/* The supervisor's decision over the booth's: FR_OK, or FR_EINVAL when it
 * admits and neither the supervisor, nor the decision, nor the stay it
 * computed (a referral's: the stay the rules give, had nothing referred it)
 * gave an authorised stay (nothing is changed then). */
static int apply_override(fr_admit_decision *d, const override_in *ov, const char *supervisor)
{
    fr_outcome decided = d->outcome;
    if (ov->outcome == FR_ADMIT) {
        fr_date until = ov->until != FR_DATE_NONE             ? ov->until
                        : d->authorised_until != FR_DATE_NONE ? d->authorised_until
                        : d->have_stay && !d->stay.exhausted  ? d->stay.authorised_until
                                                              : FR_DATE_NONE;
        if (until == FR_DATE_NONE) return FR_EINVAL;
        d->authorised_until = until;
    } else {
        d->authorised_until = FR_DATE_NONE;
    }
    d->outcome = ov->outcome;
    if (d->nreasons < FR_ADMIT_MAX_REASONS) {
        fr_admit_reason *rs = &d->reasons[d->nreasons++];
        memset(rs, 0, sizeof *rs);
        snprintf(rs->code, sizeof rs->code, "override.supervisor");
        rs->level = FR_REASON_INFO;
        snprintf(rs->message, sizeof rs->message, "Decided by supervisor %s (was %s): %s",
                 supervisor, fr_outcome_name(decided), ov->reason);
        rs->nparams = 3; /* the sentence's parts, for a translation (admit.h) */
        snprintf(rs->params[0].name, sizeof rs->params[0].name, "supervisor");
        snprintf(rs->params[0].value, sizeof rs->params[0].value, "%s", supervisor);
        snprintf(rs->params[1].name, sizeof rs->params[1].name, "was");
        snprintf(rs->params[1].value, sizeof rs->params[1].value, "%s", fr_outcome_name(decided));
        snprintf(rs->params[2].name, sizeof rs->params[2].name, "reason");
        snprintf(rs->params[2].value, sizeof rs->params[2].value, "%s", ov->reason);
    }
    return FR_OK;
}

/* A post deciding without the central says so among the reasons. */
static void note_offline(fr_server *s, fr_admit_decision *d)
{
    int64_t since_ms = 0;
    if (!s->cfg.offline || !s->cfg.offline(s->cfg.offline_ud, &since_ms) ||
        d->nreasons >= FR_ADMIT_MAX_REASONS)
        return;
    /* decided without the central: other posts' crossings may be missing */
    fr_admit_reason *rs = &d->reasons[d->nreasons++];
    char when[32] = "never";
    memset(rs, 0, sizeof *rs);
    snprintf(rs->code, sizeof rs->code, "post.offline");
    rs->level = FR_REASON_INFO;
    if (since_ms > 0) {
        time_t t = (time_t)(since_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", &tm);
    }
    snprintf(rs->message, sizeof rs->message,
             "Decided offline (central last reached: %s): crossings recorded at other posts "
             "since then are not in this history.",
             when);
    rs->nparams = 1; /* "" when never reached */
    snprintf(rs->params[0].name, sizeof rs->params[0].name, "since");
    snprintf(rs->params[0].value, sizeof rs->params[0].value, "%s", since_ms > 0 ? when : "");
}

/* A recording for the writer's group commit (server_audit.c). When the
 * writer also decides (sc set), the request's thread has only read and
 * screened the document; the history read, the decision, the event and its
 * audit entry all happen in the group's transaction. */
typedef struct admit_write {
    srv_req *r;
    const char *action, *detail;
    char eid[FR_EVENT_ID_MAX + 1];
    fr_event
        ev; /* built by fr_booth_event (the request's or the writer's), recorded by the writer */
    char *reasons;
    fr_record_result res;
    fr_audit_record rec;
    char object[FR_AUDIT_OBJECT_MAX + 1];
    /* deciding in the writer */
    const fr_booth_screened *sc;
    const fr_policy *policy;
    const adm_in *in;
    const override_in *ov;
    fr_admit_decision *d;
    fr_outcome decided; /* before an override */
    int recorded;       /* an event was written (not a referral) */
    int no_until;       /* the override admits with no authorised stay */
} admit_write;

static int record_apply(srv_write *w, fr_store *store, fr_error *err)
{
    admit_write *a = w->ud;
    /* the reasons are fr_booth_event's: written valid, not parsed again */
    int rc = fr_store_record_flags(store, &a->ev, FR_RECORD_REASONS_BUILT, &a->res, err);
    if (rc != FR_OK) return rc;
    snprintf(a->object, sizeof a->object, "traveller:%lld event:%s", (long long)a->res.traveller_id,
             a->eid);
    fr__srv_audit_record_for(a->r, &a->rec, a->action, a->object, 200, a->detail);
    w->recs = &a->rec;
    w->nrecs = 1;
    return FR_OK;
}

/* The audit record of a decision that read known traveller tid's history
 * and recorded no crossing (a referral, a refused override); object and rec
 * are the caller's. */
static void history_audit(srv_req *r, int64_t tid, const char *action, int status,
                          const char *detail, char object[FR_AUDIT_OBJECT_MAX + 1],
                          fr_audit_record *rec)
{
    snprintf(object, FR_AUDIT_OBJECT_MAX + 1, "traveller:%lld", (long long)tid);
    fr__srv_audit_record_for(r, rec, action, object, status, detail);
}

/* The same in the writer's group (nothing when no known history was read). */
static int history_audit_in_group(srv_write *w, admit_write *a, const char *action, int status,
                                  const char *detail)
{
    if (!a->d->traveller_id) return FR_OK;
    history_audit(a->r, a->d->traveller_id, action, status, detail, a->object, &a->rec);
    w->recs = &a->rec;
    w->nrecs = 1;
    return FR_OK;
}

/* The same written now, when the request's thread decided: FR_OK, or the
 * audit's error (then no answer may tell what was read). */
static int history_audit_now(srv_req *r, int64_t tid, const char *action, int status,
                             const char *detail)
{
    if (!tid) return FR_OK;
    char object[FR_AUDIT_OBJECT_MAX + 1];
    fr_audit_record rec;
    history_audit(r, tid, action, status, detail, object, &rec);
    return fr__srv_audit_write(r->srv, &rec, 1);
}

/* The writer decides and records: the history is read in the transaction
 * that writes, so a decision never misses a crossing committed before it
 * (two booths admitting the same traveller at once see each other), and the
 * document is linked once, on the writer's connection, whose page cache and
 * blocking rows stay warm (a reader's SQLite cache is dropped whenever
 * another connection commits, so its look-ups read every page again). May
 * run more than once (the group run again): each run starts afresh. */
static int decide_apply(srv_write *w, fr_store *store, fr_error *err)
{
    admit_write *a = w->ud;
    w->recs = NULL;
    w->nrecs = 0;
    a->recorded = a->no_until = 0;
    fr_free(a->reasons);
    a->reasons = NULL;
    int rc = fr_booth_decide_screened(a->sc, a->policy, store, &a->in->req, a->d, err);
    if (rc != FR_OK) return rc;
    a->decided = a->d->outcome;
    if (a->ov && apply_override(a->d, a->ov, a->r->user.name) != FR_OK) {
        a->no_until = 1; /* answered 422, nothing written; a history read is audited */
        return history_audit_in_group(w, a, "admission.override", 422, "no authorised stay given");
    }
    note_offline(a->r->srv, a->d);
    if (a->d->outcome == FR_REFER) /* not a crossing: only the history read is audited */
        return history_audit_in_group(w, a, "admission.decide", 200,
                                      fr_outcome_name(a->d->outcome));
    a->detail = a->ov ? a->ov->reason : fr_outcome_name(a->d->outcome);
    fr_admit_event_id(&a->in->req, a->d, a->in->event_id, a->eid);
    rc = fr_booth_event(&a->in->req, a->d, a->eid, a->r->user.name, &a->ev, &a->reasons, err);
    if (rc == FR_OK) rc = record_apply(w, store, err);
    if (rc == FR_OK) a->recorded = 1;
    return rc;
}

/* Send the decision, with the traveller and event id when recorded. */
static enum MHD_Result answer(srv_req *r, const fr_admit_decision *d, int64_t tid, const char *eid,
                              const override_in *ov, fr_outcome decided)
{
    json_t *j = fr__admit_decision_json(d, tid, eid);
    if (j && ov) json_object_set_new(j, "overridden_from", json_string(fr_outcome_name(decided)));
    return j ? fr__srv_send_json(r, 200, j) : MHD_NO;
}

static enum MHD_Result problem_no_until(srv_req *r)
{
    return fr__srv_problem(r, 422, "invalid", "Invalid request", "authorised_until", NULL,
                           "the decision gave no authorised stay: say until when "
                           "(authorised_until, YYYY-MM-DD)");
}

static enum MHD_Result problem_write(srv_req *r, const srv_write *w)
{
    if (w->ledger_only)
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the decision was recorded but its audit entry could not be "
                               "written; do not repeat it");
    return fr__srv_problem_err(r, &w->err);
}

/* A recorded admission (or a supervisor's override) decided by the writer. */
static enum MHD_Result record_in_writer(srv_req *r, const adm_in *in, const override_in *ov,
                                        const fr_booth_env *env, fr_admit_decision *d)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    fr_booth_screened *sc = NULL;
    if (fr_booth_screen(env, &in->req, &sc, &err) != FR_OK) return fr__srv_problem_err(r, &err);
    admit_write a;
    memset(&a, 0, sizeof a);
    a.r = r;
    a.action = ov ? "admission.override" : "admission.record";
    a.sc = sc;
    a.policy = env->policy;
    a.in = in;
    a.ov = ov;
    a.d = d;
    srv_write w;
    memset(&w, 0, sizeof w);
    w.apply = decide_apply;
    w.ud = &a;
    int failed = fr__srv_write_run(s, &w) != FR_OK;
    fr_free(a.reasons);
    fr_booth_screened_free(sc);
    if (failed) return problem_write(r, &w);
    if (a.no_until) return problem_no_until(r);
    atomic_fetch_add(&s->metrics.decisions[d->outcome], 1);
    if (!a.recorded) return answer(r, d, 0, NULL, ov, a.decided);
    if (!a.res.duplicate) fr__srv_reports_note_admission(s, &in->req, d, a.res.traveller_id);
    return answer(r, d, a.res.traveller_id, a.eid, ov, a.decided);
}

/* Decide on the request's thread (its own store connection), then record
 * through the writer's group when asked. */
static enum MHD_Result decide_here(srv_req *r, adm_in *in, const override_in *ov,
                                   const fr_booth_env *env, fr_admit_decision *d)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    if (fr_booth_decide(env, &in->req, d, &err) != FR_OK) return fr__srv_problem_err(r, &err);
    fr_outcome decided = d->outcome;
    if (ov && apply_override(d, ov, r->user.name) != FR_OK) {
        if (history_audit_now(r, d->traveller_id, "admission.override", 422,
                              "no authorised stay given") != FR_OK)
            return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                   "the audit entry could not be written");
        return problem_no_until(r);
    }
    note_offline(s, d);
    atomic_fetch_add(&s->metrics.decisions[d->outcome], 1);
    if ((in->record || ov) && d->outcome != FR_REFER) {
        /* the ledger row and its audit entry, in the writer's group commit */
        admit_write a;
        memset(&a, 0, sizeof a);
        a.r = r;
        fr_admit_event_id(&in->req, d, in->event_id, a.eid);
        a.action = ov ? "admission.override" : "admission.record";
        a.detail = ov ? ov->reason : fr_outcome_name(d->outcome);
        if (fr_booth_event(&in->req, d, a.eid, r->user.name, &a.ev, &a.reasons, &err) != FR_OK)
            return fr__srv_problem_err(r, &err);
        const fr_event *pre = &a.ev;
        srv_write w;
        memset(&w, 0, sizeof w);
        w.apply = record_apply;
        w.ud = &a;
        w.pre = &pre;
        w.npre = 1;
        int failed = fr__srv_write_run(s, &w) != FR_OK;
        fr_free(a.reasons);
        if (failed) return problem_write(r, &w);
        if (!a.res.duplicate) fr__srv_reports_note_admission(s, &in->req, d, a.res.traveller_id);
        return answer(r, d, a.res.traveller_id, a.eid, ov, decided);
    }
    if (history_audit_now(r, d->traveller_id, "admission.decide", 200,
                          fr_outcome_name(d->outcome)) != FR_OK)
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the audit entry could not be written; no decision given");
    return answer(r, d, 0, NULL, ov, decided);
}

/* Decide (and record when asked, with the override applied first when ov
 * is set), audit, answer. */
static enum MHD_Result decide_and_answer(srv_req *r, adm_in *in, const override_in *ov)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    if ((in->record || ov) && fr__srv_check_at(r, &in->req.at, &err) != FR_OK)
        return fr__srv_problem_with(r, 422, "invalid", "Invalid request", err.field, NULL, &err);
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    srv_policy *pol = fr__srv_policy_acquire(s);
    srv_lists *lists = fr__srv_lists_acquire(s);
    fr_error lerr; /* no usable context: c->screen NULL, and the booth refers */
    (void)fr__srv_lists_ctx(c, lists, &lerr);
    fr_admit_decision *d = fr_malloc(sizeof *d);
    enum MHD_Result ret = MHD_NO;
    if (d) {
        /* lists configured but no usable context: refer (fail closed) */
        fr_booth_env env = {pol->policy, c->store, c->screen,
                            lists->idx != NULL || lists->docs != NULL, NULL};
        if ((in->record || ov) && s->audit.decides)
            ret = record_in_writer(r, in, ov, &env, d);
        else
            ret = decide_here(r, in, ov, &env, d);
    }
    fr_free(d);
    fr__srv_lists_release(lists);
    fr__srv_policy_release(pol);
    fr__srv_ctx_release(s, c);
    return ret;
}

enum MHD_Result fr__srv_admissions(srv_req *r)
{
    enum MHD_Result ret;
    fr_error err;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    adm_in *in = fr_malloc(sizeof *in);
    if (!in) {
        json_decref(j);
        return MHD_NO;
    }
    const char *unknown = fr__srv_unknown_member(j, ADMIT_MEMBERS);
    fr_error_clear(&err);
    if (unknown)
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
    else if (fr__srv_admission_parse(j, in, &err) != FR_OK)
        ret = fr__srv_problem_with(r, 422, "invalid", "Invalid request", err.field, NULL, &err);
    else
        ret = decide_and_answer(r, in, NULL);
    fr_free(in);
    json_decref(j);
    return ret;
}

enum MHD_Result fr__srv_override(srv_req *r)
{
    enum MHD_Result ret;
    fr_error err;
    if (!r->param[0] || strlen(r->param) > FR_EVENT_ID_MAX)
        return fr__srv_problem(r, 404, "not-found", "No such route", "event_id", NULL,
                               "the event id in the path must be 1 to %d characters",
                               FR_EVENT_ID_MAX);
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    adm_in *in = fr_malloc(sizeof *in);
    if (!in) {
        json_decref(j);
        return MHD_NO;
    }
    override_in ov = {FR_ADMIT, NULL, FR_DATE_NONE};
    const char *unknown = fr__srv_unknown_member(j, OVERRIDE_MEMBERS);
    json_t *dec = json_object_get(j, "decision"), *why = json_object_get(j, "reason"),
           *until = json_object_get(j, "authorised_until");
    fr_error_clear(&err);
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
        goto done;
    }
    if (fr__srv_admission_parse(j, in, &err) != FR_OK) {
        ret = fr__srv_problem_with(r, 422, "invalid", "Invalid request", err.field, NULL, &err);
        goto done;
    }
    if (!json_is_string(dec) || (strcmp(json_string_value(dec), "admit") != 0 &&
                                 strcmp(json_string_value(dec), "refuse") != 0)) {
        ret = GIVEN(dec) ? fr__srv_problem(r, 422, "invalid", "Invalid request", "decision", NULL,
                                           "decision must be: admit or refuse")
                         : fr__srv_problem(r, 422, "invalid", "Invalid request", "decision", NULL,
                                           "decision is required: admit or refuse");
        goto done;
    }
    ov.outcome = strcmp(json_string_value(dec), "admit") == 0 ? FR_ADMIT : FR_REFUSE;
    if (!json_is_string(why) || json_string_length(why) < 3 ||
        json_string_length(why) > REASON_MAX) {
        if (!GIVEN(why))
            ret = fr__srv_problem(
                r, 422, "invalid", "Invalid request", "reason", NULL,
                "reason is required: why the supervisor decides so, in 3 to %d characters",
                REASON_MAX);
        else if (json_is_string(why))
            ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "reason", NULL,
                                  "reason is too short or too long: why the supervisor decides "
                                  "so, in 3 to %d characters",
                                  REASON_MAX);
        else
            ret = fr__srv_problem(
                r, 422, "invalid", "Invalid request", "reason", NULL,
                "reason must be a string: why the supervisor decides so, in 3 to %d characters",
                REASON_MAX);
        goto done;
    }
    ov.reason = json_string_value(why);
    if (until && !json_is_null(until)) {
        if (!json_is_string(until) ||
            fr_date_parse(json_string_value(until), json_string_length(until), &ov.until, &err) !=
                FR_OK) {
            ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "authorised_until", NULL,
                                  "authorised_until must be a date, YYYY-MM-DD");
            goto done;
        }
    }
    in->event_id = r->param;
    ret = decide_and_answer(r, in, &ov);
done:
    fr_free(in);
    json_decref(j);
    return ret;
}
