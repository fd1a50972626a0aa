/* SPDX-License-Identifier: MIT */
/* test_pairing.c: the exit-pairing rule is applied in three places for
 * speed - the batch rule (fr__ledger_pair, core), the SQLite store's
 * incremental pairing with re-pairing of late events, and the analytics
 * index's incremental pairing with its replay of dirty travellers. This
 * property test runs all three on thousands of random histories, sent in
 * random arrival order (so late events force re-pairing), and requires the
 * same pairing and the same anomaly flags from each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics_internal.h"
#include "frontera/analytics.h"
#include "frontera/store.h"
#include "ledger_rules.h"
#include "tmpdb.h"

#define TRAVELLERS 3000
#define MAX_EVENTS 14

/* A small deterministic generator (xorshift64*), so a failure reproduces. */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

typedef struct {
    int n;
    fr_event_kind kind[MAX_EVENTS]; /* in time order */
    int day[MAX_EVENTS];            /* distinct days, increasing */
    int order[MAX_EVENTS];          /* arrival order: indices into the above */
} history;

static void make_history(history *h)
{
    h->n = 1 + (int)rnd(MAX_EVENTS);
    int day = 19000 + (int)rnd(30);
    for (int i = 0; i < h->n; i++) {
        /* mostly alternating, with missing entries and exits */
        fr_event_kind prev = i ? h->kind[i - 1] : FR_EVENT_EXIT;
        uint32_t r = rnd(10);
        h->kind[i] = r < 7 ? (prev == FR_EVENT_ENTRY ? FR_EVENT_EXIT : FR_EVENT_ENTRY)
                           : (r < 9 ? FR_EVENT_ENTRY : FR_EVENT_EXIT);
        h->day[i] = day;
        day += 1 + (int)rnd(40);
        h->order[i] = i;
    }
    /* arrival order: in time order, except that some events come late */
    for (int i = h->n - 1; i > 0; i--) {
        if (rnd(3) != 0) continue;
        int j = (int)rnd((uint32_t)i + 1);
        int t = h->order[i];
        h->order[i] = h->order[j];
        h->order[j] = t;
    }
}

static void event_of(const history *h, int t, int i, fr_event *ev)
{
    fr_event_init(ev);
    snprintf(ev->event_id, sizeof ev->event_id, "T%d-E%d", t, i);
    ev->kind = h->kind[i];
    ev->at.date = h->day[i];
    ev->at.seconds = 36000;
    ev->at.offset_min = -300;
    ev->at.has_offset = 1;
    strcpy(ev->port, "ECUIO");
    strcpy(ev->doc.state, "USA");
    snprintf(ev->doc.number, sizeof ev->doc.number, "P%08d", t);
    strcpy(ev->doc.nationality, "USA");
    strcpy(ev->doc.surname, "DOE");
    strcpy(ev->doc.given_names, "JANE");
    ev->doc.birth_date = 5000 + t; /* one traveller per document */
}

static void three_implementations_pair_alike(void **state)
{
    tmp *t = *state;
    fr_store *s = NULL;
    fr_analytics *a = NULL;
    assert_int_equal(fr_store_open(t->db, 0, &s, NULL), FR_OK);
    assert_int_equal(fr_analytics_new(&a), FR_OK);
    static history hs[TRAVELLERS];
    int64_t tid[TRAVELLERS];
    size_t first_event[TRAVELLERS];
    assert_int_equal(fr_store_batch_begin(s, NULL), FR_OK);
    size_t late = 0;
    for (int k = 0; k < TRAVELLERS; k++) {
        history *h = &hs[k];
        make_history(h);
        first_event[k] = a->n;
        for (int j = 0; j < h->n; j++) {
            fr_event ev;
            event_of(h, k, h->order[j], &ev);
            fr_record_result res;
            fr_error err;
            fr_error_clear(&err);
            int rc = fr_store_record(s, &ev, &res, &err);
            if (rc != FR_OK) print_error("record: %s\n", err.message);
            assert_int_equal(rc, FR_OK);
            tid[k] = res.traveller_id;
            assert_int_equal(fr_analytics_append_event(a, &ev, (uint64_t)k + 1, NULL), FR_OK);
            late += j > 0 && h->order[j] < h->order[j - 1];
        }
    }
    assert_int_equal(fr_store_batch_commit(s, NULL), FR_OK);
    assert_true(late > TRAVELLERS / 4); /* the late path was exercised */
    assert_int_equal(fr__an_repair(a), FR_OK);

    for (int k = 0; k < TRAVELLERS; k++) {
        history *h = &hs[k];
        /* 1. the batch rule, over the events in time order */
        unsigned anom[MAX_EVENTS];
        ptrdiff_t paired[MAX_EVENTS];
        fr__ledger_pair(h->kind, (size_t)h->n, anom, paired);
        /* 2. the store, after incremental pairing and re-pairing */
        fr_history *sh = NULL;
        assert_int_equal(fr_store_history(s, tid[k], &sh, NULL), FR_OK);
        assert_int_equal(sh->count, (size_t)h->n);
        for (int i = 0; i < h->n; i++) {
            assert_int_equal(sh->items[i].kind, h->kind[i]);
            assert_int_equal(sh->items[i].anomalies & FR_ANOMALY_PAIRING_MASK, anom[i]);
            if (h->kind[i] == FR_EVENT_EXIT) assert_int_equal(sh->items[i].paired, paired[i]);
        }
        fr_history_free(sh);
        /* 3. the analytics index: each entry's exit date */
        for (int j = 0; j < h->n; j++) {
            size_t idx = first_event[k] + (size_t)j;
            int i = h->order[j];
            assert_int_equal(a->date[idx], h->day[i]);
            if (h->kind[i] != FR_EVENT_ENTRY) continue;
            int exit_of = -1;
            for (int e = 0; e < h->n; e++)
                if (h->kind[e] == FR_EVENT_EXIT && paired[e] == i) exit_of = e;
            if (exit_of < 0)
                assert_int_equal(a->exitd[idx], FR_AN_NONE16);
            else
                assert_int_equal(a->date[idx] + a->exitd[idx], h->day[exit_of]);
        }
    }
    fr_analytics_free(a);
    fr_store_close(s);
}

static int setup(void **st)
{
    return tmpdb_setup(st, "frpair", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(three_implementations_pair_alike, setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
