/* SPDX-License-Identifier: MIT */
/*
 * cmd-lint.c - check job plists offline, with the daemon's own loader, so
 * that lint and load never disagree.
 */
#include <stdio.h>
#include <string.h>

#include "bsctl.h"
#include "ctl-client.h"
#include "job-plist.h"
#include "job-spec.h"
#include "plist.h"

static void print_warning(void *data, const char *message)
{
	(void)data;
	fprintf(stderr, "warning: %s\n", message);
}

static int lint_one(const char *path)
{
	struct plist_error err;
	struct job_spec *spec = NULL;
	char buf[PLIST_ERROR_FORMAT_MAX];
	int r;

	memset(&err, 0, sizeof(err));
	r = job_plist_load_file(path, &spec, &err, print_warning, NULL);
	if (r == 0) {
		job_spec_free(spec);
		printf("%s: OK\n", path);
		return 0;
	}
	if (err.reason[0])
		printf("%s\n", plist_error_format(&err, buf, sizeof(buf)));
	else
		printf("%s: %s\n", path, r < 0 ? strerror(-r) : "invalid");
	return -1;
}

int cmd_lint(int argc, char **argv, const struct bsctl_opts *o)
{
	int ret = BSCTL_OK;

	(void)o;
	if (argc < 2)
		return BSCTL_USAGE;
	for (int i = 1; i < argc; i++)
		if (lint_one(argv[i]) < 0)
			ret = BSCTL_FAILURE;
	return ret;
}
