/* SPDX-License-Identifier: MIT */
/*
 * msg-recv.c - mach_msg's receive half: wait on a receive right (its R and
 * its send-once queues), a port set or the bootstrap connection, and take
 * one datagram off the queue that is ready (peeked first for
 * MACH_RCV_LARGE); msg-deliver.c turns it into the caller's message.
 */
#include "msg-recv.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
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

#define PEEK_LEN (sizeof(struct wire_hdr) + WIRE_MAX_DESC * sizeof(struct wire_desc))

/* Which of a receive right's queues an fd is (fd_kind()). */
enum q_kind {
	Q_GONE,                 /* none any more (another receive took it) */
	Q_R,                    /* the port's own queue */
	Q_ONCE,                 /* a send-once right's */
};

static void remove_queue_fd(struct port *p, int fd)
{
	space_lock();
	port_remove_queue_fd(p, fd);
	space_unlock();
}

/*
 * End of file on one of @p's queues.  On R: no sender is left (Mach's
 * no-senders); stop waiting for it.  On a send-once queue: the right died
 * unused, which is MACH_NOTIFY_SEND_ONCE.
 */
static mach_msg_return_t at_end(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind)
{
	if (kind == Q_R) {
		space_lock();
		port_recv_eof(p, fd);
		space_unlock();
		return RECV_AGAIN;
	}
	if (rq->rcv_size < sizeof(mach_msg_header_t) + rq->trailer_size) {
		if (rq->option & MACH_RCV_LARGE)
			return rcv_too_large(rq, fd, NULL, sizeof(mach_msg_header_t), p->name);
		remove_queue_fd(p, fd);
		return MACH_RCV_TOO_LARGE;
	}
	remove_queue_fd(p, fd);
	return rcv_send_once_notice(rq, p->name);
}

/*
 * Whether @fd is still R or a queue of @p (a concurrent receive may have
 * consumed it).  A parked pair (sopool.h) is not: nothing may be
 * sent through it, so what woke us is a stray message from someone who
 * kept a copy of its send end.  It is dropped with the pair, since its R,
 * level-triggered in our epoll, would otherwise wake us forever.
 */
static enum q_kind fd_kind(struct port *p, int fd)
{
	enum q_kind kind;
	bool is_queue;

	space_lock();
	kind = !port_owns_queue(p, fd, &is_queue) ? Q_GONE : is_queue ? Q_ONCE : Q_R;
	space_unlock();
	return kind;
}

/*
 * Whether an OFFER in R may be taken: its B a SEQPACKET socket, from the
 * daemon (root, or this task's own user, as a user domain's daemon is).
 * Anyone else's would only take one of the receiver's channels and fds.
 */
static bool offer_ok(const struct rcv_dgram *d)
{
	return d->cr.present && (d->cr.uid == 0 || d->cr.uid == geteuid()) &&
	       rights_port_fd(d->fds[0]);
}

/*
 * PROBE(seq) from a client whose call's fate a RETIRED could not tell:
 * the call died unless it is the last of its channel read here (calls
 * come one at a time per channel, and before their probe, in R's order).
 */
static void answer_probe(struct port *p, const struct rcv_dgram *d)
{
	const struct wire_hdr *h = (const void *)d->buf;
	struct port_chan *c;

	space_lock();
	c = d->cr.present ? port_channel_of(p, d->cr.pid) : NULL;
	if (c && c->last_seq != h->seq)
		port_chan_call_died(c->fd, h->seq);
	space_unlock();
}

/*
 * A control datagram (wire_control()) taken from @p's queue: in R, an
 * OFFER adds its B as a channel, a PROBE is answered, a WAKE has woken
 * us; anything else is no message for a receiver, destroyed as invalid.
 */
static mach_msg_return_t take_control(struct port *p, enum q_kind kind, struct rcv_dgram *d)
{
	enum wire_control k = kind == Q_R ? wire_control(d->buf, (size_t)d->len, d->nfds) :
					    WIRE_CTL_INVALID;

	if (k == WIRE_CTL_OFFER && offer_ok(d)) {
		space_lock();
		if (p->type & MACH_PORT_TYPE_RECEIVE)
			port_add_channel(p, d->fds[0], 0);
		else
			close(d->fds[0]);
		space_unlock();
		return RECV_AGAIN;
	}
	if (k == WIRE_CTL_PROBE)
		answer_probe(p, d);
	if (k == WIRE_CTL_WAKE) {
		space_lock();
		port_direct_woken(p);
		space_unlock();
	}
	fdpass_close_all(d->fds, d->nfds);
	return k == WIRE_CTL_PROBE || k == WIRE_CTL_WAKE ? RECV_AGAIN : MACH_RCV_INVALID_DATA;
}

