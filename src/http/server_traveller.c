/* SPDX-License-Identifier: MIT */
/* server_traveller.c: GET /v1/travellers/{id}: one traveller's documents,
 * crossings (event-time order, with pairing and anomalies), current stay and
 * open link reviews. {id} is the traveller number or STATE:NUMBER of one of
 * the traveller's documents. A personal record: only roles with
 * FR_PERM_TRAVELLER get here, an officer only for travellers with an event
 * recorded under their name, and every read (found, refused or not) is
 * audited before the answer is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontera/alloc.h"
#include "server_internal.h"

static json_t *date_or_null(fr_date d)
{
    char buf[FR_DATE_BUFSZ];
    return d == FR_DATE_NONE ? json_null() : json_string(fr_date_format(d, buf));
}

static json_t *anomalies(unsigned flags)
{
    json_t *a = json_array();
    for (unsigned b = 1; b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
        if (flags & b) json_array_append_new(a, json_string(fr_anomaly_name(b)));
    return a;
}

static json_t *history_json(const fr_history *h)
{
    json_t *o = json_object(), *docs = json_array(), *evs = json_array(), *revs = json_array();
    char buf[FR_DATETIME_BUFSZ];
    for (size_t i = 0; i < h->ndocuments; i++) {
        const fr_document *d = &h->documents[i].doc;
        char sex[2] = {d->sex, 0};
        json_array_append_new(
            docs, json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:s}", "state", d->state,
                            "number", d->number, "type", d->type, "expiry", date_or_null(d->expiry),
                            "surname", d->surname, "given_names", d->given_names, "nationality",
                            d->nationality, "birth_date", date_or_null(d->birth_date), "sex", sex,
                            "link", fr_link_kind_name(h->documents[i].link)));
    }
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        json_array_append_new(
            evs,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "event_id", it->event_id,
                      "kind", fr_event_kind_name(it->kind), "at", fr_datetime_format(&it->at, buf),
                      "port", it->port, "admission_class", it->admission_class, "authorised_until",
                      date_or_null(it->authorised_until), "decision", it->decision, "paired_with",
                      it->paired >= 0 ? json_string(h->items[it->paired].event_id) : json_null(),
                      "anomalies", anomalies(it->anomalies)));
    }
    for (size_t i = 0; i < h->nreviews; i++)
        json_array_append_new(
            revs, json_pack("{s:I, s:I, s:I, s:s}", "document_row",
                            (json_int_t)h->reviews[i].document_row, "traveller_id",
                            (json_int_t)h->reviews[i].traveller_id, "candidate_traveller",
                            (json_int_t)h->reviews[i].candidate_traveller, "reason",
                            h->reviews[i].reason));
    json_object_set_new(o, "traveller_id", json_integer(h->traveller_id));
    json_object_set_new(o, "in_country", json_boolean(h->in_country));
    json_object_set_new(o, "open_entry",
                        h->open_entry >= 0 ? json_string(h->items[h->open_entry].event_id)
                                           : json_null());
    json_object_set_new(o, "authorised_until", date_or_null(h->authorised_until));
    json_object_set_new(o, "anomalies", anomalies(h->anomalies));
    json_object_set_new(o, "documents", docs);
    json_object_set_new(o, "events", evs);
    json_object_set_new(o, "reviews", revs);
    return o;
}

/* "Who looked at this record": the latest audit entries about it. */
static int add_looker(void *ud, const fr_audit_entry *e)
{
    char at[32];
    time_t t = (time_t)(e->at_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_array_append_new((json_t *)ud,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "at", at, "actor", e->actor,
                                    "role", e->role, "action", e->action, "origin", e->origin,
                                    "status", e->status));
    return 0;
}

/* Least privilege for officers: they see the travellers they processed (an
 * event of this traveller recorded under their name), not the whole ledger.
 * Supervisors and admins see any traveller. */
static int may_see(const srv_req *r, const fr_history *h)
{
    if (r->user.role != FR_ROLE_OFFICER) return 1;
    for (size_t i = 0; i < h->count; i++)
        if (strcmp(h->items[i].officer, r->user.name) == 0) return 1;
    return 0;
}

enum MHD_Result srv_traveller(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error err;
    int64_t tid = 0;
    char object[FR_AUDIT_OBJECT_MAX + 1];
    enum MHD_Result ret;
    fr_history *h = NULL;
    const char *id = r->param, *colon = strchr(id, ':');
    fr_error_clear(&err);
    if (!id[0])
        return srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                           "no traveller id in the path");
    srv_ctx *c = srv_ctx_acquire(s, &err);
    if (!c) return srv_problem_err(r, &err);
    int rc;
    if (colon) { /* STATE:NUMBER */
        char state[8];
        size_t sl = (size_t)(colon - id);
        if (sl == 0 || sl >= sizeof state) {
            rc = fr_error_set(&err, FR_ENOTFOUND, 0, 0, "id", "no such document");
        } else {
            memcpy(state, id, sl);
            state[sl] = 0;
            rc = fr_store_find_document(c->store, state, colon + 1, &tid, &err);
        }
        snprintf(object, sizeof object, "document:%.100s", id);
    } else {
        char *end;
        long long v = strtoll(id, &end, 10);
        rc = (*end || v <= 0) ? fr_error_set(&err, FR_ENOTFOUND, 0, 0, "id",
                                             "a traveller id is a positive number or STATE:NUMBER")
                              : FR_OK;
        tid = v > 0 ? v : 0;
        snprintf(object, sizeof object, "traveller:%.60s", id);
    }
    if (rc == FR_OK) rc = fr_store_history(c->store, tid, &h, &err);
    if (rc == FR_OK) snprintf(object, sizeof object, "traveller:%lld", (long long)tid);
    unsigned status = rc == FR_OK ? (may_see(r, h) ? 200 : 403) : rc == FR_ENOTFOUND ? 404 : 500;
    if (status != 500) {
        fr_audit_record rec;
        srv_audit_record_for(r, &rec, "traveller.read", object, status, NULL);
        if (srv_audit_write(s, &rec, 1) != FR_OK) {
            ret = srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                              "the read could not be audited, so the record is not shown");
            goto done;
        }
    }
    if (status == 403)
        ret = srv_problem(r, 403, "forbidden", "Forbidden", "id", NULL,
                          "an officer sees the travellers they processed; ask a supervisor");
    else if (rc == FR_ENOTFOUND)
        ret =
            srv_problem(r, 404, "not-found", "Not found", "id", NULL, "there is no such traveller");
    else if (rc != FR_OK)
        ret = srv_problem_err(r, &err);
    else {
        json_t *o = history_json(h), *lookers = json_array();
        if (fr_audit_about(c->audit, object, 50, add_looker, lookers, &err) != FR_OK) {
            json_decref(lookers);
            lookers = json_null(); /* the record is shown; the list of readers could not be */
        }
        json_object_set_new(o, "audit", lookers);
        ret = srv_send_json(r, 200, o);
    }
done:
    fr_history_free(h);
    srv_ctx_release(s, c);
    return ret;
}
