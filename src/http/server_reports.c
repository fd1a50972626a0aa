/* SPDX-License-Identifier: MIT */
/* server_reports.c: the aggregate routes (analyst, supervisor, admin):
 *   GET  /v1/reports/flows      ?from&to&by&nationality&persons&cumulative
 *   GET  /v1/reports/overstays  ?from&to&as_of&by&nationality&persons
 *   GET  /v1/alerts             ?from&to&as_of&nationality
 *   GET  /v1/reports/port-days  ?port&from&to&nationality
 *   POST /v1/reports/whatif     {policy?, baseline?, from?, to?, as_of?}
 * Flows and overstays run on an in-memory analytics index (analytics.h)
 * shared by the server: loaded from the ledger on the first report, kept
 * current by the server's own recordings (srv_reports_note_*; never blocking
 * a recording: when the index is busy it is marked stale instead). Every
 * report also asks the ledger for its last sequence number (one indexed read)
 * and reads the events after it, so writes by other processes (an import,
 * another server, a booth sync) show at once. Alerts build their monthly series from
 * the same index (fr_analytics_series); what-ifs read the ledger per request
 * (fr_store_export_stats, which includes the de-identified events of purged
 * persons). No personal data leaves these routes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/snapshot.h"
#include "frontera/series.h"
#include "frontera/whatif.h"
#include "country_words.h"
#include "server_internal.h"

/* ---- query parameters ---- */

static const char *arg(srv_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

/* A date YYYY-MM-DD, or a month YYYY-MM (its first day, or last when last != 0). */
static int arg_date(srv_req *r, const char *name, int last, fr_date *d, fr_error *err)
{
    const char *v = arg(r, name);
    *d = FR_DATE_NONE;
    if (!v) return FR_OK;
    if (fr_date_parse(v, strlen(v), d, NULL) == FR_OK) return FR_OK;
    fr_month m;
    if (strlen(v) == 7 && fr_month_parse(v, 7, &m, NULL) == FR_OK) {
        *d = last ? fr_month_first_day(m + 1) - 1 : fr_month_first_day(m);
        return FR_OK;
    }
    return fr_error_set(err, FR_EINVAL, 0, 0, name,
                        "%s must be a date YYYY-MM-DD or a month YYYY-MM", name);
}

static int arg_bool(srv_req *r, const char *name, int *out, fr_error *err)
{
    const char *v = arg(r, name);
    *out = 0;
    if (!v) return FR_OK;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = 1;
    else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, name, "%s must be true or false", name);
    return FR_OK;
}

typedef struct report_args {
    fr_report_query q;
    int nats[64];
} report_args;

/* nationality=: up to 64 ICAO, ISO alpha-3 (DEU -> D) codes or English or
 * Spanish names, comma-separated, into nats (*n of them). */
static int parse_nats(srv_req *r, int nats[64], size_t *n_out, fr_error *err)
{
    size_t k = 0;
    const char *nat = arg(r, "nationality");
    for (const char *p = nat; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int c = fr__country_any(p, n);
        if (c < 0 || k >= 64)
            return fr_error_set(err, FR_EINVAL, 0, 0, "nationality",
                                "nationality lists up to 64 ICAO 9303 or ISO alpha-3 codes or "
                                "country names (CHN,COL,D or DEU, Alemania)");
        nats[k++] = c;
        p = e ? e + 1 : p + n;
    }
    *n_out = k;
    return FR_OK;
}

