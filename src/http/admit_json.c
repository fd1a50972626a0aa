/* SPDX-License-Identifier: MIT */
/* admit_json.c: the admission decision as JSON, the one shape that
 * `frontera admit --json` prints and POST /v1/admissions answers. */
#include <stdio.h>

#include "views.h"

json_t *fr_admit_decision_json(const fr_admit_decision *d, int64_t traveller_id,
                               const char *event_id)
{
    char b[FR_DATE_BUFSZ];
    json_t *o = json_object(), *reasons = json_array();
    if (!o || !reasons) goto oom;
    if (json_object_set_new(o, "decision", json_string(fr_outcome_name(d->outcome)))) goto oom;
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        char g[2] = {r->ground, 0};
        if (json_array_append_new(reasons,
                                  json_pack("{s:s, s:s, s:s?, s:s}", "code", r->code, "message",
                                            r->message, "ground", r->ground ? g : NULL, "level",
                                            fr_reason_level_name(r->level))))
            goto oom;
    }
    json_t *until = d->authorised_until != FR_DATE_NONE
                        ? json_string(fr_date_format(d->authorised_until, b))
                        : json_null();
    if (json_object_set_new(o, "reasons", reasons)) {
        reasons = NULL; /* set_new took it even on failure */
        json_decref(until);
        goto oom;
    }
    reasons = NULL;
    if (json_object_set_new(o, "authorised_until", until) ||
        json_object_set_new(o, "traveller_id",
                            traveller_id ? json_integer(traveller_id) : json_null()) ||
        json_object_set_new(o, "event_id", event_id ? json_string(event_id) : json_null()))
        goto oom;
    if (d->have_stay &&
        (json_object_set_new(o, "days_used", json_integer(d->stay.eval.days_used)) ||
         json_object_set_new(o, "days_remaining", json_integer(d->stay.eval.days_remaining))))
        goto oom;
    if (d->rule && json_object_set_new(o, "rule_ref", json_string(d->rule->ref))) goto oom;
    return o;
oom:
    json_decref(reasons);
    json_decref(o);
    return NULL;
}
