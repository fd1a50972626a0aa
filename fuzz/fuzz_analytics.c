/* SPDX-License-Identifier: MIT */
/* fuzz_analytics.c: the analytics index's CSV loader (fr_analytics_load_csv)
 * and both reports on whatever it loaded. Any input must load or fail with
 * an error; the reports must agree with themselves: flows by nationality
 * sum to the flows total, and DHS outcomes (in time + out of country + in
 * country) sum to the expected departures, row by row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/analytics.h"
#include "frontera/csv.h"

static void check_reports(fr_analytics *a)
{
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
    fr_report *r = NULL;
    if (fr_analytics_flows(a, &q, &r, NULL) == FR_OK) {
        int64_t sum[FR_FLOW_NVALUES] = {0};
        for (size_t i = 0; i < r->nrows; i++)
            for (int k = 0; k < FR_FLOW_NVALUES; k++)
                sum[k] += r->rows[i].v[k];
        for (int k = 0; k < FR_FLOW_NVALUES; k++)
            if (sum[k] != r->total.v[k]) abort();
    }
    fr_report_free(r);
    r = NULL;
    q.keys[q.nkeys++] = FR_KEY_MONTH;
    if (fr_analytics_overstays(a, &q, &r, NULL) == FR_OK) {
        for (size_t i = 0; i < r->nrows; i++) {
            const int64_t *v = r->rows[i].v;
            if (v[FR_OVS_IN_TIME] + v[FR_OVS_OUT_OF_COUNTRY] + v[FR_OVS_IN_COUNTRY] !=
                v[FR_OVS_EXPECTED])
                abort();
        }
    }
    fr_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192) return 0;
    fr_analytics *a = NULL;
    fr_csv *c = NULL;
    if (fr_analytics_new(&a) != FR_OK) abort();
    if (fr_csv_new_mem((const char *)data, size, NULL, &c) != FR_OK) abort();
    fr_error err;
    if (fr_analytics_load_csv(a, c, &err) == FR_OK) check_reports(a);
    fr_csv_free(c);
    fr_analytics_free(a);
    return 0;
}
