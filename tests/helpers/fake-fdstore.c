/* SPDX-License-Identifier: MIT */
#include "fake-fdstore.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 64

static const char *field(const char *msg, const char *key, char *out, size_t len)
{
	const char *p = msg;
	size_t kl = strlen(key);

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) == 0) {
			size_t n = strcspn(p + kl, "\n");

			snprintf(out, len, "%.*s", (int)n, p + kl);
			return out;
		}
	}
	return NULL;
}

static void remove_name(struct fake_fdstore *s, const char *name)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].name, name) == 0)
			close(s->v[i].fd);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
}

static void add(struct fake_fdstore *s, const char *name, int fd)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		ck_assert_ptr_nonnull(s->v);
	}
	snprintf(s->v[s->n].name, sizeof(s->v[s->n].name), "%s", name);
	s->v[s->n++].fd = fd;
}

/* One datagram: what systemd does with it (its fds are ours, or closed). */
static void handle(struct fake_fdstore *s, const char *msg, const int *fds, size_t nfds)
{
	char name[64] = "stored", v[16];

	field(msg, "FDNAME=", name, sizeof(name));
	field(msg, "STATUS=", s->status, sizeof(s->status));
	s->received++;
	if (field(msg, "READY=", v, sizeof(v)) && strcmp(v, "1") == 0)
		s->ready++;
	if (field(msg, "FDSTOREREMOVE=", v, sizeof(v)) && strcmp(v, "1") == 0)
		remove_name(s, name);
	for (size_t i = 0; i < nfds; i++) {
		if (field(msg, "FDSTORE=", v, sizeof(v)) && strcmp(v, "1") == 0)
			add(s, name, fds[i]);
		else
			close(fds[i]);
	}
	pthread_cond_broadcast(&s->cond);
}

static void *reader(void *arg)
{
	struct fake_fdstore *s = arg;
	char buf[4096], cbuf[CMSG_SPACE(MAX_FDS * sizeof(int))];

	while (!s->stop) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct pollfd pfd = { .fd = s->sock, .events = POLLIN };
		int fds[MAX_FDS];
		size_t nfds = 0;
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		/* Held from the receive to the end of handle(): see fake_fdstore_kill(). */
		pthread_mutex_lock(&s->lock);
		n = recvmsg(s->sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0) {
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		buf[n] = '\0';
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int) &&
						   nfds < MAX_FDS; i++)
					memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
		handle(s, buf, fds, nfds);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

void fake_fdstore_open(struct fake_fdstore *s, const char *dir)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int one = 1;

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s/fdstore", dir);
	ck_assert_uint_lt(strlen(s->path), sizeof(sun.sun_path));
	strcpy(sun.sun_path, s->path);
	s->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->sock, 0);
	ck_assert_int_eq(bind(s->sock, (struct sockaddr *)&sun, sizeof(sun)), 0);
	setsockopt(s->sock, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	ck_assert_int_eq(pthread_create(&s->thread, NULL, reader, s), 0);
}

void fake_fdstore_close(struct fake_fdstore *s)
{
	s->stop = 1;
	pthread_join(s->thread, NULL);
	for (size_t i = 0; i < s->n; i++)
		close(s->v[i].fd);
	free(s->v);
	close(s->sock);
	unlink(s->path);
}

void fake_fdstore_damage(struct fake_fdstore *s, off_t len)
{
	int n = 0;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i].name, "state-", 6) == 0 && ftruncate(s->v[i].fd, len) == 0)
			n++;
	pthread_mutex_unlock(&s->lock);
	ck_assert_int_gt(n, 0);
}

