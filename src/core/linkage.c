/* SPDX-License-Identifier: MIT */
/* linkage.c: Fellegi-Sunter match weights for a new document against one
 * known traveller (linkage.h, docs/ledger.md "Linking documents").
 *
 * How it works: each comparison picks one level and adds log2(m/u) bits.
 * The prior is renewal_rate over the number of travellers (the chance that
 * one given traveller is the holder before any evidence); nationality
 * agreement then brings it to that nationality's travellers, exact names to
 * the travellers of that nationality with that name (term frequency), exact
 * birth date to those born that day. Documents: a passport's issue date is
 * not in the MRZ, so it is estimated as expiry minus 10 (or 5) years; a
 * renewal is issued after the old document's last use and near or after its
 * expiry - between documents of one kind only: a passport does not renew an
 * identity card (Andean, Mercosur and EU nationals travel on either and hold
 * both at once), so across kinds the timing is no evidence. Travel: an
 * entry while the candidate is still in the country is
 * evidence of two people. The m and u values are round figures set from
 * what renewals and namesakes look like; they are constants here so that a
 * score can be explained, and the two thresholds are the tunable part. */
#include "frontera/linkage.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ledger_rules.h"
#include "linkage_internal.h"

#define DAYS_OF_BIRTH 21915.0 /* birth dates spread over ~60 years */
#define NAME_PSEUDO 10000.0   /* an unseen name counts as 1 in 10,000 */
#define NO_SCORE (-1000.0)

void fr_linkage_defaults(fr_linkage_params *p)
{
    p->link_bits = 9.5;
    p->review_bits = 4.0;
    p->renewal_rate = 0.02;
}

/* Why a pair is never linked without review, as fr_linkage_explain writes
 * it, and the code programs see. */
static const struct {
    const char *text, *code;
} NO_LINK[] = {
    {"another nationality", "other_nationality"},
    {"the names differ", "names_differ"},
    {"an entry while the candidate is still in the country", "entry_while_in_country"},
};

/* Every comparison add() is called with: fr_linkage_explain_parse maps a
 * stored line back onto these (test_linkage checks each level it scores). */
static const char *const LEVELS[][2] = {
    {"prior", "renewal_rate"},
    {"name", "exact"},
    {"name", "words_reordered"},
    {"name", "given_names_extended"},
    {"name", "one_or_two_letters_apart"},
    {"name", "surname_changed"},
    {"name", "different"},
    {"nationality", "same"},
    {"nationality", "different"},
    {"birth_date", "exact"},
    {"birth_date", "day_month_swapped"},
    {"birth_date", "same_year_one_unknown_day"},
    {"sex", "same"},
    {"sex", "different"},
    {"issuing_state", "same"},
    {"issuing_state", "different"},
    {"documents", "other_kind_held_side_by_side"},
    {"documents", "same_expiry"},
    {"documents", "renewal_due_and_issued_after_last_use"},
    {"documents", "issued_after_last_use_old_still_valid"},
    {"documents", "old_due_new_issued_before_last_use"},
    {"documents", "new_issued_while_old_in_use"},
    {"travel", "entry_while_still_in_country"},
    {"travel", "consistent"},
};

static void add(fr_linkage_score *s, const char *field, const char *level, double m, double u)
{
    double b = log2(m / u);
    s->bits += b;
    if (s->n < FR_LINKAGE_MAX_ITEMS) s->items[s->n++] = (fr_linkage_item){field, level, b};
}

/* Is a a word prefix of b ("ANA" of "ANA MARIA")? */
static int word_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n > 0 && strncmp(a, b, n) == 0 && b[n] == ' ';
}

/* The words of surname then given names, as if joined by a space: at most
 * 8 (further words are not looked at). Returns how many. */
static size_t split_words(const char *sur, const char *giv, const char *w[8], size_t len[8])
{
    const char *parts[2] = {sur, giv};
    size_t n = 0;
    for (int k = 0; k < 2 && n < 8; k++)
        for (const char *p = parts[k]; *p && n < 8;) {
            while (*p == ' ')
                p++;
            if (!*p) break;
            w[n] = p;
            while (*p && *p != ' ')
                p++;
            len[n] = (size_t)(p - w[n]);
            n++;
        }
    return n;
}

/* The same words in another order ("WANG WEI" / "WEI WANG", surname and
 * given names swapped or split differently). At most 8 words. Runs for
 * every blocking row, so it splits in place rather than joining copies. */
