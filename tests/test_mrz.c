/* SPDX-License-Identifier: MIT */
/* test_mrz.c: the MRZ reader against the data-driven cases in
 * tests/data/mrz/, every .cases file (the ICAO 9303 specimens of Parts 4-7 and our own
 * mutations of them): every field, check digit, format and finding. Each
 * case is one cmocka test named after it; the file format is described at
 * the top of each .cases file. Fields are compared as `frontera mrz` prints
 * them (null, "" or the text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/mrz.h"

#define MAX_CASES 256
#define MAX_EXPECT 24

typedef struct mrz_case {
    char name[64];
    char file[64];
    fr_mrz_options opt;
    int crlf;
    char text[512];
    size_t len;
    int nfields;
    char fkey[MAX_EXPECT][32], fval[MAX_EXPECT][64];
    int nfind;
    char fcode[MAX_EXPECT][48];
    int fline[MAX_EXPECT], fcol[MAX_EXPECT];
    int valid;
} mrz_case;

static mrz_case CASES[MAX_CASES];
static int NCASES;
static fr_mrz_codes CODES;

/* The value of a key as the CLI prints it; NULL for null. */
static const char *field_text(const fr_mrz *m, const char *key, char *buf)
{
    int p = m->format != FR_MRZ_NONE;
    if (strcmp(key, "format") == 0) return fr_mrz_format_name(m->format);
    if (!p) return NULL;
    if (strcmp(key, "document_code") == 0) return m->document_code;
    if (strcmp(key, "issuing_state") == 0) return m->issuing_state;
    if (strcmp(key, "surname") == 0) return m->surname;
    if (strcmp(key, "given_names") == 0) return m->given_names;
    if (strcmp(key, "document_number") == 0) return m->document_number;
    if (strcmp(key, "nationality") == 0) return m->nationality;
    if (strcmp(key, "optional_data") == 0) return m->optional_data;
    if (strcmp(key, "optional_data_2") == 0)
        return m->format == FR_MRZ_TD1 ? m->optional_data_2 : NULL;
    if (strcmp(key, "sex") == 0) return buf[0] = m->sex, buf[1] = '\0', buf;
    const fr_mrz_date *d = strcmp(key, "birth_date") == 0    ? &m->birth_date
                           : strcmp(key, "expiry_date") == 0 ? &m->expiry_date
                                                             : NULL;
    if (!d) fail_msg("unknown field %s", key);
    fr_mrz_date_format(d, buf);
    return buf[0] ? buf : NULL;
}

static void run_case(void **state)
{
    const mrz_case *c = *state;
    fr_mrz m;
    int rc = fr_mrz_parse(c->text, c->len, &c->opt, &m);
    char buf[FR_MRZ_DATE_BUFSZ + 4];
    for (int i = 0; i < m.nfindings; i++)
        print_message("  %s:%s finding %s %d %d: %s\n", c->file, c->name,
                      fr_mrz_code_name(m.findings[i].code), m.findings[i].line,
                      m.findings[i].column, m.findings[i].message);
    for (int i = 0; i < c->nfields; i++) {
        const char *got = field_text(&m, c->fkey[i], buf);
        const char *want = c->fval[i];
        if (strcmp(want, "null") == 0) {
            if (got) fail_msg("%s: %s is '%s', expected null", c->name, c->fkey[i], got);
            continue;
        }
        if (strcmp(want, "\"\"") == 0) want = "";
        if (!got) fail_msg("%s: %s is null, expected '%s'", c->name, c->fkey[i], want);
        if (strcmp(got, want) != 0)
            fail_msg("%s: %s is '%s', expected '%s'", c->name, c->fkey[i], got, want);
    }
    /* Every finding has a place, whatever the case file expects: 1-based,
     * a whole zone's at line 1, column 1 (mrz.h); "line 0" reached officers
     * once through `frontera mrz` while the booth said line 1. */
    for (int i = 0; i < m.nfindings; i++) {
        if (m.findings[i].line < 1 || m.findings[i].line > 3 || m.findings[i].column < 1)
            fail_msg("%s: finding %s at line %d, column %d: not a place in the MRZ", c->name,
                     fr_mrz_code_name(m.findings[i].code), m.findings[i].line,
                     m.findings[i].column);
    }
    assert_int_equal(m.nfindings, c->nfind);
    for (int i = 0; i < c->nfind; i++) {
        assert_string_equal(fr_mrz_code_name(m.findings[i].code), c->fcode[i]);
        assert_int_equal(m.findings[i].line, c->fline[i]);
        assert_int_equal(m.findings[i].column, c->fcol[i]);
        assert_true(strlen(m.findings[i].message) > 20); /* a sentence, not a code */
        /* a finding's values, for another language's sentence: those the
         * English one says (a check digit's, a line's length, a country code
         * read); none on other findings */
        const fr_mrz_finding *f = &m.findings[i];
        if (strncmp(c->fcode[i], "check_digit.", 12) == 0 && !strstr(f->message, "filler")) {
            assert_true(f->found[0] && f->expected[0]);
            if (strspn(f->value, "<") < strlen(f->value)) /* not all fillers */
                assert_non_null(strstr(f->message, f->value));
            if (f->expected[0] != '<') assert_non_null(strstr(f->message, f->expected));
        } else if (strcmp(c->fcode[i], "length") == 0) {
            char says[sizeof f->value + 32];
            snprintf(says, sizeof says, "has %s characters; a", f->value);
            assert_non_null(strstr(f->message, says));
            snprintf(says, sizeof says, " line has %s.", f->expected);
            assert_non_null(strstr(f->message, says));
            assert_false(f->found[0]);
        } else if (strncmp(c->fcode[i], "country.", 8) == 0 && !strstr(f->message, "missing")) {
            char says[sizeof f->value + 4];
            snprintf(says, sizeof says, "'%s'", f->value);
            assert_true(strlen(f->value) == 3 && strstr(f->message, says));
            assert_false(f->found[0] || f->expected[0]);
        } else if (strncmp(c->fcode[i], "check_digit.", 12) != 0) {
            assert_true(!f->found[0] && !f->expected[0] && !f->value[0]);
        }
    }
    assert_int_equal(m.valid, c->valid);
    assert_int_equal(rc, c->valid ? FR_OK : FR_EPARSE);
    assert_int_equal(m.findings_overflow, 0);

    /* The prepared code table gives exactly the same result. */
    fr_mrz_options fast = c->opt;
    fast.codes = &CODES;
    fr_mrz m2;
    assert_int_equal(fr_mrz_parse(c->text, c->len, &fast, &m2), rc);
    assert_int_equal(m2.nfindings, m.nfindings);
    for (int i = 0; i < m.nfindings; i++) {
        assert_int_equal(m2.findings[i].code, m.findings[i].code);
        assert_string_equal(m2.findings[i].message, m.findings[i].message);
    }
    assert_string_equal(m2.issuing_state, m.issuing_state);
    assert_string_equal(m2.nationality, m.nationality);
}

