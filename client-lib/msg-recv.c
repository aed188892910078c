/* SPDX-License-Identifier: MIT */
/*
 * msg-recv.c - mach_msg's receive half: wait on a receive right (its R and
 * its send-once queues) or a port set, peek at the datagram to learn its
 * size, dequeue it, validate the framing, and turn fds into names and
 * out-of-line memory into mappings.
 */
#include "msg-recv.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mach/notify.h>

#include "fdpass.h"
#include "msg-rights.h"
#include "port.h"
#include "vm.h"
#include "wire.h"

#define PEEK_LEN (sizeof(struct wire_hdr) + WIRE_MAX_DESC * sizeof(struct wire_desc))
#define RECV_AGAIN 1    /* nothing to take from this fd now */
#define MAX_POLL 64

struct rcv_req {
	mach_msg_header_t *msg;
	mach_msg_option_t option;
	mach_msg_size_t rcv_size;
	size_t trailer_size;
	int timeout_ms;                 /* -1: forever */
	struct timespec deadline;
};

static void fill_trailer(char *at, const struct rcv_req *rq, const struct fdpass_creds *cr)
{
	mach_msg_max_trailer_t t;

	memset(&t, 0, sizeof(t));
	t.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t.msgh_trailer_size = (mach_msg_trailer_size_t)rq->trailer_size;
	if (cr && cr->valid) {
		t.msgh_sender.val[0] = cr->uid;
		t.msgh_sender.val[1] = cr->gid;
		t.msgh_audit.val[0] = cr->uid;
		t.msgh_audit.val[1] = cr->uid;
		t.msgh_audit.val[2] = cr->gid;
		t.msgh_audit.val[3] = cr->uid;
		t.msgh_audit.val[4] = cr->gid;
		t.msgh_audit.val[5] = (unsigned int)cr->pid;
	} else {
		memset(&t.msgh_sender, 0xff, sizeof(t.msgh_sender));
		memset(&t.msgh_audit, 0xff, sizeof(t.msgh_audit));
	}
	memcpy(at, &t, rq->trailer_size);
}

/* MACH_NOTIFY_SEND_ONCE: a send-once right to @name died unused. */
static mach_msg_return_t deliver_send_once_notification(struct rcv_req *rq, mach_port_name_t name)
{
	mach_msg_header_t *h = rq->msg;

	if (rq->rcv_size < sizeof(*h) + rq->trailer_size)
		return MACH_RCV_TOO_LARGE;
	*h = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
		.msgh_size = sizeof(*h),
		.msgh_local_port = name,
		.msgh_id = MACH_NOTIFY_SEND_ONCE,
	};
	fill_trailer((char *)(h + 1), rq, NULL);
	return MACH_MSG_SUCCESS;
}

/* Dequeue and drop one datagram: its rights die with it, as Mach destroys a message. */
static void discard(int fd, size_t len)
{
	int fds[FDPASS_MAX_FDS];
	size_t nfds;
	char *buf = malloc(len ? len : 1);

	if (!buf)
		return;
	fdpass_recv(fd, buf, len, fds, &nfds, NULL, MSG_DONTWAIT);
	fdpass_close_all(fds, nfds);
	free(buf);
}

static mach_msg_return_t too_large(struct rcv_req *rq, int fd, size_t len, size_t user_size,
				   mach_port_name_t name)
{
	if (rq->option & MACH_RCV_LARGE) {
		if (rq->rcv_size >= offsetof(mach_msg_header_t, msgh_remote_port))
			rq->msg->msgh_size = (mach_msg_size_t)user_size;
		if ((rq->option & MACH_RCV_LARGE_IDENTITY) &&
		    rq->rcv_size >= offsetof(mach_msg_header_t, msgh_voucher_port))
			rq->msg->msgh_local_port = name;
		return MACH_RCV_TOO_LARGE;
	}
	discard(fd, len);
	if (rq->rcv_size >= sizeof(mach_msg_header_t) + rq->trailer_size) {
		*rq->msg = (mach_msg_header_t){ .msgh_size = sizeof(mach_msg_header_t),
						.msgh_local_port = name };
		fill_trailer((char *)(rq->msg + 1), rq, NULL);
	}
	return MACH_RCV_TOO_LARGE;
}

