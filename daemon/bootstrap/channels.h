/* SPDX-License-Identifier: MIT */
/*
 * channels.h - the channels of MachServices ports (bootstrap-wire(7)
 * "Channels"): a socketpair (A, B) a client makes for one port.  The
 * client keeps A and hands B in its ask; the daemon offers B to the
 * port's receiver by an OFFER datagram in R (written through the daemon's
 * S) and keeps a copy of B, as it keeps R, so that the channel outlives
 * the job.  The client's calls go through S into R like every message;
 * only their answers come up B.  B's owner is the process that made the
 * pair (SO_PEERCRED of B): a channel call in R is its owner's by the
 * credentials the kernel attached to it.
 *
 * When the job exits, the daemon looks in R once and tells every
 * channel RETIRED(the last call of its owner still queued, when it
 * looked) up B, so that a client whose call the receiver took learns it
 * died.  B is neither shut nor closed: the next instance gets every
 * channel at its check-in.  A channel closes only when it is dead (its
 * client closed A) or the port itself goes.  B holds nothing the job must
 * read, so channels never start a job and a drain has nothing of theirs
 * to destroy.
 *
 * Only ports that have channels pay for them: the channels live in a side
 * table keyed by the port's identity (S's inode), not in struct service.
 */
#ifndef BOOTSTRAPD_CHANNELS_H
#define BOOTSTRAPD_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct service;

/* Channels kept for one port at most: a check-in hands them all, and its fds stay bounded. */
#define CHANNELS_PER_SERVICE 32
/* Channels one caller process holds at most, over every port. */
#define CHANNELS_PER_CALLER 64

/** A refusal of an fd the daemon is to keep (the daemon's own reserve): true to refuse. */
typedef bool channels_fd_refused_fn(int fd);

/**
 * channels_open() - keep B (@b, now the channel module's: closed on any
 * refusal) as a channel to @s's port for process @caller, the owner
 * SO_PEERCRED of @b names (the caller checked), and offer it in R; one
 * live channel of @caller to @s refuses another.  @refused: whether
 * keeping @b takes from fds the daemon keeps for itself (may be NULL).
 * *@swept: how many dead channels were closed on the way (kept or refused).
 * Return: 0, or a negative errno: -ENOTSUP (not a port this daemon made),
 * -EEXIST (@caller's live channel to @s), -EAGAIN (R is full), -EDQUOT (the port's cap), -EUSERS (the caller's
 * cap), -EMFILE, -ENOMEM.
 */
int channels_open(struct service *s, pid_t caller, int b, channels_fd_refused_fn *refused,
		  size_t *swept);

/**
 * channels_client_gone() - whether the client of B @b is gone (A closed),
 * polled on B.
 */
bool channels_client_gone(int b);

/**
 * channels_job_gone() - @s's job exited, or R's messages were destroyed:
 * dead channels closed, RETIRED up every live channel's B, each saying
 * its owner's last call still queued in R.
 */
void channels_job_gone(struct service *s);

/**
 * channels_check_in() - what @s's check-in hands: every channel's B, at
 * most @max of them in @fds (borrowed), after sending the RETIRED notices
 * still owed.  Return: how many.
 */
size_t channels_check_in(struct service *s, int *fds, size_t max);

/* A channel as a restart keeps it. */
struct channel_record {
	int fd;
	int32_t id;
};

/** channels_count() - how many channels @s keeps. */
size_t channels_count(const struct service *s);

/** channels_record() - channel @i of @s (i < channels_count()). */
struct channel_record channels_record(const struct service *s, size_t i);

/**
 * channels_adopt() - keep @rec (its fd taken) for @s: a channel the
 * daemon before a restart kept, its owner read again from B.  Return: 0
 * or a negative errno (the fd closed).
 */
int channels_adopt(struct service *s, const struct channel_record *rec);

#endif
