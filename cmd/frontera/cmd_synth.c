/* SPDX-License-Identifier: MIT */
/* cmd_synth.c: `frontera synth`: write a synthetic scenario's crossings as
 * CSV in the import layout (docs/ledger.md), ready for `frontera import`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/synth.h"
#include "i18n.h"

static const char USAGE[] =
    N_("Usage: frontera synth [--scenario NAME] [--seed N] [--scale X] [--out FILE.csv]\n"
       "                      [--truth FILE.csv]\n"
       "Write deterministic synthetic border crossings as CSV (the `frontera import` layout),\n"
       "in time order. The same scenario, seed and scale always give the same events.\n\n"
       "  --scenario NAME  ecuador-2024 (default): Ecuador 2022-2024, calibrated on real\n"
       "                   monthly entries, with the Chinese surge and the 1 July 2024 change\n"
       "  --seed N         random seed (default 1)\n"
       "  --scale X        volume factor, 1.0 = real volumes, about 6.65 million events\n"
       "                   (default 0.01)\n"
       "  --out FILE       write to FILE instead of standard output\n"
       "  --truth FILE     also write the ground truth, the true person of each event\n"
       "                   (event_id,person), to FILE: never part of the import layout;\n"
       "                   frontera linkeval measures the linking against it\n"
       "  --quiet          no summary on standard error\n"
       "See docs/synth.md for the model.\n");

typedef struct {
    FILE *out;
    FILE *truth; /* NULL: no ground truth asked for */
} sink_ctx;

static void put_date(FILE *f, fr_date d)
{
    char b[FR_DATE_BUFSZ];
    fputs(fr_date_format(d, b), f);
}

static int write_row(const fr_synth_event *e, void *ud)
{
    FILE *f = ((sink_ctx *)ud)->out;
    char at[FR_DATETIME_BUFSZ];
    /* Names are upper-case letters and spaces: no field needs quoting. */
    fprintf(f, "%s,%s,%s,%s,%s,%s,%s,", e->event_id, e->kind, fr_datetime_format(&e->at, at),
            e->port, e->document_type, e->document_state, e->document_number);
    put_date(f, e->document_expiry);
    fprintf(f, ",%s,%s,%s,", e->surname, e->given_names, e->nationality);
    put_date(f, e->birth_date);
    fprintf(f, ",%c,%s,", e->sex, e->admission_class);
    put_date(f, e->authorised_until);
    fputc('\n', f);
    FILE *t = ((sink_ctx *)ud)->truth;
    if (t) fprintf(t, "%s,%u\n", e->event_id, (unsigned)e->person);
    return ferror(f) || (t && ferror(t)) ? FR_EIO : FR_OK;
}

int cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 'S'}, {"seed", required_argument, NULL, 's'},
        {"scale", required_argument, NULL, 'x'},    {"out", required_argument, NULL, 'o'},
        {"truth", required_argument, NULL, 't'},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {0, 0, 0, 0}};
    fr_synth_options o = {"ecuador-2024", 1, 0.01};
    const char *out = NULL, *truth = NULL;
    int quiet = 0, c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'S':
            o.scenario = optarg;
            break;
        case 's':
            errno = 0;
            o.seed = strtoull(optarg, &end, 10);
            if (errno || *end || !*optarg)
                return cli_usage_error("synth", "--seed needs a whole number, not '%s'", optarg);
            break;
        case 'x':
            o.scale = strtod(optarg, &end);
            if (*end || !*optarg)
                return cli_usage_error("synth", "--scale needs a number, not '%s'", optarg);
            break;
        case 'o':
            out = optarg;
            break;
        case 't':
            truth = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("synth", argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error("synth", "unexpected argument '%s'", argv[optind]);
    sink_ctx ctx = {stdout, NULL};
    if (truth && !(ctx.truth = fopen(truth, "w"))) {
        fprintf(stderr, _("frontera synth: cannot write %s: %s\n"), truth, strerror(errno));
        return FR_EXIT_FAILURE;
    }
    if (out && !(ctx.out = fopen(out, "w"))) {
        fprintf(stderr, _("frontera synth: cannot write %s: %s\n"), out, strerror(errno));
        if (ctx.truth) fclose(ctx.truth);
        return FR_EXIT_FAILURE;
    }
    if (ctx.truth) fputs("event_id,person\n", ctx.truth);
    static char buf[1 << 16];
    setvbuf(ctx.out, buf, _IOFBF, sizeof buf);
    fputs("event_id,kind,at,port,document_type,document_state,document_number,document_expiry,"
          "surname,given_names,nationality,birth_date,sex,admission_class,authorised_until\n",
          ctx.out);
    fr_synth_stats st;
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_synth_run(&o, write_row, &ctx, &st, &err);
    int closed = out ? fclose(ctx.out) : fflush(ctx.out);
    if (ctx.truth && fclose(ctx.truth) != 0) closed = -1;
    if (rc == FR_EINVAL) return cli_usage_error("synth", "%s", cli_error_text(&err));
    if (rc != FR_OK || closed != 0) {
        fprintf(stderr, _("frontera synth: %s\n"),
                rc == FR_EIO || closed ? _("write error") : cli_error_text(&err));
        return FR_EXIT_FAILURE;
    }
    if (!quiet)
        fprintf(stderr,
                _("frontera synth: %llu events (%llu entries, %llu exits, %llu refusals, "
                  "%llu encounters), %llu persons, %llu document renewals\n"),
                (unsigned long long)st.events, (unsigned long long)st.entries,
                (unsigned long long)st.exits, (unsigned long long)st.refusals,
                (unsigned long long)st.encounters, (unsigned long long)st.persons,
                (unsigned long long)st.renewals);
    return FR_EXIT_OK;
}
