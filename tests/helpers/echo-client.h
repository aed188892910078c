/* SPDX-License-Identifier: MIT */
/* echo-client.h - declaring and calling the echo-service job in daemon tests. */
#ifndef BOOTSTRAPD_TEST_ECHO_CLIENT_H
#define BOOTSTRAPD_TEST_ECHO_CLIENT_H

#include "daemon.h"
#include "echo-proto.h"

#define ECHO_SERVICE_NAME "com.example.echo"

/**
 * echo_add_job() - write the com.example.echo job (ThrottleInterval 1).
 * @services: the MachServices dict, or NULL for { com.example.echo = true }.
 * @extra: more keys, or NULL.
 */
void echo_add_job(struct test_daemon *td, const char *services, const char *extra);

/** echo_send() - a one-way message.  Return: what mach_msg() said. */
mach_msg_return_t echo_send(mach_port_t port, mach_msg_id_t id, uint32_t value,
			    mach_msg_timeout_t send_timeout);

/**
 * echo_call() - ECHO_QUERY with a send-once reply port; waits up to 30 s.
 * Return: the id of what came back (ECHO_QUERY + 100, or
 * MACH_NOTIFY_SEND_ONCE when the request was destroyed); *@out the reply.
 */
mach_msg_id_t echo_call(mach_port_t port, struct echo_msg *out);

/**
 * echo_request_within() - request @id carrying @value, its answer waited
 * for at most @ms (into @out if it came).  Return: what mach_msg() said.
 */
mach_msg_return_t echo_request_within(mach_port_t port, mach_msg_id_t id, uint32_t value,
				      mach_msg_timeout_t ms, struct echo_msg *out);
/** echo_request() - echo_call() of request @id carrying @value. */
mach_msg_id_t echo_request(mach_port_t port, mach_msg_id_t id, uint32_t value, struct echo_msg *out);

/** echo_query() - echo_call() that must be answered. */
struct echo_msg echo_query(mach_port_t port);

#endif
