/* SPDX-License-Identifier: MIT */
/* test_server_lists.c: a running server takes new screening lists and a new
 * policy without a restart (server.h: fr_server_swap_lists,
 * fr_server_set_policy), as a border post's background sync does
 * (docs/sync.md). Three client threads send admissions over HTTP while the
 * main thread swaps the lists forty times between one that lists the
 * traveller and one that does not, each version freshly built and freed by
 * its release callback: every answer is a whole decision (200), both
 * outcomes are seen, and every version is released exactly once (the last
 * at stop); under ASan a version freed while a request still screened
 * against it would be a use-after-free. A policy without rules is refused
 * and the one in force stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frontera/auth.h"
#include "frontera/screen.h"
#include "frontera/server.h"
#include "frontera/store.h"
#include "srvclock.h"
#include "tmpdb.h"

#define CLIENTS 3
#define SWAPS 40

/* One version of the lists, owned by the test until the server releases it. */
typedef struct version {
    fr_watchlist *wl;
    fr_screen_index *idx;
} version;

static atomic_int released;

static void release(void *owner)
{
    version *v = owner;
    fr_screen_index_free(v->idx);
    fr_watchlist_free(v->wl);
    free(v);
    atomic_fetch_add(&released, 1);
}

static version *build(int lists_zhang)
{
    static const char A[] = "id,list,name,aliases,birth_date,nationality,documents,reason\n"
                            "Z2,SANCTIONS,\"AL-ZAWAHIRI, Ayman\",,1951-06-19,EGY,,\n";
    static const char B[] = "id,list,name,aliases,birth_date,nationality,documents,reason\n"
                            "Z1,SANCTIONS,\"ZHANG, Wei\",,1985-03-14,CHN,,fraud\n";
    const char *csv = lists_zhang ? B : A;
    version *v = calloc(1, sizeof *v);
    assert_non_null(v);
    assert_int_equal(fr_watchlist_new(&v->wl), FR_OK);
    assert_int_equal(fr_watchlist_parse(v->wl, csv, strlen(csv), FR_WATCHLIST_CSV, NULL, NULL),
                     FR_OK);
    assert_int_equal(fr_screen_index_build(v->wl, &v->idx, NULL), FR_OK);
    return v;
}

typedef struct client {
    uint16_t port;
    const char *token;
    int hits, clear, bad;
    atomic_int *stop;
} client;

/* POST body to path; the status, and whether the answer names the list. */
static int post(uint16_t port, const char *token, const char *path, const char *body, int *hit)
{
    char req[2048], ans[16384];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    int n = snprintf(req, sizeof req,
                     "POST %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nContent-Type: "
                     "application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     path, token, strlen(body), body);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    size_t len = 0;
    ssize_t got;
    while (len + 1 < sizeof ans && (got = read(fd, ans + len, sizeof ans - 1 - len)) > 0)
        len += (size_t)got;
    ans[len] = 0;
    close(fd);
    int status = 0;
    if (sscanf(ans, "HTTP/1.1 %d", &status) != 1) return -1;
    *hit = strstr(ans, "SANCTIONS") != NULL;
    return status;
}

static const char ADMISSION[] =
    "{\"mrz\":[\"P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\","
    "\"E123456782CHN8503149M3005017<<<<<<<<<<<<<<<8\"],"
    "\"port\":\"ECUIO\",\"at\":\"2024-06-30T10:15-05:00\",\"record\":false}";

static void *run(void *arg)
{
    client *c = arg;
    while (!atomic_load(c->stop)) {
        int hit = 0;
        int status = post(c->port, c->token, "/v1/admissions", ADMISSION, &hit);
        if (status != 200)
            c->bad++;
        else if (hit)
            c->hits++;
        else
            c->clear++;
    }
    return NULL;
}

static void lists_swap_under_load_and_each_version_is_released_once(void **st)
{
    (void)st;
    tmp *t = tmpdb_new("fr_srvlists_", 0);
    char db[200], token[FR_TOKEN_BUFSZ];
    fr_auth *auth = NULL;
    fr_store *s = NULL;
    assert_non_null(t);
    snprintf(db, sizeof db, "%s/ledger.db", t->dir);
    assert_int_equal(fr_store_open(db, FR_STORE_CREATE, &s, NULL), FR_OK);
    fr_store_close(s);
    assert_int_equal(fr_auth_open(db, &auth, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(auth, "officer", FR_ROLE_OFFICER, 1, token, NULL), FR_OK);
    fr_auth_close(auth);
    FILE *f = fopen(FR_SOURCE_DIR "/data/policy/ecu.policy", "rb");
    assert_non_null(f);
    static char policy[1 << 20];
    size_t plen = fread(policy, 1, sizeof policy - 1, f);
    fclose(f);
    version *first = build(0); /* the configuration's: borrowed, freed here */
    fr_server_config cfg = {.db_path = db,
                            .threads = 4,
                            .policy_text = policy,
                            .policy_len = plen,
                            .screen = first->idx,
                            .now_ms = wall_ms,
                            .mono_ns = mono_ns};
    fr_server *srv = NULL;
    fr_error err;
    assert_int_equal(fr_server_start(&cfg, &srv, &err), FR_OK);
    atomic_store(&released, 0);

    atomic_int stop = 0;
    client cl[CLIENTS];
    pthread_t th[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        cl[i] = (client){.port = fr_server_port(srv), .token = token, .stop = &stop};
        assert_int_equal(pthread_create(&th[i], NULL, run, &cl[i]), 0);
    }
    for (int i = 1; i <= SWAPS; i++) {
        version *v = build(i % 2);
        assert_int_equal(fr_server_swap_lists(srv, v->idx, NULL, release, v, &err), FR_OK);
        usleep(20000);
    }
    atomic_store(&stop, 1);
    int hits = 0, clear = 0, bad = 0;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(th[i], NULL);
        hits += cl[i].hits;
        clear += cl[i].clear;
        bad += cl[i].bad;
    }
    assert_int_equal(bad, 0);
    assert_true(hits > 0 && clear > 0);
    /* all but the version in force are released once no request holds them */
    assert_int_equal(atomic_load(&released), SWAPS - 1);

    /* a policy without rules is refused; a valid one goes in force */
    uint64_t ver = 0;
    const char empty[] = "jurisdiction ECU\n";
    assert_int_not_equal(fr_server_set_policy(srv, empty, strlen(empty), &ver, &err), FR_OK);
    assert_int_equal(fr_server_set_policy(srv, policy, plen, &ver, &err), FR_OK);
    assert_int_equal(ver, 2);

    fr_server_stop(srv, 2000);
    assert_int_equal(atomic_load(&released), SWAPS); /* the last at stop */
    fr_screen_index_free(first->idx);
    fr_watchlist_free(first->wl);
    free(first);
    tmpdb_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_swap_under_load_and_each_version_is_released_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
