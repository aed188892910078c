/* SPDX-License-Identifier: MIT */
/* daemon.h - start a real bootstrapd in a temporary directory for a test. */
#ifndef BOOTSTRAPD_TEST_DAEMON_H
#define BOOTSTRAPD_TEST_DAEMON_H

#include <sys/types.h>

struct test_daemon {
	char *dir;              /* temporary directory */
	char *jobs;             /* dir/jobs: the --jobs directory */
	char *socket;           /* dir/socket; also exported as $BOOTSTRAP_SOCKET */
	char *log;              /* dir/log: the daemon's stderr */
	pid_t pid;
	long nofile;            /* RLIMIT_NOFILE for the daemon, 0: inherited */
	int system;             /* serve the system domain instead of the user's */
	int default_socket;     /* no --socket: the domain's default (set ->socket to match) */
};

/** test_daemon_init() - make the directories (no daemon yet). */
void test_daemon_init(struct test_daemon *d, const char *tag);

/** test_daemon_add_job() - write @label.plist with @body (the dict's keys) into jobs/. */
void test_daemon_add_job(struct test_daemon *d, const char *label, const char *body);

/** test_daemon_start() - start bootstrapd and wait until its socket answers. */
void test_daemon_start(struct test_daemon *d);

/** test_daemon_signal() - send @sig. */
void test_daemon_signal(struct test_daemon *d, int sig);

/** test_daemon_wait() - wait for the daemon to exit; Return: its wait status. */
int test_daemon_wait(struct test_daemon *d);

/** test_daemon_log_contains() - whether the daemon's log has @text. */
int test_daemon_log_contains(const struct test_daemon *d, const char *text);

/** test_daemon_stop() - SIGTERM, wait, remove the directory. */
void test_daemon_stop(struct test_daemon *d);

#endif
