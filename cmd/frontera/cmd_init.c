/* SPDX-License-Identifier: MIT */
/* cmd_init.c: `frontera init`: create the ledger database, or bring an
 * existing one to the current schema version (store.h migrations). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "commands.h"
#include "frontera/store.h"
#include "i18n.h"

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(
                _("Usage: frontera [--db PATH] init\n"
                  "Create the crossings ledger (SQLite, WAL mode) at PATH, or migrate an\n"
                  "existing one to the current schema version. PATH is --db, else $FRONTERA_DB,\n"
                  "else ./frontera.db. A database written by a newer frontera is refused.\n"));
            return FR_EXIT_OK;
        }
        return cli_bad_option("init", argc, argv);
    }
    if (optind < argc) return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    fr_error err;
    int rc = fr_store_open(db, FR_STORE_CREATE, &s, &err);
    if (rc != FR_OK) {
        cli_print_error("init", db, &err);
        return FR_EXIT_FAILURE;
    }
    int version = 0;
    rc = fr_store_schema_version(s, &version, &err);
    fr_store_close(s);
    if (rc != FR_OK) {
        cli_print_error("init", db, &err);
        return FR_EXIT_FAILURE;
    }
    printf(_("%s: frontera ledger, schema version %d\n"), db, version);
    return FR_EXIT_OK;
}
