/* SPDX-License-Identifier: MIT */
/* cmd_policy.c: `frontera policy check|lint|changes|history`: the rule in
 * force for a nationality on a day (with its legal source), every error of a
 * policy file, what changed for whom between two dates, and the versions the
 * servers of a ledger put in force (who, when; the text of any of them). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "frontera/country.h"
#include "frontera/alloc.h"
#include "frontera/policy.h"
#include "i18n.h"
#include "policy_store.h"

#define MAX_REPORTED 200

static void usage(void)
{
    printf(_(
        "Usage: frontera policy check [--policy FILE] --nationality CODE --on DATE [--class CLASS] "
        "[--json]\n"
        "       frontera policy lint FILE...\n"
        "       frontera policy changes [--policy FILE] --from DATE --to DATE [--class CLASS]\n"
        "       frontera [--db PATH] policy history [--json] [--show VERSION]\n"
        "Visa policy files (format: docs/policy.md).\n\n"
        "  check    the rule in force for a nationality (ICAO code) on a day, with its source;\n"
        "           exit 1 when no rule applies\n"
        "  lint     load each FILE and report every error (FILE:LINE:COLUMN); exit 1 if any\n"
        "  changes  every change of rule after --from up to and including --to, per nationality\n"
        "  history  the versions the servers of the ledger put in force, newest first: when,\n"
        "           by whom, digest; --show VERSION prints that version's text (to restore it,\n"
        "           PUT it again); exit 1 when there is no such version\n\n"
        "  --policy FILE   the policy (default: $FRONTERA_POLICY, else Ecuador's ecu.policy)\n"
        "  --class CLASS   visitor (default), transit, crew or official\n"
        "  --json          machine output (check, history)\n"
        "  --help          show this help\n"
        "Example: frontera policy check --policy data/policy/ecu.policy --nationality CHN --on "
        "2024-07-01\n"));
}

/* Load FILE, printing every error; NULL on failure. */
static fr_policy *load(const char *sub, const char *path, int *nerr)
{
    size_t len;
    char *text = cli_read_all(path, FR_POLICY_MAX_BYTES, &len);
    *nerr = 0;
    if (!text) {
        *nerr = -1;
        return NULL;
    }
    fr_error errs[MAX_REPORTED];
    size_t n = 0;
    fr_policy *p = NULL;
    if (fr_policy_parse(text, len, &p, errs, MAX_REPORTED, &n) != FR_OK) {
        for (size_t i = 0; i < n && i < MAX_REPORTED; i++)
            cli_print_error(sub, path, &errs[i]);
        if (n > MAX_REPORTED)
            fprintf(stderr, _("frontera %s: %s: %zu more errors not shown\n"), sub, path,
                    n - MAX_REPORTED);
        *nerr = (int)n;
        p = NULL;
    }
    free(text);
    return p;
}

/* The policy --policy names, else the default one admit uses. */
static fr_policy *load_policy(const char *path, int *nerr)
{
    if (path) return load("policy", path, nerr);
    char *def = cli_default_policy_path();
    if (!def) {
        *nerr = -1;
        cli_usage_error("policy", "no policy file: give --policy FILE or set FRONTERA_POLICY");
        return NULL;
    }
    fr_policy *p = load("policy", def, nerr);
    fr_free(def);
    return p;
}

static const char *docs_text(unsigned docs)
{
    if (docs == (FR_DOC_PASSPORT | FR_DOC_ID_CARD)) return _("passport or national ID card");
    return docs == FR_DOC_ID_CARD ? _("national ID card") : _("passport");
}

