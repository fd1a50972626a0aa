/* SPDX-License-Identifier: MIT */
/* sync_status.c: what a post officer is shown of the post's sync
 * (docs/sync.md, "Status a post officer sees"): the warnings due for a
 * status read by fr_sync_status_get, and the status as the JSON object a
 * post's server answers to GET /v1/sync/status (its "centrals" are what
 * `frontera sync status --json` prints). The rule for each warning is here
 * only: the booth page and the command line show the names this file
 * gives, so they cannot disagree about when something is wrong. Pure: the
 * caller passes the post's clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "frontera/alloc.h"
#include "sync_internal.h"

static const char *const WARN_NAMES[] = {"stale", "offline", "waiting", "issues", "skew", "lists"};
static const char *const LIST_WARN_NAMES[] = {"behind", "unconfirmed"};

static fr_sync_limits limits_of(const fr_sync_limits *lim)
{
    fr_sync_limits l = lim ? *lim : (fr_sync_limits){0, 0, 0, 0};
    if (l.stale_s <= 0) l.stale_s = FR_SYNC_STALE_S;
    if (l.waiting_s <= 0) l.waiting_s = FR_SYNC_WAITING_S;
    if (l.skew_s <= 0) l.skew_s = FR_SYNC_SKEW_S;
    if (l.lists_s <= 0) l.lists_s = FR_SYNC_LISTS_S;
    return l;
}

const char *fr_sync_warning_name(unsigned bit, int list)
{
    const char *const *names = list ? LIST_WARN_NAMES : WARN_NAMES;
    size_t n = list ? sizeof LIST_WARN_NAMES / sizeof *LIST_WARN_NAMES
                    : sizeof WARN_NAMES / sizeof *WARN_NAMES;
    for (size_t i = 0; i < n; i++)
        if (bit == 1u << i) return names[i];
    return "";
}

unsigned fr_sync_list_warnings(const fr_sync_list_state *l, int64_t now_ms,
                               const fr_sync_limits *lim)
{
    fr_sync_limits k = limits_of(lim);
    unsigned w = 0;
    if (l->refused_ms > 0) w |= FR_SYNC_LIST_BEHIND;
    /* a list pulled once and not confirmed since: the post may be behind
     * without knowing it (its pulls fail, or the central stopped serving it) */
    if (l->checked_ms > 0 && now_ms - l->checked_ms > k.lists_s * 1000)
        w |= FR_SYNC_LIST_UNCONFIRMED;
    return w;
}

unsigned fr_sync_status_warnings(const fr_sync_status *s, int64_t now_ms, const fr_sync_limits *lim)
{
    fr_sync_limits k = limits_of(lim);
    unsigned w = 0;
    /* before the first attempt nothing is known to be wrong: a post just set up */
    if (s->last_try_ms > 0 && (s->last_ok_ms <= 0 || now_ms - s->last_ok_ms > k.stale_s * 1000))
        w |= FR_SYNC_WARN_STALE;
    if (s->last_try_ms > s->last_ok_ms && s->last_error[0]) w |= FR_SYNC_WARN_OFFLINE;
    if (s->waiting > 0 && s->oldest_waiting_ms > 0 &&
        now_ms - s->oldest_waiting_ms > k.waiting_s * 1000)
        w |= FR_SYNC_WARN_WAITING;
    if (s->issues > 0) w |= FR_SYNC_WARN_ISSUES;
    if (s->have_skew && llabs(s->skew_ms) > k.skew_s * 1000) w |= FR_SYNC_WARN_SKEW;
    for (int i = 0; i < FR_SYNC_LISTS; i++)
        if (fr_sync_list_warnings(&s->lists[i], now_ms, &k)) w |= FR_SYNC_WARN_LISTS;
    return w;
}

/* ---- JSON ---- */

/* An instant as ISO 8601 UTC, or null for 0 (never). */
static json_t *when(int64_t ms)
{
    char buf[32];
    if (ms <= 0) return json_null();
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return json_null();
    return json_string(buf);
}

/* Whole seconds from ms to now (never negative: a time ahead of the
 * post's clock is "now"), or null for 0 (never). */
static json_t *age(int64_t ms, int64_t now_ms)
{
    if (ms <= 0) return json_null();
    return json_integer(now_ms > ms ? (json_int_t)((now_ms - ms) / 1000) : 0);
}

