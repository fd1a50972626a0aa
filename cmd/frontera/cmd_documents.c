/* SPDX-License-Identifier: MIT */
/* cmd_documents.c: `frontera documents import FILE`: the lost/stolen travel
 * document list (CSV state,number[,type]) kept as lost-stolen.docs.csv in the
 * watchlist directory, replaced atomically. Bad rows are printed and
 * skipped (exit 1 when any was). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "frontera/screen.h"
#include "i18n.h"

int cmd_documents(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd')
            dir = optarg;
        else if (c == 'h') {
            printf(
                _("Usage: frontera documents import FILE [--dir DIR]\n"
                  "Replace the lost/stolen document list with FILE (CSV with a header:\n"
                  "state,number[,type]; state an ICAO 9303 code, an ISO alpha-3 code or a\n"
                  "country name). Numbers are normalised (upper\n"
                  "case; spaces, '-', '<', '/', '.' removed). Bad rows are reported and skipped\n"
                  "(exit 1 when any was). DIR: --dir, else $FRONTERA_WATCHLISTS, else\n"
                  "./frontera-watchlists; the list is DIR/lost-stolen.docs.csv.\n"));
            return FR_EXIT_OK;
        } else
            return cli_bad_option("documents", argc, argv);
    }
    if (optind + 2 != argc || strcmp(argv[optind], "import") != 0)
        return cli_usage_error("documents", "usage: documents import FILE");
    if (!dir) {
        const char *e = getenv("FRONTERA_WATCHLISTS");
        dir = e && *e ? e : "./frontera-watchlists";
    }
    const char *file = argv[optind + 1];
    size_t len, acc = 0, rej = 0;
    cli_row_errors shown = {.sub = "documents", .file = file};
    char *data = cli_read_all(file, (size_t)1 << 31, &len);
    if (!data) return FR_EXIT_FAILURE;
    fr_docindex *d = NULL;
    int ex = FR_EXIT_OK;
    int rc = fr_docindex_new(&d);
    if (rc == FR_OK) rc = fr_docindex_parse(d, data, len, cli_row_error, &shown, &acc, &rej);
    cli_row_errors_end(&shown);
    free(data);
    if (rc != FR_OK) {
        fprintf(stderr, _("frontera documents: %s: %s\n"), file, cli_strerror(rc));
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    if (acc == 0 && rej > 0) { /* a wrong file must not empty the list in force */
        fprintf(stderr,
                _("frontera documents: no row of %s could be read (%zu rejected): the list in "
                  "force is kept\n"),
                file, rej);
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, _("frontera documents: cannot create %s: %s\n"), dir, strerror(errno));
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    char path[4096];
    fr_error err;
    snprintf(path, sizeof path, "%s/lost-stolen.docs.csv", dir);
    if (fr_docindex_save(d, path, &err) != FR_OK) {
        cli_print_error("documents", path, &err);
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    char docs[64], rows[64];
    snprintf(docs, sizeof docs,
             ngettext("imported %zu document", "imported %zu documents", (unsigned long)acc), acc);
    snprintf(rows, sizeof rows,
             ngettext("rejected %zu row", "rejected %zu rows", (unsigned long)rej), rej);
    printf(_("%s (%zu distinct), %s -> %s\n"), docs, fr_docindex_count(d), rows, path);
    if (rej) ex = FR_EXIT_FINDING;
done:
    fr_docindex_free(d);
    return ex;
}
