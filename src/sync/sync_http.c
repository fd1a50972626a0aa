/* SPDX-License-Identifier: MIT */
/* sync_http.c: the post's HTTP client for the central, on libcurl: one easy
 * handle per push (the connection is kept between batches), JSON bodies,
 * the bearer token in the Authorization header only (never in the URL;
 * CURLOPT_VERBOSE stays off, and errors carry curl's message, which names
 * neither headers nor bodies). https is verified (peer and host) against
 * the system CAs or a private CA file, optionally pinned to a public key.
 * An answer is read up to a limit; the central's Date header gives its
 * clock for the skew. */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "frontera/alloc.h"
#include "sync_internal.h"

#define ANSWER_MAX (8u << 20)          /* the results of a full batch are well under 1 MB */
#define ANSWER_MAX_LISTS (1024u << 20) /* a list or a history pull: 1 GiB */

struct fr__sync_http {
    CURL *curl;
    struct curl_slist *headers; /* the fixed ones: type, token */
    char base[FR_SYNC_URL_MAX + 1];
    char errbuf[CURL_ERROR_SIZE];
    /* per request */
    char *buf;
    size_t len, cap;
    int too_big;
    int64_t date_ms;
    size_t max;             /* the answer's limit */
    char if_none_match[80]; /* sent when set */
    char list_version[24];  /* the answer's X-Frontera-List-Version */
    char list_digest[72];   /* and X-Frontera-List-Digest */
};

void fr__sync_http_lists(fr__sync_http *h, const char *if_none_match)
{
    h->max = ANSWER_MAX_LISTS;
    if (if_none_match && if_none_match[0])
        snprintf(h->if_none_match, sizeof h->if_none_match, "If-None-Match: \"%s\"", if_none_match);
    else
        h->if_none_match[0] = 0;
}

const char *fr__sync_http_list_version(const fr__sync_http *h)
{
    return h->list_version;
}

const char *fr__sync_http_list_digest(const fr__sync_http *h)
{
    return h->list_digest;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    fr__sync_http *h = ud;
    size_t add = size * n;
    if (h->len + add + 1 > (h->max ? h->max : ANSWER_MAX)) {
        h->too_big = 1;
        return 0;
    }
    if (h->len + add + 1 > h->cap) {
        size_t ncap = h->cap ? h->cap : 4096;
        while (ncap < h->len + add + 1)
            ncap *= 2;
        char *nb = fr_realloc(h->buf, ncap);
        if (!nb) return 0;
        h->buf = nb;
        h->cap = ncap;
    }
    memcpy(h->buf + h->len, p, add);
    h->len += add;
    h->buf[h->len] = 0;
    return add;
}

/* Copy header `name` of line p (len bytes) into out, trimmed. */
static void header_value(const char *p, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(p, name, nl) != 0) return;
    p += nl;
    len -= nl;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
        len--;
    if (len >= cap) return;
    memcpy(out, p, len);
    out[len] = 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    fr__sync_http *h = ud;
    size_t len = size * n;
    header_value(p, len, "X-Frontera-List-Version:", h->list_version, sizeof h->list_version);
    header_value(p, len, "X-Frontera-List-Digest:", h->list_digest, sizeof h->list_digest);
    if (len > 5 && len < 100 && strncasecmp(p, "Date:", 5) == 0) {
        char v[100];
        memcpy(v, p + 5, len - 5);
        v[len - 5] = 0;
        time_t t = curl_getdate(v, NULL);
        if (t > 0) h->date_ms = (int64_t)t * 1000;
    }
    return len;
}

void fr__sync_http_close(fr__sync_http *h)
{
    if (!h) return;
    if (h->curl) curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers);
    fr_free(h->buf);
    fr_free(h);
}

