/* SPDX-License-Identifier: MIT */
/* sdnotify.h - tell systemd (Type=notify) that the daemon is ready. */
#ifndef BOOTSTRAPD_SDNOTIFY_H
#define BOOTSTRAPD_SDNOTIFY_H

/**
 * sdnotify() - send @state (e.g. "READY=1") to $NOTIFY_SOCKET, if set.
 * Return: 1 if sent, 0 if there is no notification socket, or a negative errno.
 */
int sdnotify(const char *state);

#endif
