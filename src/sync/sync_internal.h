/* SPDX-License-Identifier: MIT */
/* sync_internal.h: what the sync layer's files share: the post's sync
 * tables (sync_state.c) and the HTTP exchange with the central
 * (sync_http.c). Library-internal. */
#ifndef FR_SYNC_INTERNAL_H
#define FR_SYNC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/sync.h"
#include "module_sqlite.h"

/* ---- sync_state.c: tables sync_state and sync_issues (module "sync") ---- */
int fr__sync_db_open(fr_modsql_handle *h, const char *db, fr_error *err);
/* The mark for central (a row is made at 0 when there is none). */
int fr__sync_db_mark(fr_modsql_handle *h, const char *central, int64_t *acked, fr_error *err);

typedef struct fr__sync_issue_row {
    int64_t seq;
    char event_id[72];
    char status[12];
    char field[40];
    char detail[200];
} fr__sync_issue_row;

/* One transaction: keep the issues, move the mark to upto (never back),
 * note the success (and the skew when have_skew). */
int fr__sync_db_ack(fr_modsql_handle *h, const char *central, int64_t upto,
                    const fr__sync_issue_row *issues, size_t nissues, int64_t now_ms, int have_skew,
                    int64_t skew_ms, fr_error *err);
/* Note what a pull of list `name` left: its version and digest, checked
 * now; replaced now when changed (or when the digest differs). */
int fr__sync_db_list_note(fr_modsql_handle *h, const char *central, const char *name,
                          int64_t version, const char *digest, int changed, int64_t now_ms,
                          fr_error *err);
/* Note that the central offered `name` at version and digest and the post
 * refused it (it did not match its digest, or did not load whole): the
 * post holds an older one, until a pull takes the central's
 * (fr__sync_db_list_note clears it). */
int fr__sync_db_list_refused(fr_modsql_handle *h, const char *central, const char *name,
                             int64_t version, const char *digest, int64_t now_ms, fr_error *err);
/* What the last pull of `name` left (*version 0, digest "": none). */
int fr__sync_db_list_get(fr_modsql_handle *h, const char *central, const char *name,
                         int64_t *version, char digest[65], fr_error *err);
/* Is event_id one the post took from the central's histories? */
int fr__sync_db_is_pulled(fr_modsql_handle *h, const char *event_id, int *pulled, fr_error *err);
/* Note a failed attempt (message without personal data or token). */
void fr__sync_db_fail(fr_modsql_handle *h, const char *central, int64_t now_ms, const char *msg);

/* ---- sync.c ---- */
/* The central's base URL, checked (http(s)://, no credentials, query or
 * spaces) and without a trailing slash: the key of its sync_state row. */
int fr__sync_central(const char *url, char out[FR_SYNC_URL_MAX + 1], fr_error *err);

/* ---- sync_http.c: one POST of a JSON body with libcurl ---- */
typedef struct fr__sync_http fr__sync_http;
/* base: the central's checked URL (no trailing slash) */
int fr__sync_http_open(const fr_sync_config *cfg, const char *base, fr__sync_http **out,
                       fr_error *err);
void fr__sync_http_close(fr__sync_http *h);
/* POST body to central + path. *status the HTTP status; *answer the body
 * (fr_free; NUL-terminated); *date_ms the central's Date header (0: none).
 * FR_EIO when no answer came (err says why, without the token). */
int fr__sync_http_post(fr__sync_http *h, const char *path, const char *body, size_t len,
                       int64_t post_clock_ms, long *status, char **answer, int64_t *date_ms,
                       fr_error *err);
/* The next GETs are of a list or histories: a larger answer is taken (1
 * GiB), and If-None-Match: "DIGEST" is sent when if_none_match is not
 * empty (a 304 then means the post holds that list already). */
void fr__sync_http_lists(fr__sync_http *h, const char *if_none_match);
/* The last answer's X-Frontera-List-Version and -Digest ("" when none). */
const char *fr__sync_http_list_version(const fr__sync_http *h);
const char *fr__sync_http_list_digest(const fr__sync_http *h);
/* The same with GET (body NULL). */
int fr__sync_http_get(fr__sync_http *h, const char *path, int64_t post_clock_ms, long *status,
                      char **answer, int64_t *date_ms, fr_error *err);
/* A 401 or 403 from the central for `request` ("GET /v1/policy") as an error
 * that says what to do (FR_EAUTH in err, returned); 0 for any other status.
 * answer: the central's problem document, whose detail is quoted (or NULL). */
int fr__sync_auth_error(fr_error *err, long status, const char *request, const char *answer);
/* The detail of the central's problem document answer ("no detail" when it
 * has none) into out. */
void fr__sync_problem_detail(const char *answer, char *out, size_t cap);

#endif
