/* SPDX-License-Identifier: MIT */
/*
 * strmap.h - string -> pointer hash map (open addressing, linear probing).
 * Keys are borrowed: the value owns its key (job label, service name).
 * Used for jobs by label and services by name, so that look-ups cost the
 * same with 10 jobs as with 10,000.  A byte per slot, beside the slots,
 * says whether it is empty, deleted or live and 7 bits of its key's hash:
 * a probe walks those bytes, and compares a key only where they match
 * (keys such as labels and paths share long prefixes, so each compare
 * costs).
 */
#ifndef BOOTSTRAPD_STRMAP_H
#define BOOTSTRAPD_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	const char *key;        /* a live slot's (strmap.tags says which are) */
	void *value;
};

struct strmap {
	struct strmap_slot *slots;
	unsigned char *tags;    /* per slot: STRMAP_EMPTY, STRMAP_DELETED, or 0x80 | 7 hash bits */
	size_t cap;             /* power of two */
	size_t used;            /* live + tombstones */
	size_t count;           /* live */
};

void strmap_init(struct strmap *m);
void strmap_deinit(struct strmap *m);
/** strmap_get() - the value for @key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/** strmap_put() - insert or replace.  Return: 0 or -ENOMEM. */
int strmap_put(struct strmap *m, const char *key, void *value);
/**
 * strmap_reserve() - room for @more keys beyond those held, made now:
 * filling a map from empty rehashes it about log2(n) times, and each
 * rehash reads every key (a cache miss each, at 100,000 keys).
 * Return: 0 or -ENOMEM (the map is unchanged then, and still works).
 */
int strmap_reserve(struct strmap *m, size_t more);
/** strmap_del() - remove @key.  Return: the removed value or NULL. */
void *strmap_del(struct strmap *m, const char *key);
/** strmap_next() - iterate: start with *i = 0; Return: next value or NULL. */
void *strmap_next(const struct strmap *m, size_t *i);

#endif
