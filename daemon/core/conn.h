/* SPDX-License-Identifier: MIT */
/*
 * conn.h - one connection to the daemon's bootstrap port: a client that
 * connected to the domain's socket, or the socket a job inherited.
 */
#ifndef BOOTSTRAPD_CONN_H
#define BOOTSTRAPD_CONN_H

#include <stdbool.h>
#include <sys/types.h>

struct domain;
struct job;
struct event;

struct conn {
	struct domain *domain;
	int fd;
	struct event *ev;
	struct job *job;        /* the job this port was given to, or NULL */
	pid_t peer_pid;         /* SO_PEERCRED at connect time; a job's: its pid (conn_set_owner) */
	uid_t peer_uid;
	bool on_conn_said;      /* the log said it is answered on the connection */
	struct conn *next, *prev;
};

/**
 * conn_new() - watch @fd (taken) for requests.  @job: the job whose
 * bootstrap port this is, or NULL for a client of the socket.
 * Return: the connection, or NULL (fd closed).
 */
struct conn *conn_new(struct domain *d, int fd, struct job *job);

/**
 * conn_set_owner() - the connection the daemon made for a job belongs to
 * the job's process @pid: it may have its answers on the connection
 * (WIRE_BITS_ONCONN), as a client that connected may.  Its children share
 * the connection and may not.
 */
void conn_set_owner(struct conn *c, pid_t pid);

/** conn_close() - stop watching and close; resumes accepting if it was paused. */
void conn_close(struct conn *c);

/*
 * Fds that clients may never take: for a request's rights, a reply's
 * memfd, a spawn's pipe and socketpair, a plist being read, the log.
 */
#define CONN_FD_RESERVE_MIN 8
#define CONN_FD_RESERVE_MAX 64

/**
 * conn_fd_reserve() - how many fds below @limit (the soft RLIMIT_NOFILE)
 * stay out of clients' reach: a quarter of it, within
 * [CONN_FD_RESERVE_MIN, CONN_FD_RESERVE_MAX].
 */
unsigned int conn_fd_reserve(unsigned long limit);

/**
 * conn_fd_in_daemon_reserve() - whether @fd, just made (the lowest free fd
 * then), lies in the last half of that reserve, which only the daemon's
 * own needs (spawns, replies, the log) may take: everything below it is
 * in use.  For what a client makes the daemon open on its behalf, as a
 * port made at its look-up.  The first half is for those: a crowd that
 * holds every connection it may still gets the ports it asks for.
 */
bool conn_fd_in_daemon_reserve(int fd);

/**
 * conn_accept_start() - watch the listening socket.  A client is refused
 * (its first queued request answered with KERN_RESOURCE_SHORTAGE, then
 * the connection closed) when accepting it would leave fewer than
 * conn_fd_reserve() fds, or past domain.max_conns connections.
 */
int conn_accept_start(struct domain *d);

/** conn_accept_stop() - stop accepting; frees what conn_accept_start() made. */
void conn_accept_stop(struct domain *d);

#endif