int fr__sync_http_open(const fr_sync_config *cfg, const char *base, fr__sync_http **out,
                       fr_error *err)
{
    *out = NULL;
    fr__sync_http *h = fr_calloc(1, sizeof *h);
    if (!h) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    char auth[32 + 128];
    int rc = FR_OK;
    snprintf(h->base, sizeof h->base, "%s", base);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h->curl = curl_easy_init())) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "central", "libcurl cannot start");
        goto done;
    }
    if (strlen(cfg->token) > 128) {
        rc = fr_error_set(err, FR_EINVAL, 0, 0, "token", "the token is too long");
        goto done;
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->token);
    struct curl_slist *l = curl_slist_append(NULL, "Content-Type: application/json");
    if (l) h->headers = l;
    if (l && (l = curl_slist_append(h->headers, auth)) != NULL) h->headers = l;
    if (l && (l = curl_slist_append(h->headers, "Expect:")) != NULL) h->headers = l;
    memset(auth, 0, sizeof auth);
    if (!l) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    CURL *c = h->curl;
    long timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout < 10000 ? timeout : 10000L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* never carry the token elsewhere */
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->cainfo) curl_easy_setopt(c, CURLOPT_CAINFO, cfg->cainfo);
    if (cfg->pinned_key) curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, cfg->pinned_key);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "frontera-sync");
done:
    if (rc != FR_OK) {
        fr__sync_http_close(h);
        return rc;
    }
    *out = h;
    return FR_OK;
}

int fr__sync_http_post(fr__sync_http *h, const char *path, const char *body, size_t len,
                       int64_t post_clock_ms, long *status, char **answer, int64_t *date_ms,
                       fr_error *err)
{
    char url[FR_SYNC_URL_MAX + 64], clock[64];
    snprintf(url, sizeof url, "%s%s", h->base, path);
    snprintf(clock, sizeof clock, "X-Frontera-Post-Clock: %lld", (long long)post_clock_ms);
    struct curl_slist fixed = {clock, h->headers}; /* the clock first, then the fixed ones */
    struct curl_slist inm = {h->if_none_match, &fixed};
    struct curl_slist *extra = h->if_none_match[0] ? &inm : &fixed;
    h->list_version[0] = h->list_digest[0] = 0;
    h->len = 0;
    h->too_big = 0;
    h->date_ms = 0;
    h->errbuf[0] = 0;
    *answer = NULL;
    *status = 0;
    *date_ms = 0;
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, extra);
    if (body) {
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    } else {
        curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
    }
    CURLcode cc = curl_easy_perform(h->curl);
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
    if (cc != CURLE_OK)
        return fr_error_set(err, FR_EIO, 0, 0, "central", "no answer from %s: %s", h->base,
                            h->too_big     ? "the answer is too large"
                            : h->errbuf[0] ? h->errbuf
                                           : curl_easy_strerror(cc));
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
    char *a = fr_malloc(h->len + 1);
    if (!a) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    if (h->len) memcpy(a, h->buf, h->len);
    a[h->len] = 0;
    *answer = a;
    *date_ms = h->date_ms;
    return FR_OK;
}

int fr__sync_http_get(fr__sync_http *h, const char *path, int64_t post_clock_ms, long *status,
                      char **answer, int64_t *date_ms, fr_error *err)
{
    return fr__sync_http_post(h, path, NULL, 0, post_clock_ms, status, answer, date_ms, err);
}

int fr__sync_auth_error(fr_error *err, long status, const char *request, const char *answer)
{
    if (status != 401 && status != 403) return 0;
    if (status == 401)
        return fr_error_set(err, FR_EAUTH, 0, 0, "token",
                            "the central does not know the post's token (401 to %s): it is "
                            "mistyped, revoked or of another central; on the central, 'frontera "
                            "user add NAME --role post --ports LOCODE' gives a post its token",
                            request);
    char detail[160];
    fr__sync_problem_detail(answer, detail, sizeof detail);
    return fr_error_set(err, FR_EAUTH, 0, 0, "token",
                        "the central refused %s (403: %s): a post syncs with the token of a "
                        "user of role post on the central (frontera user add NAME --role post "
                        "--ports LOCODE), not an officer's or an administrator's",
                        request, detail);
}

void fr__sync_problem_detail(const char *answer, char *out, size_t cap)
{
    json_t *j = json_loads(answer ? answer : "", 0, NULL);
    const char *d = j ? json_string_value(json_object_get(j, "detail")) : NULL;
    snprintf(out, cap, "%s", d ? d : "no detail");
    json_decref(j);
}
