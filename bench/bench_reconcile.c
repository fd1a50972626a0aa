/* SPDX-License-Identifier: MIT */
/* bench_reconcile.c: matching the booth's entries to recorded manifests.
 *
 * 1. fr_manifest_reconcile alone (pure): FLIGHTS flights (default 500) of
 *    260 passengers over one week at 4 posts; 90% enter with the passport
 *    sent, 3% with another passport (matched by name and birth date), 2%
 *    are refused (with another passport), 5% never come; and 5% more
 *    entries that are on no manifest. Best of 5 in wall and in thread CPU
 *    time, in persons + events per second.
 * 2. Through the stores: 20 manifests of 260 recorded with
 *    fr_arrivals_record into a new SQLite ledger (manifests per second), the
 *    entries recorded in one batch, then fr_arrivals_reconcile of the day
 *    (read both tables and match), best of 5.
 *
 * Usage: bench_reconcile [FLIGHTS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/arrivals.h"
#include "frontera/manifest.h"
#include "frontera/store.h"

#define PAX 260

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const POSTS[] = {"ECUIO", "ECGYE", "ECCUE", "ECMEC"};
static const char *const NATS[] = {"CHN", "D", "USA", "COL", "PER", "ESP", "TUR", "GBR"};

/* The events of the scenario for persons x (n) into ev; returns how many. */
static size_t make_events(const fr_manifest_expected *x, size_t n, fr_event *ev)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned r = (unsigned)(rnd() % 100);
        if (r >= 95) continue; /* never comes */
        fr_event *e = &ev[m++];
        fr_event_init(e);
        snprintf(e->event_id, sizeof e->event_id, "E%zu", m);
        e->kind = r >= 93 ? FR_EVENT_REFUSAL : FR_EVENT_ENTRY;
        int minute = x[i].arrival.minute + 20 + (int)(rnd() % 90);
        e->at.date = x[i].arrival.date + minute / 1440;
        e->at.seconds = (minute % 1440) * 60;
        e->at.offset_min = -300;
        e->at.has_offset = 1;
        memcpy(e->port, x[i].port, 6);
        snprintf(e->doc.state, sizeof e->doc.state, "%s", x[i].doc_state);
        snprintf(e->doc.number, sizeof e->doc.number, "%.*s", (int)sizeof e->doc.number - 1,
                 x[i].doc_number);
        if (r >= 90) /* 3% enter and 2% are refused with another passport */
            snprintf(e->doc.number, sizeof e->doc.number, "Z%08u", (unsigned)(i % 100000000u));
        snprintf(e->doc.surname, sizeof e->doc.surname, "%s", x[i].surname);
        snprintf(e->doc.nationality, sizeof e->doc.nationality, "%s", x[i].nationality);
        e->doc.birth_date = x[i].birth_date;
        if (rnd() % 20 == 0) { /* an unannounced entry near this flight */
            fr_event *u = &ev[m++];
            *u = *e;
            u->kind = FR_EVENT_ENTRY;
            snprintf(u->event_id, sizeof u->event_id, "U%zu", m);
            snprintf(u->doc.number, sizeof u->doc.number, "U%08u", (unsigned)(i % 100000000u));
            snprintf(u->doc.surname, sizeof u->doc.surname, "UNANNOUNCED");
        }
    }
    return m;
}

/* i as letters (names are compared as letters only, manifest.h) */
static void letters(size_t i, char *out)
{
    int o = 0;
    do {
        out[o++] = (char)('A' + i % 26);
        i /= 26;
    } while (i);
    out[o] = '\0';
}

