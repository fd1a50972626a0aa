/* SPDX-License-Identifier: MIT */
/* server_checkpoint.c: the server's checkpointer. On SQLite, a committed
 * transaction is appended to the write-ahead log and synced; now and then the
 * log's pages must be copied into the database file and that file synced (a
 * checkpoint). Left to SQLite, the connection that commits does it when the
 * log passes its limit (store_sqlite.c: 16384 pages): the writer thread of
 * the group commit (server_audit.c), so every admission queued behind that
 * commit waited for the copy and its flush (on the 6.6 M-event ledger, 20-63
 * ms at a time: fresh recordings p99 60 ms).
 *
 * Here a thread of its own, on its own store connection, runs a passive
 * checkpoint (fr_store_checkpoint) every CKPT_EVERY_MS: it copies what the
 * writer has committed meanwhile without ever taking the writer's lock, so
 * the writer only appends and syncs the log. The writer's own automatic
 * checkpoint stays as the backstop and finds nothing much left to copy. On
 * PostgreSQL, which checkpoints by itself, the thread is not started. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "server_internal.h"

/* Often, so that each copy is small: on a 6.6 M-event ledger a copy every
 * 100 ms flushed ~40 ms of scattered pages at once and held the writer's
 * next flush that long (fresh recordings p99 49 ms); every 10 ms, p99 11-12
 * ms for 5% less throughput at saturation. Since the writer also decides
 * recorded admissions it commits more a second, and every 10 ms gave p99
 * 18-21 ms there; every 5 ms, 13-16 ms for the same throughput (3 ms: 11-13
 * ms, 5% less; bench/RESULTS.md). */
#define CKPT_EVERY_MS 5

static void *checkpointer(void *arg)
{
    fr_server *s = arg;
    srv_ckpt *k = &s->ckpt;
    int warned = 0;
    pthread_mutex_lock(&k->mu);
    while (!k->stop) {
        struct timespec until = fr__srv_after_ms(CKPT_EVERY_MS); /* the condition's clock */
        int rc = 0;
        while (!k->stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&k->wake, &k->mu, &until);
        if (k->stop) break;
        pthread_mutex_unlock(&k->mu);
        int64_t frames = 0, copied = 0;
        fr_error err;
        fr_error_clear(&err);
        if (fr_store_checkpoint(k->store, &frames, &copied, &err) == FR_OK) {
            if (frames >= 0) { /* -1: another connection was at it */
                atomic_fetch_add(&s->metrics.checkpoints, 1);
                atomic_store(&s->metrics.wal_frames, (uint_fast64_t)frames);
            }
            warned = 0;
        } else if (!warned) { /* once until it works again: the log stays readable */
            fr__srv_log(s, "warning: checkpoint: %s", err.message);
            warned = 1;
        }
        pthread_mutex_lock(&k->mu);
    }
    pthread_mutex_unlock(&k->mu);
    return NULL;
}

int fr__srv_ckpt_start(fr_server *s, fr_error *err)
{
    srv_ckpt *k = &s->ckpt;
    if (fr_store_is_pg(s->db_path)) return FR_OK;
    int rc = fr_store_open(s->db_path, 0, &k->store, err);
    if (rc != FR_OK) return rc;
    pthread_mutex_init(&k->mu, NULL);
    fr__srv_cond_init_monotonic(&k->wake); /* a wall clock step must not stop checkpoints */
    k->stop = 0;
    if (pthread_create(&k->thread, NULL, checkpointer, s) != 0) {
        pthread_mutex_destroy(&k->mu);
        pthread_cond_destroy(&k->wake);
        fr_store_close(k->store);
        k->store = NULL;
        return fr_error_set(err, FR_EIO, 0, 0, "", "cannot start the checkpoint thread");
    }
    k->started = 1;
    return FR_OK;
}

void fr__srv_ckpt_stop(fr_server *s)
{
    srv_ckpt *k = &s->ckpt;
    if (!k->started) return;
    fr__srv_thread_end(k->thread, &k->mu, &k->wake, &k->stop);
    fr_store_close(k->store);
    k->store = NULL;
    k->started = 0;
}
