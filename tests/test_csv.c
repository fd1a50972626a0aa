/* SPDX-License-Identifier: MIT */
/* test_csv.c: the streaming CSV reader (csv.h): RFC 4180 quoting, line
 * endings, located errors and recovery, limits, streaming through a tiny
 * read buffer, and quoting for output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/csv.h"
#include <stdlib.h>

static fr_csv *mem(const char *s, const fr_csv_limits *lim)
{
    fr_csv *c = NULL;
    assert_int_equal(fr_csv_new_mem(s, strlen(s), lim, &c), FR_OK);
    return c;
}

static void expect_row(fr_csv *c, long line, size_t n, const char *const *want)
{
    fr_csv_row r;
    fr_error e;
    assert_int_equal(fr_csv_next(c, &r, &e), 1);
    assert_int_equal(r.line, line);
    assert_int_equal(r.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r.fields[i].len, strlen(want[i]));
        assert_memory_equal(r.fields[i].ptr, want[i], r.fields[i].len);
        assert_int_equal(r.fields[i].ptr[r.fields[i].len], '\0');
    }
}

static void plain_and_quoted_fields(void **st)
{
    (void)st;
    fr_csv *c = mem("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\n\"two\nlines\",,z", NULL);
    expect_row(c, 1, 3, (const char *const[]){"a", "b", "c"});
    expect_row(c, 2, 3, (const char *const[]){"x,1", "say \"hi\"", ""});
    expect_row(c, 3, 3, (const char *const[]){"two\nlines", "", "z"});
    fr_csv_row r;
    assert_int_equal(fr_csv_next(c, &r, NULL), 0);
    assert_int_equal(fr_csv_next(c, &r, NULL), 0);
    fr_csv_free(c);
}

static void crlf_and_blank_lines(void **st)
{
    (void)st;
    fr_csv *c = mem("a,b\r\n\r\n\"q\"\r\nlone\rcr\n", NULL);
    expect_row(c, 1, 2, (const char *const[]){"a", "b"});
    expect_row(c, 2, 1, (const char *const[]){""});
    expect_row(c, 3, 1, (const char *const[]){"q"});
    expect_row(c, 4, 1, (const char *const[]){"lone\rcr"});
    fr_csv_row r;
    assert_int_equal(fr_csv_next(c, &r, NULL), 0);
    fr_csv_free(c);
}

static void errors_say_line_and_column_and_reader_recovers(void **st)
{
    (void)st;
    fr_csv *c = mem("ok,1\nab\"c,2\n\"x\"y,3\nfine,4\n\"open,5\n", NULL);
    fr_csv_row r;
    fr_error e;
    expect_row(c, 1, 2, (const char *const[]){"ok", "1"});
    assert_int_equal(fr_csv_next(c, &r, &e), FR_EPARSE);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 3);
    assert_non_null(strstr(e.message, "quote inside an unquoted field"));
    assert_int_equal(fr_csv_next(c, &r, &e), FR_EPARSE);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 4);
    assert_non_null(strstr(e.message, "after a closing quote"));
    expect_row(c, 4, 2, (const char *const[]){"fine", "4"});
    assert_int_equal(fr_csv_next(c, &r, &e), FR_EPARSE);
    assert_int_equal(e.line, 5);
    assert_non_null(strstr(e.message, "never closed"));
    assert_int_equal(fr_csv_next(c, &r, &e), 0);
    fr_csv_free(c);
}

/* Spreadsheets set to Spanish write ';' between fields (a decimal comma);
 * a quoted ';' stays in its field, and a comma is then plain text. */
static void semicolon_separated(void **st)
{
    (void)st;
    fr_csv_limits lim = {.sep = ';'};
    fr_csv *c = mem("a;b,c;\"d;e\"\n1;;3\n", &lim);
    expect_row(c, 1, 3, (const char *const[]){"a", "b,c", "d;e"});
    expect_row(c, 2, 3, (const char *const[]){"1", "", "3"});
    fr_csv_free(c);
    fr_csv_limits bad = {.sep = '\t'};
    fr_csv *d = NULL;
    assert_int_equal(fr_csv_new_mem("a\tb\n", 4, &bad, &d), FR_EINVAL);
    assert_null(d);
}

static void limits_on_record_length_and_field_count(void **st)
{
    (void)st;
    fr_csv_limits lim = {.max_record = 8, .max_fields = 3};
    fr_csv *c = mem("abcdefghijk,1\na,b,c,d\na,b,c\n12345678\n", &lim);
    fr_csv_row r;
    fr_error e;
    assert_int_equal(fr_csv_next(c, &r, &e), FR_ELIMIT);
    assert_int_equal(e.line, 1);
    assert_non_null(strstr(e.message, "longer than 8 bytes"));
    assert_int_equal(fr_csv_next(c, &r, &e), FR_ELIMIT);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.message, "more than 3 fields"));
    expect_row(c, 3, 3, (const char *const[]){"a", "b", "c"});
    expect_row(c, 4, 1, (const char *const[]){"12345678"});
    assert_int_equal(fr_csv_next(c, &r, &e), 0);
    fr_csv_free(c);
}