/*
 * Without MACH_RCV_LARGE a message too large for the receiver is destroyed
 * anyway, so it can be dequeued at once into a buffer that holds any
 * datagram: one recvmsg, no MSG_PEEK first to size it.  What the peek
 * path refuses unread (impossible framing, over WIRE_MAX_DATAGRAM) is
 * refused here after it is dequeued, its fds closed: the same outcome.
 */
static mach_msg_return_t recv_whole(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind,
				    struct rcv_dgram *d, int *returned)
{
	size_t user_size;

	d->len = fdpass_recv(fd, d->buf, WIRE_MAX_DATAGRAM, d->fds, &d->nfds, &d->cr,
			     rq->asleep ? 0 : MSG_DONTWAIT);
	if (rq->asleep) {
		rq->asleep = false;
		/* R made non-blocking by another of its holders: sleeping there
		 * would spin, so this receive waits the epoll way from now on. */
		rq->no_sleep = d->len == -EAGAIN;
		space_lock();
		port_direct_leave(p);
		space_unlock();
	}
	if (d->len == -EAGAIN || d->len == -ECONNRESET || d->len == -EINTR)
		return RECV_AGAIN;
	if (rcv_dgram_eof(d))
		return at_end(rq, p, fd, kind);
	if (rcv_is_control(d))
		return take_control(p, kind, d);
	if (kind == Q_R && !rcv_take_channel(rq, d)) {
		fdpass_close_all(d->fds, d->nfds);      /* no channel of ours: no way to answer */
		return MACH_RCV_INVALID_DATA;
	}
	if (d->len == 0) {
		fdpass_close_all(d->fds, d->nfds);      /* an empty datagram may carry fds */
		return MACH_RCV_INVALID_DATA;
	}
	if (d->len == -EMSGSIZE || d->len == -EPROTO)   /* its fds are closed already */
		return MACH_RCV_INVALID_DATA;
	if (d->len < 0)
		return MACH_RCV_PORT_DIED;
	user_size = rcv_peeked_user_size(d->buf, (size_t)d->len, (size_t)d->len);
	if (user_size == 0 || user_size + rq->trailer_size > rq->rcv_size) {
		fdpass_close_all(d->fds, d->nfds);      /* the message is destroyed, rights included */
		return user_size ? rcv_too_large_destroyed(rq, p->name, (const void *)d->buf) :
				   MACH_RCV_INVALID_DATA;
	}
	return rcv_deliver(rq, d, p->name, returned);
}

/*
 * Send-once queue @fd carried a datagram that is no message: the right is
 * spent.  It is shut for reading, so that its holder can send no more and
 * every later receive finds end of file, and what else was queued is
 * dropped; at_end() then tells the right's death, now, or at the retry
 * that a buffer too small for the notice asks for (MACH_RCV_LARGE).
 */
static mach_msg_return_t spend_queue(struct rcv_req *rq, struct port *p, int fd)
{
	shutdown(fd, SHUT_RD);  /* no sender can refill it: the drain ends */
	fdpass_drain(fd, UINT_MAX);
	return at_end(rq, p, fd, Q_ONCE);
}

/*
 * What is left of a receive from @fd once it is not RECV_AGAIN: recycle or
 * close the queue.  A datagram that is no message, which only a holder of
 * the raw send end can write, was destroyed; the receiver never sees it,
 * as no such message reaches one in Mach (a server loop would end on the
 * error).  Through R the wait goes on; through a send-once right it spent
 * the right, whose death is then told.
 */
static mach_msg_return_t after_fd(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind,
				  mach_msg_return_t mr, int returned)
{
	bool is_queue = kind == Q_ONCE;

	if (mr == MACH_RCV_INVALID_DATA)
		return is_queue ? spend_queue(rq, p, fd) : RECV_AGAIN;
	if (returned >= 0 && is_queue && mr == MACH_MSG_SUCCESS) {
		port_recycle_queue(p, fd, returned);
		return mr;
	}
	if (returned >= 0)
		close(returned);
	/* A send-once right carries exactly one message. */
	if (is_queue && mr != RECV_AGAIN && !(mr == MACH_RCV_TOO_LARGE && (rq->option & MACH_RCV_LARGE)))
		remove_queue_fd(p, fd);
	return mr;
}

