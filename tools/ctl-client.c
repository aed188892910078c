/* SPDX-License-Identifier: MIT */
/*
 * ctl-client.c - a control request on the bootstrap port: the request
 * carries a send-once right to a private reply port, as MIG's calls do.
 */
#include "ctl-client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <servers/bootstrap.h>

#include "bootstrap-port.h"
#include "control-proto.h"

#define REPLY_TEXT_MAX (4096 * 16)

struct request {
	mach_msg_header_t head;
	struct control_request body;
};

union reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	char buf[sizeof(mig_reply_error_t) + REPLY_TEXT_MAX + MAX_TRAILER_SIZE];
};

/* Where the look-up went: for the message when nobody is listening. */
static const char *socket_path(char *buf, size_t len)
{
	const char *s = getenv("BOOTSTRAP_SOCKET");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (s && *s)
		return s;
	if (xdg && *xdg) {
		snprintf(buf, len, "%s/bootstrapd/socket", xdg);
		return buf;
	}
	return "/run/bootstrapd/socket";
}

static int exit_code(kern_return_t kr, const char *label)
{
	char path[4096];

	switch (kr) {
	case KERN_SUCCESS:
		return BSCTL_OK;
	case MACH_SEND_INVALID_DEST:
	case MIG_SERVER_DIED:
		fprintf(stderr, "bsctl: no bootstrapd is listening on %s; start one with: "
			"bootstrapd --user\n", socket_path(path, sizeof(path)));
		return BSCTL_NO_DAEMON;
	case BOOTSTRAP_UNKNOWN_SERVICE:
		fprintf(stderr, "bsctl: %s: no such job\n", label);
		return BSCTL_NOT_FOUND;
	case BOOTSTRAP_NOT_PRIVILEGED:
		fprintf(stderr, "bsctl: %s: not permitted\n", label);
		return BSCTL_NOT_PERMITTED;
	default:
		fprintf(stderr, "bsctl: %s: %s\n", label, mach_error_string(kr));
		return BSCTL_FAILURE;
	}
}

static kern_return_t exchange(struct request *req, union reply *rep)
{
	mach_port_t bp = bootstrap_port;
	mach_port_t rp;
	kern_return_t kr = bootstrap_port_resolve(&bp);

	if (kr != KERN_SUCCESS)
		return kr;
	bootstrap_port = bp;
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rp);
	if (kr != KERN_SUCCESS)
		return kr;
	req->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->head.msgh_size = sizeof(*req);
	req->head.msgh_remote_port = bp;
	req->head.msgh_local_port = rp;
	/* mach_msg() receives into the buffer it sent from. */
	memcpy(rep->buf, req, sizeof(*req));
	kr = mach_msg(&rep->head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*req), sizeof(*rep), rp,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), rp, MACH_PORT_RIGHT_RECEIVE, -1);
	if (kr != MACH_MSG_SUCCESS)
		return kr;
	if (rep->head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (rep->head.msgh_id != req->head.msgh_id + 100 ||
	    rep->head.msgh_size < sizeof(mig_reply_error_t)) {
		mach_msg_destroy(&rep->head);
		return MIG_REPLY_MISMATCH;
	}
	return rep->error.RetCode;
}

int ctl_call(int id, uint32_t flags, int32_t signal, const char *label, int print_text)
{
	static union reply rep;
	struct request req;
	kern_return_t kr;
	size_t len;

	memset(&req, 0, sizeof(req));
	req.head.msgh_id = id;
	req.body.ndr = NDR_record;
	req.body.flags = flags;
	req.body.signal = signal;
	if (label && strlen(label) >= sizeof(req.body.arg)) {
		fprintf(stderr, "bsctl: label too long\n");
		return BSCTL_USAGE;
	}
	if (label)
		strcpy(req.body.arg, label);
	kr = exchange(&req, &rep);
	if (kr != KERN_SUCCESS)
		return exit_code(kr, label && *label ? label : "request");
	len = rep.head.msgh_size - sizeof(mig_reply_error_t);
	if (print_text && len > 0)
		printf("%.*s", (int)strnlen(rep.buf + sizeof(mig_reply_error_t), len),
		       rep.buf + sizeof(mig_reply_error_t));
	return BSCTL_OK;
}
