/* SPDX-License-Identifier: MIT */
/* watchlist_xml.h: the small part of libxml2 the XML list importers use
 * (watchlist_xml.c): a safe parse and element/text helpers that do not
 * allocate. Elements are matched by local name, whatever their namespace. */
#ifndef FR_WATCHLIST_XML_H
#define FR_WATCHLIST_XML_H

#include <libxml/tree.h>
#include <stddef.h>

#include "frontera/status.h"

/* Parse len bytes into *doc (xmlFreeDoc it) with no network access, no
 * external entities and no messages printed. FR_OK, FR_ENOMEM, or FR_EPARSE
 * with err (line, column, the parser's message). */
int fr__wl_xml_read(const char *data, size_t len, xmlDoc **doc, fr_error *err);
/* 1 when n is an element named name. */
int fr__wl_xml_is(const xmlNode *n, const char *name);
/* First element child of n named name, or NULL. */
xmlNode *fr__wl_xml_child(const xmlNode *n, const char *name);
/* Text of n's direct text children, spaces trimmed, into buf (cap bytes,
 * NUL-terminated, cut at cap - 1); returns its length. */
size_t fr__wl_xml_text(const xmlNode *n, char *buf, size_t cap);
size_t fr__wl_xml_child_text(const xmlNode *n, const char *name, char *buf, size_t cap);
/* An attribute's value (trimmed) into buf; returns its length (0 when absent). */
size_t fr__wl_xml_attr(const xmlNode *n, const char *name, char *buf, size_t cap);
/* The element's line in the document (for error messages). */
long fr__wl_xml_line(const xmlNode *n);

#endif
