/* SPDX-License-Identifier: MIT */
/*
 * check-mig-hello - examples/mig-hello end to end: a private bootstrapd
 * with the example's job, the client run as a program; the first call
 * launches the server on demand, the second finds it running.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/daemon.h"
#include "helpers/runner.h"

static struct test_daemon td;

static void setup(void)
{
	char *body;

	test_daemon_init(&td, "mig-hello");
	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string></array>\n"
		"<key>MachServices</key><dict><key>com.example.mig-hello</key><true/></dict>\n",
		getenv("MIG_HELLO_SERVER")), 0);
	test_daemon_add_job(&td, "com.example.mig-hello", body);
	free(body);
	test_daemon_start(&td);
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* Run the example client with @name; its stdout goes to @out. Return: exit status. */
static int client(const char *name, char *out, size_t len)
{
	int pipefd[2], ws = -1;
	ssize_t got, total = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(pipefd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		execl(getenv("MIG_HELLO_CLIENT"), "mig-hello-client", name, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((got = read(pipefd[0], out + total, len - 1 - (size_t)total)) > 0)
		total += got;
	out[total] = '\0';
	close(pipefd[0]);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

START_TEST(test_hello)
{
	char out[512];

	ck_assert_msg(getenv("MIG_HELLO_SERVER") && getenv("MIG_HELLO_CLIENT"),
		      "run the tests through meson");
	ck_assert(!test_daemon_log_contains(&td, "started"));
	ck_assert_int_eq(client("bob", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "Hello, bob! (greeting 1); 40 + 2 = 42\n");
	ck_assert(test_daemon_log_contains(&td, "reason demand"));
	ck_assert_int_eq(client("alice", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "Hello, alice! (greeting 2); 40 + 2 = 42\n");
	/* The server's error comes back through the generated stubs. */
	ck_assert_int_eq(client("", out, sizeof(out)), 1);
}
END_TEST

static Suite *mig_hello_suite(void)
{
	Suite *s = suite_create("mig-hello");
	TCase *tc = tcase_create("example");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hello);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(mig_hello_suite(), NULL, 0, argc, argv);
}
