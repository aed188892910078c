/* SPDX-License-Identifier: MIT */
/* echo-proto.h - messages of the test echo service. */
#ifndef BOOTSTRAPD_TEST_ECHO_PROTO_H
#define BOOTSTRAPD_TEST_ECHO_PROTO_H

#include <stdint.h>
#include <mach/mach.h>

enum { ECHO_DATA = 2000, ECHO_QUERY, ECHO_CRASH, ECHO_ECHO, ECHO_LOOK_UP, ECHO_RECHECK };

struct echo_msg {
	mach_msg_header_t head;
	uint32_t value;
	uint32_t ok;
	int32_t pid;
};

#endif
