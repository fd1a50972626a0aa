/* SPDX-License-Identifier: MIT */
/* linkage_internal.h: what the stores' blocking needs from core/linkage.c
 * to refuse most candidates of a crowded birth date without scoring them:
 * a bound for the candidates whose names are far from the document's, and a
 * cheap test that two names are far. Pure functions, thread-safe. */
#ifndef FR_LINKAGE_INTERNAL_H
#define FR_LINKAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "frontera/linkage.h"

/* The highest fr_linkage_upper_bound of any candidate born on `key` whose
 * name compares with the document's only as "surname changed" or
 * "different" (not the same, reordered, extended or within two letters),
 * whatever its nationality and sex; with other_given_names, of those whose
 * given names differ too (only "different"). Never below such a
 * candidate's bound with the same f (the terms are added in the same
 * order). */
double fr__linkage_key_bound_far(const fr_linkage_params *p, const fr_linkage_query *q, fr_date key,
                                 const fr_linkage_freq *f, int other_given_names);

/* A surname and given names, reduced to what fr__linkage_names_far reads:
 * byte lengths, words (FR_NAME_SHAPE_UNKNOWN past 8, or a name past 250
 * bytes), letters other than spaces and each part's bigrams as bits. */
#define FR_NAME_SHAPE_UNKNOWN 255
typedef struct fr_name_shape {
    uint32_t sur_bits, giv_bits;
    uint8_t sur_len, giv_len, words, letters;
} fr_name_shape;
void fr__linkage_name_shape(const char *sur, size_t nsur, const char *giv, size_t ngiv,
                            fr_name_shape *out);

/* 1 when two names WITH DIFFERENT SURNAMES cannot compare as reordered or
 * within two letters, so that fr__linkage_key_bound_far bounds their pair;
 * 0 when they might (or a shape is unknown). Different surnames already
 * rule out the same name and an extended one. */
int fr__linkage_names_far(const fr_name_shape *a, const fr_name_shape *b);
/* 1 when the given names of two shapes' names differ (0: they may not). */
int fr__linkage_given_differ(const fr_name_shape *a, const fr_name_shape *b);

#endif
