/* SPDX-License-Identifier: MIT */
/* test_server_policy.c: two server processes' worth of servers on one
 * ledger put the same policy in force (server_policy_share.c). A PUT on one
 * reaches the other without a restart; a PUT on a server that has not yet
 * seen the other's version is refused (409), not overwritten, and then that
 * server takes the other's version; a server started with a file older than
 * the ledger's version takes the ledger's (its file rewritten, FILE.prev
 * kept), and one started with a file edited since makes it the next version
 * for all. Run on SQLite, and with "pg" on the PostgreSQL test cluster. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "frontera/audit.h"
#include "frontera/auth.h"
#include "frontera/server.h"
#include "frontera/store.h"
#include "pgdb.h"
#include "srvclock.h"
#include "tmpdb.h"

static pgdb *g_pg;

/* One request; the status, the answer's body in ans. */
static int http(uint16_t port, const char *method, const char *path, const char *token,
                const char *body, char *ans, size_t cap)
{
    size_t blen = body ? strlen(body) : 0;
    char *req = malloc(blen + 1024);
    assert_non_null(req);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_true(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    int n = snprintf(req, blen + 1024,
                     "%s %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nContent-Type: "
                     "text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     method, path, token, blen, body ? body : "");
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, req + off, (size_t)(n - off));
        assert_true(w > 0);
        off += (int)w;
    }
    free(req);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < cap && (got = read(fd, ans + len, cap - 1 - len)) > 0)
        len += (size_t)got;
    ans[len] = 0;
    close(fd);
    int status = 0;
    assert_int_equal(sscanf(ans, "HTTP/1.1 %d", &status), 1);
    return status;
}

/* The policy version a server's /healthz reports. */
static long version_of(uint16_t port)
{
    char ans[4096];
    assert_int_equal(http(port, "GET", "/healthz", "", NULL, ans, sizeof ans), 200);
    const char *v = strstr(ans, "\"policy_version\":");
    assert_non_null(v);
    return strtol(v + strlen("\"policy_version\":"), NULL, 10);
}

