/* SPDX-License-Identifier: MIT */
/*
 * channels-notice.h - the RETIRED datagram bootstrapd writes up a
 * channel's B when the port's job exits (wire.h "Channels").  Header
 * only, so that check-channels builds it as the daemon does and holds it
 * to wire_control() without linking the daemon.
 */
#ifndef BOOTSTRAPD_CHANNELS_NOTICE_H
#define BOOTSTRAPD_CHANNELS_NOTICE_H

#include <stdint.h>

#include "wire.h"

/* One RETIRED: the header, then its body; no fds. */
struct channels_retired {
	struct wire_hdr h;
	struct wire_retired body;
};

_Static_assert(sizeof(struct channels_retired) == sizeof(struct wire_hdr) +
	       sizeof(struct wire_retired), "a RETIRED is its header and body, unpadded");

/**
 * channels_retired_notice() - RETIRED(@seq, @looked_ns): @seq the last
 * call of B's owner queued in R when the daemon looked (0: none was),
 * @looked_ns when it began to look (CLOCK_MONOTONIC; 0: it could not).
 */
static inline struct channels_retired channels_retired_notice(uint16_t seq, uint64_t looked_ns)
{
	return (struct channels_retired){
		.h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_RETIRED, .seq = seq,
		       .body_len = sizeof(struct wire_retired),
		       .data_len = sizeof(struct wire_retired) },
		.body = { .looked_ns = looked_ns },
	};
}

#endif
