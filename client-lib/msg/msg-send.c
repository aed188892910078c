/* SPDX-License-Identifier: MIT */
/*
 * msg-send.c - mach_msg's send half: resolve the header and descriptor
 * rights to fds, build the wire datagram, send it, then consume the moved
 * rights.  Nothing is consumed before the kernel accepted the datagram, so
 * a failed send leaves the caller's rights as they were.
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
#include "port.h"
#include "vm-region.h"
#include "wire.h"

/* What to do to a right once the datagram is queued. */
enum commit_op {
	COMMIT_NONE,
	COMMIT_MOVE_SEND,       /* drop one send reference */
	COMMIT_MOVE_SEND_ONCE,  /* the send-once right is used up */
	COMMIT_MOVE_RECEIVE,    /* the receive right left with the message */
	COMMIT_SEND_ONCE_PAIR,  /* MAKE_SEND_ONCE: the pair's R becomes a queue */
	COMMIT_DEALLOC_OOL,     /* out-of-line region with deallocate set */
};

struct commit {
	enum commit_op op;
	struct port *port;      /* referenced */
	struct so_pair pair;    /* COMMIT_SEND_ONCE_PAIR (port.h) */
	void *addr;             /* COMMIT_DEALLOC_OOL */
	size_t size;
};

struct send_ctx {
	struct wire_hdr hdr;
	struct wire_desc desc[WIRE_MAX_DESC];
	int fds[WIRE_MAX_FDS];
	size_t nfds;
	int owned[WIRE_MAX_FDS];        /* fds made for this message: closed after send */
	size_t n_owned;
	struct commit commits[WIRE_MAX_DESC + 2];
	size_t n_commits;
	char *ool;                      /* inline out-of-line bytes */
	size_t ool_len;
	size_t ool_budget;              /* inline bytes that still fit in one datagram */
	struct port *dest;
	int dest_fd;
	bool return_dest;       /* through a send-once right: give its send end back */
};

mach_msg_type_name_t msg_disposition_received(mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	default:
		return MACH_MSG_TYPE_PORT_NONE;
	}
}

static int add_fd(struct send_ctx *c, int fd, bool owned)
{
	if (c->nfds == WIRE_MAX_FDS) {
		if (owned)
			close(fd);
		return -E2BIG;
	}
	c->fds[c->nfds++] = fd;
	if (owned)
		c->owned[c->n_owned++] = fd;
	return 0;
}

static void add_commit(struct send_ctx *c, enum commit_op op, struct port *p)
{
	struct commit *k = &c->commits[c->n_commits++];

	*k = (struct commit){ .op = op, .port = p, .pair = { .r = -1 } };
	if (p)
		port_ref(p);
}

/* MAKE_SEND_ONCE: a socketpair for this right alone; R joins @p's queues after the send. */
static int make_send_once(struct send_ctx *c, struct port *p)
{
	struct commit *k;
	int err;

	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	add_commit(c, COMMIT_SEND_ONCE_PAIR, p);
	k = &c->commits[c->n_commits - 1];
	err = port_pair_take(p, c->dest ? c->dest->ino : 0, &k->pair);
	return err < 0 ? err : add_fd(c, k->pair.s, true);
}

static int add_receive_fds(struct send_ctx *c, struct port *p, struct wire_desc *d)
{
	int fds[WIRE_MAX_FDS];
	bool has_s;
	ssize_t n = port_receive_fds(p, fds, WIRE_MAX_FDS - c->nfds, &has_s);

	if (n < 0)
		return (int)n;
	if (has_s)
		d->flags |= WIRE_F_MASTER;
	for (ssize_t i = 0; i < n; i++)
		add_fd(c, fds[i], false);
	d->nfds = (uint8_t)n;
	return 0;
}

/* A memory entry travels as its memfd and window. */
static int resolve_memory(struct send_ctx *c, struct port *p, mach_msg_type_name_t disp,
			  struct wire_desc *d)
{
	const struct port_mem *m = port_memory(p);

	d->kind = WIRE_PORT_MEMORY;
	d->nfds = 1;
	d->offset = m->offset;
	d->size = (uint32_t)m->size;
	d->flags = (uint32_t)m->prot & 0xff;
	if (disp == MACH_MSG_TYPE_MOVE_SEND)
		add_commit(c, COMMIT_MOVE_SEND, p);
	return add_fd(c, m->fd, false);
}

