/* SPDX-License-Identifier: MIT */
/* daemon.h - start a real bootstrapd in a temporary directory for a test. */
#ifndef BOOTSTRAPD_TEST_DAEMON_H
#define BOOTSTRAPD_TEST_DAEMON_H

#include <sys/types.h>

/* The suffix of a job's stderr log in the daemon's directory: dir/LABEL.stderr. */
#define TEST_DAEMON_JOB_LOG ".stderr"

struct test_daemon {
	char *dir;              /* temporary directory */
	char *jobs;             /* dir/jobs: the --jobs directory */
	char *socket;           /* dir/socket; also exported as $BOOTSTRAP_SOCKET */
	char *log;              /* dir/log: the daemon's stderr */
	char *system_socket;    /* a user daemon's --system-socket: dir/no-system-domain
				 * unless a test points it at its system daemon */
	pid_t pid;
	long nofile;            /* RLIMIT_NOFILE for the daemon, 0: inherited */
	int system;             /* serve the system domain instead of the user's */
	int default_socket;     /* no --socket: the domain's default (set ->socket to match) */
	const char *log_level;  /* --log-level; NULL: debug */
};

/** test_daemon_init() - make the directories (no daemon yet). */
void test_daemon_init(struct test_daemon *d, const char *tag);

/**
 * test_daemon_add_job() - write @label.plist with @body (the dict's keys)
 * into jobs/, with StandardErrorPath dir/@label.stderr unless @body sets one.
 */
void test_daemon_add_job(struct test_daemon *d, const char *label, const char *body);

/**
 * test_daemon_start() - start bootstrapd and wait for its READY=1 (on a
 * NOTIFY_SOCKET of ours); fails unless its socket then answers.  The daemon
 * gets SIGTERM if the test process dies.
 */
void test_daemon_start(struct test_daemon *d);

/** test_daemon_signal() - send @sig. */
void test_daemon_signal(struct test_daemon *d, int sig);

/**
 * test_daemon_pause() - SIGSTOP, and wait until the daemon has stopped:
 * what is sent from now on waits, unread, until SIGCONT.
 */
void test_daemon_pause(struct test_daemon *d);

/** test_daemon_resume() - SIGCONT after test_daemon_pause(). */
void test_daemon_resume(struct test_daemon *d);

/**
 * test_daemon_wait() - wait for the daemon to exit; fails the test if its
 * log holds a sanitizer report.  Return: its wait status.
 */
int test_daemon_wait(struct test_daemon *d);

/** test_daemon_log_count() - how many lines of the daemon's log have @text. */
int test_daemon_log_count(const struct test_daemon *d, const char *text);

/** test_daemon_log_contains() - whether the daemon's log has @text. */
int test_daemon_log_contains(const struct test_daemon *d, const char *text);

/**
 * test_daemon_wait_log() - test_daemon_log_contains(), polled every 10 ms
 * for at most @bound_ms: for a line the daemon writes in its own time
 * (after a reply, a spawn, a child's exit).
 */
int test_daemon_wait_log(const struct test_daemon *d, const char *text, long bound_ms);

/**
 * test_daemon_wait_log_count() - test_daemon_log_count(), polled every
 * 10 ms for at most @bound_ms, until it reaches @n.  Return: whether it did.
 */
int test_daemon_wait_log_count(const struct test_daemon *d, const char *text, int n,
			       long bound_ms);

/**
 * test_daemon_stop() - SIGTERM, wait, remove the directory; then fail the
 * test unless the daemon exited with status 0 and neither its log nor a
 * job's (dir/LABEL.stderr) holds a sanitizer report (copied to stderr).
 * Every test that starts a daemon calls it (its checked teardown).
 */
void test_daemon_stop(struct test_daemon *d);

/**
 * test_pause_ms() - let @ms milliseconds pass: a run's length or a pace,
 * never a wait for something to happen (wait for the event instead).
 */
void test_pause_ms(long ms);

#endif
