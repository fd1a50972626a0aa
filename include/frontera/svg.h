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
 * The words the library adds (axis label, description, title, alert labels)
 * are English unless the caller gives its own (fr_svg_words): the library
 * keeps no language, so a program passes its message catalogue's.
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

/* The words of a chart in the caller's language, each NULL for the English
 * shown. Each is a template read as fr_admit_reason_format reads one (admit.h):
 * "{name}" is a value, "{n|1=one|other}" the first alternative whose key equals
 * it (a plural), braces nesting; values are copied, never read as templates. */
typedef struct fr_svg_words {
    const char *x_label; /* "month" */
    /* the screen readers' description when the chart has no desc; values
     * y_label, from, to (YYYY-MM), lines (" CHN USA", each after a space),
     * alerts and rules (counts): "Line chart of {y_label} from {from}
     * to {to}, one line per nationality:{lines}. {alerts|1=1 alert is|{alerts}
     * alerts are} marked with circles and {rules|1=1 policy change|{rules}
     * policy changes} with vertical dashed lines." */
    const char *desc;
    /* fr_svg_series_chart only */
    const char *metric; /* the metric's name ("llegadas"); NULL: the metric as given */
    /* values metric, from, to: "Monthly {metric} by nationality, {from} to {to}" */
    const char *title;
    const char *y_label; /* value metric: "{metric} per month" */
    /* values nationality, month, factor ("3.6"): "{nationality} alert {month} (x{factor})" */
    const char *alert;
} fr_svg_words;

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
    int width, height;         /* pixels; 0: 960 x 540 */
    const fr_svg_words *words; /* NULL: English */
} fr_chart;

/* Render c into a new NUL-terminated buffer *out (caller frees with fr_free)
 * of *len bytes. Text is XML-escaped. Errors: FR_EINVAL (no title, too many
 * lines or months, a mark on no line; err says which), FR_ENOMEM. */
FR_API int fr_svg_chart(const fr_chart *c, char **out, size_t *len, fr_error *err);

#define FR_SVG_DEFAULT_LINES 8

/* What fr_svg_series_chart draws. A zero-initialised request (or NULL) means:
 * arrivals over the set's whole range, 8 lines, no alerts marked, no rules,
 * a generated title. */
typedef struct fr_svg_series_request {
    const char *metric; /* the metric charted; NULL: "arrivals" */
    size_t top_n;       /* lines at most; 0: FR_SVG_DEFAULT_LINES; above FR_SVG_MAX_LINES: that */
    const fr_alert *alerts; /* marked when on the metric, a line drawn and a month shown */
    size_t nalerts;
    const fr_chart_rule *rules; /* vertical rules (policy changes), drawn as given */
    size_t nrules;
    const char *title; /* NULL: from words->title, "Monthly METRIC by nationality, FROM to TO" */
    fr_month from, to; /* months shown; 0 or FR_MONTH_NONE: the set's first / last month; at
                          most FR_SVG_MAX_MONTHS, the latest kept */
    const fr_svg_words *words; /* the chart's words (title, labels); NULL: English */
} fr_svg_series_request;

/* Chart one metric of a series set as req says (NULL: the defaults above):
 * top_n nationalities, those with alerts on that metric first (at most half
 * the lines, largest first) and then the largest by total; the alerts on
 * that metric as marks, the given rules. Same result and errors as
 * fr_svg_chart; FR_EINVAL when fewer than two months are shown,
 * FR_ENOTFOUND when the metric has no series. */
FR_API int fr_svg_series_chart(const fr_series *s, const fr_svg_series_request *req, char **out,
                               size_t *len, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
