/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl - bsctl against a real bootstrapd ($BOOTSTRAPD, $BSCTL) on a
 * private socket, with one job (/bin/sleep 30) in a private jobs dir; the
 * output of list and print compared with golden files
 * ($BOOTSTRAPD_TEST_DATA/golden, rewritten when $BOOTSTRAPD_GOLDEN_UPDATE
 * is set), and lint over the shared corpus ($BOOTSTRAPD_TEST_CORPUS).
 * Load, unload, enable, disable, blame and refusals: check-bsctl-load.c.
 */
#include <check.h>
#include <ctype.h>
#include <dirent.h>
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

#include "helpers/bsctl-run.h"
#include "helpers/tmpdir.h"

#define LABEL "org.test.bsctl.sleep"

static const char job_plist[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<plist version=\"1.0\"><dict>\n"
	"<key>Label</key><string>" LABEL "</string>\n"
	"<key>ProgramArguments</key><array><string>/bin/sleep</string>"
	"<string>30</string></array>\n"
	"<key>MachServices</key><dict><key>" LABEL ".port</key><true/></dict>\n"
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
static struct bsctl_out r;

static void nap(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* bsctl ARG... on the test's socket ($BOOTSTRAP_SOCKET); stdout in r.out. */
#define BSCTL(...) BSCTL_RUN(&r, __VA_ARGS__)

/* Poll `bsctl list` (bounded: 5 s) until it prints @want. */
static int list_until(const char *want)
{
	for (int i = 0; i < 250; i++) {
		if (BSCTL("list") == 0 && strstr(r.out, want))
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
		      "--jobs", jobs, "--state", tmp, (char *)NULL);
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
	setenv("BOOTSTRAP_SOCKET", sock, 1);
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
	ck_assert(strncmp(r.out, "PID\tStatus\tLabel\n", 17) == 0);
	ck_assert_ptr_nonnull(strstr(r.out, "-\t-\t" LABEL "\n"));

	ck_assert_int_eq(BSCTL("start", LABEL), 0);
	ck_assert_int_eq(BSCTL("list"), 0);
	ck_assert_ptr_null(strstr(r.out, "-\t-\t" LABEL "\n"));   /* has a pid now */

	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));
	ck_assert_ptr_nonnull(strstr(r.out, "last start reason = "));

	ck_assert_int_eq(BSCTL("stop", LABEL), 0);
	ck_assert(list_until("-\t-15\t" LABEL "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "last exit signal = 15"));
}
END_TEST

START_TEST(test_json)
{
	ck_assert_int_eq(BSCTL("--json", "list"), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"label\": \"" LABEL "\""));
	ck_assert_int_eq(BSCTL("print", "--json", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"state\": \"waiting\""));
}
END_TEST

START_TEST(test_kickstart_kill)
{
	ck_assert_int_eq(BSCTL("kill", "TERM", LABEL), 1);       /* not running */
	ck_assert_int_eq(BSCTL("kickstart", LABEL), 0);
	ck_assert_int_eq(BSCTL("kickstart", "-k", LABEL), 0);
	ck_assert(list_until("\t-9\t" LABEL "\n"));
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "state = running"));  /* started again */
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
	ck_assert_ptr_nonnull(strstr(r.out, "exit codes"));
}
END_TEST

START_TEST(test_lint)
{
	char *good = tmpdir_write(tmp, "good.plist", job_plist, 0644);
	char *bad = tmpdir_write(tmp, "bad.plist", bad_plist, 0644);

	ck_assert_int_eq(BSCTL("lint", good), 0);
	ck_assert_ptr_nonnull(strstr(r.out, ": OK\n"));
	ck_assert_int_eq(BSCTL("lint", good, bad), 1);
	ck_assert_ptr_nonnull(strstr(r.out, bad));
	free(good);
	free(bad);
}
END_TEST

