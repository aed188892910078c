/* SPDX-License-Identifier: MIT */
/*
 * check-sockets-user - the files of Unix Sockets: SockPathMode is the
 * socket's mode from its making; a SecureSocketWithKey socket of a job
 * that a root daemon runs as another user is that user's to connect to,
 * in a directory that user alone can enter (the root part).
 */
#include <check.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/bsctl-run.h"
#include "helpers/daemon.h"
#include "helpers/job-runs.h"
#include "helpers/runner.h"
#include "helpers/unix-connect.h"

#define NOBODY 65534

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "sockets-user");
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* A job @label, never started, with the Sockets entry "s" of @keys, and @extra keys. */
static void add_socket_job(const char *label, const char *keys, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>/bin/true</string></array>\n"
		"<key>Sockets</key><dict><key>s</key><dict>%s</dict></dict>\n%s", keys, extra), 0);
	test_daemon_add_job(&td, label, body);
	free(body);
}

START_TEST(test_path_mode_from_the_start)
{
	char *path = test_daemon_path(&td, "listener"), *keys;
	struct stat st;

	ck_assert_int_gt(asprintf(&keys, "<key>SockPathName</key><string>%s</string>"
				  "<key>SockPathMode</key><integer>384</integer>", path), 0);
	add_socket_job("com.example.moded", keys, "");
	test_daemon_start(&td);
	ck_assert_int_eq(lstat(path, &st), 0);          /* made at load, before the daemon answers */
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	free(keys);
	free(path);
}
END_TEST

/* connect() to @path as uid and gid @id, in a child.  Return: 0 or its errno. */
static int connect_as(const char *path, uid_t id)
{
	pid_t child = fork();
	int st;

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		int fd;

		if (setgroups(0, NULL) < 0 || setgid(id) < 0 || setuid(id) < 0)
			_exit(126);
		fd = test_connect_unix(path, SOCK_STREAM);
		_exit(fd >= 0 ? 0 : -fd);
	}
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/*
 * A root daemon runs the job as nobody: nobody connects to its secure
 * socket.  The socket used to be root's, mode 0755 by the daemon's umask:
 * nobody could enter the directory and not connect (EACCES).
 */
START_TEST(test_secure_socket_is_the_job_users)
{
	static struct bsctl_out out;
	char *dir;
	struct stat st;

	add_socket_job("com.example.nobodys",
		       "<key>SecureSocketWithKey</key><string>NOBODY_SOCKET</string>",
		       "<key>UserName</key><string>nobody</string>");
	test_daemon_start(&td);
	ck_assert_int_eq(BSCTL_RUN(&out, "getenv", "NOBODY_SOCKET"), 0);
	out.out[strcspn(out.out, "\n")] = '\0';
	ck_assert_msg(out.out[0] == '/', "NOBODY_SOCKET=%s", out.out);
	ck_assert_int_eq(connect_as(out.out, NOBODY), 0);
	dir = strdup(out.out);
	*strrchr(dir, '/') = '\0';
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_uid, NOBODY);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	free(dir);
}
END_TEST

static Suite *user_suite(void)
{
	Suite *s = suite_create("sockets-user");
	TCase *tc = tcase_create("modes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_path_mode_from_the_start);
	suite_add_tcase(s, tc);
	tc = tcase_create("other-user");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_set_tags(tc, "root");
	tcase_add_test(tc, test_secure_socket_is_the_job_users);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	static const struct runner_part parts[] = {
		{ "root", runner_needs_root, "a root daemon's job run as nobody, and its socket" },
	};

	return runner_main(user_suite(), parts, 1, argc, argv);
}
