/* SPDX-License-Identifier: MIT */
/* linkeval.c: pairwise precision and recall of the ledger's document links
 * against a ground truth (linkeval.h).
 *
 * How it works: the export walk (arrival order) and the truth CSV advance
 * in lockstep; the first event of each document records its true person,
 * nationality and the traveller the ledger gave it (a hash map on
 * STATE:NUMBER finds documents already seen). Then the documents are sorted
 * by (traveller, person) to count predicted and correct pairs, and by person
 * to count true pairs - n documents in a group make n(n-1)/2 pairs. A
 * document is "exposed" when its traveller holds an earlier document of
 * another person. Reviews are read last: a reviewed document whose every
 * candidate traveller lacks its person is an innocent referral. With a
 * policy, the travellers holding more than one person are replayed at the
 * booth (linkeval_harm.c). Memory: about 40 bytes a document. */
#include "frontera/linkeval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "linkeval_internal.h"

typedef struct {
    int64_t traveller;
    uint32_t person;
    uint32_t order; /* first appearance */
    int16_t nat;    /* index in the nationality table */
    uint8_t reviewed, innocent;
} doc;

typedef struct {
    char key[28];
    uint32_t idx;
} slot;

typedef struct {
    fr_store *s;
    fr_csv *truth;
    fr_error *err;
    long line;
    doc *docs;
    size_t ndocs, cap;
    slot *map;
    size_t mapcap; /* power of two */
    fr_linkeval *out;
} ctx;

static uint64_t hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h ^ (h >> 31);
}

static slot *find(ctx *c, const char *key)
{
    size_t m = c->mapcap - 1;
    for (size_t i = hash(key) & m;; i = (i + 1) & m)
        if (!c->map[i].key[0] || !strcmp(c->map[i].key, key)) return &c->map[i];
}

static int grow_map(ctx *c)
{
    size_t nc = c->mapcap ? c->mapcap * 2 : 1 << 16;
    slot *old = c->map;
    size_t oc = c->mapcap;
    c->map = fr_calloc(nc, sizeof *c->map);
    if (!c->map) {
        c->map = old;
        return FR_ENOMEM;
    }
    c->mapcap = nc;
    for (size_t i = 0; i < oc; i++)
        if (old[i].key[0]) *find(c, old[i].key) = old[i];
    fr_free(old);
    return FR_OK;
}

static int nat_index(fr_linkeval *e, const char *nat)
{
    for (size_t i = 0; i < e->nnat; i++)
        if (!strcmp(e->nat[i].nationality, nat)) return (int)i;
    if (e->nnat == FR_LINKEVAL_MAX_NAT) return -1;
    memset(&e->nat[e->nnat], 0, sizeof e->nat[0]);
    memcpy(e->nat[e->nnat].nationality, nat, strlen(nat) < 4 ? strlen(nat) + 1 : 4);
    e->nat[e->nnat].nationality[3] = '\0';
    return (int)e->nnat++;
}

static int on_event(void *ud, const fr_event *ev)
{
    ctx *c = ud;
    fr_csv_row row;
    int rc = fr_csv_next(c->truth, &row, c->err);
    if (rc < 0) return rc;
    c->line = rc ? row.line : c->line + 1;
    if (rc == 0 || row.count < 2 || strcmp(row.fields[0].ptr, ev->event_id) != 0)
        return fr_error_set(c->err, FR_EINVAL, c->line, 1, "event_id",
                            "the truth does not follow the ledger: line %ld should be event %s "
                            "(import the synthetic file into an empty ledger, then evaluate)",
                            c->line, ev->event_id);
    char *end;
    unsigned long person = strtoul(row.fields[1].ptr, &end, 10);
    if (*end || !row.fields[1].len || person > UINT32_MAX)
        return fr_error_set(c->err, FR_EINVAL, c->line, 2, "person",
                            "the person must be a whole number, not '%s'", row.fields[1].ptr);
    c->out->events++;
    if ((c->ndocs + 1) * 2 > c->mapcap && grow_map(c) != FR_OK)
        return fr_error_set(c->err, FR_ENOMEM, 0, 0, "", "out of memory reading the ledger");
    char key[28];
    snprintf(key, sizeof key, "%s:%s", ev->doc.state, ev->doc.number);
    slot *sl = find(c, key);
    if (sl->key[0]) return FR_OK; /* a document seen before */
    if (c->ndocs == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 4096;
        doc *nd = fr_realloc(c->docs, nc * sizeof *nd);
        if (!nd) return fr_error_set(c->err, FR_ENOMEM, 0, 0, "", "out of memory");
        c->docs = nd;
        c->cap = nc;
    }
    doc *d = &c->docs[c->ndocs];
    memset(d, 0, sizeof *d);
    d->person = (uint32_t)person;
    d->order = (uint32_t)c->ndocs;
    int ni = nat_index(c->out, ev->doc.nationality[0] ? ev->doc.nationality : ev->doc.state);
    d->nat = (int16_t)ni;
    if ((rc = fr_store_find_document(c->s, ev->doc.state, ev->doc.number, &d->traveller, c->err)) !=
        FR_OK)
        return rc;
    memcpy(sl->key, key, sizeof key);
    sl->idx = (uint32_t)c->ndocs++;
    return FR_OK;
}

