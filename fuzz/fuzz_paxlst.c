/* SPDX-License-Identifier: MIT */
/* fuzz_paxlst.c: the PAXLST reader.
 *
 * The first byte picks the limits (persons per message, segment length);
 * the rest is the file. Whatever the input: the read succeeds with at least
 * one message; findings fit and carry a code and a sentence; `valid` agrees
 * with the error count; every string is NUL-terminated valid UTF-8 without
 * control characters; strict reading gives the same errors as lenient
 * reading and withholds the persons of invalid messages; the tokeniser
 * counts no more segments than there are bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    fr_paxlst_options o = {1, 1 + (size_t)(data[0] & 15), data[0] & 16 ? 64 : 0};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    fr_paxlst *lenient = NULL, *strict = NULL;
    if (fr_paxlst_read(text, len, &o, &lenient, NULL) != FR_OK) abort();
    check(lenient);
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
