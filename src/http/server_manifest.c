/* SPDX-License-Identifier: MIT */
/* server_manifest.c: POST /v1/manifests, pre-arrival checks for a carrier.
 *
 * The body is {"paxlst": "<the EDIFACT text>", "port": "ECUIO" (optional:
 * else "country" (default EC) and the last leg's arrival airport),
 * "lenient": false}. The answer is {"messages": [...]}, one element per
 * PAXLST message in the view of views.h (fr_manifest_json): the reader's
 * findings and, per person, board / no-board / check with reasons. The
 * decisions read travellers' histories, so the request is audited (action
 * manifest.check: the flight and the counts of each answer, no names). */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"
#include "server_internal.h"
#include "views.h"

#define MANIFEST_TEXT_MAX (4u << 20)

static const char *const MANIFEST_MEMBERS[] = {"paxlst", "port", "country", "lenient", NULL};

enum MHD_Result srv_manifests(srv_req *r)
{
    enum MHD_Result ret;
    json_t *j = srv_body_json(r, &ret);
    if (!j) return ret;
    const char *unknown = srv_unknown_member(j, MANIFEST_MEMBERS);
    json_t *text = json_object_get(j, "paxlst"), *port = json_object_get(j, "port"),
           *country = json_object_get(j, "country"), *lenient = json_object_get(j, "lenient");
    if (unknown) {
        ret = srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                          "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
        json_decref(j);
        return ret;
    }
    const char *bad = NULL;
    if (!json_is_string(text) || json_string_length(text) > MANIFEST_TEXT_MAX)
        bad = "paxlst";
    else if (port && !json_is_null(port) &&
             (!json_is_string(port) || json_string_length(port) != 5))
        bad = "port";
    else if (country && !json_is_null(country) &&
             (!json_is_string(country) || json_string_length(country) != 2))
        bad = "country";
    else if (lenient && !json_is_boolean(lenient))
        bad = "lenient";
    if (bad) {
        ret = srv_problem(r, 422, "invalid", "Invalid request", bad, NULL,
                          "paxlst must be the PAXLST text (at most 4 MB), port a UN/LOCODE of "
                          "five letters, country two letters, lenient true or false");
        json_decref(j);
        return ret;
    }
    fr_paxlst_options popt = {json_is_true(lenient), 0, 0};
    fr_paxlst *pax = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (fr_paxlst_read(json_string_value(text), json_string_length(text), &popt, &pax, &err) !=
        FR_OK) {
        json_decref(j);
        return srv_problem_err(r, &err);
    }
    fr_server *s = r->srv;
    srv_ctx *c = srv_ctx_acquire(s, &err);
    if (!c) {
        fr_paxlst_free(pax);
        json_decref(j);
        return srv_problem_err(r, &err);
    }
    srv_policy *pol = srv_policy_acquire(s);
    fr_booth_env env = {pol->policy, c->store, c->screen,
                        s->cfg.screen != NULL || s->cfg.lost_docs != NULL, NULL};
    json_t *msgs = json_array();
    size_t count[3] = {0, 0, 0};
    char flight[24] = "-";
    ret = MHD_NO;
    for (size_t i = 0; i < pax->nmessages; i++) {
        const fr_paxlst_message *m = &pax->messages[i];
        const fr_paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
        char at[8] = "";
        if (json_is_string(port))
            snprintf(at, sizeof at, "%s", json_string_value(port));
        else if (last)
            fr_manifest_port(json_is_string(country) ? json_string_value(country) : "EC", last->to,
                             at);
        if (last && last->flight[0]) snprintf(flight, sizeof flight, "%s", last->flight);
        fr_manifest_verdict *v = NULL;
        if (at[0] && m->npersons && fr_manifest_check(&env, m, at, &v, &err) != FR_OK) {
            ret = srv_problem_err(r, &err);
            json_decref(msgs);
            msgs = NULL;
            break;
        }
        for (size_t k = 0; v && k < m->npersons; k++)
            count[v[k].answer]++;
        json_array_append_new(msgs, fr_manifest_json(NULL, m, at, v));
        fr_free(v);
    }
    srv_policy_release(pol);
    srv_ctx_release(s, c);
    if (msgs) {
        char object[FR_AUDIT_OBJECT_MAX + 1], detail[128];
        snprintf(object, sizeof object, "manifest:%s messages:%zu", flight, pax->nmessages);
        snprintf(detail, sizeof detail, "board %zu, no-board %zu, check %zu",
                 count[FR_MANIFEST_BOARD], count[FR_MANIFEST_NO_BOARD], count[FR_MANIFEST_CHECK]);
        fr_audit_record rec;
        srv_audit_record_for(r, &rec, "manifest.check", object, 200, detail);
        if (srv_audit_write(s, &rec, 1) != FR_OK) {
            json_decref(msgs);
            ret = srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                              "the audit entry could not be written; no answer given");
        } else {
            ret = srv_send_json(r, 200, json_pack("{s:o}", "messages", msgs));
        }
    }
    fr_paxlst_free(pax);
    json_decref(j);
    return ret;
}
