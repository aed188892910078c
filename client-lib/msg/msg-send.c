/* SPDX-License-Identifier: MIT */
/*
 * msg-send.c - mach_msg's send half: resolve the header and descriptor
 * rights to fds, build the wire datagram, send it, then consume the moved
 * rights.  Nothing is consumed before the kernel accepted the datagram: a
 * header that fails and a send that fails (a full queue, a timeout) leave
 * the caller's rights as they were; a body that fails, and a message to a
 * dead send-once right, destroy what was taken, as xnu does.
 */
#include "msg-send.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "fdpass.h"
#include "msg-send-ctx.h"
#include "notifier.h"
#include "port.h"
#include "vm-maps.h"
#include "vm-region.h"
#include "wire.h"

/*
 * xnu copies in a destination send-once right whose port died, the
 * message then destroyed as if delivered, only while no dead-name (or
 * send-possible) request names it (ipc_right_check() under
 * IPC_OBJECT_COPYIN_FLAGS_ALLOW_DEAD_SEND_ONCE).  With one, the name
 * becomes the dead name, with one more reference for the notification,
 * and the send fails with MACH_SEND_INVALID_DEST, nothing taken.  Whether
 * @p is such a name.  Space lock held.
 */
static bool dead_once_kept(const struct port *p)
{
	return p->watched && notifier_requested(p->name);
}

static mach_msg_return_t resolve_dest(struct send_ctx *c, const mach_msg_header_t *msg)
{
	mach_msg_type_name_t disp = MACH_MSGH_BITS_REMOTE(msg->msgh_bits);
	struct port *p = space_get(msg->msgh_remote_port);

	if (!p)
		return MACH_SEND_INVALID_DEST;
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		if (!(p->type & MACH_PORT_TYPE_SEND) || port_memory(p))
			return MACH_SEND_INVALID_DEST;
		c->dest_fd = p->send_fd;
		if (disp == MACH_MSG_TYPE_MOVE_SEND)
			send_add_commit(c, COMMIT_MOVE_SEND, p);
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		/* A waiting send took it: xnu's copy-in finds the name without it
		 * (ipc_right_copyin()), the message left to the caller. */
		if (port_send_once_in_flight(p))
			return MACH_SEND_INVALID_DEST;
		/* Its request fired: looked at now (a port that dies later fails the send). */
		if (notifier_any_fired() && dead_once_kept(p))
			port_check_dead(p);
		if (!(p->type & MACH_PORT_TYPE_SEND_ONCE))
			return MACH_SEND_INVALID_DEST;
		c->dest_fd = p->send_fd;
		/* An answer up a channel carries its call's number, not its send end. */
		c->chan_answer = p->so_chan;
		c->return_dest = !p->so_chan;
		send_add_commit(c, COMMIT_MOVE_SEND_ONCE, p);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		c->dest_fd = (p->type & MACH_PORT_TYPE_RECEIVE) ? port_make_send_fd(p) : -1;
		if (c->dest_fd < 0)
			return MACH_SEND_INVALID_DEST;
		break;
	default:
		return MACH_SEND_INVALID_HEADER;
	}
	c->dest = p;
	port_ref(p);
	c->dest_pin = port_pin(p);      /* c->dest_fd is p's: see port_pin() */
	return MACH_MSG_SUCCESS;
}

/*
 * XNU's checks of the header before any right is taken
 * (ipc_kmsg_copyin_header_validate): each disposition a send right's, a
 * reply port only with one, a destination name that can name a port, and
 * no send-once right moved where the destination is the reply port.
 */
