/* SPDX-License-Identifier: MIT */
/* cli_purge.c: the retention purge as the program runs it: the loop over
 * fr_store_purge batches, each batch and its audit entry one transaction
 * (fr_audit_open_store: the entry commits with the erasure or neither
 * does), and the background thread of `frontera serve` that runs it ten
 * minutes after start and then every day (docs/retention.md). The library reads no
 * clock: the date of the run is taken here. */
#include "cli_purge.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/arrivals.h"
#include "frontera/audit.h"
#include "frontera/snapshot.h"

fr_date cli_purge_today(void)
{
    time_t now = time(NULL);
    int64_t days = (int64_t)now / 86400;
    return (fr_date)days;
}

void cli_purge_detail(const fr_retention *r, fr_date as_of, const fr_purge_counts *c, char *out,
                      size_t cap)
{
    char a[FR_DATE_BUFSZ], x[FR_DATE_BUFSZ], o[FR_DATE_BUFSZ];
    fr_date xc, oc;
    fr_retention_cutoffs(r, as_of, &xc, &oc);
    snprintf(out, cap,
             "as_of=%s exit_years=%d overstay_years=%d exit_cutoff=%s overstay_cutoff=%s"
             " persons=%lld documents=%lld entries=%lld exits=%lld refusals=%lld"
             " encounters=%lld extensions=%lld reviews=%lld by_rule=exit:%lld,overstay:%lld,"
             "refusal:%lld",
             fr_date_format(as_of, a), r->exit_years, r->overstay_years, fr_date_format(xc, x),
             fr_date_format(oc, o), (long long)c->travellers, (long long)c->documents,
             (long long)c->events[FR_EVENT_ENTRY], (long long)c->events[FR_EVENT_EXIT],
             (long long)c->events[FR_EVENT_REFUSAL], (long long)c->events[FR_EVENT_ENCOUNTER],
             (long long)c->events[FR_EVENT_EXTENSION], (long long)c->reviews,
             (long long)c->by_rule[FR_RETAIN_EXIT], (long long)c->by_rule[FR_RETAIN_OVERSTAY],
             (long long)c->by_rule[FR_RETAIN_REFUSAL]);
}

static void add(fr_purge_counts *t, const fr_purge_counts *c)
{
    t->examined += c->examined;
    t->travellers += c->travellers;
    t->documents += c->documents;
    t->reviews += c->reviews;
    for (int i = 0; i < 6; i++)
        t->events[i] += c->events[i];
    for (int i = 0; i < 4; i++)
        t->by_rule[i] += c->by_rule[i];
}

/* The manifest retention (arrivals.h, fr_arrivals_purge) before the
 * ledger's, with its own audit entry (counts only). */
