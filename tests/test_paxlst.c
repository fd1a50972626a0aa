/* SPDX-License-Identifier: MIT */
/* test_paxlst.c: the PAXLST reader against every real sample and against
 * constructed messages.
 *
 * Data-driven part: each tests/data/paxlst/NAME.expect gives the expected
 * lenient reading of NAME.edi (every finding in order, every leg, chosen
 * persons; format in the file's header). The .edi is taken from
 * tests/data/paxlst/ (the GTAS files, copied with their notice) or else from
 * ../shared/data/paxlst/; when neither has it the case is skipped, or fails
 * when CI=true. Every expectation file must match a file and every sample
 * in ../shared/data/paxlst/ must have an expectation (so a new sample cannot
 * go untested). The constructed part covers D12B, transit (DDU/DDT),
 * separators, UNOC, line ends, strict withholding and the limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/paxlst.h"

#define DATA_DIR FR_SOURCE_DIR "/tests/data/paxlst"
#define SHARED_DIR FR_SHARED_DATA "/paxlst"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

static const fr_paxlst *read_mem(const char *text, int lenient)
{
    static fr_paxlst *last;
    fr_paxlst_free(last);
    last = NULL;
    if (!text) return NULL;
    fr_paxlst_options o = {lenient, 0, 0};
    assert_int_equal(fr_paxlst_read(text, strlen(text), &o, &last, NULL), FR_OK);
    return last;
}

static void fmt_person(const fr_paxlst_person *p, char *out, size_t cap)
{
    char b[FR_DATE_BUFSZ];
    int n =
        snprintf(out, cap, "%s|%s|%s|%s|%s|%s|%s|%s|%s|", fr_paxlst_role_name(p->role), p->surname,
                 p->given_names, p->sex,
                 p->birth_date == FR_DATE_NONE ? "" : fr_date_format(p->birth_date, b),
                 p->nationality, p->residence_country, p->embarkation_port, p->debarkation_port);
    for (int i = 0; i < p->ndocs && n > 0 && (size_t)n < cap; i++) {
        const fr_paxlst_document *d = &p->docs[i];
        n += snprintf(out + n, cap - (size_t)n, "%s%s/%s/%s/%s", i ? ";" : "", d->type, d->number,
                      d->expiry == FR_DATE_NONE ? "" : fr_date_format(d->expiry, b),
                      d->issuing_country);
    }
}

static void fmt_leg(const fr_paxlst_leg *l, char *out, size_t cap)
{
    char d[FR_PAXLST_TIME_BUFSZ], a[FR_PAXLST_TIME_BUFSZ];
    snprintf(out, cap, "%s|%s|%s|%s|%s|%s", l->flight, l->carrier, l->from, l->to,
             fr_paxlst_time_format(&l->departure, d), fr_paxlst_time_format(&l->arrival, a));
}

/* Compare one sample with its expectation file. */
static void check_sample(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.expect", DATA_DIR, name);
    size_t elen = 0;
    char *exp = slurp(path, &elen);
    assert_non_null(exp);
    exp = realloc(exp, elen + 1);
    exp[elen] = '\0';
    size_t len;
    snprintf(path, sizeof path, "%s/%s.edi", DATA_DIR, name);
    char *edi = slurp(path, &len);
    if (!edi) {
        snprintf(path, sizeof path, "%s/%s.edi", SHARED_DIR, name);
        edi = slurp(path, &len);
    }
    if (!edi) {
        const char *ci = getenv("CI");
        free(exp);
        if (ci && strcmp(ci, "true") == 0)
            fail_msg("%s.edi is in neither %s nor %s", name, DATA_DIR, SHARED_DIR);
        print_message("skipped: %s.edi not found (../shared/data absent)\n", name);
        return;
    }
    fr_paxlst *p = NULL;
    fr_paxlst_options o = {1, 0, 0};
    assert_int_equal(fr_paxlst_read(edi, len, &o, &p, NULL), FR_OK);
    long msg = -1;
    size_t nf = 0, nl = 0;
    char got[1024];
    for (char *line = strtok(exp, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || line[0] == '\0') continue;
        const fr_paxlst_message *m = msg >= 0 ? &p->messages[msg] : NULL;
        if (strncmp(line, "message ", 8) == 0) {
            if (m) {
                assert_int_equal(m->nfindings, nf);
                assert_int_equal(m->nlegs, nl);
            }
            msg++;
            assert_true((size_t)msg < p->nmessages);
            m = &p->messages[msg];
            snprintf(got, sizeof got, "message valid %d persons %zu legs %zu ref %s version %s",
                     m->valid, m->npersons, m->nlegs, m->has_header ? m->ref : "-",
                     m->has_header ? m->version : "-");
            assert_string_equal(got, line);
            nf = nl = 0;
        } else if (strncmp(line, "finding ", 8) == 0) {
            assert_non_null(m);
            assert_true(nf < m->nfindings);
            const fr_paxlst_finding *f = &m->findings[nf++];
            snprintf(got, sizeof got, "finding %s %s %ld %d %d", f->code,
                     fr_paxlst_severity_name(f->severity), f->segment, f->line, f->column);
            assert_string_equal(got, line);
            assert_true(strlen(f->message) > 20);
        } else if (strncmp(line, "leg ", 4) == 0) {
            assert_non_null(m);
            assert_true(nl < m->nlegs);
            fmt_leg(&m->legs[nl++], got, sizeof got);
            assert_string_equal(got, line + 4);
        } else if (strncmp(line, "person ", 7) == 0) {
            assert_non_null(m);
            char *end;
            size_t i = strtoul(line + 7, &end, 10);
            assert_true(i < m->npersons);
            fmt_person(&m->persons[i], got, sizeof got);
            assert_string_equal(got, end + 1);
        } else {
            fail_msg("%s.expect: unknown line '%s'", name, line);
        }
    }
    assert_true(msg >= 0);
    assert_int_equal(p->nmessages, (size_t)msg + 1);
    assert_int_equal(p->messages[msg].nfindings, nf);
    assert_int_equal(p->messages[msg].nlegs, nl);
    /* strict mode: the same findings but no persons from an invalid message */
    fr_paxlst *s = NULL;
    assert_int_equal(fr_paxlst_read(edi, len, NULL, &s, NULL), FR_OK);
    for (size_t i = 0; i < s->nmessages; i++) {
        if (!s->messages[i].valid)
            assert_int_equal(s->messages[i].npersons, 0);
        else
            assert_int_equal(s->messages[i].npersons, p->messages[i].npersons);
    }
    fr_paxlst_free(s);
    fr_paxlst_free(p);
    free(edi);
    free(exp);
}

