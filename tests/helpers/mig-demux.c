/* SPDX-License-Identifier: MIT */
/*
 * mig-demux.c - requests fed to the generated everything demux in-process.
 */
#include "helpers/mig-demux.h"

#include <check.h>
#include <string.h>

#include "everythingServer.h"

union mig_demux_buf in, out;

/* A request with id @id, @size bytes, the given bits, and an audit trailer after it. */
void *request(mach_msg_id_t id, size_t size, mach_msg_bits_t other_bits)
{
	mach_msg_audit_trailer_t trailer = { .msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0,
					     .msgh_trailer_size = sizeof(trailer) };

	memset(&in, 0, sizeof(in));
	memset(&out, 0xee, sizeof(out));
	in.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0) | other_bits;
	in.head.msgh_size = (mach_msg_size_t)size;
	in.head.msgh_remote_port = 0x1234;  /* the reply port name, never used here */
	in.head.msgh_local_port = 0x4321;
	in.head.msgh_id = id;
	/* A size smaller than a header is a lie the kernel would not tell: no trailer then. */
	if (round_msg(size) >= sizeof(mach_msg_header_t))
		memcpy(in.bytes + round_msg(size), &trailer, sizeof(trailer));
	return &in;
}

/* Run the demux; the reply must be an error reply with @code, or a success. */
kern_return_t serve(void)
{
	mig_reply_error_t *e = (mig_reply_error_t *)&out;

	everything_demux(&in.head, &out.head);
	ck_assert_int_eq(out.head.msgh_id, (mach_msg_id_t)((uint32_t)in.head.msgh_id + 100));
	ck_assert_uint_eq(out.head.msgh_remote_port, in.head.msgh_remote_port);
	if (out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return KERN_SUCCESS;
	return e->RetCode;
}

void expect(kern_return_t code)
{
	mig_reply_error_t *e = (mig_reply_error_t *)&out;

	ck_assert_int_eq(serve(), code);
	if (code != KERN_SUCCESS) {
		ck_assert_uint_eq(out.head.msgh_size, sizeof(mig_reply_error_t));
		ck_assert_int_eq(memcmp(&e->NDR, &NDR_record, sizeof(NDR_record)), 0);
	}
}
