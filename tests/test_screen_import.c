/* SPDX-License-Identifier: MIT */
/* test_screen_import.c: importing the published lists (the real UN and OFAC
 * files in ../shared/data, hand-written EU, OFAC XML and FtM samples in
 * tests/data/watchlists), birth dates as lists write them, nationalities as
 * codes or names, and how approximate and several birth dates, weak aliases
 * and several nationalities move the score. */
#define _GNU_SOURCE /* strcasestr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>

#include "frontera/country.h"
#include "frontera/screen.h"

#define UN_XML FR_SHARED_DATA "/watchlists/un_sc_consolidated/UN_consolidated_2026-02-27.xml"
#define OFAC_DIR FR_SHARED_DATA "/watchlists/ofac_sdn_2021-07"
#define SAMPLES FR_SOURCE_DIR "/tests/data/watchlists"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
    d[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return d;
}

typedef struct errs {
    int n;
    fr_error first;
} errs;

static void collect(void *ud, const fr_error *e)
{
    errs *x = ud;
    if (x->n++ == 0) x->first = *e;
}

/* Entry with this id, or fail. */
static fr_watchlist_entry find(const fr_watchlist *wl, const char *id)
{
    fr_watchlist_entry e;
    for (size_t i = 0; i < fr_watchlist_count(wl); i++) {
        fr_watchlist_get(wl, i, &e);
        if (strcmp(e.id, id) == 0) return e;
    }
    fail_msg("no entry %s", id);
    return e;
}

static fr_watchlist *import_file(const char *path, fr_watchlist_format fmt, const char *aux_path,
                                 fr_watchlist_counts *c, errs *x)
{
    size_t len, alen = 0;
    char *d = slurp(path, &len);
    if (!d) return NULL;
    char *a = aux_path ? slurp(aux_path, &alen) : NULL;
    fr_watchlist *wl = NULL;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    fr_watchlist_import_options opt = {.aux = a, .aux_len = alen, .on_error = collect, .ud = x};
    assert_int_equal(fr_watchlist_import(wl, fmt, d, len, &opt, c), FR_OK);
    free(d);
    free(a);
    return wl;
}

/* An import that was not told the format reads it from the file's start. */
static void the_format_is_guessed_from_the_first_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        fr_watchlist_format want;
        int rc;
    } cases[] = {
        {"<?xml version=\"1.0\"?>\n<!-- x -->\n<CONSOLIDATED_LIST dateGenerated=\"2026\">",
         FR_WATCHLIST_UN_XML, FR_OK},
        {"\xEF\xBB\xBF<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">", FR_WATCHLIST_OFAC_XML,
         FR_OK},
        {"<?xml version=\"1.0\"?><fsd:export xmlns:fsd=\"http://eu.europa.ec/fpi/fsd/export\">",
         FR_WATCHLIST_EU_XML, FR_OK},
        {"<?xml version=\"1.0\"?><list/>", FR_WATCHLIST_CSV, FR_EINVAL},
        {"{\"id\": \"Q1\", \"schema\": \"Person\", \"properties\": {}}\n", FR_WATCHLIST_FTM, FR_OK},
        {"{\"id\": \"A1\", \"name\": \"X\"}\n{\"schema\": 1}\n", FR_WATCHLIST_JSONL, FR_OK},
        {"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- \r\n", FR_WATCHLIST_OFAC_CSV, FR_OK},
        {"id,list,name,aliases,birth_date\n1,UN,X,,1970\n", FR_WATCHLIST_CSV, FR_OK},
        {"2024,\"-0-\"", FR_WATCHLIST_OFAC_CSV, FR_OK},
        {"", FR_WATCHLIST_CSV, FR_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        fr_watchlist_format f = FR_WATCHLIST_JSONL;
        assert_int_equal(fr_watchlist_format_guess(cases[i].head, strlen(cases[i].head), &f),
                         cases[i].rc);
        assert_int_equal(f, cases[i].want);
    }
}

