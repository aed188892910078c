/* SPDX-License-Identifier: MIT */
/*
 * msg-send-descs.c - the send half's descriptors: port, out-of-line
 * memory, out-of-line port arrays and guarded receive rights, as XNU
 * copies them in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg-send.h"
#include "msg-send-ctx.h"
#include "vm-maps.h"
#include "vm-region.h"

/* Copied: a region given away goes with the send (not if the copy failed). */
static void ool_taken(struct send_ctx *c, const mach_msg_ool_descriptor_t *o)
{
	if (o->deallocate && o->size)
		send_add_dealloc(c, o->address, o->size);
}

static int resolve_ool(struct send_ctx *c, const mach_msg_ool_descriptor_t *o, struct wire_desc *d)
{
	if (o->size && !o->address)
		return -EFAULT;
	d->size = o->size;
	if (o->copy == MACH_MSG_VIRTUAL_COPY)
		d->flags = WIRE_F_VIRTUAL;
	/* Small regions ride in the datagram while it has room; the rest go as memfds. */
	if (o->size <= WIRE_OOL_INLINE_MAX && c->ool_len + o->size + 3 <= c->ool_budget) {
		d->kind = WIRE_OOL_INLINE;
		d->offset = c->ool_len;
		/* Not copied here: sendmsg() reads the caller's bytes, and a
		 * region it cannot read is the caller's MACH_SEND_INVALID_MEMORY,
		 * as xnu's copy-in says (send_ool_fault()), not a crash. */
		if (o->size)
			c->segs[c->n_segs++] = (struct ool_seg){ o->address, 0, o->size, c->n_commits };
		c->ool_len += (o->size + 3) & ~3u;
		ool_taken(c, o);
		return 0;
	}
	if (o->size > WIRE_OOL_MAX)
		return -E2BIG;
	d->kind = WIRE_OOL_MEMFD;
	d->nfds = 1;
	int fd = vm_sealed_copy(o->address, o->size);
	int err = fd < 0 ? fd : send_add_fd(c, fd, true);

	if (err == 0)
		ool_taken(c, o);
	return err;
}

/*
 * MACH_MSG_OOL_PORTS_DESCRIPTOR: each name resolved as a port descriptor
 * would be, its record in the ool area (wire.h).  Names the caller cannot
 * read: -EFAULT.
 */
static int resolve_ool_ports(struct send_ctx *c, const mach_msg_ool_ports_descriptor_t *o,
			     struct wire_desc *d)
{
	size_t bytes = (size_t)o->count * sizeof(struct wire_desc), at = c->ool_buf;
	mach_port_name_t *names;
	char *grown;
	int err = 0;

	d->kind = WIRE_PORT_ARRAY;
	d->size = o->count;
	if (o->count > WIRE_MAX_ARRAY || c->ool_len + bytes > c->ool_budget)
		return -E2BIG;
	names = malloc(o->count * sizeof(*names) + 1);
	grown = names ? realloc(c->ool, c->ool_buf + bytes + 1) : NULL;
	if (!grown) {
		free(names);
		return -ENOMEM;
	}
	c->ool = grown;
	if (vm_read_self(names, o->address, o->count * sizeof(*names)) < 0)
		err = -EFAULT;
	/* xnu gives the array away once it read it, before it takes a right. */
	else if (o->deallocate && o->count)
		send_add_dealloc(c, o->address, o->count * sizeof(*names));
	d->offset = c->ool_len;
	c->ool_len += bytes;
	c->ool_buf += bytes;
	if (bytes)
		c->segs[c->n_segs++] = (struct ool_seg){ NULL, at, bytes, 0 };
	for (mach_msg_size_t i = 0; i < o->count && err == 0; i++) {
		struct wire_desc e = { .type = MACH_MSG_PORT_DESCRIPTOR };

		err = send_resolve_right(c, names[i], o->disposition, &e);
		memcpy(c->ool + at + i * sizeof(e), &e, sizeof(e));
		d->nfds += e.nfds;
	}
	free(names);
	return err;
}

/*
 * XNU's guard check on a receive right moved by a guarded descriptor
 * (ipc_right_copyin_check_guard_locked): the right's guard must be the
 * descriptor's context, or, with UNGUARDED_ON_SEND, the right unguarded
 * and the context 0.
 */
