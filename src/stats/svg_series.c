/* SPDX-License-Identifier: MIT */
/* svg_series.c: a chart of one metric of a series set (svg.h
 * fr_svg_series_chart): picks the nationalities to draw (those with alerts
 * on the metric first, then the largest totals), copies their months into
 * value arrays and turns the alerts into labelled marks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/svg.h"

typedef struct pick {
    size_t key;
    int64_t total;
    int alerted;
} pick;

static int cmp_pick(const void *x, const void *y)
{
    const pick *a = x, *b = y;
    if (a->alerted != b->alerted) return a->alerted ? -1 : 1;
    if (a->total != b->total) return a->total > b->total ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

int fr_svg_series_chart(const fr_series *s, const char *metric, size_t top_n,
                        const fr_alert *alerts, size_t nalerts, const fr_chart_rule *rules,
                        size_t nrules, const char *title, fr_month from, fr_month to, char **out,
                        size_t *len, fr_error *err)
{
    if (from == FR_MONTH_NONE) from = fr_series_first(s);
    if (to == FR_MONTH_NONE) to = fr_series_last(s);
    if (from == FR_MONTH_NONE || to < from + 1)
        return fr_error_set(err, FR_EINVAL, 0, 0, "months", "a chart needs at least two months");
    if (to - from + 1 > FR_SVG_MAX_MONTHS) from = to - FR_SVG_MAX_MONTHS + 1;
    if (top_n > FR_SVG_MAX_LINES) top_n = FR_SVG_MAX_LINES;
    size_t nkeys = fr_series_key_count(s), np = 0, months = (size_t)(to - from + 1);
    pick *picks = fr_malloc((nkeys ? nkeys : 1) * sizeof *picks);
    double *vals = fr_malloc((top_n ? top_n : 1) * months * sizeof *vals);
    fr_chart_line lines[FR_SVG_MAX_LINES];
    fr_chart_mark *marks = fr_malloc((nalerts ? nalerts : 1) * sizeof *marks);
    char(*labels)[64] = fr_malloc((nalerts ? nalerts : 1) * sizeof *labels);
    int rc;
    if (!picks || !vals || !marks || !labels) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nkeys; k++) {
        if (strcmp(fr_series_key_metric(s, k), metric) != 0) continue;
        int nat = fr_series_key_nationality(s, k), al = 0;
        for (size_t a = 0; a < nalerts && !al; a++)
            al = alerts[a].nationality == nat && strcmp(alerts[a].metric, metric) == 0 &&
                 alerts[a].period >= from && alerts[a].period <= to;
        picks[np++] = (pick){k, fr_series_total(s, k, from, to), al};
    }
    if (!np) {
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "metric", "no series has the metric '%s'",
                          metric);
        goto done;
    }
    qsort(picks, np, sizeof *picks, cmp_pick);
    /* alerted nationalities take at most half the lines (rounded up); the
     * others are the largest by total */
    size_t half = (top_n + 1) / 2, nal = 0;
    for (size_t i = 0; i < np; i++)
        nal += picks[i].alerted;
    if (nal > half) {
        for (size_t i = half; i < nal; i++)
            picks[i].alerted = 0;
        qsort(picks, np, sizeof *picks, cmp_pick);
    }
    size_t nl = np < top_n ? np : top_n, nm = 0;
    for (size_t l = 0; l < nl; l++) {
        double *v = vals + l * months;
        for (size_t i = 0; i < months; i++)
            v[i] = (double)fr_series_get(s, picks[l].key, from + (fr_month)i);
        int nat = fr_series_key_nationality(s, picks[l].key);
        lines[l] = (fr_chart_line){fr_country_code(nat), v};
        for (size_t a = 0; a < nalerts; a++) {
            if (alerts[a].nationality != nat || strcmp(alerts[a].metric, metric) != 0) continue;
            if (alerts[a].period < from || alerts[a].period > to) continue;
            char per[FR_MONTH_BUFSZ];
            fr_month_format(alerts[a].period, per);
            snprintf(labels[nm], 64, "%s alert %s (x%.1f)", fr_country_code(nat), per,
                     alerts[a].factor);
            marks[nm] = (fr_chart_mark){l, alerts[a].period, labels[nm]};
            nm++;
        }
    }
    char ttl[128], ylab[64];
    snprintf(ylab, sizeof ylab, "%s per month", metric);
    if (!title) {
        char a[FR_MONTH_BUFSZ], b[FR_MONTH_BUFSZ];
        fr_month_format(from, a);
        fr_month_format(to, b);
        snprintf(ttl, sizeof ttl, "Monthly %s by nationality, %s to %s", metric, a, b);
        title = ttl;
    }
    fr_chart c = {title, NULL, ylab, from, months, lines, nl, marks, nm, rules, nrules, 0, 0};
    rc = fr_svg_chart(&c, out, len, err);
done:
    fr_free(picks);
    fr_free(vals);
    fr_free(marks);
    fr_free(labels);
    return rc;
}
