/* SPDX-License-Identifier: MIT */
#include "strmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char tombstone;
#define STRMAP_TOMBSTONE (&tombstone)

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_deinit(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static struct strmap_slot *find(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct strmap_slot *s = &m->slots[i];

		if (!s->key)
			return NULL;
		if (s->key != STRMAP_TOMBSTONE && strcmp(s->key, key) == 0)
			return s;
	}
}

void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s = find(m, key);

	return s ? s->value : NULL;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *old = m->slots;
	size_t old_cap = m->cap;

	m->slots = calloc(cap, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -ENOMEM;
	}
	m->cap = cap;
	m->used = m->count = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key && old[i].key != STRMAP_TOMBSTONE)
			strmap_put(m, old[i].key, old[i].value);
	free(old);
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *value)
{
	struct strmap_slot *s = find(m, key);
	size_t i;

	if (s) {
		s->key = key;
		s->value = value;
		return 0;
	}
	if ((m->used + 1) * 4 >= m->cap * 3 && rehash(m, m->cap ? m->cap * 2 : 16) < 0)
		return -ENOMEM;
	for (i = hash(key) & (m->cap - 1); m->slots[i].key && m->slots[i].key != STRMAP_TOMBSTONE;
	     i = (i + 1) & (m->cap - 1))
		;
	if (!m->slots[i].key)
		m->used++;
	m->slots[i] = (struct strmap_slot){ key, value };
	m->count++;
	return 0;
}

void *strmap_del(struct strmap *m, const char *key)
{
	struct strmap_slot *s = find(m, key);
	void *v;

	if (!s)
		return NULL;
	v = s->value;
	s->key = STRMAP_TOMBSTONE;
	s->value = NULL;
	m->count--;
	return v;
}

void *strmap_next(const struct strmap *m, size_t *i)
{
	for (; *i < m->cap; (*i)++) {
		const struct strmap_slot *s = &m->slots[*i];

		if (s->key && s->key != STRMAP_TOMBSTONE) {
			(*i)++;
			return s->value;
		}
	}
	return NULL;
}
