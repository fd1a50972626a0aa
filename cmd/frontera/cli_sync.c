/* SPDX-License-Identifier: MIT */
/* cli_sync.c: what `frontera sync` and `frontera serve --central` share:
 * one audited push (the events leave the post's ledger: audited first, as
 * an export is, but only when some are waiting), and the background pusher
 * of a post's server: a thread that pushes every N seconds until stopped,
 * logging one line per push (counts only, never personal data), and pulls
 * the policy, the lists and the histories from the central when due,
 * putting a changed policy or list in force in the running server. */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
/* Linux's idle scheduling class (sched(7)); <sched.h> names it only with
 * _GNU_SOURCE, which the build does not define. */
#ifdef SCHED_IDLE
#define CLI_SCHED_IDLE SCHED_IDLE
#else
#define CLI_SCHED_IDLE 5
#endif
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "frontera/alloc.h"
#include "i18n.h"

int cli_read_token(const char *path, char *out, size_t cap)
{
    size_t len = 0;
    char *t = cli_read_all(path, 4096, &len);
    if (!t) return -2; /* cli_read_all said why (missing, unreadable, too long) */
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

int cli_sync_once(const fr_sync_config *cfg, int by_server, fr_sync_report *rep, fr_error *err)
{
    fr_sync_status *st = NULL;
    size_t n = 0;
    memset(rep, 0, sizeof *rep);
    int rc = fr_sync_status_get(cfg->db, cfg->central, &st, &n, err);
    if (rc != FR_OK) return rc;
    int64_t waiting = n == 1 ? st[0].waiting : 0;
    fr_free(st);
    if (waiting > 0 &&
        (by_server ? cli_audit_by("sync", cfg->db, "server:sync", "server", "sync.push",
                                  "sync:central", "system", cfg->central)
                   : cli_audit("sync", cfg->db, "sync.push", "sync:central", "cli",
                               cfg->central)) != FR_OK)
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
    atomic_int running; /* the thread runs (for the status: cli_sync_status_answer) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    /* pulls (cli_syncer_pulls; set under mu) */
    char policy_path[4096], lists_dir[4096];
    int days;
    unsigned pull_every_s;
    int64_t last_pull_ms;
    int list_absent[2]; /* the central keeps no such list: said once, not at every pull */
    fr_server *srv;     /* under mu */
};

void cli_syncer_pulls(cli_syncer *s, const char *policy_path, const char *lists_dir, int days,
                      unsigned pull_every_s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    snprintf(s->policy_path, sizeof s->policy_path, "%s", policy_path ? policy_path : "");
    snprintf(s->lists_dir, sizeof s->lists_dir, "%s", lists_dir ? lists_dir : "");
    s->days = days;
    s->pull_every_s = pull_every_s ? pull_every_s : 300;
    pthread_mutex_unlock(&s->mu);
}

void cli_syncer_attach(cli_syncer *s, fr_server *srv)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->srv = srv;
    pthread_mutex_unlock(&s->mu);
}

