/* SPDX-License-Identifier: MIT */
/* manifest_match.c: expected arrivals against the booth's events
 * (manifest.h, fr_manifest_reconcile).
 *
 * Two sorted indexes of the announced persons, one by travel document
 * (state, number) and one by (nationality, birth date, surname), are
 * searched for each entry or refusal; among the persons with the key, the
 * one at the event's post whose scheduled arrival is nearest to the event
 * (inside the match window) wins. Persons announced twice for the same
 * flight (a manifest sent again, an update) are folded onto the first.
 * Entries that match no one are attributed to the nearest flight at their
 * post through a third index of the flights by (post, arrival). All work
 * is O((persons + events) log persons), so a year of manifests and entries
 * reconciles in one pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"

const char *fr_manifest_outcome_name(fr_manifest_outcome o)
{
    switch (o) {
    case FR_RECON_ENTERED:
        return "entered";
    case FR_RECON_REFUSED:
        return "refused";
    case FR_RECON_NOT_PRESENTED:
        return "not_presented";
    case FR_RECON_TRANSIT_ENTERED:
        return "transit_entered";
    default:
        return "transit_continued";
    }
}

/* Minutes since the epoch of a local date-time (no time: noon). */
static int64_t minutes_of(fr_date d, int minute)
{
    return (int64_t)d * 1440 + (minute >= 0 ? minute : 720);
}

typedef struct sorter {
    const fr_manifest_expected *x;
    int by; /* 0 document, 1 person, 2 flight */
} sorter;

static int cmp_document(const fr_manifest_expected *a, const fr_manifest_expected *b)
{
    int c = strcmp(a->doc_state, b->doc_state);
    return c ? c : strcmp(a->doc_number, b->doc_number);
}

static int cmp_person(const fr_manifest_expected *a, const fr_manifest_expected *b)
{
    int c = strcmp(a->nationality, b->nationality);
    if (c) return c;
    if (a->birth_date != b->birth_date) return a->birth_date < b->birth_date ? -1 : 1;
    return strcmp(a->surname, b->surname);
}

static int cmp_flight(const fr_manifest_expected *a, const fr_manifest_expected *b)
{
    int c = strcmp(a->port, b->port);
    if (c) return c;
    int64_t ta = minutes_of(a->arrival.date, a->arrival.minute),
            tb = minutes_of(b->arrival.date, b->arrival.minute);
    if (ta != tb) return ta < tb ? -1 : 1;
    return strcmp(a->flight, b->flight);
}

/* qsort has no context argument in C11: the table being sorted is passed
 * through a per-call array of (index, table) pairs instead. */
typedef struct entry {
    size_t i;
    const sorter *s;
} entry;

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    const fr_manifest_expected *x = a->s->x;
    int c = a->s->by == 0   ? cmp_document(&x[a->i], &x[b->i])
            : a->s->by == 1 ? cmp_person(&x[a->i], &x[b->i])
                            : cmp_flight(&x[a->i], &x[b->i]);
    return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

/* The first position in idx (sorted by s->by) whose person is not below key. */
static size_t lower_bound(const entry *idx, size_t n, const fr_manifest_expected *key, int by)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fr_manifest_expected *p = &idx[mid].s->x[idx[mid].i];
        int c = by == 0 ? cmp_document(p, key) : by == 1 ? cmp_person(p, key) : cmp_flight(p, key);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Among the persons from position `at` with the same key, the one at the
 * event's post whose arrival is nearest to t inside the match window. */
static long nearest(const entry *idx, size_t n, size_t at, const fr_manifest_expected *key, int by,
                    const char *port, int64_t t)
{
    long best = -1;
    int64_t best_d = 0;
    for (size_t k = at; k < n; k++) {
        const fr_manifest_expected *p = &idx[k].s->x[idx[k].i];
        if ((by == 0 ? cmp_document(p, key) : cmp_person(p, key)) != 0) break;
        if (strcmp(p->port, port) != 0 || p->arrival.date == FR_DATE_NONE) continue;
        int64_t d = t - minutes_of(p->arrival.date, p->arrival.minute);
        if (d < -FR_MANIFEST_MATCH_BEFORE_MIN || d > FR_MANIFEST_MATCH_AFTER_MIN) continue;
        if (d < 0) d = -d;
        if (best < 0 || d < best_d) best = (long)idx[k].i, best_d = d;
    }
    return best;
}

static int same_flight(const fr_manifest_expected *a, const fr_manifest_expected *b)
{
    return strcmp(a->flight, b->flight) == 0 && strcmp(a->port, b->port) == 0 &&
           a->arrival.date == b->arrival.date;
}