static void every_sample(void **state)
{
    (void)state;
    DIR *d = opendir(DATA_DIR);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 8 || strcmp(e->d_name + l - 7, ".expect") != 0) continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(l - 7), e->d_name);
        print_message("sample %s\n", name);
        check_sample(name);
        n++;
    }
    closedir(d);
    assert_true(n >= 17);
}

static void every_shared_file_has_an_expectation(void **state)
{
    (void)state;
    DIR *d = opendir(SHARED_DIR);
    if (!d) {
        const char *ci = getenv("CI");
        if (ci && strcmp(ci, "true") == 0) fail_msg("%s is missing", SHARED_DIR);
        skip();
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".edi") != 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%.*s.expect", DATA_DIR, (int)(l - 4), e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) fail_msg("no expectation for %s", e->d_name);
        fclose(f);
    }
    closedir(d);
}

/* A constructed D12B message: IST -> UIO, one passenger with a visa as a
 * second DOC, one passenger in transit, one crew member in transit, no
 * line ends. */
static const char D12B[] =
    "UNA:+.? 'UNB+UNOA:4+TK:ZZ+ECUAPI:ZZ+240630:2200+IC0001++APIS'"
    "UNG+PAXLST+TURKISH AIRLINES+ECUAPI+240630:2200+G1+UN+D:12B'"
    "UNH+M1+PAXLST:D:12B:UN:IATA+TK1801'BGM+745'NAD+MS+++TK OPS'"
    "TDT+20+TK1801+++TK'LOC+125+IST'DTM+189:2406302330:201'LOC+87+UIO'"
    "DTM+232:2407010730:201'"
    "NAD+FL+++WANG:LI'ATT+2++F'DTM+329:900101'LOC+178+IST'LOC+179+UIO'NAT+2+CHN'"
    "DOC+P:110:111+E12345678'DTM+36:300101'LOC+91+CHN'"
    "DOC+V:110:111+EC998877'DTM+36:241231'LOC+91+ECU'"
    "NAD+DDU+++O?'BRIEN:SEAN'ATT+2++M'DTM+329:851231'LOC+178+IST'LOC+179+GYE'NAT+2+IRL'"
    "DOC+P+PA1234567'DTM+36:291231'LOC+91+IRL'"
    "NAD+DDT+++KAYA:AYSE'ATT+2++F'NAT+2+TUR'DOC+P+U7654321'"
    "CNT+42:2'UNT+35+M1'UNE+1+G1'UNZ+1+IC0001'";

