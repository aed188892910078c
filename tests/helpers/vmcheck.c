/* SPDX-License-Identifier: MIT */
/* vmcheck.c - whether memory may be written, tried in a child. */
#include "helpers/vmcheck.h"

#include <check.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int vmcheck_write_in_child(volatile uint32_t *addr)
{
	pid_t pid = fork();
	int ws;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		addr[0] = 0xdead;
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
}
