/* SPDX-License-Identifier: MIT */
/*
 * domain-run.c - running a domain: its socket, its job directories,
 * shutting down and tearing down.  The top of the daemon: it reaches every
 * part, and only main reaches it.
 */
#include "domain-run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "conn.h"
#include "domain.h"
#include "domain-env.h"
#include "job.h"
#include "jobdir.h"
#include "log.h"
#include "service.h"

/* Is something answering on @path?  A live daemon's socket is never removed. */
static bool socket_alive(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool alive;

	if (fd < 0)
		return false;
	alive = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return alive;
}

void domain_init(struct domain *d)
{
	memset(d, 0, sizeof(*d));
	strmap_init(&d->jobs);
	strmap_init(&d->job_paths);
	d->listen_fd = -1;
	d->spare_fd = -1;
	d->max_conns = 4096;
}

int domain_listen(struct domain *d)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, err;

	if (strlen(d->socket_path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, d->socket_path);
	if (!d->listen_take_over && socket_alive(&sun))
		return -EADDRINUSE;
	unlink(d->socket_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	/* Accepted sockets inherit it, so that even a request sent before the
	 * daemon accepted the connection carries its sender's credentials. */
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	/* Anyone may connect; what each caller may do is decided per request. */
	old = umask(0111);
	err = bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 128) < 0 ? -errno : 0;
	umask(old);
	if (err < 0) {
		close(fd);
		return err;
	}
	d->listen_fd = fd;
	return conn_accept_start(d);
}

int domain_listen_fd(struct domain *d, int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	d->listen_fd = fd;
	return conn_accept_start(d);
}

void domain_load_dirs(struct domain *d)
{
	job_network_retry(d);
	jobdir_scan(d);
	log_info("%zu job(s) loaded, %zu service name(s)", d->jobs.count, registry_count(&d->registry));
}

void domain_shutdown(struct domain *d)
{
	struct job *job;
	size_t i = 0;

	if (d->shutting_down)
		return;
	d->shutting_down = true;
	log_info("shutting down: stopping jobs");
	while ((job = strmap_next(&d->jobs, &i)))
		job_stop(job);
	domain_maybe_exit(d);
}

void domain_deinit(struct domain *d)
{
	struct job *job;
	size_t i = 0;
	struct service *s;

	/* Jobs first: each closes its own connection.  job_free() deletes its
	 * own entry only, which leaves a tombstone and moves no other: the walk
	 * goes on from there (restarting it made this O(jobs^2), minutes at
	 * 100,000 jobs). */
	while ((job = strmap_next(&d->jobs, &i)))
		job_free(job);
	while (d->detached)
		job_free(d->detached);
	while (d->conns)
		conn_close(d->conns);
	i = 0;
	while ((s = registry_next(&d->registry, &i)))
		service_free(s);
	i = 0;
	while ((s = registry_next_pid(&d->registry, &i)))
		service_free(s);
	strmap_deinit(&d->jobs);
	job_running_deinit(d);
	job_curious_deinit(d);
	registry_deinit(&d->registry);
	strmap_deinit(&d->job_paths);
	conn_accept_stop(d);
	domain_env_deinit(d);
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->socket_path);
	}
}
