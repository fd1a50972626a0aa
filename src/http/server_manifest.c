/* SPDX-License-Identifier: MIT */
/* server_manifest.c: POST /v1/manifests, pre-arrival checks for a carrier.
 *
 * The body is {"paxlst": "<the EDIFACT text>", "port": "ECUIO" (optional:
 * else "country" (default EC) and the last leg's arrival airport),
 * "lenient": false, "record": false}. The answer is {"messages": [...]},
 * one element per PAXLST message in the view of views.h (fr__manifest_json):
 * the reader's findings and, per person, board / no-board / check with
 * reasons; with "record": true each message with persons is also kept as
 * expected arrivals (arrivals.h) and gets "recorded": {id, replay, persons}
 * (a message recorded before is a replay; another message under its key is
 * 409, after the messages before it were recorded: sending again is safe).
 * The decisions read travellers' histories, so the request is audited
 * (action manifest.check or manifest.record: the flight and the counts of
 * each answer, no names).
 *
 * GET /v1/manifests/reconciliation?date=D (or from=D&to=D, at most 31
 * days; port=LOCODE, flight=F optional): {"flights": [...]} in the view of
 * fr__reconciliation_json, audited as manifest.reconcile. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"
#include "server_internal.h"
#include "views.h"

#define MANIFEST_TEXT_MAX (4u << 20)

static const char *const MANIFEST_MEMBERS[] = {"paxlst",  "port",   "country",
                                               "lenient", "record", NULL};

/* The recorded manifests of c, opened on first use. */
static int ctx_arrivals(fr_server *s, srv_ctx *c, fr_error *err)
{
    return c->arrivals ? FR_OK : fr_arrivals_open(s->db_path, &c->arrivals, err);
}

enum MHD_Result fr__srv_manifests(srv_req *r)
{
    enum MHD_Result ret;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    const char *unknown = fr__srv_unknown_member(j, MANIFEST_MEMBERS);
    json_t *text = json_object_get(j, "paxlst"), *port = json_object_get(j, "port"),
           *country = json_object_get(j, "country"), *lenient = json_object_get(j, "lenient"),
           *record = json_object_get(j, "record");
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
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
    else if (record && !json_is_boolean(record))
        bad = "record";
    if (bad) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", bad, NULL,
                              "paxlst must be the PAXLST text (at most 4 MB), port a UN/LOCODE of "
                              "five letters, country two letters, lenient and record true or "
                              "false");
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
        return fr__srv_problem_err(r, &err);
    }
    fr_server *s = r->srv;
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) {
        fr_paxlst_free(pax);
        json_decref(j);
        return fr__srv_problem_err(r, &err);
    }
    srv_policy *pol = fr__srv_policy_acquire(s);
    srv_lists *lists = fr__srv_lists_acquire(s);
    fr_error lerr; /* no usable context: c->screen NULL, and the booth refers */
    (void)fr__srv_lists_ctx(c, lists, &lerr);
    fr_booth_env env = {pol->policy, c->store, c->screen, lists->idx != NULL || lists->docs != NULL,
                        NULL};
    json_t *msgs = json_array();
    size_t count[3] = {0, 0, 0}, recorded = 0;
    char flight[24] = "-";
    int rec = json_is_true(record), refused = 0; /* refused: a message could not be recorded */
    ret = MHD_NO;
    if (rec && ctx_arrivals(s, c, &err) != FR_OK) {
        ret = fr__srv_problem_err(r, &err);
        json_decref(msgs);
        msgs = NULL;
    }
    for (size_t i = 0; msgs && i < pax->nmessages; i++) {
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
            ret = fr__srv_problem_err(r, &err);
            json_decref(msgs);
            msgs = NULL;
            break;
        }
        for (size_t k = 0; v && k < m->npersons; k++)
            count[v[k].answer]++;
        json_t *o = fr__manifest_json(NULL, m, at, v);
        if (rec && o) {
            fr_arrivals_recorded done;
            if (!m->npersons || !at[0]) {
                json_object_set_new(o, "recorded", json_null());
            } else if (fr_arrivals_record(c->arrivals, m, at, v, fr__srv_now_ms(s), &done, &err) !=
                       FR_OK) {
                /* answered after the audit entry below: the messages before it are stored */
                fr_free(v);
                json_decref(o);
                json_decref(msgs);
                msgs = NULL;
                refused = 1;
                break;
            } else {
                recorded += !done.replay;
                json_object_set_new(o, "recorded", fr__arrivals_recorded_json(&done));
            }
        }
        json_array_append_new(msgs, o);
        fr_free(v);
    }
    fr__srv_lists_release(lists);
    fr__srv_policy_release(pol);
    fr__srv_ctx_release(s, c);
    if (refused) {
        char object[FR_AUDIT_OBJECT_MAX + 1], detail[128];
        snprintf(object, sizeof object, "manifest:%s messages:%zu", flight, pax->nmessages);
        snprintf(detail, sizeof detail, "not recorded (%s); %zu message(s) before it recorded",
                 fr_status_name(err.code), recorded);
        fr_audit_record arec;
        fr__srv_audit_record_for(r, &arec, "manifest.record", object,
                                 err.code == FR_ECONFLICT ? 409
                                 : err.code == FR_EINVAL  ? 422
                                                          : 500,
                                 detail);
        ret = fr__srv_audit_write(s, &arec, 1) != FR_OK
                  ? fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                    "the audit entry could not be written")
                  : fr__srv_problem_err(r, &err);
    }
    if (msgs) {
        char object[FR_AUDIT_OBJECT_MAX + 1], detail[128];
        snprintf(object, sizeof object, "manifest:%s messages:%zu", flight, pax->nmessages);
        snprintf(detail, sizeof detail, "board %zu, no-board %zu, check %zu%s",
                 count[FR_MANIFEST_BOARD], count[FR_MANIFEST_NO_BOARD], count[FR_MANIFEST_CHECK],
                 rec ? (recorded ? ", recorded" : ", already recorded") : "");
        fr_audit_record arec;
        fr__srv_audit_record_for(r, &arec, rec ? "manifest.record" : "manifest.check", object, 200,
                                 detail);
        if (fr__srv_audit_write(s, &arec, 1) != FR_OK) {
            json_decref(msgs);
            ret = fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                  "the audit entry could not be written; no answer given");
        } else {
            ret = fr__srv_send_json(r, 200, json_pack("{s:o}", "messages", msgs));
        }
    }
    fr_paxlst_free(pax);
    json_decref(j);
    return ret;
}

