/* SPDX-License-Identifier: MIT */
/* test_store_ledger.c: the ledger's rules on a real SQLite file: linking a
 * renewed passport to its traveller, uncertain links kept for review (not
 * guessed), exit matching, unmatched exits and second entries flagged but
 * kept, out-of-order arrival re-paired by event time, the current stay, and
 * the pure rules of ledger_link.c (distance, match, pairing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/store.h"
#include "ledger_rules.h"
#include "pgdb.h"

typedef struct {
    char dir[64];
    char db[128];
    fr_store *s;
    pgdb *pg; /* run with "pg": the same tests on PostgreSQL */
} tmp;

static int use_pg;

static int setup(void **st)
{
    tmp *t = calloc(1, sizeof *t);
    if (!t) return -1;
    if (use_pg) {
        if (!(t->pg = pgdb_new())) return -1;
        fr_error err;
        if (fr_store_open(t->pg->uri, FR_STORE_CREATE, &t->s, &err) != FR_OK) {
            fprintf(stderr, "open %s: %s\n", t->pg->uri, err.message);
            return -1;
        }
        *st = t;
        return 0;
    }
    snprintf(t->dir, sizeof t->dir, "/tmp/fr_ledger_XXXXXX");
    if (!mkdtemp(t->dir)) return -1;
    snprintf(t->db, sizeof t->db, "%s/ledger.db", t->dir);
    if (fr_store_open(t->db, FR_STORE_CREATE, &t->s, NULL) != FR_OK) return -1;
    *st = t;
    return 0;
}

static int teardown(void **st)
{
    tmp *t = *st;
    fr_store_close(t->s);
    if (t->pg) {
        pgdb_free(t->pg);
        free(t);
        return 0;
    }
    char p[160];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", t->db, sfx[i]);
        unlink(p);
    }
    rmdir(t->dir);
    free(t);
    return 0;
}

typedef struct {
    const char *number, *surname, *given, *nationality, *birth;
} person;

static const person ANA = {"A1", "PEREZ", "ANA", "ECU", "1990-05-06"};

static fr_record_result rec(fr_store *s, const char *id, fr_event_kind kind, const char *at,
                            const person *p)
{
    fr_event ev;
    fr_event_init(&ev);
    snprintf(ev.event_id, sizeof ev.event_id, "%s", id);
    ev.kind = kind;
    assert_int_equal(fr_datetime_parse_cstr(at, &ev.at, NULL), FR_OK);
    memcpy(ev.port, "ECGYE", 6);
    memcpy(ev.doc.state, "ECU", 4);
    snprintf(ev.doc.number, sizeof ev.doc.number, "%s", p->number);
    snprintf(ev.doc.surname, sizeof ev.doc.surname, "%s", p->surname);
    snprintf(ev.doc.given_names, sizeof ev.doc.given_names, "%s", p->given);
    snprintf(ev.doc.nationality, sizeof ev.doc.nationality, "%s", p->nationality);
    assert_int_equal(fr_date_parse_cstr(p->birth, &ev.doc.birth_date, NULL), FR_OK);
    fr_record_result r;
    fr_error err;
    int rc = fr_store_record(s, &ev, &r, &err);
    if (rc != FR_OK) fail_msg("record %s: %s", id, err.message);
    return r;
}

static fr_history *hist(fr_store *s, int64_t tid)
{
    fr_history *h = NULL;
    assert_int_equal(fr_store_history(s, tid, &h, NULL), FR_OK);
    return h;
}

