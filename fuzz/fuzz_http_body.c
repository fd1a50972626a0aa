/* SPDX-License-Identifier: MIT */
/* fuzz_http_body.c: the JSON request bodies of the HTTP server as the
 * routes read them (server_internal.h): POST /v1/events (one event or a
 * batch) and POST /v1/admissions. Any body must parse or be refused with a
 * field named; an event that parses must hold NUL-terminated fields within
 * their limits, and fr_event_validate must accept it or name a field. The
 * problem documents' text repair (text.h) must always leave valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/text.h"
#include "server_internal.h"

static void one_event(json_t *j)
{
    fr_event ev;
    fr_error err;
    char *reasons = NULL;
    fr_error_clear(&err);
    int rc = fr__srv_event_from_json(j, "fuzz", &ev, &reasons, &err);
    if (rc == FR_OK) {
        if (strlen(ev.event_id) > FR_EVENT_ID_MAX || strlen(ev.port) > 5 ||
            strlen(ev.doc.number) > FR_DOCNUM_MAX || strlen(ev.doc.surname) > FR_NAME_MAX)
            abort();
        fr_error_clear(&err);
        if (fr_event_validate(&ev, &err) != FR_OK && !err.field[0]) abort();
    } else if (rc != FR_ENOMEM && !err.message[0]) {
        abort(); /* a refusal always says why */
    }
    fr_free(reasons);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the repair of a problem's detail */
    char text[600];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    fr_text_utf8_repair(text);
    if (!fr_text_utf8_valid(text, strlen(text), NULL)) abort();

    json_error_t je;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!j) return 0;
    if (json_is_object(j)) {
        json_t *list = json_object_get(j, "events");
        if (json_is_array(list)) {
            size_t i;
            json_t *v;
            json_array_foreach(list, i, v)
            {
                if (i >= 64) break;
                one_event(v);
            }
        } else {
            one_event(j);
        }
        srv_adm_in *in = fr_malloc(sizeof *in);
        if (in) {
            fr_error err;
            fr_error_clear(&err);
            int rc = fr__srv_admission_parse(j, in, &err);
            if (rc != FR_OK && !err.field[0] && !err.message[0]) abort();
            if (rc == FR_OK && (!in->req.port || in->req.mrz_len > SRV_MRZ_MAX)) abort();
            fr_free(in);
        }
    }
    json_decref(j);
    return 0;
}
