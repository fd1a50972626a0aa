/* SPDX-License-Identifier: MIT */
/* views.c: the JSON view of each object that both the program and the
 * server print (views.h): the admission decision, a traveller's history. */
#include <stdio.h>

#include "views.h"

#include <string.h>

#include "frontera/alloc.h"
#include "frontera/linkage.h"

json_t *fr__admit_decision_json(const fr_admit_decision *d, int64_t traveller_id,
                                const char *event_id)
{
    char b[FR_DATE_BUFSZ];
    json_t *o = json_object(), *reasons = json_array();
    if (!o || !reasons) goto oom;
    if (json_object_set_new(o, "decision", json_string(fr_outcome_name(d->outcome)))) goto oom;
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        char g[2] = {r->ground, 0};
        json_t *params = json_object();
        for (size_t k = 0; params && k < r->nparams && k < FR_REASON_MAX_PARAMS; k++)
            if (json_object_set_new(params, r->params[k].name, json_string(r->params[k].value))) {
                json_decref(params);
                params = NULL;
            }
        if (!params) goto oom;
        if (json_array_append_new(
                reasons, json_pack("{s:s, s:s, s:s?, s:s, s:o}", "code", r->code, "message",
                                   r->message, "ground", r->ground ? g : NULL, "level",
                                   fr_reason_level_name(r->level), "params", params)))
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
    /* days left are what an admission may use: none for a refusal */
    if (d->have_stay &&
        (json_object_set_new(o, "days_used", json_integer(d->stay.eval.days_used)) ||
         (d->outcome != FR_REFUSE &&
          json_object_set_new(o, "days_remaining", json_integer(d->stay.eval.days_remaining)))))
        goto oom;
    if (d->rule && json_object_set_new(o, "rule_ref", json_string(d->rule->ref))) goto oom;
    /* the rule's reference in Spanish where the policy gives one (ref_es=) */
    if (d->rule && d->rule->ref_es && d->rule->ref_es[0] &&
        json_object_set_new(o, "rule_ref_es", json_string(d->rule->ref_es)))
        goto oom;
    /* whose document was read: the officer checks it against the person and the data page */
    if (d->mrz.document_number[0] &&
        json_object_set_new(o, "document", fr__mrz_document_json(&d->mrz)))
        goto oom;
    return o;
oom:
    json_decref(reasons);
    json_decref(o);
    return NULL;
}

json_t *fr__mrz_document_json(const fr_mrz *m)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "issuing_state", m->issuing_state,
                     "document_number", m->document_number, "nationality", m->nationality,
                     "surname", m->surname, "given_names", m->given_names);
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

int fr__evidence_add(json_t *obj, const char *reason)
{
    fr_linkage_score sc;
    if (fr_linkage_explain_parse(reason, &sc, NULL) != FR_OK)
        return json_object_set_new(obj, "comparisons", json_null()) ||
                       json_object_set_new(obj, "weight", json_null()) ||
                       json_object_set_new(obj, "never_linked_without_review", json_null())
                   ? -1
                   : 0;
    json_t *a = json_array();
    if (!a) return -1;
    for (size_t i = 0; i < sc.n; i++)
        if (json_array_append_new(a,
                                  json_pack("{s:s, s:s, s:f}", "field", sc.items[i].field, "level",
                                            sc.items[i].level, "bits", sc.items[i].bits))) {
            json_decref(a);
            return -1;
        }
    const char *code = fr_linkage_no_link_code(sc.no_link);
    if (json_object_set_new(obj, "comparisons", a) ||
        json_object_set_new(obj, "weight", json_real(sc.bits)))
        return -1;
    return json_object_set_new(obj, "never_linked_without_review",
                               code ? json_string(code) : json_null())
               ? -1
               : 0;
}

json_t *fr__history_json(const fr_history *h)
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
    for (size_t i = 0; i < h->nreviews; i++) {
        json_t *rv = json_pack(
            "{s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)h->reviews[i].id, "document_row",
            (json_int_t)h->reviews[i].document_row, "traveller_id",
            (json_int_t)h->reviews[i].traveller_id, "candidate_traveller_id",
            (json_int_t)h->reviews[i].candidate_traveller, "reason", h->reviews[i].reason);
        if (!rv || fr__evidence_add(rv, h->reviews[i].reason) != 0) {
            json_decref(rv);
            goto oom;
        }
        if (json_array_append_new(revs, rv)) goto oom;
    }
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

