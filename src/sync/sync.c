/* SPDX-License-Identifier: MIT */
/* sync.c: fr_sync_push (sync.h): read the events after the post's mark in
 * sequence order, a batch at a time; send each batch to the central's
 * POST /v1/events as JSON (the members of server_events.c, plus the
 * officer the post recorded); check that the answer speaks of exactly the
 * events sent, in order; then keep the refused ones and move the mark past
 * the batch in one transaction. Any failure before that transaction leaves
 * the mark where it was: the batch is sent again next time, and the
 * central's idempotent recording makes the repeat a no-op. Events the post
 * took from the central's histories (sync_histories.c, table sync_pulled)
 * are passed by the mark and never sent back. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "frontera/alloc.h"
#include "event_json.h"
#include "frontera/store.h"
#include "sync_internal.h"

typedef struct batch {
    json_t *events;
    int64_t *seq;
    char (*ids)[FR_EVENT_ID_MAX + 1];
    size_t n, cap;
    int failed;
    fr_modsql_handle *db; /* the sync tables: which events came from the central */
    size_t seen;          /* events read, sent or not */
    size_t skipped;       /* of them, pulled from the central: never sent back */
    int64_t last_seq;     /* the last one read */
} batch;

static int add_event(void *ud, int64_t seq, const fr_event *ev)
{
    batch *b = ud;
    int pulled = 0;
    fr_error perr;
    b->seen++;
    b->last_seq = seq;
    if (fr__sync_db_is_pulled(b->db, ev->event_id, &pulled, &perr) != FR_OK) {
        b->failed = 2;
        return perr.code ? perr.code : FR_ESTORE;
    }
    if (pulled) { /* the central's own: sending it back would double nothing, but it is not ours */
        b->skipped++;
        return 0;
    }
    json_t *o = fr__event_json(ev);
    if (!o || json_array_append_new(b->events, o) != 0) {
        b->failed = 1;
        return FR_ENOMEM;
    }
    b->seq[b->n] = seq;
    snprintf(b->ids[b->n], sizeof b->ids[b->n], "%s", ev->event_id);
    b->n++;
    return 0;
}

/* Read the central's answer to a batch of b->n events into issues (the
 * refused ones, *nissues) and rep's counters. FR_EPARSE when it is not an
 * answer about exactly these events. */
static int read_answer(const batch *b, const char *answer, fr__sync_issue_row *issues,
                       size_t *nissues, fr_sync_report *rep, fr_error *err)
{
    json_t *j = json_loads(answer, 0, NULL);
    json_t *res = j ? json_object_get(j, "results") : NULL;
    int rc = FR_OK;
    size_t nrec = 0, ndup = 0, ncon = 0, nrej = 0;
    *nissues = 0;
    if (!json_is_array(res) || json_array_size(res) != b->n) {
        rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                          "the central's answer does not list the %zu events sent", b->n);
        goto done;
    }
    for (size_t i = 0; i < b->n; i++) {
        json_t *r = json_array_get(res, i);
        const char *id = json_string_value(json_object_get(r, "event_id"));
        const char *st = json_string_value(json_object_get(r, "status"));
        json_t *index = json_object_get(r, "index");
        if (!id || !st || !json_is_integer(index) || (size_t)json_integer_value(index) != i ||
            strcmp(id, b->ids[i]) != 0) {
            rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                              "the central's answer %zu is not about the event sent", i);
            goto done;
        }
        if (strcmp(st, "recorded") == 0) {
            nrec++;
        } else if (strcmp(st, "duplicate") == 0) {
            ndup++;
        } else if (strcmp(st, "conflict") == 0 || strcmp(st, "rejected") == 0) {
            fr__sync_issue_row *x = &issues[(*nissues)++];
            const char *f = json_string_value(json_object_get(r, "field"));
            const char *d = json_string_value(json_object_get(r, "detail"));
            x->seq = b->seq[i];
            snprintf(x->event_id, sizeof x->event_id, "%s", id);
            snprintf(x->status, sizeof x->status, "%s", st);
            snprintf(x->field, sizeof x->field, "%s", f ? f : "");
            snprintf(x->detail, sizeof x->detail, "%s", d ? d : "");
            if (st[0] == 'c')
                ncon++;
            else
                nrej++;
        } else {
            rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                              "the central's answer %zu has an unknown status", i);
            goto done;
        }
    }
    rep->recorded += nrec;
    rep->duplicates += ndup;
    rep->conflicts += ncon;
    rep->rejected += nrej;
done:
    json_decref(j);
    return rc;
}

/* The problem document's detail, or a fixed text. */
/* The central's base URL, checked: http(s)://, no credentials, no query,
 * no trailing slash. */
