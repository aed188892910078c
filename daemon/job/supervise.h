/* SPDX-License-Identifier: MIT */
/* supervise.h - reaping children (what follows an exit is the job's: job_exited()). */
#ifndef BOOTSTRAPD_SUPERVISE_H
#define BOOTSTRAPD_SUPERVISE_H

struct domain;

/** supervise_reap() - SIGCHLD: collect every exited child and hand it to its job. */
void supervise_reap(struct domain *d);

#endif
