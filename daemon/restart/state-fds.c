/* SPDX-License-Identifier: MIT */
/*
 * state-fds.c - finding the state a daemon before us left, and its fds:
 * after a re-exec they are where they were; from systemd's fd store they
 * come from fd 3 on, named, and are moved back to their old numbers
 * (every fd id of the state is the number it had).
 */
#include "restart.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "domain.h"
#include "fdstore.h"
#include "log.h"
#include "restore-plan.h"

/* Read and decode the state in memfd @fd.  Return: 0 or a negative errno. */
static int read_state(int fd, struct state *st)
{
	struct stat sb;
	const char *why;
	void *p;
	int err;

	if (fstat(fd, &sb) < 0)
		return -errno;
	if (sb.st_size < STATE_HEADER_SIZE || (size_t)sb.st_size > STATE_MAX_BYTES)
		return -EBADMSG;
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	err = state_decode_why(p, (size_t)sb.st_size, st, &why);
	munmap(p, (size_t)sb.st_size);
	if (err == -EBADMSG)
		log_warnx("saved state refused: %s", why);
	return err;
}

/* The ids of @st that are open fds, each made close-on-exec again. */
static int present_ids(const struct state *st, int **out, size_t *n)
{
	int *ids;
	size_t k, u = 0;
	int err = restart_kept_ids(st, &ids, &k);
	int *all;

	if (err < 0)
		return err;
	all = realloc(ids, (k + st->n_clients + 1) * sizeof(int));
	if (!all) {
		free(ids);
		return -ENOMEM;
	}
	memcpy(all + k, st->clients, st->n_clients * sizeof(int));
	k += st->n_clients;
	for (size_t i = 0; i < k; i++)
		if (fcntl(all[i], F_SETFD, FD_CLOEXEC) == 0)
			all[u++] = all[i];
	*out = all;
	*n = u;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int plan_from(struct domain *d, struct state *st, bool same, int *present, size_t n)
{
	struct restore_plan *p;

	size_t u = 0;

	qsort(present, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || present[u - 1] != present[i])
			present[u++] = present[i];
	p = restore_plan_new(st, present, u, same);
	if (!p)
		return -ENOMEM;
	d->restore = p;
	d->restore_job = restore_job;
	d->restore_listener = restore_listener;
	d->restore_drop = restore_drop_listener;
	restore_env(d, p);
	if (p->st.nofile_soft)
		d->nofile_soft = (unsigned long)p->st.nofile_soft;
	log_info("restoring: %zu job(s), %zu name(s), %zu fd(s) kept%s", p->st.n_jobs,
		 p->st.n_services, n, same ? " (re-exec)" : "");
	return 1;
}

/* The fds the daemon before us left open across the exec: all we have without FD_CLOEXEC. */
static int inherited_fds(int **out, size_t *n)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;
	int *v = NULL, *bigger;
	size_t k = 0;

	if (!dir)
		return -errno;
	while ((e = readdir(dir))) {
		int fd = atoi(e->d_name), flags;

		if (fd < 3 || fd == dirfd(dir) || (flags = fcntl(fd, F_GETFD)) < 0 ||
		    (flags & FD_CLOEXEC))
			continue;
		bigger = realloc(v, (k + 1) * sizeof(int));
		if (!bigger)
			break;
		v = bigger;
		v[k++] = fd;
	}
	closedir(dir);
	if (k)
		qsort(v, k, sizeof(int), cmp_int);
	*out = v;
	*n = k;
	return 0;
}

/*
 * A state refused after a re-exec: the fds the daemon before us kept for
 * it are closed, so that its ports die for their senders instead of
 * staying open unread, and leave the fd store at the first save.
 */
static void close_inherited(struct domain *d)
{
	int *ids = NULL;
	size_t n = 0;

	if (inherited_fds(&ids, &n) < 0) {
		log_warn("cannot close the fds the state refused named");
		return;
	}
	if (d->fdstore) {
		fdstore_adopt_ids(d->fdstore, ids, n);
		fdstore_forget_states(d->fdstore);
	}
	for (size_t i = 0; i < n; i++) {
		fdstore_forget_id(d->fdstore, ids[i]);
		close(ids[i]);
	}
	free(ids);
}

