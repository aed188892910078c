/* SPDX-License-Identifier: MIT */
/*
 * hello-service - a demand-launched service, written as on macOS.
 *
 * bootstrapd starts it when the first message reaches its port.  It checks
 * the port in, answers every queued and later request with the same bytes
 * and its pid, and exits after ten idle seconds (bootstrapd starts it
 * again on the next message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "hello-proto.h"

static int serve(mach_port_t port)
{
	for (;;) {
		union {
			struct hello_request req;
			char buf[sizeof(struct hello_request) + MAX_TRAILER_SIZE];
		} in;
		struct hello_reply out;
		kern_return_t kr = mach_msg(&in.req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					    sizeof(in), port, HELLO_IDLE_EXIT_MS, MACH_PORT_NULL);

		if (kr == MACH_RCV_TIMED_OUT)
			return 0;
		if (kr != KERN_SUCCESS) {
			mach_error("hello-service: mach_msg receive:", kr);
			continue;
		}
		if (in.req.head.msgh_id != HELLO_MSG_ID || in.req.head.msgh_remote_port == MACH_PORT_NULL) {
			mach_msg_destroy(&in.req.head);
			continue;
		}
		memset(&out, 0, sizeof(out));
		out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		out.head.msgh_remote_port = in.req.head.msgh_remote_port;
		out.head.msgh_id = HELLO_MSG_ID + 100;
		out.pid = getpid();
		memcpy(out.text, in.req.text, sizeof(out.text));
		kr = mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != KERN_SUCCESS)
			mach_error("hello-service: reply:", kr);
	}
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : HELLO_SERVICE_NAME;
	mach_port_t port;
	kern_return_t kr = bootstrap_check_in(bootstrap_port, name, &port);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "hello-service: bootstrap_check_in %s: %s\n", name, bootstrap_strerror(kr));
		return 1;
	}
	return serve(port);
}
