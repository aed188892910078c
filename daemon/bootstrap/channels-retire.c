/* SPDX-License-Identifier: MIT */
/*
 * channels-retire.c - a port's channels when its receiver goes: which
 * OFFERs still wait in R, retiring the other Bs (RETIRED(seq) up B), what
 * a check-in hands the next instance, and what the port's own end (reset,
 * drain, free) does to them, told through service.c's channel hooks.
 */
#include "channels-internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"
#include "log.h"
#include "service.h"
#include "wire.h"

/* Datagrams of garbage skipped before a B's first channel datagram, at most. */
#define RETIRE_SKIP_MAX 64

/*
 * Mark in @queued (one flag per channel of @cs) each channel whose OFFER
 * waits in @r: walk the queued datagrams' headers with peeks at
 * SO_PEEK_OFF (no control buffer: no fd is taken), then put the offset back.
 */
static void offers_queued(int r, const struct chanset *cs, bool *queued)
{
	int off = 0, none = -1;
	struct wire_hdr h;
	ssize_t len;

	for (;;) {
		if (setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)) < 0) {
			/* Cannot look: leave every B as if its OFFER waited (nothing lost). */
			memset(queued, 1, cs->n * sizeof(*queued));
			return;
		}
		memset(&h, 0, sizeof(h));
		len = chanset_peek(r, &h, sizeof(h));
		if (len <= 0 || len > INT_MAX - off)
			break;
		off += (int)len;
		if (len != (ssize_t)sizeof(h) || h.magic != WIRE_MAGIC || h.bits != WIRE_BITS_OFFER)
			continue;
		for (size_t i = 0; i < cs->n; i++)
			if (cs->ch[i].id == h.id)
				queued[i] = true;
	}
	setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof(none));
}

/*
 * The seq of the first channel datagram in @fd, garbage before it
 * destroyed; 0 if none is queued (B is empty).
 */
static uint16_t first_seq(int fd)
{
	struct fdpass_creds cr;
	struct wire_hdr h;

	for (int k = 0; k < RETIRE_SKIP_MAX; k++) {
		ssize_t len;

		memset(&h, 0, sizeof(h));
		len = chanset_peek(fd, &h, sizeof(h));
		if (len < 0)
			return 0;       /* nothing queued */
		if (len >= (ssize_t)sizeof(h) && h.magic == WIRE_MAGIC && h.seq)
			return h.seq;
		/* Not a channel datagram (or end of file, which reads the same). */
		memset(&cr, 0, sizeof(cr));
		if (fdpass_discard(fd, &cr) == 0 && !cr.present)
			return 0;
	}
	return 0;
}

/*
 * RETIRED(@seq) up @ch's B: a failure other than a full queue only means
 * the client left; a full queue leaves the notice owed, sent at the next
 * exit or check-in.
 */
static void tell_retired(struct channel *ch, uint16_t seq)
{
	struct wire_hdr h = { .magic = WIRE_MAGIC, .bits = WIRE_BITS_RETIRED, .seq = seq };

	ch->owed = send(ch->fd, &h, sizeof(h), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		   (errno == EAGAIN || errno == EWOULDBLOCK);
	ch->told = seq;
}

/*
 * Retire @ch.  An already retired B is told again when its first queued
 * seq moved (an instance took calls from it and went: they died with it)
 * or a notice is owed.  Return: whether it is still to be kept (a message
 * waits in it).
 */
static bool retire(struct channel *ch)
{
	uint16_t seq;

	if (!ch->retired)
		shutdown(ch->fd, SHUT_RD);
	seq = first_seq(ch->fd);
	if (!seq)
		return false;
	if (!ch->retired || ch->owed || seq != ch->told) {
		ch->retired = true;
		tell_retired(ch, seq);
	}
	return true;
}

/* A notice owed to @ch's client, sent if it now fits. */
static void retry_owed(struct channel *ch)
{
	uint16_t seq;

	if (!ch->owed)
		return;
	seq = first_seq(ch->fd);
	if (seq)
		tell_retired(ch, seq);
	else
		ch->owed = false;       /* emptied: the client reads end of file when it goes */
}

void channels_job_gone(struct service *s)
{
	struct chanset *cs = chanset_of(s);
	bool queued[CHANNELS_PER_SERVICE] = { false };
	size_t n;

	if (!cs)
		return;
	if (s->recv_fd >= 0)
		offers_queued(s->recv_fd, cs, queued);
	n = cs->n;
	for (size_t i = n; i-- > 0;) {
		if (queued[i] || retire(&cs->ch[i]))
			continue;
		/* chanset_remove() moves the last channel into slot i: its flag too. */
		queued[i] = queued[cs->n - 1];
		if (cs->n == 1) {
			chanset_remove(cs, i);  /* @cs freed */
			return;
		}
		chanset_remove(cs, i);
	}
}

/* The retired Bs of @cs that hold a message, at most @max of them in @fds (borrowed). */
static size_t waiting(const struct chanset *cs, int *fds, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; cs && i < cs->n && k < max; i++)
		if (cs->ch[i].retired && chanset_has_data(cs->ch[i].fd))
			fds[k++] = cs->ch[i].fd;
	return k;
}

