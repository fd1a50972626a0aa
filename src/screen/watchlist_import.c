/* SPDX-License-Identifier: MIT */
/* watchlist_import.c: importing published lists (UN, OFAC, EU, OpenSanctions)
 * into a watchlist, and the pieces every importer shares.
 *
 * How it works: each format's reader (watchlist_un.c, watchlist_ofac.c,
 * watchlist_eu.c, watchlist_ftm.c) walks its document and fills a wl_build,
 * one field at a time, with values as the list writes them: names and
 * aliases, dates in the list's own notation (the birth-date grammar of
 * watchlist_birth.c reads "circa 1975" and "12 Mar 1957" as they come),
 * nationalities normalised here to ICAO codes, documents as STATE:NUMBER.
 * The built entry then goes through the same validation as a CSV row
 * (fr__wl_add_row), so an imported list and a hand-written CSV obey one set of
 * rules, and a refused entry is reported with its line and field. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "frontera/country.h"
#include "screen_internal.h"
#include "watchlist_internal.h"

static const struct {
    const char *name;
    fr_watchlist_format fmt;
} FORMATS[] = {{"csv", FR_WATCHLIST_CSV},
               {"jsonl", FR_WATCHLIST_JSONL},
               {"un-xml", FR_WATCHLIST_UN_XML},
               {"ofac-csv", FR_WATCHLIST_OFAC_CSV},
               {"ofac-xml", FR_WATCHLIST_OFAC_XML},
               {"eu-xml", FR_WATCHLIST_EU_XML},
               {"ftm", FR_WATCHLIST_FTM}};

int fr_watchlist_format_parse(const char *name, fr_watchlist_format *out)
{
    for (size_t i = 0; name && i < sizeof FORMATS / sizeof *FORMATS; i++)
        if (strcmp(FORMATS[i].name, name) == 0) {
            *out = FORMATS[i].fmt;
            return FR_OK;
        }
    return FR_EINVAL;
}

const char *fr_watchlist_format_name(fr_watchlist_format fmt)
{
    for (size_t i = 0; i < sizeof FORMATS / sizeof *FORMATS; i++)
        if (FORMATS[i].fmt == fmt) return FORMATS[i].name;
    return "unknown";
}

/* needle (its length m) within s[0..n) */
static int has(const char *s, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, needle, m) == 0) return 1;
    return 0;
}

/* The first element's name after the XML declaration, comments and DOCTYPE,
 * without a namespace prefix, into name (empty when none). */
static void xml_root(const char *s, size_t n, char *name, size_t cap)
{
    size_t i = 0;
    name[0] = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) return;
        i = (size_t)(lt - s) + 1;
        if (i < n && (s[i] == '?' || s[i] == '!')) continue; /* declaration, comment, DOCTYPE */
        size_t k = 0;
        while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' ||
                         s[i] == '.' || s[i] == ':')) {
            if (s[i] == ':') /* a prefix: the local name follows */
                k = 0;
            else if (k + 1 < cap) {
                name[k++] = s[i];
            }
            i++;
        }
        name[k] = 0;
        return;
    }
}

int fr_watchlist_format_guess(const char *head, size_t n, fr_watchlist_format *out)
{
    *out = FR_WATCHLIST_CSV;
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3; /* a UTF-8 byte order mark */
    while (i < n && isspace((unsigned char)head[i]))
        i++;
    if (i >= n) return FR_OK;
    if (head[i] == '<') {
        char root[64];
        xml_root(head + i, n - i, root, sizeof root);
        if (strcmp(root, "CONSOLIDATED_LIST") == 0)
            *out = FR_WATCHLIST_UN_XML;
        else if (strcmp(root, "sdnList") == 0)
            *out = FR_WATCHLIST_OFAC_XML;
        else if (strcmp(root, "export") == 0)
            *out = FR_WATCHLIST_EU_XML;
        else
            return FR_EINVAL;
        return FR_OK;
    }
    const char *eol = memchr(head + i, '\n', n - i);
    size_t line = eol ? (size_t)(eol - (head + i)) : n - i;
    if (head[i] == '{') {
        *out = has(head + i, line, "\"schema\"", 8) ? FR_WATCHLIST_FTM : FR_WATCHLIST_JSONL;
        return FR_OK;
    }
    if (isdigit((unsigned char)head[i]) && has(head + i, line, "-0-", 3))
        *out = FR_WATCHLIST_OFAC_CSV;
    return FR_OK;
}

