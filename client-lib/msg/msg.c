/* SPDX-License-Identifier: MIT */
/*
 * msg.c - mach_msg() and the thin wrappers macOS code uses.
 */
#include <string.h>

#include <mach/mach.h>

#include <servers/bootstrap.h>

#include "bootstrap-port.h"
#include "msg-chan.h"
#include "msg-conn.h"
#include "msg-recv.h"
#include "msg-send.h"
#include "port.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT NDR_record_t NDR_record = { 0, 0, 0, NDR_PROTOCOL_2_0, NDR_INT_LITTLE_ENDIAN,
				   NDR_CHAR_ASCII, NDR_FLOAT_IEEE, 0 };
EXPORT const security_token_t KERNEL_SECURITY_TOKEN = KERNEL_SECURITY_TOKEN_VALUE;
EXPORT const audit_token_t KERNEL_AUDIT_TOKEN = KERNEL_AUDIT_TOKEN_VALUE;

/*
 * The send half from @msg, the receive half into @rcv_msg, or into @msg
 * when @rcv_msg is NULL (XNU's mach_msg_overwrite trap; its @rcv_limit is
 * unused there too).
 */
EXPORT mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
					    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
					    mach_port_name_t notify, mach_msg_header_t *rcv_msg,
					    mach_msg_size_t rcv_limit)
{
	mach_msg_return_t mr;

	(void)notify;
	(void)rcv_limit;
	if (option & MACH_SEND_MSG) {
		if (!msg)
			return MACH_SEND_INVALID_DATA;
		if (msg->msgh_remote_port == BOOTSTRAP_LAZY_NAME) {
			mr = bootstrap_port_resolve(&bootstrap_port);
			if (mr != KERN_SUCCESS)
				return mr;
			msg->msgh_remote_port = bootstrap_port;
		}
		if ((option & MACH_RCV_MSG) && msg_call_shape(msg, option, send_size, rcv_name)) {
			/* A bootstrap call: answered on the connection (msg-conn.h). */
			mr = msg_conn_call(msg, option, send_size, rcv_size, rcv_name, timeout,
					   rcv_msg ? rcv_msg : msg);
			if (mr != MSG_CONN_ORDINARY)
				return mr;
			/* A call to a service: answered up its channel (msg-chan.h). */
			mr = msg_chan_call(msg, option, send_size, rcv_size, rcv_name, &timeout,
					   rcv_msg ? rcv_msg : msg);
			if (mr == MSG_CHAN_RECEIVE)
				goto receive;
			if (mr != MSG_CHAN_ORDINARY)
				return mr;
		}
		mr = msg_send(msg, option, send_size, timeout);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
receive:
	if (!rcv_msg)
		rcv_msg = msg;
	if (!rcv_msg)
		return MACH_RCV_INVALID_DATA;
	return msg_receive(rcv_msg, option, rcv_size, rcv_name, timeout);
}

EXPORT mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
				  mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				  mach_port_name_t notify)
{
	return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name, timeout, notify,
				  NULL, 0);
}

EXPORT mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

EXPORT mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * As Libsyscall's: a right the message holds goes, one it would have made
 * is made and dropped (port_destroy_taken()).  A guarded receive right
 * stays, as mach_port_mod_refs() refuses to destroy it (xnu raises a guard
 * exception).
 */
static void destroy_right(mach_port_name_t name, mach_msg_type_name_t type)
{
	struct port *p;

	if (!MACH_PORT_VALID(name))
		return;
	space_lock();
	p = space_get(name);
	if (p && !(type == MACH_MSG_TYPE_MOVE_RECEIVE && (p->type & MACH_PORT_TYPE_RECEIVE) &&
		   p->u.recv.guarded))
		port_destroy_taken(p, type);
	space_unlock();
}

/* An out-of-line port array: each right, then its memory if the message owned it. */
static void destroy_port_array(const mach_msg_ool_ports_descriptor_t *d)
{
	const mach_port_name_t *names = d->address;

	for (mach_msg_size_t i = 0; names && i < d->count; i++)
		destroy_right(names[i], d->disposition);
	if (d->deallocate && names && d->count)
		vm_deallocate(mach_task_self(), (vm_address_t)names, d->count * sizeof(*names));
}

/* One descriptor at @p.  Return: its size. */
static size_t destroy_desc(const char *p)
{
	mach_msg_port_descriptor_t pd;
	mach_msg_ool_descriptor_t od;
	mach_msg_ool_ports_descriptor_t ad;
	mach_msg_guarded_port_descriptor_t gd;

	memcpy(&pd, p, sizeof(pd));
	switch (pd.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		destroy_right(pd.name, pd.disposition);
		return sizeof(pd);
	case MACH_MSG_OOL_PORTS_DESCRIPTOR:
		memcpy(&ad, p, sizeof(ad));
		destroy_port_array(&ad);
		return sizeof(ad);
	case MACH_MSG_GUARDED_PORT_DESCRIPTOR:
		memcpy(&gd, p, sizeof(gd));
		/* A right that arrived guarded is unguarded first, or it could not go. */
		if (!(gd.flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND))
			mach_port_unguard(mach_task_self(), gd.name, (uint64_t)gd.context);
		destroy_right(gd.name, gd.disposition);
		return sizeof(gd);
	default:
		/* Only memory the message owns: what the receiver may deallocate
		 * (a virtual copy), or what a sender would have given away. */
		memcpy(&od, p, sizeof(od));
		if (pd.type == MACH_MSG_OOL_DESCRIPTOR && od.deallocate && od.address && od.size)
			vm_deallocate(mach_task_self(), (vm_address_t)od.address, od.size);
		return sizeof(od);
	}
}

EXPORT void mach_msg_destroy(mach_msg_header_t *msg)
{
	const char *p = (const char *)msg + sizeof(*msg);
	mach_msg_size_t count;

	destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
	if (!MACH_MSGH_BITS_IS_COMPLEX(msg->msgh_bits))
		return;
	memcpy(&count, p, sizeof(count));
	p += sizeof(mach_msg_body_t);
	for (mach_msg_size_t i = 0; i < count; i++)
		p += destroy_desc(p);
}
