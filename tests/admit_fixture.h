/* SPDX-License-Identifier: MIT */
/* admit_fixture.h: what the admission tests share (test_admit.c,
 * test_admit_params.c): a policy parsed from the test's own text, and the MRZ
 * of a made-up passport or card. Header-only: each test is its own program;
 * include after <cmocka.h>. */
#ifndef FR_TESTS_ADMIT_FIXTURE_H
#define FR_TESTS_ADMIT_FIXTURE_H

#include <string.h>

#include "frontera/admit.h"
#include "frontera/alloc.h"
#include "frontera/mrz.h"
#include "frontera/policy.h"

/* The policy parsed from text (the test fails on an error, printing the
 * first). */
static inline fr_policy *fixture_policy(const char *text, size_t len)
{
    fr_policy *p = NULL;
    fr_error errs[4];
    size_t n = 0;
    int rc = fr_policy_parse(text, len, &p, errs, 4, &n);
    if (rc != FR_OK)
        print_error("policy: %d:%d %s\n", errs[0].line, errs[0].column, errs[0].message);
    assert_int_equal(rc, FR_OK);
    return p;
}

/* MRZ text for a document of PEREZ, ANA MARIA (F, born 1990-05-17); the
 * other fields as fr_mrz_make takes them. */
static inline void make(char out[FR_MRZ_TEXT_MAX], fr_mrz_format fmt, const char *code,
                        const char *nat, const char *number, const char *expiry)
{
    fr_mrz m;
    memset(&m, 0, sizeof m);
    m.format = fmt;
    strcpy(m.document_code, code);
    strcpy(m.issuing_state, nat);
    strcpy(m.nationality, nat);
    strcpy(m.surname, "PEREZ");
    strcpy(m.given_names, "ANA MARIA");
    strcpy(m.document_number, number);
    m.sex = 'F';
    assert_int_equal(fr_mrz_date_parse("1990-05-17", 10, &m.birth_date), FR_OK);
    assert_int_equal(fr_mrz_date_parse(expiry, strlen(expiry), &m.expiry_date), FR_OK);
    fr_error err;
    assert_int_equal(fr_mrz_make(&m, NULL, out, &err), FR_OK);
}

#endif
