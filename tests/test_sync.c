/* SPDX-License-Identifier: MIT */
/* test_sync.c: a border post's push to the central (sync.h) against a real
 * central server started in this process (server.h) on a SQLite ledger:
 * the mark moves past answered batches only and never back; a push with
 * nothing new sends nothing; a lost mark sends everything again and the
 * central takes it all as duplicates; max_events stops part way and the
 * next push goes on from there; a conflicting id and a port outside the
 * post's scope are kept as issues and never applied; an unreachable central
 * leaves the mark and notes the error; bad central addresses are refused.
 * Also the post role (auth.h: ports, scope) and fr_store_events_since, and
 * the histories a post pulls (the set, recorded as the central holds them,
 * never pushed back, incremental after the first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/auth.h"
#include "frontera/server.h"
#include "frontera/store.h"
#include "frontera/sync.h"
#include "sync_fixture.h"

static uint64_t central_count(world *w)
{
    fr_store *s = NULL;
    uint64_t n = 0, d = 0;
    assert_int_equal(fr_store_open(w->central_db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_store_digest(s, &n, &d, NULL), FR_OK);
    fr_store_close(s);
    return n;
}

static void digests_equal(world *w)
{
    fr_store *a = NULL, *b = NULL;
    uint64_t na, da, nb, db;
    assert_int_equal(fr_store_open(w->central_db, 0, &a, NULL), FR_OK);
    assert_int_equal(fr_store_open(w->post_db, 0, &b, NULL), FR_OK);
    assert_int_equal(fr_store_digest(a, &na, &da, NULL), FR_OK);
    assert_int_equal(fr_store_digest(b, &nb, &db, NULL), FR_OK);
    assert_int_equal(na, nb);
    assert_true(da == db); /* the same events with the same content, officer and reasons */
    fr_store_close(a);
    fr_store_close(b);
}

static void push_sends_each_event_once_and_the_mark_only_moves_forward(void **st)
{
    world *w = *st;
    fr_sync_config c = config(w, 7);
    fr_sync_report r;
    fr_error err;
    record_at_post(w, 0, 30);
    c.max_events = 12; /* stops part way: 7 + 5 */
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.sent, 12);
    assert_int_equal(r.batches, 2);
    assert_int_equal(r.acked_seq, 12);
    assert_int_equal(r.waiting, 18);
    assert_int_equal(central_count(w), 12);
    c.max_events = 0;
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.sent, 18);
    assert_int_equal(r.recorded, 18);
    assert_int_equal(r.duplicates, 0);
    assert_int_equal(r.acked_seq, 30);
    assert_int_equal(r.waiting, 0);
    assert_true(r.have_skew);
    assert_true(r.skew_ms > -3000 && r.skew_ms < 3000);
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK); /* nothing new: nothing sent */
    assert_int_equal(r.sent, 0);
    assert_int_equal(r.batches, 0);
    digests_equal(w);

    /* the mark is lost: all 30 again, all duplicates, none doubled */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(w->post_db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE sync_state SET acked_seq = 0", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.sent, 30);
    assert_int_equal(r.duplicates, 30);
    assert_int_equal(r.recorded, 0);
    assert_int_equal(central_count(w), 30);

    fr_sync_status *sv = NULL;
    size_t n = 0;
    assert_int_equal(fr_sync_status_get(w->post_db, NULL, &sv, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sv[0].acked_seq, 30);
    assert_int_equal(sv[0].waiting, 0);
    assert_true(sv[0].last_ok_ms > 0);
    assert_string_equal(sv[0].last_error, "");
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)strlen(w->url) - 1, w->url); /* no trailing '/' */
    assert_string_equal(sv[0].central, base);
    fr_free(sv);
}

/* A clock the test drives: each call moves it on by step ms and first reads
 * the post's mark as written (its own connection), so the test sees what a
 * crash at that moment would leave; at call revoke_at it revokes the post's
 * token at the central, so the next batch is refused part way through. */