static int same_words(const char *s1, const char *g1, const char *s2, const char *g2)
{
    const char *wa[8], *wb[8];
    size_t la[8], lb[8];
    size_t na = split_words(s1, g1, wa, la), nb = split_words(s2, g2, wb, lb);
    if (na != nb || na < 2) return 0;
    unsigned used = 0;
    for (size_t i = 0; i < na; i++) {
        size_t j = 0;
        for (; j < nb; j++)
            if (!(used & (1u << j)) && la[i] == lb[j] && !memcmp(wa[i], wb[j], la[i])) break;
        if (j == nb) return 0;
        used |= 1u << j;
    }
    return 1;
}

typedef enum {
    NAME_EXACT,
    NAME_SWAPPED,
    NAME_EXTENDS,
    NAME_CLOSE,
    NAME_CHANGED,
    NAME_OTHER
} name_level;

static name_level name_compare(const fr_document *d, const fr_linkage_candidate *c)
{
    int same_sur = strcmp(d->surname, c->surname) == 0;
    int same_giv = strcmp(d->given_names, c->given_names) == 0;
    if (same_sur && same_giv) return NAME_EXACT;
    if (same_words(d->surname, d->given_names, c->surname, c->given_names)) return NAME_SWAPPED;
    if (same_sur && (word_prefix(d->given_names, c->given_names) ||
                     word_prefix(c->given_names, d->given_names)))
        return NAME_EXTENDS;
    int dist = fr__ledger_distance(d->surname, c->surname, 2);
    if (dist <= 2) dist += fr__ledger_distance(d->given_names, c->given_names, 2);
    if (dist <= 2) return NAME_CLOSE;
    if (same_giv && d->given_names[0]) return NAME_CHANGED; /* a surname taken on marriage */
    return NAME_OTHER;
}

static void name_evidence(fr_linkage_score *s, name_level lv, const fr_linkage_freq *f)
{
    switch (lv) {
    case NAME_EXACT: {
        double u = ((double)f->name + 1.0) / ((double)f->nationality + NAME_PSEUDO);
        if (u > 0.5) u = 0.5;
        add(s, "name", "exact", 0.88, u);
        break;
    }
    case NAME_SWAPPED:
        add(s, "name", "words_reordered", 0.02, 1e-4);
        break;
    case NAME_EXTENDS:
        add(s, "name", "given_names_extended", 0.03, 5e-4);
        break;
    case NAME_CLOSE:
        add(s, "name", "one_or_two_letters_apart", 0.04, 1e-3);
        break;
    case NAME_CHANGED:
        add(s, "name", "surname_changed", 0.02, 0.02);
        break;
    case NAME_OTHER:
        add(s, "name", "different", 0.01, 0.97);
        break;
    }
}

size_t fr_linkage_birth_keys(fr_date birth, fr_date out[3])
{
    size_t n = 0;
    if (birth == FR_DATE_NONE) return 0;
    out[n++] = birth;
    int y, m, d;
    fr_date_to_ymd(birth, &y, &m, &d);
    fr_date x;
    if (d <= 12 && d != m && fr_date_from_ymd(y, d, m, &x) == FR_OK) out[n++] = x;
    if ((m != 1 || d != 1) && fr_date_from_ymd(y, 1, 1, &x) == FR_OK && x != out[n - 1])
        out[n++] = x;
    return n;
}

static void nationality_evidence(fr_linkage_score *s, int same, const fr_linkage_freq *f,
                                 double total)
{
    double share = ((double)f->nationality + 1.0) / total;
    if (share > 0.99) share = 0.99;
    if (same) {
        add(s, "nationality", "same", 0.97, share);
    } else {
        add(s, "nationality", "different", 0.03, 1.0 - share);
        s->no_link = NO_LINK[0].text;
    }
}

/* The birth-date comparison of the document's date a with the candidate's
 * b: 0 when they are not related at all. */
static int birth_evidence(fr_linkage_score *s, fr_date a, fr_date b, const fr_linkage_freq *f,
                          double total)
{
    int y1, m1, d1, y2, m2, d2;
    fr_date_to_ymd(a, &y1, &m1, &d1);
    fr_date_to_ymd(b, &y2, &m2, &d2);
    if (a == b) {
        double u = ((double)f->birth + 1.0) / (total + DAYS_OF_BIRTH);
        add(s, "birth_date", "exact", 0.97, u);
    } else if (y1 == y2 && m1 == d2 && d1 == m2) {
        add(s, "birth_date", "day_month_swapped", 0.01, 1.0 / DAYS_OF_BIRTH);
    } else if (y1 == y2 && ((m2 == 1 && d2 == 1) || (m1 == 1 && d1 == 1))) {
        add(s, "birth_date", "same_year_one_unknown_day", 0.01, 1.0 / 60.0);
    } else {
        return 0;
    }
    return 1;
}

