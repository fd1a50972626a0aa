/* SPDX-License-Identifier: MIT */
/* server_reviews.c: the supervisor's side of document linking over HTTP.
 *
 *   GET  /v1/reviews                  open link reviews (?status=all: closed too)
 *   GET  /v1/reviews/{id}             one review with its evidence and the two
 *                                     travellers' records side by side
 *   POST /v1/reviews/{id}/resolve     {"decision": "link"|"distinct", "note"}
 *   POST /v1/travellers/{id}/split    {"document": "STATE:NUMBER", "note"}
 *
 * A review holds personal data (names, document numbers, birth dates in the
 * evidence), and its answer re-links people's crossings, so only roles with
 * FR_PERM_REVIEW (supervisors) get here; a refusal by role is audited in
 * server.c before this file is reached. Every access is audited here before
 * the answer is sent: a list as review.list, a read as review.read and a
 * traveller.read of each traveller shown (so the traveller's "who looked"
 * lists it), a decision as review.link / review.distinct, a split as
 * traveller.split - found or not, done or refused. The decision itself is
 * also written by the store to the ledger's link audit (who, when, note).
 * A merge or a split changes which traveller events belong to, so the
 * report index is marked stale. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "server_internal.h"
#include "views.h"

#define NOTE_MAX 400

static json_t *review_json(const fr_link_review *v)
{
    char doc[32];
    snprintf(doc, sizeof doc, "%s:%s", v->doc_state, v->doc_number);
    json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:f, s:s, s:s}", "id", (json_int_t)v->id,
                          "document", doc, "traveller_id", (json_int_t)v->traveller_id,
                          "candidate_traveller_id", (json_int_t)v->candidate_id, "bits", v->bits,
                          "status", v->status, "evidence", v->reason);
    if (o && fr__evidence_add(o, v->reason) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The review id in the path: a positive number, else 0. */
static int64_t review_id(const char *p)
{
    char *end;
    long long v = strtoll(p, &end, 10);
    return (!p[0] || *end || v <= 0) ? 0 : v;
}

/* Audit before answering, one entry per object (each traveller touched, so
 * that its record's "who looked" lists it), in one commit: on failure the
 * answer is a 500 and nothing is shown. */
static int audit(srv_req *r, const char *action, char objects[][FR_AUDIT_OBJECT_MAX + 1], size_t n,
                 unsigned status, const char *detail)
{
    fr_audit_record rec[2];
    for (size_t i = 0; i < n && i < 2; i++)
        fr__srv_audit_record_for(r, &rec[i], action, objects[i], status, detail);
    return fr__srv_audit_write(r->srv, rec, n < 2 ? n : 2);
}

static enum MHD_Result audit_failed(srv_req *r, int done)
{
    if (done)
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the decision was made but its audit entry could not be written; "
                               "do not repeat it");
    return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                           "the access could not be audited, so nothing is shown");
}

enum MHD_Result fr__srv_reviews_list(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    static const char *const known[] = {"status", NULL};
    const char *unknown = fr__srv_unknown_arg(r, known);
    if (unknown) return fr__srv_unknown_arg_problem(r, unknown);
    const char *st = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "status");
    if (st && strcmp(st, "open") != 0 && strcmp(st, "all") != 0)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "status", NULL,
                               "status is open (the default) or all");
    int open_only = !st || strcmp(st, "open") == 0;
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    fr_link_review *v = NULL;
    size_t n = 0;
    enum MHD_Result ret;
    int rc = fr_store_reviews(c->store, open_only, &v, &n, &err);
    fr__srv_ctx_release(s, c);
    if (rc != FR_OK) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    char object[1][FR_AUDIT_OBJECT_MAX + 1];
    snprintf(object[0], sizeof object[0], "%s", open_only ? "reviews:open" : "reviews:all");
    if (audit(r, "review.list", object, 1, 200, NULL) != FR_OK) {
        ret = audit_failed(r, 0);
        goto done;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, review_json(&v[i]));
    ret = fr__srv_send_json(r, 200, json_pack("{s:o}", "reviews", a));
done:
    fr_free(v);
    return ret;
}

/* Find review id among all of them (*out), FR_ENOTFOUND when absent. */
static int find_review(fr_store *st, int64_t id, fr_link_review *out, fr_error *err)
{
    fr_link_review *v = NULL;
    size_t n = 0;
    int rc = fr_store_reviews(st, 0, &v, &n, err);
    if (rc != FR_OK) return rc;
    rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "id", "no such review");
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id) {
            *out = v[i];
            fr_error_clear(err);
            rc = FR_OK;
            break;
        }
    fr_free(v);
    return rc;
}

/* The traveller's record for the review page; json null when it is gone
 * (a traveller merged into another by an earlier decision). */
