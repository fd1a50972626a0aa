/* SPDX-License-Identifier: MIT */
/* cmd_admit.c: `frontera admit`: the admission decision at the booth for
 * the MRZ read from FILE or standard input; --record also writes the entry
 * (or the refusal) to the ledger. Exit 0 admit, 1 refer or refuse. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <unicode/uclean.h>

#include "cli.h"
#include "cli_reasons.h"
#include "frontera/audit.h"
#include "commands.h"
#include "i18n.h"
#include "frontera/booth.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "views.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] admit --port LOCODE --at DATETIME [OPTION]... [FILE]\n"
       "Decide admit, refer or refuse for the travel document whose machine readable zone is in\n"
       "FILE (or standard input), under the visa policy in force on that day and the\n"
       "traveller's history in the ledger.\n\n"
       "  --port LOCODE        UN/LOCODE of the border crossing point (ECUIO, ECGYE, ECTUL ...)\n"
       "  --at DATETIME        local time with offset: 2024-07-01T10:15-05:00\n"
       "  --policy FILE        the visa policy (default $FRONTERA_POLICY, else Ecuador's)\n"
       "  --class CLASS        admission class: visitor (default), transit, crew, official\n"
       "  --visa REF           the visa, e-visa or travel authorisation presented\n"
       "  --intended-days N    the stay the traveller asks for\n"
       "  --repair             try the common OCR misreads in the MRZ (reported)\n"
       "  --watchlists DIR     screen against the lists in DIR (default $FRONTERA_WATCHLISTS,\n"
       "                       else ./frontera-watchlists when it exists)\n"
       "  --record             record the entry, or the refusal, in the ledger\n"
       "  --event-id ID        the event id to record under (default: from document and time)\n"
       "  --officer NAME       the officer recorded with the event\n"
       "  --json               print {decision, reasons, authorised_until, traveller_id, ...}\n\n"
       "Without --record the ledger is only read (and need not exist); --record writes to the\n"
       "ledger frontera init made, never a new one. Exit status: 0 admit, 1 refer or refuse,\n"
       "2 usage error, 3 failure. Rules: docs/admission.md.\n");

static void print_text(const fr_admit_decision *d)
{
    char b[FR_DATE_BUFSZ];
    static const char *const MARK[] = {"  ", "? ", "x ", "! "};
    printf("%s", d->outcome == FR_ADMIT   ? _("ADMIT")
                 : d->outcome == FR_REFER ? _("REFER to a supervisor")
                                          : _("REFUSE"));
    if (d->mrz.surname[0])
        printf(": %s, %s (%s %s)", d->mrz.surname, d->mrz.given_names, d->mrz.nationality,
               d->mrz.document_number);
    printf("\n");
    if (d->outcome == FR_ADMIT && d->authorised_until != FR_DATE_NONE)
        printf(_("Authorised until %s\n"), fr_date_format(d->authorised_until, b));
    for (size_t i = 0; i < d->nreasons; i++) {
        const fr_admit_reason *r = &d->reasons[i];
        char text[2 * FR_REASON_MESSAGE_MAX];
        const char *msg = cli_reason_text(r, text, sizeof text);
        if (r->ground)
            printf("%s[%c] %s\n", MARK[r->level], r->ground, msg);
        else
            printf("%s%s\n", MARK[r->level], msg);
    }
}

static int print_json(const fr_admit_decision *d, int64_t traveller_id, const char *event_id)
{
    json_t *o = fr__admit_decision_json(d, traveller_id, event_id);
    char *s = o ? json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
    json_decref(o);
    if (!s) return -1;
    puts(s);
    free(s);
    return 0;
}

int cmd_admit(int argc, char **argv)
{
    static const struct option opts[] = {{"port", required_argument, NULL, 'p'},
                                         {"at", required_argument, NULL, 'a'},
                                         {"policy", required_argument, NULL, 'P'},
                                         {"class", required_argument, NULL, 'c'},
                                         {"visa", required_argument, NULL, 'v'},
                                         {"intended-days", required_argument, NULL, 'i'},
                                         {"repair", no_argument, NULL, 'r'},
                                         {"record", no_argument, NULL, 'R'},
                                         {"event-id", required_argument, NULL, 'e'},
                                         {"officer", required_argument, NULL, 'o'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"watchlists", required_argument, NULL, 'w'},
                                         {0, 0, 0, 0}};
    fr_admit_request req;
    memset(&req, 0, sizeof req);
    req.cls = FR_CLASS_VISITOR;
    const char *at = NULL, *policy_path = NULL, *event_id = NULL, *officer = NULL, *wl_dir = NULL;
    int record = 0, json = 0, c, rc = FR_EXIT_FAILURE;
    char *end;
    fr_error err;
    fr_error_clear(&err);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            req.port = optarg;
            break;
        case 'a':
            at = optarg;
            break;
        case 'P':
            policy_path = optarg;
            break;
        case 'c': {
            int k = fr_admission_class_parse(optarg, strlen(optarg));
            if (k < 0)
                return cli_usage_error("admit",
                                       "unknown admission class '%s' (visitor, transit, "
                                       "crew, official)",
                                       optarg);
            req.cls = (fr_admission_class)k;
            break;
        }
        case 'v':
            req.visa = optarg;
            break;
        case 'i':
            errno = 0;
            req.intended_days = (int32_t)strtol(optarg, &end, 10);
            if (errno || *end || req.intended_days < 1 || req.intended_days > 3660)
                return cli_usage_error("admit", "--intended-days needs 1..3660, not '%s'", optarg);
            break;
        case 'r':
            req.repair = 1;
            break;
        case 'R':
            record = 1;
            break;
        case 'e':
            event_id = optarg;
            break;
        case 'o':
            officer = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'w':
            wl_dir = optarg;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("admit", argc, argv);
        }
    }
    if (!req.port)
        return cli_usage_error("admit", "--port is required (a UN/LOCODE such as ECUIO)");
    if (!at) return cli_usage_error("admit", "--at is required (2024-07-01T10:15-05:00)");
    if (fr_datetime_parse_cstr(at, &req.at, &err) != FR_OK)
        return cli_usage_error("admit", "--at '%s': %s", at, cli_error_text(&err));
    if (!req.at.has_offset) /* with or without --record: never guess the offset */
        return cli_usage_error("admit", "--at '%s' needs its UTC offset (2024-07-01T10:15-05:00)",
                               at);
    if (fr_event_check_port(req.port, &err) != FR_OK)
        return cli_usage_error("admit", "--port: %s", cli_error_text(&err));
    if (record) { /* a crossing is recorded once it happened, as `record` and import say */
        fr_event when;
        memset(&when, 0, sizeof when);
        when.at = req.at;
        if (fr_event_check_clock(&when, (int64_t)time(NULL), &err) != FR_OK)
            return cli_usage_error("admit", "--at '%s': %s", at, cli_error_text(&err));
    }
    if (argc - optind > 1) return cli_usage_error("admit", "one FILE at most");
    const char *file = optind < argc ? argv[optind] : NULL;

    char *mrz = NULL, *ppath = policy_path ? fr_strdup(policy_path) : cli_default_policy_path();
    fr_policy *policy = NULL;
    fr_store *store = NULL;
    cli_screening sc;
    memset(&sc, 0, sizeof sc);
    int screening = 0;
    if (!ppath) {
        fprintf(stderr,
                _("frontera admit: no policy file: give --policy FILE or set FRONTERA_POLICY\n"));
        goto done;
    }
    if (!(policy = cli_load_policy("admit", ppath))) goto done;
    size_t len;
    if (!(mrz = cli_read_all(file, 4096, &len))) goto done;
    req.mrz = mrz;
    req.mrz_len = len;

    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    /* never created here: a mistyped FRONTERA_DB would record into a new, empty
     * ledger and decide without the traveller's history (as `record` and
     * `import` refuse); `frontera init` creates the ledger */
    int orc = fr_store_open(db, 0, &store, &err);
    if (orc == FR_ENOTFOUND && !record) {
        store = NULL; /* no ledger yet: decide without history, and say so */
        fprintf(stderr,
                _("frontera admit: warning: no ledger at %s: decided without the "
                  "traveller's history\n"),
                db);
    } else if (orc != FR_OK) {
        cli_print_error("admit", db, &err);
        goto done;
    }
    /* Screening when lists are there: named (option or $FRONTERA_WATCHLISTS), or
     * ./frontera-watchlists. Lists that were named but cannot be used refer the traveller
     * (fail closed), never admit. */
    const char *dir = cli_watchlist_dir(wl_dir);
    const char *env_dir = getenv("FRONTERA_WATCHLISTS");
    fr_booth_env env = {policy, store, NULL, (wl_dir && *wl_dir) || (env_dir && *env_dir), NULL};
    char why[300] = "";
    if (!cli_watchlist_dir_exists(dir)) {
        if (env.screening_required) {
            snprintf(why, sizeof why, _("no watchlist directory %s"), dir);
            fprintf(stderr, _("frontera admit: %s: the traveller is referred\n"), why);
        }
    } else if (cli_screening_open("admit", dir, &sc) != 0) {
        env.screening_required = 1;
        snprintf(why, sizeof why, _("the lists in %s could not be loaded"), dir);
    } else {
        screening = 1;
        env.screen = sc.ctx;
    }
    if (why[0]) env.screening_failure = why;
    fr_admit_decision *d = fr_malloc(sizeof *d);
    if (!d) goto done;
    if (fr_booth_decide(&env, &req, d, &err) != FR_OK) {
        cli_print_error("admit", NULL, &err);
        fr_free(d);
        goto done;
    }
    int64_t tid = 0;
    char idbuf[FR_EVENT_ID_MAX + 1] = "";
    int dup = 0; /* the same admission was recorded before: nothing added */
    if (record && d->outcome != FR_REFER) {
        fr_record_result res;
        if (fr_booth_record(store, &req, d, event_id, officer, &res, &err) != FR_OK) {
            cli_print_error("admit", db, &err);
            fr_free(d);
            goto done;
        }
        tid = res.traveller_id;
        dup = res.duplicate;
        fr_admit_event_id(&req, d, event_id, idbuf);
    }
    /* a decision that read a known traveller's history, or recorded one, is
     * audited as the server audits it (admission.decide / admission.record) */
    int64_t about = tid ? tid : d->traveller_id;
    if (about) {
        char object[FR_AUDIT_OBJECT_MAX + 1];
        if (tid)
            snprintf(object, sizeof object, "traveller:%lld event:%s", (long long)tid, idbuf);
        else
            snprintf(object, sizeof object, "traveller:%lld", (long long)about);
        if (cli_audit("admit", db, tid ? "admission.record" : "admission.decide", object, "cli",
                      fr_outcome_name(d->outcome)) != FR_OK) {
            fr_free(d);
            goto done;
        }
    }
    if (json)
        print_json(d, tid, idbuf[0] ? idbuf : NULL);
    else {
        print_text(d);
        if (record && d->outcome == FR_REFER)
            fputs(_("Nothing recorded: a referral is decided by a supervisor.\n"), stdout);
        else if (tid && dup)
            printf(_("Already recorded as %s (traveller %lld): nothing was added.\n"), idbuf,
                   (long long)tid);
        else if (tid)
            printf(_("Recorded as %s (traveller %lld).\n"), idbuf, (long long)tid);
    }
    rc = d->outcome == FR_ADMIT ? FR_EXIT_OK : FR_EXIT_FINDING;
    fr_free(d);
done:
    cli_screening_close(&sc);
    if (screening) u_cleanup(); /* ICU's caches, so leak checkers see a clean exit */
    fr_store_close(store);
    fr_policy_free(policy);
    free(mrz);
    fr_free(ppath);
    return rc;
}
