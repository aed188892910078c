/* SPDX-License-Identifier: MIT */
#include "service.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/event.h>

#include "fdpass.h"
#include "endpoint.h"
#include "log.h"
#include "port-inodes.h"
#include "process.h"
#include "wire.h"

/*
 * The identity a look-up answered on a connection vouches for (WIRE_F_INO),
 * learnt once here rather than by every caller.  32 bits are enough: the
 * kernel numbers socket inodes with a 32-bit counter (get_next_ino()); 0
 * (none) all the same if one ever does not fit.
 */
uint32_t service_socket_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) || st.st_ino > UINT32_MAX)
		return 0;
	return (uint32_t)st.st_ino;
}

/* Who is told of a pidfd closed (service_on_pidfd_close()): one per process, as the store. */
static service_pidfd_closing_fn *pidfd_closing;
static void *pidfd_closing_arg;

void service_on_pidfd_close(service_pidfd_closing_fn *fn, void *arg)
{
	pidfd_closing = fn;
	pidfd_closing_arg = arg;
}

/* The channels' hooks (service_on_channels()): none until a port has one. */
static const struct service_channel_ops *channel_ops;

void service_on_channels(const struct service_channel_ops *ops)
{
	channel_ops = ops;
}

static void drop_channels(struct service *s)
{
	if (channel_ops)
		channel_ops->drop(s);
}

static void close_pidfd(int fd)
{
	if (pidfd_closing)
		pidfd_closing(fd, pidfd_closing_arg);
	close(fd);
}

/* @s's port, made here: S's inode kept, and filed for the channel routine. */
static int file_port(struct service *s)
{
	s->send_ino = service_socket_inode(s->send_fd);
	return s->send_ino ? port_inodes_add(s->send_ino, s) : 0;
}

static void unfile_port(struct service *s)
{
	port_inodes_remove(s->send_ino, s);
	s->send_ino = 0;
}

/*
 * A port as the library makes one (blocking: the job shares these file
 * descriptions and its receives block; R passes every sender's
 * credentials, for the job's audit trailers).
 */
static int make_port(struct service *svc)
{
	int err = endpoint_socketpair(&svc->recv_fd, &svc->send_fd);

	if (err == 0 && (err = file_port(svc)) < 0) {
		close(svc->recv_fd);
		close(svc->send_fd);
		svc->recv_fd = svc->send_fd = -1;
		svc->send_ino = 0;
	}
	return err;
}

/*
 * @key_pid: a per-PID name of that process (0: a name of the domain's),
 * keyed "PID:NAME" in the registry, the key after the name.  @bound: a
 * name bound to a process, its service_binding between struct and name.
 */
static struct service *alloc(struct event_base *base, const char *name, pid_t key_pid,
			      bool bound, service_notify_fn *notify, void *arg)
{
	size_t len = strlen(name) + 1, key_len = key_pid ? SERVICE_KEY_MAX : 0;
	size_t head = sizeof(struct service) + (bound ? sizeof(struct service_binding) : 0);
	/* One allocation per service, 100,000s of them: binding and name follow. */
	struct service *s = calloc(1, head + len + key_len);

	if (!s)
		return NULL;
	s->name = memcpy((char *)s + head, name, len);
	s->per_pid = key_pid != 0;
	if (key_pid)
		service_key_of(s->name + len, key_pid, name);
	s->base = base;
	s->notify = notify;
	s->notify_arg = arg;
	s->send_fd = s->recv_fd = -1;
	s->bound = bound;
	if (bound)
		service_binding(s)->pidfd = -1;
	return s;
}

struct service *service_new_machservice(struct event_base *base, struct job *job,
					const char *name, bool reset_at_close,
					bool hide_until_checkin, service_notify_fn *demand,
					void *arg)
{
	struct service *s = alloc(base, name, 0, false, demand, arg);

	if (!s)
		return NULL;
	s->job = job;
	s->reset_at_close = reset_at_close;
	s->hide_until_checkin = hide_until_checkin;
	return s;
}

static void registered_died(evutil_socket_t fd, short what, void *arg)
{
	struct service *s = arg;
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };

	(void)what;
	if (poll(&pfd, 1, 0) == 1 && !(pfd.revents & (POLLHUP | POLLERR)))
		return;
	log_info("service %s: registered port died, name removed", s->name);
	s->notify(s, s->notify_arg);
}

