/* SPDX-License-Identifier: MIT */
/* manifest_json.c: the JSON view of pre-arrival answers (views.h), shared
 * by `frontera manifest check` and POST /v1/manifests. */
#include <string.h>

#include "views.h"

static json_t *reasons_json(const fr_manifest_verdict *v)
{
    json_t *a = json_array();
    if (!v->decided) {
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", "manifest.document", "level",
                                           "refer", "message", v->problem));
        return a;
    }
    for (size_t i = 0; i < v->decision.nreasons; i++) {
        const fr_admit_reason *x = &v->decision.reasons[i];
        json_t *params = json_object();
        for (size_t k = 0; params && k < x->nparams && k < FR_REASON_MAX_PARAMS; k++)
            json_object_set_new(params, x->params[k].name, json_string(x->params[k].value));
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o*}", "code", x->code, "level",
                                           fr_reason_level_name(x->level), "message", x->message,
                                           "params", params));
    }
    return a;
}

static json_t *findings_json(const fr_paxlst_message *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->nfindings; i++) {
        const fr_paxlst_finding *f = &m->findings[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:i, s:i, s:s}", "code", f->code,
                                           "severity", fr_paxlst_severity_name(f->severity),
                                           "segment", (json_int_t)f->segment, "line", f->line,
                                           "column", f->column, "message", f->message));
    }
    return a;
}

json_t *fr__manifest_json(const char *file, const fr_paxlst_message *m, const char *port,
                          const fr_manifest_verdict *v)
{
    const fr_paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
    json_t *o = json_object();
    if (!o) return NULL;
    if (file) json_object_set_new(o, "file", json_string(file));
    json_object_set_new(o, "valid", json_boolean(m->valid));
    json_object_set_new(o, "findings", findings_json(m));
    json_object_set_new(o, "flight",
                        last && last->flight[0] ? json_string(last->flight) : json_null());
    char tb[FR_PAXLST_TIME_BUFSZ];
    json_object_set_new(o, "arrival",
                        last && last->arrival.date != FR_DATE_NONE
                            ? json_string(fr_paxlst_time_format(&last->arrival, tb))
                            : json_null());
    json_object_set_new(o, "port", port && port[0] ? json_string(port) : json_null());
    json_t *ps = json_array();
    for (size_t i = 0; v && i < m->npersons; i++) {
        const fr_paxlst_person *p = &m->persons[i];
        json_t *jp = json_object();
        json_object_set_new(jp, "index", json_integer((json_int_t)i));
        json_object_set_new(jp, "role", json_string(fr_paxlst_role_name(p->role)));
        json_object_set_new(jp, "surname", json_string(p->surname));
        json_object_set_new(jp, "given_names", json_string(p->given_names));
        json_object_set_new(jp, "nationality", json_string(p->nationality));
        json_object_set_new(jp, "document",
                            v[i].decided ? json_string(v[i].decision.mrz.document_number)
                                         : json_null());
        json_object_set_new(jp, "answer", json_string(fr_manifest_answer_name(v[i].answer)));
        json_object_set_new(jp, "reasons", reasons_json(&v[i]));
        json_array_append_new(ps, jp);
    }
    json_object_set_new(o, "persons", ps);
    if ((!port || !port[0]) && !m->valid && !m->nlegs) /* the leg was never read: say why */
        json_object_set_new(o, "problem",
                            json_string("The manifest could not be read (see findings): no flight "
                                        "leg was read, so there is no arrival port and nobody was "
                                        "checked."));
    else if (!port || !port[0])
        json_object_set_new(o, "problem",
                            json_string("No arrival port: give one, or send a manifest whose last "
                                        "leg names a three-letter arrival airport."));
    return o;
}
