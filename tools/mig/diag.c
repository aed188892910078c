/* SPDX-License-Identifier: MIT */
/*
 * diag.c - error and warning messages with the .defs file and line they
 * are about (taken from the preprocessor's line markers), and allocation
 * that exits on failure: bsmig is a short-lived compiler pass.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int error_count;

static void vreport(struct srcpos pos, const char *what, const char *fmt, va_list ap)
{
	if (pos.file)
		fprintf(stderr, "%s:%d: %s: ", pos.file, pos.line, what);
	else
		fprintf(stderr, "bsmig: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void diag_error(struct srcpos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pos, "error", fmt, ap);
	va_end(ap);
	error_count++;
}

void diag_warn(struct srcpos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pos, "warning", fmt, ap);
	va_end(ap);
}

void diag_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bsmig: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

int diag_errors(void)
{
	return error_count;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		diag_fatal("out of memory");
	return d;
}

void *xcalloc(unsigned long n, unsigned long size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		diag_fatal("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		diag_fatal("out of memory");
	return s;
}