void fr__wl_build_reset(wl_build *b)
{
    for (int i = 0; i < WL_NFIELDS; i++) {
        b->len[i] = 0;
        b->buf[i][0] = '\0';
    }
    b->over = -1;
}

/* Append sep + value (cleaned) to field f unless it is empty or already there. */
static void put(wl_build *b, int f, const char *sep, const char *s, size_t len)
{
    char tmp[WL_FIELD_MAX + 1];
    size_t n = 0;
    int space = 1;
    for (size_t i = 0; i < len && n < WL_FIELD_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '|' || c == ' ') {
            if (!space) tmp[n++] = ' ';
            space = 1;
            continue;
        }
        tmp[n++] = (char)c;
        space = 0;
    }
    while (n && tmp[n - 1] == ' ')
        n--;
    if (!n) return;
    size_t sl = b->len[f] ? strlen(sep) : 0;
    /* a repeat of a value already in the field is dropped */
    for (const char *p = b->buf[f], *end = p + b->len[f]; p < end;) {
        const char *e = strstr(p, sep);
        size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
        if (l == n && memcmp(p, tmp, n) == 0) return;
        p += l + strlen(sep);
    }
    if (b->len[f] + sl + n > WL_FIELD_MAX) {
        if (b->over < 0) b->over = f;
        return;
    }
    memcpy(b->buf[f] + b->len[f], sep, sl);
    memcpy(b->buf[f] + b->len[f] + sl, tmp, n);
    b->len[f] += sl + n;
    b->buf[f][b->len[f]] = '\0';
}

/* the reason is prose: its parts are separated by "; " */
void fr__wl_build_add(wl_build *b, int field, const char *s, size_t len)
{
    if (s) put(b, field, field == WL_REASON ? "; " : "|", s, len);
}

void fr__wl_build_adds(wl_build *b, int field, const char *s)
{
    if (s) fr__wl_build_add(b, field, s, strlen(s));
}

void fr__wl_build_note(wl_build *b, const char *prefix, const char *s, size_t len)
{
    char tmp[512];
    size_t pl = strlen(prefix);
    if (!s || !len || pl + len >= sizeof tmp) return;
    memcpy(tmp, prefix, pl);
    memcpy(tmp + pl, s, len);
    put(b, WL_REASON, "; ", tmp, pl + len);
}

static int nat_index(const char *s, size_t len, int alpha2)
{
    int c = alpha2 ? fr__iso2_find(s, len) : -1;
    return c >= 0 ? c : fr_country_normalize(s, len);
}