static void print_rule_human(const fr_policy_rule *r, const char *code, fr_admission_class cls,
                             fr_date on)
{
    char s[256], a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ], d[FR_DATE_BUFSZ];
    printf(_("%s %s on %s: %s\n"), code, cli_code_word(fr_admission_class_name(cls)),
           fr_date_format(on, d), cli_code_word(fr_regime_name(r->regime)));
    if (r->stay.kind != FR_STAY_NONE)
        printf(_("  stay:       %s\n"), cli_stay_words(&r->stay, 1, s, sizeof s));
    printf(_("  documents:  %s\n"), docs_text(r->docs));
    if (r->min_validity_unit)
        printf(r->min_validity_unit == 'm'
                   ? ngettext("  validity:   at least %d month remaining on entry\n",
                              "  validity:   at least %d months remaining on entry\n",
                              (unsigned long)r->min_validity)
                   : ngettext("  validity:   at least %d day remaining on entry\n",
                              "  validity:   at least %d days remaining on entry\n",
                              (unsigned long)r->min_validity),
               (int)r->min_validity);
    printf(_("  in force:   %s..%s (both days inclusive)\n"), fr_date_format(r->from, a),
           r->to == FR_DATE_NONE ? "" : fr_date_format(r->to, b));
    printf(_("  why:        rule for %s on line %d%s\n"), r->who, r->line,
           r->rank == FR_RANK_DEFAULT ? _(" (the default for nationalities not listed)")
           : r->rank == FR_RANK_GROUP ? _(" (group rule)")
                                      : "");
    printf(_("  source:     %s\n"), cli_rule_ref(r));
    if (r->note[0]) printf(_("  note:       %s\n"), cli_rule_note(r));
}

static void print_rule_json(const fr_policy_rule *r, const char *code, fr_admission_class cls,
                            fr_date on)
{
    char s[FR_STAY_RULE_BUFSZ], a[FR_DATE_BUFSZ];
    printf("{\"nationality\":\"%s\",\"class\":\"%s\",\"on\":\"%s\",", code,
           fr_admission_class_name(cls), fr_date_format(on, a));
    if (!r) {
        printf("\"rule\":null}\n");
        return;
    }
    printf("\"regime\":\"%s\",\"stay\":", fr_regime_name(r->regime));
    if (r->stay.kind == FR_STAY_NONE)
        printf("null");
    else
        printf("\"%s\"", fr_stay_rule_format(&r->stay, s));
    printf(",\"documents\":[%s%s%s],", (r->docs & FR_DOC_PASSPORT) ? "\"passport\"" : "",
           r->docs == (FR_DOC_PASSPORT | FR_DOC_ID_CARD) ? "," : "",
           (r->docs & FR_DOC_ID_CARD) ? "\"id_card\"" : "");
    if (r->min_validity_unit)
        printf("\"min_validity\":\"%d%c\",", (int)r->min_validity, r->min_validity_unit);
    else
        printf("\"min_validity\":null,");
    printf("\"from\":\"%s\",", fr_date_format(r->from, a));
    if (r->to == FR_DATE_NONE)
        printf("\"to\":null,");
    else
        printf("\"to\":\"%s\",", fr_date_format(r->to, a));
    printf("\"who\":");
    cli_json_string(r->who);
    printf(",\"line\":%d,\"ref\":", r->line);
    cli_json_string(r->ref);
    printf(",\"ref_es\":");
    cli_json_string(r->ref_es);
    printf(",\"note\":");
    cli_json_string(r->note);
    printf(",\"note_es\":");
    cli_json_string(r->note_es);
    printf("}\n");
}

typedef struct popts {
    const char *policy, *nat, *on, *from, *to, *cls;
    int json;
} popts;

static int parse_opts(int argc, char **argv, popts *o)
{
    static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
                                         {"nationality", required_argument, NULL, 'n'},
                                         {"on", required_argument, NULL, 'o'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"class", required_argument, NULL, 'c'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    memset(o, 0, sizeof *o);
    o->cls = "visitor";
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:n:o:f:t:c:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            o->policy = optarg;
            break;
        case 'n':
            o->nat = optarg;
            break;
        case 'o':
            o->on = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 't':
            o->to = optarg;
            break;
        case 'c':
            o->cls = optarg;
            break;
        case 'j':
            o->json = 1;
            break;
        case 'h':
            usage();
            return FR_EXIT_OK;
        default:
            return cli_bad_option("policy", argc, argv);
        }
    }
    return -1;
}

