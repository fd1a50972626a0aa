/* SPDX-License-Identifier: MIT */
/* server_events.c: POST /v1/events: one event, or {"events": [...]} (at
 * most FR_SERVER_BATCH_MAX) from a post that was offline. The members are
 * the ledger's CSV columns (docs/ledger.md); the officer is the caller.
 * Recording is idempotent on event_id (the store's rule: the same id with the
 * same content is a duplicate, with other content a conflict). The events
 * are read and checked here; the writer thread records them in its group
 * commit (server_audit.c), so a request's events and their audit entries
 * commit in one transaction with the other requests of the group. Each
 * event gets its own result, and a bad event does not stop the others; a
 * store failure fails the request and nothing of it stays. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "event_json.h"
#include "server_internal.h"

/* One event of POST /v1/events: event_json.c reads it. */
int fr__srv_event_from_json(json_t *j, const char *officer, fr_event *ev, char **reasons,
                            fr_error *err)
{
    return fr__event_from_json(j, officer, ev, reasons, err);
}

static json_t *anomaly_list(unsigned flags)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
        if (flags & b) json_array_append_new(a, json_string(fr_anomaly_name(b)));
    return a;
}

static json_t *result_json(size_t index, const char *event_id, int rc, const fr_record_result *res,
                           const fr_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer((json_int_t)index));
    json_object_set_new(o, "event_id", event_id[0] ? json_string(event_id) : json_null());
    if (rc == FR_OK) {
        json_object_set_new(o, "status", json_string(res->duplicate ? "duplicate" : "recorded"));
        json_object_set_new(o, "traveller_id", json_integer(res->traveller_id));
        json_object_set_new(o, "link", json_string(fr_link_kind_name(res->link)));
        json_object_set_new(o, "anomalies", anomaly_list(res->anomalies));
    } else {
        json_object_set_new(o, "status", json_string(rc == FR_ECONFLICT ? "conflict" : "rejected"));
        json_object_set_new(o, "field", json_string(err->field));
        json_object_set_new(o, "detail", json_string(err->message));
    }
    return o;
}

typedef struct ev_out {
    fr_event ev;
    char *reasons; /* fr_malloc, or NULL */
    int parsed;    /* the event is well-formed: the writer records it */
    char event_id[FR_EVENT_ID_MAX + 1];
    int rc;
    fr_record_result res;
    fr_error err;
    char object[FR_AUDIT_OBJECT_MAX + 1];
} ev_out;

/* The events for the writer's group commit (server_audit.c). */
typedef struct events_write {
    srv_req *r;
    ev_out *out;
    size_t n;
    fr_audit_record *recs;
} events_write;

/* Record each well-formed event; a bad or conflicting one gets its own
 * result, a store failure fails the request (and nothing of it stays). */
static int events_apply(srv_write *w, fr_store *store, fr_error *err)
{
    events_write *e = w->ud;
    size_t naudit = 0;
    for (size_t i = 0; i < e->n; i++) {
        ev_out *o = &e->out[i];
        if (!o->parsed) continue;
        fr_error_clear(&o->err);
        o->rc = fr_store_record(store, &o->ev, &o->res, &o->err);
        if (o->rc == FR_OK) {
            snprintf(o->object, sizeof o->object, "traveller:%lld event:%s",
                     (long long)o->res.traveller_id, o->event_id);
            fr__srv_audit_record_for(e->r, &e->recs[naudit++], "event.record", o->object, 200,
                                     o->res.duplicate ? "duplicate"
                                                      : fr_event_kind_name(o->ev.kind));
        } else if (o->rc == FR_ECONFLICT) {
            /* never applied, but kept on this side too (a post's sync keeps its own list) */
            snprintf(o->object, sizeof o->object, "event:%s", o->event_id);
            fr__srv_audit_record_for(e->r, &e->recs[naudit++], "event.conflict", o->object, 409,
                                     "same id, other content: not applied");
        } else if (o->rc != FR_EINVAL && o->rc != FR_EPARSE) {
            *err = o->err;
            return o->rc;
        }
    }
    w->recs = e->recs;
    w->nrecs = naudit;
    return FR_OK;
}

