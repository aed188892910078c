/* SPDX-License-Identifier: MIT */
/*
 * bootstrap-chan.c - asking bootstrapd for a channel (bootstrap-chan.h):
 * the pair made here, its B handed over in the routine.
 */
#include "bootstrap-chan.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "bootstrap-mig.h"
#include "bootstrap-port.h"
#include "port.h"

/*
 * The pair (A, B), made by this process: B's SO_PEERCRED names it, which
 * is how the receiver knows whose calls B answers.  A carries answers to
 * us with their sender's credentials (the audit trailer).
 */
static int make_pair(int *a, int *b)
{
	int sv[2], one = 1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	if (setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	*a = sv[0];
	*b = sv[1];
	return 0;
}

/* An ask with no bound: as long as a timeout can say (24 days). */
#define ASK_UNBOUNDED INT32_MAX

int bootstrap_chan_ask(mach_port_name_t service, mach_msg_timeout_t timeout_ms)
{
	mach_port_t bp = bootstrap_port, b_name;
	kern_return_t kr = bootstrap_port_resolve(&bp);
	int a, b;

	if (kr != KERN_SUCCESS || make_pair(&a, &b) < 0)
		return -1;
	b_name = port_name_send_fd(b);          /* B taken, closed on failure */
	if (b_name == MACH_PORT_NULL) {
		close(a);
		return -1;
	}
	kr = bs_mig_channel(bp, service, b_name,
			    timeout_ms == MACH_MSG_TIMEOUT_NONE ? ASK_UNBOUNDED : timeout_ms);
	/* Not sent: the right is still ours (sent, it moved with the request). */
	if (((uint32_t)kr & 0xffffc000u) == 0x10000000u)   /* MACH_SEND_*, not MACH_RCV_* */
		mach_port_deallocate(mach_task_self(), b_name);
	if (kr != KERN_SUCCESS) {
		/* A channel the daemon makes of B later has no A: it is swept. */
		close(a);
		return kr == MACH_RCV_TIMED_OUT || kr == MACH_SEND_TIMED_OUT ? -ETIMEDOUT : -1;
	}
	return a;
}
