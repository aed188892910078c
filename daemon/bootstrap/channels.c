/* SPDX-License-Identifier: MIT */
/*
 * channels.c - keeping channels: the side table (S's inode -> the port's
 * channels), the caps and their sweep, the OFFER of a B a client handed
 * in, and what a restart keeps.  What the port's receiver going does to
 * them, and the check-in, are in channels-retire.c.
 *
 * The daemon serves one domain per process, so the tables are the
 * process's own, as the service module's pidfd hook is.
 */
#include "channels-internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"
#include "service.h"
#include "strmap.h"
#include "wire.h"

/* How many channels one caller holds (CHANNELS_PER_CALLER). */
struct caller_count {
	char key[12];           /* the pid in decimal */
	unsigned int n;
};

static struct strmap sets;      /* S's inode -> struct chanset */
static struct strmap callers;   /* pid -> struct caller_count */
static int32_t last_id;         /* the last number given without randomness; never 0 */

/* Keys are 32-bit numbers (an inode as send_ino keeps it, a pid): 10 digits at most. */
static void key_of(char *buf, size_t len, uint32_t v)
{
	snprintf(buf, len, "%u", (unsigned int)v);
}

struct chanset *chanset_of(const struct service *s)
{
	char key[12];
	struct chanset *cs;

	if (!s->send_ino || !sets.count)
		return NULL;
	key_of(key, sizeof(key), s->send_ino);
	cs = strmap_get(&sets, key);
	return cs && cs->s == s ? cs : NULL;
}

static unsigned int caller_held(pid_t pid)
{
	char key[12];
	struct caller_count *c;

	key_of(key, sizeof(key), (uint32_t)pid);
	c = callers.count ? strmap_get(&callers, key) : NULL;
	return c ? c->n : 0;
}

/* Count one more channel for @pid (0: nobody's). */
static int caller_add(pid_t pid)
{
	char key[12];
	struct caller_count *c;

	if (!pid)
		return 0;
	key_of(key, sizeof(key), (uint32_t)pid);
	c = callers.count ? strmap_get(&callers, key) : NULL;
	if (c) {
		c->n++;
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	memcpy(c->key, key, sizeof(key));
	c->n = 1;
	if (strmap_put(&callers, c->key, c) < 0) {
		free(c);
		return -ENOMEM;
	}
	return 0;
}

static void caller_drop(pid_t pid)
{
	char key[12];
	struct caller_count *c;

	key_of(key, sizeof(key), (uint32_t)pid);
	c = pid && callers.count ? strmap_get(&callers, key) : NULL;
	if (!c || --c->n)
		return;
	free(strmap_del(&callers, key));
	if (!callers.count)
		strmap_deinit(&callers);        /* nothing left behind at exit */
}

/* An empty set goes (its last channel closed, or one made for a channel that then failed). */
static void chanset_put(struct chanset *cs)
{
	if (cs->n)
		return;
	strmap_del(&sets, cs->key);
	free(cs);
	if (!sets.count)
		strmap_deinit(&sets);
}

void chanset_remove(struct chanset *cs, size_t i)
{
	caller_drop(cs->ch[i].pid);
	close(cs->ch[i].fd);
	cs->ch[i] = cs->ch[--cs->n];
	chanset_put(cs);
}

/* @s's channels, a new empty set if it has none.  NULL: no memory. */
static struct chanset *chanset_get(struct service *s)
{
	struct chanset *cs = chanset_of(s);

	if (cs)
		return cs;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return NULL;
	cs->s = s;
	key_of(cs->key, sizeof(cs->key), s->send_ino);
	if (strmap_put(&sets, cs->key, cs) < 0) {
		free(cs);
		return NULL;
	}
	channels_retire_ops();
	return cs;
}

bool channels_client_gone(int b)
{
	struct pollfd p = { .fd = b, .events = 0 };

	/* B holds nothing the daemon reads (junk a client wrote into A stays
	 * unread): only its peer's going counts.  A hang-up, not POLLRDHUP: a
	 * client that shut A for writing still reads its answers there, and
	 * a B a daemon of channels v1 shut for reading shows POLLRDHUP itself. */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLNVAL));
}

size_t chanset_sweep(struct chanset *cs, pid_t pid)
{
	size_t n = 0;

	for (size_t i = cs->n; i-- > 0;) {
		bool last = cs->n == 1;

		if ((!pid || cs->ch[i].pid == pid) && channels_client_gone(cs->ch[i].fd)) {
			chanset_remove(cs, i);
			n++;
			if (last)
				break;          /* @cs freed */
		}
	}
	return n;
}

/* At the caller's cap: its dead channels of every port go.  Return: how many. */
static size_t sweep_caller(pid_t pid)
{
	size_t i = 0, n = 0;
	struct chanset *cs;

	while (sets.count && (cs = strmap_next(&sets, &i)))
		n += chanset_sweep(cs, pid);
	return n;
}

/* The slot of @pid's channel in @cs, or -1 (none, or @pid unknown). */
static ssize_t owner_slot(const struct chanset *cs, pid_t pid)
{
	for (size_t i = 0; cs && pid && i < cs->n; i++)
		if (cs->ch[i].pid == pid)
			return (ssize_t)i;
	return -1;
}

