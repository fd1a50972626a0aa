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
#include "frontera/linkage.h"
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
    assert_non_null(strstr(h->reviews[0].reason, "nationality different"));
    assert_non_null(strstr(h->reviews[1].reason, "name one_or_two_letters_apart"));
    fr_history_free(h);
    h = hist(t->s, b.traveller_id);
    assert_true(h->nreviews >= 1); /* PERES ANA (ECU) may also be this PEREZ ANA (COL) */
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
            int got = fr__ledger_distance(a, b, limit);
            if (got != (want > limit ? limit + 1 : want))
                fail_msg("distance('%s', '%s', %d) = %d, want %d", a, b, limit, got, want);
        }
    }
}

static void rules_distance_match_and_pairing(void **st)
{
    (void)st;
    assert_int_equal(fr__ledger_distance("PEREZ", "PERES", 2), 1);
    assert_int_equal(fr__ledger_distance("PEREZ", "GOMEZ", 2), 3);
    assert_int_equal(fr__ledger_distance("", "AB", 2), 2);
    char name[32] = "  juan<<carlos  de   la ";
    fr__ledger_name_norm(name);
    assert_string_equal(name, "JUAN CARLOS DE LA");
    fr_document d = {0};
    memcpy(d.surname, "PEREZ", 6);
    memcpy(d.given_names, "ANA", 4);
    memcpy(d.nationality, "ECU", 4);
    d.birth_date = 7000;
    fr_ledger_person p = {"PEREZ", "ANA", "ECU", 7000, 'F'};
    assert_int_equal(fr__ledger_person_match(&d, &p, NULL), FR_MATCH_SAME);
    d.sex = 'M';
    assert_int_equal(fr__ledger_person_match(&d, &p, NULL), FR_MATCH_UNCERTAIN);
    d.sex = 0;
    p.birth_date = 7001;
    assert_int_equal(fr__ledger_person_match(&d, &p, NULL), FR_MATCH_NONE);
    p.birth_date = 7000;
    fr_ledger_person swapped = {"ANA", "PEREZ", "ECU", 7000, 0};
    assert_int_equal(fr__ledger_person_match(&d, &swapped, NULL), FR_MATCH_UNCERTAIN);
    d.nationality[0] = '\0'; /* unknown nationality never links */
    assert_int_equal(fr__ledger_person_match(&d, &p, NULL), FR_MATCH_NONE);

    fr_event_kind k[] = {FR_EVENT_EXIT, FR_EVENT_ENTRY, FR_EVENT_ENTRY, FR_EVENT_EXIT,
                         FR_EVENT_EXIT};
    unsigned an[5];
    ptrdiff_t pr[5];
    fr__ledger_pair(k, 5, an, pr);
    assert_int_equal(an[0], FR_ANOMALY_EXIT_WITHOUT_ENTRY);
    assert_int_equal(an[2], FR_ANOMALY_ENTRY_WITHOUT_EXIT);
    assert_int_equal(pr[3], 2);
    assert_int_equal(an[4], FR_ANOMALY_EXIT_WITHOUT_ENTRY);
}

/* The namesake families: a document of the ledger's linking tests. */
typedef struct {
    const char *state, *number, *surname, *given, *nationality, *birth, *expiry;
    char sex;
} card;

static fr_record_result rec_card(fr_store *s, const char *id, fr_event_kind kind, const char *at,
                                 const card *c)
{
    fr_event ev;
    fr_event_init(&ev);
    snprintf(ev.event_id, sizeof ev.event_id, "%s", id);
    ev.kind = kind;
    assert_int_equal(fr_datetime_parse_cstr(at, &ev.at, NULL), FR_OK);
    memcpy(ev.port, "ECUIO", 6);
    snprintf(ev.doc.state, sizeof ev.doc.state, "%s", c->state);
    snprintf(ev.doc.number, sizeof ev.doc.number, "%s", c->number);
    snprintf(ev.doc.surname, sizeof ev.doc.surname, "%s", c->surname);
    snprintf(ev.doc.given_names, sizeof ev.doc.given_names, "%s", c->given);
    snprintf(ev.doc.nationality, sizeof ev.doc.nationality, "%s", c->nationality);
    assert_int_equal(fr_date_parse_cstr(c->birth, &ev.doc.birth_date, NULL), FR_OK);
    assert_int_equal(fr_date_parse_cstr(c->expiry, &ev.doc.expiry, NULL), FR_OK);
    ev.doc.sex = c->sex;
    fr_record_result r;
    fr_error err;
    int rc = fr_store_record(s, &ev, &r, &err);
    if (rc != FR_OK) fail_msg("record %s: %s", id, err.message);
    return r;
}

