/* SPDX-License-Identifier: MIT */
/* sync_policy.c: fr_sync_pull_policy (sync.h): the post takes the policy in
 * force from the central. Trust is in the order: the answer's text must
 * hash to the digest beside it and parse as a whole before anything is
 * written; the file is then swapped atomically (the previous one kept as
 * FILE.prev), so a post never runs on half a policy or on a text that was
 * damaged on the way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "frontera/alloc.h"
#include "frontera/policy.h"
#include "screen_fileio.h"
#include "sync_internal.h"

static void hex_digest(const char *text, size_t len, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Keep the current file as path.prev (when there is one), then swap the
 * new text in atomically (screen_fileio.h: temporary file, fsync, rename,
 * fsync of the directory). */
static int replace_file(const char *path, const char *text, size_t len, fr_error *err)
{
    char tmp[4200], prev[4200];
    FILE *f = NULL;
    if (snprintf(prev, sizeof prev, "%s.prev", path) >= (int)sizeof prev)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "policy", "the policy path is too long");
    if (access(path, F_OK) == 0) {
        unlink(prev);
        if (link(path, prev) != 0)
            return fr_error_set(err, FR_EIO, 0, 0, "policy", "cannot keep %s: %s", prev,
                                strerror(errno));
    }
    int rc = fr__screen_atomic_begin(path, tmp, sizeof tmp, &f, err);
    if (rc != FR_OK) return rc;
    if (fwrite(text, 1, len, f) != len) {
        fr__screen_atomic_abort(tmp, f);
        return fr_error_set(err, FR_EIO, 0, 0, "policy", "cannot write %s", path);
    }
    return fr__screen_atomic_commit(path, tmp, f, err);
}

/* For the officer's status: what the post now holds, when it was pulled,
 * or (refused) the central's version it could not take. Only when the
 * post's ledger exists: a pull may run without one. */
static void note(const fr_sync_config *cfg, const char *central, int64_t version,
                 const char *digest, int changed, int refused)
{
    fr_modsql_handle h;
    fr_error nerr;
    if (!cfg->db || fr__sync_db_open(&h, cfg->db, &nerr) != FR_OK) return;
    int64_t now = cfg->clock_ms(cfg->clock_ud);
    if (refused)
        (void)fr__sync_db_list_refused(&h, central, "policy", version, digest, now, &nerr);
    else
        (void)fr__sync_db_list_note(&h, central, "policy", version, digest, changed, now, &nerr);
    fr__modsql_handle_close(&h);
}

int fr_sync_pull_policy(const fr_sync_config *cfg, const char *path, int64_t *version,
                        char digest[65], int *changed, fr_error *err)
{
    char central[FR_SYNC_URL_MAX + 1], got[65];
    fr__sync_http *http = NULL;
    char *answer = NULL, *old = NULL;
    json_t *j = NULL;
    fr_policy *pol = NULL;
    long status = 0;
    int64_t date_ms = 0;
    *changed = 0;
    *version = 0;
    digest[0] = 0;
    if (!cfg || !path || !cfg->token || !cfg->clock_ms)
        return fr_error_set(err, FR_EINVAL, 0, 0, "", "a pull needs a file, a token and a clock");
    if (sodium_init() < 0) return fr_error_set(err, FR_EIO, 0, 0, "", "libsodium cannot start");
    int rc = fr__sync_central(cfg->central, central, err);
    if (rc != FR_OK || (rc = fr__sync_http_open(cfg, central, &http, err)) != FR_OK) return rc;
    rc = fr__sync_http_get(http, "/v1/policy", cfg->clock_ms(cfg->clock_ud), &status, &answer,
                           &date_ms, err);
    if (rc != FR_OK) goto done;
    if (fr__sync_auth_error(err, status, "GET /v1/policy", answer)) {
        rc = FR_EAUTH;
        goto done;
    }
    if (status != 200) {
        rc = fr_error_set(err, FR_EIO, 0, 0, "central",
                          "the central answered %ld to GET /v1/policy", status);
        goto done;
    }
    j = json_loads(answer, 0, NULL);
    json_t *text = j ? json_object_get(j, "text") : NULL;
    const char *want = j ? json_string_value(json_object_get(j, "digest")) : NULL;
    json_t *ver = j ? json_object_get(j, "version") : NULL;
    if (!json_is_string(text) || !want || strlen(want) != 64 || !json_is_integer(ver)) {
        rc =
            fr_error_set(err, FR_EPARSE, 0, 0, "central", "the answer is not the central's policy");
        goto done;
    }
    const char *t = json_string_value(text);
    size_t len = json_string_length(text);
    hex_digest(t, len, got);
    fr_error perr;
    if (strcmp(got, want) != 0)
        rc = fr_error_set(err, FR_ECONFLICT, 0, 0, "digest",
                          "the policy text does not match its digest: nothing written");
    else if (fr_policy_parse(t, len, &pol, &perr, 1, NULL) != FR_OK)
        rc = fr_error_set(err, FR_ECONFLICT, perr.line, perr.column, "policy",
                          "the central's policy does not parse here (%s): nothing written",
                          perr.message);
    if (rc != FR_OK) { /* the post keeps an older policy than the central's: say so */
        note(cfg, central, (int64_t)json_integer_value(ver), want, 0, 1);
        goto done;
    }
    size_t olen = 0;
    fr_error rerr;
    if (fr__screen_read_file(path, &old, &olen, &rerr) != FR_OK) old = NULL;
    if (!old || olen != len || memcmp(old, t, len) != 0) {
        if ((rc = replace_file(path, t, len, err)) != FR_OK) goto done;
        *changed = 1;
    }
    *version = (int64_t)json_integer_value(ver);
    memcpy(digest, got, 65);
    note(cfg, central, *version, digest, *changed, 0);
done:
    fr_policy_free(pol);
    json_decref(j);
    fr_free(answer);
    fr_free(old);
    fr__sync_http_close(http);
    return rc;
}
