/* SPDX-License-Identifier: MIT */
#include "jobdir-prefetch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dir-names.h"
#include "job-plist.h"
#include "job-spec.h"
#include "plist.h"
#include "plist-node.h"

enum plist_trust plist_trust_of(const struct stat *st, bool system)
{
	if (!S_ISREG(st->st_mode))
		return PLIST_NOT_REGULAR;
	if (system && st->st_uid != 0)
		return PLIST_NOT_ROOTS;
	if (system && (st->st_mode & (S_IWGRP | S_IWOTH)))
		return PLIST_WRITABLE;
	return PLIST_TRUSTED;
}

/* Warnings wait in the result, a line each, for the loader to log. */
static void keep_warning(void *data, const char *message)
{
	struct prefetched *r = data;
	size_t len = strlen(message);
	char *grown = realloc(r->warnings, r->warnings_len + len + 2);

	if (!grown)
		return;         /* a warning lost, not the job */
	memcpy(grown + r->warnings_len, message, len);
	memcpy(grown + r->warnings_len + len, "\n", 2);
	r->warnings = grown;
	r->warnings_len += len + 1;
}

static void keep_error(struct prefetched *r, const struct plist_error *err)
{
	char msg[PLIST_ERROR_FORMAT_MAX];

	r->error = strdup(plist_error_format(err, msg, sizeof(msg)));
}

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

/* A name that could not be opened: why, as a parse of its path would say. */
static void keep_open_error(struct prefetched *r, int errnum)
{
	struct plist_error err;

	plist_error_set(&err, r->path, 0, "cannot open: %s", strerror(errnum));
	r->rc = -errnum;
	keep_error(r, &err);
}

/* @fd, opened for @r, judged by what it is: Return: @fd, or -1 (closed, @r says why). */
static int judge_open(const struct jobdir_prefetch *pf, int fd, struct prefetched *r)
{
	if (fstat(fd, &r->st) < 0) {
		r->stat_err = errno;
		close(fd);
		return -1;
	}
	r->trust = plist_trust_of(&r->st, pf->system);
	if (r->trust == PLIST_TRUSTED)
		return fd;
	close(fd);
	return -1;
}

/*
 * Name @i opened in the directory, and judged by what it opened: one
 * look-up of one name (a stat() and an open() of the whole path walked
 * it twice, a fifth of loading 100,000 jobs), and what is judged is what
 * is read.  A name the directory called a regular file is opened first,
 * without following a link (a link swapped in since the directory was
 * read is judged as the others are).  Any other name is judged by
 * fstatat() first and opened only if trusted, as before; what that opens
 * is judged again.
 * Return: the open file, or -1 (r->stat_err, or a trust other than
 * PLIST_TRUSTED, or the open's error kept).
 */
static int open_judged(const struct jobdir_prefetch *pf, size_t i, struct prefetched *r)
{
	int at = pf->dirfd >= 0 ? pf->dirfd : AT_FDCWD;
	const char *rel = pf->dirfd >= 0 ? dir_names_at(pf->names, i) : r->path;
	int fd = dir_names_type(pf->names, i) == DT_REG ? openat(at, rel, OPEN_FLAGS | O_NOFOLLOW) : -1;

	if (fd >= 0)
		return judge_open(pf, fd, r);
	if (fstatat(at, rel, &r->st, 0) < 0) {
		r->stat_err = errno;
		return -1;
	}
	r->trust = plist_trust_of(&r->st, pf->system);
	if (r->trust != PLIST_TRUSTED)
		return -1;
	fd = openat(at, rel, OPEN_FLAGS);
	if (fd < 0) {
		keep_open_error(r, errno);
		return -1;
	}
	return judge_open(pf, fd, r);
}

/* The result for name @i, into @r (cleared). */
static void make(const struct jobdir_prefetch *pf, size_t i, struct prefetched *r)
{
	const char *name = dir_names_at(pf->names, i);
	size_t len = strlen(pf->dir) + 1 + strlen(name) + 1;
	struct plist_error err;
	char *path;
	int fd;

	memset(r, 0, sizeof(*r));
	r->skipped = pf->skip && pf->skip[i];
	if (r->skipped)
		return;
	r->path = path = malloc(len);
	if (!path) {
		r->stat_err = ENOMEM;
		return;
	}
	snprintf(path, len, "%s/%s", pf->dir, name);
	fd = open_judged(pf, i, r);
	if (fd < 0)
		return;
	r->rc = job_plist_read_fd(fd, path, &r->spec, &err, keep_warning, r);
	if (r->rc != 0)
		keep_error(r, &err);
	close(fd);
}

static void clear(struct prefetched *r)
{
	free((char *)r->path);
	job_spec_free(r->spec);
	free(r->error);
	free(r->warnings);
	memset(r, 0, sizeof(*r));
}

