/* SPDX-License-Identifier: MIT */
/* hello-proto.h - the example service's one request and reply. */
#ifndef HELLO_PROTO_H
#define HELLO_PROTO_H

#include <sys/types.h>
#include <mach/mach.h>

#define HELLO_SERVICE_NAME "com.example.hello"
#define HELLO_MSG_ID 1000
#define HELLO_IDLE_EXIT_MS 10000

struct hello_request {
	mach_msg_header_t head;
	char text[64];
};

struct hello_reply {
	mach_msg_header_t head;
	int32_t pid;
	char text[64];
};

#endif
