/* SPDX-License-Identifier: MIT */
/* server_overstayers.c: GET /v1/overstayers: the list to act on, for an
 * enforcement supervisor. Who is in the country past the authorised stay on
 * as_of (default: today at the server), with the name and document of the
 * entry, the entry date and port and the days over; filters nationality,
 * port and min_days_over; format json (default) or csv with a chosen
 * separator (sep: comma, semicolon or tab, for the spreadsheet's locale).
 *
 * The list comes from the report index (fr_analytics_overstayers), brought
 * up to date with the ledger first; the names and documents from each
 * traveller's history. Every access is audited before the answer (what was
 * asked and how many people it named), since it names people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "country_words.h"
#include "server_internal.h"
#include "views.h"

#define OVERSTAYERS_MAX 10000 /* rows in one answer; limit= asks for fewer */

static const char *arg(srv_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

/* The workbook through a temporary file (libxlsxwriter 1.1 writes files only). */
static enum MHD_Result send_xlsx(srv_req *r, fr_date as_of, const fr_overstayer *rows,
                                 fr_history *const *hist, size_t n, int spanish)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    fr_error err;
    fr_error_clear(&err);
    snprintf(path, sizeof path, "%s/frontera-overstayers-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return fr__srv_problem(r, 500, "internal", "Internal error", NULL, NULL,
                               "no temporary file for the workbook");
    close(fd);
    enum MHD_Result ret;
    char *data = NULL;
    long size = -1;
    FILE *f = NULL;
    if (fr__overstayers_xlsx(path, as_of, rows, hist, n, spanish, &err) == FR_OK &&
        (f = fopen(path, "rb")) && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (data = fr_malloc((size_t)size)) &&
        fread(data, 1, (size_t)size, f) == (size_t)size)
        ret = fr__srv_send_text(r, 200,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                data, (size_t)size);
    else
        ret = fr__srv_problem(r, 500, "internal", "Internal error", NULL, NULL,
                              "the workbook could not be written");
    if (f) fclose(f);
    unlink(path); /* the file held personal data: never left behind */
    fr_free(data);
    return ret;
}

