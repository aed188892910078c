/* SPDX-License-Identifier: MIT */
/*
 * echo-service - the job the daemon tests launch.  Checks in argv[1] and
 * serves:
 *   ECHO_DATA  (one-way)  payload: a sequence number; order is checked
 *   ECHO_QUERY (request)  reply: how many data messages, whether in order, pid
 *   ECHO_CRASH (one-way)  abort(): a crash mid-stream
 *   ECHO_ECHO  (request)  reply: the request's value, for numbered calls
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "echo-proto.h"

static void reply(const struct echo_msg *req, uint32_t count, uint32_t in_order)
{
	struct echo_msg out;

	memset(&out, 0, sizeof(out));
	out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	out.head.msgh_remote_port = req->head.msgh_remote_port;
	out.head.msgh_id = req->head.msgh_id + 100;
	out.value = count;
	out.ok = in_order;
	out.pid = getpid();
	mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

int main(int argc, char **argv)
{
	mach_port_t port;
	uint32_t count = 0, next = argc > 2 ? (uint32_t)atoi(argv[2]) : 0, in_order = 1;

	if (argc < 2 || bootstrap_check_in(bootstrap_port, argv[1], &port) != KERN_SUCCESS)
		return 3;
	for (;;) {
		union {
			struct echo_msg m;
			char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
		} in;

		if (mach_msg(&in.m.head, MACH_RCV_MSG, 0, sizeof(in), port, 0, MACH_PORT_NULL))
			return 4;
		switch (in.m.head.msgh_id) {
		case ECHO_DATA:
			if (in.m.value != next)
				in_order = 0;
			next = in.m.value + 1;
			count++;
			break;
		case ECHO_QUERY:
			reply(&in.m, count, in_order);
			break;
		case ECHO_ECHO:
			reply(&in.m, in.m.value, 1);
			break;
		case ECHO_CRASH:
			abort();
		default:
			mach_msg_destroy(&in.m.head);
		}
	}
}