static mach_msg_return_t validate_header(const mach_msg_header_t *msg)
{
	mach_msg_type_name_t dest = MACH_MSGH_BITS_REMOTE(msg->msgh_bits);
	mach_msg_type_name_t reply = MACH_MSGH_BITS_LOCAL(msg->msgh_bits);

	if (msg->msgh_bits & ~MACH_MSGH_BITS_USER || MACH_MSGH_BITS_VOUCHER(msg->msgh_bits))
		return MACH_SEND_INVALID_HEADER;
	if (reply == 0 ? msg->msgh_local_port != MACH_PORT_NULL :
	    !MACH_MSG_TYPE_PORT_ANY_SEND(reply))
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_MSG_TYPE_PORT_ANY_SEND(dest))
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_PORT_VALID(msg->msgh_remote_port))
		return MACH_SEND_INVALID_DEST;
	if (msg->msgh_remote_port == msg->msgh_local_port &&
	    (dest == MACH_MSG_TYPE_MOVE_SEND_ONCE || reply == MACH_MSG_TYPE_MOVE_SEND_ONCE))
		return MACH_SEND_INVALID_DEST;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t resolve_reply(struct send_ctx *c, const mach_msg_header_t *msg)
{
	mach_msg_type_name_t disp = MACH_MSGH_BITS_LOCAL(msg->msgh_bits);
	struct wire_desc d = { 0 };
	int err;

	if (disp == 0)
		return MACH_MSG_SUCCESS;
	/* A null or dead reply port keeps its type, and a dead one arrives dead, as in xnu. */
	if (!MACH_PORT_VALID(msg->msgh_local_port)) {
		c->hdr.bits |= (uint32_t)msg_disposition_received(disp);
		if (msg->msgh_local_port == MACH_PORT_DEAD)
			c->hdr.bits |= WIRE_BITS_REPLY_DEAD;
		return MACH_MSG_SUCCESS;
	}
	err = send_resolve_right(c, msg->msgh_local_port, disp, &d);
	if (err == -ENOENT || err == -EINVAL)
		return MACH_SEND_INVALID_REPLY;
	if (err < 0)
		return send_errno(err);         /* no room for a send-once right: MACH_SEND_NO_BUFFER */
	c->hdr.reply_nfds = d.nfds;
	c->hdr.bits |= (uint32_t)d.disposition;
	if (d.kind == WIRE_PORT_DEAD)
		c->hdr.bits |= WIRE_BITS_REPLY_DEAD;
	return MACH_MSG_SUCCESS;
}

/* Header and descriptors -> ctx.  Space lock held. */
static mach_msg_return_t build(struct send_ctx *c, const mach_msg_header_t *msg,
			       mach_msg_size_t send_size, size_t *body_off)
{
	mach_msg_bits_t bits = msg->msgh_bits;
	bool complex = bits & MACH_MSGH_BITS_COMPLEX;
	mach_msg_return_t mr = validate_header(msg);

	c->hdr.magic = WIRE_MAGIC;
	c->hdr.id = msg->msgh_id;
	c->hdr.bits = (bits & MACH_MSGH_BITS_COMPLEX) |
		((uint32_t)msg_disposition_received(MACH_MSGH_BITS_REMOTE(bits)) << 8);
	*body_off = sizeof(mach_msg_header_t);
	/* As xnu: the descriptors are measured before the header's rights are taken. */
	if (mr == MACH_MSG_SUCCESS && complex)
		mr = send_check_descriptors(msg, send_size);
	if (mr == MACH_MSG_SUCCESS)
		mr = resolve_dest(c, msg);
	if (mr == MACH_MSG_SUCCESS)
		mr = resolve_reply(c, msg);
	if (mr == MACH_MSG_SUCCESS && complex)
		mr = send_resolve_descriptors(c, msg, send_size, body_off);
	return mr;
}

/* The out-of-line area (msg-send-ctx.h) as iovecs from @iov.  Return: how many. */
static int ool_iov(const struct send_ctx *c, struct iovec *iov)
{
	static const char pad[4];
	int n = 0;

	for (size_t i = 0; i < c->n_segs; i++) {
		const struct ool_seg *g = &c->segs[i];
		size_t rest = ((g->len + 3) & ~(size_t)3) - g->len;

		if (!g->user) {
			iov[n++] = (struct iovec){ c->ool + g->off, g->len };
			continue;
		}
		iov[n++] = (struct iovec){ (void *)g->user, g->len };
		if (rest)
			iov[n++] = (struct iovec){ (void *)pad, rest };
	}
	return n;
}

/* Through a send-once right: its send end, or up a channel. */
static bool once(const struct send_ctx *c)
{
	return c->return_dest || c->chan_answer;
}

static int send_datagram(struct send_ctx *c, const void *body, size_t body_len,
			 bool timed, mach_msg_timeout_t timeout)
{
	/* Not initialised as a whole: that would clear 2 KiB a send. */
	struct iovec iov[3 + 2 * WIRE_MAX_DESC];
	int niov;
	struct timespec deadline;
	int err;

	iov[0] = (struct iovec){ &c->hdr, sizeof(c->hdr) };
	iov[1] = (struct iovec){ c->desc, c->hdr.ndesc * sizeof(struct wire_desc) };
	iov[2] = (struct iovec){ (void *)body, body_len };
	niov = 3 + ool_iov(c, iov + 3);

	if (c->return_dest && send_add_fd(c, c->dest_fd, false) == 0)
		c->hdr.bits |= WIRE_BITS_RETURNED;      /* see sopool.h */
	if (c->chan_answer) {
		c->hdr.bits |= WIRE_BITS_ONCONN | WIRE_BITS_CHAN;
		c->hdr.seq = c->chan_answer;
	}
	c->hdr.nfds = (uint32_t)c->nfds;
	c->hdr.body_len = (uint32_t)body_len;
	c->hdr.data_len = (uint32_t)(body_len + c->ool_len);
	if (iov[0].iov_len + iov[1].iov_len + c->hdr.data_len > WIRE_MAX_DATAGRAM)
		return -EMSGSIZE;       /* receivers refuse it: wire.h */
	/*
	 * Through a send-once right, never wait, as xnu holds no send-once
	 * message to the queue limit: its pair carries one message, and only a
	 * holder of a kept copy of its send end can have filled it.  Full is
	 * MACH_SEND_NO_BUFFER (send_error()), the right left to the caller.
	 */
	if (once(c))
		return fdpass_send(c->dest_fd, iov, niov, c->fds, c->nfds, MSG_DONTWAIT);
	if (!timed)
		return fdpass_send(c->dest_fd, iov, niov, c->fds, c->nfds, 0);
	deadline = deadline_in(timeout);
	for (;;) {
		struct pollfd pfd = { .fd = c->dest_fd, .events = POLLOUT };
		int ms;

		err = fdpass_send(c->dest_fd, iov, niov, c->fds, c->nfds, MSG_DONTWAIT);
		if (err != -EAGAIN)
			return err;
		ms = deadline_left_ms(&deadline);
		if (ms == 0)
			return -ETIMEDOUT;
		poll(&pfd, 1, ms);
	}
}

