/* SPDX-License-Identifier: MIT */
/* watchlist_un.c: the UN Security Council Consolidated List (XML).
 *
 * The list (scsanctions.un.org, schema sc-sanctions.xsd) has INDIVIDUALS and
 * ENTITIES. Each INDIVIDUAL gives FIRST_NAME..FOURTH_NAME, NAME_ORIGINAL_SCRIPT,
 * INDIVIDUAL_ALIAS with a QUALITY ("Good", "Low": a low-quality alias is a
 * weak alias here), INDIVIDUAL_DATE_OF_BIRTH as TYPE_OF_DATE EXACT /
 * APPROXIMATELY / BETWEEN with DATE, YEAR or FROM_YEAR..TO_YEAR (several per
 * person), NATIONALITY values as country names, INDIVIDUAL_DOCUMENT with a
 * NUMBER and ISSUING_COUNTRY or COUNTRY_OF_ISSUE, and the REFERENCE_NUMBER
 * (QDi.001) that is the entry's id. Entities are counted as skipped. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"
#include "watchlist_xml.h"

#define TXT 4097

static void un_birth(wl_build *b, const xmlNode *d, char *t, char *u)
{
    char type[64];
    fr__wl_xml_child_text(d, "TYPE_OF_DATE", type, sizeof type);
    size_t nl = fr__wl_xml_child_text(d, "NOTE", u, TXT);
    int circa = strcmp(type, "APPROXIMATELY") == 0 ||
                (nl && (strstr(u, "pprox") != NULL || strstr(u, "irca") != NULL));
    size_t l;
    if ((l = fr__wl_xml_child_text(d, "DATE", t, TXT)) > 0) {
        fr__wl_build_birth(b, t, l > 10 ? 10 : l, circa);
    } else if ((l = fr__wl_xml_child_text(d, "YEAR", t, TXT)) > 0) {
        fr__wl_build_birth(b, t, l, circa);
    } else if ((l = fr__wl_xml_child_text(d, "FROM_YEAR", t, TXT)) > 0) {
        char to[16], range[64];
        size_t tl = fr__wl_xml_child_text(d, "TO_YEAR", to, sizeof to);
        int n = snprintf(range, sizeof range, "%.*s..%.*s", (int)(l > 20 ? 20 : l), t,
                         (int)(tl ? tl : l), tl ? to : t);
        fr__wl_build_birth(b, range, (size_t)n, circa);
    } else if (nl) {
        fr__wl_build_birth(b, u, nl, 0); /* "Nov. 1973": a month, or a note */
    }
}

static int un_individual(wl_sink *k, wl_build *b, const xmlNode *ind, char *t, char *u)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
    fr__wl_build_reset(b);
    size_t l = fr__wl_xml_child_text(ind, "REFERENCE_NUMBER", t, TXT);
    if (!l) l = fr__wl_xml_child_text(ind, "DATAID", t, TXT);
    fr__wl_build_add(b, WL_ID, t, l);
    size_t o = 0;
    for (size_t i = 0; i < 4; i++) {
        size_t pl = fr__wl_xml_child_text(ind, parts[i], u, TXT);
        if (!pl || o + pl + 2 > TXT) continue;
        if (o) t[o++] = ' ';
        memcpy(t + o, u, pl);
        o += pl;
    }
    fr__wl_build_add(b, WL_NAME, t, o);
    if ((l = fr__wl_xml_child_text(ind, "NAME_ORIGINAL_SCRIPT", t, TXT)) > 0)
        fr__wl_build_add(b, WL_ALIASES, t, l);
    char list[64], ref[64], on[32];
    fr__wl_xml_child_text(ind, "UN_LIST_TYPE", list, sizeof list);
    fr__wl_xml_child_text(ind, "REFERENCE_NUMBER", ref, sizeof ref);
    fr__wl_xml_child_text(ind, "LISTED_ON", on, sizeof on);
    int n = snprintf(t, TXT, "UN %s sanctions, %s, listed %s", list, ref, on);
    fr__wl_build_add(b, WL_REASON, t, (size_t)n);
    for (const xmlNode *c = ind->children; c; c = c->next) {
        if (fr__wl_xml_is(c, "INDIVIDUAL_ALIAS")) {
            char q[32];
            fr__wl_xml_child_text(c, "QUALITY", q, sizeof q);
            l = fr__wl_xml_child_text(c, "ALIAS_NAME", t, TXT);
            fr__wl_build_add(b, strcmp(q, "Low") == 0 ? WL_WEAK : WL_ALIASES, t, l);
        } else if (fr__wl_xml_is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
            un_birth(b, c, t, u);
        } else if (fr__wl_xml_is(c, "NATIONALITY")) {
            for (const xmlNode *v = c->children; v; v = v->next)
                if (fr__wl_xml_is(v, "VALUE")) {
                    l = fr__wl_xml_text(v, t, TXT);
                    fr__wl_build_nat(b, t, l, 0);
                }
        } else if (fr__wl_xml_is(c, "INDIVIDUAL_DOCUMENT")) {
            char st[256];
            size_t sl = fr__wl_xml_child_text(c, "ISSUING_COUNTRY", st, sizeof st);
            if (!sl) sl = fr__wl_xml_child_text(c, "COUNTRY_OF_ISSUE", st, sizeof st);
            l = fr__wl_xml_child_text(c, "NUMBER", t, TXT);
            fr__wl_build_doc(b, st, sl, t, l, 0);
        }
    }
    if (!k->list_override) fr__wl_build_adds(b, WL_LIST, "UN-SC");
    return fr__wl_sink_commit(k, b, fr__wl_xml_line(ind));
}

int fr__wl_import_un(wl_sink *k, const char *data, size_t len)
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
        goto done;
    }
    if (!fr__wl_xml_is(root, "CONSOLIDATED_LIST")) {
        fr_error_set(&err, FR_EPARSE, (int)fr__wl_xml_line(root), 0, "",
                     "this is not a UN consolidated list (the root element is not "
                     "CONSOLIDATED_LIST)");
        if (k->cb) k->cb(k->ud, &err);
        rc = FR_EPARSE;
        goto done;
    }
    for (const xmlNode *sec = root->children; sec && rc == FR_OK; sec = sec->next) {
        if (fr__wl_xml_is(sec, "ENTITIES")) {
            for (const xmlNode *e = sec->children; e; e = e->next)
                k->counts->skipped += fr__wl_xml_is(e, "ENTITY");
            continue;
        }
        if (!fr__wl_xml_is(sec, "INDIVIDUALS")) continue;
        for (const xmlNode *ind = sec->children; ind && rc == FR_OK; ind = ind->next)
            if (fr__wl_xml_is(ind, "INDIVIDUAL")) rc = un_individual(k, b, ind, t, u);
    }
done:
    fr_free(b);
    fr_free(t);
    fr_free(u);
    xmlFreeDoc(doc);
    return rc;
}
