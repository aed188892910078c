/* SPDX-License-Identifier: MIT */
/*
 * bench-proto.h - the one request and reply of the bench service, and the
 * wire sizes the raw-socket floors copy so that both sides move the same
 * bytes.
 */
#ifndef BENCH_PROTO_H
#define BENCH_PROTO_H

#include <stdint.h>

#include <mach/mach.h>

#define BENCH_SERVICE_NAME  "com.bootstrapd.bench.service"
#define BENCH_ONCE_NAME     "com.bootstrapd.bench.once"
#define BENCH_MSG_ID        7000
#define BENCH_TEXT_LEN      64
/* Ask the serving job to time look-ups of its own name from inside the job. */
#define BENCH_LOOKUPS_ID    7002
#define BENCH_LOOKUPS_MAX   20000

struct bench_request {
	mach_msg_header_t head;
	char text[BENCH_TEXT_LEN];
};

struct bench_reply {
	mach_msg_header_t head;
	int32_t pid;
	char text[BENCH_TEXT_LEN];
};

struct bench_lookups_request {
	mach_msg_header_t head;
	uint32_t count;                 /* look-ups to time, at most BENCH_LOOKUPS_MAX */
};

struct bench_lookups_reply {
	mach_msg_header_t head;
	double median_us, p99_us;       /* lat_of()'s (bench/util.c) */
	uint32_t done;                  /* look-ups that succeeded */
};

/*
 * What libbootstrap puts on the socket (client-lib/msg/wire.h: a 32-byte
 * header, 24 bytes per descriptor, then the body):
 *   look-up request: 32 + NDR 8 + name_t 128 + pid 4 + flags 8 = 180 bytes, 1 fd (reply right)
 *   look-up reply:   32 + 24 (one port descriptor)     =  56 bytes, 1 fd (the send right)
 *   call request:    32 + text 64                      =  96 bytes, 1 fd (reply right)
 *   call reply:      32 + pid 4 + text 64              = 100 bytes
 * The floors send the same sizes; they carry only the fds a minimal
 * protocol needs (the look-up reply's one fd), no reply port.
 */
#define FLOOR_LOOKUP_REQ    180
#define FLOOR_LOOKUP_REP    56
#define FLOOR_CALL_REQ      96
#define FLOOR_CALL_REP      100

#endif
