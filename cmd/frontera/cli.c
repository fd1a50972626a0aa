/* SPDX-License-Identifier: MIT */
/* cli.c: helpers shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/store.h"
#include "frontera/audit.h"
#include "i18n.h"

char *cli_read_all(const char *path, size_t max, size_t *len_out)
{
    FILE *f = stdin;
    const char *name = _("standard input");
    if (path && strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        name = path;
        if (!f) {
            fprintf(stderr, _("frontera: cannot open %s: %s\n"), path, strerror(errno));
            return NULL;
        }
    }
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    if (!buf) goto oom;
    for (;;) {
        if (len + 1 >= cap) {
            if (cap >= max + 1) {
                fprintf(stderr, _("frontera: %s is larger than the limit of %zu bytes\n"), name,
                        max);
                goto fail;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) goto oom;
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, f);
        if (n == 0) break;
        len += n;
    }
    if (ferror(f)) {
        fprintf(stderr, _("frontera: error reading %s: %s\n"), name, strerror(errno));
        goto fail;
    }
    if (len > max) {
        fprintf(stderr, _("frontera: %s is larger than the limit of %zu bytes\n"), name, max);
        goto fail;
    }
    buf[len] = '\0';
    if (f != stdin) fclose(f);
    if (len_out) *len_out = len;
    return buf;
oom:
    fprintf(stderr, _("frontera: out of memory reading %s\n"), name);
fail:
    free(buf);
    if (f != stdin) fclose(f);
    return NULL;
}

int cli_usage_error(const char *sub, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "frontera %s: ", sub);
    va_start(ap, fmt);
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, _("Try 'frontera help %s' for more information.\n"), sub);
    return FR_EXIT_USAGE;
}

int cli_bad_option(const char *sub, int argc, char **argv)
{
    /* getopt has moved optind past the argument it refused (or to argc when
     * a value was missing at the end); optopt is 0 for an unknown or
     * ambiguous long option, the option's value otherwise. */
    int at = optind - 1;
    if (at < 1) at = 1;
    if (at >= argc) at = argc - 1;
    const char *arg = at >= 1 ? argv[at] : "";
    if (strncmp(arg, "--", 2) == 0) {
        if (optopt == 0) {
            /* the program's own options (main.c) go before the subcommand */
            static const char *const global[] = {"--db", "--snapshot"};
            for (size_t i = 0; i < sizeof global / sizeof *global; i++) {
                size_t n = strlen(global[i]);
                if (strncmp(arg, global[i], n) == 0 && (arg[n] == 0 || arg[n] == '='))
                    return cli_usage_error(sub,
                                           "option '%s' goes before the subcommand: frontera "
                                           "%s PATH %s ...",
                                           global[i], global[i], sub);
            }
            return cli_usage_error(sub, "unknown or ambiguous option '%s'", arg);
        }
        if (strchr(arg, '=')) return cli_usage_error(sub, "option '%s' takes no value", arg);
        return cli_usage_error(sub, "option '%s' needs a value", arg);
    }
    if (optopt > 0 && optopt < 128 && optopt != '?')
        return cli_usage_error(sub, "option '-%c' is unknown or needs a value", optopt);
    return cli_usage_error(sub, "unknown option '%s'", arg);
}

static void row_errors_flush(cli_row_errors *r)
{
    if (r->same == 1)
        fprintf(stderr, _("frontera %s: %s:%d: the same error again\n"), r->sub, r->file,
                r->same_from);
    else if (r->same > 1)
        fprintf(stderr, _("frontera %s: %s: lines %d to %d: the same error again (%zu rows)\n"),
                r->sub, r->file, r->same_from, r->same_to, r->same);
    r->same = 0;
}

void cli_row_error(void *ud, const fr_error *err)
{
    cli_row_errors *r = ud;
    if (r->shown && !r->hidden && err->code == r->code && strcmp(err->message, r->message) == 0) {
        if (!r->same++) r->same_from = err->line;
        r->same_to = err->line;
        return;
    }
    row_errors_flush(r);
    if (r->shown >= CLI_ROW_ERRORS_SHOWN) {
        r->hidden++;
        return;
    }
    r->shown++;
    r->code = err->code;
    snprintf(r->message, sizeof r->message, "%s", err->message);
    cli_print_error(r->sub, r->file, err);
}

void cli_row_errors_end(cli_row_errors *r)
{
    row_errors_flush(r);
    if (r->hidden)
        fprintf(stderr, _("frontera %s: %s: %zu more rejected rows not shown\n"), r->sub, r->file,
                r->hidden);
    r->hidden = 0;
}

int cli_ledger_missing(const char *db)
{
    if (!db || fr_store_is_pg(db)) return 0;
    if (strncmp(db, "sqlite:", 7) == 0) db += 7; /* as fr_store_open reads it */
    return access(db, F_OK) != 0;
}

void cli_say_new_ledger(const char *sub, const char *db)
{
    fprintf(stderr,
            _("frontera %s: there was no ledger at %s: a new, empty one was created (check --db "
              "or FRONTERA_DB if you meant an existing one)\n"),
            sub, db);
}

/* src with the password of every URL in it ("postgres://user:SECRET@host")
 * and of a libpq keyword ("password=SECRET") replaced by "***": a --db
 * location is named in messages, its password never. */
