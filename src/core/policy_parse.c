/* SPDX-License-Identifier: MIT */
/* policy_parse.c: policy entries into groups and rules.
 *
 * Three entries exist: `jurisdiction CODE`, `group @name MEMBER... [ref=..]`
 * and `rule WHO CLASS REGIME key=value...` (keys: stay, docs, validity, from,
 * to, ref, ref_es, note, note_es). Every problem is reported with line, column and a sentence
 * saying what to fix, and parsing goes on with the next entry so one run
 * lists them all. Rules are stored with their strings copied, so the policy
 * does not depend on the text once loaded. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "policy_internal.h"

void fr__pdiag_add(fr_pdiag *d, int code, int line, int col, const char *field, const char *fmt,
                   ...)
{
    if (d->first == FR_OK) d->first = code;
    if (d->n < d->max && d->errs) {
        fr_error *e = &d->errs[d->n];
        va_list ap;
        va_start(ap, fmt);
        /* keeps fmt and the values, so a program can say it in its language */
        fr_error_setv(e, code, line, col, field, fmt, ap);
        va_end(ap);
    }
    d->n++;
}

/* inner, the error of a parser the policy's reader called on a value, at
 * (line, col) of the file, with prefix before its message: both formats are
 * kept (fr_error_prefix), so that a program says the whole sentence in its
 * language, not a translated prefix around an English reason. */
static void pdiag_wrap(fr_pdiag *d, const fr_error *inner, int line, int col, const char *field,
                       const char *what)
{
    if (d->first == FR_OK) d->first = inner->code;
    if (d->n < d->max && d->errs) {
        fr_error *e = &d->errs[d->n];
        *e = *inner;
        e->line = line;
        e->column = col;
        snprintf(e->field, sizeof e->field, "%s", field);
        if (what)
            fr_error_prefix(e, "%s= needs a date YYYY-MM-DD: ", what);
        else
            fr_error_prefix(e, "bad stay rule: ");
    }
    d->n++;
}

static int tok_is(const fr_ptok *t, const char *w)
{
    return !t->key && !t->quoted && t->val_len == strlen(w) && memcmp(t->val, w, t->val_len) == 0;
}

static int key_is(const fr_ptok *t, const char *k)
{
    return t->key && t->key_len == strlen(k) && memcmp(t->key, k, t->key_len) == 0;
}

/* Copy a quoted or bare value, undoing \" and \\ escapes. */
static char *copy_value(const fr_ptok *t)
{
    char *s = fr_malloc(t->val_len + 1);
    if (!s) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < t->val_len; i++) {
        if (t->quoted && t->val[i] == '\\' && i + 1 < t->val_len) i++;
        s[k++] = t->val[i];
    }
    s[k] = 0;
    return s;
}

/* Country index of a code token, or -1 after reporting why. */
static int country_of(const fr_ptok *t, fr_pdiag *d, const char *field)
{
    int c = t->quoted || t->val_len > 3 ? -1 : fr_country_find(t->val, t->val_len);
    if (c >= 0 && (size_t)strlen(fr_country_code(c)) == t->val_len) return c;
    int n = (int)(t->val_len > 20 ? 20 : t->val_len);
    if (t->val_len == 3 && memcmp(t->val, "DEU", 3) == 0)
        fr__pdiag_add(d, FR_ENOTFOUND, t->val_line, t->val_col, field,
                      "'DEU' is not an ICAO 9303 code: Germany is 'D'");
    else if (n > 0 && t->val[0] >= 'a' && t->val[0] <= 'z')
        fr__pdiag_add(
            d, FR_ENOTFOUND, t->val_line, t->val_col, field,
            "unknown country code '%.*s'; codes are upper case ICAO 9303 codes (CHN, D, COL)", n,
            t->val);
    else
        fr__pdiag_add(
            d, FR_ENOTFOUND, t->val_line, t->val_col, field,
            "unknown country code '%.*s'; use an ICAO 9303 code (see `frontera countries`)", n,
            t->val);
    return -1;
}

static int parse_date_tok(const fr_ptok *t, fr_date *out, fr_pdiag *d, const char *field)
{
    fr_error e;
    if (fr_date_parse(t->val, t->val_len, out, &e) == FR_OK) return 0;
    pdiag_wrap(d, &e, t->val_line, t->val_col + (e.column > 0 ? e.column - 1 : 0), field, field);
    return -1;
}