/* ---- the list to act on ---- */

const char *const fr__overstayer_columns[FR_OVERSTAYER_NCOLS] = {
    "traveller_id",   "surname",          "given_names", "nationality",
    "document_state", "document_number",  "birth_date",  "entered",
    "entry_port",     "authorised_until", "days_over"};

/* The document of the entry on day `entered` (else the latest one). */
static const fr_document *entry_document(const fr_history *h, fr_date entered)
{
    int64_t row = 0;
    if (!h) return NULL;
    for (size_t i = 0; i < h->count; i++)
        if (h->items[i].kind == FR_EVENT_ENTRY && h->items[i].at.date == entered)
            row = h->items[i].document_row;
    for (size_t i = 0; i < h->ndocuments; i++)
        if (h->documents[i].row == row) return &h->documents[i].doc;
    return h->ndocuments ? &h->documents[h->ndocuments - 1].doc : NULL;
}

void fr__overstayer_values(const fr_overstayer *o, const fr_history *h,
                           char v[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX])
{
    char b[FR_DATE_BUFSZ];
    const fr_document *d = entry_document(h, o->entered);
    snprintf(v[0], sizeof v[0], "%llu", (unsigned long long)o->traveller);
    snprintf(v[1], sizeof v[1], "%s", d ? d->surname : "");
    snprintf(v[2], sizeof v[2], "%s", d ? d->given_names : "");
    snprintf(v[3], sizeof v[3], "%s", o->nationality);
    snprintf(v[4], sizeof v[4], "%s", d ? d->state : "");
    snprintf(v[5], sizeof v[5], "%s", d ? d->number : "");
    snprintf(v[6], sizeof v[6], "%s",
             d && d->birth_date != FR_DATE_NONE ? fr_date_format(d->birth_date, b) : "");
    snprintf(v[7], sizeof v[7], "%s", fr_date_format(o->entered, b));
    snprintf(v[8], sizeof v[8], "%s", o->port);
    snprintf(v[9], sizeof v[9], "%s", fr_date_format(o->until, b));
    snprintf(v[10], sizeof v[10], "%d", (int)o->days_over);
}

json_t *fr__overstayer_json(const fr_overstayer *o, const fr_history *h)
{
    char v[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX];
    fr__overstayer_values(o, h, v);
    json_t *j = json_object();
    for (size_t k = 0; j && k < FR_OVERSTAYER_NCOLS; k++) {
        json_t *x = k == 0    ? json_integer((json_int_t)o->traveller)
                    : k == 10 ? json_integer(o->days_over)
                    : v[k][0] ? json_string(v[k])
                              : json_null();
        if (!x || json_object_set_new(j, fr__overstayer_columns[k], x) != 0) {
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

int fr__csv_line_append(char **buf, size_t *len, size_t *cap, const char *const *fields, size_t n,
                        char sep)
{
    for (size_t k = 0; k < n; k++) {
        const char *s = fields[k];
        size_t need = *len + 2 * strlen(s) + 5;
        if (need > *cap) {
            size_t ncap = need * 2 > 4096 ? need * 2 : 4096;
            char *nb = fr_realloc(*buf, ncap);
            if (!nb) return FR_ENOMEM;
            *buf = nb;
            *cap = ncap;
        }
        char *o = *buf + *len;
        int quote = strchr(s, sep) || strpbrk(s, "\"\r\n") != NULL;
        if (quote) *o++ = '"';
        for (; *s; s++) {
            if (*s == '"') *o++ = '"';
            *o++ = *s;
        }
        if (quote) *o++ = '"';
        if (k + 1 < n) {
            *o++ = sep;
        } else {
            *o++ = '\r';
            *o++ = '\n';
        }
        *o = 0;
        *len = (size_t)(o - *buf);
    }
    return FR_OK;
}
