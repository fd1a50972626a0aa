/* SPDX-License-Identifier: MIT */
/* server_metrics.c: counters in Prometheus text format (GET /metrics):
 * requests by route template and status, a latency histogram per route,
 * decisions by outcome, audit group commits and policy swaps. Counters are
 * relaxed atomics: cheap on the hot path, consistent enough for scraping. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "server_internal.h"

static const unsigned STATUS[SRV_STATUS_SLOTS] = {200, 201, 400, 401, 403, 404, 405, 409,
                                                  413, 415, 422, 500, 501, 503, 0,   0};
static const double BUCKET_S[SRV_LAT_BUCKETS] = {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                 0.025,   0.05,   0.1,   0.25,   0.5,   1.0};

static int status_slot(unsigned st)
{
    for (int i = 0; i < SRV_STATUS_SLOTS - 2; i++)
        if (STATUS[i] == st) return i;
    return SRV_STATUS_SLOTS - 1; /* other */
}

void fr__srv_metrics_observe(fr_server *s, srv_route route, unsigned status, int64_t latency_ns)
{
    srv_metrics *m = &s->metrics;
    atomic_fetch_add_explicit(&m->requests[route][status_slot(status)], 1, memory_order_relaxed);
    double sec = (double)latency_ns / 1e9;
    int b = 0;
    while (b < SRV_LAT_BUCKETS && sec > BUCKET_S[b])
        b++;
    atomic_fetch_add_explicit(&m->lat_bucket[route][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->lat_sum_us[route], (uint64_t)(latency_ns / 1000),
                              memory_order_relaxed);
}

typedef struct buf {
    char *p;
    size_t len, cap;
    int oom;
} buf;

static void put(buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom) return;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = b->cap * 2 + (size_t)n;
        char *np = fr_realloc(b->p, ncap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
}

#define LOAD(x) ((unsigned long long)atomic_load_explicit(&(x), memory_order_relaxed))

enum MHD_Result fr__srv_metrics_get(srv_req *r)
{
    srv_metrics *m = &r->srv->metrics;
    buf b = {fr_malloc(16384), 0, 16384, 0};
    if (!b.p) return MHD_NO;
    put(&b, "# HELP frontera_http_requests_total HTTP requests answered, by route template and "
            "status.\n"
            "# TYPE frontera_http_requests_total counter\n");
    for (int rt = 0; rt < R_COUNT; rt++)
        for (int i = 0; i < SRV_STATUS_SLOTS; i++) {
            unsigned long long v = LOAD(m->requests[rt][i]);
            if (!v) continue;
            char st[8];
            if (i == SRV_STATUS_SLOTS - 1)
                snprintf(st, sizeof st, "other");
            else
                snprintf(st, sizeof st, "%u", STATUS[i]);
            put(&b, "frontera_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                fr__srv_route_method((srv_route)rt), fr__srv_route_template((srv_route)rt), st, v);
        }
    put(&b, "# HELP frontera_http_request_duration_seconds Time from the request line to the "
            "queued answer.\n"
            "# TYPE frontera_http_request_duration_seconds histogram\n");
    for (int rt = 0; rt < R_COUNT; rt++) {
        unsigned long long cum = 0;
        for (int i = 0; i <= SRV_LAT_BUCKETS; i++)
            cum += LOAD(m->lat_bucket[rt][i]);
        if (!cum) continue;
        const char *t = fr__srv_route_template((srv_route)rt);
        cum = 0;
        for (int i = 0; i < SRV_LAT_BUCKETS; i++) {
            cum += LOAD(m->lat_bucket[rt][i]);
            put(&b, "frontera_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                t, BUCKET_S[i], cum);
        }
        cum += LOAD(m->lat_bucket[rt][SRV_LAT_BUCKETS]);
        put(&b, "frontera_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", t,
            cum);
        put(&b, "frontera_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", t,
            (double)LOAD(m->lat_sum_us[rt]) / 1e6);
        put(&b, "frontera_http_request_duration_seconds_count{route=\"%s\"} %llu\n", t, cum);
    }
    put(&b,
        "# HELP frontera_decisions_total Admission decisions given, by outcome.\n"
        "# TYPE frontera_decisions_total counter\n"
        "frontera_decisions_total{outcome=\"admit\"} %llu\n"
        "frontera_decisions_total{outcome=\"refer\"} %llu\n"
        "frontera_decisions_total{outcome=\"refuse\"} %llu\n",
        LOAD(m->decisions[0]), LOAD(m->decisions[1]), LOAD(m->decisions[2]));
    put(&b,
        "# HELP frontera_audit_entries_total Audit entries committed.\n"
        "# TYPE frontera_audit_entries_total counter\nfrontera_audit_entries_total %llu\n"
        "# HELP frontera_audit_commits_total Audit transactions (group commits).\n"
        "# TYPE frontera_audit_commits_total counter\nfrontera_audit_commits_total %llu\n"
        "# HELP frontera_audit_failures_total Audit transactions that failed.\n"
        "# TYPE frontera_audit_failures_total counter\nfrontera_audit_failures_total %llu\n"
        "# HELP frontera_policy_swaps_total Policies swapped in by PUT /v1/policy.\n"
        "# TYPE frontera_policy_swaps_total counter\nfrontera_policy_swaps_total %llu\n"
        "# HELP frontera_requests_in_flight Requests being served.\n"
        "# TYPE frontera_requests_in_flight gauge\nfrontera_requests_in_flight %d\n"
        "# HELP frontera_checkpoints_total Checkpoints of the SQLite write-ahead log run by the"
        " server's checkpoint thread.\n"
        "# TYPE frontera_checkpoints_total counter\nfrontera_checkpoints_total %llu\n"
        "# HELP frontera_wal_pages Pages in the SQLite write-ahead log after the last checkpoint.\n"
        "# TYPE frontera_wal_pages gauge\nfrontera_wal_pages %llu\n",
        LOAD(m->audit_entries), LOAD(m->audit_batches), LOAD(m->audit_failures),
        LOAD(m->policy_swaps), atomic_load(&r->srv->inflight), LOAD(m->checkpoints),
        LOAD(m->wal_frames));
    if (b.oom) {
        fr_free(b.p);
        return MHD_NO;
    }
    enum MHD_Result ret = fr__srv_send_text(r, 200, "text/plain; version=0.0.4", b.p, b.len);
    fr_free(b.p);
    return ret;
}