static int date_opt(const char *name, const char *v, fr_date *d)
{
    fr_error err;
    if (!v) return cli_usage_error("policy", "--%s DATE is required", name);
    if (fr_date_parse_cstr(v, d, &err) != FR_OK)
        return cli_usage_error("policy", "--%s %s: %s", name, v, cli_error_text(&err));
    return -1;
}

static int do_check(const popts *o)
{
    fr_date on;
    int rc;
    if (!o->nat) return cli_usage_error("policy", "check needs --nationality CODE");
    if ((rc = date_opt("on", o->on, &on)) >= 0) return rc;
    int cls = fr_admission_class_parse(o->cls, strlen(o->cls));
    if (cls < 0)
        return cli_usage_error("policy", "unknown class '%s' (visitor, transit, crew, official)",
                               o->cls);
    int c = cli_country(o->nat, strlen(o->nat)); /* DEU -> D, XKX -> RKS */
    if (c < 0)
        return cli_usage_error("policy",
                               "'%s' is not an ICAO 9303 code (D for Germany), an ISO alpha-3 "
                               "code or a country name",
                               o->nat);
    int nerr;
    fr_policy *p = load_policy(o->policy, &nerr);
    if (!p) return nerr < 0 ? FR_EXIT_FAILURE : FR_EXIT_FINDING;
    const fr_policy_rule *r = fr_policy_lookup(p, c, (fr_admission_class)cls, on);
    if (o->json)
        print_rule_json(r, fr_country_code(c), (fr_admission_class)cls, on);
    else if (r)
        print_rule_human(r, fr_country_code(c), (fr_admission_class)cls, on);
    else
        printf(_("%s %s on %s: no rule applies (the policy has no default rule for that day)\n"),
               fr_country_code(c), o->cls, o->on);
    fr_policy_free(p);
    return r ? FR_EXIT_OK : FR_EXIT_FINDING;
}

static int do_lint(int argc, char **argv)
{
    if (optind >= argc) return cli_usage_error("policy", "lint needs at least one FILE");
    int bad = 0, unreadable = 0;
    for (int i = optind; i < argc; i++) {
        int nerr;
        fr_policy *p = load("policy", argv[i], &nerr);
        if (!p) {
            bad = 1;
            unreadable |= nerr < 0;
            if (nerr > 0)
                fprintf(stderr, ngettext("%s: %d error\n", "%s: %d errors\n", (unsigned long)nerr),
                        argv[i], nerr);
            continue;
        }
        printf(_("%s: ok (%zu rules, %zu groups%s%s)\n"), argv[i], fr_policy_rule_count(p),
               fr_policy_group_count(p), fr_policy_jurisdiction(p)[0] ? _(", jurisdiction ") : "",
               fr_policy_jurisdiction(p));
        fr_policy_free(p);
    }
    return unreadable ? FR_EXIT_FAILURE : bad ? FR_EXIT_FINDING : FR_EXIT_OK;
}

static void describe(const fr_policy_rule *r, char *buf, size_t n, int with_line)
{
    char s[FR_STAY_RULE_BUFSZ], l[48] = "";
    if (!r) {
        snprintf(buf, n, _("no rule"));
        return;
    }
    if (with_line) snprintf(l, sizeof l, _(" (line %d)"), r->line);
    if (r->stay.kind == FR_STAY_NONE)
        snprintf(buf, n, "%s%s", cli_code_word(fr_regime_name(r->regime)), l);
    else
        snprintf(buf, n, "%s %s%s", cli_code_word(fr_regime_name(r->regime)),
                 fr_stay_rule_format(&r->stay, s), l);
}

struct chg {
    fr_date d;
    int c;
    const fr_policy_rule *r0, *r1;
};