/*
 * Room for one more channel of @pid to @s: @s's dead channels swept, and
 * @pid's of every port at its cap; *@swept counts the channels closed.
 * A live channel of @pid's to @s refuses another (-EEXIST): a client asks
 * again only once its A is closed, and each ask writes an OFFER into R,
 * starts the job and saves the state, so a flood of them is refused.
 * Return: 0 or -errno.
 */
static int room(struct service *s, pid_t pid, size_t *swept)
{
	struct chanset *cs;

	if (caller_held(pid) >= CHANNELS_PER_CALLER)
		*swept += sweep_caller(pid);
	/* Looked up after the sweep, which frees a set it empties.  The
	 * port's own dead channels go at every ask, not only at its cap:
	 * they would hold fds (and the saved state) until then. */
	cs = chanset_of(s);
	if (cs)
		*swept += chanset_sweep(cs, 0);
	cs = chanset_of(s);
	if (owner_slot(cs, pid) >= 0)
		return -EEXIST;
	if (caller_held(pid) >= CHANNELS_PER_CALLER)
		return -EUSERS;
	return cs && cs->n >= CHANNELS_PER_SERVICE ? -EDQUOT : 0;
}

/* The OFFER of B (@b, numbered @id) into @s's R, never waiting: a full R refuses. */
static int offer(const struct service *s, int b, int32_t id)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_OFFER, .id = id, .nfds = 1 };
	struct iovec iov = { .iov_base = &h, .iov_len = sizeof(h) };

	return fdpass_send(s->send_fd, &iov, 1, &b, 1, MSG_DONTWAIT);
}

/* Whether @id numbers one of @s's channels. */
static bool id_used(const struct service *s, int32_t id)
{
	const struct chanset *cs = chanset_of(s);

	for (size_t i = 0; cs && i < cs->n; i++)
		if (cs->ch[i].id == id)
			return true;
	return false;
}

/*
 * A number for a new channel of @s: random (a datagram forged in R cannot
 * guess a channel's number and pass for its OFFER), nonzero, positive,
 * none of @s's channels'.  Without randomness, the next of a running count.
 */
static int32_t next_id(const struct service *s)
{
	for (int tries = 0; tries < 16; tries++) {
		uint32_t v;

		if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
			break;
		v &= INT32_MAX;
		if (v && !id_used(s, (int32_t)v))
			return (int32_t)v;
	}
	do {
		last_id = last_id == INT32_MAX ? 1 : last_id + 1;
	} while (id_used(s, last_id));
	return last_id;
}

/*
 * Keep @ch for @s, in place of its owner's channel to @s if there is one
 * (that one's B closed: a port has one channel per owner, as its receiver
 * keeps them).  Return: 0 or -errno (@ch not kept, its fd still the caller's).
 */
static int keep(struct service *s, const struct channel *ch)
{
	struct chanset *cs = chanset_get(s);
	ssize_t old = owner_slot(cs, ch->pid);

	if (!cs)
		return -ENOMEM;
	if (old >= 0) {
		close(cs->ch[old].fd);
		cs->ch[old] = *ch;
		return 0;
	}
	if (cs->n >= CHANNELS_PER_SERVICE)
		return -EDQUOT;         /* not empty: nothing to put back */
	if (caller_add(ch->pid) < 0) {
		chanset_put(cs);
		return -ENOMEM;
	}
	cs->ch[cs->n++] = *ch;
	return 0;
}

int channels_open(struct service *s, pid_t caller, int b, channels_fd_refused_fn *refused,
		  size_t *swept)
{
	struct channel ch = { .fd = b, .pid = caller };
	int err = 0;

	*swept = 0;
	if (!s->send_ino || s->send_fd < 0 || s->recv_fd < 0)
		err = -ENOTSUP;
	if (err == 0)
		err = room(s, caller, swept);
	if (err == 0 && refused && refused(b))
		err = -EMFILE;
	if (err == 0) {
		ch.id = next_id(s);
		err = offer(s, b, ch.id);
	}
	if (err == 0)
		err = keep(s, &ch);
	if (err < 0)
		close(b);
	return err;
}

size_t channels_count(const struct service *s)
{
	const struct chanset *cs = chanset_of(s);

	return cs ? cs->n : 0;
}

struct channel_record channels_record(const struct service *s, size_t i)
{
	const struct channel *ch = &chanset_of(s)->ch[i];

	return (struct channel_record){ .fd = ch->fd, .id = ch->id };
}

/* B's owner: the process that made the pair (socketpair() gives both ends its credentials). */
static pid_t owner_of(int b)
{
	struct ucred cr = { 0 };
	socklen_t len = sizeof(cr);

	if (getsockopt(b, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return 0;
	/* A pair the daemon made (kept from a daemon of the first channels,
	 * or after a re-exec, the same pid): its owner is not known. */
	return cr.pid == getpid() ? 0 : cr.pid;
}

int channels_adopt(struct service *s, const struct channel_record *rec)
{
	/* Owned as before the restart: the channel counts against its
	 * caller's cap, and its calls in R are found again. */
	struct channel ch = { .fd = rec->fd, .id = rec->id, .pid = owner_of(rec->fd) };
	int err = s->send_ino && rec->id > 0 ? keep(s, &ch) : -EINVAL;

	if (err < 0) {
		close(rec->fd);
		return err;
	}
	/* New numbers stay clear of the kept ones (their OFFERs may wait in R):
	 * next_id() checks the port's channels. */
	return 0;
}
