/* SPDX-License-Identifier: MIT */
/* bench_server.c: the per-request costs behind the server's design, on a
 * real SQLite ledger in /tmp:
 *   1. opening the handles a request needs (fr_store + fr_auth) per request,
 *      versus borrowing them from the pool (what server.c does);
 *   2. checking a bearer token (hash, indexed look-up, constant-time compare);
 *   3. audit appends one per transaction (one disk flush each) versus grouped
 *      64 to a transaction (the server's group commit).
 * The HTTP throughput and latency under wrk are measured by
 * scripts/bench-server.sh. One core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/audit.h"
#include "frontera/auth.h"
#include "frontera/store.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
    char dir[] = "/tmp/fr_bench_server_XXXXXX", db[96], tok[FR_TOKEN_BUFSZ];
    fr_error err;
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    fr_store *s = NULL;
    fr_auth *a = NULL;
    fr_audit *au = NULL;
    if (fr_store_open(db, FR_STORE_CREATE, &s, &err) != FR_OK) goto fail;
    fr_store_close(s);
    if (fr_auth_open(db, &a, &err) != FR_OK || fr_audit_open(db, &au, &err) != FR_OK) goto fail;
    if (fr_auth_user_add(a, "bench", FR_ROLE_OFFICER, 1, tok, &err) != FR_OK) goto fail;

    int n = 200;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        fr_store *s2 = NULL;
        fr_auth *a2 = NULL;
        if (fr_store_open(db, 0, &s2, &err) != FR_OK || fr_auth_open(db, &a2, &err) != FR_OK)
            goto fail;
        fr_auth_close(a2);
        fr_store_close(s2);
    }
    double open_us = (now() - t0) / n * 1e6;
    printf("open store+auth per request: %8.1f us   (the pool borrows an open pair: ~0 us)\n",
           open_us);

    n = 100000;
    fr_user u;
    size_t len = strlen(tok);
    t0 = now();
    for (int i = 0; i < n; i++)
        if (fr_auth_check(a, tok, len, &u, &err) != FR_OK) goto fail;
    double check_us = (now() - t0) / n * 1e6;
    printf("bearer token check:          %8.2f us   (%.0f checks/s on one core)\n", check_us,
           1e6 / check_us);

    fr_audit_record rec = {1700000000000, "bench",     "officer", "traveller.read",
                           "traveller:1", "127.0.0.1", 200,       NULL};
    n = 100;
    t0 = now();
    for (int i = 0; i < n; i++)
        if (fr_audit_append(au, &rec, 1, NULL, &err) != FR_OK) goto fail;
    double one_us = (now() - t0) / n * 1e6;
    fr_audit_record batch[64];
    for (int i = 0; i < 64; i++)
        batch[i] = rec;
    t0 = now();
    for (int i = 0; i < n; i++)
        if (fr_audit_append(au, batch, 64, NULL, &err) != FR_OK) goto fail;
    double grp_us = (now() - t0) / (n * 64.0) * 1e6;
    printf("audit append, 1 per commit:  %8.1f us/entry (%.0f entries/s: one disk flush each)\n",
           one_us, 1e6 / one_us);
    printf("audit append, 64 per commit: %8.1f us/entry (%.0f entries/s; ratio %.1fx)\n", grp_us,
           1e6 / grp_us, one_us / grp_us);
    fr_audit_verify_result res;
    t0 = now();
    if (fr_audit_verify(au, &res, &err) != FR_OK || !res.ok) goto fail;
    printf("audit verify:                %8.2f us/entry (%lld entries)\n",
           (now() - t0) / (double)res.entries * 1e6, (long long)res.entries);
    printf("command: %s (no arguments)\n", "bench_server");
    fr_audit_close(au);
    fr_auth_close(a);
    char p[128];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
fail:
    fprintf(stderr, "bench_server: %s\n", err.message);
    return 1;
}
