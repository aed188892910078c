/* SPDX-License-Identifier: MIT */
/*
 * sdnotify.h - tell systemd (Type=notify) that the daemon is ready,
 * reloading or stopping.
 */
#ifndef BOOTSTRAPD_SDNOTIFY_H
#define BOOTSTRAPD_SDNOTIFY_H

/**
 * sdnotify() - send @state (e.g. "READY=1") to $NOTIFY_SOCKET, if set.
 * Return: 1 if sent, 0 if there is no notification socket, or a negative errno.
 */
int sdnotify(const char *state);

/**
 * sdnotify_reloading() - send "RELOADING=1" with "MONOTONIC_USEC=", the
 * CLOCK_MONOTONIC time of the reload in microseconds, as systemd wants it
 * to tell this reload from a later one.  "READY=1" ends the reload.
 * Return: as sdnotify().
 */
int sdnotify_reloading(void);

#endif
