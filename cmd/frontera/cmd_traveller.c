/* SPDX-License-Identifier: MIT */
/* cmd_traveller.c: `frontera traveller ID|STATE:NUMBER [--json]`: one
 * traveller's documents, crossings in event-time order, current stay (in
 * the country or not, open entry, authorised until), anomalies and the
 * document links waiting for review. */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "views.h"
#include "commands.h"
#include "frontera/store.h"
#include "i18n.h"

static void print_json(const fr_history *h)
{
    json_t *o = fr__history_json(h);
    char *txt = json_dumps(o, JSON_INDENT(2));
    if (txt) puts(txt);
    free(txt);
    json_decref(o);
}

static void print_text(const fr_history *h)
{
    char buf[FR_DATETIME_BUFSZ], d1[FR_DATE_BUFSZ];
    printf(_("traveller %lld\n"), (long long)h->traveller_id);
    for (size_t i = 0; i < h->ndocuments; i++) {
        const fr_document *d = &h->documents[i].doc;
        printf(_("  document %s:%s"), d->state, d->number);
        if (d->type[0]) printf(_(" type %s"), d->type);
        /* one convention everywhere (the MRZ's order): SURNAME, GIVEN NAMES */
        if (d->surname[0] || d->given_names[0])
            printf(", %s%s%s", d->surname, d->given_names[0] ? ", " : "", d->given_names);
        if (d->nationality[0]) printf(", %s", d->nationality);
        if (d->birth_date != FR_DATE_NONE)
            printf(_(", born %s"), fr_date_format(d->birth_date, d1));
        if (d->expiry != FR_DATE_NONE) printf(_(", expires %s"), fr_date_format(d->expiry, d1));
        printf(_(" (link: %s)\n"), cli_code_word(fr_link_kind_name(h->documents[i].link)));
    }
    if (h->in_country)
        printf(_("status: in the country since %s (entry %s), authorised until %s\n"),
               fr_datetime_format(&h->items[h->open_entry].at, buf),
               h->items[h->open_entry].event_id,
               h->authorised_until == FR_DATE_NONE ? _("(not yet computed)")
                                                   : fr_date_format(h->authorised_until, d1));
    else
        printf(_("status: not in the country\n"));
    for (size_t i = 0; i < h->count; i++) {
        const fr_history_item *it = &h->items[i];
        printf("  %s  %-9s %s %s", fr_datetime_format(&it->at, buf),
               cli_code_word(fr_event_kind_name(it->kind)), it->port, it->event_id);
        if (it->authorised_until != FR_DATE_NONE)
            printf(_(" until %s"), fr_date_format(it->authorised_until, d1));
        for (unsigned b = 1; b <= FR_ANOMALY_DOCUMENT_MISMATCH; b <<= 1)
            if (it->anomalies & b) printf(_("  [anomaly: %s]"), cli_code_word(fr_anomaly_name(b)));
        putchar('\n');
    }
    for (size_t i = 0; i < h->nreviews; i++) {
        printf(_("  review: traveller %lld may be traveller %lld\n"),
               (long long)h->reviews[i].traveller_id, (long long)h->reviews[i].candidate_traveller);
        cli_print_evidence(h->reviews[i].reason, "    ");
    }
}

int cmd_traveller(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c, json = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(_("Usage: frontera [--db PATH] traveller ID|STATE:NUMBER [--json]\n"
                     "Show a traveller (by id, or by a document such as ECU:A1234567): documents,\n"
                     "crossings in event-time order, whether in the country and until when,\n"
                     "anomalies, and document links under review. Exit 1 when not found.\n"));
            return FR_EXIT_OK;
        }
        if (c == 'j') {
            json = 1;
            continue;
        }
        return cli_bad_option("traveller", argc, argv);
    }
    if (optind + 1 != argc) return cli_usage_error("traveller", "give one ID or STATE:NUMBER");
    const char *arg = argv[optind];
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    fr_error err;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("traveller", db, &err);
        return FR_EXIT_FAILURE;
    }
    int64_t tid = 0;
    int rc;
    const char *colon = strchr(arg, ':');
    if (colon) {
        char state[8];
        size_t n = (size_t)(colon - arg);
        if (n == 0 || n >= sizeof state) {
            fr_store_close(s);
            return cli_usage_error("traveller", "'%s' is not STATE:NUMBER", arg);
        }
        memcpy(state, arg, n);
        state[n] = '\0';
        char number[64];
        snprintf(number, sizeof number, "%s", colon + 1);
        for (char *p = state; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        for (char *p = number; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        rc = fr_store_find_document(s, state, number, &tid, &err);
    } else {
        char *end;
        long long v = strtoll(arg, &end, 10);
        if (*end || v <= 0) {
            fr_store_close(s);
            return cli_usage_error("traveller", "'%s' is neither an id nor STATE:NUMBER", arg);
        }
        tid = v;
        rc = FR_OK;
    }
    fr_history *h = NULL;
    if (rc == FR_OK) rc = fr_store_history(s, tid, &h, &err);
    fr_store_close(s);
    if (rc != FR_OK) {
        cli_print_error("traveller", NULL, &err);
        return rc == FR_ENOTFOUND ? FR_EXIT_FINDING : FR_EXIT_FAILURE;
    }
    /* a personal record: audited as a read through the server is, before it is shown */
    char object[64];
    snprintf(object, sizeof object, "traveller:%lld", (long long)tid);
    if (cli_audit("traveller", db, "traveller.read", object, "cli", NULL) != FR_OK) {
        fr_history_free(h);
        return FR_EXIT_FAILURE;
    }
    if (json)
        print_json(h);
    else
        print_text(h);
    fr_history_free(h);
    return FR_EXIT_OK;
}
