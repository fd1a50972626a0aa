/* SPDX-License-Identifier: MIT */
/* sync_lists.c: fr_sync_pull_list (sync.h): a post takes the central's
 * watchlist or lost/stolen list into its watchlist directory.
 *
 * The post asks with the digest of the file it holds (If-None-Match); the
 * central answers 304 when that is its version, else the list with its
 * version and BLAKE2b-256 digest. Trust is in the order of sync_policy.c:
 * the text must hash to the digest stated beside it and load whole (every
 * row valid) before anything is written; then the file is swapped
 * atomically (temporary file, fsync, rename, fsync of the directory). A
 * line lost mid-answer, a damaged answer or a list that does not load
 * leaves the old file as it was. What the post now holds (version, digest,
 * when replaced, when last confirmed) is kept in sync_lists for the
 * officer's status; a list refused for its text (digest, load) is kept as
 * the central's version that the post does not hold (sync_refused). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "frontera/alloc.h"
#include "frontera/screen.h"
#include "screen_fileio.h"
#include "sync_internal.h"

static void hex_digest(const char *text, size_t len, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

const char *fr_sync_list_name(fr_sync_list which)
{
    return which == FR_SYNC_WATCHLIST     ? "watchlist"
           : which == FR_SYNC_LOST_STOLEN ? "lost-stolen"
                                          : "";
}

const char *fr_sync_list_file(fr_sync_list which)
{
    return which == FR_SYNC_WATCHLIST     ? "central.wl.csv"
           : which == FR_SYNC_LOST_STOLEN ? "lost-stolen.docs.csv"
                                          : "";
}

/* Does text load whole as list `which`? *entries the rows it holds. */
static int check_text(fr_sync_list which, const char *text, size_t len, size_t *entries,
                      fr_error *err)
{
    int rc;
    size_t rejected = 0;
    if (which == FR_SYNC_WATCHLIST) {
        fr_watchlist *wl = NULL;
        fr_watchlist_counts counts = {0, 0, 0};
        if ((rc = fr_watchlist_new(&wl)) != FR_OK)
            return fr_error_set(err, rc, 0, 0, "", "out of memory");
        rc = fr_watchlist_parse(wl, text, len, FR_WATCHLIST_CSV, NULL, &counts);
        *entries = counts.accepted;
        rejected = counts.rejected;
        fr_watchlist_free(wl);
    } else {
        fr_docindex *d = NULL;
        if ((rc = fr_docindex_new(&d)) != FR_OK)
            return fr_error_set(err, rc, 0, 0, "", "out of memory");
        rc = fr_docindex_parse(d, text, len, NULL, NULL, entries, &rejected);
        fr_docindex_free(d);
    }
    if (rc == FR_ENOMEM) return fr_error_set(err, rc, 0, 0, "", "out of memory");
    if (rc != FR_OK || rejected)
        return fr_error_set(err, FR_ECONFLICT, 0, 0, fr_sync_list_name(which),
                            "the central's %s does not load whole here (%zu rows refused): "
                            "nothing written",
                            fr_sync_list_name(which), rejected);
    return FR_OK;
}

