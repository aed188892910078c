/* SPDX-License-Identifier: MIT */
/*
 * msg.h - mach_msg in one process, for the check-msg suites: the messages
 * they send, a receive buffer for any of them, and the shortcuts they use.
 * Every function fails the current test (ck_assert) on error.
 */
#ifndef BOOTSTRAPD_TEST_MSG_H
#define BOOTSTRAPD_TEST_MSG_H

#include <mach/mach.h>

#define NDESC 7

#pragma pack(push, 4)
struct ports_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[NDESC];
	int32_t tail;
};

struct ool_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
	int32_t tail;
};

struct big_msg {
	mach_msg_header_t head;
	char data[200];
};
#pragma pack(pop)

union rcv_buf {
	mach_msg_header_t head;
	struct ports_msg ports;
	struct ool_msg ool;
	struct big_msg big;
	char space[sizeof(struct ports_msg) + sizeof(struct big_msg) + MAX_TRAILER_SIZE];
};

/** setup() - the leak checks' fixture: mark the open fds. */
void setup(void);

/** teardown() - assert the fds marked by setup() are back. */
void teardown(void);

/** send_msg() - send @m with MACH_SEND_MSG | @extra and timeout @ms. */
mach_msg_return_t send_msg(mach_msg_header_t *m, mach_msg_option_t extra, mach_msg_timeout_t ms);

/** recv_msg() - receive from @port into @b (of @size bytes), within PEER_TIMEOUT_MS. */
mach_msg_return_t recv_msg(mach_port_t port, union rcv_buf *b, mach_msg_option_t extra,
			   mach_msg_size_t size);

/** expect_nothing() - no message waits on @port (a receive that does not wait times out). */
void expect_nothing(mach_port_t port);

/** destroy() - mach_port_destroy(@name), which must succeed. */
void destroy(mach_port_t name);

/** header() - fill @h: a simple message of header only, to @dest, reply @reply. */
void header(mach_msg_header_t *h, mach_port_t dest, mach_msg_type_name_t dest_disp,
	    mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id);

#endif