size_t fake_fdstore_count(struct fake_fdstore *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->n;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int fake_fdstore_wait_status(struct fake_fdstore *s, const char *status)
{
	struct timespec until;
	int seen;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	pthread_mutex_lock(&s->lock);
	while (strcmp(s->status, status) != 0 &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
		;
	seen = strcmp(s->status, status) == 0;
	pthread_mutex_unlock(&s->lock);
	return seen;
}

void fake_fdstore_replace(struct fake_fdstore *s, const char *name, int fd)
{
	pthread_mutex_lock(&s->lock);
	remove_name(s, name);
	add(s, name, fd);
	pthread_mutex_unlock(&s->lock);
}

int fake_fdstore_dup(struct fake_fdstore *s, const char *name)
{
	int fd = -1;

	pthread_mutex_lock(&s->lock);
	for (size_t i = s->n; i-- > 0 && fd < 0;)
		if (strcmp(s->v[i].name, name) == 0)
			fd = fcntl(s->v[i].fd, F_DUPFD_CLOEXEC, 3);
	pthread_mutex_unlock(&s->lock);
	return fd;
}

/* In the child: the stored fds at 3.., and the variables naming them. */
static void pass_fds(struct fake_fdstore *s)
{
	char *names = calloc(s->n + 1, 65), num[32];
	int top = 3 + (int)s->n + 1;

	/* Above every target first, so that no dup2 closes a stored fd. */
	for (size_t i = 0; i < s->n; i++) {
		int fd = fcntl(s->v[i].fd, F_DUPFD_CLOEXEC, top + (int)s->n);

		if (fd < 0)
			_exit(125);
		s->v[i].fd = fd;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (dup2(s->v[i].fd, 3 + (int)i) < 0)
			_exit(125);
		strcat(names, i ? ":" : "");
		strcat(names, s->v[i].name);
	}
	snprintf(num, sizeof(num), "%zu", s->n);
	setenv("LISTEN_FDS", num, 1);
	setenv("LISTEN_FDNAMES", names, 1);
	/* Our pid is the daemon's: execv() keeps it. */
	snprintf(num, sizeof(num), "%d", (int)getpid());
	setenv("LISTEN_PID", num, 1);
}

static void exec_daemon(struct fake_fdstore *s, const struct test_daemon *d)
{
	const char *exe = getenv("BOOTSTRAPD");
	int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	const char *argv[] = { exe, "--user", "--foreground", "--log-level", "debug", "--jobs",
			       d->jobs, "--state", d->dir, "--socket", d->socket, NULL };

	if (fd < 0 || dup2(fd, 2) < 0)
		_exit(126);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setenv("NOTIFY_SOCKET", s->path, 1);
	setenv("FDSTORE", "100000", 1);
	if (s->n) {
		pass_fds(s);
	} else {
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		unsetenv("LISTEN_PID");
	}
	execv(exe, (char *const *)argv);
	_exit(127);
}

void fake_fdstore_start(struct fake_fdstore *s, struct test_daemon *td)
{
	struct timespec until;
	unsigned int ready;

	ck_assert_ptr_nonnull(getenv("BOOTSTRAPD"));
	pthread_mutex_lock(&s->lock);
	ready = s->ready;
	td->pid = fork();
	ck_assert_int_ge(td->pid, 0);
	if (td->pid == 0)
		exec_daemon(s, td);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	while (s->ready == ready && pthread_cond_timedwait(&s->cond, &s->lock, &until) == 0)
		;
	ready = s->ready - ready;
	pthread_mutex_unlock(&s->lock);
	ck_assert_msg(ready > 0, "bootstrapd did not become ready");
}

void fake_fdstore_kill(struct fake_fdstore *s, struct test_daemon *td)
{
	struct pollfd pfd = { .fd = s->sock, .events = POLLIN };
	int status, pending;

	ck_assert_int_eq(kill(td->pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(td->pid, &status, 0), td->pid);
	td->pid = 0;
	/* As systemd, read what the daemon sent before it died before acting on its death. */
	do {
		pthread_mutex_lock(&s->lock);
		pending = poll(&pfd, 1, 0) > 0;
		pthread_mutex_unlock(&s->lock);
		if (pending)
			sched_yield();
	} while (pending);
}

void fake_fdstore_fixture_setup(struct test_daemon *td, const char *name)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	test_daemon_init(td, name);
}

void fake_fdstore_fixture_start(struct test_daemon *td, struct fake_fdstore *s, int *used,
				int from_store)
{
	*used = from_store;
	if (!from_store) {
		test_daemon_start(td);
		return;
	}
	fake_fdstore_open(s, td->dir);
	fake_fdstore_start(s, td);
}

void fake_fdstore_fixture_teardown(struct test_daemon *td, struct fake_fdstore *s, int *used)
{
	test_daemon_stop(td);
	if (*used)
		fake_fdstore_close(s);
	*used = 0;
}
