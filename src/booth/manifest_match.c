/* SPDX-License-Identifier: MIT */
/* manifest_match.c: expected arrivals against the booth's events
 * (manifest.h, fr_manifest_reconcile).
 *
 * Two sorted indexes of the announced persons, one by a 64-bit hash of the
 * travel document (state, number) and one by a hash of (nationality, birth
 * date, surname), are searched for each entry or refusal (a hash hit is
 * confirmed on the strings); among the persons with the key, the
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

/* An index entry: a 64-bit key (a hash of the document or of the person, or
 * the post and the arrival time) and the person. Sorting and searching
 * compare integers only; equal hashes are confirmed on the strings. */
typedef struct entry {
    uint64_t k1;
    int64_t k2;
    size_t i;
} entry;

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->k1 != b->k1) return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2) return a->k2 < b->k2 ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return (h ^ 0xff) * 0x100000001b3ULL; /* a separator after each string */
}

static uint64_t doc_key(const char *state, const char *number)
{
    return fnv(fnv(0xcbf29ce484222325ULL, state), number);
}

static uint64_t person_key(const char *nat, fr_date birth, const char *surname)
{
    uint64_t h = fnv(0xcbf29ce484222325ULL, nat) ^ (uint64_t)(uint32_t)birth;
    return fnv(h * 0x100000001b3ULL, surname);
}

static uint64_t port_key(const char *port)
{
    uint64_t k = 0;
    for (size_t j = 0; j < 5 && port[j]; j++)
        k |= (uint64_t)(unsigned char)port[j] << (8 * (4 - j));
    return k;
}

/* The first position in idx (n entries, sorted) whose key is not below (k1, k2). */
static size_t lower_bound(const entry *idx, size_t n, uint64_t k1, int64_t k2)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx[mid].k1 < k1 || (idx[mid].k1 == k1 && idx[mid].k2 < k2))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Among the persons with hash k (from position `at`) that equal key, the
 * one at the event's post whose arrival is nearest to t inside the match
 * window. */
static long nearest(const fr_manifest_expected *x, const entry *idx, size_t n, uint64_t k,
                    const fr_manifest_expected *key, int by, const char *port, int64_t t)
{
    long best = -1;
    int64_t best_d = 0;
    for (size_t j = lower_bound(idx, n, k, INT64_MIN); j < n && idx[j].k1 == k; j++) {
        const fr_manifest_expected *p = &x[idx[j].i];
        if ((by == 0 ? cmp_document(p, key) : cmp_person(p, key)) != 0) continue;
        if (strcmp(p->port, port) != 0 || p->arrival.date == FR_DATE_NONE) continue;
        int64_t d = t - minutes_of(p->arrival.date, p->arrival.minute);
        if (d < -FR_MANIFEST_MATCH_BEFORE_MIN || d > FR_MANIFEST_MATCH_AFTER_MIN) continue;
        if (d < 0) d = -d;
        if (best < 0 || d < best_d) best = (long)idx[j].i, best_d = d;
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
    entry *bydoc = fr_calloc(nx ? nx : 1, sizeof *bydoc),
          *byname = fr_calloc(nx ? nx : 1, sizeof *byname),
          *byflight = fr_calloc(nx ? nx : 1, sizeof *byflight);
    if (!bydoc || !byname || !byflight) {
        fr_free(bydoc);
        fr_free(byname);
        fr_free(byflight);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reconciling manifests");
    }
    size_t ndoc = 0, nname = 0, nflight = 0;
    for (size_t i = 0; i < nx; i++) {
        const fr_manifest_expected *p = &x[i];
        persons[i].event = -1;
        persons[i].same_as = -1;
        persons[i].outcome = p->role == FR_PAXLST_DDU || p->role == FR_PAXLST_DDT
                                 ? FR_RECON_TRANSIT_CONTINUED
                                 : FR_RECON_NOT_PRESENTED;
        /* past the manifest retention: no name or document left to match,
         * the outcome found before they were erased stands */
        if (p->stored == FR_MANIFEST_FOLDED) persons[i].same_as = (long)i;
        if (p->stored > 0) persons[i].outcome = (fr_manifest_outcome)(p->stored - 1);
        if (p->doc_number[0]) bydoc[ndoc++] = (entry){doc_key(p->doc_state, p->doc_number), 0, i};
        if (p->surname[0] && p->birth_date != FR_DATE_NONE)
            byname[nname++] = (entry){person_key(p->nationality, p->birth_date, p->surname), 0, i};
        if (p->arrival.date != FR_DATE_NONE)
            byflight[nflight++] =
                (entry){port_key(p->port), minutes_of(p->arrival.date, p->arrival.minute), i};
    }
    qsort(bydoc, ndoc, sizeof *bydoc, cmp_entry);
    qsort(byname, nname, sizeof *byname, cmp_entry);
    qsort(byflight, nflight, sizeof *byflight, cmp_entry);
    /* persons announced twice for one flight: fold onto the first (the
     * lowest index, which sorts first among equal hashes) */
    for (size_t g = 0; g < ndoc;) {
        size_t end = g;
        while (end < ndoc && bydoc[end].k1 == bydoc[g].k1)
            end++;
        for (size_t b = g + 1; b < end; b++)
            for (size_t a = g; a < b; a++) {
                const fr_manifest_expected *pa = &x[bydoc[a].i], *pb = &x[bydoc[b].i];
                if (persons[bydoc[a].i].same_as >= 0 || cmp_document(pa, pb) != 0 ||
                    !same_flight(pa, pb))
                    continue;
                persons[bydoc[b].i].same_as = (long)bydoc[a].i;
                break;
            }
        g = end;
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
        long who =
            nearest(x, bydoc, ndoc, doc_key(key.doc_state, key.doc_number), &key, 0, ev[e].port, t);
        if (who < 0 && ev[e].doc.nationality[0] && ev[e].doc.birth_date != FR_DATE_NONE) {
            snprintf(key.nationality, sizeof key.nationality, "%s", ev[e].doc.nationality);
            key.birth_date = ev[e].doc.birth_date;
            fr_manifest_name_key(ev[e].doc.surname, key.surname, sizeof key.surname);
            who =
                nearest(x, byname, nname, person_key(key.nationality, key.birth_date, key.surname),
                        &key, 1, ev[e].port, t);
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
        uint64_t pk = port_key(ev[e].port);
        long best = -1;
        int64_t best_d = 0;
        for (size_t j = lower_bound(byflight, nflight, pk, t - FR_MANIFEST_ATTRIBUTE_AFTER_MIN);
             j < nflight && byflight[j].k1 == pk; j++) {
            int64_t d = t - byflight[j].k2;
            if (d < -FR_MANIFEST_ATTRIBUTE_BEFORE_MIN) break;
            if (strcmp(x[byflight[j].i].port, ev[e].port) != 0) continue;
            /* a flight past the retention has no names to match: its entries
             * would all look unannounced */
            if (x[byflight[j].i].stored != FR_MANIFEST_LIVE) continue;
            if (d < 0) d = -d;
            if (best < 0 || d < best_d) best = (long)byflight[j].i, best_d = d;
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
