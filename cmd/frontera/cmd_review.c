/* SPDX-License-Identifier: MIT */
/* cmd_review.c: `frontera review`: the supervisor's side of document
 * linking. `list` shows the reviews (a document given a new traveller
 * because it only possibly belongs to a known one) with their evidence;
 * `link ID` says they are the same person (the review's traveller is merged
 * into the candidate and the crossings re-paired); `distinct ID` says they
 * are two people; `split STATE:NUMBER` moves a document and its crossings
 * off a wrongly merged traveller to a new one. Every decision is written to
 * the ledger's link audit with --by and the time. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "frontera/alloc.h"
#include "frontera/linkage.h"
#include "frontera/store.h"
#include "i18n.h"
#include "views.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] review list [--all] [--json]\n"
       "       frontera [--db PATH] review link ID --by NAME --note TEXT\n"
       "       frontera [--db PATH] review distinct ID --by NAME --note TEXT\n"
       "       frontera [--db PATH] review split STATE:NUMBER --by NAME --note TEXT\n"
       "       frontera [--db PATH] review thresholds [--link-bits X] [--review-bits Y]\n"
       "                                              [--renewal-rate R]\n"
       "Document links a supervisor decides. A new document that only possibly belongs to\n"
       "a known traveller (a namesake, a near name, another nationality, an entry while\n"
       "the other is still in the country) gets a new traveller and a review with the\n"
       "evidence: each comparison and its weight in bits (docs/ledger.md, \"Linking\").\n"
       "  list       open reviews (--all: closed ones too), with the evidence\n"
       "  link       the same person: the review's traveller, its documents and crossings\n"
       "             join the candidate traveller, whose entries and exits are re-paired\n"
       "  distinct   two people: the review is closed, nothing moves\n"
       "  split      the document and its crossings leave their traveller for a new one\n"
       "             (a wrong link found later); both travellers are re-paired\n"
       "  thresholds show or set the linking thresholds kept in the ledger (match weight\n"
       "             in bits: link at or above X, default 9.5; review at or above Y, default 4;\n"
       "             R the share of new documents whose holder is already known, default\n"
       "             0.02); they apply to every later record, import and booth decision\n"
       "  --by NAME  who decides (required; written to the link audit with the time)\n"
       "  --note     why, 3 to 400 characters: what the audit keeps of the decision\n"
       "Exit 0 done, 1 not found or already closed, 2 usage, 3 failure.\n");

static void print_list(const fr_link_review *r, size_t n, int json)
{
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            char doc[32];
            snprintf(doc, sizeof doc, "%s:%s", r[i].doc_state, r[i].doc_number);
            json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:f, s:s, s:s}", "id", (json_int_t)r[i].id,
                                  "document", doc, "traveller_id", (json_int_t)r[i].traveller_id,
                                  "candidate_traveller", (json_int_t)r[i].candidate_id, "bits",
                                  r[i].bits, "status", r[i].status, "evidence", r[i].reason);
            if (o) (void)fr__evidence_add(o, r[i].reason); /* out of memory: without them */
            json_array_append_new(a, o);
        }
        char *txt = json_dumps(a, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
        if (txt) puts(txt);
        free(txt);
        json_decref(a);
        return;
    }
    if (n == 0) printf(_("no reviews\n"));
    for (size_t i = 0; i < n; i++) {
        printf(_("review %lld [%s]: document %s:%s (traveller %lld) may be traveller %lld\n"),
               (long long)r[i].id, cli_code_word(r[i].status), r[i].doc_state, r[i].doc_number,
               (long long)r[i].traveller_id, (long long)r[i].candidate_id);
        cli_print_evidence(r[i].reason, "  ");
    }
}

static int doc_arg(const char *arg, char state[8], char number[64])
{
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg || (size_t)(colon - arg) >= 8 || strlen(colon + 1) == 0 ||
        strlen(colon + 1) >= 64)
        return -1;
    memcpy(state, arg, (size_t)(colon - arg));
    state[colon - arg] = '\0';
    snprintf(number, 64, "%s", colon + 1);
    for (char *p = state; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    for (char *p = number; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return 0;
}

static int thresholds(int setting, const double set[3])
{
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("review", db, &err);
        return FR_EXIT_FAILURE;
    }
    fr_linkage_params p;
    fr_store_get_linkage(s, &p);
    if (setting & 1) p.link_bits = set[0];
    if (setting & 2) p.review_bits = set[1];
    if (setting & 4) p.renewal_rate = set[2];
    int rc = setting ? fr_store_set_linkage(s, &p, &err) : FR_OK;
    fr_store_close(s);
    if (rc != FR_OK) {
        cli_print_error("review", NULL, &err);
        return rc == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
    }
    printf(_("link at or above %.2f bits, review at or above %.2f bits, renewal rate %.4f\n"),
           p.link_bits, p.review_bits, p.renewal_rate);
    return FR_EXIT_OK;
}

