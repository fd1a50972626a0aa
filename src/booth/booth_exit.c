/* SPDX-License-Identifier: MIT */
/* booth_exit.c: an exit recorded at the booth (booth.h, fr_booth_exit).
 *
 * The document is read as at entry (fr_admit_read) and mapped to the
 * ledger's document by the one MRZ -> document rule (fr_admit_document); the
 * store links it to its traveller and pairs the exit with the open entry
 * (exit matching lives in the store and the core's ledger rules, not here).
 * The traveller's history is then read back to say which entry the exit
 * closed, how long the stay was and how many days past the authorised stay
 * it ended: what the officer at the exit booth needs to see. */
#include <stdio.h>
#include <string.h>

#include "frontera/booth.h"

/* The entry the exit at row exit_row closes, from the history. */
static void fill_from_history(const fr_history *h, int64_t exit_row, fr_booth_exit_result *out)
{
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *x = &h->items[i];
        if (x->row != exit_row) continue;
        out->anomalies = x->anomalies;
        if (x->paired < 0 || (size_t)x->paired >= h->count) return;
        const fr_history_item *e = &h->items[x->paired];
        out->entered = e->at.date;
        snprintf(out->entry_port, sizeof out->entry_port, "%s", e->port);
        out->authorised_until = e->authorised_until;
        out->days_stayed = x->at.date - e->at.date + 1;
        if (e->authorised_until != FR_DATE_NONE && x->at.date > e->authorised_until)
            out->days_over = x->at.date - e->authorised_until;
        return;
    }
}

int fr_booth_exit(fr_store *store, const fr_admit_request *req, const char *event_id,
                  const char *officer, fr_booth_exit_result *out, fr_error *err)
{
    if (!store || !req || !out) return fr_error_set(err, FR_EINVAL, 0, 0, "", "nothing to record");
    if (!req->mrz || !req->mrz_len)
        return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "no machine readable zone given");
    memset(out, 0, sizeof *out);
    out->entered = out->authorised_until = FR_DATE_NONE;
    fr_admit_read(req, &out->mrz);
    if (!out->mrz.valid) {
        const char *why = "the document could not be read";
        for (int i = 0; i < out->mrz.nfindings; i++)
            if (out->mrz.findings[i].level == FR_MRZ_ERROR) {
                why = out->mrz.findings[i].message;
                break;
            }
        return fr_error_set(err, FR_EINVAL, 0, 0, "mrz", "%s", why);
    }
    fr_event ev;
    fr_event_init(&ev);
    int rc = fr_admit_document(&out->mrz, &ev.doc, err);
    if (rc != FR_OK) return rc;
    ev.kind = FR_EVENT_EXIT;
    if (event_id && event_id[0])
        snprintf(ev.event_id, sizeof ev.event_id, "%s", event_id);
    else /* the same document at the same instant is the same exit: retries are idempotent */
        snprintf(ev.event_id, sizeof ev.event_id, "EXI-%s-%.20s-%lld", out->mrz.issuing_state,
                 out->mrz.document_number, (long long)fr_datetime_utc(&req->at));
    ev.at = req->at;
    snprintf(ev.port, sizeof ev.port, "%s", req->port);
    if (officer) snprintf(ev.officer, sizeof ev.officer, "%s", officer);
    fr_record_result res;
    rc = fr_store_record(store, &ev, &res, err);
    if (rc != FR_OK) return rc;
    snprintf(out->event_id, sizeof out->event_id, "%s", ev.event_id);
    out->traveller_id = res.traveller_id;
    out->duplicate = res.duplicate;
    out->anomalies = res.anomalies;
    fr_history *h = NULL;
    rc = fr_store_history(store, res.traveller_id, &h, err);
    if (rc != FR_OK) return rc;
    fill_from_history(h, res.event_row, out);
    fr_history_free(h);
    return FR_OK;
}
