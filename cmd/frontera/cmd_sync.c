/* SPDX-License-Identifier: MIT */
/* cmd_sync.c: `frontera sync`: a border post sends the events of its own
 * ledger to the central store (sync.h, docs/sync.md), once or every N
 * seconds; `sync status` shows what a post officer needs (last successful
 * sync, events waiting, clock skew, refused events) and `sync issues` the
 * events the central refused. The token comes from --token-file, the
 * FRONTERA_TOKEN environment variable or --token (visible to other users
 * of the machine in the process list: prefer the others), and goes only in
 * the Authorization header. */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"
#include "frontera/alloc.h"
#include "frontera/sync.h"

static const char USAGE[] = N_(
    "Usage: frontera [--db PATH] sync --central URL [--token-file FILE | --token TOKEN]\n"
    "                [--batch N] [--every SECONDS] [--cacert FILE] [--pin sha256//KEY] [--json]\n"
    "       frontera [--db PATH] sync status [--central URL] [--json]\n"
    "       frontera [--db PATH] sync issues [--json]\n"
    "       frontera sync pull-policy --central URL --token-file FILE --policy FILE [--json]\n"
    "       frontera [--db PATH] sync pull-lists --central URL --token-file FILE --watchlists DIR\n"
    "       frontera [--db PATH] sync pull-histories --central URL --token-file FILE [--days N]\n"
    "                [--all]\n"
    "       frontera [--db CENTRAL] sync recheck-offline [--policy FILE] [--all] [--json]\n"
    "Send this post's events that the central store has not acknowledged, in order and\n"
    "in batches, to the central's POST /v1/events as a user of role post ('frontera user\n"
    "add NAME --role post --ports LOCODE,...' on the central). Nothing is lost or doubled:\n"
    "the post keeps a durable mark 'acknowledged up to' and the central takes a repeated\n"
    "event as a no-op. An event id the central holds with other content (a conflict) or\n"
    "an event it refuses is kept for a supervisor (sync issues), never overwritten.\n\n"
    "  --central URL      http://HOST:PORT or https://HOST:PORT of the central server\n"
    "  --token-file FILE  the post user's token (or $FRONTERA_TOKEN, or --token TOKEN)\n"
    "  --batch N          events per request (1..1000, default 500)\n"
    "  --every SECONDS    keep running: push, wait, push again (until SIGTERM/Ctrl-C)\n"
    "  --cacert FILE      the private CA that signed the central's certificate (https)\n"
    "  --pin sha256//KEY  accept only the central whose public key has this hash\n"
    "  --max-events N     send at most N events (tests)\n"
    "  --json             the outcome as one JSON object per push on stdout\n\n"
    "status: per central: the last successful sync, events waiting, the central's\n"
    "clock minus the post's, refused events, the lists pulled, and the warnings due\n"
    "(the booth page shows the same: GET /v1/sync/status). issues: the refused events.\n"
    "pull-policy: the central's policy in force into --policy FILE, verified by its digest\n"
    "and parsed whole before it replaces the file atomically (the old one kept as\n"
    "FILE.prev); a server reads its policy at start.\n"
    "pull-lists: the central's watchlists (DIR/central.wl.csv) and lost/stolen documents\n"
    "(DIR/lost-stolen.docs.csv), each verified by its digest and loaded whole before it\n"
    "replaces the file atomically; unchanged lists are not sent again.\n"
    "pull-histories: the last N days (default 180) of the travellers this post is likely\n"
    "to see (a crossing at its ports, or still in the country) into this post's ledger,\n"
    "so its booth sees crossings made elsewhere; they are never pushed back. After the\n"
    "first pull only what changed is sent (--all: the whole set again).\n"
    "`serve --central` does all three by itself and puts them in force without a restart.\n"
    "recheck-offline (on the central): the admissions posts decided while they could\n"
    "not reach the central (reason post.offline), decided again with the central's full\n"
    "history under --policy FILE; lists those it would decide differently (--all: every\n"
    "one) for a supervisor. The records are not changed. Exit 1 when some differ.\n"
    "Exit status: 0 all sent, 1 some events were refused (see sync issues), 2 usage\n"
    "error, 3 failure (the central cannot be reached: the events wait for the next try).\n");

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static int64_t wall_ms(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fmt_ms(int64_t ms, char *out, size_t cap)
{
    if (ms <= 0) {
        snprintf(out, cap, "%s", _("never"));
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_report(const fr_sync_report *r, int rc, const fr_error *err, int json)
{
    if (json) {
        json_t *j =
            json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "status",
                      rc == FR_OK ? "ok" : "failed", "batches", (json_int_t)r->batches, "sent",
                      (json_int_t)r->sent, "recorded", (json_int_t)r->recorded, "duplicates",
                      (json_int_t)r->duplicates, "conflicts", (json_int_t)r->conflicts, "rejected",
                      (json_int_t)r->rejected, "acked_seq", (json_int_t)r->acked_seq, "waiting",
                      (json_int_t)r->waiting);
        if (j && r->have_skew) json_object_set_new(j, "skew_ms", json_integer(r->skew_ms));
        if (j && rc != FR_OK) json_object_set_new(j, "error", json_string(err->message));
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (s) puts(s);
        free(s);
        json_decref(j);
    } else {
        printf(_("sent %zu events in %zu batches: %zu recorded, %zu already there, %zu "
                 "conflicts, %zu rejected; acknowledged up to %lld, %lld waiting"),
               r->sent, r->batches, r->recorded, r->duplicates, r->conflicts, r->rejected,
               (long long)r->acked_seq, (long long)r->waiting);
        if (r->have_skew)
            printf(_("; central clock %+.1f s from this post's"), r->skew_ms / 1000.0);
        putchar('\n');
    }
    fflush(stdout);
}

/* The warnings fr_sync_status_warnings finds, one line each, with the
 * limits they were measured against. */
static void print_warnings(const fr_sync_status *s, int64_t now)
{
    unsigned w = fr_sync_status_warnings(s, now, NULL);
    if (!w) printf("%s", _("warnings         none\n"));
    if (w & FR_SYNC_WARN_STALE)
        printf(_("warning          no successful sync in the last %d min\n"), FR_SYNC_STALE_S / 60);
    if (w & FR_SYNC_WARN_OFFLINE)
        printf("%s", _("warning          the last attempt to reach the central failed\n"));
    if (w & FR_SYNC_WARN_WAITING)
        printf(_("warning          events have waited for more than %d min\n"),
               FR_SYNC_WAITING_S / 60);
    if (w & FR_SYNC_WARN_ISSUES)
        printf("%s", _("warning          the central refused events (frontera sync issues)\n"));
    if (w & FR_SYNC_WARN_SKEW)
        printf(_("warning          the clocks differ by more than %d s: have this post's clock "
                 "set right\n"),
               FR_SYNC_SKEW_S);
    if (w & FR_SYNC_WARN_LISTS)
        printf(_("warning          a list is older than the central's, or not confirmed for "
                 "more than %d min\n"),
               FR_SYNC_LISTS_S / 60);
}

/* --json: the "centrals" of the status a post's server answers
 * (fr_sync_status_json), so the two never disagree. */
static int print_status_json(const fr_sync_status *v, size_t n, int64_t now)
{
    char *text = NULL;
    size_t len = 0;
    fr_error err;
    if (fr_sync_status_json(v, n, NULL, now, NULL, &text, &len, &err) != FR_OK) {
        cli_print_error("sync", NULL, &err);
        return FR_EXIT_FAILURE;
    }
    json_t *j = json_loadb(text, len, 0, NULL);
    fr_free(text);
    char *s = j ? json_dumps(json_object_get(j, "centrals"), JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) {
        fprintf(stderr, "%s", _("frontera sync: out of memory\n"));
        return FR_EXIT_FAILURE;
    }
    puts(s);
    free(s);
    return FR_EXIT_OK;
}

static int do_status(const char *db, const char *central, int json)
{
    fr_sync_status *v = NULL;
    size_t n = 0;
    fr_error err;
    if (fr_sync_status_get(db, central, &v, &n, &err) != FR_OK) {
        cli_print_error("sync", db, &err);
        return FR_EXIT_FAILURE;
    }
    int64_t now = wall_ms(NULL);
    if (json) {
        int rc = print_status_json(v, n, now);
        fr_free(v);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const fr_sync_status *s = &v[i];
        char ok[32], tried[32];
        fmt_ms(s->last_ok_ms, ok, sizeof ok);
        fmt_ms(s->last_try_ms, tried, sizeof tried);
        printf(_("central          %s\n"
                 "last success     %s\n"
                 "last attempt     %s%s%s\n"
                 "events waiting   %lld (acknowledged up to %lld of %lld)\n"),
               s->central, ok, tried, s->last_error[0] ? ": " : "", s->last_error,
               (long long)s->waiting, (long long)s->acked_seq, (long long)s->last_seq);
        if (s->have_skew)
            printf(_("clock skew       the central is %+.1f s from this post\n"),
                   s->skew_ms / 1000.0);
        else
            printf("%s", _("clock skew       not measured yet\n"));
        printf(_("refused events   %lld%s\n"), (long long)s->issues,
               s->issues ? _(" (frontera sync issues)") : "");
        for (int k = 0; k < FR_SYNC_LISTS; k++) {
            const fr_sync_list_state *l = &s->lists[k];
            const char *label = k == 0   ? _("policy")
                                : k == 1 ? _("watchlist")
                                : k == 2 ? _("lost/stolen")
                                         : _("histories");
            char pulled[32], checked[32];
            fmt_ms(l->pulled_ms, pulled, sizeof pulled);
            fmt_ms(l->checked_ms, checked, sizeof checked);
            if (!l->checked_ms)
                printf(_("%-16s not pulled yet\n"), label);
            else if (k == 3)
                printf(_("%-16s up to the central's event %lld, last new %s, pulled %s\n"), label,
                       (long long)l->version, pulled, checked);
            else
                printf(_("%-16s version %lld (%.12s...), pulled %s, checked %s\n"), label,
                       (long long)l->version, l->digest, pulled, checked);
            if (l->refused_ms) {
                char at[32];
                fmt_ms(l->refused_ms, at, sizeof at);
                printf(_("%-16s the central has version %lld (%.12s...), refused here %s\n"), "",
                       (long long)l->refused_version, l->refused_digest, at);
            }
        }
        print_warnings(s, now);
    }
    if (n == 0) printf("%s", _("this post has not synchronised with a central yet\n"));
    fr_free(v);
    return FR_EXIT_OK;
}

static int print_issue(void *ud, const fr_sync_issue *x)
{
    json_t *arr = ud;
    if (arr) {
        json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "central",
                                             x->central, "seq", (json_int_t)x->seq, "event_id",
                                             x->event_id, "status", x->status, "field", x->field,
                                             "detail", x->detail));
    } else {
        printf("%lld\t%s\t%s\t%s\t%s\n", (long long)x->seq, x->event_id, x->status, x->field,
               x->detail);
    }
    return 0;
}

