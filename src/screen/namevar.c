/* SPDX-License-Identifier: MIT */
/* namevar.c: name tokens, their variant keys and phonetic skeletons.
 *
 * How it works: a token (upper-case ASCII from translit.c) first goes through
 * spelling rules that erase differences between romanisation systems
 * (double letters, PH->F, KH->H, KS->X, Q->K, OU->U, EE->I, YU->IU,
 * -OFF->-OV, -YEV->-EV, -IY->-I ...). The result is looked up in the variant
 * table: groups of spellings of one name across systems (Pinyin, Wade-Giles,
 * Cantonese, Hokkien, Korean; Arabic; Slavic). The table is stored with the
 * rules already applied to both sides, sorted, and searched by bsearch; a
 * spelling in two groups (WONG: Wang and Huang) gets both keys. A token not
 * in the table is its own key. The skeleton is a coarser, phonetic key (first
 * letter class, then consonant classes without vowels, H, W or repeats) that
 * catches unvocalised Arabic (MHMD) and other drift. Everything here is
 * constant data or per-call: thread-safe. */
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "screen_internal.h"

#include "namevar_gen.inc"

/* Each line: canonical spelling, then its variants. */
static const char *const NV_GROUPS[] = {
    /* Chinese surnames: Pinyin first, then Wade-Giles, Cantonese, Hokkien, Korean;
     * also the spellings of Southeast Asia and the diaspora that the surnames'
     * encyclopaedia articles list in their romanisation tables: Hokkien POJ
     * (CHHOA), Teochew (HENG for Wang), Hokchew (TING for Chen), Taishanese
     * (LUM, TOY), Indonesian (LIEM, GOUW) and Vietnamese (NGO) usage. */
    "CHEN CHAN TCHEN TAN CHUN TING",
    "ZHANG CHANG CHEUNG CHEONG TEO TEOH JANG",
    "WANG WONG VONG ONG HENG",
    "HUANG WONG HWANG WEE OOI NG",
    "LI LEE LEI LY RHEE YI RI",
    "ZHOU CHOW CHAU CHOU JOU CHEW",
    "XU HSU TSUI CHUI HUI KOH",
    "WU NG WOO GOH ENG NGO GOUW",
    "HU WOO FU",
    "LIU LAU LOW LAO LOU LIEW",
    "YANG YEUNG YONG IONG",
    "ZHAO CHIU CHAO CHEW",
    "ZHU CHU CHOO CHUE",
    "GUO KWOK KUO KOK",
    "HE HO HOR",
    "LIN LAM LIM LUM LIEM",
    "LUO LAW LO LOH",
    "SUN SUEN SOON SOHN",
    "MA MAH",
    "ZHENG CHENG CHEANG TAY TEH",
    "XIE TSE HSIEH CHIA SEAH",
    "LIANG LEUNG",
    "SONG SUNG",
    "TANG TONG",
    "DENG TANG TENG",
    "FENG FUNG",
    "CAO TSAO CHO",
    "PENG PANG",
    "ZENG TSENG TSANG",
    "XIAO SIU HSIAO",
    "CAI CHOI TSAI CHUA CHOY TSOI CHAI CHHOA CHOA TSAY TOY",
    "PAN POON PHUA",
    "YE YIP YEH IP",
    "JIANG CHIANG KEUNG",
    "WEI WAI",
    "QIAN CHIN",
    "GAO KO KAO",
    "GUAN KWAN KUAN",
    /* Korean surnames. */
    "KIM GIM",
    "PARK PAK BAK PAEK BAEK",
    "CHOI CHOE",
    "JUNG JEONG CHUNG CHEONG JOUNG",
    "KANG GANG",
    "CHO JO JOE",
    "YOON YUN YOUN",
    "LIM IM YIM",
    "SHIN SIN SHEEN",
    /* Arabic names. */
    ("MUHAMMAD MOHAMMED MOHAMMAD MOHAMED MUHAMMED MOHAMAD MUHAMAD MOUHAMED MEHMED MEHMET "
     "MAHOMED MOHD MUHAMMET MOHAMMEDE MOHAMEED MOHAMMAED"),
    "AHMAD AHMED AHMET AHMAT ACHMED",
    "MAHMUD MAHMOUD MAHMOOD",
    "ABD ABDUL ABDEL ABDAL ABDOUL ABDOL ABDU ABDUR ABDER",
    "ABDULLAH ABDALLAH ABDULLA ABDALLA ABDELLAH",
    "BIN IBN BEN",
    "HUSSEIN HUSAYN HOSSEIN HUSEIN HUSSAIN HUSAIN HOSEIN HUSEYIN HOUSSEIN",
    "HASSAN HASAN HASSANE",
    "YUSUF YOUSSEF YOUSEF YUSSUF YOUSSOUF YUSEF YOSEF",
    "OMAR UMAR OMER",
    "OSAMA USAMA USAMAH OSAMAH",
    "ABU ABOU ABO",
    "ALI ALY",
    "KHALID KHALED HALID",
    "MUSTAFA MUSTAPHA MOSTAFA MOUSTAFA",
    "IBRAHIM EBRAHIM IBRAHEEM",
    "SAYYID SAYED SAYID SYED SEYED SEYYED",
    "QASIM KASSEM QASEM KASIM",
    "JAMAL GAMAL DJAMEL JAMEL",
    /* Slavic given names (Russian, Ukrainian, Belarusian, Polish). */
    "ALEKSANDR ALEXANDER ALEKSANDER ALEXANDR OLEKSANDR ALIAKSANDR ALEXANDRE",
    "ALEKSEI ALEXEI ALEKSEY ALEXEY OLEKSIY OLEKSII",
    "YURI IURII YURIY YURIJ JURIJ IURI JURI",
    "SERGEI SERGEY SERGIY SERHIY SERGII SERHII",
    "DMITRI DMITRIY DMITRY DMITRII DMYTRO",
    "ANDREI ANDREY ANDRIY ANDRII",
    "NIKOLAI NIKOLAY MYKOLA NICOLAI",
    "MIKHAIL MYKHAILO MICHAIL MIHAIL",
    "YEVGENI EVGENY EVGENIY YEVGENIY IEVGEN YEVHEN EVGENII",
    "PYOTR PETR PIOTR PETRO",
    "FYODOR FEDOR FIODOR",
    "VIKTOR VICTOR",
    "IGOR IHOR",
    "VLADIMIR VOLODYMYR WLADIMIR",
    "YELENA ELENA OLENA",
    "NATALIA NATALYA NATALIYA NATALJA",
    "TATIANA TATYANA TETIANA TATJANA",
    /* English given names and their usual short forms. Written from general
     * knowledge: no nickname table under a public-domain or permissive
     * licence was available offline. Only unambiguous forms are listed. */
    "WILLIAM BILL BILLY WILLY WILLIE",
    "ROBERT BOB BOBBY ROBBIE",
    "RICHARD RICK RICKY DICK RICH",
    "JAMES JIM JIMMY JAMIE",
    "JOHN JOHNNY JACK",
    "JOSEPH JOE JOEY",
    "THOMAS TOM TOMMY",
    "CHARLES CHARLIE CHUCK",
    "MICHAEL MIKE MIKEY MICKEY",
    "EDWARD EDDIE TED TEDDY NED",
    "ANTHONY TONY",
    "DANIEL DANNY",
    "MATTHEW MATT",
    "CHRISTOPHER CHRIS KIT",
    "NICHOLAS NICK NICKY",
    "STEPHEN STEVEN STEVE",
    "PATRICK PAT PADDY",
    "HENRY HANK HARRY",
    "BENJAMIN BEN BENNY",
    "SAMUEL SAM SAMMY",
    "ALEXANDER ALEX SANDY",
    "ANDREW ANDY DREW",
    "TIMOTHY TIM TIMMY",
    "KENNETH KEN KENNY",
    "DONALD DON DONNIE",
    "RONALD RON RONNIE",
    "GERALD JERRY GERRY",
    "LAWRENCE LARRY",
    "GREGORY GREG",
    "JONATHAN JON",
    "NATHANIEL NATHAN NATE",
    "ELIZABETH LIZ LIZZIE BETH BETTY BETSY ELIZA",
    "MARGARET MAGGIE PEGGY MEG MARGE",
    "KATHERINE CATHERINE KATHRYN KATE KATIE KATHY CATHY",
    "SUSAN SUE SUSIE",
    "PATRICIA PATTY TRISH",
    "JENNIFER JENNY JEN",
    "REBECCA BECKY",
    "DEBORAH DEBBIE DEB",
    "DOROTHY DOT DOTTIE",
    "VICTORIA VICKY",
    "ABIGAIL ABBY",
    "ALEXANDRA SASHA",
};

