/* SPDX-License-Identifier: MIT */
/* admit_reason.c: a reason's sentence from a template and the reason's
 * named parameters (fr_admit_reason_format, admit.h). admit.c writes every
 * English message this way, and a program writes another language's from
 * its own templates keyed by code, so the two follow one rule. A template is
 * read once, left to right: text is copied, "{name}" copies the value, and
 * "{name|key=text|text}" renders the chosen alternative, itself a template
 * (braces nest). Values are copied, never read as templates. */
#include <string.h>

#include "frontera/admit.h"

const char *fr_admit_reason_param(const fr_admit_reason *r, const char *name)
{
    for (size_t i = 0; r && name && i < r->nparams && i < FR_REASON_MAX_PARAMS; i++)
        if (strcmp(r->params[i].name, name) == 0) return r->params[i].value;
    return NULL;
}

/* The output of fr_admit_reason_format: a buffer that remembers a cut. */
typedef struct sink {
    char *buf;
    size_t cap, len;
    int cut;
} sink;

static void put(sink *o, const char *s, size_t n)
{
    if (o->len + n >= o->cap) {
        n = o->cap - 1 - o->len;
        o->cut = 1;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* The end of the placeholder opened at p ('{'), braces nested; NULL when unclosed. */
static const char *closing(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '{') depth++;
        if (*p == '}' && --depth == 0) return p;
    }
    return NULL;
}

/* The next '|' (or '=') at the top level of [p, end), else end. */
static const char *top_level(const char *p, const char *end, char c)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '{') depth++;
        if (*p == '}') depth--;
        if (*p == c && depth == 0) return p;
    }
    return end;
}

static void render(const fr_admit_reason *r, const char *t, const char *end, sink *o);

/* One placeholder, between its braces: name, or name|alternatives. */
static void placeholder(const fr_admit_reason *r, const char *p, const char *end, sink *o)
{
    const char *bar = top_level(p, end, '|');
    char name[24];
    size_t nl = (size_t)(bar - p);
    const char *value = NULL;
    if (nl < sizeof name) {
        memcpy(name, p, nl);
        name[nl] = '\0';
        value = fr_admit_reason_param(r, name);
    }
    if (bar == end) { /* {name}: render() saw that it is known */
        if (value) put(o, value, strlen(value));
        return;
    }
    if (!value) value = ""; /* a choice on a missing parameter: as on an empty one */
    const char *dflt = NULL, *dend = NULL;
    for (const char *a = bar + 1; a <= end;) {
        const char *b = top_level(a, end, '|');
        const char *eq = top_level(a, b, '=');
        if (eq < b) {
            if ((size_t)(eq - a) == strlen(value) && memcmp(a, value, (size_t)(eq - a)) == 0) {
                render(r, eq + 1, b, o);
                return;
            }
        } else if (!dflt) {
            dflt = a;
            dend = b;
        }
        a = b + 1;
    }
    if (dflt)
        render(r, dflt, dend, o);
    else
        put(o, value, strlen(value));
}

static void render(const fr_admit_reason *r, const char *t, const char *end, sink *o)
{
    while (t < end) {
        const char *brace = memchr(t, '{', (size_t)(end - t));
        if (!brace) brace = end;
        put(o, t, (size_t)(brace - t));
        if (brace == end) return;
        const char *close = closing(brace, end);
        const char *bar = close ? top_level(brace + 1, close, '|') : NULL;
        char name[24];
        size_t nl = bar ? (size_t)(bar - brace - 1) : 0;
        int known = 0;
        if (close && bar < close) {
            known = 1; /* a choice: always read */
        } else if (close && nl < sizeof name) {
            memcpy(name, brace + 1, nl);
            name[nl] = '\0';
            known = fr_admit_reason_param(r, name) != NULL;
        }
        if (!known) { /* not a placeholder: as written */
            put(o, brace, 1);
            t = brace + 1;
            continue;
        }
        placeholder(r, brace + 1, close, o);
        t = close + 1;
    }
}

int fr_admit_reason_format(const fr_admit_reason *r, const char *tmpl, char *buf, size_t cap)
{
    if (!cap) return FR_ELIMIT;
    sink o = {buf, cap, 0, 0};
    buf[0] = '\0';
    if (r && tmpl) render(r, tmpl, tmpl + strlen(tmpl), &o);
    return o.cut ? FR_ELIMIT : FR_OK;
}
