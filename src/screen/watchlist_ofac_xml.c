/* SPDX-License-Identifier: MIT */
/* watchlist_ofac_xml.c: the US Treasury OFAC SDN list, XML (sdn.xml).
 *
 * <sdnList> holds <sdnEntry> elements: uid, lastName, firstName, sdnType
 * ("Individual" for persons; others are counted as skipped), programList,
 * akaList/aka (type a.k.a./f.k.a./n.k.a., category "strong" or "weak",
 * lastName, firstName), idList/id (idType, idNumber, idCountry),
 * nationalityList and citizenshipList (country names), dateOfBirthList/
 * dateOfBirthItem/dateOfBirth ("10 Dec 1948", "1962", "circa 1975", "1962 to
 * 1963"). Names are written "LAST, First" as in the CSV form. Elements are
 * matched by local name, so the old (tempuri.org) and the current namespace
 * both read. */
#include <stdio.h>
#include <string.h>

#include "frontera/alloc.h"
#include "watchlist_internal.h"
#include "watchlist_xml.h"

#define TXT 4097

static size_t ofac_name(const xmlNode *n, char *t, char *u)
{
    size_t l = fr__wl_xml_child_text(n, "lastName", t, TXT);
    size_t fl = fr__wl_xml_child_text(n, "firstName", u, TXT);
    if (fl && l + fl + 3 < TXT) {
        memcpy(t + l, ", ", 2);
        memcpy(t + l + 2, u, fl + 1);
        l += fl + 2;
    } else if (fl && !l) {
        memcpy(t, u, fl + 1);
        l = fl;
    }
    return l;
}

static int ofac_entry(wl_sink *k, wl_build *b, const xmlNode *e, char *t, char *u)
{
    char type[64];
    fr__wl_xml_child_text(e, "sdnType", type, sizeof type);
    if (strcmp(type, "Individual") != 0) {
        k->counts->skipped++;
        return FR_OK;
    }
    fr__wl_build_reset(b);
    size_t l = fr__wl_xml_child_text(e, "uid", t, TXT);
    fr__wl_build_add(b, WL_ID, t, l);
    fr__wl_build_add(b, WL_NAME, t, ofac_name(e, t, u));
    size_t o = (size_t)snprintf(t, TXT, "OFAC SDN");
    const xmlNode *pl = fr__wl_xml_child(e, "programList");
    for (const xmlNode *p = pl ? pl->children : NULL; p; p = p->next)
        if (fr__wl_xml_is(p, "program") && o < 200) {
            char prog[64];
            size_t n = fr__wl_xml_text(p, prog, sizeof prog);
            o += (size_t)snprintf(t + o, TXT - o, " %.*s", (int)n, prog);
        }
    char uid[32];
    fr__wl_xml_child_text(e, "uid", uid, sizeof uid);
    o += (size_t)snprintf(t + o, TXT - o, ", entry %s", uid);
    fr__wl_build_add(b, WL_REASON, t, o);
    for (const xmlNode *c = e->children; c; c = c->next) {
        for (const xmlNode *i = c->children; i; i = i->next) {
            if (fr__wl_xml_is(c, "akaList") && fr__wl_xml_is(i, "aka")) {
                char cat[32];
                fr__wl_xml_child_text(i, "category", cat, sizeof cat);
                fr__wl_build_add(b, strcmp(cat, "weak") == 0 ? WL_WEAK : WL_ALIASES, t,
                                 ofac_name(i, t, u));
            } else if (fr__wl_xml_is(c, "idList") && fr__wl_xml_is(i, "id")) {
                char st[256];
                size_t sl = fr__wl_xml_child_text(i, "idCountry", st, sizeof st);
                fr__wl_xml_child_text(i, "idType", u, TXT);
                if (strstr(u, "assport") || strstr(u, "ational ID") || strstr(u, "Cedula") ||
                    strstr(u, "Identification Number"))
                    fr__wl_build_doc(b, st, sl, t, fr__wl_xml_child_text(i, "idNumber", t, TXT), 0);
            } else if ((fr__wl_xml_is(c, "nationalityList") && fr__wl_xml_is(i, "nationality")) ||
                       (fr__wl_xml_is(c, "citizenshipList") && fr__wl_xml_is(i, "citizenship"))) {
                fr__wl_build_nat(b, t, fr__wl_xml_child_text(i, "country", t, TXT), 0);
            } else if (fr__wl_xml_is(c, "dateOfBirthList") && fr__wl_xml_is(i, "dateOfBirthItem")) {
                fr__wl_build_birth(b, t, fr__wl_xml_child_text(i, "dateOfBirth", t, TXT), 0);
            }
        }
    }
    if (!k->list_override) fr__wl_build_adds(b, WL_LIST, "OFAC-SDN");
    return fr__wl_sink_commit(k, b, fr__wl_xml_line(e));
}

int fr__wl_import_ofac_xml(wl_sink *k, const char *data, size_t len)
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
    } else if (!fr__wl_xml_is(root, "sdnList")) {
        fr_error_set(&err, FR_EPARSE, (int)fr__wl_xml_line(root), 0, "",
                     "this is not an OFAC SDN list (the root element is not sdnList)");
        if (k->cb) k->cb(k->ud, &err);
        rc = FR_EPARSE;
    } else {
        for (const xmlNode *e = root->children; e && rc == FR_OK; e = e->next)
            if (fr__wl_xml_is(e, "sdnEntry")) rc = ofac_entry(k, b, e, t, u);
    }
    fr_free(b);
    fr_free(t);
    fr_free(u);
    xmlFreeDoc(doc);
    return rc;
}
