/* SPDX-License-Identifier: MIT */
/* series.h: monthly counts by nationality and metric, the input of the alert
 * detector (alerts.h) and of the charts (svg.h).
 *
 * A series set holds, for each key (nationality, metric), one count per
 * month. Months are numbered fr_month = year * 12 + (month - 1), so
 * 2023-11 is 2023 * 12 + 10; a month with no value is missing (-1), which is
 * not the same as a zero. A set is built by fr_series_add (which adds to the
 * value already there), read from the plain CSV layout by fr_series_parse,
 * or built from ledger events by fr_series_builder (series_events.c).
 *
 * The plain CSV layout (docs/alerts.md):
 *     period,nationality,metric,count
 *     2023-01,CHN,arrivals,2061
 * period is YYYY-MM, nationality an ICAO 9303 code (country.h), metric a
 * lower-case word ([a-z0-9_], at most FR_SERIES_METRIC_MAX bytes), count a
 * non-negative integer. Columns are found by name, in any order; others are
 * ignored. Two rows for the same period and key are summed.
 *
 * A set is not thread-safe while it is being built; once built, reading it
 * from several threads is safe. */
#ifndef FRONTERA_SERIES_H
#define FRONTERA_SERIES_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/event.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t fr_month; /* year * 12 + (month - 1) */
#define FR_MONTH_NONE INT32_MIN
#define FR_MONTH_BUFSZ 8 /* "YYYY-MM" and a NUL */

#define FR_SERIES_METRIC_MAX 23
#define FR_SERIES_MAX_KEYS 20000 /* keys in one set */
#define FR_SERIES_MAX_SPAN 1200  /* months from the set's first to its last (100 years) */
#define FR_SERIES_MAX_COUNT INT64_C(1000000000000) /* one value */
#define FR_SERIES_MAX_BYTES (64u << 20)            /* a series CSV file */

/* Parse "YYYY-MM" (exactly 7 bytes, year 1900..2999) into *out; FR_EPARSE
 * with a sentence in err otherwise. */
FR_API int fr_month_parse(const char *s, size_t len, fr_month *out, fr_error *err);
/* The month of a date (date.h), and "YYYY-MM" of a month into buf. */
FR_API fr_month fr_month_of_date(fr_date d);
FR_API void fr_month_format(fr_month m, char buf[FR_MONTH_BUFSZ]);
/* First day of a month, as a date. */
FR_API fr_date fr_month_first_day(fr_month m);

typedef struct fr_series fr_series;

/* A new empty set, owned by the caller (fr_series_free). FR_ENOMEM. */
FR_API int fr_series_new(fr_series **out);
FR_API void fr_series_free(fr_series *s); /* NULL is a no-op */

/* Add count to the value of (nationality, metric) at month m (a missing value
 * counts as 0). nationality is a country index (country.h); metric a word as
 * above. Errors: FR_EINVAL (bad metric or index, negative count), FR_ELIMIT
 * (too many keys, a span over FR_SERIES_MAX_SPAN months, a value over
 * FR_SERIES_MAX_COUNT), FR_ENOMEM; err says which. The set is unchanged on error. */
FR_API int fr_series_add(fr_series *s, int nationality, const char *metric, fr_month m,
                         int64_t count, fr_error *err);

/* Read a series CSV (len bytes at text) into a new set *out (caller frees).
 * Every bad row is reported in errs[0..max_errs) with its line, column and
 * field and the count of problems in *n_errs (may be NULL); when any row is
 * bad nothing is returned (*out untouched) and the first error's code is
 * returned (FR_EPARSE, FR_ELIMIT, FR_ENOMEM). An input without a data row is
 * a valid, empty set. */
FR_API int fr_series_parse(const char *text, size_t len, fr_series **out, fr_error *errs,
                           size_t max_errs, size_t *n_errs);

/* Number of keys; their nationality (country index) and metric. Keys are in
 * the order they were first added. */
FR_API size_t fr_series_key_count(const fr_series *s);
FR_API int fr_series_key_nationality(const fr_series *s, size_t key);
FR_API const char *fr_series_key_metric(const fr_series *s, size_t key);
/* Index of a key, or -1. */
FR_API long fr_series_find(const fr_series *s, int nationality, const char *metric);
/* The set's first and last month over all keys (FR_MONTH_NONE when empty). */
FR_API fr_month fr_series_first(const fr_series *s);
FR_API fr_month fr_series_last(const fr_series *s);
/* Value of a key at month m: the count, or -1 when missing. */
FR_API int64_t fr_series_get(const fr_series *s, size_t key, fr_month m);
/* Sum of a key's values over [from, to] (missing months count 0). */
FR_API int64_t fr_series_total(const fr_series *s, size_t key, fr_month from, fr_month to);

