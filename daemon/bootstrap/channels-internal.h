/* SPDX-License-Identifier: MIT */
/* channels-internal.h - the side table of channels, shared by channels.c and channels-retire.c. */
#ifndef BOOTSTRAPD_CHANNELS_INTERNAL_H
#define BOOTSTRAPD_CHANNELS_INTERNAL_H

#include "channels.h"

struct channel {
	int fd;                 /* the daemon's copy of B */
	int32_t id;             /* its OFFER's id: random, positive, unique in the set */
	pid_t pid;              /* B's owner (SO_PEERCRED): its calls in R are this channel's; 0: unknown */
	/* A RETIRED that found A's queue full, kept as it was to be sent (it
	 * speaks of the receiver that went then): sent again at the next
	 * check-in, or replaced by the next exit's. */
	bool owed;
	uint16_t owed_seq;
	uint64_t owed_looked_ns;
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

/** chanset_sweep() - close @cs's dead channels (@pid's only, unless 0); @cs freed with its last.  Return: how many. */
size_t chanset_sweep(struct chanset *cs, pid_t pid);

/** channels_retire_ops() - tell service.c of the channels (once). */
void channels_retire_ops(void);

#endif
