/* SPDX-License-Identifier: MIT */
/* server_sync_status.c: GET /v1/sync/status on a border post's own server
 * (docs/sync.md, "Status a post officer sees"): the last successful sync,
 * the events waiting, the refused events, the lists pulled and the clock
 * skew, for the booth's panel. The http layer sits below the sync layer,
 * so the program hands the server a function that writes the answer
 * (fr_server_config.sync_status, fr_sync_status_json); a server without one
 * (a central, a ledger that never syncs) says so rather than failing. The
 * answer holds counts, times, versions and digests only, no personal
 * record: it is not audited, as GET /v1/policy and /metrics are not. */
#include "frontera/alloc.h"
#include "server_internal.h"

enum MHD_Result fr__srv_sync_status(srv_req *r)
{
    fr_server *s = r->srv;
    char *text = NULL;
    size_t len = 0;
    fr_error err;
    fr_error_clear(&err);
    if (!s->cfg.sync_status) return fr__srv_send_json(r, 200, json_pack("{s:b}", "configured", 0));
    if (s->cfg.sync_status(s->cfg.sync_status_ud, fr__srv_now_ms(s), &text, &len, &err) != FR_OK) {
        fr_free(text);
        return fr__srv_problem_err(r, &err);
    }
    enum MHD_Result ret = fr__srv_send_text(r, 200, "application/json", text, len);
    fr_free(text);
    return ret;
}
