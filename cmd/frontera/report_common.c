/* SPDX-License-Identifier: MIT */
/* report_common.c: options, index loading, event reading and table output
 * shared by the `frontera report KIND` subcommands (report_common.h). Text output pads
 * every column to its widest cell (keys left-aligned, numbers right-aligned)
 * and ends with a total line; CSV has a header row; JSON is one array of row
 * objects whose keys are the grouping keys and the column keys. */
#include "report_common.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/series.h"
#include "frontera/snapshot.h"
#include "frontera/store.h"
#include "i18n.h"

void report_opts_init(report_opts *o)
{
    memset(o, 0, sizeof *o);
    fr_report_query_init(&o->q);
    o->format = REPORT_TEXT;
}

static int parse_list(report_opts *o, const char *sub, const char *arg, int by)
{
    const char *p = arg;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (by) {
            fr_report_key k = fr_report_key_parse(p, n);
            if (!k)
                return cli_usage_error(sub,
                                       "--by: '%.*s' is not nationality, port, class, year, "
                                       "month, week, day or embarkation",
                                       (int)n, p);
            if (o->q.nkeys >= FR_REPORT_MAX_KEYS)
                return cli_usage_error(sub, "--by: at most %d keys", FR_REPORT_MAX_KEYS);
            o->q.keys[o->q.nkeys++] = k;
        } else {
            int c =
                cli_country(p, n); /* ICAO, ISO alpha-3 (DEU -> D), an English or Spanish name */
            if (c < 0)
                return cli_usage_error(sub,
                                       "--nationality: '%.*s' is not an ICAO 9303 code (D for "
                                       "Germany), an ISO alpha-3 code or a country name",
                                       (int)n, p);
            if (o->q.nnationalities >= 64)
                return cli_usage_error(sub, "--nationality: at most 64 codes");
            o->nationalities[o->q.nnationalities++] = c;
            o->q.nationalities = o->nationalities;
        }
        if (!e) return 0;
        p = e + 1;
    }
}

int report_option(report_opts *o, const char *sub, int c, const char *arg)
{
    fr_error err;
    switch (c) {
    case REPORT_OPT_FROM:
    case REPORT_OPT_TO:
    case REPORT_OPT_AS_OF: {
        fr_date *d = c == REPORT_OPT_FROM ? &o->q.from
                     : c == REPORT_OPT_TO ? &o->q.to
                                          : &o->q.as_of;
        const char *name = c == REPORT_OPT_FROM ? "--from"
                           : c == REPORT_OPT_TO ? "--to"
                                                : "--as-of";
        if (fr_date_parse_cstr(arg, d, &err) == FR_OK) return 0;
        /* A month, as the server's from/to and report alerts take it: its
         * first day for --from, its last for --to and --as-of. */
        fr_month m;
        fr_error merr;
        if (strlen(arg) == 7 && fr_month_parse(arg, 7, &m, &merr) == FR_OK) {
            *d = c == REPORT_OPT_FROM ? fr_month_first_day(m) : fr_month_first_day(m + 1) - 1;
            return 0;
        }
        /* seven characters: a month was meant, and its error says what is wrong */
        return cli_usage_error(sub, "%s: '%s' is not a date YYYY-MM-DD or a month YYYY-MM: %s",
                               name, arg, cli_error_text(strlen(arg) == 7 ? &merr : &err));
    }
    case REPORT_OPT_BY:
        return parse_list(o, sub, arg, 1);
    case REPORT_OPT_NATIONALITY:
        return parse_list(o, sub, arg, 0);
    case REPORT_OPT_PORT:
        for (const char *p = arg;;) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n == 0 || n > 5)
                return cli_usage_error(sub, "--port: '%.*s' is not a UN/LOCODE (such as ECUIO)",
                                       (int)n, p);
            if (o->q.nports >= 64) return cli_usage_error(sub, "--port: at most 64 ports");
            memcpy(o->port_codes[o->q.nports], p, n);
            o->port_codes[o->q.nports][n] = '\0';
            o->ports[o->q.nports] = o->port_codes[o->q.nports];
            o->q.nports++;
            o->q.ports = o->ports;
            if (!e) return 0;
            p = e + 1;
        }
    case REPORT_OPT_FORMAT:
        if (strcmp(arg, "text") == 0)
            o->format = REPORT_TEXT;
        else if (strcmp(arg, "csv") == 0)
            o->format = REPORT_CSV;
        else if (strcmp(arg, "json") == 0)
            o->format = REPORT_JSON;
        else
            return cli_usage_error(sub, "--format must be text, csv or json, not '%s'", arg);
        return 0;
    case REPORT_OPT_PERSONS:
        o->q.persons = 1;
        return 0;
    case REPORT_OPT_CSV_INPUT:
        o->csv_input = arg;
        return 0;
    default:
        return -1;
    }
}