static void un_real_list_maps_every_individual(void **state)
{
    (void)state;
    fr_watchlist_counts c;
    errs x = {0};
    fr_watchlist *wl = import_file(UN_XML, FR_WATCHLIST_UN_XML, NULL, &c, &x);
    if (!wl) skip();
    assert_int_equal(c.accepted, 730); /* the README's count of individuals */
    assert_int_equal(c.skipped, 273);  /* entities */
    assert_int_equal(c.rejected, 0);
    fr_watchlist_entry e = find(wl, "CDi.001");
    assert_string_equal(e.list, "UN-SC");
    assert_string_equal(e.name, "ERIC BADEGE");
    assert_string_equal(e.birth_date, "1971");
    assert_string_equal(e.nationalities, "COD"); /* "Democratic Republic of the Congo" */
    fr_date lo, hi;
    fr_date_from_ymd(1971, 1, 1, &lo);
    fr_date_from_ymd(1971, 12, 31, &hi);
    assert_int_equal(e.birth_lo, lo);
    assert_int_equal(e.birth_hi, hi);
    /* weak ("Low") aliases, ranges, documents with their state, the
     * original-script name: each appears somewhere in the real list */
    size_t weak = 0, ranges = 0, docs_state = 0, several = 0, script = 0;
    for (size_t i = 0; i < fr_watchlist_count(wl); i++) {
        fr_watchlist_get(wl, i, &e);
        weak += e.weak_aliases[0] != '\0';
        ranges += strstr(e.birth_date, "..") != NULL;
        docs_state += strchr(e.documents, ':') != NULL;
        several += strchr(e.birth_date, '|') != NULL;
        for (const char *p = e.aliases; *p; p++)
            if ((unsigned char)*p >= 0xD8 && (unsigned char)*p <= 0xDB) { /* Arabic block */
                script++;
                break;
            }
    }
    assert_true(weak > 100);
    assert_true(ranges >= 20);
    assert_true(docs_state > 50);
    assert_true(several > 50);
    assert_true(script > 20);
    fr_watchlist_free(wl);
}

static void ofac_real_csv_reads_remarks_and_aliases(void **state)
{
    (void)state;
    fr_watchlist_counts c;
    errs x = {0};
    fr_watchlist *wl =
        import_file(OFAC_DIR "/sdn.csv", FR_WATCHLIST_OFAC_CSV, OFAC_DIR "/alt.csv", &c, &x);
    if (!wl) skip();
    assert_int_equal(c.rejected, 0);
    assert_int_equal(c.accepted + c.skipped, 8976); /* rows before the end marker */
    assert_true(c.accepted > 4000);
    fr_watchlist_entry e = find(wl, "2676");
    assert_string_equal(e.name, "AL ZAWAHIRI, Dr. Ayman");
    assert_non_null(strstr(e.aliases, "AL-ZAWAHIRI, Ayman")); /* from alt.csv */
    assert_string_equal(e.birth_date, "19 Jun 1951");
    assert_string_equal(e.documents, "EGY:1084010|19820215");
    e = find(wl, "7848"); /* DOB circa 1942; a.k.a. 'ABU BRAYS' in the remarks */
    assert_string_equal(e.birth_date, "circa 1942");
    assert_non_null(strstr(e.weak_aliases, "ABU BRAYS"));
    assert_string_equal(e.nationalities, "IRQ");
    fr_date lo;
    fr_date_from_ymd(1941, 1, 1, &lo);
    assert_true(e.birth_lo <= lo); /* circa widens the year */
    /* "nationality Korea, North" */
    size_t prk = 0;
    for (size_t i = 0; i < fr_watchlist_count(wl); i++) {
        fr_watchlist_get(wl, i, &e);
        prk += strcmp(e.nationalities, "PRK") == 0;
    }
    assert_true(prk > 50);
    fr_watchlist_free(wl);
}

