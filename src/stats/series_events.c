/* SPDX-License-Identifier: MIT */
/* series_events.c: monthly series built from ledger events (the
 * fr_series_builder of series.h): arrivals, encounters, and the entries due
 * to have left ("due") with those that did not leave in time ("nonexits").
 *
 * Counts go to one dense block [metric][nationality][month], grown when an
 * event falls outside the months seen so far, so adding an event is a few
 * array increments and, for entries and exits, one probe of the open-entry
 * table (fr_match). Whether an entry is "due" depends on the report date,
 * known only at the end: an exit in time is kept in a pending list (entry
 * month, authorised-until) and settled at the end; entries never matched are
 * settled from the table. The pending list is compacted as it fills: an exit
 * whose authorised-until is before the latest day seen is due whatever the
 * report date (which may not precede the events).
 *
 * What the ledger does not know is left missing, not written as zeros: a
 * month between the first and the last event with no event at all is a gap
 * in the record (a ledger whose data stop and resume later, a feed that was
 * down); the month after a gap holds only what came after the record
 * resumed, at a point in it that is unknown; and the month of the report
 * date is not over. Counts there would read as every nationality falling at
 * once. For the same reason an entry whose stay (entry month to
 * authorised-until) spans a month not recorded whole is neither due nor a
 * non-exit: without an exit seen its exit may lie in the gap, and keeping
 * only those whose exit was seen would bias the rate, so it is left out
 * whatever its outcome (as the entries whose stay has not ended). Months
 * after the last event up to the report date are taken as recorded: a report
 * date says the ledger is current to it. Events come in time order, so when
 * an outcome is settled before the end the months of its stay are complete. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"
#include "series_internal.h"

enum { M_ARRIVALS, M_ENCOUNTERS, M_DUE, M_NONEXITS, NMETRICS };
static const char *const metric_names[NMETRICS] = {"arrivals", "encounters", "due", "nonexits"};

typedef struct pending {
    fr_date until;
    int32_t nationality;
    fr_month month;
} pending;

struct fr_series_builder {
    int ncountries;
    fr_month base, lo, hi; /* block covers [base, base + span); events seen in [lo, hi] */
    int32_t span;
    int64_t *block; /* NMETRICS * ncountries * span */
    int64_t *nev;   /* events counted in each month of the block (span): 0 is a gap */
    fr_match open;
    pending *pend;
    size_t npend, cappend;
    uint64_t skipped;
    fr_date last_day;
    fr_date mfirst, mlast; /* the days of month mcached: a one-month cache for month_of */
    fr_month mcached;
};

/* The month of a day, without the civil-date arithmetic when the day falls
 * in the same month as the previous call (events come in time order). */
static fr_month month_of(fr_series_builder *b, fr_date d)
{
    if (d >= b->mfirst && d <= b->mlast) return b->mcached;
    fr_month m = fr_month_of_date(d);
    b->mcached = m;
    b->mfirst = fr_month_first_day(m);
    b->mlast = fr_month_first_day(m + 1) - 1;
    return m;
}

int fr_series_builder_new(fr_series_builder **out)
{
    fr_series_builder *b = fr_calloc(1, sizeof *b);
    if (!b) return FR_ENOMEM;
    b->ncountries = fr_country_count();
    b->lo = b->hi = FR_MONTH_NONE;
    b->last_day = FR_DATE_NONE;
    b->mfirst = 1;
    b->mlast = 0; /* empty cache */
    fr__match_init(&b->open);
    *out = b;
    return FR_OK;
}

void fr_series_builder_free(fr_series_builder *b)
{
    if (!b) return;
    fr_free(b->block);
    fr_free(b->nev);
    fr_free(b->pend);
    fr__match_clear(&b->open);
    fr_free(b);
}

uint64_t fr_series_builder_skipped(const fr_series_builder *b)
{
    return b->skipped;
}
fr_date fr_series_builder_last_day(const fr_series_builder *b)
{
    return b->last_day;
}

