/* SPDX-License-Identifier: MIT */
/*
 * check-spawn-stdio - a job's stdio paths when it runs as a user (the root
 * part): opened as that user, as launchd does, so that the user cannot
 * have root open a file for the job through a link it planted; created by
 * root, for the user, only where root alone decides what the path means;
 * nothing at all where the user's file-system ids cannot be taken.
 */
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>

#include "helpers/probe.h"
#include "helpers/runner.h"
#include "job-spec.h"

/* A StandardOutPath @path in a directory nobody owns, a link to @target; the probe's report. */
static char *run_nobody_logging_to(const char *path, const char *target, bool hard)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *out;

	ck_assert_int_eq(hard ? link(target, path) : symlink(target, path), 0);
	free(s->stdout_path);
	s->stdout_path = strdup(path);
	s->user_name = strdup("nobody");
	out = probe_run(s, -1);
	job_spec_free(s);
	return out;
}

/*
 * A job's user cannot make root open a file for it: a StandardOutPath that
 * the user turned into a symbolic or hard link to a file only root may
 * write is refused (/dev/null instead), not appended to.  It used to be
 * opened by root, through the link.
 */
START_TEST(test_stdout_link_planted_by_user)
{
	struct passwd pw = *getpwnam("nobody");
	char *home = probe_tmp_path("home"), *secret = probe_tmp_path("secret"), *log;
	struct stat st;
	int fd;

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(home, 0755), 0);
	ck_assert_int_eq(chown(home, pw.pw_uid, pw.pw_gid), 0);
	ck_assert_int_ge(fd = open(secret, O_CREAT | O_WRONLY | O_CLOEXEC, 0600), 0);
	close(fd);
	ck_assert_int_gt(asprintf(&log, "%s/sym.log", home), 0);
	free(run_nobody_logging_to(log, secret, false));
	free(log);
	ck_assert_int_gt(asprintf(&log, "%s/hard.log", home), 0);
	free(run_nobody_logging_to(log, secret, true));
	free(log);
	ck_assert_int_eq(stat(secret, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	free(home);
	free(secret);
}
END_TEST

/* Run the probe as nobody with StandardOutPath @path, until it exits 0. */
static void run_nobody_with_stdout(const char *path)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	pid_t pid;
	int st;

	free(s->stdout_path);
	s->stdout_path = strdup(path);
	s->user_name = strdup("nobody");
	pid = probe_spawn(s, -1);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	job_spec_free(s);
}

/*
 * Where the user is refused, the daemon creates the log for the job in a
 * directory only root may change, through a symlink root made (as
 * /var/run is), and gives it to the job; it never opens another user's
 * file there, as the kernel's protected_regular would not for the job.
 * The symlink used to be refused, and the other user's file appended to.
 */
START_TEST(test_stdout_created_for_user_where_root_decides)
{
	char *logs = probe_tmp_path("logs"), *run = probe_tmp_path("run"), *path;
	struct passwd pw = *getpwnam("nobody");
	struct stat st;
	int fd;

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(logs, 0755), 0);
	ck_assert_int_eq(symlink(logs, run), 0);
	ck_assert_int_gt(asprintf(&path, "%s/job.log", run), 0);
	run_nobody_with_stdout(path);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/job.log", logs), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_uid, pw.pw_uid);
	ck_assert_int_gt(st.st_size, 0);
	free(path);
	/* Not through a symlink another user owns... */
	ck_assert_int_gt(asprintf(&path, "%s/theirs", probe_tmp), 0);
	ck_assert_int_eq(symlink(logs, path), 0);
	ck_assert_int_eq(lchown(path, pw.pw_uid, pw.pw_gid), 0);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/theirs/job2.log", probe_tmp), 0);
	run_nobody_with_stdout(path);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/job2.log", logs), 0);
	ck_assert_int_eq(access(path, F_OK), -1);
	free(path);
	/* ...nor into another user's directory, where the job's user may not write... */
	ck_assert_int_gt(asprintf(&path, "%s/someone", probe_tmp), 0);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(chown(path, 1, 1), 0);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/someone/job3.log", probe_tmp), 0);
	run_nobody_with_stdout(path);
	ck_assert_int_eq(access(path, F_OK), -1);
	free(path);
	/* ...and another user's file, there, is left alone. */
	ck_assert_int_gt(asprintf(&path, "%s/other.log", logs), 0);
	ck_assert_int_ge(fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600), 0);
	ck_assert_int_eq(fchown(fd, 1, 1), 0);
	close(fd);
	run_nobody_with_stdout(path);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	free(path);
	free(logs);
	free(run);
}
END_TEST