/* @text with @tmp spelled TMP and the number @pid (whole, not in a longer one) spelled PID. */
static char *normalise(const char *text, long pid)
{
	char num[32], *res = malloc(strlen(text) * 2 + 1), *w = res;
	size_t tlen = strlen(tmp), nlen;

	ck_assert_ptr_nonnull(res);
	nlen = (size_t)snprintf(num, sizeof(num), "%ld", pid);
	while (*text) {
		if (strncmp(text, tmp, tlen) == 0) {
			w = stpcpy(w, "TMP");
			text += tlen;
		} else if (isdigit((unsigned char)*text)) {
			size_t run = strspn(text, "0123456789");

			if (run == nlen && strncmp(text, num, nlen) == 0)
				w = stpcpy(w, "PID");
			else
				w = stpncpy(w, text, run);
			text += run;
		} else {
			*w++ = *text++;
		}
	}
	*w = '\0';
	return res;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_ptr_nonnull(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Compare r.out, normalised, with golden/@name (or rewrite it: $BOOTSTRAPD_GOLDEN_UPDATE). */
static void golden(const char *name, long pid)
{
	char *got = normalise(r.out, pid), *want, path[4096];
	FILE *f;

	ck_assert_ptr_nonnull(getenv("BOOTSTRAPD_TEST_DATA"));
	snprintf(path, sizeof(path), "%s/golden/%s", getenv("BOOTSTRAPD_TEST_DATA"), name);
	if (getenv("BOOTSTRAPD_GOLDEN_UPDATE")) {
		f = fopen(path, "w");
		ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
		fputs(got, f);
		fclose(f);
	}
	want = read_file(path);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

static long running_pid(void)
{
	const char *p;

	ck_assert_int_eq(BSCTL("print", "--json", LABEL), 0);
	p = strstr(r.out, "\"pid\": ");
	ck_assert_ptr_nonnull(p);
	return strtol(p + 7, NULL, 10);
}

START_TEST(test_golden_running)
{
	long pid;

	ck_assert_int_eq(BSCTL("start", LABEL), 0);
	pid = running_pid();
	ck_assert_int_gt(pid, 1);
	ck_assert_int_eq(BSCTL("list"), 0);
	golden("list.txt", pid);
	ck_assert_int_eq(BSCTL("--json", "list"), 0);
	golden("list.json", pid);
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	golden("print.txt", pid);
	ck_assert_int_eq(BSCTL("print", "--json", LABEL), 0);
	golden("print.json", pid);
}
END_TEST

START_TEST(test_golden_exited)
{
	ck_assert_int_eq(BSCTL("start", LABEL), 0);
	ck_assert_int_eq(BSCTL("stop", LABEL), 0);
	ck_assert(list_until("-\t-15\t" LABEL "\n"));
	golden("list-exited.txt", -1);
	ck_assert_int_eq(BSCTL("--json", "list"), 0);
	golden("list-exited.json", -1);
	ck_assert_int_eq(BSCTL("print", LABEL), 0);
	golden("print-exited.txt", -1);
	ck_assert_int_eq(BSCTL("print", "--json", LABEL), 0);
	golden("print-exited.json", -1);
}
END_TEST

static int is_plist(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 6 && strcmp(d->d_name + len - 6, ".plist") == 0;
}

/* The expected status of @name in corpus-lint.expected ("STATUS NAME" lines), or -1. */
static int expected_status(const char *table, const char *name, int *listed)
{
	char line[1024];
	int status = -1;
	FILE *f = fopen(table, "r");

	ck_assert_msg(f != NULL, "%s: %s", table, strerror(errno));
	*listed = 0;
	while (fgets(line, sizeof(line), f)) {
		char file[1000];
		int st;

		if (line[0] == '#' || sscanf(line, "%d %999s", &st, file) != 2)
			continue;
		(*listed)++;
		if (strcmp(file, name) == 0)
			status = st;
	}
	fclose(f);
	return status;
}

/* Every corpus file, with the exit status the table expects; the table lists them all. */
START_TEST(test_lint_corpus)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_CORPUS");
	struct dirent **names;
	char table[4096], path[4096];
	int n, listed = 0;

	ck_assert_msg(dir != NULL, "BOOTSTRAPD_TEST_CORPUS is not set");
	snprintf(table, sizeof(table), "%s/corpus-lint.expected", getenv("BOOTSTRAPD_TEST_DATA"));
	n = scandir(dir, &names, is_plist, alphasort);
	ck_assert_msg(n > 0, "%s: no plists: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		int want = expected_status(table, names[i]->d_name, &listed);

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		ck_assert_msg(want >= 0, "%s is not in %s", names[i]->d_name, table);
		ck_assert_msg(BSCTL("lint", path) == want,
			      "bsctl lint %s: exit %d, expected %d\n%s%s",
			      names[i]->d_name, r.status, want, r.out, r.err);
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(n, listed);
}
END_TEST

START_TEST(test_no_daemon)
{
	teardown();
	tmp = tmpdir_new("bsctl");
	snprintf(sock, sizeof(sock), "%s/socket", tmp);
	setenv("BOOTSTRAP_SOCKET", sock, 1);
	ck_assert_int_eq(BSCTL("list"), 3);
	ck_assert_ptr_nonnull(strstr(r.err, "no bootstrapd is listening"));
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
	tcase_add_test(tc, test_golden_running);
	tcase_add_test(tc, test_golden_exited);
	suite_add_tcase(s, tc);
	tc = tcase_create("corpus");
	tcase_add_test(tc, test_lint_corpus);
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
