/* SPDX-License-Identifier: MIT */
/* server_policy.c: the policy in force, and GET/PUT /v1/policy.
 *
 * The policy in force is an srv_policy with a reference count. A request
 * takes a reference (fr__srv_policy_acquire: a short lock around the pointer
 * read and the increment) and drops it when done; PUT parses the new text
 * completely first (all or nothing: every error found is answered with its
 * line and column), writes the file (the old one kept as FILE.prev; each
 * written to a temporary file, flushed and renamed, so a crash leaves the old
 * or the new file, never a mix), then swaps the pointer and drops the
 * server's reference to the old version. Admissions in flight finish on the
 * version they started with; the last one to let go frees it.
 *
 * The versions are the ledger's (server_policy_share.c): a PUT adds the next
 * one there before anything else, so that every server process of the
 * ledger puts it in force within seconds, and a PUT that raced another
 * server's is refused instead of overwriting it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "frontera/alloc.h"
#include "frontera/text.h"
#include "server_internal.h"

#define MAX_ERRS 50

srv_policy *fr__srv_policy_new(const char *text, size_t len, fr_error *errs, size_t max_errs,
                               size_t *n_errs, int *rc_out)
{
    fr_policy *p = NULL;
    int rc = fr_policy_parse(text, len, &p, errs, max_errs, n_errs);
    *rc_out = rc;
    if (rc != FR_OK) return NULL;
    srv_policy *sp = fr_calloc(1, sizeof *sp);
    char *copy = fr_malloc(len + 1);
    if (!sp || !copy) {
        fr_free(sp);
        fr_free(copy);
        fr_policy_free(p);
        *rc_out = FR_ENOMEM;
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = 0;
    sp->policy = p;
    sp->text = copy;
    sp->len = len;
    atomic_init(&sp->refs, 1);
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
    sodium_bin2hex(sp->digest, sizeof sp->digest, h, sizeof h);
    return sp;
}

void fr__srv_policy_release(srv_policy *p)
{
    if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
        fr_policy_free(p->policy);
        fr_free(p->text);
        fr_free(p);
    }
}

srv_policy *fr__srv_policy_acquire(fr_server *s)
{
    pthread_mutex_lock(&s->policy_mu);
    srv_policy *p = s->policy;
    atomic_fetch_add(&p->refs, 1);
    pthread_mutex_unlock(&s->policy_mu);
    return p;
}

int fr__srv_policy_init(fr_server *s, const char *text, size_t len, fr_error *err)
{
    int rc;
    size_t n = 0;
    srv_policy *p = fr__srv_policy_new(text, len, err, err ? 1 : 0, &n, &rc);
    if (!p) return rc;
    p->version = s->policy_version = 1; /* the ledger's number once shared */
    s->policy = p;
    return FR_OK;
}

void fr__srv_policy_fini(fr_server *s)
{
    fr__srv_policy_release(s->policy);
    s->policy = NULL;
}

static json_t *policy_json(const fr_server *s, const srv_policy *p, int with_text)
{
    json_t *j = json_object();
    json_object_set_new(j, "version", json_integer((json_int_t)p->version));
    json_object_set_new(j, "jurisdiction", json_string(fr_policy_jurisdiction(p->policy)));
    json_object_set_new(j, "rules", json_integer((json_int_t)fr_policy_rule_count(p->policy)));
    json_object_set_new(j, "groups", json_integer((json_int_t)fr_policy_group_count(p->policy)));
    json_object_set_new(j, "digest", json_string(p->digest));
    json_object_set_new(j, "updatable", json_boolean(s->policy_path != NULL));
    if (with_text) json_object_set_new(j, "text", json_stringn(p->text, p->len));
    return j;
}

enum MHD_Result fr__srv_policy_get(srv_req *r)
{
    srv_policy *p = fr__srv_policy_acquire(r->srv);
    const char *accept =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    enum MHD_Result ret;
    if (accept && strstr(accept, "text/plain") && !strstr(accept, "json"))
        ret = fr__srv_send_text(r, 200, "text/plain; charset=utf-8", p->text, p->len);
    else
        ret = fr__srv_send_json(r, 200, policy_json(r->srv, p, 1));
    fr__srv_policy_release(p);
    return ret;
}

/* Write len bytes to path through a temporary file and a rename. */
static int write_atomic(const char *path, const char *text, size_t len, fr_error *err)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "policy", "the policy path is too long");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) goto fail;
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            close(fd);
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) goto fail;
    if (rename(tmp, path) != 0) goto fail;
    /* flush the directory entry */
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int dfd = open(dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return FR_OK;
fail : {
    int e = errno;
    unlink(tmp);
    return fr_error_set(err, FR_EIO, 0, 0, "policy", "cannot write %s: %s", path, strerror(e));
}
}

