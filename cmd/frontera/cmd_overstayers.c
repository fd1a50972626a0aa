/* SPDX-License-Identifier: MIT */
/* cmd_overstayers.c: `frontera overstayers`: the list to act on, who is in
 * the country past the authorised stay on a date, with name, document, entry
 * date and port and days over (fr_analytics_overstayers over the ledger's
 * analytics index, names from each traveller's history). CSV (separator
 * choosable, for the spreadsheet's locale) or JSON; the same rows and
 * columns as GET /v1/overstayers (views.h). Every run is audited, as the
 * server audits the route: the list names people. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "frontera/country.h"
#include "commands.h"
#include "frontera/alloc.h"
#include "frontera/audit.h"
#include "frontera/store.h"
#include "i18n.h"
#include "report_common.h"
#include "views.h"

static const char USAGE[] =
    N_("Usage: frontera [--db PATH] overstayers --as-of DATE [OPTION]...\n"
       "List the travellers in the country past their authorised stay on DATE: name,\n"
       "document, entry date and port, authorised-until date and days over, most days over\n"
       "first. Every run is written to the audit log.\n\n"
       "  --as-of DATE           the day of the list (YYYY-MM-DD)\n"
       "  --nationality CODE     only this nationality (ICAO code, or a country's name)\n"
       "  --port LOCODE          only those who entered at this port\n"
       "  --min-days-over N      only those at least N days over\n"
       "  --limit N              at most N rows (default 10000)\n"
       "  --format csv|json|xlsx CSV (default), JSON, or a spreadsheet (needs --out)\n"
       "  --out FILE             write to FILE instead of standard output\n"
       "  --sep comma|semicolon|tab   the CSV separator (default comma)\n\n"
       "Exit status: 0 ok, 2 usage error, 3 failure.\n");

int cmd_overstayers(int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'}, {"nationality", required_argument, NULL, 'n'},
        {"port", required_argument, NULL, 'p'},  {"min-days-over", required_argument, NULL, 'm'},
        {"limit", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
        {"sep", required_argument, NULL, 's'},   {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},        {0, 0, 0, 0}};
    const char *sub = "overstayers";
    fr_overstayer_query q = {FR_DATE_NONE, NULL, NULL, 0};
    size_t limit = 10000;
    int json = 0, xlsx = 0, c;
    const char *out_path = NULL;
    char sep = ',', *end;
    fr_error err;
    fr_error_clear(&err);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (fr_date_parse_cstr(optarg, &q.as_of, &err) != FR_OK)
                return cli_usage_error(sub, "--as-of: '%s' is not a date (YYYY-MM-DD): %s", optarg,
                                       cli_error_text(&err));
            break;
        case 'n': { /* a code, an ISO alpha-3 code or a name (English or Spanish) */
            int ci = cli_country(optarg, strlen(optarg));
            if (ci < 0)
                return cli_usage_error(sub,
                                       "--nationality: '%s' is not an ICAO 9303 code (D for "
                                       "Germany), an ISO alpha-3 code or a country name",
                                       optarg);
            q.nationality = fr_country_code(ci);
            break;
        }
        case 'p':
            q.port = optarg;
            break;
        case 'm':
            q.min_days_over = (int32_t)strtol(optarg, &end, 10);
            if (*end || q.min_days_over < 1 || q.min_days_over > 36500)
                return cli_usage_error(sub, "--min-days-over needs 1..36500, not '%s'", optarg);
            break;
        case 'l':
            limit = (size_t)strtoul(optarg, &end, 10);
            if (*end || limit < 1 || limit > 10000000)
                return cli_usage_error(sub, "--limit needs 1..10000000, not '%s'", optarg);
            break;
        case 'f':
            json = strcmp(optarg, "json") == 0;
            xlsx = strcmp(optarg, "xlsx") == 0;
            if (!json && !xlsx && strcmp(optarg, "csv") != 0)
                return cli_usage_error(sub, "--format is csv, json or xlsx, not '%s'", optarg);
            break;
        case 's':
            if (strcmp(optarg, "comma") == 0)
                sep = ',';
            else if (strcmp(optarg, "semicolon") == 0)
                sep = ';';
            else if (strcmp(optarg, "tab") == 0)
                sep = '\t';
            else
                return cli_usage_error(sub, "--sep is comma, semicolon or tab, not '%s'", optarg);
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'h':
            fputs(_(USAGE), stdout);
            return FR_EXIT_OK;
        default:
            return cli_bad_option(sub, argc, argv);
        }
    }
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (q.as_of == FR_DATE_NONE) return cli_usage_error(sub, "--as-of DATE is required");
    if (xlsx && !out_path) return cli_usage_error(sub, "--format xlsx needs --out FILE");
    if (q.port && fr_event_check_port(q.port, &err) != FR_OK)
        return cli_usage_error(sub, "--port: %s", cli_error_text(&err));

    report_opts o;
    report_opts_init(&o);
    int rc = FR_EXIT_FAILURE;
    fr_analytics *a = report_load(sub, &o, 0);
    fr_store *store = NULL;
    fr_overstayer *rows = NULL;
    fr_history **hist = NULL;
    char *text = NULL;
    size_t n = 0, total = 0, len = 0, cap = 0;
    if (!a) return FR_EXIT_FAILURE;
    if (fr_analytics_overstayers(a, &q, limit, &rows, &n, &total, &err) != FR_OK) {
        cli_print_error(sub, NULL, &err);
        rc = err.code == FR_EINVAL ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
        goto done;
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    if (fr_store_open(db, 0, &store, &err) != FR_OK) {
        cli_print_error(sub, db, &err);
        goto done;
    }
    if (!(hist = fr_calloc(n ? n : 1, sizeof *hist))) goto done;
    for (size_t i = 0; i < n; i++) {
        int hrc = fr_store_history(store, (int64_t)rows[i].traveller, &hist[i], &err);
        if (hrc != FR_OK && hrc != FR_ENOTFOUND) {
            cli_print_error(sub, db, &err);
            goto done;
        }
    }
    char b[FR_DATE_BUFSZ], object[FR_AUDIT_OBJECT_MAX + 1], detail[96];
    snprintf(object, sizeof object, "overstayers:as_of=%s nat=%.4s port=%.6s min=%d",
             fr_date_format(q.as_of, b), q.nationality ? q.nationality : "*", q.port ? q.port : "*",
             (int)q.min_days_over);
    snprintf(detail, sizeof detail, _("%zu named of %zu"), n, total);
    if (cli_audit(sub, db, "overstayers.read", object, "cli", detail) != FR_OK) goto done;
    FILE *out = stdout;
    if (xlsx) {
        if (fr__overstayers_xlsx(out_path, q.as_of, rows, hist, n, !cli_english(), &err) != FR_OK) {
            cli_print_error(sub, out_path, &err);
            goto done;
        }
    } else if (out_path && !(out = fopen(out_path, "wb"))) {
        fprintf(stderr, _("frontera: cannot open %s: %s\n"), out_path, strerror(errno));
        goto done;
    } else if (json) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < n; i++)
            json_array_append_new(list, fr__overstayer_json(&rows[i], hist[i]));
        json_t *j = json_pack("{s:s, s:I, s:I, s:o}", "as_of", fr_date_format(q.as_of, b), "total",
                              (json_int_t)total, "count", (json_int_t)n, "rows", list);
        char *s = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
        json_decref(j);
        if (!s) goto done;
        fprintf(out, "%s\n", s);
        free(s);
    } else {
        if (fr__csv_line_append(&text, &len, &cap, fr__overstayer_columns, FR_OVERSTAYER_NCOLS,
                                sep) != FR_OK)
            goto done;
        for (size_t i = 0; i < n; i++) {
            char val[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX];
            const char *f[FR_OVERSTAYER_NCOLS];
            fr__overstayer_values(&rows[i], hist[i], val);
            for (size_t k = 0; k < FR_OVERSTAYER_NCOLS; k++)
                f[k] = val[k];
            if (fr__csv_line_append(&text, &len, &cap, f, FR_OVERSTAYER_NCOLS, sep) != FR_OK)
                goto done;
        }
        fwrite(text, 1, len, out);
    }
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, _("frontera: error writing %s: %s\n"), out_path, strerror(errno));
        goto done;
    }
    if (total > n)
        fprintf(stderr, _("frontera overstayers: %zu of %zu shown (--limit)\n"), n, total);
    rc = FR_EXIT_OK;
done:
    for (size_t i = 0; hist && i < n; i++)
        fr_history_free(hist[i]);
    fr_free(hist);
    fr_free(text);
    fr_free(rows);
    fr_store_close(store);
    fr_analytics_free(a);
    return rc;
}