static void sex_evidence(fr_linkage_score *s, int same)
{
    if (same)
        add(s, "sex", "same", 0.98, 0.5);
    else
        add(s, "sex", "different", 0.01, 0.5);
}

/* Person fields: prior, nationality, name, birth date, sex. 0 when the
 * birth dates are not related at all. */
static int person_evidence(const fr_linkage_params *p, const fr_linkage_query *q,
                           const fr_linkage_candidate *c, const fr_linkage_freq *f,
                           fr_linkage_score *s)
{
    const fr_document *d = q->doc;
    double total = (double)f->travellers + 1.0;
    add(s, "prior", "renewal_rate", p->renewal_rate, total);
    if (d->nationality[0] && c->nationality[0])
        nationality_evidence(s, strcmp(d->nationality, c->nationality) == 0, f, total);
    name_level nl = name_compare(d, c);
    name_evidence(s, nl, f);
    if (nl != NAME_EXACT) s->no_link = NO_LINK[1].text;
    if (!birth_evidence(s, d->birth_date, c->birth_date, f, total)) return 0;
    if (d->sex && c->sex) sex_evidence(s, d->sex == c->sex);
    return 1;
}

/* Estimated issue date (expiry minus 10 or 5 years) after the old
 * document's last use and not after the day it is shown. */
static int issued_since(fr_date expiry, fr_date last_seen, fr_date day)
{
    const int years[2] = {10, 5};
    for (int i = 0; i < 2; i++) {
        fr_date issue = fr_date_add_years(expiry, -years[i]);
        if (issue > day + 30) continue;
        if (last_seen == FR_DATE_NONE || issue >= last_seen - 60) return 1;
    }
    return 0;
}

/* Passport (P...) against identity card (I, A, C...): the MRZ document
 * code's first letter. Unknown on either side counts as the same kind. */
static int same_kind(const char *a, const char *b)
{
    if (!a || !b || !a[0] || !b[0]) return 1;
    return (a[0] == 'P') == (b[0] == 'P');
}

static void document_evidence(const fr_linkage_query *q, const fr_linkage_candidate *c,
                              fr_linkage_score *s)
{
    const fr_document *d = q->doc;
    if (d->state[0] && c->doc_state && c->doc_state[0]) {
        if (strcmp(d->state, c->doc_state) == 0)
            add(s, "issuing_state", "same", 0.95, 0.9);
        else
            add(s, "issuing_state", "different", 0.05, 0.1);
    }
    /* a second nationality's passport is no renewal: timing says nothing */
    int same_nat =
        !d->nationality[0] || !c->nationality[0] || strcmp(d->nationality, c->nationality) == 0;
    /* nor is an identity card shown after a passport (or the reverse): both
     * are valid travel documents held side by side, so the old one's
     * expiry says nothing of when the new one was issued. Same weight for
     * the same person and for two (m = u): recorded so the evidence says why */
    if (same_nat && !same_kind(d->type, c->doc_type)) {
        add(s, "documents", "other_kind_held_side_by_side", 1.0, 1.0);
        same_nat = 0;
    }
    if (same_nat && d->expiry != FR_DATE_NONE && c->doc_expiry != FR_DATE_NONE) {
        if (d->expiry == c->doc_expiry) {
            add(s, "documents", "same_expiry", 0.01, 3e-4);
        } else if (q->day != FR_DATE_NONE) {         /* timing needs the day it is shown */
            int due = c->doc_expiry <= q->day + 365; /* expired or expiring within a year */
            int since = issued_since(d->expiry, c->last_seen, q->day);
            if (due && since)
                add(s, "documents", "renewal_due_and_issued_after_last_use", 0.80, 0.01);
            else if (since)
                add(s, "documents", "issued_after_last_use_old_still_valid", 0.15, 0.09);
            else if (due)
                add(s, "documents", "old_due_new_issued_before_last_use", 0.03, 0.10);
            else
                add(s, "documents", "new_issued_while_old_in_use", 0.02, 0.80);
        }
    }
    if (q->entering && c->last_seen != FR_DATE_NONE) {
        if (c->in_country) {
            add(s, "travel", "entry_while_still_in_country", 0.05, 0.3);
            s->no_link = NO_LINK[2].text;
        } else
            add(s, "travel", "consistent", 0.95, 0.7);
    }
}