/* The syllable classes of namevar_gen.inc, parsed: spelling -> up to two classes. */
#define NV_SYLL_SLOTS 4096 /* a power of two, over twice the syllables */
_Static_assert(sizeof NV_GEN_SYLLABLES / sizeof *NV_GEN_SYLLABLES < NV_SYLL_SLOTS / 2,
               "too many syllables for the hash table");

typedef struct nv_syll {
    char s[8];
    char cls[2][8];
} nv_syll;

static const char *const NV_PARTICLES[] = {
    "AL",  "AS",  "AD",  "AR",  "ASH", "AZ",    "EL",  "UL",  "DE",   "DA",  "DI",
    "DO",  "DU",  "DOS", "DAS", "DEL", "DELLA", "DER", "DEN", "LA",   "LE",  "VAN",
    "VON", "TER", "TEN", "Y",   "E",   "BIN",   "IBN", "BEN", "BINT", "BENT"};

typedef struct nv_pair {
    char var[FR_TOK_MAX];
    char canon[FR_TOK_MAX];
    int prio;   /* the hand-written groups (0), then the generated ones in their order */
    int korean; /* from the generated Korean surname groups */
} nv_pair;

struct fr_namevar {
    nv_pair *pairs;
    size_t n;
    nv_syll *syll; /* sorted by spelling */
    size_t nsyll;
    uint16_t syll_slot[NV_SYLL_SLOTS]; /* open addressing: index + 1, 0 empty */
};

