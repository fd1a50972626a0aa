/* SPDX-License-Identifier: MIT */
/* series_match.c: the table of open entries by document key (fr_match in
 * series_internal.h), used to pair exits with entries when series and
 * what-if counts are built from ledger events.
 *
 * Open addressing with linear probing; the table doubles when it is more
 * than half full; deletion shifts the following entries of the probe run
 * back (no tombstones), so the table never degrades however many entries
 * come and go. Key 0 marks an empty slot; callers' keys are made non-zero. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/status.h"
#include "series_internal.h"

void fr__match_init(fr_match *t)
{
    memset(t, 0, sizeof *t);
}

void fr__match_clear(fr_match *t)
{
    fr_free(t->slots);
    memset(t, 0, sizeof *t);
}

static size_t slot_of(uint64_t key, size_t cap)
{
    key ^= key >> 33;
    key *= UINT64_C(0xff51afd7ed558ccd);
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static int grow(fr_match *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    fr_match_entry *s = fr_calloc(cap, sizeof *s);
    if (!s) return FR_ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].key) continue;
        size_t j = slot_of(t->slots[i].key, cap);
        while (s[j].key)
            j = (j + 1) & (cap - 1);
        s[j] = t->slots[i];
    }
    fr_free(t->slots);
    t->slots = s;
    t->cap = cap;
    return FR_OK;
}

int fr__match_open(fr_match *t, const fr_match_entry *e, fr_match_entry *prev)
{
    if ((t->count + 1) * 2 > t->cap && grow(t) != FR_OK) return FR_ENOMEM;
    uint64_t key = e->key ? e->key : 1;
    size_t j = slot_of(key, t->cap);
    while (t->slots[j].key && t->slots[j].key != key)
        j = (j + 1) & (t->cap - 1);
    int had = t->slots[j].key == key;
    if (had)
        *prev = t->slots[j];
    else
        t->count++;
    t->slots[j] = *e;
    t->slots[j].key = key;
    return had;
}

int fr__match_close(fr_match *t, uint64_t key, fr_match_entry *out)
{
    if (!t->cap) return 0;
    if (!key) key = 1;
    size_t mask = t->cap - 1, j = slot_of(key, t->cap);
    while (t->slots[j].key && t->slots[j].key != key)
        j = (j + 1) & mask;
    if (!t->slots[j].key) return 0;
    *out = t->slots[j];
    /* backward-shift deletion */
    size_t hole = j, k = j;
    for (;;) {
        k = (k + 1) & mask;
        if (!t->slots[k].key) break;
        size_t home = slot_of(t->slots[k].key, t->cap);
        /* move k into the hole when its home is not in (hole, k] cyclically */
        int between = hole <= k ? (home > hole && home <= k) : (home > hole || home <= k);
        if (!between) {
            t->slots[hole] = t->slots[k];
            hole = k;
        }
    }
    t->slots[hole].key = 0;
    t->count--;
    return 1;
}
