/* SPDX-License-Identifier: MIT */
/*
 * sockets.c - a job's Sockets at run time: made at load from the spec (IP
 * sockets here, Unix ones in sockets-unix.c), watched while the job is
 * down, handed to each process of the job, closed at unload.
 */
#include "sockets.h"
#include "sockets-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "job-spec.h"
#include "log.h"

int sockets_add_fd(struct job_sockets *js, int fd, const struct sockets_at *at, char *reason,
		   size_t len)
{
	if (js->n_fds == SOCKETS_MAX_FDS) {
		close(fd);
		snprintf(reason, len, "Sockets \"%s\": more than %d sockets in all", at->name,
			 SOCKETS_MAX_FDS);
		return -E2BIG;
	}
	js->origins[js->n_fds] = (struct sockets_origin){
		.name = at->name, .entry = at->entry, .pos = (unsigned int)(js->n_fds - at->first),
		.listener = at->passive };
	js->fds[js->n_fds++] = fd;
	return 0;
}

/* "127.0.0.1:80" or "[::1]:80", for reasons. */
static void format_addr(const struct addrinfo *ai, char *out, size_t len)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, len, "(address)");
		return;
	}
	snprintf(out, len, ai->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
}

/*
 * As launchctl: a passive socket reuses its address and, for IPv6, takes
 * IPv6 only, so that the IPv4 and IPv6 sockets of one name share a port.
 */
static int ip_socket(const struct addrinfo *ai, bool passive, const char **step)
{
	int one = 1, fd;

	*step = "socket";
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (passive) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		*step = "bind";
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0)
			goto fail;
		*step = "listen";
		if (ai->ai_socktype != SOCK_DGRAM && listen(fd, SOMAXCONN) < 0)
			goto fail;
		return fd;
	}
	*step = "connect";
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
fail:
	one = -errno;
	close(fd);
	return one;
}

