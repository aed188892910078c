/* SPDX-License-Identifier: MIT */
/*
 * msg-chan.c - a send right's channel, the client's side (msg-chan.h):
 * the ask, and a call sent through S and answered up the channel.
 */
#include "msg-chan.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "bootstrap-chan.h"
#include "deadline.h"
#include "fdpass.h"
#include "msg-conn.h"
#include "port.h"
#include "wire.h"

/*
 * Calls made the ordinary way after a channel ended before the next ask:
 * a service that exits after every request (a demand-launched "once"
 * job) would otherwise cost an ask every other call.
 */
#define CHAN_ASK_BACKOFF 16

/*
 * @p's channel @fd (its A, pinned by the caller) ended, or was @refused
 * by the receiver (then no other is asked for).  Space lock held.
 */
static void chan_gone(struct port *p, int fd, bool refused)
{
	/* Another thread may have let it go and asked anew meanwhile. */
	if (p->chan_state != PORT_CHAN_OPEN || p->chan_fd != fd)
		return;
	port_chan_close(p);
	p->chan_state = refused ? PORT_CHAN_REFUSED : PORT_CHAN_ASKABLE;
	p->chan_backoff = CHAN_ASK_BACKOFF;
}

/* A timed call's time for an ask, and what the ask took of it. */
struct ask_budget {
	mach_msg_timeout_t timeout_ms;  /* MACH_MSG_TIMEOUT_NONE: the call is not timed */
	mach_msg_timeout_t spent_ms;
};

/*
 * Ask for @p's channel, within the time @b gives (what is left of the
 * call it is asked for).  Space lock held, released while asking; @p
 * referenced by the caller.  Calls made meanwhile by other threads go
 * the ordinary way: nothing waits for an ask.  An ask that ran out of
 * time (the daemon busy or stopped) is made again some calls later; a
 * refusal is for good.
 */
static void ask(struct port *p, struct ask_budget *b)
{
	mach_port_name_t name = p->name;
	bool timed = b->timeout_ms != MACH_MSG_TIMEOUT_NONE;
	uint64_t start = timed ? deadline_now_ns() : 0;  /* the clock, for a timed call's ask only */
	int fd;

	p->chan_state = PORT_CHAN_ASKING;
	space_unlock();
	fd = bootstrap_chan_ask(name, b->timeout_ms);
	if (timed)
		b->spent_ms = (mach_msg_timeout_t)((deadline_now_ns() - start) / 1000000u);
	space_lock();
	if (fd >= 0 && (p->type & MACH_PORT_TYPE_SEND)) {
		p->chan_fd = fd;
		p->chan_state = PORT_CHAN_OPEN;
	} else if (fd == -ETIMEDOUT) {
		p->chan_state = PORT_CHAN_ASKABLE;
		p->chan_backoff = CHAN_ASK_BACKOFF;
	} else {
		if (fd >= 0)
			close(fd);
		p->chan_state = PORT_CHAN_REFUSED;
	}
}

/*
 * The call's destination, with a channel it may use now (asked for first
 * if need be, within @budget), and its reply port: both referenced,
 * the destination pinned (A and S stay open) and marked calling.  Space
 * lock held.
 */
static struct port *take_channel(const mach_msg_header_t *msg, mach_port_name_t rcv_name,
				 struct ask_budget *budget, struct port **reply, uint64_t *pin)
{
	struct port *p = space_get(msg->msgh_remote_port), *r;

	/* The common case, a port no channel is for, leaves at once. */
	if (!p || !(p->type & MACH_PORT_TYPE_SEND) || (p->type & MACH_PORT_TYPE_RECEIVE) ||
	    p->chan_state == PORT_CHAN_NONE || p->chan_state == PORT_CHAN_REFUSED)
		return NULL;
	port_ref(p);
	if (p->chan_state == PORT_CHAN_ASKABLE && p->chan_backoff)
		p->chan_backoff--;
	else if (p->chan_state == PORT_CHAN_ASKABLE)
		ask(p, budget);
	r = space_get(rcv_name);
	if (p->chan_state != PORT_CHAN_OPEN || p->chan_calling || !(p->type & MACH_PORT_TYPE_SEND) ||
	    p->send_fd < 0 || !r || !(r->type & MACH_PORT_TYPE_RECEIVE) || r->dead) {
		port_unref(p);
		return NULL;
	}
	p->chan_calling = true;
	*pin = port_pin(p);
	port_ref(r);
	*reply = r;
	return p;
}

/* The call's number on @p's channel: 1..65535, then 1 again. */
static uint16_t next_seq(struct port *p)
{
	p->chan_seq = (uint16_t)(p->chan_seq + 1) ? (uint16_t)(p->chan_seq + 1) : 1;
	return p->chan_seq;
}

/*
 * Send call @msg through S @w->probe_fd, numbered @w->seq, with the times
 * just before and after: a RETIRED tells from them whether the receiver
 * that went could have taken it (msg-recv-conn.c).
 */
static int send_call(struct conn_wait *w, const mach_msg_header_t *msg, mach_msg_size_t send_size,
		     mach_msg_option_t option)
{
	struct wire_hdr h;
	struct iovec iov[2];
	int err;

	msg_call_wire(&h, iov, msg, send_size);
	h.bits |= WIRE_BITS_CHAN;
	h.seq = w->seq;
	w->sent_from = deadline_now_ns();
	err = fdpass_send(w->probe_fd, iov, 2, NULL, 0, msg_call_send_flags(option));
	w->sent_by = deadline_now_ns();
	return err;
}

mach_msg_return_t msg_chan_call(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t *timeout,
				mach_msg_header_t *rcv_msg)
{
	struct ask_budget budget = { (option & MACH_RCV_TIMEOUT) ? *timeout : MACH_MSG_TIMEOUT_NONE };
	struct timespec deadline = { 0 };
	struct conn_wait w = { .channel = true };
	mach_msg_return_t mr = MSG_CHAN_ORDINARY;
	struct port *p, *reply = NULL;
	uint64_t pin = 0;

	space_lock();
	p = take_channel(msg, rcv_name, &budget, &reply, &pin);
	if (p) {
		w.fd = p->chan_fd;
		w.probe_fd = p->send_fd;
		w.seq = next_seq(p);
	}
	space_unlock();
	/* An ask took its time from the call's, wherever the call goes now. */
	if (option & MACH_RCV_TIMEOUT)
		*timeout -= budget.spent_ms < *timeout ? budget.spent_ms : *timeout;
	if (!p)
		return MSG_CHAN_ORDINARY;
	if (option & MACH_RCV_TIMEOUT)
		deadline = deadline_in(*timeout);
	/* A failed send goes the ordinary way, which fails alike and says so. */
	if (send_call(&w, msg, send_size, option) == 0)
		mr = msg_receive_conn(rcv_msg, option, rcv_size, reply, &w, *timeout);
	/* The receive goes on elsewhere, within the time the call had left. */
	if (mr == MSG_CHAN_RECEIVE && (option & MACH_RCV_TIMEOUT))
		*timeout = (mach_msg_timeout_t)deadline_left_ms(&deadline);
	space_lock();
	p->chan_calling = false;
	if (w.gone)
		chan_gone(p, w.fd, w.refused);
	port_unpin(p, pin);
	space_unlock();
	port_unref(reply);
	port_unref(p);
	return mr;
}
