/* SPDX-License-Identifier: MIT */
/* bench_admit.c: latency of the in-process admission decision (MRZ read,
 * policy lookup, ledger history, stay rule) for a returning traveller with a
 * 20-event history in a real SQLite ledger, p50/p99 over many decisions on
 * one core; side by side the same decision without a ledger (no history) to
 * show what the history read costs. Target (issue 4): p99 under 200 us. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/booth.h"
#include "frontera/alloc.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf) buf[*len] = 0;
    return buf;
}

static void run(const char *label, const fr_booth_env *env, const fr_admit_request *req, int n)
{
    double *t = malloc(sizeof(double) * (size_t)n);
    fr_admit_decision *d = fr_malloc(sizeof *d);
    int admits = 0;
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        if (fr_booth_decide(env, req, d, NULL) != FR_OK) abort();
        t[i] = now_us() - t0;
        admits += d->outcome == FR_ADMIT;
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += t[i];
    printf("%-34s n=%d  p50 %7.1f us  p99 %7.1f us  max %8.1f us  mean %7.1f us  (%d admitted)\n",
           label, n, t[n / 2], t[(int)(n * 0.99)], t[n - 1], sum / n, admits);
    fr_free(d);
    free(t);
}

int main(void)
{
    size_t plen;
    char *ptext = slurp(FR_SOURCE_DIR "/data/policy/ecu.policy", &plen);
    fr_policy *policy = NULL;
    if (!ptext || fr_policy_parse(ptext, plen, &policy, NULL, 0, NULL) != FR_OK) {
        fprintf(stderr, "bench_admit: cannot load data/policy/ecu.policy\n");
        return 1;
    }
    char dbpath[] = "/tmp/bench_admit_XXXXXX";
    int fd = mkstemp(dbpath);
    close(fd);
    unlink(dbpath);
    fr_store *store = NULL;
    fr_error err;
    if (fr_store_open(dbpath, FR_STORE_CREATE, &store, &err) != FR_OK) {
        fprintf(stderr, "bench_admit: %s\n", err.message);
        return 1;
    }
    /* A Spanish visitor with 10 earlier trips (20 events) over 2021..2024. */
    fr_date start;
    fr_date_from_ymd(2021, 1, 5, &start);
    for (int i = 0; i < 20; i++) {
        fr_event ev;
        fr_event_init(&ev);
        snprintf(ev.event_id, sizeof ev.event_id, "B-%d", i);
        ev.kind = i % 2 ? FR_EVENT_EXIT : FR_EVENT_ENTRY;
        ev.at = (fr_datetime){start + (i / 2) * 120 + (i % 2) * 14, 36000, -300, 1};
        strcpy(ev.port, "ECUIO");
        strcpy(ev.doc.type, "P");
        strcpy(ev.doc.state, "ESP");
        strcpy(ev.doc.number, "XDA123456");
        fr_date_from_ymd(2033, 1, 1, &ev.doc.expiry);
        strcpy(ev.doc.surname, "GARCIA");
        strcpy(ev.doc.given_names, "LUIS");
        strcpy(ev.doc.nationality, "ESP");
        fr_date_from_ymd(1980, 2, 2, &ev.doc.birth_date);
        ev.doc.sex = 'M';
        strcpy(ev.admission_class, "VISITOR");
        if (ev.kind == FR_EVENT_ENTRY) ev.authorised_until = ev.at.date + 89;
        if (fr_store_record(store, &ev, NULL, &err) != FR_OK) {
            fprintf(stderr, "bench_admit: record: %s (%s)\n", err.message, err.field);
            return 1;
        }
    }
    fr_mrz doc;
    memset(&doc, 0, sizeof doc);
    doc.format = FR_MRZ_TD3;
    strcpy(doc.document_code, "P");
    strcpy(doc.issuing_state, "ESP");
    strcpy(doc.surname, "GARCIA");
    strcpy(doc.given_names, "LUIS");
    strcpy(doc.document_number, "XDA123456");
    strcpy(doc.nationality, "ESP");
    doc.sex = 'M';
    fr_mrz_date_parse("1980-02-02", 10, &doc.birth_date);
    fr_mrz_date_parse("2033-01-01", 10, &doc.expiry_date);
    char mrz[FR_MRZ_TEXT_MAX];
    if (fr_mrz_make(&doc, NULL, mrz, &err) != FR_OK) {
        fprintf(stderr, "bench_admit: mrz: %s\n", err.message);
        return 1;
    }
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.mrz = mrz;
    req.mrz_len = strlen(mrz);
    req.port = "ECUIO";
    fr_datetime_parse_cstr("2024-06-01T09:00-05:00", &req.at, NULL);
    req.cls = FR_CLASS_VISITOR;

    fr_admit_decision *d = fr_malloc(sizeof *d);
    fr_booth_env with = {policy, store, NULL, 0, NULL}, without = {policy, NULL, NULL, 0, NULL};
    if (fr_booth_decide(&with, &req, d, &err) != FR_OK || d->traveller_id == 0) {
        fprintf(stderr, "bench_admit: the history was not found (%s)\n", err.message);
        return 1;
    }
    printf("bench_admit: decision for a traveller with a 20-event history: %s, %d days used\n",
           fr_outcome_name(d->outcome), d->have_stay ? d->stay.eval.days_used : -1);
    for (size_t i = 0; getenv("BENCH_VERBOSE") && i < d->nreasons; i++)
        printf("  %s: %s\n", d->reasons[i].code, d->reasons[i].message);
    fr_free(d);
    int n = getenv("BENCH_N") ? atoi(getenv("BENCH_N")) : 20000;
    run("decision, no ledger (MRZ+policy+stay)", &without, &req, n);
    run("decision with 20-event history", &with, &req, n);
    fr_store_close(store);
    unlink(dbpath);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
    fr_policy_free(policy);
    free(ptext);
    return 0;
}
