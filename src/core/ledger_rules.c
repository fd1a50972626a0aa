/* SPDX-License-Identifier: MIT */
/* ledger_rules.c: the rules of the ledger that do not depend on a backend.
 *
 * Linking: a new document joins a known traveller only on certain evidence
 * (same birth date, nationality, surname and given names, after
 * normalisation; sex equal or unknown). Near misses - same names and birth
 * date but another nationality, same nationality and birth date but names a
 * small edit apart, one set of given names a prefix of the other, surname and
 * given names swapped, or a different sex - are "uncertain": the backend then
 * creates a new traveller and records the possible match for review.
 *
 * Pairing: walk entries and exits in time order; an exit closes the open
 * entry, an exit with none is flagged, an entry while one is open is flagged
 * and becomes the open one. Digests are FNV-1a 64 over the fields joined
 * with a unit separator. */
#include "ledger_rules.h"

#include "frontera/alloc.h"

#include <stdio.h>
#include <string.h>

void fr__ledger_name_norm(char *s)
{
    char *w = s;
    int space = 1; /* drop leading spaces */
    for (const char *r = s; *r; r++) {
        char c = *r;
        if (c == '<' || c == ' ' || c == '\t') {
            if (!space) *w++ = ' ';
            space = 1;
            continue;
        }
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        *w++ = c;
        space = 0;
    }
    if (w > s && w[-1] == ' ') w--;
    *w = '\0';
}

int fr__ledger_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 255 || lb > 255 || limit < 0 || limit > 16) return limit + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
    /* Ukkonen's band: only cells with |i - j| <= limit can stay within it */
    int prev[256], cur[256];
    const int out = limit + 1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j <= (size_t)limit ? (int)j : out;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > (size_t)limit ? i - (size_t)limit : 1;
        size_t hi = i + (size_t)limit < lb ? i + (size_t)limit : lb;
        cur[0] = i <= (size_t)limit ? (int)i : out;
        if (lo > 1) cur[lo - 1] = out;
        int best = cur[0];
        for (size_t j = lo; j <= hi; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int v = sub < del ? sub : del;
            v = v < ins ? v : ins;
            cur[j] = v > out ? out : v;
            if (cur[j] < best) best = cur[j];
        }
        if (hi < lb) cur[hi + 1] = out;
        if (best > limit) return out;
        memcpy(prev + (lo - 1), cur + (lo - 1), (hi - lo + 2 + (hi < lb)) * sizeof *prev);
    }
    return prev[lb] > limit ? out : prev[lb];
}

/* Is a a word prefix of b ("JOHN" of "JOHN PAUL")? */
static int word_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n > 0 && strncmp(a, b, n) == 0 && b[n] == ' ';
}

fr_ledger_match fr__ledger_person_match(const fr_document *doc, const fr_ledger_person *p,
                                        const char **why)
{
    const char *dummy;
    if (!why) why = &dummy;
    *why = "";
    if (!doc->surname[0] || !doc->nationality[0] || doc->birth_date == FR_DATE_NONE)
        return FR_MATCH_NONE;
    if (p->birth_date != doc->birth_date) return FR_MATCH_NONE;
    int same_nat = strcmp(p->nationality, doc->nationality) == 0;
    int same_sur = strcmp(p->surname, doc->surname) == 0;
    int same_giv = strcmp(p->given_names, doc->given_names) == 0;
    int sex_ok = !p->sex || !doc->sex || p->sex == doc->sex;
    if (same_sur && same_giv) {
        if (same_nat && sex_ok) return FR_MATCH_SAME;
        *why = same_nat ? "same names, nationality and birth date, but another sex"
                        : "same names and birth date, but another nationality";
        return FR_MATCH_UNCERTAIN;
    }
    if (!same_nat) return FR_MATCH_NONE;
    if (same_sur && (word_prefix(p->given_names, doc->given_names) ||
                     word_prefix(doc->given_names, p->given_names))) {
        *why = "same surname, nationality and birth date; one set of given names extends the other";
        return FR_MATCH_UNCERTAIN;
    }
    if (strcmp(p->surname, doc->given_names) == 0 && strcmp(p->given_names, doc->surname) == 0) {
        *why = "same nationality and birth date; surname and given names swapped";
        return FR_MATCH_UNCERTAIN;
    }
    int d = fr__ledger_distance(p->surname, doc->surname, 2);
    if (d <= 2) d += fr__ledger_distance(p->given_names, doc->given_names, 2);
    if (d <= 2) {
        *why = "same nationality and birth date; names differ by one or two letters";
        return FR_MATCH_UNCERTAIN;
    }
    return FR_MATCH_NONE;
}

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return (h ^ 0x1f) * FNV_PRIME; /* field separator */
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return fnv(h, s, strlen(s));
}

