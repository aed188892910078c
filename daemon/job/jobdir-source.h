/* SPDX-License-Identifier: MIT */
/*
 * jobdir-source.h - the job-directory state of one job, owned by jobdir.c
 * (which sets it) and embedded in struct job.  Types only.
 */
#ifndef BOOTSTRAPD_JOBDIR_SOURCE_H
#define BOOTSTRAPD_JOBDIR_SOURCE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

/* Where a job loaded from a job directory came from: SIGHUP reloads it when it changed. */
struct jobdir_source {
	bool from_dir;
	struct timespec mtime;
	off_t size;
	ino_t ino;
	bool seen;              /* found again by the current rescan */
};

#endif
