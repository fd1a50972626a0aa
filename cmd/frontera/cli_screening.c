/* SPDX-License-Identifier: MIT */
/* cli_screening.c: open the screening lists kept in a watchlist directory
 * (every *.wl.csv list and the lost/stolen documents, lost-stolen.docs.csv)
 * and build the screening context, the same way for every subcommand that
 * screens (screen, admit, serve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "i18n.h"

const char *cli_watchlist_dir(const char *given)
{
    if (given && *given) return given;
    const char *e = getenv("FRONTERA_WATCHLISTS");
    return e && *e ? e : "./frontera-watchlists";
}

int cli_watchlist_dir_exists(const char *dir)
{
    struct stat st;
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_screening_open(const char *sub, const char *dir, cli_screening *s)
{
    memset(s, 0, sizeof *s);
    fr_error err;
    fr_error_clear(&err);
    size_t rej = 0;
    char docpath[4096];
    if ((size_t)snprintf(docpath, sizeof docpath, "%s/lost-stolen.docs.csv", dir) >=
        sizeof docpath) {
        fprintf(stderr, _("frontera %s: the watchlist directory name is too long\n"), sub);
        return -1;
    }
    if (!cli_watchlist_dir_exists(dir)) { /* screening against nothing would say "clear" */
        fprintf(stderr,
                _("frontera %s: the watchlist directory %s does not exist: nobody can be "
                  "screened against it (import lists with 'frontera watchlist import')\n"),
                sub, dir);
        return -1;
    }
    if (fr_watchlist_new(&s->wl) != FR_OK || fr_docindex_new(&s->docs) != FR_OK) {
        fprintf(stderr, _("frontera %s: out of memory\n"), sub);
        goto fail;
    }
    if (fr_watchlist_load_dir(s->wl, dir, &rej, &err) != FR_OK) {
        cli_print_error(sub, dir, &err);
        goto fail;
    }
    if (rej)
        fprintf(stderr, _("frontera %s: %s: %zu stored rows did not load (first: %s)\n"), sub, dir,
                rej, cli_error_text(&err));
    int rc = fr_docindex_load(s->docs, docpath, NULL, &err);
    if (rc != FR_OK && rc != FR_ENOTFOUND) {
        cli_print_error(sub, docpath, &err);
        goto fail;
    }
    if (fr_screen_index_build(s->wl, &s->idx, &err) != FR_OK ||
        fr_screen_ctx_new(s->idx, s->docs, &s->ctx, &err) != FR_OK) {
        cli_print_error(sub, dir, &err);
        goto fail;
    }
    return 0;
fail:
    cli_screening_close(s);
    return -1;
}

void cli_screening_close(cli_screening *s)
{
    if (!s) return;
    fr_screen_ctx_free(s->ctx);
    fr_screen_index_free(s->idx);
    fr_docindex_free(s->docs);
    fr_watchlist_free(s->wl);
    memset(s, 0, sizeof *s);
}
