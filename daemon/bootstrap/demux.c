/* SPDX-License-Identifier: MIT */
/*
 * demux.c - a request rebuilt as the Mach message a generated demux reads,
 * and the reply it lays out sent back on the wire.
 *
 * Request descriptors are rebuilt as port descriptors (12 bytes): a
 * subsystem served this way takes only ports, and any other descriptor
 * keeps its type, so that the generated type check refuses it
 * (MIG_TYPE_ERROR).  Replies carry ports and out-of-line memory (malloc'd
 * by the routine; it travels as a sealed memfd).
 * The daemon is single-threaded: one call is served at a time.
 */
#include "demux.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipc.h"
#include "log.h"
#include "log-limit.h"
#include "msg-audit.h"
#include "vm-region.h"

#define DEMUX_NAME_CALL  0x10u
#define DEMUX_NAME_REPLY 0x11u
#define DEMUX_NAME_IN    0x100u   /* + the descriptor's index */
#define DEMUX_NAME_OUT   0x200u   /* + the right's index in call->out */
/* Requests and replies of the subsystems served this way are far smaller. */
#define DEMUX_MSG_MAX    2048u

union demux_msg {
	mach_msg_header_t head;
	mig_reply_error_t error;
	_Alignas(8) char buf[DEMUX_MSG_MAX + sizeof(mach_msg_max_trailer_t)];
};

static struct demux_call *current;

struct demux_call *demux_call(mach_port_t bp)
{
	return bp == DEMUX_NAME_CALL ? current : NULL;
}

int demux_take(struct demux_call *call, mach_port_t name)
{
	unsigned int i = name - DEMUX_NAME_IN;

	if (name < DEMUX_NAME_IN || i >= call->rq->hdr->ndesc ||
	    call->rq->desc[i].kind != WIRE_PORT_SEND)
		return -1;
	return ipc_take_desc_fd(call->rq, i);
}

mach_port_t demux_give(struct demux_call *call, enum wire_kind kind, const int *fds, size_t nfds,
		       unsigned int flags)
{
	struct demux_right *r;

	if (call->nout == DEMUX_MAX_OUT || nfds > DEMUX_RIGHT_MAX_FDS)
		return MACH_PORT_NULL;
	r = &call->out[call->nout];
	/* Field by field: clearing the whole fd array first cost every look-up. */
	r->kind = kind;
	r->nfds = nfds;
	r->flags = flags;
	r->ino = 0;
	r->reserved = 0;
	memcpy(r->fds, fds, nfds * sizeof(*fds));
	return DEMUX_NAME_OUT + (mach_port_t)call->nout++;
}

mach_port_t demux_give_receive(struct demux_call *call, const int *fds, size_t nfds,
			       unsigned int flags, size_t nchan)
{
	mach_port_t name = demux_give(call, WIRE_PORT_RECEIVE, fds, nfds, flags);

	if (name != MACH_PORT_NULL)
		call->out[name - DEMUX_NAME_OUT].reserved = WIRE_RECV_RESERVED(nchan);
	return name;
}

mach_port_t demux_give_port(struct demux_call *call, int fd, uint32_t ino)
{
	mach_port_t name = demux_give(call, WIRE_PORT_SEND, &fd, 1, 0);

	if (name != MACH_PORT_NULL)
		call->out[name - DEMUX_NAME_OUT].ino = ino;
	return name;
}

/* The name a routine sees for descriptor @i of the request. */
static mach_port_t in_name(const struct wire_desc *d, unsigned int i)
{
	if (d->kind == WIRE_PORT_NULL)
		return MACH_PORT_NULL;
	if (d->kind == WIRE_PORT_DEAD)
		return MACH_PORT_DEAD;
	return DEMUX_NAME_IN + i;
}

static void fill_trailer(char *at, const struct fdpass_creds *cr)
{
	mach_msg_max_trailer_t t;

	memset(&t, 0, sizeof(t));
	t.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t.msgh_trailer_size = sizeof(mach_msg_audit_trailer_t);
	audit_fill_tokens(&t, cr);
	memcpy(at, &t, sizeof(t));
}

/*
 * The Mach message of @rq in @m.  One too big for the buffer keeps only its
 * header, with its real size: the demux refuses it by its size (or its id).
 */