static int do_issues(const char *db, int json)
{
    fr_error err;
    json_t *arr = json ? json_array() : NULL;
    /* event ids only (no names), but they lead to personal records: audited */
    if (cli_audit("sync", db, "sync.issues", "sync:issues", "cli", NULL) != FR_OK) {
        json_decref(arr);
        return FR_EXIT_FAILURE;
    }
    int rc = fr_sync_issues(db, print_issue, arr, &err);
    if (rc != FR_OK) {
        json_decref(arr);
        cli_print_error("sync", db, &err);
        return FR_EXIT_FAILURE;
    }
    if (arr) {
        char *s = json_dumps(arr, JSON_COMPACT);
        if (s) puts(s);
        free(s);
        json_decref(arr);
    }
    return FR_EXIT_OK;
}

static int do_pull_policy(const fr_sync_config *cfg, const char *path, int json)
{
    fr_error err;
    int64_t version = 0;
    char digest[65];
    int changed = 0;
    fr_error_clear(&err);
    if (fr_sync_pull_policy(cfg, path, &version, digest, &changed, &err) != FR_OK) {
        cli_print_error("sync", NULL, &err);
        return FR_EXIT_FAILURE;
    }
    if (json) {
        json_t *j = json_pack("{s:s, s:I, s:s, s:b}", "policy", path, "version",
                              (json_int_t)version, "digest", digest, "changed", changed);
        char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (s) puts(s);
        free(s);
        json_decref(j);
    } else
        printf(changed ? _("%s: the central's policy version %lld (%.16s...), replaced\n")
                       : _("%s: the central's policy version %lld (%.16s...), unchanged\n"),
               path, (long long)version, digest);
    return FR_EXIT_OK;
}