/* A ledger where WANG WEI is very common: 3,000 Chinese travellers, 400 of
 * them WANG WEI born on other days; one entry each in 2022. */
static void busy_chinese_ledger(fr_store *s)
{
    static const char *const SUR[] = {"LI", "ZHANG", "LIU", "CHEN", "YANG", "ZHAO"};
    static const char *const GIV[] = {"JING", "MIN", "HUI", "XIN", "YU", "JIE", "HAO", "TING"};
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    for (int i = 0; i < 3000; i++) {
        char id[32], num[16], birth[16];
        snprintf(id, sizeof id, "BG%d", i);
        snprintf(num, sizeof num, "G%08d", i);
        snprintf(birth, sizeof birth, "19%02d-%02d-%02d", 50 + i % 45, 1 + i % 12, 1 + i % 27);
        int wang = i % 15 < 2;
        card c = {
            "CHN",        num, wang ? "WANG" : SUR[i % 6], wang ? "WEI" : GIV[i % 8], "CHN", birth,
            "2031-01-01", 'M'};
        rec_card(s, id, FR_EVENT_ENTRY, "2022-03-01T10:00-05:00", &c);
    }
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
}

static int64_t only_review(fr_store *s, int64_t traveller, int64_t candidate)
{
    fr_link_review *r = NULL;
    size_t n = 0;
    assert_int_equal(fr_store_reviews(s, 1, &r, &n, NULL), FR_OK);
    int64_t id = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].traveller_id == traveller && r[i].candidate_id == candidate) id = r[i].id;
    fr_free(r);
    assert_true(id > 0);
    return id;
}

