/* SPDX-License-Identifier: MIT */
/*
 * raw-client.h - a client of the daemon that writes datagrams by hand,
 * calls with a bound, and watches the daemon's fds: for the tests of
 * hostile input and scarce fds.
 */
#ifndef BOOTSTRAPD_TEST_RAW_CLIENT_H
#define BOOTSTRAPD_TEST_RAW_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

#include <mach/mach.h>

/**
 * raw_connect() - a plain SEQPACKET connection to @path, with 10 s send
 * and receive timeouts.  Return: the fd, or a negative errno.
 */
int raw_connect(const char *path);

/**
 * raw_send() - one datagram of @len bytes carrying @nfds copies of @fds
 * (borrowed; up to 253).  Return: what sendmsg(2) returned, or -errno.
 */
ssize_t raw_send(int fd, const void *buf, size_t len, const int *fds, size_t nfds);

/** raw_send_flags() - raw_send() with sendmsg(2) flags @flags instead of MSG_NOSIGNAL. */
ssize_t raw_send_flags(int fd, const void *buf, size_t len, const int *fds, size_t nfds,
		       int flags);

/**
 * raw_look_up() - bootstrap_look_up() that gives up after @timeout_ms.
 * @port: out: the send right on success, else MACH_PORT_NULL.
 * Return: the reply's return code, MIG_SERVER_DIED when the reply right
 * died unanswered, or what mach_msg() said (MACH_RCV_TIMED_OUT: no answer).
 */
/**
 * raw_send_look_up() - send a look-up of @name through @bp, its answer to
 * come to receive right @reply (a send-once right made from it); no wait
 * for the answer.  Return: what mach_msg() said (10 s send timeout).
 */
mach_msg_return_t raw_send_look_up(mach_port_t bp, mach_port_t reply, const char *name);

kern_return_t raw_look_up(mach_port_t bp, const char *name, mach_msg_timeout_t timeout_ms,
			  mach_port_t *port);

/**
 * raw_call_id() - send a request with id @id and an empty body through @bp
 * and wait up to @timeout_ms.  Return: what mach_msg() said; *@reply_id
 * and *@ret: the reply's id and return code.
 */
mach_msg_return_t raw_call_id(mach_port_t bp, mach_msg_id_t id, mach_msg_timeout_t timeout_ms,
			      mach_msg_id_t *reply_id, kern_return_t *ret);

/** raw_fd_count() - entries in /proc/@pid/fd, or -1. */
int raw_fd_count(pid_t pid);

/**
 * raw_wait_fd_count() - poll until @pid has @want fds, for at most
 * @bound_ms.  Return: the last count seen.
 */
int raw_wait_fd_count(pid_t pid, int want, int bound_ms);

#endif