static int do_pull_lists(const fr_sync_config *cfg, const char *dir, int json)
{
    int exit_code = FR_EXIT_OK;
    json_t *arr = json ? json_array() : NULL;
    for (int k = FR_SYNC_WATCHLIST; k <= FR_SYNC_LOST_STOLEN; k++) {
        fr_sync_list_pull p;
        fr_error err;
        fr_error_clear(&err);
        if (fr_sync_pull_list(cfg, (fr_sync_list)k, dir, &p, &err) != FR_OK) {
            cli_print_error("sync", fr_sync_list_name((fr_sync_list)k), &err);
            exit_code = FR_EXIT_FAILURE;
            continue;
        }
        if (arr)
            json_array_append_new(arr,
                                  json_pack("{s:s, s:s, s:I, s:s, s:b, s:I}", "list",
                                            fr_sync_list_name((fr_sync_list)k), "file",
                                            fr_sync_list_file((fr_sync_list)k), "version",
                                            (json_int_t)p.version, "digest", p.digest, "changed",
                                            p.changed, "entries", (json_int_t)p.entries));
        else
            printf(p.changed ? ngettext("%s: version %lld (%.16s...), %zu entry, replaced\n",
                                        "%s: version %lld (%.16s...), %zu entries, replaced\n",
                                        (unsigned long)p.entries)
                             : ngettext("%s: version %lld (%.16s...), %zu entry, unchanged\n",
                                        "%s: version %lld (%.16s...), %zu entries, unchanged\n",
                                        (unsigned long)p.entries),
                   fr_sync_list_name((fr_sync_list)k), (long long)p.version, p.digest, p.entries);
    }
    if (arr) {
        char *str = json_dumps(arr, JSON_COMPACT);
        if (str) puts(str);
        free(str);
        json_decref(arr);
    }
    return exit_code;
}

