/* SPDX-License-Identifier: MIT */
/* alloc.c: the allocation hook (see alloc.h). The default forwards to the C
 * library; a program may install another once at start-up. */
#include "frontera/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *std_malloc(size_t n, void *ud)
{
    (void)ud;
    return malloc(n);
}
static void *std_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return realloc(p, n);
}
static void std_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

/* Set once before use (documented in alloc.h); read-only afterwards. */
static fr_allocator g_alloc = {std_malloc, std_realloc, std_free, NULL};

void fr_set_allocator(const fr_allocator *a)
{
    if (a)
        g_alloc = *a;
    else
        g_alloc = (fr_allocator){std_malloc, std_realloc, std_free, NULL};
}

void *fr_malloc(size_t size)
{
    return g_alloc.malloc_fn(size ? size : 1, g_alloc.ud);
}

void *fr_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    void *p = fr_malloc(bytes);
    if (p && bytes > 0) memset(p, 0, bytes);
    return p;
}

void *fr_realloc(void *ptr, size_t size)
{
    return g_alloc.realloc_fn(ptr, size ? size : 1, g_alloc.ud);
}

void fr_free(void *ptr)
{
    if (ptr) g_alloc.free_fn(ptr, g_alloc.ud);
}

char *fr_strndup(const char *s, size_t n)
{
    char *p = fr_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *fr_strdup(const char *s)
{
    return fr_strndup(s, strlen(s));
}
