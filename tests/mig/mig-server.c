/* SPDX-License-Identifier: MIT */
/*
 * mig-server - serves everything.defs with the generated demux under
 * mach_msg_server().  argv[1] is an inherited send right (fd) to the
 * test's port, where it announces its service port (id 1000, the send
 * right in msgh_remote_port).
 */
#include <stdio.h>
#include <stdlib.h>

#include <mach/mach.h>

#include "everythingServer.h"
#include "port.h"

int main(int argc, char **argv)
{
	mach_msg_header_t hello = { 0 };
	mach_port_t home, service;
	mach_msg_size_t max = sizeof(union __RequestUnion__S_everything_subsystem);
	mach_msg_return_t mr;

	if (argc != 2)
		return 2;
	home = port_name_send_fd(atoi(argv[1]));
	if (!MACH_PORT_VALID(home) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &service) != KERN_SUCCESS)
		return 3;
	hello.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	hello.msgh_size = sizeof(hello);
	hello.msgh_remote_port = home;
	hello.msgh_local_port = service;
	hello.msgh_id = 1000;
	if (mach_msg(&hello, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 4;
	mr = mach_msg_server(everything_demux, max, service,
			     MACH_RCV_LARGE | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
	fprintf(stderr, "mig-server: mach_msg_server: %s\n", mach_error_string(mr));
	return 5;
}
