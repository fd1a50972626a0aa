/* SPDX-License-Identifier: MIT */
/* server_policy_share.c: one policy for every server process of a ledger.
 *
 * Behind a load balancer several servers answer for one ledger; a PUT
 * /v1/policy reaches one of them. Before, the others kept the old policy
 * until restarted, so two booths could decide the same traveller under two
 * policies (the motivating case: a suspension of visa-free entry from its
 * effective date). Now the versions live in the ledger (policy_store.h):
 *
 *  - a PUT adds the next version there first; a version number another
 *    server took first means the PUT raced a change it has not seen, and is
 *    refused (409), never silently overwritten;
 *  - each server reads the ledger's latest version every 2 s (SHARE_EVERY_MS) on a
 *    thread of its own and puts a newer one in force (rewriting its --policy
 *    FILE, FILE.prev kept), so all are on the same version within seconds;
 *  - at start, the newest of the ledger's latest version and the policy file
 *    is in force: a file edited since that version (its modification time is
 *    later) becomes the next version for every server; a file older than it
 *    (a server that was down during a PUT) is replaced by it, and the server
 *    says which on its log.
 *
 * The same thread's read tells /healthz whether the ledger answers. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "frontera/alloc.h"
#include "server_internal.h"

/* How stale a server's policy may be after another server's PUT (unless
 * the configuration says otherwise). One indexed read of the newest row
 * each time: nothing next to the traffic. */
#define SHARE_EVERY_MS 2000

/* with p->store_mu held: an open, live connection in p->store */
static int ensure_store(fr_server *s, fr_error *err)
{
    srv_pshare *p = &s->pshare;
    if (p->store && fr__pstore_lost(p->store)) {
        fr__pstore_close(p->store);
        p->store = NULL;
    }
    if (p->store) return FR_OK;
    return fr__pstore_open(s->db_path, &p->store, err);
}

/* with p->store_mu held: after rc, whether the connection was gone (a
 * database restart); it is then closed, for a new one */
static int retry_lost(fr_server *s, int rc)
{
    srv_pshare *p = &s->pshare;
    if (rc == FR_OK || rc == FR_EEXIST || !fr__pstore_lost(p->store)) return 0;
    fr__pstore_close(p->store);
    p->store = NULL;
    return 1;
}

enum { OP_LATEST, OP_LATEST_TEXT, OP_ADD };

/* One call on the ledger's versions under store_mu (OP_ADD adds *v, the
 * others read the latest into *v), made once more on a new connection when
 * the first found the old one gone. A read says whether the ledger answers
 * (/healthz). */
static int call(fr_server *s, int op, fr__pstore_version *v, fr_error *err)
{
    srv_pshare *p = &s->pshare;
    pthread_mutex_lock(&p->store_mu);
    int rc;
    for (int tries = 0;; tries++) {
        rc = ensure_store(s, err);
        if (rc == FR_OK)
            rc = op == OP_ADD ? fr__pstore_add(p->store, v, err)
                              : fr__pstore_latest(p->store, op == OP_LATEST_TEXT, v, err);
        if (tries || !p->store || !retry_lost(s, rc)) break;
    }
    pthread_mutex_unlock(&p->store_mu);
    if (op != OP_ADD) atomic_store(&p->ledger_ok, rc == FR_OK);
    return rc;
}

static int latest(fr_server *s, int with_text, fr__pstore_version *v, fr_error *err)
{
    return call(s, with_text ? OP_LATEST_TEXT : OP_LATEST, v, err);
}

int fr__srv_pshare_add(fr_server *s, const srv_policy *np, const char *by, fr_error *err)
{
    fr__pstore_version v;
    memset(&v, 0, sizeof v);
    v.version = (int64_t)np->version;
    v.at_ms = fr__srv_now_ms(s);
    memcpy(v.digest, np->digest, sizeof v.digest);
    snprintf(v.by, sizeof v.by, "%s", by && *by ? by : "?");
    v.text = np->text; /* borrowed: the store copies it */
    v.len = np->len;
    return call(s, OP_ADD, &v, err);
}

uint64_t fr__srv_pshare_latest(fr_server *s)
{
    fr__pstore_version v;
    fr_error err;
    fr_error_clear(&err);
    return latest(s, 0, &v, &err) == FR_OK ? (uint64_t)v.version : 0;
}

int fr__srv_pshare_ledger_ok(fr_server *s)
{
    return atomic_load(&s->pshare.ledger_ok);
}

void fr__srv_pshare_wake(fr_server *s)
{
    srv_pshare *p = &s->pshare;
    if (!p->started) return;
    pthread_mutex_lock(&p->mu);
    p->woken = 1;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->mu);
}

/* Put the ledger's version v (with its text) in force in place of the one
 * in force. With policy_put_mu held. FR_EPARSE when this build cannot read
 * it (err says where). */
static int take(fr_server *s, fr__pstore_version *v, const char *why, fr_error *err)
{
    int rc;
    size_t n = 0;
    srv_policy *np = fr__srv_policy_new(v->text, v->len, err, err ? 1 : 0, &n, &rc);
    if (!np) return rc;
    np->version = (uint64_t)v->version;
    srv_policy *old = fr__srv_policy_acquire(s);
    fr_error ferr;
    fr_error_clear(&ferr);
    int saved =
        strcmp(old->digest, np->digest) == 0 ? FR_OK : fr__srv_policy_save(s, old, np, &ferr);
    fr__srv_policy_swap(s, np);
    fr__srv_policy_release(old);
    fr__srv_log(s, "policy: version %lld from the ledger in force (%.16s..., added by %s)%s",
                (long long)v->version, v->digest, v->by, why);
    if (saved != FR_OK) fr__srv_log(s, "warning: policy: %s", ferr.message);
    return FR_OK;
}

