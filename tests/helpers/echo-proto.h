/* SPDX-License-Identifier: MIT */
/* echo-proto.h - messages of the test echo service. */
#ifndef BOOTSTRAPD_TEST_ECHO_PROTO_H
#define BOOTSTRAPD_TEST_ECHO_PROTO_H

#include <stdint.h>
#include <mach/mach.h>

enum { ECHO_DATA = 2000, ECHO_QUERY, ECHO_CRASH, ECHO_ECHO, ECHO_LOOK_UP, ECHO_RECHECK,
       ECHO_REGISTER, ECHO_REGISTER_ANEW, ECHO_REGISTER_CHILD, ECHO_CRASH_CALL, ECHO_FORWARD,
       ECHO_FORWARDED, ECHO_DROP, ECHO_REPLY_PORT, ECHO_NO_CREDS, ECHO_WAKE_EXIT };

/* ECHO_CRASH_CALL: a request the job takes and dies on, unanswered.
 * ECHO_FORWARD: the job sends the request's reply right on to its own port
 * (ECHO_FORWARDED), and answers through it when that comes back.
 * ECHO_DROP: destroyed unanswered.
 * ECHO_REPLY_PORT: answered with a reply port, a send-once right to the
 * service's own port, as a conversation that goes on is.
 * ECHO_NO_CREDS: the job turns SO_PASSCRED off on its R (which the daemon
 * shares), as any job may; answered with 1 if it did. */

/* ECHO_WAKE_EXIT: the job writes a WAKE into its own R (as a thread of it
 * waking another asleep there would, port-direct.c), answers (value 1 if
 * written) and exits with status 8. */
/* ECHO_REGISTER: the job registers a new port as ECHO_REGISTERED and moves
 * its receive right to ECHO_TAKER (which the client checked in).
 * ECHO_REGISTER_ANEW: the same, on a connection of its own to
 * $ECHO_SOCKET, not the bootstrap port it was given.
 * ECHO_REGISTER_CHILD: the same, from a child, on the port it inherited. */
#define ECHO_REGISTERED "com.example.echo.registered"
#define ECHO_TAKER "com.example.echo.taker"

struct echo_msg {
	mach_msg_header_t head;
	uint32_t value;
	uint32_t ok;
	int32_t pid;
};

#endif
