/* SPDX-License-Identifier: MIT */
/* cmd_export.c: `frontera export [--from DATE] [--to DATE]`: write the
 * ledger's events as CSV on stdout (the layout import reads: docs/ledger.md),
 * in arrival order, those whose local date lies in [from, to]. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "frontera/ledger.h"
#include "i18n.h"

static int write_row(void *ud, const fr_event *ev)
{
    FILE *out = ud;
    char small[1024];
    size_t n = fr_ledger_csv_format(ev, small, sizeof small);
    if (n < sizeof small) return fwrite(small, 1, n, out) == n ? 0 : FR_EIO;
    char *big = malloc(n + 1);
    if (!big) return FR_ENOMEM;
    fr_ledger_csv_format(ev, big, n + 1);
    int rc = fwrite(big, 1, n, out) == n ? 0 : FR_EIO;
    free(big);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    fr_date from = FR_DATE_NONE, to = FR_DATE_NONE;
    fr_error err;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(_("Usage: frontera [--db PATH] export [--from DATE] [--to DATE] > FILE.csv\n"
                     "Write the recorded events as CSV (docs/ledger.md), in arrival order; with\n"
                     "--from/--to only those whose local date is within the range (inclusive).\n"
                     "The output imports back into an empty ledger unchanged.\n"));
            return FR_EXIT_OK;
        }
        if (c == 'f' || c == 't') {
            if (fr_date_parse_cstr(optarg, c == 'f' ? &from : &to, &err) != FR_OK)
                return cli_usage_error("export", "--%s: %s", c == 'f' ? "from" : "to",
                                       cli_error_text(&err));
            continue;
        }
        return cli_bad_option("export", argc, argv);
    }
    if (optind < argc) return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("export", db, &err);
        return FR_EXIT_FAILURE;
    }
    /* the whole ledger, or a period of it, leaves the database: audited first */
    char object[64], fb[FR_DATE_BUFSZ], tb[FR_DATE_BUFSZ];
    snprintf(object, sizeof object, "ledger:%s..%s", fr_date_format(from, fb),
             fr_date_format(to, tb));
    if (cli_audit("export", db, "ledger.export", object, "cli", NULL) != FR_OK) {
        fr_store_close(s);
        return FR_EXIT_FAILURE;
    }
    fputs(fr_ledger_csv_header(), stdout);
    int rc = fr_store_export(s, from, to, write_row, stdout, &err);
    fr_store_close(s);
    if (rc == FR_OK && fflush(stdout) != 0) rc = FR_EIO;
    if (rc != FR_OK) {
        if (rc == FR_EIO || rc == FR_ENOMEM)
            fprintf(stderr, _("frontera export: cannot write the output: %s\n"), cli_strerror(rc));
        else
            cli_print_error("export", NULL, &err);
        return FR_EXIT_FAILURE;
    }
    return FR_EXIT_OK;
}
