/* SPDX-License-Identifier: MIT */
/* cmd_watchlist.c: `frontera watchlist import FILE [--list NAME] [--format
 * csv|jsonl|un-xml|ofac-csv|ofac-xml|eu-xml|ftm] [--alt FILE]` and
 * `frontera watchlist stats`: keep watchlists as one file per
 * list in the watchlist directory (--dir, else $FRONTERA_WATCHLISTS, else
 * ./frontera-watchlists), replaced atomically on re-import. Bad rows are
 * printed with their line and field and skipped; exit 1 when any was. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "frontera/screen.h"
#include "i18n.h"

#define WL_MAX_INPUT ((size_t)1 << 31)

static const char *wl_dir(const char *opt)
{
    if (opt) return opt;
    const char *e = getenv("FRONTERA_WATCHLISTS");
    return e && *e ? e : "./frontera-watchlists";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int usage(FILE *f)
{
    fprintf(f,
            _("Usage: frontera watchlist import FILE [--format FORMAT] [--list NAME] [--alt FILE]\n"
              "                                 [--dir DIR]\n"
              "       frontera watchlist stats [--dir DIR]\n"
              "Import a watchlist into the watchlist directory, one file per list, replacing\n"
              "that list atomically. FORMAT is one of:\n"
              "  csv       header id,list,name,aliases,birth_date,nationality,documents,reason\n"
              "            (and optionally weak_aliases); the default\n"
              "  jsonl     one JSON object per line with the same keys (default for .jsonl)\n"
              "  un-xml    the UN Security Council Consolidated List (XML)\n"
              "  ofac-csv  the OFAC SDN list, legacy CSV (sdn.csv); its aliases are read from\n"
              "            --alt FILE, else from alt.csv beside FILE when there is one\n"
              "  ofac-xml  the OFAC SDN list, XML (sdn.xml)\n"
              "  eu-xml    the EU consolidated list of financial sanctions (XML)\n"
              "  ftm       OpenSanctions FollowTheMoney entities, one JSON object per line\n"
              "Published lists keep persons only (companies, vessels are counted as skipped);\n"
              "their default list names are UN-SC, OFAC-SDN, EU-FSF and, for FtM, the dataset.\n"
              "Birth dates may be years, months, ranges, circa dates or several; nationalities\n"
              "ICAO or ISO 3166 alpha-3 codes or country names (stored as ICAO codes).\n"
              "Bad rows are reported with their line and field and skipped (exit 1 when any\n"
              "was). `stats` loads every list, builds the screening index and reports its size\n"
              "and load time.\n"
              "DIR: --dir, else $FRONTERA_WATCHLISTS, else ./frontera-watchlists.\n"));
    return FR_EXIT_OK;
}

/* alt.csv beside an sdn.csv, when there is one: a new string or NULL. */
static char *beside(const char *file, const char *name)
{
    const char *slash = strrchr(file, '/');
    size_t dl = slash ? (size_t)(slash - file + 1) : 0;
    char *p = malloc(dl + strlen(name) + 1);
    if (!p) return NULL;
    memcpy(p, file, dl);
    strcpy(p + dl, name);
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || strcmp(p, file) == 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int do_import(const char *file, const char *list, const char *format, const char *alt,
                     const char *dir)
{
    fr_watchlist_format fmt = FR_WATCHLIST_CSV;
    size_t fl = strlen(file);
    if (format) {
        if (fr_watchlist_format_parse(format, &fmt) != FR_OK)
            return cli_usage_error(
                "watchlist",
                "--format must be csv, jsonl, un-xml, ofac-csv, ofac-xml, eu-xml or ftm, not '%s'",
                format);
    } else if ((fl > 6 && strcmp(file + fl - 6, ".jsonl") == 0) ||
               (fl > 7 && strcmp(file + fl - 7, ".ndjson") == 0)) {
        fmt = FR_WATCHLIST_JSONL;
    } else if (strcmp(file, "-") != 0) { /* a published list, by its first bytes */
        char head[8192];
        size_t n = 0;
        FILE *f = fopen(file, "rb");
        if (f) {
            n = fread(head, 1, sizeof head, f);
            fclose(f);
        }
        if (fr_watchlist_format_guess(head, n, &fmt) != FR_OK)
            return cli_usage_error("watchlist",
                                   "%s is XML of no list format frontera knows; say which with "
                                   "--format un-xml, ofac-xml or eu-xml",
                                   file);
        if (fmt != FR_WATCHLIST_CSV)
            fprintf(stderr,
                    _("frontera watchlist: reading %s as %s, from its first bytes (--format FORMAT "
                      "reads it otherwise)\n"),
                    file, fr_watchlist_format_name(fmt));
    }
    if (alt && fmt != FR_WATCHLIST_OFAC_CSV)
        return cli_usage_error("watchlist", "--alt goes with --format ofac-csv only");
    char *alt_found = NULL;
    if (fmt == FR_WATCHLIST_OFAC_CSV && !alt && (alt_found = beside(file, "alt.csv")) != NULL) {
        alt = alt_found;
        printf(_("aliases from %s\n"), alt);
    }
    size_t len, alt_len = 0;
    char *data = cli_read_all(file, WL_MAX_INPUT, &len);
    char *alt_data = NULL;
    if (data && alt && !(alt_data = cli_read_all(alt, WL_MAX_INPUT, &alt_len))) {
        free(data);
        data = NULL;
    }
    free(alt_found);
    if (!data) return FR_EXIT_FAILURE;
    fr_watchlist *wl = NULL;
    int rc = fr_watchlist_new(&wl);
    fr_watchlist_counts counts = {0, 0, 0};
    cli_row_errors rctx = {.sub = "watchlist", .file = file};
    fr_watchlist_import_options opt = {.list_override = list,
                                       .aux = alt_data,
                                       .aux_len = alt_len,
                                       .on_error = cli_row_error,
                                       .ud = &rctx};
    if (rc == FR_OK) rc = fr_watchlist_import(wl, fmt, data, len, &opt, &counts);
    cli_row_errors_end(&rctx);
    size_t acc = counts.accepted, rej = counts.rejected;
    free(data);
    free(alt_data);
    int ex = FR_EXIT_OK;
    if (rc != FR_OK) {
        fprintf(stderr, _("frontera watchlist: %s: %s\n"), file, cli_strerror(rc));
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, _("frontera watchlist: cannot create %s: %s\n"), dir, strerror(errno));
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    /* one file per distinct list name in the input */
    size_t n = fr_watchlist_count(wl);
    const char **lists = calloc(n + 1, sizeof *lists);
    size_t nl = 0;
    if (!lists) {
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        fr_watchlist_entry e;
        fr_watchlist_get(wl, i, &e);
        size_t k = 0;
        while (k < nl && strcmp(lists[k], e.list) != 0)
            k++;
        if (k == nl) lists[nl++] = e.list;
    }
    for (size_t k = 0; k < nl; k++) {
        char name[512], path[4096];
        fr_error err;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            fr_watchlist_entry e;
            fr_watchlist_get(wl, i, &e);
            cnt += strcmp(e.list, lists[k]) == 0;
        }
        if (fr_watchlist_file_name(lists[k], name, sizeof name) != FR_OK ||
            snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
            fprintf(stderr, _("frontera watchlist: the list name '%.60s' is too long\n"), lists[k]);
            ex = FR_EXIT_FAILURE;
            continue;
        }
        if (fr_watchlist_save(wl, lists[k], path, &err) != FR_OK) {
            cli_print_error("watchlist", path, &err);
            ex = FR_EXIT_FAILURE;
            continue;
        }
        printf(ngettext("list %s: %zu entry -> %s\n", "list %s: %zu entries -> %s\n",
                        (unsigned long)cnt),
               lists[k], cnt, path);
    }
    free(lists);
    char entries[64], rows[64];
    snprintf(entries, sizeof entries,
             ngettext("imported %zu entry", "imported %zu entries", (unsigned long)acc), acc);
    snprintf(rows, sizeof rows,
             ngettext("rejected %zu row", "rejected %zu rows", (unsigned long)rej), rej);
    if (counts.skipped)
        printf(ngettext("%s, %s, skipped %zu that is not a person\n",
                        "%s, %s, skipped %zu that are not persons\n",
                        (unsigned long)counts.skipped),
               entries, rows, counts.skipped);
    else
        printf(_("%s, %s\n"), entries, rows);
    if (ex == FR_EXIT_OK && rej) ex = FR_EXIT_FINDING;
done:
    fr_watchlist_free(wl);
    return ex;
}

