/* SPDX-License-Identifier: MIT */
/*
 * mig-server-proc.h - the generated "everything" interface's server
 * (tests/mig/mig-server.c, $MIG_SERVER) in a process of its own, for the
 * suites that call it through the generated user stubs.
 */
#ifndef BOOTSTRAPD_TEST_MIG_SERVER_PROC_H
#define BOOTSTRAPD_TEST_MIG_SERVER_PROC_H

#include <sys/types.h>

#include <mach/mach.h>

/** mig_server_start() - start it; *@pid its process.  Return: a send right to its service. */
mach_port_t mig_server_start(pid_t *pid);

/** mig_server_stop() - ask @service to quit with status 7, and reap @pid (check asserts it). */
void mig_server_stop(mach_port_t service, pid_t pid);

#endif
