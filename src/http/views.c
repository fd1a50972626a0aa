/* SPDX-License-Identifier: MIT */
/* views.c: the JSON view of each object that both the program and the
 * server print (views.h): the admission decision, a traveller's history. */
#include <stdio.h>

#include "views.h"

json_t *fr_admit_decision_json(const fr_admit_decision *d, int64_t traveller_id,
                               const char *event_id)
{
    char b[FR_DATE_BUFSZ];
    json_t *o = json_object(), *reasons = json_array();
    if (!o || !reasons) goto oom;
    if (json_object_set_new(o, "decision", json_string(fr_outcome_name(d->outcome)))) goto oom;
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        char g[2] = {r->ground, 0};
        if (json_array_append_new(reasons,
                                  json_pack("{s:s, s:s, s:s?, s:s}", "code", r->code, "message",
                                            r->message, "ground", r->ground ? g : NULL, "level",
                                            fr_reason_level_name(r->level))))
            goto oom;
    }
    json_t *until = d->authorised_until != FR_DATE_NONE
                        ? json_string(fr_date_format(d->authorised_until, b))
                        : json_null();
    if (json_object_set_new(o, "reasons", reasons)) {
        reasons = NULL; /* set_new took it even on failure */
        json_decref(until);
        goto oom;
    }
    reasons = NULL;
    if (json_object_set_new(o, "authorised_until", until) ||
        json_object_set_new(o, "traveller_id",
                            traveller_id ? json_integer(traveller_id) : json_null()) ||
        json_object_set_new(o, "event_id", event_id ? json_string(event_id) : json_null()))
        goto oom;
    if (d->have_stay &&
        (json_object_set_new(o, "days_used", json_integer(d->stay.eval.days_used)) ||
         json_object_set_new(o, "days_remaining", json_integer(d->stay.eval.days_remaining))))
        goto oom;
    if (d->rule && json_object_set_new(o, "rule_ref", json_string(d->rule->ref))) goto oom;
    return o;
oom:
    json_decref(reasons);
    json_decref(o);
    return NULL;
}

static json_t *date_or_null(fr_date d)
{
    char buf[FR_DATE_BUFSZ];
    return d == FR_DATE_NONE ? json_null() : json_string(fr_date_format(d, buf));
}

static json_t *anomaly_names(unsigned flags)
{
    json_t *a = json_array();
    for (unsigned b = 1; a && b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
        if (flags & b) json_array_append_new(a, json_string(fr_anomaly_name(b)));
    return a;
}

json_t *fr_history_json(const fr_history *h)
{
    json_t *o = json_object(), *docs = json_array(), *evs = json_array(), *revs = json_array();
    char buf[FR_DATETIME_BUFSZ];
    if (!o || !docs || !evs || !revs) goto oom;
    for (size_t i = 0; i < h->ndocuments; i++) {
        const fr_document *d = &h->documents[i].doc;
        char sex[2] = {d->sex, 0};
        if (json_array_append_new(
                docs,
                json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:s}", "state", d->state,
                          "number", d->number, "type", d->type, "expiry", date_or_null(d->expiry),
                          "surname", d->surname, "given_names", d->given_names, "nationality",
                          d->nationality, "birth_date", date_or_null(d->birth_date), "sex", sex,
                          "link", fr_link_kind_name(h->documents[i].link))))
            goto oom;
    }
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        if (json_array_append_new(
                evs,
                json_pack(
                    "{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "event_id", it->event_id,
                    "kind", fr_event_kind_name(it->kind), "at", fr_datetime_format(&it->at, buf),
                    "port", it->port, "admission_class", it->admission_class, "authorised_until",
                    date_or_null(it->authorised_until), "decision", it->decision, "paired_with",
                    it->paired >= 0 ? json_string(h->items[it->paired].event_id) : json_null(),
                    "anomalies", anomaly_names(it->anomalies))))
            goto oom;
    }
    for (size_t i = 0; i < h->nreviews; i++)
        if (json_array_append_new(
                revs,
                json_pack("{s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)h->reviews[i].id,
                          "document_row", (json_int_t)h->reviews[i].document_row, "traveller_id",
                          (json_int_t)h->reviews[i].traveller_id, "candidate_traveller_id",
                          (json_int_t)h->reviews[i].candidate_traveller, "reason",
                          h->reviews[i].reason)))
            goto oom;
    json_t *open = h->open_entry >= 0 ? json_string(h->items[h->open_entry].event_id) : json_null();
    if (json_object_set_new(o, "traveller_id", json_integer(h->traveller_id)) ||
        json_object_set_new(o, "in_country", json_boolean(h->in_country)) ||
        json_object_set_new(o, "open_entry", open) ||
        json_object_set_new(o, "authorised_until", date_or_null(h->authorised_until)) ||
        json_object_set_new(o, "anomalies", anomaly_names(h->anomalies)))
        goto oom;
    json_t *d = docs, *e = evs, *r = revs;
    docs = evs = revs = NULL; /* set_new takes them even on failure */
    if (json_object_set_new(o, "documents", d) || json_object_set_new(o, "events", e) ||
        json_object_set_new(o, "reviews", r))
        goto oom;
    return o;
oom:
    json_decref(docs);
    json_decref(evs);
    json_decref(revs);
    json_decref(o);
    return NULL;
}