static int do_stats(const char *dir)
{
    fr_watchlist *wl = NULL;
    fr_screen_index *idx = NULL;
    fr_error err;
    size_t rej = 0;
    int ex = FR_EXIT_OK;
    double t0 = now_ms();
    if (fr_watchlist_new(&wl) != FR_OK || fr_watchlist_load_dir(wl, dir, &rej, &err) != FR_OK) {
        cli_print_error("watchlist", dir, &err);
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    double t1 = now_ms();
    if (fr_screen_index_build(wl, &idx, &err) != FR_OK) {
        cli_print_error("watchlist", dir, &err);
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    double t2 = now_ms();
    fr_screen_index_stats st;
    fr_screen_index_get_stats(idx, &st);
    printf(_("directory      %s\n"), dir);
    printf(_("entries        %zu\n"), st.entries);
    printf(_("names          %zu (primary names and aliases)\n"), st.names);
    printf(_("tokens         %zu distinct\n"), st.tokens);
    printf(_("keys           %zu canonical variant keys\n"), st.keys);
    printf(_("postings       %zu\n"), st.postings);
    printf(_("index bytes    %zu (%.1f per entry)\n"), st.bytes,
           st.entries ? (double)st.bytes / st.entries : 0.0);
    printf(_("load           %.1f ms (files), %.1f ms (index)\n"), t1 - t0, t2 - t1);
    if (rej)
        printf(_("rejected rows  %zu (first: line %d: %s)\n"), rej, err.line, cli_error_text(&err));
done:
    fr_screen_index_free(idx);
    fr_watchlist_free(wl);
    return ex;
}

int cmd_watchlist(int argc, char **argv)
{
    static const struct option opts[] = {
        {"list", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
        {"dir", required_argument, NULL, 'd'},  {"alt", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},       {0, 0, 0, 0}};
    const char *list = NULL, *format = NULL, *dir = NULL, *alt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:f:d:a:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            list = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'd':
            dir = optarg;
            break;
        case 'a':
            alt = optarg;
            break;
        case 'h':
            return usage(stdout);
        default:
            return cli_bad_option("watchlist", argc, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("watchlist", "give an action: import FILE, or stats");
    const char *action = argv[optind++];
    if (strcmp(action, "import") == 0) {
        if (optind + 1 != argc) return cli_usage_error("watchlist", "import takes one FILE");
        return do_import(argv[optind], list, format, alt, wl_dir(dir));
    }
    if (strcmp(action, "stats") == 0) {
        if (optind != argc) return cli_usage_error("watchlist", "stats takes no argument");
        return do_stats(wl_dir(dir));
    }
    return cli_usage_error("watchlist", "unknown action '%s' (import, stats)", action);
}
