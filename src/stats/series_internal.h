/* SPDX-License-Identifier: MIT */
/* series_internal.h: helpers shared by series*.c, alerts*.c and whatif*.c
 * (not part of the public interface).
 *
 * fr_match is the table of open entries used to pair exits with entries by
 * document key: open addressing with linear probing and backward-shift
 * deletion, so a 10-million-event ledger needs no allocation per event. */
#ifndef FR_SERIES_INTERNAL_H
#define FR_SERIES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/date.h"
#include "frontera/series.h"

/* The matching key of a traveller (the ledger's id): fr_series_person_key
 * of an event that carries it. Never 0. */
uint64_t fr__series_traveller_key(uint64_t traveller);

/* Is metric (len bytes) a valid metric word? */
int fr__series_metric_ok(const char *metric, size_t len);

typedef struct fr_match_entry {
    uint64_t key;    /* document key; 0 marks an empty slot (keys are never 0) */
    fr_date entered; /* entry day */
    fr_date until;   /* authorised until */
    int32_t nationality;
    uint32_t flags; /* the caller's bits */
} fr_match_entry;

typedef struct fr_match {
    fr_match_entry *slots;
    size_t cap, count; /* cap is a power of two */
} fr_match;

void fr__match_init(fr_match *t);
void fr__match_clear(fr_match *t);
/* Record an open entry. When the document already had one, it is replaced
 * and the old one copied to *prev with 1 returned; 0 when there was none;
 * FR_ENOMEM (negative) when the table cannot grow. */
int fr__match_open(fr_match *t, const fr_match_entry *e, fr_match_entry *prev);
/* Remove the open entry of a document into *out: 1 found, 0 none. */
int fr__match_close(fr_match *t, uint64_t key, fr_match_entry *out);

#endif
