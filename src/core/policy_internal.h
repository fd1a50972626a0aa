/* SPDX-License-Identifier: MIT */
/* policy_internal.h: the policy object and the stages that build it.
 *
 * policy_lex.c cuts the text into entries (an entry is a line that starts in
 * column 1 plus the indented lines that follow it) of tokens (bare words,
 * "quoted strings", key=value with an optional quoted value), with line and
 * column. policy_parse.c turns entries into groups and rules and collects
 * errors. policy_groups.c keeps the named groups as country bit sets.
 * policy_build.c checks overlaps and compiles the lookup table (per country
 * and class, a sorted array of date segments). policy_lookup.c answers. */
#ifndef FR_POLICY_INTERNAL_H
#define FR_POLICY_INTERNAL_H

#include <stdint.h>

#include "frontera/policy.h"

#define FR_POLICY_CWORDS 8 /* country bit set: up to 512 codes */
#define FR_POLICY_MAX_TOKENS 64
#define FR_POLICY_MAX_TOKEN 2048

typedef struct fr_cset {
    uint64_t w[FR_POLICY_CWORDS];
} fr_cset;

static inline void fr__cset_add(fr_cset *s, int c)
{
    s->w[c >> 6] |= (uint64_t)1 << (c & 63);
}
static inline int fr__cset_has(const fr_cset *s, int c)
{
    return (int)((s->w[c >> 6] >> (c & 63)) & 1u);
}

typedef struct fr_ptok {
    int line, col;   /* of the token */
    const char *key; /* key of key=value, else NULL */
    size_t key_len;
    const char *val; /* the word, the string's content (escapes kept), or the value */
    size_t val_len;
    int val_line, val_col; /* of the value */
    int quoted;            /* value was "quoted" */
} fr_ptok;

typedef struct fr_pentry {
    fr_ptok tok[FR_POLICY_MAX_TOKENS];
    int ntok;
} fr_pentry;

/* Error sink shared by every stage. */
typedef struct fr_pdiag {
    fr_error *errs;
    size_t max, n;
    int first;
} fr_pdiag;

void fr__pdiag_add(fr_pdiag *d, int code, int line, int col, const char *field, const char *fmt,
                   ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

typedef struct fr_plexer {
    const char *s;
    size_t len, pos;
    int line, col;
} fr_plexer;

/* Next entry into *e: 1 when one was read, 0 at the end. Lexical errors go
 * to d; the entry is then returned with what could be read (ntok may be 0). */
int fr__plex_next(fr_plexer *lx, fr_pentry *e, fr_pdiag *d);

typedef struct fr_pgroup {
    char *name; /* "@andean" */
    fr_cset members;
    int line;
} fr_pgroup;

struct fr_policy {
    char jurisdiction[8];
    fr_policy_rule *rules;
    size_t nrules, caprules;
    fr_cset *rule_set; /* per rule: nationalities it names */
    fr_pgroup *groups;
    size_t ngroups;
    int ncountries;
    /* lookup table: cell = country * FR_CLASS_COUNT + class */
    uint32_t *cell_off, *cell_n;
    fr_date *seg_start;
    int32_t *seg_rule; /* -1: no rule */
    size_t nseg;
};

/* Parse entries into p (groups, rules); errors to d. */
int fr__policy_parse_entries(fr_policy *p, const char *text, size_t len, fr_pdiag *d);
/* Group by name (with '@'), -1 when unknown. */
int fr__policy_group_find(const fr_policy *p, const char *name, size_t len);
/* Add a group (takes nothing; copies name). FR_OK or FR_ENOMEM/FR_ELIMIT. */
int fr__policy_group_add(fr_policy *p, const char *name, size_t len, const fr_cset *members,
                         int line);
/* Overlap check and lookup table. */
int fr__policy_build(fr_policy *p, fr_pdiag *d);
/* Naive lookup: scan every rule (test oracle and benchmark baseline). */
const fr_policy_rule *fr__policy_lookup_scan(const fr_policy *p, int country,
                                             fr_admission_class cls, fr_date on);
/* Does rule i apply to country? */
int fr__policy_rule_covers(const fr_policy *p, size_t i, int country);

#endif