static void samples_of_the_other_formats(void **state)
{
    (void)state;
    fr_watchlist_counts c;
    errs x = {0};
    fr_watchlist *wl = import_file(SAMPLES "/eu_sample.xml", FR_WATCHLIST_EU_XML, NULL, &c, &x);
    assert_non_null(wl);
    assert_int_equal(c.accepted, 3);
    assert_int_equal(c.skipped, 1);
    fr_watchlist_entry e = find(wl, "EU.9001.01");
    assert_string_equal(e.list, "EU-FSF");
    assert_string_equal(e.name, "Karim Abdel Haddad");
    assert_string_equal(e.weak_aliases, "Abu Samir");
    assert_string_equal(e.nationalities, "SYR|LBN"); /* ISO alpha-2 SY, LB */
    assert_string_equal(e.birth_date, "1968-03-14|1969");
    assert_string_equal(e.documents, "SYR:N0123456");
    e = find(wl, "EU.9002.02");
    assert_string_equal(e.birth_date, "circa 1975");
    e = find(wl, "EU.9003.03");
    assert_string_equal(e.birth_date, "1960..1963");
    fr_watchlist_free(wl);

    wl = import_file(SAMPLES "/ofac_sample.xml", FR_WATCHLIST_OFAC_XML, NULL, &c, &x);
    assert_non_null(wl);
    assert_int_equal(c.accepted, 2);
    assert_int_equal(c.skipped, 1);
    e = find(wl, "90001");
    assert_string_equal(e.name, "AL-RASHIDI, Nayif Salim");
    assert_string_equal(e.aliases, "AL-RASHEEDI, Naif Saleem");
    assert_string_equal(e.weak_aliases, "ABU SALIM");
    assert_string_equal(e.birth_date, "circa 1975|12 Mar 1977");
    assert_string_equal(e.documents, "YEM:K1234567");
    e = find(wl, "90002");
    assert_string_equal(e.nationalities, "COL"); /* from the citizenship */
    assert_string_equal(e.birth_date, "1962 to 1964");
    fr_watchlist_free(wl);

    wl = import_file(SAMPLES "/ftm_sample.json", FR_WATCHLIST_FTM, NULL, &c, &x);
    assert_non_null(wl);
    assert_int_equal(c.accepted, 3);
    assert_int_equal(c.skipped, 1);
    e = find(wl, "fr-test-ftm-001");
    assert_string_equal(e.list, "test_sanctions");
    assert_string_equal(e.aliases, "王小明|Wong Siu Ming");
    assert_string_equal(e.weak_aliases, "Old Wang");
    assert_string_equal(e.nationalities, "CHN|HKG");
    assert_string_equal(e.documents, "E12345678");
    e = find(wl, "fr-test-ftm-002"); /* "suhh" (Soviet Union) names no state: kept as a note */
    assert_string_equal(e.nationalities, "RUS");
    assert_non_null(strstr(e.reason, "nationality as listed: suhh"));
    fr_watchlist_free(wl);
}

static void bad_documents_are_reported_where(void **state)
{
    (void)state;
    fr_watchlist *wl = NULL;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    errs x = {0};
    fr_watchlist_counts c;
    fr_watchlist_import_options opt = {.on_error = collect, .ud = &x};
    static const char bad_xml[] = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n"
                                  "<INDIVIDUAL><DATAID>1</DATAID>\n</INDIVIDUALS>\n";
    assert_int_equal(
        fr_watchlist_import(wl, FR_WATCHLIST_UN_XML, bad_xml, sizeof bad_xml - 1, &opt, &c),
        FR_EPARSE);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.first.line, 5); /* the mismatched closing tag */
    assert_non_null(strstr(x.first.message, "bad XML"));
    assert_int_equal(fr_watchlist_count(wl), 0);

    x.n = 0;
    static const char wrong_root[] = "<export/>";
    assert_int_equal(
        fr_watchlist_import(wl, FR_WATCHLIST_UN_XML, wrong_root, sizeof wrong_root - 1, &opt, &c),
        FR_EPARSE);
    assert_non_null(strstr(x.first.message, "CONSOLIDATED_LIST"));

    /* an individual without a name is refused with its line; the others stay */
    x.n = 0;
    static const char noname[] = "<CONSOLIDATED_LIST><INDIVIDUALS>\n"
                                 "<INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>"
                                 "<FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>"
                                 "</INDIVIDUAL>\n"
                                 "<INDIVIDUAL><REFERENCE_NUMBER>X.2</REFERENCE_NUMBER>"
                                 "</INDIVIDUAL>\n"
                                 "</INDIVIDUALS></CONSOLIDATED_LIST>\n";
    assert_int_equal(
        fr_watchlist_import(wl, FR_WATCHLIST_UN_XML, noname, sizeof noname - 1, &opt, &c), FR_OK);
    assert_int_equal(c.accepted, 1);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(x.first.line, 3);
    assert_string_equal(x.first.field, "name");

    /* FtM: a bad line is refused with its line and column, the rest taken */
    x.n = 0;
    static const char ftm[] =
        "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ann Lee\"]}}\n"
        "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Bo Li\"]},}\n"
        "{\"id\":\"c\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Cy Wu\"],"
        "\"birthDate\":[\"19x1\"]}}\n";
    opt.list_override = "F";
    assert_int_equal(fr_watchlist_import(wl, FR_WATCHLIST_FTM, ftm, sizeof ftm - 1, &opt, &c),
                     FR_OK);
    assert_int_equal(c.accepted, 2);
    assert_int_equal(c.rejected, 1);
    assert_int_equal(x.first.line, 2);
    assert_true(x.first.column > 1);
    fr_watchlist_entry e = find(wl, "c"); /* an unreadable date is kept as a note */
    assert_string_equal(e.birth_date, "");
    assert_non_null(strstr(e.reason, "birth date as listed: 19x1"));
    fr_watchlist_free(wl);
}