typedef struct {
    const char *s;
    size_t pos, len;
} drip;

/* Hand out one byte per call: every state must survive a buffer boundary. */
static int drip_read(void *ud, char *buf, size_t cap, size_t *got)
{
    drip *d = ud;
    (void)cap;
    *got = d->pos < d->len ? 1 : 0;
    if (*got) buf[0] = d->s[d->pos++];
    return FR_OK;
}

static void streaming_one_byte_at_a_time(void **st)
{
    (void)st;
    const char *text = "id,\"a \"\"b\"\"\"\r\n\"x\r\ny\",2\n";
    drip d = {text, 0, strlen(text)};
    fr_csv *c = NULL;
    assert_int_equal(fr_csv_new(drip_read, &d, NULL, &c), FR_OK);
    expect_row(c, 1, 2, (const char *const[]){"id", "a \"b\""});
    expect_row(c, 2, 2, (const char *const[]){"x\r\ny", "2"});
    fr_csv_row r;
    assert_int_equal(fr_csv_next(c, &r, NULL), 0);
    assert_int_equal(fr_csv_offset(c), strlen(text));
    fr_csv_free(c);
}

static int failing_read(void *ud, char *buf, size_t cap, size_t *got)
{
    (void)ud, (void)buf, (void)cap;
    *got = 0;
    return FR_EIO;
}

static void read_errors_are_passed_on(void **st)
{
    (void)st;
    fr_csv *c = NULL;
    assert_int_equal(fr_csv_new(failing_read, NULL, NULL, &c), FR_OK);
    fr_csv_row r;
    fr_error e;
    assert_int_equal(fr_csv_next(c, &r, &e), FR_EIO);
    fr_csv_free(c);
    fr_csv_free(NULL);
}

static void quoting_for_output_round_trips(void **st)
{
    (void)st;
    const char *cases[] = {"plain", "a,b", "say \"x\"", "two\nlines", " lead", ""};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        size_t n = fr_csv_quote(cases[i], strlen(cases[i]), out, sizeof out);
        assert_true(n < sizeof out);
        out[n] = '\n'; /* a record of one field, even when it is empty */
        out[n + 1] = '\0';
        assert_int_equal(fr_csv_quote(cases[i], strlen(cases[i]), NULL, 0), n);
        fr_csv *c = mem(out, NULL);
        fr_csv_row r;
        assert_int_equal(fr_csv_next(c, &r, NULL), 1);
        assert_int_equal(r.count, 1);
        assert_string_equal(r.fields[0].ptr, cases[i]);
        fr_csv_free(c);
    }
    char small[3];
    assert_int_equal(fr_csv_quote("a,b", 3, small, sizeof small), 5); /* "a,b" quoted */
}

static long oom_left;
static void *oom_malloc(size_t n, void *ud)
{
    (void)ud;
    return oom_left-- > 0 ? malloc(n) : NULL;
}
static void *oom_realloc(void *p, size_t n, void *ud)
{
    (void)ud;
    return oom_left-- > 0 ? realloc(p, n) : NULL;
}
static void oom_free(void *p, void *ud)
{
    (void)ud;
    free(p);
}

static void out_of_memory_at_each_allocation_is_reported(void **st)
{
    (void)st;
    static const fr_allocator oom = {oom_malloc, oom_realloc, oom_free, NULL};
    int created = 0;
    for (long n = 0; n < 10 && !created; n++) {
        fr_csv *c = NULL;
        fr_set_allocator(&oom);
        oom_left = n;
        drip d = {"a\n", 0, 2};
        int rc = fr_csv_new(drip_read, &d, NULL, &c);
        fr_set_allocator(NULL);
        if (rc == FR_OK) {
            created = 1;
            fr_csv_free(c);
        } else {
            assert_int_equal(rc, FR_ENOMEM);
            assert_null(c);
        }
    }
    assert_true(created);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_quoted_fields),
        cmocka_unit_test(semicolon_separated),
        cmocka_unit_test(crlf_and_blank_lines),
        cmocka_unit_test(errors_say_line_and_column_and_reader_recovers),
        cmocka_unit_test(limits_on_record_length_and_field_count),
        cmocka_unit_test(streaming_one_byte_at_a_time),
        cmocka_unit_test(read_errors_are_passed_on),
        cmocka_unit_test(quoting_for_output_round_trips),
        cmocka_unit_test(out_of_memory_at_each_allocation_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
