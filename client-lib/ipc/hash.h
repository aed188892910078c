/* SPDX-License-Identifier: MIT */
/* hash.h - the one bucket function of the library's small hash tables (space, watch-table, fd-index). */
#ifndef BOOTSTRAP_HASH_H
#define BOOTSTRAP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Fibonacci hashing: @key's bucket among @n (a power of two), from the product's high bits. */
static inline size_t hash_bucket(uint64_t key, size_t n)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (n - 1);
}

#endif
