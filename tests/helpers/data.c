/* SPDX-License-Identifier: MIT */
/* data.c - the test data files. */
#include "helpers/data.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

char *data_path(const char *name)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_DATA");
	char *path;

	ck_assert_msg(dir != NULL, "BOOTSTRAPD_TEST_DATA is not set");
	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	return path;
}