/* The right a disposition takes from the sender's name, or 0 if it is no disposition. */
static mach_port_type_t right_needed(mach_msg_type_name_t disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		return MACH_PORT_TYPE_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return MACH_PORT_TYPE_SEND_ONCE;
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_PORT_TYPE_RECEIVE;
	default:
		return 0;
	}
}

/*
 * Resolve one right (header reply or port descriptor) to fds.  Space lock
 * held.  Return: 0, -ENOENT (no such name / wrong right), -E2BIG, -EINVAL.
 */
static int resolve_right(struct send_ctx *c, mach_port_name_t name,
			 mach_msg_type_name_t disp, struct wire_desc *d)
{
	struct port *p;
	mach_port_type_t need;

	d->disposition = (uint8_t)msg_disposition_received(disp);
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD) {
		d->kind = name ? WIRE_PORT_DEAD : WIRE_PORT_NULL;
		return 0;
	}
	p = space_get(name);
	need = right_needed(disp);
	if (!need)
		return -EINVAL;
	if (!p || !(p->type & need))
		return -ENOENT;
	if (port_memory(p))
		return resolve_memory(c, p, disp, d);
	d->nfds = 1;    /* but for a receive right */
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
		add_commit(c, COMMIT_MOVE_SEND, p);
		/* fall through */
	case MACH_MSG_TYPE_COPY_SEND:
		d->kind = WIRE_PORT_SEND;
		return add_fd(c, p->send_fd, false);
	case MACH_MSG_TYPE_MAKE_SEND: {
		int fd = port_make_send_fd(p);

		d->kind = WIRE_PORT_SEND;
		return fd < 0 ? fd : add_fd(c, fd, false);
	}
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		d->kind = WIRE_PORT_SEND_ONCE;
		add_commit(c, COMMIT_MOVE_SEND_ONCE, p);
		return add_fd(c, p->send_fd, false);
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		d->kind = WIRE_PORT_SEND_ONCE;
		return make_send_once(c, p);
	default: /* MOVE_RECEIVE */
		if (p == c->dest)
			return -EINVAL; /* a port cannot carry its own receive right */
		d->kind = WIRE_PORT_RECEIVE;
		add_commit(c, COMMIT_MOVE_RECEIVE, p);
		return add_receive_fds(c, p, d);
	}
}


static int resolve_ool(struct send_ctx *c, const mach_msg_ool_descriptor_t *o, struct wire_desc *d)
{
	if (o->size && !o->address)
		return -EFAULT;
	d->size = o->size;
	if (o->deallocate && o->size) {
		add_commit(c, COMMIT_DEALLOC_OOL, NULL);
		c->commits[c->n_commits - 1].addr = o->address;
		c->commits[c->n_commits - 1].size = o->size;
	}
	/* Small regions ride in the datagram while it has room; the rest go as memfds. */
	if (o->size <= WIRE_OOL_INLINE_MAX && c->ool_len + o->size + 3 <= c->ool_budget) {
		char *grown = realloc(c->ool, c->ool_len + o->size + 4);

		if (!grown)
			return -ENOMEM;
		c->ool = grown;
		d->kind = WIRE_OOL_INLINE;
		d->offset = c->ool_len;
		if (o->size)
			memcpy(c->ool + c->ool_len, o->address, o->size);
		/* The padding goes out too: never let it carry stale heap bytes. */
		memset(c->ool + c->ool_len + o->size, 0, ((o->size + 3) & ~3u) - o->size);
		c->ool_len += (o->size + 3) & ~3u;
		return 0;
	}
	if (o->size > WIRE_OOL_MAX)
		return -E2BIG;
	d->kind = WIRE_OOL_MEMFD;
	d->nfds = 1;
	int fd = vm_sealed_copy(o->address, o->size);
	return fd < 0 ? fd : add_fd(c, fd, true);
}

