/* SPDX-License-Identifier: MIT */
/* channels-internal.h - the side table of channels, shared by channels.c and channels-retire.c. */
#ifndef BOOTSTRAPD_CHANNELS_INTERNAL_H
#define BOOTSTRAPD_CHANNELS_INTERNAL_H

#include "channels.h"

struct channel {
	int fd;                 /* the daemon's copy of B */
	int32_t id;             /* its OFFER's id: random, positive, unique in the set */
	pid_t pid;              /* the caller it was made for; 0 if unknown (kept across a restart) */
	bool retired;           /* shut for reading, RETIRED written */
	bool owed;              /* a RETIRED that found A's queue full: to send again */
	uint16_t told;          /* the seq the last RETIRED said; 0: none */
	bool handed;            /* retired, handed at a check-in already */
};

/* One port's channels, found by S's inode. */
struct chanset {
	char key[12];           /* S's inode in decimal: the table's key */
	struct service *s;
	size_t n;
	struct channel ch[CHANNELS_PER_SERVICE];
};

/** chanset_of() - @s's channels, or NULL if it has none. */
struct chanset *chanset_of(const struct service *s);

/** chanset_remove() - close channel @i of @cs and forget it; @cs is freed with its last. */
void chanset_remove(struct chanset *cs, size_t i);

/**
 * chanset_peek() - peek the first datagram queued on @fd (no fds taken):
 * recv()'s result, a reset reported past.
 */
ssize_t chanset_peek(int fd, void *buf, size_t len);

/** chanset_has_data() - whether a datagram waits in @fd (never blocks, takes no fd). */
bool chanset_has_data(int fd);

/** channels_retire_ops() - tell service.c of the channels (once). */
void channels_retire_ops(void);

#endif
