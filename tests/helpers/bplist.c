/* SPDX-License-Identifier: MIT */
/* bplist.c - binary plists made with libplist, for tests. */
#include "bplist.h"

#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <plist/plist.h>

char *bplist_from_xml(const char *xml, size_t len, size_t *out_len)
{
	plist_t root = NULL;
	char *bin = NULL, *copy;
	uint32_t n = 0;

	/* Binary input too: a corpus may hold plists that are binary already. */
	if (len >= 8 && memcmp(xml, "bplist00", 8) == 0)
		plist_from_bin(xml, (uint32_t)len, &root);
	else
		plist_from_xml(xml, (uint32_t)len, &root);
	if (!root)
		return NULL;
	plist_to_bin(root, &bin, &n);
	plist_free(root);
	if (!bin)
		return NULL;
	/* plist_to_bin_free() is libplist's to call: hand out our own copy. */
	copy = malloc(n ? n : 1);
	if (copy)
		memcpy(copy, bin, n);
	plist_to_bin_free(bin);
	*out_len = n;
	return copy;
}

void bplist_convert_file(const char *path)
{
	char buf[65536], *bin;
	size_t bin_len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (ssize_t)sizeof(buf));
	bin = bplist_from_xml(buf, (size_t)n, &bin_len);
	ck_assert_ptr_nonnull(bin);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, bin, bin_len), (ssize_t)bin_len);
	close(fd);
	free(bin);
}