static void d12b_transit_and_visa(void **state)
{
    (void)state;
    const fr_paxlst *p = read_mem(D12B, 0);
    assert_int_equal(p->nmessages, 1);
    const fr_paxlst_message *m = &p->messages[0];
    assert_int_equal(m->nfindings, 0);
    assert_true(m->valid);
    assert_string_equal(m->version, "D12B");
    assert_int_equal(m->npersons, 3);
    char buf[1024];
    fmt_person(&m->persons[0], buf, sizeof buf);
    assert_string_equal(buf, "FL|WANG|LI|F|1990-01-01|CHN||IST|UIO|P/E12345678/2030-01-01/CHN;V/"
                             "EC998877/2024-12-31/ECU");
    fmt_person(&m->persons[1], buf, sizeof buf);
    assert_string_equal(buf,
                        "DDU|O'BRIEN|SEAN|M|1985-12-31|IRL||IST|GYE|P/PA1234567/2029-12-31/IRL");
    assert_int_equal(m->persons[2].role, FR_PAXLST_DDT);
    fmt_leg(&m->legs[0], buf, sizeof buf);
    assert_string_equal(buf, "TK1801|TK|IST|UIO|2024-06-30T23:30|2024-07-01T07:30");
}

/* The same message with its segment count and CNT wrong: strict reading
 * withholds the persons, lenient reading gives them and says so. */
static void strict_withholds_lenient_extracts(void **state)
{
    (void)state;
    char bad[sizeof D12B + 8];
    snprintf(bad, sizeof bad, "%s", D12B);
    char *u = strstr(bad, "UNT+35");
    u[5] = '4';
    char *c = strstr(bad, "CNT+42:2");
    c[7] = '5';
    const fr_paxlst *p = read_mem(bad, 0);
    const fr_paxlst_message *m = &p->messages[0];
    assert_false(m->valid);
    assert_int_equal(m->npersons, 0);
    assert_int_equal(m->nerrors, 2);
    assert_string_equal(m->findings[0].code, "unt.count");
    assert_string_equal(m->findings[1].code, "cnt.total");
    assert_string_equal(m->findings[1].message,
                        "CNT+42 gives 5 passengers but the message lists 2 passengers (and 1 crew "
                        "members).");
    p = read_mem(bad, 1);
    m = &p->messages[0];
    assert_int_equal(m->npersons, 3);
    assert_string_equal(m->findings[m->nfindings - 1].code, "lenient.extracted");
}

