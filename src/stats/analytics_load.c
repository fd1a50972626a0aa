/* SPDX-License-Identifier: MIT */
/* analytics_load.c: filling the analytics index from outside: from the
 * ledger (fr_store_export, with each document's traveller found once through
 * fr_store_find_document and remembered in a small hash), and the traveller
 * key for events that come without a store (CSV files, the generator).
 *
 * The document memo is keyed by a 64-bit FNV-1a digest of "state|number";
 * two documents colliding in 64 bits (odds about 1e-7 for ten million
 * documents) would share a traveller in the index, not in the ledger. */
#include <string.h>

#include "analytics_internal.h"
#include "frontera/alloc.h"
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
 * (fr_ledger_name_norm), as the CSV loader does. */
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

typedef struct load_ctx {
    fr_analytics *a;
    fr_store *s;
    fr_error *err;
    uint64_t *keys; /* document digest, 0 empty */
    int64_t *tids;
    size_t n, cap; /* cap: a power of two */
} load_ctx;

static int memo_grow(load_ctx *c)
{
    size_t cap = c->cap ? c->cap * 2 : 4096;
    uint64_t *k = fr_calloc(cap, sizeof *k);
    int64_t *t = fr_malloc(cap * sizeof *t);
    if (!k || !t) {
        fr_free(k);
        fr_free(t);
        return FR_ENOMEM;
    }
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->keys[i]) continue;
        size_t h = (size_t)c->keys[i] & (cap - 1);
        while (k[h])
            h = (h + 1) & (cap - 1);
        k[h] = c->keys[i];
        t[h] = c->tids[i];
    }
    fr_free(c->keys);
    fr_free(c->tids);
    c->keys = k;
    c->tids = t;
    c->cap = cap;
    return FR_OK;
}

static int load_one(void *ud, const fr_event *ev)
{
    load_ctx *c = ud;
    uint64_t key = fnv(fnv(0xcbf29ce484222325ULL, ev->doc.state), ev->doc.number);
    if (key == 0) key = 1;
    if ((c->n + 1) * 10 > c->cap * 7 && memo_grow(c) != FR_OK)
        return fr_error_set(c->err, FR_ENOMEM, 0, 0, "", "out of memory loading the index");
    size_t h = (size_t)key & (c->cap - 1);
    while (c->keys[h] && c->keys[h] != key)
        h = (h + 1) & (c->cap - 1);
    if (!c->keys[h]) {
        int64_t tid;
        int rc = fr_store_find_document(c->s, ev->doc.state, ev->doc.number, &tid, c->err);
        if (rc != FR_OK) return rc;
        c->keys[h] = key;
        c->tids[h] = tid;
        c->n++;
    }
    int rc = fr_analytics_append_event(c->a, ev, (uint64_t)c->tids[h], c->err);
    if (rc == FR_ERANGE) { /* one implausible row must not stop every report */
        c->a->skipped++;
        fr_error_clear(c->err);
        return FR_OK;
    }
    if (rc != FR_OK && c->err) {
        char field[sizeof c->err->field], msg[sizeof c->err->message];
        memcpy(field, c->err->field, sizeof field);
        memcpy(msg, c->err->message, sizeof msg);
        fr_error_set(c->err, rc, 0, 0, field, "event %s: %s", ev->event_id, msg);
    }
    return rc;
}

int fr_analytics_load_store(fr_analytics *a, fr_store *s, fr_error *err)
{
    load_ctx c = {.a = a, .s = s, .err = err};
    int rc = fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, load_one, &c, err);
    fr_free(c.keys);
    fr_free(c.tids);
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
    fr_ledger_name_norm(ev.doc.surname); /* as the ledger compares them */
    fr_ledger_name_norm(ev.doc.given_names);
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
