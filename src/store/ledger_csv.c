/* SPDX-License-Identifier: MIT */
/* ledger_csv.c: bulk crossings as CSV (ledger.h, docs/ledger.md).
 *
 * Import: the header row maps column names to positions (any order;
 * unknown columns are reported once through the notice hook and ignored;
 * missing required columns stop the import with their names). Each data row
 * becomes an fr_event; a field that does not parse, or an event the store
 * refuses (FR_EINVAL, FR_ECONFLICT), sends the row to the reject hook with
 * its line, column and reason, and the batch goes on. Rows are recorded in
 * batches of N per transaction; a store error rolls back only the current
 * batch. Export formats an event as one row in the canonical column order. */
#include "frontera/ledger.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "frontera/alloc.h"

#include "frontera/country.h"
#include "frontera/text.h"
#include "store_impl.h"

enum {
#define X_ENUM(id, name, req) COL_##id,
    FR_LEDGER_COLUMNS(X_ENUM)
#undef X_ENUM
        COL_COUNT
};

static const char *const COL_NAME[COL_COUNT] = {
#define X_NAME(id, name, req) name,
    FR_LEDGER_COLUMNS(X_NAME)
#undef X_NAME
};

static const int COL_REQUIRED[COL_COUNT] = {
#define X_REQ(id, name, req) req,
    FR_LEDGER_COLUMNS(X_REQ)
#undef X_REQ
};

const char *fr_ledger_csv_header(void)
{
    return "event_id,kind,at,port,document_type,document_state,document_number,"
           "document_expiry,surname,given_names,nationality,birth_date,sex,admission_class,"
           "authorised_until,officer,decision,reasons\n";
}

typedef struct {
    int idx[COL_COUNT];
    size_t ncols;
} mapping;

/* The unknown columns a notice lists by name, in characters: the rest are
 * counted, so that the names fit an fr_error's values (status.h) and the
 * notice can be said in another language. */
#define UNKNOWN_NAMES_MAX 160

static int map_header(const fr_csv_row *row, mapping *m, const fr_import_hooks *h, fr_error *err)
{
    char unknown[UNKNOWN_NAMES_MAX + 1] = "", missing[256] = "";
    int unknown_more = 0;
    for (int c = 0; c < COL_COUNT; c++)
        m->idx[c] = -1;
    m->ncols = row->count;
    for (size_t i = 0; i < row->count; i++) {
        const char *name = row->fields[i].ptr;
        size_t len = row->fields[i].len;
        if (i == 0 && len >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0) name += 3, len -= 3;
        int found = -1;
        for (int c = 0; c < COL_COUNT; c++)
            if (strlen(COL_NAME[c]) == len && memcmp(COL_NAME[c], name, len) == 0) found = c;
        if (found >= 0) {
            if (m->idx[found] >= 0)
                return fr_error_set(err, FR_EPARSE, (int)row->line, 0, COL_NAME[found],
                                    "column '%s' appears twice in the header", COL_NAME[found]);
            m->idx[found] = (int)i;
        } else if (strncmp(name, "reject_", 7) != 0) { /* a rejects file's own columns */
            size_t u = strlen(unknown);
            if (u + len + 2 < sizeof unknown)
                snprintf(unknown + u, sizeof unknown - u, "%s%.*s", u ? ", " : "", (int)len, name);
            else
                unknown_more++;
        }
    }
    for (int c = 0; c < COL_COUNT; c++)
        if (COL_REQUIRED[c] && m->idx[c] < 0) {
            size_t u = strlen(missing);
            snprintf(missing + u, sizeof missing - u, "%s%s", u ? ", " : "", COL_NAME[c]);
        }
    if (missing[0] && row->count == 1 && memchr(row->fields[0].ptr, ';', row->fields[0].len))
        return fr_error_set(err, FR_EPARSE, (int)row->line, 0, "",
                            "the header is separated by ';', not ',' (spreadsheets set to "
                            "Spanish and other languages write CSV that way): import it with "
                            "--sep semicolon");
    if (missing[0])
        return fr_error_set(err, FR_EPARSE, (int)row->line, 0, "",
                            "the header lacks required columns: %s", missing);
    if ((unknown[0] || unknown_more) && h && h->notice) {
        /* an fr_error, not a sentence: the program says it in its language */
        fr_error note;
        if (!unknown_more)
            fr_error_set(&note, FR_OK, (int)row->line, 0, "", "ignoring unknown columns: %s",
                         unknown);
        else if (unknown[0])
            fr_error_set(&note, FR_OK, (int)row->line, 0, "",
                         "ignoring unknown columns: %s and %d more", unknown, unknown_more);
        else
            fr_error_set(&note, FR_OK, (int)row->line, 0, "",
                         "ignoring unknown columns with long names (%d)", unknown_more);
        h->notice(h->ud, &note);
    }
    return FR_OK;
}