static void birth_dates_as_lists_write_them(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int y0, m0, d0, y1, m1, d1;
    } ok[] = {
        {"1975", 1975, 1, 1, 1975, 12, 31},
        {"1975-06", 1975, 6, 1, 1975, 6, 30},
        {"1975-06-12", 1975, 6, 12, 1975, 6, 12},
        {"19750612", 1975, 6, 12, 1975, 6, 12},
        {"12 Jun 1975", 1975, 6, 12, 1975, 6, 12},
        {"Nov. 1973", 1973, 11, 1, 1973, 11, 30},
        {"Feb 2000", 2000, 2, 1, 2000, 2, 29},
        {"circa 1975", 1974, 1, 1, 1976, 12, 31},
        {"CIRCA 1975", 1974, 1, 1, 1976, 12, 31},
        {"ca. 1975", 1974, 1, 1, 1976, 12, 31},
        {"~1975", 1974, 1, 1, 1976, 12, 31},
        {"1970 to 1975", 1970, 1, 1, 1975, 12, 31},
        {"1970..1975", 1970, 1, 1, 1975, 12, 31},
        {"1979-1982", 1979, 1, 1, 1982, 12, 31},
        {"01 Jan 1962 to 31 Dec 1963", 1962, 1, 1, 1963, 12, 31},
        {"1962; 1965-05-01", 1962, 1, 1, 1965, 5, 1},
        {"1968-03-14|1969", 1968, 3, 14, 1969, 12, 31},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        fr_date lo, hi, a, b;
        fr_error err;
        fr_date_from_ymd(ok[i].y0, ok[i].m0, ok[i].d0, &a);
        fr_date_from_ymd(ok[i].y1, ok[i].m1, ok[i].d1, &b);
        int rc = fr_screen_parse_birth(ok[i].s, strlen(ok[i].s), &lo, &hi, &err);
        if (rc != FR_OK) fail_msg("%s: %s", ok[i].s, err.message);
        /* circa widens by 366 days: compare within two days */
        if (strcasestr(ok[i].s, "circa") || strstr(ok[i].s, "ca.") || ok[i].s[0] == '~') {
            assert_true(lo >= a - 2 && lo <= a + 2);
            assert_true(hi >= b - 2 && hi <= b + 2);
        } else {
            if (lo != a || hi != b) fail_msg("%s: wrong range", ok[i].s);
        }
    }
    static const struct {
        const char *s;
        int code, column;
    } bad[] = {
        {"19x5", FR_EPARSE, 1},         {"1975-13-01", FR_ERANGE, 0},
        {"31 Foo 1975", FR_EPARSE, 4},  {"1975; 30-35 years old", FR_EPARSE, 7},
        {"1980 to 1975", FR_ERANGE, 1}, {"1975 to x", FR_EPARSE, 9},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        fr_date lo, hi;
        fr_error err;
        int rc = fr_screen_parse_birth(bad[i].s, strlen(bad[i].s), &lo, &hi, &err);
        if (rc != bad[i].code) fail_msg("%s: rc %d", bad[i].s, rc);
        if (bad[i].column && err.column != bad[i].column)
            fail_msg("%s: column %d, want %d", bad[i].s, err.column, bad[i].column);
        assert_int_equal(lo, FR_DATE_NONE);
    }
}