int fr_sync_pull_list(const fr_sync_config *cfg, fr_sync_list which, const char *dir,
                      fr_sync_list_pull *out, fr_error *err)
{
    char central[FR_SYNC_URL_MAX + 1], path[4200], tmp[4300], held[65] = "", got[65];
    fr__sync_http *http = NULL;
    fr_modsql_handle h;
    int have_db = 0;
    char *answer = NULL, *old = NULL;
    long status = 0;
    int64_t date_ms = 0;
    memset(out, 0, sizeof *out);
    if (!cfg || !dir || !cfg->db || !cfg->token || !cfg->clock_ms || !fr_sync_list_name(which)[0])
        return fr_error_set(err, FR_EINVAL, 0, 0, "",
                            "a list pull needs a list, a directory, a ledger, a token and a clock");
    if (sodium_init() < 0) return fr_error_set(err, FR_EIO, 0, 0, "", "libsodium cannot start");
    if (snprintf(path, sizeof path, "%s/%s", dir, fr_sync_list_file(which)) >= (int)sizeof path)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "dir", "the directory name is too long");
    int rc = fr__sync_central(cfg->central, central, err);
    if (rc != FR_OK || (rc = fr__sync_db_open(&h, cfg->db, err)) != FR_OK) return rc;
    have_db = 1;
    size_t olen = 0;
    fr_error rerr;
    if (fr__screen_read_file(path, &old, &olen, &rerr) == FR_OK) hex_digest(old, olen, held);
    if ((rc = fr__sync_http_open(cfg, central, &http, err)) != FR_OK) goto done;
    fr__sync_http_lists(http, held);
    rc = fr__sync_http_get(
        http, which == FR_SYNC_WATCHLIST ? "/v1/sync/watchlist" : "/v1/sync/lost-stolen",
        cfg->clock_ms(cfg->clock_ud), &status, &answer, &date_ms, err);
    if (rc != FR_OK) goto done;
    const char *want = fr__sync_http_list_digest(http);
    const char *ver = fr__sync_http_list_version(http);
    char request[64];
    snprintf(request, sizeof request, "GET /v1/sync/%s", fr_sync_list_name(which));
    if (fr__sync_auth_error(err, status, request, answer)) {
        rc = FR_EAUTH;
        goto done;
    }
    if (status != 200 && status != 304) {
        rc = fr_error_set(err, status == 404 ? FR_ENOTFOUND : FR_EIO, 0, 0, "central",
                          "the central answered %ld to GET /v1/sync/%s", status,
                          fr_sync_list_name(which));
        goto done;
    }
    if (strlen(want) != 64 || !ver[0]) {
        rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                          "the answer is not the central's %s (no version or digest)",
                          fr_sync_list_name(which));
        goto done;
    }
    out->version = strtoll(ver, NULL, 10);
    if (status == 304) {
        if (strcmp(want, held) != 0) { /* a 304 for a list the post does not hold */
            rc = fr_error_set(err, FR_EPARSE, 0, 0, "central",
                              "the central's answer does not match the %s held here",
                              fr_sync_list_name(which));
            goto done;
        }
        if (old) (void)check_text(which, old, olen, &out->entries, &rerr);
    } else {
        size_t len = strlen(answer);
        hex_digest(answer, len, got);
        if (strcmp(got, want) != 0)
            rc = fr_error_set(err, FR_ECONFLICT, 0, 0, "digest",
                              "the %s does not match its digest: nothing written",
                              fr_sync_list_name(which));
        else
            rc = check_text(which, answer, len, &out->entries, err);
        if (rc == FR_ECONFLICT) { /* the central has another list than the one held here */
            fr_error nerr;
            (void)fr__sync_db_list_refused(&h, central, fr_sync_list_name(which), out->version,
                                           want, cfg->clock_ms(cfg->clock_ud), &nerr);
        }
        if (rc != FR_OK) goto done;
        if (strcmp(got, held) != 0) {
            FILE *f = NULL;
            if ((rc = fr__screen_atomic_begin(path, tmp, sizeof tmp, &f, err)) != FR_OK) goto done;
            if (fwrite(answer, 1, len, f) != len) {
                fr__screen_atomic_abort(tmp, f);
                rc = fr_error_set(err, FR_EIO, 0, 0, "dir", "cannot write %s", path);
                goto done;
            }
            if ((rc = fr__screen_atomic_commit(path, tmp, f, err)) != FR_OK) goto done;
            out->changed = 1;
        }
    }
    memcpy(out->digest, want, 65);
    rc = fr__sync_db_list_note(&h, central, fr_sync_list_name(which), out->version, out->digest,
                               out->changed, cfg->clock_ms(cfg->clock_ud), err);
done:
    fr_free(answer);
    fr_free(old);
    fr__sync_http_close(http);
    if (have_db) fr__modsql_handle_close(&h);
    return rc;
}