/* Building a set from ledger events: entries become "arrivals", encounters
 * "encounters", and each entry whose authorised stay has ended by the report
 * date is "due"; a due entry with no exit of the same traveller on or before
 * its authorised-until date is a "nonexits" (counted in the entry's month).
 * The traveller is ev->traveller_id when the event has one (the database:
 * an exit on a renewed passport closes the entry on the old one), else the
 * document (issuing state + number: ledger CSV files carry no traveller). The non-exit rate is
 * nonexits / due. An entry without authorised-until is given FR_SERIES_DEFAULT_STAY days. Exits are
 * matched in the order events are added; they must come after their entry (store export and synth
 * output are in time order). Events without a valid nationality, or dated outside
 * FR_EVENT_DATE_MIN..MAX (rows stored before that check), are skipped (counted). */
#define FR_SERIES_DEFAULT_STAY 90
typedef struct fr_series_builder fr_series_builder;

FR_API int fr_series_builder_new(fr_series_builder **out);
FR_API void fr_series_builder_free(fr_series_builder *b); /* NULL is a no-op */
/* Count one event (entries, exits and encounters; other kinds are ignored).
 * Errors: FR_ENOMEM, FR_ELIMIT (the events span more than
 * FR_SERIES_MAX_SPAN months). */
FR_API int fr_series_builder_add(fr_series_builder *b, const fr_event *ev);
/* The lean form for callers that do not hold an fr_event (benchmarks):
 * kind, day, country index, document key (any stable 64-bit hash of issuing
 * state + number) and authorised-until (FR_DATE_NONE: default stay). */
FR_API int fr_series_builder_add_raw(fr_series_builder *b, fr_event_kind kind, fr_date day,
                                     int nationality, uint64_t doc_key, fr_date authorised_until);
/* Events skipped (no nationality, implausible date); the latest event day seen. */
FR_API uint64_t fr_series_builder_skipped(const fr_series_builder *b);
FR_API fr_date fr_series_builder_last_day(const fr_series_builder *b);
/* Settle the open entries as of the report date as_of (entries whose
 * authorised stay ends before as_of are due; FR_DATE_NONE or a day before
 * the last event's means the day after the last event) and write the series to a new
 * set *out (caller frees). Months the ledger does not record whole are
 * missing, not zero: a month between the first and the last event with no
 * event at all (a gap), the month after a gap (the record resumed at an
 * unknown point in it) and the month of as_of (not over). An entry whose
 * stay spans such a gap (or the month after it) is neither due nor a
 * non-exit: its exit may lie there. The builder may not be used afterwards
 * except to free it. FR_ENOMEM, FR_ELIMIT. */
FR_API int fr_series_builder_finish(fr_series_builder *b, fr_date as_of, fr_series **out,
                                    fr_error *err);

/* Read the events of a ledger CSV (the layout of `frontera export` and
 * `frontera synth`, docs/ledger.md) through csv to the end, calling fn for
 * each entry, exit and encounter dated on or before `to` (FR_DATE_NONE: no
 * limit), in file order. Only kind, date, document state and number,
 * nationality, admission class and authorised-until are filled (columns
 * found by name); the event is valid during the call only. A malformed row
 * stops the read with FR_EPARSE and its line, column and field in err; a
 * non-zero return from fn stops it with that code. *rows (may be NULL)
 * receives the data rows read. The callback has the shape of
 * fr_store_export's, so both sources feed the same consumer. */
typedef int (*fr_series_event_fn)(void *ud, const fr_event *ev);
struct fr_csv;
FR_API int fr_series_csv_events(struct fr_csv *csv, fr_date to, fr_series_event_fn fn, void *ud,
                                uint64_t *rows, fr_error *err);

/* Feed the builder from a ledger CSV: fr_series_csv_events with
 * fr_series_builder_add. */
FR_API int fr_series_builder_add_csv(fr_series_builder *b, struct fr_csv *csv, fr_date to,
                                     uint64_t *rows, fr_error *err);

/* The document key (FNV-1a of "STATE|NUMBER"), and the key exits are
 * paired by: the traveller's when ev->traveller_id > 0, else the document's
 * (the two never collide: a traveller key hashes a different prefix). */
FR_API uint64_t fr_series_doc_key(const char *state, const char *number);
FR_API uint64_t fr_series_person_key(const fr_event *ev);

#ifdef __cplusplus
}
#endif
#endif