static void namesakes_stay_apart_and_renewal_is_reviewed_then_linked(void **st)
{
    tmp *t = *st;
    busy_chinese_ledger(t->s);
    /* WANG WEI (A) visits in 2023 on a passport expiring 2024-07-01 */
    card a1 = {"CHN", "E10000001", "WANG", "WEI", "CHN", "1985-04-12", "2024-07-01", 'M'};
    fr_record_result a = rec_card(t->s, "A1", FR_EVENT_ENTRY, "2023-01-10T08:00-05:00", &a1);
    rec_card(t->s, "A2", FR_EVENT_EXIT, "2023-01-20T08:00-05:00", &a1);
    /* another WANG WEI (B), same birth date, on a passport issued in 2016 or
     * 2021, while A travelled on his own in 2023: two people */
    card b1 = {"CHN", "E20000002", "WANG", "WEI", "CHN", "1985-04-12", "2026-03-01", 'M'};
    fr_record_result b = rec_card(t->s, "B1", FR_EVENT_ENTRY, "2024-06-01T08:00-05:00", &b1);
    assert_int_equal(b.link, FR_LINK_NEW);
    assert_true(b.traveller_id != a.traveller_id);
    fr_history *h = hist(t->s, a.traveller_id);
    assert_int_equal(h->count, 2);
    assert_false(h->in_country); /* B's entry is not A's */
    fr_history_free(h);
    /* A renews (issued 2024-05-20, as the old one expires): with a name this
     * common that is not certain, so it is reviewed, with the evidence */
    card a2 = {"CHN", "E30000003", "WANG", "WEI", "CHN", "1985-04-12", "2034-05-20", 'M'};
    fr_store_link l;
    fr_date on;
    fr_date_parse_cstr("2024-06-05", &on, NULL);
    fr_document d = {0};
    strcpy(d.state, "CHN");
    strcpy(d.number, "E30000003");
    strcpy(d.surname, "WANG");
    strcpy(d.given_names, "WEI");
    strcpy(d.nationality, "CHN");
    fr_date_parse_cstr("1985-04-12", &d.birth_date, NULL);
    fr_date_parse_cstr("2034-05-20", &d.expiry, NULL);
    d.sex = 'M';
    assert_int_equal(fr_store_link_document(t->s, &d, on, 1, &l, NULL), FR_OK);
    assert_int_equal(l.how, FR_LINK_REVIEW);
    assert_int_equal(l.candidate_id, a.traveller_id);
    assert_non_null(strstr(l.evidence, "renewal_due_and_issued_after_last_use"));
    fr_record_result r = rec_card(t->s, "A3", FR_EVENT_ENTRY, "2024-06-05T08:00-05:00", &a2);
    assert_int_equal(r.link, FR_LINK_REVIEW);
    /* a booth's connection (another handle, as a server's request thread)
     * has read the new passport's holder before the supervisor decides */
    fr_store *booth = NULL;
    assert_int_equal(fr_store_open(t->pg ? t->pg->uri : t->db, 0, &booth, NULL), FR_OK);
    assert_int_equal(fr_store_link_document(booth, &d, on, 1, &l, NULL), FR_OK);
    assert_int_equal(l.how, FR_LINK_DOCUMENT);
    assert_int_equal(l.traveller_id, r.traveller_id);
    /* the supervisor says: the same man. Re-linked and re-paired. */
    int64_t rid = only_review(t->s, r.traveller_id, a.traveller_id);
    fr_error err;
    assert_int_equal(
        fr_store_review_resolve(t->s, rid, 1, "SUP-1", 1717600000, "passports seen", &err), FR_OK);
    /* the booth sees the merge at once: the passport is A's now */
    assert_int_equal(fr_store_link_document(booth, &d, on, 1, &l, NULL), FR_OK);
    assert_int_equal(l.traveller_id, a.traveller_id);
    assert_int_equal(
        fr_store_review_resolve(t->s, rid, 1, "SUP-1", 1717600000, "passports seen", &err),
        FR_ECONFLICT);
    /* a decision states why: no note, or a blank one, is refused before anything */
    assert_int_equal(fr_store_review_resolve(t->s, rid, 1, "SUP-1", 1717600000, "", &err),
                     FR_EINVAL);
    assert_string_equal(err.field, "note");
    assert_int_equal(fr_store_review_resolve(t->s, rid, 0, "SUP-1", 1717600000, "  x ", &err),
                     FR_EINVAL);
    assert_int_equal(fr_store_history(t->s, r.traveller_id, &h, NULL), FR_ENOTFOUND);
    h = hist(t->s, a.traveller_id);
    assert_int_equal(h->count, 3);
    assert_int_equal(h->ndocuments, 2);
    assert_true(h->in_country);
    assert_int_equal(h->anomalies, 0);
    fr_history_free(h);
    int64_t tid;
    assert_int_equal(fr_store_find_document(t->s, "CHN", "E30000003", &tid, NULL), FR_OK);
    assert_int_equal(tid, a.traveller_id);
    /* a wrong merge is undone by a split: the document and its entry leave */
    int64_t made = 0;
    assert_int_equal(
        fr_store_split(t->s, "CHN", "E30000003", "SUP-2", 1717700000, "not him", &made, &err),
        FR_OK);
    assert_true(made > 0 && made != a.traveller_id);
    assert_int_equal(fr_store_link_document(booth, &d, on, 1, &l, NULL), FR_OK);
    assert_int_equal(l.traveller_id, made); /* and the split */
    fr_store_close(booth);
    /* the number of the traveller merged away (the highest) is not given
     * again: the audit log and the closed review still name that one */
    assert_true(made > r.traveller_id);
    h = hist(t->s, a.traveller_id);
    assert_int_equal(h->count, 2);
    assert_false(h->in_country);
    fr_history_free(h);
    h = hist(t->s, made);
    assert_int_equal(h->count, 1);
    assert_true(h->in_country);
    fr_history_free(h);
    /* the only document of a traveller cannot be split off */
    assert_int_equal(
        fr_store_split(t->s, "CHN", "E30000003", "SUP-2", 1717700000, "not him", &made, &err),
        FR_EINVAL);
    assert_string_equal(err.field, "document");
    assert_int_equal(fr_store_split(t->s, "CHN", "NOPE", "SUP-2", 1, "not him", &made, &err),
                     FR_ENOTFOUND);
    assert_int_equal(fr_store_split(t->s, "CHN", "NOPE", "SUP-2", 1, NULL, &made, &err), FR_EINVAL);
}

