/* SPDX-License-Identifier: MIT */
/* server.c: the server's life cycle and its front door.
 *
 * fr_server_start opens one ledger handle (creating or migrating the
 * database) and the auth and audit tables, parses the policy, starts the
 * audit writer and then libmicrohttpd: a thread for each connection, bound
 * to the configured address, with at most cfg.threads requests worked at
 * once (the gate below). A thread pool over epoll was the first design; it
 * hands each connection to one pool thread for good, so a request waiting
 * for the group commit held up every other connection of its thread: a
 * server recorded one admission per disk flush whatever the number of
 * booths (bench/RESULTS.md, "A thread for each connection"). Each request goes through access():
 * the first call matches the route (a GET outside /v1 may be a browser page
 * built into the program: answered at once, no token) and checks the
 * announced body size, the next calls collect the body (never beyond the
 * limit: 413), the last one authenticates the bearer token, checks the role's permission and calls
 * the route's handler with a worker context borrowed from the pool.
 * fr_server_stop quiesces the listener, waits for the requests in flight
 * (answers then carry "Connection: close"), stops the daemon, flushes the
 * audit queue and closes every handle. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/webassets.h"
#include "server_internal.h"

static const char *const ROUTE_METHOD[] = {
#define SRV_X_M(id, m, t) m,
    SRV_ROUTES(SRV_X_M)
#undef SRV_X_M
};
static const char *const ROUTE_TEMPLATE[] = {
#define SRV_X_T(id, m, t) t,
    SRV_ROUTES(SRV_X_T)
#undef SRV_X_T
};

const char *fr__srv_route_template(srv_route r)
{
    return ROUTE_TEMPLATE[r];
}
const char *fr__srv_route_method(srv_route r)
{
    return ROUTE_METHOD[r];
}

int64_t fr__srv_now_ms(const fr_server *s)
{
    return s->cfg.now_ms(s->cfg.clock_ud);
}

void fr__srv_log(const fr_server *s, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    if (!s->cfg.log) return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    s->cfg.log(s->cfg.log_ud, line);
}

/* ---- worker contexts ---- */

static void ctx_free(srv_ctx *c)
{
    if (!c) return;
    fr_screen_ctx_free(c->screen);
    fr_audit_close(c->audit);
    fr_arrivals_close(c->arrivals);
    fr_auth_close(c->auth);
    fr_store_close(c->store);
    fr_store_close(c->replica);
    fr_free(c);
}

/* The context's audit log (reads: "who looked") on its store's connection:
 * one database connection fewer per context; a backend that does not share
 * its connection gets one of its own. */
static int ctx_audit(fr_server *s, srv_ctx *c, fr_error *err)
{
    fr_error why;
    fr_error_clear(&why);
    int rc = fr_audit_open_store(c->store, &c->audit, &why);
    if (rc == FR_EINVAL) return fr_audit_open(s->db_path, &c->audit, err);
    if (rc != FR_OK && err) *err = why;
    return rc;
}

/* Has a context lost a database connection (PostgreSQL restarted, failed
 * over, or dropped it)? Its every request would fail: it is closed and a new
 * one opened, so a server recovers once the database is back. */
static int ctx_lost(const srv_ctx *c)
{
    return fr_store_lost(c->store) || fr_store_lost(c->replica) || fr_auth_lost(c->auth) ||
           fr_arrivals_lost(c->arrivals);
}

