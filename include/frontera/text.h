/* SPDX-License-Identifier: MIT */
/* text.h: is a byte string text that can be stored and shown as it is?
 * Every path that takes text from outside (CSV rows, request bodies, program
 * options) checks it here, so no name is cut at a NUL byte and no answer
 * loses a field that JSON cannot encode. Pure, thread-safe, no allocation. */
#ifndef FRONTERA_TEXT_H
#define FRONTERA_TEXT_H

#include "frontera/api.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Is s[0..len) well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF)? NUL and other control characters are
 * allowed here. Returns 1, or 0 with *bad_at (may be NULL) the offset of the
 * first byte at fault. */
FR_API int fr_text_utf8_valid(const char *s, size_t len, size_t *bad_at);

/* The same, and without NUL or other C0 control bytes (tab excepted): a
 * field of a record (a name, an officer, a class). */
FR_API int fr_text_ok(const char *s, size_t len, size_t *bad_at);

/* The length (1 to 4) of the well-formed UTF-8 sequence at s, of which
 * left bytes may be read, or 0 when none starts there (a writer of JSON
 * replaces that byte). */
FR_API size_t fr_text_utf8_seq(const char *s, size_t left);

/* Cut s (NUL-terminated) in place so that it is well-formed UTF-8: a byte
 * that starts no valid sequence becomes '?' (a character cut by a length
 * limit, a foreign byte), so the text can always go into JSON. */
FR_API void fr_text_utf8_repair(char *s);

#ifdef __cplusplus
}
#endif
#endif
