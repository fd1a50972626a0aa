/* SPDX-License-Identifier: MIT */
/* cmd_serve.c: `frontera serve`: run the HTTP API (server.h) until SIGTERM
 * or SIGINT, then stop gracefully: no new connections, the requests in
 * flight finish, the audit queue is committed, the handles are closed, and
 * the program exits 0. This file owns what the library may not do: the
 * clocks, the signals, stderr (the access log: method, route, status,
 * latency; never personal data). A border post's server also pushes its
 * events to the central in the background (--central: cli_sync.c). */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_purge.h"
#include "commands.h"
#include "frontera/alloc.h"
#include "frontera/server.h"
#include "frontera/store.h"
#include "i18n.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] serve [--listen HOST:PORT] [OPTION]...\n"
       "Serve the JSON API (docs/server.md, docs/openapi.yaml) until SIGTERM or SIGINT.\n\n"
       "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080; port 0: any free\n"
       "                       port; IPv6 as [::1]:8080)\n"
       "  --policy FILE        the visa policy; PUT /v1/policy rewrites this file (keeping\n"
       "                       FILE.prev). Without it the default policy is served read-only.\n"
       "  --watchlists DIR     screen travellers against the *.wl.csv lists and the lost or\n"
       "                       stolen documents (lost-stolen.docs.csv) in DIR\n"
       "  --threads N          requests worked at once, each with its own database\n"
       "                       connection (default 16); each connection has its own thread\n"
       "  --body-max BYTES     largest request body (default 1048576; larger: 413)\n"
       "  --timeout SECONDS    idle connection timeout (default 30)\n"
       "  --max-connections N  open connections in all (default 1024)\n"
       "  --per-address N      open connections from one client address (default 64), so\n"
       "                       one client holding idle connections cannot lock out the others\n"
       "  --drain SECONDS      on SIGTERM, how long requests in flight may take (default 10)\n"
       "  --db-replica DB      aggregate reports (flows, overstays, alerts, what-if) read this\n"
       "                       copy of the ledger, e.g. a PostgreSQL hot standby's URI; the\n"
       "                       booth's reads and all writes stay on --db\n"
       "  --quiet              no access log on standard error\n"
       "  --tls-cert FILE, --tls-key FILE\n"
       "                       serve https with this certificate (PEM, the chain) and its\n"
       "                       private key (PEM, unencrypted): a central that border posts\n"
       "                       reach over the network (docs/sync.md)\n"
       "  --central URL        a border post: push this ledger's events to the central server\n"
       "                       at URL in the background (frontera sync, docs/sync.md) with the\n"
       "                       post user's token in --central-token-file FILE, every\n"
       "                       --sync-every SECONDS (default 30); --sync-rate N: at most\n"
       "                       N events a second while catching up (default: no limit)\n"
       "  --pull-every SECONDS from the central too (with --central), every SECONDS (default\n"
       "                       300): the policy into --policy FILE, the lists into\n"
       "                       --watchlists DIR, put in force without a restart; and the\n"
       "                       histories of the last --pull-days N days (default 180, 0:\n"
       "                       none) of the travellers this post is likely to see\n"
       "                       A central serves its --watchlists DIR to its posts.\n"
       "  --central-cacert FILE, --central-pin sha256//KEY\n"
       "                       the private CA of the central's certificate; its pinned key\n"
       "  --retention-exit-years N, --retention-overstay-years N, --retention-manifest-days N\n"
       "                       the retention policy of the daily purge (default 3 and 5 years,\n"
       "                       90 days: frontera purge --help, docs/retention.md)\n"
       "  --purge-every SECONDS  how often the purge runs (default 86400; the first run is\n"
       "                       600 seconds after start, or SECONDS if less); --no-purge: never\n\n"
       "Prints 'listening on http://HOST:PORT' (https with --tls-cert) on standard output\n"
       "when ready. The database\n"
       "is created when missing. Users and tokens: 'frontera user'. Exit status: 0 after a\n"
       "graceful stop, 2 usage error, 3 failure.\n");

static int64_t now_ms(void *ud)
{
    struct timespec ts;
    (void)ud;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ns(void *ud)
{
    struct timespec ts;
    (void)ud;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void log_line(void *ud, const char *line)
{
    char ts[32];
    struct timespec now;
    struct tm tm;
    (void)ud;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s %s\n", ts, line);
}

static void log_sync(const char *line)
{
    log_line(NULL, line);
}

static int64_t sync_clock(void *ud)
{
    return now_ms(ud);
}

static int parse_listen(const char *s, char *host, size_t cap, unsigned *port)
{
    const char *colon;
    size_t hl;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':') return -1;
        hl = (size_t)(close - s - 1);
        s++;
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon) return -1;
        hl = (size_t)(colon - s);
    }
    if (hl == 0 || hl >= cap) return -1;
    memcpy(host, s, hl);
    host[hl] = 0;
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (errno || *end || colon[1] == 0 || p > 65535) return -1;
    *port = (unsigned)p;
    return 0;
}