static int read_file(void *ud, char *buf, size_t cap, size_t *got)
{
    FILE *f = ud;
    *got = fread(buf, 1, cap, f);
    return *got == 0 && ferror(f) ? FR_EIO : FR_OK;
}

fr_analytics *report_load(const char *sub, const report_opts *o, unsigned snap_flags)
{
    fr_analytics *a = NULL;
    fr_error err = {0};
    if (fr_analytics_new(&a) != FR_OK) {
        fprintf(stderr, _("frontera %s: out of memory\n"), sub);
        return NULL;
    }
    if (o->csv_input) {
        FILE *f = strcmp(o->csv_input, "-") == 0 ? stdin : fopen(o->csv_input, "rb");
        fr_csv *csv = NULL;
        if (!f) {
            fprintf(stderr, _("frontera %s: cannot open %s: %s\n"), sub, o->csv_input,
                    strerror(errno));
            goto fail;
        }
        int rc = fr_csv_new(read_file, f, NULL, &csv);
        if (rc == FR_OK)
            rc = fr_analytics_load_csv(a, csv, &err);
        else
            fr_error_set(&err, rc, 0, 0, "", _("cannot read the CSV"));
        fr_csv_free(csv);
        if (f != stdin) fclose(f);
        if (rc != FR_OK) {
            cli_print_error(sub, o->csv_input, &err);
            goto fail;
        }
        return a;
    }
    fr_analytics_free(a);
    return report_load_ledger(sub, snap_flags);
fail:
    fr_analytics_free(a);
    return NULL;
}

fr_analytics *report_load_ledger(const char *sub, unsigned snap_flags)
{
    fr_error err;
    fr_analytics *a = NULL;
    const char *db = getenv("FRONTERA_DB");
    if (!db || !db[0]) db = "frontera.db";
    const char *snap = getenv("FRONTERA_SNAPSHOT");
    if (snap && !snap[0]) snap = NULL;
    fr_store *s = NULL;
    fr_snapshot_info info;
    memset(&info, 0, sizeof info);
    if (fr_store_open(db, 0, &s, &err) != FR_OK ||
        (snap ? fr_snapshot_open(snap, s, snap_flags, &a, &info, &err)
              : fr_snapshot_load(db, s, snap_flags, &a, &info, &err)) != FR_OK) {
        cli_print_error(sub, db, &err);
        fr_store_close(s);
        return NULL;
    }
    fr_store_close(s);
    /* a central store's index is built anew by every report unless kept */
    if (!snap && fr_store_is_pg(db)) {
        fr_analytics_stats st;
        fr_analytics_stats_get(a, &st);
        if (st.events >= 100000)
            fprintf(stderr,
                    _("frontera %s: built the analytics index from the central store (%zu "
                      "events); --snapshot FILE keeps it for the next report\n"),
                    sub, st.events);
    }
    /* say why a report took long: the snapshot was rebuilt (not on a first run) */
    if (info.how == FR_SNAPSHOT_REBUILT && info.why.code && info.why.code != FR_ENOTFOUND)
        fprintf(stderr, _("frontera %s: rebuilt the analytics snapshot: %s\n"), sub,
                cli_error_text(&info.why));
    if (info.save_why.code && info.save_why.code != FR_EBUSY) /* EBUSY: another process */
        fprintf(stderr, _("frontera %s: the analytics snapshot was not saved: %s\n"), sub,
                cli_error_text(&info.save_why));
    return a;
}

