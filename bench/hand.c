/* SPDX-License-Identifier: MIT */
/*
 * hand.c - the look-up as the library made it before bootstrap.defs: the
 * request and reply laid out by hand, a per-thread reply port, one
 * mach_msg(SEND|RCV).  Measured next to bootstrap_look_up() (the stubs
 * bsmig generated), in alternating blocks by one client process, so that
 * the figure shows what the generated code costs.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

#define HAND_LOOK_UP 404        /* launchd's look_up2 */

#pragma pack(push, 4)
struct hand_request {
	mach_msg_header_t head;
	NDR_record_t ndr;
	name_t name;
	int targetpid;
	uint64_t flags;
};

struct hand_reply {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};
#pragma pack(pop)

union hand_msg {
	struct hand_request req;
	mig_reply_error_t error;
	struct hand_reply rep;
	char buf[sizeof(struct hand_request) + MAX_TRAILER_SIZE];
};

static __thread mach_port_t hand_reply_port;

static kern_return_t hand_look_up(const char *name, mach_port_t *sp)
{
	union hand_msg m;
	kern_return_t kr;

	if (!hand_reply_port &&
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &hand_reply_port))
		return KERN_RESOURCE_SHORTAGE;
	memset(&m.req, 0, sizeof(m.req));
	m.req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.head.msgh_size = sizeof(m.req);
	m.req.head.msgh_remote_port = bootstrap_port;
	m.req.head.msgh_local_port = hand_reply_port;
	m.req.head.msgh_id = HAND_LOOK_UP;
	m.req.ndr = NDR_record;
	strcpy(m.req.name, name);
	kr = mach_msg(&m.req.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req), sizeof(m),
		      hand_reply_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr != MACH_MSG_SUCCESS)
		return kr;
	if (m.rep.head.msgh_id != HAND_LOOK_UP + 100)
		return MIG_REPLY_MISMATCH;
	if (!MACH_MSGH_BITS_IS_COMPLEX(m.rep.head.msgh_bits))
		return m.error.RetCode ? m.error.RetCode : MIG_TYPE_ERROR;
	*sp = m.rep.port.name;
	return KERN_SUCCESS;
}

/* One look-up by @hand or by the library, its right dropped.  Return: 0 or -1. */
static int look_up_one(const char *name, bool hand)
{
	mach_port_t port;
	kern_return_t kr = hand ? hand_look_up(name, &port) :
				  bootstrap_look_up(bootstrap_port, name, &port);

	if (kr != KERN_SUCCESS) {
		fprintf(stderr, "bench: %s look-up of %s: %s\n", hand ? "hand-written" : "generated",
			name, bootstrap_strerror(kr));
		return -1;
	}
	mach_port_deallocate(mach_task_self(), port);
	return 0;
}

static int sample(const char *name, bool hand, uint64_t *s, size_t *n, int count)
{
	int err = 0;

	for (int i = 0; i < count && !err; i++) {
		uint64_t t = now_ns();

		err = look_up_one(name, hand);
		s[(*n)++] = now_ns() - t;
	}
	return err;
}

int hand_lookup_measure(int R, int B, const char *name, struct pair *out)
{
	int err = 0;
	size_t total = (size_t)R * B, ng = 0, nh = 0;
	uint64_t *gs = calloc(total, sizeof(uint64_t)), *hs = calloc(total, sizeof(uint64_t));

	memset(out, 0, sizeof(*out));
	if (!gs || !hs) {
		free(gs);
		free(hs);
		return -1;
	}
	/* The library connects bootstrap_port; the hand-written call reuses it. */
	for (int i = 0; i < 200 && !err; i++)
		err = look_up_one(name, false) | look_up_one(name, true);
	for (int r = 0; r < R && !err; r++)
		err = sample(name, true, hs, &nh, B) | sample(name, false, gs, &ng, B);
	out->bsd = lat_of(gs, ng);
	out->floor = lat_of(hs, nh);
	out->ok = !err;
	free(gs);
	free(hs);
	return err ? -1 : 0;
}
