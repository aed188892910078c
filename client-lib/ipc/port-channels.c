/* SPDX-License-Identifier: MIT */
/*
 * port-channels.c - the ends of channels (wire.h "Channels") an entry
 * holds: a receive right's Bs, a send right's A, and the copy of B behind
 * a send-once right that answers a channel call.  Space lock held
 * throughout, as for every field of an entry (port.h).
 */
#include "port.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "fdpass.h"
#include "wire.h"

/*
 * Channels one receive right takes.  The daemon makes at most 32 per
 * service; past this many (offers from anyone else) a new B is retired at
 * once: what it holds is read first, and its client, whose sends then
 * fail, goes the ordinary way.
 */
#define PORT_MAX_CHANNELS 256

static void drop_copies(ino_t ino);

/* Asks for channels and the sends they wait for (msg-chan.c), under the space lock. */
static pthread_cond_t chan_cond = PTHREAD_COND_INITIALIZER;

void port_chan_wait(void)
{
	space_wait(&chan_cond);
}

void port_chan_wake(void)
{
	pthread_cond_broadcast(&chan_cond);
}

void port_chan_fork_child(void)
{
	pthread_cond_init(&chan_cond, NULL);
	drop_copies(0);         /* the parent's channels */
}

/*
 * Copies of Bs kept from spent reply rights, for the next call on the same
 * channel: a call then costs its receiver no dup() and no close().  A
 * copy keeps its B open, so the copies of a channel go with it
 * (drop_copies()); a forked child drops them all.
 */
#define CHAN_COPIES 16

static struct {
	ino_t ino;
	int fd;
} copies[CHAN_COPIES];
static size_t n_copies;

/* Close the kept copies of B @ino, or every one if @ino is 0. */
static void drop_copies(ino_t ino)
{
	for (size_t i = n_copies; i-- > 0;) {
		if (ino && copies[i].ino != ino)
			continue;
		close(copies[i].fd);
		copies[i] = copies[--n_copies];
	}
}

int port_chan_copy(int b, ino_t ino)
{
	int fd;

	for (size_t i = 0; ino && i < n_copies; i++) {
		if (copies[i].ino != ino)
			continue;
		fd = copies[i].fd;
		copies[i] = copies[--n_copies];
		return fd;
	}
	fd = fcntl(b, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

void port_so_chan_spent(struct port *p)
{
	/* A send still using the copy (it is pinned) closes it when done. */
	if (p->so_chan_ino && p->send_fd >= 0 && !port_pinned(p) && n_copies < CHAN_COPIES) {
		copies[n_copies].ino = p->so_chan_ino;
		copies[n_copies++].fd = p->send_fd;
		p->send_fd = -1;
	}
	p->so_chan_ino = 0;
}

ssize_t port_channel_index(const struct port *p, int fd)
{
	if (p->kind != PORT_KIND_RECEIVE)
		return -1;
	for (size_t i = 0; i < p->u.recv.n_chan; i++)
		if (p->u.recv.chan[i].fd == fd)
			return (ssize_t)i;
	return -1;
}

static bool known_channel(const struct port_recv *rv, ino_t ino)
{
	for (size_t i = 0; ino && i < rv->n_chan; i++)
		if (rv->chan[i].ino == ino)
			return true;
	return false;
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

int port_add_channel(struct port *p, int fd, bool retired)
{
	struct port_recv *rv = &p->u.recv;
	ino_t ino = endpoint_inode(fd);
	int one = 1;

	/* The same B twice (a retired one handed over while its offer is
	 * still queued): one queue. */
	if (known_channel(rv, ino) || grow_channels(rv) < 0) {
		close(fd);
		return known_channel(rv, ino) ? 0 : -ENOMEM;
	}
	if (!retired && rv->n_chan >= PORT_MAX_CHANNELS) {
		shutdown(fd, SHUT_RD);
		retired = true;
	}
	/* The audit trailer of what comes down it: the client's credentials. */
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	rv->chan[rv->n_chan++] = (struct port_chan){ .fd = fd, .ino = ino, .retired = retired };
	rv->n_retired += retired;
	port_watch_fd(p, fd);
	return 0;
}

void port_remove_channel(struct port *p, size_t i)
{
	struct port_recv *rv = &p->u.recv;
	struct port_chan c = rv->chan[i];

	port_unwatch_fd(p, c.fd);
	drop_copies(c.ino);     /* else they would keep B open: its client would see no end */
	rv->n_retired -= c.retired;
	rv->chan[i] = rv->chan[--rv->n_chan];
	port_close_fd(p, &c.fd);        /* a receive right moving carries it */
}

void port_close_channels(struct port *p)
{
	struct port_recv *rv = &p->u.recv;

	while (rv->n_chan > 0)
		port_remove_channel(p, rv->n_chan - 1);
	free(rv->chan);
	rv->chan = NULL;
	rv->cap_chan = 0;
}

int port_retired_fd(const struct port *p)
{
	const struct port_recv *rv = &p->u.recv;

	for (size_t i = 0; rv->n_retired && i < rv->n_chan; i++)
		if (rv->chan[i].retired)
			return rv->chan[i].fd;
	return -1;
}

void port_chan_close(struct port *p)
{
	if (p->chan_fd >= 0)
		port_close_fd(p, &p->chan_fd);
}

/* A control datagram up B for call @seq, carrying @fd if not -1. */
static int send_control(int b, uint32_t bits, uint16_t seq, int fd)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = bits, .seq = seq, .nfds = fd >= 0 };
	struct iovec iov = { &h, sizeof(h) };

	return fdpass_send(b, &iov, 1, &fd, fd >= 0, MSG_DONTWAIT);
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
	if (err < 0 && err != -EPIPE && err != -ECONNREFUSED && err != -ENOTCONN) {
		close(s);
		return err;
	}
	port_close_fd(p, &p->send_fd);
	p->send_fd = s;
	p->so_chan = 0;
	p->so_chan_ino = 0;
	return 0;
}
