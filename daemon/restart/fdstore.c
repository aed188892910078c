/* SPDX-License-Identifier: MIT */
/*
 * fdstore.c - systemd's file descriptor store (fdstore.h), through libsystemd.
 */
#include "fdstore.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "clock.h"
#include "log.h"
#include "state-format.h"

struct kept {
	int id;
	dev_t dev;
	ino_t ino;
	bool stale;     /* closed since it was stored (fdstore_forget_id()) */
	bool removed;   /* and out of the store already (fdstore_remove_id()) */
};

struct fdstore {
	int state_fd[2];
	uint64_t gen[2];
	struct kept *kept;      /* sorted by id */
	size_t n_kept, cap;
	uint64_t saved_ms;      /* CLOCK_MONOTONIC of the last save, 0: none yet */
};

static const char *const state_names[2] = { FDSTORE_STATE_A, FDSTORE_STATE_B };

struct fdstore *fdstore_new(void)
{
	const char *e = getenv("NOTIFY_SOCKET"), *max = getenv("FDSTORE");
	struct fdstore *f;

	/* systemd (254 and later) sets $FDSTORE to FileDescriptorStoreMax=; the
	 * shipped units set it too.  Without it the store is off: systemd would
	 * refuse the fds. */
	if (!e || !*e || !max || atoi(max) <= 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->state_fd[0] = f->state_fd[1] = -1;
	return f;
}

static int store(const char *name, int fd)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "FDSTORE=1\nFDNAME=%s\nFDPOLL=0", name);
	return sd_pid_notify_with_fds(0, 0, msg, &fd, 1);
}

static void unstore(const char *name)
{
	char msg[96];

	snprintf(msg, sizeof(msg), "FDSTOREREMOVE=1\nFDNAME=%s", name);
	sd_pid_notify(0, 0, msg);
}

void fdstore_adopt_state(struct fdstore *f, const char *name, int fd, uint64_t gen)
{
	int slot = strcmp(name, FDSTORE_STATE_B) == 0;

	if (f->state_fd[slot] >= 0)
		close(f->state_fd[slot]);
	f->state_fd[slot] = fd;
	f->gen[slot] = gen;
}

void fdstore_forget_states(struct fdstore *f)
{
	unstore(FDSTORE_STATE_A);
	unstore(FDSTORE_STATE_B);
}

/*
 * Whether @fd is still the file stored as @k.  On the anonymous-inode file
 * system every file shares one inode (eventfds, and pidfds before Linux
 * 6.9), so dev and inode cannot tell another process's pidfd that took the
 * number of a closed one from it: the daemon says so instead, closing a
 * stored fd (fdstore_forget_id()).  Storing every such fd again at every
 * save instead cost systemd O(stored fds) per fd, at every request.
 */
static bool same_file(const struct kept *k, int fd)
{
	struct stat st;

	return !k->stale && fstat(fd, &st) == 0 && st.st_dev == k->dev && st.st_ino == k->ino;
}