static void nationalities_as_codes_or_names(void **state)
{
    (void)state;
    static const char csv[] = "id,list,name,nationality\n"
                              "1,L,Ann Lee,DEU\n"
                              "2,L,Bo Li,Germany|France;D\n"
                              "3,L,Cy Wu,Narnia\n"
                              "4,L,Di Ng,\"Korea, North\"\n";
    fr_watchlist *wl = NULL;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    errs x = {0};
    fr_watchlist_import_options opt = {.on_error = collect, .ud = &x};
    fr_watchlist_counts n;
    assert_int_equal(fr_watchlist_parse(wl, csv, sizeof csv - 1, FR_WATCHLIST_CSV, &opt, &n),
                     FR_OK);
    assert_int_equal(n.accepted, 3);
    assert_int_equal(n.rejected, 1);
    assert_int_equal(x.first.line, 4);
    assert_string_equal(x.first.field, "nationality");
    assert_int_equal(x.first.column, 11);
    assert_non_null(strstr(x.first.message, "Narnia"));
    fr_watchlist_entry e = find(wl, "1");
    assert_string_equal(e.nationalities, "D");
    assert_int_equal(e.nationality, fr_country_find_cstr("D"));
    e = find(wl, "2");
    assert_string_equal(e.nationalities, "D|FRA"); /* Germany and D are one */
    e = find(wl, "4");
    assert_string_equal(e.nationalities, "PRK");
    fr_watchlist_free(wl);
}

/* Screen one name + date against a small list; the result for entry id. */
static double score_of(const char *list_csv, const char *name, const char *birth, const char *nat,
                       const char *id, char *why)
{
    fr_watchlist *wl = NULL;
    fr_screen_index *idx = NULL;
    fr_screen_ctx *ctx = NULL;
    fr_error err;
    fr_watchlist_counts counts;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    assert_int_equal(
        fr_watchlist_parse(wl, list_csv, strlen(list_csv), FR_WATCHLIST_CSV, NULL, &counts), FR_OK);
    assert_int_equal(counts.rejected, 0);
    assert_int_equal(fr_screen_index_build(wl, &idx, &err), FR_OK);
    assert_int_equal(fr_screen_ctx_new(idx, NULL, &ctx, &err), FR_OK);
    fr_screen_query q = {
        .name = name, .birth_lo = FR_DATE_NONE, .birth_hi = FR_DATE_NONE, .nationality = -1};
    if (birth)
        assert_int_equal(
            fr_screen_parse_birth(birth, strlen(birth), &q.birth_lo, &q.birth_hi, &err), FR_OK);
    if (nat) q.nationality = fr_country_normalize(nat, strlen(nat));
    fr_screen_result r[8];
    size_t n = 0;
    assert_int_equal(fr_screen_person(ctx, &q, r, 8, &n), FR_OK);
    double s = 0;
    why[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].id, id) == 0) {
            s = r[i].score;
            snprintf(why, FR_SCREEN_EXPLAIN, "%s", r[i].explanation);
        }
    fr_screen_ctx_free(ctx);
    fr_screen_index_free(idx);
    fr_watchlist_free(wl);
    return s;
}

static void approximate_and_several_birth_dates_score(void **state)
{
    (void)state;
    static const char list[] =
        "id,list,name,birth_date,nationality,weak_aliases\n"
        "P,L,\"OKONKWO, Chidi Emeka\",1975-01-01,NGA,\n"    /* a year placeholder */
        "C,L,\"BALDURSSON, Gunnar Thor\",circa 1962,ISL,\n" /* circa */
        "S,L,\"FERREIRA, Joaquim Andrade\",1958-04-02;1961-09-30,BRA|PRT,\n" /* several */
        "R,L,\"NAKASHIMA, Hideo\",1950 to 1955,JPN,\n"                       /* a range */
        "W,L,\"HOLLOWAY, Brandon\",1980-05-05,USA,THE UNDERTAKER\n";
    char why[FR_SCREEN_EXPLAIN];
    /* the placeholder is taken as the year: another day that year still helps */
    double s = score_of(list, "OKONKWO, Chidi Emeka", "1975-08-02", NULL, "P", why);
    assert_true(s >= FR_SCREEN_HIT);
    assert_non_null(strstr(why, "within a listed year"));
    /* exactly the placeholder day is a full match */
    s = score_of(list, "OKONKWO, Chidi Emeka", "1975-01-01", NULL, "P", why);
    assert_non_null(strstr(why, "birth date matches"));
    /* but another year is still a different date */
    s = score_of(list, "OKONKWO, Chidi Emeka", "1979-08-02", NULL, "P", why);
    assert_true(s < FR_SCREEN_POSSIBLE);
    /* circa 1962 holds 1963 but not 1970 */
    assert_true(score_of(list, "BALDURSSON, Gunnar Thor", "1963-02-11", NULL, "C", why) >=
                FR_SCREEN_HIT);
    assert_true(score_of(list, "BALDURSSON, Gunnar Thor", "1970-02-11", NULL, "C", why) <
                FR_SCREEN_POSSIBLE);
    /* the second of several dates matches exactly, and the second nationality */
    s = score_of(list, "FERREIRA, Joaquim Andrade", "1961-09-30", "PRT", "S", why);
    assert_non_null(strstr(why, "birth date matches"));
    assert_non_null(strstr(why, "nationality matches"));
    double s2 = score_of(list, "FERREIRA, Joaquim Andrade", "1961-09-30", "ESP", "S", why);
    assert_true(s2 < s);
    /* an exact date scores more than a year in a range */
    double exact = score_of(list, "FERREIRA, Joaquim Andrade", "1958-04-02", NULL, "S", why);
    double range = score_of(list, "NAKASHIMA, Hideo", "1953-07-07", NULL, "R", why);
    assert_true(range >= FR_SCREEN_HIT);
    assert_true(exact > range);
    /* a weak alias alone is at most possible */
    s = score_of(list, "THE UNDERTAKER", NULL, NULL, "W", why);
    assert_true(s >= FR_SCREEN_POSSIBLE && s < FR_SCREEN_HIT);
    assert_non_null(strstr(why, "weak alias"));
}