/* Separators from UNA, CRLF line ends and UNOC bytes read as Latin-1. */
static void una_separators_crlf_unoc(void **state)
{
    (void)state;
    const char *t = "UNA|*.# ~\r\nUNB*UNOC|4*X*Y*240101|0000*R1~\r\nUNH*1*PAXLST|D|05B|UN~\r\n"
                    "NAD*FL***M\xdcLLER|J#*RGEN~\r\nUNT*3*1~\r\nUNZ*1*R1~\r\n";
    const fr_paxlst *p = read_mem(t, 1);
    const fr_paxlst_message *m = &p->messages[0];
    assert_int_equal(m->nfindings, 0);
    assert_int_equal(m->npersons, 1);
    assert_string_equal(m->persons[0].surname, "M\xc3\x9cLLER");
    assert_string_equal(m->persons[0].given_names, "J*RGEN");
    /* UNT counts from UNH to UNT, both included: an empty message has 2 */
    t = "UNB+UNOA:4+X+Y+240101:0000+R1'\nUNH+1+PAXLST:D:05B:UN'\nUNT+2+1'\nUNZ+1+R1'\n";
    m = &read_mem(t, 0)->messages[0];
    assert_int_equal(m->nfindings, 0);
}

static void unterminated_and_garbage(void **state)
{
    (void)state;
    /* a missing terminator before a line end costs one segment */
    const char *t = "UNB+UNOA:4+X+Y+240101:0000+R1'\nUNH+1+PAXLST:D:05B:UN'\nNAD+FL+++A:B\n"
                    "NAT+2+FRA'\nUNT+4+1'\nUNZ+1+R1'\n";
    const fr_paxlst_message *m = &read_mem(t, 1)->messages[0];
    assert_int_equal(m->npersons, 1);
    assert_string_equal(m->persons[0].nationality, "FRA");
    assert_string_equal(m->findings[0].code, "segment.unterminated");
    assert_int_equal(m->findings[0].segment, 3);
    assert_int_equal(m->findings[0].line, 3);
    /* no EDIFACT at all */
    m = &read_mem("hello world", 0)->messages[0];
    assert_false(m->has_header);
    assert_string_equal(m->findings[0].code, "interchange.missing");
    m = &read_mem("", 0)->messages[0];
    assert_string_equal(m->findings[0].code, "interchange.missing");
    /* the input ends inside a message */
    m = &read_mem("UNB+UNOA:4+X+Y+240101:0000+R1'UNH+1+PAXLST:D:05B:UN'NAD+FL+++A", 1)->messages[0];
    assert_string_equal(m->findings[0].code, "segment.unterminated");
    assert_string_equal(m->findings[1].code, "unt.missing");
    assert_string_equal(m->findings[2].code, "unz.missing");
    assert_string_equal(m->findings[3].code, "lenient.extracted");
    /* a release character as the very last byte */
    m = &read_mem("UNB+UNOA:4+X+Y+240101:0000+R1'UNH+1?", 1)->messages[0];
    assert_false(m->valid);
}

static void person_limit(void **state)
{
    (void)state;
    const char *t = "UNB+UNOA:4+X+Y+240101:0000+R1'UNH+1+PAXLST:D:05B:UN'NAD+FL+++A'NAD+FL+++B'"
                    "NAD+FL+++C'UNT+5+1'UNZ+1+R1'";
    fr_paxlst *p = NULL;
    fr_paxlst_options o = {1, 2, 0};
    assert_int_equal(fr_paxlst_read(t, strlen(t), &o, &p, NULL), FR_OK);
    assert_int_equal(p->messages[0].npersons, 2);
    assert_string_equal(p->messages[0].findings[0].code, "limit.persons");
    fr_paxlst_free(p);
    assert_int_equal(fr_paxlst_read(NULL, 3, NULL, &p, NULL), FR_EINVAL);
    assert_int_equal(fr_paxlst_count_segments(t, strlen(t)), 7);
}

static int teardown(void **state)
{
    (void)state;
    read_mem(NULL, 0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_sample),
        cmocka_unit_test(every_shared_file_has_an_expectation),
        cmocka_unit_test(d12b_transit_and_visa),
        cmocka_unit_test(strict_withholds_lenient_extracts),
        cmocka_unit_test(una_separators_crlf_unoc),
        cmocka_unit_test(unterminated_and_garbage),
        cmocka_unit_test(person_limit),
    };
    int rc = cmocka_run_group_tests(tests, NULL, teardown);
    return rc;
}