/* A right that left with a delivered message. */
static void commit_moved(struct commit *k)
{
	switch (k->op) {
	case COMMIT_MOVE_SEND:
		port_drop_send(k->port);
		break;
	case COMMIT_MOVE_SEND_ONCE:
		port_use_send_once(k->port);
		break;
	case COMMIT_MOVE_RECEIVE:
		port_move_receive(k->port);
		break;
	default:        /* COMMIT_MOVE_DEAD: one reference */
		port_mod_urefs(k->port, MACH_PORT_TYPE_DEAD_NAME, -1);
		break;
	}
}

/* What a message destroyed unsent does with what it took (port_destroy_taken()). */
static mach_msg_type_name_t taken_disposition(enum commit_op op)
{
	switch (op) {
	case COMMIT_MOVE_SEND:
	case COMMIT_MOVE_DEAD:
		return MACH_MSG_TYPE_MOVE_SEND;
	case COMMIT_MOVE_SEND_ONCE:
		return MACH_MSG_TYPE_MOVE_SEND_ONCE;
	case COMMIT_MOVE_RECEIVE:
		return MACH_MSG_TYPE_MOVE_RECEIVE;
	default:
		return 0;       /* nothing taken: port_destroy_taken() leaves the name be */
	}
}

/*
 * After a successful send: consume what moved.  @destroyed: the message
 * was destroyed instead of delivered (xnu destroys the rights a failed
 * copy-in had taken, and a message to a dead send-once right), each right
 * as port_destroy_taken() does; a send-once right it made is its pair's,
 * told when the message's send end closes (ctx_release()).  Space lock
 * held.
 */
static void commit_all(struct send_ctx *c, bool destroyed)
{
	for (size_t i = 0; i < c->n_commits; i++) {
		struct commit *k = &c->commits[i];

		switch (k->op) {
		case COMMIT_MOVE_SEND:
		case COMMIT_MOVE_SEND_ONCE:
		case COMMIT_MOVE_RECEIVE:
		case COMMIT_MOVE_DEAD:
			if (destroyed)
				port_destroy_taken(k->port, taken_disposition(k->op));
			else
				commit_moved(k);
			break;
		case COMMIT_SEND_ONCE_PAIR:
			port_pair_given(&k->pair);
			break;
		case COMMIT_DEALLOC_OOL:
			vm_release(k->addr, k->size);
			break;
		default:        /* COMMIT_USE */
			break;
		}
		if (k->port && k->op != COMMIT_USE)
			port_release_if_empty(k->port);
	}
}

static void ctx_release(struct send_ctx *c)
{
	fdpass_close_all(c->owned, c->n_owned);
	for (size_t i = 0; i < c->n_commits; i++)
		port_unref(c->commits[i].port);
	port_unref(c->dest);
	free(c->ool);
}

static mach_msg_return_t send_error(int err, struct send_ctx *c)
{
	if (fdpass_peer_gone(err)) {
		space_lock();
		port_make_dead_name(c->dest);
		space_unlock();
		return MACH_SEND_INVALID_DEST;
	}
	switch (err) {
	case -ETIMEDOUT:
		return MACH_SEND_TIMED_OUT;
	case -EMSGSIZE:
	case -E2BIG:
		return MACH_SEND_TOO_LARGE;
	case -EINTR:
		return MACH_SEND_INTERRUPTED;
	case -EFAULT:           /* the caller's body: send_built() */
		return MACH_SEND_INVALID_DATA;
	default:
		return MACH_SEND_NO_BUFFER;
	}
}

