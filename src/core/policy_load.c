/* SPDX-License-Identifier: MIT */
/* policy_load.c: the all-or-nothing loader and the destructor.
 *
 * fr_policy_parse builds a fresh policy object: lexing and parsing collect
 * every error, then the cross-rule checks (overlaps) and the lookup table
 * are built only from a clean parse. The object is handed back only when
 * nothing at all went wrong; otherwise it is freed and the caller's policy
 * in force is untouched. */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "policy_internal.h"

void fr_policy_free(fr_policy *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nrules; i++) {
        fr_free((void *)(uintptr_t)p->rules[i].who);
        fr_free((void *)(uintptr_t)p->rules[i].ref);
        fr_free((void *)(uintptr_t)p->rules[i].note);
        fr_free((void *)(uintptr_t)p->rules[i].ref_es);
        fr_free((void *)(uintptr_t)p->rules[i].note_es);
    }
    for (size_t i = 0; i < p->ngroups; i++)
        fr_free(p->groups[i].name);
    fr_free(p->groups);
    fr_free(p->rules);
    fr_free(p->rule_set);
    fr_free(p->cell_off);
    fr_free(p->cell_n);
    fr_free(p->seg_start);
    fr_free(p->seg_rule);
    fr_free(p);
}

int fr_policy_parse(const char *text, size_t len, fr_policy **out, fr_error *errs, size_t max_errs,
                    size_t *n_errs)
{
    fr_pdiag d = {errs, errs ? max_errs : 0, 0, FR_OK};
    fr_policy *p = NULL;
    if (n_errs) *n_errs = 0;
    if (!out || (!text && len)) {
        fr__pdiag_add(&d, FR_EINVAL, 0, 0, "", "no policy text or no place for the result");
        goto done;
    }
    if (len > FR_POLICY_MAX_BYTES) {
        fr__pdiag_add(&d, FR_ELIMIT, 0, 0, "", "the policy is %zu bytes, more than the %u allowed",
                      len, FR_POLICY_MAX_BYTES);
        goto done;
    }
    if (text && memchr(text, 0, len)) {
        const char *z = memchr(text, 0, len);
        int line = 1;
        for (const char *c = text; c < z; c++)
            line += *c == '\n';
        fr__pdiag_add(&d, FR_EPARSE, line, 0, "",
                      "the file contains a NUL byte; it is not a text file");
        goto done;
    }
    p = fr_calloc(1, sizeof *p);
    if (!p) {
        fr__pdiag_add(&d, FR_ENOMEM, 0, 0, "", "out of memory");
        goto done;
    }
    p->ncountries = fr_country_count();
    if (p->ncountries > FR_POLICY_CWORDS * 64) {
        fr__pdiag_add(&d, FR_ELIMIT, 0, 0, "",
                      "the country table is larger than the policy supports");
        goto done;
    }
    fr__policy_parse_entries(p, text ? text : "", len, &d);
    if (d.n == 0) fr__policy_build(p, &d);
done:
    if (n_errs) *n_errs = d.n;
    if (d.n > 0) {
        fr_policy_free(p);
        return d.first;
    }
    *out = p;
    return FR_OK;
}
