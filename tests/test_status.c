/* SPDX-License-Identifier: MIT */
/* test_status.c: fr_error keeps what its message is made of, and
 * fr_error_format says it again from a translated format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/date.h"
#include "frontera/status.h"

/* err's own formats give its message back */
static void same_again(const fr_error *e)
{
    char out[512];
    assert_int_equal(fr_error_format(e, NULL, e->fmt, out, sizeof out), FR_OK);
    assert_string_equal(out, e->message);
}

static void values_are_kept_as_printed(void **st)
{
    (void)st;
    fr_error e;
    fr_error_set(&e, FR_EPARSE, 3, 7, "at", "day %02d does not exist in %04d-%02d", 31, 2024, 2);
    assert_string_equal(e.message, "day 31 does not exist in 2024-02");
    assert_ptr_not_equal(e.fmt, NULL);
    assert_int_equal(e.nargs, 3);
    same_again(&e);
    char out[256];
    assert_int_equal(
        fr_error_format(&e, NULL, "el día %02d no existe en %04d-%02d", out, sizeof out), FR_OK);
    assert_string_equal(out, "el día 31 no existe en 2024-02");
    /* numbered: a language that says them in another order */
    assert_int_equal(fr_error_format(&e, NULL, "%2$d-%3$d: no %1$d", out, sizeof out), FR_OK);
    assert_string_equal(out, "2024-02: no 31");
}

static void every_kind_of_conversion(void **st)
{
    (void)st;
    fr_error e;
    size_t z = 12345;
    long long ll = -9000000000LL;
    fr_error_set(&e, FR_EINVAL, 0, 0, "", "%s|%.3s|%.*s|%-5d|%zu|%lld|%llu|%c|%g|%x|%5.1f|%%|%ld",
                 "abc", "abcdef", 2, "xyz", 42, z, ll, 7ULL, 'Q', 0.5, 255u, 3.14159, -3L);
    assert_string_equal(e.message, "abc|abc|xy|42   |12345|-9000000000|7|Q|0.5|ff|  3.1|%|-3");
    assert_int_equal(e.nargs, 12);
    same_again(&e);
    char out[256];
    /* %% stays a percent sign and is not a value */
    assert_int_equal(fr_error_format(&e, NULL, "%s %s %s %d %zu %lld %llu %c %g %x %f 100%% %ld",
                                     out, sizeof out),
                     FR_OK);
    assert_string_equal(out, "abc abc xy 42    12345 -9000000000 7 Q 0.5 ff   3.1 100% -3");
}

/* A value cut to no characters is not read: a token in the input is not
 * ended, and the sanitizer build reads a "%.0s" value to its end. */
static void a_value_cut_to_nothing_is_not_read(void **st)
{
    (void)st;
    char *tok = malloc(3);
    assert_non_null(tok);
    memcpy(tok, "abc", 3); /* no NUL */
    fr_error e;
    fr_error_set(&e, FR_EPARSE, 1, 1, "", "entry '%.*s' and '%.*s'", 0, tok, 2, tok);
    assert_string_equal(e.message, "entry '' and 'ab'");
    assert_int_equal(e.nargs, 2);
    same_again(&e);
    free(tok);
}

static void a_format_that_does_not_fit_is_refused(void **st)
{
    (void)st;
    fr_error e;
    char out[64];
    fr_error_set(&e, FR_EINVAL, 0, 0, "", "%s and %s", "one", "two");
    assert_int_equal(fr_error_format(&e, NULL, "solo %s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%s, %s, %s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%3$s", out, sizeof out), FR_EINVAL);
    /* numbers C does not have, or mixed with plain conversions */
    assert_int_equal(fr_error_format(&e, NULL, "%0$s %2$s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%4294967297$s %2$s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%1$s %s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%99999999999s %s", out, sizeof out), FR_EINVAL);
    assert_int_equal(fr_error_format(&e, NULL, "%2$s %1$s", out, sizeof out), FR_OK);
    assert_string_equal(out, "two one");
    assert_int_equal(fr_error_format(&e, NULL, "%s y %s", out, sizeof out), FR_OK);
    assert_string_equal(out, "one y two");
    /* cut to the buffer, always ended */
    assert_int_equal(fr_error_format(&e, NULL, "%s y %s", out, 6), FR_OK);
    assert_string_equal(out, "one y");
    /* no format kept: nothing to say again */
    fr_error_clear(&e);
    snprintf(e.message, sizeof e.message, "made by hand");
    assert_int_equal(fr_error_format(&e, NULL, "hecho a mano", out, sizeof out), FR_EINVAL);
}

static void values_that_do_not_fit_are_not_kept(void **st)
{
    (void)st;
    fr_error e;
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    fr_error_set(&e, FR_EINVAL, 0, 0, "", "value %s", big);
    assert_ptr_equal(e.fmt, NULL); /* the message is cut; its value is not kept */
    assert_int_equal(e.nargs, 0);
    char out[64];
    assert_int_equal(fr_error_format(&e, NULL, "valor %s", out, sizeof out), FR_EINVAL);
}

static void a_prefix_is_said_again_with_its_own_format(void **st)
{
    (void)st;
    fr_error e;
    fr_date d;
    assert_int_not_equal(fr_date_parse_cstr("2024-13-01", &d, &e), FR_OK);
    fr_error_prefix(&e, "'%.40s' is not a date (YYYY-MM-DD): ", "2024-13-01");
    assert_string_equal(e.message,
                        "'2024-13-01' is not a date (YYYY-MM-DD): month 13 does not exist");
    assert_ptr_not_equal(e.prefix_fmt, NULL);
    assert_int_equal(e.nprefix, 1);
    same_again(&e);
    char out[256];
    assert_int_equal(fr_error_format(&e, "'%s' no es una fecha (AAAA-MM-DD): ",
                                     "el mes %02d no existe", out, sizeof out),
                     FR_OK);
    assert_string_equal(out, "'2024-13-01' no es una fecha (AAAA-MM-DD): el mes 13 no existe");
    /* a prefix whose format fails leaves nothing behind in out */
    assert_int_equal(fr_error_format(&e, "%s %s", "el mes %02d no existe", out, sizeof out),
                     FR_EINVAL);
    assert_string_equal(out, "");
    /* a second prefix is put in the message but the parts are no longer kept */
    fr_error_prefix(&e, "line %d: ", 4);
    assert_string_equal(e.message,
                        "line 4: '2024-13-01' is not a date (YYYY-MM-DD): month 13 does not exist");
    assert_ptr_equal(e.fmt, NULL);
    assert_int_equal(fr_error_format(&e, NULL, "x", out, sizeof out), FR_EINVAL);
}

static void a_message_changed_afterwards_is_seen(void **st)
{
    (void)st;
    fr_error e;
    fr_error_set(&e, FR_EINVAL, 0, 0, "", "bad port %s", "ECU9");
    snprintf(e.message, sizeof e.message, "something else");
    char out[64];
    assert_int_equal(fr_error_format(&e, NULL, e.fmt, out, sizeof out), FR_OK);
    assert_string_not_equal(out, e.message); /* what a caller checks before translating */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_kept_as_printed),
        cmocka_unit_test(every_kind_of_conversion),
        cmocka_unit_test(a_value_cut_to_nothing_is_not_read),
        cmocka_unit_test(a_format_that_does_not_fit_is_refused),
        cmocka_unit_test(values_that_do_not_fit_are_not_kept),
        cmocka_unit_test(a_prefix_is_said_again_with_its_own_format),
        cmocka_unit_test(a_message_changed_afterwards_is_seen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
