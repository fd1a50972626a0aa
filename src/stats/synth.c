/* SPDX-License-Identifier: MIT */
/* synth.c: the synthetic crossings generator (see synth.h, docs/synth.md).
 *
 * It walks the calendar one day at a time. Each day, for each nationality,
 * it draws that day's arrivals from the month's calibrated volume (real
 * monthly entries into Ecuador, src/synth_calib.inc), picks for each a
 * returning person or a new one, decides how the visit ends (an exit in time,
 * a late exit, or no regular exit at all, sometimes followed by an encounter
 * at the northern land border), and files the future exit or encounter in a
 * per-day bucket. Then it emits that day's events: entries and refusals, and
 * the exits and encounters that fall due. So events come out in date order
 * with memory proportional to the people in the country, not to the run. */
#include "frontera/synth.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"

#define MONTHS 36 /* 2022-01 .. 2024-12 */

typedef struct {
    const char *nat;
    int entries[MONTHS];
    int exit_permille; /* regular exits per 1000 entries, 2023-01..2024-06 */
} calib_row;

static const calib_row CALIB[] = {
#include "synth_calib.inc"
};
#define NNAT ((int)(sizeof CALIB / sizeof CALIB[0]))

typedef struct {
    const char *nat;
    const char *surnames[25];
    const char *female[25];
    const char *male[25];
} names_row;

static const names_row NAMES[] = {
#include "synth_names.inc"
};

static const char *const SCENARIOS[] = {"ecuador-2024", NULL};

const char *const *fr_synth_scenarios(void)
{
    return SCENARIOS;
}

