/* SPDX-License-Identifier: MIT */
/* watchlist.c: the watchlist container and its CSV / JSON Lines import.
 *
 * How it works: entries are fixed-size records of offsets into one growing
 * string pool (no per-entry allocation; 1M entries are two arrays). A row is
 * validated field by field (id and name required, birth date per
 * fr_screen_parse_birth, nationality through country.h, documents as
 * "STATE:NUMBER" or "NUMBER"); the first bad field rejects the row with its
 * line, column (CSV) and field name, and parsing goes on. Duplicate ids
 * within a list are found with an open-addressing set of entry numbers.
 * Persistence (save/load, atomic replace) is in watchlist_file.c. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "frontera/alloc.h"
#include "frontera/country.h"
#include "frontera/csv.h"
#include "screen_internal.h"
#include "watchlist_internal.h"

int fr_watchlist_new(fr_watchlist **out)
{
    *out = fr_calloc(1, sizeof **out);
    return *out ? FR_OK : FR_ENOMEM;
}

void fr_watchlist_free(fr_watchlist *wl)
{
    if (!wl) return;
    fr_free(wl->pool);
    fr_free(wl->ents);
    fr_free(wl->set);
    fr_free(wl);
}

size_t fr_watchlist_count(const fr_watchlist *wl)
{
    return wl ? wl->n : 0;
}

int fr_watchlist_get(const fr_watchlist *wl, size_t i, fr_watchlist_entry *e)
{
    if (!wl || i >= wl->n || !e) return FR_ERANGE;
    const wl_ent *x = &wl->ents[i];
    e->id = wl->pool + x->s[WL_ID];
    e->list = wl->pool + x->s[WL_LIST];
    e->name = wl->pool + x->s[WL_NAME];
    e->aliases = wl->pool + x->s[WL_ALIASES];
    e->documents = wl->pool + x->s[WL_DOCS];
    e->reason = wl->pool + x->s[WL_REASON];
    e->weak_aliases = wl->pool + x->s[WL_WEAK];
    e->birth_date = wl->pool + x->s[WL_BIRTH];
    e->nationalities = wl->pool + x->s[WL_NAT];
    e->birth_lo = x->lo;
    e->birth_hi = x->hi;
    e->nationality = x->nat;
    return FR_OK;
}

static int pool_add(fr_watchlist *wl, const char *s, size_t len, uint32_t *off)
{
    if (wl->pool_len + len + 1 > UINT32_MAX) return FR_ELIMIT;
    if (wl->pool_len + len + 1 > wl->pool_cap) {
        size_t cap = wl->pool_cap ? wl->pool_cap * 2 : 65536;
        while (cap < wl->pool_len + len + 1)
            cap *= 2;
        char *p = fr_realloc(wl->pool, cap);
        if (!p) return FR_ENOMEM;
        wl->pool = p;
        wl->pool_cap = cap;
    }
    memcpy(wl->pool + wl->pool_len, s, len);
    wl->pool[wl->pool_len + len] = '\0';
    *off = (uint32_t)wl->pool_len;
    wl->pool_len += len + 1;
    return FR_OK;
}

static uint64_t ent_hash(const char *list, const char *id)
{
    return fr__screen_hash(list, strlen(list)) * 31 ^ fr__screen_hash(id, strlen(id));
}

static int set_grow(fr_watchlist *wl)
{
    size_t cap = wl->set_cap ? wl->set_cap * 2 : 1024;
    uint32_t *s = fr_malloc(cap * sizeof *s);
    if (!s) return FR_ENOMEM;
    memset(s, 0xff, cap * sizeof *s);
    for (size_t i = 0; i < wl->n; i++) {
        const wl_ent *x = &wl->ents[i];
        size_t h = (size_t)ent_hash(wl->pool + x->s[WL_LIST], wl->pool + x->s[WL_ID]) & (cap - 1);
        while (s[h] != UINT32_MAX)
            h = (h + 1) & (cap - 1);
        s[h] = (uint32_t)i;
    }
    fr_free(wl->set);
    wl->set = s;
    wl->set_cap = cap;
    return FR_OK;
}

/* Slot for (list,id): the matching entry's slot or the empty one to use. */
static size_t set_slot(const fr_watchlist *wl, const char *list, const char *id, int *found)
{
    size_t h = (size_t)ent_hash(list, id) & (wl->set_cap - 1);
    *found = 0;
    while (wl->set[h] != UINT32_MAX) {
        const wl_ent *x = &wl->ents[wl->set[h]];
        if (strcmp(wl->pool + x->s[WL_ID], id) == 0 &&
            strcmp(wl->pool + x->s[WL_LIST], list) == 0) {
            *found = 1;
            return h;
        }
        h = (h + 1) & (wl->set_cap - 1);
    }
    return h;
}

