/* SPDX-License-Identifier: MIT */
/*
 * space.h - the task's IPC space: the table from names to port entries
 * (struct port, port.h).  It knows nothing of what an entry holds.
 *
 * The space is the library's one piece of global state: Mach gives every
 * task exactly one IPC space, and mach_task_self() names it.  The space
 * lock protects the table and every field of every entry (port.h).
 */
#ifndef BOOTSTRAP_SPACE_H
#define BOOTSTRAP_SPACE_H

#include <stdbool.h>
#include <pthread.h>
#include <time.h>
#include <stddef.h>
#include <sys/types.h>

#include <mach/mach.h>

struct port;

void space_lock(void);
void space_unlock(void);
/**
 * space_wait() - wait on @cond with the space lock (held), as
 * pthread_cond_timedwait() until @deadline (on @cond's clock), or for ever
 * if it is NULL.  Return: 0, or ETIMEDOUT.
 */
int space_wait(pthread_cond_t *cond, const struct timespec *deadline);

/** space_get() - the entry named @name, or NULL.  Space lock held. */
struct port *space_get(mach_port_name_t name);

/**
 * space_add() - a new name for @p.  Space lock held.
 * Return: the name, or MACH_PORT_NULL if the table is full.
 */
mach_port_name_t space_add(struct port *p);

/**
 * space_check_name() - whether @name could hold a right, as xnu's
 * ipc_entry_alloc_name() judges it: KERN_SUCCESS (*@in_use tells whether it
 * already does), or space_add_name()'s errors.  Space lock held.
 */
kern_return_t space_check_name(mach_port_name_t name, bool *in_use);

/**
 * space_add_name() - @p under the caller's chosen @name, validated as xnu's
 * ipc_entry_alloc_name().  Space lock held.  Return: KERN_SUCCESS,
 * KERN_INVALID_VALUE (generation bits not set), KERN_FAILURE (index 0, or
 * the slot holds another generation), KERN_NAME_EXISTS (@name is in use),
 * KERN_NO_SPACE (index beyond the table's limit), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t space_add_name(mach_port_name_t name, struct port *p);

/**
 * space_file_ino() - file the entry named @name under @ino (0: under none,
 * as every entry starts), replacing where it was filed, so that
 * space_next_ino() finds it in constant time.  Space lock held.
 */
void space_file_ino(mach_port_name_t name, ino_t ino);

/**
 * space_next_ino() - the entries filed under @ino, one a call: start with
 * *@cursor 0.  Return: the next, or NULL.  Space lock held, and the table
 * unchanged between calls.
 */
struct port *space_next_ino(ino_t ino, size_t *cursor);

/** space_remove() - forget @name (its entry is the caller's).  Space lock held. */
void space_remove(mach_port_name_t name);

/**
 * space_next() - walk the table: the next entry from *@cursor (start at 0),
 * or NULL at the end.  Space lock held.
 */
struct port *space_next(size_t *cursor);

/** space_set_fork_keep() - the name whose send right survives fork() in the child (the bootstrap port). */
void space_set_fork_keep(mach_port_name_t name);
/** space_fork_keep() - that name, or MACH_PORT_NULL. */
mach_port_name_t space_fork_keep(void);

/* fork() (task.c): the lock is held across it; the child's table is walked anew. */
void space_fork_prepare(void);
void space_fork_parent(void);
void space_fork_child(void);

#endif
