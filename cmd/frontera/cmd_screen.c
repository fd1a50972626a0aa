/* SPDX-License-Identifier: MIT */
/* cmd_screen.c: `frontera screen`: screen one traveller (--name ...) or a
 * manifest (--manifest FILE, one JSON object per line in, one JSON result
 * per line out) against the watchlists and the lost/stolen documents of the
 * watchlist directory. Exit 1 when any traveller is a hit or possible, or
 * holds a lost/stolen document; 0 when all are clear. */
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>

#include "cli.h"
#include "commands.h"
#include "frontera/country.h"
#include "frontera/screen.h"
#include "i18n.h"

#define SCREEN_MAX_RESULTS 10

typedef struct trav {
    const char *name;
    const char *birth;
    const char *nat;
    const char *doc;
} trav;

static int usage(void)
{
    printf(
        _("Usage: frontera screen --name \"SURNAME, GIVEN NAMES\" [--birth-date D] [--nationality "
          "N]\n"
          "                       [--document STATE:NUMBER] [--json] [--max K] [--dir DIR]\n"
          "       frontera screen --manifest FILE [--dir DIR]\n"
          "Screen a traveller against the watchlists and the lost/stolen documents kept in DIR\n"
          "(--dir, else $FRONTERA_WATCHLISTS, else ./frontera-watchlists). The name may be in\n"
          "any script or an MRZ name field; D is YYYY-MM-DD, YYYY or a range A..B; N a\n"
          "nationality as an ICAO 9303 or ISO 3166 alpha-3 code or a country name (DEU,\n"
          "D and Germany are the same); STATE likewise.\n"
          "Each result: id, score 0..1, band hit / possible / clear, explanation. --manifest:\n"
          "one JSON object per line {\"name\",\"birth_date\",\"nationality\",\"document\"}, one "
          "JSON\n"
          "result per line out. Exit 1 when any traveller is hit/possible or holds a lost or\n"
          "stolen document, 0 when all are clear, 2 usage, 3 failure.\n"));
    return FR_EXIT_OK;
}

/* Why a traveller could not be screened, twice: in English for the JSON
 * answer (machine output, the same in every language) and in the user's
 * language for the screen. */
typedef struct why_text {
    char json[256], human[256];
} why_text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
why_set(why_text *w, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vsnprintf(w->json, sizeof w->json, fmt, ap);
    vsnprintf(w->human, sizeof w->human, _(fmt), aq);
    va_end(aq);
    va_end(ap);
}

/* Screen one traveller into a JSON object; *alert set when not clear. */
static json_t *screen_one(fr_screen_ctx *ctx, const trav *t, size_t max, int *alert, why_text *why)
{
    fr_screen_query q = {
        .name = t->name, .birth_lo = FR_DATE_NONE, .birth_hi = FR_DATE_NONE, .nationality = -1};
    fr_error err;
    char state[8] = "";
    why->json[0] = why->human[0] = '\0';
    if (!t->name || !*t->name) {
        why_set(why, N_("no name"));
        return NULL;
    }
    if (t->birth && *t->birth &&
        fr_screen_parse_birth(t->birth, strlen(t->birth), &q.birth_lo, &q.birth_hi, &err) !=
            FR_OK) {
        why_set(why, N_("bad birth date '%.40s': %.150s"), t->birth, err.message);
        /* and the parser's reason in the user's words, not only the frame */
        snprintf(why->human, sizeof why->human, _("bad birth date '%.40s': %.150s"), t->birth,
                 cli_error_text(&err));
        return NULL;
    }
    if (t->nat && *t->nat && (q.nationality = cli_country(t->nat, strlen(t->nat))) < 0) {
        why_set(why,
                N_("'%.40s' is not a nationality (want an ICAO 9303 or ISO 3166 alpha-3 code, or a "
                   "country name)"),
                t->nat);
        return NULL;
    }
    if (t->doc && *t->doc) {
        const char *colon = strchr(t->doc, ':');
        if (colon) {
            size_t sl = (size_t)(colon - t->doc);
            int st = fr_country_normalize(t->doc, sl);
            if (st < 0) {
                why_set(why,
                        N_("document '%.40s': the issuing state is not an ICAO 9303 or ISO 3166 "
                           "alpha-3 code or a country name"),
                        t->doc);
                return NULL;
            }
            snprintf(state, sizeof state, "%s", fr_country_code(st));
            q.doc_state = state;
            q.doc_number = colon + 1;
        } else {
            q.doc_number = t->doc;
        }
    }
    fr_screen_result res[SCREEN_MAX_RESULTS];
    size_t n = 0;
    int rc = fr_screen_person(ctx, &q, res, max, &n);
    if (rc != FR_OK) {
        why_set(why, N_("cannot screen the name '%.60s': %s"), t->name, fr_strerror(rc));
        return NULL;
    }
    int lost = 0;
    if (q.doc_number && q.doc_state) {
        lost = fr_screen_document(ctx, q.doc_state, q.doc_number);
        if (lost < 0) lost = 0;
    }
    fr_screen_band band = n ? res[0].band : FR_BAND_CLEAR;
    json_t *o = json_object(), *arr = json_array();
    if (!o || !arr) {
        json_decref(o);
        json_decref(arr);
        why_set(why, N_("out of memory"));
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_pack("{s:s, s:s, s:f, s:s, s:s}", "id", res[i].id, "list", res[i].list,
                              "score", (double)(long)(res[i].score * 10000 + 0.5) / 10000.0, "band",
                              fr_screen_band_name(res[i].band), "explanation", res[i].explanation);
        if (r) json_array_append_new(arr, r);
    }
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "band", json_string(fr_screen_band_name(band)));
    json_object_set_new(o, "lost_stolen", json_boolean(lost));
    json_object_set_new(o, "results", arr);
    *alert = band != FR_BAND_CLEAR || lost;
    return o;
}

