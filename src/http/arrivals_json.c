/* SPDX-License-Identifier: MIT */
/* arrivals_json.c: the JSON views of recorded manifests and of the
 * reconciliation report (views.h), shared by `frontera manifest` and the
 * server. A flight is (flight, post, arrival date): the persons of every
 * manifest recorded for it, a person announced twice shown once. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "views.h"

json_t *fr__arrivals_recorded_json(const fr_arrivals_recorded *rec)
{
    return json_pack("{s:I, s:b, s:I}", "id", (json_int_t)rec->id, "replay", rec->replay, "persons",
                     (json_int_t)rec->persons);
}

static int same_flight(const fr_manifest_expected *a, const fr_manifest_expected *b)
{
    return strcmp(a->flight, b->flight) == 0 && strcmp(a->port, b->port) == 0 &&
           a->arrival.date == b->arrival.date;
}

static json_t *document_json(const char *state, const char *number)
{
    return json_pack("{s:s, s:s}", "state", state, "number", number);
}

static json_t *person_json(const fr_arrivals_recon *r, size_t i)
{
    const fr_manifest_expected *p = &r->persons[i];
    const fr_manifest_match *m = &r->match[i];
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "role", fr_paxlst_role_name(p->role), "surname",
        p->surname, "given_names", p->given_names, "nationality", p->nationality, "document",
        document_json(p->doc_state, p->doc_number), "embarkation", p->embarkation, "answer",
        fr_manifest_answer_name(p->answer), "outcome", fr_manifest_outcome_name(m->outcome));
    if (o)
        json_object_set_new(
            o, "event_id", m->event >= 0 ? json_string(r->events[m->event].event_id) : json_null());
    return o;
}

static json_t *unannounced_json(const fr_event *e)
{
    char at[FR_DATETIME_BUFSZ];
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "event_id", e->event_id, "at",
                     fr_datetime_format(&e->at, at), "surname", e->doc.surname, "given_names",
                     e->doc.given_names, "nationality", e->doc.nationality, "document",
                     document_json(e->doc.state, e->doc.number));
}

/* The object of the flight of person `first` (its first person in r). */
static json_t *flight_json(const fr_arrivals_recon *r, size_t first, unsigned char *done)
{
    const fr_manifest_expected *f = &r->persons[first];
    char at[FR_PAXLST_TIME_BUFSZ];
    json_t *persons = json_array(), *unann = json_array(), *ids = json_array();
    json_int_t n[FR_RECON_NOUTCOMES] = {0}, announced = 0;
    int64_t last_id = -1;
    for (size_t i = first; i < r->npersons; i++) {
        if (!same_flight(&r->persons[i], f)) continue;
        done[i] = 1;
        if (r->persons[i].manifest_id != last_id) {
            int seen = 0;
            for (size_t k = 0; k < json_array_size(ids); k++)
                seen |= json_integer_value(json_array_get(ids, k)) == r->persons[i].manifest_id;
            if (!seen) json_array_append_new(ids, json_integer(r->persons[i].manifest_id));
            last_id = r->persons[i].manifest_id;
        }
        if (r->match[i].same_as >= 0) continue;
        announced++;
        n[r->match[i].outcome]++;
        json_array_append_new(persons, person_json(r, i));
    }
    for (size_t e = 0; e < r->nevents; e++)
        if (r->event_flight[e] >= 0 && same_flight(&r->persons[r->event_flight[e]], f))
            json_array_append_new(unann, unannounced_json(&r->events[e]));
    json_t *counts =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "announced", announced, "entered",
                  n[FR_RECON_ENTERED], "refused", n[FR_RECON_REFUSED], "not_presented",
                  n[FR_RECON_NOT_PRESENTED], "transit_entered", n[FR_RECON_TRANSIT_ENTERED],
                  "transit_continued", n[FR_RECON_TRANSIT_CONTINUED], "unannounced",
                  (json_int_t)json_array_size(unann));
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "flight", f->flight, "port", f->port,
                     "arrival", fr_paxlst_time_format(&f->arrival, at), "manifests", ids, "counts",
                     counts, "persons", persons, "unannounced", unann);
}

json_t *fr__reconciliation_json(const fr_arrivals_recon *r, const char *flight)
{
    json_t *a = json_array();
    unsigned char *done = fr_calloc(r->npersons ? r->npersons : 1, 1);
    if (!a || !done) goto fail;
    for (size_t i = 0; i < r->npersons; i++) {
        const fr_manifest_expected *p = &r->persons[i];
        if (done[i] || p->arrival.date < r->from || p->arrival.date > r->to) continue;
        if (flight && strcmp(p->flight, flight) != 0) continue;
        json_t *o = flight_json(r, i, done);
        if (!o || json_array_append_new(a, o) != 0) goto fail;
    }
    fr_free(done);
    return a;
fail:
    fr_free(done);
    json_decref(a);
    return NULL;
}
