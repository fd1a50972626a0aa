/* SPDX-License-Identifier: MIT */
/* test_sync_status.c: what a post officer sees of the post's sync
 * (docs/sync.md, "Status a post officer sees"):
 * - GET /v1/sync/status on a post's server started in this process, as
 *   `serve --central` wires it (fr_server_config.sync_status writing
 *   fr_sync_status_json), against a real central: the events waiting and
 *   since when before a push, none after, the skew measured, the
 *   background sync; officers, supervisors and admins may read it, an
 *   analyst, a carrier and a post may not; a server that syncs with no
 *   central says {"configured": false};
 * - a list the central offers and the post refuses (a lost/stolen file
 *   with a bad row) is shown as behind the central's until a pull takes
 *   the central's list;
 * - each warning fires past its limit and not at it (fr_sync_status_warnings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontera/alloc.h"
#include "sync_fixture.h"

/* The post's server answers as `frontera serve --central` makes it answer
 * (cli_sync_status_answer): the ledger's status, its background sync. */
typedef struct post_view {
    const char *db;
    fr_sync_background bg;
} post_view;

static int status_answer(void *ud, int64_t now_ms, char **json, size_t *len, fr_error *err)
{
    post_view *v = ud;
    fr_sync_status *st = NULL;
    size_t n = 0;
    int rc = fr_sync_status_get(v->db, NULL, &st, &n, err);
    if (rc == FR_OK) rc = fr_sync_status_json(st, n, &v->bg, now_ms, NULL, json, len, err);
    fr_free(st);
    return rc;
}

typedef struct body {
    char *p;
    size_t n;
} body;

static size_t take(char *ptr, size_t size, size_t nmemb, void *ud)
{
    body *b = ud;
    size_t k = size * nmemb;
    char *np = realloc(b->p, b->n + k + 1);
    if (!np) return 0;
    memcpy(np + b->n, ptr, k);
    b->p = np;
    b->n += k;
    b->p[b->n] = 0;
    return k;
}

/* GET base/v1/sync/status with token (NULL: none): the status, and the
 * body as JSON in *out (NULL when it is not JSON). */
static long get_status(uint16_t port, const char *token, json_t **out)
{
    char url[80], auth[120];
    body b = {NULL, 0};
    long status = 0;
    struct curl_slist *h = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/sync/status", (unsigned)port);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    *out = b.p ? json_loads(b.p, 0, NULL) : NULL;
    free(b.p);
    return status;
}

static int has_warning(json_t *warnings, const char *name)
{
    size_t i;
    json_t *x;
    json_array_foreach(warnings, i, x) if (strcmp(json_string_value(x), name) == 0) return 1;
    return 0;
}

typedef struct post {
    fr_server *srv;
    post_view view;
    char officer[FR_TOKEN_BUFSZ], supervisor[FR_TOKEN_BUFSZ], admin[FR_TOKEN_BUFSZ],
        analyst[FR_TOKEN_BUFSZ], carrier[FR_TOKEN_BUFSZ], post[FR_TOKEN_BUFSZ];
} post;

