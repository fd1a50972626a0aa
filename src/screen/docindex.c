/* SPDX-License-Identifier: MIT */
/* docindex.c: the lost and stolen travel documents, matched exactly in O(1).
 *
 * How it works: a document is reduced to the key "STATE:NUMBER" with the
 * number normalised (upper case; spaces, '-', '<', '/', '.' dropped), the
 * key's 64-bit hash goes into an open-addressing table (linear probing, load
 * at most one half) whose slots hold offsets of the keys in one string pool,
 * so a look-up is one hash, one or two probes and one memcmp, whatever the
 * size of the list. Type letters are kept for saving, not for matching (a
 * stolen number is stolen whatever form it is presented on). */
#include <string.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/csv.h"
#include "screen_internal.h"
#include "screen_fileio.h"

#define DOC_NUM_MAX 40

struct fr_docindex {
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *slot; /* pool offset + 1; 0 empty */
    size_t cap, n;
};

int fr_docindex_new(fr_docindex **out)
{
    *out = fr_calloc(1, sizeof **out);
    return *out ? FR_OK : FR_ENOMEM;
}

void fr_docindex_free(fr_docindex *d)
{
    if (!d) return;
    fr_free(d->pool);
    fr_free(d->slot);
    fr_free(d);
}

size_t fr_docindex_count(const fr_docindex *d)
{
    return d ? d->n : 0;
}

int fr_docindex_normalise(const char *number, char *out, size_t cap)
{
    if (!number || !out || cap == 0) return FR_EINVAL;
    size_t o = 0;
    for (const char *p = number; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-' || c == '<' || c == '/' || c == '.' || c == '\t') continue;
        if (c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return FR_EINVAL;
        if (o + 1 >= cap || o >= DOC_NUM_MAX) return FR_ELIMIT;
        out[o++] = c;
    }
    out[o] = '\0';
    return o ? FR_OK : FR_EINVAL;
}

/* "STATE:NUMBER\0TYPE" key; returns the key length (without type) or < 0. */
static int doc_key(const char *state, const char *number, char *key, size_t cap)
{
    if (!state || !number) return FR_EINVAL;
    int idx = fr_country_find_cstr(state);
    if (idx < 0) return FR_EINVAL;
    const char *code = fr_country_code(idx);
    size_t cl = strlen(code);
    if (cl + 2 > cap) return FR_ELIMIT;
    memcpy(key, code, cl);
    key[cl] = ':';
    int rc = fr_docindex_normalise(number, key + cl + 1, cap - cl - 1);
    if (rc != FR_OK) return rc;
    return (int)strlen(key);
}

static size_t doc_find(const fr_docindex *d, const char *key, size_t kl, int *found)
{
    size_t h = (size_t)fr__screen_hash(key, kl) & (d->cap - 1);
    *found = 0;
    while (d->slot[h]) {
        const char *k = d->pool + d->slot[h] - 1;
        if (strncmp(k, key, kl) == 0 && k[kl] == '\0') {
            *found = 1;
            return h;
        }
        h = (h + 1) & (d->cap - 1);
    }
    return h;
}

static int doc_grow(fr_docindex *d)
{
    size_t cap = d->cap ? d->cap * 2 : 1024;
    uint32_t *s = fr_calloc(cap, sizeof *s);
    if (!s) return FR_ENOMEM;
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->slot[i]) continue;
        const char *k = d->pool + d->slot[i] - 1;
        size_t h = (size_t)fr__screen_hash(k, strlen(k)) & (cap - 1);
        while (s[h])
            h = (h + 1) & (cap - 1);
        s[h] = d->slot[i];
    }
    fr_free(d->slot);
    d->slot = s;
    d->cap = cap;
    return FR_OK;
}