static uint64_t in_force(fr_server *s)
{
    srv_policy *p = fr__srv_policy_acquire(s);
    uint64_t v = p->version;
    fr__srv_policy_release(p);
    return v;
}

/* the watcher: a newer version in the ledger goes in force here */
static void follow(fr_server *s, int *warned)
{
    fr__pstore_version v;
    fr_error err;
    fr_error_clear(&err);
    if (latest(s, 0, &v, &err) != FR_OK) {
        if (!*warned) fr__srv_log(s, "warning: policy: cannot read the ledger: %s", err.message);
        *warned = 1;
        return;
    }
    if (*warned) fr__srv_log(s, "policy: the ledger answers again");
    *warned = 0;
    if (v.version <= (int64_t)in_force(s)) return;
    pthread_mutex_lock(&s->policy_put_mu); /* no PUT between the read and the swap */
    uint64_t was = in_force(s);
    if (latest(s, 1, &v, &err) == FR_OK && v.version > (int64_t)was &&
        take(s, &v, "", &err) != FR_OK)
        fr__srv_log(s,
                    "error: policy: version %lld in the ledger does not read here: %s; "
                    "version %llu stays in force",
                    (long long)v.version, err.message, (unsigned long long)was);
    pthread_mutex_unlock(&s->policy_put_mu);
    fr_free(v.text);
}

static void *watcher(void *arg)
{
    fr_server *s = arg;
    srv_pshare *p = &s->pshare;
    int warned = 0;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec until = fr__srv_after_ms(
            s->cfg.policy_follow_ms ? (long)s->cfg.policy_follow_ms : SHARE_EVERY_MS);
        int rc = 0;
        while (!p->stop && !p->woken && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&p->wake, &p->mu, &until);
        if (p->stop) break;
        p->woken = 0;
        pthread_mutex_unlock(&p->mu);
        follow(s, &warned);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The modification time of the policy file in ms since the epoch; -1 when
 * there is no file of ours (the default policy, served read-only). */
static int64_t file_ms(const fr_server *s)
{
    struct stat st;
    if (!s->policy_path || stat(s->policy_path, &st) != 0) return -1;
    return (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
}

/* At start, with the file's policy in force as version 1: agree with the
 * ledger (header comment). */
static int agree(fr_server *s, fr_error *err)
{
    fr__pstore_version v;
    int rc;
    pthread_mutex_lock(&s->policy_put_mu);
    srv_policy *cur = fr__srv_policy_acquire(s);
    for (int tries = 0; tries < 4; tries++) {
        if ((rc = latest(s, 1, &v, err)) != FR_OK) break;
        if (v.version > 0 && strcmp(v.digest, cur->digest) == 0) { /* the same text */
            cur->version = (uint64_t)v.version;                    /* not yet seen by any request */
            s->policy_version = cur->version;
            fr_free(v.text);
            break;
        }
        int64_t fms = file_ms(s);
        if (v.version > 0 && fms <= v.at_ms) { /* the ledger's is newer */
            fr_error perr;
            fr_error_clear(&perr);
            rc = take(s, &v,
                      fms < 0 ? " (no --policy file given)"
                              : " (newer than the --policy file, which it replaces)",
                      &perr);
            if (rc != FR_OK)
                fr_error_set(err, rc, perr.line, perr.column, "policy",
                             "the ledger's policy version %lld (the newest) does not read here: "
                             "%s; start a server of the same release, or PUT a policy",
                             (long long)v.version, perr.message);
            fr_free(v.text);
            break;
        }
        /* none yet, or the file was changed after the ledger's latest */
        cur->version = (uint64_t)v.version + 1;
        fr_free(v.text);
        rc = fr__srv_pshare_add(s, cur, "serve", err);
        if (rc == FR_OK) {
            s->policy_version = cur->version;
            if (v.version > 0)
                fr__srv_log(s,
                            "policy: %s is newer than the ledger's version %lld: it is "
                            "version %llu for every server",
                            s->policy_path, (long long)v.version, (unsigned long long)cur->version);
            break;
        }
        if (rc != FR_EEXIST) break; /* else another server started at the same time: again */
    }
    fr__srv_policy_release(cur);
    pthread_mutex_unlock(&s->policy_put_mu);
    return rc;
}

int fr__srv_pshare_start(fr_server *s, fr_error *err)
{
    srv_pshare *p = &s->pshare;
    pthread_mutex_init(&p->store_mu, NULL);
    pthread_mutex_init(&p->mu, NULL);
    fr__srv_cond_init_monotonic(&p->wake);
    p->inited = 1;
    int rc = agree(s, err);
    if (rc != FR_OK) return rc;
    p->stop = p->woken = 0;
    if (pthread_create(&p->thread, NULL, watcher, s) != 0)
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot start the policy thread");
    p->started = 1;
    return FR_OK;
}

void fr__srv_pshare_stop(fr_server *s)
{
    srv_pshare *p = &s->pshare;
    if (!p->inited) return;
    if (p->started)
        fr__srv_thread_end(p->thread, &p->mu, &p->wake, &p->stop); /* destroys mu, wake */
    else {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->wake);
    }
    fr__pstore_close(p->store);
    p->store = NULL;
    pthread_mutex_destroy(&p->store_mu);
    p->started = p->inited = 0;
}