static int parse_query(srv_req *r, report_args *a, fr_error *err)
{
    int rc;
    fr_report_query_init(&a->q);
    if ((rc = arg_date(r, "from", 0, &a->q.from, err)) != FR_OK ||
        (rc = arg_date(r, "to", 1, &a->q.to, err)) != FR_OK ||
        (rc = arg_date(r, "as_of", 0, &a->q.as_of, err)) != FR_OK ||
        (rc = arg_bool(r, "persons", &a->q.persons, err)) != FR_OK ||
        (rc = arg_bool(r, "cumulative", &a->q.cumulative, err)) != FR_OK)
        return rc;
    const char *by = arg(r, "by");
    for (const char *p = by; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        fr_report_key k = fr_report_key_parse(p, n);
        if (!k)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by",
                                "by: unknown key '%.*s' (nationality, port, class, embarkation, "
                                "year, month, week, day)",
                                (int)(n > 40 ? 40 : n), p);
        if (a->q.nkeys >= FR_REPORT_MAX_KEYS)
            return fr_error_set(err, FR_EINVAL, 0, 0, "by", "by lists at most %d keys",
                                FR_REPORT_MAX_KEYS);
        a->q.keys[a->q.nkeys++] = k;
        p = e ? e + 1 : p + n;
    }
    int rc2 = parse_nats(r, a->nats, &a->q.nnationalities, err);
    if (rc2 == FR_OK && a->q.nnationalities) a->q.nationalities = a->nats;
    return rc2;
}

/* ---- the shared analytics index ---- */

void fr__srv_reports_init(fr_server *s)
{
    pthread_mutex_init(&s->report_mu, NULL);
    atomic_init(&s->report_stale, 0);
}

void fr__srv_reports_fini(fr_server *s)
{
    fr_analytics_free(s->report_index);
    s->report_index = NULL;
    pthread_mutex_destroy(&s->report_mu);
}

/* A write: the next report reads the events written since the index's
 * stamp from the ledger (exact, whoever wrote them), instead of the server
 * appending what it saw (which would miss other processes' writes). */
void fr__srv_reports_note_event(fr_server *s, const fr_event *ev, int64_t traveller)
{
    (void)ev;
    (void)traveller;
    atomic_store(&s->report_stale, 1);
}

void fr__srv_reports_note_admission(fr_server *s, const fr_admit_request *req,
                                    const fr_admit_decision *d, int64_t traveller)
{
    (void)req;
    (void)d;
    (void)traveller;
    atomic_store(&s->report_stale, 1);
}

/* Aggregate reports read the replica when one was given (serve --db-replica). */
#define REPORT_STORE(c) ((c)->replica ? (c)->replica : (c)->store)

/* With report_mu held: make sure the index is loaded and current. The first
 * time it comes from the snapshot (serve --snapshot FILE, or the one beside
 * a SQLite ledger: mapped and refreshed, or rebuilt; without --snapshot,
 * built in memory from a PostgreSQL one);
 * afterwards each report refreshes it from the ledger's new events only
 * (none: one read of the last sequence number). */
static int index_ready(fr_server *s, fr_error *err)
{
    int64_t now = fr__srv_now_ms(s);
    srv_ctx *c = fr__srv_ctx_acquire(s, err);
    if (!c) return err->code ? err->code : FR_ESTORE;
    atomic_store(&s->report_stale, 0);
    int rc;
    if (s->report_index) {
        rc = fr_analytics_refresh(s->report_index, REPORT_STORE(c), NULL, err);
        if (rc != FR_OK) { /* a half-applied refresh: start again */
            fr_analytics_free(s->report_index);
            s->report_index = NULL;
        }
    } else if (s->cfg.snapshot_path) {
        rc =
            fr_snapshot_open(s->cfg.snapshot_path, REPORT_STORE(c), 0, &s->report_index, NULL, err);
    } else {
        rc = fr_snapshot_load(s->cfg.db_path, REPORT_STORE(c), 0, &s->report_index, NULL, err);
    }
    fr__srv_ctx_release(s, c);
    if (rc == FR_OK) s->report_loaded_ms = now;
    return rc;
}

int fr__srv_reports_overstayers(fr_server *s, const fr_overstayer_query *q, size_t max,
                                fr_overstayer **out, size_t *n, size_t *total, fr_error *err)
{
    pthread_mutex_lock(&s->report_mu);
    int rc = index_ready(s, err);
    if (rc == FR_OK) rc = fr_analytics_overstayers(s->report_index, q, max, out, n, total, err);
    pthread_mutex_unlock(&s->report_mu);
    return rc;
}

/* Load the report index at start, so the first report does not wait. */
int fr__srv_reports_preload(fr_server *s, fr_error *err)
{
    pthread_mutex_lock(&s->report_mu);
    int rc = index_ready(s, err);
    pthread_mutex_unlock(&s->report_mu);
    return rc;
}

