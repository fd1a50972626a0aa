/* SPDX-License-Identifier: MIT */
/* main.c: the frontera program's entry point. It dispatches to one
 * subcommand (commands.h) and answers --help, --version and
 * `help SUBCOMMAND` the GNU way. Global options before the subcommand:
 * --db PATH (also FRONTERA_DB) is exported to the subcommands through the
 * FRONTERA_DB environment variable so each can read it the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command COMMANDS[] = {
#define FR_X_ROW(name, fn, summary) {#name, fn, summary},
    FR_COMMANDS(FR_X_ROW)
#undef FR_X_ROW
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *out)
{
    fprintf(out, "%s",
            _("Usage: frontera [--db PATH] SUBCOMMAND [OPTION]... [ARG]...\n"
              "Border entry/exit system: travel documents, visa policy, stays, crossings.\n\n"
              "Subcommands:\n"));
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-12s %s\n", COMMANDS[i].name, _(COMMANDS[i].summary));
    fprintf(
        out, "%s",
        _("\nGlobal options:\n"
          "  --db PATH     the ledger: an SQLite file (default ./frontera.db, or $FRONTERA_DB)\n"
          "                or a PostgreSQL URI (postgres://USER@HOST:PORT/DB)\n"
          "  --snapshot FILE  where reports keep their analytics index between runs (or\n"
          "                $FRONTERA_SNAPSHOT; default PATH.analytics beside an SQLite\n"
          "                ledger, none for PostgreSQL: the index is then rebuilt each time)\n"
          "  --help        show this help and exit\n"
          "  --version     show the version and exit\n\n"
          "'frontera help SUBCOMMAND' shows a subcommand's options.\n"
          "Exit status: 0 ok, 1 a finding or refusal, 2 a usage error, 3 a failure.\n"));
}

static const command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0) return &COMMANDS[i];
    return NULL;
}

/* The global options that name a value, each exported to the subcommands
 * as its environment variable: --NAME VALUE or --NAME=VALUE. The number of
 * arguments taken, or 0 when argv[i] is none of them. */
static int global_option(int argc, char **argv, int i)
{
    static const struct {
        const char *name, *env;
    } G[] = {{"--db", "FRONTERA_DB"}, {"--snapshot", "FRONTERA_SNAPSHOT"}};
    for (size_t k = 0; k < sizeof G / sizeof *G; k++) {
        size_t n = strlen(G[k].name);
        if (strncmp(argv[i], G[k].name, n) != 0) continue;
        if (argv[i][n] == '=') {
            setenv(G[k].env, argv[i] + n + 1, 1);
            return 1;
        }
        if (argv[i][n] == '\0' && i + 1 < argc) {
            setenv(G[k].env, argv[i + 1], 1);
            return 2;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1, n;
    cli_i18n_init();
    /* The subcommands name a refused option themselves, in the user's
     * language (cli_bad_option), instead of getopt's English line. */
    opterr = 0;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return FR_EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("frontera %s\n", FR_VERSION);
            return FR_EXIT_OK;
        } else if ((n = global_option(argc, argv, i)) > 0) {
            i += n;
        } else {
            fprintf(stderr, _("frontera: unknown option '%s'\n"), argv[i]);
            fputs(_("Try 'frontera --help' for more information.\n"), stderr);
            return FR_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return FR_EXIT_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        if (i + 1 >= argc) {
            usage(stdout);
            return FR_EXIT_OK;
        }
        const command *c = find(argv[i + 1]);
        if (!c) {
            fprintf(stderr, _("frontera: no subcommand '%s'\n"), argv[i + 1]);
            return FR_EXIT_USAGE;
        }
        /* `help report alerts`: the words after the subcommand (a report's
         * kind, user's action ...) go with it, then --help */
        char help_opt[] = "--help";
        char *hargv[8];
        int hn = 0;
        for (int k = i + 1; k < argc && hn < 6; k++)
            hargv[hn++] = argv[k];
        hargv[hn++] = help_opt;
        hargv[hn] = NULL;
        return c->fn(hn, hargv);
    }
    if (strcmp(name, "version") == 0) {
        printf("frontera %s\n", FR_VERSION);
        return FR_EXIT_OK;
    }
    const command *c = find(name);
    if (!c) {
        fprintf(stderr, _("frontera: '%s' is not a frontera subcommand.\n"), name);
        fputs(_("Try 'frontera --help' for the list.\n"), stderr);
        return FR_EXIT_USAGE;
    }
    return c->fn(argc - i, argv + i);
}
