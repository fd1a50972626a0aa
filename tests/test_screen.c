/* SPDX-License-Identifier: MIT */
/* test_screen.c: watchlist import (row errors with line and field), atomic
 * save/load, lost/stolen documents, and screening: one case per variant
 * family, evidence (birth date, nationality, document), bands and ordering,
 * the common-name traps (WANG WEI, KIM JONG UN) and the explanation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <dirent.h>
#include <unistd.h>
#include <unicode/uclean.h>

#include "frontera/country.h"
#include "frontera/screen.h"

static const char LIST[] = "id,list,name,aliases,birth_date,nationality,documents,reason\n"
                           "Z1,T,\"ZHANG, Wei Ming\",张伟明,1970-03-02,CHN,CHN:E12345678,fraud\n"
                           "Z2,T,\"AL-ZAWAHIRI, Ayman Muhammad\",Abd al-Rahman,1951-06-19,EGY,,\n"
                           "Z3,T,\"IVANOV, Aleksandr Sergeyevich\",Иванов Александр,1965,RUS,,\n"
                           "Z4,T,\"KIM, Jong Un\",,1984,PRK,,\n"
                           "Z5,T,\"DE LA CRUZ, Juan Carlos\",,1975..1978,MEX,,\n"
                           "Z6,T,\"CHAN, Tai Man\",,1960-01-01,HKG,,\n"
                           "Z7,T,\"WANG, Wei\",,1990-05-05,CHN,,\n"
                           "Z8,T,\"ABDULRAHMAN, Khalid\",,1980,SAU,,\n";

static fr_watchlist *wl;
static fr_screen_index *idx;
static fr_docindex *docs;
static fr_screen_ctx *ctx;

static int setup(void **st)
{
    (void)st;
    fr_error err;
    if (fr_watchlist_new(&wl) || fr_docindex_new(&docs)) return -1;
    fr_watchlist_counts n;
    if (fr_watchlist_parse(wl, LIST, sizeof LIST - 1, FR_WATCHLIST_CSV, NULL, &n) || n.rejected)
        return -1;
    if (fr_docindex_add(docs, "D", "C01X-00T47", "P") != FR_OK) return -1;
    if (fr_screen_index_build(wl, &idx, &err) || fr_screen_ctx_new(idx, docs, &ctx, &err))
        return -1;
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    fr_screen_ctx_free(ctx);
    fr_screen_index_free(idx);
    fr_docindex_free(docs);
    fr_watchlist_free(wl);
    return 0;
}

static fr_screen_result R[5];
static size_t NR;

static void screen(const char *name, const char *birth, const char *nat)
{
    fr_screen_query q = {.name = name, .nationality = nat ? fr_country_find_cstr(nat) : -1};
    fr_error err;
    assert_int_equal(fr_screen_parse_birth(birth ? birth : "", birth ? strlen(birth) : 0,
                                           &q.birth_lo, &q.birth_hi, &err),
                     FR_OK);
    assert_int_equal(fr_screen_person(ctx, &q, R, 5, &NR), FR_OK);
}

static void expect(const char *name, const char *id, fr_screen_band at_least)
{
    screen(name, NULL, NULL);
    if (NR == 0 || strcmp(R[0].id, id) != 0 || R[0].band < at_least)
        fail_msg("'%s': want %s at >= %s, got %s %s %.3f (%s)", name, id,
                 fr_screen_band_name(at_least), NR ? R[0].id : "-",
                 NR ? fr_screen_band_name(R[0].band) : "-", NR ? R[0].score : 0.0,
                 NR ? R[0].explanation : "");
}

static void each_variant_family_is_found(void **st)
{
    (void)st;
    expect("CHEUNG, Wai Ming", "Z1", FR_BAND_HIT);                /* Cantonese */
    expect("CHANG Wei-Ming", "Z1", FR_BAND_POSSIBLE);             /* Wade-Giles, split given name */
    expect("张伟明", "Z1", FR_BAND_HIT);                          /* Han script */
    expect("CHEN, Tai Man", "Z6", FR_BAND_HIT);                   /* Chan -> Chen */
    expect("Aiman Mohammed al Zawahiri", "Z2", FR_BAND_POSSIBLE); /* Arabic, swapped, particle */
    expect("ZAWAHIRI, Ayman Mohamed", "Z2", FR_BAND_POSSIBLE);
    expect("Alexander Ivanoff", "Z3", FR_BAND_HIT);          /* Slavic */
    expect("Иванов Александр Сергеевич", "Z3", FR_BAND_HIT); /* Cyrillic */
    expect("CRUZ, Juan Carlos", "Z5", FR_BAND_POSSIBLE);     /* particles dropped */
    expect("DELACRUZ, Juan Carlos", "Z5", FR_BAND_POSSIBLE); /* particles joined */
    expect("Juan Cruz", "Z5", FR_BAND_POSSIBLE);             /* missing middle name */
    expect("ABDUL RAHMAN, Khalid", "Z8", FR_BAND_HIT);       /* split token */
    expect("ABD AL-RAHMAN Khaled", "Z8", FR_BAND_POSSIBLE);
    expect("IVANOV, Aleksnadr Sergeyevich", "Z3", FR_BAND_POSSIBLE); /* typo */
    expect("ZHANG<<WEI<MI", "Z1", FR_BAND_POSSIBLE);                 /* MRZ, truncated */
    expect("KIM<<JONG<UN<<<<<<<<", "Z4", FR_BAND_HIT);               /* MRZ with fillers */
}

