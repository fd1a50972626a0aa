/* SPDX-License-Identifier: MIT */
/* test_svg.c: the SVG chart writer (svg.h): structure (one polyline per
 * line, one marker per alert, one rule per policy change, a legend entry per
 * line), accessibility (<title>, <desc>, role="img"), month labels, escaping,
 * byte-identical output for the same input, and the series chart's choice of
 * lines (alerted nationalities first, then the largest). */
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
                   0};
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
    assert_int_equal(fr_svg_series_chart(s, "arrivals", 2, &al, 1, NULL, 0, NULL, FR_MONTH_NONE,
                                         FR_MONTH_NONE, &svg, &len, &e),
                     FR_OK);
    assert_int_equal(count(svg, "<polyline"), 2);
    assert_non_null(strstr(svg, "<title>CHN</title>")); /* alerted, although smallest */
    assert_non_null(strstr(svg, "<title>USA</title>"));
    assert_null(strstr(svg, "<title>COL</title>"));
    assert_int_equal(count(svg, "<circle class=\"alert\""), 1);
    assert_non_null(strstr(svg, "Monthly arrivals by nationality, 2022-01 to 2023-12"));
    fr_free(svg);
    assert_int_equal(fr_svg_series_chart(s, "nonexits", 2, NULL, 0, NULL, 0, "t", FR_MONTH_NONE,
                                         FR_MONTH_NONE, &svg, &len, &e),
                     FR_ENOTFOUND);
    fr_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chart_has_the_expected_structure_and_is_deterministic),
        cmocka_unit_test(series_chart_draws_alerted_nationalities_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
