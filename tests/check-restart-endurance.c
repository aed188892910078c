/* SPDX-License-Identifier: MIT */
/*
 * check-restart-endurance - numbered messages from several senders while
 * bootstrapd is killed (SIGKILL) and started again from the fd store,
 * again and again: every message arrives exactly once, in order per
 * sender, and the job never runs twice.  Senders look the name up again
 * every so often, so that the library's reconnection is exercised too.
 *
 * RESTART_MESSAGES (default 2000) and RESTART_KILLS (default 10) scale it.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "helpers/daemon.h"
#include "helpers/echo-client.h"
#include "helpers/fake-fdstore.h"
#include "helpers/runner.h"

#define TALLY "com.example.tally"
#define SENDERS 4

static struct test_daemon td;
static struct fake_fdstore store;

static void setup(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	test_daemon_init(&td, "restart-endurance");
}

static void teardown(void)
{
	test_daemon_stop(&td);
	fake_fdstore_close(&store);
}

static long param(const char *name, long def)
{
	const char *v = getenv(name);

	return v && atol(v) > 0 ? atol(v) : def;
}

/* How many lines of @path hold @text. */
static int count_lines(const char *path, const char *text)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

/* A look-up that waits out the daemon's restarts (30 s at most). */
static mach_port_t look_up(void)
{
	mach_port_t p = MACH_PORT_NULL;

	for (int i = 0; i < 3000; i++) {
		if (bootstrap_look_up(bootstrap_port, TALLY, &p) == KERN_SUCCESS)
			return p;
		test_pause_ms(10);
	}
	return MACH_PORT_NULL;
}

/* Sender @id: @n numbered messages; a new look-up every 50. */
static void sender(uint32_t id, long n)
{
	mach_port_t port = look_up();

	for (long i = 0; i < n; i++) {
		if (i % 50 == 49) {
			mach_port_deallocate(mach_task_self(), port);
			port = look_up();
		}
		if (port == MACH_PORT_NULL || echo_send(port, ECHO_DATA, id << 24 | (uint32_t)i, 0))
			_exit(1);
	}
	_exit(0);
}

START_TEST(test_messages_survive_kills)
{
	long total = param("RESTART_MESSAGES", 2000), kills = param("RESTART_KILLS", 10);
	long per = total / SENDERS;
	pid_t senders[SENDERS], job;
	struct echo_msg r;
	int status;
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>%s</string></array>\n"
		"<key>MachServices</key><dict><key>%s</key><true/></dict>\n",
		getenv("TALLY_SERVICE"), TALLY, TALLY), 0);
	test_daemon_add_job(&td, TALLY, body);
	free(body);
	fake_fdstore_open(&store, td.dir);
	fake_fdstore_start(&store, &td);
	job = echo_query(look_up()).pid;
	for (int i = 0; i < SENDERS; i++) {
		senders[i] = fork();
		ck_assert_int_ge(senders[i], 0);
		if (senders[i] == 0)
			sender((uint32_t)i, per);
	}
	for (long k = 0; k < kills; k++) {
		test_pause_ms(20);
		look_up();      /* a later turn of the loop: what came before is saved */
		fake_fdstore_kill(&store, &td);
		fake_fdstore_start(&store, &td);
	}
	for (int i = 0; i < SENDERS; i++) {
		ck_assert_int_eq(waitpid(senders[i], &status, 0), senders[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sender %d failed", i);
	}
	r = echo_query(look_up());
	ck_assert_uint_eq(r.value, (uint32_t)(per * SENDERS));
	ck_assert_uint_eq(r.ok, 1);
	ck_assert_int_eq(r.pid, job);
	/* Started once, adopted after each kill. */
	ck_assert_int_eq(count_lines(td.log, TALLY ": started (pid "), 1);
	ck_assert_int_eq(count_lines(td.log, TALLY ": adopted running pid"), (int)kills);
}
END_TEST

static Suite *endurance_suite(void)
{
	Suite *s = suite_create("restart-endurance");
	TCase *tc = tcase_create("endurance");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 280);
	tcase_add_test(tc, test_messages_survive_kills);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(endurance_suite(), NULL, 0, argc, argv);
}
