/* SPDX-License-Identifier: MIT */
/* diag.h - bsmig's diagnostics: "file:line: error: ..." on stderr. */
#ifndef BSMIG_DIAG_H
#define BSMIG_DIAG_H

struct srcpos {
	const char *file;
	int line;
};

/** diag_error() - report an error at @pos and count it. */
void diag_error(struct srcpos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** diag_warn() - report a warning at @pos. */
void diag_warn(struct srcpos pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** diag_fatal() - report an error without a position and exit(1). */
void diag_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/** diag_errors() - how many errors were reported so far. */
int diag_errors(void);

/** xstrdup(), xmalloc(), xasprintf() - allocate or exit with a message. */
char *xstrdup(const char *s);
void *xcalloc(unsigned long n, unsigned long size);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
