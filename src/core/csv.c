/* SPDX-License-Identifier: MIT */
/* csv.c: the streaming RFC 4180 reader of csv.h.
 *
 * How it works: bytes come through the read callback into a 64 KiB input
 * buffer; a byte-at-a-time state machine (field start, unquoted, quoted,
 * quote seen, CR seen after a closing quote) copies field text, unescaped,
 * into one record buffer sized from the limits at creation, with a NUL after
 * each field, and records each field's offset. Nothing grows after
 * fr_csv_new, so memory is constant. Line and column are counted as bytes go
 * by; on an error the reader remembers to skip to the next LF before the
 * next record. */
#include "frontera/csv.h"

#include <string.h>

#include "frontera/alloc.h"

#define CSV_INBUF 65536

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE, ST_CR };

struct fr_csv {
    fr_csv_read_fn read;
    void *ud;
    const char *mem; /* memory input (read == NULL) */
    size_t mem_len;
    char *in;
    size_t pos, end;
    int eof;
    int skipping; /* after an error: drop bytes up to the next LF */
    uint64_t offset;
    long line; /* current physical line, 1-based */
    long col;  /* bytes consumed on the current line */
    size_t max_record, max_fields;
    char sep; /* ',' or ';' */
    char *rec;
    size_t rec_len;
    size_t *starts;
    fr_csv_field *fields;
    size_t nfields;
};

static int sep_ok(const fr_csv_limits *limits)
{
    return !limits || !limits->sep || limits->sep == ',' || limits->sep == ';';
}

static int csv_alloc(fr_csv *c, const fr_csv_limits *limits)
{
    c->max_record = limits && limits->max_record ? limits->max_record : 65536;
    c->max_fields = limits && limits->max_fields ? limits->max_fields : 256;
    c->sep = limits && limits->sep ? limits->sep : ',';
    c->line = 1;
    c->rec = fr_malloc(c->max_record + c->max_fields + 1);
    c->starts = fr_malloc(c->max_fields * sizeof *c->starts);
    c->fields = fr_malloc(c->max_fields * sizeof *c->fields);
    if (!c->rec || !c->starts || !c->fields) return FR_ENOMEM;
    return FR_OK;
}

int fr_csv_new(fr_csv_read_fn read, void *ud, const fr_csv_limits *limits, fr_csv **out)
{
    if (!read || !out || !sep_ok(limits)) return FR_EINVAL;
    *out = NULL;
    fr_csv *c = fr_calloc(1, sizeof *c);
    if (!c) return FR_ENOMEM;
    c->read = read;
    c->ud = ud;
    c->in = fr_malloc(CSV_INBUF);
    if (!c->in || csv_alloc(c, limits) != FR_OK) {
        fr_csv_free(c);
        return FR_ENOMEM;
    }
    *out = c;
    return FR_OK;
}

int fr_csv_new_mem(const char *data, size_t len, const fr_csv_limits *limits, fr_csv **out)
{
    if ((!data && len) || !out || !sep_ok(limits)) return FR_EINVAL;
    *out = NULL;
    fr_csv *c = fr_calloc(1, sizeof *c);
    if (!c) return FR_ENOMEM;
    c->mem = data;
    c->mem_len = len;
    if (csv_alloc(c, limits) != FR_OK) {
        fr_csv_free(c);
        return FR_ENOMEM;
    }
    *out = c;
    return FR_OK;
}

void fr_csv_free(fr_csv *c)
{
    if (!c) return;
    fr_free(c->in);
    fr_free(c->rec);
    fr_free(c->starts);
    fr_free(c->fields);
    fr_free(c);
}

uint64_t fr_csv_offset(const fr_csv *c)
{
    return c ? c->offset : 0;
}

/* Make at least one byte available; returns 1, 0 at end of input, or an error. */
static int csv_fill(fr_csv *c)
{
    if (c->pos < c->end) return 1;
    if (c->eof) return 0;
    if (!c->read) { /* memory input: the whole buffer at once */
        c->eof = 1;
        if (c->mem_len == 0) return 0;
        c->pos = 0;
        c->end = c->mem_len;
        return 1;
    }
    size_t got = 0;
    int rc = c->read(c->ud, c->in, CSV_INBUF, &got);
    if (rc != FR_OK) return rc < 0 ? rc : FR_EIO;
    if (got > CSV_INBUF) return FR_EIO;
    c->pos = 0;
    c->end = got;
    if (got == 0) c->eof = 1;
    return got ? 1 : 0;
}

static inline char csv_byte(const fr_csv *c, size_t i)
{
    return c->read ? c->in[i] : c->mem[i];
}

static int csv_fail(fr_csv *c, fr_error *err, int code, const char *what)
{
    c->skipping = 1;
    return fr_error_set(err, code, (int)c->line, (int)c->col, "", "%s", what);
}

static int csv_end_field(fr_csv *c, fr_error *err)
{
    if (c->nfields >= c->max_fields)
        return fr_error_set(err, FR_ELIMIT, (int)c->line, (int)c->col, "",
                            "a record has more than %zu fields", c->max_fields);
    c->rec[c->rec_len] = '\0';
    c->nfields++;
    c->rec_len++;
    if (c->nfields < c->max_fields) c->starts[c->nfields] = c->rec_len;
    return FR_OK;
}

