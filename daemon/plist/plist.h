/* SPDX-License-Identifier: MIT */
/*
 * plist.h - property lists (XML or binary) as a typed tree.
 *
 * XML plists are read with libxml2 and keep the line of every value;
 * binary plists (bplist00) are read with libplist (plist-binary.c) and
 * have no lines: their refusals name a byte offset instead.  The format is
 * told by content, never by the file name.  OpenStep (old-style) text
 * plists (and JSON, which opens alike) are recognised and refused, as the
 * libplist of Debian 12 cannot read them.
 *
 * plist.c knows the plist grammar and nothing about jobs: job-plist.c
 * gives the tree its meaning.  Everything is parsed from memory, because
 * the daemon receives plist content from bsctl and never opens paths a
 * client names; plist_parse_fd() and plist_parse_file() read into memory
 * first, for bsctl and the tests.
 *
 * libxml2 is locked down: no network, no DTD loading, no entity
 * substitution, and a document that declares any entity is refused before
 * the entity could be used (billion laughs, XXE).  Every input is bounded
 * by the PLIST_MAX_* limits below.
 */
#ifndef BOOTSTRAPD_PLIST_H
#define BOOTSTRAPD_PLIST_H

#include <stddef.h>

#include "plist-node.h"

/**
 * plist_parse_buffer() - parse a plist held in memory: binary if it starts
 * with "bplist", refused if it looks like OpenStep text, XML otherwise.
 * @buf: the document; it need not be NUL-terminated.
 * @len: its length in bytes, at most PLIST_MAX_SIZE.
 * @name: what to call the document in messages (a path or a label).
 * @out: receives the root value on success; the caller frees it with
 *       plist_node_free().  Untouched on failure.
 * @err: filled with file, line and reason on any failure.
 *
 * Return: 0 on success; PLIST_E_MALFORMED, PLIST_E_LIMIT or PLIST_E_ENTITY
 * for a document that is refused; -ENOMEM.
 */
int plist_parse_buffer(const char *buf, size_t len, const char *name,
		       struct plist_node **out, struct plist_error *err);

/**
 * plist_parse_fd() - read @fd to its end and parse what it held.
 * @fd: any readable fd (file, pipe, socket); it is neither closed nor
 *      rewound.
 * @name: what to call the document in messages.
 * @out: as for plist_parse_buffer().
 * @err: as for plist_parse_buffer().
 *
 * Return: as plist_parse_buffer(); PLIST_E_LIMIT if more than
 * PLIST_MAX_SIZE bytes could be read; a negative errno if reading failed.
 */
int plist_parse_fd(int fd, const char *name, struct plist_node **out,
		   struct plist_error *err);

/**
 * plist_parse_file() - open a regular file and parse it.
 * @path: the file; it also names the document in messages.
 * @out: as for plist_parse_buffer().
 * @err: as for plist_parse_buffer().
 *
 * Return: as plist_parse_fd(); -EINVAL if @path is not a regular file; the
 * negative errno of open(2) otherwise.
 */
int plist_parse_file(const char *path, struct plist_node **out,
		     struct plist_error *err);

#endif