static int write_port_desc(char *out, mach_port_name_t name, unsigned int disposition)
{
	mach_msg_port_descriptor_t pd;

	memset(&pd, 0, sizeof(pd));
	pd.name = name;
	pd.disposition = disposition;
	pd.type = MACH_MSG_PORT_DESCRIPTOR;
	memcpy(out, &pd, sizeof(pd));
	return sizeof(pd);
}

static int write_ool_desc(char *out, const struct wire_desc *d, const char *ool, int fd)
{
	mach_msg_ool_descriptor_t od;
	void *addr = NULL;
	int err = 0;

	if (d->size && d->kind == WIRE_OOL_INLINE)
		err = vm_map_copy(ool + d->offset, d->size, &addr);
	else if (d->size)
		err = vm_map_new(fd, 0, d->size, PROT_READ | PROT_WRITE, 1, &addr);
	if (fd >= 0)
		close(fd);
	memset(&od, 0, sizeof(od));
	od.address = err ? NULL : addr;
	od.size = err ? 0 : d->size;
	od.copy = MACH_MSG_VIRTUAL_COPY;
	od.type = d->type;
	memcpy(out, &od, sizeof(od));
	return sizeof(od);
}

/* Descriptors -> the user's layout.  Space lock held.  Takes every fd. */
static size_t translate_descs(char *out, const char *buf, int *fds)
{
	const struct wire_hdr *h = (const void *)buf;
	const struct wire_desc *d = wire_descs(buf);
	const char *ool = wire_body(buf) + h->body_len;
	size_t off = 0, fdi = h->reply_nfds;

	memcpy(out, &h->ndesc, sizeof(mach_msg_size_t));
	off += sizeof(mach_msg_body_t);
	for (uint32_t i = 0; i < h->ndesc; i++) {
		if (d[i].type == MACH_MSG_PORT_DESCRIPTOR) {
			int err = 0;
			mach_port_name_t name = rights_insert(&d[i], fds + fdi, &err);

			off += write_port_desc(out + off, name, d[i].disposition);
		} else {
			off += write_ool_desc(out + off, &d[i], ool, d[i].nfds ? fds[fdi] : -1);
		}
		fdi += d[i].nfds;
	}
	return off;
}

static mach_port_name_t translate_reply(const struct wire_hdr *h, int *fds)
{
	struct wire_desc rd = { .nfds = 1 };
	int err = 0;

	if (!h->reply_nfds)
		return MACH_PORT_NULL;
	rd.kind = MACH_MSGH_BITS_REMOTE(h->bits) == MACH_MSG_TYPE_PORT_SEND_ONCE ?
		WIRE_PORT_SEND_ONCE : WIRE_PORT_SEND;
	return rights_insert(&rd, fds, &err);
}

static void translate(struct rcv_req *rq, const char *buf, int *fds,
		      const struct fdpass_creds *cr, mach_port_name_t name)
{
	const struct wire_hdr *h = (const void *)buf;
	mach_msg_header_t *u = rq->msg;
	size_t off = sizeof(*u);

	space_lock();
	u->msgh_remote_port = translate_reply(h, fds);
	if (h->bits & MACH_MSGH_BITS_COMPLEX)
		off += translate_descs((char *)u + off, buf, fds);
	space_unlock();
	memcpy((char *)u + off, wire_body(buf), h->body_len);
	off += h->body_len;
	u->msgh_bits = h->bits & (MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS_REMOTE_MASK |
				  MACH_MSGH_BITS_LOCAL_MASK);
	u->msgh_size = (mach_msg_size_t)off;
	u->msgh_local_port = name;
	u->msgh_voucher_port = MACH_PORT_NULL;
	u->msgh_id = h->id;
	fill_trailer((char *)u + round_msg(off), rq, cr);
}

