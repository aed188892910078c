/* SPDX-License-Identifier: MIT */
/*
 * msg-send-rights.c - the send half's rights: each disposition resolved
 * to the fds that carry it, without consuming anything (the commits do
 * that once the datagram is queued).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "endpoint.h"
#include "msg-send.h"
#include "msg-send-ctx.h"
#include "notifier.h"

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

/* Whether the message has no room for one more fd (a moved dead name counts as one). */
static bool no_fd_room(const struct send_ctx *c)
{
	return c->nfds + c->n_dead >= WIRE_MAX_FDS;
}

int send_add_fd(struct send_ctx *c, int fd, bool owned)
{
	if (no_fd_room(c)) {
		if (owned)
			close(fd);
		return -E2BIG;
	}
	c->fds[c->nfds++] = fd;
	if (owned)
		c->owned[c->n_owned++] = fd;
	return 0;
}

void send_add_commit(struct send_ctx *c, enum commit_op op, struct port *p)
{
	struct commit *k = &c->commits[c->n_commits++];

	*k = (struct commit){ .op = op, .port = p, .pair = { .r = -1 } };
	if (p) {
		port_ref(p);
		k->pin = port_pin(p);
	}
}

void send_unpin(struct send_ctx *c)
{
	if (c->unpinned)
		return;
	c->unpinned = true;
	for (size_t i = 0; i < c->n_commits; i++)
		if (c->commits[i].port)
			port_unpin(c->commits[i].port, c->commits[i].pin);
	if (c->dest)
		port_unpin(c->dest, c->dest_pin);
}

/* Out-of-line memory with deallocate set: released once the message went. */
void send_add_dealloc(struct send_ctx *c, void *addr, size_t size)
{
	send_add_commit(c, COMMIT_DEALLOC_OOL, NULL);
	c->commits[c->n_commits - 1].addr = addr;
	c->commits[c->n_commits - 1].size = size;
}

/* A resolver's errno as the send's result (0: MACH_MSG_SUCCESS). */
mach_msg_return_t send_errno(int err)
{
	switch (err) {
	case 0:
		return MACH_MSG_SUCCESS;
	case -E2BIG:
		return MACH_SEND_TOO_LARGE;
	case -EFAULT:
		return MACH_SEND_INVALID_MEMORY;
	default:
		return MACH_SEND_NO_BUFFER;
	}
}

/* MAKE_SEND: receive right @p's own send end (made anew after no-senders). */
static int make_send(struct send_ctx *c, struct port *p, struct wire_desc *d)
{
	int fd = port_make_send_fd(p);

	send_add_commit(c, COMMIT_USE, p);
	d->kind = WIRE_PORT_SEND;
	return fd < 0 ? fd : send_add_fd(c, fd, false);
}

/*
 * MAKE_SEND_ONCE: a socketpair for this right alone, R one of @p's queues
 * before the send (port_pair_take()): no room for it fails the send with
 * nothing taken, as xnu's copy-in that cannot allocate, where room found
 * only after the send would leave the receiver a right that reaches no one.
 */
static int make_send_once(struct send_ctx *c, struct port *p)
{
	struct commit *k;
	int err;

	if (!(p->type & MACH_PORT_TYPE_RECEIVE))
		return -EINVAL;
	/* Before the pair: a socketpair made, or a parked one taken, would
	 * only be thrown away, its R a queue of @p for nothing. */
	if (no_fd_room(c))
		return -E2BIG;
	send_add_commit(c, COMMIT_SEND_ONCE_PAIR, p);
	k = &c->commits[c->n_commits - 1];
	err = port_pair_take(p, c->dest ? c->dest->ino : 0, true, &k->pair);
	return err < 0 ? err : send_add_fd(c, k->pair.s, true);
}

static int add_receive_fds(struct send_ctx *c, struct port *p, struct wire_desc *d)
{
	int fds[WIRE_MAX_FDS];
	bool has_s, has_pd;
	/* A moved dead name counts against the same limit as an fd (send_add_fd()). */
	ssize_t n = port_receive_fds(p, fds, WIRE_MAX_FDS - c->nfds - c->n_dead, &has_s, &has_pd,
				     &d->reserved);

	if (n < 0)
		return (int)n;
	if (has_s)
		d->flags |= WIRE_F_MASTER;
	if (has_pd)
		d->flags |= WIRE_F_PDREQUEST;
	for (ssize_t i = 0; i < n; i++)
		send_add_fd(c, fds[i], false);
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
	d->reserved = (uint32_t)(m->size >> 32);        /* entries may pass 4 GiB */
	d->flags = (uint32_t)m->prot & 0xff;
	send_add_commit(c, disp == MACH_MSG_TYPE_MOVE_SEND ? COMMIT_MOVE_SEND : COMMIT_USE, p);
	return send_add_fd(c, m->fd, false);
}

/*
 * Whether @p still holds right @need once the rights this message moved
 * before are taken: rights are taken in order (destination, reply, then
 * each descriptor and array element), as XNU copies them in, so a name
 * cannot move more send references than it has, nor its send-once or
 * receive right twice.
 */
static bool still_held(const struct send_ctx *c, const struct port *p, mach_port_type_t need)
{
	enum commit_op op = need == MACH_PORT_TYPE_SEND ? COMMIT_MOVE_SEND :
			    need == MACH_PORT_TYPE_DEAD_NAME ? COMMIT_MOVE_DEAD : COMMIT_MOVE_RECEIVE;
	size_t moved = 0;

	/* A send-once right moved before pins its entry: taken_by_a_send() refused it. */
	if (need == MACH_PORT_TYPE_SEND_ONCE)
		return true;
	for (size_t i = 0; i < c->n_commits; i++)
		if (c->commits[i].port == p && c->commits[i].op == op)
			moved++;
	return op == COMMIT_MOVE_SEND || op == COMMIT_MOVE_DEAD ? moved < p->urefs : moved == 0;
}

