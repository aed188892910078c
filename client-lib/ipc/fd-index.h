/* SPDX-License-Identifier: MIT */
/*
 * fd-index.h - a small map from fd to a position, for a receive right with
 * many send-once queues (a notify port): an event names the queue by fd,
 * and the queue must be found without walking them all.  Open addressing,
 * linear probing; zeroed is empty.
 */
#ifndef BOOTSTRAP_FD_INDEX_H
#define BOOTSTRAP_FD_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct fd_index {
	uint64_t *slots;        /* 0: empty; else (fd + 1) << 32 | position */
	size_t cap;             /* a power of two, or 0 */
	size_t n;
};

/** fd_index_put() - map @fd (>= 0) to @pos, replacing its entry.  Return: 0 or -ENOMEM. */
int fd_index_put(struct fd_index *x, int fd, uint32_t pos);

/** fd_index_get() - @fd's position, or -1. */
int64_t fd_index_get(const struct fd_index *x, int fd);

/** fd_index_del() - forget @fd, if mapped. */
void fd_index_del(struct fd_index *x, int fd);

/** fd_index_free() - forget everything and the memory. */
void fd_index_free(struct fd_index *x);

#endif
