/* SPDX-License-Identifier: MIT */
/*
 * msg-recv-conn.c - the answer to a call that went without a reply right
 * (msg-recv.h msg_receive_conn()): read from the bootstrap connection, or
 * up a channel with what a channel carries besides (SO_DIED, SO_MOVED,
 * RETIRED), and handed over as if it had come to the reply port.
 */
#include "msg-recv.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>

#include "deadline.h"
#include "fdpass.h"
#include "msg-deliver.h"
#include "msg-rcvbuf.h"
#include "msg-rights.h"
#include "port.h"
#include "wire.h"

/*
 * SO_MOVED: the answer comes to rq->port through the send-once queue @fd
 * (taken).  Anything but a socket there would be a queue nobody answers
 * on: the right is told dead instead.
 */
static mach_msg_return_t answer_moved(struct rcv_req *rq, int fd)
{
	if (!rights_port_fd(fd)) {
		close(fd);
		return rcv_send_once_notice(rq, rq->port->name);
	}
	space_lock();
	if ((rq->port->type & MACH_PORT_TYPE_RECEIVE) && !rq->port->dead)
		port_add_queue(rq->port, fd, 0);        /* closes it on failure */
	else
		close(fd);
	space_unlock();
	return MSG_RECV_ORDINARY;
}

/* PROBE(@w->seq) through S: the receiver that reads it says whether it took the call. */
static void probe(const struct conn_wait *w)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_RETIRED | WIRE_BITS_CHAN,
			      .seq = w->seq };
	struct iovec iov = { &h, sizeof(h) };

	/* Waits while R is full (as it may be just after the job went): a
	 * probe lost would leave a dead call unanswered.  Failing, the port is
	 * gone: end of file on A tells the call's death. */
	fdpass_send(w->probe_fd, &iov, 1, NULL, 0, 0);
}

enum chan_fate msg_chan_fate(uint16_t seq, uint64_t sent_from, uint64_t sent_by,
			    uint16_t last_queued, uint64_t looked_ns)
{
	if (last_queued && last_queued == seq)
		return CHAN_FATE_QUEUED;
	if (!looked_ns)
		return CHAN_FATE_ASK;   /* the daemon could not look */
	if (sent_by < looked_ns)
		return CHAN_FATE_DIED;
	return sent_from > looked_ns ? CHAN_FATE_QUEUED : CHAN_FATE_ASK;
}

/* RETIRED for call w->seq: whether it died (a PROBE sent if only the next receiver can tell). */
static bool retired_died(const struct conn_wait *w, const struct rcv_dgram *d)
{
	const struct wire_hdr *h = (const void *)d->buf;
	const struct wire_retired *r = (const void *)(d->buf + sizeof(*h));
	enum chan_fate f = msg_chan_fate(w->seq, w->sent_from, w->sent_by, h->seq, r->looked_ns);

	if (f == CHAN_FATE_ASK)
		probe(w);
	return f == CHAN_FATE_DIED;
}

/*
 * A control datagram up a channel, about call w->seq or an earlier one
 * (then dropped): SO_DIED, SO_MOVED, RETIRED (the receiver went) or
 * REFUSED (the receiver could not take the channel).
 */
static mach_msg_return_t chan_control(struct rcv_req *rq, struct conn_wait *w,
				      struct rcv_dgram *d)
{
	const struct wire_hdr *h = (const void *)d->buf;
	enum wire_control k = w->channel ? wire_control(d->buf, (size_t)d->len, d->nfds) :
					   WIRE_CTL_INVALID;

	if ((k == WIRE_CTL_RETIRED && retired_died(w, d)) ||
	    (k == WIRE_CTL_SO_DIED && h->seq == w->seq))
		return rcv_send_once_notice(rq, rq->port->name);
	if (k == WIRE_CTL_SO_MOVED && h->seq == w->seq)
		return answer_moved(rq, d->fds[0]);
	fdpass_close_all(d->fds, d->nfds);
	/* The receiver destroys the call unread: it goes the ordinary way. */
	if (k == WIRE_CTL_REFUSED) {
		w->refused = w->gone = true;
		return MSG_RECV_RESEND;
	}
	return RECV_AGAIN;
}

/*
 * The sender of datagram @d, on the connection: taken from the first
 * answer that carries SCM_CREDENTIALS on a connection made here, which
 * then stops asking for them (struct conn_sender).
 */