/* What the daemon logs when root's fallback refuses @path for nobody, with @why. */
static char *refusal_line(const char *path, const char *why)
{
	char *line;

	ck_assert_int_gt(asprintf(&line, "open StandardOutPath %s: refused to nobody, and root "
				  "opens only the job's own file, through directories and "
				  "symbolic links nobody else may change (%s): using /dev/null", path, why), 0);
	return line;
}

/*
 * Run the probe as nobody with StandardOutPath @path: it must start on
 * /dev/null, @created must not exist (where @path would have led) and the
 * log must say @why.
 */
static void run_nobody_refused(const char *path, const char *created, const char *why)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *log, *want = refusal_line(path, why);
	int st;

	free(s->stdout_path);
	s->stdout_path = strdup(path);
	s->user_name = strdup("nobody");
	log = probe_spawn_logged(s, &st);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "probe status %#x", st);
	ck_assert_msg(access(created, F_OK) == -1, "%s created", created);
	ck_assert_msg(strstr(log, want) != NULL, "no \"%s\" in the log:\n%s", want, log);
	free(want);
	free(log);
	job_spec_free(s);
}

/*
 * A symlink root made (an admin's /var/log/app -> /home/alice/logs/x) is
 * followed by root's fallback one component of its target at a time,
 * under the same rules: through a directory the job's user may change it
 * is refused, the user could swap what lies beyond for any directory of
 * root's.  The kernel used to resolve the whole target, and the log was
 * created, for the user, wherever the user pointed.
 */
START_TEST(test_stdout_root_link_through_users_directory)
{
	struct passwd pw = *getpwnam("nobody");
	char *home = probe_tmp_path("home"), *link = probe_tmp_path("applog"), *beyond, *path;
	char *created;

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(home, 0755), 0);
	ck_assert_int_eq(chown(home, pw.pw_uid, pw.pw_gid), 0);
	/* root's own directory, as the user may have moved one in */
	ck_assert_int_gt(asprintf(&beyond, "%s/logs", home), 0);
	ck_assert_int_eq(mkdir(beyond, 0755), 0);
	ck_assert_int_eq(symlink(beyond, link), 0);
	ck_assert_int_gt(asprintf(&path, "%s/job.log", link), 0);
	ck_assert_int_gt(asprintf(&created, "%s/job.log", beyond), 0);
	run_nobody_refused(path, created, "Permission denied");
	free(created);
	free(path);
	free(beyond);
	free(link);
	free(home);
}
END_TEST

/* In probe_tmp, link @n to link @n - 1, or to "logs" for 1, relatively. */
static void link_in_chain(int n)
{
	char *name, *target;

	ck_assert_int_gt(asprintf(&name, "%s/link%d", probe_tmp, n), 0);
	ck_assert_int_gt(n > 1 ? asprintf(&target, "link%d", n - 1) : asprintf(&target, "logs"), 0);
	ck_assert_int_eq(symlink(target, name), 0);
	free(target);
	free(name);
}

/*
 * Root's links are followed, target by component, where only root
 * decides: relative targets from the link's directory, ".." to the
 * directory's real parent (as the kernel takes it, and under the same
 * rules), links to links; eight of them on one path, not nine.
 */