uint64_t fr__screen_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static int ends_with(const char *s, size_t len, const char *suf)
{
    size_t n = strlen(suf);
    return len >= n && memcmp(s + len - n, suf, n) == 0;
}

/* Slavic endings, on the spelling as given: -YEV/-IEV -> -EV, -OFF -> -OV,
 * -EFF -> -EV (SERGEYEV = SERGEEV, IVANOFF = IVANOV); and Japanese long
 * vowels: SATOU, KATOU -> SATO, KATO. Returns the new length of src. */
static size_t rewrite_endings(char *src, size_t len)
{
    if (len >= 6 && (ends_with(src, len, "YEV") || ends_with(src, len, "IEV"))) {
        src[len - 3] = 'E';
        src[len - 2] = 'V';
        len--;
    } else if (len >= 7 && (ends_with(src, len, "YEVA") || ends_with(src, len, "IEVA"))) {
        memcpy(src + len - 4, "EVA", 3);
        len--;
    } else if (len >= 6 && (ends_with(src, len, "OFF") || ends_with(src, len, "EFF"))) {
        src[len - 2] = 'V';
        len--;
    }
    if (len >= 4 && ends_with(src, len, "OU")) len--;
    return len;
}

/* The spelling of in[i...] (len letters in all) in one romanisation:
 * appends to out at *o and returns how many letters of in it read. */
