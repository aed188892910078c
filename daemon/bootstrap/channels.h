/* SPDX-License-Identifier: MIT */
/*
 * channels.h - the channels of MachServices ports (bootstrap-wire(7)
 * "Channels"): a socketpair (A, B) made for one client and one port.  The
 * client gets A; B is offered to the port's receiver by an OFFER datagram
 * in R (written through the daemon's S, so that its place in R orders the
 * client's messages), and the daemon keeps a copy of B, as it keeps R, so
 * that what is queued in B outlives the job.
 *
 * When the job goes, a B whose OFFER still waits in R is left alone (the
 * next instance reads the OFFER first); any other is retired: shut for
 * reading (the client's later sends fail, and go through S), closed if
 * empty, else told RETIRED(seq of its first datagram) and kept, to be
 * handed to the next instance at its check-in.  A retired B with data is
 * a message waiting: demand launches the job as R's messages do.
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

/* Channels kept for one port at most (live and retired): a check-in's fds stay bounded. */
#define CHANNELS_PER_SERVICE 32
/*
 * Retired channels one check-in hands at most: the job's fds stay few.  The
 * others stay with the daemon, handed at a later check-in (those not
 * handed yet first), and still start the job while they hold messages.
 */
#define CHANNELS_PER_CHECK_IN 8
/* Channels one caller process holds at most, over every port. */
#define CHANNELS_PER_CALLER 64

/** A refusal of the fd just made (the daemon's own reserve): true to refuse. */
typedef bool channels_fd_refused_fn(int fd);

/**
 * channels_open() - a new channel to @s's port for process @caller: the
 * pair made, B offered in R, B kept.  @refused: whether an fd just made
 * took from fds the daemon keeps for itself (may be NULL).  *@swept: how
 * many dead channels were closed on the way (made or refused).
 * Return: A (the caller's to send and close), or a negative errno:
 * -ENOTSUP (not a port this daemon made), -EAGAIN (R is full), -EDQUOT
 * (the port's cap), -EUSERS (the caller's cap), -EMFILE, -ENFILE, -ENOMEM.
 */
int channels_open(struct service *s, pid_t caller, channels_fd_refused_fn *refused,
		  size_t *swept);

/** channels_service() - the service whose port has S's inode @ino and channels, or NULL. */
struct service *channels_service(uint32_t ino);

/**
 * channels_job_gone() - @s's receiver went (the job exited, or let the
 * right go): leave each B whose OFFER waits in R, retire the others.
 */
void channels_job_gone(struct service *s);

/**
 * channels_check_in() - what @s's check-in hands: the retired Bs that hold
 * a message, at most @max and CHANNELS_PER_CHECK_IN of them in @fds
 * (borrowed), those never handed first, after sending the RETIRED notices
 * still owed.  Return: how many.
 */
size_t channels_check_in(struct service *s, int *fds, size_t max);

/* A channel as a restart keeps it. */
struct channel_record {
	int fd;
	int32_t id;
	bool retired;
};

/** channels_count() - how many channels @s keeps. */
size_t channels_count(const struct service *s);

/** channels_record() - channel @i of @s (i < channels_count()). */
struct channel_record channels_record(const struct service *s, size_t i);

/**
 * channels_adopt() - keep @rec (its fd taken) for @s: a channel the
 * daemon before a restart kept.  Return: 0 or a negative errno (the fd
 * closed).
 */
int channels_adopt(struct service *s, const struct channel_record *rec);

#endif