/* Rules that read the same (regime, stay, reference) are one transition. */
static int cmp_rule(const fr_policy_rule *a, const fr_policy_rule *b)
{
    if (!a || !b) return (a != NULL) - (b != NULL);
    if (a->regime != b->regime) return a->regime < b->regime ? -1 : 1;
    char x[FR_STAY_RULE_BUFSZ], y[FR_STAY_RULE_BUFSZ];
    int c = strcmp(fr_stay_rule_format(&a->stay, x), fr_stay_rule_format(&b->stay, y));
    return c ? c : strcmp(a->ref, b->ref);
}

static int cmp_chg(const void *a, const void *b)
{
    const struct chg *x = a, *y = b;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    int c = cmp_rule(x->r0, y->r0);
    if (!c) c = cmp_rule(x->r1, y->r1);
    return c ? c : strcmp(fr_country_code(x->c), fr_country_code(y->c));
}

static int do_changes(const popts *o)
{
    fr_date from, to;
    int rc;
    if ((rc = date_opt("from", o->from, &from)) >= 0) return rc;
    if ((rc = date_opt("to", o->to, &to)) >= 0) return rc;
    if (to < from) return cli_usage_error("policy", "--to is before --from");
    int cls = fr_admission_class_parse(o->cls, strlen(o->cls));
    if (cls < 0)
        return cli_usage_error("policy", "unknown class '%s' (visitor, transit, crew, official)",
                               o->cls);
    int nerr;
    fr_policy *p = load_policy(o->policy, &nerr);
    if (!p) return nerr < 0 ? FR_EXIT_FAILURE : FR_EXIT_FINDING;
    /* collect (date, country) pairs, then print in date order */
    size_t cap = 256, n = 0;
    struct chg *v = malloc(cap * sizeof *v);
    if (!v) goto oom;
    for (int c = 0; c < fr_country_count(); c++) {
        fr_date t = from;
        for (;;) {
            t = fr_policy_next_change(p, c, (fr_admission_class)cls, t);
            if (t == FR_DATE_NONE || t > to) break;
            if (n == cap) {
                void *nv = realloc(v, (cap *= 2) * sizeof *v);
                if (!nv) goto oom;
                v = nv;
            }
            v[n].d = t;
            v[n].c = c;
            n++;
        }
    }
    /* order by date, then by transition (rule before, rule after), then code,
     * so the same change for many nationalities prints as one paragraph */
    for (size_t i = 0; i < n; i++) {
        v[i].r0 = fr_policy_lookup(p, v[i].c, (fr_admission_class)cls, v[i].d - 1);
        v[i].r1 = fr_policy_lookup(p, v[i].c, (fr_admission_class)cls, v[i].d);
    }
    qsort(v, n, sizeof *v, cmp_chg);
    char a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ], was[96], now[96];
    printf(_("Changes for class %s after %s up to %s: %zu\n"), o->cls, fr_date_format(from, a),
           fr_date_format(to, b), n);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].d == v[i].d && !cmp_rule(v[j].r0, v[i].r0) &&
               !cmp_rule(v[j].r1, v[i].r1))
            j++;
        describe(v[i].r0, was, sizeof was, j - i == 1);
        describe(v[i].r1, now, sizeof now, j - i == 1);
        printf("\n%s: %s -> %s\n", fr_date_format(v[i].d, a), was, now);
        if (j - i == 1) {
            char name[256];
            printf(_("  for %s (%s)\n"), fr_country_code(v[i].c),
                   cli_country_name(v[i].c, name, sizeof name));
        } else {
            printf(_("  for %zu nationalities:"), j - i);
            for (size_t k = i; k < j; k++)
                printf("%s %s", (k - i) % 16 == 0 ? "\n   " : "", fr_country_code(v[k].c));
            printf("\n");
        }
        const fr_policy_rule *src = v[i].r1 ? v[i].r1 : v[i].r0;
        if (src) printf(_("  source: %s\n"), cli_rule_ref(src));
        i = j;
    }
    free(v);
    fr_policy_free(p);
    return FR_EXIT_OK;