static json_t *date_json(fr_date d)
{
    char b[FR_DATE_BUFSZ];
    return d == FR_DATE_NONE ? json_null() : json_string(fr_date_format(d, b));
}

typedef struct col {
    const char *key;
    int value, minus;
    double (*rate)(const fr_report_row *);
} col;

static const col FLOW_COLS[] = {
    {"entries", FR_FLOW_ENTRIES, -1, NULL},        {"exits", FR_FLOW_EXITS, -1, NULL},
    {"refusals", FR_FLOW_REFUSALS, -1, NULL},      {"encounters", FR_FLOW_ENCOUNTERS, -1, NULL},
    {"net", FR_FLOW_ENTRIES, FR_FLOW_EXITS, NULL}, {NULL, 0, 0, NULL}};
static const col ROUTE_COLS[] = {{"announced", FR_ROUTE_ANNOUNCED, -1, NULL},
                                 {"entered", FR_ROUTE_ENTERED, -1, NULL},
                                 {"refused", FR_ROUTE_REFUSED, -1, NULL},
                                 {"not_presented", FR_ROUTE_NOT_PRESENTED, -1, NULL},
                                 {"transit_entered", FR_ROUTE_TRANSIT_ENTERED, -1, NULL},
                                 {NULL, 0, 0, NULL}};
static const col OVS_COLS[] = {{"expected_departures", FR_OVS_EXPECTED, -1, NULL},
                               {"in_time", FR_OVS_IN_TIME, -1, NULL},
                               {"out_of_country_overstays", FR_OVS_OUT_OF_COUNTRY, -1, NULL},
                               {"in_country_overstays", FR_OVS_IN_COUNTRY, -1, NULL},
                               {"overstay_rate", 0, -1, fr_report_overstay_rate},
                               {"in_country_rate", 0, -1, fr_report_in_country_rate},
                               {"crude_entries", FR_OVS_CRUDE_ENTRIES, -1, NULL},
                               {"crude_exits", FR_OVS_CRUDE_EXITS, -1, NULL},
                               {"crude_rate", 0, -1, fr_report_crude_rate},
                               {NULL, 0, 0, NULL}};

static json_t *row_json(const fr_report *rep, const fr_report_row *row, const col *cols, int keys)
{
    json_t *o = json_object();
    for (size_t j = 0; keys && j < rep->nkeys; j++)
        json_object_set_new(o, fr_report_key_name(rep->keys[j]),
                            json_string(rep->labels[j][row->key[j]]));
    for (const col *c = cols; c->key; c++) {
        if (c->rate)
            json_object_set_new(o, c->key, json_real(c->rate(row)));
        else
            json_object_set_new(
                o, c->key, json_integer(row->v[c->value] - (c->minus >= 0 ? row->v[c->minus] : 0)));
    }
    return o;
}

static json_t *report_json(const char *name, const fr_report *rep, const col *cols)
{
    json_t *by = json_array(), *rows = json_array();
    for (size_t j = 0; j < rep->nkeys; j++)
        json_array_append_new(by, json_string(fr_report_key_name(rep->keys[j])));
    for (size_t i = 0; rep->nkeys && i < rep->nrows; i++)
        json_array_append_new(rows, row_json(rep, &rep->rows[i], cols, 1));
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "report", name, "from",
                     date_json(rep->query.from), "to", date_json(rep->query.to), "as_of",
                     date_json(rep->query.as_of), "by", by, "persons", rep->query.persons, "rows",
                     rows, "total", row_json(rep, &rep->total, cols, 0));
}