int cmd_review(int argc, char **argv)
{
    static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"note", required_argument, NULL, 'n'},
                                         {"link-bits", required_argument, NULL, 'L'},
                                         {"review-bits", required_argument, NULL, 'R'},
                                         {"renewal-rate", required_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c, all = 0, json = 0, setting = 0;
    double set[3] = {0, 0, 0};
    char *end;
    const char *by = NULL, *note = "";
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            all = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'b':
            by = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 'L':
        case 'R':
        case 'r': {
            int i = c == 'L' ? 0 : c == 'R' ? 1 : 2;
            set[i] = strtod(optarg, &end);
            if (*end || !*optarg)
                return cli_usage_error("review", "--%s needs a number, not '%s'", opts[4 + i].name,
                                       optarg);
            setting |= 1 << i;
            break;
        }
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("review", argc, argv);
        }
    }
    if (optind >= argc) return cli_usage_error("review", "say list, link, distinct or split");
    const char *what = argv[optind];
    if (strcmp(what, "thresholds") == 0) {
        if (optind + 1 != argc) return cli_usage_error("review", "thresholds takes no argument");
        return thresholds(setting, set);
    }
    if (setting) return cli_usage_error("review", "--link-bits and the like go with thresholds");
    int list = strcmp(what, "list") == 0;
    if (!list && strcmp(what, "link") != 0 && strcmp(what, "distinct") != 0 &&
        strcmp(what, "split") != 0)
        return cli_usage_error("review", "unknown action '%s' (list, link, distinct, split)", what);
    if (list ? optind + 1 != argc : optind + 2 != argc)
        return cli_usage_error("review", list ? "list takes no argument"
                                              : "give one review id or STATE:NUMBER");
    if (!list && (!by || !*by)) return cli_usage_error("review", "say who decides with --by NAME");
    if (!list && strlen(note) < 3)
        return cli_usage_error("review", "say why with --note TEXT (3 to %d characters)",
                               FR_STORE_NOTE_MAX);
    int64_t id = 0;
    char state[8] = "", number[64] = "";
    if (!list && strcmp(what, "split") != 0) {
        long long v = strtoll(argv[optind + 1], &end, 10);
        if (*end || v <= 0)
            return cli_usage_error("review", "'%s' is not a review id", argv[optind + 1]);
        id = v;
    } else if (!list && doc_arg(argv[optind + 1], state, number) != 0) {
        return cli_usage_error("review", "'%s' is not STATE:NUMBER", argv[optind + 1]);
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("review", db, &err);
        return FR_EXIT_FAILURE;
    }
    int rc;
    int64_t now = (int64_t)time(NULL), made = 0;
    if (list) {
        fr_link_review *r = NULL;
        size_t n = 0;
        rc = fr_store_reviews(s, !all, &r, &n, &err);
        if (rc == FR_OK) print_list(r, n, json);
        fr_free(r);
    } else if (strcmp(what, "split") == 0) {
        rc = fr_store_split(s, state, number, by, now, note, &made, &err);
        if (rc == FR_OK)
            printf(_("document %s:%s and its crossings now belong to new traveller %lld\n"), state,
                   number, (long long)made);
    } else {
        int same = strcmp(what, "link") == 0;
        rc = fr_store_review_resolve(s, id, same, by, now, note, &err);
        if (rc == FR_OK)
            printf(same ? _("review %lld: linked as the same person; crossings re-paired\n")
                        : _("review %lld: recorded as two people\n"),
                   (long long)id);
    }
    fr_store_close(s);
    if (rc == FR_OK) return FR_EXIT_OK;
    cli_print_error("review", NULL, &err);
    if (rc == FR_ENOTFOUND || rc == FR_ECONFLICT) return FR_EXIT_FINDING;
    return rc == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
}
