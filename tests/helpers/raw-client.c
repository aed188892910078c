/* SPDX-License-Identifier: MIT */
#include "raw-client.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <mach/notify.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"

#define RAW_MAX_FDS 253         /* Linux's SCM_MAX_FD */

int raw_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return -errno;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

ssize_t raw_send_flags(int fd, const void *buf, size_t len, const int *fds, size_t nfds,
		       int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * RAW_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > RAW_MAX_FDS)
		return -E2BIG;
	if (nfds) {
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
	n = sendmsg(fd, &msg, flags);
	return n < 0 ? -errno : n;
}

ssize_t raw_send(int fd, const void *buf, size_t len, const int *fds, size_t nfds)
{
	return raw_send_flags(fd, buf, len, fds, nfds, MSG_NOSIGNAL);
}

union raw_reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	__Reply__look_up2_t port;
	char buf[sizeof(mig_reply_error_t) + sizeof(__Reply__look_up2_t) + MAX_TRAILER_SIZE];
};

/* Send @req with a fresh reply port and wait for the reply.  Return: what mach_msg() said. */
static mach_msg_return_t call(mach_port_t bp, mach_msg_header_t *req, mach_msg_size_t size,
			      mach_msg_timeout_t timeout_ms, union raw_reply *rep)
{
	mach_port_t reply;
	mach_msg_return_t mr;

	mr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	if (mr != KERN_SUCCESS)
		return mr;
	req->msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->msgh_remote_port = bp;
	req->msgh_local_port = reply;
	mr = mach_msg(req, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL,
		      timeout_ms, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		mr = mach_msg(&rep->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*rep), reply,
			      timeout_ms, MACH_PORT_NULL);
	mach_port_destroy(mach_task_self(), reply);
	return mr;
}

kern_return_t raw_look_up(mach_port_t bp, const char *name, mach_msg_timeout_t timeout_ms,
			  mach_port_t *port)
{
	union {
		__Request__look_up2_t req;
		union raw_reply rep;
	} m;
	mach_msg_return_t mr;

	*port = MACH_PORT_NULL;
	memset(&m, 0, sizeof(m));
	m.req.Head.msgh_id = BOOTSTRAP_MSG_LOOK_UP;
	m.req.NDR = NDR_record;
	strncpy(m.req.servicename, name, sizeof(m.req.servicename) - 1);
	mr = call(bp, &m.req.Head, sizeof(m.req), timeout_ms, &m.rep);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (m.rep.head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (m.rep.head.msgh_id != BOOTSTRAP_MSG_LOOK_UP + BOOTSTRAP_MSG_REPLY_OFFSET)
		return MIG_REPLY_MISMATCH;
	if (!MACH_MSGH_BITS_IS_COMPLEX(m.rep.head.msgh_bits))
		return m.rep.error.RetCode == KERN_SUCCESS ? MIG_TYPE_ERROR : m.rep.error.RetCode;
	*port = m.rep.port.serviceport.name;
	return KERN_SUCCESS;
}

mach_msg_return_t raw_send_look_up(mach_port_t bp, mach_port_t reply, const char *name)
{
	__Request__look_up2_t req;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.Head.msgh_remote_port = bp;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_id = BOOTSTRAP_MSG_LOOK_UP;
	req.NDR = NDR_record;
	strncpy(req.servicename, name, sizeof(req.servicename) - 1);
	return mach_msg(&req.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(req), 0,
			MACH_PORT_NULL, 10000, MACH_PORT_NULL);
}

mach_msg_return_t raw_call_id(mach_port_t bp, mach_msg_id_t id, mach_msg_timeout_t timeout_ms,
			      mach_msg_id_t *reply_id, kern_return_t *ret)
{
	union {
		struct {
			mach_msg_header_t head;
			NDR_record_t ndr;
		} req;
		union raw_reply rep;
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.req.head.msgh_id = id;
	m.req.ndr = NDR_record;
	mr = call(bp, &m.req.head, sizeof(m.req), timeout_ms, &m.rep);
	if (mr == MACH_MSG_SUCCESS) {
		*reply_id = m.rep.head.msgh_id;
		*ret = m.rep.error.RetCode;
	}
	return mr;
}

int raw_fd_count(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int raw_wait_fd_count(pid_t pid, int want, int bound_ms)
{
	int n = raw_fd_count(pid);

	for (int waited = 0; n != want && waited < bound_ms; waited += 10) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		n = raw_fd_count(pid);
	}
	return n;
}