static int do_pull_histories(const fr_sync_config *cfg, int days, int full, int json)
{
    fr_sync_history_report r;
    fr_error err;
    fr_error_clear(&err);
    if (fr_sync_pull_histories(cfg, days, full, &r, &err) != FR_OK) {
        cli_print_error("sync", cfg->db, &err);
        return FR_EXIT_FAILURE;
    }
    if (json) {
        json_t *j = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "incremental",
                              r.incremental, "seq", (json_int_t)r.seq, "travellers",
                              (json_int_t)r.travellers, "events", (json_int_t)r.events, "recorded",
                              (json_int_t)r.recorded, "known", (json_int_t)r.known, "conflicts",
                              (json_int_t)r.conflicts, "refused", (json_int_t)r.refused);
        char *str = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (str) puts(str);
        free(str);
        json_decref(j);
    } else {
        printf(_("histories of %zu travellers: %zu events, %zu new here, %zu already here, %zu "
                 "conflicts, %zu refused\n"),
               r.travellers, r.events, r.recorded, r.known, r.conflicts, r.refused);
        printf(r.incremental ? _("(what changed since the last pull, up to the central's event "
                                 "%lld)\n")
                             : _("(the whole set, up to the central's event %lld)\n"),
               (long long)r.seq);
    }
    return r.conflicts || r.refused ? FR_EXIT_FINDING : FR_EXIT_OK;
}

