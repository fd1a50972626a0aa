/* SPDX-License-Identifier: MIT */
/* server_answer.c: how the server answers. Every response goes through
 * answer(): it records the status for the metrics and the access log (method,
 * route template, status, latency: never the URL, which may hold a
 * traveller id or a document number), adds "Connection: close" while the
 * server drains, and queues the body. Errors are RFC 9457 problem documents:
 * {type, title, status, detail, field?, ...}. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/text.h"
#include "frontera/webassets.h"
#include "server_internal.h"

/* hdrs: NULL, or name/value pairs ending with a NULL name */
static enum MHD_Result answer_h(srv_req *r, unsigned status, const char *ctype, char *body,
                                size_t len, const char *const *hdrs)
{
    fr_server *s = r->srv;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, body, fr_free);
    if (!resp) {
        fr_free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"frontera\"");
    if (status == 405)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "see docs/openapi.yaml");
    if (status == 413 || atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    for (size_t i = 0; hdrs && hdrs[i]; i += 2)
        MHD_add_response_header(resp, hdrs[i], hdrs[i + 1]);
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    int64_t lat = s->cfg.mono_ns(s->cfg.clock_ud) - r->start_ns;
    fr__srv_metrics_observe(s, r->route, status, lat);
    if (s->cfg.log)
        fr__srv_log(s, "%s %s %u %.3fms", r->method, fr__srv_route_template(r->route), status,
                    (double)lat / 1e6);
    return ret;
}

static enum MHD_Result answer(srv_req *r, unsigned status, const char *ctype, char *body,
                              size_t len)
{
    return answer_h(r, status, ctype, body, len, NULL);
}

enum MHD_Result fr__srv_send_list(srv_req *r, const char *text, size_t len, int64_t version,
                                  const char *digest)
{
    char etag[72], ver[24];
    snprintf(etag, sizeof etag, "\"%s\"", digest);
    snprintf(ver, sizeof ver, "%lld", (long long)version);
    const char *inm =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    int same = inm && strcmp(inm, etag) == 0;
    const char *const hdrs[] = {MHD_HTTP_HEADER_ETAG,
                                etag,
                                SRV_LIST_VERSION_HEADER,
                                ver,
                                SRV_LIST_DIGEST_HEADER,
                                digest,
                                NULL};
    char *b = fr_malloc(same ? 1 : len + 1);
    if (!b) return MHD_NO;
    if (!same) memcpy(b, text, len);
    b[same ? 0 : len] = 0;
    return answer_h(r, same ? 304 : 200, "text/csv; charset=utf-8", b, same ? 0 : len, hdrs);
}

enum MHD_Result fr__srv_send_asset(srv_req *r, const char *path, const unsigned char *data,
                                   size_t len, const char *ctype)
{
    fr_server *s = r->srv;
    const char *etag = fr_web_asset_etag(path);
    const char *inm =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    unsigned status = etag && inm && strcmp(etag, inm) == 0 ? 304 : 200;
    void *body; /* the asset is constant and lives as long as the program; MHD only reads it */
    memcpy(&body, &data, sizeof body);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        status == 304 ? 0 : len, status == 304 ? NULL : body, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, "Content-Security-Policy", FR_WEB_CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, FR_WEB_CACHE_CONTROL);
    if (etag) MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    if (atomic_load(&s->draining))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    int64_t lat = s->cfg.mono_ns(s->cfg.clock_ud) - r->start_ns;
    fr__srv_metrics_observe(s, r->route, status, lat);
    if (s->cfg.log)
        fr__srv_log(s, "%s %s %u %.3fms", r->method, fr__srv_route_template(r->route), status,
                    (double)lat / 1e6);
    return ret;
}

enum MHD_Result fr__srv_send_text(srv_req *r, unsigned status, const char *ctype, const char *text,
                                  size_t len)
{
    char *b = fr_malloc(len + 1);
    if (!b) return MHD_NO;
    memcpy(b, text, len);
    b[len] = 0;
    return answer(r, status, ctype, b, len);
}