static void owner_exited(evutil_socket_t fd, short what, void *arg)
{
	struct service *s = arg;

	(void)fd;
	(void)what;
	log_info("service %s: its process %d exited, name removed", s->name,
		 (int)service_owner_pid(s));
	s->notify(s, s->notify_arg);
}

/*
 * Call @s's notify once its process has exited (a pidfd reads ready then):
 * through @pidfd (taken), or if it is -1 a pidfd opened from the pid.
 */
static int watch_owner_exit(struct service *s, int pidfd)
{
	struct service_binding *b = service_binding(s);

	b->pidfd = pidfd >= 0 ? pidfd : (int)syscall(SYS_pidfd_open, b->pid, 0);
	if (b->pidfd < 0)
		return -errno;
	b->exit_ev = event_new(s->base, b->pidfd, EV_READ, owner_exited, s);
	if (!b->exit_ev || event_add(b->exit_ev, NULL) < 0)
		return -ENOMEM;
	return 0;
}

/* A service bound to process @pid of @uid (see alloc()). */
static struct service *alloc_bound(struct event_base *base, const char *name, pid_t pid,
				   uid_t uid, bool per_pid, service_notify_fn *notify, void *arg)
{
	struct service *s = alloc(base, name, per_pid ? pid : 0, true, notify, arg);

	if (s) {
		service_binding(s)->pid = pid;
		service_binding(s)->uid = uid;
	}
	return s;
}

/* NULL with errno -@err, @s freed. */
static struct service *fail(struct service *s, int err)
{
	service_free(s);
	errno = -err;
	return NULL;
}

/*
 * When process @pid started, read once its pidfd is taken (of the process
 * the pidfd names, not of a later one given the pid), or 0 if unknown.
 */
static uint64_t owner_start_time(pid_t pid)
{
	uint64_t start;

	return process_start_time(pid, &start) == 0 ? start : 0;
}

/* service_new_registered(), the owner watched through @pidfd (taken; -1: opened from its pid). */
static struct service *new_registered(struct event_base *base, const char *name, int send_fd,
				      const struct service_owner *owner, int pidfd,
				      service_notify_fn *died, void *arg)
{
	struct service *s = alloc_bound(base, name, owner->pid, owner->uid, owner->per_pid,
					died, arg);
	struct service_binding *b;

	if (!s || !owner->until_exit) {
		if (pidfd >= 0)
			close_pidfd(pidfd);     /* nothing to watch it for */
		pidfd = -1;
	}
	if (!s) {
		close(send_fd);
		return NULL;
	}
	b = service_binding(s);
	s->send_fd = send_fd;
	b->pidfd = pidfd;       /* the binding's now: closed with it on any failure below */
	s->checked_in = true;
	/* The send end reads end-of-file (hang-up) once the port's receiver is gone. */
	b->death_ev = event_new(base, send_fd, EV_READ | EV_PERSIST, registered_died, s);
	if (!b->death_ev || event_add(b->death_ev, NULL) < 0)
		return fail(s, -ENOMEM);
	if (owner->until_exit) {
		int err = watch_owner_exit(s, b->pidfd);

		if (err < 0)
			return fail(s, err);
		b->start = owner->start ? owner->start : owner_start_time(b->pid);
	}
	return s;
}

struct service *service_new_registered(struct event_base *base, const char *name, int send_fd,
				       const struct service_owner *owner, service_notify_fn *died,
				       void *arg)
{
	return new_registered(base, name, send_fd, owner, -1, died, arg);
}

struct service *service_adopt_registered(struct event_base *base, const char *name, int send_fd,
					 const struct service_owner *owner, int pidfd,
					 service_notify_fn *died, void *arg)
{
	return new_registered(base, name, send_fd, owner, pidfd, died, arg);
}

struct service *service_new_dynamic(struct event_base *base, const char *name, pid_t pid,
				    uid_t uid, bool per_pid, service_notify_fn *died, void *arg)
{
	struct service *s = alloc_bound(base, name, pid, uid, per_pid, died, arg);
	int err;

	if (!s)
		return NULL;
	err = make_port(s);
	if (err == 0)
		err = watch_owner_exit(s, -1);
	if (err < 0)
		return fail(s, err);
	s->dynamic = true;
	return s;
}