/*
 * xnu: a right or memory the body could not take fails the send once the
 * header's rights and the descriptors before it were taken, and those are
 * destroyed (ipc_kmsg_copyin_body); the @mark first commits are theirs,
 * the others were never taken.  Space lock held.
 */
static void body_failed(struct send_ctx *c, size_t mark)
{
	send_drop_commits(c, mark);
	commit_all(c, true);
}

/*
 * Whether the caller's inline body, which sendmsg() read itself, cannot be
 * read (looked at after the send failed with EFAULT).  Without memory to
 * look, it is taken as readable: the out-of-line regions are looked at next.
 */
static bool body_unreadable(const char *body, size_t body_len)
{
	char *scratch = body_len ? malloc(body_len) : NULL;
	bool fault = scratch && vm_read_self(scratch, body, body_len) < 0;

	free(scratch);
	return fault;
}

/* Send what build() made; consume what moved, or leave it where it was. */
static mach_msg_return_t send_built(struct send_ctx *c, const char *body, size_t body_len,
				    mach_msg_option_t option, mach_msg_timeout_t timeout)
{
	int err = c->circular ? 0 :
		  send_datagram(c, body, body_len, option & MACH_SEND_TIMEOUT, timeout);
	size_t mark = 0;
	/* xnu copies the message in before it takes any right
	 * (ipc_kmsg_get_and_inflate_from_user()): a body it cannot read fails
	 * first, MACH_SEND_INVALID_DATA (send_error()), nothing taken.  A
	 * circular message, never sent, is read all the same. */
	bool bad_body = (err == -EFAULT || c->circular) && body_unreadable(body, body_len);
	/* A region sendmsg() could not read; unsent, a circular message's are
	 * read all the same, as xnu copies the body in before it looks. */
	bool fault = !bad_body && (err == -EFAULT || c->circular) && send_ool_fault(c, &mark);
	bool destroyed = c->circular && !bad_body;

	if (bad_body)
		err = -EFAULT;

	space_lock();
	send_unpin(c);
	/* xnu: a message through a send-once right whose port died is sent,
	 * as far as the sender can tell, and destroyed at once with every
	 * right it carried: a server replying to a client that went away
	 * succeeds and keeps no dead name; unless a request names the right
	 * (dead_once_kept(): send_error() makes the dead name). */
	if (err != 0 && once(c) && fdpass_peer_gone(err) && !dead_once_kept(c->dest))
		destroyed = true;
	if (fault)
		body_failed(c, mark);
	else if (err == 0 || destroyed)
		commit_all(c, destroyed);
	else
		send_drop_commits(c, 0);     /* the send-once rights made were never given */
	space_unlock();
	if (fault)
		return MACH_SEND_INVALID_MEMORY;
	return err == 0 || destroyed ? MACH_MSG_SUCCESS : send_error(err, c);
}

/*
 * build() failed with @mr: a body that fails destroys what it took
 * (body_failed()); anything found before leaves the caller's rights alone.
 * A small region before the descriptor that failed, read only by
 * sendmsg(), is looked at first: xnu's copy-in would have stopped there.
 */
static mach_msg_return_t build_failed(struct send_ctx *c, mach_msg_return_t mr)
{
	size_t mark = c->n_commits;

	if (send_ool_fault(c, &mark))
		mr = MACH_SEND_INVALID_MEMORY;
	if (!c->n_commits && !c->dest)
		return mr;
	space_lock();
	send_unpin(c);
	if (mr == MACH_SEND_INVALID_RIGHT || mr == MACH_SEND_INVALID_MEMORY)
		body_failed(c, mark);
	else
		send_drop_commits(c, 0);     /* the send-once rights made were never given */
	space_unlock();
	return mr;
}

mach_msg_return_t msg_send(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_timeout_t timeout)
{
	struct send_ctx *c;
	mach_msg_return_t mr;
	size_t body_off = 0;

	if (send_size < sizeof(*msg) || (send_size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > WIRE_MAX_DATAGRAM - sizeof(struct wire_hdr) -
	    WIRE_MAX_DESC * sizeof(struct wire_desc))
		return MACH_SEND_TOO_LARGE;
	c = malloc(sizeof(*c));
	if (!c)
		return MACH_SEND_NO_BUFFER;
	memset(c, 0, SEND_CTX_ZEROED);
	c->dest_fd = -1;
	c->ool_budget = WIRE_MAX_DATAGRAM - sizeof(struct wire_hdr) -
		WIRE_MAX_DESC * sizeof(struct wire_desc) - send_size;
	space_lock();
	mr = build(c, msg, send_size, &body_off);
	space_unlock();
	if (mr == MACH_MSG_SUCCESS)
		mr = send_built(c, (const char *)msg + body_off, send_size - body_off, option, timeout);
	else
		mr = build_failed(c, mr);
	ctx_release(c);
	free(c);
	return mr;
}
