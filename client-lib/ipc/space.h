/* SPDX-License-Identifier: MIT */
/*
 * space.h - the task's IPC space: names -> port entries.
 *
 * A name holds, as in Mach, a receive right, send rights with a user
 * reference count, a send-once right, a port set, a dead name, or a memory
 * entry.  Each right is backed by fds (see DESIGN.md): a receive right is
 * the port's receive end R plus its send end S (kept so that the receiver
 * can make send rights) plus one receive end per outstanding send-once
 * right; a send right is S; a send-once right is the send end of a
 * socketpair made for that right alone.
 *
 * The space is the library's one piece of global state: Mach gives every
 * task exactly one IPC space, and mach_task_self() names it.  Every field
 * of every entry is protected by the space lock, except that receivers
 * serialise on the entry's rcv_lock while they wait and read, holding a
 * reference but not the space lock.
 */
#ifndef BOOTSTRAP_IPC_SPACE_H
#define BOOTSTRAP_IPC_SPACE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <mach/mach.h>

#define PORT_UREFS_MAX 0xffffu

/* A receive queue beyond the port's own R: one per send-once right made. */
struct port_queue {
	int fd;
	ino_t peer_ino;             /* its send end, if made here (0: unknown) */
	ino_t tag;                  /* the destination it was made for (sopool.h) */
	int parked_s;               /* parked idle pair: its send end; -1 when in use */
};

struct port {
	unsigned int refs;          /* the table's + in-flight users' */
	mach_port_name_t name;      /* MACH_PORT_NULL once out of the table */
	mach_port_type_t type;      /* MACH_PORT_TYPE_* rights held */
	mach_port_urefs_t urefs;    /* send or dead-name user references */
	int send_fd;                /* S: send right, or the receiver's own S */
	ino_t ino;                  /* identity: inode of S */

	/* Receive right. */
	int recv_fd;                /* R */
	bool recv_eof;              /* R read end-of-file: no sender left */
	struct port_queue *so;      /* send-once queues */
	size_t n_so, cap_so;
	mach_port_name_t pset;      /* the port set it is in, or 0 */
	int rcv_epfd;               /* epoll over R and the queues, made on first wait */
	bool dead;                  /* destroyed while a receiver waited */
	bool ns_armed;              /* no-senders requested: drop our own S when unused */
	bool watched;               /* a notification request names it (notify.c) */
	pthread_mutex_t rcv_lock;

	/* Port set. */
	int epfd;

	/* Memory entry (a send right to a memory object). */
	int mem_fd;
	unsigned long long mem_offset, mem_size;
	int mem_prot;
};

void space_lock(void);
void space_unlock(void);

/** space_get() - the entry for @name, or NULL.  Space lock held. */
struct port *space_get(mach_port_name_t name);

/**
 * space_add() - give @p a name.  Space lock held.  The table takes the
 * caller's reference.  Return: the name, or MACH_PORT_NULL if the table
 * is full (then the caller keeps its reference).
 */
mach_port_name_t space_add(struct port *p);

/** space_remove() - take @p out of the table and drop the table's reference. */
void space_remove(struct port *p);

/**
 * space_forget_set() - port set @set is going: its members are in no set
 * any more (its name may be reused by another set).  Space lock held.
 */
void space_forget_set(mach_port_name_t set);

/** space_find_ino() - the send or receive entry for the port whose S has inode @ino. */
struct port *space_find_ino(ino_t ino);

/** port_new() - an empty entry with one reference and no fds. */
struct port *port_new(void);

/**
 * port_new_send() - an entry holding one send right on @fd (taken on
 * success; left to the caller on failure), whose port is @ino.
 * Return: the entry, not yet named, or NULL.
 */
struct port *port_new_send(int fd, ino_t ino);

/**
 * space_name_send_fd() - name @fd as a new send right (space lock not held).
 * Takes @fd: on failure it is closed.  Return: the name, or MACH_PORT_NULL.
 */
mach_port_name_t space_name_send_fd(int fd);
void port_ref(struct port *p);
/** port_unref() - drop a reference; the last one closes every fd. */
void port_unref(struct port *p);

/** port_close_receive() - close R, S (unless send rights remain) and every send-once queue. */
void port_close_receive(struct port *p);

/** port_add_queue() - make @fd one of the port's send-once queues (takes it). */
int port_add_queue(struct port *p, int fd);
/** port_add_queue_pair() - port_add_queue() for a pair made here, recyclable (sopool.h). */
int port_add_queue_pair(struct port *p, int fd, ino_t peer_ino, ino_t tag);
/** port_take_queue() - remove send-once queue @i without closing it; Return: the queue. */
struct port_queue port_take_queue(struct port *p, size_t i);
/**
 * port_park_queue() - keep send-once queue @i, whose send end @s came back
 * with its one message, as an idle pair of @p for the next MAKE_SEND_ONCE
 * towards the same destination.  Its R stays in @p's epolls, so reusing it
 * costs no epoll_ctl.  Space lock held.
 * Return: true if parked (@s taken), false if @p or the task has enough.
 */
bool port_park_queue(struct port *p, size_t i, int s);
/**
 * port_unpark() - an idle parked pair of @p made for destination @tag,
 * now an active queue again (R stays a queue of @p; *@s is the caller's).
 * Space lock held.  Return: true if one was found idle.
 */
bool port_unpark(struct port *p, ino_t tag, int *r, int *s, ino_t *s_ino);
/** space_flush_parked() - close every parked pair of every port (leak checks count fds). */
void space_flush_parked(void);
/** port_remove_queue() - close send-once queue @i. */
void port_remove_queue(struct port *p, size_t i);
/** port_queue_index() - the index of @fd among @p's send-once queues, or -1. */
ssize_t port_queue_index(const struct port *p, int fd);

/**
 * port_watch_fd() - wait for @fd (R or a send-once queue of receive right
 * @p) in @p's own epoll and in its port set's, if it has them.  Space lock held.
 */
void port_watch_fd(struct port *p, int fd);
/** port_unwatch_fd() - stop waiting for @fd.  Space lock held. */
void port_unwatch_fd(struct port *p, int fd);

/**
 * port_rcv_epoll() - @p's own epoll over R (unless at end of file) and its
 * send-once queues, made on first use so that a receiver also sees queues
 * added while it waits.  Space lock held.
 * Return: the epoll fd (owned by @p), or a negative errno.
 */
int port_rcv_epoll(struct port *p);

/**
 * port_send_released() - @p's last send right is gone: close S unless a
 * receive right without a no-senders request keeps it to make send rights.
 */
void port_send_released(struct port *p);

/**
 * port_release_if_empty() - remove the entry from the table once it holds
 * no right, and cancel notification requests for rights it no longer holds.
 */
void port_release_if_empty(struct port *p);

/** fd_inode() - inode of an fd, or 0. */
ino_t fd_inode(int fd);

/** space_set_fork_keep() - the name whose send right survives fork() in the child (the bootstrap port). */
void space_set_fork_keep(mach_port_name_t name);

/**
 * notify_forget() - cancel the notification requests on @p's name for the
 * rights it no longer holds (notify.c).  Space lock held.
 */
void notify_forget(struct port *p);

#endif