START_TEST(test_stdout_root_links_followed_where_root_decides)
{
	char *logs = probe_tmp_path("logs"), *up, *path, *created;
	const char *base = strrchr(probe_tmp, '/') + 1;
	int n;

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(logs, 0755), 0);
	ck_assert_int_gt(asprintf(&up, "%s/up", probe_tmp), 0);
	ck_assert_int_gt(asprintf(&path, "../%s/logs", base), 0);
	ck_assert_int_eq(symlink(path, up), 0);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/up/up.log", probe_tmp), 0);
	run_nobody_with_stdout(path);
	free(path);
	for (n = 1; n <= 9; n++)
		link_in_chain(n);
	ck_assert_int_gt(asprintf(&path, "%s/link8/eight.log", probe_tmp), 0);
	run_nobody_with_stdout(path);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/link9/nine.log", probe_tmp), 0);
	ck_assert_int_gt(asprintf(&created, "%s/nine.log", logs), 0);
	run_nobody_refused(path, created, "Too many levels of symbolic links");
	free(created);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/up.log", logs), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/eight.log", logs), 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	free(path);
	free(logs);
	free(up);
}
END_TEST

/*
 * Another user's FIFO at the path, in a sticky directory of root's (/tmp):
 * refused before it is opened, so that its reader never sees a writer
 * (it would poll POLLHUP once one came and went).  Root used to open it,
 * then refuse it by its owner.
 */
START_TEST(test_stdout_others_fifo_never_opened)
{
	char *sticky = probe_tmp_path("sticky"), *fifo, *none;
	struct pollfd reader = { .events = POLLIN };

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(sticky, 0755), 0);
	ck_assert_int_eq(chmod(sticky, 01777), 0);
	ck_assert_int_gt(asprintf(&fifo, "%s/job.log", sticky), 0);
	ck_assert_int_gt(asprintf(&none, "%s/none", sticky), 0);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(chown(fifo, 1, 1), 0);
	reader.fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ck_assert_int_ge(reader.fd, 0);
	run_nobody_refused(fifo, none, "Permission denied");
	ck_assert_int_eq(poll(&reader, 1, 0), 0);
	close(reader.fd);
	free(none);
	free(fifo);
	free(sticky);
}
END_TEST

/*
 * A job that runs as the daemon's own user opens its path as the daemon
 * does, symlinks and all: the rules above are about another user's say.
 */
START_TEST(test_stdout_plain_as_the_daemons_user)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *target = probe_tmp_path("target.log"), *out;

	free(s->stdout_path);
	s->stdout_path = probe_tmp_path("link.log");
	ck_assert_int_eq(symlink(target, s->stdout_path), 0);
	out = probe_run(s, -1);
	ck_assert_ptr_nonnull(strstr(out, "argv1=report"));
	free(out);
	free(target);
	job_spec_free(s);
}
END_TEST

/*
 * Give up @cap (this test's process only): without CAP_SETUID setfsuid()
 * fails, saying nothing; without CAP_SETGID setgroups() fails.
 */
static void drop_capability(int cap)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	ck_assert_int_eq(syscall(SYS_capget, &head, data), 0);
	data[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	ck_assert_int_eq(syscall(SYS_capset, &head, data), 0);
}

/*
 * Where the user's file-system ids cannot be taken, nothing is opened for
 * the job: the open would be root's.  setfsuid() failing went unseen, and
 * root created the log where the user may not.  Run twice: without
 * CAP_SETUID (setfsuid() refused), and without CAP_SETGID (setgroups()
 * refused, which was reported as a plain failure to open).
 */
START_TEST(test_stdio_not_opened_without_the_users_ids)
{
	struct job_spec *s = probe_spec_new(probe_tmp, "report", NULL);
	char *dir = probe_tmp_path("roots");

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	free(s->stdout_path);
	ck_assert_int_gt(asprintf(&s->stdout_path, "%s/out.log", dir), 0);
	s->user_name = strdup("nobody");
	drop_capability(_i == 0 ? CAP_SETUID : CAP_SETGID);
	probe_spawn_fails(s, true, -EPERM, "cannot take the file-system ids of nobody");
	ck_assert_int_eq(access(s->stdout_path, F_OK), -1);
	job_spec_free(s);
	free(dir);
}
END_TEST

