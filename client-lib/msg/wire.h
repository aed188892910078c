/* SPDX-License-Identifier: MIT */
/*
 * wire.h - the datagram that carries one Mach message over a port.
 *
 * Shared by libbootstrap and bootstrapd.  One message is one
 * SOCK_SEQPACKET datagram:
 *
 *   struct wire_hdr                       32 bytes
 *   struct wire_desc [hdr.ndesc]          24 bytes each
 *   body [hdr.body_len]                   the user bytes after the descriptors
 *   ool  [hdr.data_len - hdr.body_len]    small out-of-line regions, inline
 *
 * and its SCM_RIGHTS carry hdr.nfds descriptors: first the reply right
 * (hdr.reply_nfds, 0 or 1), then each descriptor's wire_desc.nfds in order.
 * An out-of-line port array's elements are wire_desc records of their
 * own, kept in the ool area (see WIRE_PORT_ARRAY).
 * The destination is the socket itself and is not encoded.  See
 * man/bootstrap-wire.7 for the full description.
 */
#ifndef BOOTSTRAP_WIRE_H
#define BOOTSTRAP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <mach/message.h>

#define WIRE_MAGIC          0x314d5342u /* "BSM1" little-endian */
#define WIRE_MAX_DESC       64
#define WIRE_MAX_FDS        64          /* == FDPASS_MAX_FDS */
#define WIRE_MAX_DATAGRAM   (128u * 1024u)
/* Out-of-line regions up to this size travel inside the datagram. */
#define WIRE_OOL_INLINE_MAX (16u * 1024u)
/* Largest out-of-line region accepted (it travels as a memfd). */
#define WIRE_OOL_MAX        (1u << 30)

struct wire_hdr {
	uint32_t magic;
	uint32_t bits;          /* msgh_bits, dispositions in received form */
	int32_t id;             /* msgh_id */
	uint32_t ndesc;         /* descriptors (0 unless COMPLEX) */
	uint32_t nfds;          /* descriptors carried in SCM_RIGHTS */
	uint16_t reply_nfds;    /* of which belong to the reply right */
	uint16_t seq;           /* WIRE_BITS_ONCONN: the call's number, echoed by the answer; else 0 */
	uint32_t body_len;      /* inline user bytes after the descriptors */
	uint32_t data_len;      /* body_len + inline out-of-line bytes */
};

/* What a descriptor carries (wire_desc.kind). */
enum wire_kind {
	WIRE_PORT_NULL = 0,     /* MACH_PORT_NULL, no fd */
	WIRE_PORT_DEAD,         /* MACH_PORT_DEAD, no fd */
	WIRE_PORT_SEND,         /* fd: the port's send end */
	WIRE_PORT_SEND_ONCE,    /* fd: a send-once socket's send end */
	WIRE_PORT_RECEIVE,      /* fds: R, [S if WIRE_F_MASTER], send-once Rs */
	WIRE_PORT_MEMORY,       /* fd: a memfd; offset, size, prot */
	WIRE_OOL_INLINE,        /* no fd; bytes at data offset */
	WIRE_OOL_MEMFD,         /* fd: a memfd holding the bytes */
	WIRE_PORT_ARRAY,        /* MACH_MSG_OOL_PORTS_DESCRIPTOR: size = count; offset: in the
				   ool area, count element records (struct wire_desc, type
				   MACH_MSG_PORT_DESCRIPTOR, kind NULL..MEMORY); nfds: all
				   of theirs, in element order */
};

/* Elements of one port array at most (the fds of a message bound it further). */
#define WIRE_MAX_ARRAY      4096

#define WIRE_F_MASTER       0x1 /* receive right: a send end follows R */
/*
 * A receive right's wire_desc.reserved: how many of its fds, the last
 * ones, are its channels' Bs (wire.h "Channels").
 */
#define WIRE_RECV_CHANNELS(r) ((r) & 0xffffu)
#define WIRE_RECV_RESERVED(nchan) ((uint32_t)(nchan))
/*
 * Receive right: a port-destroyed request travels with it, as in xnu: the
 * send-once end it is to be handed back through follows R (and S).
 */