static json_t *record_of(fr_store *st, int64_t tid, fr_error *err, int *rc)
{
    fr_history *h = NULL;
    *rc = fr_store_history(st, tid, &h, err);
    if (*rc == FR_ENOTFOUND) {
        *rc = FR_OK;
        fr_error_clear(err);
        return json_null();
    }
    if (*rc != FR_OK) return NULL;
    json_t *j = fr__history_json(h);
    fr_history_free(h);
    return j;
}

enum MHD_Result fr__srv_review_get(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    int64_t id = review_id(r->param);
    char object[FR_AUDIT_OBJECT_MAX + 1];
    snprintf(object, sizeof object, "review:%.60s", r->param);
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    fr_link_review v;
    json_t *mine = NULL, *cand = NULL;
    enum MHD_Result ret;
    int rc = id ? find_review(c->store, id, &v, &err)
                : fr_error_set(&err, FR_ENOTFOUND, 0, 0, "id", "a review id is a positive number");
    if (rc == FR_OK) mine = record_of(c->store, v.traveller_id, &err, &rc);
    if (rc == FR_OK) cand = record_of(c->store, v.candidate_id, &err, &rc);
    fr__srv_ctx_release(s, c);
    if (rc != FR_OK && rc != FR_ENOTFOUND) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    /* the review and each traveller shown: three entries, one commit */
    fr_audit_record rec[3];
    char t1[FR_AUDIT_OBJECT_MAX + 1], t2[FR_AUDIT_OBJECT_MAX + 1];
    size_t nrec = 1;
    fr__srv_audit_record_for(r, &rec[0], "review.read", object, rc == FR_OK ? 200 : 404, NULL);
    if (rc == FR_OK) {
        snprintf(t1, sizeof t1, "traveller:%lld", (long long)v.traveller_id);
        snprintf(t2, sizeof t2, "traveller:%lld", (long long)v.candidate_id);
        if (!json_is_null(mine))
            fr__srv_audit_record_for(r, &rec[nrec++], "traveller.read", t1, 200, object);
        if (!json_is_null(cand))
            fr__srv_audit_record_for(r, &rec[nrec++], "traveller.read", t2, 200, object);
    }
    if (fr__srv_audit_write(s, rec, nrec) != FR_OK) {
        ret = audit_failed(r, 0);
        goto done;
    }
    if (rc == FR_ENOTFOUND) {
        ret = fr__srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                              "there is no such review");
        goto done;
    }
    json_t *o = review_json(&v);
    json_object_set_new(o, "traveller", mine);
    json_object_set_new(o, "candidate_traveller", cand);
    mine = cand = NULL;
    ret = fr__srv_send_json(r, 200, o);
done:
    json_decref(mine);
    json_decref(cand);
    return ret;
}

/* "note": optional string of at most NOTE_MAX bytes. */
static int note_of(json_t *j, const char **note)
{
    json_t *n = json_object_get(j, "note");
    *note = "";
    if (!n || json_is_null(n)) return 0;
    if (!json_is_string(n) || json_string_length(n) > NOTE_MAX) return -1;
    *note = json_string_value(n);
    return 0;
}

enum MHD_Result fr__srv_review_resolve(srv_req *r)
{
    static const char *const MEMBERS[] = {"decision", "note", NULL};
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    int64_t id = review_id(r->param);
    if (!id)
        return fr__srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                               "a review id is a positive number");
    enum MHD_Result ret;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    const char *unknown = fr__srv_unknown_member(j, MEMBERS), *note;
    json_t *dec = json_object_get(j, "decision");
    int same = -1;
    if (json_is_string(dec))
        same = !strcmp(json_string_value(dec), "link")       ? 1
               : !strcmp(json_string_value(dec), "distinct") ? 0
                                                             : -1;
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
        goto done;
    }
    if (same < 0) {
        ret = fr__srv_problem(
            r, 422, "invalid", "Invalid request", "decision", NULL,
            "decision is required: link (the same person) or distinct (two people)");
        goto done;
    }
    if (note_of(j, &note) != 0) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "note", NULL,
                              "note is a string of at most %d characters", NOTE_MAX);
        goto done;
    }
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    fr_link_review v;
    int rc = find_review(c->store, id, &v, &err);
    if (rc == FR_OK) {
        pthread_mutex_lock(&s->write_mu);
        rc = fr_store_review_resolve(c->store, id, same, r->user.name, fr__srv_now_ms(s) / 1000,
                                     note, &err);
        pthread_mutex_unlock(&s->write_mu);
    }
    fr__srv_ctx_release(s, c);
    if (rc == FR_OK && same) atomic_store(&s->report_stale, 1);
    unsigned status = rc == FR_OK          ? 200
                      : rc == FR_ENOTFOUND ? 404
                      : rc == FR_ECONFLICT ? 409
                      : rc == FR_EINVAL    ? 422
                                           : 500;
    char object[2][FR_AUDIT_OBJECT_MAX + 1];
    size_t nobj = 1;
    if (rc == FR_OK || rc == FR_ECONFLICT) {
        snprintf(object[0], sizeof object[0], "traveller:%lld review:%lld",
                 (long long)v.traveller_id, (long long)id);
        snprintf(object[1], sizeof object[1], "traveller:%lld review:%lld",
                 (long long)v.candidate_id, (long long)id);
        nobj = 2;
    } else {
        snprintf(object[0], sizeof object[0], "review:%lld", (long long)id);
    }
    if (status != 500 && audit(r, same ? "review.link" : "review.distinct", object, nobj, status,
                               note[0] ? note : NULL) != FR_OK) {
        ret = audit_failed(r, rc == FR_OK);
        goto done;
    }
    if (rc != FR_OK) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    ret = fr__srv_send_json(r, 200,
                            json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)id, "status",
                                      same ? "linked" : "distinct", "traveller_id",
                                      (json_int_t)(same ? v.candidate_id : v.traveller_id),
                                      "candidate_traveller_id", (json_int_t)v.candidate_id));
