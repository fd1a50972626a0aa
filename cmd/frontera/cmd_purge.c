/* SPDX-License-Identifier: MIT */
/* cmd_purge.c: `frontera purge`: erase the personal data past its retention
 * period (docs/retention.md). --dry-run counts what would go, by kind;
 * without it the persons due are erased batch by batch (cli_purge.c), each
 * batch with its audit entry in one transaction, so a run killed at any
 * point leaves whole persons erased or untouched and a new run finishes the
 * work. Prints counts only, never a name or a document. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_purge.h"
#include "commands.h"
#include "frontera/audit.h"
#include "i18n.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] purge [--dry-run] [OPTION]...\n"
       "Erase the personal data the retention policy no longer allows to keep. A person is\n"
       "kept as long as any of their records is: 3 years after the exit that closes a stay,\n"
       "5 years after the authorised stay of an entry never closed by an exit (an overstay),\n"
       "5 years after a refusal or encounter with no later exit (the EU Entry/Exit System's\n"
       "periods). A person due is erased whole: traveller, documents, link reviews, names in\n"
       "the linking frequencies. Their crossings stay without anything personal (kind, date,\n"
       "port, nationality, class, authorised stay), so every report gives the same figures.\n"
       "Each batch is one transaction with its entry in the audit log.\n\n"
       "  --dry-run            count what would be erased, by kind; change nothing\n"
       "  --as-of DATE         the day of the run (default today, UTC)\n"
       "  --exit-years N       years kept after an exit (default 3)\n"
       "  --overstay-years N   years kept after an unclosed stay or a refusal (default 5)\n"
       "  --manifest-days N    days an airline manifest's persons are kept after the flight\n"
       "                       arrived (default 90): then their names, birth dates and\n"
       "                       documents go and the reconciliation's outcome stays\n"
       "  --batch N            persons looked at per transaction (default 1000)\n"
       "  --json               the counts as JSON\n\n"
       "Exit status: 0 ok, 2 usage error, 3 failure.\n");

static int years_arg(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || !*s || v < 1 || v > FR_RETENTION_YEARS_MAX) return -1;
    *out = (int)v;
    return 0;
}

static void print_counts(const fr_retention *r, fr_date as_of, int dry, const fr_purge_counts *c)
{
    char a[FR_DATE_BUFSZ], x[FR_DATE_BUFSZ], o[FR_DATE_BUFSZ];
    fr_date xc, oc;
    fr_retention_cutoffs(r, as_of, &xc, &oc);
    const int64_t *e = c->events;
    long long events = (long long)(e[1] + e[2] + e[3] + e[4] + e[5]);
    printf(dry ? _("Retention on %s (dry run: nothing changed)\n") : _("Retention on %s\n"),
           fr_date_format(as_of, a));
    printf(_("  kept %d years after an exit (exits up to %s are past it), %d years after an\n"
             "  unclosed stay or a refusal (ended up to %s)\n"),
           r->exit_years, fr_date_format(xc, x), r->overstay_years, fr_date_format(oc, o));
    printf(dry ? _("  persons that would be erased: %lld (of %lld old enough to look at)\n")
               : _("  persons erased: %lld (of %lld old enough to look at)\n"),
           (long long)c->travellers, (long long)c->examined);
    printf(_("    kept longest by an exit %lld, by an overstay %lld, by a refusal or encounter "
             "%lld\n"),
           (long long)c->by_rule[FR_RETAIN_EXIT], (long long)c->by_rule[FR_RETAIN_OVERSTAY],
           (long long)c->by_rule[FR_RETAIN_REFUSAL]);
    printf(_("  documents: %lld, link reviews: %lld\n"), (long long)c->documents,
           (long long)c->reviews);
    printf(_("  crossings kept without personal data: %lld (entries %lld, exits %lld, refusals "
             "%lld, encounters %lld, extensions %lld)\n"),
           events, (long long)e[1], (long long)e[2], (long long)e[3], (long long)e[4],
           (long long)e[5]);
    printf(dry ? _("  airline manifest persons that would be erased (arrived more than %d days "
                   "ago; their outcomes kept): %lld\n")
               : _("  airline manifest persons erased (arrived more than %d days ago; their "
                   "outcomes kept): %lld\n"),
           r->manifest_days, (long long)c->manifest_persons);
}

static int print_json(const fr_retention *r, fr_date as_of, int dry, const fr_purge_counts *c)
{
    char a[FR_DATE_BUFSZ], x[FR_DATE_BUFSZ], o[FR_DATE_BUFSZ];
    fr_date xc, oc;
    fr_retention_cutoffs(r, as_of, &xc, &oc);
    const int64_t *e = c->events;
    json_t *j = json_pack(
        "{s:b, s:s, s:i, s:i, s:s, s:s, s:I, s:I, s:I, s:I,"
        " s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}}",
        "dry_run", dry, "as_of", fr_date_format(as_of, a), "exit_years", r->exit_years,
        "overstay_years", r->overstay_years, "exit_cutoff", fr_date_format(xc, x),
        "overstay_cutoff", fr_date_format(oc, o), "examined", (json_int_t)c->examined, "persons",
        (json_int_t)c->travellers, "documents", (json_int_t)c->documents, "reviews",
        (json_int_t)c->reviews, "events", "entry", (json_int_t)e[1], "exit", (json_int_t)e[2],
        "refusal", (json_int_t)e[3], "encounter", (json_int_t)e[4], "extension", (json_int_t)e[5],
        "by_rule", "exit", (json_int_t)c->by_rule[FR_RETAIN_EXIT], "overstay",
        (json_int_t)c->by_rule[FR_RETAIN_OVERSTAY], "refusal",
        (json_int_t)c->by_rule[FR_RETAIN_REFUSAL]);
    if (j) {
        json_object_set_new(j, "manifest_days", json_integer(r->manifest_days));
        json_object_set_new(j, "manifest_persons", json_integer((json_int_t)c->manifest_persons));
    }
    char *s = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) return -1;
    printf("%s\n", s);
    free(s);
    return 0;
}

int cmd_purge(int argc, char **argv)
{
    static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"exit-years", required_argument, NULL, 'x'},
                                         {"overstay-years", required_argument, NULL, 'o'},
                                         {"manifest-days", required_argument, NULL, 'm'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *sub = "purge";
    fr_retention ret;
    fr_retention_defaults(&ret);
    fr_date as_of = FR_DATE_NONE;
    int dry = 0, json = 0, c;
    size_t batch = 1000;
    fr_error err;
    fr_error_clear(&err);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            dry = 1;
            break;
        case 'a':
            if (fr_date_parse_cstr(optarg, &as_of, &err) != FR_OK)
                return cli_usage_error(sub, "--as-of: '%s' is not a date (YYYY-MM-DD): %s", optarg,
                                       cli_error_text(&err));
            break;
        case 'x':
            if (years_arg(optarg, &ret.exit_years))
                return cli_usage_error(sub, "--exit-years needs 1..%d, not '%s'",
                                       FR_RETENTION_YEARS_MAX, optarg);
            break;
        case 'o':
            if (years_arg(optarg, &ret.overstay_years))
                return cli_usage_error(sub, "--overstay-years needs 1..%d, not '%s'",
                                       FR_RETENTION_YEARS_MAX, optarg);
            break;
        case 'm': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || !*optarg || v < 1 || v > FR_RETENTION_MANIFEST_DAYS_MAX)
                return cli_usage_error(sub, "--manifest-days needs 1..%d, not '%s'",
                                       FR_RETENTION_MANIFEST_DAYS_MAX, optarg);
            ret.manifest_days = (int)v;
            break;
        }
        case 'b': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || !*optarg || v < 1 || v > 100000)
                return cli_usage_error(sub, "--batch needs 1..100000, not '%s'", optarg);
            batch = (size_t)v;
            break;
        }
        case 'j':
            json = 1;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option(sub, argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (fr_retention_check(&ret, &err) != FR_OK)
        return cli_usage_error(sub, "%s", cli_error_text(&err));
    if (as_of == FR_DATE_NONE) as_of = cli_purge_today();
    if (as_of < FR_EVENT_DATE_MIN || as_of > FR_EVENT_DATE_MAX)
        return cli_usage_error(sub, "--as-of must be within 2000-01-01..2099-12-31");
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    char actor[FR_AUDIT_ACTOR_MAX + 1];
    cli_actor(actor, sizeof actor);
    fr_purge_counts total;
    if (cli_purge_run(db, &ret, as_of, dry, batch, actor, "cli", "cli", NULL, &total, &err) !=
        FR_OK) {
        cli_print_error(sub, db, &err);
        return FR_EXIT_FAILURE;
    }
    if (json) {
        if (print_json(&ret, as_of, dry, &total) != 0) return FR_EXIT_FAILURE;
    } else {
        print_counts(&ret, as_of, dry, &total);
    }
    return FR_EXIT_OK;
}
