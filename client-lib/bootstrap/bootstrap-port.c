/* SPDX-License-Identifier: MIT */
/*
 * bootstrap-port.c - finding bootstrapd: the fd a job inherited, else the
 * well-known socket of the caller's domain.
 */
#include "bootstrap-port.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bootstrap/linux.h>

#include "bootstrap-proto.h"
#include "msg-conn.h"
#include "port.h"

#define EXPORT __attribute__((visibility("default")))

static pthread_mutex_t resolve_lock = PTHREAD_MUTEX_INITIALIZER;

/* Name the connection @fd (taken) as a send right; @keep: it is the bootstrap port, kept across fork. */
static mach_port_t name_send_fd(int fd, bool keep)
{
	mach_port_t name = port_name_send_fd(fd);

	if (name != MACH_PORT_NULL && keep) {
		space_lock();
		space_set_fork_keep(name);
		space_unlock();
	}
	return name;
}

/*
 * Whether the inherited connection @fd is this process's own: the daemon
 * made it for the job's process ($BOOTSTRAP_FD_PID), and that is us, still
 * the daemon's child (its SO_PEERCRED; not a process that got the pid again
 * later).  Then our calls may be answered on it (msg-conn.h), as a client's
 * that connected.  The job's children share it and go the ordinary way.
 */
static bool inherited_conn_is_ours(int fd)
{
	const char *s = getenv(BOOTSTRAP_ENV_FD_PID);
	struct ucred uc;
	socklen_t len = sizeof(uc);
	char *end;
	long pid;

	if (!s || !*s)
		return false;
	pid = strtol(s, &end, 10);
	return !*end && pid == (long)getpid() &&
	       getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && uc.pid == getppid();
}

mach_port_t bootstrap_port_inherited(void)
{
	mach_port_t name;
	const char *s = getenv(BOOTSTRAP_ENV_FD);
	char *end;
	long fd;
	int type;
	socklen_t len = sizeof(type);

	if (!s || !*s)
		return MACH_PORT_NULL;
	fd = strtol(s, &end, 10);
	if (*end || fd < 0 || fd > 65535 ||
	    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return MACH_PORT_NULL;
	/* Left inheritable, with the variable set: as on macOS, a job's children share its bootstrap port. */
	name = name_send_fd((int)fd, true);
	if (name != MACH_PORT_NULL && inherited_conn_is_ours((int)fd))
		msg_conn_own(name, false);
	return name;
}

int bootstrap_port_connect_fd(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static bool peer_is_trusted(int fd)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 &&
	       (uc.uid == getuid() || uc.uid == 0);
}

/*
 * The caller's user domain: $XDG_RUNTIME_DIR/bootstrapd/socket, or where
 * bootstrapd --user listens without XDG_RUNTIME_DIR.
 */
static int connect_user_domain(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char path[4096];
	int n;

	int fd;

	if (xdg && *xdg) {
		n = snprintf(path, sizeof(path), "%s/%s", xdg, BOOTSTRAP_USER_SOCKET);
		return n > 0 && n < (int)sizeof(path) ? bootstrap_port_connect_fd(path) : -ENAMETOOLONG;
	}
	/* /tmp is shared: talk only to a daemon run by ourselves (or root). */
	snprintf(path, sizeof(path), BOOTSTRAP_USER_SOCKET_FALLBACK, (int)getuid());
	fd = bootstrap_port_connect_fd(path);
	if (fd >= 0 && !peer_is_trusted(fd)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

static int connect_daemon(void)
{
	const char *env = getenv(BOOTSTRAP_ENV_SOCKET);
	int fd;

	if (env && *env)
		return bootstrap_port_connect_fd(env);
	fd = connect_user_domain();
	return fd >= 0 ? fd : bootstrap_port_connect_fd(BOOTSTRAP_SYSTEM_SOCKET);
}

EXPORT kern_return_t bootstrap_port_connect(const char *path, mach_port_t *port)
{
	int fd;

	if (!path || !port)
		return KERN_INVALID_ARGUMENT;
	fd = bootstrap_port_connect_fd(path);
	if (fd < 0)
		return MACH_SEND_INVALID_DEST;
	*port = name_send_fd(fd, false);
	return *port == MACH_PORT_NULL ? KERN_RESOURCE_SHORTAGE : KERN_SUCCESS;
}

/*
 * A dead name: the daemon this connection went to is gone.  Not a null or
 * unused name: a process that dropped its bootstrap port (or set it to
 * MACH_PORT_NULL) has cut itself off from the namespace, as on macOS, and
 * is not connected again behind its back.
 */
static bool is_dead(mach_port_t name, bool gone_counts)
{
	mach_port_type_t type;

	if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS)
		return gone_counts;
	return type & MACH_PORT_TYPE_DEAD_NAME;
}

/* A name that is dead or gone: another thread connected again and released it. */
static bool is_replaced(mach_port_t name)
{
	return is_dead(name, true);
}

bool bootstrap_port_retry(mach_port_t *port, kern_return_t kr, bool idempotent)
{
	bool again = false;
	int fd;

	if (kr != MACH_SEND_INVALID_DEST && !(idempotent && kr == MIG_SERVER_DIED))
		return false;
	pthread_mutex_lock(&resolve_lock);
	if (*port != bootstrap_port) {
		/* Another thread connected again already, or not our bootstrap port. */
		again = bootstrap_port != BOOTSTRAP_LAZY_NAME && *port != MACH_PORT_NULL &&
			is_replaced(*port) && !is_replaced(bootstrap_port);
		if (again)
			*port = bootstrap_port;
	} else if (is_dead(*port, false) && (fd = connect_daemon()) >= 0) {
		mach_port_t name = name_send_fd(fd, true);

		if (name != MACH_PORT_NULL) {
			msg_conn_own(name, true);
			mach_port_deallocate(mach_task_self(), *port);
			*port = name;
			__atomic_store_n(&bootstrap_port, name, __ATOMIC_RELEASE);
			again = true;
		}
	}
	pthread_mutex_unlock(&resolve_lock);
	return again;
}

kern_return_t bootstrap_port_resolve(mach_port_t *port)
{
	kern_return_t kr = KERN_SUCCESS;

	if (__atomic_load_n(port, __ATOMIC_ACQUIRE) != BOOTSTRAP_LAZY_NAME)
		return KERN_SUCCESS;    /* connected already: no lock for every call */
	pthread_mutex_lock(&resolve_lock);
	if (*port == BOOTSTRAP_LAZY_NAME) {
		int fd = connect_daemon();
		mach_port_t name = fd >= 0 ? name_send_fd(fd, true) : MACH_PORT_NULL;

		if (name == MACH_PORT_NULL) {
			kr = MACH_SEND_INVALID_DEST;
		} else {
			msg_conn_own(name, true);
			__atomic_store_n(port, name, __ATOMIC_RELEASE);    /* read unlocked above */
		}
	}
	pthread_mutex_unlock(&resolve_lock);
	return kr;
}
