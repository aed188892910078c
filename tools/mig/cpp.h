/* SPDX-License-Identifier: MIT */
/* cpp.h - running the C preprocessor over a .defs file, as Apple's mig does. */
#ifndef BSMIG_CPP_H
#define BSMIG_CPP_H

#include <stddef.h>

struct cpp_args {
	const char **flags;     /* -D, -U, -I and unknown options, in order */
	size_t nflags;
	const char *cc;         /* -cc: a compiler to run as "cc -E" */
};

/** cpp_add() - append one preprocessor argument. */
void cpp_add(struct cpp_args *a, const char *flag);

/**
 * cpp_run() - preprocess @file.  The command is $CPP, else "$MIGCC -E",
 * else "-cc"'s compiler with -E, else the one chosen at build time.
 * Return: the output (malloc'd, NUL-terminated), or NULL after a message.
 */
char *cpp_run(const struct cpp_args *a, const char *file);

#endif
