/* SPDX-License-Identifier: MIT */
#include "space.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

/*
 * Names are laid out as xnu lays them out: MACH_PORT_MAKE(index, gen), the
 * table index above the low byte and the entry's generation in it.  As
 * xnu's IE_BITS_GEN_ONE, a generation steps by 4, its two low bits always
 * set (a fresh slot's first name ends in 0x03, then 0x07, 0x0b, ... 0xff,
 * 0x03: a slot's name comes back after 64 uses), and a name the caller
 * chooses must have those bits set.  The lowest free slot is taken first
 * (next_free_hint drops to a slot freed below it), so that, as in xnu, a
 * freed entry is soon used again: a stale name fails on the stepped
 * generation until the slot's 64 generations come round.  Index 0 is
 * never used, so no name is MACH_PORT_NULL; the table is far smaller than
 * 2^24 entries, so no name is MACH_PORT_DEAD.
 */
#define SPACE_MAX_ENTRIES (1u << 20)
#define SPACE_GEN_BITS 0x03u    /* xnu's ipc_entry_name_mask() */
#define SPACE_GEN_ONE 0x04u

/*
 * Slots are also a hash of the inodes they are filed under, with as many
 * buckets as slots: a received right finds the name its port has already
 * (ipc_right_reverse) without a walk of the table.  Slot i holds the head
 * of bucket i, so the buckets grow with the table and need no memory of
 * their own.
 */
struct slot {
	struct port *port;
	ino_t ino;              /* filed under it (space_file_ino()), or 0 */
	uint32_t ino_next;      /* the next slot filed in the same bucket, 0: none */
	uint32_t ino_head;      /* the first slot filed in bucket i, 0: none */
	uint8_t gen;
};

struct space {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t n_slots;         /* allocated */
	size_t next_free_hint;
	mach_port_name_t fork_keep;
};

/* The task's one IPC space (see space.h for why it is global). */
static struct space space = { .lock = PTHREAD_MUTEX_INITIALIZER };

void space_lock(void)
{
	pthread_mutex_lock(&space.lock);
}

void space_unlock(void)
{
	pthread_mutex_unlock(&space.lock);
}

int space_wait(pthread_cond_t *cond, const struct timespec *deadline)
{
	return deadline ? pthread_cond_timedwait(cond, &space.lock, deadline) :
			  pthread_cond_wait(cond, &space.lock);
}

struct port *space_get(mach_port_name_t name)
{
	size_t index = name >> 8;

	if (index == 0 || index >= space.n_slots)
		return NULL;
	if (space.slots[index].gen != (name & 0xff) || !space.slots[index].port)
		return NULL;
	return space.slots[index].port;
}

static size_t bucket_of(ino_t ino)
{
	return hash_bucket((uint64_t)ino, space.n_slots);
}

static void link_slot(size_t index)
{
	uint32_t *head = &space.slots[bucket_of(space.slots[index].ino)].ino_head;

	space.slots[index].ino_next = *head;
	*head = (uint32_t)index;
}

/* Twice the slots (a power of two), the filed ones linked into the new buckets. */
static int grow(void)
{
	size_t n = space.n_slots ? space.n_slots * 2 : 64;
	struct slot *s;

	if (n > SPACE_MAX_ENTRIES)
		return -ENOSPC;
	s = realloc(space.slots, n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + space.n_slots, 0, (n - space.n_slots) * sizeof(*s));
	space.slots = s;
	space.n_slots = n;
	for (size_t i = 0; i < n; i++)
		s[i].ino_head = 0;
	for (size_t i = 1; i < n; i++)
		if (s[i].ino)
			link_slot(i);
	return 0;
}

