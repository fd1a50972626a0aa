/* SPDX-License-Identifier: MIT */
/* fuzz_csv.c: the streaming CSV reader (csv.h) under small limits, and the
 * ledger import (ledger.h) on top of it. Any input must end (no endless
 * loop: every call consumes input or ends), give rows within the limits
 * with NUL-terminated fields, errors with a line inside the input, and every
 * field must survive fr_csv_quote and a re-read. Imported into an in-memory
 * store, every data row must be accounted for: taken + duplicates +
 * rejected = rows, and taken never exceeds the events stored. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/csv.h"
#include "frontera/ledger.h"

static void requote(const fr_csv_field *f)
{
    char buf[160];
    size_t n = fr_csv_quote(f->ptr, f->len, buf, sizeof buf - 1);
    if (n >= sizeof buf - 1) return;
    buf[n++] = '\n';
    fr_csv *c = NULL;
    if (fr_csv_new_mem(buf, n, NULL, &c) != FR_OK) abort();
    fr_csv_row r;
    if (fr_csv_next(c, &r, NULL) != 1 || r.count != 1 || r.fields[0].len != f->len ||
        memcmp(r.fields[0].ptr, f->ptr, f->len) != 0)
        abort();
    fr_csv_free(c);
}

static int count_events(void *ud, const fr_event *ev)
{
    (void)ev;
    ++*(uint64_t *)ud;
    return 0;
}

static void import(const uint8_t *data, size_t size)
{
    fr_store *s = NULL;
    fr_csv *c = NULL;
    if (fr_store_open(":memory:", FR_STORE_CREATE, &s, NULL) != FR_OK) abort();
    if (fr_csv_new_mem((const char *)data, size, NULL, &c) != FR_OK) abort();
    fr_import_stats st;
    fr_error err;
    int rc = fr_ledger_import(s, c, 3, NULL, &st, &err);
    if (rc != FR_OK && rc != FR_EPARSE && rc != FR_ELIMIT) abort();
    if (rc == FR_OK && st.taken + st.duplicates + st.rejected != st.rows) abort();
    uint64_t stored = 0;
    if (fr_store_export(s, FR_DATE_NONE, FR_DATE_NONE, count_events, &stored, NULL) != FR_OK)
        abort();
    if (rc == FR_OK && stored != st.taken) abort();
    fr_csv_free(c);
    fr_store_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= 4096) import(data, size);
    /* both separators: an odd length reads ';' */
    fr_csv_limits lim = {.max_record = 64, .max_fields = 8, .sep = size % 2 ? ';' : ','};
    fr_csv *c = NULL;
    if (fr_csv_new_mem((const char *)data, size, &lim, &c) != FR_OK) return 0;
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    fr_csv_row r;
    fr_error e;
    for (size_t guard = 0; guard <= size + 1; guard++) {
        int rc = fr_csv_next(c, &r, &e);
        if (rc == 0) break;
        if (rc < 0) {
            if (rc != FR_EPARSE && rc != FR_ELIMIT) abort();
            if (e.line < 1 || e.line > lines) abort();
            continue;
        }
        if (r.count < 1 || r.count > lim.max_fields || r.line < 1 || r.line > lines) abort();
        size_t total = 0;
        for (size_t i = 0; i < r.count; i++) {
            if (r.fields[i].ptr[r.fields[i].len] != '\0') abort();
            total += r.fields[i].len;
            requote(&r.fields[i]);
        }
        if (total > lim.max_record) abort();
    }
    if (fr_csv_offset(c) != size) abort(); /* everything was consumed */
    fr_csv_free(c);
    return 0;
}