/* Walk the descriptors of a complex message.  Return: *body_off = first body byte. */
static mach_msg_return_t resolve_descriptors(struct send_ctx *c, const mach_msg_header_t *msg,
					     mach_msg_size_t send_size, size_t *body_off)
{
	const char *base = (const char *)msg;
	size_t off = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t);
	mach_msg_size_t count;

	if (send_size < off)
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&count, base + sizeof(mach_msg_header_t), sizeof(count));
	if (count > WIRE_MAX_DESC)
		return MACH_SEND_TOO_LARGE;
	for (mach_msg_size_t i = 0; i < count; i++) {
		struct wire_desc *d = &c->desc[i];
		mach_msg_port_descriptor_t pd;
		mach_msg_ool_descriptor_t od;
		int err;

		if (send_size - off < sizeof(pd))
			return MACH_SEND_MSG_TOO_SMALL;
		memcpy(&pd, base + off, sizeof(pd));
		d->type = (uint8_t)pd.type;
		if (pd.type == MACH_MSG_PORT_DESCRIPTOR) {
			err = resolve_right(c, pd.name, pd.disposition, d);
			off += sizeof(pd);
			if (err == -ENOENT || err == -EINVAL)
				return MACH_SEND_INVALID_RIGHT;
		} else if (pd.type == MACH_MSG_OOL_DESCRIPTOR ||
			   pd.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) {
			if (send_size - off < sizeof(od))
				return MACH_SEND_MSG_TOO_SMALL;
			memcpy(&od, base + off, sizeof(od));
			err = resolve_ool(c, &od, d);
			off += sizeof(od);
		} else {
			return MACH_SEND_INVALID_TYPE;
		}
		if (err == -E2BIG)
			return MACH_SEND_TOO_LARGE;
		if (err == -EFAULT)
			return MACH_SEND_INVALID_MEMORY;
		if (err < 0)
			return MACH_SEND_NO_BUFFER;
	}
	c->hdr.ndesc = count;
	*body_off = off;
	return MACH_MSG_SUCCESS;
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
			add_commit(c, COMMIT_MOVE_SEND, p);
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (!(p->type & MACH_PORT_TYPE_SEND_ONCE))
			return MACH_SEND_INVALID_DEST;
		c->dest_fd = p->send_fd;
		c->return_dest = true;
		add_commit(c, COMMIT_MOVE_SEND_ONCE, p);
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
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t resolve_reply(struct send_ctx *c, const mach_msg_header_t *msg)
{
	mach_msg_type_name_t disp = MACH_MSGH_BITS_LOCAL(msg->msgh_bits);
	struct wire_desc d = { 0 };
	int err;

	if (disp == 0 || msg->msgh_local_port == MACH_PORT_NULL)
		return MACH_MSG_SUCCESS;
	if (disp == MACH_MSG_TYPE_MOVE_RECEIVE)
		return MACH_SEND_INVALID_REPLY;
	err = resolve_right(c, msg->msgh_local_port, disp, &d);
	if (err < 0)
		return MACH_SEND_INVALID_REPLY;
	c->hdr.reply_nfds = d.nfds;
	c->hdr.bits |= (uint32_t)d.disposition;
	return MACH_MSG_SUCCESS;
}

/* Header and descriptors -> ctx.  Space lock held. */
static mach_msg_return_t build(struct send_ctx *c, const mach_msg_header_t *msg,
			       mach_msg_size_t send_size, size_t *body_off)
{
	mach_msg_bits_t bits = msg->msgh_bits;
	mach_msg_return_t mr;

	if (bits & ~MACH_MSGH_BITS_USER || MACH_MSGH_BITS_VOUCHER(bits))
		return MACH_SEND_INVALID_HEADER;
	c->hdr.magic = WIRE_MAGIC;
	c->hdr.id = msg->msgh_id;
	c->hdr.bits = (bits & MACH_MSGH_BITS_COMPLEX) |
		((uint32_t)msg_disposition_received(MACH_MSGH_BITS_REMOTE(bits)) << 8);
	mr = resolve_dest(c, msg);
	if (mr == MACH_MSG_SUCCESS)
		mr = resolve_reply(c, msg);
	*body_off = sizeof(mach_msg_header_t);
	if (mr == MACH_MSG_SUCCESS && (bits & MACH_MSGH_BITS_COMPLEX))
		mr = resolve_descriptors(c, msg, send_size, body_off);
	return mr;
}

