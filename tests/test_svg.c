/* SPDX-License-Identifier: MIT */
/* test_svg.c: the SVG chart writer (svg.h): structure (one polyline per
 * line, one marker per alert, one rule per policy change, a legend entry per
 * line), accessibility (<title>, <desc>, role="img"), month labels, escaping,
 * byte-identical output for the same input, the series chart's choice of
 * lines (alerted nationalities first, then the largest), and its words: English
 * by default, the caller's (Spanish) when given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/svg.h"

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void chart_has_the_expected_structure_and_is_deterministic(void **state)
{
    (void)state;
    double a[6] = {10, 20, 30, 40, 50, 60}, b[6] = {5, -1, 5, 5, 5, 5}, c[6] = {0, 1, 2, 3, 4, 5};
    fr_chart_line lines[3] = {{"CHN", a}, {"USA", b}, {"A&B<", c}};
    fr_chart_mark marks[2] = {{0, 2023 * 12 + 3, "CHN alert"}, {2, 2023 * 12 + 5, "x"}};
    fr_date day;
    fr_error e;
    assert_int_equal(fr_date_parse_cstr("2023-03-15", &day, &e), FR_OK);
    fr_chart_rule rules[1] = {{day, "CHN visa_required"}};
    fr_chart ch = {"Arrivals \"test\"",
                   NULL,
                   "arrivals per month",
                   2023 * 12,
                   6,
                   lines,
                   3,
                   marks,
                   2,
                   rules,
                   1,
                   0,
                   0,
                   NULL};
    char *svg = NULL, *again = NULL;
    size_t len, len2;
    assert_int_equal(fr_svg_chart(&ch, &svg, &len, &e), FR_OK);
    assert_int_equal(strlen(svg), len);
    assert_int_equal(count(svg, "<polyline"), 3);
    assert_int_equal(count(svg, "<circle class=\"alert\""), 2);
    assert_int_equal(count(svg, "class=\"policy-change\""), 1);
    assert_int_equal(count(svg, "<g class=\"legend\">"), 1);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "<title id=\"chart-title\">Arrivals &quot;test&quot;</title>"));
    assert_non_null(strstr(svg, "<desc id=\"chart-desc\">"));
    assert_non_null(strstr(svg, ">2023-01<"));
    assert_non_null(strstr(svg, "A&amp;B&lt;"));
    assert_null(strstr(svg, "A&B<"));
    assert_non_null(strstr(svg, ">CHN visa_required<"));
    assert_non_null(strstr(svg, "arrivals per month"));
    /* counts in the description agree with their nouns */
    assert_non_null(strstr(svg,
                           "nationality: CHN USA A&amp;B&lt;. 2 alerts are marked with circles "
                           "and 1 policy change with vertical dashed lines.</desc>"));
    /* the missing month of USA is skipped: 5 points */
    const char *usa = strstr(svg, "<polyline class=\"series\" fill=\"none\" stroke=\"#B34700\"");
    assert_non_null(usa);
    const char *pts = strstr(usa, "points=\"") + 8, *end = strchr(pts, '"');
    size_t commas = 0;
    for (const char *p = pts; p < end; p++)
        commas += *p == ',';
    assert_int_equal(commas, 5);
    assert_int_equal(fr_svg_chart(&ch, &again, &len2, &e), FR_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(svg, again, len);
    fr_free(svg);
    fr_free(again);
    /* errors */
    ch.title = "";
    assert_int_equal(fr_svg_chart(&ch, &svg, &len, &e), FR_EINVAL);
    ch.title = "t";
    marks[1].line = 7;
    assert_int_equal(fr_svg_chart(&ch, &svg, &len, &e), FR_EINVAL);
    assert_string_equal(e.field, "marks");
}

