/* SPDX-License-Identifier: MIT */
/* server_exit.c: POST /v1/exits: an exit recorded at the booth. The body is
 * the admission's ({mrz, port, at[, event_id]}); the booth layer reads the
 * document, records the exit (idempotent on event_id, by default made from
 * the document and the instant) and reads back the entry it closes
 * (fr_booth_exit). The answer says who left, when they came in, and whether
 * they leave past their authorised stay. Every exit written is audited
 * before the answer, as an entry is. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/booth.h"
#include "server_internal.h"
#include "views.h"

static const char *const EXIT_MEMBERS[] = {"mrz", "port", "at", "event_id", "repair", NULL};

static json_t *date_or_null(fr_date d)
{
    char b[FR_DATE_BUFSZ];
    return d == FR_DATE_NONE ? json_null() : json_string(fr_date_format(d, b));
}

static json_t *exit_json(const fr_booth_exit_result *x)
{
    json_t *anom = json_array();
    if (x->anomalies & FR_ANOMALY_EXIT_WITHOUT_ENTRY)
        json_array_append_new(anom, json_string("exit_without_entry"));
    if (x->anomalies & FR_ANOMALY_DOCUMENT_MISMATCH)
        json_array_append_new(anom, json_string("document_mismatch"));
    json_t *doc = fr__mrz_document_json(&x->mrz);
    return json_pack("{s:s, s:s, s:I, s:b, s:o, s:o, s:s?, s:o, s:i, s:i, s:o}", "kind", "exit",
                     "event_id", x->event_id, "traveller_id", (json_int_t)x->traveller_id,
                     "duplicate", x->duplicate, "document", doc, "entered",
                     date_or_null(x->entered), "entry_port",
                     x->entry_port[0] ? x->entry_port : NULL, "authorised_until",
                     date_or_null(x->authorised_until), "days_stayed", (int)x->days_stayed,
                     "days_over", (int)x->days_over, "anomalies", anom);
}

/* The document's findings as reasons, the ones an admission lists first
 * (fr_admit_mrz_reasons), in the JSON an admission's reasons have. */
static json_t *mrz_reasons(const fr_mrz *m)
{
    fr_admit_decision *d = fr_malloc(sizeof *d);
    char *buf = fr_malloc((2 * FR_REASONS_MAX));
    json_t *a = NULL;
    if (d && buf) {
        fr_admit_mrz_reasons(m, d);
        if (fr_admit_reasons_json(d, buf, (2 * FR_REASONS_MAX)) == FR_OK)
            a = json_loads(buf, 0, NULL);
    }
    fr_free(buf);
    fr_free(d);
    return a ? a : json_array();
}

enum MHD_Result fr__srv_exits(srv_req *r)
{
    fr_server *s = r->srv;
    enum MHD_Result ret;
    fr_error err;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    srv_adm_in *in = fr_malloc(sizeof *in);
    fr_booth_exit_result *x = fr_calloc(1, sizeof *x); /* zero: a refusal reads x->mrz */
    srv_ctx *c = NULL;
    fr_error_clear(&err);
    if (!in || !x) {
        ret = MHD_NO;
        goto done;
    }
    const char *unknown = fr__srv_unknown_member(j, EXIT_MEMBERS);
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
        goto done;
    }
    if (fr__srv_admission_parse(j, in, &err) != FR_OK ||
        fr__srv_check_at(r, &in->req.at, &err) != FR_OK) {
        ret = fr__srv_problem_with(r, 422, "invalid", "Invalid request", err.field, NULL, &err);
        goto done;
    }
    if (!(c = fr__srv_ctx_acquire(s, &err))) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    pthread_mutex_lock(&s->write_mu);
    int rc = fr_booth_exit(c->store, &in->req, in->event_id, r->user.name, x, &err);
    pthread_mutex_unlock(&s->write_mu);
    if (rc == FR_EINVAL && strcmp(err.field, "mrz") == 0 && x->mrz.nfindings > 0) {
        /* a misread document: its findings as the admission gives them, so a
         * page says each in its language (the detail is the first, in English) */
        json_t *extra = json_pack("{s:o}", "reasons", mrz_reasons(&x->mrz));
        ret = fr__srv_problem_with(r, 422, "invalid", "Invalid request", "mrz", extra, &err);
        goto done;
    }
    if (rc != FR_OK) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    if (!x->duplicate) atomic_store(&s->report_stale, 1);
    char object[FR_AUDIT_OBJECT_MAX + 1];
    fr_audit_record rec;
    snprintf(object, sizeof object, "traveller:%lld event:%s", (long long)x->traveller_id,
             x->event_id);
    fr__srv_audit_record_for(r, &rec, "exit.record", object, 200,
                             x->days_over ? "late" : "in time");
    if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
        ret = fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                              "the exit was recorded but its audit entry could not be written; do "
                              "not repeat it");
        goto done;
    }
    json_t *o = exit_json(x);
    ret = o ? fr__srv_send_json(r, 200, o) : MHD_NO;
done:
    fr__srv_ctx_release(s, c);
    fr_free(x);
    fr_free(in);
    json_decref(j);
    return ret;
}