/* What is wrong with a row: err->field names the column ("" for the whole
 * row), err->message the reason; kept as an fr_error so that a program can
 * say it in its user's language (status.h, fr_error_format). */
typedef fr_error row_fault;

static const fr_csv_field *fld(const fr_csv_row *row, const mapping *m, int c)
{
    static const fr_csv_field EMPTY = {"", 0};
    int i = m->idx[c];
    return i >= 0 && (size_t)i < row->count ? &row->fields[i] : &EMPTY;
}

static int copy(char *dst, size_t cap, const fr_csv_field *f, int c, row_fault *fault)
{
    size_t bad;
    if (f->len >= cap) {
        fr_error_set(fault, FR_EINVAL, 0, 0, COL_NAME[c], "longer than %zu characters", cap - 1);
        return -1;
    }
    if (!fr_text_ok(f->ptr, f->len, &bad)) { /* never cut at a NUL or store bad bytes */
        fr_error_set(fault, FR_EINVAL, 0, 0, COL_NAME[c],
                     "byte %zu of the field is a NUL or control byte, or not valid UTF-8", bad + 1);
        return -1;
    }
    memcpy(dst, f->ptr, f->len);
    dst[f->len] = '\0';
    return 0;
}

/* The parser's error about a value, said about the column (the caller
 * puts the value before the parser's reason): no position, for the
 * parser's is within the value, not a column of the file. */
static void reword(fr_error *e, const char *col)
{
    snprintf(e->field, sizeof e->field, "%s", col);
    e->line = e->column = 0;
}

static int date_field(const fr_csv_field *f, int c, fr_date *out, row_fault *fault)
{
    if (f->len == 0) return 0;
    if (fr_date_parse(f->ptr, f->len, out, fault) == FR_OK) return 0;
    reword(fault, COL_NAME[c]);
    fr_error_prefix(fault, "'%.40s' is not a date (YYYY-MM-DD): ", f->ptr);
    return -1;
}

/* A state or nationality: ISO 3166 alpha-3 codes (DEU, XKX) and English
 * names become the ICAO code (D, RKS); anything else is copied for
 * fr_event_validate to refuse by name. */
static int country(char *dst, size_t cap, const fr_csv_field *f, int c, row_fault *fault)
{
    int idx = f->len ? fr_country_normalize(f->ptr, f->len) : -1;
    if (idx < 0 && f->len >= cap && f->len <= 80 && fr_text_ok(f->ptr, f->len, NULL)) {
        /* a name the table does not know: say it, and what is taken */
        fr_error_set(fault, FR_EINVAL, 0, 0, COL_NAME[c],
                     "'%.*s' is not an ICAO 9303 code, an ISO alpha-3 code or an English country "
                     "name",
                     (int)f->len, f->ptr);
        return -1;
    }
    if (idx < 0) return copy(dst, cap, f, c, fault);
    snprintf(dst, cap, "%s", fr_country_code(idx));
    return 0;
}

