/* SPDX-License-Identifier: MIT */
/* analytics_load.c: filling the analytics index from outside: from the
 * ledger (fr_store_crossings_since: the events after the index's sequence
 * stamp, each with the traveller holding its document), from a CSV file,
 * and the traveller key for events that come without a store (CSV files,
 * the generator). */
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
#include "frontera/snapshot.h"
#include "ledger_rules.h"

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    h ^= 0x1f; /* unit separator between fields */
    return h * 0x100000001b3ULL;
}

/* Names are taken as given: callers with raw input normalise them first
 * (fr__ledger_name_norm), as the CSV loader does. */
uint64_t fr_analytics_person_key(const fr_document *doc)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    if (doc->nationality[0] && doc->surname[0] && doc->birth_date != FR_DATE_NONE) {
        char bd[16];
        int n = 0;
        for (uint32_t v = (uint32_t)doc->birth_date; n < 10; v >>= 4)
            bd[n++] = (char)('a' + (v & 15));
        bd[n] = '\0';
        h = fnv(h, "P");
        h = fnv(h, doc->nationality);
        h = fnv(h, bd);
        h = fnv(h, doc->surname);
        return fnv(h, doc->given_names);
    }
    h = fnv(h, "D");
    h = fnv(h, doc->state);
    return fnv(h, doc->number);
}

typedef struct since_ctx {
    fr_analytics *a;
    fr_error *err;
    size_t added;
} since_ctx;

static int since_one(void *ud, const fr_store_crossing *c)
{
    since_ctx *x = ud;
    fr_analytics_event e = {.kind = c->kind,
                            .date = c->date,
                            .at_utc = c->at_utc,
                            .port = c->port,
                            .nationality = c->nationality,
                            .admission_class = c->admission_class,
                            .authorised_until = c->authorised_until,
                            .traveller = (uint64_t)c->traveller_id};
    int rc = fr_analytics_append(x->a, &e, x->err);
    if (rc == FR_ERANGE) { /* one implausible row must not stop every report */
        x->a->skipped++;
        fr_error_clear(x->err);
        x->a->seq = c->seq;
        return FR_OK;
    }
    if (rc != FR_OK) {
        if (x->err) { /* which event, before the reason (both said in the user's language) */
            x->err->code = rc;
            x->err->line = x->err->column = 0;
            fr_error_prefix(x->err, "event %lld of the ledger: ", (long long)c->seq);
        }
        return rc;
    }
    x->a->seq = c->seq;
    x->added++;
    return FR_OK;
}

int fr_analytics_refresh(fr_analytics *a, fr_store *s, size_t *added, fr_error *err)
{
    since_ctx x = {.a = a, .err = err};
    int64_t last = 0, fp = 0;
    int rc = fr_store_last_sequence(s, &last, &fp, err);
    if (rc == FR_OK && last > a->seq) {
        if (a->n == 0 && a->seq == 0 && last > (int64_t)a->cap)
            (void)fr_analytics_reserve(a, (size_t)last, 0); /* a guess; ENOMEM shows later */
        rc = fr_store_crossings_since(s, a->seq, last, since_one, &x, err);
    }
    if (rc == FR_OK) {
        a->seq = last; /* the ledger never deletes: nothing lies between */
        a->seq_fp = fp;
    }
    if (added) *added = x.added;
    return rc;
}

int64_t fr_analytics_sequence(const fr_analytics *a)
{
    return a->seq;
}

int fr_analytics_load_store(fr_analytics *a, fr_store *s, fr_error *err)
{
    int rc = fr_analytics_refresh(a, s, NULL, err);
    if (rc == FR_OK) fr_analytics_compact(a);
    return rc;
}

enum {
    C_KIND,
    C_AT,
    C_PORT,
    C_STATE,
    C_NUMBER,
    C_NAT,
    C_SURNAME,
    C_GIVEN,
    C_BIRTH,
    C_CLASS,
    C_UNTIL,
    C_COUNT
};
static const char *const CSV_COLS[C_COUNT] = {
    "kind",    "at",          "port",       "document_state",  "document_number", "nationality",
    "surname", "given_names", "birth_date", "admission_class", "authorised_until"};

