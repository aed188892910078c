/* SPDX-License-Identifier: MIT */
/*
 * check-spawn-ids - spawn_job() against a real child, helpers/spawn-probe:
 * what it refuses, with the reason, and what it warns about and starts
 * anyway, as launchd does (failures), and, in the root part, the user,
 * groups and root directory a job runs with (ids).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/probe.h"
#include "helpers/runner.h"
#include "helpers/sanlog.h"
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

/* probe_spawn_logged() for a job that must exit 0; Return: its report (stdout). */
static char *run_logged(const struct job_spec *s, char **log)
{
	int st;

	*log = probe_spawn_logged(s, &st);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "probe status %#x", st);
	return probe_slurp(s->stdout_path);
}

#define ck_assert_logged(log, text) \
	ck_assert_msg(strstr(log, text) != NULL, "no \"%s\" in the log:\n%s", text, log)

/* The whole line the daemon logs at @level for the probe's job. */
static char *job_line(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *job_line(const char *level, const char *fmt, ...)
{
	char *what, *line;
	va_list ap;

	va_start(ap, fmt);
	ck_assert_int_gt(vasprintf(&what, fmt, ap), 0);
	va_end(ap);
	ck_assert_int_gt(asprintf(&line, "bootstrapd: %s: " PROBE_LABEL ": %s\n", level, what), 0);
	free(what);
	return line;
}

/*
 * StandardOutPath cannot be opened: the job runs all the same and the log
 * names the key, the path and why.  Its exit status 0 says its report
 * went somewhere writable (the probe fails when stdout cannot be flushed),
 * and its stderr file says it ran.
 */
static void stdout_falls_back(struct job_spec *s, const char *why)
{
	char *want = job_line("warning", "open StandardOutPath %s: %s: using /dev/null",
			      s->stdout_path, why);
	char *log, *err;
	int st;

	log = probe_spawn_logged(s, &st);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "probe status %#x", st);
	ck_assert_logged(log, want);
	err = probe_slurp(s->stderr_path);
	ck_assert_str_eq(err, "probe-stderr\n");
	free(err);
	free(log);
	free(want);
	job_spec_free(s);
}

/* A directory cannot be opened for writing, not even by root. */
START_TEST(test_stdout_unopenable)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	free(s->stdout_path);
	s->stdout_path = strdup(probe_tmp);
	stdout_falls_back(s, "Is a directory");
}
END_TEST

/* ... and a FIFO with no reader as stdout fails at once, not hangs. */
START_TEST(test_stdout_fifo_without_reader)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);

	ck_assert_int_eq(mkfifo(s->stdout_path, 0600), 0);
	stdout_falls_back(s, "No such device or address");
}
END_TEST

/* StandardErrorPath in no directory: fd 2 is /dev/null, not the daemon's stderr. */
START_TEST(test_stderr_unopenable)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out, *log, *want;

	free(s->stderr_path);
	s->stderr_path = probe_tmp_path("no/such/err");
	want = job_line("warning", "open StandardErrorPath %s: No such file or directory: "
			"using /dev/null", s->stderr_path);
	out = run_logged(s, &log);
	ck_assert_logged(log, want);
	ck_assert_line(out, "fd2=blocking");
	ck_assert_ptr_null(strstr(log, "probe-stderr"));
	free(want);
	free(log);
	free(out);
	job_spec_free(s);
}
END_TEST

/* A missing StandardInPath is created (mode 0666 less Umask), as launchd does. */
START_TEST(test_stdin_created)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	struct stat st;
	char *out;

	s->stdin_path = probe_tmp_path("in");
	s->has_umask = true;
	s->umask = 002;
	out = probe_run(s, -1);
	ck_assert_line(out, "stdin=");
	ck_assert_int_eq(stat(s->stdin_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0664);
	/* StandardOutPath likewise. */
	ck_assert_int_eq(stat(s->stdout_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0664);
	free(out);
	job_spec_free(s);
}
END_TEST

/*
 * A WorkingDirectory that cannot be entered: the job runs in "/" and the
 * log says so (an error, as launchd logs it).  A RootDirectory still
 * refuses the start: a job that asked to be confined never runs unconfined.
 */
START_TEST(test_bad_directories)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out, *log;

	s->working_directory = strdup("/no/such/dir");
	out = run_logged(s, &log);
	ck_assert_line(out, "cwd=/");
	ck_assert_logged(log, "bootstrapd: error: " PROBE_LABEL ": chdir /no/such/dir: "
			 "No such file or directory: staying in /\n");
	free(out);
	free(log);
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

/* "nofile=SOFT/HARD" as the probe reports it, for our own limit. */
static char *own_nofile(void)
{
	struct rlimit rl;
	char *line;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_int_gt(asprintf(&line, "nofile=%llu/%llu", (unsigned long long)rl.rlim_cur,
				  (unsigned long long)rl.rlim_max), 0);
	return line;
}

/* A soft limit above the hard one is left out with a warning; the others apply. */
START_TEST(test_rlimit_soft_above_hard)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out, *log, *nofile = own_nofile();

	probe_spec_rlimit(s, RLIMIT_NOFILE, 100, 50);
	probe_spec_rlimit(s, RLIMIT_CORE, 0, 0);
	out = run_logged(s, &log);
	ck_assert_line(out, nofile);
	ck_assert_line(out, "core=0/0");
	ck_assert_logged(log, "bootstrapd: warning: " PROBE_LABEL ": soft NumberOfFiles limit "
			 "above the hard one: leaving the limit as it was\n");
	/* Left out before the fork, not tried and refused in the child. */
	ck_assert_ptr_null(strstr(log, "setrlimit"));
	free(nofile);
	free(out);
	free(log);
	job_spec_free(s);
}
END_TEST