/* splitmix64: small, fast, and good enough for synthetic traffic. */
typedef struct {
    uint64_t s;
} rng;
static uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double runif(rng *r) /* [0, 1) */
{
    return (double)(rnext(r) >> 11) * (1.0 / 9007199254740992.0);
}
static uint32_t rbelow(rng *r, uint32_t n)
{
    return (uint32_t)(runif(r) * n);
}
static double rnormal(rng *r)
{
    double u = runif(r), v = runif(r);
    return sqrt(-2.0 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

typedef struct {
    uint32_t doc_serial;
    fr_date birth, doc_expiry;
    fr_date doc_birth;     /* the birth date the current document carries */
    uint32_t sur, given;   /* list index; TAIL + n: the n-th name of the long tail */
    uint16_t sur2, given2; /* second surname / given name: 0 none, else index + 1 */
    uint8_t nat, sex, in_country, id_card;
} person;

/* A future exit or encounter, chained in its day's bucket. */
typedef struct {
    int32_t next;
    uint32_t person;
    uint8_t kind; /* 0 exit, 1 encounter */
} pending;

typedef struct {
    const fr_synth_options *opt;
    fr_synth_sink sink;
    void *ud;
    fr_synth_stats st;
    rng r;
    fr_date first, last;
    person *people;
    uint32_t npeople, cap_people;
    uint32_t *pool[NNAT]; /* persons of each nationality, for return visits */
    uint32_t npool[NNAT], cap_pool[NNAT];
    int32_t *bucket; /* head of each day's pending list, -1 when empty */
    pending *pend;
    uint32_t npend, cap_pend;
    int32_t free_pend;
    uint32_t serial;
} gen;

static int grow(void **p, uint32_t *cap, size_t elem, uint32_t need)
{
    if (need <= *cap) return FR_OK;
    uint32_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    void *np = fr_realloc(*p, (size_t)ncap * elem);
    if (!np) return FR_ENOMEM;
    *p = np;
    *cap = ncap;
    return FR_OK;
}

static int names_count(const char *const *list)
{
    int n = 0;
    while (n < 64 && list[n])
        n++;
    return n;
}

/* Names, with realistic concentration (docs/synth.md, "Names"): a draw
 * from a list favours its top as Zipf's law does (weight 1/(rank+1)).
 * Chinese surnames follow their real shares (Wang 7.1%, Li 7.1%, Zhang
 * 6.7%, Liu 5.1%, Chen 4.4% ... of the population, from the counts in
 * shared/data/names; the Cantonese spellings in the list are rare on
 * mainland passports); other surnames are Zipf over the list. Spanish-
 * speaking nationalities carry two surnames (paternal and maternal), as
 * their passports do. Given names are one name of the list, or for Chinese
 * two syllables (most Chinese given names are two characters), or for
 * others often a second given name too: common names stay common, but the
 * full name + birth date of a stranger rarely equals yours, as in life. */
static uint16_t pick_zipf(rng *r, const char *const *list)
{
    int n = names_count(list);
    double h = 0;
    for (int k = 0; k < n; k++)
        h += 1.0 / (k + 1);
    double u = runif(r) * h;
    for (int k = 0; k < n; k++) {
        u -= 1.0 / (k + 1);
        if (u < 0) return (uint16_t)k;
    }
    return (uint16_t)(n - 1);
}

/* Weights (holders in China, in 100,000s) of the CHN surname list: pinyin
 * with the real counts, Cantonese spellings at 1/30 of theirs. */
static const double CHN_SURNAME[24] = {101.5, 3.4,  100.9, 3.4,  95.4, 3.2,  72.1, 2.4,
                                       63.0,  2.1,  46.2,  1.5,  33.7, 28.6, 1.0,  27.8,
                                       0.9,   26.8, 0.9,   20.2, 0.7,  19.4, 0.6,  19.1};

static uint16_t pick_surname(rng *r, int nat, const char *const *list)
{
    if (strcmp(CALIB[nat].nat, "CHN") != 0) return pick_zipf(r, list);
    int n = names_count(list);
    double h = 0;
    for (int k = 0; k < n && k < 24; k++)
        h += CHN_SURNAME[k];
    double u = runif(r) * h;
    for (int k = 0; k < n && k < 24; k++) {
        u -= CHN_SURNAME[k];
        if (u < 0) return (uint16_t)k;
    }
    return 0;
}

/* Pinyin syllables common in given names, most common first. */
static const char *const PINYIN[] = {
    "WEI",  "JING", "LI",   "MIN",  "YING", "HUI",  "XIN",  "YU",    "JIE",  "HAO",  "YI",
    "TING", "LIN",  "JUN",  "FANG", "LEI",  "HONG", "MING", "QIANG", "JIAN", "XIAO", "YAN",
    "PING", "HUA",  "NA",   "TAO",  "BIN",  "CHAO", "GANG", "PENG",  "QING", "ZHI",  "LONG",
    "XUE",  "MEI",  "LAN",  "FENG", "BO",   "KAI",  "RUI",  "ZE",    "CHEN", "XUAN", "YANG",
    "HAN",  "SHU",  "QI",   "YUE",  "NING", "YUN",  "LU",   "ZHEN",  "JIA",  "WEN",  "DONG",
    "XIA",  "YONG", "LING", "CHUN", "HENG", NULL};

static int spanish_naming(const char *nat)
{
    static const char *const S[] = {"COL", "PER", "ESP", "VEN", "MEX", "CHL", "ARG", "CUB", NULL};
    for (int i = 0; S[i]; i++)
        if (!strcmp(S[i], nat)) return 1;
    return 0;
}

/* The long tail: most people do not carry one of a country's 24 most
 * common names. rank n is drawn log-uniformly in 25..200,000 (Zipf's law),
 * and spelled with syllables; CHN uses its pinyin syllables instead. */
#define TAIL 0x10000u
static uint32_t pick_tail(rng *r)
{
    return TAIL + (uint32_t)(25.0 * exp(runif(r) * log(200000.0 / 25.0)));
}

static void tail_name(uint32_t n, char *out, size_t cap)
{
    static const char C[] = "BDFGKLMNPRSTVZ", V[] = "AEIOU";
    size_t len = 0;
    n -= TAIL;
    do {
        unsigned x = n % 70;
        n /= 70;
        if (len + 2 < cap) {
            out[len++] = C[x % 14];
            out[len++] = V[x / 14];
        }
    } while (n || len < 4);
    if (len + 1 < cap) out[len++] = 'N';
    out[len] = '\0';
}

/* Share of the people of a nationality carrying one of its listed surnames. */
static double listed_share(const char *nat)
{
    if (!strcmp(nat, "CHN")) return 0.7;
    return spanish_naming(nat) ? 0.45 : 0.15;
}

static void pick_names(rng *r, person *p)
{
    const names_row *nm = &NAMES[p->nat];
    const char *code = CALIB[p->nat].nat;
    const char *const *given = p->sex == 'F' ? nm->female : nm->male;
    p->sur = runif(r) < listed_share(code) ? pick_surname(r, p->nat, nm->surnames) : pick_tail(r);
    p->sur2 =
        spanish_naming(code) && runif(r) < 0.9 ? (uint16_t)(pick_zipf(r, nm->surnames) + 1) : 0;
    if (!strcmp(code, "CHN")) { /* one or two pinyin syllables, 1 in 10 from the list */
        if (runif(r) < 0.1) {
            p->given = pick_zipf(r, given);
            p->given2 = 0;
        } else {
            uint32_t n = (uint32_t)names_count(PINYIN);
            p->given = (uint16_t)(1000 + (runif(r) < 0.5 ? pick_zipf(r, PINYIN) : rbelow(r, n)));
            p->given2 = runif(r) < 0.9 ? (uint16_t)(rbelow(r, n) + 1) : 0;
        }
        return;
    }
    p->given = runif(r) < 0.6 ? pick_zipf(r, given) : pick_tail(r);
    p->given2 = runif(r) < 0.5 ? (uint16_t)(pick_zipf(r, given) + 1) : 0;
    if (p->given2 == p->given + 1) p->given2 = 0;
}

static const char *const SOUTH_AMERICA[] = {"COL", "PER", "VEN", "CHL", "ARG", NULL};
static int is_south_american(const char *nat)
{
    for (int i = 0; SOUTH_AMERICA[i]; i++)
        if (strcmp(SOUTH_AMERICA[i], nat) == 0) return 1;
    return 0;
}

/* Port of arrival or departure: neighbours often cross by land. */
static const char *pick_port(rng *r, const char *nat)
{
    double u = runif(r), land = 0;
    const char *crossing = "ECTUL"; /* Tulcan, Rumichaca bridge (Colombia) */
    if (!strcmp(nat, "COL"))
        land = 0.6;
    else if (!strcmp(nat, "VEN"))
        land = 0.7;
    else if (!strcmp(nat, "PER"))
        land = 0.6, crossing = "ECMCH"; /* Huaquillas (Peru) */
    else if (!strcmp(nat, "CHL") || !strcmp(nat, "ARG"))
        land = 0.1, crossing = "ECMCH";
    if (u < land) return crossing;
    u = runif(r);
    return u < 0.52 ? "ECUIO" : u < 0.95 ? "ECGYE" : "ECCUE";
}

static int new_person(gen *g, int nat, fr_date today, uint32_t *out)
{
    if (grow((void **)&g->people, &g->cap_people, sizeof(person), g->npeople + 1)) return FR_ENOMEM;
    person *p = &g->people[g->npeople];
    memset(p, 0, sizeof *p);
    p->nat = (uint8_t)nat;
    p->sex = runif(&g->r) < 0.5 ? 'F' : 'M';
    p->birth = today - 365 * 18 - (fr_date)rbelow(&g->r, 365 * 52);
    p->doc_birth = p->birth;
    pick_names(&g->r, p);
    p->doc_serial = ++g->serial;
    p->doc_expiry = today + 90 + (fr_date)rbelow(&g->r, 3560);
    /* Andean Community citizens often travel on their national ID card. */
    p->id_card =
        (!strcmp(CALIB[nat].nat, "COL") || !strcmp(CALIB[nat].nat, "PER")) && runif(&g->r) < 0.4;
    *out = g->npeople++;
    if (grow((void **)&g->pool[nat], &g->cap_pool[nat], sizeof(uint32_t), g->npool[nat] + 1))
        return FR_ENOMEM;
    g->pool[nat][g->npool[nat]++] = *out;
    g->st.persons++;
    return FR_OK;
}

static int schedule(gen *g, fr_date day, uint32_t person_idx, uint8_t kind)
{
    if (day > g->last) return FR_OK; /* beyond the horizon: still in the country */
    int32_t slot;
    if (g->free_pend >= 0) {
        slot = g->free_pend;
        g->free_pend = g->pend[slot].next;
    } else {
        if (grow((void **)&g->pend, &g->cap_pend, sizeof(pending), g->npend + 1)) return FR_ENOMEM;
        slot = (int32_t)g->npend++;
    }
    int32_t b = day - g->first;
    g->pend[slot] = (pending){g->bucket[b], person_idx, kind};
    g->bucket[b] = slot;
    return FR_OK;
}

static int emit(gen *g, const char *kind, fr_date day, const person *p, const char *port,
                fr_date until)
{
    char id[48], given[64], sur[64], dn[16], t1[24], t2[24];
    const names_row *nm = &NAMES[p->nat];
    const char *const *gl = p->sex == 'F' ? nm->female : nm->male;
    snprintf(id, sizeof id, "SY%llu-%010llu", (unsigned long long)g->opt->seed,
             (unsigned long long)g->st.events + 1);
    int chn = !strcmp(CALIB[p->nat].nat, "CHN");
    if (p->given >= TAIL) tail_name(p->given, t1, sizeof t1);
    if (p->sur >= TAIL) {
        if (chn) /* a less common Chinese surname: one syllable */
            snprintf(t2, sizeof t2, "%s", PINYIN[(p->sur - TAIL) % 60]);
        else
            tail_name(p->sur, t2, sizeof t2);
    }
    const char *g1 = p->given >= TAIL   ? t1
                     : p->given >= 1000 ? PINYIN[p->given - 1000]
                                        : gl[p->given];
    if (p->given >= 1000 && p->given < TAIL) /* pinyin: the syllables written together */
        snprintf(given, sizeof given, "%s%s", g1, p->given2 ? PINYIN[p->given2 - 1] : "");
    else if (p->given2)
        snprintf(given, sizeof given, "%s %s", g1, gl[p->given2 - 1]);
    else
        snprintf(given, sizeof given, "%s", g1);
    const char *s1 = p->sur >= TAIL ? t2 : nm->surnames[p->sur];
    if (p->sur2)
        snprintf(sur, sizeof sur, "%s %s", s1, nm->surnames[p->sur2 - 1]);
    else
        snprintf(sur, sizeof sur, "%s", s1);
    /* A 9-character document number, two letters first, as many states issue;
     * unique per serial (the digits are the serial itself). */
    uint32_t x = p->doc_serial * 2654435761u ^ (uint32_t)g->opt->seed;
    snprintf(dn, sizeof dn, "%c%c%07u", 'A' + (char)(x % 26), 'A' + (char)(x / 26 % 26),
             (unsigned)(p->doc_serial % 10000000u));
    fr_synth_event ev = {
        .event_id = id,
        .kind = kind,
        .at = {day, (int32_t)rbelow(&g->r, 86400), -300, 1},
        .port = port,
        .document_type = p->id_card ? "I" : "P",
        .document_state = CALIB[p->nat].nat,
        .document_number = dn,
        .document_expiry = p->doc_expiry,
        .surname = sur,
        .given_names = given,
        .nationality = CALIB[p->nat].nat,
        .birth_date = p->doc_birth,
        .sex = (char)p->sex,
        .admission_class = "visitor",
        .authorised_until = until,
        .person = (uint32_t)(p - g->people),
    };
    g->st.events++;
    return g->sink(&ev, g->ud);
}

/* One arrival of nationality nat on day. */
static int arrive(gen *g, int nat, fr_date day)
{
    uint32_t pi = UINT32_MAX;
    int rc;
    const int return_visit = runif(&g->r) < 0.25 && g->npool[nat] > 0;
    for (int t = 0; return_visit && t < 3; t++) {
        uint32_t cand = g->pool[nat][rbelow(&g->r, g->npool[nat])];
        if (!g->people[cand].in_country) {
            pi = cand;
            break;
        }
    }
    if (pi == UINT32_MAX && (rc = new_person(g, nat, day, &pi)) != FR_OK) return rc;
    person *p = &g->people[pi];
    if (p->doc_expiry < day + 30) { /* renewed since the last trip */
        p->doc_serial = ++g->serial;
        p->doc_expiry = day + 3650;
        g->st.renewals++;
        if (p->sex == 'F' && runif(&g->r) < 0.03) { /* married since: another surname */
            p->sur = pick_surname(&g->r, p->nat, NAMES[p->nat].surnames);
            g->st.name_changes++;
        }
        int by, bm, bd;
        fr_date_to_ymd(p->birth, &by, &bm, &bd);
        fr_date sw;
        if (bd <= 12 && bd != bm && runif(&g->r) < 0.005 &&
            fr_date_from_ymd(by, bd, bm, &sw) == FR_OK) { /* a clerk swapped day and month */
            p->doc_birth = sw;
            g->st.birth_swapped++;
        } else {
            p->doc_birth = p->birth;
        }
    }
    const char *code = CALIB[nat].nat;
    int allowed = is_south_american(code) ? 180 : 90;
    fr_date until = day + allowed - 1; /* the entry day is day 1 */
    p->in_country = 1;
    g->st.entries++;
    if ((rc = emit(g, "entry", day, p, pick_port(&g->r, code), until)) != FR_OK) return rc;

    double leave = CALIB[nat].exit_permille / 1000.0;
    if (leave > 0.99) leave = 0.99;
    if (runif(&g->r) >= leave) { /* no regular exit: left irregularly or stayed */
        if (runif(&g->r) < 0.15) return schedule(g, day + 3 + (fr_date)rbelow(&g->r, 40), pi, 1);
        return FR_OK;
    }
    double median = !strcmp(code, "COL") || !strcmp(code, "PER") ? 5 : 12;
    int len = (int)lround(exp(log(median) + 0.8 * rnormal(&g->r)));
    if (len < 2) len = 2;
    if (len > allowed) len = allowed - (int)rbelow(&g->r, 10);
    fr_date out = day + len - 1;
    if (runif(&g->r) < (!strcmp(code, "CHN") ? 0.03 : 0.02)) /* leaves late */
        out = until + 1 + (fr_date)(-20.0 * log(1.0 - runif(&g->r)));
    return schedule(g, out, pi, 0);
}

/* Refused at the border: Chinese visitors without a visa after 2024-07-01. */
static int refuse(gen *g, int nat, fr_date day)
{
    uint32_t pi;
    int rc = new_person(g, nat, day, &pi);
    if (rc != FR_OK) return rc;
    g->npool[nat]--; /* a refused person is not a candidate for return visits */
    g->st.refusals++;
    return emit(g, "refusal", day, &g->people[pi], pick_port(&g->r, CALIB[nat].nat), FR_DATE_NONE);
}

static int run_day(gen *g, fr_date day, double *carry)
{
    int y, m, rc;
    fr_date_to_ymd(day, &y, &m, NULL);
    int mi = (y - 2022) * 12 + (m - 1), dim = fr_date_days_in_month(y, m);
    fr_date change;
    fr_date_from_ymd(2024, 7, 1, &change);
    for (int n = 0; n < NNAT; n++) {
        carry[n] += CALIB[n].entries[mi] * g->opt->scale / dim;
        int k = (int)carry[n];
        carry[n] -= k;
        for (int i = 0; i < k; i++)
            if ((rc = arrive(g, n, day)) != FR_OK) return rc;
        if (!strcmp(CALIB[n].nat, "CHN") && day >= change) {
            /* arrivals still expecting visa-free entry, fewer as word spreads */
            double rate = 3173.0 * g->opt->scale / 30 * (day < change + 31 ? 0.25 : 0.05);
            carry[NNAT + n] += rate;
            int rk = (int)carry[NNAT + n];
            carry[NNAT + n] -= rk;
            for (int i = 0; i < rk; i++)
                if ((rc = refuse(g, n, day)) != FR_OK) return rc;
        }
    }
    int32_t b = day - g->first;
    for (int32_t s = g->bucket[b]; s >= 0;) {
        pending pd = g->pend[s];
        person *p = &g->people[pd.person];
        p->in_country = 0;
        if (pd.kind == 0) {
            g->st.exits++;
            rc = emit(g, "exit", day, p, pick_port(&g->r, CALIB[p->nat].nat), FR_DATE_NONE);
        } else {
            g->st.encounters++;
            rc = emit(g, "encounter", day, p, "ECTUL", FR_DATE_NONE);
        }
        if (rc != FR_OK) return rc;
        g->pend[s].next = g->free_pend;
        g->free_pend = s;
        s = pd.next;
    }
    return FR_OK;
}

int fr_synth_run(const fr_synth_options *opt, fr_synth_sink sink, void *ud, fr_synth_stats *stats,
                 fr_error *err)
{
    if (!opt || !sink) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no options or sink");
    if (!opt->scenario || strcmp(opt->scenario, "ecuador-2024") != 0)
        return fr_error_set(err, FR_EINVAL, 0, 0, "scenario",
                            "unknown scenario '%s'; known: ecuador-2024",
                            opt->scenario ? opt->scenario : "");
    if (!(opt->scale >= 0.0001 && opt->scale <= 100))
        return fr_error_set(err, FR_EINVAL, 0, 0, "scale", "scale must be between 0.0001 and 100");
    gen g;
    memset(&g, 0, sizeof g);
    g.opt = opt;
    g.sink = sink;
    g.ud = ud;
    g.r.s = opt->seed * 0x2545F4914F6CDD1Dull + 0x5EED;
    g.free_pend = -1;
    fr_date_from_ymd(2022, 1, 1, &g.first);
    fr_date_from_ymd(2024, 12, 31, &g.last);
    int rc = FR_OK;
    double carry[2 * NNAT] = {0};
    g.bucket = fr_malloc(sizeof(int32_t) * (size_t)(g.last - g.first + 1));
    if (!g.bucket) {
        rc = FR_ENOMEM;
        goto done;
    }
    for (fr_date d = g.first; d <= g.last; d++)
        g.bucket[d - g.first] = -1;
    for (fr_date d = g.first; d <= g.last && rc == FR_OK; d++)
        rc = run_day(&g, d, carry);
    if (rc == FR_ENOMEM) fr_error_set(err, rc, 0, 0, "", "out of memory generating events");
done:
    if (stats) *stats = g.st;
    fr_free(g.bucket);
    fr_free(g.pend);
    fr_free(g.people);
    for (int n = 0; n < NNAT; n++)
        fr_free(g.pool[n]);
    return rc;
}