static int send_datagram(struct send_ctx *c, const void *body, size_t body_len,
			 bool timed, mach_msg_timeout_t timeout)
{
	struct iovec iov[4] = {
		{ &c->hdr, sizeof(c->hdr) },
		{ c->desc, c->hdr.ndesc * sizeof(struct wire_desc) },
		{ (void *)body, body_len },
		{ c->ool, c->ool_len },
	};
	struct timespec deadline;
	int err;

	if (c->return_dest && add_fd(c, c->dest_fd, false) == 0)
		c->hdr.bits |= WIRE_BITS_RETURNED;      /* see sopool.h */
	c->hdr.nfds = (uint32_t)c->nfds;
	c->hdr.body_len = (uint32_t)body_len;
	c->hdr.data_len = (uint32_t)(body_len + c->ool_len);
	if (iov[0].iov_len + iov[1].iov_len + c->hdr.data_len > WIRE_MAX_DATAGRAM)
		return -EMSGSIZE;       /* receivers refuse it: wire.h */
	if (!timed)
		return fdpass_send(c->dest_fd, iov, 4, c->fds, c->nfds, 0);
	deadline = deadline_in(timeout);
	for (;;) {
		struct pollfd pfd = { .fd = c->dest_fd, .events = POLLOUT };
		int ms;

		err = fdpass_send(c->dest_fd, iov, 4, c->fds, c->nfds, MSG_DONTWAIT);
		if (err != -EAGAIN)
			return err;
		ms = deadline_left_ms(&deadline);
		if (ms == 0)
			return -ETIMEDOUT;
		poll(&pfd, 1, ms);
	}
}

/* After a successful send: consume what moved.  Space lock held. */
static void commit_all(struct send_ctx *c)
{
	for (size_t i = 0; i < c->n_commits; i++) {
		struct commit *k = &c->commits[i];

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
		case COMMIT_SEND_ONCE_PAIR:
			port_pair_given(k->port, &k->pair);
			break;
		case COMMIT_DEALLOC_OOL:
			vm_release(k->addr, k->size);
			break;
		default:
			break;
		}
		if (k->port)
			port_release_if_empty(k->port);
	}
}

/* After a failed send: the send-once rights made were never given.  Space lock held. */
static void rollback_all(struct send_ctx *c)
{
	for (size_t i = 0; i < c->n_commits; i++)
		if (c->commits[i].op == COMMIT_SEND_ONCE_PAIR)
			port_pair_not_given(c->commits[i].port, &c->commits[i].pair);
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
	switch (err) {
	case -EPIPE:
	case -ECONNREFUSED:
	case -ENOTCONN:
	case -ECONNRESET:
		space_lock();
		port_make_dead_name(c->dest);
		space_unlock();
		return MACH_SEND_INVALID_DEST;
	case -ETIMEDOUT:
		return MACH_SEND_TIMED_OUT;
	case -EMSGSIZE:
	case -E2BIG:
		return MACH_SEND_TOO_LARGE;
	case -EINTR:
		return MACH_SEND_INTERRUPTED;
	default:
		return MACH_SEND_NO_BUFFER;
	}
}

mach_msg_return_t msg_send(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_timeout_t timeout)
{
	struct send_ctx *c;
	mach_msg_return_t mr;
	size_t body_off = 0;
	int err;

	if (send_size < sizeof(*msg) || (send_size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > WIRE_MAX_DATAGRAM - sizeof(struct wire_hdr) -
	    WIRE_MAX_DESC * sizeof(struct wire_desc))
		return MACH_SEND_TOO_LARGE;
	c = calloc(1, sizeof(*c));
	if (!c)
		return MACH_SEND_NO_BUFFER;
	c->dest_fd = -1;
	c->ool_budget = WIRE_MAX_DATAGRAM - sizeof(struct wire_hdr) -
		WIRE_MAX_DESC * sizeof(struct wire_desc) - send_size;
	space_lock();
	mr = build(c, msg, send_size, &body_off);
	space_unlock();
	if (mr == MACH_MSG_SUCCESS) {
		err = send_datagram(c, (const char *)msg + body_off, send_size - body_off,
				    option & MACH_SEND_TIMEOUT, timeout);
		if (err == 0) {
			space_lock();
			commit_all(c);
			space_unlock();
		} else {
			space_lock();
			rollback_all(c);
			space_unlock();
			mr = send_error(err, c);
		}
	} else if (c->n_commits) {
		space_lock();
		rollback_all(c);
		space_unlock();
	}
	ctx_release(c);
	free(c);
	return mr;
}
