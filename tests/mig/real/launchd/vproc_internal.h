/*
 * vproc_internal.h - stand-in for launchd's header: the C types that
 * job_types.defs names, and the job_t translations its server side uses.
 */
#ifndef TEST_VPROC_INTERNAL_H
#define TEST_VPROC_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>
#include <mach/mach.h>

typedef mach_port_t vproc_mig_t;
typedef struct test_job *job_t;
typedef char name_t[128];
typedef unsigned char uuid_t[16];
typedef char cmd_t[512];
typedef char *logmsg_t;
typedef int vproc_gsk_t;
typedef name_t *name_array_t;
typedef pid_t *pid_array_t;
typedef natural_t bootstrap_property_t;
typedef bootstrap_property_t *bootstrap_property_array_t;
typedef integer_t bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;

job_t job_mig_intran(mach_port_t p);
mach_port_t job_mig_outtran(job_t j);
void job_mig_destructor(job_t j);

#endif