int fr_docindex_add(fr_docindex *d, const char *state, const char *number, const char *type)
{
    char key[64];
    if (!d) return FR_EINVAL;
    int kl = doc_key(state, number, key, sizeof key);
    if (kl < 0) return kl;
    size_t tl = type ? strlen(type) : 0;
    if (tl > 8) return FR_EINVAL;
    for (size_t i = 0; i < tl; i++) {
        char c = type[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return FR_EINVAL;
    }
    if ((d->n + 1) * 2 > d->cap && doc_grow(d) != FR_OK) return FR_ENOMEM;
    int found;
    size_t h = doc_find(d, key, (size_t)kl, &found);
    if (found) return FR_OK;
    size_t need = (size_t)kl + 1 + tl + 1;
    if (d->pool_len + need > UINT32_MAX - 1) return FR_ELIMIT;
    if (d->pool_len + need > d->pool_cap) {
        size_t cap = d->pool_cap ? d->pool_cap * 2 : 65536;
        while (cap < d->pool_len + need)
            cap *= 2;
        char *p = fr_realloc(d->pool, cap);
        if (!p) return FR_ENOMEM;
        d->pool = p;
        d->pool_cap = cap;
    }
    char *k = d->pool + d->pool_len;
    memcpy(k, key, (size_t)kl + 1);
    memcpy(k + kl + 1, type ? type : "", tl);
    k[kl + 1 + tl] = '\0';
    d->slot[h] = (uint32_t)d->pool_len + 1;
    d->pool_len += need;
    d->n++;
    return FR_OK;
}

int fr_docindex_contains(const fr_docindex *d, const char *state, const char *number)
{
    char key[64];
    int kl = doc_key(state, number, key, sizeof key);
    if (kl < 0) return kl == FR_ELIMIT ? FR_EINVAL : kl;
    if (!d || d->n == 0) return 0;
    int found;
    doc_find(d, key, (size_t)kl, &found);
    return found;
}

int fr_docindex_parse(fr_docindex *d, const char *data, size_t len,
                      fr_watchlist_row_error_fn on_error, void *ud, size_t *accepted,
                      size_t *rejected)
{
    size_t a = 0, r = 0;
    fr_csv *csv = NULL;
    fr_csv_limits lim = {.max_record = 4096, .max_fields = 16};
    if (!d || (!data && len)) return FR_EINVAL;
    int rc = fr_csv_new_mem(data ? data : "", len, &lim, &csv);
    if (rc != FR_OK) return rc;
    fr_csv_row row;
    fr_error err;
    int col_state = -1, col_num = -1, col_type = -1;
    rc = fr_csv_next(csv, &row, &err);
    if (rc > 0) {
        for (size_t c = 0; c < row.count; c++) {
            const char *f = row.fields[c].ptr;
            if (c == 0 && strncmp(f, "\xEF\xBB\xBF", 3) == 0) f += 3;
            if (strcmp(f, "state") == 0)
                col_state = (int)c;
            else if (strcmp(f, "number") == 0)
                col_num = (int)c;
            else if (strcmp(f, "type") == 0)
                col_type = (int)c;
        }
        if (col_state < 0 || col_num < 0) {
            fr_error_set(&err, FR_EPARSE, (int)row.line, 1, "header",
                         "the first line must be a header naming the columns state,number[,type]");
            rc = FR_EPARSE;
        } else {
            rc = FR_OK;
        }
    } else if (rc == 0) {
        rc = FR_OK;
        goto done;
    }
    if (rc != FR_OK) {
        if (on_error) on_error(ud, &err);
        rc = FR_EPARSE;
        goto done;
    }
    while ((rc = fr_csv_next(csv, &row, &err)) != 0) {
        if (rc == FR_EPARSE || rc == FR_ELIMIT) {
            r++;
            if (on_error) on_error(ud, &err);
            continue;
        }
        if (rc < 0) goto done;
        if (row.count == 1 && row.fields[0].len == 0) continue;
        if ((int)row.count <= col_state || (int)row.count <= col_num ||
            (col_type >= 0 && (int)row.count <= col_type)) {
            fr_error_set(&err, FR_EPARSE, (int)row.line, 1, "",
                         "the row has %zu fields, fewer than the header", row.count);
        } else {
            const char *st = row.fields[col_state].ptr, *num = row.fields[col_num].ptr;
            const char *ty = col_type >= 0 ? row.fields[col_type].ptr : NULL;
            /* ISO alpha-3 (DEU) or an English name, as everywhere outside an MRZ */
            int ci = fr_country_normalize(st, strlen(st));
            int x = fr_docindex_add(d, ci >= 0 ? fr_country_code(ci) : st, num, ty);
            if (x == FR_OK) {
                a++;
                continue;
            }
            if (x == FR_ENOMEM) {
                rc = x;
                goto done;
            }
            if (ci < 0)
                fr_error_set(&err, FR_EINVAL, (int)row.line, 1, "state",
                             "\"%.20s\" is not an ICAO 9303 code, an ISO alpha-3 code or a "
                             "country name",
                             st);
            else if (ty && fr_docindex_normalise(num, (char[48]){0}, 48) == FR_OK)
                fr_error_set(&err, FR_EINVAL, (int)row.line, 1, "type",
                             "\"%.20s\" is not a document type (letters and digits, at most 8)",
                             ty);
            else
                fr_error_set(&err, x, (int)row.line, 1, "number",
                             "\"%.40s\" is not a document number (letters and digits, at most %d)",
                             num, DOC_NUM_MAX);
        }
        r++;
        if (on_error) on_error(ud, &err);
    }
    rc = FR_OK;
done:
    fr_csv_free(csv);
    if (accepted) *accepted = a;
    if (rejected) *rejected = r;
    return rc;
}

int fr_docindex_save(const fr_docindex *d, const char *path, fr_error *err)
{
    char tmp[4200];
    FILE *f;
    if (!d || !path) return fr_error_set(err, FR_EINVAL, 0, 0, "", "no document list or path");
    int rc = fr__screen_atomic_begin(path, tmp, sizeof tmp, &f, err);
    if (rc != FR_OK) return rc;
    if (fputs("state,number,type\n", f) == EOF) rc = FR_EIO;
    for (size_t off = 0; off < d->pool_len && rc == FR_OK;) {
        const char *k = d->pool + off, *colon = strchr(k, ':');
        size_t kl = strlen(k);
        const char *ty = k + kl + 1;
        if (fprintf(f, "%.*s,%s,%s\n", (int)(colon - k), k, colon + 1, ty) < 0) rc = FR_EIO;
        off += kl + 1 + strlen(ty) + 1;
    }
    if (rc != FR_OK) {
        fr__screen_atomic_abort(tmp, f);
        return fr_error_set(err, rc, 0, 0, "", "cannot write %.200s", tmp);
    }
    return fr__screen_atomic_commit(path, tmp, f, err);
}

static void first_err(void *ud, const fr_error *e)
{
    fr_error *f = ud;
    if (f && f->code == FR_OK) *f = *e;
}

int fr_docindex_load(fr_docindex *d, const char *path, size_t *rejected, fr_error *err)
{
    char *data;
    size_t len, rej = 0;
    int rc = fr__screen_read_file(path, &data, &len, err);
    if (rc != FR_OK) return rc;
    fr_error_clear(err);
    rc = fr_docindex_parse(d, data, len, first_err, err, NULL, &rej);
    fr_free(data);
    if (rejected) *rejected += rej;
    return rc;
}
