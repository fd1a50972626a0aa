/* SPDX-License-Identifier: MIT */
/* fuzz_birth.c: the birth-date grammar of published lists
 * (fr_screen_parse_birth: years, months, "DD Mon YYYY", ranges, circa,
 * several dates). Any input gives FR_OK with lo <= hi (both known or both
 * unknown) or an error located inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "frontera/screen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fr_date lo, hi;
    fr_error err;
    int rc = fr_screen_parse_birth((const char *)data, size, &lo, &hi, &err);
    if (rc == FR_OK) {
        if ((lo == FR_DATE_NONE) != (hi == FR_DATE_NONE) || lo > hi) abort();
    } else {
        if (rc != FR_EPARSE && rc != FR_ERANGE) abort();
        if (err.column < 0 || (size_t)err.column > size + 1) abort();
        if (lo != FR_DATE_NONE || hi != FR_DATE_NONE) abort();
    }
    return 0;
}
