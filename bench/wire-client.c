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

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "msg/wire.h"

#define WIRE_LOOK_UP2 404       /* bootstrap.defs: look_up2 */

/* look_up2's request body, as bootstrap.defs lays it out. */
#pragma pack(push, 4)
struct look_up2_body {
	NDR_record_t ndr;
	name_t name;
	int32_t target_pid;
	uint64_t flags;
};
#pragma pack(pop)

struct look_up2_wire {
	struct wire_hdr hdr;
	struct look_up2_body body;
};

/* Its answer: a header, one port descriptor, the port's fd. */
#define LOOK_UP2_ANSWER_LEN (sizeof(struct wire_hdr) + sizeof(struct wire_desc))

int wire_client_connect(void)
{
	const char *path = getenv("BOOTSTRAP_SOCKET");
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

/* The fd an answer carried, or -1 when it carried none. */
static int answer_fd(struct msghdr *m)
{
	int fd = -1;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

int wire_look_up(int sock, const char *name, uint16_t seq)
{
	struct look_up2_wire rq = {
		.hdr = { .magic = WIRE_MAGIC, .id = WIRE_LOOK_UP2, .seq = seq,
			 .bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
				 WIRE_BITS_ONCONN,
			 .body_len = sizeof(struct look_up2_body),
			 .data_len = sizeof(struct look_up2_body) },
		.body = { .ndr = NDR_record },
	};
	union {
		char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	struct wire_hdr answer[4];
	struct iovec iov = { answer, sizeof(answer) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;
	int fd;

	strncpy(rq.body.name, name, sizeof(rq.body.name) - 1);
	if (send(sock, &rq, sizeof(rq), MSG_NOSIGNAL) != (ssize_t)sizeof(rq))
		return -1;
	n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	fd = n > 0 ? answer_fd(&m) : -1;
	if (fd >= 0)
		close(fd);
	return n == (ssize_t)LOOK_UP2_ANSWER_LEN && fd >= 0 && answer[0].seq == seq ? 0 : -1;
}
