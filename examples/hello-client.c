/* SPDX-License-Identifier: MIT */
/*
 * hello-client - look a service up and call it, as macOS code does.
 * The service need not be running: the first message launches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "hello-proto.h"

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : HELLO_SERVICE_NAME;
	union {
		struct hello_request req;
		struct {
			struct hello_reply rep;
			mach_msg_max_trailer_t trailer;
		} in;
	} m;
	mach_port_t service, reply;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, name, &service);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "hello-client: bootstrap_look_up %s: %s\n", name, bootstrap_strerror(kr));
		return 1;
	}
	printf("looked up %s\n", name);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	memset(&m, 0, sizeof(m));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_remote_port = service;
	m.req.head.msgh_local_port = reply;
	m.req.head.msgh_id = HELLO_MSG_ID;
	snprintf(m.req.text, sizeof(m.req.text), "hello from pid %d", (int)getpid());
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.req),
		      sizeof(m.in), reply, 30000, MACH_PORT_NULL);
	if (kr != KERN_SUCCESS) {
		mach_error("hello-client: mach_msg:", kr);
		return 1;
	}
	if (m.in.rep.head.msgh_id != HELLO_MSG_ID + 100) {
		fprintf(stderr, "hello-client: no reply (message id %d)\n", m.in.rep.head.msgh_id);
		return 1;
	}
	printf("%s (pid %d) replied: %.*s\n", name, (int)m.in.rep.pid, (int)sizeof(m.in.rep.text),
	       m.in.rep.text);
	return 0;
}