void fr_linkage_compare(const fr_linkage_params *p, const fr_linkage_query *q,
                        const fr_linkage_candidate *c, const fr_linkage_freq *f,
                        fr_linkage_score *out)
{
    memset(out, 0, sizeof *out);
    const fr_document *d = q->doc;
    if (!d->surname[0] || d->birth_date == FR_DATE_NONE || c->birth_date == FR_DATE_NONE ||
        !person_evidence(p, q, c, f, out)) {
        out->bits = NO_SCORE;
        out->n = 0;
        out->no_link = NULL;
        return;
    }
    document_evidence(q, c, out);
}

/* The best each comparison after the person fields can add. */
static double later_best(double bits)
{
    return bits + log2(0.95 / 0.9) + log2(0.80 / 0.01) + log2(0.95 / 0.7);
}

double fr_linkage_upper_bound(const fr_linkage_params *p, const fr_linkage_query *q,
                              const fr_linkage_candidate *c, const fr_linkage_freq *f)
{
    fr_linkage_score s;
    memset(&s, 0, sizeof s);
    const fr_document *d = q->doc;
    if (!d->surname[0] || d->birth_date == FR_DATE_NONE || c->birth_date == FR_DATE_NONE ||
        !person_evidence(p, q, c, f, &s))
        return NO_SCORE;
    return later_best(s.bits);
}

/* One comparison's weight alone: scored on a scratch score, so that it is
 * the very number person_evidence adds. */
#define TERM(call)                                                                                 \
    do {                                                                                           \
        fr_linkage_score t_;                                                                       \
        memset(&t_, 0, sizeof t_);                                                                 \
        fr_linkage_score *ts = &t_;                                                                \
        call;                                                                                      \
        if (t_.bits > best) best = t_.bits;                                                        \
    } while (0)

/* person_evidence with each comparison at the highest weight any candidate
 * born on `key` could get. The weights are added in the same order, and a
 * sum of doubles does not decrease when one of its terms grows (rounding is
 * monotonic), so no candidate's fr_linkage_upper_bound exceeds it. */
static double key_bound(const fr_linkage_params *p, const fr_linkage_query *q, fr_date key,
                        const fr_linkage_freq *f, name_level best_name)
{
    const fr_document *d = q->doc;
    if (!d->surname[0] || d->birth_date == FR_DATE_NONE || key == FR_DATE_NONE) return NO_SCORE;
    fr_linkage_score s;
    memset(&s, 0, sizeof s);
    double total = (double)f->travellers + 1.0, best;
    add(&s, "prior", "renewal_rate", p->renewal_rate, total);
    if (d->nationality[0]) { /* a candidate without one adds nothing */
        best = 0.0;
        TERM(nationality_evidence(ts, 1, f, total));
        TERM(nationality_evidence(ts, 0, f, total));
        s.bits += best;
    }
    best = NO_SCORE;
    for (int lv = best_name; lv <= NAME_OTHER; lv++)
        TERM(name_evidence(ts, (name_level)lv, f));
    s.bits += best;
    if (!birth_evidence(&s, d->birth_date, key, f, total)) return NO_SCORE;
    if (d->sex) { /* a candidate without one adds nothing */
        best = 0.0;
        TERM(sex_evidence(ts, 1));
        TERM(sex_evidence(ts, 0));
        s.bits += best;
    }
    return later_best(s.bits);
}

#undef TERM

double fr_linkage_key_bound(const fr_linkage_params *p, const fr_linkage_query *q, fr_date key,
                            const fr_linkage_freq *f)
{
    return key_bound(p, q, key, f, NAME_EXACT);
}

double fr__linkage_key_bound_far(const fr_linkage_params *p, const fr_linkage_query *q, fr_date key,
                                 const fr_linkage_freq *f, int other_given_names)
{
    return key_bound(p, q, key, f, other_given_names ? NAME_OTHER : NAME_CHANGED);
}

/* The bigrams of s[0..n) as bits of a word. An edit destroys at most two
 * bigrams, so a name n edits away from another lacks at most 2n of its
 * bigrams; two bigrams may share a bit, so the bits one lacks count no more
 * bigrams than it lacks. */