enum MHD_Result fr__srv_overstayers(srv_req *r)
{
    fr_server *s = r->srv;
    fr_error err;
    fr_error_clear(&err);
    static const char *const known[] = {
        "nationality", "port", "as_of", "min_days_over", "limit", "format", "sep", "lang", NULL};
    const char *unknown = fr__srv_unknown_arg(r, known);
    if (unknown) return fr__srv_unknown_arg_problem(r, unknown);
    fr_overstayer_query q = {FR_DATE_NONE, arg(r, "nationality"), arg(r, "port"), 0};
    const char *v;
    if (q.nationality) { /* a code (CHN, D or DEU) or a name in English or Spanish, as reports */
        int c = fr__country_any(q.nationality, strlen(q.nationality));
        if (c < 0)
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "nationality", NULL,
                                   "nationality must be an ICAO 9303 or ISO alpha-3 code, or a "
                                   "country's name in English or Spanish (CHN, D or DEU, China, "
                                   "Alemania)");
        q.nationality = fr_country_code(c);
    }
    if ((v = arg(r, "as_of"))) {
        if (fr_date_parse(v, strlen(v), &q.as_of, NULL) != FR_OK)
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "as_of", NULL,
                                   "as_of must be a date, YYYY-MM-DD");
    } else {
        time_t now = (time_t)(fr__srv_now_ms(s) / 1000);
        q.as_of = (fr_date)(now / 86400); /* the server's UTC day */
    }
    if ((v = arg(r, "min_days_over"))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 36500)
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "min_days_over", NULL,
                                   "min_days_over must be a whole number of days, 1 or more");
        q.min_days_over = (int32_t)n;
    }
    size_t limit = OVERSTAYERS_MAX;
    if ((v = arg(r, "limit"))) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > OVERSTAYERS_MAX)
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "limit", NULL,
                                   "limit must be 1 to %d", OVERSTAYERS_MAX);
        limit = (size_t)n;
    }
    const char *format = arg(r, "format");
    int csv = 0, xlsx = 0;
    if (format && strcmp(format, "csv") == 0)
        csv = 1;
    else if (format && strcmp(format, "xlsx") == 0)
        xlsx = 1;
    else if (format && strcmp(format, "json") != 0)
        return fr__srv_problem(r, 422, "invalid", "Invalid request", "format", NULL,
                               "format must be json, csv or xlsx");
    char sep = ',';
    if ((v = arg(r, "sep"))) {
        if (strcmp(v, "comma") == 0 || strcmp(v, ",") == 0)
            sep = ',';
        else if (strcmp(v, "semicolon") == 0 || strcmp(v, ";") == 0)
            sep = ';';
        else if (strcmp(v, "tab") == 0)
            sep = '\t';
        else
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "sep", NULL,
                                   "sep must be comma, semicolon or tab");
    }
    /* the workbook's headings are for a person: the page's language */
    int spanish = 0;
    if ((v = arg(r, "lang"))) {
        if (strcmp(v, "es") != 0 && strcmp(v, "en") != 0)
            return fr__srv_problem(r, 422, "invalid", "Invalid request", "lang", NULL,
                                   "lang must be en or es");
        spanish = strcmp(v, "es") == 0;
    }
    if (q.port && fr_event_check_port(q.port, &err) != FR_OK)
        return fr__srv_problem_with(r, 422, "invalid", "Invalid request", "port", NULL, &err);

    fr_overstayer *rows = NULL;
    size_t n = 0, total = 0;
    int rc = fr__srv_reports_overstayers(s, &q, limit, &rows, &n, &total, &err);
    if (rc != FR_OK) return fr__srv_problem_err(r, &err);
    enum MHD_Result ret = MHD_NO;
    srv_ctx *c = fr__srv_ctx_acquire(s, &err);
    fr_history **hist = fr_calloc(n ? n : 1, sizeof *hist);
    char *text = NULL;
    size_t len = 0, cap = 0;
    if (!c || !hist) {
        ret = c ? MHD_NO : fr__srv_problem_err(r, &err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        rc = fr_store_history(c->store, (int64_t)rows[i].traveller, &hist[i], &err);
        if (rc == FR_ENOTFOUND) rc = FR_OK; /* gone since (a purge): listed without a name */
        if (rc != FR_OK) {
            ret = fr__srv_problem_err(r, &err);
            goto done;
        }
    }
    /* audited before anything is sent: who asked for which list, how many were named */
    char b[FR_DATE_BUFSZ], object[FR_AUDIT_OBJECT_MAX + 1], detail[96];
    snprintf(object, sizeof object, "overstayers:as_of=%s nat=%.4s port=%.6s min=%d",
             fr_date_format(q.as_of, b), q.nationality ? q.nationality : "*", q.port ? q.port : "*",
             (int)q.min_days_over);
    snprintf(detail, sizeof detail, "%zu named of %zu", n, total);
    fr_audit_record rec;
    fr__srv_audit_record_for(r, &rec, "overstayers.read", object, 200, detail);
    if (fr__srv_audit_write(s, &rec, 1) != FR_OK) {
        ret = fr__srv_problem(r, 500, "audit", "Audit failed", NULL, NULL,
                              "the access could not be audited; the list is not given");
        goto done;
    }
    if (xlsx) {
        ret = send_xlsx(r, q.as_of, rows, hist, n, spanish);
        goto done;
    }
    if (csv) {
        rc = fr__csv_line_append(&text, &len, &cap, fr__overstayer_columns, FR_OVERSTAYER_NCOLS,
                                 sep);
        for (size_t i = 0; rc == FR_OK && i < n; i++) {
            char val[FR_OVERSTAYER_NCOLS][FR_OVERSTAYER_VALUE_MAX];
            const char *f[FR_OVERSTAYER_NCOLS];
            fr__overstayer_values(&rows[i], hist[i], val);
            for (size_t k = 0; k < FR_OVERSTAYER_NCOLS; k++)
                f[k] = val[k];
            rc = fr__csv_line_append(&text, &len, &cap, f, FR_OVERSTAYER_NCOLS, sep);
        }
        if (rc == FR_OK) ret = fr__srv_send_text(r, 200, "text/csv; charset=utf-8", text, len);
        goto done;
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(list, fr__overstayer_json(&rows[i], hist[i]));
    json_t *j = json_pack("{s:s, s:I, s:I, s:o}", "as_of", fr_date_format(q.as_of, b), "total",
                          (json_int_t)total, "count", (json_int_t)n, "rows", list);
    ret = j ? fr__srv_send_json(r, 200, j) : MHD_NO;
done:
    for (size_t i = 0; hist && i < n; i++)
        fr_history_free(hist[i]);
    fr_free(hist);
    fr_free(text);
    fr_free(rows);
    fr__srv_ctx_release(s, c);
    return ret;
}
