/* SPDX-License-Identifier: MIT */
/* test_webassets.c: the table of built-in web pages (webassets.h), as the
 * server looks paths up in it: every page answers under its short name and
 * its file name with the right Content-Type, the query string is ignored,
 * near misses and path tricks are not found, and the bytes are the pages'
 * (the chart library included, so the dashboard needs no other host). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "frontera/webassets.h"

/* The asset at path, with its type; fails the test when absent. */
static const char *get(const char *path, size_t *len, const char **ctype)
{
    const unsigned char *data = NULL;
    assert_int_equal(fr_web_asset(path, &data, len, ctype), 1);
    assert_non_null(data);
    assert_true(*len > 0);
    return (const char *)data;
}

static int contains(const char *data, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(data + i, needle, n) == 0) return 1;
    return 0;
}

static void pages_answer_under_short_and_file_names(void **st)
{
    (void)st;
    static const char *const pages[][3] = {
        {"/", "/index.html", "<title data-i18n=\"home.doc_title\">Home"},
        {"/booth", "/booth.html", "<title data-i18n=\"booth.doc_title\">Booth"},
        {"/dashboard", "/dashboard.html", "<title data-i18n=\"dash.doc_title\">Dashboard"},
        {"/traveller", "/traveller.html", "<title data-i18n=\"trav.doc_title\">Traveller"},
        {"/overstayers", "/overstayers.html", "<title data-i18n=\"ovl.doc_title\">Overstayers"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        size_t a_len, b_len;
        const char *a_type, *b_type;
        const char *a = get(pages[i][0], &a_len, &a_type);
        const char *b = get(pages[i][1], &b_len, &b_type);
        assert_ptr_equal(a, b); /* one copy, two names */
        assert_int_equal(a_len, b_len);
        assert_string_equal(a_type, "text/html; charset=utf-8");
        assert_true(contains(a, a_len, pages[i][2]));
        assert_int_equal(a[a_len], '\0'); /* text is NUL-terminated past its length */
    }
}

/* The shared header is included into every page at build time: each page
 * carries the navigation and the skip link, and no include line is left. */
static void every_page_has_the_shared_header(void **st)
{
    (void)st;
    static const char *const pages[] = {"/", "/booth", "/dashboard", "/traveller", "/overstayers"};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        size_t len;
        const char *ctype;
        const char *d = get(pages[i], &len, &ctype);
        assert_true(contains(d, len, "<nav class=\"pages\" aria-label=\"Pages\""));
        assert_true(contains(d, len, "<select id=\"lang\" name=\"lang\">"));
        assert_true(contains(d, len, "Skip to the page"));
        assert_true(contains(d, len, "<section id=\"signin\""));
        assert_false(contains(d, len, "<!--#include"));
        assert_false(contains(d, len, "{{"));
    }
}

static void assets_have_their_content_types(void **st)
{
    (void)st;
    size_t len;
    const char *type;
    get("/assets/app.css", &len, &type);
    assert_string_equal(type, "text/css; charset=utf-8");
    get("/assets/booth.js", &len, &type);
    assert_string_equal(type, "text/javascript; charset=utf-8");
    get("/assets/icon.svg", &len, &type);
    assert_string_equal(type, "image/svg+xml");
}

static void the_chart_library_is_built_in(void **st)
{
    (void)st;
    size_t len;
    const char *type;
    const char *js = get("/assets/vendor/uPlot.esm.js", &len, &type);
    assert_string_equal(type, "text/javascript; charset=utf-8");
    assert_true(len > 10000);
    assert_true(contains(js, len, "export { uPlot as default }"));
    get("/assets/vendor/uPlot.min.css", &len, &type);
    assert_string_equal(type, "text/css; charset=utf-8");
    get("/assets/vendor/uPlot.LICENSE.txt", &len, &type);
    /* the charts import the library from the server's own origin */
    const char *charts = get("/assets/charts.js", &len, &type);
    assert_true(contains(charts, len, "./vendor/uPlot.esm.js"));
}

static void query_string_and_fragment_are_ignored(void **st)
{
    (void)st;
    const unsigned char *a, *b;
    assert_int_equal(fr_web_asset("/traveller", &a, NULL, NULL), 1);
    assert_int_equal(fr_web_asset("/traveller?id=42", &b, NULL, NULL), 1);
    assert_ptr_equal(a, b);
    assert_int_equal(fr_web_asset("/booth#mrz", &b, NULL, NULL), 1);
    assert_int_equal(fr_web_asset("/?x=1", &b, NULL, NULL), 1);
}

static void unknown_paths_are_not_found_and_outputs_untouched(void **st)
{
    (void)st;
    static const char *const misses[] = {
        "",
        "/boot",
        "/booths",
        "/booth/",
        "/BOOTH",
        "/v1/policy",
        "/assets/",
        "/assets",
        "/assets/../booth.html",
        "//booth",
        "/assets/app.cs",
        "/index.htm",
        "/favicon.ico",
    };
    for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++) {
        const unsigned char *data = (const unsigned char *)"x";
        size_t len = 7;
        const char *type = "t";
        assert_int_equal(fr_web_asset(misses[i], &data, &len, &type), 0);
        assert_string_equal((const char *)data, "x");
        assert_int_equal(len, 7);
        assert_string_equal(type, "t");
        assert_null(fr_web_asset_etag(misses[i]));
    }
    assert_int_equal(fr_web_asset(NULL, NULL, NULL, NULL), 0);
    assert_null(fr_web_asset_etag(NULL));
    assert_int_equal(fr_web_asset("/booth", NULL, NULL, NULL), 1); /* outputs optional */
}

static void etags_are_quoted_hashes_that_differ_between_files(void **st)
{
    (void)st;
    const char *a = fr_web_asset_etag("/booth");
    const char *b = fr_web_asset_etag("/dashboard");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(strlen(a), 18);
    assert_int_equal(a[0], '"');
    assert_int_equal(a[17], '"');
    assert_string_not_equal(a, b);
    assert_string_equal(a, fr_web_asset_etag("/booth.html"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pages_answer_under_short_and_file_names),
        cmocka_unit_test(assets_have_their_content_types),
        cmocka_unit_test(every_page_has_the_shared_header),
        cmocka_unit_test(the_chart_library_is_built_in),
        cmocka_unit_test(query_string_and_fragment_are_ignored),
        cmocka_unit_test(unknown_paths_are_not_found_and_outputs_untouched),
        cmocka_unit_test(etags_are_quoted_hashes_that_differ_between_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