oom:
    free(v);
    fr_policy_free(p);
    fprintf(stderr, _("frontera policy: out of memory\n"));
    return FR_EXIT_FAILURE;
}

static void utc_text(int64_t ms, char out[24])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The ledger's policy versions (policy_store.h), or one's text. */
static int do_history(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"show", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int json = 0, c;
    long long show = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'j') {
            json = 1;
        } else if (c == 's') {
            char *end;
            show = strtoll(optarg, &end, 10);
            if (*end || show <= 0)
                return cli_usage_error("policy", "--show needs a version number, not '%s'", optarg);
        } else if (c == 'h') {
            usage();
            return FR_EXIT_OK;
        } else {
            return cli_bad_option("policy", argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error("policy", "unexpected argument '%s'", argv[optind]);
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    if (cli_ledger_missing(db)) {
        fprintf(stderr, _("frontera policy: there is no ledger at %s\n"), db);
        return FR_EXIT_FAILURE;
    }
    fr__pstore *p = NULL;
    fr__pstore_version *v = NULL, one;
    size_t n = 0;
    fr_error err;
    fr_error_clear(&err);
    int ex = FR_EXIT_OK, rc = fr__pstore_open(db, &p, &err);
    if (rc == FR_OK && show) {
        rc = fr__pstore_get(p, show, &one, &err);
        if (rc == FR_ENOTFOUND) {
            fprintf(stderr, _("frontera policy: the ledger holds no policy version %lld\n"), show);
            ex = FR_EXIT_FINDING;
        } else if (rc == FR_OK) {
            fwrite(one.text, 1, one.len, stdout);
            fr_free(one.text);
        }
        if (rc == FR_ENOTFOUND) rc = FR_OK;
    } else if (rc == FR_OK) {
        rc = fr__pstore_list(p, &v, &n, &err);
    }
    if (rc != FR_OK) {
        cli_print_error("policy", db, &err);
        ex = FR_EXIT_FAILURE;
        goto done;
    }
    if (show) goto done;
    if (json) {
        putchar('[');
        for (size_t i = 0; i < n; i++) {
            char at[24];
            utc_text(v[i].at_ms, at);
            printf("%s{\"version\": %lld, \"at\": \"%s\", \"by\": ", i ? ", " : "",
                   (long long)v[i].version, at);
            cli_json_string(v[i].by);
            printf(", \"digest\": \"%s\", \"in_force\": %s}", v[i].digest,
                   i == 0 ? "true" : "false");
        }
        printf("]\n");
    } else if (n == 0) {
        printf(_("no policy version in the ledger yet: a server records its policy when it "
                 "starts\n"));
    } else {
        printf(_("version  added (UTC)           by                digest\n"));
        for (size_t i = 0; i < n; i++) {
            char at[24];
            utc_text(v[i].at_ms, at);
            printf("%7lld  %-20s  %-16s  %.16s%s\n", (long long)v[i].version, at, v[i].by,
                   v[i].digest, i == 0 ? _("  in force") : "");
        }
    }
done:
    fr_free(v);
    fr__pstore_close(p);
    return ex;
}

int cmd_policy(int argc, char **argv)
{
    if (argc < 2) return cli_usage_error("policy", "expected check, lint, changes or history");
    const char *verb = argv[1];
    if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
        usage();
        return FR_EXIT_OK;
    }
    if (strcmp(verb, "history") == 0) return do_history(argc - 1, argv + 1);
    popts o;
    int rc = parse_opts(argc - 1, argv + 1, &o);
    if (rc >= 0) return rc;
    optind += 1; /* positional arguments are relative to argv + 1 */
    if (strcmp(verb, "check") == 0) return do_check(&o);
    if (strcmp(verb, "lint") == 0) return do_lint(argc, argv);
    if (strcmp(verb, "changes") == 0) return do_changes(&o);
    return cli_usage_error("policy",
                           "unknown action '%s'; expected check, lint, changes or history", verb);
}
