/* SPDX-License-Identifier: MIT */
/* fuzz_evidence.c: fr_linkage_explain_parse, the reading back of a review's
 * stored evidence. Any input gives FR_OK or FR_EPARSE with a column inside
 * the text; what reads back writes again (fr_linkage_explain) to a text
 * that reads back to the same comparisons. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/linkage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    fr_linkage_score sc, back;
    fr_error err;
    int rc = fr_linkage_explain_parse(s, &sc, &err);
    if (rc == FR_OK) {
        char buf[2048];
        if (fr_linkage_explain(&sc, buf, sizeof buf) >= sizeof buf) goto done;
        if (fr_linkage_explain_parse(buf, &back, NULL) != FR_OK || back.n != sc.n) abort();
        for (size_t i = 0; i < sc.n; i++)
            if (strcmp(back.items[i].field, sc.items[i].field) != 0 ||
                strcmp(back.items[i].level, sc.items[i].level) != 0)
                abort();
        if ((sc.no_link == NULL) != (back.no_link == NULL)) abort();
    } else if (rc != FR_EPARSE || err.column < 1 || (size_t)err.column > strlen(s) + 1 ||
               sc.n != 0) {
        abort();
    }
done:
    free(s);
    return 0;
}
