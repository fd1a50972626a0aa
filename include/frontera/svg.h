/* SPDX-License-Identifier: MIT */
/* svg.h: line charts of monthly flows as standalone SVG documents.
 *
 * A chart has one polyline per line (a nationality), markers on some months
 * (alerts: a circle with a <title> tooltip and a text label), and vertical
 * rules on some days (policy changes, labelled). It carries <title> and
 * <desc> for screen readers (role="img", aria-labelledby), a y axis with
 * round ticks and a label, month ticks on the x axis (YYYY-MM), and a legend
 * with the lines' labels. The palette is the Okabe-Ito colour-blind-safe set
 * darkened for a contrast of at least 3:1 against the white background; lines
 * also differ by dash pattern past the eighth. Output is deterministic: the
 * same chart gives the same bytes (numbers are printed with fixed decimals).
 *
 * Pure functions: no I/O, thread-safe. */
#ifndef FRONTERA_SVG_H
#define FRONTERA_SVG_H

#include "frontera/api.h"

#include <stddef.h>

#include "frontera/alerts.h"
#include "frontera/date.h"
#include "frontera/series.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FR_SVG_MAX_LINES 24
#define FR_SVG_MAX_MONTHS 1200

typedef struct fr_chart_line {
    const char *label;    /* legend text ("CHN") */
    const double *values; /* one per month of the chart; < 0 missing */
} fr_chart_line;

typedef struct fr_chart_mark {
    size_t line; /* index into lines */
    fr_month month;
    const char *label; /* short text by the marker and in its tooltip */
} fr_chart_mark;

typedef struct fr_chart_rule {
    fr_date day;       /* drawn at its place within its month */
    const char *label; /* "CHN visa_required" */
} fr_chart_rule;

typedef struct fr_chart {
    const char *title;   /* required */
    const char *desc;    /* longer description for screen readers; NULL: generated */
    const char *y_label; /* "arrivals per month" */
    fr_month first;      /* month of values[0] */
    size_t months;       /* 2..FR_SVG_MAX_MONTHS */
    const fr_chart_line *lines;
    size_t nlines; /* 0..FR_SVG_MAX_LINES */
    const fr_chart_mark *marks;
    size_t nmarks;
    const fr_chart_rule *rules;
    size_t nrules;
    int width, height; /* pixels; 0: 960 x 540 */
} fr_chart;

/* Render c into a new NUL-terminated buffer *out (caller frees with fr_free)
 * of *len bytes. Text is XML-escaped. Errors: FR_EINVAL (no title, too many
 * lines or months, a mark on no line; err says which), FR_ENOMEM. */
FR_API int fr_svg_chart(const fr_chart *c, char **out, size_t *len, fr_error *err);

/* Chart one metric of a series set over [from, to] (FR_MONTH_NONE: the
 * set's range): top_n nationalities, those with alerts on that metric first
 * (at most half the lines, largest first) and then the largest by total; the alerts on that metric
 * as marks, the given rules. title may be NULL (generated). Same result and errors as fr_svg_chart;
 * FR_ENOTFOUND when the metric has no series. */
FR_API int fr_svg_series_chart(const fr_series *s, const char *metric, size_t top_n,
                               const fr_alert *alerts, size_t nalerts, const fr_chart_rule *rules,
                               size_t nrules, const char *title, fr_month from, fr_month to,
                               char **out, size_t *len, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
