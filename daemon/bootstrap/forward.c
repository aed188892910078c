/* SPDX-License-Identifier: MIT */
/* forward.c - look-ups passed to the parent domain (forward.h). */
#include "forward.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"
#include "ipc.h"
#include "log.h"
#include "log-limit.h"

struct forwarder {
	char *path;
	int fd;                 /* the connection to the parent, or -1 */
};

struct forwarder *forwarder_new(const char *path)
{
	struct forwarder *f = calloc(1, sizeof(*f));

	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	f->fd = -1;
	return f;
}

void forwarder_free(struct forwarder *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

/* The connection to the parent, made on first use.  Return: 0 or -errno. */
static int parent_connect(struct forwarder *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (f->fd >= 0)
		return 0;
	if (strlen(f->path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, f->path);
	f->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (f->fd < 0)
		return -errno;
	if (connect(f->fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return 0;
	close(f->fd);
	f->fd = -1;
	return -errno;
}

/* The look-up on the wire, its reply right @reply (borrowed). */
static int send_look_up(struct forwarder *f, const struct ipc_request *rq, const char *name,
			pid_t target_pid, uint64_t flags)
{
	__Request__look_up2_t req;
	const size_t body = sizeof(req) - sizeof(req.Head);
	struct wire_hdr h = {
		.magic = WIRE_MAGIC,
		.bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(rq->hdr->bits),
				       MACH_MSG_TYPE_PORT_SEND),
		.id = BOOTSTRAP_MSG_LOOK_UP,
		.nfds = 1,
		.reply_nfds = 1,
		.body_len = (uint32_t)body,
		.data_len = (uint32_t)body,
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { (char *)&req + sizeof(req.Head), body } };

	memset(&req, 0, sizeof(req));
	req.NDR = NDR_record;
	strncpy(req.servicename, name, sizeof(req.servicename) - 1);
	req.targetpid = target_pid;
	req.flags = flags;
	return fdpass_send(f->fd, iov, 2, &rq->reply_fd, 1, MSG_DONTWAIT);
}

kern_return_t forwarder_look_up(struct forwarder *f, struct ipc_request *rq, const char *name,
				pid_t target_pid, uint64_t flags)
{
	int err;

	/* No reply right to pass on (the caller waits on its connection): the
	 * demux asks it to send the look-up again with one. */
	if (rq->reply_fd < 0 && rq->conn_fd >= 0)
		return MIG_NO_REPLY;
	err = parent_connect(f);
	if (err < 0 || rq->reply_fd < 0)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	err = send_look_up(f, rq, name, target_pid, flags);
	if (err == -EPIPE || err == -ECONNRESET || err == -ENOTCONN) {
		/* The parent restarted since: one more try on a new connection. */
		close(f->fd);
		f->fd = -1;
		err = parent_connect(f);
		if (err == 0)
			err = send_look_up(f, rq, name, target_pid, flags);
	}
	if (err < 0) {
		log_warnx_limited("cannot ask the system domain at %s: %s", f->path, strerror(-err));
		if (f->fd >= 0)
			close(f->fd);
		f->fd = -1;
		return BOOTSTRAP_UNKNOWN_SERVICE;
	}
	/* The parent has its own copy of the reply right: it answers. */
	close(rq->reply_fd);
	rq->reply_fd = -1;
	return MIG_NO_REPLY;
}
