/* SPDX-License-Identifier: MIT */
/* watchlist_row.c: turning a CSV record or a JSON object into a watchlist
 * row, and parsing the birth-date forms lists use.
 *
 * How it works: the CSV header names the columns (any order, every known
 * name at most once, id and name required); each record is then mapped to
 * field slices with their 1-based columns for error messages. JSON objects
 * take the same keys; aliases and documents may be strings ("a|b") or arrays
 * of strings, joined with '|'. Birth dates are parsed in
 * watchlist_birth.c. */
#include <string.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"

const char *const fr__wl_field_names[WL_NFIELDS] = {"id",        "list",       "name",
                                                    "aliases",   "birth_date", "nationality",
                                                    "documents", "reason",     "weak_aliases"};

int fr__wl_header(const fr_csv_row *row, int map[WL_NFIELDS], fr_error *err)
{
    for (int i = 0; i < WL_NFIELDS; i++)
        map[i] = -1;
    int col = 1;
    for (size_t c = 0; c < row->count; c++) {
        const fr_csv_field *f = &row->fields[c];
        const char *s = f->ptr;
        size_t len = f->len;
        if (c == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        int k = -1;
        for (int i = 0; i < WL_NFIELDS; i++)
            if (strlen(fr__wl_field_names[i]) == len && memcmp(fr__wl_field_names[i], s, len) == 0)
                k = i;
        if (k < 0)
            return fr_error_set(err, FR_EPARSE, (int)row->line, col, "header",
                                "unknown column \"%.*s\" (want id,list,name,aliases,birth_date,"
                                "nationality,documents,reason,weak_aliases)",
                                (int)(len > 40 ? 40 : len), s);
        if (map[k] >= 0)
            return fr_error_set(err, FR_EPARSE, (int)row->line, col, "header",
                                "column \"%s\" appears twice", fr__wl_field_names[k]);
        map[k] = (int)c;
        col += (int)f->len + 1;
    }
    if (map[WL_ID] < 0 || map[WL_NAME] < 0)
        return fr_error_set(err, FR_EPARSE, (int)row->line, 1, "header",
                            "the header must name the columns id and name (first line)");
    return FR_OK;
}

int fr__wl_csv_row(const fr_csv_row *row, const int map[WL_NFIELDS], wl_row *r, fr_error *err)
{
    size_t want = 0;
    for (int i = 0; i < WL_NFIELDS; i++)
        if (map[i] >= 0 && (size_t)map[i] + 1 > want) want = (size_t)map[i] + 1;
    if (row->count != want)
        return fr_error_set(err, FR_EPARSE, (int)row->line, 1, "",
                            "the row has %zu fields, the header %zu", row->count, want);
    int colpos[64];
    int col = 1;
    for (size_t c = 0; c < row->count && c < 64; c++) {
        colpos[c] = col;
        col += (int)row->fields[c].len + 1;
    }
    for (int i = 0; i < WL_NFIELDS; i++) {
        if (map[i] < 0) {
            r->f[i] = "";
            r->len[i] = 0;
            r->col[i] = 0;
            continue;
        }
        const fr_csv_field *f = &row->fields[map[i]];
        const char *s = f->ptr;
        size_t len = f->len;
        while (len && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        r->f[i] = s;
        r->len[i] = len;
        r->col[i] = map[i] < 64 ? colpos[map[i]] : 0;
    }
    return FR_OK;
}

/* Join a string or array of strings into buf (cap bytes) with '|'. */
static int json_list(json_t *v, char *buf, size_t cap, const char **s, size_t *len)
{
    if (json_is_string(v)) {
        *s = json_string_value(v);
        *len = json_string_length(v);
        return FR_OK;
    }
    if (!json_is_array(v)) return FR_EPARSE;
    size_t o = 0, i;
    json_t *it;
    json_array_foreach(v, i, it)
    {
        if (!json_is_string(it)) return FR_EPARSE;
        size_t l = json_string_length(it);
        if (memchr(json_string_value(it), '|', l)) return FR_EPARSE;
        if (o + l + 2 > cap) return FR_ELIMIT;
        if (o) buf[o++] = '|';
        memcpy(buf + o, json_string_value(it), l);
        o += l;
    }
    buf[o] = '\0';
    *s = buf;
    *len = o;
    return FR_OK;
}

int fr__wl_json_row(json_t *obj, wl_row *r, char buf[3][4097], long line, fr_error *err)
{
    if (!json_is_object(obj))
        return fr_error_set(err, FR_EPARSE, (int)line, 1, "", "the line is not a JSON object");
    for (int i = 0; i < WL_NFIELDS; i++) {
        r->f[i] = "";
        r->len[i] = 0;
        r->col[i] = 0;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int k = -1;
        for (int i = 0; i < WL_NFIELDS; i++)
            if (strcmp(fr__wl_field_names[i], key) == 0) k = i;
        if (k < 0)
            return fr_error_set(err, FR_EPARSE, (int)line, 0, "", "unknown key \"%.40s\"", key);
        if (json_is_null(v)) continue;
        if (k == WL_ALIASES || k == WL_DOCS || k == WL_WEAK) {
            int rc = json_list(v,
                               buf[k == WL_ALIASES ? 0
                                   : k == WL_DOCS  ? 1
                                                   : 2],
                               4097, &r->f[k], &r->len[k]);
            if (rc != FR_OK)
                return fr_error_set(err, rc, (int)line, 0, fr__wl_field_names[k],
                                    "%s must be a string or an array of strings without '|' (%s)",
                                    fr__wl_field_names[k],
                                    rc == FR_ELIMIT ? "too long" : "bad type");
        } else if (json_is_string(v)) {
            r->f[k] = json_string_value(v);
            r->len[k] = json_string_length(v);
        } else {
            return fr_error_set(err, FR_EPARSE, (int)line, 0, key, "%s must be a string", key);
        }
    }
    return FR_OK;
}