/*
 * Whether the send-once right @need names is in another send, or earlier
 * in this one: xnu's copy-in took it when that send started, and finds
 * the name without it (ipc_object_copyin() fails), whether or not its
 * port has died since.
 */
static bool taken_by_a_send(const struct port *p, mach_port_type_t need)
{
	return need == MACH_PORT_TYPE_SEND_ONCE && port_send_once_in_flight(p);
}

/*
 * xnu: a dead name moved or copied where a send or send-once right may go
 * (a descriptor, the reply port) travels as MACH_PORT_DEAD, a move taking
 * one of its references.
 */
static int resolve_dead(struct send_ctx *c, struct port *p, mach_msg_type_name_t disp,
			struct wire_desc *d)
{
	d->kind = WIRE_PORT_DEAD;
	d->nfds = 0;
	if (disp == MACH_MSG_TYPE_COPY_SEND)
		return 0;
	if (!still_held(c, p, MACH_PORT_TYPE_DEAD_NAME))
		return -ENOENT;
	/* A right like any other, as far as a message's room goes: else a
	 * port array of dead names would have no bound. */
	if (c->nfds + c->n_dead >= WIRE_MAX_FDS)
		return -E2BIG;
	c->n_dead++;
	send_add_commit(c, COMMIT_MOVE_DEAD, p);
	return 0;
}

/*
 * A name whose dead-name request fired becomes the dead name the
 * notification counted a reference for when it is used, as xnu's copy-in
 * turns it: looked at only for a name with a request while some request
 * has fired, so that no other send pays for the look.
 */
static bool now_dead(struct port *p, mach_port_type_t need)
{
	if (!(need & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)))
		return false;
	if (p->watched && notifier_any_fired())
		port_check_dead(p);
	return p->type & MACH_PORT_TYPE_DEAD_NAME;
}

/*
 * xnu: a message that carries its destination's own receive right would
 * keep the port alive for ever in its own queue (ipc_port_check_circularity():
 * the destination is the port, whatever the right to it).  Here a send or
 * make-send destination is @p's own entry, and a send-once right is its
 * own pair, whose receive end is one of @p's queues: looked for only when
 * a receive right with queues moves through a send-once right.
 */
static bool circular(const struct send_ctx *c, const struct port *p)
{
	if (p == c->dest)
		return true;
	return c->return_dest && p->u.recv.n_so && port_queue_peer(p, endpoint_inode(c->dest_fd));
}

void send_drop_commits(struct send_ctx *c, size_t mark)
{
	while (c->n_commits > mark) {
		struct commit *k = &c->commits[--c->n_commits];

		if (k->op == COMMIT_SEND_ONCE_PAIR)
			port_pair_not_given(k->port, &k->pair);
		if (k->port && !c->unpinned)
			port_unpin(k->port, k->pin);
		port_unref(k->port);
	}
}

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
	need = port_right_needed(disp);
	if (!need)
		return -EINVAL;
	if (p && taken_by_a_send(p, need))
		return -ENOENT;
	if (p && now_dead(p, need))
		return resolve_dead(c, p, disp, d);
	if (!p || !(p->type & need) || !still_held(c, p, need))
		return -ENOENT;
	if (port_memory(p))
		return resolve_memory(c, p, disp, d);
	d->nfds = 1;    /* but for a receive right */
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		send_add_commit(c, disp == MACH_MSG_TYPE_MOVE_SEND ? COMMIT_MOVE_SEND : COMMIT_USE, p);
		d->kind = WIRE_PORT_SEND;
		return send_add_fd(c, p->send_fd, false);
	case MACH_MSG_TYPE_MAKE_SEND:
		return make_send(c, p, d);
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		/* A channel call's reply right goes on as a right of its own. */
		if (port_so_chan_detach(p) < 0)
			return -ENOMEM;
		d->kind = WIRE_PORT_SEND_ONCE;
		send_add_commit(c, COMMIT_MOVE_SEND_ONCE, p);
		return send_add_fd(c, p->send_fd, false);
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		d->kind = WIRE_PORT_SEND_ONCE;
		return make_send_once(c, p);
	default: /* MOVE_RECEIVE */
		/* The message is destroyed instead, the port with it (its
		 * port-destroyed request firing), and the send reported done
		 * (MACH_MSGH_BITS_CIRCULAR). */
		if (circular(c, p))
			c->circular = true;
		d->kind = WIRE_PORT_RECEIVE;
		send_add_commit(c, COMMIT_MOVE_RECEIVE, p);
		return add_receive_fds(c, p, d);
	}
}

/*
 * Resolve one right (header reply or port descriptor) to fds; one that
 * fails takes nothing (xnu destroys what the message took before it, not
 * it).  Space lock held.  Return: 0, -ENOENT (no such name / wrong right),
 * -E2BIG, -EINVAL.
 */
int send_resolve_right(struct send_ctx *c, mach_port_name_t name,
			 mach_msg_type_name_t disp, struct wire_desc *d)
{
	size_t mark = c->n_commits;
	int err = resolve_right(c, name, disp, d);

	if (err < 0)
		send_drop_commits(c, mark);
	return err;
}

