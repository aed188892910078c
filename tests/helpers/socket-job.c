/* SPDX-License-Identifier: MIT */
/*
 * socket-job.c - the job of check-sockets: takes its sockets the way its
 * first argument says, writes what it saw to the report file (second
 * argument) and answers every client with its pid.
 *
 *   socket-job listen REPORT            the sockets of LISTEN_FDS (fds 3 and up)
 *   socket-job activate REPORT NAME...  launch_activate_socket() for each NAME
 *   socket-job inetd REPORT             stdin is the connection: answer, wait for EOF
 *   socket-job inetd-wait REPORT        stdin is the listening socket: answer one client
 *
 * The report has one "key=value" line each: pid, LISTEN_FDS, LISTEN_FDNAMES,
 * LISTEN_PID, BOOTSTRAP_FD, SECURE (the $SECURE_SOCKET variable), then the
 * codes launch_activate_socket() returned: "activate NAME=CODE COUNT",
 * "again NAME=CODE" (a second call), "missing=CODE" (a name the job does not
 * have), "child=CODE" (a forked child asking).  A client of a stream socket
 * reads "PID\n"; a datagram is answered with one.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <launch.h>

#define MAX_FDS 64

static FILE *report;

static void put(const char *key, const char *value)
{
	fprintf(report, "%s=%s\n", key, value ? value : "(unset)");
	fflush(report);
}

static void put_env(void)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	put("pid", pid);
	put("LISTEN_FDS", getenv("LISTEN_FDS"));
	put("LISTEN_FDNAMES", getenv("LISTEN_FDNAMES"));
	put("LISTEN_PID", getenv("LISTEN_PID"));
	put("BOOTSTRAP_FD", getenv("BOOTSTRAP_FD"));
	put("SECURE", getenv("SECURE_SOCKET"));
}

/* A forked child of the job is not the job: it must get ESRCH. */
static void ask_from_child(const char *name)
{
	int *fds, st;
	size_t n;
	pid_t pid = fork();

	if (pid == 0)
		_exit(launch_activate_socket(name, &fds, &n));
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		fprintf(report, "child=%d\n", WEXITSTATUS(st));
	fflush(report);
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Refusals (a missing name, a second call) leave no fd behind. */
static void refusals(const char *name)
{
	int before = count_fds(), *got;
	size_t n;

	fprintf(report, "missing=%d\n", launch_activate_socket("no-such-socket", &got, &n));
	if (name)
		fprintf(report, "again %s=%d\n", name, launch_activate_socket(name, &got, &n));
	fprintf(report, "leaked=%d\n", count_fds() - before);
	fflush(report);
}

static size_t activate(char **names, int *fds)
{
	size_t total = 0, n;
	int *got;

	for (char **p = names; *p; p++) {
		int r = launch_activate_socket(*p, &got, &n);

		fprintf(report, "activate %s=%d %zu\n", *p, r, r ? 0 : n);
		for (size_t i = 0; r == 0 && i < n && total < MAX_FDS; i++)
			fds[total++] = got[i];
		if (r == 0)
			free(got);
	}
	for (char **p = names; *p; p++)
		refusals(*p);
	if (!*names)
		refusals(NULL);
	return total;
}

static void answer(int fd)
{
	char line[32], buf[512];
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	int type = 0, c;
	socklen_t tl = sizeof(type);

	snprintf(line, sizeof(line), "%d\n", (int)getpid());
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
	if (type == SOCK_DGRAM) {
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) >= 0)
			sendto(fd, line, strlen(line), 0, (struct sockaddr *)&from, len);
		return;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return;
	if (write(c, line, strlen(line)) < 0)
		perror("write");
	close(c);
}

static int serve(const int *fds, size_t n)
{
	struct pollfd p[MAX_FDS];

	for (size_t i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		if (poll(p, n, -1) < 0 && errno != EINTR)
			return 1;
		for (size_t i = 0; i < n; i++)
			if (p[i].revents & POLLIN)
				answer(p[i].fd);
	}
}

static int inetd(void)
{
	char line[32], c;

	snprintf(line, sizeof(line), "%d\n", (int)getpid());
	if (write(STDOUT_FILENO, line, strlen(line)) < 0)
		return 1;
	/* Where stderr goes: the connection, or StandardErrorPath. */
	if (write(STDERR_FILENO, "inetd-stderr\n", 13) < 0)
		return 1;
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	int fds[MAX_FDS];
	size_t n = 0;

	if (argc < 3 || !(report = fopen(argv[2], "a")))
		return 2;
	put_env();
	if (strcmp(argv[1], "inetd") == 0)
		return inetd();
	if (strcmp(argv[1], "inetd-wait") == 0) {
		answer(STDIN_FILENO);
		return 0;
	}
	if (strcmp(argv[1], "activate") == 0) {
		n = activate(argv + 3, fds);
		if (argc > 3)
			ask_from_child(argv[3]);
	} else {
		const char *s = getenv("LISTEN_FDS");

		for (n = 0; s && n < (size_t)atoi(s) && n < MAX_FDS; n++)
			fds[n] = 3 + (int)n;
	}
	return serve(fds, n);
}
