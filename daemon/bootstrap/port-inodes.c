/* SPDX-License-Identifier: MIT */
/*
 * port-inodes.c - the ports this daemon made, by S's inode (port-inodes.h):
 * open addressing with linear probing; a removal shifts the entries after
 * it back, so that no tombstone is left to lengthen later probes.
 */
#include "port-inodes.h"

#include <errno.h>
#include <stdlib.h>

struct entry {
	uint32_t ino;           /* 0: empty */
	struct service *s;
};

/* One table for the daemon: an inode names one socket machine-wide. */
static struct {
	struct entry *e;
	size_t cap, n;          /* cap: a power of two */
} table;

static size_t slot_of(uint32_t ino, size_t cap)
{
	return (size_t)((ino * 2654435761u) & (cap - 1));     /* Knuth's multiplicative hash */
}

static size_t probe(uint32_t ino)
{
	size_t i = slot_of(ino, table.cap);

	while (table.e[i].ino && table.e[i].ino != ino)
		i = (i + 1) & (table.cap - 1);
	return i;
}

static int grow(void)
{
	size_t cap = table.cap ? table.cap * 2 : 64;
	struct entry *old = table.e, *e = calloc(cap, sizeof(*e));
	size_t old_cap = table.cap;

	if (!e)
		return -ENOMEM;
	table.e = e;
	table.cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].ino)
			table.e[probe(old[i].ino)] = old[i];
	free(old);
	return 0;
}

int port_inodes_add(uint32_t ino, struct service *s)
{
	size_t i;

	if ((table.n + 1) * 2 > table.cap && grow() < 0)
		return -ENOMEM;
	i = probe(ino);
	table.n += !table.e[i].ino;
	table.e[i] = (struct entry){ ino, s };
	return 0;
}

/* Move back the entries after the hole at @hole that their probe lets fill it. */
static void close_hole(size_t hole)
{
	size_t mask = table.cap - 1;

	for (size_t i = (hole + 1) & mask; table.e[i].ino; i = (i + 1) & mask) {
		size_t home = slot_of(table.e[i].ino, table.cap);

		/* Stays if its home lies cyclically in (hole, i]. */
		if (((i - home) & mask) < ((i - hole) & mask))
			continue;
		table.e[hole] = table.e[i];
		table.e[i] = (struct entry){ 0 };
		hole = i;
	}
}

void port_inodes_remove(uint32_t ino, const struct service *s)
{
	size_t i;

	if (!ino || !table.cap)
		return;
	i = probe(ino);
	if (table.e[i].ino != ino || table.e[i].s != s)
		return;
	table.e[i] = (struct entry){ 0 };
	table.n--;
	close_hole(i);
}

struct service *port_inodes_find(uint32_t ino)
{
	size_t i;

	if (!ino || !table.cap)
		return NULL;
	i = probe(ino);
	return table.e[i].ino == ino ? table.e[i].s : NULL;
}