static void two_letter_tokens_and_near_names(void **st)
{
    (void)st;
    expect("Kim Jong Un", "Z4", FR_BAND_HIT);
    screen("Kim Jong Il", NULL, NULL); /* a different person: not a hit */
    assert_true(NR == 0 || R[0].band != FR_BAND_HIT);
    screen("Wang Xiaoming", NULL, NULL); /* same common surname only */
    assert_true(NR == 0 || R[0].band == FR_BAND_CLEAR);
    screen("ZHANG, Jianguo", NULL, NULL);
    assert_true(NR == 0 || R[0].band == FR_BAND_CLEAR);
}

static void evidence_moves_the_score(void **st)
{
    (void)st;
    screen("Wang Wei", NULL, NULL);
    assert_true(NR >= 1);
    double plain = R[0].score;
    screen("Wang Wei", "1990-05-05", "CHN");
    assert_true(R[0].score > plain);
    assert_non_null(strstr(R[0].explanation, "birth date matches"));
    assert_non_null(strstr(R[0].explanation, "nationality matches"));
    screen("Wang Wei", "1961-01-01", NULL); /* decades apart: no longer an alert */
    assert_true(NR == 0 || R[0].band == FR_BAND_CLEAR);
    assert_true(NR == 0 || R[0].score < plain);
    /* a listed document number makes a weak name a hit */
    fr_screen_query q = {.name = "Zhang Wilson",
                         .birth_lo = FR_DATE_NONE,
                         .birth_hi = FR_DATE_NONE,
                         .nationality = -1,
                         .doc_state = "CHN",
                         .doc_number = "e1234-5678"};
    assert_int_equal(fr_screen_person(ctx, &q, R, 5, &NR), FR_OK);
    assert_true(NR >= 1);
    assert_string_equal(R[0].id, "Z1");
    assert_int_equal(R[0].band, FR_BAND_HIT);
    assert_non_null(strstr(R[0].explanation, "document number"));
}

static const char *drop(void *ud, const char *phrase)
{
    (*(int *)ud)++;
    (void)phrase;
    return "";
}

static const char *upper(void *ud, const char *phrase)
{
    static char buf[128];
    (void)ud;
    size_t i = 0;
    for (; phrase[i] && i + 1 < sizeof buf; i++)
        buf[i] = (char)(phrase[i] >= 'a' && phrase[i] <= 'z' ? phrase[i] - 32 : phrase[i]);
    buf[i] = 0;
    return buf;
}

/* Every lower-case word of an explanation is one of the listed phrases (so
 * the CLI and the pages can say all of it in Spanish): with the phrases
 * taken out, no lower-case letter is left, over many kinds of match. */
