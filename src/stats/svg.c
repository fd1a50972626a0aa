/* SPDX-License-Identifier: MIT */
/* svg.c: standalone SVG line charts (svg.h).
 *
 * The document is written into a growing buffer (svg_buf) in one pass:
 * background, grid and y ticks, x month ticks, policy rules, one polyline
 * per line, alert markers, legend. Coordinates are printed with one decimal
 * so the output is byte-for-byte reproducible. Text goes through xml_text
 * (escapes & < > " '). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/admit.h"
#include "frontera/alloc.h"
#include "frontera/svg.h"
#include "svg_internal.h"

/* Okabe-Ito hues darkened to >= 3:1 contrast on white, then grey and black. */
static const char *const palette[8] = {"#0072B2", "#B34700", "#007A5A", "#A23E7A",
                                       "#8A6200", "#3B5998", "#000000", "#6A6A6A"};
static const char *const dashes[3] = {"", "8 4", "2 3"};

const fr_svg_words fr__svg_english = {
    .x_label = "month",
    .desc = "Line chart of {y_label} from {from} to {to}, one line per nationality:{lines}. "
            "{alerts|1=1 alert is|{alerts} alerts are} marked with circles and {rules|1=1 policy "
            "change|{rules} policy changes} with vertical dashed lines.",
    .metric = NULL,
    .title = "Monthly {metric} by nationality, {from} to {to}",
    .y_label = "{metric} per month",
    .alert = "{nationality} alert {month} (x{factor})",
};

/* The template rule of the admission's reasons (admit.h), so that a
 * program's translations of the chart follow the one rule it already knows. */
void fr__svg_words(const char *tmpl, const char *const kv[][2], size_t n, char *buf, size_t cap)
{
    fr_admit_reason r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < n && i < FR_REASON_MAX_PARAMS; i++) {
        snprintf(r.params[i].name, sizeof r.params[i].name, "%s", kv[i][0]);
        snprintf(r.params[i].value, sizeof r.params[i].value, "%s", kv[i][1]);
        r.nparams++;
    }
    fr_admit_reason_format(&r, tmpl, buf, cap); /* FR_ELIMIT: cut, as documented */
}

int fr__svg_buf_printf(fr_svg_buf *b, const char *fmt, ...)
{
    if (b->failed) return FR_ENOMEM;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->cap ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) return b->failed = 1, FR_EINVAL;
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return FR_OK;
        }
        size_t cap = b->cap ? b->cap * 2 : 8192;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *p = fr_realloc(b->p, cap);
        if (!p) return b->failed = 1, FR_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
}

void fr__svg_xml_text(fr_svg_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fr__svg_buf_printf(b, "&amp;");
            break;
        case '<':
            fr__svg_buf_printf(b, "&lt;");
            break;
        case '>':
            fr__svg_buf_printf(b, "&gt;");
            break;
        case '"':
            fr__svg_buf_printf(b, "&quot;");
            break;
        case '\'':
            fr__svg_buf_printf(b, "&#39;");
            break;
        default:
            if ((unsigned char)*s >= 0x20) fr__svg_buf_printf(b, "%c", *s);
        }
    }
}

