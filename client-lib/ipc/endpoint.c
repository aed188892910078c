/* SPDX-License-Identifier: MIT */
#include "endpoint.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire.h"

int endpoint_socketpair(int *r, int *s)
{
	int sv[2], one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		int err = -errno;

		close(sv[0]);
		close(sv[1]);
		return err;
	}
	*r = sv[0];
	*s = sv[1];
	return 0;
}

ino_t endpoint_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

bool endpoint_hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR));
}

void endpoint_close(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
		*fd = -1;
	}
}

int endpoint_queued_bytes(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) < 0 ? 0 : n;
}

/*
 * With SO_PEEK_OFF, a MSG_PEEK|MSG_TRUNC read gives the length of the
 * datagram at that offset, and the next one starts after it.  Messages are
 * never empty (they carry the wire header); a control datagram (an OFFER
 * waiting in R: wire_control()) is a header alone and no message.
 */
unsigned int endpoint_count_datagrams(int fd)
{
	unsigned int n = 0;
	int off = 0, none = -1;
	struct wire_hdr h;
	ssize_t len;

	for (;;) {
		if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)) < 0)
			return endpoint_queued_bytes(fd) > 0;
		h.bits = 0;
		len = recv(fd, &h, sizeof(h), MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (len <= 0 || len > INT_MAX - off)
			break;
		off += (int)len;
		n += !(len == (ssize_t)sizeof(h) && (h.bits & WIRE_CONTROL_BITS));
	}
	setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof(none));
	return n;
}
