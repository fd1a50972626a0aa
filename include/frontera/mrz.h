/* SPDX-License-Identifier: MIT */
/* mrz.h: reading and building ICAO Doc 9303 machine readable zones.
 *
 * fr_mrz_parse reads the MRZ of a travel document in any of the five ICAO
 * 9303 formats (TD1 3x30 cards, TD2 2x36 cards, TD3 2x44 passports, MRV-A
 * 2x44 and MRV-B 2x36 visas) into a caller-allocated fr_mrz: every field,
 * every check digit (composite included), dates with their century chosen
 * against a reference date, state codes validated against country.h. What
 * is wrong is listed as findings (a code, the line and column, a sentence a
 * border officer understands) while the rest of the document is still read.
 * fr_mrz_make does the reverse: it writes the MRZ lines for a set of fields,
 * computing every check digit.
 *
 * Contract: no allocation, no clock, no global state; all functions are
 * thread-safe and reentrant. The result struct is large (a few KB, the
 * findings array) but lives wherever the caller puts it; parsing a valid
 * document writes no finding message, so the hot path is a few hundred
 * nanoseconds. See docs/mrz.md for the formats, the findings codes, the
 * century rule and the repair mode. */
#ifndef FRONTERA_MRZ_H
#define FRONTERA_MRZ_H

#include "frontera/api.h"

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fr_mrz_format {
    FR_MRZ_NONE = 0, /* the format could not be determined */
    FR_MRZ_TD1,      /* ID card, 3 lines of 30 (Doc 9303 Part 5) */
    FR_MRZ_TD2,      /* ID card, 2 lines of 36 (Part 6) */
    FR_MRZ_TD3,      /* passport, 2 lines of 44 (Part 4) */
    FR_MRZ_MRVA,     /* visa, 2 lines of 44 (Part 7) */
    FR_MRZ_MRVB      /* visa, 2 lines of 36 (Part 7) */
} fr_mrz_format;

/* "TD1", "TD2", "TD3", "MRVA", "MRVB"; NULL for FR_MRZ_NONE. */
FR_API const char *fr_mrz_format_name(fr_mrz_format f);
/* The format named (case-sensitive, as above, "MRV-A"/"MRV-B" accepted too);
 * FR_MRZ_NONE when unknown. */
FR_API fr_mrz_format fr_mrz_format_from_name(const char *name);

/* Finding levels. An error makes the document invalid; a note is something
 * an officer should know (a name that may be truncated, a repair applied)
 * on an otherwise valid document. */
typedef enum fr_mrz_level { FR_MRZ_ERROR = 0, FR_MRZ_NOTE = 1 } fr_mrz_level;

/* X(enum, code string, level). The code strings are stable: programs and
 * tests match on them. docs/mrz.md explains each. */
#define FR_MRZ_FINDING_MAP(X)                                                                      \
    X(FR_MRZ_F_FORMAT, "format", FR_MRZ_ERROR)                                                     \
    X(FR_MRZ_F_LENGTH, "length", FR_MRZ_ERROR)                                                     \
    X(FR_MRZ_F_CHARSET, "charset", FR_MRZ_ERROR)                                                   \
    X(FR_MRZ_F_DOCUMENT_CODE, "document_code", FR_MRZ_ERROR)                                       \
    X(FR_MRZ_F_ISSUING_STATE, "country.issuing_state", FR_MRZ_ERROR)                               \
    X(FR_MRZ_F_NATIONALITY, "country.nationality", FR_MRZ_ERROR)                                   \
    X(FR_MRZ_F_NAME, "name", FR_MRZ_ERROR)                                                         \
    X(FR_MRZ_F_NAME_TRUNCATED, "name.truncated", FR_MRZ_NOTE)                                      \
    X(FR_MRZ_F_DOCUMENT_NUMBER, "document_number", FR_MRZ_ERROR)                                   \
    X(FR_MRZ_F_CD_DOCUMENT_NUMBER, "check_digit.document_number", FR_MRZ_ERROR)                    \
    X(FR_MRZ_F_CD_BIRTH_DATE, "check_digit.birth_date", FR_MRZ_ERROR)                              \
    X(FR_MRZ_F_CD_EXPIRY_DATE, "check_digit.expiry_date", FR_MRZ_ERROR)                            \
    X(FR_MRZ_F_CD_OPTIONAL_DATA, "check_digit.optional_data", FR_MRZ_ERROR)                        \
    X(FR_MRZ_F_CD_COMPOSITE, "check_digit.composite", FR_MRZ_ERROR)                                \
    X(FR_MRZ_F_DATE_BIRTH, "date.birth", FR_MRZ_ERROR)                                             \
    X(FR_MRZ_F_DATE_EXPIRY, "date.expiry", FR_MRZ_ERROR)                                           \
    X(FR_MRZ_F_SEX, "sex", FR_MRZ_ERROR)                                                           \
    X(FR_MRZ_F_OPTIONAL_DATA, "optional_data", FR_MRZ_ERROR)                                       \
    X(FR_MRZ_F_REPAIR_APPLIED, "repair.applied", FR_MRZ_NOTE)

