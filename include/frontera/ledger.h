/* SPDX-License-Identifier: MIT */
/* ledger.h: bulk crossings as CSV: import into a store, and one row per
 * event for export, in the layout of docs/ledger.md.
 *
 * Import is streaming (a csv.h reader: constant memory), transactional in
 * batches (each committed batch is durable), and resumable: event ids make a
 * re-run after a crash count the committed rows as duplicates and add the
 * rest. The library never prints: rejected rows, notices and progress go to
 * the caller's hooks. */
#ifndef FRONTERA_LEDGER_H
#define FRONTERA_LEDGER_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/csv.h"
#include "frontera/event.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The columns export writes, in this order; import finds them by name. */
#define FR_LEDGER_COLUMNS(X)                                                                       \
    X(EVENT_ID, "event_id", 1)                                                                     \
    X(KIND, "kind", 1)                                                                             \
    X(AT, "at", 1)                                                                                 \
    X(PORT, "port", 1)                                                                             \
    X(DOCUMENT_TYPE, "document_type", 0)                                                           \
    X(DOCUMENT_STATE, "document_state", 1)                                                         \
    X(DOCUMENT_NUMBER, "document_number", 1)                                                       \
    X(DOCUMENT_EXPIRY, "document_expiry", 0)                                                       \
    X(SURNAME, "surname", 0)                                                                       \
    X(GIVEN_NAMES, "given_names", 0)                                                               \
    X(NATIONALITY, "nationality", 0)                                                               \
    X(BIRTH_DATE, "birth_date", 0)                                                                 \
    X(SEX, "sex", 0)                                                                               \
    X(ADMISSION_CLASS, "admission_class", 0)                                                       \
    X(AUTHORISED_UNTIL, "authorised_until", 0)                                                     \
    X(OFFICER, "officer", 0)                                                                       \
    X(DECISION, "decision", 0)                                                                     \
    X(REASONS, "reasons", 0)

typedef struct fr_import_stats {
    uint64_t rows;       /* data rows read */
    uint64_t taken;      /* new events recorded */
    uint64_t duplicates; /* already recorded with the same content (retries, re-runs) */
    uint64_t rejected;   /* sent to the reject hook */
    uint64_t batches;    /* committed batches */
    uint64_t bytes;      /* input consumed */
    /* 1 in the progress call made once every row is recorded, when the
     * ledger's indexes are built next (an import into an empty ledger:
     * docs/ledger.md); 0 otherwise */
    int indexing;
} fr_import_stats;

typedef struct fr_import_hooks {
    void *ud;
    /* A rejected row: its line, why (why->field: the column at fault, ""
     * for the whole row; why->message: the reason, which status.h's
     * fr_error_format can say in another language), and its fields (row
     * NULL when the CSV itself was malformed). Return non-zero to stop the
     * import (that code is returned). */
    int (*reject)(void *ud, long line, const fr_error *why, const fr_csv_row *row);
    /* Something to know that is not a rejected row, said once: the unknown
     * columns that are ignored (what->line: the header's), the indexes an
     * import into an empty ledger could not build at the end (what->code:
     * the store's error, e.g. FR_EBUSY). what->message is the English
     * sentence; like a rejected row's reason it keeps its format and values,
     * so that status.h's fr_error_format can say it in another language.
     * what->code is FR_OK when the notice is about no error. */
    void (*notice)(void *ud, const fr_error *what);
    /* After each committed batch, and about once a second while a batch is
     * open (st->rows and bytes move; taken and duplicates count committed
     * rows only). */
    void (*progress)(void *ud, const fr_import_stats *st);
    /* The header row (so a rejects file can repeat it). */
    void (*header)(void *ud, const fr_csv_row *row);
    /* Called for every valid row before it is recorded, with the store (in
     * the batch's transaction, so earlier rows of the file are visible): may
     * complete fields the row left empty (an entry's authorised_until from
     * the policy). Return FR_OK, or an error code with err filled to reject
     * the row (err->field, err->message become the reason). */
    int (*complete)(void *ud, fr_store *s, fr_event *ev, fr_error *err);
    /* A batch is also committed once it has been open this many
     * milliseconds (looked at between reads of 4,000 rows); 0: by rows
     * only. Large batches make an import into a large ledger faster (a
     * commit rewrites most pages of the random-order indexes whatever its
     * size) but make other writers of the ledger wait for them. */
    unsigned batch_ms;
} fr_import_hooks;

/* Import the CSV read by csv into s, batch rows per transaction (0: 10000).
 * Returns FR_OK when the input was read to the end (rows may have been
 * rejected: see stats), FR_EPARSE when the header lacks required columns
 * (err names them) or is malformed, the hook's code when a hook stopped it,
 * or a store error; committed batches stay. hooks and stats may be NULL. */
FR_API int fr_ledger_import(fr_store *s, fr_csv *csv, size_t batch, const fr_import_hooks *hooks,
                            fr_import_stats *stats, fr_error *err);

/* The header line, with a newline. */
FR_API const char *fr_ledger_csv_header(void);
/* Format ev as one CSV line with a newline into out (cap bytes). Returns the
 * length needed; when it is >= cap, out holds nothing usable. */
FR_API size_t fr_ledger_csv_format(const fr_event *ev, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