int fr_manifest_reconcile(const fr_manifest_expected *x, size_t nx, const fr_event *ev, size_t nev,
                          fr_manifest_match *persons, long *event_person, long *event_flight,
                          fr_error *err)
{
    sorter sd = {x, 0}, sp = {x, 1}, sf = {x, 2};
    entry *bydoc = fr_calloc(nx ? nx : 1, sizeof *bydoc),
          *byname = fr_calloc(nx ? nx : 1, sizeof *byname),
          *byflight = fr_calloc(nx ? nx : 1, sizeof *byflight);
    if (!bydoc || !byname || !byflight) {
        fr_free(bydoc);
        fr_free(byname);
        fr_free(byflight);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reconciling manifests");
    }
    size_t ndoc = 0, nname = 0;
    for (size_t i = 0; i < nx; i++) {
        persons[i].event = -1;
        persons[i].same_as = -1;
        persons[i].outcome = x[i].role == FR_PAXLST_DDU || x[i].role == FR_PAXLST_DDT
                                 ? FR_RECON_TRANSIT_CONTINUED
                                 : FR_RECON_NOT_PRESENTED;
        if (x[i].doc_number[0]) bydoc[ndoc++] = (entry){i, &sd};
        if (x[i].surname[0] && x[i].birth_date != FR_DATE_NONE) byname[nname++] = (entry){i, &sp};
        byflight[i] = (entry){i, &sf};
    }
    qsort(bydoc, ndoc, sizeof *bydoc, cmp_entry);
    qsort(byname, nname, sizeof *byname, cmp_entry);
    qsort(byflight, nx, sizeof *byflight, cmp_entry);
    /* persons announced twice for one flight: fold onto the first */
    for (size_t k = 1; k < ndoc; k++) {
        const fr_manifest_expected *a = &x[bydoc[k - 1].i], *b = &x[bydoc[k].i];
        if (cmp_document(a, b) == 0 && same_flight(a, b)) {
            size_t first = bydoc[k - 1].i;
            if (persons[first].same_as >= 0) first = (size_t)persons[first].same_as;
            persons[bydoc[k].i].same_as = (long)first;
        }
    }
    for (size_t e = 0; e < nev; e++) {
        event_person[e] = -1;
        event_flight[e] = -1;
        if (ev[e].kind != FR_EVENT_ENTRY && ev[e].kind != FR_EVENT_REFUSAL) continue;
        int64_t t = minutes_of(ev[e].at.date, ev[e].at.seconds / 60);
        fr_manifest_expected key;
        memset(&key, 0, sizeof key);
        snprintf(key.doc_state, sizeof key.doc_state, "%s", ev[e].doc.state);
        snprintf(key.doc_number, sizeof key.doc_number, "%s", ev[e].doc.number);
        long who = nearest(bydoc, ndoc, lower_bound(bydoc, ndoc, &key, 0), &key, 0, ev[e].port, t);
        if (who < 0 && ev[e].doc.nationality[0] && ev[e].doc.birth_date != FR_DATE_NONE) {
            snprintf(key.nationality, sizeof key.nationality, "%s", ev[e].doc.nationality);
            key.birth_date = ev[e].doc.birth_date;
            fr_manifest_name_key(ev[e].doc.surname, key.surname, sizeof key.surname);
            who =
                nearest(byname, nname, lower_bound(byname, nname, &key, 1), &key, 1, ev[e].port, t);
        }
        if (who >= 0 && persons[who].same_as >= 0) who = persons[who].same_as;
        event_person[e] = who;
        if (who >= 0) {
            fr_manifest_match *m = &persons[who];
            int transit = x[who].role == FR_PAXLST_DDU || x[who].role == FR_PAXLST_DDT;
            if (ev[e].kind == FR_EVENT_ENTRY) {
                m->outcome = transit ? FR_RECON_TRANSIT_ENTERED : FR_RECON_ENTERED;
                m->event = (long)e;
            } else if (m->event < 0 || ev[m->event].kind != FR_EVENT_ENTRY) {
                m->outcome = FR_RECON_REFUSED;
                m->event = (long)e;
            }
            continue;
        }
        if (ev[e].kind != FR_EVENT_ENTRY) continue;
        /* an unannounced entry: the flight at its post arriving nearest to it */
        memset(&key, 0, sizeof key);
        snprintf(key.port, sizeof key.port, "%s", ev[e].port);
        int64_t from = t - FR_MANIFEST_ATTRIBUTE_AFTER_MIN;
        key.arrival.date = (fr_date)(from / 1440);
        key.arrival.minute = (int)(from % 1440);
        long best = -1;
        int64_t best_d = 0;
        for (size_t k = lower_bound(byflight, nx, &key, 2); k < nx; k++) {
            const fr_manifest_expected *p = &x[byflight[k].i];
            if (strcmp(p->port, ev[e].port) != 0) break;
            int64_t d = t - minutes_of(p->arrival.date, p->arrival.minute);
            if (d < -FR_MANIFEST_ATTRIBUTE_BEFORE_MIN) break;
            if (d > FR_MANIFEST_ATTRIBUTE_AFTER_MIN) continue;
            if (d < 0) d = -d;
            if (best < 0 || d < best_d) best = (long)byflight[k].i, best_d = d;
        }
        event_flight[e] = best;
    }
    /* the folded copies take their first's outcome */
    for (size_t i = 0; i < nx; i++)
        if (persons[i].same_as >= 0) {
            persons[i].outcome = persons[persons[i].same_as].outcome;
            persons[i].event = persons[persons[i].same_as].event;
        }
    fr_free(bydoc);
    fr_free(byname);
    fr_free(byflight);
    return FR_OK;
}
