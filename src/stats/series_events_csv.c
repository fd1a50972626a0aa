/* SPDX-License-Identifier: MIT */
/* series_events_csv.c: read events straight from a ledger CSV (frontera
 * export / frontera synth output), so alerts and what-ifs can run on a
 * synthetic or exported ledger without importing it into a database.
 *
 * Only the columns the reports need are read (found by name in the header):
 * each row of kind entry, exit or encounter becomes a partly filled fr_event
 * (kind, date, document state and number, nationality, admission class,
 * authorised-until) handed to the caller's function, the same callback
 * shape as fr_store_export, so both sources feed the same code. */
#include <string.h>

#include "frontera/csv.h"
#include "frontera/date.h"
#include "frontera/series.h"

enum { C_KIND, C_AT, C_STATE, C_NUMBER, C_NAT, C_CLASS, C_UNTIL, NC };
static const char *const names[NC] = {"kind",
                                      "at",
                                      "document_state",
                                      "document_number",
                                      "nationality",
                                      "admission_class",
                                      "authorised_until"};
static const int required[NC] = {1, 1, 1, 1, 1, 0, 0};

/* Copy a field into a fixed buffer; 0 when it does not fit. */
static int copy(char *dst, size_t cap, const fr_csv_field *f)
{
    if (f->len >= cap) return 0;
    memcpy(dst, f->ptr, f->len);
    dst[f->len] = 0;
    return 1;
}

/* A bad field: column c (enum) sits at position idx[c] in the row. */
static int bad(fr_error *err, const fr_csv_row *row, const int *idx, int c, const char *what,
               const fr_csv_field *f)
{
    return fr_error_set(err, FR_EPARSE, (int)row->line, idx[c] + 1, names[c], "'%.*s' %s",
                        (int)(f->len > 32 ? 32 : f->len), f->ptr, what);
}

int fr_series_csv_events(struct fr_csv *csv, fr_date to, fr_series_event_fn fn, void *ud,
                         uint64_t *rows, fr_error *err)
{
    fr_csv_row row;
    int idx[NC], rc;
    uint64_t n = 0;
    if (rows) *rows = 0;
    rc = fr_csv_next(csv, &row, err);
    if (rc <= 0) return rc < 0 ? rc : FR_OK;
    for (int c = 0; c < NC; c++) {
        idx[c] = -1;
        for (size_t i = 0; i < row.count; i++)
            if (row.fields[i].len == strlen(names[c]) &&
                memcmp(row.fields[i].ptr, names[c], row.fields[i].len) == 0)
                idx[c] = (int)i;
        if (idx[c] < 0 && required[c])
            return fr_error_set(err, FR_EPARSE, (int)row.line, 1, names[c],
                                "the ledger CSV header has no '%s' column", names[c]);
    }
    while ((rc = fr_csv_next(csv, &row, err)) > 0) {
        if (row.count == 1 && row.fields[0].len == 0) continue;
        n++;
        for (int c = 0; c < NC; c++)
            if (idx[c] >= 0 && (size_t)idx[c] >= row.count)
                return fr_error_set(err, FR_EPARSE, (int)row.line, (int)row.count + 1, names[c],
                                    "the row has only %zu fields", row.count);
        const fr_csv_field *f = &row.fields[idx[C_KIND]];
        fr_event ev;
        fr_event_init(&ev);
        ev.kind = fr_event_kind_parse(f->ptr, f->len);
        if (ev.kind != FR_EVENT_ENTRY && ev.kind != FR_EVENT_EXIT && ev.kind != FR_EVENT_ENCOUNTER)
            continue;
        fr_error e2;
        f = &row.fields[idx[C_AT]];
        if (f->len < 10 || fr_date_parse(f->ptr, 10, &ev.at.date, &e2) != FR_OK)
            return bad(err, &row, idx, C_AT, "does not start with a date YYYY-MM-DD", f);
        if (to != FR_DATE_NONE && ev.at.date > to) continue;
        if (idx[C_UNTIL] >= 0 && row.fields[idx[C_UNTIL]].len) {
            f = &row.fields[idx[C_UNTIL]];
            if (fr_date_parse(f->ptr, f->len, &ev.authorised_until, &e2) != FR_OK)
                return bad(err, &row, idx, C_UNTIL, "is not a date YYYY-MM-DD", f);
        }
        if (!copy(ev.doc.state, sizeof ev.doc.state, &row.fields[idx[C_STATE]]))
            return bad(err, &row, idx, C_STATE, "is not an issuing state code",
                       &row.fields[idx[C_STATE]]);
        if (!copy(ev.doc.number, sizeof ev.doc.number, &row.fields[idx[C_NUMBER]]))
            return bad(err, &row, idx, C_NUMBER, "is too long for a document number",
                       &row.fields[idx[C_NUMBER]]);
        if (!copy(ev.doc.nationality, sizeof ev.doc.nationality, &row.fields[idx[C_NAT]]))
            ev.doc.nationality[0] = 0; /* not a code: the event is skipped by the consumers */
        if (idx[C_CLASS] >= 0 &&
            !copy(ev.admission_class, sizeof ev.admission_class, &row.fields[idx[C_CLASS]]))
            return bad(err, &row, idx, C_CLASS, "is too long for an admission class",
                       &row.fields[idx[C_CLASS]]);
        rc = fn(ud, &ev);
        if (rc != FR_OK) {
            if (rc == FR_ELIMIT)
                return fr_error_set(err, rc, (int)row.line, idx[C_AT] + 1, "at",
                                    "the events span more than %d months", FR_SERIES_MAX_SPAN);
            return fr_error_set(err, rc, (int)row.line, 0, "", "%s", fr_strerror(rc));
        }
    }
    if (rows) *rows = n;
    return rc < 0 ? rc : FR_OK;
}

static int add_event(void *ud, const fr_event *ev)
{
    return fr_series_builder_add(ud, ev);
}

int fr_series_builder_add_csv(fr_series_builder *b, struct fr_csv *csv, fr_date to, uint64_t *rows,
                              fr_error *err)
{
    return fr_series_csv_events(csv, to, add_event, b, rows, err);
}
