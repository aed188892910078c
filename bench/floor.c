/* SPDX-License-Identifier: MIT */
/*
 * floor.c - the floors: the same exchange on raw AF_UNIX SOCK_SEQPACKET
 * sockets, with nothing on top.
 *
 *   look-up: request of FLOOR_LOOKUP_REQ bytes; reply of FLOOR_LOOKUP_REP
 *            bytes carrying one fd (SCM_RIGHTS), which the client closes
 *   call:    request of FLOOR_CALL_REQ bytes; reply of FLOOR_CALL_REP bytes
 *   ..._PAIR: the same, but each request carries the send end of a fresh
 *            socketpair and the reply comes back on it (the reply-port
 *            shape of DESIGN.md, without the library and daemon)
 *   launch:  posix_spawn of bench-service until it writes one byte to an
 *            inherited pipe
 *   load:    read and parse every plist with libxml2, one socketpair per
 *            service (what any daemon holding the names must do)
 *
 * Servers are separate processes, as bootstrapd and the service are.
 */
#include "bench.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "bench-proto.h"

extern char **environ;

static bool is_lookup(enum floor_kind k)
{
	return k == FLOOR_LOOKUP || k == FLOOR_LOOKUP_PAIR;
}

static bool is_pair(enum floor_kind k)
{
	return k == FLOOR_LOOKUP_PAIR || k == FLOOR_CALL_PAIR;
}

static size_t req_len(enum floor_kind k)
{
	return is_lookup(k) ? FLOOR_LOOKUP_REQ : FLOOR_CALL_REQ;
}

static size_t rep_len(enum floor_kind k)
{
	return is_lookup(k) ? FLOOR_LOOKUP_REP : FLOOR_CALL_REP;
}

/* One datagram into @buf; *@fd is the fd it carried, or -1. */
static ssize_t recv_with_fd(int sock, void *buf, size_t len, int *fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);

	*fd = -1;
	c = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

static int send_with_fd(int sock, const void *buf, size_t len, int fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *c;

		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(sock, &msg, flags | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* One reply for the request waiting on @sock; -1 at end of file. */
static int serve_one(enum floor_kind kind, int sock, int give_fd, int flags)
{
	char buf[256];
	int reply_fd, err;
	ssize_t n = recv_with_fd(sock, buf, sizeof(buf), &reply_fd, flags);

	if (n <= 0) {
		if (reply_fd >= 0)
			close(reply_fd);
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
	memset(buf, 0, rep_len(kind));
	if (!is_pair(kind))
		return send_with_fd(sock, buf, rep_len(kind), is_lookup(kind) ? give_fd : -1, 0);
	if (reply_fd < 0)
		return -1;
	err = send_with_fd(reply_fd, buf, rep_len(kind), is_lookup(kind) ? give_fd : -1, MSG_DONTWAIT);
	close(reply_fd);
	return err;
}

static void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

pid_t floor_server_start(enum floor_kind kind, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int sv[2];

		die_with_parent();
		close_except(&fd, 1);
		/* The fd every look-up reply carries: a port's send end. */
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			_exit(1);
		while (serve_one(kind, fd, sv[1], 0) == 0)
			;
		_exit(0);
	}
	return pid;
}

pid_t floor_mux_server_start(enum floor_kind kind, const int *fds, size_t n)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct epoll_event ev[64];
		int *keep = malloc(n * sizeof(int)), ep, sv[2];
		size_t open = n;

		die_with_parent();
		if (!keep)
			_exit(1);
		memcpy(keep, fds, n * sizeof(int));
		close_except(keep, n);
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			_exit(1);
		for (size_t i = 0; i < n; i++) {
			struct epoll_event e = { .events = EPOLLIN, .data.fd = fds[i] };

			fcntl(fds[i], F_SETFL, O_NONBLOCK);
			epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e);
		}
		while (open > 0) {
			int ready = epoll_wait(ep, ev, 64, -1);

			for (int i = 0; i < ready; i++) {
				if (serve_one(kind, ev[i].data.fd, sv[1], MSG_DONTWAIT) < 0) {
					epoll_ctl(ep, EPOLL_CTL_DEL, ev[i].data.fd, NULL);
					close(ev[i].data.fd);
					open--;
				}
			}
		}
		_exit(0);
	}
	return pid;
}

int floor_round_trip(enum floor_kind kind, int fd)
{
	char buf[256];
	int got, sv[2] = { -1, -1 }, rfd = fd;
	ssize_t n;

	memset(buf, 'x', req_len(kind));
	if (is_pair(kind)) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return -1;
		rfd = sv[0];
		if (send_with_fd(fd, buf, req_len(kind), sv[1], 0) < 0) {
			close(sv[0]);
			close(sv[1]);
			return -1;
		}
		close(sv[1]);
	} else if (send(fd, buf, req_len(kind), MSG_NOSIGNAL) != (ssize_t)req_len(kind)) {
		return -1;
	}
	n = recv_with_fd(rfd, buf, sizeof(buf), &got, 0);
	if (sv[0] >= 0)
		close(sv[0]);
	if (got >= 0)
		close(got);
	return n == (ssize_t)rep_len(kind) && (got >= 0) == is_lookup(kind) ? 0 : -1;
}

int floor_spawn_once(const char *program, uint64_t *ns)
{
	posix_spawn_file_actions_t fa;
	int p[2], status;
	char fdarg[16], c;
	char *argv[] = { (char *)program, "byte", fdarg, NULL };
	uint64_t t0;
	pid_t pid;
	int err;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	snprintf(fdarg, sizeof(fdarg), "%d", 3);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 3);
	t0 = now_ns();
	err = posix_spawn(&pid, program, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (err) {
		close(p[0]);
		return -1;
	}
	err = read(p[0], &c, 1) == 1 ? 0 : -1;
	*ns = now_ns() - t0;
	close(p[0]);
	waitpid(pid, &status, 0);
	return err;
}

/*
 * The load floor: parse each plist, in this process.  A declared port
 * costs no fd until used, so the daemon makes no socketpair at load and
 * neither does the floor.
 */
int floor_load(const char *jobs_dir, double *seconds)
{
	uint64_t t0 = now_ns();
	DIR *d = opendir(jobs_dir);
	struct dirent *e;
	int err = 0;

	if (!d)
		return -1;
	xmlInitParser();
	while ((e = readdir(d))) {
		char path[8192];
		xmlDocPtr doc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", jobs_dir, e->d_name);
		doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
		if (!doc) {
			err = -1;
			continue;
		}
		xmlFreeDoc(doc);
	}
	closedir(d);
	*seconds = (double)(now_ns() - t0) / 1e9;
	return err;
}
