/* SPDX-License-Identifier: MIT */
/* svg_internal.h: the growing text buffer the SVG writer prints into
 * (svg.c); shared with svg_series.c. */
#ifndef FR_SVG_INTERNAL_H
#define FR_SVG_INTERNAL_H

#include <stddef.h>

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

#endif
