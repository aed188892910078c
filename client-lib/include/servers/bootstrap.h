/* SPDX-License-Identifier: MIT */
/*
 * <servers/bootstrap.h> - the bootstrap name service, Apple's signatures
 * and BOOTSTRAP_* values, served by bootstrapd.  See bootstrap(3).
 *
 * bootstrap_port is connected lazily: a job started by bootstrapd uses the
 * port it inherited ($BOOTSTRAP_FD); any other process connects to
 * $BOOTSTRAP_SOCKET, else $XDG_RUNTIME_DIR/bootstrapd/socket, else
 * /run/bootstrapd/socket.
 */
#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <stdbool.h>
#include <sys/types.h>
#include <mach/mach.h>
#include <bootstrap/unavailable.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BOOTSTRAP_MAX_NAME_LEN      128
#define BOOTSTRAP_MAX_CMD_LEN       512

typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;
typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;
typedef unsigned int bootstrap_property_t;
typedef bootstrap_property_t *bootstrap_property_array_t;
typedef boolean_t *bool_array_t;

#define BOOTSTRAP_MAX_LOOKUP_COUNT  20

#define BOOTSTRAP_SUCCESS           0
#define BOOTSTRAP_NOT_PRIVILEGED    1100
#define BOOTSTRAP_NAME_IN_USE       1101
#define BOOTSTRAP_UNKNOWN_SERVICE   1102
#define BOOTSTRAP_SERVICE_ACTIVE    1103
#define BOOTSTRAP_BAD_COUNT         1104
#define BOOTSTRAP_NO_MEMORY         1105
#define BOOTSTRAP_NO_CHILDREN       1106

#define BOOTSTRAP_STATUS_INACTIVE   0
#define BOOTSTRAP_STATUS_ACTIVE     1
#define BOOTSTRAP_STATUS_ON_DEMAND  2

/*
 * Apple declares the name parameters as name_t (char[128]); an array
 * parameter is a pointer, so the type is the same, but GCC would warn on
 * every caller that passes a shorter string literal.  Names longer than
 * 127 bytes are refused (KERN_INVALID_ARGUMENT), never truncated.
 */

/* The task's bootstrap port: a send right to bootstrapd. */
extern mach_port_t bootstrap_port;

/**
 * bootstrap_look_up() - a send right to the service @service_name.
 * The service need not be running: the first message starts it.
 * Return: BOOTSTRAP_SUCCESS and a send right in *@sp (the caller owns one
 * reference), BOOTSTRAP_UNKNOWN_SERVICE, or a MACH_* error when the
 * daemon cannot be reached.
 */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp);

/**
 * bootstrap_check_in() - the receive right for a service declared in the
 * caller's own job.  Messages sent before the call are queued on it.
 * Return: BOOTSTRAP_SUCCESS, BOOTSTRAP_UNKNOWN_SERVICE,
 * BOOTSTRAP_NOT_PRIVILEGED (another job's service), BOOTSTRAP_SERVICE_ACTIVE.
 */
kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp);

/**
 * bootstrap_register() - bind a send right to a name (deprecated on macOS,
 * supported here).  MACH_PORT_NULL removes the caller's binding.  The
 * name goes away when the port dies.
 * Return: BOOTSTRAP_SUCCESS, BOOTSTRAP_NOT_PRIVILEGED (declared in a plist
 * or held by another process), BOOTSTRAP_SERVICE_ACTIVE.
 */
kern_return_t bootstrap_register(mach_port_t bp, char *service_name, mach_port_t sp);

/**
 * bootstrap_create_service() - check_in, keep the name, return a send
 * right (deprecated on macOS).
 */
kern_return_t bootstrap_create_service(mach_port_t bp, char *service_name, mach_port_t *sp);

/**
 * bootstrap_parent() - a send right to the parent domain: a user domain's
 * is the system domain, the system domain's is itself.  Root only
 * (BOOTSTRAP_NOT_PRIVILEGED otherwise).
 */
kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port);

/**
 * bootstrap_status() - as launchd: the look-up's error, else
 * BOOTSTRAP_STATUS_ON_DEMAND if the caller could check the name in (a
 * trial check-in), else BOOTSTRAP_STATUS_ACTIVE.
 */
kern_return_t bootstrap_status(mach_port_t bp, char *service_name,
			       bootstrap_status_t *service_active);

/*
 * Declared by Apple's header, not provided here: a call fails to compile.
 * Subsets and servers started by command line belong to the mach_init
 * era; launchd answers most of them with an error too.  See bootstrap(3).
 */
kern_return_t bootstrap_create_server(mach_port_t bp, cmd_t server_cmd, uid_t server_uid,
	boolean_t on_demand, mach_port_t *server_port)
	BOOTSTRAP_UNAVAILABLE("bootstrap_create_server (declare the job in a plist)");
kern_return_t bootstrap_subset(mach_port_t bp, mach_port_t requestor_port, mach_port_t *subset_port)
	BOOTSTRAP_UNAVAILABLE("bootstrap_subset");
kern_return_t bootstrap_unprivileged(mach_port_t bp, mach_port_t *unpriv_port)
	BOOTSTRAP_UNAVAILABLE("bootstrap_unprivileged");

/* Return: a static description of a BOOTSTRAP_* or Mach error code. */
const char *bootstrap_strerror(kern_return_t r) __attribute__((__nothrow__, __pure__, __warn_unused_result__));

#ifdef __cplusplus
}
#endif
#endif