static void load_file(const char *dir, const char *fname)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, fname);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char line[512];
    mrz_case *c = NULL;
    int in_mrz = 0, lines = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = '\0';
        if (in_mrz) {
            if (strcmp(line, "end") == 0) {
                in_mrz = 0;
                continue;
            }
            const char *sep = c->crlf ? "\r\n" : "\n";
            if (lines++) memcpy(c->text + c->len, sep, strlen(sep)), c->len += strlen(sep);
            assert_true(c->len + n < sizeof c->text);
            memcpy(c->text + c->len, line, n);
            c->len += n;
            continue;
        }
        if (n == 0 || line[0] == '#') continue;
        char *val = strchr(line, ' ');
        if (val) *val++ = '\0';
        if (strcmp(line, "case") == 0) {
            assert_true(NCASES < MAX_CASES);
            c = &CASES[NCASES++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%s", val);
            snprintf(c->file, sizeof c->file, "%s", fname);
            c->opt = fr_mrz_options_default(FR_DATE_NONE);
            continue;
        }
        assert_non_null(c);
        if (strcmp(line, "source") == 0) {
            assert_non_null(val);
        } else if (strcmp(line, "today") == 0) {
            assert_int_equal(fr_date_parse_cstr(val, &c->opt.today, NULL), FR_OK);
        } else if (strcmp(line, "option") == 0) {
            if (strcmp(val, "specimen") == 0)
                c->opt.specimen = 1;
            else if (strcmp(val, "repair") == 0)
                c->opt.repair = 1;
            else if (strcmp(val, "crlf") == 0)
                c->crlf = 1;
            else if (strncmp(val, "expiry_years=", 13) == 0)
                c->opt.expiry_years = atoi(val + 13);
            else
                fail_msg("%s: unknown option %s", path, val);
        } else if (strcmp(line, "mrz") == 0) {
            in_mrz = 1;
            lines = 0;
        } else if (strcmp(line, "field") == 0) {
            char *v = strchr(val, ' ');
            assert_non_null(v);
            *v++ = '\0';
            assert_true(c->nfields < MAX_EXPECT);
            snprintf(c->fkey[c->nfields], sizeof c->fkey[0], "%s", val);
            snprintf(c->fval[c->nfields], sizeof c->fval[0], "%s", v);
            c->nfields++;
        } else if (strcmp(line, "finding") == 0) {
            assert_true(c->nfind < MAX_EXPECT);
            assert_int_equal(sscanf(val, "%47s %d %d", c->fcode[c->nfind], &c->fline[c->nfind],
                                    &c->fcol[c->nfind]),
                             3);
            c->nfind++;
        } else if (strcmp(line, "valid") == 0) {
            c->valid = strcmp(val, "true") == 0;
        } else {
            fail_msg("%s: unknown directive '%s'", path, line);
        }
    }
    fclose(f);
}

int main(void)
{
    fr_mrz_codes_init(&CODES);
    const char *dir = FR_SOURCE_DIR "/tests/data/mrz";
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 6 && strcmp(e->d_name + n - 6, ".cases") == 0) load_file(dir, e->d_name);
    }
    closedir(d);
    if (NCASES < 60) {
        fprintf(stderr, "only %d MRZ cases found in %s\n", NCASES, dir);
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)NCASES, sizeof *tests);
    if (!tests) return 1;
    for (int i = 0; i < NCASES; i++) {
        if (CASES[i].opt.today == FR_DATE_NONE) {
            fprintf(stderr, "case %s has no today\n", CASES[i].name);
            return 1;
        }
        tests[i].name = CASES[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &CASES[i];
    }
    int rc = _cmocka_run_group_tests("mrz_cases", tests, (size_t)NCASES, NULL, NULL);
    free(tests);
    return rc;
}
