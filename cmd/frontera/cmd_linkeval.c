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

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    *got = fread(buf, 1, cap, (FILE *)ud);
    return *got == 0 && ferror((FILE *)ud) ? FR_EIO : FR_OK;
}

static void line(const fr_linkeval_counts *k)
{
    printf("%-5s %9llu %9llu %10llu %10llu %9.5f %9.5f %8llu %8llu %8llu\n",
           k->nationality[0] ? k->nationality : "all", (unsigned long long)k->documents,
           (unsigned long long)k->persons, (unsigned long long)k->true_pairs,
           (unsigned long long)k->predicted_pairs,
           fr_linkeval_ratio(k->correct_pairs, k->predicted_pairs),
           fr_linkeval_ratio(k->correct_pairs, k->true_pairs), (unsigned long long)k->exposed,
           (unsigned long long)k->reviewed, (unsigned long long)k->innocent_referred);
}

int cmd_linkeval(int argc, char **argv)
{
    static const struct option opts[] = {
        {"truth", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *truth = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 't')
            truth = optarg;
        else if (c == 'h') {
            printf(
                "Usage: frontera [--db PATH] linkeval --truth FILE.csv\n"
                "Measure how the ledger linked documents to travellers against the ground\n"
                "truth of a synthetic run: import `frontera synth --out X.csv --truth T.csv`\n"
                "into an empty ledger, then run this with --truth T.csv. Prints, overall and\n"
                "by nationality: documents, persons, true and predicted pairs of documents of\n"
                "one person, pairwise precision and recall, documents given to a traveller\n"
                "holding another person's earlier document (exposed to another's history),\n"
                "documents under review, and those reviewed against other people only\n"
                "(innocent referrals). Exit 1 when precision is below 0.999, recall below 0.95,\n"
                "any document is exposed, or innocent referrals reach 1 in 10,000 persons.\n");
            return FR_EXIT_OK;
        } else
            return cli_usage_error("linkeval", "unknown option");
    }
    if (optind != argc)
        return cli_usage_error("linkeval", "unexpected argument '%s'", argv[optind]);
    if (!truth) return cli_usage_error("linkeval", "--truth FILE is required");
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    FILE *f = fopen(truth, "r");
    if (!f) {
        fprintf(stderr, "frontera linkeval: cannot read %s: %s\n", truth, strerror(errno));
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
        fprintf(stderr, "frontera linkeval: out of memory\n");
        goto done;
    }
    if (fr_linkeval_run(s, csv, &e, &err) != FR_OK) {
        cli_print_error("linkeval", truth, &err);
        goto done;
    }
    printf("%llu events\n", (unsigned long long)e.events);
    printf("%-5s %9s %9s %10s %10s %9s %9s %8s %8s %8s\n", "nat", "documents", "persons",
           "true_pairs", "pred_pairs", "precision", "recall", "exposed", "reviewed", "innocent");
    line(&e.total);
    for (size_t i = 0; i < e.nnat; i++)
        line(&e.nat[i]);
    const fr_linkeval_counts *t = &e.total;
    double innocent_rate = t->persons ? (double)t->innocent_referred / (double)t->persons : 0;
    printf("innocent referrals: %llu of %llu persons (%.2f in 10,000); exposed to another's "
           "history: %llu\n",
           (unsigned long long)t->innocent_referred, (unsigned long long)t->persons,
           innocent_rate * 10000, (unsigned long long)t->exposed);
    int ok = fr_linkeval_ratio(t->correct_pairs, t->predicted_pairs) >= 0.999 &&
             fr_linkeval_ratio(t->correct_pairs, t->true_pairs) >= 0.95 && t->exposed == 0 &&
             innocent_rate < 1e-4;
    printf("targets (precision >= 0.999, recall >= 0.95, none exposed, innocent referrals < 1 in "
           "10,000): %s\n",
           ok ? "met" : "NOT met");
    ex = ok ? FR_EXIT_OK : FR_EXIT_FINDING;
done:
    fr_csv_free(csv);
    fr_store_close(s);
    fclose(f);
    return ex;
}
