/* SPDX-License-Identifier: MIT */
/* server_audit.c: the server's group commit of ledger writes and audit
 * entries. A request that records (an admission with "record": true, POST
 * /v1/events) or that read or wrote a personal record hands a srv_write to
 * fr__srv_write_run and waits: its ledger writes (the apply callback) and its
 * audit records. One writer thread takes everything queued and runs it as
 * one group on a store connection of its own: fr_store_batch_begin, each
 * request's apply, fr_audit_append of all their audit records on an audit
 * log opened on that store (fr_audit_open_store: the same transaction), and
 * one commit: one disk flush for the lot, as databases do for their logs.
 * So an answer is sent only after its ledger rows and audit entries are
 * durable, no ledger row is ever committed without its audit entry (a
 * kill -9 loses both or neither), and the audit log stays one hash chain
 * (the head is read inside the group's write transaction).
 *
 * A request whose apply fails (a store error) is taken out of the group,
 * which is rolled back and run again without it: the others do not pay for
 * it. A failing audit append or commit fails the whole group, and nothing
 * of it is written. When the store's backend does not share its connection
 * (fr_audit_open_store refuses), the audit records are appended in a
 * transaction of their own right after the group's commit, and a failure
 * there is reported as "recorded, audit failed" (srv_write.ledger_only).
 * The records and their strings live on the waiting requests' stacks until
 * they are woken. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "frontera/alloc.h"
#include "server_internal.h"

#define GROUP_MAX 256    /* requests in one group */
#define WARM_DATES 8     /* birth dates read ahead at a time while idle */
#define WARM_QUIET_MS 20 /* idle this long before reading ahead */

typedef struct group {
    srv_write *w[GROUP_MAX];
    size_t n;
    fr_audit_record *recs; /* the group's audit records, in request order */
    size_t cap;
} group;

static void finish(srv_write *w, int rc, const fr_error *err, int ledger_only)
{
    w->rc = rc;
    w->ledger_only = ledger_only;
    if (rc != FR_OK && err && &w->err != err) w->err = *err;
}

/* Gather the group's audit records; FR_ENOMEM when they do not fit. */
static int gather(group *g, size_t *nrec)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += g->w[i]->nrecs;
    if (n > g->cap) {
        fr_audit_record *v = fr_realloc(g->recs, n * sizeof *v);
        if (!v) return FR_ENOMEM;
        g->recs = v;
        g->cap = n;
    }
    n = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->w[i]->nrecs) memcpy(&g->recs[n], g->w[i]->recs, g->w[i]->nrecs * sizeof *g->recs);
        n += g->w[i]->nrecs;
    }
    *nrec = n;
    return FR_OK;
}

/* The group's events looked up at once (PostgreSQL: one round trip for the
 * group instead of one per event). */
static int prefetch(group *g, fr_store *store, fr_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += g->w[i]->npre;
    if (n == 0) return FR_OK;
    const fr_event **evs = fr_malloc(n * sizeof *evs);
    if (!evs) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    n = 0;
    for (size_t i = 0; i < g->n; i++)
        for (size_t j = 0; j < g->w[i]->npre; j++)
            evs[n++] = g->w[i]->pre[j];
    int rc = fr_store_prefetch(store, evs, n, err);
    fr_free(evs);
    return rc;
}

/* The writer's connection was lost (PostgreSQL restarted or failed over):
 * its store and audit log are opened again before the next group, so the
 * server records again once the database is back (a group that met the loss
 * failed and was answered so; nothing of it was committed). */
static int reconnect(fr_server *s, fr_error *err)
{
    srv_audit *q = &s->audit;
    fr_store *st = NULL;
    fr_audit *au = NULL;
    int rc = fr_store_open(s->db_path, 0, &st, err);
    if (rc == FR_OK)
        rc = q->shared ? fr_audit_open_store(st, &au, err) : fr_audit_open(s->db_path, &au, err);
    if (rc != FR_OK) {
        fr_store_close(st);
        return rc;
    }
    fr_audit_close(q->audit);
    fr_store_close(q->store);
    q->store = st;
    q->audit = au;
    fr__srv_log(s, "warning: the writer's database connection was lost: reconnected");
    return FR_OK;
}

