/* SPDX-License-Identifier: MIT */
/* status.c: messages and names for fr_status codes, and the fr_error helpers.
 * Generated from the single FR_STATUS_MAP list in status.h. */
#include "frontera/status.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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

/* One conversion of a printf format, read from just after its '%'. */
typedef struct conv {
    size_t used;     /* characters read after the '%' */
    int pos;         /* %N$: N; 0 without */
    char flags[8];   /* "-+ #0'" as written */
    int width, prec; /* -1 none, -2 '*' */
    char len[3];     /* "", "hh", "h", "l", "ll", "j", "z", "t", "L" */
    char type;       /* the conversion letter; '%' for %% */
} conv;

/* 0, or -1 for what fr_error does not keep: %n, wide strings, '*N$'. */
static int conv_read(const char *f, conv *c)
{
    memset(c, 0, sizeof *c);
    const char *s = f;
    c->width = c->prec = -1;
    if (*s == '%') {
        c->type = '%';
        c->used = 1;
        return 0;
    }
    const char *d = s;
    while (*d >= '0' && *d <= '9' && d - s < 3)
        d++;
    if (d > s && *d == '$') { /* %N$: 1..FR_ERROR_MAX_ARGS */
        c->pos = atoi(s);
        if (c->pos < 1 || c->pos > FR_ERROR_MAX_ARGS) return -1;
        s = d + 1;
    }
    size_t nf = 0;
    while (*s && strchr("-+ #0'", *s)) {
        if (nf + 1 >= sizeof c->flags) return -1;
        c->flags[nf++] = *s++;
    }
    if (*s == '*') {
        c->width = -2;
        s++;
    } else if (*s >= '0' && *s <= '9') {
        c->width = 0;
        while (*s >= '0' && *s <= '9') {
            if (c->width > 9999) return -1; /* no message is that wide */
            c->width = c->width * 10 + (*s++ - '0');
        }
    }
    if (*s == '.') {
        s++;
        if (*s == '*') {
            c->prec = -2;
            s++;
        } else {
            c->prec = 0;
            while (*s >= '0' && *s <= '9') {
                if (c->prec > 9999) return -1;
                c->prec = c->prec * 10 + (*s++ - '0');
            }
        }
    }
    if (*s == '$') return -1;
    /* the length modifiers C has: hh h l ll j z t L */
    static const char *const LENS[] = {"hh", "ll", "h", "l", "j", "z", "t", "L"};
    for (size_t i = 0; i < sizeof LENS / sizeof *LENS; i++) {
        size_t n = strlen(LENS[i]);
        if (strncmp(s, LENS[i], n) == 0) {
            memcpy(c->len, LENS[i], n);
            s += n;
            break;
        }
    }
    if (!*s || !strchr("diouxXcsfFeEgGaAp", *s)) return -1;
    if ((*s == 's' || *s == 'c' || *s == 'p') && c->len[0]) return -1; /* wide characters */
    int floating = strchr("fFeEgGaA", *s) != NULL;
    if (floating ? c->len[0] && c->len[0] != 'L' && c->len[0] != 'l' : c->len[0] == 'L')
        return -1; /* %Ld, %hf: not what this reads */
    c->type = *s++;
    c->used = (size_t)(s - f);
    return 0;
}

/* The spec printed with is not a literal, but it is one conversion of the
 * format fr_error_set was called with (which the compiler checked against
 * its arguments), with the same letter and length, and each value is read
 * with the type that conversion takes. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Print the values of fmt's conversions, one at a time, into args after
 * *used (each ended by a NUL), counting them in *n. 0, or -1 when they do not
 * fit or fmt holds what is not kept. */