srv_ctx *fr__srv_ctx_acquire(fr_server *s, fr_error *err)
{
    srv_ctx *c;
    for (;;) {
        pthread_mutex_lock(&s->ctx_mu);
        c = s->free_ctx;
        if (c) s->free_ctx = c->next;
        if (c && ctx_lost(c)) { /* out of the list of all contexts, then closed */
            for (size_t i = 0; i < s->nctx; i++)
                if (s->all_ctx[i] == c) {
                    s->all_ctx[i] = s->all_ctx[--s->nctx];
                    break;
                }
            pthread_mutex_unlock(&s->ctx_mu);
            fr__srv_log(s, "warning: a database connection was lost: reconnecting");
            ctx_free(c);
            continue;
        }
        pthread_mutex_unlock(&s->ctx_mu);
        break;
    }
    if (c) return c;
    /* a new one, opened outside the lock */
    c = fr_calloc(1, sizeof *c);
    if (!c) {
        fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        return NULL;
    }
    if (fr_store_open(s->db_path, 0, &c->store, err) != FR_OK ||
        (s->replica_path && fr_store_open(s->replica_path, 0, &c->replica, err) != FR_OK) ||
        fr_auth_open(s->db_path, &c->auth, err) != FR_OK || ctx_audit(s, c, err) != FR_OK) {
        /* the screening context is built on first use (fr__srv_lists_ctx) */
        ctx_free(c);
        return NULL;
    }
    pthread_mutex_lock(&s->ctx_mu);
    if (s->nctx == s->capctx) {
        size_t ncap = s->capctx ? s->capctx * 2 : 8;
        srv_ctx **v = fr_realloc(s->all_ctx, ncap * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&s->ctx_mu);
            ctx_free(c);
            fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
            return NULL;
        }
        s->all_ctx = v;
        s->capctx = ncap;
    }
    s->all_ctx[s->nctx++] = c;
    pthread_mutex_unlock(&s->ctx_mu);
    return c;
}

void fr__srv_ctx_release(fr_server *s, srv_ctx *c)
{
    if (!c) return;
    pthread_mutex_lock(&s->ctx_mu);
    c->next = s->free_ctx;
    s->free_ctx = c;
    pthread_mutex_unlock(&s->ctx_mu);
}

/* ---- the gate: at most cfg.threads requests worked at once ---- */

/* Each request worked holds a database connection (its worker context), so
 * the gate bounds a server's connections to the database, not the number of
 * open HTTP connections. A waiting request is let in as soon as one leaves:
 * no connection waits behind another's. */
static void gate_enter(fr_server *s)
{
    pthread_mutex_lock(&s->gate_mu);
    while (s->busy >= s->cfg.threads)
        pthread_cond_wait(&s->gate_cv, &s->gate_mu);
    s->busy++;
    pthread_mutex_unlock(&s->gate_mu);
}

static void gate_leave(fr_server *s)
{
    pthread_mutex_lock(&s->gate_mu);
    s->busy--;
    pthread_cond_signal(&s->gate_cv);
    pthread_mutex_unlock(&s->gate_mu);
}

/* ---- routing ---- */

/* Copy the path parameter [p, p+n) into out; 0 on success, -1 when it is
 * empty or does not fit. libmicrohttpd has already percent-decoded the path
 * once (its default unescape callback): decoding again here would read
 * "%2541" as "A", so the parameter is taken as it comes. */
