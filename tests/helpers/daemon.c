/* SPDX-License-Identifier: MIT */
#include "daemon.h"

#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tmpdir.h"

void test_daemon_init(struct test_daemon *d, const char *tag)
{
	memset(d, 0, sizeof(*d));
	d->dir = tmpdir_new(tag);
	ck_assert_int_gt(asprintf(&d->jobs, "%s/jobs", d->dir), 0);
	ck_assert_int_gt(asprintf(&d->socket, "%s/socket", d->dir), 0);
	ck_assert_int_gt(asprintf(&d->log, "%s/log", d->dir), 0);
	ck_assert_int_eq(mkdir(d->jobs, 0755), 0);
	setenv("BOOTSTRAP_SOCKET", d->socket, 1);
}

void test_daemon_add_job(struct test_daemon *d, const char *label, const char *body)
{
	char *name, *xml;

	ck_assert_int_gt(asprintf(&name, "%s.plist", label), 0);
	ck_assert_int_gt(asprintf(&xml,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<plist version=\"1.0\">\n<dict>\n<key>Label</key><string>%s</string>\n%s\n</dict>\n</plist>\n",
		label, body), 0);
	free(tmpdir_write(d->jobs, name, xml, 0644));
	free(name);
	free(xml);
}

static int socket_answers(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), ok;

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

void test_daemon_start(struct test_daemon *d)
{
	const char *exe = getenv("BOOTSTRAPD");

	ck_assert_msg(exe != NULL, "BOOTSTRAPD is not set");
	d->pid = fork();
	ck_assert_int_ge(d->pid, 0);
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 2);
		if (d->nofile) {
			struct rlimit rl = { (rlim_t)d->nofile, (rlim_t)d->nofile };

			setrlimit(RLIMIT_NOFILE, &rl);
		}
		execl(exe, exe, d->system ? "--system" : "--user", "--foreground", "--log-level", "debug", "--socket", d->socket,
		      "--jobs", d->jobs, "--state", d->dir, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !socket_answers(d->socket); i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	ck_assert_msg(socket_answers(d->socket), "bootstrapd did not start");
}

void test_daemon_signal(struct test_daemon *d, int sig)
{
	ck_assert_int_eq(kill(d->pid, sig), 0);
}

int test_daemon_wait(struct test_daemon *d)
{
	int status = 0;

	ck_assert_int_eq(waitpid(d->pid, &status, 0), d->pid);
	d->pid = 0;
	return status;
}

int test_daemon_log_contains(const struct test_daemon *d, const char *text)
{
	FILE *f = fopen(d->log, "r");
	char line[4096];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

void test_daemon_stop(struct test_daemon *d)
{
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		test_daemon_wait(d);
	}
	tmpdir_remove(d->dir);
	free(d->jobs);
	free(d->socket);
	free(d->log);
}
