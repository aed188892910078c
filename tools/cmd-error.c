/* SPDX-License-Identifier: MIT */
/*
 * cmd-error.c - error [posix|mach|bootstrap] CODE: what a code means, as
 * launchctl 2's `launchctl error` prints it ("CODE: text").  No daemon is
 * needed.  Without a kind, a code with a POSIX meaning is an errno (as
 * launchctl takes small codes: exit statuses of jobs, errnos of its
 * replies); any other a bootstrap or Mach code, bootstrapd's own control
 * codes included, in the words bsctl's failures use (ctl_code_text()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mach/mach.h>

#include "bsctl.h"
#include "ctl-client.h"

/* Decimal, or hex after 0x; negative codes are Mach's MIG codes. */
static int parse_code(const char *s, long long *code)
{
	char *end;
	bool hex = strncasecmp(s, "0x", 2) == 0;

	errno = 0;
	*code = strtoll(s, &end, hex ? 16 : 10);
	if (!*s || *end || errno || *code < INT32_MIN || *code > UINT32_MAX)
		return -1;
	return 0;
}

/* The text for @code of @kind (NULL: guess).  Return: it, or NULL for a bad kind. */
static const char *error_text(const char *kind, long long code)
{
	const char *posix = code >= 0 && code <= INT32_MAX ? strerrordesc_np((int)code) : NULL;

	if (!kind)
		return posix ? posix : ctl_code_text((kern_return_t)code);
	if (strcmp(kind, "posix") == 0)
		return posix ? posix : "Unknown error";
	if (strcmp(kind, "mach") == 0)
		return mach_error_string((mach_error_t)code);
	if (strcmp(kind, "bootstrap") == 0)
		return ctl_code_text((kern_return_t)code);
	return NULL;
}

int cmd_error(int argc, char **argv, const struct bsctl_opts *o)
{
	const char *text;
	long long code;

	(void)o;
	if (argc != 2 && argc != 3)
		return BSCTL_USAGE;
	if (parse_code(argv[argc - 1], &code) < 0) {
		fprintf(stderr, "bsctl: %s: not an error code\n", argv[argc - 1]);
		return BSCTL_USAGE;
	}
	text = error_text(argc == 3 ? argv[1] : NULL, code);
	if (!text)
		return BSCTL_USAGE;
	printf("%lld: %s\n", code, text);
	return BSCTL_OK;
}
