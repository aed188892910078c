/* SPDX-License-Identifier: MIT */
/*
 * check-spawn-ids - spawn_job() against a real child, helpers/spawn-probe:
 * what it refuses, with the reason (failures), and, in the root part, the
 * user, groups and root directory a job runs with (ids).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/probe.h"
#include "helpers/runner.h"
#include "helpers/tmpdir.h"
#include "job-spec.h"
#include "spawn-job.h"

START_TEST(test_missing_binary)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	s->program = strdup("/no/such/binary");
	probe_spawn_fails(s, false, -ENOENT, "exec /no/such/binary: No such file or directory");
	free(s->program);
	s->program = strdup("no-such-program-bootstrapd");
	probe_spawn_fails(s, false, -ENOENT, "exec no-such-program-bootstrapd: ");
	job_spec_free(s);
}
END_TEST

START_TEST(test_not_executable)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	s->program = tmpdir_write(probe_tmp, "script", "#!/bin/sh\n", 0644);
	probe_spawn_fails(s, false, -EACCES, s->program);
	job_spec_free(s);
}
END_TEST

/* StandardOutPath cannot be opened: the reason names the key and path. */
static void stdout_fails(struct job_spec *s, int err)
{
	char *want;

	ck_assert_int_gt(asprintf(&want, "open StandardOutPath %s: ", s->stdout_path), 0);
	probe_spawn_fails(s, false, err, want);
	free(want);
	job_spec_free(s);
}

/* A directory cannot be opened for writing, not even by root. */
START_TEST(test_stdout_unopenable)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	free(s->stdout_path);
	s->stdout_path = strdup(probe_tmp);
	stdout_fails(s, -EISDIR);
}
END_TEST

/* ... and a FIFO with no reader as stdout fails at once, not hangs. */
START_TEST(test_stdout_fifo_without_reader)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	ck_assert_int_eq(mkfifo(s->stdout_path, 0600), 0);
	stdout_fails(s, -ENXIO);
}
END_TEST

START_TEST(test_bad_directories)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	s->working_directory = strdup("/no/such/dir");
	probe_spawn_fails(s, false, -ENOENT, "chdir /no/such/dir: ");
	s->root_directory = strdup("/no/such/root");
	probe_spawn_fails(s, false, -EPERM, "RootDirectory /no/such/root");
	job_spec_free(s);
}
END_TEST

/* The root part: as root, RootDirectory is tried and its failure named. */
START_TEST(test_bad_root_directory_as_root)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	s->root_directory = strdup("/no/such/root");
	probe_spawn_fails(s, true, -ENOENT, "chroot /no/such/root: ");
	job_spec_free(s);
}
END_TEST

START_TEST(test_rlimit_soft_above_hard)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	probe_spec_rlimit(s, RLIMIT_NOFILE, 100, 50);
	probe_spawn_fails(s, false, -EINVAL, "soft NumberOfFiles limit above the hard one");
	job_spec_free(s);
}
END_TEST

START_TEST(test_unknown_user)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	s->user_name = strdup("nobodyx-bootstrapd");
	probe_spawn_fails(s, true, -ENOENT, "unknown user nobodyx-bootstrapd");
	free(s->user_name);
	s->user_name = NULL;
	s->group_name = strdup("nogroupx-bootstrapd");
	probe_spawn_fails(s, true, -ENOENT, "unknown group nogroupx-bootstrapd");
	job_spec_free(s);
}
END_TEST

/* A supplementary group of ours that no job may inherit. */
#define STRAY_GID 4242

static void add_stray_group(void)
{
	ck_assert_int_eq(setgroups(1, (gid_t[]){ STRAY_GID }), 0);
}

/* The root part (runner.h) runs as root, with a user nobody and a group daemon. */
static const char *root_missing(void)
{
	if (geteuid() != 0)
		return "root (to spawn as another user)";
	if (!getpwnam("nobody"))
		return "a user nobody";
	if (!getgrnam("daemon"))
		return "a group daemon";
	return NULL;
}