/* A zero-length read is end of file only if every sender has gone. */
static bool at_eof(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP))
		return true;
	discard(fd, 0);
	return false;
}

static size_t peeked_user_size(const char *peek, size_t len)
{
	const struct wire_hdr *h = (const void *)peek;

	if (len < sizeof(*h) || h->magic != WIRE_MAGIC || h->ndesc > WIRE_MAX_DESC ||
	    len < sizeof(*h) + h->ndesc * sizeof(struct wire_desc))
		return 0;
	return wire_user_size(peek);
}

static mach_msg_return_t dequeue(struct rcv_req *rq, int fd, size_t len, mach_port_name_t name)
{
	char stack[8192], *buf = len <= sizeof(stack) ? stack : malloc(len);
	int fds[FDPASS_MAX_FDS];
	struct fdpass_creds cr;
	size_t nfds;
	ssize_t got;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	if (!buf)
		return MACH_RCV_TOO_LARGE | MACH_MSG_VM_SPACE;
	got = fdpass_recv(fd, buf, len, fds, &nfds, &cr, MSG_DONTWAIT);
	if (got == -EAGAIN)
		mr = RECV_AGAIN;
	else if (got < 0 || wire_validate(buf, (size_t)got, nfds) < 0 ||
		 wire_user_size(buf) + rq->trailer_size > rq->rcv_size) {
		fdpass_close_all(fds, nfds);
		mr = MACH_RCV_INVALID_DATA;
	} else {
		translate(rq, buf, fds, &cr, name);
	}
	if (buf != stack)
		free(buf);
	return mr;
}

static void remove_queue_fd(struct port *p, int fd)
{
	space_lock();
	for (size_t i = 0; i < p->n_so; i++) {
		if (p->so[i].fd == fd) {
			port_remove_queue(p, i);
			break;
		}
	}
	space_unlock();
}

/*
 * Take one message from @fd, one of @p's queues, if there is one.
 * Return: RECV_AGAIN, or a mach_msg_return_t for the caller.
 */
static mach_msg_return_t try_fd(struct rcv_req *rq, struct port *p, int fd, bool block)
{
	char peek[PEEK_LEN];
	bool is_queue = fd != p->recv_fd;
	ssize_t n = recv(fd, peek, sizeof(peek), MSG_PEEK | MSG_TRUNC | (block ? 0 : MSG_DONTWAIT));
	size_t user_size;
	mach_msg_return_t mr;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? RECV_AGAIN : MACH_RCV_PORT_DIED;
	if (n == 0 && !at_eof(fd))
		return MACH_RCV_INVALID_DATA;
	if (n == 0) {
		if (is_queue) {
			remove_queue_fd(p, fd);
			return deliver_send_once_notification(rq, p->name);
		}
		space_lock();
		p->recv_eof = true;
		space_unlock();
		return RECV_AGAIN;
	}
	user_size = peeked_user_size(peek, (size_t)n < sizeof(peek) ? (size_t)n : sizeof(peek));
	if (user_size == 0) {
		discard(fd, (size_t)n);
		return MACH_RCV_INVALID_DATA;
	}
	if (user_size + rq->trailer_size > rq->rcv_size)
		mr = too_large(rq, fd, (size_t)n, user_size, p->name);
	else
		mr = dequeue(rq, fd, (size_t)n, p->name);
	/* A send-once right carries exactly one message. */
	if (is_queue && mr != RECV_AGAIN && !(mr == MACH_RCV_TOO_LARGE && (rq->option & MACH_RCV_LARGE)))
		remove_queue_fd(p, fd);
	return mr;
}

