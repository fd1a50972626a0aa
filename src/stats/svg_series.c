/* SPDX-License-Identifier: MIT */
/* svg_series.c: a chart of one metric of a series set (svg.h
 * fr_svg_series_chart): picks the nationalities to draw (those with alerts
 * on the metric first, then the largest totals), copies their months into
 * value arrays and turns the alerts into labelled marks, in the request's
 * words (English when it gives none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/svg.h"
#include "svg_internal.h"

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

/* The request with its defaults filled in and its range clamped. */
static int resolve(const fr_series *s, const fr_svg_series_request *req, fr_svg_series_request *r,
                   fr_error *err)
{
    static const fr_svg_series_request defaults;
    *r = req ? *req : defaults;
    if (!r->metric) r->metric = "arrivals";
    if (!r->top_n) r->top_n = FR_SVG_DEFAULT_LINES;
    if (r->top_n > FR_SVG_MAX_LINES) r->top_n = FR_SVG_MAX_LINES;
    if (!r->alerts) r->nalerts = 0;
    if (!r->rules) r->nrules = 0;
    if (r->from == FR_MONTH_NONE || r->from == 0) r->from = fr_series_first(s);
    if (r->to == FR_MONTH_NONE || r->to == 0) r->to = fr_series_last(s);
    if (r->from == FR_MONTH_NONE || r->to < r->from + 1)
        return fr_error_set(err, FR_EINVAL, 0, 0, "months", "a chart needs at least two months");
    if (r->to - r->from + 1 > FR_SVG_MAX_MONTHS) r->from = r->to - FR_SVG_MAX_MONTHS + 1;
    return FR_OK;
}

static int alert_shown(const fr_svg_series_request *r, const fr_alert *a, int nat)
{
    return a->nationality == nat && strcmp(a->metric, r->metric) == 0 && a->period >= r->from &&
           a->period <= r->to;
}

/* The nationalities to draw, best first, into picks; their number, or 0
 * when no series has the metric. */
static size_t pick_lines(const fr_series *s, const fr_svg_series_request *r, pick *picks)
{
    size_t np = 0;
    for (size_t k = 0; k < fr_series_key_count(s); k++) {
        if (strcmp(fr_series_key_metric(s, k), r->metric) != 0) continue;
        int nat = fr_series_key_nationality(s, k), al = 0;
        for (size_t a = 0; a < r->nalerts && !al; a++)
            al = alert_shown(r, &r->alerts[a], nat);
        picks[np++] = (pick){k, fr_series_total(s, k, r->from, r->to), al};
    }
    if (!np) return 0;
    qsort(picks, np, sizeof *picks, cmp_pick);
    /* alerted nationalities take at most half the lines (rounded up); the
     * others are the largest by total */
    size_t half = (r->top_n + 1) / 2, nal = 0;
    for (size_t i = 0; i < np; i++)
        nal += picks[i].alerted;
    if (nal > half) {
        for (size_t i = half; i < nal; i++)
            picks[i].alerted = 0;
        qsort(picks, np, sizeof *picks, cmp_pick);
    }
    return np;
}

/* Storage the chart points into; freed together. */
#define FR_SVG_MARK_LABEL 128

typedef struct chart_store {
    pick *picks;
    double *vals;                      /* top_n x months */
    fr_chart_mark *marks;              /* one per alert at most */
    char (*labels)[FR_SVG_MARK_LABEL]; /* the marks' texts */
} chart_store;

static int store_new(const fr_series *s, const fr_svg_series_request *r, chart_store *st)
{
    size_t nkeys = fr_series_key_count(s), months = (size_t)(r->to - r->from + 1);
    st->picks = fr_malloc((nkeys ? nkeys : 1) * sizeof *st->picks);
    st->vals = fr_malloc(r->top_n * months * sizeof *st->vals);
    st->marks = fr_malloc((r->nalerts ? r->nalerts : 1) * sizeof *st->marks);
    st->labels = fr_malloc((r->nalerts ? r->nalerts : 1) * sizeof *st->labels);
    return st->picks && st->vals && st->marks && st->labels ? FR_OK : FR_ENOMEM;
}

static void store_free(chart_store *st)
{
    fr_free(st->picks);
    fr_free(st->vals);
    fr_free(st->marks);
    fr_free(st->labels);
}

/* Line l of the chart: the months of pick p, and a mark for each of its
 * alerts shown; returns the marks' count after it. */
static size_t fill_line(const fr_series *s, const fr_svg_series_request *r, const pick *p, size_t l,
                        fr_chart_line *line, chart_store *st, size_t nm)
{
    size_t months = (size_t)(r->to - r->from + 1);
    double *v = st->vals + l * months;
    for (size_t i = 0; i < months; i++)
        v[i] = (double)fr_series_get(s, p->key, r->from + (fr_month)i);
    int nat = fr_series_key_nationality(s, p->key);
    *line = (fr_chart_line){fr_country_code(nat), v};
    for (size_t a = 0; a < r->nalerts; a++) {
        const fr_alert *al = &r->alerts[a];
        if (!alert_shown(r, al, nat)) continue;
        char per[FR_MONTH_BUFSZ], factor[32];
        fr_month_format(al->period, per);
        snprintf(factor, sizeof factor, "%.1f", al->factor);
        const char *const kv[][2] = {
            {"nationality", fr_country_code(nat)}, {"month", per}, {"factor", factor}};
        fr__svg_words(FR__SVG_WORD(r->words, alert), kv, 3, st->labels[nm], FR_SVG_MARK_LABEL);
        st->marks[nm] = (fr_chart_mark){l, al->period, st->labels[nm]};
        nm++;
    }
    return nm;
}

int fr_svg_series_chart(const fr_series *s, const fr_svg_series_request *req, char **out,
                        size_t *len, fr_error *err)
{
    fr_svg_series_request r;
    int rc = resolve(s, req, &r, err);
    if (rc != FR_OK) return rc;
    chart_store st;
    fr_chart_line lines[FR_SVG_MAX_LINES];
    if (store_new(s, &r, &st) != FR_OK) {
        rc = fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    size_t np = pick_lines(s, &r, st.picks);
    if (!np) {
        rc = fr_error_set(err, FR_ENOTFOUND, 0, 0, "metric", "no series has the metric '%s'",
                          r.metric);
        goto done;
    }
    size_t nl = np < r.top_n ? np : r.top_n, nm = 0;
    for (size_t l = 0; l < nl; l++)
        nm = fill_line(s, &r, &st.picks[l], l, &lines[l], &st, nm);
    char ttl[256], ylab[128], a[FR_MONTH_BUFSZ], b[FR_MONTH_BUFSZ];
    fr_month_format(r.from, a);
    fr_month_format(r.to, b);
    const char *metric = r.words && r.words->metric ? r.words->metric : r.metric;
    const char *const kv[][2] = {{"metric", metric}, {"from", a}, {"to", b}};
    fr__svg_words(FR__SVG_WORD(r.words, y_label), kv, 1, ylab, sizeof ylab);
    if (!r.title) {
        fr__svg_words(FR__SVG_WORD(r.words, title), kv, 3, ttl, sizeof ttl);
        r.title = ttl;
    }
    size_t months = (size_t)(r.to - r.from + 1);
    fr_chart c = {r.title,  NULL, ylab,    r.from,   months, lines, nl,
                  st.marks, nm,   r.rules, r.nrules, 0,      0,     r.words};
    rc = fr_svg_chart(&c, out, len, err);
done:
    store_free(&st);
    return rc;
}
