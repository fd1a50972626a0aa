/* SPDX-License-Identifier: MIT */
/* event_json.c: an event to JSON and back (event_json.h). The writer puts
 * every field that is set, the reader refuses unknown members and checks
 * each member's type and length; the ledger (fr_store_record) checks the
 * rest, so an event read here is recorded or refused by the same rules as
 * one read from CSV. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "event_json.h"

static const char *const EVENT_MEMBERS[] = {"event_id",
                                            "kind",
                                            "at",
                                            "port",
                                            "document_type",
                                            "document_state",
                                            "document_number",
                                            "document_expiry",
                                            "surname",
                                            "given_names",
                                            "nationality",
                                            "birth_date",
                                            "sex",
                                            "admission_class",
                                            "authorised_until",
                                            "decision",
                                            "reasons",
                                            NULL};

static const char *unknown_member(json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (size_t i = 0; EVENT_MEMBERS[i] && !ok; i++)
            ok = strcmp(EVENT_MEMBERS[i], key) == 0;
        if (!ok) return key;
    }
    return NULL;
}
static int get_str(json_t *j, const char *name, char *dst, size_t cap, int required, fr_error *err)
{
    json_t *v = json_object_get(j, name);
    dst[0] = 0;
    if (!v || json_is_null(v)) {
        return required ? fr_error_set(err, FR_EINVAL, 0, 0, name, "%s is required", name) : FR_OK;
    }
    if (!json_is_string(v))
        return fr_error_set(err, FR_EINVAL, 0, 0, name, "%s must be a string", name);
    if (json_string_length(v) >= cap)
        return fr_error_set(err, FR_EINVAL, 0, 0, name, "%s is longer than %zu characters", name,
                            cap - 1);
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return FR_OK;
}

static int get_date(json_t *j, const char *name, fr_date *d, fr_error *err)
{
    char b[32];
    int rc = get_str(j, name, b, sizeof b, 0, err);
    *d = FR_DATE_NONE;
    if (rc != FR_OK || !b[0]) return rc;
    if (fr_date_parse(b, strlen(b), d, err) != FR_OK) {
        snprintf(err->field, sizeof err->field, "%s", name);
        return FR_EINVAL;
    }
    return FR_OK;
}

int fr__event_from_json(json_t *j, const char *officer, fr_event *ev, char **reasons, fr_error *err)
{
    char kind[24], at[48], sex[4];
    int rc;
    fr_event_init(ev);
    *reasons = NULL;
    if (!json_is_object(j))
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "an event must be a JSON object");
    const char *unknown = unknown_member(j);
    if (unknown)
        return fr_error_set(err, FR_EINVAL, 0, 0, unknown, "unknown member '%.40s'", unknown);
    if ((rc = get_str(j, "event_id", ev->event_id, sizeof ev->event_id, 1, err)) != FR_OK ||
        (rc = get_str(j, "kind", kind, sizeof kind, 1, err)) != FR_OK ||
        (rc = get_str(j, "at", at, sizeof at, 1, err)) != FR_OK ||
        (rc = get_str(j, "port", ev->port, sizeof ev->port, 1, err)) != FR_OK ||
        (rc = get_str(j, "document_type", ev->doc.type, sizeof ev->doc.type, 0, err)) != FR_OK ||
        (rc = get_str(j, "document_state", ev->doc.state, sizeof ev->doc.state, 1, err)) != FR_OK ||
        (rc = get_str(j, "document_number", ev->doc.number, sizeof ev->doc.number, 1, err)) !=
            FR_OK ||
        (rc = get_date(j, "document_expiry", &ev->doc.expiry, err)) != FR_OK ||
        (rc = get_str(j, "surname", ev->doc.surname, sizeof ev->doc.surname, 0, err)) != FR_OK ||
        (rc = get_str(j, "given_names", ev->doc.given_names, sizeof ev->doc.given_names, 0, err)) !=
            FR_OK ||
        (rc = get_str(j, "nationality", ev->doc.nationality, sizeof ev->doc.nationality, 0, err)) !=
            FR_OK ||
        (rc = get_date(j, "birth_date", &ev->doc.birth_date, err)) != FR_OK ||
        (rc = get_str(j, "sex", sex, sizeof sex, 0, err)) != FR_OK ||
        (rc = get_str(j, "admission_class", ev->admission_class, sizeof ev->admission_class, 0,
                      err)) != FR_OK ||
        (rc = get_date(j, "authorised_until", &ev->authorised_until, err)) != FR_OK ||
        (rc = get_str(j, "decision", ev->decision, sizeof ev->decision, 0, err)) != FR_OK)
        return rc;
    ev->kind = fr_event_kind_parse(kind, strlen(kind));
    if (ev->kind == FR_EVENT_NONE)
        return fr_error_set(err, FR_EINVAL, 0, 0, "kind",
                            "kind must be entry, exit, refusal, encounter or extension");
    if (fr_datetime_parse_cstr(at, &ev->at, err) != FR_OK) {
        snprintf(err->field, sizeof err->field, "at");
        return FR_EINVAL;
    }
    if (strlen(sex) > 1) return fr_error_set(err, FR_EINVAL, 0, 0, "sex", "sex is M, F or X");
    ev->doc.sex = sex[0];
    snprintf(ev->officer, sizeof ev->officer, "%s", officer);
    json_t *rs = json_object_get(j, "reasons");
    if (rs && !json_is_null(rs)) {
        if (!json_is_array(rs) && !json_is_object(rs))
            return fr_error_set(err, FR_EINVAL, 0, 0, "reasons",
                                "reasons must be a JSON array or object");
        size_t need = json_dumpb(rs, NULL, 0, JSON_COMPACT);
        if (need == 0 || need > FR_REASONS_MAX)
            return fr_error_set(err, FR_EINVAL, 0, 0, "reasons", "reasons hold at most %d bytes",
                                FR_REASONS_MAX);
        char *b = fr_malloc(need + 1);
        if (!b) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        json_dumpb(rs, b, need, JSON_COMPACT);
        b[need] = 0;
        *reasons = b;
        ev->reasons_json = b;
    }
    return FR_OK;
}

static void set_str(json_t *o, const char *name, const char *v)
{
    if (v && v[0]) json_object_set_new(o, name, json_string(v));
}

static void set_date(json_t *o, const char *name, fr_date d)
{
    char b[FR_DATE_BUFSZ];
    if (d != FR_DATE_NONE) json_object_set_new(o, name, json_string(fr_date_format(d, b)));
}

json_t *fr__event_json(const fr_event *ev)
{
    char at[FR_DATETIME_BUFSZ], sex[2] = {ev->doc.sex, 0};
    json_t *o = json_object();
    if (!o) return NULL;
    set_str(o, "event_id", ev->event_id);
    set_str(o, "kind", fr_event_kind_name(ev->kind));
    set_str(o, "at", fr_datetime_format(&ev->at, at));
    set_str(o, "port", ev->port);
    set_str(o, "document_type", ev->doc.type);
    set_str(o, "document_state", ev->doc.state);
    set_str(o, "document_number", ev->doc.number);
    set_date(o, "document_expiry", ev->doc.expiry);
    set_str(o, "surname", ev->doc.surname);
    set_str(o, "given_names", ev->doc.given_names);
    set_str(o, "nationality", ev->doc.nationality);
    set_date(o, "birth_date", ev->doc.birth_date);
    set_str(o, "sex", sex);
    set_str(o, "admission_class", ev->admission_class);
    set_date(o, "authorised_until", ev->authorised_until);
    set_str(o, "decision", ev->decision);
    set_str(o, "officer", ev->officer);
    if (ev->reasons_json && ev->reasons_json[0]) {
        json_t *r = json_loads(ev->reasons_json, JSON_DECODE_ANY, NULL);
        if (!r) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "reasons", r);
    }
    return o;
}