int fr__srv_policy_save(const fr_server *s, const srv_policy *old, const srv_policy *np,
                        fr_error *err)
{
    char prev[4200];
    if (!s->policy_path) return FR_OK;
    if (snprintf(prev, sizeof prev, "%s.prev", s->policy_path) >= (int)sizeof prev)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "policy", "the policy path is too long");
    int rc = write_atomic(prev, old->text, old->len, err);
    if (rc == FR_OK) rc = write_atomic(s->policy_path, np->text, np->len, err);
    return rc;
}

void fr__srv_policy_swap(fr_server *s, srv_policy *np)
{
    pthread_mutex_lock(&s->policy_mu);
    srv_policy *old = s->policy;
    s->policy = np;
    s->policy_version = np->version;
    pthread_mutex_unlock(&s->policy_mu);
    fr__srv_policy_release(old); /* the server's: freed when the last request lets go */
    atomic_fetch_add(&s->metrics.policy_swaps, 1);
}

enum MHD_Result fr__srv_policy_put(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error errs[MAX_ERRS], err;
    size_t nerr = 0;
    int rc;
    char prev[4200];
    if (!s->policy_path)
        return fr__srv_problem(r, 409, "policy-read-only", "The policy cannot be changed here",
                               NULL, NULL,
                               "this server was started without a policy file it may rewrite "
                               "(start it with --policy FILE)");
    if (!r->body || r->len == 0)
        return fr__srv_problem(r, 400, "empty-policy", "Policy text required", NULL, NULL,
                               "send the whole policy file as the body (text/plain)");
    size_t bad;
    if (!fr_text_utf8_valid(r->body, r->len, &bad)) { /* else GET would answer without text */
        int line = 1, col = 1;
        for (size_t i = 0; i < bad; i++, col++)
            if (r->body[i] == '\n') line++, col = 0;
        return fr__srv_problem(r, 422, "invalid-policy", "The policy has errors", "policy",
                               json_pack("{s:i, s:i}", "line", line, "column", col),
                               "line %d, column %d: the policy is not UTF-8 text; nothing was "
                               "changed",
                               line, col);
    }
    if (memchr(r->body, 0, r->len))
        return fr__srv_problem(r, 422, "invalid-policy", "The policy has errors", "policy", NULL,
                               "the policy holds a NUL byte; nothing was changed");
    srv_policy *np = fr__srv_policy_new(r->body, r->len, errs, MAX_ERRS, &nerr, &rc);
    if (!np) {
        if (rc == FR_ENOMEM) return MHD_NO;
        json_t *list = json_array();
        for (size_t i = 0; i < nerr && i < MAX_ERRS; i++)
            json_array_append_new(list, json_pack("{s:i, s:i, s:s, s:s, s:s}", "line", errs[i].line,
                                                  "column", errs[i].column, "field", errs[i].field,
                                                  "code", fr_status_name(errs[i].code), "message",
                                                  errs[i].message));
        json_t *extra = json_pack("{s:o, s:I}", "errors", list, "error_count", (json_int_t)nerr);
        return fr__srv_problem(r, 422, "invalid-policy", "The policy has errors", errs[0].field,
                               extra,
                               "%zu error(s); nothing was changed. First: line %d, column %d: %s",
                               nerr, errs[0].line, errs[0].column, errs[0].message);
    }
    pthread_mutex_lock(&s->policy_put_mu);
    srv_policy *old = fr__srv_policy_acquire(s);
    /* a valid file can still be the wrong one: an empty policy, another country's */
    const char *why = NULL;
    if (fr_policy_rule_count(np->policy) == 0)
        why = "the new policy has no rules: every traveller would be referred";
    else if (strcmp(fr_policy_jurisdiction(np->policy), fr_policy_jurisdiction(old->policy)) != 0)
        why = "the new policy is for another jurisdiction than the one in force";
    if (why) {
        fr__srv_policy_release(old);
        pthread_mutex_unlock(&s->policy_put_mu);
        fr__srv_policy_release(np);
        return fr__srv_problem(r, 422, "invalid-policy", "The policy is not acceptable", "policy",
                               NULL, "%s; nothing was changed", why);
    }
    snprintf(prev, sizeof prev, "%s.prev", s->policy_path);
    if (np->len == old->len && memcmp(np->text, old->text, old->len) == 0) {
        /* the policy in force sent again: nothing changes, and FILE.prev keeps
         * the one before it (writing it would lose the way back) */
        fr__srv_policy_release(np);
        pthread_mutex_unlock(&s->policy_put_mu);
        char object[96];
        snprintf(object, sizeof object, "policy:%llu:%.16s", (unsigned long long)old->version,
                 old->digest);
        fr_audit_record rec;
        fr__srv_audit_record_for(r, &rec, "policy.write", object, 200, "unchanged");
        if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
            fr__srv_policy_release(old);
            return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                                   "the policy is unchanged but the audit entry of the request "
                                   "could not be written");
        }
        json_t *j = policy_json(s, old, 0);
        json_object_set_new(j, "unchanged", json_true());
        fr__srv_policy_release(old);
        return fr__srv_send_json(r, 200, j);
    }
    /* the ledger first: it numbers the versions for every server, and
     * refuses this one if another server put a version in force meanwhile */
    np->version = old->version + 1;
    fr_error_clear(&err);
    rc = fr__srv_pshare_add(s, np, r->user.name, &err);
    if (rc != FR_OK) {
        uint64_t was = old->version;
        fr__srv_policy_release(old);
        pthread_mutex_unlock(&s->policy_put_mu);
        fr__srv_policy_release(np);
        if (rc == FR_EEXIST) {
            fr__srv_pshare_wake(s); /* take the other server's version now */
            return fr__srv_problem(
                r, 409, "policy-conflict", "The policy was changed meanwhile", "policy", NULL,
                "another server put a new policy in force after version %llu, which this "
                "request would replace; nothing was changed: read the policy again "
                "(GET /v1/policy) and send the change on top of it",
                (unsigned long long)was);
        }
        return fr__srv_problem(r, 503, "policy-not-shared", "The policy could not be saved",
                               "policy", NULL,
                               "%s; the policy in force is unchanged on every server", err.message);
    }
    /* in the ledger, so in force from here on whatever the file says */
    fr_error_clear(&err);
    int saved = fr__srv_policy_save(s, old, np, &err);
    fr__srv_policy_swap(s, np);
    fr__srv_policy_release(old); /* ours from acquire */
    if (saved != FR_OK)
        fr__srv_log(s, "warning: PUT /v1/policy: version %llu is in force but %s",
                    (unsigned long long)np->version, err.message);
    /* the answer reads np under a reference of its own */
    srv_policy *cur = fr__srv_policy_acquire(s);
    pthread_mutex_unlock(&s->policy_put_mu);
    char object[96];
    snprintf(object, sizeof object, "policy:%llu:%.16s", (unsigned long long)cur->version,
             cur->digest);
    fr_audit_record rec;
    fr__srv_audit_record_for(r, &rec, "policy.write", object, 200, NULL);
    if ((rc = fr__srv_audit_write(s, &rec, 1)) != FR_OK) {
        fr__srv_policy_release(cur);
        fr__srv_log(s, "error: PUT /v1/policy: the policy is in force but its audit entry failed");
        return fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                               "the policy is in force but its audit entry could not be written");
    }
    json_t *j = policy_json(s, cur, 0);
    json_object_set_new(j, "previous", json_string(prev));
    if (saved != FR_OK) json_object_set_new(j, "file_error", json_string(err.message));
    fr__srv_policy_release(cur);
    return fr__srv_send_json(r, 200, j);
}