/* Hand @cs's waiting retired Bs whose handed flag is @handed, not @chosen yet, into @fds. */
static size_t hand(struct chanset *cs, bool handed, bool *chosen, int *fds, size_t k, size_t max)
{
	for (size_t i = 0; i < cs->n && k < max; i++) {
		struct channel *ch = &cs->ch[i];

		if (!chosen[i] && ch->retired && ch->handed == handed && chanset_has_data(ch->fd)) {
			chosen[i] = true;
			fds[k++] = ch->fd;
		}
	}
	return k;
}

size_t channels_check_in(struct service *s, int *fds, size_t max)
{
	struct chanset *cs = chanset_of(s);
	bool chosen[CHANNELS_PER_SERVICE] = { false };
	size_t k;

	if (!cs)
		return 0;
	if (max > CHANNELS_PER_CHECK_IN)
		max = CHANNELS_PER_CHECK_IN;
	for (size_t i = 0; i < cs->n; i++)
		retry_owed(&cs->ch[i]);
	/* Those never handed first; once every one was, a new round. */
	k = hand(cs, false, chosen, fds, 0, max);
	if (!k) {
		for (size_t i = 0; i < cs->n; i++)
			cs->ch[i].handed = false;
		k = hand(cs, false, chosen, fds, 0, max);
	}
	k = hand(cs, true, chosen, fds, k, max);
	for (size_t i = 0; i < cs->n; i++)
		cs->ch[i].handed |= chosen[i];
	return k;
}

static bool any_waiting(const struct service *s)
{
	int fd;

	return waiting(chanset_of(s), &fd, 1) > 0;
}

/*
 * The port goes (ResetAtClose, the name freed): so do its channels, shut
 * for reading first, since a receiver may still hold copies of B: their
 * clients' sends fail (and go through S) now, answers still come up B,
 * and end of file once the last copy of B is closed.
 */
static void drop_all(struct service *s)
{
	struct chanset *cs = chanset_of(s);

	for (size_t i = 0; cs && i < cs->n; i++)
		shutdown(cs->ch[i].fd, SHUT_RD);
	while (cs && cs->n > 1)
		chanset_remove(cs, cs->n - 1);
	if (cs)
		chanset_remove(cs, 0);
}

/*
 * The port's messages are destroyed (a job that will not start): R was
 * drained, so no OFFER waits; every B is retired and emptied likewise.
 */
static unsigned int drain_all(struct service *s)
{
	struct chanset *cs;
	unsigned int n = 0;

	channels_job_gone(s);
	cs = chanset_of(s);
	for (size_t i = 0; cs && i < cs->n; i++)
		n += fdpass_drain(cs->ch[i].fd, 1024);
	channels_job_gone(s);   /* now empty: closed */
	return n;
}

void channels_retire_ops(void)
{
	static const struct service_channel_ops ops = {
		.drop = drop_all,
		.drain = drain_all,
		.waiting = any_waiting,
	};

	service_on_channels(&ops);
}