static void series_chart_draws_alerted_nationalities_first(void **state)
{
    (void)state;
    fr_series *s;
    fr_error e;
    assert_int_equal(fr_series_new(&s), FR_OK);
    const char *nats[4] = {"USA", "COL", "PER", "CHN"};
    int64_t level[4] = {5000, 4000, 3000, 100};
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 24; i++)
            assert_int_equal(fr_series_add(s, fr_country_find_cstr(nats[k]), "arrivals",
                                           2022 * 12 + i, level[k], &e),
                             FR_OK);
    assert_int_equal(fr_series_add(s, fr_country_find_cstr("CHN"), "encounters", 2022 * 12, 1, &e),
                     FR_OK);
    fr_alert al;
    memset(&al, 0, sizeof al);
    al.nationality = fr_country_find_cstr("CHN");
    strcpy(al.metric, "arrivals");
    al.period = 2023 * 12 + 2;
    al.factor = 3;
    char *svg = NULL;
    size_t len;
    fr_svg_series_request rq = {.metric = "arrivals",
                                .top_n = 2,
                                .alerts = &al,
                                .nalerts = 1,
                                .from = FR_MONTH_NONE,
                                .to = FR_MONTH_NONE};
    assert_int_equal(fr_svg_series_chart(s, &rq, &svg, &len, &e), FR_OK);
    assert_int_equal(count(svg, "<polyline"), 2);
    assert_non_null(strstr(svg, "<title>CHN</title>")); /* alerted, although smallest */
    assert_non_null(strstr(svg, "<title>USA</title>"));
    assert_null(strstr(svg, "<title>COL</title>"));
    assert_int_equal(count(svg, "<circle class=\"alert\""), 1);
    assert_non_null(strstr(svg, "Monthly arrivals by nationality, 2022-01 to 2023-12"));
    assert_non_null(strstr(svg, ">CHN alert 2023-03 (x3.0)<"));
    assert_non_null(strstr(svg, ">arrivals per month<"));
    assert_non_null(strstr(svg, ">month<"));
    assert_non_null(strstr(svg, "one line per nationality: CHN USA. 1 alert is marked with circles "
                                "and 0 policy changes with"));
    fr_free(svg);
    /* the caller's words: the library keeps no language of its own */
    fr_svg_words es = {
        .x_label = "mes",
        .desc = "Gráfico de {y_label} de {from} a {to}:{lines}; {alerts|1=1 alerta|{alerts} "
                "alertas}, {rules|1=1 cambio|{rules} cambios}.",
        .metric = "llegadas",
        .title = "Serie mensual de {metric} por nacionalidad, de {from} a {to}",
        .y_label = "{metric} por mes",
        .alert = "alerta {nationality} {month} (x{factor})",
    };
    rq.words = &es;
    assert_int_equal(fr_svg_series_chart(s, &rq, &svg, &len, &e), FR_OK);
    assert_non_null(strstr(svg, "<title id=\"chart-title\">Serie mensual de llegadas por "
                                "nacionalidad, de 2022-01 a 2023-12</title>"));
    assert_non_null(strstr(svg, ">alerta CHN 2023-03 (x3.0)<"));
    assert_non_null(strstr(svg, ">llegadas por mes<"));
    assert_non_null(strstr(svg, ">mes<"));
    assert_non_null(strstr(svg, "<desc id=\"chart-desc\">Gráfico de llegadas por mes de 2022-01 a "
                                "2023-12: CHN USA; 1 alerta, 0 cambios.</desc>"));
    assert_null(strstr(svg, "Monthly"));
    assert_null(strstr(svg, "month<"));
    fr_free(svg);
    /* a word not given stays English; a caller's title is kept as given */
    es.alert = NULL;
    rq.title = "Llegadas";
    assert_int_equal(fr_svg_series_chart(s, &rq, &svg, &len, &e), FR_OK);
    assert_non_null(strstr(svg, ">CHN alert 2023-03 (x3.0)<"));
    assert_non_null(strstr(svg, "<title id=\"chart-title\">Llegadas</title>"));
    fr_free(svg);
    rq = (fr_svg_series_request){.metric = "nonexits", .top_n = 2, .title = "t"};
    assert_int_equal(fr_svg_series_chart(s, &rq, &svg, &len, &e), FR_ENOTFOUND);
    assert_string_equal(e.field, "metric");
    /* a range of one month cannot be drawn */
    rq = (fr_svg_series_request){.from = 2022 * 12 + 3, .to = 2022 * 12 + 3};
    assert_int_equal(fr_svg_series_chart(s, &rq, &svg, &len, &e), FR_EINVAL);
    assert_string_equal(e.field, "months");
    fr_series_free(s);
}

/* A zero request and no request both mean: arrivals over the whole set, up
 * to FR_SVG_DEFAULT_LINES lines, no marks, a generated title. */
static void series_chart_zero_request_means_the_defaults(void **state)
{
    (void)state;
    fr_series *s;
    fr_error e;
    static const char *const nats[FR_SVG_DEFAULT_LINES + 2] = {"USA", "COL", "PER", "CHN", "D",
                                                               "FRA", "ITA", "ESP", "GBR", "MEX"};
    assert_int_equal(fr_series_new(&s), FR_OK);
    for (int k = 0; k < FR_SVG_DEFAULT_LINES + 2; k++)
        for (int i = 0; i < 12; i++) {
            int nat = fr_country_find_cstr(nats[k]);
            assert_int_equal(fr_series_add(s, nat, "arrivals", 2023 * 12 + i, 100 + k, &e), FR_OK);
            assert_int_equal(fr_series_add(s, nat, "encounters", 2023 * 12 + i, 1, &e), FR_OK);
        }
    fr_svg_series_request zero;
    memset(&zero, 0, sizeof zero);
    char *a = NULL, *b = NULL;
    size_t alen, blen;
    assert_int_equal(fr_svg_series_chart(s, &zero, &a, &alen, &e), FR_OK);
    assert_int_equal(fr_svg_series_chart(s, NULL, &b, &blen, &e), FR_OK);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen);
    assert_int_equal(count(a, "<polyline"), FR_SVG_DEFAULT_LINES);
    assert_int_equal(count(a, "<circle"), 0);
    assert_non_null(strstr(a, "Monthly arrivals by nationality, 2023-01 to 2023-12"));
    assert_null(strstr(a, "<title>USA</title>")); /* the two smallest are left out */
    assert_null(strstr(a, "<title>COL</title>"));
    assert_non_null(strstr(a, "<title>MEX</title>"));
    fr_free(a);
    fr_free(b);
    fr_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart_has_the_expected_structure_and_is_deterministic),
        cmocka_unit_test(series_chart_draws_alerted_nationalities_first),
        cmocka_unit_test(series_chart_zero_request_means_the_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