static enum MHD_Result flows_or_overstays(srv_req *r, int overstays)
{
    static const char *const ALLOWED[] = {"from",        "to",      "as_of",      "by",
                                          "nationality", "persons", "cumulative", NULL};
    fr_server *s = r->srv;
    report_args a;
    fr_error err;
    fr_report *rep = NULL;
    fr_error_clear(&err);
    const char *bad = fr__srv_unknown_arg(r, ALLOWED);
    if (bad) return fr__srv_unknown_arg_problem(r, bad);
    if (parse_query(r, &a, &err) != FR_OK) return fr__srv_problem_err(r, &err);
    int routes = 0;
    for (size_t k = 0; k < a.q.nkeys; k++)
        routes |= a.q.keys[k] == FR_KEY_EMBARKATION;
    if (routes && !overstays) {
        /* flows by route: the recorded manifests reconciled with the ledger
         * (arrivals.h), not the index, which knows no embarkation */
        srv_ctx *c = fr__srv_ctx_acquire(s, &err);
        if (!c) return fr__srv_problem_err(r, &err);
        int rc = c->arrivals ? FR_OK : fr_arrivals_open(s->db_path, &c->arrivals, &err);
        if (rc == FR_OK) rc = fr_arrivals_routes(c->arrivals, c->store, &a.q, &rep, &err);
        fr__srv_ctx_release(s, c);
        if (rc != FR_OK) return fr__srv_problem_err(r, &err);
        json_t *j = report_json("flows", rep, ROUTE_COLS);
        fr_report_free(rep);
        return fr__srv_send_json(r, 200, j);
    }
    pthread_mutex_lock(&s->report_mu);
    int rc = index_ready(r->srv, &err);
    if (rc == FR_OK)
        rc = overstays ? fr_analytics_overstays(s->report_index, &a.q, &rep, &err)
                       : fr_analytics_flows(s->report_index, &a.q, &rep, &err);
    pthread_mutex_unlock(&s->report_mu);
    if (rc != FR_OK) return fr__srv_problem_err(r, &err);
    json_t *j =
        report_json(overstays ? "overstays" : "flows", rep, overstays ? OVS_COLS : FLOW_COLS);
    fr_report_free(rep);
    return fr__srv_send_json(r, 200, j);
}

/* ---- one port, day by day ---- */

#define PORT_DAYS_MAX 3660 /* days in one answer: ten years */

/* GET /v1/reports/port-days: the flows of one port for each day of the
 * period, days without a crossing included (zeros), so a chart of the answer
 * shows the quiet days too; `frontera report flows --port P --by day` over
 * HTTP. The period defaults to the ledger's first to last event. Aggregate,
 * but it says how busy one post was on which day: every read is audited
 * (report.port_days, with the port and the period) before the answer. */
