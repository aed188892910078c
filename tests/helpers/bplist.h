/* SPDX-License-Identifier: MIT */
/*
 * bplist.h - binary plists made with libplist, for tests.
 *
 * A file of its own because libplist's <plist/plist.h> and the daemon's
 * plist.h both name their types PLIST_DICT, PLIST_STRING...: a test
 * includes plist.h and this header, never both plist headers.
 */
#ifndef BOOTSTRAPD_TEST_BPLIST_H
#define BOOTSTRAPD_TEST_BPLIST_H

#include <stddef.h>

/**
 * bplist_from_xml() - what `plutil -convert binary1` makes of @xml.
 * @xml: an XML plist (or a binary one, written anew)
 * @len: its length
 * @out_len: receives the length of the result
 *
 * Return: the binary plist, freed by the caller with free(); NULL if
 * libplist cannot read @xml.
 */
char *bplist_from_xml(const char *xml, size_t len, size_t *out_len);

/**
 * bplist_convert_file() - rewrite the XML plist at @path as a binary one.
 * Fails the test if that cannot be done.
 */
void bplist_convert_file(const char *path);

#endif