static mach_msg_return_t try_fd_peek(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind);

/* A take from @p's queue of @kind begins: nothing known of it yet. */
static void start_take(struct rcv_req *rq, struct port *p, enum q_kind kind, struct rcv_dgram *d)
{
	rq->port = p;
	rq->from_chan = false;
	rq->chan_fd = -1;
	rq->in_r = kind == Q_R;
	d->from_daemon = d->answer = false;
}

/*
 * One datagram of @p's queue @fd, read whole into the thread's buffer
 * (d->buf, given back here), delivered or handled; the copy of B a
 * channel call took, if its reply right did not take it, closed.
 */
static mach_msg_return_t take_whole(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind,
				    struct rcv_dgram *d)
{
	mach_msg_return_t mr;
	int returned = -1;

	mr = recv_whole(rq, p, fd, kind, d, &returned);
	rcv_buffer_give();
	/* RECV_AGAIN: nothing dequeued; end of file: at_end() did all. */
	if (mr != RECV_AGAIN && !rcv_dgram_eof(d))
		mr = after_fd(rq, p, fd, kind, mr, returned);
	rcv_chan_release(rq);
	return mr;
}

/*
 * Take one message from @fd, one of @p's queues, if there is one.  The
 * caller holds @p's rcv_lock.
 * Return: RECV_AGAIN, or a mach_msg_return_t for the caller.
 */
static mach_msg_return_t try_fd(struct rcv_req *rq, struct port *p, int fd)
{
	enum q_kind kind = fd_kind(p, fd);
	struct rcv_dgram d;     /* not cleared whole: its fd array is written before it is read */
	mach_msg_return_t mr;

	if (kind == Q_GONE)
		return RECV_AGAIN;
	start_take(rq, p, kind, &d);
	if ((rq->option & MACH_RCV_LARGE) || !(d.buf = rcv_buffer_take())) {
		mr = try_fd_peek(rq, p, fd, kind);
		rcv_chan_release(rq);
		return mr;
	}
	return take_whole(rq, p, fd, kind, &d);
}

/* A control datagram seen by a peek: taken off the queue (it is small) and handled. */
static mach_msg_return_t take_control_peeked(struct port *p, int fd, enum q_kind kind)
{
	char buf[sizeof(struct wire_hdr)];
	struct rcv_dgram d = { .buf = buf };

	d.len = fdpass_recv(fd, buf, sizeof(buf), d.fds, &d.nfds, &d.cr, MSG_DONTWAIT);
	if (d.len == -EAGAIN)
		return RECV_AGAIN;
	if (d.len <= 0)
		return MACH_RCV_INVALID_DATA;
	return take_control(p, kind, &d);
}

/* try_fd() for MACH_RCV_LARGE: the datagram is sized first and stays queued if too large. */
static mach_msg_return_t try_fd_peek(struct rcv_req *rq, struct port *p, int fd, enum q_kind kind)
{
	char peek[PEEK_LEN];
	ssize_t n;
	size_t user_size;
	mach_msg_return_t mr;
	int returned = -1;

	n = fdpass_peek(fd, peek, sizeof(peek));
	if (n == -EAGAIN || n == -ECONNRESET)   /* a reset is reported once: look again */
		return RECV_AGAIN;
	if (n == -ENODATA)
		return at_end(rq, p, fd, kind);
	if (n < 0)
		return MACH_RCV_PORT_DIED;
	if ((size_t)n == sizeof(struct wire_hdr) &&
	    ((const struct wire_hdr *)(const void *)peek)->bits & WIRE_CONTROL_BITS) {
		mr = take_control_peeked(p, fd, kind);
		return mr == RECV_AGAIN ? mr : after_fd(rq, p, fd, kind, mr, -1);
	}
	user_size = rcv_peeked_user_size(peek, (size_t)n < sizeof(peek) ? (size_t)n : sizeof(peek),
				     (size_t)n);
	if (user_size == 0) {
		fdpass_discard(fd, NULL);
		mr = MACH_RCV_INVALID_DATA;
	} else if (user_size + rq->trailer_size > rq->rcv_size) {
		mr = rcv_too_large(rq, fd, (const void *)peek, user_size, p->name);
	} else {
		mr = rcv_dequeue(rq, fd, (size_t)n, p->name, &returned);
	}
	return after_fd(rq, p, fd, kind, mr, returned);
}

