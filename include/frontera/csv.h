/* SPDX-License-Identifier: MIT */
/* csv.h: a streaming RFC 4180 CSV reader with limits and located errors.
 *
 * The reader pulls bytes through a callback (a file, a socket, a memory
 * buffer) into a fixed input buffer and hands back one record at a time:
 * an array of field slices that stay valid until the next call. Memory is
 * bounded by the limits (longest record, most fields), never by the size of
 * the input, so a 10 GB file is read in constant memory.
 *
 * Grammar (RFC 4180, leniently): fields are separated by ',', records end at
 * LF or CRLF (a lone CR is data); a field that starts with '"' is quoted, may
 * hold commas, line breaks and doubled quotes ("" for one "), and must be
 * followed by ',' or the end of the record. A '"' inside an unquoted field is
 * an error; so is text after a closing quote, and an unterminated quote at
 * the end of the input. Errors carry the physical line and the 1-based byte
 * column; after an error the reader skips to the next line break and goes on,
 * so a caller can reject one bad row and keep importing.
 *
 * A reader is not thread-safe; distinct readers are independent. */
#ifndef FRONTERA_CSV_H
#define FRONTERA_CSV_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill buf with up to cap bytes; set *got (0 at end of input). Return FR_OK
 * or an error code (FR_EIO), which the reader passes on. */
typedef int (*fr_csv_read_fn)(void *ud, char *buf, size_t cap, size_t *got);

typedef struct fr_csv_limits {
    size_t max_record; /* bytes of one record's field data; 0: 65536 */
    size_t max_fields; /* fields in one record; 0: 256 */
    char sep;          /* the field separator, ',' or ';' (0: ','); another: FR_EINVAL */
} fr_csv_limits;

typedef struct fr_csv_field {
    const char *ptr; /* field text, unquoted; NUL-terminated */
    size_t len;
} fr_csv_field;

typedef struct fr_csv_row {
    const fr_csv_field *fields; /* owned by the reader; valid until the next call */
    size_t count;
    long line; /* physical line where the record starts (1-based) */
} fr_csv_row;

typedef struct fr_csv fr_csv;

/* Create a reader pulling from read(ud, ...). limits may be NULL (defaults).
 * Returns FR_OK, FR_EINVAL or FR_ENOMEM. Free with fr_csv_free. */
FR_API int fr_csv_new(fr_csv_read_fn read, void *ud, const fr_csv_limits *limits, fr_csv **out);
/* A reader over len bytes in memory (not copied: data must outlive it). */
FR_API int fr_csv_new_mem(const char *data, size_t len, const fr_csv_limits *limits, fr_csv **out);
FR_API void fr_csv_free(fr_csv *csv);

/* Read the next record into *row. Returns 1 with a record, 0 at the end of
 * the input, or a negative code: FR_EPARSE (bad quoting) or FR_ELIMIT (record
 * too long, too many fields) with err filled (line, column, message) - the
 * reader has then skipped the rest of that line and the next call goes on -
 * or FR_EIO/FR_ENOMEM from which it does not recover. An empty line is a
 * record of one empty field. */
FR_API int fr_csv_next(fr_csv *csv, fr_csv_row *row, fr_error *err);

/* Bytes consumed from the input so far (for a progress bar). */
FR_API uint64_t fr_csv_offset(const fr_csv *csv);

/* Write field s (len bytes) to out as a CSV field, quoted when it holds ',',
 * '"', CR or LF (or leading/trailing space). Returns the bytes needed; writes
 * nothing beyond cap (call with cap 0 to size). Never fails. */
FR_API size_t fr_csv_quote(const char *s, size_t len, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
