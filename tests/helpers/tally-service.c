/* SPDX-License-Identifier: MIT */
/*
 * tally-service - a job for the restart endurance test.  Checks in
 * argv[1] and counts numbered messages from many senders:
 *   ECHO_DATA  (one-way)  value: sender << 24 | sequence number, each
 *                         sender's numbers from 0 up, once each, in order
 *   ECHO_QUERY (request)  reply: how many, whether all were in order and
 *                         none twice, its pid
 */
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#include "echo-proto.h"

static void reply(const struct echo_msg *req, uint32_t count, uint32_t ok)
{
	struct echo_msg out;

	memset(&out, 0, sizeof(out));
	out.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	out.head.msgh_remote_port = req->head.msgh_remote_port;
	out.head.msgh_id = req->head.msgh_id + 100;
	out.value = count;
	out.ok = ok;
	out.pid = getpid();
	mach_msg(&out.head, MACH_SEND_MSG, sizeof(out), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

int main(int argc, char **argv)
{
	static uint32_t next[256];
	mach_port_t port;
	uint32_t count = 0, ok = 1;

	if (argc < 2 || bootstrap_check_in(bootstrap_port, argv[1], &port) != KERN_SUCCESS)
		return 3;
	for (;;) {
		union {
			struct echo_msg m;
			char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
		} in;

		if (mach_msg(&in.m.head, MACH_RCV_MSG, 0, sizeof(in), port, 0, MACH_PORT_NULL))
			return 4;
		if (in.m.head.msgh_id == ECHO_DATA) {
			uint32_t sender = in.m.value >> 24, seq = in.m.value & 0xffffff;

			if (seq != next[sender])
				ok = 0;
			next[sender] = seq + 1;
			count++;
		} else if (in.m.head.msgh_id == ECHO_QUERY) {
			reply(&in.m, count, ok);
		} else {
			mach_msg_destroy(&in.m.head);
		}
	}
}