static enum MHD_Result port_days(srv_req *r)
{
    static const char *const ALLOWED[] = {"port", "from", "to", "nationality", NULL};
    fr_server *s = r->srv;
    report_args a;
    fr_error err;
    fr_report *rep = NULL;
    fr_error_clear(&err);
    const char *bad = fr__srv_unknown_arg(r, ALLOWED);
    if (bad) return fr__srv_unknown_arg_problem(r, bad);
    const char *port = arg(r, "port");
    size_t plen = port ? strlen(port) : 0;
    int port_ok = plen == 5;
    for (size_t i = 0; port_ok && i < plen; i++)
        port_ok = (port[i] >= 'A' && port[i] <= 'Z') || (port[i] >= '2' && port[i] <= '9');
    if (!port_ok)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "port", NULL,
                               "port must be a UN/LOCODE of five capitals and digits (ECUIO)");
    if (parse_query(r, &a, &err) != FR_OK) return fr__srv_problem_err(r, &err);
    if (a.q.from != FR_DATE_NONE && a.q.to != FR_DATE_NONE && a.q.from > a.q.to)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "from", NULL,
                               "from must not be after to");
    if (a.q.from != FR_DATE_NONE && a.q.to != FR_DATE_NONE && a.q.to - a.q.from >= PORT_DAYS_MAX)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "to", NULL,
                               "a period of at most %d days", PORT_DAYS_MAX);
    const char *ports[1] = {port};
    a.q.ports = ports;
    a.q.nports = 1;
    a.q.keys[0] = FR_KEY_DAY;
    a.q.nkeys = 1;
    pthread_mutex_lock(&s->report_mu);
    int rc = index_ready(r->srv, &err);
    fr_date first = FR_DATE_NONE, last = FR_DATE_NONE;
    if (rc == FR_OK) {
        fr_analytics_stats st;
        fr_analytics_stats_get(s->report_index, &st);
        first = st.first;
        last = st.last;
        rc = fr_analytics_flows(s->report_index, &a.q, &rep, &err);
    }
    pthread_mutex_unlock(&s->report_mu);
    if (rc != FR_OK) return fr__srv_problem_err(r, &err);
    fr_date from = a.q.from != FR_DATE_NONE ? a.q.from : first;
    fr_date to = a.q.to != FR_DATE_NONE ? a.q.to : last;
    if (from != FR_DATE_NONE && to != FR_DATE_NONE && to - from >= PORT_DAYS_MAX) {
        fr_report_free(rep);
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "from", NULL,
                               "the ledger spans more than %d days: give from and to",
                               PORT_DAYS_MAX);
    }
    char bf[FR_DATE_BUFSZ], bt[FR_DATE_BUFSZ], object[FR_AUDIT_OBJECT_MAX + 1];
    snprintf(object, sizeof object, "port-days:%s from=%s to=%s", port,
             from == FR_DATE_NONE ? "-" : fr_date_format(from, bf),
             to == FR_DATE_NONE ? "-" : fr_date_format(to, bt));
    fr_audit_record rec;
    fr__srv_audit_record_for(r, &rec, "report.port_days", object, 200, NULL);
    if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
        fr_report_free(rep);
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the access could not be audited; the report is not given");
    }
    /* rows come ordered by day: walk the period and the rows together */
    json_t *rows = json_array(), *row_json_tmp;
    size_t k = 0;
    for (fr_date d = from; from != FR_DATE_NONE && to != FR_DATE_NONE && d <= to; d++) {
        char b[FR_DATE_BUFSZ];
        fr_date_format(d, b);
        fr_report_row zero = {{0}, {0}};
        const fr_report_row *row = &zero;
        if (k < rep->nrows && strcmp(rep->labels[0][rep->rows[k].key[0]], b) == 0)
            row = &rep->rows[k++];
        json_t *o = json_pack("{s:s}", "day", b);
        json_object_update(o, row_json_tmp = row_json(rep, row, FLOW_COLS, 0));
        json_decref(row_json_tmp);
        json_array_append_new(rows, o);
    }
    json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "report", "port-days", "port", port,
                          "from", date_json(from), "to", date_json(to), "rows", rows, "total",
                          row_json(rep, &rep->total, FLOW_COLS, 0));
    fr_report_free(rep);
    return fr__srv_send_json(r, 200, j);
}

/* ---- alerts and what-if: straight from the ledger ---- */

static int add_whatif(void *ud, const fr_event *ev)
{
    return fr_whatif_add(ud, ev);
}