static void assert_id(const char *report, const char *key, unsigned int id)
{
	char *line;

	ck_assert_int_gt(asprintf(&line, "%s=%u", key, id), 0);
	ck_assert_line(report, line);
	free(line);
}

START_TEST(test_user_switch)
{
	struct job_spec *s;
	gid_t groups[64];
	int n = 64;
	char *out, *want;
	struct passwd pw;

	add_stray_group();
	s = probe_spec_new(probe_tmp, "report", NULL);
	pw = *getpwnam("nobody");
	ck_assert_int_ge(getgrouplist("nobody", pw.pw_gid, groups, &n), 1);
	s->user_name = strdup("nobody");
	out = probe_run(s, -1);
	assert_id(out, "uid", pw.pw_uid);
	assert_id(out, "gid", pw.pw_gid);
	/* InitGroups: the user's groups (glibc lists the primary one first). */
	assert_id(out, "groups", groups[0]);
	ck_assert_int_gt(asprintf(&want, "env:HOME=%s", pw.pw_dir), 0);
	ck_assert_line(out, want);
	ck_assert_line(out, "env:USER=nobody");
	ck_assert_line(out, "env:LOGNAME=nobody");
	free(want);
	free(out);
	job_spec_free(s);
}
END_TEST

/* The report of the probe run with GroupName daemon, InitGroups false. */
static char *run_in_group_daemon(const char *user, gid_t *gid)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	struct group *gr = getgrnam("daemon");
	char *out;

	ck_assert_msg(gr != NULL, "no group daemon");
	*gid = gr->gr_gid;
	s->user_name = user ? strdup(user) : NULL;
	s->group_name = strdup("daemon");
	s->init_groups = false;
	out = probe_run(s, -1);
	job_spec_free(s);
	return out;
}

/* GroupName overrides the primary group; InitGroups false means none. */
START_TEST(test_group_override)
{
	char *out;
	gid_t gid;

	add_stray_group();
	out = run_in_group_daemon("nobody", &gid);
	assert_id(out, "uid", getpwnam("nobody")->pw_uid);
	assert_id(out, "gid", gid);
	ck_assert_line(out, "groups=");
	free(out);
}
END_TEST

/* GroupName alone, as root: only the gid changes. */
START_TEST(test_group_alone)
{
	char *out;
	gid_t gid;

	add_stray_group();
	out = run_in_group_daemon(NULL, &gid);
	ck_assert_line(out, "uid=0");
	assert_id(out, "gid", gid);
	free(out);
}
END_TEST

static Suite *spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *bad = tcase_create("failures"), *ids = tcase_create("ids");

	tcase_add_test(bad, test_missing_binary);
	tcase_add_test(bad, test_not_executable);
	tcase_add_test(bad, test_stdout_unopenable);
	tcase_add_test(bad, test_stdout_fifo_without_reader);
	tcase_add_test(bad, test_bad_directories);
	tcase_add_test(bad, test_rlimit_soft_above_hard);
	tcase_add_test(ids, test_bad_root_directory_as_root);
	tcase_add_test(ids, test_unknown_user);
	tcase_add_test(ids, test_user_switch);
	tcase_add_test(ids, test_group_override);
	tcase_add_test(ids, test_group_alone);
	tcase_add_checked_fixture(bad, probe_setup, probe_teardown);
	tcase_add_checked_fixture(ids, probe_setup, probe_teardown);
	suite_add_tcase(s, bad);
	tcase_set_tags(ids, "root");
	suite_add_tcase(s, ids);
	return s;
}

/* `check-spawn-ids root` runs the ids TCase alone (meson: check-spawn-ids-root), or skips. */
int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "root", root_missing, "spawning as another user and group, chroot" },
	};

	return runner_main(spawn_suite(), parts, 1, argc, argv);
}