static void build_request(const struct ipc_request *rq, union demux_msg *m)
{
	const struct wire_hdr *w = rq->hdr;
	bool complex = (w->bits & MACH_MSGH_BITS_COMPLEX) != 0;
	size_t descs = complex ? sizeof(mach_msg_body_t) +
				 w->ndesc * sizeof(mach_msg_port_descriptor_t) : 0;
	size_t size = sizeof(mach_msg_header_t) + descs + rq->body_len;
	mach_msg_port_descriptor_t *pd;

	memset(m, 0, sizeof(m->head) + sizeof(mach_msg_body_t));
	m->head.msgh_bits = w->bits & (MACH_MSGH_BITS_PORTS_MASK | MACH_MSGH_BITS_COMPLEX);
	m->head.msgh_size = (mach_msg_size_t)size;
	m->head.msgh_remote_port = ipc_reply_pending(rq) ? DEMUX_NAME_REPLY : MACH_PORT_NULL;
	m->head.msgh_local_port = DEMUX_NAME_CALL;
	m->head.msgh_id = w->id;
	if (size > DEMUX_MSG_MAX)
		return;
	if (complex) {
		((mach_msg_body_t *)(&m->head + 1))->msgh_descriptor_count = w->ndesc;
		pd = (void *)(m->buf + sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t));
		for (unsigned int i = 0; i < w->ndesc; i++)
			pd[i] = (mach_msg_port_descriptor_t){
				.name = in_name(&rq->desc[i], i),
				.disposition = rq->desc[i].disposition,
				.type = rq->desc[i].type,
			};
	}
	memcpy(m->buf + sizeof(mach_msg_header_t) + descs, rq->body, rq->body_len);
	fill_trailer(m->buf + round_msg(size), &rq->creds);
}

/* A port descriptor of the reply as the wire's, its fds appended to @fds. */
static int reply_port(const struct demux_call *call, const mach_msg_port_descriptor_t *pd,
		      struct wire_desc *d, int *fds, size_t *nfds)
{
	unsigned int k = pd->name - DEMUX_NAME_OUT;
	const struct demux_right *r;

	if (pd->name < DEMUX_NAME_OUT || k >= call->nout)
		return -EINVAL;
	r = &call->out[k];
	*d = (struct wire_desc){
		.type = MACH_MSG_PORT_DESCRIPTOR,
		.disposition = r->kind == WIRE_PORT_RECEIVE ? MACH_MSG_TYPE_PORT_RECEIVE :
							      MACH_MSG_TYPE_PORT_SEND,
		.kind = (uint8_t)r->kind,
		.nfds = (uint8_t)r->nfds,
		.flags = r->flags,
		.reserved = r->reserved,
	};
	/* Only the daemon writes into a connection: there its word is good. */
	if (r->ino && call->rq->conn_fd >= 0) {
		d->flags |= WIRE_F_INO;
		d->offset = r->ino;
	}
	memcpy(fds + *nfds, r->fds, r->nfds * sizeof(int));
	*nfds += r->nfds;
	return 0;
}

/* Out-of-line memory of the reply as a sealed memfd (none when empty), freed if asked. */
static int reply_ool(const mach_msg_ool_descriptor_t *od, struct wire_desc *d, int *fds,
		     size_t *nfds, size_t *made)
{
	int fd;

	/* The stub's copy option goes along: a virtual copy is the receiver's to deallocate. */
	*d = (struct wire_desc){ .type = MACH_MSG_OOL_DESCRIPTOR, .kind = WIRE_OOL_INLINE,
				 .flags = od->copy == MACH_MSG_VIRTUAL_COPY ? WIRE_F_VIRTUAL : 0 };
	if (od->size) {
		fd = vm_sealed_copy(od->address, od->size);
		if (fd < 0)
			return fd;
		d->kind = WIRE_OOL_MEMFD;
		d->nfds = 1;
		d->size = od->size;
		fds[(*nfds)++] = fd;
		(*made)++;
	}
	/* The routine's memory (malloc) goes with the message, as Mach's would. */
	if (od->deallocate)
		free(od->address);
	return 0;
}

