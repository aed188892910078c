/* SPDX-License-Identifier: MIT */
/*
 * msg-deliver.c - a dequeued datagram checked and turned into the
 * caller's message (msg-deliver.h).
 */
#include "msg-deliver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>

#include "deadline.h"
#include "msg-audit.h"
#include "msg-descs.h"
#include "msg-rights.h"
#include "port.h"

/* What the trailer tells of the port a message was dequeued from. */
struct rcv_port_info {
	mach_port_seqno_t seqno;        /* XNU's msgh_seqno */
	mach_port_context_t context;    /* the port's context as it was dequeued (msgh_context) */
};

/* The dequeued message's sequence number and its port's context.  Space lock held. */
static struct rcv_port_info port_info_locked(struct port *p)
{
	struct rcv_port_info pi = { .seqno = port_next_seqno(p) };

	if (p->kind == PORT_KIND_RECEIVE)
		pi.context = p->u.recv.context;
	return pi;
}

static struct rcv_port_info take_port_info(const struct rcv_req *rq)
{
	struct rcv_port_info pi;

	space_lock();
	pi = port_info_locked(rq->port);
	space_unlock();
	return pi;
}

/*
 * The trailer as far as the receiver asked (REQUESTED_TRAILER_SIZE), its
 * size field saying so, as XNU fills it: msgh_context is the port's
 * context (mach_port_set_context(), or its guard) when the message left it.
 */
static void fill_trailer(char *at, const struct rcv_req *rq, const struct fdpass_creds *cr,
			 struct rcv_port_info pi)
{
	mach_msg_max_trailer_t t;

	memset(&t, 0, sizeof(t));
	t.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t.msgh_trailer_size = (mach_msg_trailer_size_t)rq->trailer_size;
	t.msgh_seqno = pi.seqno;
	t.msgh_context = pi.context;
	audit_fill_tokens(&t, cr);
	memcpy(at, &t, rq->trailer_size);
}

bool rcv_dgram_eof(const struct rcv_dgram *d)
{
	return d->len == 0 && !d->cr.present && d->nfds == 0;
}

bool rcv_is_control(const struct rcv_dgram *d)
{
	return d->len > 0 && wire_control(d->buf, (size_t)d->len, d->nfds) != WIRE_CTL_NONE;
}

int rcv_ms_left(const struct rcv_req *rq)
{
	return rq->timeout_ms < 0 ? -1 : deadline_left_ms(&rq->deadline);
}

mach_msg_return_t rcv_send_once_notice(struct rcv_req *rq, mach_port_name_t name)
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
	fill_trailer((char *)(h + 1), rq, NULL, take_port_info(rq));
	return MACH_MSG_SUCCESS;
}

bool rcv_take_channel(struct rcv_req *rq, const struct rcv_dgram *d)
{
	const struct wire_hdr *h = (const void *)d->buf;
	struct port_chan *c = NULL;

	rq->from_chan = false;
	if ((size_t)d->len < sizeof(*h) || !(h->bits & WIRE_BITS_CHAN))
		return true;
	if ((h->bits & (WIRE_BITS_ONCONN | WIRE_CONTROL_BITS)) != WIRE_BITS_ONCONN ||
	    h->reply_nfds || !h->seq || !d->cr.present)
		return false;
	space_lock();
	c = port_channel_of(rq->port, d->cr.pid);
	if (c) {
		c->last_seq = h->seq;
		rq->chan_fd = port_chan_copy(c);
		rq->chan_ino = c->ino;
		rq->from_chan = rq->chan_fd >= 0;
		if (!rq->from_chan)
			port_chan_call_died(c->fd, h->seq);     /* no fd for its reply right */
	}
	space_unlock();
	return rq->from_chan;
}

void rcv_chan_release(struct rcv_req *rq)
{
	if (rq->from_chan && rq->chan_fd >= 0)
		close(rq->chan_fd);
	rq->from_chan = false;
	rq->chan_fd = -1;
}

void rcv_chan_call_destroyed(const struct rcv_req *rq, const struct wire_hdr *h)
{
	if (rq->from_chan && rq->chan_fd >= 0)
		port_chan_call_died(rq->chan_fd, h->seq);
}

mach_msg_return_t rcv_too_large_destroyed(struct rcv_req *rq, mach_port_name_t name,
					  const struct wire_hdr *h)
{
	rcv_chan_call_destroyed(rq, h);
	if (rq->rcv_size >= sizeof(mach_msg_header_t) + rq->trailer_size) {
		/* As xnu: the header stays, its id and types; the reply right
		 * was destroyed with the rest (a dead one stays dead). */
		*rq->msg = (mach_msg_header_t){
			.msgh_bits = h->bits & (MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS_REMOTE_MASK |
						MACH_MSGH_BITS_LOCAL_MASK),
			.msgh_size = sizeof(mach_msg_header_t),
			.msgh_remote_port = (h->bits & WIRE_BITS_REPLY_DEAD) ? MACH_PORT_DEAD :
									      MACH_PORT_NULL,
			.msgh_local_port = name,
			.msgh_id = h->id,
		};
		fill_trailer((char *)(rq->msg + 1), rq, NULL, take_port_info(rq));
	}
	return MACH_RCV_TOO_LARGE;
}

mach_msg_return_t rcv_too_large(struct rcv_req *rq, int fd, const struct wire_hdr *h,
				size_t user_size, mach_port_name_t name)
{
	if (rq->option & MACH_RCV_LARGE) {
		if (rq->rcv_size >= offsetof(mach_msg_header_t, msgh_remote_port))
			rq->msg->msgh_size = (mach_msg_size_t)user_size;
		if ((rq->option & MACH_RCV_LARGE_IDENTITY) &&
		    rq->rcv_size >= offsetof(mach_msg_header_t, msgh_voucher_port))
			rq->msg->msgh_local_port = name;
		return MACH_RCV_TOO_LARGE;
	}
	fdpass_discard(fd, NULL);       /* its rights die with it, as Mach destroys it */
	return rcv_too_large_destroyed(rq, name, h);
}