static int from_reexec(struct domain *d, const char *env)
{
	struct state st;
	char *end;
	long fd = strtol(env, &end, 10);
	int err;

	unsetenv(RESTART_ENV_STATE_FD);
	if (*end || fd < 3 || fd > 1 << 24) {
		close_inherited(d);
		return -EINVAL;
	}
	int *present;
	size_t n;

	err = read_state((int)fd, &st);
	close((int)fd);
	if (err < 0) {
		close_inherited(d);
		return err;
	}
	if (present_ids(&st, &present, &n) < 0) {
		state_free(&st);
		close_inherited(d);
		return -ENOMEM;
	}
	if (d->fdstore) {
		fdstore_adopt_ids(d->fdstore, present, n);      /* stored before the exec */
		/* The memfds of the state before the exec closed with it: new ones
		 * (counting from generation 1 again) take their names. */
		fdstore_forget_states(d->fdstore);
	}
	return plan_from(d, &st, true, present, n);
}

/* "fd<N>": N, else -1. */
static int id_of(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "fd", 2) != 0 || !name[2])
		return -1;
	v = strtol(name + 2, &end, 10);
	return *end || v < STATE_FD_ID_MIN || v >= STATE_FD_ID_MAX ? -1 : (int)v;
}

/* Move fds 3..3+@n-1 named @names to their ids; the others above them, in @fds. */
static int place(char **names, int n, int *fds, int *ids)
{
	int top = 3 + n;

	for (int i = 0; i < n; i++) {
		ids[i] = id_of(names[i]);
		if (ids[i] >= top)
			top = ids[i] + 1;
	}
	for (int i = 0; i < n; i++) {
		fds[i] = fcntl(3 + i, F_DUPFD_CLOEXEC, top);
		close(3 + i);
	}
	for (int i = 0; i < n; i++) {
		if (fds[i] >= 0)
			continue;
		for (int j = 0; j < n; j++) {   /* out of fds: give every one up */
			if (fds[j] >= 0)
				close(fds[j]);
			fds[j] = ids[j] = -1;
		}
		return -EMFILE;
	}
	for (int i = 0; i < n; i++) {
		if (ids[i] < 0)
			continue;
		if (dup3(fds[i], ids[i], O_CLOEXEC) < 0)
			ids[i] = -1;
		close(fds[i]);
		fds[i] = ids[i];
	}
	return 0;
}

/* The newest whole state of the two memfds; each handed to the store. */
static int best_state(struct domain *d, char **names, int n, const int *fds, const int *ids,
		      struct state *st)
{
	int found = 0;

	for (int i = 0; i < n; i++) {
		struct state cand;

		if (ids[i] >= 0 || fds[i] < 0 || (strcmp(names[i], FDSTORE_STATE_A) != 0 &&
						  strcmp(names[i], FDSTORE_STATE_B) != 0)) {
			if (ids[i] < 0 && fds[i] >= 0)
				close(fds[i]);
			continue;
		}
		if (read_state(fds[i], &cand) < 0) {
			log_warnx("fd store: %s holds no valid state: ignored", names[i]);
			cand.generation = 0;
		} else if (!found || cand.generation > st->generation) {
			if (found)
				state_free(st);
			*st = cand;
			found = 1;
		} else {
			state_free(&cand);
		}
		if (d->fdstore)
			fdstore_adopt_state(d->fdstore, names[i], fds[i], cand.generation);
		else
			close(fds[i]);
	}
	return found;
}

static int from_store(struct domain *d, char **names, int n)
{
	int *fds = calloc((size_t)n, sizeof(int)), *ids = calloc((size_t)n, sizeof(int));
	size_t k = 0;
	struct state st;
	int err = !fds || !ids ? -ENOMEM : place(names, n, fds, ids);

	if (err == 0 && best_state(d, names, n, fds, ids, &st) == 0)
		err = -ENOENT;
	for (int i = 0; i < n; i++)
		if (ids && ids[i] >= 0)
			ids[k++] = ids[i];
	qsort(ids, k, sizeof(int), cmp_int);
	if (d->fdstore && ids)
		fdstore_adopt_ids(d->fdstore, ids, k);  /* what no state names goes at the first save */
	free(fds);
	if (err < 0) {
		/* Among them the old listening socket, which the store keeps
		 * answering until the first save drops it from the store. */
		d->listen_take_over = true;
		for (size_t i = 0; i < k; i++) {
			fdstore_forget_id(d->fdstore, ids[i]);
			close(ids[i]);
		}
		free(ids);
		return err;
	}
	return plan_from(d, &st, st.daemon_pid == getpid(), ids, k);
}

int restart_find(struct domain *d)
{
	const char *env = getenv(RESTART_ENV_STATE_FD);
	char **names = NULL;
	int n, r;

	if (env)
		return from_reexec(d, env);
	n = sd_listen_fds_with_names(1, &names);
	if (n <= 0)
		return n;
	r = from_store(d, names, n);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}