/* A round tick step (1, 2 or 5 times a power of ten) giving about 5 ticks. */
static double nice_step(double max)
{
    if (max <= 0) return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

static void fmt_num(double v, char *buf, size_t cap)
{
    if (v >= 1e6)
        snprintf(buf, cap, "%.1fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, cap, "%.0fk", v / 1e3);
    else if (v == floor(v))
        snprintf(buf, cap, "%.0f", v);
    else
        snprintf(buf, cap, "%.2f", v);
}

static int check(const fr_chart *c, fr_error *err)
{
    if (!c->title || !*c->title)
        return fr_error_set(err, FR_EINVAL, 0, 0, "title", "a chart needs a title");
    if (c->months < 2 || c->months > FR_SVG_MAX_MONTHS)
        return fr_error_set(err, FR_EINVAL, 0, 0, "months", "a chart spans 2 to %d months",
                            FR_SVG_MAX_MONTHS);
    if (c->nlines > FR_SVG_MAX_LINES)
        return fr_error_set(err, FR_EINVAL, 0, 0, "lines", "a chart has at most %d lines",
                            FR_SVG_MAX_LINES);
    for (size_t i = 0; i < c->nmarks; i++)
        if (c->marks[i].line >= c->nlines)
            return fr_error_set(err, FR_EINVAL, 0, 0, "marks", "mark %zu is on no line", i);
    return FR_OK;
}

/* The plot area and the value scale, shared by every part of the drawing. */
typedef struct svg_frame {
    double W, H;           /* document size */
    double x0, x1, y0, y1; /* plot area: left, right, top, bottom */
    double step, top;      /* y tick step and the value at the top of the plot */
    size_t months;
} svg_frame;

static void frame_of(const fr_chart *c, svg_frame *f)
{
    f->W = c->width > 0 ? c->width : 960;
    f->H = c->height > 0 ? c->height : 540;
    /* room on the right for the legend, below for the month labels */
    f->x0 = 80, f->x1 = f->W - 170, f->y0 = 60, f->y1 = f->H - 80;
    f->months = c->months;
    double max = 0;
    for (size_t l = 0; l < c->nlines; l++)
        for (size_t i = 0; i < c->months; i++)
            if (c->lines[l].values[i] > max) max = c->lines[l].values[i];
    f->step = nice_step(max);
    f->top = ceil(max / f->step) * f->step;
    if (f->top <= 0) f->top = f->step;
}

static double px(const svg_frame *f, size_t i)
{
    return f->x0 + (f->x1 - f->x0) * (double)(i) / (double)(f->months - 1);
}

static double py(const svg_frame *f, double v)
{
    return f->y1 - (f->y1 - f->y0) * (v) / f->top;
}

/* A dash pattern past the eighth line: the palette has eight colours. */
static void line_style(fr_svg_buf *b, size_t l)
{
    fr__svg_buf_printf(b, "%s%s%s", l >= 8 ? " stroke-dasharray=\"" : "",
                       l >= 8 ? dashes[(l / 8) % 3] : "", l >= 8 ? "\"" : "");
}

/* What a screen reader says of the chart when the caller gave no desc. */
static void generated_desc(fr_svg_buf *b, const fr_chart *c)
{
    char a[FR_MONTH_BUFSZ], z[FR_MONTH_BUFSZ], lines[FR_SVG_MAX_LINES * 24 + 1] = "";
    char alerts[24], rules[24], text[2048];
    fr_month_format(c->first, a);
    fr_month_format(c->first + (fr_month)c->months - 1, z);
    size_t used = 0;
    for (size_t l = 0; l < c->nlines && used < sizeof lines; l++) {
        int n = snprintf(lines + used, sizeof lines - used, " %.22s", c->lines[l].label);
        if (n > 0) used += (size_t)n;
    }
    snprintf(alerts, sizeof alerts, "%zu", c->nmarks);
    snprintf(rules, sizeof rules, "%zu", c->nrules);
    const char *const kv[][2] = {{"y_label", c->y_label ? c->y_label : "values"},
                                 {"from", a},
                                 {"to", z},
                                 {"lines", lines},
                                 {"alerts", alerts},
                                 {"rules", rules}};
    fr__svg_words(FR__SVG_WORD(c->words, desc), kv, sizeof kv / sizeof *kv, text, sizeof text);
    fr__svg_xml_text(b, text);
}

static void draw_head(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    fr__svg_buf_printf(b,
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                       "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"chart-title "
                       "chart-desc\" font-family=\"sans-serif\" font-size=\"12\">\n<title "
                       "id=\"chart-title\">",
                       f->W, f->H, f->W, f->H);
    fr__svg_xml_text(b, c->title);
    fr__svg_buf_printf(b, "</title>\n<desc id=\"chart-desc\">");
    if (c->desc)
        fr__svg_xml_text(b, c->desc);
    else
        generated_desc(b, c);
    fr__svg_buf_printf(b, "</desc>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#FFFFFF\"/>\n");
    fr__svg_buf_printf(b,
                       "<text x=\"%.1f\" y=\"30\" font-size=\"18\" font-weight=\"bold\" "
                       "fill=\"#000000\">",
                       f->x0);
    fr__svg_xml_text(b, c->title);
    fr__svg_buf_printf(b, "</text>\n");
}

static void draw_y_axis(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    char num[32];
    fr__svg_buf_printf(b, "<g class=\"y-axis\" fill=\"#333333\">\n");
    for (double v = 0; v <= f->top + f->step / 2; v += f->step) {
        fmt_num(v, num, sizeof num);
        fr__svg_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                           "stroke=\"#DDDDDD\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                           f->x0, py(f, v), f->x1, py(f, v), f->x0 - 6, py(f, v) + 4, num);
    }
    fr__svg_buf_printf(b,
                       "<text transform=\"translate(20 %.1f) rotate(-90)\" "
                       "text-anchor=\"middle\">",
                       (f->y0 + f->y1) / 2);
    fr__svg_xml_text(b, c->y_label ? c->y_label : "count");
    fr__svg_buf_printf(b, "</text>\n</g>\n");
}

/* Months between labels: 1, 2, 3, 6, 12, 24... so that labels stay 60 px
 * apart; from a quarter on, on calendar boundaries (January, April...). */
static size_t label_every(const svg_frame *f)
{
    size_t every = 1;
    while ((f->x1 - f->x0) / (double)(f->months - 1) * (double)every < 60)
        every = every < 3 ? every + 1 : every < 6 ? 6 : every * 2;
    return every;
}

static int month_labelled(fr_month m, size_t i, size_t every)
{
    return every >= 12  ? m % 12 == 0 && (m / 12) % (fr_month)(every / 12) == 0
           : every >= 3 ? m % (fr_month)every == 0
                        : i % every == 0;
}

static void draw_x_axis(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    char a[FR_MONTH_BUFSZ];
    size_t every = label_every(f);
    fr__svg_buf_printf(
        b,
        "<g class=\"x-axis\" fill=\"#333333\">\n"
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n",
        f->x0, f->y1, f->x1, f->y1);
    for (size_t i = 0; i < c->months; i++) {
        fr_month m = c->first + (fr_month)i;
        if (!month_labelled(m, i, every)) continue;
        fr_month_format(m, a);
        fr__svg_buf_printf(
            b,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
            px(f, i), f->y1, px(f, i), f->y1 + 5, px(f, i), f->y1 + 20, a);
    }
    fr__svg_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                       (f->x0 + f->x1) / 2, f->H - 30);
    fr__svg_xml_text(b, FR__SVG_WORD(c->words, x_label));
    fr__svg_buf_printf(b, "</text>\n</g>\n");
}

static void draw_rules(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    fr__svg_buf_printf(b, "<g class=\"policy-changes\">\n");
    for (size_t r = 0; r < c->nrules; r++) {
        fr_month m = fr_month_of_date(c->rules[r].day);
        int y, mo, d;
        fr_date_to_ymd(c->rules[r].day, &y, &mo, &d);
        /* at its day within the month, not at the month's start */
        double pos = (double)(m - c->first) + (d - 1) / 31.0;
        if (pos < 0 || pos > (double)(c->months - 1)) continue;
        double x = f->x0 + (f->x1 - f->x0) * pos / (double)(c->months - 1);
        /* labels stagger over four rows so that close changes stay legible */
        fr__svg_buf_printf(b,
                           "<line class=\"policy-change\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                           "y2=\"%.1f\" stroke=\"#444444\" stroke-dasharray=\"6 4\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" fill=\"#222222\">",
                           x, f->y0, x, f->y1, x + 4, f->y0 + 12 + 14.0 * (double)(r % 4));
        fr__svg_xml_text(b, c->rules[r].label);
        fr__svg_buf_printf(b, "</text>\n");
    }
    fr__svg_buf_printf(b, "</g>\n");
}

static void draw_lines(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    fr__svg_buf_printf(b, "<g class=\"lines\">\n");
    for (size_t l = 0; l < c->nlines; l++) {
        fr__svg_buf_printf(b,
                           "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"2\"",
                           palette[l % 8]);
        line_style(b, l);
        fr__svg_buf_printf(b, " points=\"");
        int firstpt = 1;
        for (size_t i = 0; i < c->months; i++) {
            double v = c->lines[l].values[i];
            if (v < 0) continue; /* a missing month: the line joins its neighbours */
            fr__svg_buf_printf(b, "%s%.1f,%.1f", firstpt ? "" : " ", px(f, i), py(f, v));
            firstpt = 0;
        }
        fr__svg_buf_printf(b, "\"><title>");
        fr__svg_xml_text(b, c->lines[l].label);
        fr__svg_buf_printf(b, "</title></polyline>\n");
    }
    fr__svg_buf_printf(b, "</g>\n");
}

static void draw_marks(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    fr__svg_buf_printf(b, "<g class=\"alerts\">\n");
    for (size_t k = 0; k < c->nmarks; k++) {
        const fr_chart_mark *mk = &c->marks[k];
        if (mk->month < c->first || mk->month >= c->first + (fr_month)c->months) continue;
        size_t i = (size_t)(mk->month - c->first);
        double v = c->lines[mk->line].values[i];
        if (v < 0) v = 0;
        fr__svg_buf_printf(b,
                           "<circle class=\"alert\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"none\" "
                           "stroke=\"#C00000\" stroke-width=\"2.5\"><title>",
                           px(f, i), py(f, v));
        fr__svg_xml_text(b, mk->label);
        /* labels stagger over three rows so that alerts in near months stay legible */
        fr__svg_buf_printf(b,
                           "</title></circle><text x=\"%.1f\" y=\"%.1f\" fill=\"#A00000\" "
                           "font-weight=\"bold\">",
                           px(f, i) + 8, py(f, v) - 8 - 14.0 * (double)(k % 3));
        fr__svg_xml_text(b, mk->label);
        fr__svg_buf_printf(b, "</text>\n");
    }
    fr__svg_buf_printf(b, "</g>\n");
}

static void draw_legend(fr_svg_buf *b, const fr_chart *c, const svg_frame *f)
{
    fr__svg_buf_printf(b, "<g class=\"legend\">\n");
    for (size_t l = 0; l < c->nlines; l++) {
        double y = f->y0 + 10 + 20.0 * (double)l;
        fr__svg_buf_printf(b,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                           "stroke-width=\"3\"",
                           f->x1 + 20, y, f->x1 + 45, y, palette[l % 8]);
        line_style(b, l);
        fr__svg_buf_printf(b, "/><text x=\"%.1f\" y=\"%.1f\" fill=\"#000000\">", f->x1 + 52, y + 4);
        fr__svg_xml_text(b, c->lines[l].label);
        fr__svg_buf_printf(b, "</text>\n");
    }
    fr__svg_buf_printf(b, "</g>\n");
}

int fr_svg_chart(const fr_chart *c, char **out, size_t *len, fr_error *err)
{
    int rc = check(c, err);
    if (rc != FR_OK) return rc;
    fr_svg_buf b = {NULL, 0, 0, 0};
    svg_frame f;
    frame_of(c, &f);
    draw_head(&b, c, &f);
    draw_y_axis(&b, c, &f);
    draw_x_axis(&b, c, &f);
    draw_rules(&b, c, &f);
    draw_lines(&b, c, &f);
    draw_marks(&b, c, &f);
    draw_legend(&b, c, &f);
    fr__svg_buf_printf(&b, "</svg>\n");
    if (b.failed) {
        fr_free(b.p);
        return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory while drawing the chart");
    }
    *out = b.p;
    *len = b.len;
    return FR_OK;
}
