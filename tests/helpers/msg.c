/* SPDX-License-Identifier: MIT */
/* msg.c - mach_msg in one process, for the check-msg suites. */
#include "helpers/msg.h"

#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "helpers/peer.h"

void setup(void)
{
	peer_fd_mark(false);
}

void teardown(void)
{
	peer_fd_check();
}

mach_msg_return_t send_msg(mach_msg_header_t *m, mach_msg_option_t extra, mach_msg_timeout_t ms)
{
	return mach_msg(m, MACH_SEND_MSG | extra, m->msgh_size, 0, MACH_PORT_NULL, ms, MACH_PORT_NULL);
}

mach_msg_return_t recv_msg(mach_port_t port, union rcv_buf *b, mach_msg_option_t extra,
			   mach_msg_size_t size)
{
	memset(b, 0, sizeof(*b));
	return mach_msg(&b->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0, size, port,
			PEER_TIMEOUT_MS, MACH_PORT_NULL);
}

void expect_nothing(mach_port_t port)
{
	union rcv_buf b;

	ck_assert_int_eq(mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), port, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
}

void destroy(mach_port_t name)
{
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), name), KERN_SUCCESS);
}

void header(mach_msg_header_t *h, mach_port_t dest, mach_msg_type_name_t dest_disp,
	    mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id)
{
	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(dest_disp, reply_disp);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_id = id;
}