typedef struct mark_clock {
    world *w;
    int64_t now, step;
    int calls, revoke_at;
    int64_t seen[64];
} mark_clock;

static int64_t mark_clock_ms(void *ud)
{
    mark_clock *k = ud;
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int64_t mark = 0;
    assert_int_equal(sqlite3_open(k->w->post_db, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, "SELECT acked_seq FROM sync_state", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        mark = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (k->calls < 64) k->seen[k->calls] = mark;
    k->calls++;
    if (k->revoke_at && k->calls == k->revoke_at) {
        fr_auth *a = NULL;
        assert_int_equal(fr_auth_open(k->w->central_db, &a, NULL), FR_OK);
        assert_int_equal(fr_auth_user_revoke(a, "post-airport", 1, NULL), FR_OK);
        fr_auth_close(a);
    }
    k->now += k->step;
    return k->now;
}

/* The mark is a write on the booth's ledger: during a push it is written at
 * most once every FR_SYNC_MARK_EVERY_MS, always at the end, and at the end of
 * a push that fails part way (after the last answered batch). */
static void the_mark_is_written_at_most_once_a_second_and_always_at_the_end(void **st)
{
    world *w = *st;
    fr_sync_config c = config(w, 5);
    fr_sync_report r;
    fr_error err;
    mark_clock k = {.w = w, .now = wall_ms(NULL), .step = 0};
    c.clock_ms = mark_clock_ms;
    c.clock_ud = &k;
    record_at_post(w, 0, 30);
    /* a clock that stands still: six batches, the mark written once, at the end */
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.batches, 6);
    assert_int_equal(r.acked_seq, 30);
    assert_true(k.calls >= 12);
    for (int i = 0; i < k.calls && i < 64; i++)
        assert_int_equal(k.seen[i], 0); /* nothing written while it ran */
    fr_sync_status *sv = NULL;
    size_t n = 0;
    assert_int_equal(fr_sync_status_get(w->post_db, NULL, &sv, &n, &err), FR_OK);
    assert_int_equal(sv[0].acked_seq, 30);
    fr_free(sv);

    /* 0.6 s a reading (two a batch): the mark follows each batch */
    record_at_post(w, 30, 30);
    k = (mark_clock){.w = w, .now = wall_ms(NULL), .step = 600};
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.acked_seq, 60);
    int64_t last = 30, moves = 0;
    for (int i = 0; i < k.calls && i < 64; i++) {
        assert_true(k.seen[i] >= last); /* never backwards */
        if (k.seen[i] > last) moves++;
        last = k.seen[i];
    }
    assert_true(moves >= 4); /* written mid-push: a crash would resend little */

    /* the token revoked after the second batch: the push fails, and the mark
     * is where the answers were (two batches), not where the push began */
    record_at_post(w, 60, 30);
    k = (mark_clock){.w = w, .now = wall_ms(NULL), .step = 0, .revoke_at = 5};
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_EAUTH);
    assert_int_equal(r.batches, 2);
    assert_int_equal(r.acked_seq, 70);
    assert_int_equal(fr_sync_status_get(w->post_db, NULL, &sv, &n, &err), FR_OK);
    assert_int_equal(sv[0].acked_seq, 70);
    assert_int_equal(sv[0].waiting, 20);
    fr_free(sv);
    assert_int_equal(central_count(w), 70);
}

static int count_issue(void *ud, const fr_sync_issue *x)
{
    int *n = ud;
    if (strcmp(x->event_id, "P-1") == 0) assert_string_equal(x->status, "conflict");
    if (strcmp(x->event_id, "FOREIGN-1") == 0) {
        assert_string_equal(x->status, "rejected");
        assert_string_equal(x->field, "port");
    }
    (*n)++;
    return 0;
}

static int find_p1(void *ud, const fr_event *ev)
{
    if (strcmp(ev->event_id, "P-1") == 0) *(fr_date *)ud = ev->at.date;
    return 0;
}

