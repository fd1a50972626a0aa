/* SPDX-License-Identifier: MIT */
/* watchlist_eu.c: the EU consolidated list of financial sanctions (FSF XML).
 *
 * <export> holds <sanctionEntity euReferenceNumber="EU.27.28" logicalId=..
 * unitedNationId=..> elements with, as attributes of children:
 * subjectType code="person" (others are counted as skipped); nameAlias
 * wholeName (or firstName middleName lastName), strong="true"/"false" (a
 * weak alias), the first one the primary name; citizen countryIso2Code /
 * countryDescription; birthdate birthdate="1937-04-28" or year=, or
 * yearRangeFrom/yearRangeTo, circa="true"; identification number=,
 * identificationTypeCode ("passport", "id"), countryIso2Code; regulation
 * programme=. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"
#include "watchlist_xml.h"

#define TXT 4097

static void eu_name(wl_build *b, const xmlNode *n, char *t, char *u, int *first)
{
    size_t l = fr__wl_xml_attr(n, "wholeName", t, TXT);
    if (!l) {
        static const char *const parts[] = {"firstName", "middleName", "lastName"};
        for (int i = 0; i < 3; i++) {
            size_t pl = fr__wl_xml_attr(n, parts[i], u, TXT);
            if (!pl || l + pl + 2 > TXT) continue;
            if (l) t[l++] = ' ';
            memcpy(t + l, u, pl);
            l += pl;
        }
    }
    if (!l) return;
    char strong[16];
    fr__wl_xml_attr(n, "strong", strong, sizeof strong);
    if (*first) {
        fr__wl_build_add(b, WL_NAME, t, l);
        *first = 0;
    } else {
        fr__wl_build_add(b, strcmp(strong, "false") == 0 ? WL_WEAK : WL_ALIASES, t, l);
    }
}

static void eu_birth(wl_build *b, const xmlNode *n, char *t)
{
    char circa[16], from[16], to[16];
    fr__wl_xml_attr(n, "circa", circa, sizeof circa);
    int c = strcmp(circa, "true") == 0;
    size_t l = fr__wl_xml_attr(n, "birthdate", t, TXT);
    if (!l) l = fr__wl_xml_attr(n, "year", t, TXT);
    if (l) {
        fr__wl_build_birth(b, t, l, c);
        return;
    }
    size_t fl = fr__wl_xml_attr(n, "yearRangeFrom", from, sizeof from);
    size_t tl = fr__wl_xml_attr(n, "yearRangeTo", to, sizeof to);
    if (fl && tl) {
        int k = snprintf(t, TXT, "%s..%s", from, to);
        fr__wl_build_birth(b, t, (size_t)k, c);
    }
}

static void eu_country(wl_build *b, const xmlNode *n, char *t, char *u, int doc)
{
    size_t l = fr__wl_xml_attr(n, "countryIso2Code", t, TXT);
    if (!l || strcmp(t, "00") == 0) l = fr__wl_xml_attr(n, "countryDescription", t, TXT);
    if (strcmp(t, "UNKNOWN") == 0) l = 0;
    if (!doc) {
        fr__wl_build_nat(b, t, l, 1);
        return;
    }
    char type[64];
    fr__wl_xml_attr(n, "identificationTypeCode", type, sizeof type);
    if (strcmp(type, "passport") != 0 && strcmp(type, "id") != 0) return;
    size_t nl = fr__wl_xml_attr(n, "number", u, TXT);
    if (!nl) nl = fr__wl_xml_attr(n, "latinNumber", u, TXT);
    fr__wl_build_doc(b, t, l, u, nl, 1);
}

static int eu_entity(wl_sink *k, wl_build *b, const xmlNode *e, char *t, char *u)
{
    const xmlNode *st = fr__wl_xml_child(e, "subjectType");
    char code[32];
    fr__wl_xml_attr(st, "code", code, sizeof code);
    if (strcmp(code, "person") != 0) {
        k->counts->skipped++;
        return FR_OK;
    }
    fr__wl_build_reset(b);
    size_t l = fr__wl_xml_attr(e, "euReferenceNumber", t, TXT);
    if (!l) l = fr__wl_xml_attr(e, "logicalId", t, TXT);
    fr__wl_build_add(b, WL_ID, t, l);
    char prog[64] = "", un[64];
    fr__wl_xml_attr(fr__wl_xml_child(e, "regulation"), "programme", prog, sizeof prog);
    int n = snprintf(t, TXT, "EU sanctions %s, %.*s", prog, (int)l, b->buf[WL_ID]);
    if (fr__wl_xml_attr(e, "unitedNationId", un, sizeof un))
        n += snprintf(t + n, TXT - (size_t)n, " (UN %s)", un);
    fr__wl_build_add(b, WL_REASON, t, (size_t)n);
    int first = 1;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (fr__wl_xml_is(c, "nameAlias"))
            eu_name(b, c, t, u, &first);
        else if (fr__wl_xml_is(c, "citizen"))
            eu_country(b, c, t, u, 0);
        else if (fr__wl_xml_is(c, "birthdate"))
            eu_birth(b, c, t);
        else if (fr__wl_xml_is(c, "identification"))
            eu_country(b, c, t, u, 1);
    }
    if (!k->list_override) fr__wl_build_adds(b, WL_LIST, "EU-FSF");
    return fr__wl_sink_commit(k, b, fr__wl_xml_line(e));
}

int fr__wl_import_eu(wl_sink *k, const char *data, size_t len)
{
    xmlDoc *doc = NULL;
    fr_error err;
    int rc = fr__wl_xml_read(data, len, &doc, &err);
    if (rc != FR_OK) {
        if (k->cb) k->cb(k->ud, &err);
        return rc;
    }
    wl_build *b = fr_malloc(sizeof *b);
    char *t = fr_malloc(TXT), *u = fr_malloc(TXT);
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!b || !t || !u) {
        rc = FR_ENOMEM;
    } else if (!fr__wl_xml_is(root, "export")) {
        fr_error_set(&err, FR_EPARSE, (int)fr__wl_xml_line(root), 0, "",
                     "this is not an EU consolidated list (the root element is not export)");
        if (k->cb) k->cb(k->ud, &err);
        rc = FR_EPARSE;
    } else {
        for (const xmlNode *e = root->children; e && rc == FR_OK; e = e->next)
            if (fr__wl_xml_is(e, "sanctionEntity")) rc = eu_entity(k, b, e, t, u);
    }
    fr_free(b);
    fr_free(t);
    fr_free(u);
    xmlFreeDoc(doc);
    return rc;
}