uint64_t fr_series_doc_key(const char *state, const char *number)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (const char *p = state; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    h = (h ^ '|') * UINT64_C(1099511628211);
    for (const char *p = number; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    return h ? h : 1;
}

/* Make the block cover month m. FR_ELIMIT past FR_SERIES_MAX_SPAN, FR_ENOMEM. */
static int cover(fr_series_builder *b, fr_month m)
{
    if (b->block && m >= b->base && m < b->base + b->span) return FR_OK;
    fr_month lo = b->lo == FR_MONTH_NONE ? m : (m < b->lo ? m : b->lo);
    fr_month hi = b->hi == FR_MONTH_NONE ? m : (m > b->hi ? m : b->hi);
    if (hi - lo + 1 > FR_SERIES_MAX_SPAN) return FR_ELIMIT;
    fr_month nbase = lo - 12;
    int32_t nspan = hi - lo + 1 + 36;
    size_t rows = (size_t)NMETRICS * (size_t)b->ncountries;
    int64_t *nb = fr_calloc(rows * (size_t)nspan, sizeof *nb);
    int64_t *nev = fr_calloc((size_t)nspan, sizeof *nev);
    if (!nb || !nev) {
        fr_free(nb);
        fr_free(nev);
        return FR_ENOMEM;
    }
    if (b->block) {
        for (size_t r = 0; r < rows; r++)
            memcpy(nb + r * (size_t)nspan + (b->base - nbase), b->block + r * (size_t)b->span,
                   (size_t)b->span * sizeof *nb);
        memcpy(nev + (b->base - nbase), b->nev, (size_t)b->span * sizeof *nev);
    }
    fr_free(b->block);
    fr_free(b->nev);
    b->block = nb;
    b->nev = nev;
    b->base = nbase;
    b->span = nspan;
    return FR_OK;
}

static int64_t *cell(fr_series_builder *b, int metric, int nat, fr_month m)
{
    return &b->block[((size_t)metric * (size_t)b->ncountries + (size_t)nat) * (size_t)b->span +
                     (size_t)(m - b->base)];
}

/* Is month m (within the months seen) recorded whole: some event in it, and
 * in the month before unless it is the first? */
static int recorded(const fr_series_builder *b, fr_month m)
{
    return b->nev[m - b->base] > 0 && (m == b->lo || b->nev[m - 1 - b->base] > 0);
}

/* Does the ledger record every month of a stay, from the entry's
 * month to its authorised-until's, within the months seen? (A gap there may
 * hide its exit.) */
static int stay_known(const fr_series_builder *b, fr_month from, fr_date until)
{
    fr_month to = fr_month_of_date(until);
    if (from < b->lo) from = b->lo;
    if (to > b->hi) to = b->hi; /* after the last event: known up to the report date */
    for (fr_month m = from; m <= to; m++)
        if (!recorded(b, m)) return 0;
    return 1;
}

/* Count an entry's outcome: due (and a non-exit when late or never), unless
 * the ledger has a gap in its stay. The entry's month is inside the block:
 * it was counted as an arrival. */
static void settle(fr_series_builder *b, int nat, fr_month m, fr_date until, int nonexit)
{
    if (!stay_known(b, m, until)) return;
    (*cell(b, M_DUE, nat, m))++;
    if (nonexit) (*cell(b, M_NONEXITS, nat, m))++;
}

static int push_pending(fr_series_builder *b, const fr_match_entry *e)
{
    if (b->npend == b->cappend) {
        size_t w = 0; /* compact: settle what is due whatever the report date */
        for (size_t i = 0; i < b->npend; i++) {
            if (b->pend[i].until < b->last_day)
                settle(b, b->pend[i].nationality, b->pend[i].month, b->pend[i].until, 0);
            else
                b->pend[w++] = b->pend[i];
        }
        b->npend = w;
        if (b->npend * 2 > b->cappend || b->cappend == 0) {
            size_t cap = b->cappend ? b->cappend * 2 : 4096;
            pending *p = fr_realloc(b->pend, cap * sizeof *p);
            if (!p) return FR_ENOMEM;
            b->pend = p;
            b->cappend = cap;
        }
    }
    b->pend[b->npend++] = (pending){e->until, e->nationality, month_of(b, e->entered)};
    return FR_OK;
}

int fr_series_builder_add_raw(fr_series_builder *b, fr_event_kind kind, fr_date day,
                              int nationality, uint64_t doc_key, fr_date authorised_until)
{
    if (kind != FR_EVENT_ENTRY && kind != FR_EVENT_EXIT && kind != FR_EVENT_ENCOUNTER) return FR_OK;
    if (nationality < 0 || nationality >= b->ncountries || day < FR_EVENT_DATE_MIN ||
        day > FR_EVENT_DATE_MAX) { /* no nationality, or a row stored before the range check */
        b->skipped++;
        return FR_OK;
    }
    fr_month m = month_of(b, day);
    int rc = cover(b, m);
    if (rc != FR_OK) return rc;
    if (b->lo == FR_MONTH_NONE || m < b->lo) b->lo = m;
    if (b->hi == FR_MONTH_NONE || m > b->hi) b->hi = m;
    if (b->last_day == FR_DATE_NONE || day > b->last_day) b->last_day = day;
    b->nev[m - b->base]++;
    if (kind == FR_EVENT_ENCOUNTER) {
        (*cell(b, M_ENCOUNTERS, nationality, m))++;
        return FR_OK;
    }
    if (kind == FR_EVENT_ENTRY) {
        (*cell(b, M_ARRIVALS, nationality, m))++;
        fr_match_entry e = {doc_key, day,
                            authorised_until != FR_DATE_NONE ? authorised_until
                                                             : day + FR_SERIES_DEFAULT_STAY - 1,
                            nationality, 0},
                       prev;
        rc = fr__match_open(&b->open, &e, &prev);
        if (rc < 0) return rc;
        /* an entry while one is open: the earlier one had no exit recorded;
         * it is a non-exit when its stay had ended before this entry */
        if (rc == 1 && prev.until < day)
            settle(b, prev.nationality, month_of(b, prev.entered), prev.until, 1);
        return FR_OK;
    }
    fr_match_entry e;
    if (!fr__match_close(&b->open, doc_key, &e)) return FR_OK; /* exit without entry */
    if (day > e.until) {
        settle(b, e.nationality, month_of(b, e.entered), e.until, 1);
        return FR_OK;
    }
    return push_pending(b, &e);
}

uint64_t fr_series_person_key(const fr_event *ev)
{
    if (ev->traveller_id <= 0) return fr_series_doc_key(ev->doc.state, ev->doc.number);
    return fr__series_traveller_key((uint64_t)ev->traveller_id);
}

uint64_t fr__series_traveller_key(uint64_t traveller)
{
    uint64_t h = UINT64_C(1469598103934665603), v = traveller;
    h = (h ^ '#') * UINT64_C(1099511628211); /* no document key starts with '#' */
    for (int i = 0; i < 8; i++, v >>= 8)
        h = (h ^ (v & 0xff)) * UINT64_C(1099511628211);
    return h ? h : 1;
}

int fr_series_builder_add(fr_series_builder *b, const fr_event *ev)
{
    if (ev->kind != FR_EVENT_ENTRY && ev->kind != FR_EVENT_EXIT && ev->kind != FR_EVENT_ENCOUNTER)
        return FR_OK;
    int nat = ev->doc.nationality[0] ? fr_country_find_cstr(ev->doc.nationality) : -1;
    if (nat < 0 && ev->kind == FR_EVENT_EXIT) nat = 0; /* exits are matched by key only */
    return fr_series_builder_add_raw(b, ev->kind, ev->at.date, nat, fr_series_person_key(ev),
                                     ev->authorised_until);
}

/* Is month m (within lo..hi) one the ledger knows whole: recorded, and over
 * before the report date's month? */
static int known(const fr_series_builder *b, fr_month m, fr_month open_month)
{
    return m < open_month && recorded(b, m);
}

int fr_series_builder_finish(fr_series_builder *b, fr_date as_of, fr_series **out, fr_error *err)
{
    fr_series *s = NULL;
    int rc = fr_series_new(&s);
    if (rc != FR_OK) return fr_error_set(err, rc, 0, 0, "", "out of memory");
    if (b->lo == FR_MONTH_NONE) goto done;
    if (as_of == FR_DATE_NONE || as_of <= b->last_day) as_of = b->last_day + 1;
    fr_month open_month = fr_month_of_date(as_of); /* not over on the report date */
    for (size_t i = 0; i < b->npend; i++)
        if (b->pend[i].until < as_of)
            settle(b, b->pend[i].nationality, b->pend[i].month, b->pend[i].until, 0);
    b->npend = 0;
    for (size_t i = 0; i < b->open.cap; i++) {
        const fr_match_entry *e = &b->open.slots[i];
        if (e->key && e->until < as_of)
            settle(b, e->nationality, fr_month_of_date(e->entered), e->until, 1);
    }
    fr__match_clear(&b->open);
    for (int metric = 0; metric < NMETRICS; metric++)
        for (int nat = 0; nat < b->ncountries; nat++) {
            int64_t any = 0;
            for (fr_month m = b->lo; m <= b->hi && !any; m++)
                any = known(b, m, open_month) && *cell(b, metric, nat, m);
            /* due and nonexits are written for every nationality with arrivals */
            if (!any && metric >= M_DUE) {
                for (fr_month m = b->lo; m <= b->hi && !any; m++)
                    any = known(b, m, open_month) && *cell(b, M_ARRIVALS, nat, m);
            }
            if (!any) continue;
            for (fr_month m = b->lo; m <= b->hi; m++) {
                if (!known(b, m, open_month)) continue; /* missing, not zero */
                rc = fr_series_add(s, nat, metric_names[metric], m, *cell(b, metric, nat, m), err);
                if (rc != FR_OK) goto fail;
            }
        }
done:
    *out = s;
    return FR_OK;
fail:
    fr_series_free(s);
    return rc;
}
