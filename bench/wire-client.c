/* SPDX-License-Identifier: MIT */
/*
 * wire-client.c - the look-up spoken straight in the daemon's wire format
 * (msg/wire.h, man/bootstrap-wire.7), without the library: one datagram
 * out on the connection, one back carrying the port's fd, which is
 * closed.  Its throughput against bootstrapd, next to the epoll floor,
 * is the daemon's share of the look-up's cost; what bootstrap_look_up()
 * costs beyond it is the library's (bench/README.md item 28).
 */
#include "bench.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bootstrap/linux.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"
#include "msg/wire.h"

/* The generated stub's request (bootstrap.defs), its header replaced by the wire's. */
struct look_up2_wire {
	struct wire_hdr hdr;
	char body[sizeof(__Request__look_up2_t) - sizeof(mach_msg_header_t)];
};

/* The answer: a header and one port descriptor, the port's fd beside them. */
#define LOOK_UP2_ANSWER_LEN (sizeof(struct wire_hdr) + sizeof(struct wire_desc))

int wire_client_connect(void)
{
	const char *path = getenv(BOOTSTRAP_ENV_SOCKET);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Request @seq: look_up2(@name) on the bootstrap connection, answer on it too. */
static void build_request(struct look_up2_wire *rq, const char *name, uint16_t seq)
{
	__Request__look_up2_t mig = { .NDR = NDR_record };

	strncpy(mig.servicename, name, sizeof(mig.servicename) - 1);
	rq->hdr = (struct wire_hdr){
		.magic = WIRE_MAGIC, .id = BOOTSTRAP_MSG_LOOK_UP, .seq = seq,
		.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
			WIRE_BITS_ONCONN,
		.body_len = sizeof(rq->body), .data_len = sizeof(rq->body),
	};
	memcpy(rq->body, (const char *)&mig + sizeof(mig.Head), sizeof(rq->body));
}

/*
 * The one fd a whole answer carried, or -1: every fd received is closed
 * unless it is that one.  No SO_PASSCRED on the socket, so no credentials
 * come, as on the library's connection once it knows the daemon.
 */
static int answer_fd(struct msghdr *m)
{
	int fd = -1, count = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		size_t n = c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS ?
			   (c->cmsg_len - CMSG_LEN(0)) / sizeof(int) : 0;

		for (size_t i = 0; i < n; i++, count++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fd >= 0)
				close(fd);
			fd = got;
		}
	}
	if (fd >= 0 && (count != 1 || (m->msg_flags & (MSG_CTRUNC | MSG_TRUNC)))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int wire_look_up(int sock, const char *name, uint16_t seq)
{
	struct look_up2_wire rq;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct wire_hdr answer[4];
	struct iovec iov = { answer, sizeof(answer) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;
	int fd;

	build_request(&rq, name, seq);
	if (send(sock, &rq, sizeof(rq), MSG_NOSIGNAL) != (ssize_t)sizeof(rq))
		return -1;
	n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	fd = n > 0 ? answer_fd(&m) : -1;
	if (fd >= 0)
		close(fd);
	return n == (ssize_t)LOOK_UP2_ANSWER_LEN && fd >= 0 && answer[0].seq == seq ? 0 : -1;
}