static int capture(char *args, size_t cap, size_t *used, unsigned *n, const char *fmt, va_list ap)
{
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') continue;
        conv c;
        if (conv_read(f + 1, &c) != 0 || c.pos) return -1;
        f += c.used;
        if (c.type == '%') continue;
        char spec[48];
        size_t k = 0;
        spec[k++] = '%';
        for (const char *g = c.flags; *g; g++)
            spec[k++] = *g;
        int w = c.width, p = c.prec;
        if (w == -2) {
            w = va_arg(ap, int);
            if (w < 0) {
                spec[k++] = '-';
                w = w == INT_MIN ? INT_MAX : -w;
            }
        }
        if (p == -2) {
            p = va_arg(ap, int);
            if (p < 0) p = -1;
        }
        if (w >= 0) k += (size_t)snprintf(spec + k, sizeof spec - k, "%d", w);
        if (p >= 0) k += (size_t)snprintf(spec + k, sizeof spec - k, ".%d", p);
        for (const char *g = c.len; *g; g++)
            spec[k++] = *g;
        spec[k++] = c.type;
        spec[k] = '\0';
        char *out = args + *used;
        size_t room = cap - *used;
        int got;
        const char *L = c.len;
        switch (c.type) {
        case 'd':
        case 'i':
            if (!strcmp(L, "l"))
                got = snprintf(out, room, spec, va_arg(ap, long));
            else if (!strcmp(L, "ll"))
                got = snprintf(out, room, spec, va_arg(ap, long long));
            else if (!strcmp(L, "j"))
                got = snprintf(out, room, spec, va_arg(ap, intmax_t));
            else if (!strcmp(L, "z")) /* the signed type of size_t's width */
                got = snprintf(out, room, spec, va_arg(ap, ssize_t));
            else if (!strcmp(L, "t"))
                got = snprintf(out, room, spec, va_arg(ap, ptrdiff_t));
            else
                got = snprintf(out, room, spec, va_arg(ap, int));
            break;
        case 'o':
        case 'u':
        case 'x':
        case 'X':
            if (!strcmp(L, "l"))
                got = snprintf(out, room, spec, va_arg(ap, unsigned long));
            else if (!strcmp(L, "ll"))
                got = snprintf(out, room, spec, va_arg(ap, unsigned long long));
            else if (!strcmp(L, "j"))
                got = snprintf(out, room, spec, va_arg(ap, uintmax_t));
            else if (!strcmp(L, "z"))
                got = snprintf(out, room, spec, va_arg(ap, size_t));
            else if (!strcmp(L, "t")) /* the unsigned type of ptrdiff_t's width */
                got = snprintf(out, room, spec, (size_t)va_arg(ap, ptrdiff_t));
            else
                got = snprintf(out, room, spec, va_arg(ap, unsigned));
            break;
        case 'c':
            got = snprintf(out, room, spec, va_arg(ap, int));
            break;
        case 's': {
            const char *sv = va_arg(ap, const char *);
            /* "%.0s" reads nothing, but ASan's printf check reads a string
             * with precision 0 to its end, past a value that is not ended
             * (a token in the input); the empty string prints the same. */
            got = snprintf(out, room, spec, p == 0 ? "" : sv);
            break;
        }
        case 'p':
            got = snprintf(out, room, spec, va_arg(ap, void *));
            break;
        default: /* the floating conversions */
            if (!strcmp(L, "L"))
                got = snprintf(out, room, spec, va_arg(ap, long double));
            else
                got = snprintf(out, room, spec, va_arg(ap, double));
            break;
        }
        if (got < 0 || (size_t)got >= room || *n >= FR_ERROR_MAX_ARGS) return -1;
        *used += (size_t)got + 1;
        (*n)++;
    }
    return 0;
}
#pragma GCC diagnostic pop

int fr_error_setv(fr_error *err, int code, int line, int column, const char *field, const char *fmt,
                  va_list ap)
{
    if (!err) return code;
    err->code = code;
    err->line = line;
    err->column = column;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list aq;
    va_copy(aq, ap);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    size_t used = 0;
    err->nargs = err->nprefix = 0;
    err->prefix_fmt = NULL;
    err->fmt = capture(err->args, sizeof err->args, &used, &err->nargs, fmt, aq) == 0 ? fmt : NULL;
    if (!err->fmt) err->nargs = 0;
    va_end(aq);
    return code;
}

int fr_error_set(fr_error *err, int code, int line, int column, const char *field, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = fr_error_setv(err, code, line, column, field, fmt, ap);
    va_end(ap);
    return rc;
}