/*
 * How long the next wait may be, or -2: give up.  Past the deadline (at
 * once with a zero timeout) only what is ready is looked at, and only
 * RECV_SPINS_PAST_DEADLINE times: a sender writing datagrams that are
 * dropped unseen cannot hold a timed receive past its time.
 */
#define RECV_SPINS_PAST_DEADLINE 64

static int next_wait(const struct rcv_req *rq, unsigned int *spins)
{
	int ms = rcv_ms_left(rq);

	return ms == 0 && ++*spins > RECV_SPINS_PAST_DEADLINE ? -2 : ms;
}

/* @p's epoll, or MACH_PORT_NULL-style failure codes as negative numbers. */
static int port_wait_fd(struct port *p)
{
	int epfd;

	space_lock();
	if (p->dead || !(p->type & MACH_PORT_TYPE_RECEIVE))
		epfd = -ENOENT;
	else
		epfd = port_rcv_epoll(p);
	space_unlock();
	return epfd;
}

/*
 * R, if this receive may sleep in recvmsg(R) itself (port-direct.c): it
 * waits for ever, takes whatever fits (no MACH_RCV_LARGE), and R is the
 * port's only queue.
 */
static int direct_r(const struct rcv_req *rq, struct port *p)
{
	int r;

	if (rq->timeout_ms >= 0 || (rq->option & MACH_RCV_LARGE) || rq->no_sleep)
		return -1;
	space_lock();
	r = port_direct_enter(p);
	space_unlock();
	return r;
}

/* One message from R, waiting in recvmsg(R) itself; counted asleep by direct_r(). */
static mach_msg_return_t receive_asleep(struct rcv_req *rq, struct port *p, int r)
{
	struct rcv_dgram d;

	start_take(rq, p, Q_R, &d);
	d.buf = rcv_buffer_take();
	if (!d.buf) {
		space_lock();
		port_direct_leave(p);
		space_unlock();
		rq->no_sleep = true;    /* the epoll way, which copes without the buffer */
		return RECV_AGAIN;
	}
	rq->asleep = true;
	return take_whole(rq, p, r, Q_R, &d);
}

/* One turn of a wait in the port's own epoll: what one ready queue gives. */
static mach_msg_return_t receive_epoll(struct rcv_req *rq, struct port *p, unsigned int *spins)
{
	struct epoll_event ev;
	int epfd = port_wait_fd(p), ready, wait = next_wait(rq, spins);

	if (epfd < 0)
		return epfd == -ENOENT ? MACH_RCV_PORT_DIED :
			MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_KERNEL;
	ready = wait == -2 ? 0 : epoll_wait(epfd, &ev, 1, wait);
	if (ready == 0)
		return MACH_RCV_TIMED_OUT;
	return ready > 0 ? try_fd(rq, p, (int)(uint32_t)ev.data.u64) : RECV_AGAIN;
}

/*
 * Wait in recvmsg(R) itself while R is the port's only queue, else in the
 * port's own epoll rather than on a snapshot of its fds: a send-once queue
 * made while we wait (a reply port, a notification request from another
 * thread) is then seen at once.
 */
static mach_msg_return_t receive_port(struct rcv_req *rq, struct port *p)
{
	mach_msg_return_t mr = RECV_AGAIN;
	unsigned int spins = 0;

	pthread_mutex_lock(&p->rcv_lock);
	while (mr == RECV_AGAIN) {
		int r = direct_r(rq, p);

		mr = r >= 0 ? receive_asleep(rq, p, r) : receive_epoll(rq, p, &spins);
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
	unsigned int spins = 0;

	while (mr == RECV_AGAIN) {
		struct epoll_event ev;
		struct port *m;
		int wait = next_wait(rq, &spins);
		int ready = wait == -2 ? 0 : epoll_wait(port_set_epfd(set), &ev, 1, wait);

		if (ready == 0)
			return MACH_RCV_TIMED_OUT;
		if (ready < 0 || !(m = set_member(ev.data.u64))) {
			if (!(set->type & MACH_PORT_TYPE_PORT_SET))
				return MACH_RCV_PORT_DIED;
			continue;
		}
		pthread_mutex_lock(&m->rcv_lock);
		mr = try_fd(rq, m, (int)(uint32_t)ev.data.u64);
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
		rq.deadline = deadline_in(timeout);
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