static int copy_param(const char *p, size_t n, char *out, size_t cap)
{
    if (n == 0 || n >= cap || memchr(p, 0, n)) return -1;
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

/* p is "{id}" (route get, by GET) or "{id}" + sub (route post, by POST). */
static srv_route match_id(const char *method, const char *p, const char *get_method, srv_route get,
                          const char *sub, srv_route post, char *param, size_t cap, int *bad_param,
                          int *known_path)
{
    const char *slash = strchr(p, '/');
    if (slash && strcmp(slash, sub) != 0) return R_OTHER;
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    if (len == 0 || memchr(p, '/', len)) return R_OTHER;
    *known_path = 1;
    if (copy_param(p, len, param, cap) != 0) *bad_param = 1;
    if (slash) return strcmp(method, "POST") == 0 ? post : R_OTHER;
    return strcmp(method, get_method) == 0 ? get : R_OTHER;
}

/* Match the path; *known_path tells a path that exists for another method. */
static srv_route match(const char *method, const char *url, char *param, size_t cap, int *bad_param,
                       int *known_path)
{
    static const char ADM[] = "/v1/admissions/", TRV[] = "/v1/travellers/", OVR[] = "/override",
                      REV[] = "/v1/reviews/";
    *known_path = 0;
    *bad_param = 0;
    for (int r = 0; r < R_WEB; r++) {
        const char *t = ROUTE_TEMPLATE[r];
        if (strchr(t, '{') || strcmp(t, url) != 0) continue;
        *known_path = 1;
        if (strcmp(ROUTE_METHOD[r], method) == 0) return (srv_route)r;
    }
    if (*known_path) return R_OTHER;
    size_t n = strlen(url);
    if (strncmp(url, ADM, sizeof ADM - 1) == 0 && n > sizeof ADM - 1 + sizeof OVR - 1 &&
        strcmp(url + n - (sizeof OVR - 1), OVR) == 0) {
        const char *p = url + sizeof ADM - 1;
        size_t len = (size_t)(url + n - (sizeof OVR - 1) - p);
        if (memchr(p, '/', len)) return R_OTHER;
        *known_path = 1;
        if (copy_param(p, len, param, cap) != 0) *bad_param = 1;
        return strcmp(method, "POST") == 0 ? R_OVERRIDE : R_OTHER;
    }
    if (strncmp(url, TRV, sizeof TRV - 1) == 0 && n > sizeof TRV - 1)
        return match_id(method, url + sizeof TRV - 1, "GET", R_TRAVELLER, "/split", R_SPLIT, param,
                        cap, bad_param, known_path);
    if (strncmp(url, REV, sizeof REV - 1) == 0 && n > sizeof REV - 1)
        return match_id(method, url + sizeof REV - 1, "GET", R_REVIEW, "/resolve", R_RESOLVE, param,
                        cap, bad_param, known_path);
    return R_OTHER;
}

static const fr_perm ROUTE_PERM[R_COUNT] = {
    [R_ADMISSIONS] = FR_PERM_ADMIT,
    [R_OVERRIDE] = FR_PERM_OVERRIDE,
    [R_MANIFESTS] = FR_PERM_MANIFEST,
    [R_EVENTS] = FR_PERM_EVENTS,
    [R_TRAVELLER] = FR_PERM_TRAVELLER,
    [R_FLOWS] = FR_PERM_REPORTS,
    [R_OVERSTAYS] = FR_PERM_REPORTS,
    [R_ALERTS] = FR_PERM_REPORTS,
    [R_PORT_DAYS] = FR_PERM_REPORTS,
    [R_WHATIF] = FR_PERM_REPORTS,
    [R_POLICY_GET] = FR_PERM_POLICY_READ,
    [R_POLICY_PUT] = FR_PERM_POLICY_WRITE,
    [R_SPLIT] = FR_PERM_REVIEW,
    [R_REVIEWS] = FR_PERM_REVIEW,
    [R_REVIEW] = FR_PERM_REVIEW,
    [R_RESOLVE] = FR_PERM_REVIEW,
    [R_RECONCILIATION] = FR_PERM_REPORTS,
    [R_EXITS] = FR_PERM_ADMIT,
    [R_OVERSTAYERS] = FR_PERM_ENFORCEMENT,
    [R_SYNC_WATCHLIST] = FR_PERM_SYNC_PULL,
    [R_SYNC_LOST] = FR_PERM_SYNC_PULL,
    [R_SYNC_HISTORIES] = FR_PERM_SYNC_PULL,
    [R_SYNC_STATUS] = FR_PERM_SYNC_STATUS,
};

static enum MHD_Result authenticate(srv_req *r, int *ok)
{
    fr_server *s = r->srv;
    fr_error err;
    *ok = 0;
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return fr__srv_problem(r, 401, "unauthenticated", "Authentication required", NULL, NULL,
                               "send 'Authorization: Bearer TOKEN' with a token from "
                               "'frontera user add'");
    const char *tok = h + 7;
    while (*tok == ' ')
        tok++;
    fr_error_clear(&err);
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) return fr__srv_problem_err(r, &err);
    int rc = fr_auth_check(c->auth, tok, strlen(tok), &r->user, &err);
    fr__srv_ctx_release(s, c);
    if (rc == FR_EAUTH)
        return fr__srv_problem_with(r, 401, "unauthenticated", "Authentication failed", NULL, NULL,
                                    &err);
    if (rc != FR_OK) return fr__srv_problem_err(r, &err);
    int personal = r->route == R_TRAVELLER || r->route == R_SPLIT || r->route == R_REVIEWS ||
                   r->route == R_REVIEW || r->route == R_RESOLVE;
    if (personal && !fr_role_may(r->user.role, ROUTE_PERM[r->route])) {
        /* an attempt on a personal record (a traveller, a link review) is
         * audited like a read */
        char object[FR_AUDIT_OBJECT_MAX + 1];
        fr_audit_record rec;
        const char *action = "traveller.read";
        if (r->route == R_TRAVELLER || r->route == R_SPLIT)
            snprintf(object, sizeof object, "%s:%.100s",
                     strchr(r->param, ':') ? "document" : "traveller", r->param);
        else if (r->route == R_REVIEWS)
            snprintf(object, sizeof object, "reviews");
        else
            snprintf(object, sizeof object, "review:%.100s", r->param);
        if (r->route == R_SPLIT) action = "traveller.split";
        if (r->route == R_REVIEWS) action = "review.list";
        if (r->route == R_REVIEW) action = "review.read";
        if (r->route == R_RESOLVE) action = "review.resolve";
        fr__srv_audit_record_for(r, &rec, action, object, 403, "refused: role");
        if (fr__srv_audit_write(s, &rec, 1) != FR_OK)
            return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                   "the refusal could not be audited");
    }
    /* /metrics: every staff role; a carrier's system may only send manifests, a post only events;
     * /v1/me and /v1/countries: anyone signed in */
    int metrics_ok = (r->route == R_METRICS && r->user.role != FR_ROLE_CARRIER &&
                      r->user.role != FR_ROLE_POST) ||
                     r->route == R_ME ||      /* every signed-in user may ask who they are */
                     r->route == R_COUNTRIES; /* reference data, no personal record */
    if (!metrics_ok && !fr_role_may(r->user.role, ROUTE_PERM[r->route]))
        return fr__srv_problem(r, 403, "forbidden", "Not allowed for this role", NULL, NULL,
                               "the role '%s' may not use %s %s", fr_role_name(r->user.role),
                               fr__srv_route_method(r->route), fr__srv_route_template(r->route));
    *ok = 1;
    return MHD_YES;
}