/* An access ACL on @dir (rwxr-xr-x) adding user @uid with @perm. */
static int set_acl(const char *dir, uid_t uid, unsigned int perm)
{
	struct {
		struct posix_acl_xattr_header h;
		struct posix_acl_xattr_entry e[5];
	} acl = { .h = { htole32(POSIX_ACL_XATTR_VERSION) } };
	const unsigned int tags[5] = { ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_MASK, ACL_OTHER };
	const unsigned int perms[5] = { 7, perm, 5, 7, 5 };

	for (int i = 0; i < 5; i++)
		acl.e[i] = (struct posix_acl_xattr_entry){ htole16(tags[i]), htole16(perms[i]),
							    htole32(i == 1 ? uid : (uint32_t)-1) };
	return setxattr(dir, "system.posix_acl_access", &acl, sizeof(acl), 0);
}

/*
 * A directory of root's, 0755, that an ACL lets another user write to is
 * not root's alone: root creates no log there for the job (that user could
 * put a link in its place).  One that lets others read only still is.
 * ACLs went unread, and the first passed as root's.
 */
START_TEST(test_stdout_dir_others_may_write_by_acl)
{
	char *open_dir = probe_tmp_path("acl-write"), *read_dir = probe_tmp_path("acl-read");
	char *path;

	ck_assert_int_eq(chmod(probe_tmp, 0711), 0);
	ck_assert_int_eq(mkdir(open_dir, 0755), 0);
	ck_assert_int_eq(set_acl(open_dir, 1, 7), 0);
	ck_assert_int_eq(mkdir(read_dir, 0755), 0);
	ck_assert_int_eq(set_acl(read_dir, 1, 5), 0);
	ck_assert_int_gt(asprintf(&path, "%s/job.log", open_dir), 0);
	run_nobody_refused(path, path, "Permission denied");
	free(path);
	ck_assert_int_gt(asprintf(&path, "%s/job.log", read_dir), 0);
	run_nobody_with_stdout(path);
	ck_assert_int_eq(access(path, F_OK), 0);
	free(path);
	free(read_dir);
	free(open_dir);
}
END_TEST

/* The root part (runner.h) runs as root, with a user nobody. */
static const char *root_missing(void)
{
	if (geteuid() != 0)
		return "root (to spawn as another user)";
	if (!getpwnam("nobody"))
		return "a user nobody";
	return NULL;
}

/* The acl part: the root part's, and POSIX ACLs where the tests make their files. */
static const char *acl_missing(void)
{
	const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *why = root_missing();
	char dir[PATH_MAX];

	if (why)
		return why;
	snprintf(dir, sizeof(dir), "%s/bsd-acl-XXXXXX", base);
	if (!mkdtemp(dir))
		return "a temporary directory";
	if (set_acl(dir, 1, 5) < 0)
		why = "POSIX ACLs in $TMPDIR";
	rmdir(dir);
	return why;
}

static Suite *stdio_suite(void)
{
	Suite *s = suite_create("spawn-stdio");
	TCase *tc = tcase_create("stdio");

	tcase_add_test(tc, test_stdout_link_planted_by_user);
	tcase_add_test(tc, test_stdout_created_for_user_where_root_decides);
	tcase_add_loop_test(tc, test_stdio_not_opened_without_the_users_ids, 0, 2);
	tcase_add_test(tc, test_stdout_others_fifo_never_opened);
	tcase_add_test(tc, test_stdout_root_link_through_users_directory);
	tcase_add_test(tc, test_stdout_root_links_followed_where_root_decides);
	tcase_add_checked_fixture(tc, probe_setup, probe_teardown);
	tcase_set_tags(tc, "root");
	suite_add_tcase(s, tc);
	tc = tcase_create("acl");
	tcase_add_test(tc, test_stdout_dir_others_may_write_by_acl);
	tcase_add_checked_fixture(tc, probe_setup, probe_teardown);
	tcase_set_tags(tc, "acl");
	suite_add_tcase(s, tc);
	tc = tcase_create("own user");
	tcase_add_test(tc, test_stdout_plain_as_the_daemons_user);
	tcase_add_checked_fixture(tc, probe_setup, probe_teardown);
	suite_add_tcase(s, tc);
	return s;
}

/* `check-spawn-stdio root` runs the tests (meson: check-spawn-stdio-root), or skips. */
int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "root", root_missing, "a job's stdio paths as its user" },
		{ "acl", acl_missing, "a job's stdio paths in directories with ACLs" },
	};

	return runner_main(stdio_suite(), parts, 2, argc, argv);
}