static int by_traveller(const void *a, const void *b)
{
    const doc *x = a, *y = b;
    if (x->traveller != y->traveller) return x->traveller < y->traveller ? -1 : 1;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int by_person(const void *a, const void *b)
{
    const doc *x = a, *y = b;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static fr_linkeval_counts *nat_of(fr_linkeval *e, const doc *d)
{
    return d->nat >= 0 ? &e->nat[d->nat] : NULL;
}

static void add_pairs(fr_linkeval *e, const doc *d, uint64_t n, int which)
{
    uint64_t pairs = n * (n - 1) / 2;
    fr_linkeval_counts *k[2] = {&e->total, nat_of(e, d)};
    for (int i = 0; i < 2; i++) {
        if (!k[i]) continue;
        if (which == 0) k[i]->predicted_pairs += pairs;
        if (which == 1) k[i]->correct_pairs += pairs;
        if (which == 2) k[i]->true_pairs += pairs, k[i]->persons++;
    }
}

/* Is person p among the documents of traveller t? (docs sorted by traveller) */
static int holds(const doc *docs, size_t n, int64_t t, uint32_t p)
{
    doc key = {t, p, 0, 0, 0, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (by_traveller(&docs[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && docs[lo].traveller == t && docs[lo].person == p;
}

static int count_reviews(ctx *c)
{
    fr_link_review *r = NULL;
    size_t n = 0;
    int rc = fr_store_reviews(c->s, 0, &r, &n, c->err);
    if (rc != FR_OK) return rc;
    /* first appearance -> its slot in the array sorted by traveller */
    uint32_t *pos = fr_malloc((c->ndocs ? c->ndocs : 1) * sizeof *pos);
    if (!pos) {
        fr_free(r);
        return fr_error_set(c->err, FR_ENOMEM, 0, 0, "", "out of memory");
    }
    for (size_t i = 0; i < c->ndocs; i++)
        pos[c->docs[i].order] = (uint32_t)i;
    for (size_t i = 0; i < n; i++) {
        char key[28];
        snprintf(key, sizeof key, "%s:%s", r[i].doc_state, r[i].doc_number);
        slot *sl = find(c, key);
        if (!sl->key[0]) continue; /* a document outside the evaluated events */
        doc *d = &c->docs[pos[sl->idx]];
        if (!d->reviewed) d->reviewed = 1, d->innocent = 1;
        if (holds(c->docs, c->ndocs, r[i].candidate_id, d->person)) d->innocent = 0;
    }
    for (size_t i = 0; i < c->ndocs; i++) {
        const doc *d = &c->docs[i];
        fr_linkeval_counts *k = nat_of(c->out, d);
        c->out->total.reviewed += d->reviewed;
        c->out->total.innocent_referred += d->innocent;
        if (k) k->reviewed += d->reviewed, k->innocent_referred += d->innocent;
    }
    fr_free(pos);
    fr_free(r);
    return FR_OK;
}

/* The person of document STATE:NUMBER; docs sorted by traveller, pos maps
 * first appearance to the sorted slot. */
typedef struct {
    ctx *c;
    const uint32_t *pos;
} person_ctx;

static uint32_t person_of(void *ud, const char *state, const char *number)
{
    person_ctx *p = ud;
    char key[28];
    snprintf(key, sizeof key, "%s:%s", state, number);
    slot *sl = find(p->c, key);
    return sl->key[0] ? p->c->docs[p->pos[sl->idx]].person : UINT32_MAX;
}

static int measure_harm(ctx *c, const struct fr_policy *policy)
{
    uint32_t *pos = fr_malloc((c->ndocs ? c->ndocs : 1) * sizeof *pos);
    if (!pos) return fr_error_set(c->err, FR_ENOMEM, 0, 0, "", "out of memory");
    for (size_t i = 0; i < c->ndocs; i++)
        pos[c->docs[i].order] = (uint32_t)i;
    person_ctx pc = {c, pos};
    int rc = FR_OK;
    c->out->harm_measured = 1;
    for (size_t i = 0; i < c->ndocs && rc == FR_OK;) {
        size_t j = i;
        int mixed = 0;
        while (j < c->ndocs && c->docs[j].traveller == c->docs[i].traveller)
            mixed |= c->docs[j++].person != c->docs[i].person;
        if (mixed) {
            c->out->harm.travellers++;
            rc = fr__lk_harm_traveller(c->s, policy, c->docs[i].traveller, person_of, &pc,
                                       &c->out->harm, c->err);
        } else if (j - i > 1) { /* one person, several documents: what verifying costs */
            rc =
                fr__lk_renewal_traveller(c->s, policy, c->docs[i].traveller, &c->out->harm, c->err);
        }
        i = j;
    }
    fr_free(pos);
    return rc;
}

static int cmp_nat(const void *a, const void *b)
{
    const fr_linkeval_counts *x = a, *y = b;
    return x->documents < y->documents ? 1 : x->documents > y->documents ? -1 : 0;
}

int fr_linkeval_run(fr_store *s, fr_csv *truth, const struct fr_policy *policy, fr_linkeval *out,
                    fr_error *err)
{
    memset(out, 0, sizeof *out);
    ctx c = {s, truth, err, 1, NULL, 0, 0, NULL, 0, out};
    fr_csv_row row;
    int rc = fr_csv_next(truth, &row, err);
    if (rc < 0) return rc;
    if (rc == 0 || row.count < 2 || strcmp(row.fields[0].ptr, "event_id") != 0 ||
        strcmp(row.fields[1].ptr, "person") != 0) {
        rc = fr_error_set(err, FR_EINVAL, 1, 1, "header",
                          "the truth must start with the header "
                          "event_id,person");
        goto done;
    }
    if ((rc = grow_map(&c)) != FR_OK) goto done;
    if ((rc = fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, on_event, &c, err)) != FR_OK)
        goto done;
    qsort(c.docs, c.ndocs, sizeof *c.docs, by_traveller);
    for (size_t i = 0; i < c.ndocs;) {
        size_t j = i;
        uint32_t first_order = c.docs[i].order;
        while (j < c.ndocs && c.docs[j].traveller == c.docs[i].traveller) {
            if (c.docs[j].order < first_order) first_order = c.docs[j].order;
            j++;
        }
        add_pairs(out, &c.docs[i], j - i, 0);
        for (size_t k = i; k < j;) { /* runs of one person */
            size_t m = k;
            while (m < j && c.docs[m].person == c.docs[k].person)
                m++;
            add_pairs(out, &c.docs[k], m - k, 1);
            /* exposed: a document later than the traveller's first one, of
             * a person other than the first one's */
            for (size_t x = k; x < m; x++) {
                int owner = 0;
                for (size_t y = i; y < j; y++)
                    if (c.docs[y].order == first_order)
                        owner = c.docs[y].person == c.docs[x].person;
                if (!owner) {
                    out->total.exposed++;
                    fr_linkeval_counts *kn = nat_of(out, &c.docs[x]);
                    if (kn) kn->exposed++;
                }
            }
            k = m;
        }
        i = j;
    }
    if ((rc = count_reviews(&c)) != FR_OK) goto done;
    if (policy && (rc = measure_harm(&c, policy)) != FR_OK) goto done;
    qsort(c.docs, c.ndocs, sizeof *c.docs, by_person);
    for (size_t i = 0; i < c.ndocs;) {
        size_t j = i;
        while (j < c.ndocs && c.docs[j].person == c.docs[i].person)
            j++;
        add_pairs(out, &c.docs[i], j - i, 2);
        i = j;
    }
    for (size_t i = 0; i < c.ndocs; i++) {
        out->total.documents++;
        fr_linkeval_counts *k = nat_of(out, &c.docs[i]);
        if (k) k->documents++;
    }
    qsort(out->nat, out->nnat, sizeof out->nat[0], cmp_nat);
    rc = FR_OK;
done:
    fr_free(c.docs);
    fr_free(c.map);
    return rc;
}

double fr_linkeval_ratio(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : 1.0;
}