static enum MHD_Result alerts(srv_req *r)
{
    static const char *const ALLOWED[] = {"from", "to", "as_of", "nationality", NULL};
    fr_server *s = r->srv;
    fr_error err;
    fr_date from, to, as_of;
    int nats[64];
    size_t nnats = 0;
    fr_error_clear(&err);
    const char *bad = fr__srv_unknown_arg(r, ALLOWED);
    if (bad) return fr__srv_unknown_arg_problem(r, bad);
    if (arg_date(r, "from", 0, &from, &err) != FR_OK || arg_date(r, "to", 1, &to, &err) != FR_OK ||
        arg_date(r, "as_of", 0, &as_of, &err) != FR_OK ||
        parse_nats(r, nats, &nnats, &err) != FR_OK)
        return fr__srv_problem_err(r, &err);
    fr_date cutoff = as_of != FR_DATE_NONE && (to == FR_DATE_NONE || to > as_of) ? as_of : to;
    fr_series *series = NULL;
    fr_alert *al = NULL;
    size_t n = 0;
    enum MHD_Result ret;
    /* the series from the report index (current with the ledger, as the
     * flows are): the same as a read of the whole ledger, in one pass */
    pthread_mutex_lock(&s->report_mu);
    int rc = index_ready(s, &err);
    if (rc == FR_OK) rc = fr_analytics_series(s->report_index, cutoff, as_of, &series, &err);
    pthread_mutex_unlock(&s->report_mu);
    if (rc == FR_OK)
        rc = fr_alerts_detect(
            series, NULL, from == FR_DATE_NONE ? FR_MONTH_NONE : fr_month_of_date(from),
            to == FR_DATE_NONE ? FR_MONTH_NONE : fr_month_of_date(to), &al, &n, &err);
    if (rc != FR_OK) {
        if (rc == FR_ENOMEM) fr_error_set(&err, FR_ENOMEM, 0, 0, "", "out of memory");
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        int wanted = !nnats; /* nationality=: only theirs, as `report alerts --nationality` */
        for (size_t k = 0; k < nnats && !wanted; k++)
            wanted = nats[k] == al[i].nationality;
        if (!wanted) continue;
        char p[FR_MONTH_BUFSZ], sn[FR_MONTH_BUFSZ], u[FR_MONTH_BUFSZ], pk[FR_MONTH_BUFSZ],
            rs[FR_MONTH_BUFSZ];
        fr_month_format(al[i].period, p);
        fr_month_format(al[i].raised, rs);
        json_t *tests = json_array();
        for (int bit = 0; bit < FR_ALERT_TEST_COUNT; bit++)
            if (al[i].tests & (1u << bit))
                json_array_append_new(tests, json_string(fr_alert_test_name(1u << bit)));
        fr_month_format(al[i].since, sn);
        fr_month_format(al[i].until, u);
        fr_month_format(al[i].peak_period, pk);
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, s:b, s:s, s:o, s:f, s:f, s:f, s:f, "
                      "s:f, s:f, s:f, s:s, s:s}",
                      "nationality", fr_country_code(al[i].nationality), "metric", al[i].metric,
                      "period", p, "raised", rs, "since", sn, "until", u, "ongoing", al[i].ongoing,
                      "learnt", al[i].learnt, "share", al[i].is_rate, "direction",
                      al[i].direction < 0 ? "fall" : "rise", "tests", tests, "observed",
                      al[i].observed, "expected", al[i].expected, "lower", al[i].lower, "upper",
                      al[i].upper, "factor", al[i].factor, "z", isfinite(al[i].z) ? al[i].z : 0.0,
                      "peak", al[i].peak, "peak_period", pk, "message", al[i].message));
    }
    ret = fr__srv_send_json(r, 200,
                            json_pack("{s:o, s:o, s:o, s:o}", "from", date_json(from), "to",
                                      date_json(to), "as_of", date_json(as_of), "alerts", list));
done:
    fr_free(al);
    fr_series_free(series);
    return ret;
}

/* Parse a policy text member; on failure answer 422 with the errors. */
static fr_policy *policy_member(srv_req *r, json_t *v, const char *name, enum MHD_Result *ret)
{
    fr_error errs[20];
    size_t n = 0;
    fr_policy *p = NULL;
    if (fr_policy_parse(json_string_value(v), json_string_length(v), &p, errs, 20, &n) == FR_OK)
        return p;
    json_t *list = json_array();
    for (size_t i = 0; i < n && i < 20; i++)
        json_array_append_new(list, json_pack("{s:i, s:i, s:s, s:s}", "line", errs[i].line,
                                              "column", errs[i].column, "field", errs[i].field,
                                              "message", errs[i].message));
    *ret = fr__srv_problem(r, 422, "invalid-policy", "The policy has errors", name,
                           json_pack("{s:o}", "errors", list),
                           "%s: %zu error(s); first: line %d, column %d: %s", name, n, errs[0].line,
                           errs[0].column, errs[0].message);
    return NULL;
}