static size_t rewrite_at(const char *in, size_t len, size_t i, char *out, size_t *o)
{
    char c = in[i], n = i + 1 < len ? in[i + 1] : '\0';
    /* ... and SATOH, OHNO -> SATO, ONO: an H after O that no vowel follows */
    if (c == 'O' && n == 'H' && (i + 2 >= len || !is_vowel(in[i + 2])) && len >= 3) {
        out[(*o)++] = 'O';
        return 2;
    }
    if (c == 'P' && n == 'H') {
        out[(*o)++] = 'F';
        return 2;
    }
    if ((c == 'K' || c == 'T' || c == 'D' || c == 'G') && n == 'H' && i + 1 < len) {
        out[(*o)++] = c == 'K' ? 'H' : c;
        return 2;
    }
    if (c == 'K' && n == 'S') {
        out[(*o)++] = 'X';
        return 2;
    }
    if (c == 'T' && n == 'S' && i + 2 < len && in[i + 2] == 'C' && i + 3 < len &&
        in[i + 3] == 'H') {
        out[(*o)++] = 'C';
        out[(*o)++] = 'H';
        return 4;
    }
    if (c == 'T' && n == 'C' && i + 2 < len && in[i + 2] == 'H') {
        out[(*o)++] = 'C';
        out[(*o)++] = 'H';
        return 3;
    }
    if (c == 'D' && n == 'J') {
        out[(*o)++] = 'J';
        return 2;
    }
    /* single letters and vowel pairs */
    static const char pairs[][3] = {{'O', 'U', 'U'}, {'E', 'E', 'I'}, {'O', 'O', 'U'}};
    if (c == 'Q') {
        out[(*o)++] = 'K';
        return 1;
    }
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++)
        if (c == pairs[k][0] && n == pairs[k][1]) {
            out[(*o)++] = pairs[k][2];
            return 2;
        }
    /* Y before a vowel is I; the vowel stays */
    out[(*o)++] = c == 'Y' && (n == 'U' || n == 'A' || n == 'O') ? 'I' : c;
    return 1;
}

/* Doubled letters collapsed into out, then a final -IY/-IJ/-YI written -I
 * and a final Y after a consonant written I; returns the length. */
static size_t rewrite_tail(const char *tmp, size_t o, char *out)
{
    size_t m = 0;
    for (size_t i = 0; i < o; i++)
        if (m == 0 || out[m - 1] != tmp[i]) out[m++] = tmp[i];
    out[m] = '\0';
    if (m >= 5 && (ends_with(out, m, "IY") || ends_with(out, m, "IJ") || ends_with(out, m, "YI"))) {
        out[m - 2] = 'I';
        m--;
        out[m] = '\0';
    } else if (m >= 5 && out[m - 1] == 'Y' && !is_vowel(out[m - 2])) {
        out[m - 1] = 'I';
    }
    return m;
}

/* Spelling rules into out (FR_TOK_MAX); returns the length. */
static size_t nv_rules(const char *in, size_t len, char *out)
{
    char tmp[FR_TOK_MAX], src[FR_TOK_MAX];
    size_t o = 0;
    if (len > FR_TOK_MAX - 1) len = FR_TOK_MAX - 1;
    memcpy(src, in, len);
    src[len] = '\0';
    len = rewrite_endings(src, len);
    for (size_t i = 0; i < len;)
        i += rewrite_at(src, len, i, tmp, &o);
    return rewrite_tail(tmp, o, out);
}

static int pair_cmp(const void *a, const void *b)
{
    const nv_pair *x = a, *y = b;
    int c = strcmp(x->var, y->var);
    if (c) return c;
    if (x->prio != y->prio) return x->prio - y->prio;
    return strcmp(x->canon, y->canon);
}

static size_t group_words(const char *const *groups, size_t n)
{
    size_t cap = 0;
    for (size_t g = 0; g < n; g++) {
        cap++;
        for (const char *p = groups[g]; *p; p++)
            cap += *p == ' ';
    }
    return cap;
}

static void add_groups(fr_namevar *nv, const char *const *groups, size_t n, int prio, int korean)
{
    for (size_t g = 0; g < n; g++) {
        const char *p = groups[g];
        char canon[FR_TOK_MAX];
        int first = 1;
        while (*p) {
            const char *e = strchr(p, ' ');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char r[FR_TOK_MAX];
            nv_rules(p, len, r);
            if (first) {
                memcpy(canon, r, sizeof r);
                first = 0;
            }
            nv_pair *pp = &nv->pairs[nv->n++];
            memcpy(pp->var, r, sizeof r);
            memcpy(pp->canon, canon, sizeof canon);
            pp->prio = prio ? prio + (int)g : 0;
            pp->korean = korean;
            p = e ? e + 1 : p + len;
        }
    }
}

static void syll_word(const char **p, char out[8])
{
    size_t l = 0;
    while (**p == ' ')
        (*p)++;
    while (**p && **p != ' ') {
        if (l < 7) out[l++] = **p;
        (*p)++;
    }
    out[l] = '\0';
}

