/* SPDX-License-Identifier: MIT */
/*
 * server-channel.c - the channel routine of bootstrap.defs (id 450): the
 * B end of a pair the caller made, kept as a channel to a MachServices
 * port whose send right the caller passes (channels.h).  The port is
 * known by the inode of the right received, never by anything the
 * message says; B's owner by what the kernel says of it.
 */
#include "server.h"

#include <errno.h>
#include <string.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bootstrap_priv.h>
#include <bsm/libbsm.h>

#include "bootstrapServer.h"
#include "channels.h"
#include "conn.h"
#include "demux.h"
#include "domain.h"
#include "ipc.h"
#include "log.h"
#include "port-inodes.h"
#include "log-limit.h"
#include "registry.h"
#include "service.h"

/* A receive right carries R, S, its port-destroyed request and every one of its channels. */
_Static_assert(DEMUX_RIGHT_MAX_FDS >= 3 + CHANNELS_PER_SERVICE, "a right's fds");
_Static_assert(DEMUX_RIGHT_MAX_FDS <= IPC_REPLY_MAX_FDS, "a reply's fds");

/*
 * The name of registry @r whose port this daemon made and has inode @ino,
 * found by the index of made ports (port-inodes.h).  Per-PID names and
 * registered ports are not this daemon's to offer channels to.
 */
static struct service *port_of(const struct registry *r, uint32_t ino)
{
	struct service *s = port_inodes_find(ino);

	if (!s || s->per_pid || !service_has_port(s) || strmap_get(&r->names, s->name) != s)
		return NULL;
	return s;
}

static kern_return_t refusal(int err)
{
	switch (err) {
	case EDQUOT:
	case EUSERS:
	case EMFILE:
	case ENFILE:
	case ENOMEM:
		return KERN_RESOURCE_SHORTAGE;
	case EEXIST:
		return KERN_NAME_EXISTS;
	default:
		return KERN_NOT_SUPPORTED;
	}
}

static const char *why_refused(int err)
{
	switch (err) {
	case EDQUOT:
		return "the port's channels are at their cap";
	case EUSERS:
		return "the caller's channels are at their cap";
	case EAGAIN:
		return "its queue is full";
	case EEXIST:
		return "the caller has a live channel to it already";
	default:
		return strerror(err);
	}
}

/* Whether @b is a connected end whose peer is still there (as a channel's, channels.c). */
static bool connected_and_live(int b)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof(addr);
	int listening = 0;
	socklen_t ilen = sizeof(listening);

	if (getpeername(b, (struct sockaddr *)&addr, &len) < 0 ||
	    getsockopt(b, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ilen) < 0 || listening)
		return false;
	return !channels_client_gone(b);
}

/*
 * Why @b is not a B the asker (@pid, @uid) may hand in, or NULL if it is:
 * one end of a SEQPACKET pair that process made, so that it owns the
 * channel (its calls in R are found by its credentials) and no process
 * can hand in a channel that would take another's answers.
 */
static const char *not_asker_channel(int b, pid_t pid, uid_t uid)
{
	int domain = 0, type = 0;
	struct ucred cr = { 0 };
	socklen_t len = sizeof(domain);

	if (b < 0)
		return "no channel";
	if (getsockopt(b, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX)
		return "not a local socket";
	len = sizeof(type);
	if (getsockopt(b, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return "not a SEQPACKET socket";
	/* A listening socket has the listener's credentials too, and never
	 * hangs up: it would hold a channel's place for ever. */
	if (!connected_and_live(b))
		return "a socket that is no live pair's end";
	len = sizeof(cr);
	/* pid 0: a caller the daemon cannot see (another pid namespace). */
	if (getsockopt(b, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.pid <= 0 ||
	    cr.pid != pid || cr.uid != uid)
		return "a pair the caller did not make";
	return NULL;
}

/* The service whose port the send right @service names, or NULL (the right's fd closed). */
static struct service *asked_service(struct demux_call *call, mach_port_t service)
{
	int fd = service == MACH_PORT_NULL ? -1 : demux_take(call, service);
	struct service *s;

	s = fd >= 0 ? port_of(&call->conn->domain->registry, service_socket_inode(fd)) : NULL;
	if (fd >= 0)
		close(fd);
	return s;
}

kern_return_t bsd_mig_channel(mach_port_t bp, mach_port_t service, mach_port_t chan,
			      audit_token_t token)
{
	struct demux_call *call = demux_call(bp);
	pid_t pid = audit_token_to_pid(token);
	uid_t uid = audit_token_to_euid(token);
	const char *why;
	struct service *s;
	size_t swept;
	int b, err;

	if (!call)
		return MIG_SERVER_DIED;
	b = chan == MACH_PORT_NULL ? -1 : demux_take(call, chan);
	why = not_asker_channel(b, pid, uid);
	if (why) {
		if (b >= 0)
			close(b);
		log_warnx_limited("pid %d uid %d asked for a channel with %s: refused", (int)pid,
				  (int)uid, why);
		return KERN_INVALID_ARGUMENT;
	}
	s = asked_service(call, service);
	if (!s) {
		close(b);
		log_warnx_limited("pid %d uid %d asked for a channel to a port that is no "
				  "service of this daemon's: refused", (int)pid, (int)uid);
		return KERN_NOT_SUPPORTED;
	}
	err = channels_open(s, pid, b, conn_fd_in_daemon_reserve, &swept);
	if (err == 0 || swept)
		domain_changed(call->conn->domain);     /* kept one, or swept: the saved state follows */
	if (err < 0) {
		log_warnx_limited("pid %d uid %d asked for a channel to %s: refused (%s)",
				  (int)pid, (int)uid, s->name, why_refused(-err));
		return refusal(-err);
	}
	log_debug("pid %d made a channel to %s", (int)pid, s->name);
	return KERN_SUCCESS;
}
