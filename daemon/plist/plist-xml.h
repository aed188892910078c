/* SPDX-License-Identifier: MIT */
/*
 * plist-xml.h - libxml2 locked down, under plist.c (internal).
 *
 * plist-xml.c reads the XML, refusing under SAX hooks what must never
 * reach memory; plist.c then converts the tree it built.  Both record
 * their refusals in one struct plist_parse through plist_fail().
 */
#ifndef BOOTSTRAPD_PLIST_XML_H
#define BOOTSTRAPD_PLIST_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "plist-node.h"

/**
 * plist_xml_read() - @len bytes of @buf into a libxml2 tree.
 * @p:   the parse; its counters must start at 0
 * @buf: the document
 * @len: its length, at most PLIST_MAX_SIZE
 * @out: the tree, owned by the caller (xmlFreeDoc()) even on failure
 *
 * Entity declarations, nesting deeper than PLIST_MAX_DEPTH and more than
 * PLIST_MAX_NODES elements are refused while parsing.
 *
 * Return: 0, a PLIST_E_* code recorded in @p, or -ENOMEM.
 */
int plist_xml_read(struct plist_parse *p, const char *buf, size_t len, xmlDoc **out);

/**
 * plist_xml_convert() - the tree @doc (a <plist> holding one value) into *@out.
 * Return: 0, or a PLIST_E_* code recorded in @p (*@out untouched).
 */
int plist_xml_convert(struct plist_parse *p, xmlDoc *doc, struct plist_node **out);

#endif