static int has_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20) return 1;
    return 0;
}

static int check_docs(const char *s, size_t len, const char **bad)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *e = memchr(p, '|', (size_t)(end - p));
        if (!e) e = end;
        const char *colon = memchr(p, ':', (size_t)(e - p));
        const char *num = colon ? colon + 1 : p;
        char norm[48], tmp[64];
        size_t nl = (size_t)(e - num);
        if (colon && fr_country_find(p, (size_t)(colon - p)) < 0) {
            *bad = "issuing state";
            return FR_EINVAL;
        }
        if (nl >= sizeof tmp) {
            *bad = "number";
            return FR_ELIMIT;
        }
        memcpy(tmp, num, nl);
        tmp[nl] = '\0';
        int rc = fr_docindex_normalise(tmp, norm, sizeof norm);
        if (rc != FR_OK) {
            *bad = "number";
            return rc;
        }
        p = e + 1;
    }
    return FR_OK;
}

/* Every field within its limit and free of control characters; id, list
 * and name present. */
static int row_required(const wl_row *r, size_t list_len, long line, fr_error *err)
{
    const char *const *names = fr__wl_field_names;
    for (int i = 0; i < WL_NFIELDS; i++) {
        if (r->len[i] > WL_FIELD_MAX)
            return fr_error_set(err, FR_ELIMIT, (int)line, r->col[i], names[i],
                                "the %s is longer than %d bytes", names[i], WL_FIELD_MAX);
        if (has_control(r->f[i], r->len[i]))
            return fr_error_set(err, FR_EPARSE, (int)line, r->col[i], names[i],
                                "the %s holds a control character", names[i]);
    }
    if (r->len[WL_ID] == 0)
        return fr_error_set(err, FR_EPARSE, (int)line, r->col[WL_ID], "id", "the entry has no id");
    if (list_len == 0)
        return fr_error_set(err, FR_EPARSE, (int)line, r->col[WL_LIST], "list",
                            "the entry has no list name (give one with --list)");
    if (r->len[WL_NAME] == 0)
        return fr_error_set(err, FR_EPARSE, (int)line, r->col[WL_NAME], "name",
                            "the entry has no name");
    return FR_OK;
}

static int row_birth(const wl_row *r, wl_ent *e, long line, fr_error *err)
{
    fr_error derr;
    if (fr_screen_parse_birth(r->f[WL_BIRTH], r->len[WL_BIRTH], &e->lo, &e->hi, &derr) == FR_OK)
        return FR_OK;
    if (!err) return derr.code;
    /* the parser's reason, placed in the file, after the value (both kept
     * apart, so a program says them in its language: fr_error_prefix) */
    *err = derr;
    err->line = (int)line;
    err->column = r->col[WL_BIRTH] + (derr.column ? derr.column - 1 : 0);
    snprintf(err->field, sizeof err->field, "birth_date");
    fr_error_prefix(err, "bad birth date \"%.*s\": ",
                    (int)(r->len[WL_BIRTH] > 40 ? 40 : r->len[WL_BIRTH]), r->f[WL_BIRTH]);
    return derr.code;
}

/* 1 when code is already one of the '|'-separated codes in nat[0..len): the
 * same state written twice (DEU and Germany) is kept once. */
static int nat_has(const char *nat, size_t len, const char *code, size_t cl)
{
    int dup = 0;
    for (size_t k = 0; k + cl <= len && !dup; k++)
        dup = (k == 0 || nat[k - 1] == '|') && memcmp(nat + k, code, cl) == 0 &&
              (k + cl == len || nat[k + cl] == '|');
    return dup;
}

/* The nationality field (codes or names separated by '|' or ';') as ICAO
 * codes joined by '|' into nat (WL_FIELD_MAX + 1 bytes), *nat_len bytes;
 * e->nat gets the first. */
