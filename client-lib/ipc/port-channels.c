/* SPDX-License-Identifier: MIT */
/*
 * port-channels.c - the ends of channels (wire.h "Channels") an entry
 * holds: a receive right's Bs (each its owner's way back), a send right's
 * A, and the copy of B behind a send-once right that answers a channel
 * call.  Space lock held
 * throughout, as for every field of an entry (port.h).
 */
#include "port.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "fdpass.h"
#include "wire.h"

/*
 * Channels one receive right takes: the daemon makes at most 32 per
 * service; an OFFER past this many is refused (its B closed).
 */
#define PORT_MAX_CHANNELS 256

/* Receive right @rcv's channel whose B has inode @ino, or NULL. */
static struct port_chan *channel_of(struct port *rcv, ino_t ino)
{
	if (!rcv || !ino || rcv->kind != PORT_KIND_RECEIVE)
		return NULL;
	for (size_t i = 0; i < rcv->u.recv.n_chan; i++)
		if (rcv->u.recv.chan[i].ino == ino)
			return &rcv->u.recv.chan[i];
	return NULL;
}

/*
 * Each channel keeps the copy of its B that the last spent reply right
 * had, for the next call's: a call then costs its receiver no dup() and
 * no close().  The copy goes with its channel (port_remove_channel()).
 */
int port_chan_copy(struct port_chan *c)
{
	int fd = c->spare;

	if (fd >= 0) {
		c->spare = -1;
		return fd;
	}
	fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

void port_so_chan_spent(struct port *p)
{
	struct port_chan *c = channel_of(p->so_rcv, p->so_chan_ino);

	/* Kept only while its channel is, here: a copy left behind would keep
	 * B open, and its client would never see the channel end.  A send
	 * still using it (pinned) closes it when done. */
	if (c && c->spare < 0 && p->send_fd >= 0 && !port_pinned(p)) {
		c->spare = p->send_fd;
		p->send_fd = -1;
	}
	p->so_chan_ino = 0;
	port_unref(p->so_rcv);
	p->so_rcv = NULL;
}

static int grow_channels(struct port_recv *rv)
{
	size_t n = rv->cap_chan ? rv->cap_chan * 2 : 4;
	struct port_chan *grown;

	if (rv->n_chan < rv->cap_chan)
		return 0;
	grown = realloc(rv->chan, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	rv->chan = grown;
	rv->cap_chan = n;
	return 0;
}

struct port_chan *port_channel_of(struct port *p, pid_t pid)
{
	if (p->kind != PORT_KIND_RECEIVE || pid <= 0)
		return NULL;
	for (size_t i = 0; i < p->u.recv.n_chan; i++)
		if (p->u.recv.chan[i].owner == pid)
			return &p->u.recv.chan[i];
	return NULL;
}

/* Close channel @i of @p, and the copy of B it kept. */
static void remove_channel(struct port *p, size_t i)
{
	struct port_recv *rv = &p->u.recv;
	struct port_chan c = rv->chan[i];

	endpoint_close(&c.spare);       /* else it would keep B open: its client would see no end */
	rv->chan[i] = rv->chan[--rv->n_chan];
	port_close_fd(p, &c.fd);        /* a receive right moving carries it */
}

/* B's owner: the process that made the pair, as the kernel says; 0 if it cannot. */
static pid_t owner_of(int b)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	return getsockopt(b, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 ? cr.pid : 0;
}

/*
 * Close the channels of @p whose client is gone (A closed: B hangs up),
 * and the one of @owner (a newer B replaces it).  One poll() over all:
 * a receiver learns of a client's end only here, as it never reads B.
 */
static void sweep_channels(struct port *p, pid_t owner)
{
	struct port_recv *rv = &p->u.recv;
	struct pollfd pfd[PORT_MAX_CHANNELS];
	size_t n = rv->n_chan;

	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = rv->chan[i].fd, .events = POLLRDHUP };
	if (!n || poll(pfd, n, 0) < 0)
		return;
	for (size_t i = n; i-- > 0;)
		if ((pfd[i].revents & (POLLHUP | POLLRDHUP)) || rv->chan[i].owner == owner)
			remove_channel(p, i);
}

/* A control datagram up B for call @seq, carrying @fd if not -1. */
static int send_control(int b, uint32_t bits, uint16_t seq, int fd)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = bits, .seq = seq, .nfds = fd >= 0 };
	struct iovec iov = { &h, sizeof(h) };

	return fdpass_send(b, &iov, 1, &fd, fd >= 0, MSG_DONTWAIT);
}

int port_add_channel(struct port *p, int fd, ino_t ino)
{
	struct port_recv *rv = &p->u.recv;
	pid_t owner;

	if (!ino)
		ino = endpoint_inode(fd);
	/* The same B twice (handed at a check-in while its OFFER is still
	 * queued): one channel. */
	if (channel_of(p, ino)) {
		close(fd);
		return 0;
	}
	owner = owner_of(fd);
	if (owner > 0)
		sweep_channels(p, owner);
	if (owner <= 0 || rv->n_chan >= PORT_MAX_CHANNELS || grow_channels(rv) < 0) {
		/* Its client's calls would be destroyed unread, and it would wait
		 * for their answers for ever: it is told to go the ordinary way. */
		send_control(fd, WIRE_BITS_OFFER | WIRE_BITS_ONCONN, 0, -1);
		close(fd);
		return -ENOMEM;
	}
	rv->chan[rv->n_chan++] = (struct port_chan){ .fd = fd, .ino = ino, .owner = owner,
						     .spare = -1 };
	return 0;
}

void port_close_channels(struct port *p)
{
	struct port_recv *rv = &p->u.recv;

	while (rv->n_chan > 0)
		remove_channel(p, rv->n_chan - 1);
	free(rv->chan);
	rv->chan = NULL;
	rv->cap_chan = 0;
}

void port_chan_close(struct port *p)
{
	if (p->chan_fd >= 0)
		port_close_fd(p, &p->chan_fd);
}

void port_chan_call_died(int b, uint16_t seq)
{
	/* Failing, the client is gone or its A full of answers it does not
	 * read: it learns nothing more either way. */
	send_control(b, WIRE_BITS_SO_DIED | WIRE_BITS_ONCONN, seq, -1);
}

void port_so_chan_died(struct port *p)
{
	if (!p->so_chan || p->send_fd < 0)
		return;
	port_chan_call_died(p->send_fd, p->so_chan);
	p->so_chan = 0;
}

int port_so_chan_detach(struct port *p)
{
	int r, s, err;

	if (!p->so_chan)
		return 0;
	err = endpoint_socketpair(&r, &s);
	if (err < 0)
		return err;
	err = send_control(p->send_fd, WIRE_BITS_SO_MOVED | WIRE_BITS_ONCONN, p->so_chan, r);
	close(r);
	/* A client gone leaves a right to nobody: its holder's send finds so. */
	if (err < 0 && !fdpass_peer_gone(err)) {
		close(s);
		return err;
	}
	port_so_chan_spent(p);          /* its copy of B goes back to its channel, or is closed: */
	port_close_fd(p, &p->send_fd);
	p->send_fd = s;
	p->so_chan = 0;
	return 0;
}