static bool guard_matches(const struct port *p, const mach_msg_guarded_port_descriptor_t *g)
{
	const struct port_recv *rv = &p->u.recv;

	if ((g->flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && !rv->guarded && !g->context)
		return true;
	return rv->guarded && rv->context == g->context;
}

/*
 * MACH_MSG_GUARDED_PORT_DESCRIPTOR: a receive right (checked by
 * check_layout()) whose guard matches.  As XNU, the right leaves unguarded
 * (UNGUARDED_ON_SEND set on the wire); no context travels: the receiver's
 * guard, if any, is its own (msg-descs.c).
 */
static mach_msg_return_t resolve_guarded(struct send_ctx *c,
					 const mach_msg_guarded_port_descriptor_t *g,
					 struct wire_desc *d)
{
	mach_msg_guard_flags_t flags = g->flags;
	size_t mark = c->n_commits;
	int err = send_resolve_right(c, g->name, g->disposition, d);

	if (err == 0 && MACH_PORT_VALID(g->name)) {
		if (!guard_matches(space_get(g->name), g)) {
			err = -EINVAL;          /* xnu: kGUARD_EXC_INCORRECT_GUARD */
			send_drop_commits(c, mark);
		}
		flags |= MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
	}
	d->flags |= (uint32_t)flags << WIRE_GUARD_SHIFT;
	return err == -ENOENT || err == -EINVAL ? MACH_SEND_INVALID_RIGHT : send_errno(err);
}

/* One descriptor at @at (@left bytes of the message remain); *@used: its user size. */
static mach_msg_return_t resolve_one(struct send_ctx *c, const char *at, size_t left,
				     struct wire_desc *d, size_t *used)
{
	union {
		mach_msg_port_descriptor_t port;
		mach_msg_ool_descriptor_t ool;
		mach_msg_ool_ports_descriptor_t ports;
		mach_msg_guarded_port_descriptor_t guarded;
	} u;
	int err;

	*d = (struct wire_desc){ 0 };
	memcpy(&u.port, at, sizeof(u.port));
	*used = wire_user_desc_size(u.port.type);
	if (*used == 0)
		return MACH_SEND_INVALID_TYPE;
	if (left < *used)
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&u, at, *used);
	d->type = (uint8_t)u.port.type;
	switch (u.port.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		err = send_resolve_right(c, u.port.name, u.port.disposition, d);
		break;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		d->disposition = (uint8_t)msg_disposition_received(u.ports.disposition);
		err = resolve_ool_ports(c, &u.ports, d);
		break;
	case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
		return resolve_guarded(c, &u.guarded, d);
	default:
		err = resolve_ool(c, &u.ool, d);
	}
	if (err == -ENOENT || err == -EINVAL)
		return MACH_SEND_INVALID_RIGHT;
	return send_errno(err);
}

/* A guarded port descriptor as XNU accepts it: a receive right moved, known flags. */
static bool guarded_ok(const mach_msg_guarded_port_descriptor_t *g)
{
	return g->disposition == MACH_MSG_TYPE_MOVE_RECEIVE && g->flags != 0 &&
	       !(g->flags & ~MACH_MSG_GUARD_FLAGS_MASK) &&
	       !((g->flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && g->context);
}

/* Out-of-line memory as XNU accepts it: a physical or a virtual copy. */
static bool ool_ok(const char *at)
{
	mach_msg_ool_descriptor_t od;

	memcpy(&od, at, sizeof(od));
	return od.copy == MACH_MSG_PHYSICAL_COPY || od.copy == MACH_MSG_VIRTUAL_COPY;
}

/*
 * XNU measures every descriptor (type, size, a guarded one's flags, an
 * out-of-line one's copy option) before it takes any right: an unknown
 * type further on wins over a right that cannot be taken.
 */
static mach_msg_return_t check_layout(const char *at, size_t left, mach_msg_size_t count)
{
	for (mach_msg_size_t i = 0; i < count; i++) {
		mach_msg_port_descriptor_t pd;
		mach_msg_guarded_port_descriptor_t gd;
		size_t used;

		if (left < sizeof(pd))
			return MACH_SEND_MSG_TOO_SMALL;
		memcpy(&pd, at, sizeof(pd));
		used = wire_user_desc_size(pd.type);
		if (used == 0)
			return MACH_SEND_INVALID_TYPE;
		if (left < used)
			return MACH_SEND_MSG_TOO_SMALL;
		if (pd.type == MACH_MSG_GUARDED_PORT_DESCRIPTOR) {
			memcpy(&gd, at, sizeof(gd));
			if (!guarded_ok(&gd))
				return MACH_SEND_INVALID_TYPE;
		}
		if ((pd.type == MACH_MSG_OOL_DESCRIPTOR ||
		     pd.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) && !ool_ok(at))
			return MACH_SEND_INVALID_TYPE;
		at += used;
		left -= used;
	}
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t send_check_descriptors(const mach_msg_header_t *msg, mach_msg_size_t send_size)
{
	const char *base = (const char *)msg;
	size_t off = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t);
	mach_msg_size_t count;

	if (send_size < off)
		return MACH_SEND_MSG_TOO_SMALL;
	memcpy(&count, base + sizeof(mach_msg_header_t), sizeof(count));
	if (count > WIRE_MAX_DESC)
		return MACH_SEND_TOO_LARGE;
	return check_layout(base + off, send_size - off, count);
}

bool send_ool_fault(const struct send_ctx *c, size_t *mark)
{
	char *scratch = NULL;
	bool fault = false;

	for (size_t i = 0; i < c->n_segs && !fault; i++) {
		const struct ool_seg *g = &c->segs[i];

		if (!g->user)
			continue;
		if (!scratch)
			scratch = malloc(WIRE_OOL_INLINE_MAX);
		if (!scratch)
			break;
		fault = vm_read_self(scratch, g->user, g->len) < 0;
		if (fault)
			*mark = g->mark;
	}
	free(scratch);
	return fault;
}

/* Walk the descriptors of a complex message.  Return: *body_off = first body byte. */
mach_msg_return_t send_resolve_descriptors(struct send_ctx *c, const mach_msg_header_t *msg,
					   mach_msg_size_t send_size, size_t *body_off)
{
	const char *base = (const char *)msg;
	size_t off = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t);
	mach_msg_size_t count;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	memcpy(&count, base + sizeof(mach_msg_header_t), sizeof(count));
	for (mach_msg_size_t i = 0; i < count && mr == MACH_MSG_SUCCESS; i++) {
		size_t used;

		mr = resolve_one(c, base + off, send_size - off, &c->desc[i], &used);
		off += used;
	}
	c->hdr.ndesc = count;
	*body_off = off;
	return mr;
}