/* Append s (len bytes) to out at *o, cut to cap - 1. */
static void put(char *out, size_t cap, size_t *o, const char *s, size_t len)
{
    if (*o + 1 >= cap) return;
    if (len > cap - 1 - *o) len = cap - 1 - *o;
    memcpy(out + *o, s, len);
    *o += len;
    out[*o] = '\0';
}

void fr_error_prefix(fr_error *err, const char *fmt, ...)
{
    if (!err) return;
    char pre[sizeof err->message], args[sizeof err->args];
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(pre, sizeof pre, fmt, ap);
    size_t used = 0;
    unsigned n = 0;
    int kept = err->fmt && !err->prefix_fmt && capture(args, sizeof args, &used, &n, fmt, aq) == 0;
    va_end(aq);
    va_end(ap);
    /* the values of fmt's message follow the prefix's */
    size_t old = 0;
    for (unsigned i = 0; i < err->nargs; i++)
        old += strlen(err->args + old) + 1;
    if (kept && used + old <= sizeof args && n + err->nargs <= FR_ERROR_MAX_ARGS) {
        memcpy(args + used, err->args, old);
        memcpy(err->args, args, used + old);
        err->nprefix = n;
        err->prefix_fmt = fmt;
    } else {
        err->fmt = err->prefix_fmt = NULL;
        err->nargs = err->nprefix = 0;
    }
    char msg[sizeof err->message];
    size_t o = 0;
    msg[0] = '\0';
    put(msg, sizeof msg, &o, pre, strlen(pre));
    put(msg, sizeof msg, &o, err->message, strnlen(err->message, sizeof err->message));
    memcpy(err->message, msg, sizeof msg);
}

/* fmt with its conversions replaced by the n values at vals; FR_EINVAL
 * when it names a value not there or leaves one out. */
static int refill(const char *fmt, const char *const *vals, unsigned n, char *out, size_t cap,
                  size_t *o)
{
    unsigned next = 0, seen = 0, numbered = 0;
    unsigned char hit[FR_ERROR_MAX_ARGS] = {0};
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            const char *e = strchr(f, '%');
            size_t len = e ? (size_t)(e - f) : strlen(f);
            put(out, cap, o, f, len);
            f += len - 1;
            continue;
        }
        conv c;
        if (conv_read(f + 1, &c) != 0) return FR_EINVAL;
        f += c.used;
        if (c.type == '%') {
            put(out, cap, o, "%", 1);
            continue;
        }
        numbered += c.pos != 0;
        if (numbered && next) return FR_EINVAL; /* %1$s beside %s: C leaves it undefined */
        unsigned i = c.pos ? (unsigned)c.pos - 1 : next++;
        if (i >= n) return FR_EINVAL;
        if (!hit[i]) seen++;
        hit[i] = 1;
        put(out, cap, o, vals[i], strlen(vals[i]));
    }
    return seen == n ? FR_OK : FR_EINVAL;
}

int fr_error_format(const fr_error *err, const char *prefix_fmt, const char *fmt, char *out,
                    size_t cap)
{
    if (out && cap) out[0] = '\0';
    if (!err || !err->fmt || !fmt || !out || cap == 0) return FR_EINVAL;
    if (err->nargs + err->nprefix > FR_ERROR_MAX_ARGS) return FR_EINVAL;
    const char *vals[FR_ERROR_MAX_ARGS];
    size_t at = 0;
    for (unsigned i = 0; i < err->nprefix + err->nargs; i++) {
        if (at >= sizeof err->args) return FR_EINVAL;
        vals[i] = err->args + at;
        at += strnlen(err->args + at, sizeof err->args - at) + 1;
    }
    size_t o = 0;
    if (err->prefix_fmt) {
        if (!prefix_fmt) prefix_fmt = err->prefix_fmt;
        if (refill(prefix_fmt, vals, err->nprefix, out, cap, &o) != FR_OK) {
            out[0] = '\0';
            return FR_EINVAL;
        }
    }
    if (refill(fmt, vals + err->nprefix, err->nargs, out, cap, &o) != FR_OK) {
        out[0] = '\0';
        return FR_EINVAL;
    }
    return FR_OK;
}