static int row_to_event(const fr_csv_row *row, const mapping *m, fr_event *ev, row_fault *fault)
{
    fr_event_init(ev);
    const fr_csv_field *f;
    if (copy(ev->event_id, sizeof ev->event_id, fld(row, m, COL_EVENT_ID), COL_EVENT_ID, fault))
        return -1;
    f = fld(row, m, COL_KIND);
    ev->kind = fr_event_kind_parse(f->ptr, f->len);
    if (ev->kind == FR_EVENT_NONE) {
        fr_error_set(fault, FR_EINVAL, 0, 0, "kind",
                     "'%.40s' is not entry, exit, refusal, encounter or extension", f->ptr);
        return -1;
    }
    f = fld(row, m, COL_AT);
    if (fr_datetime_parse(f->ptr, f->len, &ev->at, fault) != FR_OK) {
        reword(fault, "at");
        fr_error_prefix(fault, "'%.40s' is not a date-time: ", f->ptr);
        return -1;
    }
    if (copy(ev->port, sizeof ev->port, fld(row, m, COL_PORT), COL_PORT, fault) ||
        copy(ev->doc.type, sizeof ev->doc.type, fld(row, m, COL_DOCUMENT_TYPE), COL_DOCUMENT_TYPE,
             fault) ||
        country(ev->doc.state, sizeof ev->doc.state, fld(row, m, COL_DOCUMENT_STATE),
                COL_DOCUMENT_STATE, fault) ||
        copy(ev->doc.number, sizeof ev->doc.number, fld(row, m, COL_DOCUMENT_NUMBER),
             COL_DOCUMENT_NUMBER, fault) ||
        date_field(fld(row, m, COL_DOCUMENT_EXPIRY), COL_DOCUMENT_EXPIRY, &ev->doc.expiry, fault) ||
        copy(ev->doc.surname, sizeof ev->doc.surname, fld(row, m, COL_SURNAME), COL_SURNAME,
             fault) ||
        copy(ev->doc.given_names, sizeof ev->doc.given_names, fld(row, m, COL_GIVEN_NAMES),
             COL_GIVEN_NAMES, fault) ||
        country(ev->doc.nationality, sizeof ev->doc.nationality, fld(row, m, COL_NATIONALITY),
                COL_NATIONALITY, fault) ||
        date_field(fld(row, m, COL_BIRTH_DATE), COL_BIRTH_DATE, &ev->doc.birth_date, fault) ||
        copy(ev->admission_class, sizeof ev->admission_class, fld(row, m, COL_ADMISSION_CLASS),
             COL_ADMISSION_CLASS, fault) ||
        date_field(fld(row, m, COL_AUTHORISED_UNTIL), COL_AUTHORISED_UNTIL, &ev->authorised_until,
                   fault) ||
        copy(ev->officer, sizeof ev->officer, fld(row, m, COL_OFFICER), COL_OFFICER, fault) ||
        copy(ev->decision, sizeof ev->decision, fld(row, m, COL_DECISION), COL_DECISION, fault))
        return -1;
    f = fld(row, m, COL_SEX);
    if (f->len > 1) {
        fr_error_set(fault, FR_EINVAL, 0, 0, "sex", "sex must be M, F, X or empty");
        return -1;
    }
    ev->doc.sex = f->len == 1 && f->ptr[0] != '<' ? f->ptr[0] : 0;
    f = fld(row, m, COL_REASONS);
    if (f->len > FR_REASONS_MAX) {
        fr_error_set(fault, FR_EINVAL, 0, 0, "reasons", "longer than %d bytes", FR_REASONS_MAX);
        return -1;
    }
    ev->reasons_json = f->len ? f->ptr : NULL; /* NUL-terminated by the reader */
    return 0;
}

/* Rows are read ahead a chunk at a time, so that the store can look the
 * chunk's events up at once (fr_store_prefetch); each row is kept (its
 * fields copied) until it is recorded or rejected, in file order. */
#define IMPORT_CHUNK 4000

typedef struct held_row {
    long line;
    fr_event ev;            /* valid when !rejected */
    size_t reasons;         /* arena offset of the reasons text, or SIZE_MAX */
    size_t field0, nfields; /* in the chunk's field table; nfields 0: no row */
    size_t why;             /* a rejected row's reason: index in the chunk's errs */
    int rejected;
} held_row;

typedef struct chunk {
    held_row *rows;
    size_t n, cap;
    char *arena;
    size_t used, acap;
    fr_csv_field *fields; /* offsets in ptr until chunk_fix */
    size_t nf, fcap;
    fr_error *errs; /* the rejected rows' reasons */
    size_t ne, ecap;
    int oom;
} chunk;

static void *grow_to(void *p, size_t *cap, size_t need, size_t elem, int *oom)
{
    if (need <= *cap) return p;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *q = fr_realloc(p, nc * elem);
    if (!q) {
        *oom = 1;
        return p;
    }
    *cap = nc;
    return q;
}

/* Copy len bytes and a NUL into the arena; its offset. */
static size_t arena_put(chunk *c, const char *s, size_t len)
{
    c->arena = grow_to(c->arena, &c->acap, c->used + len + 1, 1, &c->oom);
    if (c->oom) return 0;
    size_t at = c->used;
    memcpy(c->arena + at, s, len);
    c->arena[at + len] = '\0';
    c->used += len + 1;
    return at;
}