int fr__sync_central(const char *url, char out[FR_SYNC_URL_MAX + 1], fr_error *err)
{
    size_t n = url ? strlen(url) : 0;
    int https = n > 8 && strncmp(url, "https://", 8) == 0;
    if (!https && !(n > 7 && strncmp(url, "http://", 7) == 0))
        return fr_error_set(err, FR_EINVAL, 0, 0, "central",
                            "the central is http://HOST:PORT or https://HOST:PORT");
    if (n > FR_SYNC_URL_MAX || strpbrk(url, "@?# \t\r\n"))
        return fr_error_set(err, FR_EINVAL, 0, 0, "central",
                            "the central's address holds no credentials, query or spaces (the "
                            "token goes in --token), and at most %d characters",
                            FR_SYNC_URL_MAX);
    while (n > 0 && url[n - 1] == '/')
        n--;
    memcpy(out, url, n);
    out[n] = 0;
    return FR_OK;
}

int fr_sync_check_central(const char *url, fr_error *err)
{
    char out[FR_SYNC_URL_MAX + 1];
    return fr__sync_central(url, out, err);
}

/* Nothing to send: still ask the central whether it answers (GET /healthz),
 * so that the status and a post's booth know whether the post is offline,
 * and measure the clock skew; a success is noted like a batch's. */
static int probe(const fr_sync_config *cfg, fr__sync_http *http, fr_modsql_handle *h,
                 const char *central, int64_t mark, fr_sync_report *rep, fr_error *err)
{
    long status = 0;
    char *answer = NULL;
    int64_t date_ms = 0, t0 = cfg->clock_ms(cfg->clock_ud);
    int rc = fr__sync_http_get(http, "/healthz", t0, &status, &answer, &date_ms, err);
    int64_t t1 = cfg->clock_ms(cfg->clock_ud);
    fr_free(answer);
    if (rc != FR_OK) return rc;
    if (status != 200)
        return fr_error_set(err, FR_EIO, 0, 0, "central", "the central answered %ld to /healthz",
                            status);
    rep->have_skew = date_ms > 0;
    if (rep->have_skew) rep->skew_ms = date_ms + 500 - (t0 + t1) / 2;
    return fr__sync_db_ack(h, central, mark, NULL, 0, t1, rep->have_skew, rep->skew_ms, err);
}

