/* SPDX-License-Identifier: MIT */
#include "watch-table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "hash.h"

static size_t key_bucket(const struct watch_table *t, mach_port_name_t subject, mach_msg_id_t id)
{
	return hash_bucket(((uint64_t)subject << 32) | (uint32_t)id, t->n_buckets);
}

static size_t seq_bucket(const struct watch_table *t, uint64_t seq)
{
	return hash_bucket(seq, t->n_buckets);
}

static void link_watch(struct watch_table *t, struct watch *w)
{
	size_t k = key_bucket(t, w->subject, w->id), s = seq_bucket(t, w->seq);

	w->key_next = t->by_key[k];
	t->by_key[k] = w;
	w->seq_next = t->by_seq[s];
	t->by_seq[s] = w;
}

/* Twice the buckets, every watch linked again; false (nothing changed) without memory. */
static bool grow(struct watch_table *t)
{
	size_t n = t->n_buckets ? 2 * t->n_buckets : 64;
	struct watch **by_key = calloc(n, sizeof(*by_key)), **by_seq = calloc(n, sizeof(*by_seq));
	struct watch_table old = *t;

	if (!by_key || !by_seq) {
		free(by_key);
		free(by_seq);
		return false;
	}
	*t = (struct watch_table){ by_key, by_seq, n, old.count };
	for (size_t i = 0; i < old.n_buckets; i++) {
		for (struct watch *w = old.by_key[i], *next; w; w = next) {
			next = w->key_next;
			link_watch(t, w);
		}
	}
	free(old.by_key);
	free(old.by_seq);
	return true;
}

int watch_table_add(struct watch_table *t, struct watch *w)
{
	/* Past one watch a bucket, grow; if that fails, chains just get longer. */
	if (t->count >= t->n_buckets && !grow(t) && t->n_buckets == 0)
		return -ENOMEM;
	link_watch(t, w);
	t->count++;
	return 0;
}

/* Unlink @w from its seq chain (it is there). */
static void unlink_seq(struct watch_table *t, struct watch *w)
{
	struct watch **pp = &t->by_seq[seq_bucket(t, w->seq)];

	while (*pp != w)
		pp = &(*pp)->seq_next;
	*pp = w->seq_next;
}

/* Unlink @w from its key chain (it is there). */
static void unlink_key(struct watch_table *t, struct watch *w)
{
	struct watch **pp = &t->by_key[key_bucket(t, w->subject, w->id)];

	while (*pp != w)
		pp = &(*pp)->key_next;
	*pp = w->key_next;
}

struct watch *watch_table_find_key(const struct watch_table *t, mach_port_name_t subject,
				   mach_msg_id_t id)
{
	struct watch *w;

	if (!t->n_buckets)
		return NULL;
	for (w = t->by_key[key_bucket(t, subject, id)]; w; w = w->key_next)
		if (w->subject == subject && w->id == id)
			break;
	return w;
}

struct watch *watch_table_find_seq(const struct watch_table *t, uint64_t seq)
{
	struct watch *w;

	if (!t->n_buckets)
		return NULL;
	for (w = t->by_seq[seq_bucket(t, seq)]; w && w->seq != seq; w = w->seq_next)
		;
	return w;
}

void watch_table_remove(struct watch_table *t, struct watch *w)
{
	unlink_key(t, w);
	unlink_seq(t, w);
	t->count--;
}

void watch_table_rekey(struct watch_table *t, struct watch *w, mach_msg_id_t id)
{
	size_t k;

	unlink_key(t, w);
	w->id = id;
	k = key_bucket(t, w->subject, id);
	w->key_next = t->by_key[k];
	t->by_key[k] = w;
}

struct watch *watch_table_take_key(struct watch_table *t, mach_port_name_t subject,
				   mach_msg_id_t id)
{
	struct watch *w = watch_table_find_key(t, subject, id);

	if (w)
		watch_table_remove(t, w);
	return w;
}

void watch_table_drain(struct watch_table *t, void (*fn)(struct watch *w))
{
	for (size_t i = 0; i < t->n_buckets; i++) {
		for (struct watch *w = t->by_key[i], *next; w; w = next) {
			next = w->key_next;
			fn(w);
		}
	}
	free(t->by_key);
	free(t->by_seq);
	*t = (struct watch_table){ 0 };
}
