/* SPDX-License-Identifier: MIT */
/* svg_internal.h: the growing text buffer the SVG writer prints into
 * (svg.c) and the charts' English words; shared with svg_series.c. */
#ifndef FR_SVG_INTERNAL_H
#define FR_SVG_INTERNAL_H

#include <stddef.h>

#include "frontera/svg.h"

typedef struct fr_svg_buf {
    char *p;
    size_t len, cap;
    int failed; /* an allocation failed: later calls do nothing */
} fr_svg_buf;

int fr__svg_buf_printf(fr_svg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void fr__svg_xml_text(fr_svg_buf *b, const char *s);

/* The words of a chart when the caller gives none (svg.c). */
extern const fr_svg_words fr__svg_english;

/* Field f of words w, or the English one when w or its field is NULL. */
#define FR__SVG_WORD(w, f) ((w) && (w)->f ? (w)->f : fr__svg_english.f)

/* Template tmpl (fr_admit_reason_format's rule) with n named values
 * (kv[i][0] the name, kv[i][1] the value; n at most FR_REASON_MAX_PARAMS)
 * into buf of cap bytes, cut to fit. */
void fr__svg_words(const char *tmpl, const char *const kv[][2], size_t n, char *buf, size_t cap);

#endif
