/* SPDX-License-Identifier: MIT */
/* analytics_series.c: the monthly series the alerts read (series.h), built
 * from the analytics index instead of a read of the whole ledger.
 *
 * The index holds what fr_series_builder_add takes from an exported event
 * (kind, local date, nationality, the traveller, the event's own
 * authorised-until), in the ledger's sequence order, which is the order
 * fr_store_export gives (by event id on SQLite; PostgreSQL numbers its
 * sequence at commit, which differs from id order only between events of
 * concurrent transactions). So the series are those of the export path,
 * at the cost of one pass over arrays: tests/test_analytics_series.c
 * compares the two on ledgers with late and out-of-order events. */
#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/series.h"
#include "series_internal.h"

int fr_analytics_series(const fr_analytics *a, fr_date to, fr_date as_of, fr_series **out,
                        fr_error *err)
{
    *out = NULL;
    int rc = fr__an_need(a, FR_AN_C_ALL, err);
    if (rc != FR_OK) return rc;
    fr_series_builder *b = NULL;
    rc = fr_series_builder_new(&b);
    if (rc != FR_OK) return fr_error_set(err, rc, 0, 0, "", "out of memory building the series");
    for (size_t i = 0; i < a->n; i++) {
        fr_date day = a->date[i];
        if (to != FR_DATE_NONE && day > to) continue;
        uint32_t at = a->attr[i];
        fr_event_kind kind = (fr_event_kind)FR_AN_KIND(at);
        if (kind != FR_EVENT_ENTRY && kind != FR_EVENT_EXIT && kind != FR_EVENT_ENCOUNTER) continue;
        int nat = (int)FR_AN_NAT(at) - 1;              /* 0 in the index: unknown */
        if (nat < 0 && kind == FR_EVENT_EXIT) nat = 0; /* as fr_series_builder_add */
        fr_date until = a->until[i] == FR_AN_NONE16 ? FR_DATE_NONE : day + a->until[i];
        rc = fr_series_builder_add_raw(b, kind, day, nat,
                                       fr__series_traveller_key(a->pt[a->trav[i]].key), until);
        if (rc != FR_OK) {
            fr_error_set(err, rc, 0, 0, "",
                         rc == FR_ENOMEM ? "out of memory building the series"
                                         : "the ledger spans more months than a series holds");
            goto done;
        }
    }
    rc = fr_series_builder_finish(b, as_of, out, err);
done:
    fr_series_builder_free(b);
    return rc;
}