static void renewed_passport_links_to_the_same_traveller(void **st)
{
    tmp *t = *st;
    fr_record_result a = rec(t->s, "E1", FR_EVENT_ENTRY, "2023-01-10T08:00-05:00", &ANA);
    assert_int_equal(a.link, FR_LINK_NEW);
    rec(t->s, "X1", FR_EVENT_EXIT, "2023-01-20T08:00-05:00", &ANA);
    person renewed = ANA;
    renewed.number = "B2";
    renewed.given = "ana"; /* case and spacing do not matter */
    fr_record_result b = rec(t->s, "E2", FR_EVENT_ENTRY, "2024-03-01T08:00-05:00", &renewed);
    assert_int_equal(b.link, FR_LINK_RENEWAL);
    assert_int_equal(b.traveller_id, a.traveller_id);
    fr_history *h = hist(t->s, a.traveller_id);
    assert_int_equal(h->ndocuments, 2);
    assert_int_equal(h->documents[1].link, FR_LINK_RENEWAL);
    assert_int_equal(h->count, 3);
    assert_int_equal(h->nreviews, 0);
    assert_true(h->in_country);
    fr_history_free(h);
    /* the admission decision can find the history from a brand-new passport */
    fr_document d = {0};
    memcpy(d.state, "ECU", 4);
    memcpy(d.number, "C3", 3);
    memcpy(d.surname, "PEREZ", 6);
    memcpy(d.given_names, "ANA", 4);
    memcpy(d.nationality, "ECU", 4);
    fr_date_parse_cstr("1990-05-06", &d.birth_date, NULL);
    d.expiry = FR_DATE_NONE;
    int64_t tid;
    fr_link_kind how;
    assert_int_equal(fr_store_resolve(t->s, &d, &tid, &how, NULL), FR_OK);
    assert_int_equal(how, FR_LINK_RENEWAL);
    assert_int_equal(tid, a.traveller_id);
    assert_int_equal(fr_store_find_document(t->s, "ECU", "C3", &tid, NULL), FR_ENOTFOUND);
}

static void uncertain_links_are_kept_for_review_not_guessed(void **st)
{
    tmp *t = *st;
    fr_record_result a = rec(t->s, "E1", FR_EVENT_ENTRY, "2023-01-10T08:00-05:00", &ANA);
    person other_nat = {"P77", "PEREZ", "ANA", "COL", "1990-05-06"};
    fr_record_result b = rec(t->s, "E2", FR_EVENT_ENTRY, "2023-02-10T08:00-05:00", &other_nat);
    assert_int_equal(b.link, FR_LINK_REVIEW);
    assert_true(b.traveller_id != a.traveller_id);
    person typo = {"A9", "PERES", "ANA", "ECU", "1990-05-06"};
    fr_record_result c = rec(t->s, "E3", FR_EVENT_ENTRY, "2023-03-10T08:00-05:00", &typo);
    assert_int_equal(c.link, FR_LINK_REVIEW);
    assert_true(c.traveller_id != a.traveller_id);
    person longer = {"A8", "PEREZ", "ANA MARIA", "ECU", "1990-05-06"};
    fr_record_result d = rec(t->s, "E4", FR_EVENT_ENTRY, "2023-04-10T08:00-05:00", &longer);
    assert_int_equal(d.link, FR_LINK_REVIEW);
    person stranger = {"Z1", "GOMEZ", "LUIS", "ECU", "1990-05-06"};
    assert_int_equal(rec(t->s, "E5", FR_EVENT_ENTRY, "2023-05-10T08:00-05:00", &stranger).link,
                     FR_LINK_NEW);
    fr_history *h = hist(t->s, a.traveller_id);
    assert_int_equal(h->count, 1); /* nobody else's crossings merged in */
    assert_int_equal(h->nreviews, 3);
    assert_int_equal(h->reviews[0].traveller_id, b.traveller_id);
    assert_int_equal(h->reviews[0].candidate_traveller, a.traveller_id);
    assert_non_null(strstr(h->reviews[0].reason, "another nationality"));
    assert_non_null(strstr(h->reviews[1].reason, "differ by one or two letters"));
    fr_history_free(h);
    h = hist(t->s, b.traveller_id);
    assert_int_equal(h->nreviews, 1);
    assert_int_equal(h->documents[0].link, FR_LINK_REVIEW);
    fr_history_free(h);
    /* resolve reports the uncertainty without picking anyone */
    fr_document doc = {0};
    memcpy(doc.state, "COL", 4);
    memcpy(doc.number, "NEW1", 5);
    memcpy(doc.surname, "PEREZ", 6);
    memcpy(doc.given_names, "ANA", 4);
    memcpy(doc.nationality, "PER", 4);
    fr_date_parse_cstr("1990-05-06", &doc.birth_date, NULL);
    int64_t tid = -1;
    fr_link_kind how;
    assert_int_equal(fr_store_resolve(t->s, &doc, &tid, &how, NULL), FR_OK);
    assert_int_equal(how, FR_LINK_REVIEW);
    assert_int_equal(tid, 0);
}