static int ms_left(const struct rcv_req *rq)
{
	struct timespec now;
	long ms;

	if (rq->timeout_ms < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (rq->deadline.tv_sec - now.tv_sec) * 1000 + (rq->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Snapshot the fds to wait on.  Return: how many. */
static size_t port_pollfds(struct port *p, struct pollfd *pfd)
{
	size_t n = 0;

	space_lock();
	if (p->recv_fd >= 0 && !p->recv_eof)
		pfd[n++] = (struct pollfd){ .fd = p->recv_fd, .events = POLLIN };
	for (size_t i = 0; i < p->n_so && n < MAX_POLL; i++)
		pfd[n++] = (struct pollfd){ .fd = p->so[i].fd, .events = POLLIN };
	space_unlock();
	return n;
}

static mach_msg_return_t receive_port(struct rcv_req *rq, struct port *p)
{
	struct pollfd pfd[MAX_POLL];
	mach_msg_return_t mr = RECV_AGAIN;

	pthread_mutex_lock(&p->rcv_lock);
	while (mr == RECV_AGAIN) {
		size_t n = port_pollfds(p, pfd);
		int ms = ms_left(rq), ready;

		if (p->dead || !(p->type & MACH_PORT_TYPE_RECEIVE)) {
			mr = MACH_RCV_PORT_DIED;
			break;
		}
		if (n == 1 && ms < 0 && pfd[0].fd == p->recv_fd) {
			mr = try_fd(rq, p, pfd[0].fd, true);    /* the common case: one queue */
			continue;
		}
		ready = poll(pfd, n, ms);
		if (ready == 0) {
			mr = MACH_RCV_TIMED_OUT;
			break;
		}
		for (size_t i = 0; ready > 0 && i < n && mr == RECV_AGAIN; i++)
			if (pfd[i].revents)
				mr = try_fd(rq, p, pfd[i].fd, false);
	}
	pthread_mutex_unlock(&p->rcv_lock);
	return mr;
}

/* The member port that an epoll event of a set names, referenced. */
static struct port *set_member(uint64_t data)
{
	struct port *m;

	space_lock();
	m = space_get((mach_port_name_t)(data >> 32));
	if (m && (m->type & MACH_PORT_TYPE_RECEIVE))
		port_ref(m);
	else
		m = NULL;
	space_unlock();
	return m;
}

static mach_msg_return_t receive_set(struct rcv_req *rq, struct port *set)
{
	mach_msg_return_t mr = RECV_AGAIN;

	while (mr == RECV_AGAIN) {
		struct epoll_event ev;
		struct port *m;
		int ready = epoll_wait(set->epfd, &ev, 1, ms_left(rq));

		if (ready == 0)
			return MACH_RCV_TIMED_OUT;
		if (ready < 0 || !(m = set_member(ev.data.u64))) {
			if (!(set->type & MACH_PORT_TYPE_PORT_SET))
				return MACH_RCV_PORT_DIED;
			continue;
		}
		pthread_mutex_lock(&m->rcv_lock);
		mr = try_fd(rq, m, (int)(uint32_t)ev.data.u64, false);
		pthread_mutex_unlock(&m->rcv_lock);
		port_unref(m);
	}
	return mr;
}

mach_msg_return_t msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			      mach_msg_timeout_t timeout)
{
	struct rcv_req rq = { .msg = msg, .option = option, .rcv_size = rcv_size,
			      .trailer_size = REQUESTED_TRAILER_SIZE(option), .timeout_ms = -1 };
	mach_msg_return_t mr;
	struct port *p;

	if (option & MACH_RCV_TIMEOUT) {
		rq.timeout_ms = (int)(timeout > INT32_MAX ? INT32_MAX : timeout);
		clock_gettime(CLOCK_MONOTONIC, &rq.deadline);
		rq.deadline.tv_sec += timeout / 1000;
		rq.deadline.tv_nsec += (long)(timeout % 1000) * 1000000;
		if (rq.deadline.tv_nsec >= 1000000000) {
			rq.deadline.tv_sec++;
			rq.deadline.tv_nsec -= 1000000000;
		}
	}
	space_lock();
	p = space_get(rcv_name);
	if (p && (p->type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET)))
		port_ref(p);
	else
		p = NULL;
	space_unlock();
	if (!p)
		return MACH_RCV_INVALID_NAME;
	mr = (p->type & MACH_PORT_TYPE_PORT_SET) ? receive_set(&rq, p) : receive_port(&rq, p);
	port_unref(p);
	return mr;
}
