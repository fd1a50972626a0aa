/* SPDX-License-Identifier: MIT */
/* paxlst.h: a reader for UN/EDIFACT PAXLST passenger and crew manifests.
 *
 * Airlines send Advance Passenger Information as PAXLST messages (WCO/IATA/
 * ICAO API Guidelines; directories D02B, D05B, D12B, and the legacy US
 * PAXLST with PDT segments). fr_paxlst_read takes the bytes of one file and
 * returns every message in it: the interchange and message headers, the
 * flight legs and the persons (passengers, crew, in-transit passengers and
 * crew) with their documents.
 *
 * The syntax follows ISO 9735: an optional UNA service string advice sets
 * the separators and the release character; segments end with the segment
 * terminator; CR and LF between segments are ignored, so files with CR, LF,
 * CRLF or no line ends read the same; a Type-B envelope (or any text)
 * before UNA/UNB is skipped. Every structural problem is a finding with a
 * stable code, the segment number (1-based, counted from UNB; UNA is not a
 * segment), the line and column (1-based bytes) and a sentence: wrong UNT
 * count or reference, UNE/UNZ counts and references, CNT totals that differ
 * from the persons listed, unterminated segments, characters outside the
 * declared character set (UNOA, UNOB, UNOC), messages that are not PAXLST.
 *
 * A message is valid when it has no error finding (warnings allowed). In
 * strict mode (the default) the persons and legs of an invalid message are
 * withheld; with `lenient` they are extracted as far as the message allows
 * and a `lenient.extracted` warning says so.
 *
 * Values are returned as UTF-8: release characters removed, UNOC read as
 * ISO 8859-1, bytes that are neither turned into U+FFFD. Two-digit years are
 * placed relative to the interchange's preparation date (docs/paxlst.md).
 *
 * Reading is pure: no clock, no environment; the result owns its memory.
 * Thread-safe: distinct calls share nothing. */
#ifndef FRONTERA_PAXLST_H
#define FRONTERA_PAXLST_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_paxlst_severity { FR_PAXLST_ERROR = 0, FR_PAXLST_WARNING = 1 } fr_paxlst_severity;
/* "error", "warning". */
FR_API const char *fr_paxlst_severity_name(fr_paxlst_severity s);

/* Roles of persons (the NAD qualifier). */
typedef enum fr_paxlst_role {
    FR_PAXLST_FL = 0,  /* passenger */
    FR_PAXLST_FM = 1,  /* crew member */
    FR_PAXLST_DDU = 2, /* passenger in transit */
    FR_PAXLST_DDT = 3  /* crew member in transit */
} fr_paxlst_role;
/* "FL", "FM", "DDU", "DDT". */
FR_API const char *fr_paxlst_role_name(fr_paxlst_role r);

#define FR_PAXLST_MESSAGE_MAX 240
#define FR_PAXLST_MAX_FINDINGS 64 /* per message; findings_overflow says more were found */
#define FR_PAXLST_MAX_DOCS 4      /* documents per person (passport, visa, ...) */

typedef struct fr_paxlst_finding {
    char code[32]; /* stable: "unt.count", "cnt.total", "segment.unterminated" ... */
    fr_paxlst_severity severity;
    long segment; /* 1-based segment number in the file (UNB is 1), 0 when none */
    int line;     /* 1-based; 0 when none */
    int column;   /* 1-based byte column */
    char message[FR_PAXLST_MESSAGE_MAX];
} fr_paxlst_finding;

/* A local date-time as written in the message (no time zone). */
typedef struct fr_paxlst_time {
    fr_date date; /* FR_DATE_NONE when absent */
    int minute;   /* minutes after midnight, -1 when no time was given */
} fr_paxlst_time;

/* "YYYY-MM-DDTHH:MM", "YYYY-MM-DD" without a time, "" when absent. */
#define FR_PAXLST_TIME_BUFSZ 20
FR_API char *fr_paxlst_time_format(const fr_paxlst_time *t, char buf[FR_PAXLST_TIME_BUFSZ]);

