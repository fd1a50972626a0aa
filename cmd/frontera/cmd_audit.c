/* SPDX-License-Identifier: MIT */
/* cmd_audit.c: `frontera audit verify|list|head`: check the hash chain of
 * the audit log (audit.h) and name the first broken entry, list entries, or
 * print the head hash to keep somewhere else (a later `verify --expect-head`
 * then also catches a truncated or rewritten log). */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "frontera/audit.h"
#include "frontera/text.h"
#include "frontera/store.h"
#include "i18n.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] audit verify [--expect-head HEX]\n"
       "       frontera [--db PATH] audit list [--from SEQ] [--limit N] [--json]\n"
       "       frontera [--db PATH] audit head\n"
       "The audit log: who read or wrote which personal record, when and from where,\n"
       "each entry chained to the one before by its hash.\n\n"
       "  verify               check every entry and link; names the first broken entry\n"
       "  --expect-head HEX    also require the last entry's hash to be HEX (from 'audit head'\n"
       "                       kept elsewhere): catches a truncated or rewritten log\n"
       "  list                 entries in order (--from SEQ, --limit N, --json)\n"
       "  head                 the number and hash of the last entry\n\n"
       "Exit status: 0 the chain holds, 1 it is broken, 2 usage error, 3 failure.\n");

static void fmt_time(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, cap - n, ".%03dZ", (int)(ms % 1000));
}

/* A JSON string for stored text; bytes that are not UTF-8 (a tampered or
 * foreign row) are written as the four characters \xNN, so the entry is
 * still listed and nothing is hidden. */
static json_t *text_json(const char *s)
{
    json_t *j = json_string(s);
    if (j) return j;
    size_t n = strlen(s);
    char *buf = malloc(4 * n + 1);
    if (!buf) return NULL;
    size_t o = 0, i = 0;
    while (i < n) {
        size_t bad = 0, len = n - i;
        if (fr_text_utf8_valid(s + i, len, &bad)) bad = len;
        memcpy(buf + o, s + i, bad); /* the valid run */
        o += bad;
        i += bad;
        if (i < n) {
            o += (size_t)sprintf(buf + o, "\\x%02X", (unsigned char)s[i]);
            i++;
        }
    }
    buf[o] = 0;
    j = json_string(buf);
    free(buf);
    return j;
}

static int print_entry(void *ud, const fr_audit_entry *e)
{
    int json = *(int *)ud;
    char t[40], h[2 * FR_AUDIT_HASH_BYTES + 1];
    fmt_time(e->at_ms, t, sizeof t);
    fr_audit_hash_hex(e->hash, h);
    if (json) {
        json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:s}", "seq",
                              (json_int_t)e->seq, "at", t, "actor", text_json(e->actor), "role",
                              text_json(e->role), "action", text_json(e->action), "object",
                              text_json(e->object), "origin", text_json(e->origin), "status",
                              e->status, "detail", text_json(e->detail), "hash", h);
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        if (s) puts(s);
        free(s);
        json_decref(o);
    } else {
        printf(_("%lld %s %s(%s) %s %s from %s -> %d%s%s\n"), (long long)e->seq, t, e->actor,
               e->role, e->action, e->object, e->origin, e->status, e->detail[0] ? ": " : "",
               e->detail);
    }
    return 0;
}

static int parse_ll(const char *s, long long lo, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || !*s || v < lo) return -1;
    *out = v;
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {{"expect-head", required_argument, NULL, 'e'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *expect = NULL;
    long long from = 1, limit = 0;
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            expect = optarg;
            break;
        case 'f':
            if (parse_ll(optarg, 1, &from))
                return cli_usage_error("audit", "--from needs an entry number (1 or more)");
            break;
        case 'l':
            if (parse_ll(optarg, 1, &limit))
                return cli_usage_error("audit", "--limit needs a positive number");
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option("audit", argc, argv);
        }
    }
    if (optind >= argc) return cli_usage_error("audit", "say what to do: verify, list or head");
    const char *verb = argv[optind++];
    if (optind < argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
    int is_verify = strcmp(verb, "verify") == 0, is_list = strcmp(verb, "list") == 0,
        is_head = strcmp(verb, "head") == 0;
    if (!is_verify && !is_list && !is_head)
        return cli_usage_error("audit", "unknown action '%s' (verify, list, head)", verb);
    if (expect && !is_verify) return cli_usage_error("audit", "--expect-head is for verify");
    if (expect && strlen(expect) != 2 * FR_AUDIT_HASH_BYTES)
        return cli_usage_error("audit", "--expect-head needs the %d hex digits 'audit head' prints",
                               2 * FR_AUDIT_HASH_BYTES);
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_audit *a = NULL;
    fr_error err;
    fr_error_clear(&err);
    if (fr_audit_open(db, &a, &err) != FR_OK) {
        cli_print_error("audit", db, &err);
        return FR_EXIT_FAILURE;
    }
    int rc = FR_EXIT_FAILURE;
    if (is_list) {
        if (fr_audit_walk(a, from, (size_t)limit, print_entry, &json, &err) < 0)
            cli_print_error("audit", db, &err);
        else
            rc = FR_EXIT_OK;
    } else {
        fr_audit_verify_result res;
        char h[2 * FR_AUDIT_HASH_BYTES + 1];
        if (fr_audit_verify(a, &res, &err) != FR_OK) {
            cli_print_error("audit", db, &err);
        } else if (is_head) {
            fr_audit_hash_hex(res.head, h);
            printf("%lld %s\n", (long long)res.head_seq, h);
            rc = FR_EXIT_OK;
        } else if (!res.ok) {
            printf(_("BROKEN at entry %lld: %s\n"), (long long)res.first_bad, res.reason);
            printf(_("(%lld entries read; entries before %lld are intact)\n"),
                   (long long)res.entries, (long long)res.first_bad);
            rc = FR_EXIT_FINDING;
        } else {
            fr_audit_hash_hex(res.head, h);
            if (expect && strcasecmp(expect, h) != 0) {
                printf(_("BROKEN: the chain holds but ends at entry %lld with hash %s, not the "
                         "expected "
                         "head %s: entries were removed from the end or the log was rewritten\n"),
                       (long long)res.head_seq, h, expect);
                rc = FR_EXIT_FINDING;
            } else {
                printf(ngettext("OK: %lld entry, head %s\n", "OK: %lld entries, head %s\n",
                                (unsigned long)res.head_seq),
                       (long long)res.head_seq, h);
                rc = FR_EXIT_OK;
            }
        }
    }
    fr_audit_close(a);
    return rc;
}
