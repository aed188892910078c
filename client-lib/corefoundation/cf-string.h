/* SPDX-License-Identifier: MIT */
/* cf-string.h - the string object, for constants defined in C (internal). */
#ifndef BOOTSTRAP_CF_STRING_H
#define BOOTSTRAP_CF_STRING_H

#include "cf-runtime.h"

struct __CFString {
	struct cf_object base;
	size_t len;
	const char *bytes;          /* NUL-terminated UTF-8 */
};

/* A constant string object named @var holding @text (never freed). */
#define CF_CONST_STRING(var, text) \
	static struct __CFString var##_obj = { CF_OBJECT_INIT(CF_TYPE_STRING), sizeof(text) - 1, text }

/** cf_string_new() - a new string of @len bytes from @bytes (not NUL-terminated), or NULL. */
CFStringRef cf_string_new(const char *bytes, size_t len);

#endif