static void run_group(fr_server *s, group *g)
{
    srv_audit *q = &s->audit;
    fr_error err;
    fr_error_clear(&err);
    if (fr_store_lost(q->store)) (void)reconnect(s, &err); /* still lost: the group fails below */
    while (g->n) {
        fr_error_clear(&err);
        if (fr_store_lost(q->store)) {
            fr_error_set(&err, FR_ESTORE, 0, 0, "db",
                         "the connection to the database is lost (the server reconnects at the "
                         "next request)");
            break;
        }
        int rc = fr_store_batch_begin(q->store, &err);
        if (rc != FR_OK) break;
        if ((rc = prefetch(g, q->store, &err)) != FR_OK) {
            fr_store_batch_rollback(q->store);
            break;
        }
        size_t bad = g->n;
        for (size_t i = 0; i < g->n && bad == g->n; i++) {
            srv_write *w = g->w[i];
            fr_error_clear(&w->err);
            if (w->apply && (w->rc = w->apply(w, q->store, &w->err)) != FR_OK) bad = i;
        }
        if (bad < g->n) { /* that request fails alone; the rest run again */
            fr_store_batch_rollback(q->store);
            finish(g->w[bad], g->w[bad]->rc, &g->w[bad]->err, 0);
            memmove(&g->w[bad], &g->w[bad + 1], (g->n - bad - 1) * sizeof *g->w);
            g->n--;
            continue;
        }
        size_t nrec = 0;
        if ((rc = gather(g, &nrec)) != FR_OK)
            fr_error_set(&err, rc, 0, 0, "", "out of memory");
        else if (nrec && q->shared)
            rc = fr_audit_append(q->audit, g->recs, nrec, NULL, &err);
        if (rc == FR_OK) rc = fr_store_batch_commit(q->store, &err);
        if (rc != FR_OK) {
            fr_store_batch_rollback(q->store);
            break;
        }
        int ledger_only = 0;
        if (nrec && !q->shared && (rc = fr_audit_append(q->audit, g->recs, nrec, NULL, &err))) {
            ledger_only = 1;
            atomic_fetch_add(&s->metrics.audit_failures, 1);
            fr__srv_log(s, "error: audit append failed after the ledger commit: %s",
                        fr_status_name(rc));
        }
        if (rc == FR_OK && nrec) {
            atomic_fetch_add(&s->metrics.audit_entries, nrec);
            atomic_fetch_add(&s->metrics.audit_batches, 1);
        }
        for (size_t i = 0; i < g->n; i++)
            finish(g->w[i], rc, &err, ledger_only);
        g->n = 0;
        return;
    }
    /* begin, the audit append or the commit failed: nothing of the group stays */
    atomic_fetch_add(&s->metrics.audit_failures, 1);
    fr__srv_log(s, "error: a group commit failed: %s", fr_status_name(err.code));
    for (size_t i = 0; i < g->n; i++)
        finish(g->w[i], err.code ? err.code : FR_ESTORE, &err, 0);
    g->n = 0;
}

static void *writer(void *arg)
{
    fr_server *s = arg;
    srv_audit *q = &s->audit;
    group *g = fr_calloc(1, sizeof *g);
    int warm = 1;  /* something may be left to read ahead (fr_store_warm) */
    int quiet = 0; /* no request for WARM_QUIET_MS: reading ahead is free */
    pthread_mutex_lock(&q->mu);
    for (;;) {
        if (!q->head && !q->stop && warm && quiet) {
            /* nothing to commit for a while: read ahead a few birth dates'
             * travellers, so that the first document of each date after a
             * start does not wait for them (a slice is ~0.3 ms at a nation's
             * volume); under load it never runs, and so never delays a group */
            pthread_mutex_unlock(&q->mu);
            fr_error werr;
            pthread_mutex_lock(&s->write_mu);
            int done = 1;
            if (fr_store_warm(q->store, WARM_DATES, &done, &werr) != FR_OK) done = 1;
            pthread_mutex_unlock(&s->write_mu);
            warm = !done;
            pthread_mutex_lock(&q->mu);
            continue;
        }
        if (!q->head && !q->stop && warm) { /* wait for work, or for quiet */
            struct timespec until = fr__srv_after_ms(WARM_QUIET_MS);
            int rc = 0;
            while (!q->head && !q->stop && rc != ETIMEDOUT)
                rc = pthread_cond_timedwait(&q->wake, &q->mu, &until);
            quiet = !q->head && !q->stop;
            continue;
        }
        while (!q->head && !q->stop)
            pthread_cond_wait(&q->wake, &q->mu);
        if (!q->head && q->stop) break;
        size_t n = 0;
        srv_write *taken[GROUP_MAX];
        while (q->head && n < GROUP_MAX) {
            taken[n++] = q->head;
            q->head = q->head->next;
        }
        if (!q->head) q->tail = NULL;
        pthread_mutex_unlock(&q->mu);
        if (g) {
            memcpy(g->w, taken, n * sizeof *taken);
            g->n = n;
            pthread_mutex_lock(&s->write_mu);
            run_group(s, g);
            pthread_mutex_unlock(&s->write_mu);
        } else { /* no memory for a group: fail these */
            for (size_t i = 0; i < n; i++) {
                taken[i]->rc = FR_ENOMEM;
                fr_error_set(&taken[i]->err, FR_ENOMEM, 0, 0, "", "out of memory");
            }
        }
        warm = 1; /* a merge or another writer may have made it forget */
        quiet = 0;
        pthread_mutex_lock(&q->mu);
        for (size_t i = 0; i < n; i++) { /* wake each of them, and no one else */
            taken[i]->done = 1;
            pthread_cond_signal(&taken[i]->wake);
        }
    }
    pthread_mutex_unlock(&q->mu);
    if (g) fr_free(g->recs);
    fr_free(g);
    return NULL;
}