static int parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || !*s || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
                                         {"policy", required_argument, NULL, 'P'},
                                         {"watchlists", required_argument, NULL, 'w'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"body-max", required_argument, NULL, 'b'},
                                         {"timeout", required_argument, NULL, 'T'},
                                         {"drain", required_argument, NULL, 'd'},
                                         {"max-connections", required_argument, NULL, 'M'},
                                         {"per-address", required_argument, NULL, 'A'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"db-replica", required_argument, NULL, 'R'},
                                         {"central", required_argument, NULL, 'C'},
                                         {"central-token-file", required_argument, NULL, 'K'},
                                         {"sync-every", required_argument, NULL, 'E'},
                                         {"sync-rate", required_argument, NULL, 'r'},
                                         {"central-cacert", required_argument, NULL, 'Q'},
                                         {"central-pin", required_argument, NULL, 'N'},
                                         {"pull-every", required_argument, NULL, 'L'},
                                         {"pull-days", required_argument, NULL, 'H'},
                                         {"tls-cert", required_argument, NULL, 'c'},
                                         {"tls-key", required_argument, NULL, 'k'},
                                         {"no-purge", no_argument, NULL, 'U'},
                                         {"purge-every", required_argument, NULL, 'V'},
                                         {"retention-exit-years", required_argument, NULL, 'X'},
                                         {"retention-overstay-years", required_argument, NULL, 'Y'},
                                         {"retention-manifest-days", required_argument, NULL, 'G'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *listen_at = "127.0.0.1:8080", *policy_arg = NULL, *wl_dir = NULL, *replica = NULL;
    unsigned long threads = FR_SERVER_DEFAULT_THREADS, body_max = FR_SERVER_DEFAULT_BODY_MAX,
                  timeout = FR_SERVER_DEFAULT_TIMEOUT_S, drain = 10,
                  max_conn = FR_SERVER_DEFAULT_MAX_CONNECTIONS,
                  per_address = FR_SERVER_DEFAULT_PER_ADDRESS;
    const char *central = NULL, *central_token = NULL, *central_ca = NULL, *central_pin = NULL;
    const char *tls_cert = NULL, *tls_key = NULL;
    unsigned long sync_every = 30, sync_rate = 0, purge_every = 86400, years;
    unsigned long pull_every = 300, pull_days = 180;
    fr_retention retention;
    fr_retention_defaults(&retention);
    int quiet = 0, purge = 1, c, rc = FR_EXIT_FAILURE;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen_at = optarg;
            break;
        case 'P':
            policy_arg = optarg;
            break;
        case 'w':
            wl_dir = optarg;
            break;
        case 't':
            if (parse_uint(optarg, 1, 256, &threads))
                return cli_usage_error("serve", "--threads needs 1..256");
            break;
        case 'b':
            if (parse_uint(optarg, 1024, 1ul << 30, &body_max))
                return cli_usage_error("serve", "--body-max needs 1024..1073741824 bytes");
            break;
        case 'T':
            if (parse_uint(optarg, 1, 3600, &timeout))
                return cli_usage_error("serve", "--timeout needs 1..3600 seconds");
            break;
        case 'd':
            if (parse_uint(optarg, 0, 3600, &drain))
                return cli_usage_error("serve", "--drain needs 0..3600 seconds");
            break;
        case 'M':
            if (parse_uint(optarg, 1, 60000, &max_conn))
                return cli_usage_error("serve", "--max-connections needs 1..60000");
            break;
        case 'A':
            if (parse_uint(optarg, 1, 60000, &per_address))
                return cli_usage_error("serve", "--per-address needs 1..60000");
            break;
        case 'q':
            quiet = 1;
            break;
        case 'R':
            replica = optarg;
            break;
        case 'C':
            central = optarg;
            break;
        case 'K':
            central_token = optarg;
            break;
        case 'Q':
            central_ca = optarg;
            break;
        case 'N':
            central_pin = optarg;
            break;
        case 'c':
            tls_cert = optarg;
            break;
        case 'k':
            tls_key = optarg;
            break;
        case 'r':
            if (parse_uint(optarg, 1, 100000, &sync_rate))
                return cli_usage_error("serve", "--sync-rate needs 1..100000 events a second");
            break;
        case 'L':
            if (parse_uint(optarg, 1, 86400, &pull_every))
                return cli_usage_error("serve", "--pull-every needs 1..86400 seconds");
            break;
        case 'H':
            if (parse_uint(optarg, 0, 730, &pull_days))
                return cli_usage_error("serve", "--pull-days needs 0..730 days");
            break;
        case 'E':
            if (parse_uint(optarg, 1, 86400, &sync_every))
                return cli_usage_error("serve", "--sync-every needs 1..86400 seconds");
            break;
        case 'U':
            purge = 0;
            break;
        case 'V':
            if (parse_uint(optarg, 1, 604800, &purge_every))
                return cli_usage_error("serve", "--purge-every needs 1..604800 seconds");
            break;
        case 'X':
        case 'Y':
            if (parse_uint(optarg, 1, FR_RETENTION_YEARS_MAX, &years))
                return cli_usage_error("serve", "--retention-*-years needs 1..%d",
                                       FR_RETENTION_YEARS_MAX);
            if (c == 'X')
                retention.exit_years = (int)years;
            else
                retention.overstay_years = (int)years;
            break;
        case 'G':
            if (parse_uint(optarg, 1, FR_RETENTION_MANIFEST_DAYS_MAX, &years))
                return cli_usage_error("serve", "--retention-manifest-days needs 1..%d",
                                       FR_RETENTION_MANIFEST_DAYS_MAX);
            retention.manifest_days = (int)years;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("serve", argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    fr_error rerr;
    fr_error_clear(&rerr);
    if (fr_retention_check(&retention, &rerr) != FR_OK)
        return cli_usage_error("serve", "%s", cli_error_text(&rerr));
    char token[160] = "";
    if ((tls_cert != NULL) != (tls_key != NULL))
        return cli_usage_error("serve", "--tls-cert and --tls-key go together");
    if ((central != NULL) != (central_token != NULL))
        return cli_usage_error("serve", "--central and --central-token-file go together");
    fr_error cerr;
    if (central && fr_sync_check_central(central, &cerr) != FR_OK)
        return cli_usage_error("serve", "--central '%s': %s", central, cli_error_text(&cerr));
    int trc = central_token ? cli_read_token(central_token, token, sizeof token) : 0;
    if (trc == -2) return FR_EXIT_USAGE; /* the file could not be read: said */
    if (trc != 0) return cli_usage_error("serve", "%s: no token in the file", central_token);
    char host[128];
    unsigned port;
    if (parse_listen(listen_at, host, sizeof host, &port))
        return cli_usage_error("serve",
                               "--listen needs HOST:PORT (127.0.0.1:8080 or [::1]:8080), not '%s'",
                               listen_at);

    char *ppath = policy_arg ? fr_strdup(policy_arg) : cli_default_policy_path(), *ptext = NULL;
    char *cert_pem = NULL, *key_pem = NULL;
    size_t key_len = 0, cert_len = 0;
    cli_screening sc;
    memset(&sc, 0, sizeof sc);
    fr_server *srv = NULL;
    cli_syncer *syncer = NULL;
    cli_sync_view sync_view = {NULL, NULL}; /* GET /v1/sync/status: outlives the server */
    cli_purger *purger = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (!ppath) {
        fprintf(stderr,
                _("frontera serve: no policy file: give --policy FILE or set FRONTERA_POLICY\n"));
        goto done;
    }
    fr_policy *check = cli_load_policy("serve", ppath); /* prints every error */
    if (!check) goto done;
    fr_policy_free(check);
    size_t plen;
    if (!(ptext = cli_read_all(ppath, FR_POLICY_MAX_BYTES, &plen))) goto done;
    if (tls_cert && (!(cert_pem = cli_read_all(tls_cert, 1 << 20, &cert_len)) ||
                     !(key_pem = cli_read_all(tls_key, 1 << 20, &key_len))))
        goto done;
    /* the same lists as `frontera screen`: *.wl.csv and lost-stolen.docs.csv */
    if (wl_dir && cli_screening_open("serve", wl_dir, &sc) != 0) goto done;
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    int fresh = cli_ledger_missing(db); /* serve makes a ledger where there is none: said */

    /* the worker threads inherit this mask: only this thread takes the signals */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    fr_server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.db_path = db;
    cfg.replica_path = replica;
    cfg.snapshot_path = getenv("FRONTERA_SNAPSHOT"); /* --snapshot, before the subcommand */
    if (cfg.snapshot_path && !cfg.snapshot_path[0]) cfg.snapshot_path = NULL;
    cfg.host = host;
    cfg.port = (uint16_t)port;
    cfg.threads = (unsigned)threads;
    cfg.body_max = body_max;
    cfg.timeout_s = (unsigned)timeout;
    cfg.max_connections = (unsigned)max_conn;
    cfg.per_address = (unsigned)per_address;
    cfg.policy_text = ptext;
    cfg.policy_len = plen;
    cfg.policy_path = policy_arg ? ppath : NULL;
    cfg.screen = sc.idx;
    cfg.lost_docs = sc.docs;
    cfg.lists_dir = wl_dir; /* a central serves its lists to its posts */
    cfg.now_ms = now_ms;
    cfg.mono_ns = mono_ns;
    cfg.log = quiet ? NULL : log_line;
    cfg.tls_cert_pem = cert_pem;
    cfg.tls_key_pem = key_pem;
    fr_store *made = NULL; /* the pusher reads the post's ledger: make it first */
    if (central && fr_store_open(db, FR_STORE_CREATE, &made, &err) != FR_OK) {
        cli_print_error("serve", db, &err);
        goto done;
    }
    fr_store_close(made);
    if (central) {
        fr_sync_config sc_cfg = {.db = db,
                                 .central = central,
                                 .token = token,
                                 .timeout_ms = 15000,
                                 .cainfo = central_ca,
                                 .pinned_key = central_pin,
                                 .max_events = sync_rate, /* paced: cli.h */
                                 .clock_ms = sync_clock};
        if (cli_syncer_start(&sc_cfg, (unsigned)sync_every, quiet ? NULL : log_sync, &syncer) !=
            FR_OK)
            fprintf(stderr, _("frontera serve: cannot start the background sync\n"));
        if (syncer) {
            cli_syncer_pulls(syncer, policy_arg ? ppath : NULL, wl_dir, (int)pull_days,
                             (unsigned)pull_every);
            cfg.offline = cli_syncer_offline; /* admissions say when they are decided offline */
            cfg.offline_ud = syncer;
        }
    }
    if (!fr_store_is_pg(db)) { /* a post's ledger is an SQLite file; a central has no status */
        sync_view = (cli_sync_view){db, syncer};
        cfg.sync_status = cli_sync_status_answer;
        cfg.sync_status_ud = &sync_view;
    }
    if (fr_server_start(&cfg, &srv, &err) != FR_OK) {
        /* say where the fault is: the policy's line, the address, or the ledger */
        cli_print_error("serve",
                        err.line                           ? ppath
                        : strcmp(err.field, "listen") == 0 ? listen_at
                                                           : db,
                        &err);
        goto done;
    }
    if (key_pem) memset(key_pem, 0, key_len); /* the server holds its own copy */
    cli_syncer_attach(syncer, srv);           /* pulled policy and lists go in force in it */
    const char *scheme = cert_pem ? "https" : "http";
    if (fresh) cli_say_new_ledger("serve", db);
    if (strchr(host, ':'))
        printf("listening on %s://[%s]:%u\n", scheme, host, (unsigned)fr_server_port(srv));
    else
        printf("listening on %s://%s:%u\n", scheme, host, (unsigned)fr_server_port(srv));
    fflush(stdout);
    /* the daily maintenance: erase what the retention policy no longer allows */
    if (purge && cli_purger_start(db, &retention, (unsigned)purge_every, quiet ? NULL : log_sync,
                                  &purger) != FR_OK)
        fprintf(stderr, _("frontera serve: cannot start the daily purge\n"));
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, _("frontera serve: %s: stopping (draining requests in flight)\n"),
            sig == SIGTERM ? "SIGTERM" : "SIGINT");
    cli_purger_stop(purger); /* a batch in progress commits first */
    purger = NULL;
    cli_syncer_stop(syncer); /* a push in progress finishes or times out first */
    unsigned left = fr_server_stop(srv, (unsigned)drain * 1000);
    srv = NULL;
    cli_syncer_free(syncer); /* after the server: a status request in flight reads it */
    syncer = NULL;
    if (left)
        fprintf(stderr, _("frontera serve: %u requests were still running after %lus\n"), left,
                drain);
    else
        fprintf(stderr, _("frontera serve: stopped\n"));
    rc = left ? FR_EXIT_FAILURE : FR_EXIT_OK;
done:
    cli_purger_stop(purger);
    cli_syncer_stop(syncer);
    memset(token, 0, sizeof token);
    fr_server_stop(srv, 0);
    cli_syncer_free(syncer);
    cli_screening_close(&sc);
    free(ptext);
    free(cert_pem);
    if (key_pem) memset(key_pem, 0, key_len);
    free(key_pem);
    fr_free(ppath);
    return rc;
}
