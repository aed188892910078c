/* SPDX-License-Identifier: MIT */
/*
 * <bootstrap/linux.h> - Linux-only extensions of libbootstrap.
 */
#ifndef _BOOTSTRAP_LINUX_H_
#define _BOOTSTRAP_LINUX_H_

#include <mach/mach.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * bootstrap_port_get_fd() - the fd to poll for a receive right or a port
 * set, so that it can be waited on in epoll, libevent or poll(2).
 * @name: a receive right or a port set.
 * @fd: the fd (still owned by the library: do not read from or close it).
 *
 * The fd is readable when mach_msg() with MACH_RCV_MSG and a zero timeout
 * on @name would find a message.  It is an epoll fd in both cases: a
 * receive right's covers its send-once rights' queues too, where replies
 * and notifications arrive.  It stays valid while @name holds the right.
 * Return: KERN_SUCCESS, KERN_INVALID_NAME, KERN_INVALID_RIGHT,
 * KERN_RESOURCE_SHORTAGE (no fd left to make the epoll fd).
 */
kern_return_t bootstrap_port_get_fd(mach_port_name_t name, int *fd);

/**
 * bootstrap_port_connect() - a send right to the bootstrapd listening on
 * @path, whatever bootstrap_port is (e.g. to reach the system domain, or
 * for a tool run by a job that was given another domain's port).
 * @port: out: the new send right; the caller owns one reference.
 * Return: KERN_SUCCESS, KERN_INVALID_ARGUMENT, MACH_SEND_INVALID_DEST (no
 * daemon answers there), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t bootstrap_port_connect(const char *path, mach_port_t *port);

/** The environment variable that names a job's inherited bootstrap fd. */
#define BOOTSTRAP_ENV_FD        "BOOTSTRAP_FD"
/**
 * The environment variable that names the job's process, the one process
 * that may have answers on that fd (its children share the fd).
 */
#define BOOTSTRAP_ENV_FD_PID    "BOOTSTRAP_FD_PID"
/** The environment variable that names the daemon's socket. */
#define BOOTSTRAP_ENV_SOCKET    "BOOTSTRAP_SOCKET"

#ifdef __cplusplus
}
#endif
#endif