static void log_line(cli_syncer *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void log_line(cli_syncer *s, const char *fmt, ...)
{
    char line[400];
    va_list ap;
    if (!s->log) return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->log(line);
}

static void release_screening(void *owner)
{
    cli_screening_close(owner);
    free(owner);
}

/* The lists in lists_dir, loaded whole, into the server. */
static void swap_lists(cli_syncer *s, fr_server *srv)
{
    cli_screening *sc = calloc(1, sizeof *sc);
    fr_error err;
    fr_error_clear(&err);
    if (!sc || cli_screening_open("serve", s->lists_dir, sc) != 0) {
        free(sc);
        log_line(s, "%s", _("sync: the pulled lists do not load: the lists in force are kept"));
        return;
    }
    if (fr_server_swap_lists(srv, sc->idx, sc->docs, release_screening, sc, &err) != FR_OK) {
        release_screening(sc);
        log_line(s, _("sync: the pulled lists are not in force: %s"), cli_error_text(&err));
        return;
    }
    log_line(s, "%s", _("sync: the pulled lists are in force"));
}

/* Policy, lists and histories, when due; a policy or list that changed is
 * put in force in the attached server. */
static void pull(cli_syncer *s)
{
    fr_error err;
    pthread_mutex_lock(&s->mu);
    fr_server *srv = s->srv;
    int64_t now = s->cfg.clock_ms(s->cfg.clock_ud);
    int due = (s->policy_path[0] || s->lists_dir[0] || s->days) &&
              now - s->last_pull_ms >= (int64_t)s->pull_every_s * 1000;
    pthread_mutex_unlock(&s->mu);
    if (!due) return;
    s->last_pull_ms = now;
    if (s->policy_path[0]) {
        int64_t version = 0;
        char digest[65];
        int changed = 0;
        fr_error_clear(&err);
        if (fr_sync_pull_policy(&s->cfg, s->policy_path, &version, digest, &changed, &err) !=
            FR_OK) {
            log_line(s, _("sync: policy pull failed: %s"), cli_error_text(&err));
        } else if (changed && srv) {
            size_t len = 0;
            char *text = cli_read_all(s->policy_path, FR_POLICY_MAX_BYTES, &len);
            uint64_t v = 0;
            fr_error_clear(&err);
            if (!text || fr_server_set_policy(srv, text, len, &v, &err) != FR_OK)
                log_line(s, _("sync: the pulled policy is not in force: %s"),
                         text ? cli_error_text(&err) : "unreadable");
            else
                log_line(s, _("sync: the central's policy %lld (%.16s...) is in force"),
                         (long long)version, digest);
            free(text);
        }
    }
    if (s->lists_dir[0]) {
        int changed = 0;
        for (int k = FR_SYNC_WATCHLIST; k <= FR_SYNC_LOST_STOLEN; k++) {
            fr_sync_list_pull p;
            fr_error_clear(&err);
            int *absent = &s->list_absent[k - FR_SYNC_WATCHLIST];
            int rc = fr_sync_pull_list(&s->cfg, (fr_sync_list)k, s->lists_dir, &p, &err);
            if (rc == FR_ENOTFOUND) { /* a central may keep no lost/stolen list at all */
                if (!*absent)
                    log_line(s,
                             _("sync: the central keeps no %s list (404): the post's is kept; "
                               "asked again at each pull, said again once it has one"),
                             fr_sync_list_name((fr_sync_list)k));
                *absent = 1;
            } else if (rc != FR_OK) {
                log_line(s, _("sync: %s pull failed: %s"), fr_sync_list_name((fr_sync_list)k),
                         cli_error_text(&err));
            } else {
                if (*absent)
                    log_line(s, _("sync: the central now keeps a %s list"),
                             fr_sync_list_name((fr_sync_list)k));
                *absent = 0;
                changed |= p.changed;
            }
        }
        if (changed && srv) swap_lists(s, srv);
    }
    if (s->days) {
        fr_sync_history_report r;
        fr_error_clear(&err);
        if (fr_sync_pull_histories(&s->cfg, s->days, 0, &r, &err) != FR_OK)
            log_line(s, _("sync: history pull failed: %s"), cli_error_text(&err));
        else if (r.recorded || r.conflicts || r.refused)
            log_line(s, _("sync: histories: %zu events new here, %zu conflicts, %zu refused"),
                     r.recorded, r.conflicts, r.refused);
    }
}

static void *run(void *arg)
{
    cli_syncer *s = arg;
    /* The booth first: this thread's CPU (reading, encoding and sending
     * batches, pulling lists) yields to the threads answering officers.
     * Linux's idle scheduling class does that at once: a booth thread that
     * wakes takes the CPU from this one, where at nice 10 it waited for the
     * end of this thread's slice (bench/RESULTS.md, issue 16: the steady
     * load's p99 during a catch-up). A thread may always lower its own
     * class; if it cannot, nice 10 (per thread on Linux; elsewhere this
     * would nice the whole server: not done). The price: a write of this
     * thread (the mark, a pulled history) that is preempted holds the
     * ledger's write lock until a CPU is free; those transactions are kept
     * short (sync_state.c, sync_histories.c) and the booth's writer sleeps
     * while it waits, which frees the CPU this thread needs. */
#ifdef __linux__
    struct sched_param idle = {0};
    if (pthread_setschedparam(pthread_self(), CLI_SCHED_IDLE, &idle) != 0)
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        fr_sync_report r;
        fr_error err;
        fr_error_clear(&err);
        char line[400];
        struct timespec began;
        clock_gettime(CLOCK_REALTIME, &began);
        int rc = cli_sync_once(&s->cfg, 1, &r, &err);
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
                     cli_error_text(&err));
        }
        if (line[0] && s->log) s->log(line);
        if (rc == FR_OK) pull(s);
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
    atomic_init(&s->running, 1);
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
    if (!s || !atomic_load(&s->running)) return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    atomic_store(&s->running, 0);
    memset(s->token, 0, sizeof s->token);
}

void cli_syncer_free(cli_syncer *s)
{
    if (!s) return;
    cli_syncer_stop(s);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    fr_free(s);
}

int cli_syncer_offline(void *ud, int64_t *since_ms)
{
    cli_syncer *s = ud;
    *since_ms = atomic_load(&s->last_ok_ms);
    return atomic_load(&s->offline);
}

int cli_sync_status_answer(void *ud, int64_t now_ms, char **json, size_t *len, fr_error *err)
{
    const cli_sync_view *v = ud;
    cli_syncer *s = v->syncer;
    fr_sync_status *st = NULL;
    size_t n = 0;
    fr_sync_background bg = {0};
    fr_sync_limits lim = {0};
    /* a server that syncs by itself answers for its own central: a central the
     * post once tried by hand (a typo, the old address) is not the booth's
     * concern and would warn forever ('frontera sync status' lists them all) */
    int rc = fr_sync_status_get(v->db, s ? s->central : NULL, &st, &n, err);
    if (rc != FR_OK) return rc;
    if (s) {
        pthread_mutex_lock(&s->mu);
        int pulls = s->policy_path[0] || s->lists_dir[0] || s->days;
        bg = (fr_sync_background){s->central, s->every_s, pulls ? s->pull_every_s : 0,
                                  atomic_load(&s->running)};
        pthread_mutex_unlock(&s->mu);
        /* a post that pushes or pulls rarely by choice is not late until it
         * missed about three of its own rounds */
        if ((int64_t)bg.every_s * 3 > FR_SYNC_STALE_S) lim.stale_s = (int64_t)bg.every_s * 3;
        if ((int64_t)bg.pull_every_s * 3 > FR_SYNC_LISTS_S)
            lim.lists_s = (int64_t)bg.pull_every_s * 3;
    }
    rc = fr_sync_status_json(st, n, s ? &bg : NULL, now_ms, &lim, json, len, err);
    fr_free(st);
    return rc;
}