/* The post's own server, with a user of each role. */
static void post_start(world *w, post *p)
{
    fr_auth *a = NULL;
    assert_int_equal(fr_auth_open(w->post_db, &a, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "o", FR_ROLE_OFFICER, 1, p->officer, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "s", FR_ROLE_SUPERVISOR, 1, p->supervisor, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "a", FR_ROLE_ADMIN, 1, p->admin, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "n", FR_ROLE_ANALYST, 1, p->analyst, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "c", FR_ROLE_CARRIER, 1, p->carrier, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add_post(a, "p", "ECUIO", 1, p->post, NULL), FR_OK);
    fr_auth_close(a);
    p->view = (post_view){w->post_db, {w->url, 30, 300, 1}};
    fr_server_config cfg = {.db_path = w->post_db,
                            .threads = 2,
                            .policy_text = w->policy,
                            .policy_len = strlen(w->policy),
                            .now_ms = wall_ms,
                            .mono_ns = mono_ns,
                            .sync_status = status_answer,
                            .sync_status_ud = &p->view};
    assert_int_equal(fr_server_start(&cfg, &p->srv, NULL), FR_OK);
}

static json_t *central0(json_t *j)
{
    json_t *c = json_array_get(json_object_get(j, "centrals"), 0);
    assert_non_null(c);
    return c;
}

static void route_shows_what_waits_before_a_push_and_nothing_after(void **st)
{
    world *w = *st;
    post p;
    json_t *j = NULL;
    fr_sync_report r;
    fr_error err;
    post_start(w, &p);
    uint16_t port = fr_server_port(p.srv);
    /* set up, never pushed: a central is configured, nothing known yet */
    assert_int_equal(get_status(port, p.officer, &j), 200);
    assert_true(json_is_true(json_object_get(j, "configured")));
    assert_int_equal(json_array_size(json_object_get(j, "centrals")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
    json_t *bg = json_object_get(j, "background");
    assert_string_equal(json_string_value(json_object_get(bg, "central")), w->url);
    assert_true(json_is_true(json_object_get(bg, "running")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "limits"), "stale_s")),
                     FR_SYNC_STALE_S);
    json_decref(j);

    /* five events recorded on 1 March 2024, two of them sent */
    record_at_post(w, 0, 5);
    fr_sync_config c = config(w, 50);
    c.max_events = 2;
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(get_status(port, p.officer, &j), 200);
    json_t *s = central0(j);
    char want[80];
    snprintf(want, sizeof want, "%.63s", w->url);
    want[strlen(want) - 1] = 0; /* the central's key has no trailing slash */
    assert_string_equal(json_string_value(json_object_get(s, "central")), want);
    assert_int_equal(json_integer_value(json_object_get(s, "waiting")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "acked_seq")), 2);
    /* the first event not sent waits since its time: 09:00 at UTC-5 */
    assert_string_equal(json_string_value(json_object_get(s, "oldest_waiting")),
                        "2024-03-01T14:00:00Z");
    assert_true(json_integer_value(json_object_get(s, "oldest_waiting_age_s")) > 86400);
    assert_true(json_integer_value(json_object_get(s, "last_success_age_s")) <= 5);
    json_t *skew = json_object_get(s, "skew_ms");
    assert_true(json_is_integer(skew) && llabs(json_integer_value(skew)) < 2000);
    assert_true(has_warning(json_object_get(s, "warnings"), "waiting"));
    assert_false(has_warning(json_object_get(s, "warnings"), "stale"));
    assert_true(has_warning(json_object_get(j, "warnings"), "waiting"));
    json_decref(j);

    /* everything sent: nothing waits, nothing to warn of */
    c.max_events = 0;
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(get_status(port, p.supervisor, &j), 200);
    s = central0(j);
    assert_int_equal(json_integer_value(json_object_get(s, "waiting")), 0);
    assert_true(json_is_null(json_object_get(s, "oldest_waiting")));
    assert_true(json_is_null(json_object_get(s, "last_error")));
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 0);
    json_decref(j);

    /* who may read it */
    assert_int_equal(get_status(port, p.admin, &j), 200);
    json_decref(j);
    assert_int_equal(get_status(port, p.analyst, &j), 403);
    json_decref(j);
    assert_int_equal(get_status(port, p.carrier, &j), 403);
    json_decref(j);
    assert_int_equal(get_status(port, p.post, &j), 403);
    json_decref(j);
    assert_int_equal(get_status(port, NULL, &j), 401);
    json_decref(j);
    fr_server_stop(p.srv, 1000);

    /* a server with no central (the central's own): said plainly, not an error */
    fr_auth *a = NULL;
    char officer[FR_TOKEN_BUFSZ];
    assert_int_equal(fr_auth_open(w->central_db, &a, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(a, "co", FR_ROLE_OFFICER, 1, officer, NULL), FR_OK);
    fr_auth_close(a);
    assert_int_equal(get_status(fr_server_port(w->srv), officer, &j), 200);
    assert_true(json_is_false(json_object_get(j, "configured")));
    json_decref(j);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void a_refused_list_is_behind_the_centrals_until_a_pull_takes_it(void **st)
{
    world *w = *st;
    char cdir[200], pdir[200], path[260];
    snprintf(cdir, sizeof cdir, "%s/central-lists", w->t->dir);
    snprintf(pdir, sizeof pdir, "%s/post-lists", w->t->dir);
    assert_int_equal(mkdir(cdir, 0700), 0);
    assert_int_equal(mkdir(pdir, 0700), 0);
    snprintf(path, sizeof path, "%s/lost-stolen.docs.csv", cdir);
    /* a row the post cannot load: the whole list is refused there */
    write_file(path, "state,number,type\nD,C01X00T47,P\nQQQ,!!,P\n");
    fr_server_config cfg = {.db_path = w->central_db,
                            .threads = 2,
                            .policy_text = w->policy,
                            .policy_len = strlen(w->policy),
                            .lists_dir = cdir,
                            .now_ms = wall_ms,
                            .mono_ns = mono_ns};
    fr_server *lists = NULL;
    assert_int_equal(fr_server_start(&cfg, &lists, NULL), FR_OK);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)fr_server_port(lists));
    fr_sync_config c = config(w, 0);
    c.central = url;
    fr_sync_list_pull pl;
    fr_error err;
    assert_int_equal(fr_sync_pull_list(&c, FR_SYNC_LOST_STOLEN, pdir, &pl, &err), FR_ECONFLICT);
    fr_sync_status *sv = NULL;
    size_t n = 0;
    assert_int_equal(fr_sync_status_get(w->post_db, url, &sv, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    const fr_sync_list_state *l = &sv[0].lists[2];
    assert_string_equal(l->name, "lost-stolen");
    assert_true(l->refused_ms > 0 && l->refused_version > 0 && strlen(l->refused_digest) == 64);
    assert_int_equal(l->checked_ms, 0); /* the post holds none */
    int64_t now = wall_ms(NULL);
    assert_int_equal(fr_sync_list_warnings(l, now, NULL), FR_SYNC_LIST_BEHIND);
    assert_true(fr_sync_status_warnings(&sv[0], now, NULL) & FR_SYNC_WARN_LISTS);
    fr_free(sv);
    /* the central's list mended: the post takes it and is no longer behind */
    write_file(path, "state,number,type\nD,C01X00T47,P\n");
    assert_int_equal(fr_sync_pull_list(&c, FR_SYNC_LOST_STOLEN, pdir, &pl, &err), FR_OK);
    assert_int_equal(fr_sync_status_get(w->post_db, url, &sv, &n, &err), FR_OK);
    l = &sv[0].lists[2];
    assert_int_equal(l->refused_ms, 0);
    assert_true(l->checked_ms > 0);
    assert_int_equal(fr_sync_list_warnings(l, wall_ms(NULL), NULL), 0);
    fr_free(sv);
    fr_server_stop(lists, 1000);
}

static void each_warning_fires_past_its_limit_and_not_at_it(void **st)
{
    (void)st;
    const int64_t now = 1800000000000;
    fr_sync_status s;
    memset(&s, 0, sizeof s);
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0); /* not tried yet */
    s.last_try_ms = now;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_STALE); /* never */
    snprintf(s.last_error, sizeof s.last_error, "no answer");
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL),
                     FR_SYNC_WARN_STALE | FR_SYNC_WARN_OFFLINE);
    s.last_error[0] = 0;
    s.last_ok_ms = now - FR_SYNC_STALE_S * 1000;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0);
    s.last_ok_ms--;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_STALE);
    fr_sync_limits lim = {.stale_s = 3600};
    assert_int_equal(fr_sync_status_warnings(&s, now, &lim), 0);
    s.last_ok_ms = now;
    s.waiting = 4;
    s.oldest_waiting_ms = now - FR_SYNC_WAITING_S * 1000;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0);
    s.oldest_waiting_ms--;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_WAITING);
    s.waiting = 0;
    s.issues = 1;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_ISSUES);
    s.issues = 0;
    s.skew_ms = -FR_SYNC_SKEW_S * 1000 - 1; /* not measured: no warning */
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0);
    s.have_skew = 1;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_SKEW);
    s.skew_ms = FR_SYNC_SKEW_S * 1000;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0);
    s.skew_ms++;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_SKEW);
    s.skew_ms = 0;
    fr_sync_list_state *l = &s.lists[1];
    l->checked_ms = now - FR_SYNC_LISTS_S * 1000;
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), 0);
    l->checked_ms--;
    assert_int_equal(fr_sync_list_warnings(l, now, NULL), FR_SYNC_LIST_UNCONFIRMED);
    assert_int_equal(fr_sync_status_warnings(&s, now, NULL), FR_SYNC_WARN_LISTS);
    l->checked_ms = now;
    l->refused_ms = now;
    assert_int_equal(fr_sync_list_warnings(l, now, NULL), FR_SYNC_LIST_BEHIND);
    assert_string_equal(fr_sync_warning_name(FR_SYNC_WARN_SKEW, 0), "skew");
    assert_string_equal(fr_sync_warning_name(FR_SYNC_LIST_BEHIND, 1), "behind");
    assert_string_equal(fr_sync_warning_name(FR_SYNC_WARN_STALE | FR_SYNC_WARN_SKEW, 0), "");

    /* the JSON says the same, with the limits it used */
    snprintf(s.central, sizeof s.central, "http://c:1");
    snprintf(l->name, sizeof l->name, "watchlist");
    l->refused_version = 99;
    char *text = NULL;
    size_t len = 0;
    fr_error err;
    fr_sync_limits five = {.skew_s = 5};
    s.have_skew = 1;
    s.skew_ms = 6000;
    assert_int_equal(fr_sync_status_json(&s, 1, NULL, now, &five, &text, &len, &err), FR_OK);
    assert_int_equal(strlen(text), len);
    json_t *j = json_loads(text, 0, NULL);
    fr_free(text);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(j, "background")));
    json_t *lim_j = json_object_get(j, "limits");
    assert_int_equal(json_integer_value(json_object_get(lim_j, "skew_s")), 5);
    assert_int_equal(json_integer_value(json_object_get(lim_j, "waiting_s")), FR_SYNC_WAITING_S);
    json_t *c0 = central0(j);
    json_t *wl = json_object_get(json_object_get(c0, "lists"), "watchlist");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(wl, "refused"), "version")),
                     99);
    assert_true(has_warning(json_object_get(wl, "warnings"), "behind"));
    json_t *warn = json_object_get(j, "warnings");
    assert_int_equal(json_array_size(warn), 2);
    assert_string_equal(json_string_value(json_array_get(warn, 0)), "skew");
    assert_string_equal(json_string_value(json_array_get(warn, 1)), "lists");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(route_shows_what_waits_before_a_push_and_nothing_after,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_refused_list_is_behind_the_centrals_until_a_pull_takes_it,
                                        setup, teardown),
        cmocka_unit_test(each_warning_fires_past_its_limit_and_not_at_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