static void explanations_are_made_of_the_phrases(void **st)
{
    (void)st;
    static const char *const Q[][3] = {{"CHEUNG, Wai Ming", "1970", "CHN"},
                                       {"CHANG Wei-Ming", NULL, "HKG"},
                                       {"Aiman Mohammed al Zawahiri", "1951-06-18", NULL},
                                       {"IVANOV, Aleksnadr Sergeyevich", "1960-01-01", "RUS"},
                                       {"ZHANG<<WEI<MI", "1985", "CHN"},
                                       {"DELACRUZ, Juan Carlos", "1970..1975", "PHL"},
                                       {"Juan Cruz", NULL, NULL},
                                       {"Wang Wei", "1961-01-01", "USA"},
                                       {"ABD AL-RAHMAN Khaled", "1980-02-03", "SAU"}};
    size_t total = 0, n;
    const char *const *ph = fr_screen_explanation_phrases(&n);
    assert_true(n >= 20);
    assert_non_null(ph);
    for (size_t i = 0; i < sizeof Q / sizeof *Q; i++) {
        screen(Q[i][0], Q[i][1], Q[i][2]);
        for (size_t k = 0; k < NR; k++, total++) {
            char out[FR_SCREEN_EXPLAIN];
            int count = 0;
            assert_int_equal(
                fr_screen_explanation_words(R[k].explanation, drop, &count, out, sizeof out),
                FR_OK);
            assert_true(count >= 2); /* "name" and the kind of name at least */
            for (const char *c = out; *c; c++)
                if (*c >= 'a' && *c <= 'z')
                    fail_msg("'%s': a word outside the phrases in '%s'", Q[i][0], R[k].explanation);
        }
    }
    assert_true(total >= 9);
    /* the rest is kept: names, figures, punctuation */
    char out[256];
    assert_int_equal(fr_screen_explanation_words("name 0.92 (alias): ALIAS=ALIAS exact; aliases",
                                                 upper, NULL, out, sizeof out),
                     FR_OK);
    assert_string_equal(out, "NAME 0.92 (ALIAS): ALIAS=ALIAS EXACT; aliases");
    /* too short: FR_ELIMIT, and only whole pieces */
    assert_int_equal(fr_screen_explanation_words("name 0.92 (primary name)", upper, NULL, out, 12),
                     FR_ELIMIT);
    assert_string_equal(out, "NAME 0.92 (");
}

static void scores_are_ordered_not_stuck_at_one(void **st)
{
    (void)st;
    screen("ZHANG, Wei Ming", "1970-03-02", "CHN");
    double exact = R[0].score;
    screen("ZHANG, Wei Ming", NULL, NULL);
    double name_only = R[0].score;
    screen("CHEUNG, Wai Ming", NULL, NULL);
    double variant = R[0].score;
    screen("ZHANG, Wie Ming", NULL, NULL);
    double typo = R[0].score;
    assert_true(exact <= 1.0);
    assert_true(exact > name_only);
    assert_true(name_only > variant);
    assert_true(variant > typo);
}

static void lost_and_stolen_documents(void **st)
{
    (void)st;
    assert_int_equal(fr_screen_document(ctx, "D", "C01X00T47"), 1);
    assert_int_equal(fr_screen_document(ctx, "D", "c01x 00t47"), 1);
    assert_int_equal(fr_screen_document(ctx, "D<<", "C01X<00T47<<"), 1);
    assert_int_equal(fr_screen_document(ctx, "FRA", "C01X00T47"), 0); /* other state */
    assert_int_equal(fr_screen_document(ctx, "D", "C01X00T48"), 0);
    assert_int_equal(fr_screen_document(ctx, "DEU", "C01X00T47"), FR_EINVAL);
    assert_int_equal(fr_screen_document(ctx, "D", "--"), FR_EINVAL);
    fr_docindex *d;
    assert_int_equal(fr_docindex_new(&d), FR_OK);
    for (int i = 0; i < 5000; i++) {
        char num[16];
        snprintf(num, sizeof num, "X%07d", i);
        assert_int_equal(fr_docindex_add(d, "FRA", num, NULL), FR_OK);
    }
    assert_int_equal(fr_docindex_add(d, "FRA", "X0000007", "P"), FR_OK); /* again: no duplicate */
    assert_int_equal(fr_docindex_count(d), 5000);
    assert_int_equal(fr_docindex_contains(d, "FRA", "X0004999"), 1);
    assert_int_equal(fr_docindex_contains(d, "FRA", "X0005000"), 0);
    fr_docindex_free(d);
}

typedef struct errs {
    int n;
    fr_error e[8];
} errs;

