/* SPDX-License-Identifier: MIT */
#include "echo-client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void echo_add_job(struct test_daemon *td, const char *services, const char *extra)
{
	char *body;

	ck_assert_int_gt(asprintf(&body,
		"<key>ProgramArguments</key><array><string>%s</string><string>%s</string></array>\n"
		"<key>MachServices</key>%s\n"
		"<key>ThrottleInterval</key><integer>1</integer>\n%s",
		getenv("ECHO_SERVICE"), ECHO_SERVICE_NAME,
		services ? services : "<dict><key>" ECHO_SERVICE_NAME "</key><true/></dict>",
		extra ? extra : ""), 0);
	test_daemon_add_job(td, ECHO_SERVICE_NAME, body);
	free(body);
}

mach_msg_return_t echo_send(mach_port_t port, mach_msg_id_t id, uint32_t value,
			    mach_msg_timeout_t send_timeout)
{
	struct echo_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.head.msgh_remote_port = port;
	m.head.msgh_id = id;
	m.value = value;
	return mach_msg(&m.head, MACH_SEND_MSG | (send_timeout ? MACH_SEND_TIMEOUT : 0), sizeof(m),
			0, MACH_PORT_NULL, send_timeout, MACH_PORT_NULL);
}

mach_msg_id_t echo_call(mach_port_t port, struct echo_msg *out)
{
	return echo_request(port, ECHO_QUERY, 0, out);
}

mach_msg_return_t echo_request_within(mach_port_t port, mach_msg_id_t id, uint32_t value,
				      mach_msg_timeout_t ms, struct echo_msg *out)
{
	union {
		struct echo_msg m;
		char buf[sizeof(struct echo_msg) + MAX_TRAILER_SIZE];
	} u;
	mach_port_t reply;
	mach_msg_return_t mr;

	ck_assert_int_eq(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply), 0);
	memset(&u, 0, sizeof(u));
	u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.m.head.msgh_remote_port = port;
	u.m.head.msgh_local_port = reply;
	u.m.head.msgh_id = id;
	u.m.value = value;
	mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(u.m),
		      sizeof(u), reply, ms, MACH_PORT_NULL);
	mach_port_destroy(mach_task_self(), reply);
	if (out && mr == MACH_MSG_SUCCESS)
		*out = u.m;
	return mr;
}

mach_msg_id_t echo_request(mach_port_t port, mach_msg_id_t id, uint32_t value, struct echo_msg *out)
{
	struct echo_msg m;

	ck_assert_int_eq(echo_request_within(port, id, value, 30000, &m), MACH_MSG_SUCCESS);
	if (out)
		*out = m;
	return m.head.msgh_id;
}

struct echo_msg echo_query(mach_port_t port)
{
	struct echo_msg r;

	ck_assert_int_eq(echo_call(port, &r), ECHO_QUERY + 100);
	return r;
}
