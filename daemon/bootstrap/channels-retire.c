/* SPDX-License-Identifier: MIT */
/*
 * channels-retire.c - a port's channels when its receiver goes: one look
 * in R for the calls still queued, RETIRED up every channel's B, the
 * notices owed, what a check-in hands the next instance, and what the
 * port's own end (reset, drain) does to them, told through service.c's
 * channel hooks.
 */
#include "channels-internal.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channels-notice.h"
#include "deadline.h"
#include "log-limit.h"
#include "r-peek.h"
#include "service.h"
#include "wire.h"

/*
 * Datagrams one walk of R looks at, at most: R's queue is bounded by what
 * S's send buffer holds (a few thousand datagrams), so a walk that finds
 * more has gone wrong, and says it could not look.
 */
#define RETIRE_WALK_MAX (1 << 20)

/* Whether @h, @len bytes long, is a channel call (not a control datagram). */
static bool is_channel_call(const struct wire_hdr *h, ssize_t len)
{
	uint32_t want = WIRE_BITS_CHAN | WIRE_BITS_ONCONN;

	return len >= (ssize_t)sizeof(*h) && h->magic == WIRE_MAGIC && h->seq &&
	       (h->bits & want) == want && !(h->bits & WIRE_CONTROL_BITS);
}

/*
 * One look through @r: in @last (one per channel of @cs, zeroed) the seq
 * of the last channel call queued in @r from each channel's owner.
 * Return: 0 once every queued datagram was looked at, or a negative errno.
 */
static int walk(int r, const struct chanset *cs, uint16_t *last)
{
	struct r_peeked who;
	struct wire_hdr h;
	int off = 0;
	ssize_t len;

	for (int k = 0; k < RETIRE_WALK_MAX; k++) {
		len = r_peek_at(r, off, &h, &who);
		if (len < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		/* An empty datagram reads 0 once, then the kernel steps over it
		 * (it is marked peeked); the daemon holds S: never end of file. */
		if (len > INT_MAX - off)
			return -EOVERFLOW;
		off += (int)len;
		/* A datagram without credentials could be anyone's. */
		if (!who.pid)
			return -EPROTO;
		if (!is_channel_call(&h, len))
			continue;
		for (size_t i = 0; i < cs->n; i++)
			if (cs->ch[i].pid == who.pid)
				last[i] = h.seq;
	}
	return -E2BIG;
}

/*
 * The last channel call queued in @r from each channel's owner (walk()),
 * with the credentials every datagram carries (the job, which shares R,
 * may have turned them off), then the peek offset put back.
 */
static int last_queued(int r, const struct chanset *cs, uint16_t *last)
{
	int none = -1, one = 1, err;

	if (setsockopt(r, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		return -errno;
	err = walk(r, cs, last);
	setsockopt(r, SOL_SOCKET, SO_PEEK_OFF, &none, sizeof(none));
	return err;
}

/*
 * RETIRED(@seq, @looked_ns) up @ch's B, never waiting.  A full queue
 * leaves it owed, as it is; any other failure only means the client left
 * (a sweep closes the channel).
 */
static void tell_retired(struct channel *ch, uint16_t seq, uint64_t looked_ns)
{
	struct channels_retired n = channels_retired_notice(seq, looked_ns);

	ch->owed = send(ch->fd, &n, sizeof(n), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		   (errno == EAGAIN || errno == EWOULDBLOCK);
	ch->owed_seq = seq;
	ch->owed_looked_ns = looked_ns;
}

void channels_job_gone(struct service *s)
{
	struct chanset *cs = chanset_of(s);
	uint16_t last[CHANNELS_PER_SERVICE] = { 0 };
	uint64_t looked_ns;
	int err;

	/* The dead go first, so that the walk and the notices are the live's. */
	if (!cs || (chanset_sweep(cs, 0) && !(cs = chanset_of(s))))
		return;
	/* Read before the walk: a call sent wholly before it and not found
	 * queued was taken by the receiver that went. */
	looked_ns = deadline_now_ns();        /* the clock the client reads around its sends */
	err = s->recv_fd >= 0 ? last_queued(s->recv_fd, cs, last) : 0;
	if (err < 0) {
		/* Saying nothing would leave a client waiting; saying wrong would
		 * declare a queued call dead: looked_ns 0 says "ask". */
		log_warnx_limited("%s: cannot look in its port (%s): its channels are told "
				  "to ask the next receiver", s->name, strerror(-err));
		memset(last, 0, sizeof(last));
		looked_ns = 0;
	}
	/* Every channel is told, whatever its OFFER's state: the client
	 * cannot know whether the receiver that went had read it.  A newer
	 * notice says all an owed one did. */
	for (size_t i = 0; i < cs->n; i++)
		tell_retired(&cs->ch[i], last[i], looked_ns);
}

size_t channels_check_in(struct service *s, int *fds, size_t max)
{
	struct chanset *cs = chanset_of(s);
	size_t k = 0;

	for (size_t i = 0; cs && i < cs->n; i++) {
		struct channel *ch = &cs->ch[i];

		if (ch->owed)
			tell_retired(ch, ch->owed_seq, ch->owed_looked_ns);
		if (k < max)
			fds[k++] = ch->fd;
	}
	return k;
}

/*
 * The port goes (ResetAtClose, the name freed): so do its channels.  Their
 * clients read end of file once the receiver's copies of B are closed too.
 */
static void drop_all(struct service *s)
{
	struct chanset *cs;

	while ((cs = chanset_of(s)))
		chanset_remove(cs, cs->n - 1);  /* @cs freed with its last */
}

/*
 * R's messages were destroyed (a job that will not start), channel calls
 * among them: every client is told, as at an exit, so that one whose call
 * went learns it died.
 */
static void drained(struct service *s)
{
	channels_job_gone(s);
}

void channels_retire_ops(void)
{
	static const struct service_channel_ops ops = {
		.drop = drop_all,
		.drained = drained,
	};

	service_on_channels(&ops);
}
