/* SPDX-License-Identifier: MIT */
/* cmd_countries.c: `frontera countries [CODE...]`: list the ICAO 9303 code
 * table, or look codes up (exit 1 when any is unknown); kinds and names in
 * the user's language. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/country.h"
#include "i18n.h"

/* The kind column, in the user's language ("tipo" in Spanish). */
static const char *kind_name(fr_country_kind k)
{
    switch (k) {
    case FR_COUNTRY_STATE:
        return _("state");
    case FR_COUNTRY_ORGANISATION:
        return _("organisation");
    case FR_COUNTRY_NATIONALITY:
        return _("nationality");
    }
    return "?";
}

int cmd_countries(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(
                _("Usage: frontera countries [CODE]...\n"
                  "List the ICAO Doc 9303 Part 3 codes of states and organisations (code, kind,\n"
                  "name, tab-separated), or only the CODEs given: codes in any case, ISO alpha-3\n"
                  "codes (DEU is D) or countries' names. Exit 1 when a CODE is unknown.\n"));
            return FR_EXIT_OK;
        }
        return cli_bad_option("countries", argc, argv);
    }
    int rc = FR_EXIT_OK;
    char name[256];
    if (optind == argc) {
        for (int i = 0; i < fr_country_count(); i++)
            printf("%s\t%s\t%s\n", fr_country_code(i), kind_name(fr_country_kind_of(i)),
                   cli_country_name(i, name, sizeof name));
        return rc;
    }
    for (int a = optind; a < argc; a++) {
        /* a code in any case, an ISO alpha-3 code (DEU is D) or a name */
        int i = cli_country(argv[a], strlen(argv[a]));
        if (i < 0) {
            fprintf(stderr,
                    _("frontera countries: '%s' is not an ICAO 9303 code, an ISO alpha-3 code or "
                      "a country name\n"),
                    argv[a]);
            rc = FR_EXIT_FINDING;
            continue;
        }
        printf("%s\t%s\t%s\n", fr_country_code(i), kind_name(fr_country_kind_of(i)),
               cli_country_name(i, name, sizeof name));
    }
    return rc;
}
