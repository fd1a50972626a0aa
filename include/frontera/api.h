/* SPDX-License-Identifier: MIT */
/* api.h: FR_API marks the functions of the public C API. The library is
 * compiled with hidden visibility, so only these leave libfrontera.so
 * (scripts/check-api.py checks that every public declaration has it and
 * that the library exports exactly those). */
#ifndef FRONTERA_API_H
#define FRONTERA_API_H

#if defined(__GNUC__) || defined(__clang__)
#define FR_API __attribute__((visibility("default")))
#else
#define FR_API
#endif

#endif
