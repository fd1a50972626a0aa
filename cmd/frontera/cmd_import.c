/* SPDX-License-Identifier: MIT */
/* cmd_import.c: `frontera import FILE.csv [--rejects FILE] [--batch N]`:
 * bulk crossings into the ledger (ledger.h). Streams the file, commits every
 * N rows, writes each rejected row (with its line, column and reason) to the
 * rejects file - or to stderr when none is given - and prints a summary.
 * A progress bar is drawn on stderr when it is a terminal; otherwise a line
 * with the rows read and the recent rate every 10 s (logs of long runs). Re-running
 * after an interruption completes the import without duplicates. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "frontera/booth.h"
#include "frontera/alloc.h"
#include "frontera/ledger.h"
#include "i18n.h"

typedef struct {
    FILE *in;
    FILE *rejects; /* NULL: report on stderr */
    const char *rejects_path;
    int write_failed;
    int tty;
    uint64_t size;
    double t0, last_t; /* not a terminal: a progress line every PROGRESS_EVERY_S */
    uint64_t last_rows;
    const fr_policy *policy; /* completes entries without authorised_until; NULL: left empty */
    int64_t now;             /* this machine's clock: no event may come from the future */
    int indexed;             /* the line about the indexes was printed (it ended the bar) */
} import_ctx;

static int on_complete(void *ud, fr_store *s, fr_event *ev, fr_error *err)
{
    import_ctx *c = ud;
    int rc = fr_event_check_clock(ev, c->now, err);
    if (rc != FR_OK) return rc;
    return c->policy ? fr_booth_complete_entry(c->policy, s, ev, err) : FR_OK;
}

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    import_ctx *c = ud;
    *got = fread(buf, 1, cap, c->in);
    return *got == 0 && ferror(c->in) ? FR_EIO : FR_OK;
}

static void put_field(FILE *f, const char *s, size_t len, int comma)
{
    char small[512];
    if (comma) fputc(',', f);
    size_t n = fr_csv_quote(s, len, small, sizeof small);
    if (n <= sizeof small) {
        fwrite(small, 1, n, f);
        return;
    }
    char *big = malloc(n);
    if (!big) {
        fwrite(s, 1, len, f); /* unquoted rather than lost */
        return;
    }
    fr_csv_quote(s, len, big, n);
    fwrite(big, 1, n, f);
    free(big);
}

static void on_header(void *ud, const fr_csv_row *row)
{
    import_ctx *c = ud;
    if (!c->rejects) return;
    fputs("reject_line,reject_column,reject_reason", c->rejects);
    for (size_t i = 0; i < row->count; i++)
        put_field(c->rejects, row->fields[i].ptr, row->fields[i].len, 1);
    fputc('\n', c->rejects);
}

static int on_reject(void *ud, long line, const fr_error *why, const fr_csv_row *row)
{
    import_ctx *c = ud;
    const char *column = why->field;
    const char *reason = cli_error_text(why);
    if (!c->rejects) {
        fprintf(stderr, _("frontera import: line %ld: %s%s%s\n"), line, column,
                column[0] ? ": " : "", reason);
        return 0;
    }
    fprintf(c->rejects, "%ld", line);
    put_field(c->rejects, column, strlen(column), 1);
    put_field(c->rejects, reason, strlen(reason), 1);
    for (size_t i = 0; row && i < row->count; i++)
        put_field(c->rejects, row->fields[i].ptr, row->fields[i].len, 1);
    fputc('\n', c->rejects);
    if (ferror(c->rejects)) {
        c->write_failed = 1;
        return FR_EIO;
    }
    return 0;
}

static void on_notice(void *ud, const fr_error *what)
{
    (void)ud;
    /* the library's sentence in the user's language, from its format */
    fprintf(stderr, _("frontera import: %s\n"), cli_error_text(what));
}

