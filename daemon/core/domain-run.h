/* SPDX-License-Identifier: MIT */
/* domain-run.h - running a domain (struct domain is domain.h). */
#ifndef BOOTSTRAPD_DOMAIN_RUN_H
#define BOOTSTRAPD_DOMAIN_RUN_H

struct domain;

/**
 * domain_init() - an empty domain: no jobs, no socket, no spare fd, the
 * default connection cap.  The caller then sets who it serves, its event
 * base, its registry and its dispatch callback.
 */
void domain_init(struct domain *d);

/**
 * domain_listen() - bind the domain's socket (removing a stale one, never
 * a live one) and start accepting.  Return: 0 or a negative errno.
 */
int domain_listen(struct domain *d);

/** domain_listen_fd() - listen on @fd (taken), kept across a restart. */
int domain_listen_fd(struct domain *d, int fd);

/** domain_load_dirs() - load every plist of the job directories (startup and SIGHUP). */
void domain_load_dirs(struct domain *d);

/** domain_shutdown() - stop every job, then leave the loop once all have exited. */
void domain_shutdown(struct domain *d);

/** domain_deinit() - free every job, service and connection; close the socket. */
void domain_deinit(struct domain *d);

#endif
