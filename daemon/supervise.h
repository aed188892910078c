/* SPDX-License-Identifier: MIT */
/* supervise.h - reaping children and deciding what follows an exit. */
#ifndef BOOTSTRAPD_SUPERVISE_H
#define BOOTSTRAPD_SUPERVISE_H

struct domain;

/** supervise_reap() - SIGCHLD: collect every exited child and hand it to its job. */
void supervise_reap(struct domain *d);

#endif