static void collect(void *ud, const fr_error *err)
{
    errs *x = ud;
    if (x->n < 8) x->e[x->n] = *err;
    x->n++;
}

static void bad_rows_are_reported_and_skipped(void **st)
{
    (void)st;
    static const char csv[] = "id,list,name,aliases,birth_date,nationality,documents,reason\n"
                              "A,L,Good One,,1970,FRA,,\n"
                              "B,L,Bad Nat,,1970,XYZ,,\n"
                              "C,L,Bad Date,,1970-02-30,,,\n"
                              "D,L,,,,,,\n"
                              "A,L,Duplicate,,,,,\n"
                              "E,L,Bad Doc,,,,\"DEU:123\",\n"
                              "F,L,Too Few\n"
                              "G,L,Good Two,Alias|Other,1960..1965,D,D:AB123,x\n";
    fr_watchlist *w;
    errs x = {0};
    assert_int_equal(fr_watchlist_new(&w), FR_OK);
    fr_watchlist_import_options opt = {.on_error = collect, .ud = &x};
    fr_watchlist_counts n;
    assert_int_equal(fr_watchlist_parse(w, csv, sizeof csv - 1, FR_WATCHLIST_CSV, &opt, &n), FR_OK);
    assert_int_equal(n.accepted, 2);
    assert_int_equal(n.rejected, 6);
    assert_int_equal(x.e[0].line, 3);
    assert_string_equal(x.e[0].field, "nationality");
    assert_int_equal(x.e[0].column, 19);
    assert_string_equal(x.e[1].field, "birth_date");
    assert_string_equal(x.e[2].field, "name");
    assert_int_equal(x.e[3].code, FR_EEXIST);
    assert_string_equal(x.e[4].field, "documents");
    assert_int_equal(x.e[5].line, 8);
    fr_watchlist_entry e;
    assert_int_equal(fr_watchlist_get(w, 1, &e), FR_OK);
    assert_string_equal(e.id, "G");
    assert_string_equal(e.aliases, "Alias|Other");
    assert_int_equal(e.nationality, fr_country_find_cstr("D"));
    fr_date lo;
    fr_date_from_ymd(1960, 1, 1, &lo);
    assert_int_equal(e.birth_lo, lo);
    /* JSON Lines, with arrays and a broken line */
    static const char jl[] =
        "{\"id\":\"J1\",\"list\":\"L\",\"name\":\"Json Person\",\"aliases\":[\"A B\",\"C D\"],"
        "\"documents\":[\"FRA:12AB\"],\"nationality\":\"FRA\"}\n"
        "{\"id\":\"J2\",\"name\":\"No list\"\n"
        "\n"
        "{\"id\":\"J3\",\"list\":\"L\",\"name\":\"X\",\"colour\":\"red\"}\n";
    x.n = 0;
    assert_int_equal(fr_watchlist_parse(w, jl, sizeof jl - 1, FR_WATCHLIST_JSONL, &opt, &n), FR_OK);
    assert_int_equal(n.accepted, 1);
    assert_int_equal(n.rejected, 2);
    assert_int_equal(x.e[0].line, 2);
    assert_int_equal(x.e[1].line, 4);
    assert_int_equal(fr_watchlist_get(w, 2, &e), FR_OK);
    assert_string_equal(e.aliases, "A B|C D");
    /* a header with an unknown column refuses the file */
    static const char bad[] = "id,name,colour\n1,x,red\n";
    x.n = 0;
    opt.list_override = "L";
    assert_int_equal(fr_watchlist_parse(w, bad, sizeof bad - 1, FR_WATCHLIST_CSV, &opt, NULL),
                     FR_EPARSE);
    assert_string_equal(x.e[0].field, "header");
    fr_watchlist_free(w);
}