static int open_ip(struct job_sockets *js, const struct job_socket *s, const struct sockets_at *at,
		   char *reason, size_t len)
{
	struct addrinfo hints = { .ai_family = s->family, .ai_socktype = s->type,
				  .ai_protocol = s->protocol,
				  .ai_flags = s->passive ? AI_PASSIVE : 0 };
	struct addrinfo *res, *ai;
	const char *step;
	char addr[NI_MAXHOST + NI_MAXSERV + 4];
	int r = getaddrinfo(s->node_name, s->service_name, &hints, &res);

	if (r != 0) {
		snprintf(reason, len, "Sockets \"%s\": %s%s%s: %s", at->name,
			 s->node_name ? s->node_name : "", s->node_name ? " " : "", s->service_name,
			 r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return r == EAI_SYSTEM ? -errno : -ENOENT;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		int fd = sockets_kept_take_ip(js, at, ai);

		if (fd < 0)
			fd = ip_socket(ai, s->passive, &step);
		if (fd < 0) {
			format_addr(ai, addr, sizeof(addr));
			snprintf(reason, len, "Sockets \"%s\": %s %s: %s", at->name, step, addr,
				 strerror(-fd));
			r = fd;
			break;
		}
		r = sockets_add_fd(js, fd, at, reason, len);
		if (r < 0)
			break;
	}
	freeaddrinfo(res);
	return r;
}

/* LISTEN_FDNAMES: every fd's name, in fd order. */
static int make_names(struct job_sockets *js)
{
	size_t len = 1, at = 0;

	for (size_t g = 0; g < js->n_groups; g++)
		len += js->groups[g].n * (strlen(js->groups[g].name) + 1);
	js->names = calloc(1, len);
	if (!js->names)
		return -ENOMEM;
	for (size_t g = 0; g < js->n_groups; g++)
		for (size_t k = 0; k < js->groups[g].n; k++)
			at += (size_t)sprintf(js->names + at, "%s%s", at ? ":" : "",
					      js->groups[g].name);
	return 0;
}

static int open_all(struct job_sockets *js, char *reason, size_t len)
{
	const struct job_spec *spec = js->spec;
	int r = 0;

	for (size_t g = 0; r == 0 && g < spec->n_socket_groups; g++) {
		const struct job_socket_group *sg = &spec->socket_groups[g];

		js->groups[g].name = sg->name;
		js->groups[g].first = js->n_fds;
		for (size_t k = 0; r == 0 && k < sg->n_sockets; k++) {
			const struct sockets_at at = { .name = sg->name, .entry = (unsigned int)k,
						       .first = js->n_fds,
						       .passive = sg->sockets[k].passive };

			r = sg->sockets[k].family == AF_UNIX ?
			    sockets_unix_open(js, &sg->sockets[k], &at, reason, len) :
			    open_ip(js, &sg->sockets[k], &at, reason, len);
		}
		js->groups[g].n = js->n_fds - js->groups[g].first;
		js->n_groups = g + 1;
	}
	if (r == 0 && (r = make_names(js)) < 0)
		snprintf(reason, len, "Sockets: %s", strerror(-r));
	return r;
}

/* The daemon accepts on the listening sockets of inetd Wait false: never block. */
static void make_nonblocking(struct job_sockets *js)
{
	for (size_t i = 0; i < js->n_fds; i++) {
		int fl = fcntl(js->fds[i], F_GETFL);

		if (fl >= 0)
			fcntl(js->fds[i], F_SETFL, fl | O_NONBLOCK);
	}
}

int sockets_open(struct job_sockets **out, const struct job_spec *spec, struct event_base *base,
		 bool as_root, const struct sockets_hooks *hooks, char *reason, size_t reason_len)
{
	struct job_sockets *js;
	int r;

	*out = NULL;
	if (!spec->n_socket_groups)
		return 0;
	js = calloc(1, sizeof(*js));
	if (js)
		js->groups = calloc(spec->n_socket_groups, sizeof(*js->groups));
	if (!js || !js->groups) {
		free(js);
		snprintf(reason, reason_len, "Sockets: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	*js = (struct job_sockets){ .spec = spec, .base = base, .as_root = as_root,
				    .hooks = *hooks, .groups = js->groups,
				    .ready_fd = -1 };
	r = open_all(js, reason, reason_len);
	/* Only while opening: what they give and take is the restart's. */
	js->hooks.kept = NULL;
	js->hooks.refused = NULL;
	if (r < 0) {
		sockets_close(js);
		return r;
	}
	if (spec->inetd && !spec->inetd_wait)
		make_nonblocking(js);
	log_job(LOG_DEBUG, spec->label, "%zu socket(s) ready", js->n_fds);
	*out = js;
	return 0;
}

struct job_sockets *sockets_close(struct job_sockets *js)
{
	if (!js)
		return NULL;
	for (size_t i = 0; i < js->n_fds; i++) {
		if (js->watches[i].ev)
			event_free(js->watches[i].ev);
		close(js->fds[i]);
	}
	sockets_unix_remove(js);
	for (size_t i = 0; i < js->n_env; i++)
		free(js->env[i]);
	free(js->env);
	free(js->names);
	free(js->groups);
	free(js);
	return NULL;
}

static const char *group_of(const struct job_sockets *js, size_t i)
{
	for (size_t g = 0; g < js->n_groups; g++)
		if (i >= js->groups[g].first && i < js->groups[g].first + js->groups[g].n)
			return js->groups[g].name;
	return "";
}

static void ready(evutil_socket_t fd, short what, void *arg)
{
	struct sockets_watch *w = arg;
	struct job_sockets *js = w->js;

	(void)what;
	if (!js->spec->inetd || js->spec->inetd_wait) {
		/* Not watched again until the job has run: nothing here reads the socket. */
		sockets_unwatch(js);
		js->ready_fd = fd;
	}
	js->hooks.ready(js->hooks.arg, group_of(js, w->i), fd);
}

void sockets_watch(struct job_sockets *js)
{
	if (!js)
		return;
	for (size_t i = 0; i < js->n_fds; i++) {
		struct sockets_watch *w = &js->watches[i];

		w->js = js;
		w->i = i;
		if (!w->ev)
			w->ev = event_new(js->base, js->fds[i], EV_READ | EV_PERSIST, ready, w);
		if (!w->ev || event_add(w->ev, NULL) < 0)
			log_job(LOG_ERR, js->spec->label, "cannot watch socket %s", group_of(js, i));
	}
}

void sockets_unwatch(struct job_sockets *js)
{
	for (size_t i = 0; js && i < js->n_fds; i++)
		if (js->watches[i].ev)
			event_del(js->watches[i].ev);
}

const char *const *sockets_env(const struct job_sockets *js)
{
	return js ? (const char *const *)js->env : NULL;
}

void sockets_fill_request(struct job_sockets *js, struct spawn_request *req)
{
	if (!js)
		return;
	for (size_t g = 0; g < js->n_groups; g++)
		js->groups[g].activated_by = 0;
	req->extra_env = js->env;
	if (js->spec->inetd) {
		/* Wait true: the socket that asked, as launchproxy; Wait false: inetd.c. */
		req->use_stdio_fd = true;
		req->stdio_fd = js->ready_fd >= 0 ? js->ready_fd : js->fds[0];
		js->ready_fd = -1;
		return;
	}
	req->socket_fds = js->fds;
	req->n_socket_fds = js->n_fds;
	req->socket_names = js->names;
}

int sockets_activate(struct job_sockets *js, pid_t pid, const char *name, const int **fds,
		     size_t *n)
{
	if (!js || js->spec->inetd)
		return -ENOENT;
	for (size_t g = 0; g < js->n_groups; g++) {
		struct sockets_group *sg = &js->groups[g];

		if (strcmp(sg->name, name) != 0)
			continue;
		if (sg->activated_by == pid)
			return -EALREADY;
		sg->activated_by = pid;
		*fds = &js->fds[sg->first];
		*n = sg->n;
		return 0;
	}
	return -ENOENT;
}
