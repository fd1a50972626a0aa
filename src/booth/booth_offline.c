/* SPDX-License-Identifier: MIT */
/* booth_offline.c: the central's second look at admissions a border post
 * decided while it could not reach the central (booth.h,
 * fr_booth_recheck_offline; docs/sync.md). The post's decision was taken on
 * its own ledger, which lacks the crossings recorded at other posts since
 * the line went down. Once the post has synchronised, the central rebuilds
 * the admission request from the recorded event (an MRZ made from the
 * document's fields, the port, time and class as recorded, a visa when the
 * post saw one), takes the traveller's history as the central holds it cut
 * just before the event's instant (events recorded later at other posts
 * must not count against an earlier crossing), and asks the same core
 * decision (fr_admit_decide). More history can only make the decision
 * stricter (an earlier entry without exit, days already used), so only a
 * stricter outcome or a shorter stay is reported. Nothing is written. */
#include <stdio.h>
#include <string.h>

#include "frontera/booth.h"
#include "frontera/country.h"
#include "frontera/mrz.h"

/* Whether a stored reasons text (a JSON array of {"code": ...}) holds the
 * code. A scan, not a parser: the codes are [a-z._] and the text was
 * checked as JSON when it was stored. */
static int has_code(const char *json, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = json; p && (p = strstr(p, "\"code\"")) != NULL;) {
        p += 6;
        while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '"' && strncmp(p + 1, code, n) == 0 && p[1 + n] == '"') return 1;
    }
    return 0;
}

int fr_booth_decided_offline(const fr_event *ev)
{
    return ev && ev->reasons_json && has_code(ev->reasons_json, "post.offline");
}

/* The MRZ lines of the recorded document, read back as the booth reads a
 * scan (so that the document checks run as they did at the post). */
static int rebuild_mrz(const fr_event *ev, char text[FR_MRZ_TEXT_MAX], fr_error *err)
{
    if (fr_admit_document_mrz(&ev->doc, ev->at.date, text, NULL) != FR_OK)
        return fr_error_set(err, FR_EINVAL, 0, 0, "document",
                            "event %s: its document cannot be written as a machine readable "
                            "zone, so it cannot be decided again",
                            ev->event_id);
    return FR_OK;
}

/* The refer/refuse reasons of d that the post's recorded reasons lack. */
static void new_codes(const fr_admit_decision *d, const char *post_reasons, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        if (r->level != FR_REASON_REFER && r->level != FR_REASON_REFUSE) continue;
        if (post_reasons && has_code(post_reasons, r->code)) continue;
        int w = snprintf(out + len, cap - len, "%s%s", len ? "," : "", r->code);
        if (w < 0 || (size_t)w >= cap - len) {
            out[len] = 0; /* the codes that fit */
            return;
        }
        len += (size_t)w;
    }
}

int fr_booth_recheck_offline(const fr_policy *policy, fr_store *store, const fr_event *ev,
                             fr_booth_recheck *out, fr_error *err)
{
    if (!policy || !store || !ev || !out)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to decide again");
    if ((ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_REFUSAL) ||
        !fr_booth_decided_offline(ev))
        return fr_error_set(err, FR_EINVAL, 0, 0, "event_id",
                            "event %s is not an admission decided offline", ev->event_id);
    memset(out, 0, sizeof *out);
    out->post = ev->kind == FR_EVENT_ENTRY ? FR_ADMIT : FR_REFUSE;
    out->post_until = ev->kind == FR_EVENT_ENTRY ? ev->authorised_until : FR_DATE_NONE;
    out->central_until = FR_DATE_NONE;

    char text[FR_MRZ_TEXT_MAX];
    int rc = rebuild_mrz(ev, text, err);
    if (rc != FR_OK) return rc;
    int cls = fr_admission_class_parse(ev->admission_class, strlen(ev->admission_class));
    fr_admit_request req = {
        .mrz = text,
        .mrz_len = strlen(text),
        .port = ev->port,
        .at = ev->at,
        .visa = has_code(ev->reasons_json, "visa.presented") ? "presented at the post" : NULL,
        .cls = cls >= 0 ? (fr_admission_class)cls : FR_CLASS_VISITOR};
    fr_mrz m;
    fr_admit_read(&req, &m);

    fr_admit_facts f;
    memset(&f, 0, sizeof f);
    fr_history *h = NULL;
    size_t all = 0;
    if (fr_country_find(m.nationality, strlen(m.nationality)) >= 0) {
        fr_document doc = ev->doc;
        rc = fr_store_resolve(store, &doc, &f.traveller_id, &f.link, err);
        if (rc == FR_EINVAL) rc = FR_OK; /* a document the ledger cannot hold: no history */
        if (rc == FR_OK && f.traveller_id) rc = fr_store_history(store, f.traveller_id, &h, err);
        if (rc != FR_OK) return rc;
    }
    if (h) { /* as it stood just before the event: items are in event-time order */
        int64_t at = fr_datetime_utc(&ev->at);
        all = h->count;
        while (out->earlier < h->count && h->items[out->earlier].at_utc < at)
            out->earlier++;
        h->count = out->earlier; /* later items, and pairings with them, do not count */
    }
    f.history = h;
    fr_admit_decision d;
    rc = fr_admit_decide(policy, &req, &m, &f, &d, err);
    if (h) h->count = all;
    fr_history_free(h);
    if (rc != FR_OK) return rc;
    out->central = d.outcome;
    out->central_until = d.outcome == FR_ADMIT ? d.authorised_until : FR_DATE_NONE;
    out->differs =
        out->central > out->post ||
        (out->central == FR_ADMIT && out->post == FR_ADMIT && out->post_until != FR_DATE_NONE &&
         out->central_until != FR_DATE_NONE && out->central_until < out->post_until);
    new_codes(&d, ev->reasons_json, out->codes, sizeof out->codes);
    return FR_OK;
}
