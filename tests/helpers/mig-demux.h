/* SPDX-License-Identifier: MIT */
/*
 * mig-demux.h - feeding requests to the demux bsmig generates for
 * mig/everything.defs, in-process: a request buffer with an audit
 * trailer after the message, the reply buffer, and checks of the reply.
 */
#ifndef BOOTSTRAPD_TEST_MIG_DEMUX_H
#define BOOTSTRAPD_TEST_MIG_DEMUX_H

#include <mach/mach.h>

#define MIG_DEMUX_BUF 8192

union mig_demux_buf {
	mach_msg_header_t head;
	char bytes[MIG_DEMUX_BUF];
};

/* The request the demux reads and the reply it writes. */
extern union mig_demux_buf in, out;

/** request() - a request with id @id, @size bytes, the given bits, and an audit trailer after it. */
void *request(mach_msg_id_t id, size_t size, mach_msg_bits_t other_bits);

/** serve() - run the demux.  Return: the reply's RetCode, KERN_SUCCESS for a complex reply. */
kern_return_t serve(void);

/** expect() - run the demux; an error reply with @code and the NDR record, or a success. */
void expect(kern_return_t code);

#endif
