/* SPDX-License-Identifier: MIT */
/*
 * check-hostile.c - bootstrapd against clients that mean harm: rights
 * smuggled in empty datagrams, message ids at the edge of int32, and a
 * crowd of hostile clients beside well-behaved ones.  The daemon answers
 * every honest request and ends with the fds it started with.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <bootstrap/linux.h>

#include "bootstrap-proto.h"
#include "wire.h"

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/raw-client.h"

#define SETTLE_MS 20000         /* bound on waiting for the daemon to see closes */

static struct test_daemon td;

static void setup(void)
{
	test_daemon_init(&td, "hostile");
	/* Clients as another uid must reach the socket. */
	ck_assert_int_eq(chmod(td.dir, 0755), 0);
}

static void teardown(void)
{
	test_daemon_stop(&td);
}

/* What a sanitizer build of the daemon says lands in its log, not on our stderr. */
static void assert_log_clean(void)
{
	ck_assert_msg(!test_daemon_log_contains(&td, "runtime error"),
		      "the daemon hit undefined behaviour: see %s", td.log);
	ck_assert_msg(!test_daemon_log_contains(&td, "AddressSanitizer"),
		      "the daemon hit a memory error: see %s", td.log);
}

/*
 * The daemon's fd count once it is idle.  The fixture's probe connection
 * may still be closing: a look-up on a new connection (@bp, kept open) is
 * answered only after the daemon went round its loop twice, by when every
 * close that came before the connect has been seen.
 */
static int idle_fd_count(mach_port_t *bp)
{
	mach_port_t port;

	ck_assert_int_eq(bootstrap_port_connect(td.socket, bp), KERN_SUCCESS);
	ck_assert_int_eq(raw_look_up(*bp, "com.example.none", 10000, &port), BOOTSTRAP_UNKNOWN_SERVICE);
	return raw_fd_count(td.pid);
}

/* Run @fn(@arg) in a child, as uid 65534 if @nobody.  Return: its exit status (99: no setuid). */
static int in_child(int (*fn)(int), int arg, int nobody)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (nobody && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(99);
		_exit(fn(arg));
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* @count empty datagrams carrying two fds each, then hang up. */
static int empty_with_rights(int count)
{
	int fds[2] = { open("/dev/null", O_RDONLY | O_CLOEXEC), open("/dev/null", O_RDONLY | O_CLOEXEC) };
	int fd = raw_connect(td.socket);

	if (fd < 0 || fds[0] < 0 || fds[1] < 0)
		return 1;
	for (int i = 0; i < count; i++)
		if (raw_send(fd, "", 0, fds, 2) != 0)
			return 2;
	close(fd);
	return 0;
}

START_TEST(test_empty_datagrams_release_their_rights)
{
	mach_port_t bp;
	int base, after;

	test_daemon_start(&td);
	base = idle_fd_count(&bp);
	ck_assert_int_gt(base, 0);
	ck_assert_int_eq(in_child(empty_with_rights, 300, 0), 0);
	/* Any local user can do it: as root, try it as nobody too. */
	if (geteuid() == 0)
		ck_assert_int_eq(in_child(empty_with_rights, 300, 1), 0);
	after = raw_wait_fd_count(td.pid, base, SETTLE_MS);
	ck_assert_msg(after == base, "daemon fds: %d before, %d after 300 empty datagrams with 2 fds",
		      base, after);
	ck_assert(test_daemon_log_contains(&td, "empty request from pid"));
	ck_assert_int_eq(raw_fd_count(td.pid), base);
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

/* A request id whose reply id (id + 100) is past INT32_MAX: answered, with the id wrapped. */
START_TEST(test_reply_id_at_int32_edge)
{
	static const mach_msg_id_t ids[] = { INT32_MAX, INT32_MAX - 99, INT32_MAX - 100, INT32_MIN,
					     -1, -100, 12345 };
	mach_port_t bp;

	test_daemon_start(&td);
	ck_assert_int_eq(bootstrap_port_connect(td.socket, &bp), KERN_SUCCESS);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		mach_msg_id_t got = 0;
		kern_return_t ret = 0;
		mach_msg_id_t want = (mach_msg_id_t)((uint32_t)ids[i] + 100u);

		ck_assert_int_eq(raw_call_id(bp, ids[i], 10000, &got, &ret), MACH_MSG_SUCCESS);
		ck_assert_msg(got == want, "request %d: reply id %d, want %d", ids[i], got, want);
		ck_assert_int_eq(ret, MIG_BAD_ID);
	}
	ck_assert(test_daemon_log_contains(&td, "unknown request 2147483647"));
	ck_assert(test_daemon_log_contains(&td, "unknown request -2147483648"));
	assert_log_clean();
	mach_port_deallocate(mach_task_self(), bp);
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_empty_datagrams_release_their_rights);
	tcase_add_test(tc, test_reply_id_at_int32_edge);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hostile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
