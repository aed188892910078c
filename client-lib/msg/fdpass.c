/* SPDX-License-Identifier: MIT */
#include "fdpass.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CMSG_SPACE_FDS CMSG_SPACE(sizeof(int) * FDPASS_MAX_FDS)
#define CMSG_SPACE_CREDS CMSG_SPACE(sizeof(struct ucred))

void fdpass_close_all(const int *fds, size_t n)
{
	int saved = errno;

	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	errno = saved;
}

int fdpass_send(int sock, const struct iovec *iov, int iovcnt,
		const int *fds, size_t nfds, int flags)
{
	union {
		char buf[CMSG_SPACE_FDS];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = {
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = (size_t)iovcnt,
	};

	if (nfds > FDPASS_MAX_FDS)
		return -E2BIG;
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	for (;;) {
		if (sendmsg(sock, &msg, flags | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

/* Take the fds of one SCM_RIGHTS cmsg; close those that do not fit. */
static int take_rights(const struct cmsghdr *c, int *fds, size_t *nfds)
{
	size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	const unsigned char *data = CMSG_DATA(c);
	int overflow = 0;

	for (size_t i = 0; i < n; i++) {
		int fd;

		memcpy(&fd, data + i * sizeof(int), sizeof(int));
		if (*nfds < FDPASS_MAX_FDS) {
			fds[(*nfds)++] = fd;
		} else {
			close(fd);
			overflow = 1;
		}
	}
	return overflow ? -EPROTO : 0;
}

static int parse_control(struct msghdr *msg, int *fds, size_t *nfds,
			 struct fdpass_creds *creds)
{
	int err = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET) {
			err = -EPROTO;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			if (take_rights(c, fds, nfds) < 0)
				err = -EPROTO;
		} else if (c->cmsg_type == SCM_CREDENTIALS &&
			   c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			if (creds)
				/* pid 0: the kernel attached no credentials (none were asked for in time). */
				*creds = (struct fdpass_creds){ uc.pid != 0, uc.pid, uc.uid, uc.gid, true };
		} else {
			err = -EPROTO;
		}
	}
	return err;
}

ssize_t fdpass_discard(int sock, struct fdpass_creds *creds)
{
	int fds[FDPASS_MAX_FDS];
	char buf[64];   /* a datagram leaves the queue whole, however little is read */
	size_t nfds;
	ssize_t n = fdpass_recv(sock, buf, sizeof(buf), fds, &nfds, creds, MSG_DONTWAIT);

	if (n >= 0)
		fdpass_close_all(fds, nfds);
	return n;
}

unsigned int fdpass_drain(int sock, unsigned int max)
{
	struct fdpass_creds cr;
	unsigned int n = 0;

	while (n < max) {
		ssize_t len = fdpass_discard(sock, &cr);

		if (len == -EAGAIN || (len == 0 && !cr.present) ||
		    (len < 0 && len != -EMSGSIZE && len != -EPROTO))
			break;  /* empty, end of file, or an error that will not pass */
		n++;
	}
	return n;
}

ssize_t fdpass_recv(int sock, void *buf, size_t len, int *fds, size_t *nfds,
		    struct fdpass_creds *creds, int flags)
{
	union {
		char buf[CMSG_SPACE_FDS + CMSG_SPACE_CREDS];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;
	int err;

	*nfds = 0;
	if (creds)
		creds->valid = creds->present = false;
	do
		n = recvmsg(sock, &msg, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	err = parse_control(&msg, fds, nfds, creds);
	if (!err && (msg.msg_flags & MSG_CTRUNC))
		err = -EPROTO;
	if (!err && (msg.msg_flags & MSG_TRUNC))
		err = -EMSGSIZE;
	if (err) {
		fdpass_close_all(fds, *nfds);
		*nfds = 0;
		return err;
	}
	return n;
}

/* Room for the credentials only: the kernel then installs none of the fds. */
ssize_t fdpass_peek(int sock, void *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE_CREDS];
		struct cmsghdr align;
	} ctl;
	char dummy;
	struct iovec iov = { .iov_base = buf ? buf : &dummy, .iov_len = buf ? len : 0 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	bool creds = false;
	ssize_t n;

	do
		n = recvmsg(sock, &msg, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS)
			creds = true;
		else if (c->cmsg_type == SCM_RIGHTS)    /* not expected; never leak them */
			fdpass_close_all((const int *)CMSG_DATA(c),
					 (c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	}
	return n == 0 && !creds ? -ENODATA : n;
}
