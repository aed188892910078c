/* SPDX-License-Identifier: MIT */
#include "wire.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

size_t wire_user_desc_size(unsigned int type)
{
	switch (type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		return sizeof(mach_msg_port_descriptor_t);
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		return sizeof(mach_msg_ool_descriptor_t);
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		return sizeof(mach_msg_ool_ports_descriptor_t);
	case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
		return sizeof(mach_msg_guarded_port_descriptor_t);
	default:
		return 0;
	}
}

size_t wire_user_size(const void *buf)
{
	const struct wire_hdr *h = buf;
	const struct wire_desc *d = wire_descs(buf);
	size_t size = sizeof(mach_msg_header_t) + h->body_len;

	if (h->bits & MACH_MSGH_BITS_COMPLEX)
		size += sizeof(mach_msg_body_t);
	for (uint32_t i = 0; i < h->ndesc; i++)
		size += wire_user_desc_size(d[i].type);
	return size;
}

/* The number of fds a descriptor of this kind must carry, or -1 if any count >= 1 is allowed. */
static int expected_fds(const struct wire_desc *d)
{
	switch (d->kind) {
	case WIRE_PORT_NULL:
	case WIRE_PORT_DEAD:
	case WIRE_OOL_INLINE:
		return 0;
	case WIRE_PORT_SEND:
	case WIRE_PORT_SEND_ONCE:
	case WIRE_PORT_MEMORY:
	case WIRE_OOL_MEMFD:
		return 1;
	case WIRE_PORT_RECEIVE:
	case WIRE_PORT_ARRAY:
		return -1;
	default:
		return -2;
	}
}

/* A received disposition is one of the PORT_* forms; the right's kind decides which. */
static bool disposition_ok(const struct wire_desc *d)
{
	switch (d->kind) {
	case WIRE_PORT_NULL:
	case WIRE_PORT_DEAD:
		return d->disposition == MACH_MSG_TYPE_PORT_NONE ||
		       MACH_MSG_TYPE_PORT_ANY_RIGHT(d->disposition);
	case WIRE_PORT_SEND:
	case WIRE_PORT_MEMORY:
		return d->disposition == MACH_MSG_TYPE_PORT_SEND;
	case WIRE_PORT_SEND_ONCE:
		return d->disposition == MACH_MSG_TYPE_PORT_SEND_ONCE;
	case WIRE_PORT_RECEIVE:
		return d->disposition == MACH_MSG_TYPE_PORT_RECEIVE;
	default:
		return false;
	}
}

struct wire_desc wire_array_elem(const void *buf, const struct wire_desc *d, uint32_t i)
{
	const struct wire_hdr *h = buf;
	struct wire_desc e;

	memcpy(&e, wire_body(buf) + h->body_len + d->offset + (size_t)i * sizeof(e), sizeof(e));
	return e;
}

/* A port right: a port descriptor, a guarded one, or an element of an array. */
static int validate_right(const struct wire_desc *d)
{
	int want = expected_fds(d);

	if (d->kind > WIRE_PORT_MEMORY || want == -2 || (want >= 0 && d->nfds != want))
		return -EBADMSG;
	if (d->kind == WIRE_PORT_RECEIVE &&
	    (d->nfds < 1 + !!(d->flags & WIRE_F_MASTER) + !!(d->flags & WIRE_F_PDREQUEST) +
	     WIRE_RECV_CHANNELS(d->reserved) || d->reserved > WIRE_RECV_CHANNELS(d->reserved)))
		return -EBADMSG;
	if (d->kind != WIRE_PORT_RECEIVE && d->kind != WIRE_PORT_MEMORY && d->reserved)
		return -EBADMSG;
	return disposition_ok(d) ? 0 : -EBADMSG;
}

