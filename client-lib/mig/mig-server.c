/* SPDX-License-Identifier: MIT */
/*
 * mig-server.c - mach_msg_server() and mach_msg_server_once(): the generic
 * receive / demux / reply loop that MIG servers run.
 */
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mig.h>

#include "wire.h"

#define EXPORT __attribute__((visibility("default")))

/* The options a reply send may carry; receive bits are for the receive. */
#define SEND_OPTIONS (MACH_SEND_TIMEOUT | MACH_SEND_INTERRUPT)

struct server_buf {
	mig_reply_error_t *req;
	mach_msg_size_t req_alloc;
	mig_reply_error_t *rep;
	mach_msg_size_t rep_alloc;
};

static void server_buf_deinit(struct server_buf *b)
{
	free(b->req);
	free(b->rep);
}

/* Zeroed so that a demux that writes nothing leaves a recognisable reply. */
static int grow(mig_reply_error_t **buf, mach_msg_size_t *alloc, mach_msg_size_t want)
{
	void *p;

	if (want < sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE)
		want = sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE;
	if (*alloc >= want)
		return 0;
	p = calloc(1, want);
	if (p == NULL)
		return -1;
	free(*buf);
	*buf = p;
	*alloc = want;
	return 0;
}

/* Receive one request; with MACH_RCV_LARGE, retry with a buffer it fits. */
static mach_msg_return_t receive_request(struct server_buf *b, mach_msg_size_t max_size,
					 mach_port_t rcv_name, mach_msg_options_t options)
{
	mach_msg_size_t trailer = REQUESTED_TRAILER_SIZE(options);
	mach_msg_size_t size = max_size + trailer;
	mach_msg_return_t mr;

	for (;;) {
		if (grow(&b->req, &b->req_alloc, size) < 0)
			return KERN_RESOURCE_SHORTAGE;
		mr = mach_msg(&b->req->Head, MACH_RCV_MSG | options, 0, size, rcv_name,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (!(mr == MACH_RCV_TOO_LARGE && (options & MACH_RCV_LARGE)))
			return mr;
		if (b->req->Head.msgh_size > MACH_MSG_SIZE_MAX - trailer)
			return MACH_RCV_TOO_LARGE;
		size = b->req->Head.msgh_size + trailer;
	}
}

/* A complex reply carries results; a simple one says how the call went. */
static kern_return_t reply_code(const mig_reply_error_t *rep)
{
	if (MACH_MSGH_BITS_IS_COMPLEX(rep->Head.msgh_bits))
		return KERN_SUCCESS;
	if (rep->Head.msgh_size < sizeof(mig_reply_error_t))
		return KERN_SUCCESS;
	return rep->RetCode;
}

static void release_moved(mach_port_t name, mach_msg_type_name_t disp)
{
	if (name == MACH_PORT_NULL || name == MACH_PORT_DEAD)
		return;
	if (disp == MACH_MSG_TYPE_MOVE_RECEIVE)
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	else if (disp == MACH_MSG_TYPE_MOVE_SEND || disp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		mach_port_deallocate(mach_task_self(), name);
}

static void consume_descriptor(char *p)
{
	mach_msg_descriptor_t d;

	memcpy(&d, p, wire_user_desc_size(((const mach_msg_type_descriptor_t *)p)->type));
	if (d.type.type == MACH_MSG_PORT_DESCRIPTOR) {
		release_moved(d.port.name, d.port.disposition);
	} else if (d.type.type == MACH_MSG_OOL_DESCRIPTOR ||
		   d.type.type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) {
		if (d.out_of_line.deallocate && d.out_of_line.address != NULL)
			vm_deallocate(mach_task_self(), (vm_address_t)d.out_of_line.address,
				      d.out_of_line.size);
	} else if (d.type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
		mach_port_t *names = d.ool_ports.address;

		for (mach_msg_size_t i = 0; names != NULL && i < d.ool_ports.count; i++)
			release_moved(names[i], d.ool_ports.disposition);
		if (d.ool_ports.deallocate && names != NULL)
			vm_deallocate(mach_task_self(), (vm_address_t)names,
				      d.ool_ports.count * sizeof(mach_port_t));
	}
}

/* A reply that could not be sent: release what its send would have moved. */
static void consume_unsent(mach_msg_header_t *h)
{
	char *p = (char *)(h + 1);
	char *end = (char *)h + h->msgh_size;
	mach_msg_size_t count;

	release_moved(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	h->msgh_remote_port = MACH_PORT_NULL;
	if (!MACH_MSGH_BITS_IS_COMPLEX(h->msgh_bits) || p + sizeof(count) > end)
		return;
	memcpy(&count, p, sizeof(count));
	p += sizeof(mach_msg_body_t);
	for (mach_msg_size_t i = 0; i < count; i++) {
		size_t len = wire_user_desc_size(((const mach_msg_type_descriptor_t *)p)->type);

		if (len == 0 || p + len > end)
			return;
		consume_descriptor(p);
		p += len;
	}
}

/*
 * An answer that cannot go is destroyed and the loop goes on, as for a
 * client that died.  MACH_SEND_NO_BUFFER: the reply's queue is full (its
 * client kept a copy of the pair's send end and filled it), or this
 * process is short of memory for the send; either way one answer is lost,
 * and one client must not end the server's loop.
 */
static int recoverable_send_error(mach_msg_return_t mr)
{
	return mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_TIMED_OUT ||
	       mr == MACH_SEND_INTERRUPTED || mr == MACH_SEND_NO_BUFFER;
}

/* Hand one received request to @demux and send what it answers. */
static mach_msg_return_t serve(struct server_buf *b,
			       boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
			       mach_msg_options_t options)
{
	mach_msg_header_t *rep = &b->rep->Head;
	mach_msg_option_t send;
	mach_msg_return_t mr;

	memset(b->rep, 0, sizeof(*b->rep));
	(void)demux(&b->req->Head, rep);
	switch (reply_code(b->rep)) {
	case KERN_SUCCESS:
		break;
	case MIG_NO_REPLY:
		rep->msgh_remote_port = MACH_PORT_NULL;
		break;
	default:
		/* The reply port now belongs to the reply; the rest goes. */
		b->req->Head.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&b->req->Head);
	}
	if (rep->msgh_remote_port == MACH_PORT_NULL)
		return MACH_MSG_SUCCESS;
	/* A send right may block on a full queue; a send-once reply cannot. */
	send = MACH_SEND_MSG | (options & SEND_OPTIONS);
	if (MACH_MSGH_BITS_REMOTE(rep->msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		send |= MACH_SEND_TIMEOUT;
	mr = mach_msg(rep, send, rep->msgh_size, 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (recoverable_send_error(mr)) {
		consume_unsent(rep);
		mr = MACH_MSG_SUCCESS;
	}
	return mr;
}

static mach_msg_return_t server_run(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
				    mach_msg_size_t max_size, mach_port_t rcv_name,
				    mach_msg_options_t options, int once)
{
	struct server_buf b = { 0 };
	mach_msg_return_t mr;

	options &= ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);
	if (grow(&b.rep, &b.rep_alloc, max_size + MAX_TRAILER_SIZE) < 0)
		return KERN_RESOURCE_SHORTAGE;
	do {
		mr = receive_request(&b, max_size, rcv_name, options);
		if (mr != MACH_MSG_SUCCESS)
			break;
		mr = serve(&b, demux, options);
	} while (!once && mr == MACH_MSG_SUCCESS);
	server_buf_deinit(&b);
	return mr;
}

EXPORT mach_msg_return_t mach_msg_server_once(
	boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options)
{
	return server_run(demux, max_size, rcv_name, options, 1);
}

EXPORT mach_msg_return_t mach_msg_server(
	boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name, mach_msg_options_t options)
{
	return server_run(demux, max_size, rcv_name, options, 0);
}
