/* SPDX-License-Identifier: MIT */
#include "strmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* MurmurHash3's finaliser: every bit of @h moves the index's low bits and the tag's top ones. */
static uint64_t avalanche(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/*
 * Eight bytes a step, not one (FNV-1a took 170 instructions for a look-up's
 * name).  Keys are labels, names and paths: not chosen to collide.
 */
static uint64_t hash(const char *s)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	size_t n = strlen(s);
	uint64_t h = n * k, w;

	for (; n >= sizeof(w); n -= sizeof(w), s += sizeof(w)) {
		memcpy(&w, s, sizeof(w));
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, n);
	return avalanche((h ^ w) * k);
}

#define STRMAP_EMPTY 0
#define STRMAP_DELETED 1

/* A live slot's tag: the hash's top 7 bits (the index takes the low ones). */
static unsigned char tag_of(uint64_t h)
{
	return (unsigned char)(0x80 | (h >> 57));
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_deinit(struct strmap *m)
{
	free(m->slots);
	free(m->tags);
	memset(m, 0, sizeof(*m));
}

static struct strmap_slot *find(const struct strmap *m, const char *key, uint64_t h)
{
	unsigned char t = tag_of(h);

	if (!m->cap)
		return NULL;
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->tags[i] == STRMAP_EMPTY)
			return NULL;
		if (m->tags[i] == t && strcmp(m->slots[i].key, key) == 0)
			return &m->slots[i];
	}
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s = find(m, key, hash(key));

	return s ? s->value : NULL;
}

/* Put live @key (hash @h) in the first free slot of its probe: a rehash, no duplicates. */
static void place(struct strmap *m, const char *key, uint64_t h, void *value)
{
	size_t i = h & (m->cap - 1);

	while (m->tags[i] != STRMAP_EMPTY)
		i = (i + 1) & (m->cap - 1);
	m->slots[i] = (struct strmap_slot){ key, value };
	m->tags[i] = tag_of(h);
	m->used++;
	m->count++;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap m2 = { .cap = cap };

	m2.slots = calloc(cap, sizeof(*m2.slots));
	m2.tags = calloc(cap, 1);
	if (!m2.slots || !m2.tags) {
		free(m2.slots);
		free(m2.tags);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++)
		if (m->tags[i] >= 0x80)
			place(&m2, m->slots[i].key, hash(m->slots[i].key), m->slots[i].value);
	strmap_deinit(m);
	*m = m2;
	return 0;
}

/* The least power of two that holds @n live keys under the 3/4 load put keeps. */
static size_t cap_for(size_t n)
{
	size_t cap = 16;

	while (n * 4 >= cap * 3)
		cap *= 2;
	return cap;
}

int strmap_reserve(struct strmap *m, size_t more)
{
	size_t cap = cap_for(m->count + more);

	return cap > m->cap ? rehash(m, cap) : 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	uint64_t h = hash(key);
	struct strmap_slot *s = find(m, key, h);
	size_t i;

	if (s) {
		s->key = key;
		s->value = value;
		return 0;
	}
	/* Full of deleted slots rather than keys: cleared at the same size. */
	if ((m->used + 1) * 4 >= m->cap * 3 &&
	    rehash(m, !m->cap ? 16 : m->count * 2 < m->cap ? m->cap : m->cap * 2) < 0)
		return -ENOMEM;
	/* The first deleted or empty slot of the probe: @key is in none after it. */
	for (i = h & (m->cap - 1); m->tags[i] >= 0x80; i = (i + 1) & (m->cap - 1))
		;
	m->used += m->tags[i] == STRMAP_EMPTY;
	m->slots[i] = (struct strmap_slot){ key, value };
	m->tags[i] = tag_of(h);
	m->count++;
	return 0;
}

void *strmap_del(struct strmap *m, const char *key)
{
	struct strmap_slot *s = find(m, key, hash(key));
	void *v;

	if (!s)
		return NULL;
	v = s->value;
	m->tags[s - m->slots] = STRMAP_DELETED;
	s->key = NULL;
	s->value = NULL;
	m->count--;
	return v;
}

void *strmap_next(const struct strmap *m, size_t *i)
{
	for (; *i < m->cap; (*i)++) {
		if (m->tags[*i] >= 0x80)
			return m->slots[(*i)++].value;
	}
	return NULL;
}