typedef enum fr_mrz_code {
#define FR_X_ENUM(e, s, l) e,
    FR_MRZ_FINDING_MAP(FR_X_ENUM)
#undef FR_X_ENUM
        FR_MRZ_F_COUNT_
} fr_mrz_code;

/* "check_digit.composite" ...; "?" when out of range. */
FR_API const char *fr_mrz_code_name(fr_mrz_code c);
/* The level a code always has. */
FR_API fr_mrz_level fr_mrz_code_level(fr_mrz_code c);

#define FR_MRZ_MAX_FINDINGS 24
#define FR_MRZ_MESSAGE_MAX 200

typedef struct fr_mrz_finding {
    fr_mrz_code code;
    fr_mrz_level level;
    /* Where: never 0. 1-based line of the MRZ (not of a file) and 1-based
     * column. A finding about a whole line is at that line's column 1; one
     * about the whole zone (the `format` findings) at line 1, column 1. */
    int line;
    int column;
    char message[FR_MRZ_MESSAGE_MAX];
    /* A finding's values, so that a program can say it in another
     * language. A check digit's: the character read where the digit stands
     * (found), the digit the field gives (expected: "<" or "0" for an empty
     * personal number), and the field as read (value: fillers as '<'; empty
     * for the composite digit). A line of the wrong length: the characters
     * read (value) and its format's (expected). A country code not in the
     * list: the code as read (value; empty when only fillers). Empty
     * strings for every other finding. */
    char found[2], expected[4], value[48];
} fr_mrz_finding;

/* How much of a date is known. */
typedef enum fr_mrz_date_kind {
    FR_MRZ_DATE_INVALID = 0, /* unreadable or no such day: a finding says why */
    FR_MRZ_DATE_FULL,        /* year, month and day known: .date is set */
    FR_MRZ_DATE_PARTIAL,     /* day, or month and day, are fillers (<<) */
    FR_MRZ_DATE_UNKNOWN      /* all six positions are fillers */
} fr_mrz_date_kind;

typedef struct fr_mrz_date {
    fr_mrz_date_kind kind;
    int year;     /* four digits after the century rule; 0 when unknown/invalid */
    int month;    /* 1..12; 0 when unknown */
    int day;      /* 1..31; 0 when unknown */
    fr_date date; /* the civil date when kind is FULL, else FR_DATE_NONE */
} fr_mrz_date;

/* Buffer size for fr_mrz_date_format. */
#define FR_MRZ_DATE_BUFSZ 11
/* "1974-08-12"; a partial date in ISO 8601 reduced precision: "1974-08"
 * (day unknown) or "1974" (month unknown); "" when UNKNOWN or INVALID.
 * Returns buf. */
FR_API char *fr_mrz_date_format(const fr_mrz_date *d, char buf[FR_MRZ_DATE_BUFSZ]);
/* The reverse, for fr_mrz_make's callers: "YYYY-MM-DD", "YYYY-MM" or "YYYY"
 * into *out. FR_EPARSE on anything else, FR_ERANGE for a day that does not
 * exist. */
FR_API int fr_mrz_date_parse(const char *s, size_t len, fr_mrz_date *out);

/* Field sizes (characters, without the NUL). */
#define FR_MRZ_NAME_MAX 39   /* the TD3 name field */
#define FR_MRZ_NUMBER_MAX 23 /* TD1: 9 + 14 characters in the optional data */
#define FR_MRZ_OPTIONAL_MAX 16
#define FR_MRZ_OPTIONAL2_MAX 11

typedef struct fr_mrz {
    fr_mrz_format format;
    /* Fields as text, NUL-terminated, trailing fillers removed. Names have
     * fillers turned into single spaces. Bytes that are not printable ASCII
     * are shown as '?' (and are a `charset` finding). */
    char document_code[3];                 /* "P", "PO", "I", "AC", "V" ... */
    char issuing_state[4];                 /* "D", "UTO", "FRA" */
    char surname[FR_MRZ_NAME_MAX + 1];     /* primary identifier */
    char given_names[FR_MRZ_NAME_MAX + 1]; /* secondary identifier, "" if none */
    char document_number[FR_MRZ_NUMBER_MAX + 1];
    char nationality[4];
    fr_mrz_date birth_date;
    char sex; /* 'M', 'F', 'X', '<' (unspecified); as read when invalid */
    fr_mrz_date expiry_date;
    char optional_data[FR_MRZ_OPTIONAL_MAX + 1];    /* TD3: personal number */
    char optional_data_2[FR_MRZ_OPTIONAL2_MAX + 1]; /* TD1 line 2 only */
    int name_truncated;    /* the name field is full: the name may be cut */
    int repairs;           /* characters changed by repair mode */
    int valid;             /* 1 when no error-level finding */
    int nerrors;           /* error-level findings (also those not stored) */
    int nfindings;         /* stored findings */
    int findings_overflow; /* 1 when more findings existed than fit */
    fr_mrz_finding findings[FR_MRZ_MAX_FINDINGS];
} fr_mrz;