int report_run(const char *sub, const report_opts *o, int argc, char **argv, report_query_fn query,
               fr_report **out)
{
    if (optind < argc) return cli_usage_error(sub, "unexpected argument '%s'", argv[optind]);
    if (o->q.from != FR_DATE_NONE && o->q.to != FR_DATE_NONE && o->q.to < o->q.from) {
        char f[FR_DATE_BUFSZ], t[FR_DATE_BUFSZ];
        return cli_usage_error(sub, "--from %s is after --to %s: the period would be empty",
                               fr_date_format(o->q.from, f), fr_date_format(o->q.to, t));
    }
    /* a report reads only its columns of the snapshot, and checks them then */
    fr_analytics *a = report_load(sub, o, FR_SNAPSHOT_LAZY);
    if (!a) return FR_EXIT_FAILURE;
    fr_error err = {0};
    int rc = query(a, &o->q, out, &err);
    if (rc == FR_EPARSE && !o->csv_input) {
        /* one of those columns failed its check: opened whole, the snapshot
         * is found damaged and rebuilt (the reason is said) */
        fr_analytics_free(a);
        if (!(a = report_load(sub, o, 0))) return FR_EXIT_FAILURE;
        fr_error_clear(&err);
        rc = query(a, &o->q, out, &err);
    }
    fr_analytics_free(a);
    if (rc != FR_OK) {
        cli_print_error(sub, NULL, &err);
        return rc == FR_EINVAL || rc == FR_ELIMIT ? FR_EXIT_USAGE : FR_EXIT_FAILURE;
    }
    return FR_EXIT_OK;
}

int report_events(const char *sub, const char *events, fr_date from, fr_date to,
                  fr_store_event_fn fn, void *ud)
{
    fr_error err;
    if (events) {
        FILE *f = strcmp(events, "-") ? fopen(events, "rb") : stdin;
        if (!f) {
            fprintf(stderr, _("frontera %s: cannot open %s\n"), sub, events);
            return FR_EXIT_FAILURE;
        }
        fr_csv *csv = NULL;
        int r = fr_csv_new(read_file, f, NULL, &csv);
        if (r == FR_OK)
            r = fr_series_csv_events(csv, to, fn, ud, NULL, &err);
        else
            fr_error_set(&err, r, 0, 0, "", _("out of memory"));
        fr_csv_free(csv);
        if (f != stdin) fclose(f);
        if (r != FR_OK) {
            cli_print_error(sub, events, &err);
            return FR_EXIT_FAILURE;
        }
        return FR_EXIT_OK;
    }
    const char *db = getenv("FRONTERA_DB");
    if (!db || !*db) db = "frontera.db";
    fr_store *s = NULL;
    if (fr_store_open(db, 0, &s, &err) != FR_OK) {
        cli_print_error(sub, db, &err);
        return FR_EXIT_FAILURE;
    }
    int r = fr_store_export_stats(s, from, to, fn, ud, &err);
    fr_store_close(s);
    if (r != FR_OK) {
        if (r == FR_ENOMEM)
            fprintf(stderr, _("frontera %s: out of memory\n"), sub);
        else
            cli_print_error(sub, db, &err);
        return FR_EXIT_FAILURE;
    }
    return FR_EXIT_OK;
}

/* The text of cell (row, col): key labels first, then columns. */
static void cell_text(const fr_report *r, const fr_report_row *row, const report_column *cols,
                      size_t j, int total, report_format fmt, char *buf, size_t cap)
{
    if (j < r->nkeys) {
        snprintf(buf, cap, "%s", total ? (j == 0 ? _("TOTAL") : "") : r->labels[j][row->key[j]]);
        return;
    }
    const report_column *c = &cols[j - r->nkeys];
    if (c->rate) {
        double v = c->rate(row);
        if (fmt == REPORT_TEXT)
            snprintf(buf, cap, "%.1f%%", v * 100.0);
        else
            snprintf(buf, cap, "%.6f", v);
    } else {
        long long v = (long long)row->v[c->value];
        if (c->minus >= 0) v -= (long long)row->v[c->minus];
        snprintf(buf, cap, "%lld", v);
    }
}

/* The text table's heading of a grouping key, in the user's language (the
 * CSV and JSON keep fr_report_key_name). */
static const char *key_title(fr_report_key k)
{
    switch (k) {
    case FR_KEY_NATIONALITY:
        return _("nationality");
    case FR_KEY_PORT:
        return _("port");
    case FR_KEY_CLASS:
        return _("class");
    case FR_KEY_YEAR:
        return _("year");
    case FR_KEY_MONTH:
        return _("month");
    case FR_KEY_WEEK:
        return _("week");
    case FR_KEY_DAY:
        return _("day");
    case FR_KEY_EMBARKATION:
        return _("embarkation");
    }
    return fr_report_key_name(k);
}