static void make_persons(fr_manifest_expected *x, size_t flights, fr_date day0)
{
    for (size_t f = 0; f < flights; f++)
        for (size_t k = 0; k < PAX; k++) {
            fr_manifest_expected *p = &x[f * PAX + k];
            memset(p, 0, sizeof *p);
            snprintf(p->flight, sizeof p->flight, "XX%04zu", f);
            memcpy(p->port, POSTS[f % 4], 6);
            p->arrival.date = day0 + (fr_date)(f % 7);
            p->arrival.minute = (int)((f * 37) % 1380);
            p->role = k % 50 == 0 ? FR_PAXLST_DDU : FR_PAXLST_FL;
            letters(f * PAX + k, p->surname);
            snprintf(p->nationality, sizeof p->nationality, "%s", NATS[k % 8]);
            p->birth_date = (fr_date)(3000 + (f * PAX + k) % 15000);
            snprintf(p->doc_state, sizeof p->doc_state, "%s", NATS[k % 8]);
            snprintf(p->doc_number, sizeof p->doc_number, "P%08zu", f * PAX + k);
            snprintf(p->embarkation, sizeof p->embarkation, "IST");
        }
}

static int pure(size_t flights, fr_date day0)
{
    size_t n = flights * PAX;
    fr_manifest_expected *x = malloc(n * sizeof *x);
    fr_event *ev = malloc(2 * n * sizeof *ev);
    fr_manifest_match *m = malloc(n * sizeof *m);
    long *ep = malloc(2 * n * sizeof *ep), *ef = malloc(2 * n * sizeof *ef);
    if (!x || !ev || !m || !ep || !ef) return 1;
    make_persons(x, flights, day0);
    size_t ne = make_events(x, n, ev);
    double best = 1e9, best_cpu = 1e9;
    for (int r = 0; r < 5; r++) {
        double t0 = now(), c0 = cpu_now();
        if (fr_manifest_reconcile(x, n, ev, ne, m, ep, ef, NULL) != FR_OK) return 1;
        double t = now() - t0, c = cpu_now() - c0;
        if (t < best) best = t;
        if (c < best_cpu) best_cpu = c;
    }
    size_t out[FR_RECON_NOUTCOMES] = {0}, unann = 0;
    for (size_t i = 0; i < n; i++)
        out[m[i].outcome]++;
    for (size_t e = 0; e < ne; e++)
        unann += ef[e] >= 0;
    printf("reconcile (pure): %zu persons on %zu flights, %zu events: %.1f ms, %.2f M items/s; "
           "thread CPU time %.1f ms, %.2f M items/s\n",
           n, flights, ne, best * 1000.0, (double)(n + ne) / best / 1e6, best_cpu * 1000.0,
           (double)(n + ne) / best_cpu / 1e6);
    printf("  entered %zu, refused %zu, not presented %zu, transit entered %zu, transit "
           "continued %zu, unannounced %zu\n",
           out[0], out[1], out[2], out[3], out[4], unann);
    free(x);
    free(ev);
    free(m);
    free(ep);
    free(ef);
    return 0;
}

/* A PAXLST message of flight f's 260 passengers (names and numbers as
 * make_persons gives them). */
static size_t gen_message(char *buf, size_t cap, size_t f)
{
    size_t o = (size_t)snprintf(buf, cap,
                                "UNA:+.? 'UNB+UNOA:4+XX+ECUAPI+240630:2200+IC%zu'"
                                "UNH+M%zu+PAXLST:D:12B:UN:IATA'BGM+745'TDT+20+XX%04zu+++XX'"
                                "LOC+125+IST'DTM+189:2406302330:201'LOC+87+UIO'"
                                "DTM+232:2407010730:201'",
                                f, f, f);
    for (size_t k = 0; k < PAX; k++)
        o += (size_t)snprintf(buf + o, cap - o,
                              "NAD+FL+++S%06zu:ANA'DTM+329:800101'NAT+2+CHN'DOC+P+P%08zu'"
                              "DTM+36:300101'LOC+91+CHN'",
                              f * PAX + k, f * PAX + k);
    o += (size_t)snprintf(buf + o, cap - o, "CNT+42:%d'UNT+%d+M%zu'UNZ+1+IC%zu'", PAX,
                          7 + 6 * PAX + 2, f, f);
    return o;
}

