/* SPDX-License-Identifier: MIT */
/* cli_sync.c: what `frontera sync` and `frontera serve --central` share:
 * one audited push (the events leave the post's ledger: audited first, as
 * an export is, but only when some are waiting), and the background pusher
 * of a post's server: a thread that pushes every N seconds until stopped,
 * logging one line per push (counts only, never personal data). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "frontera/alloc.h"
#include "i18n.h"

int cli_read_token(const char *path, char *out, size_t cap)
{
    size_t len = 0;
    char *t = cli_read_all(path, 4096, &len);
    if (!t) return -1;
    while (len > 0 && (t[len - 1] == '\n' || t[len - 1] == '\r' || t[len - 1] == ' '))
        len--;
    int ok = len > 0 && len < cap && !memchr(t, '\n', len);
    if (ok) {
        memcpy(out, t, len);
        out[len] = 0;
    }
    memset(t, 0, len);
    free(t);
    return ok ? 0 : -1;
}

int cli_sync_once(const fr_sync_config *cfg, fr_sync_report *rep, fr_error *err)
{
    fr_sync_status *st = NULL;
    size_t n = 0;
    memset(rep, 0, sizeof *rep);
    int rc = fr_sync_status_get(cfg->db, cfg->central, &st, &n, err);
    if (rc != FR_OK) return rc;
    int64_t waiting = n == 1 ? st[0].waiting : 0;
    fr_free(st);
    if (waiting > 0 &&
        cli_audit("sync", cfg->db, "sync.push", "sync:central", "cli", cfg->central) != FR_OK)
        return fr_error_set(err, FR_ESTORE, 0, 0, "audit",
                            _("the push could not be audited: nothing sent"));
    return fr_sync_push(cfg, rep, err);
}

struct cli_syncer {
    fr_sync_config cfg;
    char central[FR_SYNC_URL_MAX + 1], token[160], db[1024];
    unsigned every_s;
    void (*log)(const char *line);
    /* what the booth needs: offline since the last failed attempt */
    atomic_int offline;
    _Atomic int64_t last_ok_ms;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void *run(void *arg)
{
    cli_syncer *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        fr_sync_report r;
        fr_error err;
        fr_error_clear(&err);
        char line[400];
        struct timespec began;
        clock_gettime(CLOCK_REALTIME, &began);
        int rc = cli_sync_once(&s->cfg, &r, &err);
        atomic_store(&s->offline, rc != FR_OK);
        if (rc == FR_OK) atomic_store(&s->last_ok_ms, s->cfg.clock_ms(s->cfg.clock_ud));
        if (rc == FR_OK) {
            if (r.sent)
                snprintf(line, sizeof line,
                         _("sync: sent %zu (%zu recorded, %zu already there, %zu conflicts, %zu "
                           "rejected), %lld waiting"),
                         r.sent, r.recorded, r.duplicates, r.conflicts, r.rejected,
                         (long long)r.waiting);
            else
                line[0] = 0;
        } else {
            snprintf(line, sizeof line, _("sync: failed (%lld waiting): %s"), (long long)r.waiting,
                     err.message);
        }
        if (line[0] && s->log) s->log(line);
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        if (rc == FR_OK && s->cfg.max_events && r.waiting > 0) {
            until = began; /* paced and more waiting: the next second's share */
            until.tv_sec += 1;
        } else {
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += s->every_s;
        }
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int cli_syncer_start(const fr_sync_config *cfg, unsigned every_s, void (*log)(const char *line),
                     cli_syncer **out)
{
    cli_syncer *s = fr_calloc(1, sizeof *s);
    if (!s) return FR_ENOMEM;
    s->cfg = *cfg;
    snprintf(s->central, sizeof s->central, "%s", cfg->central);
    snprintf(s->token, sizeof s->token, "%s", cfg->token);
    snprintf(s->db, sizeof s->db, "%s", cfg->db);
    s->cfg.central = s->central;
    s->cfg.token = s->token;
    s->cfg.db = s->db;
    s->every_s = every_s;
    s->log = log;
    /* until the first push: as the last one left it */
    fr_sync_status *st = NULL;
    size_t n = 0;
    if (fr_sync_status_get(cfg->db, cfg->central, &st, &n, NULL) == FR_OK && n == 1) {
        atomic_init(&s->offline, st[0].last_error[0] != 0);
        atomic_init(&s->last_ok_ms, st[0].last_ok_ms);
    }
    fr_free(st);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        fr_free(s);
        return FR_EIO;
    }
    *out = s;
    return FR_OK;
}

void cli_syncer_stop(cli_syncer *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    memset(s->token, 0, sizeof s->token);
    fr_free(s);
}

int cli_syncer_offline(void *ud, int64_t *since_ms)
{
    cli_syncer *s = ud;
    *since_ms = atomic_load(&s->last_ok_ms);
    return atomic_load(&s->offline);
}