/* The array's records lie in the ool area, each a right of the array's disposition. */
static int validate_array(const void *buf, const struct wire_desc *d, size_t ool_len)
{
	size_t fds = 0;

	if (d->size > WIRE_MAX_ARRAY || (d->offset & 3) || d->offset > ool_len ||
	    d->size > (ool_len - d->offset) / sizeof(struct wire_desc) ||
	    !MACH_MSG_TYPE_PORT_ANY_RIGHT(d->disposition))
		return -EBADMSG;
	for (uint32_t i = 0; i < d->size; i++) {
		struct wire_desc e = wire_array_elem(buf, d, i);

		if (e.type != MACH_MSG_PORT_DESCRIPTOR || validate_right(&e) < 0)
			return -EBADMSG;
		if (e.kind != WIRE_PORT_NULL && e.kind != WIRE_PORT_DEAD &&
		    e.disposition != d->disposition)
			return -EBADMSG;
		fds += e.nfds;
	}
	return fds == d->nfds ? 0 : -EBADMSG;
}

static int validate_desc(const void *buf, const struct wire_desc *d, size_t ool_len)
{
	switch (d->type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		return validate_right(d);
	case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
		return d->kind <= WIRE_PORT_DEAD || d->kind == WIRE_PORT_RECEIVE ?
		       validate_right(d) : -EBADMSG;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		return d->kind == WIRE_PORT_ARRAY ? validate_array(buf, d, ool_len) : -EBADMSG;
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		break;
	default:
		return -EBADMSG;
	}
	if (d->kind == WIRE_OOL_INLINE)
		return (d->nfds == 0 && d->size <= WIRE_OOL_INLINE_MAX && d->offset <= ool_len &&
			d->size <= ool_len - d->offset) ? 0 : -EBADMSG;
	if (d->kind == WIRE_OOL_MEMFD)
		return d->nfds == 1 && d->size <= WIRE_OOL_MAX ? 0 : -EBADMSG;
	return -EBADMSG;
}

/*
 * The header's two dispositions, in received form: the reply right's
 * (remote) must match whether an fd carries it; the destination's (local)
 * is a send or send-once right, or none.
 */
static bool bits_ok(const struct wire_hdr *h)
{
	unsigned int reply = MACH_MSGH_BITS_REMOTE(h->bits), dest = MACH_MSGH_BITS_LOCAL(h->bits);
	bool reply_is_send = reply == MACH_MSG_TYPE_PORT_SEND ||
			     reply == MACH_MSG_TYPE_PORT_SEND_ONCE;

	if (h->reply_nfds ? !reply_is_send : !(reply_is_send || reply == MACH_MSG_TYPE_PORT_NONE))
		return false;
	if ((h->bits & WIRE_BITS_REPLY_DEAD) && (h->reply_nfds || !reply_is_send))
		return false;
	if ((h->bits & WIRE_BITS_RETURNED) && dest != MACH_MSG_TYPE_PORT_SEND_ONCE)
		return false;
	/* On the connection: no reply right travels (an answer up a channel
	 * may carry one, as any reply may); RESEND only with it. */
	if ((h->bits & WIRE_BITS_ONCONN) && (h->bits & WIRE_BITS_RETURNED))
		return false;
	if ((h->bits & WIRE_BITS_ONCONN) && h->reply_nfds && !(h->bits & WIRE_BITS_CHAN))
		return false;
	if ((h->bits & WIRE_BITS_RESEND) && !(h->bits & WIRE_BITS_ONCONN))
		return false;
	/* A channel call is answered up the channel: CHAN with ONCONN. */
	if (!(h->bits & (WIRE_BITS_ONCONN | WIRE_BITS_CHAN)) && h->seq)
		return false;
	if (h->bits & WIRE_CONTROL_BITS)
		return false;   /* control datagrams: wire_control() */
	return dest == MACH_MSG_TYPE_PORT_NONE || dest == MACH_MSG_TYPE_PORT_SEND ||
	       dest == MACH_MSG_TYPE_PORT_SEND_ONCE;
}