static int purge_manifests(const char *db, fr_store *s, fr_audit *au, const fr_retention *r,
                           fr_date as_of, int dry, const char *actor, const char *role,
                           const char *origin, fr_purge_counts *total, fr_error *err)
{
    fr_arrivals *a = NULL;
    uint64_t n = 0;
    int rc = fr_arrivals_open(db, &a, err);
    if (rc == FR_OK) rc = fr_arrivals_purge(a, s, as_of - r->manifest_days, dry, &n, err);
    fr_arrivals_close(a);
    if (rc != FR_OK) return rc;
    total->manifest_persons = (int64_t)n;
    if (dry || n == 0) return FR_OK;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char detail[FR_AUDIT_DETAIL_MAX + 1], b[FR_DATE_BUFSZ];
    snprintf(detail, sizeof detail, "manifest_days=%d arrivals_before=%s persons=%llu",
             r->manifest_days, fr_date_format(as_of - r->manifest_days, b), (unsigned long long)n);
    fr_audit_record rec = {(int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
                           actor,
                           role,
                           "manifests.purge",
                           "arrivals",
                           origin,
                           0,
                           detail};
    /* the manifests are erased on their own connection (arrivals.h): their
     * audit entry follows in a transaction of the ledger's */
    int rc2 = fr_store_batch_begin(s, err);
    if (rc2 == FR_OK && (rc2 = fr_audit_append(au, &rec, 1, NULL, err)) == FR_OK)
        return fr_store_batch_commit(s, err);
    if (rc2 != FR_OK) fr_store_batch_rollback(s);
    return rc2;
}

/* After persons were erased, the analytics snapshots of the ledger (beside
 * it, and the one $FRONTERA_SNAPSHOT names) go too: their stamp is the digest
 * of the last event, which the purge may have replaced, so the next report
 * would rebuild them anyway and say they came from another ledger. Removed,
 * the next report builds the index anew without a false reason; a process
 * that mapped the old file keeps its view. */
static void forget_snapshots(const char *db)
{
    char path[4096];
    if (fr_snapshot_path(db, path, sizeof path) == FR_OK) unlink(path);
    const char *named = getenv("FRONTERA_SNAPSHOT");
    if (named && named[0]) unlink(named);
}

int cli_purge_run(const char *db, const fr_retention *r, fr_date as_of, int dry, size_t batch,
                  const char *actor, const char *role, const char *origin, atomic_int *stop,
                  fr_purge_counts *total, fr_error *err)
{
    memset(total, 0, sizeof *total);
    fr_store *s = NULL;
    fr_audit *au = NULL;
    int rc = fr_store_open(db, 0, &s, err);
    if (rc == FR_OK && !dry) { /* the audit table made (PostgreSQL), then shared */
        rc = fr_audit_open(db, &au, err);
        fr_audit_close(au);
        au = NULL;
        if (rc == FR_OK) rc = fr_audit_open_store(s, &au, err);
    }
    /* the manifests first: their outcomes are found while the entries they
     * match still carry their documents (a manifest's retention is shorter) */
    if (rc == FR_OK && r->manifest_days > 0)
        rc = purge_manifests(db, s, au, r, as_of, dry, actor, role, origin, total, err);
    int64_t cursor = 0;
    int done = 0;
    while (rc == FR_OK && !done && !(stop && atomic_load(stop))) {
        fr_purge_counts c;
        memset(&c, 0, sizeof c);
        if (!dry && (rc = fr_store_batch_begin(s, err)) != FR_OK) break;
        rc =
            fr_store_purge(s, r, as_of, dry ? FR_PURGE_DRY_RUN : 0, &cursor, batch, &c, &done, err);
        if (rc == FR_OK && !dry && c.travellers > 0) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            char detail[FR_AUDIT_DETAIL_MAX + 1];
            cli_purge_detail(r, as_of, &c, detail, sizeof detail);
            fr_audit_record rec = {(int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
                                   actor,
                                   role,
                                   "ledger.purge",
                                   "ledger",
                                   origin,
                                   0,
                                   detail};
            rc = fr_audit_append(au, &rec, 1, NULL, err);
        }
        if (!dry) {
            if (rc == FR_OK)
                rc = fr_store_batch_commit(s, err);
            else
                fr_store_batch_rollback(s);
        }
        if (rc == FR_OK) add(total, &c);
    }
    fr_audit_close(au);
    fr_store_close(s);
    if (rc == FR_OK && !dry && total->travellers > 0) forget_snapshots(db);
    return rc;
}

struct cli_purger {
    char db[1024];
    fr_retention ret;
    unsigned every_s;
    void (*log)(const char *line);
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    atomic_int cancel; /* set by cli_purger_stop: the run ends after its batch */
};

static void *purger_run(void *arg)
{
    cli_purger *p = arg;
    pthread_mutex_lock(&p->mu);
    /* the first run a little after start (not in the middle of it), then every every_s */
    unsigned wait = p->every_s < 600 ? p->every_s : 600;
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += wait;
        while (!p->stop && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0) {
        }
        if (p->stop) break;
        wait = p->every_s;
        pthread_mutex_unlock(&p->mu);
        fr_purge_counts c;
        fr_error err;
        fr_error_clear(&err);
        char line[700], b[FR_DATE_BUFSZ];
        fr_date today = cli_purge_today();
        int rc = cli_purge_run(p->db, &p->ret, today, 0, 1000, "server:purge", "system", "server",
                               &p->cancel, &c, &err);
        if (rc == FR_OK)
            snprintf(
                line, sizeof line,
                "purge: as of %s, %lld persons erased, %lld events kept "
                "de-identified",
                fr_date_format(today, b), (long long)c.travellers,
                (long long)(c.events[1] + c.events[2] + c.events[3] + c.events[4] + c.events[5]));
        else
            snprintf(line, sizeof line, "purge: failed (will try again): %s", err.message);
        if (p->log) p->log(line);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int cli_purger_start(const char *db, const fr_retention *r, unsigned every_s,
                     void (*log)(const char *line), cli_purger **out)
{
    cli_purger *p = fr_calloc(1, sizeof *p);
    if (!p) return FR_ENOMEM;
    snprintf(p->db, sizeof p->db, "%s", db);
    p->ret = *r;
    p->every_s = every_s;
    p->log = log;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, purger_run, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        fr_free(p);
        return FR_EIO;
    }
    *out = p;
    return FR_OK;
}

void cli_purger_stop(cli_purger *p)
{
    if (!p) return;
    atomic_store(&p->cancel, 1);
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    fr_free(p);
}