static enum MHD_Result send_json_ct(srv_req *r, unsigned status, json_t *j, const char *ctype)
{
    /* one pass into a 4 KiB buffer (most answers fit), a second only when larger */
    const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    size_t cap = 4096, need;
    char *b = j ? fr_malloc(cap) : NULL;
    if (!b) goto oom;
    need = json_dumpb(j, b, cap, flags);
    if (need == 0) goto oom;
    if (need > cap) {
        char *nb = fr_realloc(b, need);
        if (!nb) goto oom;
        b = nb;
        if (json_dumpb(j, b, need, flags) != need) goto oom;
    }
    json_decref(j);
    return answer(r, status, ctype, b, need);
oom:
    fr_free(b);
    json_decref(j);
    return MHD_NO;
}

enum MHD_Result fr__srv_send_json(srv_req *r, unsigned status, json_t *j)
{
    return send_json_ct(r, status, j, "application/json");
}

static const char *reason_phrase(unsigned status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

/* A problem's detail: a library message (256) and more for the server's own. */
#define SRV_DETAIL_MAX 600

/* Whether fmt says something of its own: a letter outside its conversions.
 * "%s" or "%s: %s" only carries sentences made elsewhere (a status text, a
 * finding), which a client would "translate" into the same English. */
static int says_something(const char *fmt)
{
    for (const char *f = fmt; *f; f++) {
        if (*f == '%') {
            f++;
            if (*f == '%') continue;
            while (*f && !strchr("diouxXcsfFeEgGaAp", *f))
                f++;
            if (!*f) return 0;
            continue;
        }
        if ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z')) return 1;
    }
    return 0;
}

/* detail_parts: [{"format": F, "values": [...]}, ...], the prefix's first;
 * NULL when err keeps no format, a format says nothing of its own, or its
 * formats do not give detail back. */
static json_t *detail_parts(const fr_error *err, const char *detail)
{
    char again[SRV_DETAIL_MAX];
    if (!err->fmt || !says_something(err->fmt) ||
        (err->prefix_fmt && !says_something(err->prefix_fmt)) ||
        fr_error_format(err, NULL, err->fmt, again, sizeof again) != FR_OK ||
        strcmp(again, detail) != 0)
        return NULL;
    json_t *parts = json_array();
    const char *v = err->args;
    const char *fmts[2] = {err->prefix_fmt, err->fmt};
    unsigned counts[2] = {err->nprefix, err->nargs};
    for (int k = 0; k < 2 && parts; k++) {
        if (!fmts[k]) continue;
        json_t *vals = json_array();
        for (unsigned i = 0; i < counts[k] && vals; i++) {
            char piece[sizeof err->args];
            snprintf(piece, sizeof piece, "%s", v);
            fr_text_utf8_repair(piece); /* a value cut by its precision */
            json_array_append_new(vals, json_string(piece));
            v += strlen(v) + 1;
        }
        json_t *p = vals ? json_pack("{s:s, s:o}", "format", fmts[k], "values", vals) : NULL;
        if (!p || json_array_append_new(parts, p) != 0) {
            json_decref(parts);
            parts = NULL;
        }
    }
    return parts;
}

static enum MHD_Result problem_doc(srv_req *r, unsigned status, const char *slug, const char *title,
                                   const char *field, json_t *extra, char *detail,
                                   const fr_error *made)
{
    char type[96];
    fr_text_utf8_repair(detail); /* a limit may cut a character: JSON must still take it */
    snprintf(type, sizeof type, "urn:frontera:problem:%s", slug);
    json_t *j = json_object();
    if (!j) {
        json_decref(extra);
        return MHD_NO;
    }
    json_object_set_new(j, "type", json_string(type));
    json_object_set_new(j, "title", json_string(title ? title : reason_phrase(status)));
    json_object_set_new(j, "status", json_integer(status));
    json_object_set_new(j, "detail", json_string(detail));
    json_t *parts = made ? detail_parts(made, detail) : NULL;
    if (parts) json_object_set_new(j, "detail_parts", parts);
    if (field && *field) {
        char f[128];
        snprintf(f, sizeof f, "%s", field);
        fr_text_utf8_repair(f);
        json_object_set_new(j, "field", json_string(f));
    }
    if (extra) {
        json_object_update(j, extra);
        json_decref(extra);
    }
    return send_json_ct(r, status, j, "application/problem+json");
}

enum MHD_Result fr__srv_problem(srv_req *r, unsigned status, const char *slug, const char *title,
                                const char *field, json_t *extra, const char *fmt, ...)
{
    char detail[SRV_DETAIL_MAX];
    fr_error made;
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(detail, sizeof detail, fmt, ap);
    fr_error_setv(&made, FR_EINVAL, 0, 0, "", fmt, aq);
    va_end(aq);
    va_end(ap);
    return problem_doc(r, status, slug, title, field, extra, detail, &made);
}

enum MHD_Result fr__srv_problem_with(srv_req *r, unsigned status, const char *slug,
                                     const char *title, const char *field, json_t *extra,
                                     const fr_error *err)
{
    char detail[SRV_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", err->message);
    return problem_doc(r, status, slug, title, field, extra, detail, err);
}

enum MHD_Result fr__srv_problem_err(srv_req *r, const fr_error *err)
{
    json_t *extra = NULL;
    if (err->line > 0) extra = json_pack("{s:i, s:i}", "line", err->line, "column", err->column);
    switch (err->code) {
    case FR_EINVAL:
    case FR_EPARSE:
    case FR_ERANGE:
    case FR_ELIMIT:
        return fr__srv_problem_with(r, 422, "invalid", "Invalid request", err->field, extra, err);
    case FR_ENOTFOUND:
        return fr__srv_problem_with(r, 404, "not-found", "Not found", err->field, extra, err);
    case FR_ECONFLICT:
    case FR_EEXIST:
        return fr__srv_problem_with(r, 409, "conflict", "Conflict", err->field, extra, err);
    case FR_EBUSY:
        return fr__srv_problem(r, 503, "busy", "The database is busy", NULL, extra,
                               "the database is busy; retry the request");
    default:
        /* the message may come from the store: log the code only */
        fr__srv_log(r->srv, "error: %s %s: %s", r->method, fr__srv_route_template(r->route),
                    fr_status_name(err->code));
        /* a sentence of its own, so the pages say it in the user's language;
         * the code's name is the same in every language */
        return fr__srv_problem(r, 500, "internal", "Internal error", NULL, extra,
                               "the server could not complete the request (%s); its log says "
                               "more",
                               fr_status_name(err->code));
    }
}

json_t *fr__srv_body_json(srv_req *r, enum MHD_Result *ret)
{
    json_error_t je;
    const char *ct =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!ct) {
        *ret = fr__srv_problem(r, 415, "unsupported-media-type", "JSON expected", NULL, NULL,
                               "say what the body is: send 'Content-Type: application/json'");
        return NULL;
    }
    if (strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
        *ret = fr__srv_problem(r, 415, "unsupported-media-type", "JSON expected", NULL, NULL,
                               "send the body as application/json, not %.60s", ct);
        return NULL;
    }
    if (!r->body || r->len == 0) {
        *ret = fr__srv_problem(r, 400, "malformed-json", "Body required", NULL, NULL,
                               "this route needs a JSON object in the body");
        return NULL;
    }
    json_t *j = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        *ret = fr__srv_problem(r, 400, "malformed-json", "Malformed JSON", NULL,
                               json_pack("{s:i, s:i}", "line", je.line, "column", je.column),
                               "the body is not JSON: %s", je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *ret = fr__srv_problem(r, 400, "malformed-json", "JSON object expected", NULL, NULL,
                               "the body must be a JSON object");
        return NULL;
    }
    return j;
}

typedef struct arg_check {
    const char *const *allowed;
    const char *bad;
} arg_check;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    arg_check *q = cls;
    (void)kind;
    (void)value;
    for (size_t i = 0; q->allowed[i]; i++)
        if (strcmp(q->allowed[i], key) == 0) return MHD_YES;
    q->bad = key;
    return MHD_NO;
}

const char *fr__srv_unknown_arg(srv_req *r, const char *const *allowed)
{
    arg_check q = {allowed, NULL};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
    return q.bad;
}

enum MHD_Result fr__srv_unknown_arg_problem(srv_req *r, const char *bad)
{
    return fr__srv_problem(r, 422, "invalid", "Invalid request", bad, NULL,
                           "unknown parameter '%.40s'", bad);
}

const char *fr__srv_unknown_member(json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(allowed[i], key) == 0;
        if (!ok) return key;
    }
    return NULL;
}
