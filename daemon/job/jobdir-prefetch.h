/* SPDX-License-Identifier: MIT */
/*
 * jobdir-prefetch.h - a job directory's plists read and parsed ahead of
 * the loader, on a thread of their own (for JOBDIR_PREFETCH_MIN names or
 * more).
 *
 * Loading 100,000 jobs is mostly parsing: while the daemon's thread makes
 * job N, this one parses the files after it, so the two CPUs of a small
 * machine share the load.  It also keeps the heap tidy: the parser's many
 * passing allocations come from this thread's own glibc arena, and what a
 * job keeps is adopted into the daemon thread's (job_spec_adopt()), where
 * nothing else leaves holes between jobs.
 *
 * The thread only reads files and builds specs: it logs nothing and
 * touches no domain state.  The loader takes the results in name order,
 * one at a time, and logs the warnings and errors each carries, as it
 * would have while parsing.  A file that the loader will not load (its
 * job is loaded and the file unchanged) is skipped, and one it would not
 * trust is not parsed.  Without a thread (fewer names, or no thread or
 * ring could be made) each result is made when the loader asks for it.
 */
#ifndef BOOTSTRAPD_JOBDIR_PREFETCH_H
#define BOOTSTRAPD_JOBDIR_PREFETCH_H

#include <stdbool.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/stat.h>

struct dir_names;
struct job_spec;

/* Why a plist is not trusted: launchd's path_goodness_check. */
enum plist_trust {
	PLIST_TRUSTED,
	PLIST_NOT_REGULAR,      /* not a regular file */
	PLIST_NOT_ROOTS,        /* system domain: not owned by root */
	PLIST_WRITABLE,         /* system domain: group or world writable */
};

/** plist_trust_of() - whether a plist of @st may define a job (@system: the system domain). */
enum plist_trust plist_trust_of(const struct stat *st, bool system);

/* One file's result, in the loader's hands until jobdir_prefetch_done(). */
struct prefetched {
	const char *path;       /* DIR/NAME */
	bool skipped;           /* the loader said it will not load it */
	int stat_err;           /* neither open nor stat worked: this errno; nothing else is set */
	struct stat st;
	enum plist_trust trust; /* not PLIST_TRUSTED: not parsed */
	int rc;                 /* job_plist_read_fd()'s */
	struct job_spec *spec;  /* rc == 0; set it to NULL when taken */
	char *error;            /* rc != 0: the error, formatted */
	char *warnings;         /* the parse's warnings, a line each, or NULL */
	size_t warnings_len;
};

#define JOBDIR_PREFETCH_AHEAD 64 /* files parsed ahead of the loader, at most */
/*
 * Fewer names than this are parsed as the loader asks, on no thread: a
 * thread saves a few ms of a load there, and once the daemon has made one,
 * glibc takes it as multi-threaded for good and wraps each later
 * cancellable call (recvmsg, sendmsg, epoll_wait: three per request) in
 * its cancellation switches, about 90 instructions a request.
 */
#define JOBDIR_PREFETCH_MIN 128

/* The fields are the prefetch's own; the struct is the caller's, so that starting cannot fail. */
struct jobdir_prefetch {
	const char *dir;
	int dirfd;              /* @dir, opened: its files opened in it; -1: by path */
	const struct dir_names *names;
	const bool *skip;
	bool system;
	bool threaded;          /* else each result is made when asked for */
	bool stopping;
	bool reader_waits, maker_waits;
	size_t made, used;      /* names made ready, and taken by the loader */
	struct prefetched *ring; /* JOBDIR_PREFETCH_AHEAD results (threaded), else one */
	struct prefetched one;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t made_more, room;
};

/**
 * jobdir_prefetch_start() - read and parse @names of @dir ahead (both
 * borrowed until jobdir_prefetch_stop()), except those @skip marks (an
 * array of names->n flags, or NULL).  @system: the system domain's trust.
 * Without a thread or its memory, each result is made when asked for.
 */
void jobdir_prefetch_start(struct jobdir_prefetch *pf, const char *dir,
			   const struct dir_names *names, const bool *skip, bool system);

/** jobdir_prefetch_next() - the next name's result, in order (waits for it). */
struct prefetched *jobdir_prefetch_next(struct jobdir_prefetch *pf);

/** jobdir_prefetch_done() - the result from _next is used: what was not taken is freed. */
void jobdir_prefetch_done(struct jobdir_prefetch *pf);

/** jobdir_prefetch_stop() - end the thread and free what is left. */
void jobdir_prefetch_stop(struct jobdir_prefetch *pf);

#endif
