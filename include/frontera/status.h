/* SPDX-License-Identifier: MIT */
/* status.h: status codes and the error record every fallible call fills.
 *
 * Every fallible frontera function returns an fr_status: 0 (FR_OK) on
 * success, a negative code otherwise. Where the caller needs to know *where*
 * something went wrong (a parser, a loader), the function also takes an
 * fr_error out-parameter that carries the code, the line, column and field,
 * and a sentence a person can act on. The list of codes is one X-macro so
 * names, numbers and messages never drift apart. Thread-safe: no state. */
#ifndef FRONTERA_STATUS_H
#define FRONTERA_STATUS_H

#include "frontera/api.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, number, message) */
#define FR_STATUS_MAP(X)                                                                           \
    X(FR_OK, 0, "success")                                                                         \
    X(FR_EINVAL, -1, "invalid argument")                                                           \
    X(FR_ENOMEM, -2, "out of memory")                                                              \
    X(FR_EPARSE, -3, "malformed input")                                                            \
    X(FR_ENOTFOUND, -4, "not found")                                                               \
    X(FR_EIO, -5, "input/output error")                                                            \
    X(FR_ERANGE, -6, "value out of range")                                                         \
    X(FR_ECONFLICT, -7, "conflicting data")                                                        \
    X(FR_ELIMIT, -8, "size limit exceeded")                                                        \
    X(FR_ESTORE, -9, "storage error")                                                              \
    X(FR_EVERSION, -10, "unsupported version")                                                     \
    X(FR_EEXIST, -11, "already exists")                                                            \
    X(FR_EPERM, -12, "permission denied")                                                          \
    X(FR_EAUTH, -13, "authentication required")                                                    \
    X(FR_EBUSY, -14, "resource busy")

typedef enum fr_status {
#define FR_X_ENUM(name, num, msg) name = num,
    FR_STATUS_MAP(FR_X_ENUM)
#undef FR_X_ENUM
} fr_status;

/* Message for a status code ("malformed input"); never NULL. */
FR_API const char *fr_strerror(int code);
/* Symbolic name of a status code ("FR_EPARSE"); never NULL. */
FR_API const char *fr_status_name(int code);

/* Where and why an operation failed. line and column are 1-based, 0 when not
 * applicable; field names the field or key at fault ("" when none). */
typedef struct fr_error {
    int code;
    int line;
    int column;
    char field[48];
    char message[256];
} fr_error;

/* Clear an error record (code FR_OK, empty strings). err may be NULL. */
FR_API void fr_error_clear(fr_error *err);

/* Fill err (which may be NULL) and return code, so callers can write
 * `return fr_error_set(err, FR_EPARSE, line, col, "field", "fmt", ...)`. */
FR_API int fr_error_set(fr_error *err, int code, int line, int column, const char *field,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
