/* SPDX-License-Identifier: MIT */
/* server_selfcheck.c: POST /v1/self-check, the traveller's own check (no
 * token). The traveller gives their document number, nationality and birth
 * date; the answer is only their own stay: whether they are in the country
 * on the ledger, until when they are authorised and the days left (or over).
 *
 * What it must not do: tell anyone anything about someone else. A document
 * unknown to the ledger and a known one with another birth date get the same
 * answer ({"found": false}), so the number alone reveals nothing; every
 * address is limited to SRV_SELFCHECK_PER_MIN questions a minute (429
 * after, with Retry-After), so birth dates cannot be tried in bulk. Every
 * question is audited (actor "public", from the address) with the traveller
 * it matched or "no-match": never the number or date typed. */
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"
#include "server_internal.h"

static const char *const SELF_MEMBERS[] = {"document_number", "nationality", "birth_date", NULL};

/* FNV-1a of the address: its slot in the limiter. */
static uint32_t addr_hash(const char *a)
{
    uint32_t h = 2166136261u;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 16777619u;
    return h;
}

/* 1 when the address may ask now (and count it), 0 when over its limit. */
static int allowed(fr_server *s, const char *origin, int64_t now_ms)
{
    uint32_t h = addr_hash(origin);
    srv_rate_slot *slot = &s->selfcheck_slots[h % SRV_SELFCHECK_SLOTS];
    int64_t minute = now_ms / 60000;
    int ok;
    pthread_mutex_lock(&s->selfcheck_mu);
    if (slot->hash != h || slot->minute != minute) { /* another address or a new minute */
        slot->hash = h;
        slot->minute = minute;
        slot->count = 0;
    }
    ok = slot->count < SRV_SELFCHECK_PER_MIN;
    if (ok) slot->count++;
    pthread_mutex_unlock(&s->selfcheck_mu);
    return ok;
}

/* The traveller's stay when the details match one of their documents. */
static int matches(const fr_history *h, const char *number, fr_date birth)
{
    for (size_t i = 0; i < h->ndocuments; i++) {
        const fr_document *d = &h->documents[i].doc;
        if (strcmp(d->number, number) == 0 && d->birth_date != FR_DATE_NONE &&
            d->birth_date == birth)
            return 1;
    }
    return 0;
}

static enum MHD_Result answer(srv_req *r, const char *object, json_t *j)
{
    fr_audit_record rec;
    snprintf(r->user.name, sizeof r->user.name, "public");
    fr__srv_audit_record_for(r, &rec, "selfcheck", object, 200, NULL);
    if (fr__srv_audit_write(r->srv, &rec, 1) != FR_OK) {
        json_decref(j);
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the question could not be audited; no answer is given");
    }
    return fr__srv_send_json(r, 200, j);
}

enum MHD_Result fr__srv_selfcheck(srv_req *r)
{
    fr_server *s = r->srv;
    int64_t now = fr__srv_now_ms(s);
    if (!allowed(s, r->origin, now))
        return fr__srv_problem(r, 429, "too-many-requests", "Too many requests", NULL,
                               json_pack("{s:i}", "retry_after", 60),
                               "at most %d questions a minute from one address: try again in a "
                               "minute",
                               SRV_SELFCHECK_PER_MIN);
    enum MHD_Result ret;
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    fr_error err;
    fr_error_clear(&err);
    const char *unknown = fr__srv_unknown_member(j, SELF_MEMBERS);
    json_t *num = json_object_get(j, "document_number"), *nat = json_object_get(j, "nationality"),
           *bd = json_object_get(j, "birth_date");
    fr_date birth = FR_DATE_NONE;
    fr_document doc;
    memset(&doc, 0, sizeof doc);
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.48s'", unknown);
        goto done;
    }
    if (!json_is_string(num) || json_string_length(num) < 1 ||
        json_string_length(num) > FR_DOCNUM_MAX) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "document_number", NULL,
                              "document_number is required: the number on the passport");
        goto done;
    }
    if (!json_is_string(nat) || fr_country_find_cstr(json_string_value(nat)) < 0) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "nationality", NULL,
                              "nationality is required: a three-letter code such as USA");
        goto done;
    }
    if (!json_is_string(bd) ||
        fr_date_parse(json_string_value(bd), json_string_length(bd), &birth, NULL) != FR_OK) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "birth_date", NULL,
                              "birth_date is required: YYYY-MM-DD");
        goto done;
    }
    /* the ledger keys documents by issuing state; a passport's is the nationality */
    snprintf(doc.state, sizeof doc.state, "%s", json_string_value(nat));
    snprintf(doc.number, sizeof doc.number, "%s", json_string_value(num));
    for (char *p = doc.number; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    int64_t tid = 0;
    fr_link_kind how = FR_LINK_NONE;
    fr_history *h = NULL;
    int rc = fr_store_resolve(c->store, &doc, &tid, &how, &err);
    if (rc == FR_EINVAL) rc = FR_OK, tid = 0; /* a number the ledger cannot hold: unknown */
    if (rc == FR_OK && tid && how == FR_LINK_DOCUMENT)
        rc = fr_store_history(c->store, tid, &h, &err);
    fr__srv_ctx_release(s, c);
    if (rc != FR_OK && rc != FR_ENOTFOUND) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    if (!h || !matches(h, doc.number, birth)) {
        /* unknown document and wrong birth date alike: nothing more */
        ret = answer(r, "no-match", json_pack("{s:b}", "found", 0));
        fr_history_free(h);
        goto done;
    }
    char b[FR_DATE_BUFSZ], object[64];
    fr_date today = (fr_date)(now / 86400000); /* the server's UTC day */
    json_t *o = json_pack("{s:b, s:b, s:s}", "found", 1, "in_country", h->in_country, "as_of",
                          fr_date_format(today, b));
    if (o && h->in_country && h->authorised_until != FR_DATE_NONE) {
        int32_t left = h->authorised_until - today; /* days after today still allowed */
        json_object_set_new(o, "authorised_until",
                            json_string(fr_date_format(h->authorised_until, b)));
        json_object_set_new(o, "days_left", json_integer(left >= 0 ? left + 1 : 0));
        json_object_set_new(o, "days_over", json_integer(left < 0 ? -left : 0));
    }
    snprintf(object, sizeof object, "traveller:%lld", (long long)tid);
    fr_history_free(h);
    ret = o ? answer(r, object, o) : MHD_NO;
done:
    json_decref(j);
    return ret;
}