/* Wait up to 30 s (a loaded machine, a sanitizer build) for a server to report version want. */
static void wait_version(uint16_t port, long want)
{
    for (int i = 0; i < 3000 && version_of(port) != want; i++)
        usleep(10000);
    assert_int_equal(version_of(port), want);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1 << 20);
    assert_non_null(b);
    *len = fread(b, 1, (1 << 20) - 1, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

/* The repository's policy with a comment line of our own at the end: a
 * different text (digest) with the same rules. */
static char *variant(const char *base, const char *mark)
{
    char *v = malloc(strlen(base) + 64);
    assert_non_null(v);
    sprintf(v, "%s\n# %s\n", base, mark);
    return v;
}

static fr_server *start(const char *db, const char *file, unsigned follow_ms)
{
    size_t len;
    char *text = slurp(file, &len);
    fr_server_config cfg = {.db_path = db,
                            .threads = 2,
                            .policy_text = text,
                            .policy_len = len,
                            .policy_path = file,
                            .policy_follow_ms = follow_ms,
                            .now_ms = wall_ms,
                            .mono_ns = mono_ns};
    fr_server *srv = NULL;
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_server_start(&cfg, &srv, &err);
    if (rc != FR_OK) fprintf(stderr, "start: %s\n", err.message);
    assert_int_equal(rc, FR_OK);
    free(text);
    return srv;
}

static int file_is(const char *path, const char *text)
{
    size_t len;
    char *b = slurp(path, &len);
    int same = len == strlen(text) && memcmp(b, text, len) == 0;
    free(b);
    return same;
}

static void one_policy_for_every_server(void **st)
{
    (void)st;
    tmp *t = tmpdb_new("fr_srvpolicy_", 0);
    assert_non_null(t);
    const char *db = g_pg ? g_pg->uri : t->db;
    char fa[128], fb[128], fbprev[160], token[FR_TOKEN_BUFSZ];
    static char ans[1 << 20]; /* GET /v1/policy answers the whole text */
    snprintf(fa, sizeof fa, "%s/a.policy", t->dir);
    snprintf(fb, sizeof fb, "%s/b.policy", t->dir);
    snprintf(fbprev, sizeof fbprev, "%s.prev", fb);
    fr_store *s = NULL;
    assert_int_equal(fr_store_open(db, FR_STORE_CREATE, &s, NULL), FR_OK);
    fr_store_close(s);
    fr_audit *au = NULL; /* on PostgreSQL the server finds the audit log made */
    assert_int_equal(fr_audit_open(db, &au, NULL), FR_OK);
    fr_audit_close(au);
    fr_auth *auth = NULL;
    assert_int_equal(fr_auth_open(db, &auth, NULL), FR_OK);
    assert_int_equal(fr_auth_user_add(auth, "adam", FR_ROLE_ADMIN, 1, token, NULL), FR_OK);
    fr_auth_close(auth);
    size_t len;
    char *base = slurp(FR_SOURCE_DIR "/data/policy/ecu.policy", &len);
    char *p2 = variant(base, "two"), *p3 = variant(base, "three"), *p4 = variant(base, "four"),
         *px = variant(base, "lost");
    spit(fa, base);
    spit(fb, base);

    /* A follows the ledger every 50 ms; B only when told (a conflict) */
    fr_server *a = start(db, fa, 50), *b = start(db, fb, 3600 * 1000);
    uint16_t pa = fr_server_port(a), pb = fr_server_port(b);
    assert_int_equal(version_of(pa), 1); /* the same text: one version */
    assert_int_equal(version_of(pb), 1);
    assert_int_equal(http(pa, "GET", "/healthz", "", NULL, ans, sizeof ans), 200);
    assert_non_null(strstr(ans, "\"ledger\":\"ok\""));

    /* a PUT on A; B has not read the ledger since: its PUT would replace a
     * version it never saw, so it is refused and changes nothing */
    assert_int_equal(http(pa, "PUT", "/v1/policy", token, p2, ans, sizeof ans), 200);
    assert_non_null(strstr(ans, "\"version\":2"));
    assert_int_equal(http(pb, "PUT", "/v1/policy", token, px, ans, sizeof ans), 409);
    assert_non_null(strstr(ans, "policy-conflict"));
    assert_true(file_is(fb, base));
    /* told by the conflict, B takes version 2, its file rewritten */
    wait_version(pb, 2);
    assert_true(file_is(fb, p2));
    assert_true(file_is(fbprev, base));
    assert_int_equal(http(pb, "GET", "/v1/policy", token, NULL, ans, sizeof ans), 200);
    assert_non_null(strstr(ans, "# two"));

    /* now B's PUT goes through, and A follows without a restart */
    assert_int_equal(http(pb, "PUT", "/v1/policy", token, p3, ans, sizeof ans), 200);
    assert_non_null(strstr(ans, "\"version\":3"));
    wait_version(pa, 3);
    assert_true(file_is(fa, p3));

    /* B restarted with a file older than the ledger's version 3 (it was down
     * during a PUT): the ledger's is in force and the file rewritten */
    fr_server_stop(b, 1000);
    spit(fb, base);
    struct timeval old[2] = {{1577836800, 0}, {1577836800, 0}}; /* 2020-01-01 */
    assert_int_equal(utimes(fb, old), 0);
    b = start(db, fb, 3600 * 1000);
    pb = fr_server_port(b);
    assert_int_equal(version_of(pb), 3);
    assert_true(file_is(fb, p3));
    assert_true(file_is(fbprev, base));

    /* B restarted with a file edited after version 3: it is version 4, for A too */
    fr_server_stop(b, 1000);
    sleep(1); /* a modification time after version 3's, whatever the file system's grain */
    spit(fb, p4);
    b = start(db, fb, 3600 * 1000);
    pb = fr_server_port(b);
    assert_int_equal(version_of(pb), 4);
    wait_version(pa, 4);
    assert_true(file_is(fa, p4));

    /* the same text again changes nothing anywhere */
    assert_int_equal(http(pa, "PUT", "/v1/policy", token, p4, ans, sizeof ans), 200);
    assert_non_null(strstr(ans, "\"unchanged\":true"));
    assert_int_equal(version_of(pa), 4);

    fr_server_stop(a, 1000);
    fr_server_stop(b, 1000);
    free(base);
    free(p2);
    free(p3);
    free(p4);
    free(px);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
    free(t);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(one_policy_for_every_server)};
    if (argc > 1 && strcmp(argv[1], "pg") == 0) {
        pgdb_require();
        if (!(g_pg = pgdb_new())) return 1;
        int rc = cmocka_run_group_tests(tests, NULL, NULL);
        pgdb_free(g_pg);
        return rc;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
