/* SPDX-License-Identifier: MIT */
/*
 * conn.h - one connection to the daemon's bootstrap port: a client that
 * connected to the domain's socket, or the socket a job inherited.
 */
#ifndef BOOTSTRAPD_CONN_H
#define BOOTSTRAPD_CONN_H

#include <sys/types.h>

struct domain;
struct job;
struct event;

struct conn {
	struct domain *domain;
	int fd;
	struct event *ev;
	struct job *job;        /* the job this port was given to, or NULL */
	pid_t peer_pid;         /* SO_PEERCRED at connect time */
	uid_t peer_uid;
	struct conn *next, *prev;
};

/**
 * conn_new() - watch @fd (taken) for requests.  @job: the job whose
 * bootstrap port this is, or NULL for a client of the socket.
 * Return: the connection, or NULL (fd closed).
 */
struct conn *conn_new(struct domain *d, int fd, struct job *job);

/** conn_close() - stop watching and close; resumes accepting if it was paused. */
void conn_close(struct conn *c);

/** conn_accept_start() - watch the listening socket. */
int conn_accept_start(struct domain *d);

#endif
