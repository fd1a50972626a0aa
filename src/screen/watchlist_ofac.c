/* SPDX-License-Identifier: MIT */
/* watchlist_ofac.c: the US Treasury OFAC SDN list, legacy CSV.
 *
 * sdn.csv has no header: ent_num, SDN_Name, SDN_Type, Program, Title,
 * Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks, with
 * "-0-" for an empty field. Only SDN_Type "individual" rows are persons (the
 * others are counted as skipped). The Remarks field holds the rest as
 * "; "-separated items: "DOB 10 Dec 1948", "alt. DOB circa 1975", "DOB 1962
 * to 1963", "nationality Iran", "citizen Syria", "Passport 1084010 (Egypt)",
 * "National ID No. ...", "Cedula No. ...", and the weak aliases OFAC keeps
 * there: "a.k.a. 'ABU ALI'". alt.csv (ent_num, alt_num, alt_type, alt_name,
 * alt_remarks) holds the strong aliases; it is read first into an array
 * sorted by ent_num, so each SDN row finds its aliases by bisection.
 * The XML form of the same list is read by watchlist_ofac_xml.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/csv.h"
#include "watchlist_internal.h"

typedef struct ofac_alt {
    long ent;
    uint32_t off, len; /* in the pool */
} ofac_alt;

typedef struct alts {
    ofac_alt *a;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
} alts;

static int empty(const fr_csv_field *f)
{
    const char *s = f->ptr;
    size_t l = f->len;
    while (l && (*s == ' ')) {
        s++;
        l--;
    }
    while (l && s[l - 1] == ' ')
        l--;
    return l == 0 || (l == 3 && memcmp(s, "-0-", 3) == 0);
}

static int ent_num(const fr_csv_field *f, long *v)
{
    char *end;
    *v = strtol(f->ptr, &end, 10);
    while (*end == ' ')
        end++;
    return end != f->ptr && *end == '\0' && *v > 0;
}

static int alt_cmp(const void *a, const void *b)
{
    const ofac_alt *x = a, *y = b;
    return x->ent < y->ent ? -1 : x->ent > y->ent ? 1 : (x->off < y->off ? -1 : x->off > y->off);
}

static int alts_read(wl_sink *k, alts *as, const char *data, size_t len)
{
    fr_csv *csv = NULL;
    fr_csv_limits lim = {.max_record = WL_FIELD_MAX * 4, .max_fields = 16};
    int rc = fr_csv_new_mem(data, len, &lim, &csv);
    if (rc != FR_OK) return rc;
    fr_csv_row row;
    fr_error err;
    for (;;) {
        rc = fr_csv_next(csv, &row, &err);
        if (rc == 0) break;
        if (rc == FR_EPARSE || rc == FR_ELIMIT) {
            snprintf(err.field, sizeof err.field, "alt.csv");
            if ((rc = fr__wl_sink_refuse(k, &err)) != FR_OK) break;
            continue;
        }
        if (rc < 0) break;
        rc = FR_OK;
        if (row.count == 1 &&
            (row.fields[0].len == 0 || (row.fields[0].len == 1 && row.fields[0].ptr[0] == 0x1a)))
            continue; /* a blank line, or the end marker (SUB) */
        long ent;
        if (row.count < 4 || !ent_num(&row.fields[0], &ent)) {
            fr_error_set(&err, FR_EPARSE, (int)row.line, 1, "alt.csv",
                         "alt.csv: want ent_num,alt_num,alt_type,alt_name,alt_remarks");
            if ((rc = fr__wl_sink_refuse(k, &err)) != FR_OK) break;
            continue;
        }
        const fr_csv_field *nm = &row.fields[3];
        if (empty(nm)) continue;
        if (as->n == as->cap) {
            size_t cap = as->cap ? as->cap * 2 : 4096;
            ofac_alt *na = fr_realloc(as->a, cap * sizeof *na);
            if (!na) {
                rc = FR_ENOMEM;
                break;
            }
            as->a = na;
            as->cap = cap;
        }
        if (as->pool_len + nm->len + 1 > as->pool_cap) {
            size_t cap = as->pool_cap ? as->pool_cap * 2 : 65536;
            while (cap < as->pool_len + nm->len + 1)
                cap *= 2;
            char *np = fr_realloc(as->pool, cap);
            if (!np) {
                rc = FR_ENOMEM;
                break;
            }
            as->pool = np;
            as->pool_cap = cap;
        }
        memcpy(as->pool + as->pool_len, nm->ptr, nm->len);
        as->a[as->n++] = (ofac_alt){ent, (uint32_t)as->pool_len, (uint32_t)nm->len};
        as->pool_len += nm->len;
    }
    fr_csv_free(csv);
    if (rc < 0) return rc;
    if (as->n) qsort(as->a, as->n, sizeof *as->a, alt_cmp);
    return FR_OK;
}

/* Starts with word (and skip it)? */
static int take(const char **s, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - *s) < n || memcmp(*s, w, n) != 0) return 0;
    *s += n;
    return 1;
}

