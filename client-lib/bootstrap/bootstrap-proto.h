/* SPDX-License-Identifier: MIT */
/*
 * bootstrap-proto.h - the bootstrap requests and replies on the wire.
 *
 * Shared by libbootstrap and bootstrapd.  Message ids are launchd's MIG
 * ids (subsystem job 400: check_in2 402, register2 403, look_up2 404;
 * replies id + 100), so that a traced conversation reads like launchd's.
 * A request carries its reply port as a send-once right in the header.
 * A successful reply carries the port in a descriptor; a failure is a
 * mig_reply_error_t holding the BOOTSTRAP_* code.
 */
#ifndef BOOTSTRAP_PROTO_H
#define BOOTSTRAP_PROTO_H

#include <mach/mach.h>
#include <servers/bootstrap.h>

#define BOOTSTRAP_MSG_CHECK_IN      402
#define BOOTSTRAP_MSG_REGISTER      403
#define BOOTSTRAP_MSG_LOOK_UP       404
#define BOOTSTRAP_MSG_REPLY_OFFSET  100

/* Default rendezvous, relative to $XDG_RUNTIME_DIR (user) or absolute (system). */
#define BOOTSTRAP_USER_SOCKET       "bootstrapd/socket"
#define BOOTSTRAP_SYSTEM_SOCKET     "/run/bootstrapd/socket"
/* The user domain's socket when XDG_RUNTIME_DIR is not set (%d: the uid). */
#define BOOTSTRAP_USER_SOCKET_FALLBACK "/tmp/bootstrapd-%d/socket"

#pragma pack(push, 4)
/* check_in and look_up. */
struct bootstrap_name_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	name_t name;
};

/* register: the send right (or MACH_PORT_NULL to unregister). */
struct bootstrap_register_request {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	name_t name;
};

/* A successful check_in (receive right) or look_up (send right). */
struct bootstrap_port_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	NDR_record_t ndr;
	kern_return_t ret;
};
#pragma pack(pop)

#endif
