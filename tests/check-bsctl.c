/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl - bsctl against a real bootstrapd ($BOOTSTRAPD, $BSCTL) on a
 * private socket, with one job (/bin/sleep 30) in a private jobs dir.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/tmpdir.h"

#define LABEL "org.test.bsctl.sleep"

static const char job_plist[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<plist version=\"1.0\"><dict>\n"
	"<key>Label</key><string>" LABEL "</string>\n"
	"<key>ProgramArguments</key><array><string>/bin/sleep</string>"
	"<string>30</string></array>\n"
	"</dict></plist>\n";

static const char bad_plist[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<plist version=\"1.0\"><dict>\n"
	"<key>ProgramArguments</key><array><string>/bin/true</string></array>\n"
	"</dict></plist>\n";

static char *tmp;
static char sock[4096];
static char jobs[4096];
static pid_t daemon_pid;
static char out[65536];

static void nap(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void read_all(int fd)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < sizeof(out) && (r = read(fd, out + n, sizeof(out) - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(r, 0);
		n += (size_t)r;
	}
	out[n] = '\0';
}

/* Run bsctl with @argv (NULL-terminated, after "bsctl"); stdout into out. */
static int bsctl(const char *const *argv)
{
	const char *args[16] = { "bsctl", "--socket", sock };
	int p[2], status;
	size_t n = 3;
	pid_t pid;

	while (*argv && n < 15)
		args[n++] = *argv++;
	args[n] = NULL;
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execv(getenv("BSCTL"), (char *const *)args);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0]);
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#define BSCTL(...) bsctl((const char *const[]){ __VA_ARGS__, NULL })

/* Poll `bsctl list` (bounded: 5 s) until it prints @want. */
static int list_until(const char *want)
{
	for (int i = 0; i < 250; i++) {
		if (BSCTL("list") == 0 && strstr(out, want))
			return 1;
		nap();
	}
	return 0;
}

static void start_daemon(void)
{
	struct stat st;

	daemon_pid = fork();
	ck_assert_int_ge(daemon_pid, 0);
	if (daemon_pid == 0) {
		execl(getenv("BOOTSTRAPD"), "bootstrapd", "--foreground", "--socket", sock,
		      "--jobs", jobs, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 250 && stat(sock, &st) < 0; i++)
		nap();
	ck_assert_int_eq(stat(sock, &st), 0);
}

static void setup(void)
{
	char *path;

	ck_assert_ptr_nonnull(getenv("BOOTSTRAPD"));
	ck_assert_ptr_nonnull(getenv("BSCTL"));
	tmp = tmpdir_new("bsctl");
	snprintf(sock, sizeof(sock), "%s/socket", tmp);
	snprintf(jobs, sizeof(jobs), "%s/jobs", tmp);
	ck_assert_int_eq(mkdir(jobs, 0755), 0);
	path = tmpdir_write(jobs, LABEL ".plist", job_plist, 0644);
	free(path);
	start_daemon();
}

static void teardown(void)
{
	int status;

	if (daemon_pid > 0) {
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, &status, 0);
		daemon_pid = 0;
	}
	tmpdir_remove(tmp);
	tmp = NULL;
}

START_TEST(test_list_start_stop)
{
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert(strncmp(out, "PID\tStatus\tLabel\n", 17) == 0);
	ck_assert_ptr_nonnull(strstr(out, "-\t-\t" LABEL "\n"));

	ck_assert_int_eq(BSCTL("start", LABEL), 0);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_null(strstr(out, "-\t-\t" LABEL "\n"));   /* has a pid now */

	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(out, "state = running"));
	ck_assert_ptr_nonnull(strstr(out, "last start reason = "));

	ck_assert_int_eq(BSCTL("stop", LABEL), 0);
	ck_assert(list_until("-\t-15\t" LABEL "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(out, "last exit signal = 15"));
}
END_TEST

START_TEST(test_json)
{
	ck_assert_int_eq(BSCTL("--json", "list"), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"label\": \"" LABEL "\""));
	ck_assert_int_eq(BSCTL("print", "--json", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"state\": \"waiting\""));
}
END_TEST

START_TEST(test_kickstart_kill)
{
	ck_assert_int_eq(BSCTL("kill", "TERM", LABEL), 1);       /* not running */
	ck_assert_int_eq(BSCTL("kickstart", LABEL), 0);
	ck_assert_int_eq(BSCTL("kickstart", "-k", LABEL), 0);
	ck_assert(list_until("\t-9\t" LABEL "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(out, "state = running"));  /* started again */
	ck_assert_int_eq(BSCTL("kill", "USR1", LABEL), 0);
	ck_assert(list_until("\t-10\t" LABEL "\n"));
}
END_TEST

START_TEST(test_unknown_and_usage)
{
	ck_assert_int_eq(BSCTL("print", "org.test.nope"), 4);
	ck_assert_int_eq(BSCTL("start", "org.test.nope"), 4);
	ck_assert_int_eq(BSCTL("list", "org.test.nope"), 4);
	ck_assert_int_eq(BSCTL("print"), 2);
	ck_assert_int_eq(BSCTL("frobnicate"), 2);
	ck_assert_int_eq(BSCTL("kill", "NOSUCHSIG", LABEL), 2);
	ck_assert_int_eq(BSCTL("help"), 0);
	ck_assert_ptr_nonnull(strstr(out, "exit codes"));
}
END_TEST

START_TEST(test_lint)
{
	char *good = tmpdir_write(tmp, "good.plist", job_plist, 0644);
	char *bad = tmpdir_write(tmp, "bad.plist", bad_plist, 0644);

	ck_assert_int_eq(BSCTL("lint", good), 0);
	ck_assert_ptr_nonnull(strstr(out, ": OK\n"));
	ck_assert_int_eq(BSCTL("lint", good, bad), 1);
	ck_assert_ptr_nonnull(strstr(out, bad));
	free(good);
	free(bad);
}
END_TEST

START_TEST(test_no_daemon)
{
	teardown();
	tmp = tmpdir_new("bsctl");
	snprintf(sock, sizeof(sock), "%s/socket", tmp);
	ck_assert_int_eq(BSCTL("list"), 3);
}
END_TEST

static Suite *bsctl_suite(void)
{
	Suite *s = suite_create("bsctl");
	TCase *tc = tcase_create("daemon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list_start_stop);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_kickstart_kill);
	tcase_add_test(tc, test_unknown_and_usage);
	tcase_add_test(tc, test_lint);
	tcase_add_test(tc, test_no_daemon);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bsctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
