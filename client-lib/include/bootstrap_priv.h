/* SPDX-License-Identifier: MIT */
/*
 * <bootstrap_priv.h> - launchd's private bootstrap calls and flags, as far
 * as bootstrapd serves them.  See bootstrap(3).
 */
#ifndef _BOOTSTRAP_PRIV_H_
#define _BOOTSTRAP_PRIV_H_

#include <stdint.h>
#include <sys/types.h>
#include <servers/bootstrap.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of the *2 calls (launchd's values). */
#define BOOTSTRAP_PER_PID_SERVICE       (1 << 0)  /* look-up: the name as process target_pid holds it */
#define BOOTSTRAP_ALLOW_LOOKUP          (1 << 1)  /* accepted, no effect */
#define BOOTSTRAP_DENY_JOB_CREATION     (1 << 2)  /* accepted, no effect */
#define BOOTSTRAP_PRIVILEGED_SERVER     (1 << 3)  /* look-up: only if answered by root */
#define BOOTSTRAP_FORCE_LOCAL           (1 << 4)  /* look-up, info: this domain only */
#define BOOTSTRAP_SPECIFIC_INSTANCE     (1 << 5)  /* accepted, no effect */
#define BOOTSTRAP_STRICT_CHECKIN        (1 << 6)  /* check-in: no dynamic name */
#define BOOTSTRAP_STRICT_LOOKUP         (1 << 7)  /* accepted, no effect */

/** bootstrap_look_up2() - bootstrap_look_up() with a target process and flags. */
kern_return_t bootstrap_look_up2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				 pid_t target_pid, uint64_t flags);

/** bootstrap_check_in2() - bootstrap_check_in() with flags. */
kern_return_t bootstrap_check_in2(mach_port_t bp, const char *service_name, mach_port_t *sp,
				  uint64_t flags);

/** bootstrap_register2() - bootstrap_register() with flags. */
kern_return_t bootstrap_register2(mach_port_t bp, char *service_name, mach_port_t sp,
				  uint64_t flags);

/**
 * bootstrap_info() - every name of the domain, the label of the job that
 * declares it ("" for a process's name) and its BOOTSTRAP_STATUS_*; the
 * arrays are the caller's to vm_deallocate().
 */
kern_return_t bootstrap_info(mach_port_t bp,
			     name_array_t *service_names, mach_msg_type_number_t *service_namesCnt,
			     name_array_t *service_jobs, mach_msg_type_number_t *service_jobsCnt,
			     bootstrap_status_array_t *service_active,
			     mach_msg_type_number_t *service_activeCnt, uint64_t flags);

#ifdef __cplusplus
}
#endif
#endif
