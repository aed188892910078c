/* SPDX-License-Identifier: MIT */
/*
 * bootstrap.c - bootstrap_look_up(), bootstrap_check_in(),
 * bootstrap_register() and friends: one request and one reply on the
 * bootstrap port, through a per-thread reply port (as MIG's
 * mig_get_reply_port()).
 */
#include <pthread.h>
#include <string.h>

#include "bootstrap-port.h"
#include "bootstrap-proto.h"

#define EXPORT __attribute__((visibility("default")))

union bootstrap_reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	struct bootstrap_port_reply port;
	char buf[sizeof(struct bootstrap_port_reply) + MAX_TRAILER_SIZE];
};

/* Per thread, as MIG's reply port; reset in a forked child (its space is new). */
static __thread mach_port_t reply_port = MACH_PORT_NULL;

void bootstrap_fork_child(void)
{
	reply_port = MACH_PORT_NULL;
}

static kern_return_t get_reply_port(mach_port_t *out)
{
	if (reply_port == MACH_PORT_NULL) {
		kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						      &reply_port);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	*out = reply_port;
	return KERN_SUCCESS;
}

static kern_return_t check_name(const char *name)
{
	if (!name || memchr(name, '\0', BOOTSTRAP_MAX_NAME_LEN) == NULL)
		return KERN_INVALID_ARGUMENT;   /* longer than a name_t: never truncated */
	return KERN_SUCCESS;
}

/* Send @req (@size bytes) and wait for the reply to @id.  Return: a kern_return_t. */
static kern_return_t call_once(mach_port_t bp, mach_msg_header_t *req, mach_msg_size_t size,
			  union bootstrap_reply *rep)
{
	mach_port_t rp;
	mach_msg_id_t want = req->msgh_id + BOOTSTRAP_MSG_REPLY_OFFSET;
	kern_return_t kr = bootstrap_port_resolve(&bp);

	if (kr == KERN_SUCCESS)
		kr = get_reply_port(&rp);
	if (kr != KERN_SUCCESS)
		return kr;
	if (bp == bootstrap_port || bootstrap_port == BOOTSTRAP_LAZY_NAME)
		bootstrap_port = bp;
	req->msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->msgh_size = size;
	req->msgh_remote_port = bp;
	req->msgh_local_port = rp;
	kr = mach_msg(req, MACH_SEND_MSG | MACH_RCV_MSG, size, sizeof(*rep), rp,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return kr;
	if (rep->head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (rep->head.msgh_id != want) {
		mach_msg_destroy(&rep->head);
		return MIG_REPLY_MISMATCH;
	}
	if (!MACH_MSGH_BITS_IS_COMPLEX(rep->head.msgh_bits))
		return rep->error.RetCode;
	return rep->port.ret;
}

/*
 * call_once(); if bootstrapd restarted (our connection to it died), once
 * more on a new connection: any request that could not be sent, a look-up
 * whose reply never came.
 */
static kern_return_t call(mach_port_t bp, mach_msg_header_t *req, mach_msg_size_t size,
			  union bootstrap_reply *rep)
{
	char copy[1024];
	bool may_retry = size <= sizeof(copy);
	bool idempotent = req->msgh_id == BOOTSTRAP_MSG_LOOK_UP;
	kern_return_t kr;

	if (may_retry)
		memcpy(copy, req, size);
	kr = call_once(bp, req, size, rep);
	if (may_retry && bootstrap_port_retry(&bp, kr, idempotent)) {
		memcpy(req, copy, size);
		kr = call_once(bp, req, size, rep);
	}
	return kr;
}

/* call() with @name, checked, in the request's @field after its NDR record @ndr. */
static kern_return_t call_named(mach_port_t bp, mach_msg_header_t *req, mach_msg_size_t size,
				NDR_record_t *ndr, char *field, const char *name,
				union bootstrap_reply *rep)
{
	kern_return_t kr = check_name(name);

	if (kr != KERN_SUCCESS)
		return kr;
	*ndr = NDR_record;
	strcpy(field, name);
	return call(bp, req, size, rep);
}

static kern_return_t name_call(mach_port_t bp, mach_msg_id_t id, const char *name,
			       mach_port_t *sp)
{
	union {
		struct bootstrap_name_request req;
		union bootstrap_reply rep;
	} m;
	kern_return_t kr;

	if (!sp)
		return KERN_INVALID_ARGUMENT;   /* as a bad name would be */
	memset(&m.req, 0, sizeof(m.req));
	m.req.head.msgh_id = id;
	kr = call_named(bp, &m.req.head, sizeof(m.req), &m.req.ndr, m.req.name, name, &m.rep);
	if (kr == KERN_SUCCESS && !MACH_MSGH_BITS_IS_COMPLEX(m.rep.head.msgh_bits))
		kr = MIG_TYPE_ERROR;    /* success must carry the port */
	if (kr == KERN_SUCCESS)
		*sp = m.rep.port.port.name;
	return kr;
}

EXPORT kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return name_call(bp, BOOTSTRAP_MSG_LOOK_UP, service_name, sp);
}

EXPORT kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return name_call(bp, BOOTSTRAP_MSG_CHECK_IN, service_name, sp);
}

EXPORT kern_return_t bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp)
{
	union {
		struct bootstrap_register_request req;
		union bootstrap_reply rep;
	} m;
	kern_return_t kr;

	memset(&m.req, 0, sizeof(m.req));
	m.req.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	m.req.head.msgh_id = BOOTSTRAP_MSG_REGISTER;
	m.req.body.msgh_descriptor_count = 1;
	m.req.port.name = sp;
	m.req.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	kr = call_named(bp, &m.req.head, sizeof(m.req), &m.req.ndr, m.req.name, service_name,
			&m.rep);
	if (kr == KERN_SUCCESS && MACH_PORT_VALID(m.rep.port.port.name))
		mach_port_deallocate(mach_task_self(), m.rep.port.port.name);
	return kr;
}

EXPORT kern_return_t bootstrap_create_service(mach_port_t bp, char *service_name, mach_port_t *sp)
{
	mach_port_t recv;
	kern_return_t kr = bootstrap_check_in(bp, service_name, &recv);

	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1);
	return bootstrap_look_up(bp, service_name, sp);
}