/*
 * The descriptors of the reply in @m, from *@at: to @d, their fds to @fds
 * (@made of which are memfds made here, at the end).  Return: 0 or -errno.
 */
static int reply_descs(struct demux_call *call, const char **at, unsigned int n,
		       struct wire_desc *d, int *fds, size_t *nfds, size_t *made)
{
	int err = 0;

	for (unsigned int i = 0; i < n && !err; i++) {
		const mach_msg_type_descriptor_t *td = (const void *)*at;

		if (td->type == MACH_MSG_PORT_DESCRIPTOR) {
			err = *made ? -EINVAL : reply_port(call, (const void *)*at, &d[i], fds, nfds);
			*at += sizeof(mach_msg_port_descriptor_t);
		} else if (td->type == MACH_MSG_OOL_DESCRIPTOR) {
			err = reply_ool((const void *)*at, &d[i], fds, nfds, made);
			*at += sizeof(mach_msg_ool_descriptor_t);
		} else {
			err = -EINVAL;
		}
	}
	return err;
}

/* Send the reply the demux laid out in @m.  Return: 0 or a negative errno. */
static int send_reply(struct demux_call *call, const union demux_msg *m)
{
	struct wire_hdr h = { .bits = m->head.msgh_bits & MACH_MSGH_BITS_COMPLEX };
	const char *body = (const char *)(&m->head + 1);
	struct wire_desc d[DEMUX_MAX_OUT];
	int fds[DEMUX_RIGHT_MAX_FDS * DEMUX_MAX_OUT];
	size_t nfds = 0, made = 0;
	int err = 0;

	if (h.bits) {
		h.ndesc = ((const mach_msg_body_t *)body)->msgh_descriptor_count;
		body += sizeof(mach_msg_body_t);
		err = h.ndesc > DEMUX_MAX_OUT ? -EINVAL :
		      reply_descs(call, &body, h.ndesc, d, fds, &nfds, &made);
	}
	if (!err && (m->head.msgh_size > DEMUX_MSG_MAX || body > m->buf + m->head.msgh_size))
		err = -EINVAL;
	if (!err)
		err = ipc_reply_msg(call->rq, &h, d, body,
				    (size_t)(m->buf + m->head.msgh_size - body), fds, nfds);
	for (size_t i = nfds - made; i < nfds; i++)
		close(fds[i]);
	return err;
}

static void log_refused(const struct ipc_request *rq, boolean_t known, kern_return_t ret)
{
	if (!known)
		log_warnx_limited("unknown request %d from pid %d uid %d", rq->hdr->id,
				  (int)rq->creds.pid, (int)rq->creds.uid);
	else if (ret == MIG_BAD_ARGUMENTS || ret == MIG_TYPE_ERROR)
		log_warnx_limited("malformed request %d from pid %d uid %d", rq->hdr->id,
				  (int)rq->creds.pid, (int)rq->creds.uid);
}

void demux_run(struct conn *c, struct ipc_request *rq, demux_server_fn server)
{
	struct demux_call call;        /* not cleared whole: out[] is written as rights are given */
	static union demux_msg in, out;
	boolean_t known;
	bool ok;
	int err;

	call.conn = c;
	call.rq = rq;
	call.nout = 0;
	call.sent = NULL;
	call.sent_arg = NULL;

	build_request(rq, &in);
	memset(&out.error, 0, sizeof(out.error));
	current = &call;
	known = server(&in.head, &out.head);
	current = NULL;
	ok = (out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) || out.error.RetCode == KERN_SUCCESS;
	if (!ok)
		log_refused(rq, known, out.error.RetCode);
	/* Answered later, or never (a look-up passed to the system domain with
	 * its reply right); a caller waiting on its connection is asked to send
	 * it again once the dispatch returns (conn.c). */
	if (!ok && out.error.RetCode == MIG_NO_REPLY)
		return;
	err = send_reply(&call, &out);
	if (err == -EINVAL) {
		log_warnx("request %d: the reply is not one the transport carries", rq->hdr->id);
		err = ipc_reply_error(rq, MIG_SERVER_DIED);
	}
	if (ok && call.sent)
		call.sent(call.sent_arg, err == 0);
}
