/* SPDX-License-Identifier: MIT */
/* series_csv.c: the plain monthly series CSV reader (series.h):
 * `period,nationality,metric,count`, columns found by name in the header.
 *
 * The text is read with the csv.h reader (limits, quoting, located errors).
 * Each data row is checked field by field; a bad row is recorded with its
 * line, its column (the 1-based field number in the row) and the field name,
 * and reading goes on, so one run reports every problem. The set is handed
 * back only when there were none (all or nothing). */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/csv.h"
#include "frontera/series.h"
#include "series_internal.h"

enum { COL_PERIOD, COL_NAT, COL_METRIC, COL_COUNT, NCOLS };
static const char *const col_names[NCOLS] = {"period", "nationality", "metric", "count"};

typedef struct parse_state {
    fr_error *errs;
    size_t max_errs, n_errs;
    int first_code;
} parse_state;

static void note(parse_state *ps, const fr_error *e)
{
    if (ps->n_errs < ps->max_errs) ps->errs[ps->n_errs] = *e;
    if (ps->n_errs == 0) ps->first_code = e->code;
    ps->n_errs++;
}

/* Where is each column? FR_EPARSE into e when one is missing. */
static int read_header(const fr_csv_row *row, int idx[NCOLS], fr_error *e)
{
    for (int c = 0; c < NCOLS; c++)
        idx[c] = -1;
    for (size_t i = 0; i < row->count; i++) {
        const fr_csv_field *f = &row->fields[i];
        const char *p = f->ptr;
        size_t len = f->len;
        if (i == 0 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, len -= 3; /* BOM */
        for (int c = 0; c < NCOLS; c++)
            if (len == strlen(col_names[c]) && memcmp(p, col_names[c], len) == 0 && idx[c] < 0)
                idx[c] = (int)i;
    }
    for (int c = 0; c < NCOLS; c++)
        if (idx[c] < 0)
            return fr_error_set(e, FR_EPARSE, (int)row->line, 1, col_names[c],
                                "the header has no '%s' column (expected period,nationality,"
                                "metric,count)",
                                col_names[c]);
    return FR_OK;
}

static int parse_count(const fr_csv_field *f, int64_t *out)
{
    if (f->len == 0 || f->len > 13) return 0;
    int64_t v = 0;
    for (size_t i = 0; i < f->len; i++) {
        if (f->ptr[i] < '0' || f->ptr[i] > '9') return 0;
        v = v * 10 + (f->ptr[i] - '0');
    }
    if (v > FR_SERIES_MAX_COUNT) return 0;
    *out = v;
    return 1;
}

/* Check one data row and add it; FR_OK or an error in e. */
static int take_row(fr_series *s, const fr_csv_row *row, const int idx[NCOLS], fr_error *e)
{
    int line = (int)row->line;
    for (int c = 0; c < NCOLS; c++)
        if ((size_t)idx[c] >= row->count)
            return fr_error_set(e, FR_EPARSE, line, (int)row->count + 1, col_names[c],
                                "the row has %zu fields; '%s' is field %d", row->count,
                                col_names[c], idx[c] + 1);
    const fr_csv_field *per = &row->fields[idx[COL_PERIOD]];
    const fr_csv_field *nat = &row->fields[idx[COL_NAT]];
    const fr_csv_field *met = &row->fields[idx[COL_METRIC]];
    const fr_csv_field *cnt = &row->fields[idx[COL_COUNT]];
    fr_month m;
    if (fr_month_parse(per->ptr, per->len, &m, e) != FR_OK) {
        e->line = line;
        e->column = idx[COL_PERIOD] + 1;
        return e->code;
    }
    int ci = nat->len ? fr_country_normalize(nat->ptr, nat->len) : -1; /* DEU -> D, XKX -> RKS */
    if (ci < 0)
        return fr_error_set(e, FR_EPARSE, line, idx[COL_NAT] + 1, "nationality",
                            "'%.*s' is not a nationality: an ICAO 9303 code (CHN, D, USA), an ISO "
                            "alpha-3 code (DEU) or an English name",
                            (int)(nat->len > 16 ? 16 : nat->len), nat->ptr);
    if (!fr__series_metric_ok(met->ptr, met->len))
        return fr_error_set(e, FR_EPARSE, line, idx[COL_METRIC] + 1, "metric",
                            "'%.*s' is not a metric: use 1 to %d characters among a-z, 0-9, _",
                            (int)(met->len > 24 ? 24 : met->len), met->ptr, FR_SERIES_METRIC_MAX);
    int64_t v;
    if (!parse_count(cnt, &v))
        return fr_error_set(e, FR_EPARSE, line, idx[COL_COUNT] + 1, "count",
                            "'%.*s' is not a count (a whole number from 0 to %lld)",
                            (int)(cnt->len > 24 ? 24 : cnt->len), cnt->ptr,
                            (long long)FR_SERIES_MAX_COUNT);
    int rc = fr_series_add(s, ci, met->ptr, m, v, e);
    if (rc != FR_OK) {
        e->line = line;
        e->column =
            idx[rc == FR_ELIMIT && strcmp(e->field, "period") == 0 ? COL_PERIOD : COL_COUNT] + 1;
    }
    return rc;
}

int fr_series_parse(const char *text, size_t len, fr_series **out, fr_error *errs, size_t max_errs,
                    size_t *n_errs)
{
    parse_state ps = {errs, errs ? max_errs : 0, 0, FR_OK};
    fr_series *s = NULL;
    fr_csv *csv = NULL;
    fr_error e;
    int rc;
    if (len > FR_SERIES_MAX_BYTES) {
        fr_error_set(&e, FR_ELIMIT, 0, 0, "", "a series file may be at most %u MB",
                     FR_SERIES_MAX_BYTES >> 20);
        note(&ps, &e);
        goto done;
    }
    fr_csv_limits lim = {.max_record = 4096, .max_fields = 64};
    if (fr_series_new(&s) != FR_OK || fr_csv_new_mem(text, len, &lim, &csv) != FR_OK) {
        fr_error_set(&e, FR_ENOMEM, 0, 0, "", "out of memory");
        note(&ps, &e);
        goto done;
    }
    int idx[NCOLS], have_header = 0;
    fr_csv_row row;
    while ((rc = fr_csv_next(csv, &row, &e)) != 0) {
        if (rc < 0) {
            note(&ps, &e);
            if (rc == FR_EIO || rc == FR_ENOMEM || !have_header) break;
            continue;
        }
        if (row.count == 1 && row.fields[0].len == 0) continue; /* blank line */
        if (!have_header) {
            if (read_header(&row, idx, &e) != FR_OK) {
                note(&ps, &e);
                break;
            }
            have_header = 1;
            continue;
        }
        if (take_row(s, &row, idx, &e) != FR_OK) {
            note(&ps, &e);
            if (e.code == FR_ENOMEM) break;
        }
    }
done:
    fr_csv_free(csv);
    if (n_errs) *n_errs = ps.n_errs;
    if (ps.n_errs) {
        fr_series_free(s);
        return ps.first_code;
    }
    *out = s;
    return FR_OK;
}