static enum MHD_Result dispatch(srv_req *r)
{
    switch (r->route) {
    case R_HEALTHZ: { /* a balancer sends no booth here while its ledger does not answer */
        srv_policy *p = fr__srv_policy_acquire(r->srv);
        int ok = fr__srv_pshare_ledger_ok(r->srv);
        json_t *j = json_pack("{s:s, s:s, s:I}", "status", ok ? "ok" : "unavailable", "ledger",
                              ok ? "ok" : "unreachable", "policy_version", (json_int_t)p->version);
        fr__srv_policy_release(p);
        return fr__srv_send_json(r, ok ? 200 : 503, j);
    }
    case R_ME: { /* the pages show what the role may do (no personal data of a traveller) */
        json_t *may = json_array();
        for (int i = 0; may && i < R_COUNT; i++) /* from the same table that enforces it */
            if (ROUTE_PERM[i] && fr_role_may(r->user.role, ROUTE_PERM[i])) {
                char op[96];
                snprintf(op, sizeof op, "%s %s", fr__srv_route_method((srv_route)i),
                         fr__srv_route_template((srv_route)i));
                json_array_append_new(may, json_string(op));
            }
        return fr__srv_send_json(r, 200,
                                 json_pack("{s:s, s:s, s:s, s:o*}", "name", r->user.name, "role",
                                           fr_role_name(r->user.role), "ports", r->user.ports,
                                           "may", may));
    }
    case R_ADMISSIONS:
        return fr__srv_admissions(r);
    case R_OVERRIDE:
        return fr__srv_override(r);
    case R_MANIFESTS:
        return fr__srv_manifests(r);
    case R_RECONCILIATION:
        return fr__srv_reconciliation(r);
    case R_EVENTS:
        return fr__srv_events(r);
    case R_EXITS:
        return fr__srv_exits(r);
    case R_OVERSTAYERS:
        return fr__srv_overstayers(r);
    case R_SELFCHECK:
        return fr__srv_selfcheck(r);
    case R_SYNC_WATCHLIST:
    case R_SYNC_LOST:
        return fr__srv_sync_list(r);
    case R_SYNC_HISTORIES:
        return fr__srv_sync_histories(r);
    case R_SYNC_STATUS:
        return fr__srv_sync_status(r);
    case R_TRAVELLER:
        return fr__srv_traveller(r);
    case R_SPLIT:
        return fr__srv_traveller_split(r);
    case R_REVIEWS:
        return fr__srv_reviews_list(r);
    case R_REVIEW:
        return fr__srv_review_get(r);
    case R_RESOLVE:
        return fr__srv_review_resolve(r);
    case R_FLOWS:
    case R_OVERSTAYS:
    case R_ALERTS:
    case R_PORT_DAYS:
    case R_WHATIF:
        return fr__srv_report(r);
    case R_COUNTRIES:
        return fr__srv_countries(r);
    case R_POLICY_GET:
        return fr__srv_policy_get(r);
    case R_POLICY_PUT:
        return fr__srv_policy_put(r);
    case R_METRICS:
        return fr__srv_metrics_get(r);
    default:
        break;
    }
    return fr__srv_problem(r, 404, "not-found", "No such route", NULL, NULL, "no route here");
}