void fr__wl_build_nat(wl_build *b, const char *s, size_t len, int alpha2)
{
    while (len && (*s == ' ' || *s == '\n' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t'))
        len--;
    if (!len) return;
    int c = nat_index(s, len, alpha2);
    if (c >= 0)
        fr__wl_build_adds(b, WL_NAT, fr_country_code(c));
    else
        fr__wl_build_note(b, "nationality as listed: ", s, len);
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void fr__wl_build_doc(wl_build *b, const char *state, size_t slen, const char *number, size_t nlen,
                      int alpha2)
{
    char tmp[64], norm[48], doc[64];
    while (nlen && (*number == ' ' || *number == '\n')) {
        number++;
        nlen--;
    }
    if (!nlen) return;
    if (nlen >= sizeof tmp) {
        fr__wl_build_note(b, "document as listed: ", number, nlen > 200 ? 200 : nlen);
        return;
    }
    memcpy(tmp, number, nlen);
    tmp[nlen] = '\0';
    if (fr_docindex_normalise(tmp, norm, sizeof norm) != FR_OK) {
        /* "Russian foreign travel passport number 622641887", "563210184
         * (Expires 18 Jun. 2018)": the first word of five or more letters
         * and digits with a digit in it is the number; the text stays as a
         * note */
        fr__wl_build_note(b, "document as listed: ", number, nlen);
        const char *p = number, *end = number + nlen;
        int found = 0;
        while (p < end && !found) {
            while (p < end && !is_alnum(*p))
                p++;
            const char *w = p;
            int digit = 0;
            while (p < end && (is_alnum(*p) || *p == '-' || *p == '/')) {
                digit |= *p >= '0' && *p <= '9';
                p++;
            }
            size_t wl = (size_t)(p - w);
            if (digit && wl >= 5 && wl < sizeof tmp) {
                memcpy(tmp, w, wl);
                tmp[wl] = '\0';
                found = fr_docindex_normalise(tmp, norm, sizeof norm) == FR_OK;
            }
        }
        if (!found) return;
    }
    int c = state && slen ? nat_index(state, slen, alpha2) : -1;
    if (c >= 0)
        snprintf(doc, sizeof doc, "%s:%s", fr_country_code(c), norm);
    else
        snprintf(doc, sizeof doc, "%s", norm);
    fr__wl_build_adds(b, WL_DOCS, doc);
}

void fr__wl_build_birth(wl_build *b, const char *s, size_t len, int circa)
{
    char tmp[128];
    while (len && (*s == ' ' || *s == '\n' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t'))
        len--;
    if (!len) return;
    int n =
        snprintf(tmp, sizeof tmp, "%s%.*s", circa ? "circa " : "", (int)(len > 100 ? 100 : len), s);
    fr_date lo, hi;
    if (len <= 100 && fr_screen_parse_birth(tmp, (size_t)n, &lo, &hi, NULL) == FR_OK &&
        lo != FR_DATE_NONE)
        fr__wl_build_add(b, WL_BIRTH, tmp, (size_t)n);
    else
        fr__wl_build_note(b, "birth date as listed: ", s, len);
}

int fr__wl_sink_refuse(wl_sink *k, const fr_error *err)
{
    k->counts->rejected++;
    if (k->cb) k->cb(k->ud, err);
    return err->code == FR_ENOMEM ? FR_ENOMEM : FR_OK;
}

int fr__wl_sink_commit(wl_sink *k, wl_build *b, long line)
{
    fr_error err;
    if (b->over >= 0) {
        fr_error_set(&err, FR_ELIMIT, (int)line, 0, fr__wl_field_names[b->over],
                     "the entry's %s would be longer than %d bytes", fr__wl_field_names[b->over],
                     WL_FIELD_MAX);
        return fr__wl_sink_refuse(k, &err);
    }
    wl_row r;
    for (int i = 0; i < WL_NFIELDS; i++) {
        r.f[i] = b->buf[i];
        r.len[i] = b->len[i];
        r.col[i] = 0;
    }
    if (fr__wl_add_row(k->wl, &r, k->list_override, line, &err) != FR_OK)
        return fr__wl_sink_refuse(k, &err);
    k->counts->accepted++;
    return FR_OK;
}

int fr_watchlist_import(fr_watchlist *wl, fr_watchlist_format fmt, const char *data, size_t len,
                        const fr_watchlist_import_options *opt, fr_watchlist_counts *counts)
{
    static const fr_watchlist_import_options defaults;
    fr_watchlist_counts c = {0, 0, 0};
    if (!opt) opt = &defaults;
    const char *aux = opt->aux;
    size_t aux_len = opt->aux_len;
    if (!wl || (!data && len) || (!aux && aux_len)) return FR_EINVAL;
    if (!data) data = "";
    const char *list_override =
        opt->list_override && *opt->list_override ? opt->list_override : NULL;
    wl_sink k = {wl, list_override, opt->on_error, opt->ud, &c};
    int rc;
    switch (fmt) {
    case FR_WATCHLIST_CSV:
    case FR_WATCHLIST_JSONL:
        rc = fr_watchlist_parse(wl, data, len, fmt, opt, &c);
        break;
    case FR_WATCHLIST_UN_XML:
        rc = fr__wl_import_un(&k, data, len);
        break;
    case FR_WATCHLIST_OFAC_CSV:
        rc = fr__wl_import_ofac_csv(&k, data, len, aux, aux_len);
        break;
    case FR_WATCHLIST_OFAC_XML:
        rc = fr__wl_import_ofac_xml(&k, data, len);
        break;
    case FR_WATCHLIST_EU_XML:
        rc = fr__wl_import_eu(&k, data, len);
        break;
    case FR_WATCHLIST_FTM:
        rc = fr__wl_import_ftm(&k, data, len);
        break;
    default:
        rc = FR_EINVAL;
    }
    if (counts) *counts = c;
    return rc;
}