static void conflict_and_foreign_port_are_kept_never_applied(void **st)
{
    world *w = *st;
    fr_sync_config c = config(w, 50);
    fr_sync_report r;
    fr_error err;
    record_at_post(w, 0, 3);
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    /* another post ledger holds P-1 with other content and an event at ECTUL */
    tmp *t2 = tmpdb_new("fr_sync2_", 1);
    assert_non_null(t2);
    fr_store *s = NULL;
    fr_event ev;
    assert_int_equal(fr_store_open(t2->db, 0, &s, NULL), FR_OK);
    make_event(&ev, "P-1", FR_EVENT_ENTRY, "2024-03-02T09:00-05:00", "ECUIO", "D000001");
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    make_event(&ev, "FOREIGN-1", FR_EVENT_ENTRY, "2024-03-02T09:00-05:00", "ECTUL", "F1");
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    make_event(&ev, "OK-1", FR_EVENT_EXIT, "2024-03-09T09:00-05:00", "ECGYE", "D000002");
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    fr_store_close(s);
    c.db = t2->db;
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.conflicts, 1);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.recorded, 1);
    assert_int_equal(r.acked_seq, 3); /* answered: not sent again */
    int n = 0;
    assert_int_equal(fr_sync_issues(t2->db, count_issue, &n, &err), FR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(central_count(w), 4); /* P-1..3 and OK-1 */
    /* the central's P-1 is still the first post's (2024-03-01), not the other's */
    fr_date day = FR_DATE_NONE;
    assert_int_equal(fr_store_open(w->central_db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, find_p1, &day, NULL), FR_OK);
    fr_store_close(s);
    fr_date want;
    assert_int_equal(fr_date_parse_cstr("2024-03-01", &want, NULL), FR_OK);
    assert_int_equal(day, want);
    tmpdb_free(t2);
}

static void unreachable_central_keeps_the_mark_and_notes_why(void **st)
{
    world *w = *st;
    fr_sync_config c = config(w, 50);
    fr_sync_report r;
    fr_error err;
    record_at_post(w, 0, 4);
    c.central = "http://127.0.0.1:1";
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_EIO);
    assert_int_equal(r.acked_seq, 0);
    assert_int_equal(r.waiting, 4);
    assert_null(strstr(err.message, w->token));
    fr_sync_status *sv = NULL;
    size_t n = 0;
    assert_int_equal(fr_sync_status_get(w->post_db, NULL, &sv, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sv[0].last_ok_ms, 0);
    assert_true(sv[0].last_try_ms > 0);
    assert_non_null(strstr(sv[0].last_error, "no answer"));
    fr_free(sv);
    /* a wrong token: 401, FR_EAUTH, nothing moves */
    c = config(w, 50);
    c.token = "frt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_EAUTH);
    assert_non_null(strstr(err.message, "--role post")); /* what to do about it */
    assert_int_equal(r.acked_seq, 0);
    assert_int_equal(central_count(w), 0);
    /* addresses that are not a central's */
    const char *bad[] = {"ftp://h:1", "http://user:pw@127.0.0.1:1", "http://h/?token=x", "h:80",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        c.central = bad[i];
        assert_int_equal(fr_sync_push(&c, &r, &err), FR_EINVAL);
    }
}

