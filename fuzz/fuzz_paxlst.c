/* SPDX-License-Identifier: MIT */
/* fuzz_paxlst.c: the PAXLST reader.
 *
 * The first byte picks the limits (persons per message, segment length);
 * the rest is the file. Whatever the input: the read succeeds with at least
 * one message; findings fit and carry a code and a sentence; `valid` agrees
 * with the error count; every string is NUL-terminated valid UTF-8 without
 * control characters; strict reading gives the same errors as lenient
 * reading and withholds the persons of invalid messages; the tokeniser
 * counts no more segments than there are bytes. Each person read leniently
 * also becomes an expected arrival (manifest.h) whose names are letters and
 * single spaces and whose document number is letters and digits, and an
 * entry with that document at the scheduled arrival is matched to it by
 * fr_manifest_reconcile. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/manifest.h"
#include "frontera/paxlst.h"

static void utf8(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n == cap) abort();
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (k == 0 || i + k > n) abort();
        if (c < 0x20 || c == 0x7f) abort();
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xc0) != 0x80) abort();
        i += k;
    }
}

static void check(const fr_paxlst *p)
{
    if (p->nmessages < 1) abort();
    for (size_t i = 0; i < p->nmessages; i++) {
        const fr_paxlst_message *m = &p->messages[i];
        if (m->nfindings > FR_PAXLST_MAX_FINDINGS) abort();
        if (m->valid != (m->nerrors == 0)) abort();
        for (size_t f = 0; f < m->nfindings; f++) {
            if (!m->findings[f].code[0] || strlen(m->findings[f].message) < 20) abort();
            utf8(m->findings[f].message, sizeof m->findings[f].message);
        }
        utf8(m->ref, sizeof m->ref);
        utf8(m->sender, sizeof m->sender);
        utf8(m->control_ref, sizeof m->control_ref);
        for (size_t l = 0; l < m->nlegs; l++) {
            utf8(m->legs[l].flight, sizeof m->legs[l].flight);
            utf8(m->legs[l].from, sizeof m->legs[l].from);
        }
        for (size_t k = 0; k < m->npersons; k++) {
            const fr_paxlst_person *q = &m->persons[k];
            utf8(q->surname, sizeof q->surname);
            utf8(q->given_names, sizeof q->given_names);
            utf8(q->nationality, sizeof q->nationality);
            if (q->ndocs < 0 || q->ndocs > FR_PAXLST_MAX_DOCS) abort();
            for (int d = 0; d < q->ndocs; d++)
                utf8(q->docs[d].number, sizeof q->docs[d].number);
        }
    }
}

static void name_key_ok(const char *s)
{
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' && (i == 0 || s[i - 1] == ' ' || !s[i + 1])) abort();
        if (s[i] != ' ' && (s[i] < 'A' || s[i] > 'Z')) abort();
    }
}

/* Expected arrivals from m's persons, and their own entries matched back. */
static void expected(const fr_paxlst_message *m)
{
    size_t n = m->npersons;
    if (!n) return;
    fr_manifest_expected *x = fr_calloc(n, sizeof *x);
    fr_event *ev = fr_calloc(n, sizeof *ev);
    fr_manifest_match *mt = fr_calloc(n, sizeof *mt);
    long *ep = fr_calloc(n, sizeof *ep), *ef = fr_calloc(n, sizeof *ef);
    if (!x || !ev || !mt || !ep || !ef) abort();
    for (size_t i = 0; i < n; i++) {
        fr_manifest_expected_from(m, i, "ECUIO", NULL, &x[i]);
        name_key_ok(x[i].surname);
        name_key_ok(x[i].given_names);
        for (const char *c = x[i].doc_number; *c; c++)
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) abort();
        fr_event_init(&ev[i]);
        ev[i].kind = FR_EVENT_ENTRY;
        ev[i].at.date = x[i].arrival.date;
        ev[i].at.seconds = (x[i].arrival.minute >= 0 ? x[i].arrival.minute : 720) * 60;
        memcpy(ev[i].port, "ECUIO", 6);
        memcpy(ev[i].doc.state, x[i].doc_state, sizeof ev[i].doc.state);
        if (strlen(x[i].doc_number) <= FR_DOCNUM_MAX)
            memcpy(ev[i].doc.number, x[i].doc_number, strlen(x[i].doc_number) + 1);
    }
    if (fr_manifest_reconcile(x, n, ev, n, mt, ep, ef, NULL) != FR_OK) abort();
    for (size_t i = 0; i < n; i++) {
        int findable = x[i].doc_number[0] && strlen(x[i].doc_number) <= FR_DOCNUM_MAX &&
                       x[i].arrival.date != FR_DATE_NONE;
        if (findable && mt[i].outcome != FR_RECON_ENTERED &&
            mt[i].outcome != FR_RECON_TRANSIT_ENTERED)
            abort();
        if (mt[i].same_as >= (long)i) abort();
    }
    fr_free(x);
    fr_free(ev);
    fr_free(mt);
    fr_free(ep);
    fr_free(ef);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    fr_paxlst_options o = {1, 1 + (size_t)(data[0] & 15), data[0] & 16 ? 64 : 0};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    fr_paxlst *lenient = NULL, *strict = NULL;
    if (fr_paxlst_read(text, len, &o, &lenient, NULL) != FR_OK) abort();
    check(lenient);
    for (size_t i = 0; i < lenient->nmessages; i++)
        expected(&lenient->messages[i]);
    o.lenient = 0;
    if (fr_paxlst_read(text, len, &o, &strict, NULL) != FR_OK) abort();
    check(strict);
    if (strict->nmessages != lenient->nmessages) abort();
    for (size_t i = 0; i < strict->nmessages; i++) {
        const fr_paxlst_message *s = &strict->messages[i], *l = &lenient->messages[i];
        if (s->nerrors != l->nerrors) abort();
        if (!s->valid && (s->npersons || s->nlegs)) abort();
        if (s->valid && s->npersons != l->npersons) abort();
    }
    fr_paxlst_free(lenient);
    fr_paxlst_free(strict);
    long n = fr_paxlst_count_segments(text, len);
    if (n < 0 || (size_t)n > len) abort();
    return 0;
}