static uint32_t bigram_bits(const char *s, size_t n)
{
    uint32_t bits = 0;
    for (size_t i = 1; i < n; i++) {
        uint32_t pair = (uint32_t)(unsigned char)s[i - 1] << 8 | (unsigned char)s[i];
        bits |= 1u << ((pair * 2654435761u) >> 27);
    }
    return bits;
}

/* What name_compare needs to tell NAME_SWAPPED and NAME_CLOSE apart from
 * the rest: the lengths and bigrams (fr__ledger_distance is at least their
 * difference and half the bigrams one lacks) and the words split_words
 * would give (the same words in another order have the same letters). */
void fr__linkage_name_shape(const char *sur, size_t nsur, const char *giv, size_t ngiv,
                            fr_name_shape *out)
{
    memset(out, 0, sizeof *out);
    if (nsur > 250 || ngiv > 250) {
        out->words = FR_NAME_SHAPE_UNKNOWN;
        return;
    }
    out->sur_len = (uint8_t)nsur;
    out->giv_len = (uint8_t)ngiv;
    out->sur_bits = bigram_bits(sur, nsur);
    out->giv_bits = bigram_bits(giv, ngiv);
    unsigned words = 0, letters = 0;
    const char *parts[2] = {sur, giv};
    const size_t lens[2] = {nsur, ngiv};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lens[k]; i++) {
            if (parts[k][i] == ' ') continue;
            letters++;
            if (i == 0 || parts[k][i - 1] == ' ') words++;
        }
    out->words = words > 8 || letters > 250 ? FR_NAME_SHAPE_UNKNOWN
                                            : (uint8_t)words; /* split_words stops at 8 */
    out->letters = (uint8_t)letters;
}

int fr__linkage_given_differ(const fr_name_shape *a, const fr_name_shape *b)
{
    if (a->words == FR_NAME_SHAPE_UNKNOWN || b->words == FR_NAME_SHAPE_UNKNOWN) return 0;
    return a->giv_len != b->giv_len || a->giv_bits != b->giv_bits;
}

/* A lower bound of fr__ledger_distance of two names' parts. */
static int distance_floor(unsigned la, unsigned lb, uint32_t ba, uint32_t bb)
{
    int d = la > lb ? (int)(la - lb) : (int)(lb - la);
    int lack_a = __builtin_popcount(ba & ~bb), lack_b = __builtin_popcount(bb & ~ba);
    int lack = lack_a > lack_b ? lack_a : lack_b;
    return (lack + 1) / 2 > d ? (lack + 1) / 2 : d;
}

int fr__linkage_names_far(const fr_name_shape *a, const fr_name_shape *b)
{
    if (a->words == FR_NAME_SHAPE_UNKNOWN || b->words == FR_NAME_SHAPE_UNKNOWN) return 0;
    /* NAME_SWAPPED: as many words (at least two), so as many letters */
    if (a->words == b->words && a->words >= 2 && a->letters == b->letters) return 0;
    /* NAME_CLOSE: both distances together within 2 */
    return distance_floor(a->sur_len, b->sur_len, a->sur_bits, b->sur_bits) +
               distance_floor(a->giv_len, b->giv_len, a->giv_bits, b->giv_bits) >
           2;
}

fr_linkage_outcome fr_linkage_decide(const fr_linkage_params *p, const fr_linkage_score *s)
{
    if (s->bits >= p->link_bits) return s->no_link ? FR_LINKAGE_REVIEW : FR_LINKAGE_LINK;
    if (s->bits >= p->review_bits) return FR_LINKAGE_REVIEW;
    return FR_LINKAGE_NEW;
}

size_t fr_linkage_explain(const fr_linkage_score *s, char *buf, size_t cap)
{
    size_t len = 0;
    int n = snprintf(buf, cap, "weight %.1f bits:", s->bits);
    if (n < 0) return 0;
    len = (size_t)n;
    if (s->no_link) {
        n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0,
                     " (never linked without review: %s)", s->no_link);
        if (n > 0) len += (size_t)n;
    }
    for (size_t i = 0; i < s->n; i++) {
        n = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s %s %s %+.1f",
                     i ? "," : "", s->items[i].field, s->items[i].level, s->items[i].bits);
        if (n < 0) break;
        len += (size_t)n;
    }
    return len;
}