static void save_replaces_atomically_and_loads_back(void **st)
{
    (void)st;
    char dir[] = "/tmp/fr-screen-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], name[64];
    assert_int_equal(fr_watchlist_file_name("T/../x", name, sizeof name), FR_OK);
    assert_string_equal(name, "T%2F%2E%2E%2Fx.wl.csv");
    /* distinct names, distinct files (issue 19, item 8: "a/b" and "a\nb" shared one) */
    char other[64];
    assert_int_equal(fr_watchlist_file_name("a/b", name, sizeof name), FR_OK);
    assert_int_equal(fr_watchlist_file_name("a\nb", other, sizeof other), FR_OK);
    assert_string_not_equal(name, other);
    assert_int_equal(fr_watchlist_file_name("a_b", other, sizeof other), FR_OK);
    assert_string_equal(other, "a_b.wl.csv"); /* plain names keep their file */
    assert_string_not_equal(name, other);
    assert_int_equal(fr_watchlist_file_name("a/b", name, 10), FR_ELIMIT);
    snprintf(path, sizeof path, "%s/%s", dir, "T.wl.csv");
    fr_error err;
    assert_int_equal(fr_watchlist_save(wl, "T", path, &err), FR_OK);
    assert_int_equal(fr_watchlist_save(wl, "T", path, &err), FR_OK); /* replace */
    fr_watchlist *back;
    size_t rej = 0;
    assert_int_equal(fr_watchlist_new(&back), FR_OK);
    assert_int_equal(fr_watchlist_load_dir(back, dir, &rej, &err), FR_OK);
    assert_int_equal(rej, 0);
    assert_int_equal(fr_watchlist_count(back), fr_watchlist_count(wl));
    fr_watchlist_entry a, b;
    fr_watchlist_get(wl, 0, &a);
    fr_watchlist_get(back, 0, &b);
    assert_string_equal(a.aliases, b.aliases);
    assert_string_equal(a.documents, b.documents);
    assert_int_equal(a.birth_lo, b.birth_lo);
    fr_watchlist_free(back);
    snprintf(path, sizeof path, "%s/lost-stolen.docs.csv", dir);
    assert_int_equal(fr_docindex_save(docs, path, &err), FR_OK);
    fr_docindex *d;
    assert_int_equal(fr_docindex_new(&d), FR_OK);
    assert_int_equal(fr_docindex_load(d, path, NULL, &err), FR_OK);
    assert_int_equal(fr_docindex_contains(d, "D", "C01X00T47"), 1);
    fr_docindex_free(d);
    /* no temporary file of the atomic replace may be left behind */
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    struct dirent *de;
    int leftovers = 0;
    while ((de = readdir(dh)) != NULL)
        if (strstr(de->d_name, ".tmp.")) leftovers++;
    closedir(dh);
    assert_int_equal(leftovers, 0);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

typedef struct worker {
    int ok;
} worker;

static const char *const THREAD_NAMES[] = {"CHEUNG, Wai Ming", "Alexander Ivanoff", "Kim Jong Un",
                                           "Juan Cruz",        "Иванов Александр",  "Wang Wei"};

static void *screen_many(void *arg)
{
    worker *w = arg;
    fr_screen_ctx *c;
    fr_error err;
    w->ok = 0;
    if (fr_screen_ctx_new(idx, docs, &c, &err) != FR_OK) return NULL;
    int ok = 1;
    for (int i = 0; i < 300 && ok; i++) {
        const char *nm = THREAD_NAMES[i % 6];
        fr_screen_query q = {
            .name = nm, .birth_lo = FR_DATE_NONE, .birth_hi = FR_DATE_NONE, .nationality = -1};
        fr_screen_result r[3];
        size_t n;
        ok = fr_screen_person(c, &q, r, 3, &n) == FR_OK && n >= 1 && r[0].band >= FR_BAND_POSSIBLE;
    }
    fr_screen_ctx_free(c);
    w->ok = ok;
    return NULL;
}

/* One index, one context per thread: concurrent screening gives the
 * single-threaded answers (run under the sanitizers, races would show). */
static void contexts_screen_in_parallel(void **st)
{
    (void)st;
    pthread_t th[4];
    worker w[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, screen_many, &w[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(w[i].ok);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_variant_family_is_found),
        cmocka_unit_test(two_letter_tokens_and_near_names),
        cmocka_unit_test(evidence_moves_the_score),
        cmocka_unit_test(explanations_are_made_of_the_phrases),
        cmocka_unit_test(scores_are_ordered_not_stuck_at_one),
        cmocka_unit_test(lost_and_stolen_documents),
        cmocka_unit_test(bad_rows_are_reported_and_skipped),
        cmocka_unit_test(save_replaces_atomically_and_loads_back),
        cmocka_unit_test(contexts_screen_in_parallel),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    u_cleanup();
    return rc;
}