/* The entry of the table for @id, or NULL. */
static struct kept *find_kept(struct fdstore *f, int id)
{
	size_t lo = 0, hi = f->n_kept;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->kept[mid].id == id)
			return &f->kept[mid];
		if (f->kept[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void fdstore_forget_id(struct fdstore *f, int id)
{
	struct kept *k = f ? find_kept(f, id) : NULL;

	if (k)
		k->stale = true;
}

/* How long a removal waits for systemd to have closed its copy. */
#define FDSTORE_REMOVE_WAIT_USEC (5 * 1000000ULL)

void fdstore_remove_id(struct fdstore *f, int id)
{
	struct kept *k = f ? find_kept(f, id) : NULL;
	char name[32];

	if (!k || k->removed)
		return;
	snprintf(name, sizeof(name), "fd%d", id);
	unstore(name);
	/* Left in the table, sorted, until the next save makes a new one: a
	 * restore dropping many fds costs O(1) each, not O(stored fds). */
	k->stale = k->removed = true;
}

void fdstore_wait_removed(struct fdstore *f)
{
	/* systemd handles messages in order: past the barrier, the copies are closed. */
	int err = f ? sd_notify_barrier(0, FDSTORE_REMOVE_WAIT_USEC) : 0;

	if (err < 0)
		log_warnx("fd store: an fd removed may be kept a while yet: %s", strerror(-err));
}

static int keep(struct kept *k, int id)
{
	struct stat st;

	if (fstat(id, &st) < 0)
		return -errno;
	*k = (struct kept){ .id = id, .dev = st.st_dev, .ino = st.st_ino };
	return 0;
}

void fdstore_adopt_ids(struct fdstore *f, const int *ids, size_t n)
{
	free(f->kept);
	f->kept = calloc(n ? n : 1, sizeof(*f->kept));
	f->n_kept = 0;
	f->cap = f->kept ? n : 0;
	for (size_t i = 0; f->kept && i < n; i++)
		if (keep(&f->kept[f->n_kept], ids[i]) == 0)
			f->n_kept++;
}

/* Store what is new in @ids; the result, sorted, in *@out. */
static int add_new(struct fdstore *f, const int *ids, size_t n, struct kept **out)
{
	struct kept *v = calloc(n ? n : 1, sizeof(*v));
	size_t j = 0, k = 0;
	char name[32];

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		while (j < f->n_kept && f->kept[j].id < ids[i])
			j++;
		if (j < f->n_kept && f->kept[j].id == ids[i] && same_file(&f->kept[j], ids[i])) {
			v[k++] = f->kept[j];
			continue;
		}
		snprintf(name, sizeof(name), "fd%d", ids[i]);
		if (j < f->n_kept && f->kept[j].id == ids[i] && !f->kept[j].removed)
			unstore(name);  /* the number now holds another file */
		if (keep(&v[k], ids[i]) < 0 || store(name, ids[i]) < 0)
			continue;
		k++;
	}
	*out = v;
	f->cap = k;
	return (int)k;
}

/* Remove from the store what @now (sorted, @n) no longer names. */
static void remove_gone(const struct fdstore *f, const struct kept *now, size_t n)
{
	size_t j = 0;
	char name[32];

	for (size_t i = 0; i < f->n_kept; i++) {
		while (j < n && now[j].id < f->kept[i].id)
			j++;
		if (f->kept[i].removed || (j < n && now[j].id == f->kept[i].id))
			continue;
		snprintf(name, sizeof(name), "fd%d", f->kept[i].id);
		unstore(name);
	}
}

static int write_state(struct fdstore *f, struct state *st)
{
	int slot = f->gen[0] <= f->gen[1] ? 0 : 1;
	char *buf;
	size_t len;
	int err;

	if (f->state_fd[slot] < 0) {
		f->state_fd[slot] = memfd_create("bootstrapd-state", MFD_CLOEXEC);
		if (f->state_fd[slot] < 0)
			return -errno;
		if (store(state_names[slot], f->state_fd[slot]) < 0)
			return -EIO;
	}
	st->generation = (f->gen[0] > f->gen[1] ? f->gen[0] : f->gen[1]) + 1;
	err = state_encode(st, &buf, &len);
	if (err < 0)
		return err;
	if (pwrite(f->state_fd[slot], buf, len, 0) != (ssize_t)len)
		err = -EIO;     /* a short write to a memfd: out of memory */
	else if (ftruncate(f->state_fd[slot], (off_t)len) < 0)
		err = -errno;
	free(buf);
	if (err == 0)
		f->gen[slot] = st->generation;
	return err;
}

int fdstore_save(struct fdstore *f, const int *ids, size_t n, struct state *st)
{
	struct kept *now;
	int k = add_new(f, ids, n, &now), err;

	if (k < 0)
		return k;
	err = write_state(f, st);
	if (err < 0) {
		log_warnx("cannot save the state in the fd store: %s", strerror(-err));
		free(now);
		return err;
	}
	remove_gone(f, now, (size_t)k);
	free(f->kept);
	f->kept = now;
	f->n_kept = (size_t)k;
	f->saved_ms = clock_monotonic_ms();
	return 0;
}

long fdstore_wait_ms(const struct fdstore *f, size_t entries)
{
	uint64_t t = clock_monotonic_ms();

	if (entries <= FDSTORE_SMALL_STATE || !f->saved_ms || t >= f->saved_ms + FDSTORE_GAP_MS)
		return 0;
	return (long)(f->saved_ms + FDSTORE_GAP_MS - t);
}

void fdstore_free(struct fdstore *f)
{
	if (!f)
		return;
	for (int i = 0; i < 2; i++)
		if (f->state_fd[i] >= 0)
			close(f->state_fd[i]);
	free(f->kept);
	free(f);
}