mach_port_name_t space_add(struct port *p)
{
	size_t i;

	for (;;) {
		for (i = space.next_free_hint; i < space.n_slots; i++)
			if (i > 0 && !space.slots[i].port)
				break;
		if (i < space.n_slots)
			break;
		if (space.next_free_hint > 1) {
			space.next_free_hint = 1;
			continue;
		}
		if (grow() < 0)
			return MACH_PORT_NULL;
	}
	space.next_free_hint = i + 1;
	/* A fresh slot (gen 0) starts at 0x03, as xnu's first generation. */
	space.slots[i].gen = space.slots[i].gen ?
		(uint8_t)(space.slots[i].gen + SPACE_GEN_ONE) : SPACE_GEN_BITS;
	space.slots[i].port = p;
	return (mach_port_name_t)((i << 8) | space.slots[i].gen);
}

kern_return_t space_check_name(mach_port_name_t name, bool *in_use)
{
	size_t index = name >> 8;

	*in_use = false;
	if (index >= SPACE_MAX_ENTRIES)
		return KERN_NO_SPACE;
	if ((name | SPACE_GEN_BITS) != name)
		return KERN_INVALID_VALUE;      /* not a generation xnu makes */
	if (index == 0)
		return KERN_FAILURE;
	if (index >= space.n_slots || !space.slots[index].port)
		return KERN_SUCCESS;
	*in_use = true;
	return space.slots[index].gen == (name & 0xff) ? KERN_SUCCESS : KERN_FAILURE;
}

kern_return_t space_add_name(mach_port_name_t name, struct port *p)
{
	size_t index = name >> 8;
	bool in_use;
	kern_return_t kr = space_check_name(name, &in_use);

	if (kr != KERN_SUCCESS)
		return kr;
	if (in_use)
		return KERN_NAME_EXISTS;
	while (index >= space.n_slots)
		if (grow() < 0)
			return KERN_RESOURCE_SHORTAGE;
	space.slots[index].gen = (uint8_t)(name & 0xff);
	space.slots[index].port = p;
	return KERN_SUCCESS;
}

static void unfile(size_t index)
{
	uint32_t *at;

	if (!space.slots[index].ino)
		return;
	for (at = &space.slots[bucket_of(space.slots[index].ino)].ino_head; *at;
	     at = &space.slots[*at].ino_next) {
		if (*at == index) {
			*at = space.slots[index].ino_next;
			break;
		}
	}
	space.slots[index].ino = 0;
	space.slots[index].ino_next = 0;
}

void space_file_ino(mach_port_name_t name, ino_t ino)
{
	size_t index = name >> 8;

	if (space_get(name) == NULL)
		return;
	unfile(index);
	if (!ino)
		return;
	space.slots[index].ino = ino;
	link_slot(index);
}

struct port *space_next_ino(ino_t ino, size_t *cursor)
{
	size_t i;

	if (!space.n_slots)
		return NULL;
	i = *cursor ? space.slots[*cursor].ino_next : space.slots[bucket_of(ino)].ino_head;
	for (; i; i = space.slots[i].ino_next) {
		if (space.slots[i].ino == ino) {
			*cursor = i;
			return space.slots[i].port;
		}
	}
	return NULL;
}

void space_remove(mach_port_name_t name)
{
	size_t index = name >> 8;

	if (space_get(name) == NULL)
		return;
	unfile(index);
	space.slots[index].port = NULL;
	if (index < space.next_free_hint)
		space.next_free_hint = index;
}

struct port *space_next(size_t *cursor)
{
	if (*cursor == 0)
		*cursor = 1;
	for (; *cursor < space.n_slots; (*cursor)++)
		if (space.slots[*cursor].port)
			return space.slots[(*cursor)++].port;
	return NULL;
}

void space_set_fork_keep(mach_port_name_t name)
{
	space.fork_keep = name;
}

mach_port_name_t space_fork_keep(void)
{
	return space.fork_keep;
}

void space_fork_prepare(void)
{
	space_lock();
}

void space_fork_parent(void)
{
	space_unlock();
}

void space_fork_child(void)
{
	pthread_mutex_init(&space.lock, NULL);
	space.next_free_hint = 1;
}
