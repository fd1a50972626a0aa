/* SPDX-License-Identifier: MIT */
/* cmd_manifest.c: `frontera manifest check`: the booth's decision for every
 * person of a PAXLST manifest before the plane lands (manifest.h), as
 * iAPI-style answers board / no-board / check with reasons, one JSON object
 * per message; with --record the manifest is kept as expected arrivals
 * (arrivals.h). Exit 0 every person board, 1 a person no-board or check (or
 * a message unreadable), 2 usage, 3 failure. `frontera manifest reconcile`:
 * the recorded manifests against the booth's entries, one JSON object per
 * flight (cmd_manifest_reconcile.c). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/uclean.h>

#include "cli.h"
#include "arrivals_cli.h"
#include "commands.h"
#include "frontera/alloc.h"
#include "frontera/arrivals.h"
#include "frontera/manifest.h"
#include "views.h"
#include "i18n.h"

#define MANIFEST_INPUT_MAX (64u << 20)

static void usage(void)
{
    printf(_("Usage: frontera manifest check [--port LOCODE] [--country CC] [--policy FILE]\n"
             "                               [--watchlists DIR] [--lenient] [--record] FILE\n"
             "       frontera manifest reconcile --date DATE | --from DATE --to DATE\n"
             "                               [--port LOCODE] [--flight FLIGHT]\n"
             "Check every person of a UN/EDIFACT PAXLST manifest (FILE, - for standard input)\n"
             "as the booth would on arrival: visa policy on the arrival date (a visa sent as a\n"
             "second DOC counts as presented), document validity, stay rules and history in\n"
             "the ledger ($FRONTERA_DB, default frontera.db, when it exists), watchlists and\n"
             "lost/stolen documents. Prints one JSON object per message with the keys file,\n"
             "valid, findings, flight, arrival, port and persons (index, role, surname,\n"
             "given_names, nationality, document, answer board|no-board|check, reasons:\n"
             "code, level, message). Nationalities may be ISO 3166 alpha-3 (DEU is Germany).\n\n"
             "  --port LOCODE     UN/LOCODE of the arrival post (default: --country and the\n"
             "                    arrival airport of the last leg, EC + UIO = ECUIO)\n"
             "  --country CC      the receiving country's UN/LOCODE prefix (default EC)\n"
             "  --policy FILE     the visa policy (default $FRONTERA_POLICY, else Ecuador's)\n"
             "  --watchlists DIR  screening lists (default $FRONTERA_WATCHLISTS, else\n"
             "                    ./frontera-watchlists when it exists)\n"
             "  --lenient         also check the persons of messages with errors\n"
             "  --record          keep each message with persons as expected arrivals in the\n"
             "                    ledger's database (once per sender, message reference,\n"
             "                    flight and arrival date; sent again, it is a replay); adds\n"
             "                    recorded {id, replay, persons} to the output\n"
             "  --help            show this help and exit\n\n"
             "reconcile matches the booth's entries and refusals to the recorded manifests of\n"
             "flights arriving on DATE (or from --from to --to): one JSON object per flight with\n"
             "counts and the persons announced (outcome entered, refused, not_presented,\n"
             "transit_entered, transit_continued) and the entries on no manifest (unannounced).\n\n"
             "Exit status: check: 0 every person board, 1 a person no-board or check or a\n"
             "message with errors; reconcile: 0 nothing to look at, 1 a person not presented,\n"
             "a transit passenger who entered or an unannounced entry; 2 usage error,\n"
             "3 failure. See docs/paxlst.md.\n"));
}

/* One message: print its answers; returns 1 when a person is not board or
 * the message is unreadable, 0 when all board, -1 on failure. */
static int check_message(const char *file, const fr_paxlst_message *m, const fr_booth_env *env,
                         const char *port_opt, const char *country, fr_arrivals *rec,
                         const char *db)
{
    char port[8] = "";
    const fr_paxlst_leg *last = m->nlegs ? &m->legs[m->nlegs - 1] : NULL;
    if (port_opt)
        snprintf(port, sizeof port, "%s", port_opt);
    else if (last)
        fr_manifest_port(country, last->to, port);
    fr_manifest_verdict *v = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (port[0] && m->npersons && fr_manifest_check(env, m, port, &v, &err) != FR_OK) {
        cli_print_error("manifest", file, &err);
        return -1;
    }
    int all_board = m->valid && m->npersons > 0 && port[0];
    for (size_t i = 0; v && i < m->npersons; i++)
        if (v[i].answer != FR_MANIFEST_BOARD) all_board = 0;
    json_t *o = fr__manifest_json(file, m, port, v);
    if (rec && o) {
        /* a message with persons and a post is kept; one with errors has none
         * (strict) and one read leniently is kept as read */
        fr_arrivals_recorded r;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        if (!m->npersons || !port[0]) {
            json_object_set_new(o, "recorded", json_null());
        } else if (fr_arrivals_record(rec, m, port, v, now_ms, &r, &err) != FR_OK) {
            cli_print_error("manifest", file, &err);
            fr_free(v);
            json_decref(o);
            return err.code == FR_ECONFLICT || err.code == FR_EINVAL ? 1 : -1;
        } else {
            /* as the server audits it: the flight and the manifest, no names */
            char object[96], detail[64];
            snprintf(object, sizeof object, "manifest:%s id:%lld", last ? last->flight : "-",
                     (long long)r.id);
            snprintf(detail, sizeof detail, "%zu persons%s", r.persons,
                     r.replay ? _(", already recorded") : "");
            if (cli_audit("manifest", db, "manifest.record", object, "cli", detail) != FR_OK) {
                fr_free(v);
                json_decref(o);
                return -1;
            }
            json_object_set_new(o, "recorded", fr__arrivals_recorded_json(&r));
        }
    }
    fr_free(v);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!s) return -1;
    puts(s);
    free(s);
    return all_board ? 0 : 1;
}