int fr__namevar_new(fr_namevar **out)
{
    *out = NULL;
    size_t cap = group_words(NV_GROUPS, sizeof NV_GROUPS / sizeof *NV_GROUPS) +
                 group_words(NV_GEN_GROUPS, sizeof NV_GEN_GROUPS / sizeof *NV_GEN_GROUPS) +
                 group_words(NV_GEN_KR_GROUPS, sizeof NV_GEN_KR_GROUPS / sizeof *NV_GEN_KR_GROUPS);
    fr_namevar *nv = fr_calloc(1, sizeof *nv);
    if (!nv) return FR_ENOMEM;
    nv->pairs = fr_calloc(cap, sizeof *nv->pairs);
    if (!nv->pairs) {
        fr_free(nv);
        return FR_ENOMEM;
    }
    add_groups(nv, NV_GROUPS, sizeof NV_GROUPS / sizeof *NV_GROUPS, 0, 0);
    add_groups(nv, NV_GEN_GROUPS, sizeof NV_GEN_GROUPS / sizeof *NV_GEN_GROUPS, 1, 0);
    add_groups(nv, NV_GEN_KR_GROUPS, sizeof NV_GEN_KR_GROUPS / sizeof *NV_GEN_KR_GROUPS, 1, 1);
    nv->nsyll = sizeof NV_GEN_SYLLABLES / sizeof *NV_GEN_SYLLABLES;
    nv->syll = fr_calloc(nv->nsyll, sizeof *nv->syll);
    if (!nv->syll) {
        fr_free(nv->pairs);
        fr_free(nv);
        return FR_ENOMEM;
    }
    for (size_t i = 0; i < nv->nsyll; i++) { /* generated sorted */
        const char *p = NV_GEN_SYLLABLES[i];
        syll_word(&p, nv->syll[i].s);
        syll_word(&p, nv->syll[i].cls[0]);
        syll_word(&p, nv->syll[i].cls[1]);
        size_t h =
            (size_t)fr__screen_hash(nv->syll[i].s, strlen(nv->syll[i].s)) & (NV_SYLL_SLOTS - 1);
        while (nv->syll_slot[h])
            h = (h + 1) & (NV_SYLL_SLOTS - 1);
        nv->syll_slot[h] = (uint16_t)(i + 1);
    }
    qsort(nv->pairs, nv->n, sizeof *nv->pairs, pair_cmp);
    *out = nv;
    return FR_OK;
}

void fr__namevar_free(fr_namevar *nv)
{
    if (!nv) return;
    fr_free(nv->syll);
    fr_free(nv->pairs);
    fr_free(nv);
}

static const nv_syll *syll_find(const fr_namevar *nv, const char *s, size_t len)
{
    size_t h = (size_t)fr__screen_hash(s, len) & (NV_SYLL_SLOTS - 1);
    for (; nv->syll_slot[h]; h = (h + 1) & (NV_SYLL_SLOTS - 1)) {
        const nv_syll *y = &nv->syll[nv->syll_slot[h] - 1];
        if (strncmp(y->s, s, len) == 0 && y->s[len] == '\0') return y;
    }
    return NULL;
}

/* The split of tok into the fewest syllables (two to six) into seq; among
 * equally short splits, the one whose last syllable is the shortest, or
 * with long_last the longest (EUNG+YEONG, EUN+GYEONG). Returns the number of
 * syllables, 0 when there is no such split. */
enum { NV_MAX_SYLL = 6 };

static int syllable_split(const fr_namevar *nv, const char *tok, size_t len, int long_last,
                          const nv_syll *seq[NV_MAX_SYLL])
{
    int best[25], from[25];
    const nv_syll *via[25];
    best[0] = 0;
    for (size_t i = 1; i <= len; i++) {
        best[i] = 99;
        for (size_t l = 1; l <= 6 && l <= i; l++) {
            if (best[i - l] >= NV_MAX_SYLL) continue;
            const nv_syll *y = syll_find(nv, tok + i - l, l);
            if (y && (best[i - l] + 1 < best[i] || (long_last && best[i - l] + 1 == best[i]))) {
                best[i] = best[i - l] + 1;
                from[i] = (int)(i - l);
                via[i] = y;
            }
        }
    }
    if (best[len] < 2 || best[len] > NV_MAX_SYLL) return 0;
    int k = best[len];
    for (int i = (int)len, j = k - 1; i > 0; i = from[i], j--)
        seq[j] = via[i];
    return k;
}

