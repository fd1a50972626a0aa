/* SPDX-License-Identifier: MIT */
/* event.h: what the crossings ledger records: a travel document as read at
 * the booth and one event (entry, exit, refusal, encounter, extension) with
 * its place, time, decision and reasons.
 *
 * These are plain value structs with fixed-size text fields (every buffer
 * has a limit), so a caller fills one on the stack and passes it to
 * fr_store_record (store.h). Text is upper-case ASCII as an MRZ carries it,
 * except officer, decision and reasons. fr_event_validate checks one event
 * the same way for every entry path (program options, CSV import, the
 * admission decision). All functions are pure and thread-safe. */
#ifndef FRONTERA_EVENT_H
#define FRONTERA_EVENT_H

#include "frontera/api.h"

#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_event_kind {
    FR_EVENT_NONE = 0,
    FR_EVENT_ENTRY = 1,
    FR_EVENT_EXIT = 2,
    FR_EVENT_REFUSAL = 3,
    FR_EVENT_ENCOUNTER = 4, /* irregular presence found inland or at a land border */
    FR_EVENT_EXTENSION = 5  /* the authorised stay of the open entry was extended */
} fr_event_kind;

/* Anomaly flags stored with an event (fr_history_item.anomalies). An
 * anomalous event is recorded as it happened, never rejected. */
#define FR_ANOMALY_EXIT_WITHOUT_ENTRY 0x01 /* exit with no open entry before it */
#define FR_ANOMALY_ENTRY_WITHOUT_EXIT 0x02 /* entry while an earlier entry was still open */
#define FR_ANOMALY_DOCUMENT_MISMATCH                                                               \
    0x04                             /* the document's person fields differ from the               \
                                        ones first recorded for that document */
#define FR_ANOMALY_PAIRING_MASK 0x03 /* the flags recomputed by exit matching */

/* The plausible range of an event's date (its local civil date), checked by
 * fr_event_validate on every path into the ledger: 2000-01-01 .. 2099-12-31.
 * One century: what the analytics index and the monthly series hold, so one
 * mistyped year (2207, 1969) can never stop the reports. An authorised stay
 * ends at most FR_EVENT_STAY_MAX_DAYS (about 50 years) after its event. */
#define FR_EVENT_DATE_MIN 10957 /* 2000-01-01 */
#define FR_EVENT_DATE_MAX 47481 /* 2099-12-31 */
#define FR_EVENT_STAY_MAX_DAYS 18262
/* An event recorded "now" (at a booth, through the server, from the command
 * line) may lie at most this many seconds after the recording clock:
 * fr_event_check_clock. */
#define FR_EVENT_CLOCK_SLACK_S 3600

/* Field limits (bytes, without the NUL). */
#define FR_EVENT_ID_MAX 64
#define FR_NAME_MAX 96
#define FR_DOCNUM_MAX 20
#define FR_CLASS_MAX 24
#define FR_OFFICER_MAX 48
#define FR_REASONS_MAX 8192

typedef struct fr_document {
    char type[3];                   /* "P", "PA", "I", "ID", "AC" ...; "" unknown */
    char state[4];                  /* issuing state, ICAO 9303 code (required) */
    char number[FR_DOCNUM_MAX + 1]; /* required */
    fr_date expiry;                 /* FR_DATE_NONE unknown */
    char surname[FR_NAME_MAX + 1];
    char given_names[FR_NAME_MAX + 1];
    char nationality[4]; /* ICAO 9303 code; "" unknown */
    fr_date birth_date;  /* FR_DATE_NONE unknown */
    char sex;            /* 'M', 'F', 'X' or 0 unknown */
} fr_document;

typedef struct fr_event {
    char event_id[FR_EVENT_ID_MAX + 1]; /* chosen by the sender; unique */
    fr_event_kind kind;
    fr_datetime at; /* local date and time with UTC offset (required) */
    char port[6];   /* UN/LOCODE: country (ISO alpha-2) + 3 letters/digits */
    fr_document doc;
    char admission_class[FR_CLASS_MAX + 1]; /* "" none */
    fr_date authorised_until;               /* entries/extensions; FR_DATE_NONE: not given
                                               (the admission/policy module computes it) */
    char officer[FR_OFFICER_MAX + 1];
    char decision[16];        /* "admit", "refer", "refuse" or "" */
    const char *reasons_json; /* borrowed; NULL or a JSON array/object text */
    int64_t traveller_id;     /* the store's traveller holding the document, filled by
                                 fr_store_export; 0 unknown (input, CSV files) */
} fr_event;

/* "entry", "exit" ...; "" for FR_EVENT_NONE or an unknown value. */
FR_API const char *fr_event_kind_name(fr_event_kind kind);
/* Parse a kind name (exact, lower case); FR_EVENT_NONE when unknown. */
FR_API fr_event_kind fr_event_kind_parse(const char *s, size_t len);

/* Name of one anomaly flag ("exit_without_entry", "entry_without_exit",
 * "document_mismatch"), "" for anything else. */
FR_API const char *fr_anomaly_name(unsigned flag);

/* Clear an event: empty strings, FR_DATE_NONE dates, no reasons. */
FR_API void fr_event_init(fr_event *ev);

/* Check an event before it is stored: event id (1..64 printable bytes, no
 * spaces), kind, time with offset, port (UN/LOCODE whose first two letters
 * are an ISO 3166 state: the alpha-2 of an ICAO code), document state and
 * nationality (country.h), document number ([A-Z0-9<]), sex, authorised-until
 * only on entries and extensions and not before the event date, decision
 * one of the three words, the date inside FR_EVENT_DATE_MIN..MAX and an
 * authorised stay of at most FR_EVENT_STAY_MAX_DAYS, names, officer and class
 * well-formed text (text.h: fr_text_ok) (the store checks that
 * reasons are well-formed JSON: the core has no JSON parser).
 * Returns FR_OK or FR_EINVAL with err->field naming the field at fault. */
FR_API int fr_event_validate(const fr_event *ev, fr_error *err);

/* The clock check for events that happen as they are recorded: the event's
 * instant (fr_datetime_utc) may not lie more than FR_EVENT_CLOCK_SLACK_S after
 * now_utc (seconds since the epoch, the caller's clock: the library reads
 * none). FR_OK or FR_EINVAL with err->field "at". */
FR_API int fr_event_check_clock(const fr_event *ev, int64_t now_utc, fr_error *err);

/* Check a port: a UN/LOCODE, 5 characters, whose first two are an ISO 3166
 * state (the rule of fr_event_validate, for paths that decide without
 * recording: an admission not recorded). FR_OK or FR_EINVAL, field "port". */
FR_API int fr_event_check_port(const char *port, fr_error *err);

/* Is the two-letter code a state that UN/LOCODE knows (ISO 3166-1 alpha-2)? */
FR_API int fr_locode_country_ok(const char *cc2);

#ifdef __cplusplus
}
#endif
#endif
