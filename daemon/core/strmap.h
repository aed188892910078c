/* SPDX-License-Identifier: MIT */
/*
 * strmap.h - string -> pointer hash map (open addressing, linear probing).
 * Keys are borrowed: the value owns its key (job label, service name).
 * Used for jobs by label and services by name, so that look-ups cost the
 * same with 10 jobs as with 10,000.
 */
#ifndef BOOTSTRAPD_STRMAP_H
#define BOOTSTRAPD_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	const char *key;        /* NULL: empty; STRMAP_TOMBSTONE: deleted */
	void *value;
};

struct strmap {
	struct strmap_slot *slots;
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
/** strmap_del() - remove @key.  Return: the removed value or NULL. */
void *strmap_del(struct strmap *m, const char *key);
/** strmap_next() - iterate: start with *i = 0; Return: next value or NULL. */
void *strmap_next(const struct strmap *m, size_t *i);

#endif