/* A list of true dates (about 1 in 365 on 1 January) keeps a listed 1 January
 * as that day: a namesake born later that year is contradicted. The list
 * above, which writes years as 1 January, reads it as the year. */
static void jan1_is_a_year_only_on_lists_that_write_years_so(void **state)
{
    (void)state;
    static const char head[] = "id,list,name,birth_date,nationality,weak_aliases\n"
                               "P,L,\"OKONKWO, Chidi Emeka\",1975-01-01,NGA,\n";
    size_t cap = sizeof head + 200 * 64;
    char *list = malloc(cap);
    assert_non_null(list);
    size_t o = (size_t)snprintf(list, cap, "%s", head);
    for (int i = 0; i < 199; i++) /* other persons, none born on 1 January */
        o +=
            (size_t)snprintf(list + o, cap - o, "E%d,L,\"SURNAME%c%c, Given\",19%02d-%02d-%02d,,\n",
                             i, 'A' + i / 26, 'A' + i % 26, 40 + i % 50, 1 + i % 12, 2 + i % 27);
    char why[FR_SCREEN_EXPLAIN];
    double s = score_of(list, "OKONKWO, Chidi Emeka", "1975-08-02", NULL, "P", why);
    assert_true(s < FR_SCREEN_POSSIBLE);
    assert_non_null(strstr(why, "birth date differs"));
    /* the day itself still matches */
    s = score_of(list, "OKONKWO, Chidi Emeka", "1975-01-01", NULL, "P", why);
    assert_true(s >= FR_SCREEN_HIT);
    free(list);
}

/* Hebrew and Arabic write few vowels: a name in those scripts meets its Latin
 * spelling by consonants (abjad skeletons), at most as a possible match on the
 * name alone, both ways round; another name in the script does not. */
static void names_in_hebrew_or_arabic_script_meet_their_latin_spellings(void **state)
{
    (void)state;
    static const char list[] =
        "id,list,name,birth_date,nationality,weak_aliases\n"
        "M,L,\"MELAMED, Ahuva\",1952-07-17,,\n"
        "C,L,\"CONLEY, Errol\",,,\n"
        "H,L,\"\xd7\x94\xd7\xa8\xd7\xa8\xd7\x99 \xd7\xa8\xd7\x93\xd7\x9e\xd7\x9f\",,,\n";
    char why[FR_SCREEN_EXPLAIN];
    /* אהובה מלמד (Ahuva Melamed) */
    double s =
        score_of(list, "\xd7\x90\xd7\x94\xd7\x95\xd7\x91\xd7\x94 \xd7\x9e\xd7\x9c\xd7\x9e\xd7\x93",
                 "1952-07-17", NULL, "M", why);
    assert_true(s >= FR_SCREEN_POSSIBLE && s < FR_SCREEN_HIT);
    assert_non_null(strstr(why, "phonetic"));
    /* إيرول كونلي (Errol Conley) */
    s = score_of(
        list, "\xd8\xa5\xd9\x8a\xd8\xb1\xd9\x88\xd9\x84 \xd9\x83\xd9\x88\xd9\x86\xd9\x84\xd9\x8a",
        NULL, NULL, "C", why);
    assert_true(s >= FR_SCREEN_POSSIBLE);
    /* the list writes הררי רדמן (Harari Redman): found from the Latin name */
    s = score_of(list, "Redman HARARI", NULL, NULL, "H", why);
    assert_true(s >= FR_SCREEN_POSSIBLE);
    /* יוסי כהן (Yossi Cohen) is nobody on the list */
    s = score_of(list, "\xd7\x99\xd7\x95\xd7\xa1\xd7\x99 \xd7\x9b\xd7\x94\xd7\x9f", NULL, NULL, "M",
                 why);
    assert_true(s < FR_SCREEN_POSSIBLE);
    /* a Latin namesake with other consonants is not raised by the script rule */
    s = score_of(list, "Redman HARPER", NULL, NULL, "H", why);
    assert_true(s < FR_SCREEN_POSSIBLE);
}

