/* SPDX-License-Identifier: MIT */
/* cmd_linkeval.c: `frontera linkeval --truth FILE`: pairwise precision and
 * recall of the ledger's document links against the ground truth of a
 * synthetic run (frontera synth --truth), overall and by nationality, and
 * the harm at the booth: documents that would have shown another person's
 * history, and innocent referrals for a namesake. The library does the
 * counting (linkeval.h); this prints. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/linkeval.h"
#include "frontera/policy.h"
#include "i18n.h"

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    *got = fread(buf, 1, cap, (FILE *)ud);
    return *got == 0 && ferror((FILE *)ud) ? FR_EIO : FR_OK;
}

static void line(const fr_linkeval_counts *k)
{
    printf("%-5s %9llu %9llu %10llu %10llu %9.5f %9.5f %8llu %8llu %8llu\n",
           k->nationality[0] ? k->nationality : _("all"), (unsigned long long)k->documents,
           (unsigned long long)k->persons, (unsigned long long)k->true_pairs,
           (unsigned long long)k->predicted_pairs,
           fr_linkeval_ratio(k->correct_pairs, k->predicted_pairs),
           fr_linkeval_ratio(k->correct_pairs, k->true_pairs), (unsigned long long)k->exposed,
           (unsigned long long)k->reviewed, (unsigned long long)k->innocent_referred);
}

int cmd_linkeval(int argc, char **argv)
{
    static const struct option opts[] = {{"truth", required_argument, NULL, 't'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *truth = NULL, *policy_path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 't')
            truth = optarg;
        else if (c == 'p')
            policy_path = optarg;
        else if (c == 'h') {
            printf(
                _("Usage: frontera [--db PATH] linkeval --truth FILE.csv [--policy FILE]\n"
                  "Measure how the ledger linked documents to travellers against the ground\n"
                  "truth of a synthetic run: import `frontera synth --out X.csv --truth T.csv`\n"
                  "into an empty ledger, then run this with --truth T.csv. Prints, overall and\n"
                  "by nationality: documents, persons, true and predicted pairs of documents of\n"
                  "one person, pairwise precision and recall, documents given to a traveller\n"
                  "holding another person's earlier document (exposed to another's history),\n"
                  "documents under review, and those reviewed against other people only\n"
                  "(innocent referrals). With --policy, the harm at the booth: every entry that\n"
                  "came after another person's crossing on the same traveller is decided by the\n"
                  "booth's rule on the ledger's history and on the person's own crossings, and\n"
                  "the admissions refused, shortened or referred because of the other person's\n"
                  "record are counted.\n"
                  "Exit 1 when precision is below 0.999, recall below 0.95, any admission is\n"
                  "refused or shortened because of another's record (without --policy: any\n"
                  "document is exposed), or innocent referrals plus referrals for another's\n"
                  "record reach 1 in 10,000 persons.\n"));
            return FR_EXIT_OK;
        } else
            return cli_bad_option("linkeval", argc, argv);
    }
    if (optind != argc)
        return cli_usage_error("linkeval", "unexpected argument '%s'", argv[optind]);
    if (!truth) return cli_usage_error("linkeval", "--truth FILE is required");
    fr_policy *policy = NULL;
    if (policy_path && !(policy = cli_load_policy("linkeval", policy_path))) return FR_EXIT_USAGE;
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    FILE *f = fopen(truth, "r");
    if (!f) {
        fprintf(stderr, _("frontera linkeval: cannot read %s: %s\n"), truth, strerror(errno));
        fr_policy_free(policy);
        return FR_EXIT_FAILURE;
    }
    fr_store *s = NULL;
    fr_csv *csv = NULL;
    fr_error err;
    fr_error_clear(&err);
    int ex = FR_EXIT_FAILURE;
    static fr_linkeval e;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("linkeval", db, &err);
        goto done;
    }
    if (fr_csv_new(read_file, f, NULL, &csv) != FR_OK) {
        fprintf(stderr, _("frontera linkeval: out of memory\n"));
        goto done;
    }
    if (fr_linkeval_run(s, csv, policy, &e, &err) != FR_OK) {
        cli_print_error("linkeval", truth, &err);
        goto done;
    }
    printf(_("%llu events\n"), (unsigned long long)e.events);
    printf("%-5s %9s %9s %10s %10s %9s %9s %8s %8s %8s\n", "nat", "documents", "persons",
           "true_pairs", "pred_pairs", "precision", "recall", "exposed", "reviewed", "innocent");
    line(&e.total);
    for (size_t i = 0; i < e.nnat; i++)
        line(&e.nat[i]);
    const fr_linkeval_counts *t = &e.total;
    double innocent_rate = t->persons ? (double)t->innocent_referred / (double)t->persons : 0;
    printf(_("innocent referrals: %llu of %llu persons (%.2f in 10,000); exposed to another's "
             "history: %llu\n"),
           (unsigned long long)t->innocent_referred, (unsigned long long)t->persons,
           innocent_rate * 10000, (unsigned long long)t->exposed);
    const fr_linkeval_harm *hm = &e.harm;
    uint64_t referred = t->innocent_referred + (e.harm_measured ? hm->referred : 0);
    double referred_rate = t->persons ? (double)referred / (double)t->persons : 0;
    if (e.harm_measured)
        printf(_("harm at the booth: %llu travellers hold more than one person; %llu entries came "
                 "after another person's crossing: %llu refused, %llu stays shortened (%llu days), "
                 "%llu referred because of the other person's record\n"),
               (unsigned long long)hm->travellers, (unsigned long long)hm->entries,
               (unsigned long long)hm->refused, (unsigned long long)hm->shortened,
               (unsigned long long)hm->shortened_days, (unsigned long long)hm->referred);
    if (e.harm_measured)
        printf(_("renewals at the booth: %llu entries came after a crossing on another document "
                 "of the same person: %llu referred to confirm the documents are one person's "
                 "(the other documents' days would shorten or end the stay)\n"),
               (unsigned long long)hm->renewal_entries, (unsigned long long)hm->renewal_referred);
    printf(_("referred because of another person (innocent referrals%s): %llu (%.2f in 10,000 "
             "persons)\n"),
           e.harm_measured ? _(" and history referrals") : "", (unsigned long long)referred,
           referred_rate * 10000);
    int harmless = e.harm_measured ? hm->refused == 0 && hm->shortened == 0 : t->exposed == 0;
    int ok = fr_linkeval_ratio(t->correct_pairs, t->predicted_pairs) >= 0.999 &&
             fr_linkeval_ratio(t->correct_pairs, t->true_pairs) >= 0.95 && harmless &&
             referred_rate < 1e-4;
    printf(_("targets (precision >= 0.999, recall >= 0.95, %s, referred because of another person "
             "< 1 in 10,000): %s\n"),
           e.harm_measured ? _("none refused or shortened because of another's record")
                           : _("none exposed (no --policy: harm not replayed)"),
           ok ? _("met") : _("NOT met"));
    ex = ok ? FR_EXIT_OK : FR_EXIT_FINDING;
done:
    fr_csv_free(csv);
    fr_store_close(s);
    fr_policy_free(policy);
    fclose(f);
    return ex;
}