static void print_human(const json_t *o)
{
    json_t *arr = json_object_get(o, "results");
    if (json_is_true(json_object_get(o, "lost_stolen")))
        printf(_("DOCUMENT LISTED LOST OR STOLEN\n"));
    printf("%s: %s\n", json_string_value(json_object_get(o, "name")),
           cli_code_word(json_string_value(json_object_get(o, "band"))));
    size_t i;
    json_t *r;
    json_array_foreach(arr, i, r)
    {
        char words[FR_SCREEN_EXPLAIN * 2];
        printf("  %-8s %.4f  %s (%s)\n    %s\n",
               cli_code_word(json_string_value(json_object_get(r, "band"))),
               json_real_value(json_object_get(r, "score")),
               json_string_value(json_object_get(r, "id")),
               json_string_value(json_object_get(r, "list")),
               cli_screen_explanation(json_string_value(json_object_get(r, "explanation")), words,
                                      sizeof words));
    }
}

static int run_manifest(fr_screen_ctx *ctx, const char *file, size_t max)
{
    size_t len;
    char *data = cli_read_all(file, (size_t)1 << 30, &len);
    if (!data) return FR_EXIT_FAILURE;
    int any = 0, bad = 0;
    long line = 0;
    char *p = data, *end = data + len;
    while (p < end) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        *e = '\0';
        line++;
        char *s = p;
        p = e + 1;
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (!*s) continue;
        json_error_t jerr;
        json_t *in = json_loads(s, JSON_REJECT_DUPLICATES, &jerr), *out = NULL;
        why_text why;
        if (!in || !json_is_object(in)) {
            if (in)
                why_set(&why, N_("bad JSON: not an object"));
            else
                why_set(&why, N_("bad JSON: %s"), jerr.text);
        } else {
            trav t = {json_string_value(json_object_get(in, "name")),
                      json_string_value(json_object_get(in, "birth_date")),
                      json_string_value(json_object_get(in, "nationality")),
                      json_string_value(json_object_get(in, "document"))};
            int alert = 0;
            out = screen_one(ctx, &t, max, &alert, &why);
            any |= alert;
        }
        if (!out) {
            out = json_pack("{s:s}", "error", why.json);
            fprintf(stderr, _("frontera screen: %s:%ld: %s\n"), file, line, why.human);
            bad = 1;
        }
        json_object_set_new(out, "line", json_integer(line));
        char *txt = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (txt) puts(txt);
        free(txt);
        json_decref(out);
        json_decref(in);
    }
    free(data);
    return bad ? FR_EXIT_FAILURE : any ? FR_EXIT_FINDING : FR_EXIT_OK;
}

int cmd_screen(int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"birth-date", required_argument, NULL, 'b'},
                                         {"nationality", required_argument, NULL, 'N'},
                                         {"document", required_argument, NULL, 'D'},
                                         {"manifest", required_argument, NULL, 'm'},
                                         {"max", required_argument, NULL, 'k'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"dir", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    trav t = {0};
    const char *manifest = NULL, *dir = NULL;
    int json = 0, c;
    size_t max = 5;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:b:N:D:m:k:jd:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            t.name = optarg;
            break;
        case 'b':
            t.birth = optarg;
            break;
        case 'N':
            t.nat = optarg;
            break;
        case 'D':
            t.doc = optarg;
            break;
        case 'm':
            manifest = optarg;
            break;
        case 'k': {
            char *endp;
            long v = strtol(optarg, &endp, 10);
            if (*endp || v < 1 || v > SCREEN_MAX_RESULTS)
                return cli_usage_error("screen", "--max must be 1..%d", SCREEN_MAX_RESULTS);
            max = (size_t)v;
            break;
        }
        case 'j':
            json = 1;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'h':
            return usage();
        default:
            return cli_bad_option("screen", argc, argv);
        }
    }
    if (optind != argc) return cli_usage_error("screen", "unexpected argument '%s'", argv[optind]);
    if (!manifest == !t.name) return cli_usage_error("screen", "give either --name or --manifest");
    dir = cli_watchlist_dir(dir);
    cli_screening sc;
    int ex = FR_EXIT_FAILURE;
    if (cli_screening_open("screen", dir, &sc) != 0) return FR_EXIT_FAILURE;
    fr_screen_ctx *ctx = sc.ctx;
    if (manifest) {
        ex = run_manifest(ctx, manifest, max);
        goto done;
    }
    int alert = 0;
    why_text why;
    json_t *o = screen_one(ctx, &t, max, &alert, &why);
    if (!o) {
        ex = cli_usage_error("screen", "%s", why.human);
        goto done;
    }
    if (json) {
        char *txt = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (txt) puts(txt);
        free(txt);
    } else {
        print_human(o);
    }
    json_decref(o);
    ex = alert ? FR_EXIT_FINDING : FR_EXIT_OK;
done:
    cli_screening_close(&sc);
    u_cleanup();
    return ex;
}
