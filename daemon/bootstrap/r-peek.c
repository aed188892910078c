/* SPDX-License-Identifier: MIT */
#include "r-peek.h"

#include <linux/sockios.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* Who sent the datagram whose control messages @m holds; fds that came closed. */
static struct r_peeked sender_and_close_fds(struct msghdr *m)
{
	struct r_peeked who = { 0, 0 };

	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cr;

			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			who.pid = cr.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t k = 0; k < n; k++) {
				int fd;

				memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(int));
				close(fd);
			}
			who.nfds += n;
		}
	}
	if (m->msg_flags & MSG_CTRUNC)
		who.nfds++;     /* more than came: not none, whatever the count */
	return who;
}

ssize_t r_peek_at(int r, int off, struct wire_hdr *h, struct r_peeked *who)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = h, .iov_len = sizeof(*h) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			    .msg_controllen = sizeof(ctl.buf) };
	ssize_t len;

	*who = (struct r_peeked){ 0, 0 };
	if (setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)) < 0)
		return -1;
	memset(h, 0, sizeof(*h));
	len = recvmsg(r, &m, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (len >= 0)
		*who = sender_and_close_fds(&m);
	return len;
}

/*
 * Whether @r holds a header's length in all, as a lone WAKE does.  For a
 * SOCK_SEQPACKET socket SIOCINQ counts every byte queued, whatever peek
 * offset the receiver left: most exits leave R empty, and this one call
 * says so.
 */
static bool holds_a_header(int r)
{
	int len = 0;

	return ioctl(r, SIOCINQ, &len) == 0 && len == (int)sizeof(struct wire_hdr);
}

void r_drop_lone_wake(int r)
{
	struct r_peeked who;
	struct wire_hdr h;
	int none = -1;
	ssize_t len;

	if (r < 0 || !holds_a_header(r))
		return;
	len = r_peek_at(r, 0, &h, &who);
	if (len >= 0 && wire_control(&h, (size_t)len, who.nfds) == WIRE_CTL_WAKE)
		recv(r, &h, sizeof(h), MSG_DONTWAIT);
	setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof(none));
}