static mach_port_name_t translate_reply(struct rcv_req *rq, const struct wire_hdr *h, int *fds)
{
	struct wire_desc rd = { .nfds = 1 };
	int err = 0;

	/* A channel call: its reply right is an answer up the channel, on the
	 * copy of B the delivery took. */
	if (rq->from_chan) {
		int b = rq->chan_fd;

		rq->chan_fd = -1;
		rq->from_chan = false;
		return rights_insert_chan_reply(rq->port, b, rq->chan_ino, h->seq);
	}
	if (!h->reply_nfds)
		return (h->bits & WIRE_BITS_REPLY_DEAD) ? MACH_PORT_DEAD : MACH_PORT_NULL;
	rd.kind = MACH_MSGH_BITS_REMOTE(h->bits) == MACH_MSG_TYPE_PORT_SEND_ONCE ?
		WIRE_PORT_SEND_ONCE : WIRE_PORT_SEND;
	return rights_insert(&rd, fds, &err);
}

static void translate(struct rcv_req *rq, const struct rcv_dgram *d, mach_port_name_t name)
{
	const char *buf = d->buf;
	int *fds = (int *)d->fds;
	const struct fdpass_creds *cr = &d->cr;
	const struct wire_hdr *h = (const void *)buf;
	mach_msg_header_t *u = rq->msg;
	size_t off = sizeof(*u);
	struct descs_rcv rcv = { rq->option, (mach_port_context_t)(uintptr_t)u };
	struct rcv_port_info pi;

	space_lock();
	pi = port_info_locked(rq->port);
	u->msgh_remote_port = translate_reply(rq, h, fds);
	if (h->bits & MACH_MSGH_BITS_COMPLEX)
		off += descs_copyout((char *)u + off, buf, fds, &rcv);
	space_unlock();
	memcpy((char *)u + off, wire_body(buf), h->body_len);
	off += h->body_len;
	u->msgh_bits = h->bits & (MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS_REMOTE_MASK |
				  MACH_MSGH_BITS_LOCAL_MASK);
	u->msgh_size = (mach_msg_size_t)off;
	u->msgh_local_port = name;
	u->msgh_voucher_port = MACH_PORT_NULL;
	u->msgh_id = h->id;
	fill_trailer((char *)u + round_msg(off), rq, cr, pi);
}

size_t rcv_peeked_user_size(const char *peek, size_t len, size_t total)
{
	const struct wire_hdr *h = (const void *)peek;
	size_t fixed;

	if (len < sizeof(*h) || total > WIRE_MAX_DATAGRAM || h->magic != WIRE_MAGIC ||
	    h->ndesc > WIRE_MAX_DESC)
		return 0;
	fixed = sizeof(*h) + h->ndesc * sizeof(struct wire_desc);
	if (len < fixed || total != fixed + h->data_len || h->body_len > h->data_len)
		return 0;
	return wire_user_size(peek);
}

/*
 * Whether the datagram's channel bits fit where it was read: an answer
 * its call's (checked by the reader), a channel call in R its channel's
 * (rcv_take_channel()), anything else neither.
 */
static bool came_its_way(const struct rcv_req *rq, const struct rcv_dgram *d)
{
	uint32_t bits = ((const struct wire_hdr *)(const void *)d->buf)->bits;

	return d->answer || rq->from_chan || !(bits & (WIRE_BITS_CHAN | WIRE_BITS_ONCONN));
}

mach_msg_return_t rcv_deliver(struct rcv_req *rq, struct rcv_dgram *d, mach_port_name_t name,
			      int *returned)
{
	if (wire_validate(d->buf, (size_t)d->len, d->nfds) < 0 || !came_its_way(rq, d) ||
	    wire_user_size(d->buf) + rq->trailer_size > rq->rcv_size ||
	    rights_check(d->buf, d->fds, d->from_daemon) < 0) {
		/* Validated before anything is named or mapped: nothing to undo. */
		fdpass_close_all(d->fds, d->nfds);
		rcv_chan_call_destroyed(rq, (const void *)d->buf);
		return MACH_RCV_INVALID_DATA;
	}
	if (((const struct wire_hdr *)(const void *)d->buf)->bits & WIRE_BITS_RETURNED)
		*returned = d->fds[--d->nfds];  /* the last fd; translate() ignores it */
	translate(rq, d, name);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t rcv_dequeue(struct rcv_req *rq, int fd, size_t len, mach_port_name_t name,
			      int *returned)
{
	char stack[8192];
	struct rcv_dgram d = { .buf = len <= sizeof(stack) ? stack : malloc(len) };
	mach_msg_return_t mr;

	if (!d.buf)
		return MACH_RCV_TOO_LARGE | MACH_MSG_VM_SPACE;
	d.len = fdpass_recv(fd, d.buf, len, d.fds, &d.nfds, &d.cr, MSG_DONTWAIT);
	if (d.len == -EAGAIN) {
		mr = RECV_AGAIN;
	} else if (d.len <= 0) {
		mr = MACH_RCV_INVALID_DATA;
	} else if (rq->in_r && !rcv_take_channel(rq, &d)) {
		fdpass_close_all(d.fds, d.nfds);        /* no channel of ours: no way to answer */
		mr = MACH_RCV_INVALID_DATA;
	} else {
		mr = rcv_deliver(rq, &d, name, returned);
	}
	if (d.buf != stack)
		free(d.buf);
	return mr;
}