int fr_sync_push(const fr_sync_config *cfg, fr_sync_report *rep, fr_error *err)
{
    char central[FR_SYNC_URL_MAX + 1];
    fr_modsql_handle h;
    fr_store *store = NULL;
    fr__sync_http *http = NULL;
    batch b = {0};
    fr__sync_issue_row *issues = NULL;
    char *answer = NULL, *body = NULL;
    int64_t mark = 0, last = 0, fp = 0;
    int64_t saved = 0, saved_ms = 0; /* the mark as written, and when */
    int rc, have_db = 0;
    fr_error local;
    if (!err) err = &local;
    fr_error_clear(err);
    memset(rep, 0, sizeof *rep);
    if (!cfg || !cfg->db || !cfg->token || !cfg->token[0] || !cfg->clock_ms)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "sync needs a ledger, a token and a clock");
    size_t per = cfg->batch ? cfg->batch : FR_SYNC_BATCH_DEFAULT;
    if (per > FR_SYNC_BATCH_MAX)
        return fr_error_set(err, FR_EINVAL, 0, 0, "batch", "a batch holds 1 to %d events",
                            FR_SYNC_BATCH_MAX);
    if ((rc = fr__sync_central(cfg->central, central, err)) != FR_OK) return rc;
    if ((rc = fr__sync_db_open(&h, cfg->db, err)) != FR_OK) return rc;
    have_db = 1;
    if ((rc = fr__sync_db_mark(&h, central, &mark, err)) != FR_OK) goto done;
    saved = mark;
    saved_ms = cfg->clock_ms(cfg->clock_ud);
    if ((rc = fr_store_open(cfg->db, 0, &store, err)) != FR_OK ||
        (rc = fr__sync_http_open(cfg, central, &http, err)) != FR_OK)
        goto done;
    b.seq = fr_malloc(per * sizeof *b.seq);
    b.ids = fr_malloc(per * sizeof *b.ids);
    issues = fr_malloc(per * sizeof *issues);
    if (!b.seq || !b.ids || !issues) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    for (;;) {
        size_t want = per;
        if (cfg->max_events) {
            if (rep->sent >= cfg->max_events) break;
            if (cfg->max_events - rep->sent < want) want = cfg->max_events - rep->sent;
        }
        json_decref(b.events);
        b.events = json_array();
        b.n = 0;
        b.failed = 0;
        b.seen = 0;
        b.db = &h;
        if (!b.events) {
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            goto done;
        }
        rc = fr_store_events_since(store, mark, want, add_event, &b, err);
        if (rc != FR_OK) {
            if (b.failed == 1) fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            if (b.failed == 2)
                fr_error_set(err, rc, 0, 0, "", "cannot read which events were pulled");
            goto done;
        }
        if (b.seen == 0) {
            if (rep->batches == 0 && (rc = probe(cfg, http, &h, central, mark, rep, err)) == FR_OK)
                saved = mark;
            break;
        }
        rep->skipped += b.skipped;
        b.skipped = 0;
        if (b.n == 0) { /* only the central's own events: pass them, send nothing */
            int64_t now = cfg->clock_ms(cfg->clock_ud);
            if ((rc = fr__sync_db_ack(&h, central, b.last_seq, NULL, 0, now, 0, 0, err)) != FR_OK)
                goto done;
            mark = saved = b.last_seq;
            saved_ms = now;
            if (b.seen < want) {
                if (rep->batches == 0) rc = probe(cfg, http, &h, central, mark, rep, err);
                break;
            }
            continue;
        }
        json_t *req = json_pack("{s:O}", "events", b.events);
        fr_free(body);
        body = req ? json_dumps(req, JSON_COMPACT) : NULL;
        json_decref(req);
        if (!body) {
            rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            goto done;
        }
        long status = 0;
        int64_t date_ms = 0, t0 = cfg->clock_ms(cfg->clock_ud);
        fr_free(answer);
        answer = NULL;
        rc = fr__sync_http_post(http, "/v1/events", body, strlen(body), t0, &status, &answer,
                                &date_ms, err);
        int64_t t1 = cfg->clock_ms(cfg->clock_ud);
        if (rc != FR_OK) goto done;
        if (fr__sync_auth_error(err, status, "POST /v1/events", answer)) {
            rc = FR_EAUTH;
            goto done;
        }
        if (status != 200) {
            char detail[160];
            fr__sync_problem_detail(answer, detail, sizeof detail);
            rc = fr_error_set(err, status >= 500 ? FR_EIO : FR_EPARSE, 0, 0, "central",
                              "the central answered %ld: %s", status, detail);
            goto done;
        }
        size_t nissues = 0;
        if ((rc = read_answer(&b, answer, issues, &nissues, rep, err)) != FR_OK) goto done;
        /* the Date header has whole seconds: its middle is half a second on */
        rep->have_skew = date_ms > 0;
        if (rep->have_skew) rep->skew_ms = date_ms + 500 - (t0 + t1) / 2;
        mark = b.last_seq;
        rep->batches++;
        rep->sent += b.n;
        /* The mark is written at once when the batch had refused events
         * (they are kept with it), and otherwise at most once every
         * FR_SYNC_MARK_EVERY_MS and when the push ends (below): each write
         * is a transaction on the booth's ledger, and a write that waits for
         * this thread's CPU holds the booth's writer up (bench/RESULTS.md,
         * issue 16). A crash before it only sends those batches again:
         * duplicates at the central. */
        if (nissues > 0 || t1 - saved_ms >= FR_SYNC_MARK_EVERY_MS) {
            rc = fr__sync_db_ack(&h, central, mark, issues, nissues, t1, rep->have_skew,
                                 rep->skew_ms, err);
            if (rc != FR_OK) goto done;
            saved = mark;
            saved_ms = t1;
        }
        if (b.seen < want) break; /* the last events */
    }
done:
    if (have_db &&
        mark > saved) { /* answered batches not yet marked: mark them, even on an error */
        fr_error e2;
        int rc2 = fr__sync_db_ack(&h, central, mark, NULL, 0, cfg->clock_ms(cfg->clock_ud),
                                  rep->have_skew, rep->skew_ms, &e2);
        if (rc2 == FR_OK)
            saved = mark;
        else if (rc == FR_OK) {
            *err = e2;
            rc = rc2;
        }
    }
    mark = saved;
    rep->acked_seq = mark;
    if (store && fr_store_last_sequence(store, &last, &fp, &local) == FR_OK)
        rep->waiting = last > mark ? last - mark : 0;
    if (rc != FR_OK && have_db)
        fr__sync_db_fail(&h, central, cfg->clock_ms(cfg->clock_ud), err->message);
    json_decref(b.events);
    fr_free(b.seq);
    fr_free(b.ids);
    fr_free(issues);
    fr_free(answer);
    fr_free(body);
    fr__sync_http_close(http);
    fr_store_close(store);
    if (have_db) fr__modsql_handle_close(&h);
    return rc;
}
