/* SPDX-License-Identifier: MIT */
/*
 * race.h - a right a message uses while another thread of the task
 * changes it, for the check-msg-race suites.
 *
 * The sender is caught where a send waits longest with the space lock
 * released: a timed send to a full queue, waiting for room.  It is then
 * held in a signal handler while this thread changes the rights and makes
 * new ports, which take the lowest free fd numbers; an fd closed under
 * the sender would now be one of theirs.  Every function fails the
 * current test (ck_assert) on error.
 */
#ifndef BOOTSTRAPD_TEST_RACE_H
#define BOOTSTRAPD_TEST_RACE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include <mach/mach.h>

#include "helpers/msg.h"

#define RACED_ID 0x5ace
#define NEW_PORTS 4

/* A sender thread and where it is. */
struct race {
	struct ports_msg m;
	mach_msg_return_t result;
	pthread_t thread;
	pid_t tid;
	int held, released;     /* the sender in the signal handler; let go */
};

/** race_start() - send r->m (its id RACED_ID) on a thread of its own; return once it waits for room, held. */
void race_start(struct race *r);

/** race_finish() - let the sender go on and finish: r->result. */
void race_finish(struct race *r);

/** carry() - r->m: to @dest (COPY_SEND), carrying @name as @disp in one port descriptor. */
void carry(struct race *r, mach_port_t dest, mach_port_t name, mach_msg_type_name_t disp);

/** send_name() - a send right to @port under a name of its own, as one from another task is held. */
mach_port_t send_name(mach_port_t port);

/** fill() - fill @name's port's queue (ids 0, 1, ...).  Return: the messages queued. */
int fill(mach_port_t name);

/** make_ports() - NEW_PORTS new receive rights, which take the fd numbers just freed. */
void make_ports(mach_port_t *ports);

/** check_ports_empty() - no message reached the ports make_ports() made; they go. */
void check_ports_empty(const mach_port_t *ports);

/**
 * drain() - receive the @queued messages @port holds after one was
 * received to make room: the last is the raced one.  Return: the port
 * descriptor's name it carried, if any.
 */
mach_port_t drain(mach_port_t port, int queued);

/** free_name() - a name no right holds: one a dead name had. */
mach_port_t free_name(void);

/** send_once_to() - a send-once right to receive right @port. */
mach_port_t send_once_to(mach_port_t port);

/** ask() - request @id to @service, its reply a send-once right made from @reply.  Return: that right, received. */
mach_port_t ask(mach_port_t service, mach_port_t reply, mach_msg_id_t id);

/** answer() - send message @id through send-once right @so. */
mach_msg_return_t answer(mach_port_t so, mach_msg_id_t id);

/** expect_id() - the next message on @port is @id. */
void expect_id(mach_port_t port, mach_msg_id_t id);

/** no_sender_left() - whether receive end @fd has no sender left: its port's send ends are all closed. */
bool no_sender_left(int fd);

/** request_no_senders() - a no-senders request on receive right @port, to @notify (MAKE_SEND_ONCE). */
void request_no_senders(mach_port_t port, mach_port_t notify);

#endif