#define WIRE_F_PDREQUEST    0x4
/*
 * Send right in the daemon's answer on a bootstrap connection: offset is the
 * port's identity (the inode of its send end), as the daemon that made the
 * port vouches, so the caller need not ask the kernel.  Refused on any other
 * message: anyone else could claim another port's identity.
 */
#define WIRE_F_INO          0x2
/*
 * Out-of-line memory (WIRE_OOL_*): sent with MACH_MSG_VIRTUAL_COPY, not
 * MACH_MSG_PHYSICAL_COPY.  The receiver is told which, as xnu tells it,
 * and whether the region is its to deallocate (only a virtual copy).
 */
#define WIRE_F_VIRTUAL      0x1
/*
 * MACH_MSG_GUARDED_PORT_DESCRIPTOR (kind RECEIVE, NULL or DEAD): the guard
 * flags in flags' high half, the context in offset.
 */
#define WIRE_GUARD_SHIFT    16

/*
 * In wire_hdr.bits: the message came through a send-once right, and its
 * send end travels back as the last fd, so that the receiver can reuse the
 * pair (sopool.h).  Not a Mach bit: never shown to the user.
 */
#define WIRE_BITS_RETURNED  0x40000000u
/* The reply port was MACH_PORT_DEAD: it arrives dead, with its type (no fd). */
#define WIRE_BITS_REPLY_DEAD 0x08000000u

/*
 * In wire_hdr.bits of a request on a bootstrap connection: answer on this
 * connection (no reply right travels; its reply bits say what the caller's
 * reply right would be), the answer echoing wire_hdr.seq and carrying this
 * bit too.  WIRE_BITS_RESEND, only in such an answer: the request was not
 * answered; send it again the ordinary way, with a reply right.  Neither
 * is a Mach bit: never shown to the user.  See bootstrap-wire(7).
 */
#define WIRE_BITS_ONCONN    0x20000000u
#define WIRE_BITS_RESEND    0x10000000u

/*
 * Channels (bootstrap-wire(7) "Channels"): a socketpair (A, B) a client
 * task makes for one MachServices port and hands bootstrapd, which offers
 * B to the port's receiver and keeps a copy beside R.  The client's calls
 * go through S into R, as every message does; only their answers come
 * back up B to A, where the caller waits.  B's owner is the process that
 * made the pair (SO_PEERCRED of B): a channel call is taken as its only if
 * the credentials the kernel attached to it name that process.  None of
 * these bits is a Mach bit: never shown to the user.
 *
 * WIRE_BITS_CHAN | ONCONN, in R: a channel call.  No reply right travels;
 * its answer goes up the B of the sender's channel, echoing seq (the call's
 * number on the channel: 1..65535, then 1 again; never 0).
 *
 * Control datagrams (no Mach message; wire_control()):
 * WIRE_BITS_OFFER, in R, from bootstrapd: B is the one fd; id is the
 *   channel's number for the daemon (nonzero).
 * WIRE_BITS_SO_DIED | ONCONN, up B: call seq's reply right was dropped
 *   unused (MACH_NOTIFY_SEND_ONCE).
 * WIRE_BITS_SO_MOVED | ONCONN, up B: call seq's reply right became a
 *   send-once right of its own; the one fd is its pair's R, where the
 *   answer comes.
 * WIRE_BITS_RETIRED, up B, from bootstrapd: the receiver went (the job
 *   exited).  seq is the last channel call of B's
 *   owner still queued in R when the daemon looked, 0 if none was; the
 *   body (struct wire_retired) says when it looked, 0 if it could not.
 *   The call a client waits for is its newest: it is queued if it is seq;
 *   else, sent wholly before the look, it was taken by the receiver that
 *   went and died with it.
 * WIRE_BITS_RETIRED | CHAN, in R, from a client: a probe for call seq, whose
 *   fate a RETIRED could not tell (its send and the daemon's look
 *   overlapped).  The receiver that reads it answers SO_DIED(seq) up B
 *   unless call seq was the last of the channel it read.
 * WIRE_BITS_OFFER | ONCONN, up B, from the receiver: it could not take
 *   this channel (no room, or B's owner is no process it can see): calls
 *   on it are destroyed unread; its client goes the ordinary way.
 * WIRE_BITS_WAKE, in R, from the receiver's own task: wakes a thread
 *   waiting in R itself (msg-recv.c); nothing else.
 */