typedef struct fr_paxlst_document {
    char type[8]; /* DOC type as sent: P passport, I/C/A identity cards, V visa, "" none */
    char number[40];
    fr_date expiry;          /* DTM+36, FR_DATE_NONE when absent */
    fr_date issued;          /* DTM+182 */
    char issuing_country[8]; /* LOC+91, as sent (ISO 3166 alpha-3 usually) */
} fr_paxlst_document;

typedef struct fr_paxlst_person {
    fr_paxlst_role role;
    char surname[96];
    char given_names[128];     /* the given-name components joined by one space */
    char sex[4];               /* ATT+2: M, F, U, X as sent; "" when absent */
    fr_date birth_date;        /* DTM+329 */
    char nationality[8];       /* NAT+2, as sent */
    char residence_country[8]; /* LOC+174 */
    char embarkation_port[8];  /* LOC+178 */
    char debarkation_port[8];  /* LOC+179 */
    int ndocs;
    fr_paxlst_document docs[FR_PAXLST_MAX_DOCS];
    long segment; /* the NAD (or PDT) segment */
    int line;
} fr_paxlst_person;

typedef struct fr_paxlst_leg {
    char flight[24];          /* TDT: "UA0989" */
    char carrier[8];          /* TDT carrier, else the flight's airline prefix */
    char from[8];             /* LOC+125 or the first LOC+92 */
    char to[8];               /* LOC+87 or the second LOC+92 */
    fr_paxlst_time departure; /* DTM+189 */
    fr_paxlst_time arrival;   /* DTM+232 */
} fr_paxlst_leg;

typedef struct fr_paxlst_message {
    int valid; /* no error finding */
    int nerrors, nwarnings;
    int has_header; /* a UNH was read (0: findings about a file with no message) */
    /* UNH */
    char ref[40];     /* message reference number */
    char type[8];     /* "PAXLST" */
    char version[16]; /* "D02B", "D05B", "D12B"; "001:000" for legacy forms */
    char agency[8];   /* controlling agency ("UN") */
    char document[8]; /* BGM code: 745 passengers, 250 crew ... */
    /* UNB */
    char syntax[8]; /* "UNOA", "UNOB", "UNOC" ... */
    char sender[40];
    char recipient[40];
    fr_paxlst_time prepared;
    char control_ref[16];
    size_t nlegs;
    fr_paxlst_leg *legs;
    size_t npersons;
    fr_paxlst_person *persons;
    size_t nfindings;
    fr_paxlst_finding findings[FR_PAXLST_MAX_FINDINGS];
    int findings_overflow;
    long segment; /* the UNH segment number, 0 when none */
    int line;
} fr_paxlst_message;

typedef struct fr_paxlst {
    size_t nmessages;
    fr_paxlst_message *messages;
} fr_paxlst;

typedef struct fr_paxlst_options {
    int lenient;        /* extract persons from messages with errors */
    size_t max_persons; /* per message; 0: 100000. More is a `limit.persons` error */
    size_t max_segment; /* bytes of one segment; 0: 65536 */
} fr_paxlst_options;

/* Read len bytes of data (one file; not NUL-terminated; may hold several
 * interchanges and messages). opt may be NULL (strict, default limits).
 * On FR_OK *out holds at least one message (a file with no message gets one
 * with has_header 0 and the findings that say why), owned by the caller:
 * free it with fr_paxlst_free. Bad input is never an error return: it is in
 * the findings. Returns FR_EINVAL (NULL data with len > 0, or out NULL) or
 * FR_ENOMEM, with err filled (err may be NULL). */
FR_API int fr_paxlst_read(const char *data, size_t len, const fr_paxlst_options *opt,
                          fr_paxlst **out, fr_error *err);
FR_API void fr_paxlst_free(fr_paxlst *p);

/* Tokenise only (the first step of fr_paxlst_read, for the benchmark): the
 * number of segments in data, or a negative status. */
FR_API long fr_paxlst_count_segments(const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
