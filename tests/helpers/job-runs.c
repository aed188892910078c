/* SPDX-License-Identifier: MIT */
/* job-runs.c - shell jobs that leave a line per run (job-runs.h). */
#include "job-runs.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define POLL_MS 10

void test_add_shell_job(struct test_daemon *td, const char *label, const char *script,
			int throttle_s, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>"
		"<string>%s</string></array>\n<key>ThrottleInterval</key><integer>%d</integer>\n%s",
		script, throttle_s, extra), 0);
	test_daemon_add_job(td, label, body);
	free(body);
}

char *test_daemon_path(const struct test_daemon *td, const char *name)
{
	char *path;

	ck_assert_int_gt(asprintf(&path, "%s/%s", td->dir, name), 0);
	return path;
}

int test_count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int test_wait_lines(const char *path, int n, long limit_ms)
{
	int seen = 0;

	for (long waited = 0; (seen = test_count_lines(path)) < n && waited < limit_ms;
	     waited += POLL_MS)
		test_pause_ms(POLL_MS);
	return seen;
}
