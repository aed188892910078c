/* SPDX-License-Identifier: MIT */
/*
 * plist-binary.h - binary plists (bplist00) into the typed tree (internal).
 *
 * libplist decodes the values; plist-binary.c first walks the object
 * graph itself, without decoding, so that what libplist is handed is
 * already known to be in bounds: no reference outside the file, no cycle,
 * no nesting deeper than PLIST_MAX_DEPTH, and no more than PLIST_MAX_NODES
 * objects once shared references are expanded (a binary plist can name
 * one array from every slot of another, a "billion laughs" in 1 KiB).
 */
#ifndef BOOTSTRAPD_PLIST_BINARY_H
#define BOOTSTRAPD_PLIST_BINARY_H

#include <stdbool.h>
#include <stddef.h>

#include "plist-xml.h"

/* "bplist": any version, so that an unknown one is refused by name. */
#define PLIST_BINARY_MAGIC "bplist"

/**
 * plist_binary_is() - whether @buf starts like a binary plist.
 * @buf: the document
 * @len: its length
 *
 * Return: true when @buf begins with PLIST_BINARY_MAGIC.
 */
bool plist_binary_is(const char *buf, size_t len);

/**
 * plist_binary_read() - parse a binary plist held in memory.
 * @p:   the parse: refusals are recorded in it, with the byte offset of
 *       the offending object or trailer field in the reason
 * @buf: the document
 * @len: its length, at most PLIST_MAX_SIZE
 * @out: receives the root value (lines are 0); the caller frees it with
 *       plist_node_free().  Untouched on failure.
 *
 * Return: 0, PLIST_E_MALFORMED or PLIST_E_LIMIT recorded in @p, or -ENOMEM.
 */
int plist_binary_read(struct plist_parse *p, const char *buf, size_t len,
		      struct plist_node **out);

#endif