/* Columns on screen: characters, not bytes ("días" is 4 wide, 5 bytes). */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_cell(FILE *out, const char *s, size_t w, int left, int last)
{
    size_t n = text_width(s), pad = n < w ? w - n : 0;
    if (!left) fprintf(out, "%*s", (int)pad, "");
    fputs(s, out);
    if (left) fprintf(out, "%*s", (int)pad, "");
    fputs(last ? "\n" : "  ", out);
}

static void print_text(FILE *out, const fr_report *r, const report_column *cols, size_t ncols)
{
    size_t nc = r->nkeys + ncols, w[FR_REPORT_MAX_KEYS + 16] = {0};
    char buf[64];
    if (nc > sizeof w / sizeof w[0]) nc = sizeof w / sizeof w[0];
    for (size_t j = 0; j < nc; j++) {
        const char *t = j < r->nkeys ? key_title(r->keys[j]) : _(cols[j - r->nkeys].title);
        w[j] = text_width(t);
        if (j == 0 && w[j] < text_width(_("TOTAL"))) w[j] = text_width(_("TOTAL"));
    }
    for (size_t i = 0; i <= r->nrows; i++) {
        const fr_report_row *row = i < r->nrows ? &r->rows[i] : &r->total;
        for (size_t j = 0; j < nc; j++) {
            cell_text(r, row, cols, j, i == r->nrows, REPORT_TEXT, buf, sizeof buf);
            if (text_width(buf) > w[j]) w[j] = text_width(buf);
        }
    }
    for (size_t j = 0; j < nc; j++) {
        const char *t = j < r->nkeys ? key_title(r->keys[j]) : _(cols[j - r->nkeys].title);
        print_cell(out, t, w[j], j < r->nkeys, j + 1 == nc);
    }
    /* without keys the one line is the total, zeros included */
    for (size_t i = r->nkeys == 0 ? r->nrows : 0; i <= r->nrows; i++) {
        const fr_report_row *row = i < r->nrows ? &r->rows[i] : &r->total;
        for (size_t j = 0; j < nc; j++) {
            cell_text(r, row, cols, j, i == r->nrows, REPORT_TEXT, buf, sizeof buf);
            print_cell(out, buf, w[j], j < r->nkeys, j + 1 == nc);
        }
    }
}

void report_print(FILE *out, const fr_report *r, const report_column *cols, size_t ncols,
                  report_format format)
{
    char buf[64];
    size_t nc = r->nkeys + ncols;
    if (format == REPORT_TEXT) {
        if (r->nkeys == 0 || r->nrows > 0)
            print_text(out, r, cols, ncols);
        else
            fprintf(out, _("(no events match)\n"));
        return;
    }
    if (format == REPORT_CSV) {
        for (size_t j = 0; j < nc; j++)
            fprintf(out, "%s%s",
                    j < r->nkeys ? fr_report_key_name(r->keys[j]) : cols[j - r->nkeys].key,
                    j + 1 < nc ? "," : "\n");
    } else {
        fputc('[', out);
    }
    /* with no keys the total is the one row, even when it is all zeros */
    size_t n = r->nkeys == 0 ? 1 : r->nrows;
    for (size_t i = 0; i < n; i++) {
        const fr_report_row *row = r->nkeys == 0 ? &r->total : &r->rows[i];
        if (format == REPORT_JSON) fprintf(out, "%s{", i ? ",\n " : "");
        for (size_t j = 0; j < nc; j++) {
            cell_text(r, row, cols, j, 0, format, buf, sizeof buf);
            if (format == REPORT_CSV) {
                char q[2 * sizeof buf + 3];
                size_t len = fr_csv_quote(buf, strlen(buf), q, sizeof q);
                fprintf(out, "%.*s%s", (int)(len < sizeof q ? len : 0), q, j + 1 < nc ? "," : "\n");
            } else if (j < r->nkeys) {
                fprintf(out, "\"%s\": \"", fr_report_key_name(r->keys[j]));
                for (const char *p = buf; *p; p++) {
                    if (*p == '"' || *p == '\\')
                        fprintf(out, "\\%c", *p);
                    else if ((unsigned char)*p < 0x20)
                        fprintf(out, "\\u%04x", (unsigned)*p);
                    else
                        fputc(*p, out);
                }
                fprintf(out, "\"%s", j + 1 < nc ? ", " : "}");
            } else {
                fprintf(out, "\"%s\": %s%s", cols[j - r->nkeys].key, buf, j + 1 < nc ? ", " : "}");
            }
        }
    }
    if (format == REPORT_JSON) fprintf(out, "]\n");
}