enum MHD_Result fr__srv_events(srv_req *r)
{
    fr_server *s = r->srv;
    enum MHD_Result ret;
    json_t *body = fr__srv_body_json(r, &ret);
    if (!body) return ret;
    json_t *list = json_object_get(body, "events");
    int batch = list != NULL;
    if (batch && (!json_is_array(list) || json_object_size(body) != 1)) {
        json_decref(body);
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "events", NULL,
                               "a batch is {\"events\": [ ... ]} and nothing else");
    }
    size_t n = batch ? json_array_size(list) : 1;
    if (batch && (n == 0 || n > FR_SERVER_BATCH_MAX)) {
        json_decref(body);
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "events", NULL,
                               "a batch holds 1 to %d events", FR_SERVER_BATCH_MAX);
    }
    ev_out *out = fr_calloc(n, sizeof *out);
    fr_audit_record *recs = fr_calloc(n, sizeof *recs);
    if (!out || !recs) {
        ret = MHD_NO;
        goto done;
    }
    size_t nparsed = 0;
    for (size_t i = 0; i < n; i++) { /* read and check here; the writer only records */
        ev_out *o = &out[i];
        fr_error_clear(&o->err);
        json_t *jev = batch ? json_array_get(list, i) : body;
        char officer[FR_OFFICER_MAX + 1];
        o->rc = fr__srv_event_from_json(jev, fr__srv_post_officer(r, jev, officer), &o->ev,
                                        &o->reasons, &o->err);
        snprintf(o->event_id, sizeof o->event_id, "%s", o->ev.event_id);
        if (o->rc == FR_OK) o->rc = fr__srv_post_check(r, &o->ev, &o->err); /* a post's own ports */
        /* an event cannot be recorded before it happens (this server's clock,
         * or a post's: server_post.c) */
        if (o->rc == FR_OK) o->rc = fr_event_check_clock(&o->ev, fr__srv_event_clock_s(r), &o->err);
        o->parsed = o->rc == FR_OK;
        nparsed += o->parsed;
    }
    events_write e = {r, out, n, recs};
    srv_write w;
    memset(&w, 0, sizeof w);
    w.apply = events_apply;
    w.ud = &e;
    const fr_event **pre = fr_malloc(n * sizeof *pre);
    if (!pre) {
        ret = MHD_NO;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        pre[i] = out[i].parsed ? &out[i].ev : NULL;
    w.pre = pre;
    w.npre = n;
    int failed = nparsed && fr__srv_write_run(s, &w) != FR_OK;
    fr_free(pre);
    if (failed) {
        ret = w.ledger_only ? fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                              "the events were recorded but their audit entries "
                                              "could not be written")
                            : fr__srv_problem_err(r, &w.err); /* nothing of the request stays */
        goto done;
    }
    size_t nok = 0, ndup = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i].rc != FR_OK) continue;
        nok += !out[i].res.duplicate;
        ndup += out[i].res.duplicate;
        if (!out[i].res.duplicate) {
            if (batch)
                atomic_store(&s->report_stale, 1); /* the report index reloads once */
            else
                fr__srv_reports_note_event(s, &out[i].ev, out[i].res.traveller_id);
        }
    }
    if (!batch) {
        ev_out *o = &out[0];
        if (o->rc == FR_OK) {
            json_t *j = result_json(0, o->event_id, o->rc, &o->res, &o->err);
            json_object_del(j, "index");
            ret = fr__srv_send_json(r, o->res.duplicate ? 200 : 201, j);
        } else {
            ret = fr__srv_problem_err(r, &o->err);
        }
        goto done;
    }
    json_t *results = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(results,
                              result_json(i, out[i].event_id, out[i].rc, &out[i].res, &out[i].err));
    ret = fr__srv_send_json(r, 200,
                            json_pack("{s:I, s:I, s:I, s:o}", "recorded", (json_int_t)nok,
                                      "duplicates", (json_int_t)ndup, "rejected",
                                      (json_int_t)(n - nok - ndup), "results", results));
done:
    for (size_t i = 0; out && i < n; i++)
        fr_free(out[i].reasons);
    fr_free(out);
    fr_free(recs);
    json_decref(body);
    return ret;
}
