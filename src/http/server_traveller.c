/* SPDX-License-Identifier: MIT */
/* server_traveller.c: GET /v1/travellers/{id}: one traveller's documents,
 * crossings (event-time order, with pairing and anomalies), current stay and
 * open link reviews (and may_review: whether the caller may resolve them).
 * {id} is the traveller number or STATE:NUMBER of one of
 * the traveller's documents. A personal record: only roles with
 * FR_PERM_TRAVELLER get here, an officer only for travellers they decided
 * on at the booth (404 otherwise, as for an absent one), and every read
 * (found, refused or not) is audited before the answer is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontera/alloc.h"
#include "server_internal.h"
#include "views.h"

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

/* Least privilege for officers: they see the travellers they processed at
 * the booth - an admission decision of theirs about this traveller in the
 * audit log (admission.decide, .record, .override: the server writes those
 * itself, after reading the document) - not the whole ledger. Recording an
 * event (POST /v1/events) is not the key: anyone with that permission could
 * make one up for any document. Supervisors and admins see any traveller. */
typedef struct seen_ctx {
    const char *actor;
} seen_ctx;

static int seen_one(void *ud, const fr_audit_entry *e)
{
    const seen_ctx *c = ud;
    return strcmp(e->actor, c->actor) == 0 && strncmp(e->action, "admission.", 10) == 0;
}

static int may_see(const srv_req *r, fr_audit *audit, int64_t tid, fr_error *err)
{
    if (r->user.role != FR_ROLE_OFFICER) return 1;
    char object[FR_AUDIT_OBJECT_MAX + 1];
    seen_ctx c = {r->user.name};
    snprintf(object, sizeof object, "traveller:%lld", (long long)tid);
    int rc = fr_audit_about(audit, object, 0, seen_one, &c, err);
    return rc < 0 ? rc : rc == 1;
}

enum MHD_Result fr__srv_traveller(srv_req *r)
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
        return fr__srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                               "no traveller id in the path");
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
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
    int seen = rc == FR_OK ? may_see(r, c->audit, tid, &err) : 0;
    if (seen < 0) rc = seen;
    /* "not yours" answers as "absent" does (404): a refusal must not tell an
     * officer whether a document is in the ledger; the audit log keeps why */
    unsigned status = rc == FR_OK ? (seen ? 200 : 404) : rc == FR_ENOTFOUND ? 404 : 500;
    if (status != 500) {
        fr_audit_record rec;
        fr__srv_audit_record_for(r, &rec, "traveller.read", object, status,
                                 rc == FR_OK && !seen ? "refused: not processed by this officer"
                                                      : NULL);
        if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
            ret = fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                  "the read could not be audited, so the record is not shown");
            goto done;
        }
    }
    if (rc == FR_ENOTFOUND || status == 404)
        ret = fr__srv_problem(r, 404, "not-found", "Not found", "id", NULL,
                              "there is no such traveller, or not one you processed at the booth "
                              "(a supervisor can see every traveller)");
    else if (rc != FR_OK)
        ret = fr__srv_problem_err(r, &err);
    else {
        json_t *o = fr__history_json(h), *lookers = json_array();
        if (fr_audit_about(c->audit, object, 50, add_looker, lookers, &err) != FR_OK) {
            json_decref(lookers);
            lookers = json_null(); /* the record is shown; the list of readers could not be */
        }
        json_object_set_new(o, "audit", lookers);
        /* the page offers the link-review decisions only to who may make them */
        json_object_set_new(o, "may_review",
                            json_boolean(fr_role_may(r->user.role, FR_PERM_REVIEW)));
        ret = fr__srv_send_json(r, 200, o);
    }
done:
    fr_history_free(h);
    fr__srv_ctx_release(s, c);
    return ret;
}
