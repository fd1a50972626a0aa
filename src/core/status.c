/* SPDX-License-Identifier: MIT */
/* status.c: messages and names for fr_status codes, and the fr_error helpers.
 * Generated from the single FR_STATUS_MAP list in status.h. */
#include "frontera/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *fr_strerror(int code)
{
    switch (code) {
#define FR_X_MSG(name, num, msg)                                                                   \
    case num:                                                                                      \
        return msg;
        FR_STATUS_MAP(FR_X_MSG)
#undef FR_X_MSG
    default:
        return "unknown error";
    }
}

const char *fr_status_name(int code)
{
    switch (code) {
#define FR_X_NAME(name, num, msg)                                                                  \
    case num:                                                                                      \
        return #name;
        FR_STATUS_MAP(FR_X_NAME)
#undef FR_X_NAME
    default:
        return "FR_EUNKNOWN";
    }
}

void fr_error_clear(fr_error *err)
{
    if (!err) return;
    memset(err, 0, sizeof *err);
}

int fr_error_set(fr_error *err, int code, int line, int column, const char *field, const char *fmt,
                 ...)
{
    if (!err) return code;
    err->code = code;
    err->line = line;
    err->column = column;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}
