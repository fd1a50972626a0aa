/* SPDX-License-Identifier: MIT */
/* cli_sync_recheck.c: `frontera sync recheck-offline` on the central: the
 * admissions border posts decided while they could not reach the central
 * (reason post.offline, docs/sync.md) decided again against the central's
 * full history (fr_booth_recheck_offline), and the ones it would have
 * decided differently listed for a supervisor. The ledger is only read:
 * the recorded decisions stay as they are. The list names events and
 * travellers (personal records): audited before anything is shown. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "frontera/alloc.h"
#include "frontera/booth.h"

typedef struct offline_event {
    fr_event ev;
    char *reasons; /* ev.reasons_json, owned */
} offline_event;

typedef struct offline_list {
    offline_event *ev;
    size_t n, cap;
    int oom;
} offline_list;

/* fr_store_export's callback: keep the entries and refusals marked offline
 * (their reasons copied: the store's text is valid during the call only). */
static int keep_offline(void *ud, const fr_event *ev)
{
    offline_list *l = ud;
    if ((ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_REFUSAL) ||
        !fr_booth_decided_offline(ev))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        offline_event *p = fr_realloc(l->ev, cap * sizeof *p);
        if (!p) return l->oom = 1;
        l->ev = p, l->cap = cap;
    }
    offline_event *e = &l->ev[l->n];
    e->ev = *ev;
    if (!(e->reasons = fr_strdup(ev->reasons_json))) return l->oom = 1;
    e->ev.reasons_json = e->reasons;
    l->n++;
    return 0;
}

static const char *date_or(fr_date d, char b[FR_DATE_BUFSZ], const char *none)
{
    return d == FR_DATE_NONE ? none : fr_date_format(d, b);
}

static void print_text(const fr_event *ev, const fr_booth_recheck *x)
{
    char at[FR_DATETIME_BUFSZ], b1[FR_DATE_BUFSZ], b2[FR_DATE_BUFSZ];
    printf(_("%s\t%s\t%s\ttraveller %lld\tpost: %s until %s\tcentral: %s until %s\t%s\n"),
           ev->event_id, ev->port, fr_datetime_format(&ev->at, at), (long long)ev->traveller_id,
           fr_outcome_name(x->post), date_or(x->post_until, b1, "-"), fr_outcome_name(x->central),
           date_or(x->central_until, b2, "-"), x->codes[0] ? x->codes : "-");
}

static json_t *as_json(const fr_event *ev, const fr_booth_recheck *x)
{
    char at[FR_DATETIME_BUFSZ], b1[FR_DATE_BUFSZ], b2[FR_DATE_BUFSZ];
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s?, s:s, s:s?, s:b, s:I, s:s}", "event_id",
                     ev->event_id, "port", ev->port, "at", fr_datetime_format(&ev->at, at),
                     "traveller_id", (json_int_t)ev->traveller_id, "post", fr_outcome_name(x->post),
                     "post_until", date_or(x->post_until, b1, NULL), "central",
                     fr_outcome_name(x->central), "central_until",
                     date_or(x->central_until, b2, NULL), "differs", x->differs, "earlier",
                     (json_int_t)x->earlier, "codes", x->codes);
}

int cli_sync_recheck(const char *db, const char *policy_path, int all, int json)
{
    fr_store *s = NULL;
    fr_policy *policy = NULL;
    offline_list l = {0};
    fr_error err;
    int exit_code = FR_EXIT_FAILURE;
    size_t differ = 0, failed = 0;
    json_t *arr = json ? json_array() : NULL;
    char *ppath = policy_path ? fr_strdup(policy_path) : cli_default_policy_path();
    if (!ppath) {
        fprintf(stderr,
                _("frontera sync: no policy: give --policy FILE or set $FRONTERA_POLICY\n"));
        goto done;
    }
    if (!(policy = cli_load_policy("sync", ppath))) goto done;
    if (cli_audit("sync", db, "sync.recheck", "sync:offline", "cli", NULL) != FR_OK) goto done;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("sync", db, &err);
        goto done;
    }
    int rc = fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, keep_offline, &l, &err);
    if (l.oom) {
        fprintf(stderr, _("frontera sync: out of memory\n"));
        goto done;
    }
    if (rc != FR_OK) {
        cli_print_error("sync", db, &err);
        goto done;
    }
    for (size_t i = 0; i < l.n; i++) {
        fr_booth_recheck x;
        fr_error_clear(&err);
        if (fr_booth_recheck_offline(policy, s, &l.ev[i].ev, &x, &err) != FR_OK) {
            if (err.code != FR_EINVAL) {
                cli_print_error("sync", db, &err);
                goto done;
            }
            cli_print_error("sync", NULL, &err); /* this one cannot be decided again */
            failed++;
            continue;
        }
        differ += x.differs != 0;
        if (!x.differs && !all) continue;
        if (json)
            json_array_append_new(arr, as_json(&l.ev[i].ev, &x));
        else
            print_text(&l.ev[i].ev, &x);
    }
    if (json) {
        json_t *j =
            json_pack("{s:I, s:I, s:I, s:o}", "offline", (json_int_t)l.n, "differ",
                      (json_int_t)differ, "undecidable", (json_int_t)failed, "decisions", arr);
        arr = NULL;
        char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (t) puts(t);
        free(t);
        json_decref(j);
    } else {
        fprintf(stderr,
                _("frontera sync: %zu decisions taken offline, %zu would be decided differently "
                  "with the central's full history, %zu could not be decided again\n"),
                l.n, differ, failed);
    }
    exit_code = differ || failed ? FR_EXIT_FINDING : FR_EXIT_OK;
done:
    for (size_t i = 0; i < l.n; i++)
        fr_free(l.ev[i].reasons);
    fr_free(l.ev);
    json_decref(arr);
    fr_policy_free(policy);
    fr_store_close(s);
    fr_free(ppath);
    return exit_code;
}