static void post_role_is_scoped_to_its_ports(void **st)
{
    world *w = *st;
    fr_auth *a = NULL;
    char tok[FR_TOKEN_BUFSZ];
    fr_user u;
    assert_int_equal(fr_role_may(FR_ROLE_POST, FR_PERM_EVENTS), 1);
    assert_int_equal(fr_role_may(FR_ROLE_POST, FR_PERM_ADMIT), 0);
    assert_int_equal(fr_role_may(FR_ROLE_POST, FR_PERM_TRAVELLER), 0);
    assert_int_equal(fr_role_may(FR_ROLE_POST, FR_PERM_REPORTS), 0);
    assert_string_equal(fr_role_name(FR_ROLE_POST), "post");
    assert_int_equal(fr_role_parse("post", 4), FR_ROLE_POST);
    assert_int_equal(fr_auth_open(w->central_db, &a, NULL), FR_OK);
    const char *bad[] = {"",
                         "ECUI",
                         "ECUIO,",
                         "ECUIO;ECGYE",
                         "XXUIO",
                         "ECUIO,ECUIO",
                         "ecuio",
                         "ECUIO,ECGYE,ECTUL,ECMCH,ECCUE,ECMEC,ECESM,ECLLD,ECPSJ,ECSNC,ECMNT,ECGPS,"
                         "ECLOH,ECMRR,ECOCC,ECTPC,ECXMS",
                         NULL};
    for (int i = 0; bad[i]; i++)
        assert_int_equal(fr_auth_user_add_post(a, "p-bad", bad[i], 1, tok, NULL), FR_EINVAL);
    assert_int_equal(fr_auth_user_add(a, "p-bad", FR_ROLE_POST, 1, tok, NULL), FR_EINVAL);
    assert_int_equal(fr_auth_user_add_post(a, "p-land", "ECTUL,ECMCH", 1, tok, NULL), FR_OK);
    assert_int_equal(fr_auth_check(a, tok, strlen(tok), &u, NULL), FR_OK);
    assert_int_equal(u.role, FR_ROLE_POST);
    assert_string_equal(u.ports, "ECTUL,ECMCH");
    assert_true(fr_auth_port_allowed(&u, "ECMCH"));
    assert_false(fr_auth_port_allowed(&u, "ECUIO"));
    assert_false(fr_auth_port_allowed(&u, "ECTU"));
    u.role = FR_ROLE_OFFICER;
    assert_true(fr_auth_port_allowed(&u, "ECUIO"));
    fr_auth_close(a);
}

typedef struct seen {
    int64_t seq[64];
    char ids[64][FR_EVENT_ID_MAX + 1];
    int n;
} seen;

static int see(void *ud, int64_t seq, const fr_event *ev)
{
    seen *s = ud;
    s->seq[s->n] = seq;
    snprintf(s->ids[s->n], sizeof s->ids[s->n], "%s", ev->event_id);
    assert_string_equal(ev->reasons_json, "[{\"code\":\"stay.ok\",\"days\":90}]");
    assert_string_equal(ev->officer, "officer-ECUIO");
    s->n++;
    return 0;
}

static void events_since_walks_whole_events_in_sequence_order(void **st)
{
    world *w = *st;
    fr_store *s = NULL;
    seen a = {0}, b = {0};
    record_at_post(w, 0, 5);
    assert_int_equal(fr_store_open(w->post_db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_store_events_since(s, 0, 2, see, &a, NULL), FR_OK);
    assert_int_equal(a.n, 2);
    assert_string_equal(a.ids[0], "P-1");
    assert_int_equal(fr_store_events_since(s, a.seq[1], 0, see, &b, NULL), FR_OK);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.ids[0], "P-3");
    assert_string_equal(b.ids[2], "P-5");
    assert_true(b.seq[0] > a.seq[1] && b.seq[2] > b.seq[1]);
    fr_store_close(s);
}

/* "YYYY-MM-DDT09:00Z", days before now */
static void days_ago(int days, char out[32])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT09:00Z", &tm);
}