static uint64_t fnv_i64(uint64_t h, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    return fnv(h, b, 8);
}

static uint64_t person(uint64_t h, const fr_document *d)
{
    h = fnv_str(h, d->type);
    h = fnv_i64(h, d->expiry);
    h = fnv_str(h, d->surname);
    h = fnv_str(h, d->given_names);
    h = fnv_str(h, d->nationality);
    h = fnv_i64(h, d->birth_date);
    return fnv_i64(h, d->sex);
}

int64_t fr__ledger_person_digest(const fr_document *doc)
{
    return (int64_t)person(FNV_OFFSET, doc);
}

void fr__ledger_purged_id(int64_t row, char out[FR_EVENT_ID_MAX + 1])
{
    snprintf(out, FR_EVENT_ID_MAX + 1, FR_LEDGER_PURGED_PREFIX "%lld", (long long)row);
}

int64_t fr__ledger_purged_digest(int64_t row, fr_event_kind kind, int64_t at_utc, const char *port,
                                 const char *nationality)
{
    uint64_t h = fnv_str(FNV_OFFSET, "purged");
    h = fnv_i64(h, row);
    h = fnv_i64(h, kind);
    h = fnv_i64(h, at_utc);
    h = fnv_str(h, port ? port : "");
    return (int64_t)fnv_str(h, nationality ? nationality : "");
}

int64_t fr__ledger_event_digest(const fr_event *ev)
{
    uint64_t h = FNV_OFFSET;
    h = fnv_str(h, ev->event_id);
    h = fnv_i64(h, ev->kind);
    h = fnv_i64(h, ev->at.date);
    h = fnv_i64(h, ev->at.seconds);
    h = fnv_i64(h, ev->at.offset_min);
    h = fnv_str(h, ev->port);
    h = fnv_str(h, ev->doc.state);
    h = fnv_str(h, ev->doc.number);
    h = fnv_str(h, ev->admission_class);
    h = fnv_i64(h, ev->authorised_until);
    h = fnv_str(h, ev->officer);
    h = fnv_str(h, ev->decision);
    h = fnv_str(h, ev->reasons_json ? ev->reasons_json : "");
    return (int64_t)h;
}

void fr__ledger_pair(const fr_event_kind *kinds, size_t n, unsigned *anomalies, ptrdiff_t *paired)
{
    ptrdiff_t open = -1;
    for (size_t i = 0; i < n; i++) {
        anomalies[i] = 0;
        paired[i] = -1;
        if (kinds[i] == FR_EVENT_ENTRY) {
            if (open >= 0) anomalies[i] = FR_ANOMALY_ENTRY_WITHOUT_EXIT;
            open = (ptrdiff_t)i;
        } else if (kinds[i] == FR_EVENT_EXIT) {
            if (open >= 0) {
                paired[i] = open;
                open = -1;
            } else {
                anomalies[i] = FR_ANOMALY_EXIT_WITHOUT_ENTRY;
            }
        }
    }
}

void fr__ledger_history_finish(fr_history *h)
{
    h->in_country = 0;
    h->open_entry = -1;
    h->authorised_until = FR_DATE_NONE;
    h->anomalies = 0;
    for (size_t i = 0; i < h->count; i++) {
        fr_history_item *it = &h->items[i];
        h->anomalies |= it->anomalies;
        if (it->kind == FR_EVENT_EXIT && it->paired >= 0 && (size_t)it->paired < i)
            h->items[it->paired].paired = (ptrdiff_t)i;
        if (it->kind == FR_EVENT_ENTRY) {
            h->in_country = 1;
            h->open_entry = (ptrdiff_t)i;
            h->authorised_until = it->authorised_until;
        } else if (it->kind == FR_EVENT_EXIT) {
            h->in_country = 0;
            h->open_entry = -1;
            h->authorised_until = FR_DATE_NONE;
        } else if (it->kind == FR_EVENT_EXTENSION && h->open_entry >= 0 &&
                   it->authorised_until != FR_DATE_NONE) {
            h->authorised_until = it->authorised_until;
        }
    }
}

const char *fr_link_kind_name(fr_link_kind k)
{
    switch (k) {
    case FR_LINK_NONE:
        return "none";
    case FR_LINK_DOCUMENT:
        return "document";
    case FR_LINK_NEW:
        return "new";
    case FR_LINK_RENEWAL:
        return "renewal";
    case FR_LINK_REVIEW:
        return "review";
    }
    return "";
}

void fr_history_free(fr_history *h)
{
    if (!h) return;
    fr_free(h->items);
    fr_free(h->documents);
    fr_free(h->reviews);
    fr_free(h);
}
