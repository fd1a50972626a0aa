/* SPDX-License-Identifier: MIT */
/* bench_mrz.c: TD3 documents parsed per second on one core.
 *
 * 4096 distinct, valid TD3 passports (written with fr_mrz_make; as on most
 * passports, the nationality is the issuing state in 7 of 8) are parsed
 * round-robin for about a second each way:
 *   fr_mrz_parse         the library (every field, check digit, state code),
 *                        with the fr_mrz_codes table and with fr_country_find
 *   naive sscanf/strtol  the same reading done the textbook way: sscanf for
 *                        the fields, strtol for the dates, strchr for the
 *                        check digit values, strstr to split the name
 *   parse + JSON         what `frontera mrz` does per document: parse, build
 *                        the JSON object with jansson and serialise it
 * Times are this thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
 * Usage: bench_mrz [SECONDS_PER_RUN]  (default 0.5). Target: > 5 million/s. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontera/country.h"
#include "frontera/mrz.h"

#define NDOCS 4096

static char DOCS[NDOCS][FR_MRZ_TEXT_MAX];
static size_t LENS[NDOCS];
static volatile long SINK;

/* CPU time of this thread: the rate per core, even when other programs
 * share the machine (wall time would count their turns as ours). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void make_docs(fr_date today)
{
    static const char *const states[] = {"D", "FRA", "GBR", "USA", "JPN", "BRA", "IND", "NLD"};
    fr_mrz_options o = fr_mrz_options_default(today);
    unsigned r = 12345;
    for (int i = 0; i < NDOCS; i++) {
        fr_mrz m;
        memset(&m, 0, sizeof m);
        m.format = FR_MRZ_TD3;
        r = r * 1103515245u + 12345u;
        strcpy(m.issuing_state, states[r >> 28 & 7]);
        strcpy(m.nationality, (r >> 21 & 7) ? m.issuing_state : states[r >> 24 & 7]);
        snprintf(m.surname, sizeof m.surname, "SURNAME%c%c", 'A' + (r >> 8) % 26,
                 'A' + (r >> 13) % 26);
        snprintf(m.given_names, sizeof m.given_names, "GIVEN %c", 'A' + (r >> 18) % 26);
        snprintf(m.document_number, sizeof m.document_number, "X%08u", r % 100000000u);
        snprintf(m.optional_data, sizeof m.optional_data, "%u", r % 9999999u);
        fr_mrz_date_parse("1980-05-17", 10, &m.birth_date);
        m.birth_date.year = 1930 + (int)(r % 90);
        fr_date_from_ymd(m.birth_date.year, 5, 17, &m.birth_date.date);
        fr_mrz_date_parse("2031-01-31", 10, &m.expiry_date);
        m.sex = "MFX"[r % 3];
        fr_error err;
        if (fr_mrz_make(&m, &o, DOCS[i], &err) != FR_OK) {
            fprintf(stderr, "bench_mrz: cannot make a document: %s: %s\n", err.field, err.message);
            exit(1);
        }
        LENS[i] = strlen(DOCS[i]);
    }
}

/* The naive reader: same fields and checks, done with the C library. */
static int naive_cd(const char *s, int n)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (int i = 0; i < n; i++) {
        const char *p = strchr(alphabet, s[i]);
        sum += (p && s[i] ? (int)(p - alphabet) : 0) * w[i % 3];
    }
    return sum % 10;
}

static int naive_parse(const char *text)
{
    char l1[64], l2[64], code[3], state[4], name[40], num[10], nat[4], dob[7], exp[7], pn[15];
    char sex, cdn, cdb, cde, cdp, cdc;
    if (sscanf(text, "%63s %63s", l1, l2) != 2 || strlen(l1) != 44 || strlen(l2) != 44) return 0;
    if (sscanf(l1, "%2c%3c%39c", code, state, name) != 3) return 0;
    code[2] = state[3] = name[39] = '\0';
    if (sscanf(l2, "%9c%c%3c%6c%c%c%6c%c%14c%c%c", num, &cdn, nat, dob, &cdb, &sex, exp, &cde, pn,
               &cdp, &cdc) != 11)
        return 0;
    num[9] = nat[3] = dob[6] = exp[6] = pn[14] = '\0';
    int ok = 1;
    ok &= naive_cd(num, 9) == cdn - '0';
    ok &= naive_cd(dob, 6) == cdb - '0';
    ok &= naive_cd(exp, 6) == cde - '0';
    ok &= naive_cd(pn, 14) == cdp - '0';
    char comp[64];
    snprintf(comp, sizeof comp, "%.10s%.7s%.22s", l2, l2 + 13, l2 + 21);
    ok &= naive_cd(comp, 39) == cdc - '0';
    char buf[3] = {0};
    long y = strtol(memcpy(buf, dob, 2), NULL, 10), mo = strtol(memcpy(buf, dob + 2, 2), NULL, 10);
    long d = strtol(memcpy(buf, dob + 4, 2), NULL, 10);
    ok &= mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && y >= 0;
    ok &= fr_country_find(state, 3) >= 0 && fr_country_find(nat, 3) >= 0;
    char *sep = strstr(name, "<<");
    if (sep) *sep = '\0';
    for (char *p = name; *p; p++)
        if (*p == '<') *p = ' ';
    return ok && name[0];
}