static const char *redact_urls(const char *src, char *out, size_t cap);

static const char *redact(const char *src, char *out, size_t cap)
{
    char tmp[2048];
    redact_urls(src, tmp, sizeof tmp);
    size_t o = 0;
    for (const char *p = tmp; *p && o + 1 < cap;) {
        if (strncmp(p, "password=", 9) == 0) {
            const char *end = p + 9 + strcspn(p + 9, " \t\n'\"");
            int n = snprintf(out + o, cap - o, "password=***");
            o += n > 0 && (size_t)n < cap - o ? (size_t)n : cap - 1 - o;
            p = end;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = 0;
    return out;
}

static const char *redact_urls(const char *src, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = src; *p && o + 1 < cap;) {
        const char *scheme = strstr(p, "://");
        if (!scheme) {
            size_t n = strlen(p);
            if (n > cap - 1 - o) n = cap - 1 - o;
            memcpy(out + o, p, n);
            o += n;
            break;
        }
        const char *user = scheme + 3, *end = user + strcspn(user, "/?# \t\n'\""),
                   *at = memchr(user, '@', (size_t)(end - user)),
                   *colon = at ? memchr(user, ':', (size_t)(at - user)) : NULL;
        const char *upto = colon ? colon + 1 : end;
        size_t n = (size_t)(upto - p);
        if (n > cap - 1 - o) n = cap - 1 - o;
        memcpy(out + o, p, n);
        o += n;
        if (colon && o + 3 < cap) {
            memcpy(out + o, "***", 3);
            o += 3;
        }
        p = colon ? at : end;
    }
    out[o] = 0;
    return out;
}

void cli_print_error(const char *sub, const char *file, const fr_error *err)
{
    char rtext[sizeof err->message + 64], rfile[1024];
    const char *text = redact(cli_error_text(err), rtext, sizeof rtext);
    if (file) file = redact(file, rfile, sizeof rfile);
    /* The store's open names the database itself ("there is no database at
     * PATH"): the path once, and no "db:" field, which tells a user nothing. */
    if (file && !err->line && strstr(text, file)) file = NULL;
    int field = err->field[0] && strcmp(err->field, "db") != 0;
    fprintf(stderr, "frontera %s: ", sub);
    if (file) fprintf(stderr, "%s:", file);
    if (err->line) fprintf(stderr, "%d:", err->line);
    if (err->column) fprintf(stderr, "%d:", err->column);
    if (file || err->line || err->column) fputc(' ', stderr);
    if (field) fprintf(stderr, "%s: ", err->field);
    fprintf(stderr, "%s\n", text);
}

char *cli_default_policy_path(void)
{
    const char *env = getenv("FRONTERA_POLICY");
    if (env && *env) return fr_strdup(env);
    static const char *const candidates[] = {FR_SOURCE_DIR "/data/policy/ecu.policy",
                                             FR_DATADIR "/frontera/policy/ecu.policy"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        FILE *f = fopen(candidates[i], "r");
        if (f) {
            fclose(f);
            return fr_strdup(candidates[i]);
        }
    }
    return NULL;
}

/* Load a policy file, printing every error; NULL on failure. */
fr_policy *cli_load_policy(const char *sub, const char *path)
{
    size_t len;
    char *text = cli_read_all(path, FR_POLICY_MAX_BYTES, &len);
    if (!text) return NULL;
    fr_error errs[20];
    size_t n = 0;
    fr_policy *p = NULL;
    if (fr_policy_parse(text, len, &p, errs, 20, &n) != FR_OK) {
        for (size_t i = 0; i < n && i < 20; i++)
            cli_print_error(sub, path, &errs[i]);
        if (n > 20) fprintf(stderr, _("frontera %s: %s: %zu more errors\n"), sub, path, n - 20);
        p = NULL;
    }
    free(text);
    return p;
}

void cli_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

void cli_actor(char *actor, size_t cap)
{
    char pwbuf[1024];
    struct passwd pw, *res = NULL;
    /* the account the process runs as, not $USER, which anyone can set */
    if (getpwuid_r(geteuid(), &pw, pwbuf, sizeof pwbuf, &res) == 0 && res)
        snprintf(actor, cap, "cli:%.40s", res->pw_name);
    else
        snprintf(actor, cap, "cli:uid%ld", (long)geteuid());
}

int cli_audit(const char *sub, const char *db, const char *action, const char *object,
              const char *role, const char *detail)
{
    char actor[FR_AUDIT_ACTOR_MAX + 1];
    cli_actor(actor, sizeof actor);
    return cli_audit_by(sub, db, actor, "cli", action, object, role, detail);
}

int cli_audit_by(const char *sub, const char *db, const char *actor, const char *channel,
                 const char *action, const char *object, const char *role, const char *detail)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fr_audit_record rec = {(int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
                           actor,
                           role,
                           action,
                           object,
                           channel,
                           0,
                           detail};
    fr_audit *au = NULL;
    fr_error err;
    fr_error_clear(&err);
    int rc = fr_audit_open(db, &au, &err);
    if (rc == FR_OK) rc = fr_audit_append(au, &rec, 1, NULL, &err);
    fr_audit_close(au);
    if (rc != FR_OK) cli_print_error(sub, db, &err);
    return rc;
}