static void exit_without_entry_is_kept_and_flagged(void **st)
{
    tmp *t = *st;
    fr_record_result x = rec(t->s, "X1", FR_EVENT_EXIT, "2024-01-05T08:00-05:00", &ANA);
    assert_int_equal(x.anomalies, FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    fr_record_result e = rec(t->s, "E1", FR_EVENT_ENTRY, "2024-02-05T08:00-05:00", &ANA);
    assert_int_equal(e.anomalies, 0);
    fr_record_result x2 = rec(t->s, "X2", FR_EVENT_EXIT, "2024-02-15T08:00-05:00", &ANA);
    assert_int_equal(x2.anomalies, 0);
    fr_history *h = hist(t->s, x.traveller_id);
    assert_int_equal(h->count, 3);
    assert_int_equal(h->items[0].anomalies, FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    assert_int_equal(h->items[0].paired, -1);
    assert_int_equal(h->items[2].paired, 1);
    assert_int_equal(h->items[1].paired, 2);
    assert_false(h->in_country);
    assert_int_equal(h->anomalies, FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    fr_history_free(h);
}

static void second_entry_without_exit_is_kept_and_flagged(void **st)
{
    tmp *t = *st;
    rec(t->s, "E1", FR_EVENT_ENTRY, "2024-01-05T08:00-05:00", &ANA);
    fr_record_result e2 = rec(t->s, "E2", FR_EVENT_ENTRY, "2024-03-05T08:00-05:00", &ANA);
    assert_int_equal(e2.anomalies, FR_ANOMALY_ENTRY_WITHOUT_EXIT);
    fr_history *h = hist(t->s, e2.traveller_id);
    assert_int_equal(h->count, 2);
    assert_true(h->in_country);
    assert_int_equal(h->open_entry, 1); /* the later entry is the open one */
    fr_history_free(h);
}

static void late_arrival_is_paired_by_event_time(void **st)
{
    tmp *t = *st;
    /* the exit arrives first (the entry post was offline) */
    fr_record_result x = rec(t->s, "X1", FR_EVENT_EXIT, "2024-01-20T08:00-05:00", &ANA);
    assert_int_equal(x.anomalies, FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    fr_record_result e = rec(t->s, "E1", FR_EVENT_ENTRY, "2024-01-05T08:00-05:00", &ANA);
    assert_int_equal(e.anomalies, 0);
    fr_history *h = hist(t->s, x.traveller_id);
    assert_int_equal(h->count, 2);
    assert_string_equal(h->items[0].event_id, "E1");
    assert_int_equal(h->items[1].anomalies, 0); /* the flag was cleared */
    assert_int_equal(h->items[1].paired, 0);
    assert_false(h->in_country);
    fr_history_free(h);
    /* a late entry between a pair makes the stay before it unclosed */
    rec(t->s, "E2", FR_EVENT_ENTRY, "2024-02-01T08:00-05:00", &ANA);
    rec(t->s, "X2", FR_EVENT_EXIT, "2024-02-10T08:00-05:00", &ANA);
    rec(t->s, "E3", FR_EVENT_ENTRY, "2024-02-05T08:00-05:00", &ANA);
    h = hist(t->s, x.traveller_id);
    assert_int_equal(h->count, 5);
    assert_string_equal(h->items[3].event_id, "E3");
    assert_int_equal(h->items[3].anomalies, FR_ANOMALY_ENTRY_WITHOUT_EXIT);
    assert_int_equal(h->items[4].paired, 3); /* X2 closes E3, the later entry */
    fr_history_free(h);
    /* and the next in-order event still sees the right state */
    fr_record_result e4 = rec(t->s, "E4", FR_EVENT_ENTRY, "2024-03-01T08:00-05:00", &ANA);
    assert_int_equal(e4.anomalies, 0);
}

static void extension_moves_authorised_until(void **st)
{
    tmp *t = *st;
    fr_event ev;
    fr_event_init(&ev);
    snprintf(ev.event_id, sizeof ev.event_id, "E1");
    ev.kind = FR_EVENT_ENTRY;
    fr_datetime_parse_cstr("2024-07-01T10:15-05:00", &ev.at, NULL);
    memcpy(ev.port, "ECUIO", 6);
    memcpy(ev.doc.state, "CHN", 4);
    memcpy(ev.doc.number, "E12345678", 10);
    fr_date_parse_cstr("2024-09-28", &ev.authorised_until, NULL);
    fr_record_result r;
    assert_int_equal(fr_store_record(t->s, &ev, &r, NULL), FR_OK);
    fr_history *h = hist(t->s, r.traveller_id);
    char buf[FR_DATE_BUFSZ];
    assert_string_equal(fr_date_format(h->authorised_until, buf), "2024-09-28");
    fr_history_free(h);
    snprintf(ev.event_id, sizeof ev.event_id, "X-ext");
    ev.kind = FR_EVENT_EXTENSION;
    fr_datetime_parse_cstr("2024-09-01T09:00-05:00", &ev.at, NULL);
    fr_date_parse_cstr("2024-12-27", &ev.authorised_until, NULL);
    assert_int_equal(fr_store_record(t->s, &ev, &r, NULL), FR_OK);
    h = hist(t->s, r.traveller_id);
    assert_true(h->in_country);
    assert_string_equal(fr_date_format(h->authorised_until, buf), "2024-12-27");
    fr_history_free(h);
}

/* An allocator that fails from the n-th call on (SQLite's own OOM tests). */
static long oom_left;
static void *oom_malloc(size_t n, void *ud)
{
    (void)ud;
    return oom_left-- > 0 ? malloc(n) : NULL;
}
static void *oom_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return oom_left-- > 0 ? realloc(p, n) : NULL;
}
static void oom_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

static void out_of_memory_is_an_error_not_a_crash(void **st)
{
    tmp *t = *st;
    fr_record_result first = rec(t->s, "X1", FR_EVENT_EXIT, "2024-01-20T08:00-05:00", &ANA);
    for (int i = 0; i < 40; i++) {
        char id[16];
        snprintf(id, sizeof id, "E%d", i);
        rec(t->s, id, i % 2 ? FR_EVENT_EXIT : FR_EVENT_ENTRY, "2024-03-01T08:00-05:00", &ANA);
    }
    static const fr_allocator oom = {oom_malloc, oom_realloc, oom_free, NULL};
    int ok_seen = 0;
    for (long n = 0; n < 40 && !ok_seen; n++) {
        fr_set_allocator(&oom);
        oom_left = n;
        fr_history *h = NULL;
        int rc = fr_store_history(t->s, first.traveller_id, &h, NULL);
        fr_set_allocator(NULL);
        assert_true(rc == FR_OK || rc == FR_ENOMEM);
        if (rc == FR_OK) {
            assert_int_equal(h->count, 41);
            ok_seen = 1;
        } else {
            assert_null(h);
        }
        fr_history_free(h);
    }
    assert_true(ok_seen);
    /* a late entry makes the store re-pair 42 crossings: fail each allocation */
    ok_seen = 0;
    for (long n = 0; n < 40 && !ok_seen; n++) {
        fr_event ev;
        fr_event_init(&ev);
        snprintf(ev.event_id, sizeof ev.event_id, "LATE");
        ev.kind = FR_EVENT_ENTRY;
        fr_datetime_parse_cstr("2024-01-02T08:00-05:00", &ev.at, NULL);
        memcpy(ev.port, "ECUIO", 6);
        memcpy(ev.doc.state, "ECU", 4);
        memcpy(ev.doc.number, "A1", 3);
        fr_set_allocator(&oom);
        oom_left = n;
        int rc = fr_store_record(t->s, &ev, NULL, NULL);
        fr_set_allocator(NULL);
        assert_true(rc == FR_OK || rc == FR_ENOMEM);
        ok_seen = rc == FR_OK;
    }
    assert_true(ok_seen);
    fr_history *h = hist(t->s, first.traveller_id);
    assert_int_equal(h->count, 42); /* failed attempts left nothing behind */
    assert_string_equal(h->items[0].event_id, "LATE");
    assert_int_equal(h->items[1].anomalies, 0); /* X1 now closes LATE */
    fr_history_free(h);
}

/* Plain Levenshtein, the reference for the banded one. */
static int naive_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int d[16][16];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

static void banded_distance_agrees_with_plain_levenshtein(void **st)
{
    (void)st;
    unsigned seed = 12345;
    for (int n = 0; n < 20000; n++) {
        char a[16], b[16];
        size_t la, lb;
        seed = seed * 1103515245u + 12345u;
        la = (seed >> 16) % 13;
        seed = seed * 1103515245u + 12345u;
        lb = (seed >> 16) % 13;
        for (size_t i = 0; i < la; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = (char)('A' + (seed >> 16) % 3);
        }
        for (size_t i = 0; i < lb; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = (char)('A' + (seed >> 16) % 3);
        }
        a[la] = b[lb] = '\0';
        int want = naive_distance(a, b);
        for (int limit = 0; limit <= 4; limit++) {
            int got = fr_ledger_distance(a, b, limit);
            if (got != (want > limit ? limit + 1 : want))
                fail_msg("distance('%s', '%s', %d) = %d, want %d", a, b, limit, got, want);
        }
    }
}

static void rules_distance_match_and_pairing(void **st)
{
    (void)st;
    assert_int_equal(fr_ledger_distance("PEREZ", "PERES", 2), 1);
    assert_int_equal(fr_ledger_distance("PEREZ", "GOMEZ", 2), 3);
    assert_int_equal(fr_ledger_distance("", "AB", 2), 2);
    char name[32] = "  juan<<carlos  de   la ";
    fr_ledger_name_norm(name);
    assert_string_equal(name, "JUAN CARLOS DE LA");
    fr_document d = {0};
    memcpy(d.surname, "PEREZ", 6);
    memcpy(d.given_names, "ANA", 4);
    memcpy(d.nationality, "ECU", 4);
    d.birth_date = 7000;
    fr_ledger_person p = {"PEREZ", "ANA", "ECU", 7000, 'F'};
    assert_int_equal(fr_ledger_person_match(&d, &p, NULL), FR_MATCH_SAME);
    d.sex = 'M';
    assert_int_equal(fr_ledger_person_match(&d, &p, NULL), FR_MATCH_UNCERTAIN);
    d.sex = 0;
    p.birth_date = 7001;
    assert_int_equal(fr_ledger_person_match(&d, &p, NULL), FR_MATCH_NONE);
    p.birth_date = 7000;
    fr_ledger_person swapped = {"ANA", "PEREZ", "ECU", 7000, 0};
    assert_int_equal(fr_ledger_person_match(&d, &swapped, NULL), FR_MATCH_UNCERTAIN);
    d.nationality[0] = '\0'; /* unknown nationality never links */
    assert_int_equal(fr_ledger_person_match(&d, &p, NULL), FR_MATCH_NONE);

    fr_event_kind k[] = {FR_EVENT_EXIT, FR_EVENT_ENTRY, FR_EVENT_ENTRY, FR_EVENT_EXIT,
                         FR_EVENT_EXIT};
    unsigned an[5];
    ptrdiff_t pr[5];
    fr_ledger_pair(k, 5, an, pr);
    assert_int_equal(an[0], FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    assert_int_equal(an[2], FR_ANOMALY_ENTRY_WITHOUT_EXIT);
    assert_int_equal(pr[3], 2);
    assert_int_equal(an[4], FR_ANOMALY_EXIT_WITHOUT_ENTRY);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "pg") == 0) {
        pgdb_require();
        use_pg = 1;
    }
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(renewed_passport_links_to_the_same_traveller),
        T(uncertain_links_are_kept_for_review_not_guessed),
        T(exit_without_entry_is_kept_and_flagged),
        T(second_entry_without_exit_is_kept_and_flagged),
        T(late_arrival_is_paired_by_event_time),
        T(extension_moves_authorised_until),
        T(out_of_memory_is_an_error_not_a_crash),
        cmocka_unit_test(rules_distance_match_and_pairing),
        cmocka_unit_test(banded_distance_agrees_with_plain_levenshtein),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
