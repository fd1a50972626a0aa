/* SPDX-License-Identifier: MIT */
/* bench_alerts.c: how long alerts take on a ledger of about 10 million
 * events: building the monthly series from the events (arrivals,
 * encounters, due entries and non-exits with exit matching), then the
 * detection itself on those series.
 *
 * The events are the `ecuador-2024` synthetic scenario (synth.h) at scale
 * 1.5 (about 10 million events, 5.1 million entries), buffered a million
 * at a time so that only the builder is timed (country lookup and document
 * hashing, done while buffering, are not). Detection runs 20 times on the
 * resulting series (16 nationalities x 36 months x 4 metrics) and the median
 * is printed. Times are CPU seconds of this (single-threaded) process.
 * Usage: bench_alerts [SCALE]  (default 1.5) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "frontera/alerts.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"
#include "frontera/synth.h"

/* CPU time of this process: the machine is shared, wall time is not ours. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static fr_event_kind kind_of(const char *k)
{
    switch (k[0]) {
    case 'e':
        return k[1] == 'n' && k[2] == 't' ? FR_EVENT_ENTRY
               : k[1] == 'x'              ? FR_EVENT_EXIT
                                          : FR_EVENT_ENCOUNTER;
    default:
        return FR_EVENT_NONE;
    }
}

/* Events are buffered a million at a time (kind, day, nationality index,
 * document key, authorised-until: resolved outside the timing) and each
 * full buffer is fed to the builder under the clock, so the figure is the
 * builder's own cost, not the generator's, however loaded the machine. */
#define CHUNK 1000000
typedef struct raw {
    fr_date day, until;
    uint64_t key;
    int16_t nat;
    uint8_t kind;
} raw;

typedef struct feed {
    fr_series_builder *b;
    raw *buf;
    size_t n;
    double seconds;
    int rc;
} feed;

static void flush(feed *f)
{
    double t0 = now();
    for (size_t i = 0; i < f->n && f->rc == FR_OK; i++)
        f->rc = fr_series_builder_add_raw(f->b, (fr_event_kind)f->buf[i].kind, f->buf[i].day,
                                          f->buf[i].nat, f->buf[i].key, f->buf[i].until);
    f->seconds += now() - t0;
    f->n = 0;
}

static int builder_sink(const fr_synth_event *ev, void *ud)
{
    feed *f = ud;
    f->buf[f->n++] =
        (raw){ev->at.date, ev->authorised_until,
              fr_series_doc_key(ev->document_state, ev->document_number),
              (int16_t)fr_country_find_cstr(ev->nationality), (uint8_t)kind_of(ev->kind)};
    if (f->n == CHUNK) flush(f);
    return f->rc;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    double scale = argc > 1 ? atof(argv[1]) : 1.5;
    fr_synth_options opt = {"ecuador-2024", 1, scale};
    fr_synth_stats st;
    fr_error err;
    feed f = {NULL, malloc(CHUNK * sizeof(raw)), 0, 0, FR_OK};
    fr_series *s = NULL;
    if (!f.buf || fr_series_builder_new(&f.b) != FR_OK) return 1;
    double t0 = now();
    if (fr_synth_run(&opt, builder_sink, &f, &st, &err) != FR_OK) {
        fprintf(stderr, "bench_alerts: synth: %s\n", err.message);
        return 1;
    }
    flush(&f);
    double t_all = now() - t0;
    if (f.rc != FR_OK) return 1;
    t0 = now();
    if (fr_series_builder_finish(f.b, FR_DATE_NONE, &s, &err) != FR_OK) return 1;
    double t_finish = now() - t0;
    fr_series_builder_free(f.b);
    free(f.buf);
    double runs[20];
    size_t nalerts = 0;
    for (int r = 0; r < 20; r++) {
        fr_alert *a = NULL;
        t0 = now();
        if (fr_alerts_detect(s, NULL, FR_MONTH_NONE, FR_MONTH_NONE, &a, &nalerts, &err) != FR_OK)
            return 1;
        runs[r] = now() - t0;
        fr_free(a);
    }
    qsort(runs, 20, sizeof runs[0], cmp);
    /* the reference in the same run: the seasonal test alone (the first detector) */
    double ref[20];
    size_t nref = 0;
    fr_alert_params only;
    fr_alert_params_default(&only);
    only.tests = FR_ALERT_TEST_SEASONAL;
    only.min_tests = 1;
    only.escalate_factor = 0;
    for (int r = 0; r < 20; r++) {
        fr_alert *a = NULL;
        t0 = now();
        if (fr_alerts_detect(s, &only, FR_MONTH_NONE, FR_MONTH_NONE, &a, &nref, &err) != FR_OK)
            return 1;
        ref[r] = now() - t0;
        fr_free(a);
    }
    qsort(ref, 20, sizeof ref[0], cmp);
    double build = f.seconds + t_finish;
    printf("bench_alerts (command: bench_alerts %.2f): ecuador-2024 seed 1 scale %.2f\n", scale,
           scale);
    printf("  events: %llu (%llu entries, %llu exits, %llu encounters)\n",
           (unsigned long long)st.events, (unsigned long long)st.entries,
           (unsigned long long)st.exits, (unsigned long long)st.encounters);
    printf("  generating them (not counted): %8.3f s\n", t_all - f.seconds);
    printf("  series building:            %8.3f s  (%.1f ns/event; finish %.3f ms)\n", build,
           build / (double)st.events * 1e9, t_finish * 1e3);
    printf("  series: %zu keys x %d months\n", fr_series_key_count(s),
           fr_series_last(s) - fr_series_first(s) + 1);
    printf("  detection, all tests (median of 20):   %8.3f ms  (%zu alerts)\n", runs[10] * 1e3,
           nalerts);
    printf("  detection, seasonal only (reference):  %8.3f ms  (%zu alerts); ratio %.1f\n",
           ref[10] * 1e3, nref, runs[10] / ref[10]);
    printf("  alerts from events, total:  %8.3f s  (building + detection)\n", build + runs[10]);
    fr_series_free(s);
    return 0;
}
