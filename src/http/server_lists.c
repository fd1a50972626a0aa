/* SPDX-License-Identifier: MIT */
/* server_lists.c: the screening lists in force, swapped without a restart.
 *
 * As with the policy (server_policy.c), the lists in force are a version
 * with a reference count: a request takes a reference for as long as it
 * screens (fr__srv_lists_acquire: a short lock around the pointer read and the
 * increment) and drops it when done; fr_server_swap_lists replaces the
 * pointer and drops the server's reference to the old version, whose owner
 * is told to free it when the last request lets go. A worker's screening
 * context (ICU transliterator, scratch memory) borrows the index and the
 * document list, so each worker builds a new one when it first meets a
 * newer version: a decision screens against one whole version, never half
 * of an old list and half of a new one. */
#include <string.h>

#include "frontera/alloc.h"
#include "server_internal.h"

int fr__srv_lists_init(fr_server *s, fr_error *err)
{
    srv_lists *l = fr_calloc(1, sizeof *l);
    if (!l) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    l->idx = s->cfg.screen;
    l->docs = s->cfg.lost_docs;
    l->gen = 1;
    atomic_init(&l->refs, 1);
    s->lists = l;
    return FR_OK;
}

void fr__srv_lists_release(srv_lists *l)
{
    if (l && atomic_fetch_sub(&l->refs, 1) == 1) {
        if (l->release) l->release(l->owner);
        fr_free(l);
    }
}

void fr__srv_lists_fini(fr_server *s)
{
    fr__srv_lists_release(s->lists);
    s->lists = NULL;
}

srv_lists *fr__srv_lists_acquire(fr_server *s)
{
    pthread_mutex_lock(&s->lists_mu);
    srv_lists *l = s->lists;
    atomic_fetch_add(&l->refs, 1);
    pthread_mutex_unlock(&s->lists_mu);
    return l;
}

int fr__srv_lists_ctx(srv_ctx *c, const srv_lists *l, fr_error *err)
{
    if (c->screen_gen == l->gen) return FR_OK;
    fr_screen_ctx_free(c->screen);
    c->screen = NULL;
    c->screen_gen = 0;
    if ((l->idx || l->docs) && fr_screen_ctx_new(l->idx, l->docs, &c->screen, err) != FR_OK)
        return err ? err->code : FR_ENOMEM;
    c->screen_gen = l->gen;
    return FR_OK;
}

int fr_server_swap_lists(fr_server *s, const fr_screen_index *idx, const fr_docindex *docs,
                         void (*release)(void *owner), void *owner, fr_error *err)
{
    srv_lists *n = fr_calloc(1, sizeof *n);
    if (!n) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    n->idx = idx;
    n->docs = docs;
    n->release = release;
    n->owner = owner;
    atomic_init(&n->refs, 1);
    pthread_mutex_lock(&s->lists_mu);
    srv_lists *old = s->lists;
    n->gen = old->gen + 1;
    s->lists = n;
    pthread_mutex_unlock(&s->lists_mu);
    fr__srv_lists_release(old); /* the server's: freed when the last request lets go */
    fr__srv_log(s, "screening lists: version %llu in force", (unsigned long long)n->gen);
    return FR_OK;
}