/* Copy field f of row (or "" when the column is absent) into out. */
static void field(const fr_csv_row *row, int col, char *out, size_t cap)
{
    size_t n = 0;
    if (col >= 0 && (size_t)col < row->count) {
        n = row->fields[col].len < cap - 1 ? row->fields[col].len : cap - 1;
        memcpy(out, row->fields[col].ptr, n);
    }
    out[n] = '\0';
}

static int csv_row(fr_analytics *a, const fr_csv_row *row, const int *col, fr_error *err)
{
    fr_event ev;
    fr_event_init(&ev);
    char kind[16], at[40], date[16];
    field(row, col[C_KIND], kind, sizeof kind);
    ev.kind = fr_event_kind_parse(kind, strlen(kind));
    if (ev.kind == FR_EVENT_NONE)
        return fr_error_set(err, FR_EPARSE, (int)row->line, col[C_KIND] + 1, "kind",
                            "'%s' is not entry, exit, refusal, encounter or extension", kind);
    field(row, col[C_AT], at, sizeof at);
    if (fr_datetime_parse_cstr(at, &ev.at, err) != FR_OK)
        return fr_error_set(err, FR_EPARSE, (int)row->line, col[C_AT] + 1, "at",
                            "'%s' is not a date and time", at);
    field(row, col[C_PORT], ev.port, sizeof ev.port);
    field(row, col[C_STATE], ev.doc.state, sizeof ev.doc.state);
    field(row, col[C_NUMBER], ev.doc.number, sizeof ev.doc.number);
    field(row, col[C_NAT], ev.doc.nationality, sizeof ev.doc.nationality);
    field(row, col[C_SURNAME], ev.doc.surname, sizeof ev.doc.surname);
    field(row, col[C_GIVEN], ev.doc.given_names, sizeof ev.doc.given_names);
    field(row, col[C_CLASS], ev.admission_class, sizeof ev.admission_class);
    fr__ledger_name_norm(ev.doc.surname); /* as the ledger compares them */
    fr__ledger_name_norm(ev.doc.given_names);
    const int dcols[2] = {C_BIRTH, C_UNTIL};
    fr_date *dst[2] = {&ev.doc.birth_date, &ev.authorised_until};
    for (int k = 0; k < 2; k++) {
        field(row, col[dcols[k]], date, sizeof date);
        if (date[0] && fr_date_parse_cstr(date, dst[k], err) != FR_OK)
            return fr_error_set(err, FR_EPARSE, (int)row->line, col[dcols[k]] + 1,
                                CSV_COLS[dcols[k]], "'%s' is not a date", date);
    }
    int rc = fr_analytics_append_event(a, &ev, fr_analytics_person_key(&ev.doc), err);
    if (rc != FR_OK && err) {
        err->line = (int)row->line;
        for (int k = 0; k < C_COUNT; k++)
            if (strcmp(err->field, CSV_COLS[k]) == 0 ||
                (k == C_AT && strcmp(err->field, "at") == 0))
                err->column = col[k] + 1;
    }
    return rc;
}

int fr_analytics_load_csv(fr_analytics *a, fr_csv *csv, fr_error *err)
{
    fr_csv_row row;
    int rc = fr_csv_next(csv, &row, err);
    if (rc < 0) return rc;
    if (rc == 0) return fr_error_set(err, FR_EPARSE, 1, 1, "", "the CSV is empty: no header");
    int col[C_COUNT];
    for (int k = 0; k < C_COUNT; k++) {
        col[k] = -1;
        for (size_t f = 0; f < row.count; f++)
            if (strlen(CSV_COLS[k]) == row.fields[f].len &&
                memcmp(CSV_COLS[k], row.fields[f].ptr, row.fields[f].len) == 0)
                col[k] = (int)f;
        if (col[k] < 0 && k <= C_NUMBER)
            return fr_error_set(err, FR_EPARSE, 1, 1, CSV_COLS[k], "the header has no '%s' column",
                                CSV_COLS[k]);
    }
    while ((rc = fr_csv_next(csv, &row, err)) == 1)
        if ((rc = csv_row(a, &row, col, err)) != FR_OK) return rc;
    if (rc < 0) return rc;
    fr_analytics_compact(a);
    return FR_OK;
}
