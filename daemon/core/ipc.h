/* SPDX-License-Identifier: MIT */
/*
 * ipc.h - requests and replies as the daemon sees them on the wire.
 *
 * The daemon does not use the client library's name table: it holds raw
 * fds (each service's R and S) and speaks the wire format of
 * client-lib/msg/wire.h directly, so that it never blocks and never keeps a
 * right longer than the protocol says.
 */
#ifndef BOOTSTRAPD_IPC_H
#define BOOTSTRAPD_IPC_H

#include <stdbool.h>
#include <stddef.h>

#include "fdpass.h"
#include "wire.h"

/*
 * Requests are small: a name, a descriptor or two, except bsctl load's
 * plist, whose bytes travel inside the datagram up to WIRE_OOL_INLINE_MAX
 * (in a memfd beyond).
 */
#define IPC_REQUEST_MAX (4096 + WIRE_OOL_INLINE_MAX)
/* Replies carry at most this much text (bsctl list of many jobs). */
#define IPC_REPLY_MAX (64 * 1024)
#define IPC_REQUEST_MAX_FDS 4
/* Replies carry at most this many fds, and the returned reply right. */
#define IPC_REPLY_MAX_FDS (FDPASS_MAX_FDS - 1)

struct ipc_request {
	const struct wire_hdr *hdr;
	const struct wire_desc *desc;   /* hdr->ndesc of them */
	const char *body;               /* the user bytes after the descriptors */
	size_t body_len;
	int fds[FDPASS_MAX_FDS];        /* owned until taken (set to -1) */
	size_t nfds;
	int reply_fd;                   /* the send-once reply right, or -1; owned */
	int conn_fd;                    /* answer on this connection (WIRE_BITS_ONCONN), or -1; borrowed */
	struct fdpass_creds creds;      /* the kernel's word on who sent it */
	_Alignas(8) char buf[IPC_REQUEST_MAX];  /* wire_desc holds a uint64_t */
};

/**
 * ipc_recv() - read and validate one request from connection @fd.  A
 * request with WIRE_BITS_ONCONN gets rq->conn_fd = @fd: it is answered on
 * the connection (the caller decides whether its sender may ask that).
 * Whatever the outcome, *@rq owns no fd unless 1 is returned.
 * Return: 1 and *rq filled; 0 at end of file; -ENOMSG for an empty
 * datagram (any fds it carried closed), which the kernel's credentials
 * tell from end of file; -EAGAIN when nothing is queued; -EBADMSG
 * for a malformed request (every fd closed); -ENOBUFS when its rights
 * could not all be received (more than FDPASS_MAX_FDS, or the daemon out
 * of fds): the kernel destroyed those, so its reply right is dead;
 * other negative errnos from recvmsg.  rq->creds is set whenever the
 * kernel attached credentials.
 */
int ipc_recv(int fd, struct ipc_request *rq);

/**
 * ipc_reply_pending() - whether @rq may still be answered: it has a reply
 * right, or asks for its answer on its connection and has none yet.
 */
static inline bool ipc_reply_pending(const struct ipc_request *rq)
{
	return rq->reply_fd >= 0 || rq->conn_fd >= 0;
}

/**
 * ipc_reply_resend() - tell the caller of a request asking for its answer
 * on the connection that it will not be answered there: its library sends
 * it again, the ordinary way, with a reply right.  Nothing when @rq does
 * not ask so.  Return: 0 or a negative errno.
 */
int ipc_reply_resend(struct ipc_request *rq);

/** ipc_request_release() - close every fd the request still owns. */
void ipc_request_release(struct ipc_request *rq);

/** ipc_take_desc_fd() - take descriptor @i's first fd (or -1 if it has none). */
int ipc_take_desc_fd(struct ipc_request *rq, unsigned int i);

/**
 * ipc_reply_msg() - a reply laid out by the caller: @h (its bits and
 * ndesc; the id, magic and counts are set here), @d (h->ndesc of them),
 * @body (@body_len bytes), @fds (@nfds, borrowed), in descriptor order.
 * Return: 0 or a negative errno (-ENOTCONN: no reply right, -E2BIG).
 */
int ipc_reply_msg(struct ipc_request *rq, struct wire_hdr *h, const struct wire_desc *d,
		  const void *body, size_t body_len, const int *fds, size_t nfds);

/**
 * ipc_reply_error() - a mig_reply_error_t carrying @ret on the reply right.
 * Return: 0 or a negative errno (a caller that went away is not an error
 * worth more than a debug line).
 */
int ipc_reply_error(struct ipc_request *rq, kern_return_t ret);

/**
 * ipc_reply_port() - a successful reply carrying one port right.
 * @kind: WIRE_PORT_SEND or WIRE_PORT_RECEIVE; @fds (borrowed: the daemon
 * keeps its own copies), @nfds; @flags: WIRE_F_*.
 */
int ipc_reply_port(struct ipc_request *rq, enum wire_kind kind, const int *fds, size_t nfds,
		   unsigned int flags);

/**
 * ipc_reply_fds() - a successful reply carrying @nfds fds (borrowed: the
 * daemon keeps its copies), one port descriptor each (launch-proto.h).
 * Return: 0 or a negative errno (-E2BIG beyond IPC_REPLY_MAX_FDS).
 */
int ipc_reply_fds(struct ipc_request *rq, const int *fds, size_t nfds);

/**
 * ipc_reply_data() - a reply carrying @len bytes of data after NDR and the
 * return code; data beyond IPC_REPLY_MAX travels out of line (a complex
 * reply: one out-of-line descriptor, then NDR and the return code).
 */
int ipc_reply_data(struct ipc_request *rq, kern_return_t ret, const void *data, size_t len);

#endif