static int row_nationalities(const wl_row *r, wl_ent *e, char *nat, size_t *nat_len, long line,
                             fr_error *err)
{
    *nat_len = 0;
    for (const char *p = r->f[WL_NAT], *end = p + r->len[WL_NAT]; p < end;) {
        const char *q = p;
        while (q < end && *q != '|' && *q != ';')
            q++;
        const char *a = p;
        size_t al = (size_t)(q - p);
        p = q + 1;
        while (al && *a == ' ') {
            a++;
            al--;
        }
        while (al && a[al - 1] == ' ')
            al--;
        if (!al) continue;
        int c = fr_country_normalize(a, al);
        if (c < 0)
            return fr_error_set(err, FR_EINVAL, (int)line,
                                r->col[WL_NAT] ? r->col[WL_NAT] + (int)(a - r->f[WL_NAT]) : 0,
                                "nationality",
                                "\"%.*s\" is not a nationality (want an ICAO 9303 or ISO 3166 "
                                "alpha-3 code, or a country name)",
                                (int)(al > 40 ? 40 : al), a);
        const char *code = fr_country_code(c);
        size_t cl = strlen(code);
        if (e->nat < 0) e->nat = c;
        if (nat_has(nat, *nat_len, code, cl)) continue;
        if (*nat_len + cl + 1 > WL_FIELD_MAX)
            return fr_error_set(err, FR_ELIMIT, (int)line, r->col[WL_NAT], "nationality",
                                "too many nationalities");
        if (*nat_len) nat[(*nat_len)++] = '|';
        memcpy(nat + *nat_len, code, cl);
        *nat_len += cl;
    }
    return FR_OK;
}

/* Room for one more entry in the array and the id set (kept at most half
 * full, so that probes stay short). */
static int room_for_one(fr_watchlist *wl)
{
    if (wl->n + 1 > wl->set_cap / 2 && set_grow(wl) != FR_OK) return FR_ENOMEM;
    if (wl->n + 1 > wl->cap) {
        size_t cap = wl->cap ? wl->cap * 2 : 1024;
        wl_ent *ne = fr_realloc(wl->ents, cap * sizeof *ne);
        if (!ne) return FR_ENOMEM;
        wl->ents = ne;
        wl->cap = cap;
    }
    return FR_OK;
}

/* The validated row's strings into the pool and the entry appended, unless
 * its id is taken in its list (the pool is then rolled back). */
static int row_append(fr_watchlist *wl, const wl_row *r, wl_ent *e, const char *list,
                      size_t list_len, const char *nat, size_t nat_len, long line, fr_error *err)
{
    size_t mark = wl->pool_len;
    int rc = FR_OK;
    for (int i = 0; i < WL_NFIELDS && rc == FR_OK; i++) {
        if (i == WL_LIST)
            rc = pool_add(wl, list, list_len, &e->s[i]);
        else if (i == WL_NAT)
            rc = pool_add(wl, nat, nat_len, &e->s[i]);
        else
            rc = pool_add(wl, r->f[i], r->len[i], &e->s[i]);
    }
    if (rc != FR_OK) {
        wl->pool_len = mark;
        return fr_error_set(err, rc, (int)line, 0, "", "out of memory storing the entry");
    }
    int found;
    size_t slot = set_slot(wl, wl->pool + e->s[WL_LIST], wl->pool + e->s[WL_ID], &found);
    if (found) {
        wl->pool_len = mark;
        return fr_error_set(err, FR_EEXIST, (int)line, r->col[WL_ID], "id",
                            "id \"%.*s\" appears twice in list \"%.*s\"",
                            (int)(r->len[WL_ID] > 40 ? 40 : r->len[WL_ID]), r->f[WL_ID],
                            (int)(list_len > 40 ? 40 : list_len), list);
    }
    wl->set[slot] = (uint32_t)wl->n;
    wl->ents[wl->n++] = *e;
    return FR_OK;
}

int fr__wl_add_row(fr_watchlist *wl, const wl_row *r, const char *list_override, long line,
                   fr_error *err)
{
    const char *list = list_override ? list_override : r->f[WL_LIST];
    size_t list_len = list_override ? strlen(list_override) : r->len[WL_LIST];
    int rc = row_required(r, list_len, line, err);
    if (rc != FR_OK) return rc;
    wl_ent e;
    memset(&e, 0, sizeof e);
    e.nat = -1;
    if ((rc = row_birth(r, &e, line, err)) != FR_OK) return rc;
    char nat[WL_FIELD_MAX + 1];
    size_t nat_len;
    if ((rc = row_nationalities(r, &e, nat, &nat_len, line, err)) != FR_OK) return rc;
    const char *bad = NULL;
    if (check_docs(r->f[WL_DOCS], r->len[WL_DOCS], &bad) != FR_OK)
        return fr_error_set(
            err, FR_EINVAL, (int)line, r->col[WL_DOCS], "documents",
            "bad document %s in \"%.*s\" (want STATE:NUMBER or NUMBER, '|' between)", bad,
            (int)(r->len[WL_DOCS] > 60 ? 60 : r->len[WL_DOCS]), r->f[WL_DOCS]);
    if (room_for_one(wl) != FR_OK) return FR_ENOMEM;
    return row_append(wl, r, &e, list, list_len, nat, nat_len, line, err);
}