static held_row *chunk_add(chunk *c, long line, const fr_csv_row *row)
{
    c->rows = grow_to(c->rows, &c->cap, c->n + 1, sizeof *c->rows, &c->oom);
    if (c->oom) return NULL;
    held_row *h = &c->rows[c->n++];
    memset(h, 0, sizeof *h);
    h->line = line;
    h->reasons = SIZE_MAX;
    if (!row) return h;
    c->fields = grow_to(c->fields, &c->fcap, c->nf + row->count, sizeof *c->fields, &c->oom);
    if (c->oom) return NULL;
    h->field0 = c->nf;
    h->nfields = row->count;
    for (size_t i = 0; i < row->count; i++) {
        size_t at = arena_put(c, row->fields[i].ptr, row->fields[i].len);
        c->fields[c->nf].ptr = (const char *)(uintptr_t)at;
        c->fields[c->nf++].len = row->fields[i].len;
    }
    return c->oom ? NULL : h;
}

static held_row *chunk_reject(chunk *c, long line, const fr_error *why, const fr_csv_row *row)
{
    c->errs = grow_to(c->errs, &c->ecap, c->ne + 1, sizeof *c->errs, &c->oom);
    if (c->oom) return NULL;
    held_row *h = chunk_add(c, line, row);
    if (!h) return NULL;
    h->rejected = 1;
    h->why = c->ne;
    c->errs[c->ne++] = *why;
    return h;
}

/* The arena no longer moves: offsets become pointers. */
static void chunk_fix(chunk *c)
{
    for (size_t i = 0; i < c->nf; i++)
        c->fields[i].ptr = c->arena + (uintptr_t)c->fields[i].ptr;
    for (size_t i = 0; i < c->n; i++)
        if (c->rows[i].reasons != SIZE_MAX)
            c->rows[i].ev.reasons_json = c->arena + c->rows[i].reasons;
}

static void chunk_free(chunk *c)
{
    fr_free(c->rows);
    fr_free(c->arena);
    fr_free(c->fields);
    fr_free(c->errs);
}

/* Read up to want good rows (and the bad ones between) into c. Returns 1 at
 * the end of the input, 0 when more may follow, or an error. */
static int chunk_read(fr_csv *csv, const mapping *m, size_t want, fr_import_stats *stats, chunk *c,
                      fr_error *err)
{
    c->n = c->used = c->nf = c->ne = 0;
    size_t events = 0;
    fr_csv_row row;
    fr_error e;
    while (events < want && c->ne < want) { /* rejected rows too: each keeps its fr_error */
        int rc = fr_csv_next(csv, &row, &e);
        if (rc == 0) return 1;
        held_row *h = NULL;
        if (rc == FR_EPARSE || rc == FR_ELIMIT) {
            stats->rows++;
            long line = e.line;
            int col = e.column;
            e.field[0] = '\0';
            e.line = e.column = 0;
            if (col > 0) /* 0: the record as a whole (a quote never closed) */
                fr_error_prefix(&e, "column %d: ", col);
            if (!chunk_reject(c, line, &e, NULL)) goto oom;
            continue;
        }
        if (rc < 0) {
            if (err) *err = e;
            return rc;
        }
        if (row.count == 1 && row.fields[0].len == 0) continue; /* a blank line */
        stats->rows++;
        if (row.count != m->ncols) {
            fr_error_set(&e, FR_EPARSE, 0, 0, "", "the row has %zu fields, the header %zu",
                         row.count, m->ncols);
            if (!chunk_reject(c, row.line, &e, &row)) goto oom;
            continue;
        }
        fr_event ev;
        row_fault fault;
        fr_error_clear(&fault);
        if (row_to_event(&row, m, &ev, &fault) != 0) {
            if (!chunk_reject(c, row.line, &fault, &row)) goto oom;
            continue;
        }
        if (!(h = chunk_add(c, row.line, &row))) goto oom;
        h->ev = ev;
        if (ev.reasons_json) {
            h->reasons = arena_put(c, ev.reasons_json, strlen(ev.reasons_json));
            if (c->oom) goto oom;
        }
        h->ev.reasons_json = NULL;
        events++;
    }
    return 0;
oom:
    return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory reading the import");
}