/* One remarks item. */
static void remark(wl_build *b, const char *s, const char *end)
{
    static const char *const docs[] = {"Passport ", "National ID No. ", "Cedula No. ",
                                       "Identification Number ", "D.N.I. "};
    while (s < end && *s == ' ')
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '.'))
        end--;
    if (take(&s, end, "a.k.a. '") || take(&s, end, "f.k.a. '") || take(&s, end, "n.k.a. '")) {
        const char *q = memchr(s, '\'', (size_t)(end - s));
        fr__wl_build_add(b, WL_WEAK, s, q ? (size_t)(q - s) : (size_t)(end - s));
        return;
    }
    take(&s, end, "alt. ");
    if (take(&s, end, "DOB ")) {
        fr__wl_build_birth(b, s, (size_t)(end - s), 0);
        return;
    }
    if (take(&s, end, "nationality ") || take(&s, end, "citizen ")) {
        fr__wl_build_nat(b, s, (size_t)(end - s), 0);
        return;
    }
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        if (take(&s, end, docs[i])) {
            const char *paren = memchr(s, '(', (size_t)(end - s));
            const char *num_end = paren ? paren : end;
            const char *st = NULL, *st_end = NULL;
            if (paren) {
                st = paren + 1;
                st_end = memchr(st, ')', (size_t)(end - st));
                if (!st_end) st_end = end;
            }
            fr__wl_build_doc(b, st, st ? (size_t)(st_end - st) : 0, s, (size_t)(num_end - s), 0);
            return;
        }
}

static void remarks(wl_build *b, const fr_csv_field *f)
{
    const char *p = f->ptr, *end = f->ptr + f->len;
    while (p < end) {
        const char *e = memchr(p, ';', (size_t)(end - p));
        if (!e) e = end;
        remark(b, p, e);
        p = e + 1;
    }
}

static int sdn_row(wl_sink *k, wl_build *b, const fr_csv_row *row, const alts *as)
{
    fr_error err;
    long ent;
    if (row->count != 12 || !ent_num(&row->fields[0], &ent)) {
        fr_error_set(&err, FR_EPARSE, (int)row->line, 1, "",
                     "an SDN row has 12 fields starting with the entry number (has %zu)",
                     row->count);
        return fr__wl_sink_refuse(k, &err);
    }
    const fr_csv_field *type = &row->fields[2];
    if (!(type->len >= 10 && memcmp(type->ptr, "individual", 10) == 0)) {
        k->counts->skipped++;
        return FR_OK;
    }
    fr__wl_build_reset(b);
    char tmp[512];
    int n = snprintf(tmp, sizeof tmp, "%ld", ent);
    fr__wl_build_add(b, WL_ID, tmp, (size_t)n);
    fr__wl_build_add(b, WL_NAME, row->fields[1].ptr, row->fields[1].len);
    n = snprintf(tmp, sizeof tmp, "OFAC SDN %.*s, entry %ld", (int)row->fields[3].len,
                 row->fields[3].ptr, ent);
    fr__wl_build_add(b, WL_REASON, tmp, (size_t)(n < (int)sizeof tmp ? n : (int)sizeof tmp - 1));
    if (!empty(&row->fields[11])) remarks(b, &row->fields[11]);
    /* the strong aliases from alt.csv */
    size_t lo = 0, hi = as->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (as->a[mid].ent < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < as->n && as->a[lo].ent == ent; lo++)
        fr__wl_build_add(b, WL_ALIASES, as->pool + as->a[lo].off, as->a[lo].len);
    if (!k->list_override) fr__wl_build_adds(b, WL_LIST, "OFAC-SDN");
    return fr__wl_sink_commit(k, b, row->line);
}

int fr__wl_import_ofac_csv(wl_sink *k, const char *sdn, size_t len, const char *alt, size_t alt_len)
{
    alts as = {0};
    fr_csv *csv = NULL;
    wl_build *b = fr_malloc(sizeof *b);
    int rc = b ? FR_OK : FR_ENOMEM;
    if (rc == FR_OK && alt) rc = alts_read(k, &as, alt, alt_len);
    fr_csv_limits lim = {.max_record = WL_FIELD_MAX * 8, .max_fields = 16};
    if (rc == FR_OK) rc = fr_csv_new_mem(sdn, len, &lim, &csv);
    while (rc == FR_OK) {
        fr_csv_row row;
        fr_error err;
        int r = fr_csv_next(csv, &row, &err);
        if (r == 0) break;
        if (r == FR_EPARSE || r == FR_ELIMIT) {
            rc = fr__wl_sink_refuse(k, &err);
            continue;
        }
        if (r < 0) {
            rc = r;
            break;
        }
        if (row.count == 1 && row.fields[0].len == 0) continue;
        /* the list's end marker: a line holding only the SUB control character */
        if (row.count == 1 && row.fields[0].len == 1 && row.fields[0].ptr[0] == 0x1a) continue;
        rc = sdn_row(k, b, &row, &as);
    }
    fr_csv_free(csv);
    fr_free(as.a);
    fr_free(as.pool);
    fr_free(b);
    return rc;
}