int wire_validate(const void *buf, size_t len, size_t nfds)
{
	const struct wire_hdr *h = buf;
	const struct wire_desc *d;
	size_t fds = 0, fixed;

	if (len < sizeof(*h) || len > WIRE_MAX_DATAGRAM || h->magic != WIRE_MAGIC)
		return -EBADMSG;
	if (h->ndesc > WIRE_MAX_DESC || h->nfds != nfds || h->reply_nfds > 1 ||
	    h->body_len > h->data_len || (h->body_len & 3))
		return -EBADMSG;
	if ((h->ndesc && !(h->bits & MACH_MSGH_BITS_COMPLEX)) || !bits_ok(h))
		return -EBADMSG;
	fixed = sizeof(*h) + (size_t)h->ndesc * sizeof(*d);
	if (len < fixed || len - fixed != h->data_len)
		return -EBADMSG;
	d = wire_descs(buf);
	fds = h->reply_nfds + ((h->bits & WIRE_BITS_RETURNED) ? 1 : 0);
	for (uint32_t i = 0; i < h->ndesc; i++) {
		if (validate_desc(buf, &d[i], h->data_len - h->body_len) < 0)
			return -EBADMSG;
		fds += d[i].nfds;
	}
	return fds == nfds ? 0 : -EBADMSG;
}

/* The bits each control datagram has, the fds it carries, its body. */
static const struct {
	uint32_t bits;
	size_t nfds;
	uint32_t body;          /* body_len and data_len */
	enum { SEQ_NONE, SEQ_CALL, SEQ_ANY } seq;       /* 0 / a call's (nonzero) / either */
} control_shape[] = {
	[WIRE_CTL_OFFER] = { WIRE_BITS_OFFER, 1, 0, SEQ_NONE },
	[WIRE_CTL_SO_DIED] = { WIRE_BITS_SO_DIED | WIRE_BITS_ONCONN, 0, 0, SEQ_CALL },
	[WIRE_CTL_SO_MOVED] = { WIRE_BITS_SO_MOVED | WIRE_BITS_ONCONN, 1, 0, SEQ_CALL },
	[WIRE_CTL_RETIRED] = { WIRE_BITS_RETIRED, 0, sizeof(struct wire_retired), SEQ_ANY },
	[WIRE_CTL_PROBE] = { WIRE_BITS_RETIRED | WIRE_BITS_CHAN, 0, 0, SEQ_CALL },
	[WIRE_CTL_WAKE] = { WIRE_BITS_WAKE, 0, 0, SEQ_NONE },
	[WIRE_CTL_REFUSED] = { WIRE_BITS_OFFER | WIRE_BITS_ONCONN, 0, 0, SEQ_NONE },
};

static bool seq_fits(const struct wire_hdr *h, int want)
{
	if (want == SEQ_CALL)
		return h->seq != 0;
	return want == SEQ_ANY || h->seq == 0;
}

enum wire_control wire_control(const void *buf, size_t len, size_t nfds)
{
	const struct wire_hdr *h = buf;

	if (len < sizeof(*h) || h->magic != WIRE_MAGIC || !(h->bits & WIRE_CONTROL_BITS))
		return WIRE_CTL_NONE;
	for (int k = WIRE_CTL_OFFER; k < WIRE_CTL_INVALID; k++) {
		uint32_t body = control_shape[k].body;

		if (h->bits != control_shape[k].bits)
			continue;
		if (len != sizeof(*h) + body || h->ndesc || h->reply_nfds || h->body_len != body ||
		    h->data_len != body || h->nfds != nfds || nfds != control_shape[k].nfds ||
		    !seq_fits(h, control_shape[k].seq) || (k == WIRE_CTL_OFFER && h->id == 0))
			return WIRE_CTL_INVALID;
		return (enum wire_control)k;
	}
	return WIRE_CTL_INVALID;
}