struct service *service_adopt_dynamic(struct event_base *base, const char *name,
				      const struct service_owner *owner, int recv_fd, int send_fd,
				      int pidfd, service_notify_fn *died, void *arg)
{
	struct service *s = alloc_bound(base, name, owner->pid, owner->uid, owner->per_pid,
					died, arg);
	int err;

	if (!s) {
		close(recv_fd);
		close(send_fd);
		close_pidfd(pidfd);
		return NULL;
	}
	/* Ours now: closed with @s on any failure below. */
	s->recv_fd = recv_fd;
	s->send_fd = send_fd;
	s->dynamic = true;
	err = file_port(s);
	if (err < 0) {
		close_pidfd(pidfd);
		return fail(s, err);
	}
	err = watch_owner_exit(s, pidfd);
	return err < 0 ? fail(s, err) : s;
}

/* The binding's events and pidfd (the struct itself goes with @s). */
static void unbind(struct service_binding *b)
{
	if (b->death_ev)
		event_free(b->death_ev);
	if (b->exit_ev)
		event_free(b->exit_ev);
	if (b->pidfd >= 0)
		close_pidfd(b->pidfd);
}

struct service *service_free(struct service *s)
{
	if (!s)
		return NULL;
	if (s->demand_ev)
		event_free(s->demand_ev);
	if (s->bound)
		unbind(service_binding(s));
	drop_channels(s);
	if (s->recv_fd >= 0)
		close(s->recv_fd);
	if (s->send_fd >= 0)
		close(s->send_fd);
	unfile_port(s);
	service_release_disarm(s);
	free(s);
	return NULL;
}

unsigned long service_queued_bytes(const struct service *s)
{
	int n = 0;

	if (s->recv_fd < 0 || ioctl(s->recv_fd, SIOCINQ, &n) < 0 || n < 0)
		return 0;
	return (unsigned long)n;
}

static void demand_ready(evutil_socket_t fd, short what, void *arg)
{
	struct service *s = arg;

	(void)fd;
	(void)what;
	s->notify(s, s->notify_arg);
}

/* Forget the demand watch: its event names the fd about to change. */
static void drop_watch_event(struct service *s)
{
	if (s->demand_ev)
		event_free(s->demand_ev);
	s->demand_ev = NULL;
}

static void arm_watch(struct service *s)
{
	if (!s->job || s->recv_fd < 0)
		return;
	if (!s->demand_ev)
		s->demand_ev = event_new(s->base, s->recv_fd, EV_READ, demand_ready, s);
	if (!s->demand_ev || event_add(s->demand_ev, NULL) < 0)
		log_warnx("service %s: cannot watch its port for demand", s->name);
}

int service_port_ensure(struct service *s)
{
	int err;

	if (s->send_fd >= 0)
		return 0;
	err = make_port(s);     /* sets nothing if it fails */
	if (err < 0)
		return err;
	if (s->watch_wanted)
		arm_watch(s);
	return 0;
}

void service_reset_port(struct service *s)
{
	drop_watch_event(s);
	drop_channels(s);       /* the port dies: so do its channels */
	if (s->recv_fd >= 0)
		close(s->recv_fd);
	if (s->send_fd >= 0)
		close(s->send_fd);
	s->recv_fd = s->send_fd = -1;
	unfile_port(s);
}

void service_adopt_port(struct service *s, int recv_fd, int send_fd)
{
	service_reset_port(s);
	s->recv_fd = recv_fd;
	s->send_fd = send_fd;
	/* Kept by this daemon across a restart: made by it.  Not filed (no
	 * memory): its clients' channel asks are refused, nothing else. */
	if (send_fd >= 0 && file_port(s) < 0)
		log_warnx("%s: its port is not filed for channels (no memory)", s->name);
	if (s->watch_wanted)
		arm_watch(s);
}

/*
 * At most this many messages a drain: a sender refilling the port cannot
 * hold the daemon.  Its callers watch the port again after it, so what is
 * left is drained on a later turn of the loop.
 */
#define SERVICE_DRAIN_MAX 1024

unsigned int service_drain(struct service *s)
{
	/* Closing the fds a message carried destroys its rights: its reply right's
	 * holder gets MACH_NOTIFY_SEND_ONCE at once. */
	unsigned int n = s->recv_fd < 0 ? 0 : fdpass_drain(s->recv_fd, SERVICE_DRAIN_MAX);

	if (channel_ops)
		channel_ops->drained(s);        /* after: a call destroyed was sent before the look */
	return n;
}

unsigned int service_refuse(struct service *s)
{
	unsigned int n = service_drain(s);

	service_watch(s);
	return n;
}

void service_watch(struct service *s)
{
	s->watch_wanted = true;
	arm_watch(s);
}

void service_unwatch(struct service *s)
{
	s->watch_wanted = false;
	if (s->demand_ev)
		event_del(s->demand_ev);
}
