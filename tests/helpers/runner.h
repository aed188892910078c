/* SPDX-License-Identifier: MIT */
/*
 * runner.h - main() of a check suite whose tests split into parts that
 * need something of the machine (root, a mount namespace).  A part's
 * TCases are tagged with its name.  Run without an argument, the suite
 * runs every test of no part; run with a part's name, only that part's
 * tests, or, when the machine lacks what it needs, none: it says why and
 * exits 77, which meson reports as a skip, never a pass.
 */
#ifndef BOOTSTRAPD_TEST_RUNNER_H
#define BOOTSTRAPD_TEST_RUNNER_H

#include <check.h>
#include <stddef.h>

#define RUNNER_SKIP 77

struct runner_part {
	const char *name;               /* its TCases' tag; the argument that runs it */
	const char *(*missing)(void);   /* NULL if it can run here, else what it lacks */
	const char *what;               /* what its tests do, printed when they run */
};

/** runner_main() - run @s as told by @argc/@argv.  Return: main()'s exit status. */
int runner_main(Suite *s, const struct runner_part *parts, size_t n_parts, int argc, char **argv);

/** runner_needs_root() - a runner_part.missing: "root" unless euid is 0. */
const char *runner_needs_root(void);

#endif
