/* SPDX-License-Identifier: MIT */
/* synth.h: deterministic synthetic border crossings for tests, demos and
 * benchmarks.
 *
 * A scenario generates entries, exits, refusals and encounters day by day,
 * in time order, and hands each to a caller's sink. The same scenario, seed
 * and scale always give the same events (the generator has its own PRNG and
 * reads no clock). The model and its calibration are documented in
 * docs/synth.md. Not thread-safe per run; separate runs are independent. */
#ifndef FRONTERA_SYNTH_H
#define FRONTERA_SYNTH_H

#include "frontera/api.h"

#include <stdint.h>

#include "frontera/date.h"
#include "frontera/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One generated event; the pointers are valid only during the sink call. */
typedef struct fr_synth_event {
    const char *event_id;
    const char *kind;          /* "entry", "exit", "refusal", "encounter" */
    fr_datetime at;            /* local time at the port, with its UTC offset */
    const char *port;          /* UN/LOCODE */
    const char *document_type; /* ICAO document code: "P" passport, "I" ID card */
    const char *document_state;
    const char *document_number;
    fr_date document_expiry;
    const char *surname;
    const char *given_names;
    const char *nationality;
    fr_date birth_date;
    char sex; /* 'M' or 'F' */
    const char *admission_class;
    fr_date authorised_until; /* entries only, else FR_DATE_NONE */
    uint32_t person;          /* ground truth: the true person (0, 1, ...); never part of
                                 the import layout (frontera synth --truth writes it apart) */
} fr_synth_event;

/* Return FR_OK to go on, anything else to stop the run with that status. */
typedef int (*fr_synth_sink)(const fr_synth_event *ev, void *ud);

typedef struct fr_synth_options {
    const char *scenario; /* "ecuador-2024" */
    uint64_t seed;
    double scale; /* 1.0 = real volumes; 0.01 .. 100 */
} fr_synth_options;

typedef struct fr_synth_stats {
    uint64_t events, entries, exits, refusals, encounters;
    uint64_t persons, renewals;
    uint64_t name_changes;  /* renewals under another surname (marriage) */
    uint64_t birth_swapped; /* renewals whose new document swaps birth day and month */
} fr_synth_stats;

/* NULL-terminated list of scenario names. */
FR_API const char *const *fr_synth_scenarios(void);

/* Generate the scenario, calling sink for every event in time order. stats
 * (may be NULL) receives the counts. Errors: FR_EINVAL for an unknown
 * scenario or a scale out of range (err says which), FR_ENOMEM, or the
 * sink's own status. */
FR_API int fr_synth_run(const fr_synth_options *opt, fr_synth_sink sink, void *ud,
                        fr_synth_stats *stats, fr_error *err);

#ifdef __cplusplus
}
#endif
#endif
