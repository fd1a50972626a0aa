/* SPDX-License-Identifier: MIT */
/* sync_fixture.h: what the sync tests share (test_sync.c,
 * test_sync_status.c): a central server started in the test process on a
 * SQLite ledger with a user of role post (ECUIO, ECGYE), a post's ledger
 * beside it, events recorded at the post, and the post's sync
 * configuration. Header-only: each test is its own program; include after
 * <cmocka.h>. */
#ifndef FR_TESTS_SYNC_FIXTURE_H
#define FR_TESTS_SYNC_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontera/auth.h"
#include "frontera/server.h"
#include "frontera/store.h"
#include "frontera/sync.h"
#include "srvclock.h"
#include "tmpdb.h"

typedef struct world {
    tmp *t;
    char central_db[160], post_db[160], url[64];
    char token[FR_TOKEN_BUFSZ];
    fr_server *srv;
    char *policy;
} world;

static inline char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (b) b[n] = 0;
    fclose(f);
    return b;
}

static inline void make_event(fr_event *ev, const char *id, fr_event_kind kind, const char *at,
                              const char *port, const char *doc)
{
    fr_event_init(ev);
    snprintf(ev->event_id, sizeof ev->event_id, "%s", id);
    ev->kind = kind;
    assert_int_equal(fr_datetime_parse_cstr(at, &ev->at, NULL), FR_OK);
    snprintf(ev->port, sizeof ev->port, "%s", port);
    memcpy(ev->doc.state, "COL", 4);
    snprintf(ev->doc.number, sizeof ev->doc.number, "%s", doc);
    snprintf(ev->doc.surname, sizeof ev->doc.surname, "PAREDES");
    snprintf(ev->doc.given_names, sizeof ev->doc.given_names, "ANA");
    memcpy(ev->doc.nationality, "COL", 4);
    assert_int_equal(fr_date_parse_cstr("1990-05-06", &ev->doc.birth_date, NULL), FR_OK);
    ev->doc.sex = 'F';
    snprintf(ev->officer, sizeof ev->officer, "officer-%s", port);
}

/* n entries at ECUIO, one per traveller, ids P-1..P-n after `from` */
static inline void record_at_post(world *w, int from, int n)
{
    fr_store *s = NULL;
    assert_int_equal(fr_store_open(w->post_db, 0, &s, NULL), FR_OK);
    for (int i = from + 1; i <= from + n; i++) {
        char id[16], doc[16];
        fr_event ev;
        snprintf(id, sizeof id, "P-%d", i);
        snprintf(doc, sizeof doc, "D%06d", i);
        make_event(&ev, id, FR_EVENT_ENTRY, "2024-03-01T09:00-05:00", "ECUIO", doc);
        ev.reasons_json = "[{\"code\":\"stay.ok\",\"days\":90}]";
        assert_int_equal(fr_store_record(s, &ev, NULL, NULL), FR_OK);
    }
    fr_store_close(s);
}

static inline int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    fr_auth *a = NULL;
    fr_store *s = NULL;
    if (!w || !(w->t = tmpdb_new("fr_sync_", 0))) return -1;
    snprintf(w->central_db, sizeof w->central_db, "%s/central.db", w->t->dir);
    snprintf(w->post_db, sizeof w->post_db, "%s/post.db", w->t->dir);
    if (fr_store_open(w->central_db, FR_STORE_CREATE, &s, NULL) != FR_OK) return -1;
    fr_store_close(s);
    if (fr_store_open(w->post_db, FR_STORE_CREATE, &s, NULL) != FR_OK) return -1;
    fr_store_close(s);
    if (fr_auth_open(w->central_db, &a, NULL) != FR_OK ||
        fr_auth_user_add_post(a, "post-airport", "ECUIO,ECGYE", 1, w->token, NULL) != FR_OK)
        return -1;
    fr_auth_close(a);
    w->policy = slurp(FR_SOURCE_DIR "/data/policy/ecu.policy");
    if (!w->policy) return -1;
    fr_server_config cfg = {.db_path = w->central_db,
                            .threads = 2,
                            .policy_text = w->policy,
                            .policy_len = strlen(w->policy),
                            .now_ms = wall_ms,
                            .mono_ns = mono_ns};
    if (fr_server_start(&cfg, &w->srv, NULL) != FR_OK) return -1;
    snprintf(w->url, sizeof w->url, "http://127.0.0.1:%u/", (unsigned)fr_server_port(w->srv));
    *st = w;
    return 0;
}

static inline int teardown(void **st)
{
    world *w = *st;
    fr_server_stop(w->srv, 1000);
    free(w->policy);
    tmpdb_free(w->t);
    free(w);
    return 0;
}

static inline fr_sync_config config(world *w, size_t batch)
{
    fr_sync_config c = {.db = w->post_db,
                        .central = w->url,
                        .token = w->token,
                        .batch = batch,
                        .timeout_ms = 10000,
                        .clock_ms = wall_ms};
    return c;
}

#endif
