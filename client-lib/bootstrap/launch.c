/* SPDX-License-Identifier: MIT */
/*
 * launch.c - launch_activate_socket(): one request on the inherited
 * bootstrap port, one reply carrying the sockets (launch-proto.h).
 *
 * It speaks the wire format directly rather than through mach_msg(): the
 * reply's descriptors are sockets, not ports, and must reach the caller
 * as plain fds, never as names in the IPC space.
 */
#include <launch.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bootstrap/linux.h>

#include "fdpass.h"
#include "launch-proto.h"
#include "wire.h"

#define EXPORT __attribute__((visibility("default")))

/* Room for the largest reply: every descriptor the wire allows, NDR and a code. */
#define REPLY_MAX (sizeof(struct wire_hdr) + WIRE_MAX_DESC * sizeof(struct wire_desc) + 64)

struct activate_request {
	NDR_record_t ndr;
	name_t name;
};

/* The bootstrap port this process inherited from bootstrapd, or -1. */
static int inherited_fd(void)
{
	const char *s = getenv(BOOTSTRAP_ENV_FD);
	int type;
	socklen_t len = sizeof(type);
	char *end;
	long fd;

	if (!s || !*s)
		return -1;
	fd = strtol(s, &end, 10);
	if (*end || fd < 0 || fd > 65535 ||
	    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return -1;
	return (int)fd;
}

/* Send the request with @reply_s as its send-once reply right. */
static int send_request(int bfd, const char *name, int reply_s)
{
	struct activate_request body = { .ndr = NDR_record };
	struct wire_hdr h = {
		.magic = WIRE_MAGIC,
		.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
		.id = LAUNCH_MSG_ACTIVATE_SOCKET,
		.nfds = 1,
		.reply_nfds = 1,
		.body_len = sizeof(body),
		.data_len = sizeof(body),
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { &body, sizeof(body) } };

	strcpy(body.name, name);
	return fdpass_send(bfd, iov, 2, &reply_s, 1, 0);
}

/* A refusal's code: errno values as launch-proto.h says; anything else is the daemon's. */
static int refusal(kern_return_t kr)
{
	if (kr > 0 && kr < 4096)
		return (int)kr;
	if (kr == BOOTSTRAP_NOT_PRIVILEGED)
		return EPERM;
	if (kr == MIG_BAD_ID)
		return ENOTSUP;         /* a daemon without socket activation */
	return EPROTO;
}

/* Take the sockets out of a validated reply: every fd but the returned reply right. */
static int take_fds(const char *buf, const int *rfds, size_t nrfds, int **fds, size_t *cnt)
{
	const struct wire_hdr *h = (const void *)buf;
	const struct wire_desc *d = wire_descs(buf);
	size_t n = h->ndesc;
	int *out;

	for (size_t i = 0; i < n; i++)
		if (d[i].type != MACH_MSG_PORT_DESCRIPTOR || d[i].kind != WIRE_PORT_SEND)
			return EPROTO;
	if (n == 0 || nrfds < n || !(out = malloc(n * sizeof(*out))))
		return n == 0 || nrfds < n ? EPROTO : ENOMEM;
	memcpy(out, rfds, n * sizeof(*out));
	*fds = out;
	*cnt = n;
	return 0;
}

static int read_reply(int r, int **fds, size_t *cnt)
{
	_Alignas(8) char buf[REPLY_MAX];
	int rfds[FDPASS_MAX_FDS];
	size_t nrfds = 0;
	const struct wire_hdr *h = (const void *)buf;
	ssize_t len;
	int err;

	do
		len = fdpass_recv(r, buf, sizeof(buf), rfds, &nrfds, NULL, 0);
	while (len == -EINTR);
	if (len == 0)
		return ESRCH;           /* the daemon closed the reply right unanswered */
	if (len < 0)
		return (int)-len;
	if (wire_validate(buf, (size_t)len, nrfds) < 0 ||
	    h->id != LAUNCH_MSG_ACTIVATE_SOCKET + BOOTSTRAP_MSG_REPLY_OFFSET ||
	    h->body_len < sizeof(NDR_record_t) + sizeof(kern_return_t)) {
		err = EPROTO;
	} else if (!(h->bits & MACH_MSGH_BITS_COMPLEX)) {
		kern_return_t kr;

		memcpy(&kr, wire_body(buf) + sizeof(NDR_record_t), sizeof(kr));
		err = kr == KERN_SUCCESS ? EPROTO : refusal(kr);
	} else {
		err = take_fds(buf, rfds, nrfds, fds, cnt);
		if (err == 0)
			nrfds -= *cnt;  /* only the returned reply right is left to close */
		if (err == 0)
			memmove(rfds, rfds + *cnt, nrfds * sizeof(*rfds));
	}
	fdpass_close_all(rfds, nrfds);
	return err;
}

EXPORT int launch_activate_socket(const char *name, int **fds, size_t *cnt)
{
	int bfd, sv[2], err;

	if (!name || !fds || !cnt || !memchr(name, '\0', sizeof(name_t)))
		return EINVAL;
	bfd = inherited_fd();
	if (bfd < 0)
		return ESRCH;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	err = -send_request(bfd, name, sv[1]);
	/* The daemon holds its own copy of the reply right now: ours goes, so
	 * that its death (or a dropped request) reads as end of file. */
	close(sv[1]);
	if (err == EPIPE || err == ECONNRESET)
		err = ESRCH;
	if (err == 0)
		err = read_reply(sv[0], fds, cnt);
	close(sv[0]);
	return err;
}