#define PROGRESS_EVERY_S 10.0

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void on_progress(void *ud, const fr_import_stats *st)
{
    import_ctx *c = ud;
    if (st->indexing) { /* after the last row, before the summary: said when it takes seconds */
        if (st->rows < 1000000) return;
        if (c->tty && c->size) fputc('\n', stderr);
        fprintf(stderr,
                _("frontera import: %llu rows recorded; building the ledger's indexes "
                  "(about 3 s a million events)\n"),
                (unsigned long long)st->rows);
        c->indexed = 1;
        return;
    }
    if (!c->tty) { /* a log: one line now and then, with the recent rate */
        double now = mono_now();
        if (c->t0 == 0) c->t0 = c->last_t = now;
        if (now - c->last_t < PROGRESS_EVERY_S) return;
        double rate = (double)(st->rows - c->last_rows) / (now - c->last_t);
        int pct = c->size ? (int)(st->bytes * 100 / c->size) : -1;
        fprintf(stderr,
                _("frontera import: %llu rows read (%d%% of the file) in %.0f s, %.0f rows a "
                  "second lately\n"),
                (unsigned long long)st->rows, pct, now - c->t0, rate);
        c->last_t = now;
        c->last_rows = st->rows;
        return;
    }
    if (!c->size) return;
    int pct = (int)(st->bytes * 100 / c->size);
    int bar = pct / 4;
    fprintf(stderr, "\r[%.*s%*s] %3d%%  ", bar, "#########################", 25 - bar, "", pct);
    fprintf(stderr, _("%llu rows"), (unsigned long long)st->rows);
    fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"rejects", required_argument, NULL, 'r'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"batch-seconds", required_argument, NULL, 'S'},
                                         {"policy", required_argument, NULL, 'p'},
                                         {"no-policy", no_argument, NULL, 'n'},
                                         {"sep", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    char sep = 0; /* 0: from the header of a file, else ',' */
    import_ctx ctx = {0};
    /* Up to 1,000,000 rows a commit, and a commit every 5 s at most
     * (fr_ledger_import): at millions of events the rows a commit carries
     * share the random index pages it rewrites (bench/RESULTS.md); each
     * commit is still durable */
    size_t batch = 1000000;
    unsigned batch_ms = 5000;
    int c, no_policy = 0;
    char *policy_path = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(
                _("Usage: frontera [--db PATH] import FILE.csv [--rejects FILE] [--batch N]\n"
                  "                                [--batch-seconds S]\n"
                  "                                [--policy FILE | --no-policy]\n"
                  "                                [--sep comma|semicolon]\n"
                  "Import crossings, one event a row, columns named by the header (see\n"
                  "docs/ledger.md). Rows are committed N at a time (default 1000000) or every\n"
                  "S seconds (default 5; 0: by rows only), whichever comes first: other writers\n"
                  "of the ledger wait for a batch. A re-run after an interruption adds only\n"
                  "what is missing. Rejected rows go to the rejects FILE (CSV: line, column,\n"
                  "reason, then the row) or to stderr.\n"
                  "An entry whose authorised_until is empty gets it from the visa policy\n"
                  "(--policy FILE, else $FRONTERA_POLICY, else Ecuador's) and the traveller's\n"
                  "history, as at the booth; --no-policy leaves it empty.\n"
                  "Fields are separated by ',' or, as spreadsheets set to Spanish write them,\n"
                  "by ';': a file whose header has ';' and no ',' is read so (--sep says).\n"
                  "Exit status: 0 every row taken or already there, 1 some rows rejected,\n"
                  "2 a usage error, 3 the import could not run or was cut short.\n"));
            return FR_EXIT_OK;
        }
        if (c == 'r') {
            ctx.rejects_path = optarg;
        } else if (c == 'p') {
            fr_free(policy_path);
            policy_path = fr_strdup(optarg);
        } else if (c == 'n') {
            no_policy = 1;
        } else if (c == 's') {
            if (strcmp(optarg, "comma") != 0 && strcmp(optarg, "semicolon") != 0)
                return cli_usage_error("import", "--sep must be comma or semicolon");
            sep = optarg[0] == 's' ? ';' : ',';
        } else if (c == 'b') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 10000000)
                return cli_usage_error("import", "--batch must be 1..10000000");
            batch = (size_t)v;
        } else if (c == 'S') {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 0 || v > 3600)
                return cli_usage_error("import", "--batch-seconds must be 0..3600");
            batch_ms = (unsigned)v * 1000u;
        } else {
            return cli_bad_option("import", argc, argv);
        }
    }
    if (optind + 1 != argc) {
        fr_free(policy_path);
        return cli_usage_error("import", "give one FILE.csv ('-' for stdin)");
    }
    fr_policy *policy = NULL;
    if (!no_policy) {
        if (!policy_path) policy_path = cli_default_policy_path();
        if (policy_path && !(policy = cli_load_policy("import", policy_path))) {
            fr_free(policy_path);
            return FR_EXIT_FAILURE;
        }
        ctx.policy = policy;
    }
    fr_free(policy_path);
    const char *path = argv[optind];
    ctx.in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!ctx.in) {
        fprintf(stderr, _("frontera import: cannot open %s: %s\n"), path, strerror(errno));
        fr_policy_free(policy);
        return FR_EXIT_FAILURE;
    }
    struct stat sb;
    if (fstat(fileno(ctx.in), &sb) == 0 && S_ISREG(sb.st_mode)) ctx.size = (uint64_t)sb.st_size;
    ctx.tty = isatty(STDERR_FILENO);
    ctx.now = (int64_t)time(NULL);
    int exit_code = FR_EXIT_FAILURE;
    fr_store *s = NULL;
    fr_csv *csv = NULL;
    fr_error err;
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    if (ctx.rejects_path && !(ctx.rejects = fopen(ctx.rejects_path, "w"))) {
        fprintf(stderr, _("frontera import: cannot write %s: %s\n"), ctx.rejects_path,
                strerror(errno));
        goto done;
    }
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error("import", db, &err);
        goto done;
    }
    if (!sep && ctx.in != stdin) { /* the header says: ';' and no ',' before the end of line */
        char head[4096];
        size_t n = fread(head, 1, sizeof head, ctx.in);
        const char *eol = memchr(head, '\n', n);
        size_t line = eol ? (size_t)(eol - head) : n;
        if (memchr(head, ';', line) && !memchr(head, ',', line)) {
            sep = ';';
            fprintf(stderr, _("frontera import: reading %s as separated by ';' (its header)\n"),
                    path);
        }
        if (fseek(ctx.in, 0, SEEK_SET) != 0) {
            fprintf(stderr, _("frontera import: cannot read %s: %s\n"), path, strerror(errno));
            goto done;
        }
    }
    fr_csv_limits limits = {.sep = sep};
    if (fr_csv_new(read_file, &ctx, &limits, &csv) != FR_OK) {
        fprintf(stderr, _("frontera import: out of memory\n"));
        goto done;
    }
    fr_import_hooks hooks = {&ctx,      on_reject,   on_notice, on_progress,
                             on_header, on_complete, batch_ms};
    fr_import_stats st;
    int rc = fr_ledger_import(s, csv, batch, &hooks, &st, &err);
    if (ctx.tty && ctx.size && !ctx.indexed) fputc('\n', stderr);
    if (ctx.rejects && fflush(ctx.rejects) != 0) ctx.write_failed = 1;
    if (rc != FR_OK && st.rows == 0) { /* the header was refused: nothing to sum up */
        cli_print_error("import", path, &err);
        goto done;
    }
    /* each count in its own number: "1 row", "1 fila tomada" */
    char rows[64], taken[64], dups[64], rej[64];
    snprintf(rows, sizeof rows, ngettext("%llu row", "%llu rows", (unsigned long)st.rows),
             (unsigned long long)st.rows);
    snprintf(taken, sizeof taken, ngettext("%llu taken", "%llu taken", (unsigned long)st.taken),
             (unsigned long long)st.taken);
    snprintf(dups, sizeof dups,
             ngettext("%llu duplicate", "%llu duplicates", (unsigned long)st.duplicates),
             (unsigned long long)st.duplicates);
    snprintf(rej, sizeof rej,
             ngettext("%llu rejected", "%llu rejected", (unsigned long)st.rejected),
             (unsigned long long)st.rejected);
    printf(_("%s: %s: %s, %s, %s%s%s\n"), path, rows, taken, dups, rej,
           st.rejected && ctx.rejects_path ? " -> " : "",
           st.rejected && ctx.rejects_path ? ctx.rejects_path : "");
    if (rc != FR_OK) {
        if (ctx.write_failed)
            fprintf(stderr, _("frontera import: cannot write %s\n"), ctx.rejects_path);
        else
            cli_print_error("import", path, &err);
        fprintf(stderr,
                _("frontera import: stopped; %llu batches were committed, re-run to finish\n"),
                (unsigned long long)st.batches);
        goto done;
    }
    exit_code = st.rejected ? FR_EXIT_FINDING : FR_EXIT_OK;
done:
    fr_csv_free(csv);
    fr_store_close(s);
    if (ctx.rejects && fclose(ctx.rejects) != 0 && exit_code != FR_EXIT_FAILURE) {
        fprintf(stderr, _("frontera import: cannot write %s\n"), ctx.rejects_path);
        exit_code = FR_EXIT_FAILURE;
    }
    if (ctx.in != stdin) fclose(ctx.in);
    fr_policy_free(policy);
    return exit_code;
}