const char *fr_linkage_no_link_code(const char *no_link)
{
    for (size_t i = 0; no_link && i < sizeof NO_LINK / sizeof *NO_LINK; i++)
        if (strcmp(no_link, NO_LINK[i].text) == 0) return NO_LINK[i].code;
    return NULL;
}

/* A number as fr_linkage_explain prints it ("-20.8", "+2.5", "12"), read
 * without the C library's locale-dependent conversions. Returns the bytes
 * read, 0 when there is none; a sign is required when `sign`. */
static size_t read_number(const char *p, int sign, double *v)
{
    const char *q = p;
    double neg = 1.0, x = 0.0;
    if (*q == '+' || *q == '-')
        neg = *q++ == '-' ? -1.0 : 1.0;
    else if (sign)
        return 0;
    if (*q < '0' || *q > '9') return 0;
    while (*q >= '0' && *q <= '9')
        x = x * 10.0 + (*q++ - '0');
    if (*q == '.' && q[1] >= '0' && q[1] <= '9')
        for (double scale = 0.1; *++q >= '0' && *q <= '9'; scale /= 10.0)
            x += (*q - '0') * scale;
    if (!isfinite(x)) return 0; /* more digits than a double holds */
    *v = neg * x;
    return (size_t)(q - p);
}

/* Does p start with word w followed by one space? Returns the length
 * consumed, else 0. */
static size_t word_then_space(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p, w, n) == 0 && p[n] == ' ' ? n + 1 : 0;
}

/* Where a reading failed: *out cleared, the 1-based column of p. */
static int fail_at(const char *text, const char *p, fr_linkage_score *out)
{
    memset(out, 0, sizeof *out);
    return (int)(p - text) + 1;
}

int fr_linkage_explain_parse(const char *text, fr_linkage_score *out, fr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!text) text = "";
    static const char head[] = "weight ", tail[] = " bits:";
    size_t used = strncmp(text, head, sizeof head - 1) == 0
                      ? read_number(text + sizeof head - 1, 0, &out->bits)
                      : 0;
    const char *p = text + sizeof head - 1 + used;
    if (!used || strncmp(p, tail, sizeof tail - 1) != 0)
        return fr_error_set(err, FR_EPARSE, 1, fail_at(text, text, out), "evidence",
                            "expected \"weight W bits:\" at the start");
    p += sizeof tail - 1;
    static const char pre[] = " (never linked without review: ";
    if (strncmp(p, pre, sizeof pre - 1) == 0) {
        const char *q = p + sizeof pre - 1, *end = strchr(q, ')');
        for (size_t i = 0; end && !out->no_link && i < sizeof NO_LINK / sizeof *NO_LINK; i++)
            if (strlen(NO_LINK[i].text) == (size_t)(end - q) &&
                strncmp(q, NO_LINK[i].text, (size_t)(end - q)) == 0)
                out->no_link = NO_LINK[i].text;
        if (!out->no_link)
            return fr_error_set(err, FR_EPARSE, 1, fail_at(text, q, out), "evidence",
                                "unknown reason for review");
        p = end + 1;
    }
    while (*p) {
        if (out->n > 0) {
            if (*p != ',')
                return fr_error_set(err, FR_EPARSE, 1, fail_at(text, p, out), "evidence",
                                    "expected ',' between comparisons");
            p++;
        }
        if (*p != ' ')
            return fr_error_set(err, FR_EPARSE, 1, fail_at(text, p, out), "evidence",
                                "expected a space");
        p++;
        const char *at = p;
        size_t k = 0, f = 0, l = 0;
        for (; k < sizeof LEVELS / sizeof *LEVELS; k++)
            if ((f = word_then_space(p, LEVELS[k][0])) &&
                (l = word_then_space(p + f, LEVELS[k][1])))
                break;
        if (k == sizeof LEVELS / sizeof *LEVELS)
            return fr_error_set(err, FR_EPARSE, 1, fail_at(text, at, out), "evidence",
                                "unknown comparison");
        if (out->n == FR_LINKAGE_MAX_ITEMS)
            return fr_error_set(err, FR_EPARSE, 1, fail_at(text, at, out), "evidence",
                                "too many comparisons");
        p += f + l;
        double b = 0;
        size_t nb = read_number(p, 1, &b);
        if (!nb)
            return fr_error_set(err, FR_EPARSE, 1, fail_at(text, p, out), "evidence",
                                "expected a signed weight");
        out->items[out->n++] = (fr_linkage_item){LEVELS[k][0], LEVELS[k][1], b};
        p += nb;
    }
    return FR_OK;
}
