/* SPDX-License-Identifier: MIT */
#include "fd-index.h"

#include <errno.h>
#include <stdlib.h>

#include "hash.h"

static size_t home(const struct fd_index *x, int fd)
{
	return hash_bucket((uint32_t)fd, x->cap);
}

static int slot_fd(uint64_t s)
{
	return (int)(s >> 32) - 1;
}

/* The slot holding @fd, or the empty one where it would go. */
static size_t find(const struct fd_index *x, int fd)
{
	size_t i = home(x, fd);

	while (x->slots[i] && slot_fd(x->slots[i]) != fd)
		i = (i + 1) & (x->cap - 1);
	return i;
}

/* Twice the slots, every entry placed again; -ENOMEM (nothing changed) without memory. */
static int grow(struct fd_index *x)
{
	struct fd_index bigger = { calloc(x->cap ? 2 * x->cap : 32, sizeof(uint64_t)),
				   x->cap ? 2 * x->cap : 32, x->n };

	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < x->cap; i++)
		if (x->slots[i])
			bigger.slots[find(&bigger, slot_fd(x->slots[i]))] = x->slots[i];
	free(x->slots);
	*x = bigger;
	return 0;
}

int fd_index_put(struct fd_index *x, int fd, uint32_t pos)
{
	size_t i;

	if (2 * (x->n + 1) > x->cap && grow(x) < 0)
		return -ENOMEM;
	i = find(x, fd);
	if (!x->slots[i])
		x->n++;
	x->slots[i] = ((uint64_t)(uint32_t)(fd + 1) << 32) | pos;
	return 0;
}

int64_t fd_index_get(const struct fd_index *x, int fd)
{
	size_t i;

	if (!x->cap)
		return -1;
	i = find(x, fd);
	return x->slots[i] ? (int64_t)(uint32_t)x->slots[i] : -1;
}

/* Backward-shift deletion: no tombstones, so probes stay short. */
void fd_index_del(struct fd_index *x, int fd)
{
	size_t i, j, mask = x->cap - 1;

	if (!x->cap || !x->slots[i = find(x, fd)])
		return;
	x->slots[i] = 0;
	x->n--;
	for (j = (i + 1) & mask; x->slots[j]; j = (j + 1) & mask) {
		size_t h = home(x, slot_fd(x->slots[j]));

		/* Move it back to the hole unless its home lies in (i, j]. */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			x->slots[i] = x->slots[j];
			x->slots[j] = 0;
			i = j;
		}
	}
}

void fd_index_free(struct fd_index *x)
{
	free(x->slots);
	*x = (struct fd_index){ 0 };
}
