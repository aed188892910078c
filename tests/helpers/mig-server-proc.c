/* SPDX-License-Identifier: MIT */
#include "mig-server-proc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "everything.h"
#include "peer.h"

mach_port_t mig_server_start(pid_t *pid)
{
	const char *path = getenv("MIG_SERVER");
	mach_port_t home = peer_port(), service;
	struct peer_rcv hello;
	int s = peer_send_fd(home), inheritable;
	char arg[16];

	ck_assert_msg(path && *path, "MIG_SERVER is not set (run the tests through meson)");
	ck_assert_int_ge(s, 0);
	inheritable = fcntl(s, F_DUPFD, 0);     /* without FD_CLOEXEC: the server inherits it */
	ck_assert_int_ge(inheritable, 0);
	close(s);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		snprintf(arg, sizeof(arg), "%d", inheritable);
		execl(path, "mig-server", arg, (char *)NULL);
		_exit(127);
	}
	close(inheritable);
	ck_assert_int_eq(peer_recv(home, &hello, PEER_TIMEOUT_MS), MACH_MSG_SUCCESS);
	ck_assert_int_eq(hello.msg.head.msgh_id, 1000);
	service = hello.msg.head.msgh_remote_port;
	ck_assert(MACH_PORT_VALID(service));
	mach_port_destroy(mach_task_self(), home);
	return service;
}

void mig_server_stop(mach_port_t service, pid_t pid)
{
	int ws = -1;

	ck_assert_int_eq(u_quit(service, 7), KERN_SUCCESS);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 7);
}