/* Wait until the loader left room for one more result (false: stopping). */
static bool wait_room(struct jobdir_prefetch *pf)
{
	bool go;

	pthread_mutex_lock(&pf->lock);
	while (pf->made - pf->used >= JOBDIR_PREFETCH_AHEAD && !pf->stopping) {
		pf->maker_waits = true;
		pthread_cond_wait(&pf->room, &pf->lock);
	}
	pf->maker_waits = false;
	go = !pf->stopping;
	pthread_mutex_unlock(&pf->lock);
	return go;
}

static void *run(void *arg)
{
	struct jobdir_prefetch *pf = arg;

	for (size_t i = 0; i < pf->names->n && wait_room(pf); i++) {
		make(pf, i, &pf->ring[i % JOBDIR_PREFETCH_AHEAD]);
		pthread_mutex_lock(&pf->lock);
		pf->made++;
		/*
		 * A waiting loader is woken once half the results are ready (or
		 * the last): woken for each, the two threads would take turns
		 * file by file, a pair of context switches each.
		 */
		if (pf->reader_waits && (pf->made - pf->used >= JOBDIR_PREFETCH_AHEAD / 2 ||
					 pf->made == pf->names->n))
			pthread_cond_signal(&pf->made_more);
		pthread_mutex_unlock(&pf->lock);
	}
	return NULL;
}

/* The thread, with every signal blocked: the daemon's loop takes them. */
static bool start_thread(struct jobdir_prefetch *pf)
{
	sigset_t all, old;
	bool ok;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ok = pthread_create(&pf->thread, NULL, run, pf) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

void jobdir_prefetch_start(struct jobdir_prefetch *pf, const char *dir,
			   const struct dir_names *names, const bool *skip, bool system)
{
	memset(pf, 0, sizeof(*pf));
	pf->dir = dir;
	pf->names = names;
	pf->skip = skip;
	pf->system = system;
	pf->ring = &pf->one;
	/* Failing, each file is opened by its whole path. */
	pf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (names->n < JOBDIR_PREFETCH_MIN)
		return;         /* too little to overlap */
	pf->ring = calloc(JOBDIR_PREFETCH_AHEAD, sizeof(*pf->ring));
	if (!pf->ring) {
		pf->ring = &pf->one;
		return;
	}
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->made_more, NULL);
	pthread_cond_init(&pf->room, NULL);
	pf->threaded = start_thread(pf);
	if (!pf->threaded) {
		free(pf->ring);
		pf->ring = &pf->one;
		pthread_cond_destroy(&pf->room);
		pthread_cond_destroy(&pf->made_more);
		pthread_mutex_destroy(&pf->lock);
	}
}

struct prefetched *jobdir_prefetch_next(struct jobdir_prefetch *pf)
{
	if (!pf->threaded) {
		make(pf, pf->used, &pf->one);
		return &pf->one;
	}
	pthread_mutex_lock(&pf->lock);
	while (pf->made <= pf->used) {
		pf->reader_waits = true;
		pthread_cond_wait(&pf->made_more, &pf->lock);
	}
	pf->reader_waits = false;
	pthread_mutex_unlock(&pf->lock);
	return &pf->ring[pf->used % JOBDIR_PREFETCH_AHEAD];
}

void jobdir_prefetch_done(struct jobdir_prefetch *pf)
{
	if (!pf->threaded) {
		clear(&pf->one);
		pf->used++;
		return;
	}
	clear(&pf->ring[pf->used % JOBDIR_PREFETCH_AHEAD]);
	pthread_mutex_lock(&pf->lock);
	pf->used++;
	if (pf->maker_waits && pf->made - pf->used <= JOBDIR_PREFETCH_AHEAD / 2)
		pthread_cond_signal(&pf->room);
	pthread_mutex_unlock(&pf->lock);
}

/* The directory, once no thread may open in it any more. */
static void close_dir(struct jobdir_prefetch *pf)
{
	if (pf->dirfd >= 0)
		close(pf->dirfd);
	pf->dirfd = -1;
}

void jobdir_prefetch_stop(struct jobdir_prefetch *pf)
{
	if (!pf->threaded) {
		clear(&pf->one);        /* a result the loader took and did not hand back */
		close_dir(pf);
		return;
	}
	pthread_mutex_lock(&pf->lock);
	pf->stopping = true;
	pthread_cond_signal(&pf->room);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	close_dir(pf);
	for (; pf->used < pf->made; pf->used++)
		clear(&pf->ring[pf->used % JOBDIR_PREFETCH_AHEAD]);
	free(pf->ring);
	pthread_cond_destroy(&pf->room);
	pthread_cond_destroy(&pf->made_more);
	pthread_mutex_destroy(&pf->lock);
}
