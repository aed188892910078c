/* SPDX-License-Identifier: MIT */
/*
 * msg-send-ctx.h - one message being sent (internal to the send half):
 * the wire header and descriptors, the fds, and the changes of rights to
 * commit once the datagram is queued.  msg-send-rights.c resolves rights,
 * msg-send-descs.c the descriptors, msg-send.c the rest.
 */
#ifndef BOOTSTRAP_MSG_SEND_CTX_H
#define BOOTSTRAP_MSG_SEND_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <mach/message.h>

#include "port.h"
#include "wire.h"

/* What to do to a right once the datagram is queued. */
enum commit_op {
	COMMIT_NONE,
	COMMIT_MOVE_SEND,       /* drop one send reference */
	COMMIT_MOVE_SEND_ONCE,  /* the send-once right is used up */
	COMMIT_MOVE_RECEIVE,    /* the receive right left with the message */
	COMMIT_SEND_ONCE_PAIR,  /* MAKE_SEND_ONCE: the pair's R, a queue since, stays one */
	COMMIT_DEALLOC_OOL,     /* out-of-line region with deallocate set */
	COMMIT_MOVE_DEAD,       /* a dead name moved as MACH_PORT_DEAD: one reference */
	COMMIT_USE,             /* COPY_SEND, MAKE_SEND: the entry's fd is carried, nothing changes */
};

/*
 * One piece of the datagram's out-of-line area, in wire order: a small
 * out-of-line region of the caller's, which sendmsg() reads itself (one
 * it cannot read fails the send with EFAULT: send_ool_fault()), followed
 * by its padding to 4 bytes; or @len bytes of the ool buffer from @off
 * (a port array's records).
 */
struct ool_seg {
	const void *user;       /* the region, or NULL: the ool buffer */
	size_t off, len;
	size_t mark;            /* a region: the commits made before its descriptor */
};

struct commit {
	enum commit_op op;
	struct port *port;      /* referenced and pinned (port_pin()) */
	uint64_t pin;           /* the pin's epoch */
	struct so_pair pair;    /* COMMIT_SEND_ONCE_PAIR (port.h) */
	void *addr;             /* COMMIT_DEALLOC_OOL */
	size_t size;
};

/*
 * Everything before desc[] starts zeroed (SEND_CTX_ZEROED); the arrays
 * after it are written before they are read, each up to its count, so
 * that a send does not clear their 11 KiB.
 */
struct send_ctx {
	struct wire_hdr hdr;
	size_t nfds;
	size_t n_dead;          /* dead names moved: rights without an fd, counted with nfds */
	size_t n_owned;
	size_t n_commits;
	char *ool;                      /* port arrays' records (segs[] place them) */
	size_t ool_buf;                 /* bytes used in ool */
	size_t ool_len;                 /* the datagram's out-of-line area: bytes so far */
	size_t ool_budget;              /* inline bytes that still fit in one datagram */
	size_t n_segs;
	struct port *dest;      /* referenced and pinned */
	uint64_t dest_pin;      /* the pin's epoch */
	int dest_fd;
	bool unpinned;          /* send_unpin() done: the fds are no longer used */
	bool return_dest;       /* through a send-once right: give its send end back */
	uint16_t chan_answer;   /* up a channel: the call this answers (port.so_chan), else 0 */
	bool circular;          /* carries its destination's receive right: destroyed, not sent */
	struct wire_desc desc[WIRE_MAX_DESC];   /* each cleared when resolved */
	int fds[WIRE_MAX_FDS];
	int owned[WIRE_MAX_FDS];        /* fds made for this message: closed after send */
	struct ool_seg segs[WIRE_MAX_DESC];     /* at most one per descriptor */
	/* At most one per descriptor, one per right (an fd, or a dead name moved:
	 * nfds + n_dead <= WIRE_MAX_FDS), the header's two and one that failed. */
	struct commit commits[WIRE_MAX_DESC + WIRE_MAX_FDS + 3];
};

#define SEND_CTX_ZEROED offsetof(struct send_ctx, desc)

/** send_add_fd() - carry @fd (closed after the send if @owned).  Return: 0 or -E2BIG. */
int send_add_fd(struct send_ctx *c, int fd, bool owned);

/**
 * send_add_commit() - record @op on @p (referenced, and pinned: its fds
 * stay open while the message may use them) for after the send.  Space
 * lock held.
 */
void send_add_commit(struct send_ctx *c, enum commit_op op, struct port *p);

/**
 * send_unpin() - the message is sent or failed: the fds it resolved are no
 * longer used, and closes that waited for it happen (port_unpin()).  Once;
 * space lock held.
 */
void send_unpin(struct send_ctx *c);

/**
 * send_drop_commits() - forget what the message took since there were
 * @mark commits (a right that failed after all): made send-once rights go
 * back to their pool.  Space lock held.
 */
void send_drop_commits(struct send_ctx *c, size_t mark);

/** send_add_dealloc() - release [@addr, @addr + @size) after the send. */
void send_add_dealloc(struct send_ctx *c, void *addr, size_t size);

/** send_errno() - a resolver's negative errno as the send's result (0: success). */
mach_msg_return_t send_errno(int err);

/**
 * send_resolve_right() - one right (header reply, port descriptor or array
 * element) to fds in @d.  Space lock held.
 * Return: 0, -ENOENT (no such name / wrong right), -E2BIG, -EINVAL.
 */
int send_resolve_right(struct send_ctx *c, mach_port_name_t name, mach_msg_type_name_t disp,
		       struct wire_desc *d);

/**
 * send_check_descriptors() - measure the descriptors of complex @msg, as
 * xnu does before it takes any right: their count, types and layout.
 * Return: MACH_MSG_SUCCESS or a MACH_SEND_* code.
 */
mach_msg_return_t send_check_descriptors(const mach_msg_header_t *msg, mach_msg_size_t send_size);

/**
 * send_ool_fault() - whether a small out-of-line region @c's datagram
 * carries cannot be read (looked at in order, after the send failed with
 * EFAULT, or before it is destroyed unsent): *@mark is then the commits
 * made before its descriptor, the ones the failed copy-in took.
 */
bool send_ool_fault(const struct send_ctx *c, size_t *mark);

/**
 * send_resolve_descriptors() - the descriptors of complex @msg, which
 * send_check_descriptors() passed, to @c.  Space lock held.  Return:
 * MACH_MSG_SUCCESS and *@body_off, the first body byte, or a MACH_SEND_*
 * code.
 */
mach_msg_return_t send_resolve_descriptors(struct send_ctx *c, const mach_msg_header_t *msg,
					   mach_msg_size_t send_size, size_t *body_off);

#endif
