/* SPDX-License-Identifier: MIT */
/* store_sqlite_cache.c: two in-memory maps that spare the SQLite backend a
 * query per event: document "STATE:NUMBER" -> (document id, traveller id,
 * person digest), and traveller -> its last entry/exit by event time.
 *
 * Open addressing with linear probing, power-of-two capacity, growing at
 * 70% load up to SQ_CACHE_MAX slots; a full map is simply cleared (it is a
 * cache: a miss costs one indexed query). The maps are valid only while no
 * other connection has written: fr__sq_tx_begin clears them when PRAGMA
 * data_version moves, and a rollback clears them too. */
#include <string.h>

#include "frontera/alloc.h"
#include "store_sqlite.h"

#define SQ_CACHE_MIN 1024
#define SQ_CACHE_MAX (1u << 20)
/* An initial load (store_sqlite_load.c) keeps every traveller's last
 * crossing: 32 bytes a slot, 2 GiB at most (about 47 M travellers) */
#define SQ_LOAD_MAX (1u << 26)

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_i64(int64_t v)
{
    uint64_t x = (uint64_t)v;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static int make_key(char key[28], const char *state, const char *number)
{
    size_t ls = strlen(state), ln = strlen(number);
    if (ls + 1 + ln >= 28) return 0;
    memcpy(key, state, ls);
    key[ls] = ':';
    memcpy(key + ls + 1, number, ln + 1);
    return 1;
}

/* Make room for one more entry: allocate, grow (rehash) or clear. */
static int map_reserve(sq_map *m, size_t slot_size, int is_doc, size_t max)
{
    if (m->cap && (m->used + 1) * 10 < m->cap * 7) return FR_OK;
    if (m->cap >= max) {
        memset(m->slots, 0, m->cap * slot_size);
        m->used = 0;
        return FR_OK;
    }
    size_t ncap = m->cap ? m->cap * 2 : SQ_CACHE_MIN;
    void *ns = fr_calloc(ncap, slot_size);
    if (!ns) return FR_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (is_doc) {
            const sq_doc_slot *o = (const sq_doc_slot *)m->slots + i;
            if (!o->key[0]) continue;
            size_t j = hash_str(o->key) & (ncap - 1);
            while (((sq_doc_slot *)ns)[j].key[0])
                j = (j + 1) & (ncap - 1);
            ((sq_doc_slot *)ns)[j] = *o;
        } else {
            const sq_trav_slot *o = (const sq_trav_slot *)m->slots + i;
            if (!o->traveller_id) continue;
            size_t j = hash_i64(o->traveller_id) & (ncap - 1);
            while (((sq_trav_slot *)ns)[j].traveller_id)
                j = (j + 1) & (ncap - 1);
            ((sq_trav_slot *)ns)[j] = *o;
        }
    }
    fr_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return FR_OK;
}

sq_doc_slot *fr__sq_doc_get(sq_store *s, const char *state, const char *number)
{
    char key[28];
    if (!s->docs.cap || !make_key(key, state, number)) return NULL;
    sq_doc_slot *t = s->docs.slots;
    for (size_t j = hash_str(key) & (s->docs.cap - 1);; j = (j + 1) & (s->docs.cap - 1)) {
        if (!t[j].key[0]) return NULL;
        if (strcmp(t[j].key, key) == 0) return &t[j];
    }
}

int fr__sq_doc_put(sq_store *s, const char *state, const char *number, int64_t doc_id,
                   int64_t traveller_id, int64_t person_digest)
{
    char key[28];
    if (!make_key(key, state, number)) return FR_OK; /* too long to cache: always ask */
    size_t max = s->docs_max ? s->docs_max : SQ_CACHE_MAX;
    if (map_reserve(&s->docs, sizeof(sq_doc_slot), 1, max) != FR_OK) return FR_ENOMEM;
    sq_doc_slot *t = s->docs.slots;
    size_t j = hash_str(key) & (s->docs.cap - 1);
    while (t[j].key[0] && strcmp(t[j].key, key) != 0)
        j = (j + 1) & (s->docs.cap - 1);
    if (!t[j].key[0]) s->docs.used++;
    memcpy(t[j].key, key, sizeof key);
    t[j].doc_id = doc_id;
    t[j].traveller_id = traveller_id;
    t[j].person_digest = person_digest;
    return FR_OK;
}

sq_trav_slot *fr__sq_trav_get(sq_store *s, int64_t tid)
{
    if (!s->travs.cap) return NULL;
    sq_trav_slot *t = s->travs.slots;
    for (size_t j = hash_i64(tid) & (s->travs.cap - 1);; j = (j + 1) & (s->travs.cap - 1)) {
        if (!t[j].traveller_id) return NULL;
        if (t[j].traveller_id == tid) return &t[j];
    }
}

