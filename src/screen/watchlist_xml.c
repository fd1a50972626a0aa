/* SPDX-License-Identifier: MIT */
/* watchlist_xml.c: libxml2 for the XML list importers (see watchlist_xml.h).
 *
 * How it works: the document is read into a tree by a parser context of its
 * own (the first error kept, nothing printed), with network access and external
 * entities off, libxml2's default size limits on. The helpers read text
 * nodes in place; nothing is allocated after the parse. */
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <string.h>

#include "watchlist_xml.h"

/* The first error the parser raises (the later ones follow from it). */
typedef struct first_error {
    int set, line, column;
    char msg[160];
} first_error;

static void on_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxt *ctx = data;
    first_error *f = ctx ? ctx->_private : NULL;
    if (!f || f->set || !e || e->level < XML_ERR_ERROR) return;
    f->set = 1;
    f->line = e->line;
    f->column = e->int2;
    snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "not well-formed XML");
    size_t l = strlen(f->msg);
    while (l && (f->msg[l - 1] == '\n' || f->msg[l - 1] == ' '))
        f->msg[--l] = '\0';
}

int fr__wl_xml_read(const char *data, size_t len, xmlDoc **doc, fr_error *err)
{
    *doc = NULL;
    if (len > (size_t)1 << 30)
        return fr_error_set(err, FR_ELIMIT, 0, 0, "", "the XML file is larger than 1 GiB");
    xmlParserCtxt *ctx = xmlCreateMemoryParserCtxt(data, (int)len);
    if (!ctx) return fr_error_set(err, FR_ENOMEM, 0, 0, "", "out of memory");
    xmlCtxtUseOptions(ctx, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                               XML_PARSE_NOCDATA | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES);
    first_error first = {0, 0, 0, ""};
    ctx->_private = &first;
    if (ctx->sax) ctx->sax->serror = on_error;
    xmlParseDocument(ctx);
    *doc = ctx->myDoc;
    ctx->myDoc = NULL;
    int rc = FR_OK;
    if (!*doc || !ctx->wellFormed) {
        if (!first.set) {
            xmlErrorPtr e = xmlCtxtGetLastError(ctx);
            if (e) on_error(ctx, e);
        }
        rc = fr_error_set(err, FR_EPARSE, first.line, first.column, "", "bad XML: %s",
                          first.set ? first.msg : "not well-formed XML");
        xmlFreeDoc(*doc);
        *doc = NULL;
    }
    xmlFreeParserCtxt(ctx);
    return rc;
}

int fr__wl_xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *fr__wl_xml_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (fr__wl_xml_is(c, name)) return c;
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

size_t fr__wl_xml_text(const xmlNode *n, char *buf, size_t cap)
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

size_t fr__wl_xml_child_text(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    xmlNode *c = fr__wl_xml_child(n, name);
    if (!c) {
        buf[0] = '\0';
        return 0;
    }
    return fr__wl_xml_text(c, buf, cap);
}

size_t fr__wl_xml_attr(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    for (xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content) {
            const char *v = (const char *)a->children->content;
            return trim_into(v, strlen(v), buf, cap);
        }
    buf[0] = '\0';
    return 0;
}

long fr__wl_xml_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}