/* A token that joins two to six syllables of one romanisation system
 * (JINPING, CHINPING; JEONGEUN, CHONGUN) gets their classes joined, after a
 * '#', as keys: one with every syllable's first class, one with the second
 * where there is one. The split uses the fewest syllables; where two such
 * splits differ (a final consonant or the next initial: EUNGYEONG is EUN +
 * GYEONG or EUNG + YEONG), both are keys. */
static int syllable_keys(const fr_namevar *nv, const char *tok, size_t len, char (*out)[FR_TOK_MAX],
                         int room, char (*have)[FR_TOK_MAX], int nhave)
{
    if (len < 4 || len > 24) return 0;
    int n = 0;
    for (int split = 0; split < 2 && n < room; split++) {
        const nv_syll *seq[NV_MAX_SYLL];
        int k = syllable_split(nv, tok, len, split, seq);
        if (k == 0) return 0;
        for (int alt = 0; alt < 2 && n < room; alt++) {
            char key[FR_TOK_MAX];
            size_t o = 0;
            int differs = 0, fits = 1;
            key[o++] = '#';
            for (int j = 0; j < k && fits; j++) {
                const char *c = alt && seq[j]->cls[1][0] ? seq[j]->cls[1] : seq[j]->cls[0];
                differs |= alt && seq[j]->cls[1][0];
                size_t cl = strlen(c);
                fits = o + cl < FR_TOK_MAX;
                if (fits) {
                    memcpy(key + o, c, cl);
                    o += cl;
                }
            }
            if (!fits) return n;
            if (alt && !differs) break;
            key[o] = '\0';
            int dup = 0;
            for (int i = 0; i < nhave; i++)
                dup |= strcmp(have[i], key) == 0;
            for (int i = 0; i < n; i++)
                dup |= strcmp(out[i], key) == 0;
            if (!dup) memcpy(out[n++], key, FR_TOK_MAX);
        }
    }
    return n;
}

