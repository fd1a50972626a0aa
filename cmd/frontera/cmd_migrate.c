/* SPDX-License-Identifier: MIT */
/* cmd_migrate.c: `frontera migrate --from DB --to DB`: copy a ledger from
 * one store to another (SQLite <-> PostgreSQL, or between two databases of
 * one kind). Every event of the source is recorded into the target in
 * arrival order, in batches, so the target derives the same travellers,
 * links, reviews and pairings by the same rules; a re-run after an
 * interruption counts what was copied as duplicates. At the end both ledgers
 * are counted and digested event by event (fr_store_digest): the copy is
 * reported good only when both agree. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "frontera/store.h"
#include "i18n.h"

#define MIGRATE_BATCH 5000

typedef struct {
    fr_store *to;
    fr_error *err;
    uint64_t taken, duplicates, in_batch;
    int failed;
} copy_ctx;

static int copy_one(void *ud, const fr_event *ev)
{
    copy_ctx *c = ud;
    fr_record_result res;
    int rc = fr_store_record(c->to, ev, &res, c->err);
    if (rc != FR_OK) {
        c->failed = 1;
        return rc;
    }
    if (res.duplicate)
        c->duplicates++;
    else
        c->taken++;
    if (++c->in_batch >= MIGRATE_BATCH) {
        if ((rc = fr_store_batch_commit(c->to, c->err)) != FR_OK ||
            (rc = fr_store_batch_begin(c->to, c->err)) != FR_OK) {
            c->failed = 1;
            return rc;
        }
        c->in_batch = 0;
    }
    return 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *from = NULL, *to = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(
                _("Usage: frontera migrate --from DB --to DB\n"
                  "Copy every event of one ledger into another, for instance from the embedded\n"
                  "SQLite file to the central PostgreSQL database or back. DB is sqlite:PATH (or\n"
                  "a file path) or a PostgreSQL URI (postgres://USER@HOST:PORT/NAME). The target\n"
                  "is created when missing; its travellers, document links and pairings are\n"
                  "derived again by the same rules. An interrupted copy is finished by running\n"
                  "the command again. At the end both ledgers are counted and every event is\n"
                  "digested; exit 0 only when they agree, 1 when they differ.\n"));
            return FR_EXIT_OK;
        }
        if (c == 'f')
            from = optarg;
        else if (c == 't')
            to = optarg;
        else
            return cli_bad_option("migrate", argc, argv);
    }
    if (optind < argc) return cli_usage_error("migrate", "unexpected argument '%s'", argv[optind]);
    if (!from || !to) return cli_usage_error("migrate", "--from and --to are both required");
    if (strcmp(from, to) == 0) return cli_usage_error("migrate", "--from and --to are the same");
    fr_error err;
    fr_store *src = NULL, *dst = NULL;
    int code = FR_EXIT_FAILURE;
    if (fr_store_open(from, 0, &src, &err) != FR_OK) {
        cli_print_error("migrate", from, &err);
        goto done;
    }
    if (fr_store_open(to, FR_STORE_CREATE, &dst, &err) != FR_OK) {
        cli_print_error("migrate", to, &err);
        goto done;
    }
    copy_ctx ctx = {dst, &err, 0, 0, 0, 0};
    int rc = fr_store_batch_begin(dst, &err);
    if (rc == FR_OK) rc = fr_store_export(src, FR_DATE_NONE, FR_DATE_NONE, copy_one, &ctx, &err);
    if (rc == FR_OK) rc = fr_store_batch_commit(dst, &err);
    if (rc != FR_OK) {
        fr_store_batch_rollback(dst);
        cli_print_error("migrate", ctx.failed ? to : from, &err);
        fprintf(stderr, _("frontera migrate: stopped; committed batches stay, re-run to finish\n"));
        goto done;
    }
    uint64_t n1 = 0, d1 = 0, n2 = 0, d2 = 0;
    if (fr_store_digest(src, &n1, &d1, &err) != FR_OK) {
        cli_print_error("migrate", from, &err);
        goto done;
    }
    if (fr_store_digest(dst, &n2, &d2, &err) != FR_OK) {
        cli_print_error("migrate", to, &err);
        goto done;
    }
    printf(_("copied %llu events (%llu already there) from %s (%s) to %s (%s)\n"),
           (unsigned long long)ctx.taken, (unsigned long long)ctx.duplicates, fr_store_backend(src),
           from, fr_store_backend(dst), to);
    printf(_("source: %llu events, digest %016llx\n"), (unsigned long long)n1,
           (unsigned long long)d1);
    printf(_("target: %llu events, digest %016llx\n"), (unsigned long long)n2,
           (unsigned long long)d2);
    if (n1 != n2 || d1 != d2) {
        fprintf(stderr, _("frontera migrate: the target does not hold the same events as the "
                          "source (it had other events before, or the copy is incomplete)\n"));
        code = FR_EXIT_FINDING;
        goto done;
    }
    printf(_("verified: the same events in both\n"));
    code = FR_EXIT_OK;
done:
    fr_store_close(src);
    fr_store_close(dst);
    return code;
}