#define WIRE_BITS_OFFER     0x04000000u
#define WIRE_BITS_SO_DIED   0x02000000u
#define WIRE_BITS_SO_MOVED  0x01000000u
#define WIRE_BITS_RETIRED   0x00800000u
#define WIRE_BITS_CHAN      0x00400000u
#define WIRE_BITS_WAKE      0x00200000u
#define WIRE_CONTROL_BITS   (WIRE_BITS_OFFER | WIRE_BITS_SO_DIED | WIRE_BITS_SO_MOVED | \
			     WIRE_BITS_RETIRED | WIRE_BITS_WAKE)

/* A RETIRED's body. */
struct wire_retired {
	uint64_t looked_ns;     /* CLOCK_MONOTONIC when the daemon began to look in R */
};

/* What a control datagram is (wire_control()). */
enum wire_control {
	WIRE_CTL_NONE = 0,      /* a message (or invalid: wire_validate() says) */
	WIRE_CTL_OFFER,
	WIRE_CTL_SO_DIED,
	WIRE_CTL_SO_MOVED,
	WIRE_CTL_RETIRED,
	WIRE_CTL_PROBE,
	WIRE_CTL_WAKE,
	WIRE_CTL_REFUSED,
	WIRE_CTL_INVALID,       /* a control bit, but not one of the shapes above */
};

struct wire_desc {
	uint8_t type;           /* MACH_MSG_*_DESCRIPTOR */
	uint8_t disposition;    /* received form: PORT_RECEIVE/SEND/SEND_ONCE */
	uint8_t kind;           /* enum wire_kind */
	uint8_t nfds;
	uint32_t size;          /* OOL or memory entry size (bytes) */
	uint64_t offset;        /* OOL inline: offset in the ool area; memory: object offset */
	uint32_t flags;         /* WIRE_F_*; memory entry: vm_prot_t in the low byte */
	uint32_t reserved;      /* receive right: its channels; memory entry: size's high 32 bits */
};

/* A memory entry's size: @d->size, and its high half in @d->reserved. */
static inline uint64_t wire_memory_size(const struct wire_desc *d)
{
	return (uint64_t)d->reserved << 32 | d->size;
}

_Static_assert(sizeof(struct wire_hdr) == 32, "wire_hdr layout");
_Static_assert(sizeof(struct wire_desc) == 24, "wire_desc layout");

/**
 * wire_control() - which control datagram @buf (@len bytes, @nfds fds) is,
 * its shape checked: header only, the fds its kind carries, the bits of
 * its kind and no others.
 */
enum wire_control wire_control(const void *buf, size_t len, size_t nfds);

/**
 * wire_validate() - check a received datagram's framing before anything
 * trusts it.
 * @buf: the datagram, @len bytes; @nfds: how many fds arrived with it.
 * Return: 0 if the header and every descriptor are consistent (sizes, at
 * most WIRE_MAX_DATAGRAM bytes in all, fd counts, kinds, dispositions in
 * received form matching the kinds, offsets within the datagram), else
 * -EBADMSG.
 */
int wire_validate(const void *buf, size_t len, size_t nfds);

/** wire_descs() - the descriptor table of a validated datagram. */
static inline const struct wire_desc *wire_descs(const void *buf)
{
	return (const struct wire_desc *)((const char *)buf + sizeof(struct wire_hdr));
}

/** wire_body() - the inline body of a validated datagram. */
static inline const char *wire_body(const void *buf)
{
	const struct wire_hdr *h = buf;

	return (const char *)(wire_descs(buf) + h->ndesc);
}

/**
 * wire_array_elem() - element @i of port array @d in validated datagram
 * @buf, copied out (the records are only 4-byte aligned).
 */
struct wire_desc wire_array_elem(const void *buf, const struct wire_desc *d, uint32_t i);

/** wire_user_desc_size() - size of a descriptor in the user's message. */
size_t wire_user_desc_size(unsigned int type);

/**
 * wire_user_size() - msgh_size of a validated datagram once translated
 * into the receiver's layout (header, body count, descriptors, body).
 */
size_t wire_user_size(const void *buf);

#endif
