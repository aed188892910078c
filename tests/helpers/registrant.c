/* SPDX-License-Identifier: MIT */
#include "registrant.h"

#include <check.h>
#include <sys/wait.h>
#include <unistd.h>

#include <servers/bootstrap.h>
#include <bootstrap_priv.h>

#include "daemon.h"

#pragma pack(push, 4)
struct right_msg {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};
#pragma pack(pop)

static int register_and_give_away(const char *name, const char *taker_name)
{
	struct right_msg m = { 0 };
	mach_port_t p, taker;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) ||
	    mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) ||
	    bootstrap_register(bootstrap_port, (char *)name, p) ||
	    bootstrap_register2(bootstrap_port, (char *)name, p, BOOTSTRAP_PER_PID_SERVICE) ||
	    bootstrap_look_up(bootstrap_port, taker_name, &taker))
		return -1;
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = taker;
	m.body.msgh_descriptor_count = 1;
	m.port.name = p;
	m.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

pid_t registrant_start(const char *name, const char *taker, int *go)
{
	int fds[2];
	pid_t child;
	char c;

	ck_assert_int_eq(pipe(fds), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		close(fds[1]);
		if (register_and_give_away(name, taker) != 0)
			_exit(1);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	close(fds[0]);
	*go = fds[1];
	return child;
}

mach_port_t registrant_take(mach_port_t taker)
{
	struct {
		struct right_msg m;
		mach_msg_max_trailer_t t;
	} in;

	ck_assert_int_eq(mach_msg(&in.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(in),
				  taker, 10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_uint_eq(in.m.body.msgh_descriptor_count, 1);
	return in.m.port.name;
}

kern_return_t look_up_until_gone(const char *name, pid_t pid, uint64_t flags)
{
	kern_return_t kr = BOOTSTRAP_SUCCESS;
	mach_port_t found;

	for (int i = 0; i < 500 && kr == BOOTSTRAP_SUCCESS; i++) {
		kr = bootstrap_look_up2(bootstrap_port, name, &found, pid, flags);
		if (kr == BOOTSTRAP_SUCCESS) {
			mach_port_deallocate(mach_task_self(), found);
			test_pause_ms(10);
		}
	}
	return kr;
}

void registrant_end(pid_t child, int go)
{
	int st;

	close(go);
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
