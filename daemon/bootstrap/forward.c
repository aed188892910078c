/* SPDX-License-Identifier: MIT */
/*
 * forward.c - look-ups passed to the parent domain (forward.h).
 *
 * Each forwarded look-up is one request on the forwarder's connection,
 * with a send-once reply right the forwarder made (a socketpair: it keeps
 * R, the parent gets S); the reply is read when R turns readable.  End of
 * file on R (the parent went away without answering) answers the client
 * BOOTSTRAP_UNKNOWN_SERVICE.
 */
#include "forward.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "bootstrap-mig.h"
#include "bootstrap-proto.h"
#include "ipc.h"
#include "log.h"

struct pending {
	struct forwarder *f;
	struct pending *next;
	struct event *ev;       /* R readable: the parent answered */
	int reply_r;            /* the forwarder's reply right (R) */
	struct ipc_request client; /* only its header, reply right and id */
};

struct forwarder {
	struct event_base *base;
	char *path;
	int fd;                 /* the connection to the parent, or -1 */
	struct pending *pending;
};

struct forwarder *forwarder_new(struct event_base *base, const char *path)
{
	struct forwarder *f = calloc(1, sizeof(*f));

	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	f->base = base;
	f->fd = -1;
	return f;
}

static void pending_free(struct pending *p)
{
	struct pending **pp = &p->f->pending;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	if (p->ev)
		event_free(p->ev);
	close(p->reply_r);
	ipc_request_release(&p->client);
	free(p);
}

void forwarder_free(struct forwarder *f)
{
	if (!f)
		return;
	while (f->pending) {
		ipc_reply_error(&f->pending->client, MIG_SERVER_DIED);
		pending_free(f->pending);
	}
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

/* The look-up on the wire, its reply right the send end @reply_s. */
static int send_look_up(struct forwarder *f, const char *name, uint64_t flags, int reply_s)
{
	__Request__look_up2_t req;
	const size_t body = sizeof(req) - sizeof(req.Head);
	struct wire_hdr h = {
		.magic = WIRE_MAGIC,
		.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND),
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
	req.flags = flags;
	return fdpass_send(f->fd, iov, 2, &reply_s, 1, MSG_DONTWAIT);
}

/* The parent's answer: the client gets the send right, or the parent's error. */
static void answer(struct pending *p, const struct ipc_request *rep, int n)
{
	struct wire_hdr h = { .bits = MACH_MSGH_BITS_COMPLEX, .ndesc = 1 };
	struct wire_desc d = { .type = MACH_MSG_PORT_DESCRIPTOR,
			       .disposition = MACH_MSG_TYPE_PORT_SEND,
			       .kind = WIRE_PORT_SEND, .nfds = 1 };
	bool ours = n == 1 && rep->hdr->id == BOOTSTRAP_MSG_LOOK_UP + BOOTSTRAP_MSG_REPLY_OFFSET;
	kern_return_t ret;
	int fd;

	if (ours && rep->hdr->ndesc == 1 && rep->desc[0].kind == WIRE_PORT_SEND &&
	    (fd = rep->fds[rep->hdr->reply_nfds]) >= 0) {
		ipc_reply_msg(&p->client, &h, &d, NULL, 0, &fd, 1);
		return;
	}
	if (ours && !rep->hdr->ndesc && rep->body_len == sizeof(NDR_record_t) + sizeof(ret)) {
		memcpy(&ret, rep->body + sizeof(NDR_record_t), sizeof(ret));
		ipc_reply_error(&p->client, ret);
		return;
	}
	ipc_reply_error(&p->client, BOOTSTRAP_UNKNOWN_SERVICE);
}

static void on_reply(evutil_socket_t fd, short what, void *arg)
{
	struct pending *p = arg;
	static struct ipc_request rep;
	int n = ipc_recv((int)fd, &rep);

	(void)what;
	if (n == -EAGAIN)
		return;
	if (n != 1)
		log_warnx("the system domain did not answer a forwarded look-up (%s)",
			  n == 0 ? "end of file" : strerror(-n));
	answer(p, &rep, n);
	if (n == 1)
		ipc_request_release(&rep);
	pending_free(p);
}

/* A pending look-up for @rq, its reply right taken; *@reply_s the parent's. */
static struct pending *pending_new(struct forwarder *f, struct ipc_request *rq, int *reply_s)
{
	struct pending *p = calloc(1, sizeof(*p));
	int sv[2], one = 1;

	if (!p)
		return NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0) {
		free(p);
		return NULL;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	p->f = f;
	p->reply_r = sv[0];
	*reply_s = sv[1];
	memcpy(p->client.buf, rq->hdr, sizeof(*rq->hdr));
	p->client.hdr = (const void *)p->client.buf;
	p->client.reply_fd = -1;
	p->next = f->pending;
	f->pending = p;
	p->ev = event_new(f->base, p->reply_r, EV_READ | EV_PERSIST, on_reply, p);
	if (!p->ev || event_add(p->ev, NULL) < 0) {
		close(*reply_s);
		pending_free(p);
		return NULL;
	}
	return p;
}

kern_return_t forwarder_look_up(struct forwarder *f, struct ipc_request *rq, const char *name,
				uint64_t flags)
{
	struct pending *p;
	int reply_s, err = parent_connect(f);

	if (err < 0 || rq->reply_fd < 0)
		return BOOTSTRAP_UNKNOWN_SERVICE;
	p = pending_new(f, rq, &reply_s);
	if (!p)
		return BOOTSTRAP_NO_MEMORY;
	err = send_look_up(f, name, flags, reply_s);
	close(reply_s);
	if (err < 0) {
		log_warnx("cannot ask the system domain at %s: %s", f->path, strerror(-err));
		close(f->fd);   /* reconnect next time */
		f->fd = -1;
		pending_free(p);
		return BOOTSTRAP_UNKNOWN_SERVICE;
	}
	p->client.reply_fd = rq->reply_fd;
	rq->reply_fd = -1;
	return MIG_NO_REPLY;
}
