/* SPDX-License-Identifier: MIT */
/* fuzz_snapshot.c: the analytics snapshot reader (fr_snapshot_read), whole
 * and lazily (FR_SNAPSHOT_LAZY: each column checked on first read). The
 * input is written to a file twice: as it is (the checksums must refuse
 * almost everything), and with its checksums recomputed
 * (fr__snapshot_reseal), so mutations reach the checks of counts, sections
 * and references behind them. Whatever reads must then run both reports
 * without going out of bounds, and flows by nationality must sum to the
 * total. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontera/analytics.h"
#include "frontera/series.h"
#include "frontera/snapshot.h"

void fr__snapshot_reseal(void *buf, size_t len);
int fr__snapshot_read(const char *path, int lazily, fr_analytics **out, uint64_t *file_bytes,
                      fr_error *err);

static void check(fr_analytics *a)
{
    fr_report_query q;
    fr_report_query_init(&q);
    q.keys[q.nkeys++] = FR_KEY_NATIONALITY;
    q.keys[q.nkeys++] = FR_KEY_PORT;
    fr_report *r = NULL;
    if (fr_analytics_flows(a, &q, &r, NULL) == FR_OK) {
        int64_t sum = 0;
        for (size_t i = 0; i < r->nrows; i++)
            sum += r->rows[i].v[FR_FLOW_ENTRIES];
        if (sum != r->total.v[FR_FLOW_ENTRIES]) abort();
    }
    fr_report_free(r);
    r = NULL;
    q.keys[1] = FR_KEY_MONTH;
    (void)fr_analytics_overstays(a, &q, &r, NULL);
    fr_report_free(r);
    r = NULL;
    q.persons = 1; /* reads the travellers of the events */
    (void)fr_analytics_flows(a, &q, &r, NULL);
    fr_report_free(r);
}

/* What reads every column: the series, the counts, an append (re-pairs). */
static void check_all(fr_analytics *a)
{
    fr_series *s = NULL;
    if (fr_analytics_series(a, 20000, 20000, &s, NULL) == FR_OK) fr_series_free(s);
    fr_analytics_stats st;
    fr_analytics_stats_get(a, &st);
    fr_analytics_event ev = {.kind = FR_EVENT_EXIT,
                             .date = 19800,
                             .at_utc = 1710720000,
                             .port = "ECUIO",
                             .nationality = "ECU",
                             .traveller = 1,
                             .authorised_until = FR_DATE_NONE};
    (void)fr_analytics_append(a, &ev, NULL);
    check(a);
}

static void try_file(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_snapshotXXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return;
    size_t off = 0;
    while (off < size) {
        ssize_t k = write(fd, data + off, size - off);
        if (k <= 0) break;
        off += (size_t)k;
    }
    close(fd);
    fr_analytics *a = NULL;
    if (fr_snapshot_read(path, &a, NULL, NULL) == FR_OK) check(a);
    fr_analytics_free(a);
    a = NULL;
    if (fr__snapshot_read(path, 1, &a, NULL, NULL) == FR_OK) {
        check(a); /* the dates and attributes, then the travellers */
        check_all(a);
    }
    fr_analytics_free(a);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_file(data, size);
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    fr__snapshot_reseal(copy, size);
    try_file(copy, size);
    free(copy);
    return 0;
}