static enum MHD_Result first_call(fr_server *s, struct MHD_Connection *conn, const char *url,
                                  const char *method, void **con_cls)
{
    srv_req *r = fr_calloc(1, sizeof *r);
    if (!r) return MHD_NO;
    r->srv = s;
    r->conn = conn;
    r->method = method;
    r->start_ns = s->cfg.mono_ns(s->cfg.clock_ud);
    int bad_param = 0, known = 0;
    r->route = match(method, url, r->param, sizeof r->param, &bad_param, &known);
    if (bad_param) r->param[0] = 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->origin,
                      sizeof r->origin);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                      r->origin, sizeof r->origin);
    }
    atomic_fetch_add(&s->inflight, 1);
    *con_cls = r;
    if (r->route == R_OTHER && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
        strncmp(url, "/v1/", 4) != 0) { /* the browser pages (webassets.h): no token needed */
        const unsigned char *data = NULL;
        size_t len = 0;
        const char *ctype = NULL;
        if (fr_web_asset(url, &data, &len, &ctype)) {
            r->route = R_WEB;
            r->answered = 1;
            return fr__srv_send_asset(r, url, data, len, ctype);
        }
    }
    if (r->route == R_OTHER) {
        r->too_big = 0;
        r->answered = 1;
        if (known)
            return fr__srv_problem(r, 405, "method-not-allowed", "Method not allowed", NULL, NULL,
                                   "%s is not allowed here", method);
        return fr__srv_problem(r, 404, "not-found", "No such route", NULL, NULL,
                               "there is no route %s for this path (see docs/openapi.yaml)",
                               method);
    }
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno || *end || n > s->cfg.body_max) r->too_big = 1;
    }
    return MHD_YES;
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
    fr_server *s = cls;
    srv_req *r = *con_cls;
    (void)version;
    if (!r) return first_call(s, conn, url, method, con_cls);
    if (r->answered) { /* an early answer (404, 405) was queued: drop any body */
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->too_big || r->len + n > s->cfg.body_max) {
            r->too_big = 1;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t ncap = r->cap ? r->cap : 4096;
            while (ncap < r->len + n + 1)
                ncap *= 2;
            if (ncap > s->cfg.body_max + 1) ncap = s->cfg.body_max + 1;
            char *nb = fr_realloc(r->body, ncap);
            if (!nb) return MHD_NO;
            r->body = nb;
            r->cap = ncap;
        }
        memcpy(r->body + r->len, upload, n);
        r->len += n;
        r->body[r->len] = 0;
        return MHD_YES;
    }
    r->answered = 1;
    if (r->too_big)
        return fr__srv_problem(r, 413, "body-too-large", "Request body too large", NULL, NULL,
                               "the body may hold at most %zu bytes", s->cfg.body_max);
    if (r->route == R_HEALTHZ) return dispatch(r); /* answers under any load */
    gate_enter(s);
    enum MHD_Result ret = MHD_NO;
    int ok = 1;
    if (r->route != R_SELFCHECK) /* with /healthz, the public routes */
        ret = authenticate(r, &ok);
    if (ok) ret = dispatch(r);
    gate_leave(s);
    return ret;
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    fr_server *s = cls;
    srv_req *r = *con_cls;
    (void)conn;
    (void)code;
    if (!r) return;
    fr_free(r->body);
    fr_free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    fr_server *s = cls;
    char line[400];
    if (!s->cfg.log) return;
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = 0;
    fr__srv_log(s, "http: %s", line);
}

