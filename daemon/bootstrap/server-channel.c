/* SPDX-License-Identifier: MIT */
/*
 * server-channel.c - the channel routine of bootstrap.defs (id 450): a
 * channel to a MachServices port whose send right the caller passes
 * (channels.h).  The port is known by the inode of the right received,
 * never by anything the message says.
 */
#include "server.h"

#include <errno.h>
#include <string.h>
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
#include "log-limit.h"
#include "registry.h"
#include "service.h"

/* A receive right carries R, S, its port-destroyed request and its channels (a
 * check-in's at most CHANNELS_PER_CHECK_IN of them). */
_Static_assert(DEMUX_RIGHT_MAX_FDS >= 3 + CHANNELS_PER_SERVICE, "a right's fds");
_Static_assert(CHANNELS_PER_CHECK_IN <= CHANNELS_PER_SERVICE, "a check-in's channels");
_Static_assert(DEMUX_RIGHT_MAX_FDS <= IPC_REPLY_MAX_FDS, "a reply's fds");

/*
 * The name whose port this daemon made and has inode @ino: one with
 * channels already is found at once, any other by a walk of the names
 * (once per port: its first channel files it).  Per-PID names and
 * registered ports are not this daemon's to offer channels to.
 */
static struct service *port_of(const struct registry *r, uint32_t ino)
{
	struct service *s = ino ? channels_service(ino) : NULL;
	size_t i = 0;

	while (ino && !s && (s = registry_next(r, &i)))
		if (s->send_ino != ino)
			s = NULL;
	return s && !s->per_pid && service_has_port(s) ? s : NULL;
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
	default:
		return strerror(err);
	}
}

/* The reply carrying A went out, or not: the daemon's copy closes either way. */
static void close_a(void *arg, bool ok)
{
	(void)ok;
	close((int)(intptr_t)arg);
}

kern_return_t bsd_mig_channel(mach_port_t bp, mach_port_t service, mach_port_t *chan,
			      audit_token_t token)
{
	struct demux_call *call = demux_call(bp);
	pid_t pid = audit_token_to_pid(token);
	uid_t uid = audit_token_to_euid(token);
	struct service *s;
	size_t swept;
	int fd, a;

	if (!call)
		return MIG_SERVER_DIED;
	fd = service == MACH_PORT_NULL ? -1 : demux_take(call, service);
	s = fd >= 0 ? port_of(&call->conn->domain->registry, service_socket_inode(fd)) : NULL;
	if (fd >= 0)
		close(fd);
	if (!s) {
		log_warnx_limited("pid %d uid %d asked for a channel to a port that is no "
				  "service of this daemon's: refused", (int)pid, (int)uid);
		return KERN_NOT_SUPPORTED;
	}
	a = channels_open(s, pid, conn_fd_in_daemon_reserve, &swept);
	if (a >= 0 || swept)
		domain_changed(call->conn->domain);     /* made one, or swept: the saved state follows */
	if (a < 0) {
		log_warnx_limited("pid %d uid %d asked for a channel to %s: refused (%s)",
				  (int)pid, (int)uid, s->name, why_refused(-a));
		return refusal(-a);
	}
	*chan = demux_give(call, WIRE_PORT_SEND, &a, 1, 0);
	call->sent = close_a;
	call->sent_arg = (void *)(intptr_t)a;
	log_debug("pid %d made a channel to %s", (int)pid, s->name);
	return KERN_SUCCESS;
}
