/* SPDX-License-Identifier: MIT */
/*
 * plist-write.h - what writing an XML property list needs, shared by
 * bsctl convert and the daemon's `list -x` answer: the document's head
 * and tail, and text made safe for <key> and <string>.
 */
#ifndef BOOTSTRAPD_PLIST_WRITE_H
#define BOOTSTRAPD_PLIST_WRITE_H

#include <stddef.h>
#include <stdio.h>

/** plist_write_head() - the XML declaration, Apple's DOCTYPE and <plist version="1.0">. */
void plist_write_head(FILE *f);

/** plist_write_tail() - </plist>. */
void plist_write_tail(FILE *f);

/**
 * plist_write_text() - @len bytes of @s as XML character data: &, < and >
 * escaped; a control character XML 1.0 cannot hold (all below 0x20 but
 * tab, newline and carriage return) written as '?', so that the document
 * always parses.
 */
void plist_write_text(FILE *f, const char *s, size_t len);

#endif