static void server_free(fr_server *s)
{
    fr__srv_pshare_stop(s);
    fr__srv_ckpt_stop(s);
    fr__srv_audit_stop(s);
    for (size_t i = 0; i < s->nctx; i++)
        ctx_free(s->all_ctx[i]);
    fr_free(s->all_ctx);
    fr__srv_policy_fini(s);
    fr__srv_lists_fini(s);
    for (int i = 0; i < 2; i++)
        fr_free(s->listfile[i].text);
    pthread_mutex_destroy(&s->lists_mu);
    pthread_mutex_destroy(&s->listfile_mu);
    fr_free(s->lists_dir);
    fr__srv_reports_fini(s);
    pthread_mutex_destroy(&s->write_mu);
    pthread_mutex_destroy(&s->selfcheck_mu);
    pthread_mutex_destroy(&s->ctx_mu);
    pthread_mutex_destroy(&s->gate_mu);
    pthread_cond_destroy(&s->gate_cv);
    pthread_mutex_destroy(&s->policy_mu);
    pthread_mutex_destroy(&s->policy_put_mu);
    fr_free(s->db_path);
    fr_free(s->replica_path);
    fr_free(s->snapshot_path);
    fr_free(s->host);
    fr_free(s->policy_path);
    fr_free(s->tls_cert);
    if (s->tls_key) { /* the private key leaves no copy in freed memory */
        memset(s->tls_key, 0, strlen(s->tls_key));
        fr_free(s->tls_key);
    }
    fr_free(s);
}

