/* SPDX-License-Identifier: MIT */
/* jobdir.h - the domain's plist directories: scanning, checking, (re)loading. */
#ifndef BOOTSTRAPD_JOBDIR_H
#define BOOTSTRAPD_JOBDIR_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

struct domain;

/* Where a job loaded from a job directory came from: SIGHUP reloads it when it changed. */
struct jobdir_source {
	bool from_dir;
	struct timespec mtime;
	off_t size;
	ino_t ino;
	bool seen;              /* found again by the current rescan */
};

/**
 * jobdir_scan() - load every *.plist of the domain's job directories that
 * is new or changed, and unload jobs whose file is gone.  Each file that
 * cannot be loaded is logged with its path, line and reason.
 */
void jobdir_scan(struct domain *d);

#endif