static void parse_jurisdiction(fr_policy *p, const fr_pentry *e, fr_pdiag *d)
{
    if (e->ntok != 2 || e->tok[1].key) {
        fr__pdiag_add(d, FR_EPARSE, e->tok[0].line, e->tok[0].col, "jurisdiction",
                      "write `jurisdiction CODE` with one ICAO country code");
        return;
    }
    if (p->jurisdiction[0]) { /* two would leave the file's meaning to the last one */
        fr__pdiag_add(d, FR_EPARSE, e->tok[0].line, e->tok[0].col, "jurisdiction",
                      "a second `jurisdiction` entry: a policy is for one jurisdiction (the "
                      "first says %s)",
                      p->jurisdiction);
        return;
    }
    int c = country_of(&e->tok[1], d, "jurisdiction");
    if (c >= 0) snprintf(p->jurisdiction, sizeof p->jurisdiction, "%s", fr_country_code(c));
}

static int valid_group_name(const fr_ptok *t)
{
    if (t->key || t->quoted || t->val_len < 2 || t->val_len > 40 || t->val[0] != '@') return 0;
    for (size_t i = 1; i < t->val_len; i++) {
        char c = t->val[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return 0;
    }
    return 1;
}

static void parse_group(fr_policy *p, const fr_pentry *e, fr_pdiag *d)
{
    const fr_ptok *name = &e->tok[1];
    if (e->ntok < 2 || !valid_group_name(name)) {
        const fr_ptok *t = e->ntok < 2 ? &e->tok[0] : name;
        fr__pdiag_add(
            d, FR_EPARSE, t->line, t->col, "group",
            "a group name is '@' and lower-case letters, digits, '_' or '-' (as @andean)");
        return;
    }
    if (fr__policy_group_find(p, name->val, name->val_len) >= 0) {
        fr__pdiag_add(d, FR_ECONFLICT, name->line, name->col, "group",
                      "group %.*s is already defined; give this one another name",
                      (int)name->val_len, name->val);
        return;
    }
    fr_cset set;
    memset(&set, 0, sizeof set);
    int ok = 1, members = 0;
    for (int i = 2; i < e->ntok; i++) {
        const fr_ptok *t = &e->tok[i];
        if (t->key) {
            if (!key_is(t, "ref") && !key_is(t, "note")) {
                fr__pdiag_add(d, FR_EPARSE, t->line, t->col, "group",
                              "a group takes only members and ref=/note=; remove '%.*s='",
                              (int)t->key_len, t->key);
                ok = 0;
            }
            continue;
        }
        if (t->val_len > 0 && t->val[0] == '@') {
            int g = fr__policy_group_find(p, t->val, t->val_len);
            if (g < 0) {
                fr__pdiag_add(d, FR_ENOTFOUND, t->line, t->col, "group",
                              "unknown group %.*s; define a group before using it",
                              (int)(t->val_len > 40 ? 40 : t->val_len), t->val);
                ok = 0;
                continue;
            }
            for (int w = 0; w < FR_POLICY_CWORDS; w++)
                set.w[w] |= p->groups[g].members.w[w];
        } else {
            int c = country_of(t, d, "group");
            if (c < 0) {
                ok = 0;
                continue;
            }
            fr__cset_add(&set, c);
        }
        members++;
    }
    if (ok && members == 0) {
        fr__pdiag_add(d, FR_EPARSE, name->line, name->col, "group",
                      "group %.*s has no members; list its country codes", (int)name->val_len,
                      name->val);
        ok = 0;
    }
    if (!ok) return;
    int rc = fr__policy_group_add(p, name->val, name->val_len, &set, name->line);
    if (rc == FR_ELIMIT)
        fr__pdiag_add(d, rc, name->line, name->col, "group", "more than %d groups; merge some",
                      FR_POLICY_MAX_GROUPS);
    else if (rc)
        fr__pdiag_add(d, rc, name->line, name->col, "group", "out of memory");
}

static int parse_validity(const fr_ptok *t, fr_policy_rule *r, fr_pdiag *d)
{
    int32_t v = 0;
    size_t i = 0;
    while (i < t->val_len && t->val[i] >= '0' && t->val[i] <= '9' && v < 100000)
        v = v * 10 + (t->val[i++] - '0');
    char unit = i < t->val_len ? t->val[i] : 0;
    if (i == 0 || i + (unit ? 1 : 0) != t->val_len || (unit && unit != 'd' && unit != 'm') ||
        (v > 0 && !unit) || (unit == 'd' && v > 3660) || (unit == 'm' && v > 120)) {
        fr__pdiag_add(
            d, FR_EPARSE, t->val_line, t->val_col, "validity",
            "validity= is a number of days or months: 180d, 6m, or 0 (at most 3660d or 120m)");
        return -1;
    }
    r->min_validity = v;
    r->min_validity_unit = v ? unit : 0;
    return 0;
}

static int parse_docs(const fr_ptok *t, fr_policy_rule *r, fr_pdiag *d)
{
    unsigned docs = 0;
    size_t i = 0;
    while (i <= t->val_len) {
        size_t j = i;
        while (j < t->val_len && t->val[j] != ',')
            j++;
        size_t n = j - i;
        if (n == 8 && memcmp(t->val + i, "passport", 8) == 0)
            docs |= FR_DOC_PASSPORT;
        else if (n == 7 && memcmp(t->val + i, "id_card", 7) == 0)
            docs |= FR_DOC_ID_CARD;
        else {
            fr__pdiag_add(
                d, FR_EPARSE, t->val_line, t->val_col + (int)i, "docs",
                "unknown document type '%.*s'; write passport, id_card or passport,id_card",
                (int)(n > 20 ? 20 : n), t->val + i);
            return -1;
        }
        i = j + 1;
    }
    r->docs = docs;
    return 0;
}

/* A rule's texts, owned by the parse until the rule is stored. */
enum { TEXT_REF, TEXT_NOTE, TEXT_REF_ES, TEXT_NOTE_ES, TEXT_COUNT };

/* key=value of a rule; returns -1 after reporting. */
static int rule_key(const fr_ptok *t, fr_policy_rule *r, unsigned *seen, char *texts[TEXT_COUNT],
                    fr_pdiag *d)
{
    static const char *keys[] = {"stay", "docs", "validity", "from",   "to",
                                 "ref",  "note", "ref_es",   "note_es"};
    int k = -1;
    for (int i = 0; i < 9; i++)
        if (key_is(t, keys[i])) k = i;
    if (k < 0) {
        fr__pdiag_add(d, FR_EPARSE, t->line, t->col, "rule",
                      "unknown key '%.*s'; a rule takes stay=, docs=, validity=, from=, to=, ref=, "
                      "ref_es=, note=, note_es=",
                      (int)(t->key_len > 20 ? 20 : t->key_len), t->key);
        return -1;
    }
    if (*seen & (1u << k)) {
        fr__pdiag_add(d, FR_EPARSE, t->line, t->col, keys[k], "%s= is given twice; keep one",
                      keys[k]);
        return -1;
    }
    *seen |= 1u << k;
    fr_error e;
    switch (k) {
    case 0:
        if (fr_stay_rule_parse(t->val, t->val_len, &r->stay, &e) == FR_OK) return 0;
        pdiag_wrap(d, &e, t->val_line, t->val_col + (e.column > 0 ? e.column - 1 : 0), "stay",
                   NULL);
        return -1;
    case 1:
        return parse_docs(t, r, d);
    case 2:
        return parse_validity(t, r, d);
    case 3:
        return parse_date_tok(t, &r->from, d, "from");
    case 4:
        return parse_date_tok(t, &r->to, d, "to");
    default: {
        char **dst = &texts[k == 5   ? TEXT_REF
                            : k == 6 ? TEXT_NOTE
                            : k == 7 ? TEXT_REF_ES
                                     : TEXT_NOTE_ES];
        *dst = copy_value(t);
        if (!*dst) {
            fr__pdiag_add(d, FR_ENOMEM, t->line, t->col, keys[k], "out of memory");
            return -1;
        }
        return 0;
    }
    }
}

static int push_rule(fr_policy *p, const fr_policy_rule *r)
{
    if (p->nrules == p->caprules) {
        size_t cap = p->caprules ? p->caprules * 2 : 64;
        fr_policy_rule *nr = fr_realloc(p->rules, cap * sizeof *nr);
        if (!nr) return FR_ENOMEM;
        p->rules = nr;
        fr_cset *ns = fr_realloc(p->rule_set, cap * sizeof *ns);
        if (!ns) return FR_ENOMEM;
        p->rule_set = ns;
        p->caprules = cap;
    }
    p->rules[p->nrules++] = *r;
    return FR_OK;
}

/* `rule WHO CLASS REGIME` begins every rule; the policy has room for it. */
static int rule_shape_ok(const fr_policy *p, const fr_pentry *e, fr_pdiag *d)
{
    const fr_ptok *t0 = &e->tok[0];
    if (e->ntok < 4 || e->tok[1].key || e->tok[2].key || e->tok[3].key) {
        fr__pdiag_add(
            d, FR_EPARSE, t0->line, t0->col, "rule",
            "write `rule WHO CLASS REGIME key=value...` (WHO: a country code, a @group or *)");
        return 0;
    }
    if (p->nrules >= FR_POLICY_MAX_RULES) {
        fr__pdiag_add(d, FR_ELIMIT, t0->line, t0->col, "rule",
                      "more than %d rules; split the policy", FR_POLICY_MAX_RULES);
        return 0;
    }
    return 1;
}

/* WHO: every nationality (*), a group, or one nationality; the more
 * specific wins (rank). Fills r's rank and country and the set it covers. */
static int rule_who(const fr_policy *p, const fr_ptok *who, fr_policy_rule *r, fr_cset *set,
                    fr_pdiag *d)
{
    if (tok_is(who, "*")) {
        r->rank = FR_RANK_DEFAULT;
        for (int c = 0; c < p->ncountries; c++)
            fr__cset_add(set, c);
        return 1;
    }
    if (who->val_len > 0 && who->val[0] == '@') {
        int g = fr__policy_group_find(p, who->val, who->val_len);
        if (g < 0) {
            fr__pdiag_add(d, FR_ENOTFOUND, who->line, who->col, "who",
                          "unknown group %.*s; define it with a `group` line above this rule",
                          (int)(who->val_len > 40 ? 40 : who->val_len), who->val);
            return 0;
        }
        r->rank = FR_RANK_GROUP;
        *set = p->groups[g].members;
        return 1;
    }
    r->country = country_of(who, d, "who");
    if (r->country < 0) return 0;
    r->rank = FR_RANK_NATIONALITY;
    fr__cset_add(set, r->country);
    return 1;
}

static int rule_class(const fr_ptok *t, fr_pdiag *d)
{
    int cls = fr_admission_class_parse(t->val, t->val_len);
    if (cls < 0)
        fr__pdiag_add(d, FR_EPARSE, t->line, t->col, "class",
                      "unknown admission class '%.*s'; use visitor, transit, crew or official",
                      (int)(t->val_len > 20 ? 20 : t->val_len), t->val);
    return cls;
}

static int rule_regime(const fr_ptok *t, fr_pdiag *d)
{
    int reg = fr_regime_parse(t->val, t->val_len);
    if (reg < 0)
        fr__pdiag_add(
            d, FR_EPARSE, t->line, t->col, "regime",
            "unknown regime '%.*s'; use visa_free, visa_required, visa_on_arrival, evisa, "
            "eta or free_movement",
            (int)(t->val_len > 20 ? 20 : t->val_len), t->val);
    return reg;
}

/* The key=value tokens after REGIME; every bad one is reported. */
static int rule_keys(const fr_pentry *e, fr_policy_rule *r, unsigned *seen, char *texts[TEXT_COUNT],
                     fr_pdiag *d)
{
    int ok = 1;
    for (int i = 4; i < e->ntok; i++) {
        if (!e->tok[i].key) {
            fr__pdiag_add(
                d, FR_EPARSE, e->tok[i].line, e->tok[i].col, "rule",
                "expected key=value here (stay=, docs=, validity=, from=, to=, ref=, ref_es=, "
                "note=, note_es=)");
            ok = 0;
        } else if (rule_key(&e->tok[i], r, seen, texts, d)) {
            ok = 0;
        }
    }
    return ok;
}

/* A rule must say from when it holds (to, if given, not before) and on
 * what legal ground. A bad from= was reported by rule_key already. */
static int rule_dates_and_ref(const fr_policy_rule *r, const fr_ptok *t0, unsigned seen,
                              const char *ref, fr_pdiag *d)
{
    int ok = 1;
    if (r->from == FR_DATE_NONE && !(seen & (1u << 3))) {
        fr__pdiag_add(d, FR_EPARSE, t0->line, t0->col, "from",
                      "the rule has no from= date; add the day it takes effect");
        ok = 0;
    }
    if (r->from != FR_DATE_NONE && r->to != FR_DATE_NONE && r->to < r->from) {
        char a[FR_DATE_BUFSZ], b[FR_DATE_BUFSZ];
        fr__pdiag_add(d, FR_ERANGE, t0->line, t0->col, "to",
                      "to=%s is before from=%s; the end (inclusive) must not precede the start",
                      fr_date_format(r->to, b), fr_date_format(r->from, a));
        ok = 0;
    }
    if (!ref || !ref[0]) {
        /* a ref= that could not be copied was reported by rule_key already */
        if (!(seen & (1u << 5)) || ref)
            fr__pdiag_add(
                d, FR_EPARSE, t0->line, t0->col, "ref",
                "the rule has no legal reference; add ref=\"decree, law article or agreement\"");
        ok = 0;
    }
    return ok;
}

/* Regimes without a visa of their own need the stay the rule grants. */
static int rule_stay_given(const fr_policy_rule *r, const fr_ptok *t0, fr_pdiag *d)
{
    int needs_stay = r->regime == FR_REGIME_VISA_FREE || r->regime == FR_REGIME_VISA_ON_ARRIVAL ||
                     r->regime == FR_REGIME_ETA;
    if (!needs_stay || r->stay.kind != FR_STAY_NONE) return 1;
    fr__pdiag_add(d, FR_EPARSE, t0->line, t0->col, "stay",
                  "a %s rule must say how long the person may stay; add stay= (e.g. "
                  "stay=period:90/1y)",
                  fr_regime_name(r->regime));
    return 0;
}

/* Append a valid rule; it takes the texts (freed on failure). */
static void rule_store(fr_policy *p, fr_policy_rule *r, const fr_ptok *who, char *texts[TEXT_COUNT],
                       const fr_cset *set, fr_pdiag *d)
{
    r->ref = texts[TEXT_REF];
    r->note = texts[TEXT_NOTE] ? texts[TEXT_NOTE] : fr_strdup("");
    r->ref_es = texts[TEXT_REF_ES] ? texts[TEXT_REF_ES] : fr_strdup("");
    r->note_es = texts[TEXT_NOTE_ES] ? texts[TEXT_NOTE_ES] : fr_strdup("");
    r->who = fr_strndup(who->val, who->val_len);
    if (!r->note || !r->ref_es || !r->note_es || !r->who || push_rule(p, r) != FR_OK) {
        fr_free(texts[TEXT_REF]);
        fr_free((void *)(uintptr_t)r->note);
        fr_free((void *)(uintptr_t)r->ref_es);
        fr_free((void *)(uintptr_t)r->note_es);
        fr_free((void *)(uintptr_t)r->who);
        fr__pdiag_add(d, FR_ENOMEM, r->line, r->column, "rule", "out of memory");
        return;
    }
    p->rule_set[p->nrules - 1] = *set;
}

static void parse_rule(fr_policy *p, const fr_pentry *e, fr_pdiag *d)
{
    const fr_ptok *t0 = &e->tok[0];
    if (!rule_shape_ok(p, e, d)) return;
    fr_policy_rule r;
    memset(&r, 0, sizeof r);
    r.line = t0->line;
    r.column = t0->col;
    r.from = r.to = FR_DATE_NONE;
    r.docs = FR_DOC_PASSPORT;
    r.country = -1;
    fr_cset set;
    memset(&set, 0, sizeof set);
    /* every check runs, so that one pass reports all of a rule's problems */
    int ok = rule_who(p, &e->tok[1], &r, &set, d);
    int cls = rule_class(&e->tok[2], d);
    int reg = rule_regime(&e->tok[3], d);
    if (cls < 0 || reg < 0) ok = 0;
    unsigned seen = 0;
    char *texts[TEXT_COUNT] = {NULL, NULL, NULL, NULL};
    if (!rule_keys(e, &r, &seen, texts, d)) ok = 0;
    if (!rule_dates_and_ref(&r, t0, seen, texts[TEXT_REF], d)) ok = 0;
    if (ok && reg > 0) {
        r.regime = (fr_regime)reg;
        ok = rule_stay_given(&r, t0, d);
    }
    if (!ok) {
        for (int i = 0; i < TEXT_COUNT; i++)
            fr_free(texts[i]);
        return;
    }
    r.cls = (fr_admission_class)cls;
    rule_store(p, &r, &e->tok[1], texts, &set, d);
}

int fr__policy_parse_entries(fr_policy *p, const char *text, size_t len, fr_pdiag *d)
{
    fr_pentry *ent = fr_malloc(sizeof *ent);
    if (!ent) {
        fr__pdiag_add(d, FR_ENOMEM, 0, 0, "", "out of memory");
        return FR_ENOMEM;
    }
    fr_plexer lx = {text, len, 0, 1, 1};
    while (fr__plex_next(&lx, ent, d)) {
        if (ent->ntok == 0) continue;
        const fr_ptok *t = &ent->tok[0];
        if (tok_is(t, "rule"))
            parse_rule(p, ent, d);
        else if (tok_is(t, "group"))
            parse_group(p, ent, d);
        else if (tok_is(t, "jurisdiction"))
            parse_jurisdiction(p, ent, d);
        else
            fr__pdiag_add(d, FR_EPARSE, t->line, t->col, "",
                          "unknown entry '%.*s'; an entry is `rule`, `group` or `jurisdiction`",
                          (int)(t->val_len > 20 ? 20 : t->val_len), t->val);
    }
    fr_free(ent);
    return d->first;
}
