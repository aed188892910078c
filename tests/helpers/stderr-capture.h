/* SPDX-License-Identifier: MIT */
/*
 * stderr-capture.h - what a call writes on stderr, for a suite to compare:
 * stderr goes to a temporary file between begin and end, then comes back.
 */
#ifndef BOOTSTRAPD_TEST_STDERR_CAPTURE_H
#define BOOTSTRAPD_TEST_STDERR_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

struct stderr_capture {
	FILE *file;
	int saved;              /* the real stderr while captured */
};

/** stderr_capture_begin() - send stderr to a temporary file (check asserts on failure). */
void stderr_capture_begin(struct stderr_capture *c);

/** stderr_capture_end() - restore stderr; what was written lands in @buf (NUL-terminated). */
void stderr_capture_end(struct stderr_capture *c, char *buf, size_t size);

#endif