/* Hand the chunk's events to the store to look up at once. */
static int chunk_prefetch(fr_store *s, const chunk *c, fr_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += !c->rows[i].rejected;
    if (n == 0) return FR_OK;
    const fr_event **evs = fr_malloc(n * sizeof *evs);
    if (!evs) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (!c->rows[i].rejected) evs[n++] = &c->rows[i].ev;
    int rc = fr_store_prefetch(s, evs, n, err);
    fr_free(evs);
    return rc;
}

static int held_reject(const fr_import_hooks *h, fr_import_stats *st, const chunk *c,
                       const held_row *r, const fr_error *why)
{
    fr_csv_row row = {c->fields + r->field0, r->nfields, r->line};
    st->rejected++;
    return h && h->reject ? h->reject(h->ud, r->line, why, r->nfields ? &row : NULL) : 0;
}

typedef struct import_run {
    fr_store *s;
    size_t batch, in_batch;
    uint64_t taken, dups; /* of the open batch: counted once it is committed */
    int64_t began_ms;     /* when the open batch began (monotonic) */
    int64_t progress_ms;  /* when progress was last said */
} import_run;

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int batch_done(import_run *x, fr_csv *csv, const fr_import_hooks *h, fr_import_stats *st,
                      fr_error *err)
{
    int rc = fr_store_batch_commit(x->s, err);
    if (rc != FR_OK) return rc;
    st->taken += x->taken;
    st->duplicates += x->dups;
    x->taken = x->dups = 0;
    st->batches++;
    st->bytes = fr_csv_offset(csv);
    if (h && h->progress) h->progress(h->ud, st);
    x->in_batch = 0;
    x->began_ms = x->progress_ms = now_ms();
    return FR_OK;
}

/* Record (or reject) the chunk's rows in order; a store failure is
 * returned (the caller rolls the open batch back). */
static int chunk_record(import_run *x, fr_csv *csv, chunk *c, const fr_import_hooks *h,
                        fr_import_stats *st, fr_error *err)
{
    fr_error e;
    int rc;
    for (size_t i = 0; i < c->n; i++) {
        held_row *r = &c->rows[i];
        if (r->rejected) {
            if ((rc = held_reject(h, st, c, r, &c->errs[r->why])) != 0) return rc;
            continue;
        }
        if (h && h->complete && (rc = h->complete(h->ud, x->s, &r->ev, &e)) != FR_OK) {
            if (rc != FR_EINVAL) { /* the store failed, not the row */
                e.line = (int)r->line;
                if (err) *err = e;
                return rc;
            }
            if ((rc = held_reject(h, st, c, r, &e)) != 0) return rc;
            continue;
        }
        fr_record_result res;
        rc = fr_store_record(x->s, &r->ev, &res, &e);
        if (rc == FR_EINVAL || rc == FR_ECONFLICT) {
            if ((rc = held_reject(h, st, c, r, &e)) != 0) return rc;
            continue;
        }
        if (rc != FR_OK) {
            e.line = (int)r->line;
            if (err) *err = e;
            return rc;
        }
        if (res.duplicate)
            x->dups++;
        else
            x->taken++;
        if (++x->in_batch >= x->batch) {
            if ((rc = batch_done(x, csv, h, st, err)) != FR_OK) return rc;
            if ((rc = fr_store_batch_begin(x->s, err)) != FR_OK) return rc;
        }
    }
    return FR_OK;
}

