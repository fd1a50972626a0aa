/* SPDX-License-Identifier: MIT */
/* bench_import.c: bulk import rate of the crossings ledger, side by side
 * with the sqlite3 shell's `.import` of the same CSV into a plain table.
 *
 * Generates N crossings (default 1,000,000; argv[1] overrides) in the
 * layout of docs/ledger.md - N/4 travellers with entry, exit, entry, exit,
 * like tests/data/ledger/gen.awk - into a temporary file; imports it with
 * frontera's import path (fr_ledger_import: streaming CSV, validation,
 * document linking, exit matching, idempotent inserts, batches of 10,000
 * durable commits, or argv[2] rows a batch) into a fresh SQLite file,
 * printing wall and CPU time (the machine may be shared); then runs
 * `sqlite3 DB ".import --csv FILE t"` on a fresh file (no indexes, no
 * validation, one transaction). Prints rows/s of each and the ratio. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "frontera/ledger.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of this process so far: the machine may be
 * shared, and CPU time shows the import's own cost apart from waiting. */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int generate(const char *path, long n)
{
    static const char *const NAT[] = {"ECU", "COL", "PER", "VEN", "CHN",
                                      "USA", "ARG", "D",   "FRA", "ESP"};
    static const char *const PORT[] = {"ECUIO", "ECGYE", "ECTUL", "ECMEC"};
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(fr_ledger_csv_header(), f);
    long t = n / 4;
    for (int j = 0; j < 4; j++) {
        int entry = j % 2 == 0;
        for (long i = 0; i < t; i++) {
            const char *c = NAT[i % 10];
            char until[32] = "";
            if (entry) snprintf(until, sizeof until, "2024-%02d-28", j + 2);
            fprintf(f,
                    "C%d-%ld,%s,2024-%02d-%02ldT%02ld:%02ld:00-05:00,%s,P,%s,N%08ld,2031-01-01,"
                    "SURNAME%ld,GIVEN NAME,%s,19%02ld-%02ld-%02ld,%s,%s,%s,OF-%ld,,\n",
                    j, i, entry ? "entry" : "exit", j + 1, 1 + i % 28, 6 + i % 12, i % 60,
                    PORT[i % 4], c, i, i, c, 40 + i % 60, 1 + (i / 60) % 12, 1 + (i / 720) % 28,
                    i % 2 ? "M" : "F", entry ? "tourist" : "", until, i % 90);
        }
    }
    return fclose(f);
}

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    *got = fread(buf, 1, cap, (FILE *)ud);
    return *got == 0 && ferror((FILE *)ud) ? FR_EIO : FR_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The admission decision's read: resolve a document and fetch the
 * traveller's history, for a traveller with 20 crossings in the full store. */
static int bench_history(const char *db, long travellers)
{
    fr_store *s = NULL;
    fr_error err;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) return -1;
    fr_event ev;
    for (int k = 0; k < 16; k++) { /* 4 imported + 16 = 20 crossings */
        fr_event_init(&ev);
        snprintf(ev.event_id, sizeof ev.event_id, "H-%d", k);
        ev.kind = k % 2 ? FR_EVENT_EXIT : FR_EVENT_ENTRY;
        char at[40];
        snprintf(at, sizeof at, "2025-%02d-%02dT10:00-05:00", 1 + k / 2, k % 2 ? 20 : 1);
        fr_datetime_parse_cstr(at, &ev.at, NULL);
        memcpy(ev.port, "ECUIO", 6);
        memcpy(ev.doc.state, "ECU", 4);
        memcpy(ev.doc.number, "N00000000", 10);
        if (fr_store_record(s, &ev, NULL, &err) != FR_OK) return -1;
    }
    enum { RUNS = 10000 };
    static double us[RUNS];
    fr_document doc;
    memset(&doc, 0, sizeof doc);
    memcpy(doc.state, "ECU", 4);
    for (int r = 0; r < RUNS; r++) {
        /* every other lookup is a random other traveller (cold pages) */
        long i = r % 2
                     ? (long)((unsigned long)r * 2654435761u % (unsigned long)travellers) / 10 * 10
                     : 0;
        snprintf(doc.number, sizeof doc.number, "N%08ld", i);
        double t0 = now();
        int64_t tid;
        fr_link_kind how;
        fr_history *h = NULL;
        if (fr_store_resolve(s, &doc, &tid, &how, &err) != FR_OK || !tid ||
            fr_store_history(s, tid, &h, &err) != FR_OK)
            return -1;
        us[r] = (now() - t0) * 1e6;
        if (i == 0 && h->count != 20) return -1;
        fr_history_free(h);
    }
    fr_store_close(s);
    qsort(us, RUNS, sizeof us[0], cmp_double);
    printf("  history read (fr_store_resolve + fr_store_history, 20 and 4 crossings, %d runs):\n"
           "    p50 %.1f us, p99 %.1f us, max %.1f us\n",
           RUNS, us[RUNS / 2], us[RUNS * 99 / 100], us[RUNS - 1]);
    return 0;
}

