/* SPDX-License-Identifier: MIT */
/* analytics.h: migration analytics on an in-memory columnar index of the
 * crossings ledger: flows (entries, exits, refusals, encounters, net) and
 * overstays (the DHS Entry/Exit Overstay Report method, beside the
 * ministry's crude (entries - exits) / entries), grouped by nationality,
 * port, admission class and period. docs/analytics.md has the semantics.
 *
 * The index (fr_analytics) holds one compact record per event in columns
 * (20 bytes per event plus about 24 per traveller: see docs/analytics.md,
 * "Memory"), and keeps every entry paired with the exit that closed it and
 * with the last extension of its authorised stay, by the ledger's own rule
 * (store.h: exits close the traveller's open entry in event-time order).
 * Pairing is kept current on every append; an event that arrives out of time
 * order marks its traveller for re-pairing, done in one pass before the next
 * report. Reports are then scans over arrays, with no allocation per event.
 *
 * Ownership: fr_analytics_new gives an index the caller frees with
 * fr_analytics_free; a report from fr_analytics_flows/overstays is freed with
 * fr_report_free. Threads: an index is used by one thread at a time (a report
 * may re-pair, so it takes a non-const index); separate indexes are
 * independent. The library never prints and reads no clock. */
#ifndef FRONTERA_ANALYTICS_H
#define FRONTERA_ANALYTICS_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/csv.h"
#include "frontera/date.h"
#include "frontera/event.h"
#include "frontera/status.h"
#include "frontera/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fr_analytics fr_analytics;

/* Limits of the index (FR_ELIMIT beyond them). */
#define FR_ANALYTICS_MAX_PORTS 1023  /* distinct ports */
#define FR_ANALYTICS_MAX_CLASSES 511 /* distinct admission classes ("" included) */
#define FR_ANALYTICS_MAX_EVENTS 0x7FFFFFF0u
/* Dates must lie in 1970-01-01 .. 2106-02-06 (16-bit days, 32-bit seconds);
 * an authorised stay or an exit at most 32,766 days after its entry. */

/* One event as the index sees it. Strings are read during the call only. */
typedef struct fr_analytics_event {
    fr_event_kind kind;
    fr_date date;                /* local civil date of the event */
    int64_t at_utc;              /* the instant (fr_datetime_utc), orders a traveller's events */
    const char *port;            /* UN/LOCODE ("ECUIO") */
    const char *nationality;     /* ICAO 9303 code; "" or NULL unknown */
    const char *admission_class; /* "" or NULL: none */
    fr_date authorised_until;    /* entries and extensions; FR_DATE_NONE: not given */
    uint64_t traveller;          /* who: the store's traveller id, or fr_analytics_person_key */
} fr_analytics_event;

/* A new, empty index. FR_OK or FR_ENOMEM. */
FR_API int fr_analytics_new(fr_analytics **out);
FR_API void fr_analytics_free(fr_analytics *a); /* NULL is a no-op */

/* Make room for this many events and travellers (bulk loads; optional). */
FR_API int fr_analytics_reserve(fr_analytics *a, size_t events, size_t travellers);

/* Add one event and keep the pairing current. Errors: FR_EINVAL (unknown
 * kind, unknown nationality code, missing port), FR_ERANGE (a date outside
 * the index's range), FR_ELIMIT (too many events, ports or classes),
 * FR_ENOMEM; err says which field. Nothing is added on error. */
FR_API int fr_analytics_append(fr_analytics *a, const fr_analytics_event *ev, fr_error *err);

/* The same for a ledger event (event.h) of a known traveller: what the
 * server calls after fr_store_record with result.traveller_id. */
FR_API int fr_analytics_append_event(fr_analytics *a, const fr_event *ev, uint64_t traveller,
                                     fr_error *err);

/* A traveller key for events read without a store (a CSV file, the
 * generator): a 64-bit digest of nationality, birth date, surname and given
 * names when all are known - the ledger's certain renewal match - else of
 * the document's issuing state and number. Names are compared as given:
 * normalise raw ones first (upper case, single spaces), as the ledger does. */
FR_API uint64_t fr_analytics_person_key(const fr_document *doc);

/* Load every event of the store (fr_store_export), finding each document's
 * traveller with fr_store_find_document (once per document). An event the
 * index cannot hold (a date or a stay beyond its range: a row stored before
 * fr_event_validate checked the plausible range) is left out and counted
 * (fr_analytics_stats.skipped), so one bad row never stops the reports. */
FR_API int fr_analytics_load_store(fr_analytics *a, fr_store *s, fr_error *err);

/* Load crossings from a CSV in the import layout (ledger.h, docs/ledger.md:
 * columns found by name; kind, at, port, document_state and document_number
 * required), travellers keyed by fr_analytics_person_key. Stops at the first
 * bad row: FR_EPARSE with err's line, column and field. */
FR_API int fr_analytics_load_csv(fr_analytics *a, fr_csv *csv, fr_error *err);