int fr_server_set_policy(fr_server *s, const char *text, size_t len, uint64_t *version,
                         fr_error *err)
{
    int rc;
    size_t n = 0;
    if (!s || !text) return fr_error_set(err, FR_EINVAL, 0, 0, "policy", "no policy text");
    srv_policy *np = fr__srv_policy_new(text, len, err, err ? 1 : 0, &n, &rc);
    if (!np) return rc;
    pthread_mutex_lock(&s->policy_put_mu);
    srv_policy *old = fr__srv_policy_acquire(s);
    if (fr_policy_rule_count(np->policy) == 0 ||
        strcmp(fr_policy_jurisdiction(np->policy), fr_policy_jurisdiction(old->policy)) != 0) {
        rc = fr_error_set(err, FR_EINVAL, 0, 0, "policy",
                          "the new policy has no rules or is for another jurisdiction: the "
                          "policy in force is unchanged");
        goto fail;
    }
    /* the ledger numbers it; a version another process added meanwhile is
     * read and this one added after it (the caller's text is the newer) */
    uint64_t after = old->version;
    for (int tries = 0;; tries++) {
        np->version = after + 1;
        rc = fr__srv_pshare_add(s, np, "sync", err);
        if (rc != FR_EEXIST || tries == 3) break;
        uint64_t latest = fr__srv_pshare_latest(s);
        if (latest > after) after = latest;
    }
    if (rc != FR_OK) goto fail;
    fr__srv_policy_swap(s, np);
    fr__srv_policy_release(old); /* ours from acquire */
    if (version) *version = np->version;
    fr__srv_log(s, "policy: version %llu in force (%.16s...)", (unsigned long long)np->version,
                np->digest);
    pthread_mutex_unlock(&s->policy_put_mu); /* np may be swapped out from here on */
    return FR_OK;
fail:
    fr__srv_policy_release(old);
    pthread_mutex_unlock(&s->policy_put_mu);
    fr__srv_policy_release(np);
    return rc;
}