int fr_server_start(const fr_server_config *cfg, fr_server **out, fr_error *err)
{
    if (!cfg || !out || !cfg->db_path || !cfg->now_ms || !cfg->mono_ns)
        return fr_error_set(err, FR_EINVAL, 0, 0, "config",
                            "the database and both clocks are required");
    if (!cfg->policy_text)
        return fr_error_set(err, FR_EINVAL, 0, 0, "policy", "a policy is required");
    if ((cfg->tls_cert_pem != NULL) != (cfg->tls_key_pem != NULL))
        return fr_error_set(err, FR_EINVAL, 0, 0, "tls",
                            "https needs both the certificate and its private key");
    if (cfg->tls_cert_pem && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return fr_error_set(err, FR_EINVAL, 0, 0, "tls",
                            "this libmicrohttpd was built without TLS: serve https behind a proxy");
    fr_server *s = fr_calloc(1, sizeof *s);
    if (!s) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    s->cfg = *cfg;
    if (!s->cfg.threads) s->cfg.threads = FR_SERVER_DEFAULT_THREADS;
    if (!s->cfg.body_max) s->cfg.body_max = FR_SERVER_DEFAULT_BODY_MAX;
    if (!s->cfg.timeout_s) s->cfg.timeout_s = FR_SERVER_DEFAULT_TIMEOUT_S;
    if (!s->cfg.max_connections) s->cfg.max_connections = FR_SERVER_DEFAULT_MAX_CONNECTIONS;
    if (!s->cfg.per_address) s->cfg.per_address = FR_SERVER_DEFAULT_PER_ADDRESS;
    if (s->cfg.per_address > s->cfg.max_connections) s->cfg.per_address = s->cfg.max_connections;
    pthread_mutex_init(&s->ctx_mu, NULL);
    pthread_mutex_init(&s->gate_mu, NULL);
    pthread_cond_init(&s->gate_cv, NULL);
    pthread_mutex_init(&s->policy_mu, NULL);
    pthread_mutex_init(&s->policy_put_mu, NULL);
    pthread_mutex_init(&s->lists_mu, NULL);
    pthread_mutex_init(&s->listfile_mu, NULL);
    pthread_mutex_init(&s->write_mu, NULL);
    pthread_mutex_init(&s->selfcheck_mu, NULL);
    fr__srv_reports_init(s);
    s->db_path = fr_strdup(cfg->db_path);
    s->replica_path = cfg->replica_path ? fr_strdup(cfg->replica_path) : NULL;
    s->snapshot_path = cfg->snapshot_path ? fr_strdup(cfg->snapshot_path) : NULL;
    s->host = fr_strdup(cfg->host ? cfg->host : "127.0.0.1");
    s->policy_path = cfg->policy_path ? fr_strdup(cfg->policy_path) : NULL;
    s->lists_dir = cfg->lists_dir ? fr_strdup(cfg->lists_dir) : NULL;
    s->cfg.lists_dir = s->lists_dir;
    s->cfg.db_path = s->db_path;
    s->cfg.replica_path = s->replica_path;
    s->cfg.snapshot_path = s->snapshot_path;
    s->cfg.host = s->host;
    s->cfg.policy_path = s->policy_path;
    s->tls_cert = cfg->tls_cert_pem ? fr_strdup(cfg->tls_cert_pem) : NULL;
    s->tls_key = cfg->tls_key_pem ? fr_strdup(cfg->tls_key_pem) : NULL;
    s->cfg.tls_cert_pem = s->tls_cert;
    s->cfg.tls_key_pem = s->tls_key;
    int rc;
    if (!s->db_path || !s->host || (cfg->policy_path && !s->policy_path) ||
        (cfg->lists_dir && !s->lists_dir) || (cfg->replica_path && !s->replica_path) ||
        (cfg->snapshot_path && !s->snapshot_path) || (cfg->tls_cert_pem && !s->tls_cert) ||
        (cfg->tls_key_pem && !s->tls_key)) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto fail;
    }
    /* the ledger schema first (it refuses a file with foreign tables), then ours */
    fr_store *store = NULL;
    if ((rc = fr_store_open(s->db_path, FR_STORE_CREATE, &store, err)) != FR_OK) goto fail;
    fr_store_close(store);
    srv_ctx *c = fr__srv_ctx_acquire(s, err); /* opens auth: creates its tables */
    if (!c) {
        rc = err ? err->code : FR_ESTORE;
        goto fail;
    }
    fr__srv_ctx_release(s, c);
    if ((rc = fr__srv_policy_init(s, cfg->policy_text, cfg->policy_len, err)) != FR_OK) goto fail;
    if ((rc = fr__srv_pshare_start(s, err)) != FR_OK) goto fail;
    if ((rc = fr__srv_lists_init(s, err)) != FR_OK) goto fail;
    if ((rc = fr__srv_audit_start(s, err)) != FR_OK) goto fail;
    if ((rc = fr__srv_ckpt_start(s, err)) != FR_OK) goto fail;
    /* the report index from the analytics snapshot beside the ledger: mapped,
     * not rebuilt, when it is current (snapshot.h) */
    if ((rc = fr__srv_reports_preload(s, err)) != FR_OK) goto fail;

    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (inet_pton(AF_INET, s->host, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons(cfg->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, s->host, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(cfg->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        rc = fr_error_set(err, FR_EINVAL, 0, 0, "listen",
                          "'%s' is not an IP address (give 127.0.0.1 or ::1, not a name)", s->host);
        goto fail;
    }
    /* https: the key and certificate from memory (libmicrohttpd with GnuTLS) */
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}};
    if (s->tls_cert) {
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert};
    }
    s->mhd = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, access_cb, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, s,
        MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)s->cfg.per_address,
        MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (!s->mhd && s->tls_cert) {
        rc = fr_error_set(err, FR_EINVAL, 0, 0, "tls",
                          "cannot serve https on %s port %u: the certificate and key do not "
                          "load (PEM, the key unencrypted and matching the certificate), or "
                          "the port is taken",
                          s->host, (unsigned)cfg->port);
        goto fail;
    }
    if (!s->mhd) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "listen",
                          "cannot listen on %s port %u (is the port taken?)", s->host,
                          (unsigned)cfg->port);
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : cfg->port;
    *out = s;
    return FR_OK;
fail:
    server_free(s);
    return rc;
}

uint16_t fr_server_port(const fr_server *s)
{
    return s ? s->port : 0;
}

unsigned fr_server_stop(fr_server *s, unsigned drain_ms)
{
    if (!s) return 0;
    atomic_store(&s->draining, 1);
    MHD_socket fd = MHD_quiesce_daemon(s->mhd);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    unsigned waited = 0;
    while (atomic_load(&s->inflight) > 0 && waited < drain_ms) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
        waited += 5;
    }
    int left = atomic_load(&s->inflight);
    MHD_stop_daemon(s->mhd);
    server_free(s);
    return left > 0 ? (unsigned)left : 0;
}