static int stores(void)
{
    char dir[] = "/tmp/bench-reconcile-XXXXXX", db[256];
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    fr_store *s = NULL;
    fr_arrivals *a = NULL;
    fr_error err;
    if (fr_store_open(db, FR_STORE_CREATE, &s, &err) != FR_OK ||
        fr_arrivals_open(db, &a, &err) != FR_OK) {
        fprintf(stderr, "bench_reconcile: %s\n", err.message);
        return 1;
    }
    enum { MANIFESTS = 20 };
    char *buf = malloc(1 << 20);
    double rec = 0;
    fr_date day;
    fr_date_parse_cstr("2024-07-01", &day, NULL);
    for (size_t f = 0; f < MANIFESTS; f++) {
        size_t len = gen_message(buf, 1 << 20, f);
        fr_paxlst *p = NULL;
        if (fr_paxlst_read(buf, len, NULL, &p, &err) != FR_OK || !p->messages[0].valid) {
            fprintf(stderr, "bench_reconcile: the generated manifest does not read\n");
            return 1;
        }
        fr_arrivals_recorded r;
        double t0 = now();
        if (fr_arrivals_record(a, &p->messages[0], "ECUIO", NULL, 0, &r, &err) != FR_OK) {
            fprintf(stderr, "bench_reconcile: %s\n", err.message);
            return 1;
        }
        rec += now() - t0;
        fr_paxlst_free(p);
    }
    /* the entries: everyone but every twentieth, 20..110 minutes after landing */
    fr_store_batch_begin(s, NULL);
    size_t nev = 0;
    for (size_t i = 0; i < MANIFESTS * PAX; i++) {
        if (i % 20 == 0) continue;
        fr_event e;
        fr_event_init(&e);
        snprintf(e.event_id, sizeof e.event_id, "E%zu", i);
        e.kind = FR_EVENT_ENTRY;
        e.at.date = day;
        e.at.seconds = (450 + 20 + (int)(i % 90)) * 60;
        e.at.offset_min = -300;
        e.at.has_offset = 1;
        snprintf(e.port, sizeof e.port, "ECUIO");
        snprintf(e.doc.state, sizeof e.doc.state, "CHN");
        snprintf(e.doc.number, sizeof e.doc.number, "P%08zu", i);
        fr_record_result res;
        if (fr_store_record(s, &e, &res, &err) != FR_OK) {
            fprintf(stderr, "bench_reconcile: %s\n", err.message);
            return 1;
        }
        nev++;
    }
    fr_store_batch_commit(s, NULL);
    double best = 1e9;
    size_t np = 0, notp = 0;
    for (int r = 0; r < 5; r++) {
        fr_arrivals_recon *rc = NULL;
        double t0 = now();
        if (fr_arrivals_reconcile(a, s, day, day, NULL, &rc, &err) != FR_OK) {
            fprintf(stderr, "bench_reconcile: %s\n", err.message);
            return 1;
        }
        double t = now() - t0;
        if (t < best) best = t;
        np = rc->npersons;
        notp = 0;
        for (size_t i = 0; i < rc->npersons; i++)
            notp += rc->match[i].outcome == FR_RECON_NOT_PRESENTED;
        fr_arrivals_recon_free(rc);
    }
    printf("stores (SQLite): %d manifests of %d recorded in %.1f ms (%.1f ms each, "
           "fsync'd)\n",
           MANIFESTS, PAX, rec * 1000.0, rec * 1000.0 / MANIFESTS);
    printf("  reconcile a day: %zu persons, %zu entries in the ledger: %.1f ms (best of 5); "
           "not presented %zu\n",
           np, nev, best * 1000.0, notp);
    free(buf);
    fr_arrivals_close(a);
    fr_store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    size_t flights = argc > 1 ? strtoul(argv[1], NULL, 10) : 500;
    if (flights < 1 || flights > 20000) {
        fprintf(stderr, "usage: bench_reconcile [FLIGHTS (1..20000)]\n");
        return 2;
    }
    fr_date day0;
    fr_date_parse_cstr("2024-07-01", &day0, NULL);
    if (pure(flights, day0)) return 1;
    return stores();
}
