/* SPDX-License-Identifier: MIT */
/*
 * bootstrap.c - bootstrap_look_up(), bootstrap_check_in(),
 * bootstrap_register() and friends: each checks its arguments, finds the
 * bootstrap port and calls the stub bsmig generated from bootstrap.defs
 * (bootstrapUser.c), as launchd's library calls its vproc_mig_ stubs.
 * Each public call is one request and one reply, sent once more on a new
 * connection if bootstrapd restarted meanwhile (bootstrap_port_retry()):
 * any request that could not be sent, and a look-up whose reply never came.
 */
#include <string.h>

#include <bootstrap_priv.h>
#include <bsm/libbsm.h>

#include "bootstrap-mig.h"
#include "bootstrap-port.h"
#include "mig.h"
#include "msg-conn.h"

#define EXPORT __attribute__((visibility("default")))

/*
 * The reply port is MIG's, per thread: a forked child's space is new.  The
 * bootstrap connection's answers are its parent's to read (msg-conn.h).
 */
void bootstrap_fork_child(void)
{
	mig_fork_child();
	msg_conn_fork_child();
}

static kern_return_t check_name(const char *name)
{
	/* strnlen, as MIG's copy of the name: one libc function fewer a call. */
	if (!name || strnlen(name, BOOTSTRAP_MAX_NAME_LEN) == BOOTSTRAP_MAX_NAME_LEN)
		return KERN_INVALID_ARGUMENT;   /* longer than a name_t: never truncated */
	return KERN_SUCCESS;
}

/* The port to send to: @bp, or the lazily connected bootstrap port. */
static kern_return_t resolve(mach_port_t *bp)
{
	mach_port_t given = *bp;
	kern_return_t kr = bootstrap_port_resolve(bp);

	if (kr == KERN_SUCCESS && (given == bootstrap_port || bootstrap_port == BOOTSTRAP_LAZY_NAME))
		__atomic_store_n(&bootstrap_port, *bp, __ATOMIC_RELEASE);
	return kr;
}

/* The name checked, the port found: ready for a generated stub. */
static kern_return_t prepare(mach_port_t *bp, const char *name)
{
	kern_return_t kr = check_name(name);

	return kr == KERN_SUCCESS ? resolve(bp) : kr;
}

EXPORT kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name,
				       mach_port_t *sp, pid_t target_pid, uint64_t flags)
{
	audit_token_t server;
	kern_return_t kr;

	if (!sp)
		return KERN_INVALID_ARGUMENT;   /* as a bad name would be */
	kr = prepare(&bp, service_name);
	if (kr == KERN_SUCCESS)
		kr = bs_mig_look_up2(bp, (char *)service_name, sp, &server, target_pid, flags);
	if (bootstrap_port_retry(&bp, kr, true))
		kr = bs_mig_look_up2(bp, (char *)service_name, sp, &server, target_pid, flags);
	/* As launchd's library: a privileged server is one root answers for. */
	if (kr == KERN_SUCCESS && (flags & BOOTSTRAP_PRIVILEGED_SERVER) &&
	    audit_token_to_euid(server) != 0) {
		mach_port_deallocate(mach_task_self(), *sp);
		*sp = MACH_PORT_NULL;
		kr = BOOTSTRAP_NOT_PRIVILEGED;
	}
	return kr;
}

EXPORT kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return bootstrap_look_up2(bp, service_name, sp, 0, 0);
}

EXPORT kern_return_t bootstrap_check_in2(mach_port_t bp, const char *service_name,
					mach_port_t *sp, uint64_t flags)
{
	kern_return_t kr;

	if (!sp)
		return KERN_INVALID_ARGUMENT;
	kr = prepare(&bp, service_name);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = bs_mig_check_in2(bp, (char *)service_name, sp, flags);
	if (bootstrap_port_retry(&bp, kr, false))
		kr = bs_mig_check_in2(bp, (char *)service_name, sp, flags);
	return kr;
}

EXPORT kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return bootstrap_check_in2(bp, service_name, sp, 0);
}

EXPORT kern_return_t bootstrap_register2(mach_port_t bp, char *service_name, mach_port_t sp,
					uint64_t flags)
{
	kern_return_t kr = prepare(&bp, service_name);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = bs_mig_register2(bp, service_name, sp, flags);
	if (bootstrap_port_retry(&bp, kr, false))
		kr = bs_mig_register2(bp, service_name, sp, flags);
	return kr;
}

EXPORT kern_return_t bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp)
{
	return bootstrap_register2(bp, service_name, sp, 0);
}

EXPORT kern_return_t bootstrap_create_service(mach_port_t bp, char *service_name, mach_port_t *sp)
{
	mach_port_t recv;
	kern_return_t kr = bootstrap_check_in(bp, service_name, &recv);

	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1);
	return bootstrap_look_up(bp, service_name, sp);
}

EXPORT kern_return_t bootstrap_status(mach_port_t bp, char *service_name,
				     bootstrap_status_t *service_active)
{
	mach_port_t p;
	kern_return_t kr;

	if (!service_active)
		return KERN_INVALID_ARGUMENT;
	kr = bootstrap_look_up(bp, service_name, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	mach_port_deallocate(mach_task_self(), p);
	*service_active = BOOTSTRAP_STATUS_ACTIVE;
	/* launchd's answer: on demand if the caller could take it now. */
	if (bootstrap_check_in2(bp, service_name, &p, BOOTSTRAP_STRICT_CHECKIN) == KERN_SUCCESS) {
		mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
		*service_active = BOOTSTRAP_STATUS_ON_DEMAND;
	}
	return BOOTSTRAP_SUCCESS;
}

EXPORT kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port)
{
	kern_return_t kr;

	if (!parent_port)
		return KERN_INVALID_ARGUMENT;
	kr = resolve(&bp);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = bs_mig_parent(bp, parent_port);
	if (bootstrap_port_retry(&bp, kr, true))
		kr = bs_mig_parent(bp, parent_port);
	return kr;
}

EXPORT kern_return_t bootstrap_info(mach_port_t bp,
				   name_array_t *service_names,
				   mach_msg_type_number_t *service_namesCnt,
				   name_array_t *service_jobs, mach_msg_type_number_t *service_jobsCnt,
				   bootstrap_status_array_t *service_active,
				   mach_msg_type_number_t *service_activeCnt, uint64_t flags)
{
	kern_return_t kr;

	if (!service_names || !service_namesCnt || !service_jobs || !service_jobsCnt ||
	    !service_active || !service_activeCnt)
		return KERN_INVALID_ARGUMENT;
	kr = resolve(&bp);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = bs_mig_info(bp, service_names, service_namesCnt, service_jobs, service_jobsCnt,
			 service_active, service_activeCnt, flags);
	if (bootstrap_port_retry(&bp, kr, true))
		kr = bs_mig_info(bp, service_names, service_namesCnt, service_jobs, service_jobsCnt,
				 service_active, service_activeCnt, flags);
	return kr;
}