static int csv_finish(fr_csv *c, fr_csv_row *row, long line, fr_error *err)
{
    int rc = csv_end_field(c, err);
    if (rc != FR_OK) {
        c->skipping = 0; /* the LF that ends the record was consumed */
        if (err) err->line = (int)line;
        return rc;
    }
    for (size_t i = 0; i < c->nfields; i++) {
        size_t s = c->starts[i];
        size_t e = i + 1 < c->nfields ? c->starts[i + 1] - 1 : c->rec_len - 1;
        c->fields[i].ptr = c->rec + s;
        c->fields[i].len = e - s;
    }
    row->fields = c->fields;
    row->count = c->nfields;
    row->line = line;
    return 1;
}

/* Skip input up to and including the next LF. */
static int csv_skip_line(fr_csv *c)
{
    for (;;) {
        int rc = csv_fill(c);
        if (rc <= 0) return rc;
        while (c->pos < c->end) {
            char ch = csv_byte(c, c->pos++);
            c->offset++;
            c->col++;
            if (ch == '\n') {
                c->line++;
                c->col = 0;
                c->skipping = 0;
                return 1;
            }
        }
    }
}

int fr_csv_next(fr_csv *c, fr_csv_row *row, fr_error *err)
{
    if (!c || !row) return FR_EINVAL;
    if (c->skipping) {
        int rc = csv_skip_line(c);
        if (rc < 0) return fr_error_set(err, rc, (int)c->line, 0, "", "cannot read the input");
        if (rc == 0) return 0;
    }
    c->rec_len = 0;
    c->nfields = 0;
    c->starts[0] = 0;
    int st = ST_START, any = 0;
    long line = c->line;
    for (;;) {
        int rc = csv_fill(c);
        if (rc < 0) return fr_error_set(err, rc, (int)c->line, 0, "", "cannot read the input");
        if (rc == 0) {
            if (!any) return 0;
            if (st == ST_QUOTED) {
                c->skipping = 0;
                return fr_error_set(err, FR_EPARSE, (int)line, 0, "",
                                    "a quoted field that starts on line %ld is never closed", line);
            }
            if (st == ST_UNQUOTED && c->rec_len && c->rec[c->rec_len - 1] == '\r') c->rec_len--;
            return csv_finish(c, row, line, err);
        }
        while (c->pos < c->end) {
            char ch = csv_byte(c, c->pos++);
            c->offset++;
            c->col++;
            any = 1;
            if (ch == '\n') {
                c->line++;
                c->col = 0;
                if (st != ST_QUOTED) {
                    if (st == ST_UNQUOTED && c->rec_len && c->rec[c->rec_len - 1] == '\r')
                        c->rec_len--;
                    return csv_finish(c, row, line, err);
                }
            } else if (ch == c->sep && st != ST_QUOTED) {
                if (st == ST_CR) return csv_fail(c, err, FR_EPARSE, "text after a closing quote");
                int e = csv_end_field(c, err);
                if (e != FR_OK) {
                    c->skipping = 1;
                    return e;
                }
                st = ST_START;
                continue;
            } else if (ch == '"') {
                if (st == ST_START) {
                    st = ST_QUOTED;
                    continue;
                }
                if (st == ST_QUOTED) {
                    st = ST_QUOTE;
                    continue;
                }
                if (st == ST_QUOTE) {
                    st = ST_QUOTED; /* "" is one quote */
                } else if (st == ST_UNQUOTED) {
                    return csv_fail(c, err, FR_EPARSE,
                                    "a quote inside an unquoted field (quote the whole field and "
                                    "double the quote)");
                } else {
                    return csv_fail(c, err, FR_EPARSE, "text after a closing quote");
                }
            } else if (st == ST_QUOTE || st == ST_CR) {
                if (ch == '\r' && st == ST_QUOTE) {
                    st = ST_CR;
                    continue;
                }
                return csv_fail(c, err, FR_EPARSE, "text after a closing quote");
            } else if (st == ST_START) {
                st = ST_UNQUOTED;
            }
            if (c->rec_len - c->nfields >= c->max_record) {
                c->skipping = ch != '\n';
                return fr_error_set(err, FR_ELIMIT, (int)c->line, (int)c->col, "",
                                    "a record is longer than %zu bytes", c->max_record);
            }
            c->rec[c->rec_len++] = ch;
        }
    }
}

size_t fr_csv_quote(const char *s, size_t len, char *out, size_t cap)
{
    int need = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
    for (size_t i = 0; i < len && !need; i++)
        need = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    size_t n = 0;
#define PUT(ch)                                                                                    \
    do {                                                                                           \
        if (n < cap) out[n] = (ch);                                                                \
        n++;                                                                                       \
    } while (0)
    if (need) PUT('"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') PUT('"');
        PUT(s[i]);
    }
    if (need) PUT('"');
#undef PUT
    return n;
}
