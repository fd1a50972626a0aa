/* SPDX-License-Identifier: MIT */
/* watchlist_xml.c: libxml2 for the XML list importers (see watchlist_xml.h).
 *
 * How it works: the document is read into a tree by a parser context of its
 * own (no global error state, no printing), with network access and external
 * entities off, libxml2's default size limits on. The helpers read text
 * nodes in place; nothing is allocated after the parse. */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "watchlist_xml.h"

int wl_xml_read(const char *data, size_t len, xmlDoc **doc, fr_error *err)
{
    *doc = NULL;
    if (len > (size_t)1 << 30)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "", "the XML file is larger than 1 GiB");
    xmlParserCtxt *ctx = xmlNewParserCtxt();
    if (!ctx) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    *doc = xmlCtxtReadMemory(ctx, data, (int)len, NULL, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                 XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES);
    int rc = FR_OK;
    if (!*doc || !ctx->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[160] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t l = strlen(msg);
            while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
                msg[--l] = '\0';
        }
        rc = fr_error_set(err, FR_EPARSE, e ? e->line : 0, e ? e->int2 : 0, "", "bad XML: %s", msg);
        xmlFreeDoc(*doc);
        *doc = NULL;
    }
    xmlFreeParserCtxt(ctx);
    return rc;
}

int wl_xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *wl_xml_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (wl_xml_is(c, name)) return c;
    return NULL;
}

static size_t trim_into(const char *s, size_t len, char *buf, size_t cap)
{
    while (len && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')) {
        s++;
        len--;
    }
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == '\t'))
        len--;
    if (len >= cap) len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return len;
}

size_t wl_xml_text(const xmlNode *n, char *buf, size_t cap)
{
    char tmp[4097];
    size_t o = 0;
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            size_t l = strlen((const char *)c->content);
            if (o + l >= sizeof tmp) l = sizeof tmp - 1 - o;
            memcpy(tmp + o, c->content, l);
            o += l;
        }
    return trim_into(tmp, o, buf, cap);
}

size_t wl_xml_child_text(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    xmlNode *c = wl_xml_child(n, name);
    if (!c) {
        buf[0] = '\0';
        return 0;
    }
    return wl_xml_text(c, buf, cap);
}

size_t wl_xml_attr(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    for (xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content) {
            const char *v = (const char *)a->children->content;
            return trim_into(v, strlen(v), buf, cap);
        }
    buf[0] = '\0';
    return 0;
}

long wl_xml_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}
