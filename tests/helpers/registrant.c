/* SPDX-License-Identifier: MIT */
#include "registrant.h"

#include <check.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <servers/bootstrap.h>
#include <bootstrap_priv.h>

#include "daemon.h"
#include "give-right.h"

static int register_and_give_away(const char *name, const char *taker)
{
	mach_port_t p;

	return make_registered_port(name, true, &p) || give_receive_right(p, taker) ? -1 : 0;
}

pid_t registrant_start(const char *name, const char *taker, int *go)
{
	int fds[2];
	pid_t child;
	char c;

	/* Close-on-exec: a daemon started meanwhile must not hold @go open. */
	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
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
