/* SPDX-License-Identifier: MIT */
/* server_audit.c: the audit log's group commit. A request that read or
 * wrote a personal record hands its audit records to srv_audit_write, which
 * queues them and waits. One writer thread takes everything queued, appends
 * it in one transaction (fr_audit_append: one disk flush for the lot) and
 * wakes the waiters with the result, so an answer is sent only after its
 * audit entries are durable, and a slow disk costs one flush per batch, not
 * one per request. The records (and their strings) live on the waiting
 * request's stack until it is woken. */
#include <string.h>

#include "frontera/alloc.h"
#include "server_internal.h"

#define BATCH_MAX 512

static void *writer(void *arg)
{
    fr_server *s = arg;
    srv_audit *q = &s->audit;
    fr_audit_record *recs = fr_malloc(BATCH_MAX * sizeof *recs);
    srv_audit_item **items = fr_malloc(BATCH_MAX * sizeof *items);
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->head && !q->stop)
            pthread_cond_wait(&q->wake, &q->mu);
        if (!q->head && q->stop) break;
        size_t n = 0;
        while (q->head && n < BATCH_MAX) {
            srv_audit_item *it = q->head;
            q->head = it->next;
            if (recs && items) {
                recs[n] = it->rec;
                items[n] = it;
            } else { /* no memory for a batch: fail this one */
                it->rc = FR_ENOMEM;
                it->done = 1;
                continue;
            }
            n++;
        }
        if (!q->head) q->tail = NULL;
        pthread_mutex_unlock(&q->mu);
        int rc = FR_OK;
        if (n) {
            fr_error err;
            pthread_mutex_lock(&s->write_mu);
            rc = fr_audit_append(q->audit, recs, n, NULL, &err);
            pthread_mutex_unlock(&s->write_mu);
            if (rc == FR_OK) {
                atomic_fetch_add(&s->metrics.audit_entries, n);
                atomic_fetch_add(&s->metrics.audit_batches, 1);
            } else {
                atomic_fetch_add(&s->metrics.audit_failures, 1);
                srv_log(s, "error: audit append failed: %s", fr_status_name(rc));
            }
        }
        pthread_mutex_lock(&q->mu);
        for (size_t i = 0; i < n; i++) {
            items[i]->rc = rc;
            items[i]->done = 1;
        }
        pthread_cond_broadcast(&q->done);
    }
    pthread_mutex_unlock(&q->mu);
    fr_free(recs);
    fr_free(items);
    return NULL;
}

int srv_audit_start(fr_server *s, fr_error *err)
{
    srv_audit *q = &s->audit;
    int rc = fr_audit_open(s->db_path, &q->audit, err);
    if (rc != FR_OK) return rc;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->wake, NULL);
    pthread_cond_init(&q->done, NULL);
    if (pthread_create(&q->thread, NULL, writer, s) != 0) {
        fr_audit_close(q->audit);
        q->audit = NULL;
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->wake);
        pthread_cond_destroy(&q->done);
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot start the audit writer thread");
    }
    q->started = 1;
    return FR_OK;
}

int srv_audit_write(fr_server *s, const fr_audit_record *recs, size_t n)
{
    srv_audit *q = &s->audit;
    if (n == 0) return FR_OK;
    srv_audit_item *items = fr_calloc(n, sizeof *items);
    if (!items) return FR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        items[i].rec = recs[i];
    pthread_mutex_lock(&q->mu);
    for (size_t i = 0; i < n; i++) {
        if (q->tail)
            q->tail->next = &items[i];
        else
            q->head = &items[i];
        q->tail = &items[i];
    }
    pthread_cond_signal(&q->wake);
    int rc = FR_OK;
    for (size_t i = 0; i < n; i++) {
        while (!items[i].done)
            pthread_cond_wait(&q->done, &q->mu);
        if (items[i].rc != FR_OK) rc = items[i].rc;
    }
    pthread_mutex_unlock(&q->mu);
    fr_free(items);
    return rc;
}

void srv_audit_stop(fr_server *s)
{
    srv_audit *q = &s->audit;
    if (!q->started) return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_signal(&q->wake);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    fr_audit_close(q->audit);
    q->audit = NULL;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->wake);
    pthread_cond_destroy(&q->done);
    q->started = 0;
}

void srv_audit_record_for(srv_req *r, fr_audit_record *rec, const char *action, const char *object,
                          unsigned status, const char *detail)
{
    memset(rec, 0, sizeof *rec);
    rec->at_ms = srv_now_ms(r->srv);
    rec->actor = r->user.name;
    rec->role = fr_role_name(r->user.role);
    rec->action = action;
    rec->object = object;
    rec->origin = r->origin;
    rec->status = (int)status;
    rec->detail = detail;
}