int fr__srv_audit_start(fr_server *s, fr_error *err)
{
    srv_audit *q = &s->audit;
    int rc = fr_store_open(s->db_path, 0, &q->store, err);
    if (rc != FR_OK) return rc;
    fr_error why;
    fr_error_clear(&why);
    rc = fr_audit_open_store(q->store, &q->audit, &why);
    q->shared = rc == FR_OK;
    q->decides = q->shared && !fr_store_is_pg(s->db_path);
    if (rc == FR_EINVAL) { /* the backend does not share its connection */
        fr__srv_log(s, "warning: %s; ledger rows and audit entries commit one after the other",
                    why.message);
        rc = fr_audit_open(s->db_path, &q->audit, err);
    } else if (rc != FR_OK && err) {
        *err = why;
    }
    if (rc != FR_OK) {
        fr_store_close(q->store);
        q->store = NULL;
        return rc;
    }
    pthread_mutex_init(&q->mu, NULL);
    fr__srv_cond_init_monotonic(&q->wake); /* the wait for quiet is timed */
    if (pthread_create(&q->thread, NULL, writer, s) != 0) {
        fr_audit_close(q->audit);
        fr_store_close(q->store);
        q->audit = NULL;
        q->store = NULL;
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->wake);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot start the writer thread");
    }
    q->started = 1;
    return FR_OK;
}

int fr__srv_write_run(fr_server *s, srv_write *w)
{
    srv_audit *q = &s->audit;
    w->rc = FR_OK;
    w->done = 0;
    w->ledger_only = 0;
    w->next = NULL;
    fr_error_clear(&w->err);
    if (!w->apply && w->nrecs == 0) return FR_OK;
    pthread_cond_init(&w->wake, NULL);
    pthread_mutex_lock(&q->mu);
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    pthread_cond_signal(&q->wake);
    while (!w->done)
        pthread_cond_wait(&w->wake, &q->mu);
    pthread_mutex_unlock(&q->mu);
    pthread_cond_destroy(&w->wake);
    return w->rc;
}

int fr__srv_audit_write(fr_server *s, const fr_audit_record *recs, size_t n)
{
    srv_write w;
    memset(&w, 0, sizeof w);
    w.recs = recs;
    w.nrecs = n;
    return fr__srv_write_run(s, &w);
}

void fr__srv_cond_init_monotonic(pthread_cond_t *c)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(c, &ca);
    pthread_condattr_destroy(&ca);
}

struct timespec fr__srv_after_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

void fr__srv_thread_end(pthread_t thread, pthread_mutex_t *mu, pthread_cond_t *wake, int *stop)
{
    pthread_mutex_lock(mu);
    *stop = 1;
    pthread_cond_signal(wake);
    pthread_mutex_unlock(mu);
    pthread_join(thread, NULL);
    pthread_mutex_destroy(mu);
    pthread_cond_destroy(wake);
}

void fr__srv_audit_stop(fr_server *s)
{
    srv_audit *q = &s->audit;
    if (!q->started) return;
    fr__srv_thread_end(q->thread, &q->mu, &q->wake, &q->stop);
    fr_audit_close(q->audit); /* before its store: it may use the store's connection */
    fr_store_close(q->store);
    q->audit = NULL;
    q->store = NULL;
    q->started = 0;
}

void fr__srv_audit_record_for(srv_req *r, fr_audit_record *rec, const char *action,
                              const char *object, unsigned status, const char *detail)
{
    memset(rec, 0, sizeof *rec);
    rec->at_ms = fr__srv_now_ms(r->srv);
    rec->actor = r->user.name;
    rec->role = fr_role_name(r->user.role);
    rec->action = action;
    rec->object = object;
    rec->origin = r->origin;
    rec->status = (int)status;
    rec->detail = detail;
}