static int report(fr_watchlist_row_error_fn cb, void *ud, const fr_error *err, size_t *rejected)
{
    (*rejected)++;
    if (cb) cb(ud, err);
    return err->code == FR_ENOMEM ? FR_ENOMEM : FR_OK;
}

static int parse_csv(fr_watchlist *wl, const char *data, size_t len, const char *list_override,
                     fr_watchlist_row_error_fn cb, void *ud, size_t *acc, size_t *rej)
{
    fr_csv *csv = NULL;
    fr_csv_limits lim = {.max_record = WL_FIELD_MAX * 8, .max_fields = 64};
    int rc = fr_csv_new_mem(data, len, &lim, &csv);
    if (rc != FR_OK) return rc;
    fr_csv_row row;
    fr_error err;
    int map[WL_NFIELDS];
    rc = fr_csv_next(csv, &row, &err);
    if (rc <= 0) {
        fr_csv_free(csv);
        if (rc == 0) return FR_OK; /* empty input */
        if (cb) cb(ud, &err);
        return FR_EPARSE;
    }
    rc = fr__wl_header(&row, map, &err);
    if (rc != FR_OK) {
        if (cb) cb(ud, &err);
        fr_csv_free(csv);
        return rc;
    }
    for (;;) {
        rc = fr_csv_next(csv, &row, &err);
        if (rc == 0) break;
        if (rc == FR_EPARSE || rc == FR_ELIMIT) {
            (*rej)++;
            if (cb) cb(ud, &err);
            continue;
        }
        if (rc < 0) break;
        rc = FR_OK;
        if (row.count == 1 && row.fields[0].len == 0) continue; /* blank line */
        wl_row r;
        if (fr__wl_csv_row(&row, map, &r, &err) != FR_OK ||
            fr__wl_add_row(wl, &r, list_override, row.line, &err) != FR_OK) {
            if ((rc = report(cb, ud, &err, rej)) != FR_OK) break;
            continue;
        }
        (*acc)++;
    }
    fr_csv_free(csv);
    return rc < 0 ? rc : FR_OK;
}

static int parse_jsonl(fr_watchlist *wl, const char *data, size_t len, const char *list_override,
                       fr_watchlist_row_error_fn cb, void *ud, size_t *acc, size_t *rej)
{
    long line = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        line++;
        size_t l = (size_t)(e - p);
        const char *s = p;
        p = e + 1;
        while (l && (s[l - 1] == '\r' || s[l - 1] == ' ' || s[l - 1] == '\t'))
            l--;
        size_t k = 0;
        while (k < l && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == l) continue;
        fr_error err;
        json_error_t jerr;
        json_t *obj = json_loadb(s, l, JSON_REJECT_DUPLICATES, &jerr);
        int rc;
        if (!obj) {
            fr_error_set(&err, FR_EPARSE, (int)line, jerr.column > 0 ? jerr.column : 1, "",
                         "bad JSON: %s", jerr.text);
            rc = FR_EPARSE;
        } else {
            wl_row r;
            char buf[3][WL_FIELD_MAX + 1];
            rc = fr__wl_json_row(obj, &r, buf, line, &err);
            if (rc == FR_OK) rc = fr__wl_add_row(wl, &r, list_override, line, &err);
            json_decref(obj);
        }
        if (rc != FR_OK) {
            if ((rc = report(cb, ud, &err, rej)) != FR_OK) return rc;
            continue;
        }
        (*acc)++;
    }
    return FR_OK;
}

int fr_watchlist_parse(fr_watchlist *wl, const char *data, size_t len, fr_watchlist_format fmt,
                       const fr_watchlist_import_options *opt, fr_watchlist_counts *counts)
{
    static const fr_watchlist_import_options defaults;
    fr_watchlist_counts c = {0, 0, 0};
    if (!opt) opt = &defaults;
    if (!wl || (!data && len)) return FR_EINVAL;
    const char *list_override =
        opt->list_override && *opt->list_override ? opt->list_override : NULL;
    int rc;
    if (fmt == FR_WATCHLIST_CSV)
        rc = parse_csv(wl, data ? data : "", len, list_override, opt->on_error, opt->ud,
                       &c.accepted, &c.rejected);
    else if (fmt == FR_WATCHLIST_JSONL)
        rc = parse_jsonl(wl, data ? data : "", len, list_override, opt->on_error, opt->ud,
                         &c.accepted, &c.rejected);
    else {
        fr_watchlist_import_options no_aux = *opt;
        no_aux.aux = NULL;
        no_aux.aux_len = 0;
        rc = fr_watchlist_import(wl, fmt, data, len, &no_aux, &c);
    }
    if (counts) *counts = c;
    return rc;
}