int cmd_sync(int argc, char **argv)
{
    static const struct option opts[] = {{"central", required_argument, NULL, 'c'},
                                         {"token", required_argument, NULL, 't'},
                                         {"token-file", required_argument, NULL, 'T'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"every", required_argument, NULL, 'e'},
                                         {"cacert", required_argument, NULL, 'C'},
                                         {"pin", required_argument, NULL, 'p'},
                                         {"max-events", required_argument, NULL, 'm'},
                                         {"policy", required_argument, NULL, 'P'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"watchlists", required_argument, NULL, 'w'},
                                         {"days", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    fr_sync_config cfg = {0};
    char token[160] = "";
    const char *token_file = NULL, *policy = NULL, *verb = NULL, *wl_dir = NULL;
    long every = 0, days = 0;
    int json = 0, all = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'c':
            cfg.central = optarg;
            break;
        case 't':
            snprintf(token, sizeof token, "%s", optarg);
            break;
        case 'T':
            token_file = optarg;
            break;
        case 'b':
            cfg.batch = (size_t)strtoul(optarg, &end, 10);
            if (*end || cfg.batch < 1 || cfg.batch > FR_SYNC_BATCH_MAX)
                return cli_usage_error("sync", N_("--batch is 1 to %d"), FR_SYNC_BATCH_MAX);
            break;
        case 'e':
            every = strtol(optarg, &end, 10);
            if (*end || every < 1 || every > 86400)
                return cli_usage_error("sync", N_("--every is 1 to 86400 seconds"));
            break;
        case 'C':
            cfg.cainfo = optarg;
            break;
        case 'p':
            cfg.pinned_key = optarg;
            break;
        case 'm':
            cfg.max_events = (size_t)strtoul(optarg, &end, 10);
            if (*end || cfg.max_events < 1)
                return cli_usage_error("sync", N_("--max-events is >= 1"));
            break;
        case 'P':
            policy = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'a':
            all = 1;
            break;
        case 'w':
            wl_dir = optarg;
            break;
        case 'd':
            days = strtol(optarg, &end, 10);
            if (*end || days < 1 || days > 730)
                return cli_usage_error("sync", N_("--days is 1 to 730"));
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("sync", argc, argv);
        }
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    if (optind < argc) {
        verb = argv[optind++];
        if (optind < argc)
            return cli_usage_error("sync", N_("unexpected argument '%s'"), argv[optind]);
        if (strcmp(verb, "status") == 0) return do_status(db, cfg.central, json);
        if (strcmp(verb, "issues") == 0) return do_issues(db, json);
        if (strcmp(verb, "recheck-offline") == 0) return cli_sync_recheck(db, policy, all, json);
        if (strcmp(verb, "pull-lists") == 0) {
            if (!wl_dir) return cli_usage_error("sync", N_("pull-lists needs --watchlists DIR"));
        } else if (strcmp(verb, "pull-histories") != 0) {
            if (strcmp(verb, "pull-policy") != 0)
                return cli_usage_error("sync",
                                       N_("unknown action '%s' (status, issues, pull-policy, "
                                          "pull-lists, pull-histories, recheck-offline)"),
                                       verb);
            if (!policy) return cli_usage_error("sync", N_("pull-policy needs --policy FILE"));
        }
    } else if (policy) {
        return cli_usage_error("sync", N_("--policy is for pull-policy and recheck-offline"));
    }
    if (!cfg.central) return cli_usage_error("sync", N_("say where the central is: --central URL"));
    int trc = token_file ? cli_read_token(token_file, token, sizeof token) : 0;
    if (trc == -2) return FR_EXIT_USAGE; /* the file could not be read: said */
    if (trc != 0) return cli_usage_error("sync", N_("%s: no token in the file"), token_file);
    if (!token[0] && getenv("FRONTERA_TOKEN"))
        snprintf(token, sizeof token, "%s", getenv("FRONTERA_TOKEN"));
    if (!token[0])
        return cli_usage_error("sync",
                               N_("the post's token: --token-file FILE or $FRONTERA_TOKEN"));
    cfg.db = db;
    cfg.token = token;
    cfg.clock_ms = wall_ms;
    if (verb && strcmp(verb, "pull-lists") == 0) return do_pull_lists(&cfg, wl_dir, json);
    if (verb && strcmp(verb, "pull-histories") == 0)
        return do_pull_histories(&cfg, (int)days, all, json);
    if (verb) return do_pull_policy(&cfg, policy, json);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int exit_code = FR_EXIT_OK;
    do {
        fr_sync_report rep;
        fr_error err;
        fr_error_clear(&err);
        int rc = cli_sync_once(&cfg, 0, &rep, &err);
        print_report(&rep, rc, &err, json);
        if (rc != FR_OK) {
            cli_print_error("sync", NULL, &err);
            exit_code = FR_EXIT_FAILURE;
        } else {
            exit_code = rep.conflicts || rep.rejected ? FR_EXIT_FINDING : FR_EXIT_OK;
        }
        for (long i = 0; every && i < every * 10 && !stop_flag; i++)
            usleep(100000);
    } while (every && !stop_flag);
    memset(token, 0, sizeof token);
    return exit_code;
}
