/* SPDX-License-Identifier: MIT */
/* watchlist_ftm.c: OpenSanctions FollowTheMoney entities (JSON, one per line).
 *
 * Each line is an entity {"id", "schema", "caption", "datasets": [...],
 * "properties": {"name": [...], "alias": [...], "weakAlias": [...],
 * "previousName": [...], "birthDate": ["1952", "1952-10", "1952-10-07"],
 * "nationality": ["ru"], "citizenship": [...], "passportNumber": [...],
 * "idNumber": [...], "topics": [...]}}. Every property is an array of
 * strings. Only schema "Person" is a traveller (others count as skipped);
 * countries are ISO 3166-1 alpha-2 codes in lower case. The first name is
 * the primary one, the rest are aliases. Documents are taken from
 * passportNumber (without a state: FtM does not tie a number to its issuer
 * inside the person); separate Passport entities are not joined. The list
 * is the entity's first dataset. Lines are parsed one at a time (memory
 * bounded by the longest line). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"

#define FTM_LINE_MAX (1 << 20)

/* Each string of properties[key] into field (or via nat/doc/birth). */
enum { AS_FIELD, AS_NAT, AS_DOC, AS_BIRTH };

static void props(wl_build *b, json_t *p, const char *key, int how, int field, int *first)
{
    json_t *a = json_object_get(p, key);
    size_t i;
    json_t *v;
    if (!json_is_array(a)) return;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v)) continue;
        const char *s = json_string_value(v);
        size_t l = json_string_length(v);
        if (how == AS_NAT)
            fr__wl_build_nat(b, s, l, 1);
        else if (how == AS_DOC)
            fr__wl_build_doc(b, NULL, 0, s, l, 1);
        else if (how == AS_BIRTH)
            fr__wl_build_birth(b, s, l, 0);
        else if (first && *first) {
            fr__wl_build_add(b, WL_NAME, s, l);
            *first = 0;
        } else {
            fr__wl_build_add(b, field, s, l);
        }
    }
}

static int ftm_entity(wl_sink *k, wl_build *b, json_t *o, long line)
{
    fr_error err;
    json_t *id = json_object_get(o, "id"), *schema = json_object_get(o, "schema");
    json_t *p = json_object_get(o, "properties");
    if (!json_is_object(o) || !json_is_string(id) || !json_is_string(schema) ||
        !json_is_object(p)) {
        fr_error_set(&err, FR_EPARSE, (int)line, 1, "",
                     "an FtM entity is an object with id, schema and properties");
        return fr__wl_sink_refuse(k, &err);
    }
    if (strcmp(json_string_value(schema), "Person") != 0) {
        k->counts->skipped++;
        return FR_OK;
    }
    fr__wl_build_reset(b);
    fr__wl_build_add(b, WL_ID, json_string_value(id), json_string_length(id));
    json_t *ds = json_object_get(o, "datasets");
    json_t *d0 = json_is_array(ds) ? json_array_get(ds, 0) : NULL;
    char reason[256];
    int n = snprintf(reason, sizeof reason, "OpenSanctions %s, %s",
                     json_is_string(d0) ? json_string_value(d0) : "", json_string_value(id));
    fr__wl_build_add(b, WL_REASON, reason, (size_t)(n < (int)sizeof reason ? n : 255));
    int first = 1;
    props(b, p, "name", AS_FIELD, WL_ALIASES, &first);
    if (first) {
        json_t *cap = json_object_get(o, "caption");
        if (json_is_string(cap))
            fr__wl_build_add(b, WL_NAME, json_string_value(cap), json_string_length(cap));
    }
    props(b, p, "alias", AS_FIELD, WL_ALIASES, NULL);
    props(b, p, "previousName", AS_FIELD, WL_ALIASES, NULL);
    props(b, p, "weakAlias", AS_FIELD, WL_WEAK, NULL);
    props(b, p, "birthDate", AS_BIRTH, 0, NULL);
    props(b, p, "nationality", AS_NAT, 0, NULL);
    props(b, p, "citizenship", AS_NAT, 0, NULL);
    props(b, p, "passportNumber", AS_DOC, 0, NULL);
    props(b, p, "topics", AS_FIELD, WL_REASON, NULL);
    if (!k->list_override)
        fr__wl_build_adds(b, WL_LIST, json_is_string(d0) ? json_string_value(d0) : "opensanctions");
    return fr__wl_sink_commit(k, b, line);
}

int fr__wl_import_ftm(wl_sink *k, const char *data, size_t len)
{
    wl_build *b = fr_malloc(sizeof *b);
    if (!b) return FR_ENOMEM;
    int rc = FR_OK;
    long line = 0;
    const char *p = data, *end = data + len;
    while (p < end && rc == FR_OK) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        line++;
        const char *s = p;
        size_t l = (size_t)(e - p);
        p = e + 1;
        while (l && (s[l - 1] == '\r' || s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        if (!l) continue;
        fr_error err;
        if (l > FTM_LINE_MAX) {
            fr_error_set(&err, FR_ELIMIT, (int)line, 1, "", "the line is longer than %d bytes",
                         FTM_LINE_MAX);
            rc = fr__wl_sink_refuse(k, &err);
            continue;
        }
        json_error_t jerr;
        json_t *o = json_loadb(s, l, JSON_REJECT_DUPLICATES, &jerr);
        if (!o) {
            fr_error_set(&err, FR_EPARSE, (int)line, jerr.column > 0 ? jerr.column : 1, "",
                         "bad JSON: %s", jerr.text);
            rc = fr__wl_sink_refuse(k, &err);
            continue;
        }
        rc = ftm_entity(k, b, o, line);
        json_decref(o);
    }
    fr_free(b);
    return rc;
}