static void remove_db(const char *db)
{
    char p[300];
    const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long batch = argc > 2 ? atol(argv[2]) : 10000;
    if (batch < 1) batch = 10000;
    if (n < 4) n = 4;
    n -= n % 4;
    char dir[] = "/tmp/fr_bench_import_XXXXXX";
    if (!mkdtemp(dir)) return perror("mkdtemp"), 1;
    char csv[128], db[128], db2[128], cmd[512];
    snprintf(csv, sizeof csv, "%s/crossings.csv", dir);
    snprintf(db, sizeof db, "%s/frontera.db", dir);
    snprintf(db2, sizeof db2, "%s/shell.db", dir);
    if (generate(csv, n) != 0) return perror("generate"), 1;

    fr_store *s = NULL;
    fr_error err;
    if (fr_store_open(db, FR_STORE_CREATE, &s, &err) != FR_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    FILE *in = fopen(csv, "rb");
    fr_csv *reader = NULL;
    if (!in || fr_csv_new(read_file, in, NULL, &reader) != FR_OK) return perror("csv"), 1;
    fr_import_stats st;
    double c0 = cpu_now(), t0 = now();
    int rc = fr_ledger_import(s, reader, (size_t)batch, NULL, &st, &err);
    double t1 = now(), c1 = cpu_now();
    fr_csv_free(reader);
    fclose(in);
    fr_store_close(s);
    if (rc != FR_OK || st.taken != (uint64_t)n) {
        fprintf(stderr, "import: rc %d, %llu taken: %s\n", rc, (unsigned long long)st.taken,
                err.message);
        return 1;
    }
    double fr_rate = (double)n / (t1 - t0);

    snprintf(cmd, sizeof cmd, "sqlite3 %s \".import --csv %s t\"", db2, csv);
    double t2 = now();
    int sh = system(cmd);
    double t3 = now();
    if (sh != 0) {
        fprintf(stderr, "the sqlite3 shell failed (%d): %s\n", sh, cmd);
        return 1;
    }
    double sh_rate = (double)n / (t3 - t2);

    printf("bench_import: %ld crossings (%ld travellers), CSV %s\n", n, n / 4, csv);
    printf("  frontera import (fr_ledger_import, batches of %ld, WAL, synchronous=FULL):\n"
           "    %.3f s, %.0f events/s (CPU %.3f s)\n",
           batch, t1 - t0, fr_rate, c1 - c0);
    printf("  sqlite3 shell: %s\n    %.3f s, %.0f rows/s\n", cmd, t3 - t2, sh_rate);
    printf("  ratio frontera/sqlite3-shell: %.2f   target 500000 events/s: %s\n", fr_rate / sh_rate,
           fr_rate >= 500000 ? "met" : "NOT met");
    if (bench_history(db, n / 4) != 0) {
        fprintf(stderr, "history benchmark failed\n");
        return 1;
    }
    remove_db(db);
    remove_db(db2);
    unlink(csv);
    rmdir(dir);
    return 0;
}