static int manifest_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},   {"country", required_argument, NULL, 'c'},
        {"policy", required_argument, NULL, 'P'}, {"watchlists", required_argument, NULL, 'w'},
        {"lenient", no_argument, NULL, 'l'},      {"record", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *port = NULL, *country = "EC", *policy_path = NULL, *wl_dir = NULL;
    fr_paxlst_options popt;
    memset(&popt, 0, sizeof popt);
    int c, record = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            port = optarg;
            break;
        case 'c':
            country = optarg;
            break;
        case 'P':
            policy_path = optarg;
            break;
        case 'w':
            wl_dir = optarg;
            break;
        case 'l':
            popt.lenient = 1;
            break;
        case 'r':
            record = 1;
            break;
        case 'h':
            usage();
            return FR_EXIT_OK;
        default:
            return cli_bad_option("manifest", argc, argv);
        }
    }
    if (strlen(country) != 2)
        return cli_usage_error("manifest", "--country takes two letters (EC)");
    if (argc - optind != 1) return cli_usage_error("manifest", "name one FILE (- for stdin)");
    const char *file = argv[optind];
    int rc = FR_EXIT_FAILURE, screening = 0;
    char *ppath = policy_path ? fr_strdup(policy_path) : cli_default_policy_path();
    fr_policy *policy = NULL;
    fr_store *store = NULL;
    fr_arrivals *arrivals = NULL;
    fr_paxlst *pax = NULL;
    char *buf = NULL;
    cli_screening sc;
    memset(&sc, 0, sizeof sc);
    fr_error err;
    fr_error_clear(&err);
    if (!ppath) {
        fprintf(stderr, _("frontera manifest: no policy file: give --policy FILE or set "
                          "FRONTERA_POLICY\n"));
        goto done;
    }
    if (!(policy = cli_load_policy("manifest", ppath))) goto done;
    size_t len;
    if (!(buf = cli_read_all(file, MANIFEST_INPUT_MAX, &len))) goto done;
    if (fr_paxlst_read(buf, len, &popt, &pax, &err) != FR_OK) {
        cli_print_error("manifest", file, &err);
        goto done;
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    int orc = fr_store_open(db, 0, &store, &err);
    if (orc == FR_ENOTFOUND) {
        store = NULL; /* no ledger: decide without history */
    } else if (orc != FR_OK) {
        cli_print_error("manifest", db, &err);
        goto done;
    }
    if (record && fr_arrivals_open(db, &arrivals, &err) != FR_OK) {
        cli_print_error("manifest", db, &err);
        goto done;
    }
    const char *dir = cli_watchlist_dir(wl_dir);
    const char *env_dir = getenv("FRONTERA_WATCHLISTS");
    fr_booth_env env = {policy, store, NULL, (wl_dir && *wl_dir) || (env_dir && *env_dir), NULL};
    char why[300] = "";
    if (!cli_watchlist_dir_exists(dir)) {
        if (env.screening_required) snprintf(why, sizeof why, _("no watchlist directory %s"), dir);
    } else if (cli_screening_open("manifest", dir, &sc) != 0) {
        env.screening_required = 1;
        snprintf(why, sizeof why, _("the lists in %s could not be loaded"), dir);
    } else {
        screening = 1;
        env.screen = sc.ctx;
    }
    if (why[0]) env.screening_failure = why;
    int any = 0;
    for (size_t i = 0; i < pax->nmessages; i++) {
        int r = check_message(file, &pax->messages[i], &env, port, country, arrivals, db);
        if (r < 0) goto done;
        any |= r;
    }
    rc = fflush(stdout) != 0 ? FR_EXIT_FAILURE : any ? FR_EXIT_FINDING : FR_EXIT_OK;
done:
    cli_screening_close(&sc);
    if (screening) u_cleanup();
    fr_arrivals_close(arrivals);
    fr_paxlst_free(pax);
    fr_store_close(store);
    fr_policy_free(policy);
    free(buf);
    fr_free(ppath);
    return rc;
}

int cmd_manifest(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage();
        return FR_EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "reconcile") == 0)
        return cmd_manifest_reconcile(argc - 1, argv + 1);
    if (argc < 2) return cli_usage_error("manifest", "the subcommands are check and reconcile");
    if (strcmp(argv[1], "check") != 0)
        return cli_usage_error("manifest",
                               "unknown subcommand '%s'; the subcommands are check and reconcile",
                               argv[1]);
    return manifest_check(argc - 1, argv + 1);
}