static void conn_sender(struct conn_sender *s, int fd, struct rcv_dgram *d)
{
	int off = 0;

	if (s->known) {
		d->cr = s->creds;
	} else if (s->cacheable && d->cr.valid) {
		s->creds = d->cr;
		s->known = setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &off, sizeof(off)) == 0;
	}
}

/*
 * One datagram from @w->fd into @d: the answer to call @w->seq, delivered
 * as come to rq->port; an earlier call's (it timed out), or anything
 * else, dropped; end of file is the daemon's death, or the channel's
 * end, told as the reply right's (MACH_NOTIFY_SEND_ONCE), as the ordinary
 * way would.
 */
static mach_msg_return_t conn_take(struct rcv_req *rq, struct conn_wait *w, struct rcv_dgram *d,
				   int flags)
{
	const struct wire_hdr *h = (const void *)d->buf;
	size_t user_size = 0;
	bool answer;
	int returned = -1;

	d->len = fdpass_recv(w->fd, d->buf, WIRE_MAX_DATAGRAM, d->fds, &d->nfds, &d->cr, flags);
	/* A cut-off datagram's fds are closed already; a reset (the other end
	 * closed with datagrams of ours unread) is reported once, before what
	 * is queued. */
	if (d->len == -EAGAIN || d->len == -EINTR || d->len == -EMSGSIZE || d->len == -EPROTO ||
	    d->len == -ECONNRESET)
		return RECV_AGAIN;
	if (rcv_dgram_eof(d) || d->len < 0) {
		w->gone = w->channel;
		return rcv_send_once_notice(rq, rq->port->name);
	}
	if (w->sender)
		conn_sender(w->sender, w->fd, d);
	if (rcv_is_control(d))
		return chan_control(rq, w, d);
	user_size = rcv_peeked_user_size(d->buf, (size_t)d->len, (size_t)d->len);
	answer = user_size && (h->bits & WIRE_BITS_ONCONN) &&
		 !(h->bits & WIRE_BITS_CHAN) == !w->channel;
	if (!answer || h->seq != w->seq || (h->bits & WIRE_BITS_RESEND)) {
		fdpass_close_all(d->fds, d->nfds);
		return answer && h->seq == w->seq && !w->channel ? MSG_RECV_RESEND : RECV_AGAIN;
	}
	if (user_size + rq->trailer_size > rq->rcv_size) {
		fdpass_close_all(d->fds, d->nfds);
		return rcv_too_large_destroyed(rq, rq->port->name, h);
	}
	d->from_daemon = !w->channel;
	d->answer = true;
	return rcv_deliver(rq, d, rq->port->name, &returned);
}

mach_msg_return_t msg_receive_conn(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t rcv_size, struct port *p, struct conn_wait *w,
				   mach_msg_timeout_t timeout)
{
	struct rcv_req rq = { .msg = msg, .option = option, .rcv_size = rcv_size, .port = p,
			      .trailer_size = REQUESTED_TRAILER_SIZE(option), .timeout_ms = -1 };
	struct rcv_dgram d;     /* not cleared whole: its fd array is written before it is read */
	mach_msg_return_t mr = RECV_AGAIN;
	bool own_buf;

	d.buf = rcv_buffer_take();
	d.from_daemon = d.answer = false;       /* the rest: each fdpass_recv()'s */
	own_buf = !d.buf;
	if (own_buf && !(d.buf = malloc(WIRE_MAX_DATAGRAM)))
		return MACH_RCV_TOO_LARGE | MACH_MSG_VM_SPACE;
	if (option & MACH_RCV_TIMEOUT) {
		rq.timeout_ms = (int)(timeout > INT32_MAX ? INT32_MAX : timeout);
		rq.deadline = deadline_in(timeout);
	}
	/* Without a timeout, wait in recvmsg itself: the caller's copy of the
	 * connection, or the channel's A its send right keeps pinned, is closed
	 * by no one else, and the daemon's (the service's) death wakes it. */
	while (mr == RECV_AGAIN && rq.timeout_ms < 0)
		mr = conn_take(&rq, w, &d, 0);
	while (mr == RECV_AGAIN) {
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
		int ready = poll(&pfd, 1, rcv_ms_left(&rq));

		if (ready == 0)
			mr = MACH_RCV_TIMED_OUT;
		else if (ready > 0)
			mr = conn_take(&rq, w, &d, MSG_DONTWAIT);
	}
	if (own_buf)
		free(d.buf);
	else
		rcv_buffer_give();
	return mr;
}