static void rare_name_renewal_links_and_dual_national_is_reviewed(void **st)
{
    tmp *t = *st;
    busy_chinese_ledger(t->s);
    card c1 = {"CHN", "E40000004", "OUYANG", "XIAOQIAN", "CHN", "1979-03-07", "2024-08-01", 'F'};
    fr_record_result a = rec_card(t->s, "C1", FR_EVENT_ENTRY, "2023-02-10T08:00-05:00", &c1);
    rec_card(t->s, "C2", FR_EVENT_EXIT, "2023-02-20T08:00-05:00", &c1);
    card c2 = {"CHN", "E50000005", "OUYANG", "XIAOQIAN", "CHN", "1979-03-07", "2034-06-01", 'F'};
    fr_record_result b = rec_card(t->s, "C3", FR_EVENT_ENTRY, "2024-06-10T08:00-05:00", &c2);
    assert_int_equal(b.link, FR_LINK_RENEWAL);
    assert_int_equal(b.traveller_id, a.traveller_id);
    /* a passport shown at an entry while she is still in the country: two
     * people or a dual holder, whatever the names say; asked, never merged */
    card c3 = {"CHN", "E70000008", "OUYANG", "XIAOQIAN", "CHN", "1979-03-07", "2034-06-03", 'F'};
    fr_record_result c = rec_card(t->s, "C5", FR_EVENT_ENTRY, "2024-06-12T08:00-05:00", &c3);
    assert_int_equal(c.link, FR_LINK_REVIEW);
    assert_true(c.traveller_id != a.traveller_id);
    fr_history *h = hist(t->s, c.traveller_id);
    assert_int_equal(h->nreviews, 1);
    assert_non_null(strstr(h->reviews[0].reason, "still in the country"));
    assert_true(h->reviews[0].bits > 0);
    fr_history_free(h);
    /* the supervisor says two people: nothing moves, the review closes */
    int64_t rid = only_review(t->s, c.traveller_id, a.traveller_id);
    assert_int_equal(fr_store_review_resolve(t->s, rid, 0, "SUP-1", 1, "photos differ", NULL),
                     FR_OK);
    h = hist(t->s, c.traveller_id);
    assert_int_equal(h->nreviews, 0);
    assert_int_equal(h->count, 1);
    fr_history_free(h);
    h = hist(t->s, a.traveller_id);
    assert_int_equal(h->count, 3);
    fr_history_free(h);
    /* her Singapore passport (a dual national): never silently one */
    rec_card(t->s, "C6", FR_EVENT_EXIT, "2024-06-20T08:00-05:00", &c2);
    card sg = {"SGP", "K0000006", "OUYANG", "XIAOQIAN", "SGP", "1979-03-07", "2033-01-01", 'F'};
    fr_record_result g = rec_card(t->s, "C7", FR_EVENT_ENTRY, "2024-09-01T08:00-05:00", &sg);
    assert_int_not_equal(g.link, FR_LINK_RENEWAL);
    assert_true(g.traveller_id != a.traveller_id);
    /* a renewal whose birth date has day and month swapped is found, weighed,
     * and not merged silently with a common-enough evidence */
    card c4 = {"CHN", "E60000007", "OUYANG", "XIAOQIAN", "CHN", "1979-07-03", "2034-06-02", 'F'};
    fr_store_link l;
    fr_document d = {0};
    strcpy(d.state, c4.state);
    strcpy(d.number, c4.number);
    strcpy(d.surname, c4.surname);
    strcpy(d.given_names, c4.given);
    strcpy(d.nationality, c4.nationality);
    fr_date_parse_cstr(c4.birth, &d.birth_date, NULL);
    fr_date_parse_cstr(c4.expiry, &d.expiry, NULL);
    d.sex = 'F';
    assert_int_equal(fr_store_link_document(t->s, &d, FR_DATE_NONE, 0, &l, NULL), FR_OK);
    assert_int_not_equal(l.how, FR_LINK_NONE); /* one of her three travellers */
    assert_true(l.candidate_id != 0);
    assert_non_null(strstr(l.evidence, "day_month_swapped"));
}

static void thresholds_are_kept_in_the_ledger(void **st)
{
    tmp *t = *st;
    fr_linkage_params p;
    fr_store_get_linkage(t->s, &p);
    assert_true(p.link_bits > p.review_bits);
    p.link_bits = 15;
    p.review_bits = 6;
    assert_int_equal(fr_store_set_linkage(t->s, &p, NULL), FR_OK);
    fr_store *other = NULL;
    /* another handle on the same ledger (a second process) */
    assert_int_equal(fr_store_open(t->pg ? t->pg->uri : t->db, 0, &other, NULL), FR_OK);
    fr_linkage_params q;
    fr_store_get_linkage(other, &q);
    assert_true(q.link_bits == 15 && q.review_bits == 6);
    fr_store_close(other);
    p.review_bits = 20; /* above the link threshold */
    assert_int_equal(fr_store_set_linkage(t->s, &p, NULL), FR_EINVAL);
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
        T(namesakes_stay_apart_and_renewal_is_reviewed_then_linked),
        T(rare_name_renewal_links_and_dual_national_is_reviewed),
        T(thresholds_are_kept_in_the_ledger),
        cmocka_unit_test(rules_distance_match_and_pairing),
        cmocka_unit_test(banded_distance_agrees_with_plain_levenshtein),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