/* The ICAO code table (country.h) as a bitmap over the 27^3 three-character
 * MRZ code fields (A-Z and '<'), for the reader's hot path: one bit test
 * instead of a binary search per state code. Built from fr_country_find by
 * fr_mrz_codes_init (about a millisecond), so it always agrees with
 * country.h; read-only afterwards, so one table may be shared by any number
 * of threads. Optional: see fr_mrz_options.codes. */
typedef struct fr_mrz_codes {
    uint8_t bits[(27 * 27 * 27 + 7) / 8];
} fr_mrz_codes;

/* Fill the table (the caller owns the storage; no allocation). */
FR_API void fr_mrz_codes_init(fr_mrz_codes *codes);

typedef struct fr_mrz_options {
    /* Reference date for the century of two-digit years (usually today at
     * the border post). Required: FR_DATE_NONE is FR_EINVAL. */
    fr_date today;
    /* Years ahead of `today` an expiry date may lie; 0 means the default,
     * FR_MRZ_EXPIRY_WINDOW. 1..99. */
    int expiry_years;
    /* Opt-in OCR repair (docs/mrz.md): O/0 I/1 B/8 S/5 Z/2 G/6 fixed where
     * the format requires digits or letters, kept only when check digits
     * hold. Each change is a repair.applied note. */
    int repair;
    /* Accept "UTO", the fictitious state of the ICAO 9303 specimens, as an
     * issuing state and nationality (tests and training only). */
    int specimen;
    /* A table from fr_mrz_codes_init, or NULL to look codes up with
     * fr_country_find. Same answers; the table is faster. */
    const fr_mrz_codes *codes;
} fr_mrz_options;

#define FR_MRZ_EXPIRY_WINDOW 20

/* Options with `today` set and everything else off. */
FR_API fr_mrz_options fr_mrz_options_default(fr_date today);

/* Parse the MRZ in the len bytes at text (not necessarily NUL-terminated).
 * Lines are separated by "\n" or "\r\n"; trailing spaces and tabs and blank
 * lines are ignored. A single line of exactly 90, 72 or 88 characters (a
 * scanner that dropped the newlines) is split into 3x30, 2x36 or 2x44.
 * A line of the wrong length is a `length` finding; the document is read as
 * far as possible anyway.
 *
 * Returns FR_OK when the document has no error-level finding, FR_EPARSE
 * when it has (out is filled as far as it could be read, out->findings say
 * why), FR_EINVAL when text, opt or out is NULL or opt->today is unset (out
 * untouched). No allocation; out is entirely overwritten except the unused
 * tail of the findings array. */
FR_API int fr_mrz_parse(const char *text, size_t len, const fr_mrz_options *opt, fr_mrz *out);

/* Buffer size for fr_mrz_make: three lines of 30, two of 36 or 44, each
 * followed by '\n', and a NUL. */
#define FR_MRZ_TEXT_MAX 96

/* Write the MRZ lines for the fields of `in` (format, document_code,
 * issuing_state, surname, given_names, document_number, nationality,
 * birth_date, sex, expiry_date, optional_data, optional_data_2; the other
 * members are ignored) into out as "line\nline\n" (NUL-terminated),
 * computing every check digit. Names: letters (lower case is raised), spaces
 * and hyphens become fillers, apostrophes are dropped; a name too long for
 * the field is cut at the field's end. A document number longer than 9
 * characters uses the long-number form of TD1/TD2. birth_date kind UNKNOWN
 * writes fillers; month/day 0 write "<<".
 *
 * opt may be NULL. When opt->today is set, dates whose two-digit year would
 * read back in another century are refused; opt->specimen allows UTO.
 *
 * Returns FR_OK, or FR_EINVAL with err (may be NULL) naming the field
 * ("surname", "birth_date" ...) and saying what is wrong; out is then "". */
FR_API int fr_mrz_make(const fr_mrz *in, const fr_mrz_options *opt, char out[FR_MRZ_TEXT_MAX],
                       fr_error *err);

/* The ICAO 9303 check digit (weights 7,3,1; digits 0-9, A-Z 10-35, '<' and
 * anything else 0) of the len bytes at s: 0..9. */
FR_API int fr_mrz_check_digit(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