/*
 * A limit setrlimit() refuses (a hard NumberOfFiles above fs.nr_open, too
 * much even for root) stays as it was, with a warning; the others apply.
 */
START_TEST(test_rlimit_refused)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out, *log, *nofile = own_nofile(), *nr_open = probe_slurp("/proc/sys/fs/nr_open");
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	probe_spec_rlimit(s, RLIMIT_NOFILE, rl.rlim_cur, strtoull(nr_open, NULL, 10) + 1);
	probe_spec_rlimit(s, RLIMIT_CORE, 0, 0);
	out = run_logged(s, &log);
	ck_assert_line(out, nofile);
	ck_assert_line(out, "core=0/0");
	ck_assert_logged(log, "bootstrapd: warning: " PROBE_LABEL ": setrlimit NumberOfFiles: "
			 "Operation not permitted: leaving the limit as it was\n");
	free(nr_open);
	free(nofile);
	free(out);
	free(log);
	job_spec_free(s);
}
END_TEST

/*
 * No lowering of nice for this test's process and its children: no
 * RLIMIT_NICE allowance, and, as root, no CAP_SYS_NICE (effective only,
 * in this process only: each test runs in its own).
 */
static void forbid_lower_nice(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NICE, &rl), 0);
	rl.rlim_cur = 0;
	ck_assert_int_eq(setrlimit(RLIMIT_NICE, &rl), 0);
	ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
	d[CAP_TO_INDEX(CAP_SYS_NICE)].effective &= ~CAP_TO_MASK(CAP_SYS_NICE);
	ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
}

/* A Nice below ours, without the privilege: the job runs at our nice, warned. */
START_TEST(test_nice_not_allowed)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	int ours = getpriority(PRIO_PROCESS, 0);
	char *out, *log, *want, *line;

	forbid_lower_nice();
	ck_assert_int_gt(ours, -20);
	s->has_nice = true;
	s->nice = ours - 1;
	want = job_line("warning", "Nice %d: Permission denied: carrying on", s->nice);
	ck_assert_int_gt(asprintf(&line, "nice=%d", ours), 0);
	out = run_logged(s, &log);
	ck_assert_logged(log, want);
	ck_assert_line(out, line);
	free(line);
	free(want);
	free(out);
	free(log);
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
	struct stat st;
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
	/* The log file it created is the user's, as launchd, which opens it
	 * as the user, makes it; it used to be root's. */
	ck_assert_int_eq(stat(s->stdout_path, &st), 0);
	ck_assert_uint_eq(st.st_uid, pw.pw_uid);
	ck_assert_uint_eq(st.st_gid, pw.pw_gid);
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

/*
 * GroupName alone, as root, with InitGroups: root's supplementary groups
 * in that group, as launchd runs such a job as user root
 * (job_postfork_become_user()); the daemon's own groups do not leak in.
 * Only the gid used to change.
 */
START_TEST(test_group_alone_init_groups)
{
	struct job_spec *s;
	struct group *gr = getgrnam("daemon");
	gid_t groups[64];
	int n = 64;
	char *out, *want, *at;

	ck_assert_msg(gr != NULL, "no group daemon");
	ck_assert_int_ge(getgrouplist(getpwuid(0)->pw_name, gr->gr_gid, groups, &n), 1);
	add_stray_group();
	s = probe_spec_new(probe_tmp, "report", NULL);
	s->group_name = strdup("daemon");
	out = probe_run(s, -1);
	ck_assert_line(out, "uid=0");
	assert_id(out, "gid", gr->gr_gid);
	want = strdup("groups=");
	for (int i = 0; i < n; i++) {
		at = want;
		ck_assert_int_gt(asprintf(&want, "%s%s%u", at, i ? "," : "", (unsigned)groups[i]), 0);
		free(at);
	}
	ck_assert_line(out, want);
	free(want);
	free(out);
	job_spec_free(s);
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
	tcase_add_test(bad, test_stderr_unopenable);
	tcase_add_test(bad, test_stdin_created);
	tcase_add_test(bad, test_bad_directories);
	tcase_add_test(bad, test_rlimit_soft_above_hard);
	tcase_add_test(bad, test_rlimit_refused);
	tcase_add_test(bad, test_nice_not_allowed);
	tcase_add_test(ids, test_bad_root_directory_as_root);
	tcase_add_test(ids, test_unknown_user);
	tcase_add_test(ids, test_user_switch);
	tcase_add_test(ids, test_group_override);
	tcase_add_test(ids, test_group_alone);
	tcase_add_test(ids, test_group_alone_init_groups);
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
