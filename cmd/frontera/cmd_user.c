/* SPDX-License-Identifier: MIT */
/* cmd_user.c: `frontera user add|list|revoke|rotate`: the server's users,
 * their roles and bearer tokens (auth.h). A new token is printed once on
 * standard output and never again: only its hash is kept. Each change is
 * written to the audit log as done by "cli:$USER" from "cli". */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "frontera/alloc.h"
#include "frontera/audit.h"
#include "frontera/auth.h"
#include "frontera/store.h"
#include "i18n.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] user add NAME --role ROLE [--ports LOCODE,...]\n"
       "       frontera [--db PATH] user list [--json]\n"
       "       frontera [--db PATH] user revoke NAME\n"
       "       frontera [--db PATH] user rotate NAME\n"
       "Manage the users of the HTTP server and their bearer tokens.\n\n"
       "  add NAME --role ROLE   a new user (officer, supervisor, analyst, admin, or carrier:\n"
       "                         an airline's system, POST /v1/manifests only); prints the\n"
       "                         token ONCE: give it to the user, it cannot be shown again\n"
       "  add NAME --role post --ports ECTUL,ECHQU\n"
       "                         a border post's server (frontera sync): it may send the\n"
       "                         events of these ports (1 to 16 UN/LOCODEs) and nothing else\n"
       "  list                   users, roles, when created, whether revoked (never tokens)\n"
       "  revoke NAME            the user's token stops working at once\n"
       "  rotate NAME            a new token for NAME (the old one stops working); printed\n"
       "                         once. A revoked user stays revoked: add a new user instead\n\n"
       "Roles: officer (admissions, events, travellers), supervisor (also overrides and\n"
       "reports), analyst (reports and alerts only), admin (users, policy, travellers).\n"
       "Exit status: 0 ok, 2 usage error, 3 failure (no such user, name taken ...).\n");

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void fmt_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Make sure the ledger schema exists (it must come first in the file), then open auth. */
static int open_auth(const char *db, int create, fr_auth **a, fr_error *err)
{
    fr_store *s = NULL;
    int rc = fr_store_open(db, create ? FR_STORE_CREATE : 0, &s, err);
    fr_store_close(s);
    return rc != FR_OK ? rc : fr_auth_open(db, a, err);
}

static int audit_cli(const char *db, const char *action, const char *name, const char *detail)
{
    char object[FR_AUDIT_OBJECT_MAX + 1];
    snprintf(object, sizeof object, "user:%s", name);
    return cli_audit("user", db, action, object, "admin", detail);
}

static int do_list(fr_auth *a, int json)
{
    fr_user *u = NULL;
    size_t n = 0;
    fr_error err;
    if (fr_auth_user_list(a, &u, &n, &err) != FR_OK) {
        cli_print_error("user", NULL, &err);
        return FR_EXIT_FAILURE;
    }
    char c[32], r[32];
    json_t *arr = json ? json_array() : NULL;
    if (!json) printf("%-24s %-11s %-21s %s\n", _("NAME"), _("ROLE"), _("CREATED"), _("REVOKED"));
    for (size_t i = 0; i < n; i++) {
        fmt_time(u[i].created_ms, c, sizeof c);
        if (u[i].revoked_ms)
            fmt_time(u[i].revoked_ms, r, sizeof r);
        else
            snprintf(r, sizeof r, "-");
        if (json)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "name", u[i].name,
                                                 "role", fr_role_name(u[i].role), "created", c,
                                                 "revoked", u[i].revoked_ms ? r : NULL, "ports",
                                                 u[i].ports[0] ? u[i].ports : NULL));
        else
            printf("%-24s %-11s %-21s %s\n", u[i].name, fr_role_name(u[i].role), c, r);
    }
    if (json) {
        char *s = json_dumps(arr, JSON_COMPACT);
        if (s) puts(s);
        free(s);
        json_decref(arr);
    }
    fr_free(u);
    return FR_EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
                                         {"ports", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *role_arg = NULL, *ports = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            role_arg = optarg;
            break;
        case 'p':
            ports = optarg;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("user", argc, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("user", "say what to do: add, list, revoke or rotate");
    const char *verb = argv[optind++];
    const char *name = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) return cli_usage_error("user", "unexpected argument '%s'", argv[optind]);
    int is_add = strcmp(verb, "add") == 0, is_list = strcmp(verb, "list") == 0;
    int is_revoke = strcmp(verb, "revoke") == 0, is_rotate = strcmp(verb, "rotate") == 0;
    if (!is_add && !is_list && !is_revoke && !is_rotate)
        return cli_usage_error("user", "unknown action '%s' (add, list, revoke, rotate)", verb);
    if (is_list && name) return cli_usage_error("user", "list takes no name");
    if (!is_list && !name) return cli_usage_error("user", "%s needs a user NAME", verb);
    fr_role role = FR_ROLE_NONE;
    if (is_add) {
        if (!role_arg)
            return cli_usage_error(
                "user", "add needs --role (officer, supervisor, analyst, admin, carrier, post)");
        role = fr_role_parse(role_arg, strlen(role_arg));
        if (role == FR_ROLE_NONE)
            return cli_usage_error(
                "user", "unknown role '%s' (officer, supervisor, analyst, admin, carrier, post)",
                role_arg);
        if ((role == FR_ROLE_POST) != (ports != NULL))
            return cli_usage_error("user", role == FR_ROLE_POST
                                               ? "a post needs --ports LOCODE,... (its ports)"
                                               : "--ports is for the role post only");
    } else if (role_arg || ports) {
        return cli_usage_error("user", "--role and --ports are for add only");
    }
    fr_error err;
    fr_error_clear(&err);
    if (name && fr_auth_check_name(name, &err) != FR_OK)
        return cli_usage_error("user", "'%s': %s", name, cli_error_text(&err));
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_auth *a = NULL;
    int fresh = is_add && cli_ledger_missing(db); /* user add makes a ledger: said */
    if (open_auth(db, is_add, &a, &err) != FR_OK) {
        cli_print_error("user", db, &err);
        return FR_EXIT_FAILURE;
    }
    if (fresh) cli_say_new_ledger("user", db);
    int rc = FR_EXIT_FAILURE;
    char token[FR_TOKEN_BUFSZ];
    if (is_list) {
        rc = do_list(a, json);
    } else if (is_add || is_rotate) {
        int st = !is_add ? fr_auth_user_rotate(a, name, now_ms(), token, &err)
                 : role == FR_ROLE_POST
                     ? fr_auth_user_add_post(a, name, ports, now_ms(), token, &err)
                     : fr_auth_user_add(a, name, role, now_ms(), token, &err);
        if (st != FR_OK) {
            cli_print_error("user", db, &err);
        } else if (audit_cli(db, is_add ? "user.add" : "user.rotate", name,
                             is_add ? fr_role_name(role) : NULL) == FR_OK) {
            puts(token);
            if (isatty(fileno(stderr)))
                fprintf(stderr,
                        _("frontera user: this token for '%s' is shown once; keep it safe\n"),
                        name);
            rc = FR_EXIT_OK;
        }
        memset(token, 0, sizeof token);
    } else {
        if (fr_auth_user_revoke(a, name, now_ms(), &err) != FR_OK)
            cli_print_error("user", db, &err);
        else if (audit_cli(db, "user.revoke", name, NULL) == FR_OK)
            rc = FR_EXIT_OK;
    }
    fr_auth_close(a);
    return rc;
}
