/* SPDX-License-Identifier: MIT */
/*
 * sockets-kept.c - a job's listeners across a daemon restart.  The state
 * names each listener by the entry it was opened for (sockets_listeners());
 * when the job loads again, the listener kept for an entry takes the
 * place of a new one if it still is what the entry asks for, so that
 * connections queued in it, and the job running with its copy, are not
 * cut off from new clients.  One that is not (the plist changed while the
 * daemon was down) is closed, saying why.
 */
#include "sockets-internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "job-spec.h"
#include "log.h"

size_t sockets_listeners(const struct job_sockets *js, struct sockets_listener *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; js && i < js->n_fds && n < max; i++) {
		const struct sockets_origin *o = &js->origins[i];

		if (o->listener)
			out[n++] = (struct sockets_listener){ .name = o->name, .entry = o->entry,
							      .pos = o->pos, .fd = js->fds[i] };
	}
	return n;
}

int sockets_kept_refuse(const struct job_sockets *js, const struct sockets_at *at, int fd,
			const char *why)
{
	if (js->hooks.refused)
		js->hooks.refused(js->hooks.arg, fd);
	else
		close(fd);
	log_job(LOG_NOTICE, js->spec->label, "Sockets \"%s\": the listener kept across the "
		"restart is %s: a new one is opened", at->name, why);
	return -1;
}

static int sockopt(int fd, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, opt, &v, &len) == 0 ? v : -1;
}

int sockets_kept_take(struct job_sockets *js, const struct sockets_at *at, int family, int type,
		      const char **why)
{
	int fd;

	*why = NULL;
	if (!js->hooks.kept || !at->passive)
		return -1;
	fd = js->hooks.kept(js->hooks.arg, at->name, at->entry, (unsigned int)(js->n_fds - at->first));
	if (fd < 0)
		return -1;
	if (sockopt(fd, SO_DOMAIN) != family)
		*why = "of another family now";
	else if (sockopt(fd, SO_TYPE) != type)
		*why = "of another type now";
	else if (type != SOCK_DGRAM && sockopt(fd, SO_ACCEPTCONN) != 1)
		*why = "not listening";
	return fd;
}

/* Whether @fd is bound to @want's address and port. */
static bool bound_to(int fd, const struct sockaddr *want)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const struct sockaddr_in *a = (const void *)&ss, *b = (const void *)want;
	const struct sockaddr_in6 *a6 = (const void *)&ss, *b6 = (const void *)want;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 || ss.ss_family != want->sa_family)
		return false;
	if (want->sa_family == AF_INET)
		return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
	return want->sa_family == AF_INET6 && a6->sin6_port == b6->sin6_port &&
	       memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0;
}

int sockets_kept_take_ip(struct job_sockets *js, const struct sockets_at *at,
			 const struct addrinfo *ai)
{
	const char *why;
	int fd = sockets_kept_take(js, at, ai->ai_family, ai->ai_socktype, &why);

	if (fd >= 0 && !why && !bound_to(fd, ai->ai_addr))
		why = "bound to another address now";
	return fd >= 0 && why ? sockets_kept_refuse(js, at, fd, why) : fd;
}
