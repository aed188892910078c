/* SPDX-License-Identifier: MIT */
#include "netstate.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <event2/event.h>

#include "log.h"
#include "log-limit.h"

struct netstate {
	int fd;                 /* rtnetlink, subscribed to links and addresses */
	struct event *ev;
	bool up;
	void (*changed)(void *arg);
	void *arg;
};

/* 1 up, 0 down, -1 not known (getifaddrs() failed: out of fds or memory). */
static int query(void)
{
	struct ifaddrs *all, *i;
	bool up = false;

	if (getifaddrs(&all) < 0)
		return -1;
	for (i = all; i && !up; i = i->ifa_next)
		up = i->ifa_addr && (i->ifa_addr->sa_family == AF_INET ||
				     i->ifa_addr->sa_family == AF_INET6) &&
		     (i->ifa_flags & IFF_UP) && !(i->ifa_flags & IFF_LOOPBACK);
	freeifaddrs(all);
	return up;
}

bool netstate_now(void)
{
	return query() == 1;
}

/* Something changed: what it was does not matter, the answer is asked again. */
static void readable(evutil_socket_t fd, short what, void *arg)
{
	struct netstate *n = arg;
	char buf[8192];
	bool was = n->up;
	int now;

	(void)what;
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	/* Not known: the last answer stands, rather than a false "down". */
	now = query();
	if (now < 0)
		log_warnx_limited("network state unknown: %s", strerror(errno));
	else
		n->up = now;
	if (n->up != was) {
		log_info("network %s", n->up ? "up" : "down");
		n->changed(n->arg);
	}
}

static int subscribe(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
					       RTMGRP_IPV6_IFADDR };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

struct netstate *netstate_new(struct event_base *base, void (*changed)(void *arg), void *arg)
{
	struct netstate *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->changed = changed;
	n->arg = arg;
	n->fd = subscribe();
	n->ev = n->fd < 0 ? NULL : event_new(base, n->fd, EV_READ | EV_PERSIST, readable, n);
	if (!n->ev || event_add(n->ev, NULL) < 0) {
		int e = n->fd < 0 ? errno : ENOMEM;

		netstate_free(n);
		errno = e;
		return NULL;
	}
	n->up = netstate_now();         /* after subscribing: no change is missed */
	return n;
}

bool netstate_up(const struct netstate *n)
{
	return n->up;
}

void netstate_free(struct netstate *n)
{
	if (!n)
		return;
	if (n->ev)
		event_free(n->ev);
	if (n->fd >= 0)
		close(n->fd);
	free(n);
}