/* What the scripts leave open, read both ways: Hebrew writes V as a doubled
 * vav or an initial one (ולרי WLRY, VALERIE), Arabic a final ة that is not
 * said (فاطمة FATMT, FATIMA); English spells sounds the scripts write
 * plainly (BUTCHER's TCH is בוצ'ר, KNOX's silent K is نوكس). */
static void script_readings_vav_ta_marbuta_and_english_spellings(void **state)
{
    (void)state;
    static const char list[] = "id,list,name,birth_date,nationality,weak_aliases\n"
                               "S,L,\"SILVER, Valerie\",,,\n"
                               "K,L,\"KNOX, Walter\",,,\n"
                               "N,L,\"NASSER, Fatima\",,,\n"
                               "B,L,\"BUTCHER, Ronald\",,,\n";
    char why[FR_SCREEN_EXPLAIN];
    /* ולרי סילבר */
    assert_true(
        score_of(list, "\xd7\x95\xd7\x9c\xd7\xa8\xd7\x99 \xd7\xa1\xd7\x99\xd7\x9c\xd7\x91\xd7\xa8",
                 NULL, NULL, "S", why) >= FR_SCREEN_POSSIBLE);
    /* والتر نوكس */
    assert_true(
        score_of(list, "\xd9\x88\xd8\xa7\xd9\x84\xd8\xaa\xd8\xb1 \xd9\x86\xd9\x88\xd9\x83\xd8\xb3",
                 NULL, NULL, "K", why) >= FR_SCREEN_POSSIBLE);
    /* فاطمة ناصر */
    assert_true(
        score_of(list, "\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9 \xd9\x86\xd8\xa7\xd8\xb5\xd8\xb1",
                 NULL, NULL, "N", why) >= FR_SCREEN_POSSIBLE);
    /* רונלד בוצ'ר */
    assert_true(
        score_of(list, "\xd7\xa8\xd7\x95\xd7\xa0\xd7\x9c\xd7\x93 \xd7\x91\xd7\x95\xd7\xa6'\xd7\xa8",
                 NULL, NULL, "B", why) >= FR_SCREEN_POSSIBLE);
}

/* Korean names: Hangul written without a space is read as surname + given
 * name in Revised Romanisation (최영혜 CHOE Yeonghye = CHOI, a compound surname
 * 남궁 kept whole), and the common surnames' popular spellings are one name
 * (SUH = SEO, AHN = AN, MOON = MUN). */
