/* SPDX-License-Identifier: MIT */
/*
 * check-bsctl - bsctl against a real bootstrapd ($BOOTSTRAPD, $BSCTL) on a
 * private socket (helpers/daemon.c: started when it says READY=1, stopped
 * and checked for a clean exit), with one job (/bin/sleep 30); the
 * output of list and print compared with golden files
 * ($BOOTSTRAPD_TEST_DATA/golden; with $BOOTSTRAPD_GOLDEN_UPDATE set they
 * are rewritten and the run fails), and lint over the corpus of real
 * plists ($BOOTSTRAPD_TEST_CORPUS: tests/data/corpus).
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
#include "helpers/daemon.h"
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

static struct test_daemon td;
static struct bsctl_out r;

/* bsctl ARG... on the test's socket ($BOOTSTRAP_SOCKET); stdout in r.out. */
#define BSCTL(...) BSCTL_RUN(&r, __VA_ARGS__)

/* Poll `bsctl list` (bounded: 5 s) until it prints @want. */
static int list_until(const char *want)
{
	for (int i = 0; i < 250; i++) {
		if (BSCTL("list") == 0 && strstr(r.out, want))
			return 1;
		test_pause_ms(20);
	}
	return 0;
}

/* The daemon (helpers/daemon.c) with one job; its teardown checks how it ended. */
static void setup(void)
{
	ck_assert_ptr_nonnull(getenv("BSCTL"));
	test_daemon_init(&td, "bsctl");
	free(tmpdir_write(td.jobs, LABEL ".plist", job_plist, 0644));
	test_daemon_start(&td);
}

static void teardown(void)
{
	test_daemon_stop(&td);
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
	ck_assert_int_eq(BSCTL("frobnicate"), 1);      /* as launchctl: one line, exit 1 */
	ck_assert_str_eq(r.err, "bsctl: unknown subcommand \"frobnicate\"\n");
	ck_assert_int_eq(BSCTL("--frobnicate", "list"), 2);
	ck_assert_int_eq(BSCTL("kill", "NOSUCHSIG", LABEL), 2);
	ck_assert_int_eq(BSCTL("help"), 0);
	ck_assert_ptr_nonnull(strstr(r.out, "exit codes"));
}
END_TEST

START_TEST(test_lint)
{
	char *good = tmpdir_write(td.dir, "good.plist", job_plist, 0644);
	char *bad = tmpdir_write(td.dir, "bad.plist", bad_plist, 0644);

	ck_assert_int_eq(BSCTL("lint", good), 0);
	ck_assert_ptr_nonnull(strstr(r.out, ": OK\n"));
	ck_assert_int_eq(BSCTL("lint", good, bad), 1);
	ck_assert_ptr_nonnull(strstr(r.out, bad));
	free(good);
	free(bad);
}
END_TEST

/* @text with the test directory spelled TMP and the number @pid (whole, not in a longer one) spelled PID. */
static char *normalise(const char *text, long pid)
{
	char num[32], *res = malloc(strlen(text) * 2 + 1), *w = res;
	size_t tlen = strlen(td.dir), nlen;

	ck_assert_ptr_nonnull(res);
	nlen = (size_t)snprintf(num, sizeof(num), "%ld", pid);
	while (*text) {
		if (strncmp(text, td.dir, tlen) == 0) {
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

static int golden_rewritten;    /* golden files rewritten by this test */

/*
 * Compare r.out, normalised, with golden/@name.  With
 * $BOOTSTRAPD_GOLDEN_UPDATE set the file is rewritten instead, and the test
 * fails (golden_end()): an update never makes a run pass.
 */
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
		fprintf(stderr, "rewrote %s\n", path);
		golden_rewritten++;
	}
	want = read_file(path);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

static void golden_end(void)
{
	ck_assert_msg(golden_rewritten == 0,
		      "%d golden files rewritten ($BOOTSTRAPD_GOLDEN_UPDATE): review them "
		      "(git diff) and run again without it", golden_rewritten);
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
	ck_assert_int_eq(BSCTL("list", LABEL), 0);
	golden("list-job.txt", pid);
	ck_assert_int_eq(BSCTL("list", "-x", LABEL), 0);
	golden("list-job.plist", pid);
	golden_end();
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
	ck_assert_int_eq(BSCTL("list", LABEL), 0);
	golden("list-job-exited.txt", -1);
	golden_end();
}
END_TEST

static int is_plist(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 6 && strcmp(d->d_name + len - 6, ".plist") == 0;
}

struct lint_expect {
	int status;             /* -1: @name is not in the table */
	char reason[512];       /* a rejection's reason; "" for status 0 */
	int listed;             /* lines in the table */
};

/* @name's line in corpus-lint.expected ("STATUS FILE [REASON]"). */
static void expected_lint(const char *table, const char *name, struct lint_expect *e)
{
	char line[2048];
	FILE *f = fopen(table, "r");

	ck_assert_msg(f != NULL, "%s: %s", table, strerror(errno));
	memset(e, 0, sizeof(*e));
	e->status = -1;
	while (fgets(line, sizeof(line), f)) {
		char file[1000];
		int st, end = 0;

		if (line[0] == '#' || sscanf(line, "%d %999s %n", &st, file, &end) != 2)
			continue;
		e->listed++;
		if (strcmp(file, name) != 0)
			continue;
		e->status = st;
		snprintf(e->reason, sizeof(e->reason), "%s", line + end);
		e->reason[strcspn(e->reason, "\n")] = '\0';
	}
	fclose(f);
}

/* bsctl lint @path (@name in the corpus) against its line of @table. */
static int lint_corpus_file(const char *table, const char *path, const char *name)
{
	struct lint_expect e;
	char *prefix;

	expected_lint(table, name, &e);
	ck_assert_msg(e.status >= 0, "%s is not in %s", name, table);
	ck_assert_msg(BSCTL("lint", path) == e.status, "bsctl lint %s: exit %d, expected %d\n%s%s",
		      name, r.status, e.status, r.out, r.err);
	ck_assert_int_gt(asprintf(&prefix, "%s:", path), 0);
	ck_assert_msg(strstr(r.out, prefix) != NULL, "bsctl lint %s does not name it:\n%s", name, r.out);
	if (e.status == 0) {
		ck_assert_msg(strstr(r.out, ": OK\n") != NULL, "bsctl lint %s:\n%s", name, r.out);
	} else {
		ck_assert_msg(e.reason[0] != '\0', "%s: the rejection of %s gives no reason", table, name);
		ck_assert_msg(strstr(r.out, e.reason) != NULL, "bsctl lint %s: reason \"%s\" not in:\n%s%s",
			      name, e.reason, r.out, r.err);
	}
	free(prefix);
	return e.listed;
}

/* Every corpus file, with the outcome the table expects; the table lists them all. */
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
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		listed = lint_corpus_file(table, path, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(n, listed);
}
END_TEST

START_TEST(test_no_daemon)
{
	teardown();
	test_daemon_init(&td, "bsctl");         /* a socket no daemon listens on */
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
	if (getenv("BOOTSTRAPD_GOLDEN_UPDATE")) {
		fprintf(stderr, "BOOTSTRAPD_GOLDEN_UPDATE is set: golden files rewritten, run failed\n");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