int fr__namevar_keys(const fr_namevar *nv, const char *tok, size_t len,
                     char keys[FR_KEYS_PER_TOKEN][FR_TOK_MAX])
{
    char r[FR_TOK_MAX];
    nv_rules(tok, len, r);
    size_t lo = 0, hi = nv->n;
    while (lo < hi) { /* first pair with var >= r */
        size_t mid = (lo + hi) / 2;
        if (strcmp(nv->pairs[mid].var, r) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int n = 0, has_kr = 0;
    const nv_pair *kr = NULL;
    for (size_t i = lo; i < nv->n && strcmp(nv->pairs[i].var, r) == 0; i++) {
        /* hand-written groups come first (sorted so); generated ones fill
         * the places left (GOH: Hokkien for WU by hand, and the Korean
         * surname GO of the generated table) */
        int dup = 0;
        for (int k = 0; k < n; k++)
            dup |= strcmp(keys[k], nv->pairs[i].canon) == 0;
        if (dup) continue;
        if (n < FR_KEYS_PER_TOKEN) {
            memcpy(keys[n++], nv->pairs[i].canon, FR_TOK_MAX);
            has_kr |= nv->pairs[i].korean;
        } else if (nv->pairs[i].korean && !kr) {
            kr = &nv->pairs[i];
        }
    }
    /* a spelling that is also a Korean surname keeps that key, in the last
     * place, when the Chinese groups filled them all (KO: GAO, XU and GE
     * before the Korean GO) */
    if (kr && !has_kr) memcpy(keys[n - 1], kr->canon, FR_TOK_MAX);
    if (n > 0) return n;
    /* in no group: a token of syllables is known by its classes (one set of
     * postings, not two), any other by its spelling */
    n = syllable_keys(nv, tok, len, keys, FR_KEYS_PER_TOKEN, keys, 0);
    if (n == 0) memcpy(keys[n++], r, FR_TOK_MAX);
    return n;
}

static char skel_class(char c)
{
    switch (c) {
    case 'A':
    case 'E':
    case 'I':
    case 'O':
    case 'U':
    case 'Y':
    case 'H':
        return 0;
    case 'W':
    case 'V':
        return 'F';
    case 'C':
    case 'Q':
        return 'K';
    case 'J':
        return 'G';
    case 'Z':
        return 'S';
    default:
        return c;
    }
}

size_t fr__namevar_skeleton(const char *tok, size_t len, char out[FR_TOK_MAX])
{
    char r[FR_TOK_MAX];
    size_t m = nv_rules(tok, len, r), o = 0;
    char last = 0;
    for (size_t i = 0; i < m && o < 7; i++) {
        char c = r[i], k;
        if (i == 0)
            k = (is_vowel(c) || c == 'Y') ? 'A' : (skel_class(c) ? skel_class(c) : c);
        else
            k = skel_class(c);
        if (c == 'X') {
            if (last != 'K' && o < 7) out[o++] = 'K';
            k = 'S';
        }
        if (!k || k == last) {
            if (!k && i > 0) last = 0; /* a vowel separates repeats: keep both */
            continue;
        }
        out[o++] = k;
        last = k;
    }
    out[o] = '\0';
    return o;
}

int fr__namevar_is_particle(const char *tok, size_t len)
{
    for (size_t i = 0; i < sizeof NV_PARTICLES / sizeof *NV_PARTICLES; i++)
        if (strlen(NV_PARTICLES[i]) == len && memcmp(NV_PARTICLES[i], tok, len) == 0) return 1;
    return 0;
}

int fr__namevar_typos_allowed(size_t len)
{
    return len <= 3 ? 0 : len <= 7 ? 1 : 2;
}

int fr__namevar_distance(const char *a, size_t la, const char *b, size_t lb, int max)
{
    if (la >= FR_TOK_MAX) la = FR_TOK_MAX - 1;
    if (lb >= FR_TOK_MAX) lb = FR_TOK_MAX - 1;
    int d = (int)la - (int)lb;
    if (d < 0) d = -d;
    if (d > max) return max + 1;
    int prev2[FR_TOK_MAX], prev[FR_TOK_MAX], cur[FR_TOK_MAX];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int rowmin = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (rowmin > max) return max + 1;
        memcpy(prev2, prev, sizeof(int) * (lb + 1));
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb] > max ? max + 1 : prev[lb];
}

static void tok_set(fr_tok *t, const char *s, size_t len)
{
    if (len > FR_TOK_MAX - 1) len = FR_TOK_MAX - 1;
    memcpy(t->s, s, len);
    t->s[len] = '\0';
    t->len = (uint8_t)len;
    /* particles and initials weigh little and retrieve nothing */
    t->particle = (uint8_t)(len == 1 || fr__namevar_is_particle(s, len));
}

int fr__namevar_tokens(const char *text, fr_tok *toks, int max)
{
    static const char *const abd[] = {"ABDUL", "ABDEL", "ABDAL", "ABDOUL",
                                      "ABDOL", "ABDUR", "ABDER"};
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (*p == ' ')
            p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - s);
        int split = 0;
        for (size_t k = 0; k < sizeof abd / sizeof *abd && n + 1 < max; k++) {
            size_t pl = strlen(abd[k]);
            if (len >= pl + 3 && memcmp(s, abd[k], pl) == 0 && s[pl] != 'L') {
                tok_set(&toks[n++], "ABD", 3);
                tok_set(&toks[n++], s + pl, len - pl);
                split = 1;
                break;
            }
        }
        if (!split) tok_set(&toks[n++], s, len);
    }
    return n;
}

uint32_t fr__namevar_letter_mask(const char *s, size_t len)
{
    uint32_t m = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z') m |= 1u << (s[i] - 'A');
    return m;
}

uint32_t fr__namevar_skel_hash(const char *s, size_t len)
{
    char sk[FR_TOK_MAX];
    size_t sl = fr__namevar_skeleton(s, len, sk);
    if (sl < 3) return 0;
    uint32_t h = (uint32_t)fr__screen_hash(sk, sl);
    return h ? h : 1;
}