static void korean_names_in_hangul_and_popular_spellings(void **state)
{
    (void)state;
    static const char list[] = "id,list,name,birth_date,nationality,weak_aliases\n"
                               "C,L,\"CHOI, Yeonghye\",1947-05-02,KOR,\n"
                               "S,L,\"SEO, Huneun\",1969-06-17,KOR,\n"
                               "N,L,\"NAMGUNG, Minsu\",,KOR,\n"
                               "M,L,\"MUN, Minhun\",,KOR,\n"
                               "K,L,\"JU, Jidong\",,KOR,\n"
                               "A,L,\"AHN, Yeonseong\",,KOR,\n"
                               "T,L,\"CAI, Haoyu\",,CHN,\n";
    char why[FR_SCREEN_EXPLAIN];
    assert_true(score_of(list, "\xec\xb5\x9c\xec\x98\x81\xed\x98\x9c", "1947-05-02", NULL, "C",
                         why) >= FR_SCREEN_POSSIBLE);
    assert_true(score_of(list, "\xeb\x82\xa8\xea\xb6\x81\xeb\xaf\xbc\xec\x88\x98", NULL, NULL, "N",
                         why) >= FR_SCREEN_POSSIBLE);
    assert_true(score_of(list, "SUH Huneun", "1969-06-17", NULL, "S", why) >= FR_SCREEN_POSSIBLE);
    assert_true(score_of(list, "MOON Minhun", NULL, NULL, "M", why) >= FR_SCREEN_POSSIBLE);
    /* CHOO is ZHU by the hand table and the Korean JU by the generated one: a
     * token keeps up to three keys, the hand-written first */
    assert_true(score_of(list, "CHOO Jidong", NULL, NULL, "K", why) >= FR_SCREEN_POSSIBLE);
    /* McCune-Reischauer with a hyphen against the Revised spelling in one word */
    assert_true(score_of(list, "AHN Y\xc5\x8fn-s\xc5\x8fng", NULL, NULL, "A", why) >=
                FR_SCREEN_POSSIBLE);
    /* Hokkien POJ for Cai */
    assert_true(score_of(list, "CHHOA Haoyu", NULL, NULL, "T", why) >= FR_SCREEN_POSSIBLE);
    /* another surname with the same given name is not the person */
    assert_true(score_of(list, "PARK Minhun", NULL, NULL, "M", why) < FR_SCREEN_POSSIBLE);
}

/* No options, zero options and an empty list_override all mean the same:
 * each row keeps its own list name and bad rows are only counted. */
static void zero_options_keep_each_rows_list(void **state)
{
    (void)state;
    static const char csv[] = "id,list,name,nationality\n"
                              "1,A,Ann Lee,DEU\n"
                              "2,B,Bo Li,Narnia\n"
                              "3,B,Cy Wu,FRA\n";
    fr_watchlist_import_options zero, empty;
    memset(&zero, 0, sizeof zero);
    empty = zero;
    empty.list_override = "";
    const fr_watchlist_import_options *opts[3] = {NULL, &zero, &empty};
    for (int k = 0; k < 3; k++) {
        fr_watchlist *wl = NULL;
        assert_int_equal(fr_watchlist_new(&wl), FR_OK);
        fr_watchlist_counts n;
        assert_int_equal(
            fr_watchlist_import(wl, FR_WATCHLIST_CSV, csv, sizeof csv - 1, opts[k], &n), FR_OK);
        assert_int_equal(n.accepted, 2);
        assert_int_equal(n.rejected, 1);
        assert_string_equal(find(wl, "1").list, "A");
        assert_string_equal(find(wl, "3").list, "B");
        fr_watchlist_free(wl);
    }
    /* an override replaces every row's list name */
    fr_watchlist *wl = NULL;
    assert_int_equal(fr_watchlist_new(&wl), FR_OK);
    fr_watchlist_import_options over = {.list_override = "X"};
    assert_int_equal(fr_watchlist_parse(wl, csv, sizeof csv - 1, FR_WATCHLIST_CSV, &over, NULL),
                     FR_OK);
    assert_string_equal(find(wl, "1").list, "X");
    assert_string_equal(find(wl, "3").list, "X");
    fr_watchlist_free(wl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_format_is_guessed_from_the_first_bytes),
        cmocka_unit_test(un_real_list_maps_every_individual),
        cmocka_unit_test(zero_options_keep_each_rows_list),
        cmocka_unit_test(ofac_real_csv_reads_remarks_and_aliases),
        cmocka_unit_test(samples_of_the_other_formats),
        cmocka_unit_test(bad_documents_are_reported_where),
        cmocka_unit_test(birth_dates_as_lists_write_them),
        cmocka_unit_test(nationalities_as_codes_or_names),
        cmocka_unit_test(approximate_and_several_birth_dates_score),
        cmocka_unit_test(jan1_is_a_year_only_on_lists_that_write_years_so),
        cmocka_unit_test(names_in_hebrew_or_arabic_script_meet_their_latin_spellings),
        cmocka_unit_test(script_readings_vav_ta_marbuta_and_english_spellings),
        cmocka_unit_test(korean_names_in_hangul_and_popular_spellings),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    u_cleanup();
    return rc;
}
