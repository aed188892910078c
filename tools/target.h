/* SPDX-License-Identifier: MIT */
/*
 * target.h - launchctl 2's domain and service targets, and where their
 * domain's bootstrapd listens.
 *
 *   system, system/               the system domain
 *   user/UID, user/UID/           UID's user domain
 *   gui/UID, gui/UID/             the same domain: bootstrapd has no login
 *                                 sessions, so a user has one domain
 *   DOMAIN/LABEL                  the job LABEL in DOMAIN
 *   LABEL                         the job LABEL in the default domain
 *
 * Each domain is its own daemon with its own socket: the system domain's at
 * RUN/bootstrapd/socket, UID's at RUN/user/UID/bootstrapd/socket, where RUN
 * is /run or $BOOTSTRAPD_RUN_DIR.  Without $BOOTSTRAPD_RUN_DIR, the
 * caller's own domain is where its clients find it: $BOOTSTRAP_SOCKET,
 * else $XDG_RUNTIME_DIR/bootstrapd/socket (where bootstrapd --user
 * listens), else the /tmp socket of a daemon started without
 * XDG_RUNTIME_DIR if its owner is that user or root.  bsctl --socket
 * overrides all of these; the daemon still checks that it serves the
 * domain named.
 */
#ifndef BOOTSTRAPD_TARGET_H
#define BOOTSTRAPD_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "control-proto.h"

#define TARGET_RUN_DIR_ENV "BOOTSTRAPD_RUN_DIR"

enum target_kind {
	TARGET_LABEL,           /* a bare label: the default domain */
	TARGET_DOMAIN,
	TARGET_SERVICE,         /* DOMAIN/LABEL */
};

struct target {
	enum target_kind kind;
	bool system;
	uid_t uid;                      /* user and gui domains */
	char domain[CONTROL_DOMAIN_MAX]; /* "system", "user/UID"; "" for a bare label */
	const char *label;              /* in the argument; NULL for a domain */
};

/**
 * target_parse() - read @arg.  login/, pid/ and session/ domains do not
 * exist here, and a user or gui domain needs a numeric uid.
 * Return: 0, or -1 with the reason printed on stderr.
 */
int target_parse(const char *arg, struct target *t);

/**
 * target_use() - send the following requests to @t's domain: its name for
 * the daemon to check, its socket unless --socket chose one.  A bare label
 * changes nothing.
 * Return: 0, or -1 with the reason printed on stderr.
 */
int target_use(const struct target *t);

/**
 * target_socket() - where @t's domain listens (see above).
 * Return: 0, or -1 with the reason printed on stderr.
 */
int target_socket(const struct target *t, char *buf, size_t len);

#endif
