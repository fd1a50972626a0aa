/* SPDX-License-Identifier: MIT */
/* fuzz_alert_tests.c: the --tests list parser (fr_alert_tests_parse). Any
 * input gives FR_OK with known test bits only, or FR_EINVAL with a column
 * inside the input; a parsed list, written back as names, parses to the same
 * bits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alerts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[256];
    if (size >= sizeof s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    unsigned t = 0;
    fr_error err;
    int rc = fr_alert_tests_parse(s, &t, &err);
    if (rc == FR_OK) {
        if (!t || (t & ~FR_ALERT_TESTS_ALL)) abort();
        char buf[128] = "";
        for (int b = 0; b < FR_ALERT_TEST_COUNT; b++)
            if (t & (1u << b)) {
                if (buf[0]) strcat(buf, ",");
                strcat(buf, fr_alert_test_name(1u << b));
            }
        unsigned back = 0;
        if (fr_alert_tests_parse(buf, &back, NULL) != FR_OK || back != t) abort();
    } else if (rc != FR_EINVAL || err.column < 1 || (size_t)err.column > strlen(s) + 1) {
        abort();
    }
    return 0;
}
