/* SPDX-License-Identifier: MIT */
/*
 * notifier.h - the task's notification thread (internal).
 *
 * Mach's kernel sends dead-name and no-senders notifications by itself.
 * Here a library thread, started on the first request, waits in epoll for
 * the events the kernel reports on a port's sockets (a send end hangs up
 * once every receive end is gone: dead name; a receive end hangs up once
 * every send end is gone: no more senders) and sends the notification
 * message through the send-once right the caller gave, as the kernel would.
 */
#ifndef BOOTSTRAP_NOTIFIER_H
#define BOOTSTRAP_NOTIFIER_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include <mach/message.h>
#include <mach/port.h>

/**
 * notifier_watch() - send message @id about @subject on @notify_fd once
 * @fd hangs up (MACH_NOTIFY_SEND_POSSIBLE: once @fd can take a message, or
 * MACH_NOTIFY_DEAD_NAME if it hangs up first), replacing an earlier request
 * for the same @subject and @id, whose notify fd goes to *@previous (-1:
 * none).  Takes @fd and @notify_fd in every case.  Return: 0 or a negative
 * errno.
 */
int notifier_watch(int fd, int notify_fd, mach_msg_id_t id, mach_port_name_t subject, int *previous);

/** notifier_take() - drop the request for @subject and @id.  Return: its notify fd (the caller's), or -1. */
int notifier_take(mach_port_name_t subject, mach_msg_id_t id);

/** notifier_cancel() - drop the request for @subject and @id, if any. */
void notifier_cancel(mach_port_name_t subject, mach_msg_id_t id);

/**
 * notifier_dead() - @subject's port died and the name becomes a dead name:
 * its dead-name and send-possible requests end, each sending
 * MACH_NOTIFY_DEAD_NAME now unless the thread already did.  Call it once
 * per name that dies.  Return: how many requests ended; each notification
 * carries one user reference of the dead name, for the caller to add.
 */
unsigned notifier_dead(mach_port_name_t subject);

/**
 * notifier_deleted() - @subject no longer holds the send or send-once
 * right its dead-name and send-possible requests were for:
 * MACH_NOTIFY_PORT_DELETED goes to each (one that fired goes quietly).
 */
void notifier_deleted(mach_port_name_t subject);

/**
 * notifier_any_fired() - whether some dead-name request fired and its name
 * has not been found dead yet: only then is a watched name worth a look
 * before it is used (a poll per right otherwise).
 */
bool notifier_any_fired(void);

/**
 * notifier_requests() - the MACH_PORT_TYPE_DNREQUEST and
 * MACH_PORT_TYPE_SPREQUEST bits of @subject's pending requests, as xnu's
 * ipc_port_request_type().
 */
mach_port_type_t notifier_requests(mach_port_name_t subject);

/**
 * notifier_requested() - whether a dead-name or send-possible request names
 * @subject, fired or not (xnu's entry's ie_request: a fired one is counted
 * only once the name is found dead).
 */
bool notifier_requested(mach_port_name_t subject);

/** notifier_send() - send notification @id about @subject on @notify_fd now (taken). */
void notifier_send(int notify_fd, mach_msg_id_t id, mach_port_name_t subject);

/**
 * notifier_send_receive() - send MACH_NOTIFY_PORT_DESTROYED carrying the
 * receive right on @fds (R, S if @has_s, send-once queues, then the
 * channels @reserved counts; not taken) on @notify_fd (not taken), without
 * waiting.  Return: 0 or a negative errno.
 */
int notifier_send_receive(int notify_fd, const int *fds, size_t nfds, bool has_s,
			  uint32_t reserved);

/** notifier_fork_child() - a forked child has no thread and must not fire the parent's requests (task.c). */
void notifier_fork_child(void);

#endif
