/* SPDX-License-Identifier: MIT */
/*
 * port-extract.c - mach_port_extract_right() for the caller's own task.
 * In XNU the right is copied in from the task's space, carried back in
 * the MIG reply and copied out into the caller's.  Here it travels the
 * same way, in a message through a port made for the call, so that every
 * copy-in and copy-out rule of mach_msg() applies: a send right joins the
 * name its port has already, a send-once right gets a name of its own, a
 * receive right moved out and back keeps its port.
 */
#include <mach/mach.h>

#define EXPORT __attribute__((visibility("default")))

#pragma pack(push, 4)
struct carrier_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};

union carrier_rcv {
	struct carrier_msg m;
	char buf[sizeof(struct carrier_msg) + MAX_TRAILER_SIZE];
};
#pragma pack(pop)

/* @name's right of disposition @disp through @carrier: what the send said. */
static mach_msg_return_t carry(mach_port_t carrier, mach_port_name_t name,
			       mach_msg_type_name_t disp)
{
	struct carrier_msg m = {
		.head = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				       MACH_MSGH_BITS_COMPLEX,
			  .msgh_size = sizeof(m), .msgh_remote_port = carrier },
		.body = { 1 },
		.port = { .name = name, .disposition = disp, .type = MACH_MSG_PORT_DESCRIPTOR },
	};

	/* The carrier is empty: the send never waits. */
	return mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
			0, MACH_PORT_NULL);
}

/* XNU's codes for a right that cannot be taken. */
static kern_return_t not_taken(mach_port_name_t name, mach_msg_return_t mr)
{
	mach_port_type_t type;

	if (mr != MACH_SEND_INVALID_RIGHT)
		return KERN_RESOURCE_SHORTAGE;
	return mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS ? KERN_INVALID_RIGHT :
									       KERN_INVALID_NAME;
}

EXPORT kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
					     mach_msg_type_name_t msgt_name, mach_port_t *poly,
					     mach_msg_type_name_t *polyPoly)
{
	union carrier_rcv r;
	mach_port_t carrier;
	mach_msg_return_t mr;
	kern_return_t kr;

	if (task != mach_task_self())
		return KERN_INVALID_TASK;
	if (!poly || !polyPoly)
		return KERN_INVALID_ARGUMENT;   /* before anything is moved */
	if (msgt_name < MACH_MSG_TYPE_MOVE_RECEIVE || msgt_name > MACH_MSG_TYPE_MAKE_SEND_ONCE)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	kr = mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &carrier);
	if (kr != KERN_SUCCESS)
		return kr;
	mr = carry(carrier, name, msgt_name);
	if (mr == MACH_MSG_SUCCESS)
		mr = mach_msg(&r.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), carrier, 0,
			      MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS) {
		*poly = r.m.port.name;
		*polyPoly = r.m.port.disposition;
	}
	mach_port_mod_refs(task, carrier, MACH_PORT_RIGHT_RECEIVE, -1);
	return mr == MACH_MSG_SUCCESS ? KERN_SUCCESS : not_taken(name, mr);
}