static enum MHD_Result whatif(srv_req *r)
{
    static const char *const MEMBERS[] = {"policy", "baseline", "from", "to", "as_of", NULL};
    fr_server *s = r->srv;
    enum MHD_Result ret = MHD_NO;
    fr_error err;
    fr_date d[3] = {FR_DATE_NONE, FR_DATE_NONE, FR_DATE_NONE};
    static const char *const DN[3] = {"from", "to", "as_of"};
    json_t *j = fr__srv_body_json(r, &ret);
    if (!j) return ret;
    srv_policy *cur = fr__srv_policy_acquire(s);
    fr_policy *own = NULL, *own_base = NULL;
    fr_whatif *w = NULL;
    fr_whatif_row *rows = NULL;
    size_t n = 0;
    fr_error_clear(&err);
    const char *unknown = fr__srv_unknown_member(j, MEMBERS);
    if (unknown) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", unknown, NULL,
                              "unknown member '%.40s'", unknown);
        goto done;
    }
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(j, DN[i]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_string(v) ||
            fr_date_parse(json_string_value(v), json_string_length(v), &d[i], NULL) != FR_OK) {
            ret = fr__srv_problem(r, 422, "invalid", "Invalid request", DN[i], NULL,
                                  "%s must be a date YYYY-MM-DD", DN[i]);
            goto done;
        }
    }
    json_t *pv = json_object_get(j, "policy"), *bv = json_object_get(j, "baseline");
    if (pv && !json_is_null(pv) && !json_is_string(pv)) {
        ret = fr__srv_problem(r, 422, "invalid", "Invalid request", "policy", NULL,
                              "policy is the text of a policy file");
        goto done;
    }
    if (bv && !json_is_null(bv) && !json_is_string(bv) && !json_is_boolean(bv)) {
        ret = fr__srv_problem(
            r, 422, "invalid", "Invalid request", "baseline", NULL,
            "baseline is the text of a policy file, or true for the policy in force");
        goto done;
    }
    if (json_is_string(pv) && !(own = policy_member(r, pv, "policy", &ret))) goto done;
    if (json_is_string(bv) && !(own_base = policy_member(r, bv, "baseline", &ret))) goto done;
    const fr_policy *policy = own ? own : cur->policy;
    const fr_policy *baseline = own_base ? own_base : json_is_true(bv) ? cur->policy : NULL;
    if (fr_whatif_new(policy, baseline, d[0], d[1], &w) != FR_OK) {
        ret = MHD_NO;
        goto done;
    }
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    if (!c) {
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    int rc = fr_store_export_stats(REPORT_STORE(c), d[0], FR_DATE_NONE, add_whatif, w, &err);
    fr__srv_ctx_release(s, c);
    if (rc == FR_OK) rc = fr_whatif_finish(w, d[2], &rows, &n);
    if (rc != FR_OK) {
        if (rc == FR_ENOMEM) fr_error_set(&err, FR_ENOMEM, 0, 0, "", "out of memory");
        ret = fr__srv_problem_err(r, &err);
        goto done;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
                                              "nationality", fr_country_code(rows[i].nationality),
                                              "arrivals", (json_int_t)rows[i].arrivals, "need_visa",
                                              (json_int_t)rows[i].need_visa, "need_visa_baseline",
                                              (json_int_t)rows[i].need_visa_baseline, "no_rule",
                                              (json_int_t)rows[i].no_rule, "visa_free",
                                              (json_int_t)rows[i].visa_free, "overstays",
                                              (json_int_t)rows[i].overstays, "nonexits",
                                              (json_int_t)rows[i].nonexits));
    ret = fr__srv_send_json(r, 200,
                            json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "policy",
                                      own ? "given" : "in force", "baseline", baseline != NULL,
                                      "from", date_json(d[0]), "to", date_json(d[1]), "as_of",
                                      date_json(d[2]), "rows", list));
done:
    fr_free(rows);
    fr_whatif_free(w);
    fr_policy_free(own);
    fr_policy_free(own_base);
    fr__srv_policy_release(cur);
    json_decref(j);
    return ret;
}

enum MHD_Result fr__srv_report(srv_req *r)
{
    switch (r->route) {
    case R_FLOWS:
        return flows_or_overstays(r, 0);
    case R_OVERSTAYS:
        return flows_or_overstays(r, 1);
    case R_ALERTS:
        return alerts(r);
    case R_PORT_DAYS:
        return port_days(r);
    case R_WHATIF:
        return whatif(r);
    default:
        return fr__srv_problem(r, 404, "not-found", "No such route", NULL, NULL, "no such report");
    }
}
