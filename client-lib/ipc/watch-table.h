/* SPDX-License-Identifier: MIT */
/*
 * watch-table.h - the notification thread's requests (internal to
 * notifier.c), found by what they watch (@subject, @id: one request each,
 * as Mach keeps one per name and kind; several under notifier.c's id for
 * spent ones) and by their epoll handle (@seq),
 * each in constant time, so that a server watching many clients' names
 * pays nothing per name for the next request or notification.
 */
#ifndef BOOTSTRAP_WATCH_TABLE_H
#define BOOTSTRAP_WATCH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <mach/message.h>

struct watch {
	uint64_t seq;           /* epoll's handle: unique, unlike a freed pointer */
	int fd;                 /* dup of the watched end */
	int notify_fd;          /* where the notification goes */
	mach_msg_id_t id;
	mach_port_name_t subject;
	struct watch *key_next; /* chains of the two indexes */
	struct watch *seq_next;
};

/* Two chained hashes over the same watches; zeroed is empty. */
struct watch_table {
	struct watch **by_key;
	struct watch **by_seq;
	size_t n_buckets;       /* a power of two, or 0 */
	size_t count;
};

/** watch_table_add() - file @w (its key not filed yet).  Return: 0 or -ENOMEM. */
int watch_table_add(struct watch_table *t, struct watch *w);

/** watch_table_find_key() - the watch of @subject and @id (the first, if several), still filed, or NULL. */
struct watch *watch_table_find_key(const struct watch_table *t, mach_port_name_t subject,
				   mach_msg_id_t id);

/** watch_table_find_seq() - the watch with handle @seq, still filed, or NULL. */
struct watch *watch_table_find_seq(const struct watch_table *t, uint64_t seq);

/** watch_table_remove() - unfile @w (it is filed). */
void watch_table_remove(struct watch_table *t, struct watch *w);

/** watch_table_rekey() - file @w (it is filed) under @id from now on; its handle stays. */
void watch_table_rekey(struct watch_table *t, struct watch *w, mach_msg_id_t id);

/** watch_table_take_key() - unfile and return the watch of @subject and @id, or NULL. */
struct watch *watch_table_take_key(struct watch_table *t, mach_port_name_t subject,
				   mach_msg_id_t id);


/** watch_table_drain() - hand every watch to @fn (which may free it), once each; empty after. */
void watch_table_drain(struct watch_table *t, void (*fn)(struct watch *w));

#endif
