/* SPDX-License-Identifier: MIT */
/* fuzz_policy.c: the policy loader on arbitrary bytes. A file either loads
 * (and then every lookup agrees with the naive scan and every rule reads
 * back sanely) or fails with at least one error whose line lies inside the
 * input; nothing leaks either way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/country.h"
#include "frontera/policy.h"
#include "policy_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fr_policy *p = NULL;
    fr_error errs[4];
    size_t n = 0;
    int rc = fr_policy_parse((const char *)data, size, &p, errs, 4, &n);
    if (rc != FR_OK) {
        if (p != NULL || n == 0) abort();
        int lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        for (size_t i = 0; i < n && i < 4; i++)
            if (errs[i].line < 0 || errs[i].line > lines || errs[i].message[0] == 0) abort();
        return 0;
    }
    for (size_t i = 0; i < fr_policy_rule_count(p); i++) {
        const fr_policy_rule *r = fr_policy_rule_at(p, i);
        if (!r->ref[0] || (r->to != FR_DATE_NONE && r->to < r->from)) abort();
    }
    fr_date probes[] = {FR_DATE_MIN, -1, 0, 17000, 19000, 19905, 19906, 20000, FR_DATE_MAX};
    for (int c = 0; c < fr_country_count(); c += 7)
        for (int k = 0; k < FR_CLASS_COUNT; k++)
            for (size_t j = 0; j < sizeof probes / sizeof *probes; j++)
                if (fr_policy_lookup(p, c, (fr_admission_class)k, probes[j]) !=
                    fr__policy_lookup_scan(p, c, (fr_admission_class)k, probes[j]))
                    abort();
    fr_policy_free(p);
    return 0;
}
