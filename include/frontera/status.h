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

#include <stdarg.h>

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
/* The most values an fr_error keeps for fr_error_format. */
#define FR_ERROR_MAX_ARGS 32

typedef struct fr_error {
    int code;
    int line;
    int column;
    char field[48];
    char message[256];
    /* What message was made of, so that a program can say it again in its
     * user's language (fr_error_format) without parsing the sentence: fmt,
     * the English format given to fr_error_set (a string literal; NULL when
     * the message was not made that way, or its values did not fit), and
     * prefix_fmt, the one given to fr_error_prefix (NULL: none). args holds
     * the values as printed in message, each ended by a NUL: first the
     * prefix's nprefix values, then fmt's nargs. */
    const char *fmt;
    const char *prefix_fmt;
    unsigned nargs, nprefix;
    char args[256];
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

/* fr_error_set with the values in a va_list, for a function that takes a
 * format of its own and passes it on (the server's problem documents). */
FR_API int fr_error_setv(fr_error *err, int code, int line, int column, const char *field,
                         const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 0)))
#endif
    ;

/* Put a prefix, made from fmt, before err's message (the value at fault
 * before the reason the parser gave: "'2024-13-01' is not a date: " before
 * "month 13 does not exist"), keeping what both parts are made of. The
 * message is cut to its size. A no-op when err is NULL. */
FR_API void fr_error_prefix(fr_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* err's message made again from other formats (translations of
 * err->prefix_fmt and err->fmt, as a message catalogue gives them), each
 * conversion of a format replaced by the value err's message shows for it,
 * in order, or by number ("%2$s"); the conversions' own flags and widths are
 * not applied again. prefix_fmt is used only when err has a prefix (NULL
 * there: err->prefix_fmt). FR_OK and out filled (cut to cap, always ended
 * by a NUL when cap > 0); FR_EINVAL when err keeps no format, or a format
 * names a value err does not hold or leaves one out. So that a program
 * never shows a sentence that says something else, it should check first
 * that err's own formats give err->message back (a message changed after
 * fr_error_set would not). */
FR_API int fr_error_format(const fr_error *err, const char *prefix_fmt, const char *fmt, char *out,
                           size_t cap);

#ifdef __cplusplus
}
#endif
#endif
