/* SPDX-License-Identifier: MIT */
/* check-log - log.c: level names, line format on stderr, journal prefixes. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/runner.h"
#include "helpers/tmpdir.h"
#include "log.h"
#include "log-limit.h"

static char *tmp, *err_path;

/* Each test (its own process) logs into a file that replaces stderr. */
static void setup(void)
{
	int fd;

	tmp = tmpdir_new("log");
	ck_assert_int_gt(asprintf(&err_path, "%s/stderr", tmp), 0);
	fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
	unsetenv("JOURNAL_STREAM");
}

static void teardown(void)
{
	free(err_path);
	tmpdir_remove(tmp);
}

static char *logged(void)
{
	static char buf[4096];
	int fd = open(err_path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

START_TEST(test_level_parse)
{
	ck_assert_int_eq(log_level_parse("error"), LOG_ERR);
	ck_assert_int_eq(log_level_parse("warning"), LOG_WARNING);
	ck_assert_int_eq(log_level_parse("notice"), LOG_NOTICE);
	ck_assert_int_eq(log_level_parse("info"), LOG_INFO);
	ck_assert_int_eq(log_level_parse("debug"), LOG_DEBUG);
	ck_assert_int_eq(log_level_parse("Debug"), -EINVAL);
	ck_assert_int_eq(log_level_parse("verbose"), -EINVAL);
	ck_assert_int_eq(log_level_parse(""), -EINVAL);
	ck_assert_int_eq(log_level_parse(NULL), -EINVAL);
}
END_TEST

START_TEST(test_stderr_lines)
{
	log_init("test", 1, LOG_NOTICE);
	log_warnx("hello %d", 1);
	log_info("filtered out");
	errno = EBADF;
	log_warn("closing");
	ck_assert_int_eq(errno, EBADF);
	log_job(LOG_NOTICE, "com.example.hello", "started (pid %d)", 12);
	errno = ENOENT;
	log_job_warn("com.example.hello", "open %s", "x");
	ck_assert_int_eq(errno, ENOENT);
	log_setlevel(LOG_DEBUG);
	log_debug("now %s", "visible");
	ck_assert_str_eq(logged(),
			 "test: warning: hello 1\n"
			 "test: warning: closing: Bad file descriptor\n"
			 "test: notice: com.example.hello: started (pid 12)\n"
			 "test: warning: com.example.hello: open x: No such file or directory\n"
			 "test: debug: now visible\n");
}
END_TEST

START_TEST(test_long_line_truncated)
{
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_init("test", 1, LOG_INFO);
	log_info("%s", big);
	log_info("after");
	ck_assert_ptr_nonnull(strstr(logged(), "x\ntest: info: after\n"));
}
END_TEST

/*
 * What a client sends (a label, a name) may hold a newline: it is
 * escaped, so that no client writes a log line of its own, let alone one
 * with a journal priority.  Each control character is, as an escape.
 */
START_TEST(test_controls_escaped)
{
	log_init("test", 1, LOG_INFO);
	log_warnx("refused %s", "x\n<0>bootstrapd: forged\r\t\x1b[2J\x7f");
	log_job(LOG_INFO, "com.example.a\nb", "exited");
	ck_assert_str_eq(logged(),
			 "test: warning: refused x\\n<0>bootstrapd: forged\\r\\t\\x1b[2J\\x7f\n"
			 "test: info: com.example.a\\nb: exited\n");
}
END_TEST

/* Under systemd, stderr is the stream $JOURNAL_STREAM names. */
START_TEST(test_journal_prefix)
{
	struct stat st;
	char *env;

	ck_assert_int_eq(fstat(STDERR_FILENO, &st), 0);
	ck_assert_int_gt(asprintf(&env, "%llu:%llu", (unsigned long long)st.st_dev,
				  (unsigned long long)st.st_ino), 0);
	setenv("JOURNAL_STREAM", env, 1);
	free(env);
	log_init("test", 1, LOG_INFO);
	log_warnx("hello");
	log_job(LOG_INFO, "com.example.hello", "exited");
	ck_assert_str_eq(logged(), "<4>hello\n<6>com.example.hello: exited\n");
}
END_TEST

/* A $JOURNAL_STREAM inherited by a process whose stderr went elsewhere. */
START_TEST(test_journal_other_stream)
{
	setenv("JOURNAL_STREAM", "1:2", 1);
	log_init("test", 1, LOG_INFO);
	log_warnx("hello");
	ck_assert_str_eq(logged(), "test: warning: hello\n");
}
END_TEST

START_TEST(test_fatalx_exits)
{
	log_init("test", 1, LOG_ERR);
	fatalx("broken invariant %d", 7);
}
END_TEST

/* A burst passes; the rest of the window is left out, said once; the next window tells how many. */
START_TEST(test_limit)
{
	struct log_limit l = { 0 };
	int passed = 0;

	log_init("test", 1, LOG_INFO);
	for (int i = 0; i < LOG_LIMIT_BURST + 5; i++)
		passed += log_limit_pass_at(&l, "bad request %d", 1000 + (uint64_t)i);
	ck_assert_int_eq(passed, LOG_LIMIT_BURST);
	ck_assert_ptr_nonnull(strstr(logged(), "more like \"bad request %d\" are not logged"));
	ck_assert(!log_limit_pass_at(&l, "bad request %d", 1000 + LOG_LIMIT_WINDOW_MS - 1));
	ck_assert(log_limit_pass_at(&l, "bad request %d", 1000 + LOG_LIMIT_WINDOW_MS));
	ck_assert_ptr_nonnull(strstr(logged(), "6 more like \"bad request %d\" were not logged"));
	ck_assert_ptr_null(strstr(strstr(logged(), "are not logged") + 1, "are not logged"));
}
END_TEST

static Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_level_parse);
	tcase_add_test(tc, test_stderr_lines);
	tcase_add_test(tc, test_long_line_truncated);
	tcase_add_test(tc, test_controls_escaped);
	tcase_add_test(tc, test_journal_prefix);
	tcase_add_test(tc, test_journal_other_stream);
	tcase_add_test(tc, test_limit);
	tcase_add_exit_test(tc, test_fatalx_exits, 1);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(log_suite(), NULL, 0, argc, argv);
}