/* Give back spare capacity after a bulk load (optional). */
FR_API void fr_analytics_compact(fr_analytics *a);

typedef struct fr_analytics_stats {
    size_t events, travellers, ports, classes;
    size_t bytes;        /* all memory the index holds (capacity, not size) */
    size_t event_bytes;  /* bytes per event of the per-event columns */
    fr_date first, last; /* event dates; FR_DATE_NONE when empty */
    size_t entries, exits, refusals, encounters, extensions;
    size_t unpaired_exits; /* exits with no open entry before them (exit_without_entry) */
    size_t open_entries;   /* entries with no exit: in the country, or left unrecorded */
    size_t skipped;        /* ledger events left out: dates beyond the index's range */
} fr_analytics_stats;

/* Counts and memory; re-pairs first if needed, hence not const. */
FR_API void fr_analytics_stats_get(fr_analytics *a, fr_analytics_stats *st);

/* ---- Reports ---- */

typedef enum fr_report_key {
    FR_KEY_NATIONALITY = 1,
    FR_KEY_PORT,
    FR_KEY_CLASS,
    FR_KEY_YEAR,
    FR_KEY_MONTH,
    FR_KEY_WEEK, /* ISO 8601 week, Monday to Sunday, labelled 2024-W27 */
    FR_KEY_DAY,
    FR_KEY_EMBARKATION /* the port of embarkation (recorded manifests only: fr_report_routes) */
} fr_report_key;

#define FR_REPORT_MAX_KEYS 6
#define FR_REPORT_MAX_VALUES 6
#define FR_REPORT_LABEL_MAX 32         /* bytes of a key label with its NUL */
#define FR_REPORT_MAX_CELLS (1u << 22) /* product of the keys' distinct values */

/* "nationality", "port", "class", "year", "month", "week", "day", "embarkation". */
FR_API const char *fr_report_key_name(fr_report_key k);
FR_API fr_report_key fr_report_key_parse(const char *s, size_t len); /* 0 when unknown */

typedef struct fr_report_query {
    fr_date from, to; /* the period, inclusive; FR_DATE_NONE: open */
    fr_date as_of;    /* overstays: the report date; FR_DATE_NONE: the last event's date */
    fr_report_key keys[FR_REPORT_MAX_KEYS];
    size_t nkeys;
    const int *nationalities; /* filter: country indices (country.h); NULL: all */
    size_t nnationalities;
    const char *const *ports; /* filter: UN/LOCODEs ("ECUIO"); NULL: all */
    size_t nports;
    int persons;    /* count distinct travellers, not events / admissions */
    int cumulative; /* flows: running totals along the period key from `from` */
} fr_report_query;

/* A query with open dates, no keys, no filter. */
FR_API void fr_report_query_init(fr_report_query *q);

/* Values of a flows row (v[]). */
enum { FR_FLOW_ENTRIES, FR_FLOW_EXITS, FR_FLOW_REFUSALS, FR_FLOW_ENCOUNTERS, FR_FLOW_NVALUES };
/* Values of an overstays row (v[]): DHS counts, then the crude measure's. */
enum {
    FR_OVS_EXPECTED,       /* admissions whose authorised stay ended in the period */
    FR_OVS_IN_TIME,        /* departed on or before the authorised-until date */
    FR_OVS_OUT_OF_COUNTRY, /* departed after it, by the report date */
    FR_OVS_IN_COUNTRY,     /* no departure recorded by the report date */
    FR_OVS_CRUDE_ENTRIES,  /* entries (movements) in the period */
    FR_OVS_CRUDE_EXITS,    /* exits (movements) in the period */
    FR_OVS_NVALUES
};

typedef struct fr_report_row {
    uint32_t key[FR_REPORT_MAX_KEYS]; /* index into the report's labels of each key */
    int64_t v[FR_REPORT_MAX_VALUES];  /* FR_FLOW_* or FR_OVS_* values */
} fr_report_row;

typedef struct fr_report {
    fr_report_query query; /* as run: as_of and open dates resolved; filter not kept */
    size_t nkeys;
    fr_report_key keys[FR_REPORT_MAX_KEYS];
    char (*labels[FR_REPORT_MAX_KEYS])[FR_REPORT_LABEL_MAX]; /* per key: each value ("CHN",
                                                                "2024-07") */
    size_t nlabels[FR_REPORT_MAX_KEYS];
    fr_report_row *rows; /* non-empty groups, ordered by the keys in order */
    size_t nrows;
    size_t nvalues;
    fr_report_row total; /* sums over all rows (persons: distinct over all) */
} fr_report;

/* Flows: events whose local date is in [from, to], counted by kind per
 * group; period keys take the event's date. Errors: FR_EINVAL (a key twice,
 * from after to), FR_ELIMIT (more than FR_REPORT_MAX_CELLS groups: err says
 * to narrow the keys or the period), FR_ENOMEM. *out: fr_report_free. */
FR_API int fr_analytics_flows(fr_analytics *a, const fr_report_query *q, fr_report **out,
                              fr_error *err);