int fr__sq_trav_put(sq_store *s, const sq_trav_slot *v)
{
    sq_trav_slot *hit = fr__sq_trav_get(s, v->traveller_id);
    if (hit) {
        *hit = *v;
        return FR_OK;
    }
    size_t used = s->travs.used;
    if (map_reserve(&s->travs, sizeof(sq_trav_slot), 0, s->load ? SQ_LOAD_MAX : SQ_CACHE_MAX) !=
        FR_OK) {
        s->load = 0; /* it no longer holds all: the index answers */
        return FR_ENOMEM;
    }
    if (s->travs.used < used) s->load = 0; /* cleared: likewise */
    sq_trav_slot *t = s->travs.slots;
    size_t j = hash_i64(v->traveller_id) & (s->travs.cap - 1);
    while (t[j].traveller_id)
        j = (j + 1) & (s->travs.cap - 1);
    t[j] = *v;
    s->travs.used++;
    return FR_OK;
}

/* Deleting from a linear-probing table would break probe chains; mark the
 * entry as "unknown" instead (last_row -1 means: ask the database). */
void fr__sq_trav_forget(sq_store *s, int64_t tid)
{
    sq_trav_slot *hit = fr__sq_trav_get(s, tid);
    if (hit) hit->last_row = -1;
}

/* A document key's hash: never 0 (the empty slot). */
static uint64_t doc_hash(const char *state, const char *number)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = state; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ ':') * 1099511628211ULL;
    for (const char *p = number; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return hash_i64((int64_t)h) | 1;
}

void fr__sq_docset_stop(sq_store *s)
{
    fr_free(s->docset);
    s->docset = NULL;
    s->docset_cap = s->docset_used = 0;
    s->docset_on = 0;
}

void fr__sq_docset_start(sq_store *s)
{
    fr__sq_docset_stop(s);
    s->docset_on = 1;
}

/* Half full at most: a miss (a new document, the common case) ends at an
 * empty slot soon. */
static int docset_grow(sq_store *s)
{
    size_t ncap = s->docset_cap ? s->docset_cap * 2 : (size_t)1 << 16;
    if (ncap > SQ_LOAD_MAX) return FR_ENOMEM;
    uint64_t *ns = fr_calloc(ncap, sizeof *ns);
    if (!ns) return FR_ENOMEM;
    for (size_t i = 0; i < s->docset_cap; i++) {
        uint64_t h = s->docset[i];
        if (!h) continue;
        size_t j = h & (ncap - 1);
        while (ns[j])
            j = (j + 1) & (ncap - 1);
        ns[j] = h;
    }
    fr_free(s->docset);
    s->docset = ns;
    s->docset_cap = ncap;
    return FR_OK;
}

void fr__sq_docset_add(sq_store *s, const char *state, const char *number)
{
    if (!s->docset_on) return;
    if ((s->docset_used + 1) * 2 > s->docset_cap && docset_grow(s) != FR_OK) {
        fr__sq_docset_stop(s); /* no longer all of them: the index answers */
        return;
    }
    uint64_t h = doc_hash(state, number);
    size_t j = h & (s->docset_cap - 1);
    while (s->docset[j]) {
        if (s->docset[j] == h) return; /* a namesake hash: absent stays 0 for both */
        j = (j + 1) & (s->docset_cap - 1);
    }
    s->docset[j] = h;
    s->docset_used++;
}

int fr__sq_docset_absent(const sq_store *s, const char *state, const char *number)
{
    if (!s->docset_on) return 0;
    if (!s->docset_cap) return 1; /* none yet */
    uint64_t h = doc_hash(state, number);
    for (size_t j = h & (s->docset_cap - 1); s->docset[j]; j = (j + 1) & (s->docset_cap - 1))
        if (s->docset[j] == h) return 0;
    return 1;
}

void fr__sq_cache_clear(sq_store *s)
{
    s->load = 0; /* the maps no longer hold all there is */
    fr__sq_docset_stop(s);
    s->link_total = -1;
    s->next_tid = 0;
    if (s->docs.cap) memset(s->docs.slots, 0, s->docs.cap * sizeof(sq_doc_slot));
    if (s->travs.cap) memset(s->travs.slots, 0, s->travs.cap * sizeof(sq_trav_slot));
    s->docs.used = s->travs.used = 0;
    s->memo.valid = 0;
    fr__sq_block_clear(s);
}

void fr__sq_cache_free(sq_store *s)
{
    fr_free(s->docs.slots);
    fr_free(s->travs.slots);
    s->docs = s->travs = (sq_map){0};
    fr__sq_block_free(s);
    fr__sq_docset_stop(s);
}