done:
    json_decref(j);
    return ret;
}

/* "STATE:NUMBER" into state and number, upper-cased; -1 when malformed. */
static int doc_of(const char *t, char state[8], char number[FR_DOCNUM_MAX + 1])
{
    const char *colon = t ? strchr(t, ':') : NULL;
    if (!colon || colon == t || (size_t)(colon - t) >= 8 || !colon[1] ||
        strlen(colon + 1) > FR_DOCNUM_MAX)
        return -1;
    size_t sl = (size_t)(colon - t);
    for (size_t i = 0; i < sl; i++)
        state[i] = (char)toupper((unsigned char)t[i]);
    state[sl] = 0;
    size_t i = 0;
    for (const char *p = colon + 1; *p; p++)
        number[i++] = (char)toupper((unsigned char)*p);
    number[i] = 0;
    return 0;
}

enum MHD_Result fr__srv_traveller_split(srv_req *r)
{
    static const char *const MEMBERS[] = {"document", "note", NULL};
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    int64_t tid = review_id(r->param);
    if (!tid)
        return fr__srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                               "a traveller id is a positive number");
    enum MHD_Result ret;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    const char *unknown = fr__srv_unknown_member(j, MEMBERS), *note;
    char state[8], number[FR_DOCNUM_MAX + 1];
    json_t *dj = json_object_get(j, "document");
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s' (see docs/openapi.yaml)", unknown);
        goto done;
    }
    if (!json_is_string(dj) || doc_of(json_string_value(dj), state, number) != 0) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "document", NULL,
                              "document is required: STATE:NUMBER of the document to split off");
        goto done;
    }
    if (note_of(j, &note) != 0) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "note", NULL,
                              "note is a string of at most %d characters", NOTE_MAX);
        goto done;
    }
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    int64_t owner = 0, made = 0;
    int rc = fr_store_find_document(c->store, state, number, &owner, &err);
    /* the path names the traveller the supervisor is looking at: a document
     * of another one is not split off on the strength of a typo */
    if (rc == FR_OK && owner != tid)
        rc = fr_error_set(&err, FR_ECONFLICT, 0, 0, "document",
                          "the document belongs to another traveller, not %lld", (long long)tid);
    if (rc == FR_OK) {
        pthread_mutex_lock(&s->write_mu);
        rc = fr_store_split(c->store, state, number, r->user.name, fr__srv_now_ms(s) / 1000, note,
                            &made, &err);
        pthread_mutex_unlock(&s->write_mu);
    }
    fr__srv_ctx_release(s, c);
    if (rc == FR_OK) atomic_store(&s->report_stale, 1);
    unsigned status = rc == FR_OK          ? 200
                      : rc == FR_ENOTFOUND ? 404
                      : rc == FR_ECONFLICT ? 409
                      : rc == FR_EINVAL    ? 422
                                           : 500;
    char object[2][FR_AUDIT_OBJECT_MAX + 1];
    snprintf(object[0], sizeof object[0], "traveller:%lld document:%s:%s", (long long)tid, state,
             number);
    snprintf(object[1], sizeof object[1], "traveller:%lld document:%s:%s", (long long)made, state,
             number);
    if (status != 500 && audit(r, "traveller.split", object, rc == FR_OK ? 2 : 1, status,
                               note[0] ? note : NULL) != FR_OK) {
        ret = audit_failed(r, rc == FR_OK);
        goto done;
    }
    if (rc != FR_OK) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    char doc[32];
    snprintf(doc, sizeof doc, "%s:%s", state, number);
    ret = fr__srv_send_json(r, 200,
                            json_pack("{s:s, s:I, s:I}", "document", doc, "traveller_id",
                                      (json_int_t)tid, "new_traveller_id", (json_int_t)made));
done:
    json_decref(j);
    return ret;
}
