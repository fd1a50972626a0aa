/* SPDX-License-Identifier: MIT */
/* server_post.c: what POST /v1/events does differently when the caller is a
 * border post (role post, auth.h) sending the events it recorded while it
 * worked on its own ledger (sync.h, docs/sync.md):
 * - the event keeps the officer the post recorded (member "officer", none
 *   when the post recorded none), so that the central holds the event as the
 *   post does; the audit log names the post as the actor. For every other
 *   role the officer is the caller and the member is refused;
 * - the event's port must be one of the post's ports;
 * - "an event cannot be recorded before it happens" is checked against the
 *   post's clock as the post sends it (header X-Frontera-Post-Clock,
 *   milliseconds since the epoch), not the central's: a post whose clock is
 *   hours off recorded its events by that clock, and the central keeps them
 *   as recorded (never shifted) while the post reports the skew. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"

const char *fr__srv_post_officer(srv_req *r, json_t *j, char buf[FR_OFFICER_MAX + 1])
{
    buf[0] = 0;
    if (r->user.role != FR_ROLE_POST || !json_is_object(j)) return r->user.name;
    json_t *o = json_object_get(j, "officer");
    if (!o) return buf; /* none recorded at the post: none here either */
    if (!json_is_string(o) || json_string_length(o) > FR_OFFICER_MAX)
        return buf; /* a bad member stays and is refused by the parser */
    memcpy(buf, json_string_value(o), json_string_length(o) + 1);
    json_object_del(j, "officer");
    return buf;
}

int fr__srv_post_check(const srv_req *r, const fr_event *ev, fr_error *err)
{
    if (fr_auth_port_allowed(&r->user, ev->port)) return FR_OK;
    return fr_error_set(err, FR_EINVAL, 0, 0, "port",
                        "the post '%s' may record events at %s only, not at %s", r->user.name,
                        r->user.ports, ev->port);
}

int fr__srv_check_at(srv_req *r, const fr_datetime *at, fr_error *err)
{
    fr_event ev;
    memset(&ev, 0, sizeof ev);
    ev.at = *at;
    return fr_event_check_clock(&ev, fr__srv_event_clock_s(r), err);
}

int64_t fr__srv_event_clock_s(srv_req *r)
{
    int64_t now = fr__srv_now_ms(r->srv) / 1000;
    if (r->user.role != FR_ROLE_POST) return now;
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, SRV_POST_CLOCK_HEADER);
    if (!h) return now;
    char *end = NULL;
    long long ms = strtoll(h, &end, 10);
    if (end == h || *end || ms <= 0) return now;
    return (int64_t)(ms / 1000);
}
