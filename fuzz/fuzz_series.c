/* SPDX-License-Identifier: MIT */
/* fuzz_series.c: the monthly series CSV reader (series.h). Any input must
 * either give a set, whose every value is readable and whose months lie
 * within the span limit, or errors with a line and a field inside the
 * input; a set is then run through the alert detector, which must not fail
 * on it. The same bytes are also read as a ledger CSV into a series builder
 * (fr_series_csv_events), which must end in a set or a located error.
 * Nothing may leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/csv.h"
#include "frontera/series.h"

static void as_ledger(const uint8_t *data, size_t size)
{
    fr_csv *csv = NULL;
    fr_series_builder *b = NULL;
    fr_series *s = NULL;
    fr_error e;
    if (fr_csv_new_mem((const char *)data, size, NULL, &csv) != FR_OK) abort();
    if (fr_series_builder_new(&b) != FR_OK) abort();
    int rc = fr_series_builder_add_csv(b, csv, FR_DATE_NONE, NULL, &e);
    if (rc == FR_OK) {
        if (fr_series_builder_finish(b, FR_DATE_NONE, &s, &e) != FR_OK) abort();
        fr_series_free(s);
    } else if (e.line < 0 || e.message[0] == 0) {
        abort();
    }
    fr_series_builder_free(b);
    fr_csv_free(csv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    as_ledger(data, size);
    fr_series *s = NULL;
    fr_error errs[4];
    size_t n = 0;
    int rc = fr_series_parse((const char *)data, size, &s, errs, 4, &n);
    if (rc != FR_OK) {
        if (n == 0 || s != NULL) abort();
        for (size_t i = 0; i < n && i < 4; i++)
            if (errs[i].line < 0 || (size_t)errs[i].line > size + 1 || errs[i].message[0] == 0)
                abort();
        return 0;
    }
    fr_month first = fr_series_first(s), last = fr_series_last(s);
    if (first != FR_MONTH_NONE && (last < first || last - first >= FR_SERIES_MAX_SPAN)) abort();
    for (size_t k = 0; k < fr_series_key_count(s); k++)
        for (fr_month m = first; first != FR_MONTH_NONE && m <= last; m++)
            if (fr_series_get(s, k, m) < -1) abort();
    fr_alert *a = NULL;
    size_t na = 0;
    fr_error e;
    if (fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, &na, &e) != FR_OK) abort();
    fr_free(a);
    fr_series_free(s);
    return 0;
}