/* The names of the bits of w, in bit order. */
static json_t *names(unsigned w, int list)
{
    json_t *a = json_array();
    unsigned last = list ? FR_SYNC_LIST_WARN_LAST : FR_SYNC_WARN_LAST;
    for (unsigned b = 1; a && b && b <= last; b <<= 1)
        if ((w & b) && json_array_append_new(a, json_string(fr_sync_warning_name(b, list))) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *list_json(const fr_sync_list_state *l, int64_t now_ms, const fr_sync_limits *lim)
{
    if (!l->checked_ms && !l->refused_ms) return json_null(); /* never pulled */
    json_t *refused = l->refused_ms
                          ? json_pack("{s:I, s:s, s:o}", "version", (json_int_t)l->refused_version,
                                      "digest", l->refused_digest, "at", when(l->refused_ms))
                          : json_null();
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "version",
                     l->checked_ms ? json_integer(l->version) : json_null(), "digest",
                     l->checked_ms ? json_string(l->digest) : json_null(), "pulled",
                     when(l->pulled_ms), "checked", when(l->checked_ms), "checked_age_s",
                     age(l->checked_ms, now_ms), "refused", refused, "warnings",
                     names(fr_sync_list_warnings(l, now_ms, lim), 1));
}

static json_t *central_json(const fr_sync_status *s, int64_t now_ms, const fr_sync_limits *lim)
{
    json_t *lists = json_object();
    for (int k = 0; lists && k < FR_SYNC_LISTS; k++)
        if (json_object_set_new(lists, s->lists[k].name, list_json(&s->lists[k], now_ms, lim)) !=
            0) {
            json_decref(lists);
            lists = NULL;
        }
    /* the members `sync status --json` printed before the booth's panel came
     * first, in their order (scripts read them) */
    return json_pack(
        "{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "central",
        s->central, "acked_seq", (json_int_t)s->acked_seq, "last_seq", (json_int_t)s->last_seq,
        "waiting", (json_int_t)s->waiting, "last_success", when(s->last_ok_ms), "last_attempt",
        when(s->last_try_ms), "last_error",
        s->last_error[0] ? json_string(s->last_error) : json_null(), "issues",
        (json_int_t)s->issues, "skew_ms", s->have_skew ? json_integer(s->skew_ms) : json_null(),
        "lists", lists, "last_success_age_s", age(s->last_ok_ms, now_ms), "oldest_waiting",
        when(s->oldest_waiting_ms), "oldest_waiting_age_s", age(s->oldest_waiting_ms, now_ms),
        "warnings", names(fr_sync_status_warnings(s, now_ms, lim), 0));
}

int fr_sync_status_json(const fr_sync_status *v, size_t n, const fr_sync_background *bg,
                        int64_t now_ms, const fr_sync_limits *lim, char **out, size_t *len,
                        fr_error *err)
{
    fr_sync_limits k = limits_of(lim);
    unsigned all = 0;
    *out = NULL;
    *len = 0;
    json_t *centrals = json_array();
    for (size_t i = 0; centrals && i < n; i++) {
        all |= fr_sync_status_warnings(&v[i], now_ms, &k);
        if (json_array_append_new(centrals, central_json(&v[i], now_ms, &k)) != 0) {
            json_decref(centrals);
            centrals = NULL;
        }
    }
    json_t *back = bg ? json_pack("{s:s, s:I, s:I, s:b}", "central", bg->central ? bg->central : "",
                                  "every_s", (json_int_t)bg->every_s, "pull_every_s",
                                  (json_int_t)bg->pull_every_s, "running", bg->running)
                      : json_null();
    json_t *j = json_pack("{s:b, s:o, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "configured",
                          n > 0 || bg != NULL, "now", when(now_ms), "limits", "stale_s",
                          (json_int_t)k.stale_s, "waiting_s", (json_int_t)k.waiting_s, "skew_s",
                          (json_int_t)k.skew_s, "lists_s", (json_int_t)k.lists_s, "background",
                          back, "centrals", centrals, "warnings", names(all, 0));
    /* written into the library's own allocation: the caller frees with fr_free */
    size_t need = j ? json_dumpb(j, NULL, 0, JSON_COMPACT) : 0;
    char *text = need ? fr_malloc(need + 1) : NULL;
    if (text && json_dumpb(j, text, need, JSON_COMPACT) != need) {
        fr_free(text);
        text = NULL;
    }
    json_decref(j);
    if (!text) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    text[need] = 0;
    *out = text;
    *len = need;
    return FR_OK;
}