static void record_at_central(world *w, const char *id, fr_event_kind kind, int days,
                              const char *port, const char *doc)
{
    fr_store *s = NULL;
    fr_event ev;
    char at[32];
    days_ago(days, at);
    make_event(&ev, id, kind, at, port, doc);
    ev.reasons_json = "[{\"code\":\"stay.ok\",\"days\":90}]";
    assert_int_equal(fr_store_open(w->central_db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    fr_store_close(s);
}

static void pulled_histories_are_recorded_as_sent_and_never_pushed_back(void **st)
{
    world *w = *st;
    fr_sync_config c = config(w, 50);
    fr_sync_history_report h;
    fr_sync_report r;
    fr_error err;
    /* in the country after an entry at the land border; left the country;
     * crossed at the post's port and left */
    record_at_central(w, "C-IN", FR_EVENT_ENTRY, 10, "ECTUL", "X000001");
    record_at_central(w, "C-GONE-1", FR_EVENT_ENTRY, 30, "ECTUL", "X000002");
    record_at_central(w, "C-GONE-2", FR_EVENT_EXIT, 20, "ECTUL", "X000002");
    record_at_central(w, "C-PORT-1", FR_EVENT_ENTRY, 40, "ECUIO", "X000003");
    record_at_central(w, "C-PORT-2", FR_EVENT_EXIT, 35, "ECTUL", "X000003");
    record_at_central(w, "C-OLD", FR_EVENT_ENTRY, 400, "ECTUL", "X000004"); /* out of the window */
    record_at_post(w, 0, 2);
    assert_int_equal(fr_sync_pull_histories(&c, 0, 0, &h, &err), FR_OK);
    assert_int_equal(h.incremental, 0);
    assert_int_equal(h.travellers, 2); /* X000001 in the country, X000003 crossed at ECUIO */
    assert_int_equal(h.events, 3);
    assert_int_equal(h.recorded, 3);
    /* the push passes them: only the post's own two go */
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.sent, 2);
    assert_int_equal(r.skipped, 3);
    assert_int_equal(r.rejected + r.conflicts, 0); /* C-IN at ECTUL would be out of scope */
    assert_int_equal(r.waiting, 0);
    /* pulled again in full (--all), the events come back only as known: the
     * same content (a copy that differed would be a conflict) */
    assert_int_equal(fr_sync_pull_histories(&c, 0, 1, &h, &err), FR_OK);
    assert_int_equal(h.incremental, 0);
    assert_int_equal(h.events, 3);
    assert_int_equal(h.known, 3);
    assert_int_equal(h.recorded, 0);
    assert_int_equal(fr_sync_push(&c, &r, &err), FR_OK);
    assert_int_equal(r.sent, 0);
    /* incremental: nothing new at the central, nothing sent */
    assert_int_equal(fr_sync_pull_histories(&c, 0, 0, &h, &err), FR_OK);
    assert_int_equal(h.incremental, 1);
    assert_int_equal(h.events, 0);
    /* the pulled events are as the central holds them (officer, reasons, times) */
    fr_store *a = NULL, *b = NULL;
    uint64_t na, da, nb, db;
    assert_int_equal(fr_store_open(w->central_db, 0, &a, NULL), FR_OK);
    assert_int_equal(fr_store_open(w->post_db, 0, &b, NULL), FR_OK);
    assert_int_equal(fr_store_digest(a, &na, &da, NULL), FR_OK);
    assert_int_equal(fr_store_digest(b, &nb, &db, NULL), FR_OK);
    assert_int_equal(na, 8);
    assert_int_equal(nb, 5); /* 2 own + 3 pulled */
    fr_store_close(a);
    fr_store_close(b);
    /* the status counts no pulled event as waiting, and says when they came */
    fr_sync_status *sv = NULL;
    size_t n = 0;
    assert_int_equal(fr_sync_status_get(w->post_db, NULL, &sv, &n, &err), FR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(sv[0].waiting, 0);
    assert_string_equal(sv[0].lists[3].name, "histories");
    assert_true(sv[0].lists[3].version >= 8 && sv[0].lists[3].pulled_ms > 0);
    fr_free(sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(push_sends_each_event_once_and_the_mark_only_moves_forward,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            the_mark_is_written_at_most_once_a_second_and_always_at_the_end, setup, teardown),
        cmocka_unit_test_setup_teardown(conflict_and_foreign_port_are_kept_never_applied, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(unreachable_central_keeps_the_mark_and_notes_why, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(post_role_is_scoped_to_its_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(events_since_walks_whole_events_in_sequence_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pulled_histories_are_recorded_as_sent_and_never_pushed_back,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
