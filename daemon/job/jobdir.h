/* SPDX-License-Identifier: MIT */
/* jobdir.h - the domain's plist directories: scanning, checking, (re)loading. */
#ifndef BOOTSTRAPD_JOBDIR_H
#define BOOTSTRAPD_JOBDIR_H

struct domain;

/**
 * jobdir_scan() - load every *.plist of the domain's job directories that
 * is new or changed, and unload jobs whose file is gone.  Each file that
 * cannot be loaded is logged with its path, line and reason.
 */
void jobdir_scan(struct domain *d);

#endif
