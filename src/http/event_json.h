/* SPDX-License-Identifier: MIT */
/* event_json.h: one event as JSON, the members of POST /v1/events (the
 * ledger's CSV columns, docs/ledger.md) plus the officer: how a post sends
 * its events to the central and how the central sends histories to a post
 * (docs/sync.md). One writer and one reader, so the two directions cannot
 * drift apart. Library-internal (http and sync layers); jansson only. */
#ifndef FR_EVENT_JSON_H
#define FR_EVENT_JSON_H

#include <jansson.h>

#include "frontera/event.h"

/* A new JSON object for ev (with "officer" when ev has one); NULL when out
 * of memory or when ev->reasons_json is not JSON (a store checked it: never). */
json_t *fr__event_json(const fr_event *ev);

/* Build an event from one JSON object (the members of fr__event_json but
 * "officer", which the caller takes out first), recorded as by officer.
 * *reasons receives an allocation (fr_free) when reasons were given;
 * ev->reasons_json points at it. FR_OK, FR_EINVAL with err (field named),
 * FR_ENOMEM. */
int fr__event_from_json(json_t *j, const char *officer, fr_event *ev, char **reasons,
                        fr_error *err);

#endif
