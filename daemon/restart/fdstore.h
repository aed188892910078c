/* SPDX-License-Identifier: MIT */
/*
 * fdstore.h - systemd's file descriptor store (sd_notify(3) FDSTORE=1):
 * every port the state names is kept there under "fd<number>", with
 * FDPOLL=0 so that a port nobody holds a send right to is kept all the
 * same, and removed (FDSTOREREMOVE=1) once the daemon closed it or put
 * another file at its number (on the anonymous-inode file system, where
 * dev and inode tell no file from another, the daemon says which numbers
 * it closed: fdstore_forget_id()); the state itself is in two memfds, "state-a" and
 * "state-b", rewritten in turn, so that a crash while one is written
 * leaves the other whole.
 */
#ifndef BOOTSTRAPD_FDSTORE_H
#define BOOTSTRAPD_FDSTORE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct state;
struct fdstore;

#define FDSTORE_STATE_A "state-a"
#define FDSTORE_STATE_B "state-b"

/**
 * fdstore_new() - a store, if systemd gave us one ($NOTIFY_SOCKET, and
 * $FDSTORE above 0), else NULL.
 */
struct fdstore *fdstore_new(void);

/** fdstore_adopt_state() - @fd (taken), named @name, holds a state of generation @gen. */
void fdstore_adopt_state(struct fdstore *f, const char *name, int fd, uint64_t gen);

/** fdstore_forget_states() - drop state memfds of an earlier daemon from the store. */
void fdstore_forget_states(struct fdstore *f);

/** fdstore_adopt_ids() - fds @ids (sorted) are in the store already. */
void fdstore_adopt_ids(struct fdstore *f, const int *ids, size_t n);

/**
 * fdstore_forget_id() - the stored fd @id was closed: whatever file is at
 * that number at the next save is stored again (and removed if none is).
 * The daemon calls it wherever it closes an fd it may have stored, so
 * that a pidfd of the anonymous-inode file system (kernels before 6.9),
 * alike in dev and inode to every other, is not taken for the one closed.
 * @f may be NULL (no store): nothing to do.
 */
void fdstore_forget_id(struct fdstore *f, int id);

/**
 * fdstore_remove_id() - the stored fd @id is closed for good: removed
 * from the store now, not at the next save, which may be long after (a
 * listener there would hold its address until then).
 * @f may be NULL (no store): nothing to do.
 */
void fdstore_remove_id(struct fdstore *f, int id);

/**
 * fdstore_wait_removed() - wait (a few seconds at most) until systemd has
 * closed what was removed: a listener refused at a restore frees its
 * address only then, and its replacement is bound right after.
 */
void fdstore_wait_removed(struct fdstore *f);

/**
 * fdstore_save() - store the fds @ids (sorted) not stored yet, then @st
 * (its generation set here), then remove the fds no longer named.
 * Return: 0 or a negative errno.
 */
int fdstore_save(struct fdstore *f, const int *ids, size_t n, struct state *st);

/*
 * How often the state is saved.  A state of up to FDSTORE_SMALL_STATE jobs
 * and names is saved after every turn of the loop that changed it (a save
 * is well under a millisecond).  A larger one, whose save is O(jobs +
 * names) (tens of milliseconds at 100,000 jobs), at most once every
 * FDSTORE_GAP_MS: a
 * change waits at most that long, and a crash loses at most the changes
 * of that window.  A re-exec, and each turn while shutting down, save at
 * once.
 */
#define FDSTORE_SMALL_STATE 1000
#define FDSTORE_GAP_MS 200

/**
 * fdstore_wait_ms() - for a state of @entries jobs and names: 0 if it may
 * be saved now, else how many milliseconds until it may.
 */
long fdstore_wait_ms(const struct fdstore *f, size_t entries);

void fdstore_free(struct fdstore *f);

#endif
