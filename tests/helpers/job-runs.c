/* SPDX-License-Identifier: MIT */
/* job-runs.c - shell jobs that leave a line per run (job-runs.h). */
#include "job-runs.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Copy the file at @from to @to, executable. */
static void copy_exe(const char *from, const char *to)
{
	char *cmd;

	ck_assert_int_gt(asprintf(&cmd, "cp '%s' '%s' && chmod 755 '%s'", from, to, to), 0);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

void test_daemon_start_slow_to_reexec(struct test_daemon *td)
{
	char *exe = test_daemon_path(td, "bootstrapd"), *real = test_daemon_path(td, "bootstrapd.real");

	copy_exe(getenv("BOOTSTRAPD"), exe);
	ck_assert_int_eq(setenv("BOOTSTRAPD", exe, 1), 0);
	test_daemon_start(td);
	ck_assert_int_eq(rename(exe, real), 0);
	copy_exe(getenv("SLOW_EXEC"), exe);
	free(exe);
	free(real);
}

bool test_daemon_wait_reexec(const struct test_daemon *td)
{
	char proc[64], now[4096], *exe = test_daemon_path(td, "bootstrapd");
	bool there = false;

	snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)td->pid);
	for (int i = 0; i < 1000 && !there; i++) {
		ssize_t n = readlink(proc, now, sizeof(now) - 1);

		there = n > 0 && ((now[n] = '\0'), strcmp(now, exe) == 0);
		if (!there)
			test_pause_ms(10);
	}
	free(exe);
	return there;
}
