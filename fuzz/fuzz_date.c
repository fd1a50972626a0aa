/* SPDX-License-Identifier: MIT */
/* fuzz_date.c: the ISO 8601 date and date-time parsers. Any input must give
 * FR_OK or an error with a column inside the input; a parsed value must
 * format and parse back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    fr_date d;
    fr_error err;
    char buf[FR_DATE_BUFSZ];
    if (fr_date_parse(s, size, &d, &err) == FR_OK) {
        fr_date back;
        fr_date_format(d, buf);
        if (fr_date_parse(buf, strlen(buf), &back, NULL) != FR_OK || back != d) abort();
    } else if (err.column < 0 || (size_t)err.column > size + 1) {
        abort();
    }
    fr_datetime t;
    char tbuf[FR_DATETIME_BUFSZ];
    if (fr_datetime_parse(s, size, &t, &err) == FR_OK) {
        fr_datetime back;
        fr_datetime_format(&t, tbuf);
        if (fr_datetime_parse(tbuf, strlen(tbuf), &back, NULL) != FR_OK ||
            fr_datetime_utc(&back) != fr_datetime_utc(&t) || back.date != t.date)
            abort();
    }
    return 0;
}
