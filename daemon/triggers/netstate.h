/* SPDX-License-Identifier: MIT */
/*
 * netstate.h - whether the network is up, for KeepAlive NetworkState, as
 * launchd's network_up: some interface other than loopback is up and has
 * an IPv4 or IPv6 address.  Watched through rtnetlink, so that a job kept
 * alive while the network is up starts when it comes up.
 */
#ifndef BOOTSTRAPD_NETSTATE_H
#define BOOTSTRAPD_NETSTATE_H

#include <stdbool.h>

struct event_base;
struct netstate;

/** netstate_now() - whether the network is up now (getifaddrs(3)). */
bool netstate_now(void);

/**
 * netstate_new() - watch the network: @changed(@arg) is called from the
 * loop each time netstate_up() changes.  Return: the watch, or NULL
 * (errno set; then netstate_up() is only what netstate_now() said).
 */
struct netstate *netstate_new(struct event_base *base, void (*changed)(void *arg), void *arg);

/** netstate_up() - whether the network was up when last looked at. */
bool netstate_up(const struct netstate *n);

void netstate_free(struct netstate *n);

#endif