static json_t *to_json(const fr_mrz *m)
{
    char b1[FR_MRZ_DATE_BUFSZ], b2[FR_MRZ_DATE_BUFSZ], sex[2] = {m->sex, 0};
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string(fr_mrz_format_name(m->format)));
    json_object_set_new(o, "document_code", json_string(m->document_code));
    json_object_set_new(o, "issuing_state", json_string(m->issuing_state));
    json_object_set_new(o, "surname", json_string(m->surname));
    json_object_set_new(o, "given_names", json_string(m->given_names));
    json_object_set_new(o, "document_number", json_string(m->document_number));
    json_object_set_new(o, "nationality", json_string(m->nationality));
    json_object_set_new(o, "birth_date", json_string(fr_mrz_date_format(&m->birth_date, b1)));
    json_object_set_new(o, "sex", json_string(sex));
    json_object_set_new(o, "expiry_date", json_string(fr_mrz_date_format(&m->expiry_date, b2)));
    json_object_set_new(o, "optional_data", json_string(m->optional_data));
    json_object_set_new(o, "optional_data_2", json_null());
    json_object_set_new(o, "valid", json_boolean(m->valid));
    json_object_set_new(o, "findings", json_array());
    return o;
}

typedef long (*run_fn)(long n, const fr_mrz_options *o);

static long run_lib(long n, const fr_mrz_options *o)
{
    static fr_mrz m;
    long valid = 0;
    for (long i = 0; i < n; i++) {
        int k = (int)(i & (NDOCS - 1));
        valid += fr_mrz_parse(DOCS[k], LENS[k], o, &m) == FR_OK;
    }
    return valid;
}

static long run_naive(long n, const fr_mrz_options *o)
{
    (void)o;
    long valid = 0;
    for (long i = 0; i < n; i++)
        valid += naive_parse(DOCS[i & (NDOCS - 1)]);
    return valid;
}

static long run_json(long n, const fr_mrz_options *o)
{
    static fr_mrz m;
    long valid = 0;
    for (long i = 0; i < n; i++) {
        int k = (int)(i & (NDOCS - 1));
        valid += fr_mrz_parse(DOCS[k], LENS[k], o, &m) == FR_OK;
        json_t *j = to_json(&m);
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        valid += s != NULL;
        free(s);
        json_decref(j);
    }
    return valid / 2;
}

/* Documents per second: grow the batch until it takes `secs`. */
static double measure(run_fn fn, const fr_mrz_options *o, double secs)
{
    long n = 1024;
    for (;;) {
        double t0 = now();
        long valid = fn(n, o);
        double dt = now() - t0;
        if (valid != n) {
            fprintf(stderr, "bench_mrz: %ld of %ld documents were not valid\n", n - valid, n);
            exit(1);
        }
        SINK += valid;
        if (dt >= secs) return (double)n / dt;
        n = dt < secs / 16 ? n * 8 : (long)((double)n * secs / dt * 1.05) + 1;
    }
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 0.5;
    if (secs <= 0) secs = 0.5;
    fr_date today;
    fr_date_from_ymd(2026, 11, 29, &today);
    make_docs(today);
    fr_mrz_options o = fr_mrz_options_default(today);
    static fr_mrz_codes codes;
    double t0 = now();
    fr_mrz_codes_init(&codes);
    double init = now() - t0;
    double plain = measure(run_lib, &o, secs);
    o.codes = &codes;
    double lib = measure(run_lib, &o, secs);
    double naive = measure(run_naive, &o, secs);
    double json = measure(run_json, &o, secs);
    printf("bench_mrz: TD3 documents parsed per second of CPU time, one core (%d distinct "
           "documents)\n",
           NDOCS);
    printf("  %-34s %12.0f /s  %7.1f ns/doc  (target > 5000000: %s)\n",
           "fr_mrz_parse, fr_mrz_codes table", lib, 1e9 / lib, lib > 5e6 ? "met" : "NOT met");
    printf("  %-34s %12.0f /s  %7.1f ns/doc  the table is %.2fx faster (built in %.1f ms)\n",
           "fr_mrz_parse, fr_country_find", plain, 1e9 / plain, lib / plain, init * 1e3);
    printf("  %-34s %12.0f /s  %7.1f ns/doc  fr_mrz_parse is %.1fx faster\n",
           "naive sscanf/strtol/strchr reader", naive, 1e9 / naive, lib / naive);
    printf("  %-34s %12.0f /s  %7.1f ns/doc  JSON costs %.1fx the parse\n",
           "fr_mrz_parse + jansson JSON line", json, 1e9 / json, lib / json);
    printf("  command: %s %.1f\n", argv[0], secs);
    return 0;
}