/* A query date (YYYY-MM-DD) or FR_DATE_NONE when absent; -1 when malformed. */
static int query_date(srv_req *r, const char *name, fr_date *out)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    *out = FR_DATE_NONE;
    if (!v || !*v) return 0;
    return fr_date_parse(v, strlen(v), out, NULL) == FR_OK ? 0 : -1;
}

enum MHD_Result fr__srv_reconciliation(srv_req *r)
{
    fr_server *s = r->srv;
    static const char *const known[] = {"date", "from", "to", "port", "flight", NULL};
    const char *unknown = fr__srv_unknown_arg(r, known);
    if (unknown)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                               "unknown parameter '%.48s': date, from, to, port, flight", unknown);
    fr_date day, from, to;
    const char *port = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "port"),
               *flight = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "flight");
    fr_error err;
    fr_error_clear(&err);
    const char *bad = NULL;
    if (query_date(r, "date", &day) != 0)
        bad = "date";
    else if (query_date(r, "from", &from) != 0)
        bad = "from";
    else if (query_date(r, "to", &to) != 0)
        bad = "to";
    else if (port && fr_event_check_port(port, NULL) != FR_OK)
        bad = "port";
    else if (flight && (!*flight || strlen(flight) > 23))
        bad = "flight";
    if (!bad && day != FR_DATE_NONE) {
        if (from != FR_DATE_NONE || to != FR_DATE_NONE)
            bad = "date";
        else
            from = to = day;
    }
    if (!bad && (from == FR_DATE_NONE || to == FR_DATE_NONE)) bad = "date";
    if (bad)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", bad, NULL,
                               "give date=YYYY-MM-DD, or from and to (dates); port a UN/LOCODE; "
                               "flight as the manifest names it");
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    fr_arrivals_recon *rc = NULL;
    json_t *flights = NULL;
    int e = ctx_arrivals(s, c, &err);
    if (e == FR_OK) e = fr_arrivals_reconcile(c->arrivals, c->store, from, to, port, &rc, &err);
    if (e == FR_OK && !(flights = fr__reconciliation_json(rc, flight)))
        e = fr_error_set(&err, FR_ENOMEM, 0, 0, "", "out of memory");
    fr__srv_ctx_release(s, c);
    fr_arrivals_recon_free(rc);
    if (e != FR_OK) return fr__srv_problem_err(r, &err);
    json_int_t n[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < json_array_size(flights); i++) {
        json_t *k = json_object_get(json_array_get(flights, i), "counts");
        n[0] += json_integer_value(json_object_get(k, "announced"));
        n[1] += json_integer_value(json_object_get(k, "not_presented"));
        n[2] += json_integer_value(json_object_get(k, "transit_entered"));
        n[3] += json_integer_value(json_object_get(k, "unannounced"));
    }
    char object[FR_AUDIT_OBJECT_MAX + 1], detail[160], a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ];
    snprintf(object, sizeof object, "reconciliation:%s..%s%s%.8s%s%.23s", fr_date_format(from, a),
             fr_date_format(to, b), port ? " port:" : "", port ? port : "",
             flight ? " flight:" : "", flight ? flight : "");
    snprintf(detail, sizeof detail,
             "flights %zu, announced %lld, not presented %lld, transit entered %lld, "
             "unannounced %lld",
             json_array_size(flights), (long long)n[0], (long long)n[1], (long long)n[2],
             (long long)n[3]);
    /* an analyst reads aggregates, never a person: the counts of each flight,
     * without its persons and unannounced entries (names, documents) */
    int counts_only = r->user.role == FR_ROLE_ANALYST;
    for (size_t i = 0; counts_only && i < json_array_size(flights); i++) {
        json_t *f = json_array_get(flights, i);
        json_object_del(f, "persons");
        json_object_del(f, "unannounced");
    }
    fr_audit_record arec;
    fr__srv_audit_record_for(r, &arec, "manifest.reconcile", object, 200, detail);
    if (fr__srv_audit_write(s, &arec, 1) != FR_OK) {
        json_decref(flights);
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the audit entry could not be written; no answer given");
    }
    return fr__srv_send_json(
        r, 200, json_pack("{s:o, s:b}", "flights", flights, "persons_shown", !counts_only));
}
