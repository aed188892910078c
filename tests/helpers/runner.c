/* SPDX-License-Identifier: MIT */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *runner_needs_root(void)
{
	return geteuid() == 0 ? NULL : "root (to run a process as another uid)";
}

static int run(SRunner *sr, const char *include, const char *exclude)
{
	int failed, ran;

	srunner_run_tagged(sr, NULL, NULL, include, exclude, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	ran = srunner_ntests_run(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (ran == 0) {
		printf("SKIP: no test ran\n");
		return RUNNER_SKIP;
	}
	return EXIT_SUCCESS;
}

static const struct runner_part *find_part(const struct runner_part *parts, size_t n,
					   const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}

int runner_main(Suite *s, const struct runner_part *parts, size_t n_parts, int argc, char **argv)
{
	SRunner *sr = srunner_create(s);
	const struct runner_part *part;
	char exclude[256] = "";
	const char *lack;

	if (argc < 2) {
		for (size_t i = 0; i < n_parts; i++)
			snprintf(exclude + strlen(exclude), sizeof(exclude) - strlen(exclude),
				 "%s%s", i ? " " : "", parts[i].name);
		return run(sr, NULL, n_parts ? exclude : NULL);
	}
	part = find_part(parts, n_parts, argv[1]);
	if (!part) {
		fprintf(stderr, "%s: no part %s\n", argv[0], argv[1]);
		srunner_free(sr);
		return EXIT_FAILURE;
	}
	lack = part->missing ? part->missing() : NULL;
	if (lack) {
		printf("SKIP: the %s tests (%s) need %s\n", part->name, part->what, lack);
		srunner_free(sr);
		return RUNNER_SKIP;
	}
	printf("running the %s tests: %s\n", part->name, part->what);
	fflush(stdout);
	return run(sr, part->name, NULL);
}
