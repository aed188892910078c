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

#include "plist.h"

/* One parse: where messages go and what the SAX hooks have counted. */
struct plist_parse {
	const char *name;
	struct plist_error *err;
	int rc;                 /* the first refusal, 0 while there is none */
	unsigned int depth;     /* open elements, <plist> included */
	size_t elements;
};

/**
 * plist_fail() - record a refusal in @p; only the first one is kept, as it
 * names the cause.  Defined in plist.c.
 * @p:    the parse
 * @rc:   a PLIST_E_* code
 * @line: the offending line, 0 if unknown
 * @fmt:  the reason
 *
 * Return: the code of the first refusal recorded in @p.
 */
__attribute__((format(printf, 4, 5)))
int plist_fail(struct plist_parse *p, int rc, unsigned int line, const char *fmt, ...);

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

#endif