int fr_ledger_import(fr_store *s, fr_csv *csv, size_t batch, const fr_import_hooks *h,
                     fr_import_stats *stats, fr_error *err)
{
    fr_import_stats dummy;
    if (!stats) stats = &dummy;
    memset(stats, 0, sizeof *stats);
    fr_error_clear(err);
    if (!batch) batch = 10000;
    fr_csv_row row;
    fr_error e;
    mapping m;
    int rc = fr_csv_next(csv, &row, &e);
    if (rc == 0) return fr_error_set(err, FR_EPARSE, 1, 0, "", "the input is empty: no header row");
    if (rc < 0) {
        if (err) *err = e;
        return rc;
    }
    if ((rc = map_header(&row, &m, h, err)) != FR_OK) return rc;
    if (h && h->header) h->header(h->ud, &row);
    import_run x = {s, batch, 0, 0, 0, now_ms(), now_ms()};
    chunk c;
    memset(&c, 0, sizeof c);
    /* Into an empty ledger, the backend may build some indexes once at the
     * end instead of row by row (store_sqlite_load.c); same results. */
    int load = 0;
    if ((rc = fr__store_load_begin(s, &load, err)) != FR_OK) return rc;
    if ((rc = fr_store_batch_begin(s, err)) != FR_OK) goto fail;
    for (;;) {
        /* a chunk never spans two batches: the look-up holds for one */
        size_t want = batch - x.in_batch < IMPORT_CHUNK ? batch - x.in_batch : IMPORT_CHUNK;
        int end = chunk_read(csv, &m, want, stats, &c, err);
        if (end < 0) {
            rc = end;
            goto fail;
        }
        chunk_fix(&c);
        if ((rc = chunk_prefetch(s, &c, err)) != FR_OK) goto fail;
        if ((rc = chunk_record(&x, csv, &c, h, stats, err)) != FR_OK) goto fail;
        if (end) break;
        /* a batch may be open for seconds: say how far the reading is */
        if (h && h->progress && now_ms() - x.progress_ms >= 1000) {
            x.progress_ms = now_ms();
            stats->bytes = fr_csv_offset(csv);
            h->progress(h->ud, stats);
        }
        /* h->batch_ms: between chunks, as a chunk's look-ups hold for one batch */
        if (h && h->batch_ms && x.in_batch > 0 && now_ms() - x.began_ms >= (int64_t)h->batch_ms) {
            if ((rc = batch_done(&x, csv, h, stats, err)) != FR_OK) goto fail;
            if ((rc = fr_store_batch_begin(s, err)) != FR_OK) goto fail;
        }
    }
    if ((rc = batch_done(&x, csv, h, stats, err)) != FR_OK) goto fail;
    goto done;
fail: /* the open batch is rolled back: its rows are neither taken nor duplicates */
    fr_store_batch_rollback(s);
done:
    chunk_free(&c);
    /* Also after a failure, and also when this import did not load (its
     * ledger was not empty): the rows committed get their indexes, and a
     * ledger a killed load left without them gets them back. */
    {
        if (load && h && h->progress) { /* this takes seconds: say so */
            stats->bytes = fr_csv_offset(csv);
            stats->indexing = 1;
            h->progress(h->ud, stats);
            stats->indexing = 0;
        }
        /* every row is committed: a failed build (another writer held the
         * lock) is said, not an error; the next write that needs one builds it */
        fr_error end_err;
        if (fr__store_load_end(s, &end_err) != FR_OK && rc == FR_OK && h && h->notice) {
            /* the store's reason kept as made (its format and values), so
             * that the program says both parts in its language */
            fr_error_prefix(&end_err,
                            "the ledger's indexes are not built yet (the next write that needs "
                            "one builds it): ");
            h->notice(h->ud, &end_err);
        }
    }
    return rc;
}

/* Append field to out at *n (the needed length grows even past cap). */
static void put(char *out, size_t cap, size_t *n, const char *s, int comma)
{
    if (comma) {
        if (*n < cap) out[*n] = ',';
        (*n)++;
    }
    size_t room = *n < cap ? cap - *n : 0;
    *n += fr_csv_quote(s, strlen(s), room ? out + *n : NULL, room);
}

size_t fr_ledger_csv_format(const fr_event *ev, char *out, size_t cap)
{
    char at[FR_DATETIME_BUFSZ], exp[FR_DATE_BUFSZ], birth[FR_DATE_BUFSZ], until[FR_DATE_BUFSZ];
    char sex[2] = {ev->doc.sex, 0};
    const char *f[COL_COUNT] = {
        ev->event_id,
        fr_event_kind_name(ev->kind),
        fr_datetime_format(&ev->at, at),
        ev->port,
        ev->doc.type,
        ev->doc.state,
        ev->doc.number,
        fr_date_format(ev->doc.expiry, exp),
        ev->doc.surname,
        ev->doc.given_names,
        ev->doc.nationality,
        fr_date_format(ev->doc.birth_date, birth),
        sex,
        ev->admission_class,
        fr_date_format(ev->authorised_until, until),
        ev->officer,
        ev->decision,
        ev->reasons_json ? ev->reasons_json : "",
    };
    size_t n = 0;
    for (int c = 0; c < COL_COUNT; c++)
        put(out, cap, &n, f[c], c > 0);
    if (n < cap) out[n] = '\n';
    n++;
    if (n < cap) out[n] = '\0';
    return n;
}
