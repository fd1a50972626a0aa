/* SPDX-License-Identifier: MIT */
/* alloc.h: the one allocation hook of the library.
 *
 * All library allocations go through fr_malloc/fr_realloc/fr_free so a
 * program can install its own allocator (statistics, OOM-injection tests) as
 * SQLite's SQLITE_CONFIG_MALLOC allows. Install it once at start-up, before
 * any other frontera call and before threads start; it is process-wide
 * configuration, not state that changes while the library runs. */
#ifndef FRONTERA_ALLOC_H
#define FRONTERA_ALLOC_H

#include "frontera/api.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_allocator {
    void *(*malloc_fn)(size_t size, void *ud);
    void *(*realloc_fn)(void *ptr, size_t size, void *ud);
    void (*free_fn)(void *ptr, void *ud);
    void *ud;
} fr_allocator;

/* Install a (NULL restores the C library's). */
FR_API void fr_set_allocator(const fr_allocator *a);

FR_API void *fr_malloc(size_t size);
FR_API void *fr_calloc(size_t n, size_t size);
FR_API void *fr_realloc(void *ptr, size_t size);
FR_API void fr_free(void *ptr);
/* Copy of the first n bytes of s, NUL-terminated; NULL when out of memory. */
FR_API char *fr_strndup(const char *s, size_t n);
FR_API char *fr_strdup(const char *s);

#ifdef __cplusplus
}
#endif
#endif
