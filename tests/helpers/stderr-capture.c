/* SPDX-License-Identifier: MIT */
#include "stderr-capture.h"

#include <unistd.h>

#include <check.h>

void stderr_capture_begin(struct stderr_capture *c)
{
	c->file = tmpfile();
	c->saved = dup(STDERR_FILENO);
	ck_assert_ptr_nonnull(c->file);
	ck_assert_int_ge(c->saved, 0);
	fflush(stderr);
	ck_assert_int_eq(dup2(fileno(c->file), STDERR_FILENO), STDERR_FILENO);
}

void stderr_capture_end(struct stderr_capture *c, char *buf, size_t size)
{
	size_t n;

	fflush(stderr);
	ck_assert_int_eq(dup2(c->saved, STDERR_FILENO), STDERR_FILENO);
	close(c->saved);
	rewind(c->file);
	n = fread(buf, 1, size - 1, c->file);
	buf[n] = '\0';
	fclose(c->file);
}