/* Overstays (docs/analytics.md): DHS counts for entries whose authorised
 * stay (with extensions) ended in [from, to] and before as_of, period keys
 * taking the authorised-until date; beside them the crude measure's entries
 * and exits whose date is in [from, to] and not after as_of, period keys
 * taking the event date. Errors as fr_analytics_flows. */
FR_API int fr_analytics_overstays(fr_analytics *a, const fr_report_query *q, fr_report **out,
                                  fr_error *err);

FR_API void fr_report_free(fr_report *r); /* NULL is a no-op */

/* ---- the list to act on: who is in the country past the authorised stay ---- */

typedef struct fr_overstayer {
    uint64_t traveller;  /* the index's traveller key: the ledger's traveller id when the
                            index was loaded from a store */
    char nationality[4]; /* ICAO code, "" when unknown */
    char port[6];        /* the port of the entry */
    fr_date entered;     /* the entry's local date */
    fr_date until;       /* the end of the authorised stay, extensions included */
    int32_t days_over;   /* as_of - until (> 0) */
} fr_overstayer;

typedef struct fr_overstayer_query {
    fr_date as_of;           /* required */
    const char *nationality; /* ICAO code or NULL: all */
    const char *port;        /* UN/LOCODE or NULL: all */
    int32_t min_days_over;   /* 1 or more: at least that many days over */
} fr_overstayer_query;

/* Each traveller whose latest entry on or before q->as_of has an authorised
 * stay that ended before as_of and who had not left by as_of (no exit, or
 * one after as_of), most days over first (then by traveller). *out
 * (fr_free) holds *n rows: the first max of the *total that match. Errors: FR_EINVAL (no as_of, an
 * unknown nationality), FR_ENOMEM. Not thread-safe for the same index (it may re-pair). */
FR_API int fr_analytics_overstayers(fr_analytics *a, const fr_overstayer_query *q, size_t max,
                                    fr_overstayer **out, size_t *n, size_t *total, fr_error *err);

/* Rates of an overstays row, as fractions (0 when the denominator is 0):
 * DHS total overstay rate (out_of_country + in_country) / expected, its
 * in-country part, and the crude (entries - exits) / entries. */
FR_API double fr_report_overstay_rate(const fr_report_row *r);
FR_API double fr_report_in_country_rate(const fr_report_row *r);
FR_API double fr_report_crude_rate(const fr_report_row *r);

/* ---- Flows by route: persons announced on recorded manifests ----
 * The ledger does not know where a traveller boarded; a recorded manifest
 * (arrivals.h) does. Each announced person, with the outcome of matching
 * the booth's events to it (manifest.h, fr_manifest_reconcile), counts once
 * as announced and once in its outcome's column, grouped by embarkation,
 * nationality, arrival port and a period of the scheduled arrival date. */

/* Values of a routes row (v[]). */
enum {
    FR_ROUTE_ANNOUNCED,       /* on a manifest arriving in the period */
    FR_ROUTE_ENTERED,         /* ... and entered */
    FR_ROUTE_REFUSED,         /* ... presented and refused */
    FR_ROUTE_NOT_PRESENTED,   /* ... never presented (not in transit) */
    FR_ROUTE_TRANSIT_ENTERED, /* in transit, entered instead of continuing */
    FR_ROUTE_NVALUES
};

typedef struct fr_route_person {
    fr_date date;            /* the flight's scheduled arrival (local) */
    const char *embarkation; /* IATA airport ("IST"); "" unknown */
    const char *nationality; /* ICAO 9303 code; "" unknown */
    const char *port;        /* the arrival post, UN/LOCODE */
    int outcome;             /* FR_ROUTE_ENTERED .. FR_ROUTE_TRANSIT_ENTERED, or -1: announced
                                only (a transit passenger who continued) */
} fr_route_person;

/* The routes report of n persons: keys embarkation, nationality, port and
 * one period (year, month, week, day: of the arrival date); the query's
 * from/to and nationality and port filters apply, `persons` and
 * `cumulative` do not (each row is already one person per flight). Errors:
 * FR_EINVAL (class, a key twice, two periods, from after to), FR_ENOMEM.
 * *out: fr_report_free. Unknown values are labelled "unknown". */
FR_API int fr_report_routes(const fr_route_person *p, size_t n, const fr_report_query *q,
                            fr_report **out, fr_error *err);

/* The monthly series of the alerts (series.h: arrivals, departures,
 * encounters, due, nonexits, by nationality) of the events dated on or
 * before `to` (FR_DATE_NONE: all), settled as of as_of, into a new set
 * *out: the same series fr_series_builder gives for the ledger's export
 * (fr_store_export up to `to`), from the index alone, in one pass. Reads
 * the index only (no re-pairing needed). FR_ENOMEM, FR_ELIMIT. */
struct fr_series;
FR_API int fr_analytics_series(const fr_analytics *a, fr_date to, fr_date as_of,
                               struct fr_series **out, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
