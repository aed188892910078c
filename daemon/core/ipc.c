/* SPDX-License-Identifier: MIT */
#include "ipc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mach/mach.h>

#include "vm-region.h"

static void reset(struct ipc_request *rq)
{
	rq->nfds = 0;
	rq->reply_fd = -1;
	rq->conn_fd = -1;
}

int ipc_recv(int fd, struct ipc_request *rq)
{
	ssize_t n;

	reset(rq);
	n = fdpass_recv(fd, rq->buf, sizeof(rq->buf), rq->fds, &rq->nfds, &rq->creds, MSG_DONTWAIT);
	if (n == 0) {
		/* An empty datagram may still carry rights: they are not requests.
		 * It came with credentials; end of file comes with none. */
		ipc_request_release(rq);
		return rq->creds.present ? -ENOMSG : 0;
	}
	if (n == -EMSGSIZE)
		return -EBADMSG;
	if (n == -EPROTO)       /* the kernel dropped the rights that did not fit */
		return -ENOBUFS;
	if (n < 0)
		return (int)n;
	if (wire_validate(rq->buf, (size_t)n, rq->nfds) < 0 || rq->nfds > IPC_REQUEST_MAX_FDS) {
		ipc_request_release(rq);
		return -EBADMSG;
	}
	rq->hdr = (const void *)rq->buf;
	rq->desc = wire_descs(rq->buf);
	rq->body = wire_body(rq->buf);
	rq->body_len = rq->hdr->body_len;
	if (rq->hdr->reply_nfds) {
		rq->reply_fd = rq->fds[0];
		rq->fds[0] = -1;
	}
	if (rq->hdr->bits & WIRE_BITS_ONCONN)
		rq->conn_fd = fd;
	return 1;
}

void ipc_request_release(struct ipc_request *rq)
{
	fdpass_close_all(rq->fds, rq->nfds);
	rq->nfds = 0;
	if (rq->reply_fd >= 0)
		close(rq->reply_fd);
	rq->reply_fd = -1;
	rq->conn_fd = -1;
}

int ipc_take_desc_fd(struct ipc_request *rq, unsigned int i)
{
	size_t at = rq->hdr->reply_nfds;
	int fd;

	if (i >= rq->hdr->ndesc)
		return -1;
	for (unsigned int k = 0; k < i; k++)
		at += rq->desc[k].nfds;
	if (!rq->desc[i].nfds)
		return -1;
	fd = rq->fds[at];
	rq->fds[at] = -1;
	return fd;
}

/*
 * MIG's reply id is the request's plus 100.  Computed modulo 2^32, as on
 * two's complement machines, so that an id near INT32_MAX still gets a
 * defined answer: 0x7fffffff is answered with 0x80000063.
 */
static mach_msg_id_t reply_id(mach_msg_id_t id)
{
	uint32_t r = (uint32_t)id + 100u;

	return r <= INT32_MAX ? (mach_msg_id_t)r : -(mach_msg_id_t)(UINT32_MAX - r) - 1;
}

/*
 * The answer on the request's own connection: no reply right to return,
 * the call's number echoed.  Only the daemon writes into a connection, and
 * a caller that stopped reading (it timed out) must not block the daemon.
 */
static int reply_on_conn(struct ipc_request *rq, struct wire_hdr *h, struct iovec *iov,
			 const int *fds, size_t nfds)
{
	int fd = rq->conn_fd;

	rq->conn_fd = -1;       /* one answer */
	h->bits |= WIRE_BITS_ONCONN;
	h->seq = rq->hdr->seq;
	h->nfds = (uint32_t)nfds;
	h->body_len = h->data_len = (uint32_t)iov[2].iov_len;
	return fdpass_send(fd, iov, 3, fds, nfds, MSG_DONTWAIT);
}

int ipc_reply_resend(struct ipc_request *rq)
{
	struct wire_hdr h = { .bits = WIRE_BITS_RESEND };

	if (rq->conn_fd < 0)
		return 0;
	return ipc_reply_msg(rq, &h, NULL, NULL, 0, NULL, 0);
}

int ipc_reply_msg(struct ipc_request *rq, struct wire_hdr *h, const struct wire_desc *d,
		  const void *body, size_t body_len, const int *fds, size_t nfds)
{
	struct iovec iov[3] = {
		{ h, sizeof(*h) },
		{ (void *)d, h->ndesc * sizeof(*d) },
		{ (void *)body, body_len },
	};
	unsigned int reply = MACH_MSGH_BITS_REMOTE(rq->hdr->bits);
	int all[IPC_REPLY_MAX_FDS + 1];
	int err;

	if (!ipc_reply_pending(rq))
		return -ENOTCONN;
	if (nfds > IPC_REPLY_MAX_FDS)
		return -E2BIG;
	h->magic = WIRE_MAGIC;
	h->id = reply_id(rq->hdr->id);
	h->bits |= MACH_MSGH_BITS(0, reply);
	if (rq->conn_fd >= 0)
		return reply_on_conn(rq, h, iov, fds, nfds);
	if (nfds)
		memcpy(all, fds, nfds * sizeof(*fds));
	/* A send-once reply right goes back with the reply, so that the caller
	 * can use the pair again (client-lib/ipc/sopool.h). */
	if (reply == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		all[nfds++] = rq->reply_fd;
		h->bits |= WIRE_BITS_RETURNED;
	}
	h->nfds = (uint32_t)nfds;
	h->body_len = h->data_len = (uint32_t)body_len;
	/* A send-once right carries one message: never wait for a slow caller. */
	err = fdpass_send(rq->reply_fd, iov, 3, all, nfds, MSG_DONTWAIT);
	close(rq->reply_fd);
	rq->reply_fd = -1;
	return err;
}

int ipc_reply_error(struct ipc_request *rq, kern_return_t ret)
{
	struct wire_hdr h = { 0 };
	struct {
		NDR_record_t ndr;
		kern_return_t ret;
	} body = { NDR_record, ret };

	return ipc_reply_msg(rq, &h, NULL, &body, sizeof(body), NULL, 0);
}

int ipc_reply_port(struct ipc_request *rq, enum wire_kind kind, const int *fds, size_t nfds,
		   unsigned int flags)
{
	struct wire_hdr h = { .bits = MACH_MSGH_BITS_COMPLEX, .ndesc = 1 };
	struct wire_desc d = {
		.type = MACH_MSG_PORT_DESCRIPTOR,
		.disposition = kind == WIRE_PORT_RECEIVE ? MACH_MSG_TYPE_PORT_RECEIVE :
							   MACH_MSG_TYPE_PORT_SEND,
		.kind = (uint8_t)kind,
		.nfds = (uint8_t)nfds,
		.flags = flags,
	};
	struct {
		NDR_record_t ndr;
		kern_return_t ret;
	} body = { NDR_record, KERN_SUCCESS };

	return ipc_reply_msg(rq, &h, &d, &body, sizeof(body), fds, nfds);
}

int ipc_reply_fds(struct ipc_request *rq, const int *fds, size_t nfds)
{
	struct wire_hdr h = { .bits = MACH_MSGH_BITS_COMPLEX, .ndesc = (uint32_t)nfds };
	struct wire_desc d[IPC_REPLY_MAX_FDS];
	struct {
		NDR_record_t ndr;
		kern_return_t ret;
	} body = { NDR_record, KERN_SUCCESS };

	if (nfds > IPC_REPLY_MAX_FDS)
		return -E2BIG;
	for (size_t i = 0; i < nfds; i++)
		d[i] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR,
					   .disposition = MACH_MSG_TYPE_PORT_SEND,
					   .kind = WIRE_PORT_SEND, .nfds = 1 };
	return ipc_reply_msg(rq, &h, d, &body, sizeof(body), fds, nfds);
}

/* A reply too big for one datagram: its data out of line, in a sealed memfd. */
static int reply_data_ool(struct ipc_request *rq, kern_return_t ret, const void *data, size_t len)
{
	struct wire_hdr h = { .bits = MACH_MSGH_BITS_COMPLEX, .ndesc = 1 };
	struct wire_desc d = {
		.type = MACH_MSG_OOL_DESCRIPTOR,
		.kind = WIRE_OOL_MEMFD,
		.nfds = 1,
		.size = (uint32_t)len,
		.flags = WIRE_F_VIRTUAL,        /* the receiver's to deallocate */
	};
	struct {
		NDR_record_t ndr;
		kern_return_t ret;
	} body = { NDR_record, ret };
	int fd, err;

	if (len > WIRE_OOL_MAX)
		return -E2BIG;
	fd = vm_sealed_copy(data, len);
	if (fd < 0)
		return fd;
	err = ipc_reply_msg(rq, &h, &d, &body, sizeof(body), &fd, 1);
	close(fd);
	return err;
}

int ipc_reply_data(struct ipc_request *rq, kern_return_t ret, const void *data, size_t len)
{
	struct wire_hdr h = { 0 };
	char body[IPC_REPLY_MAX];
	struct {
		NDR_record_t ndr;
		kern_return_t ret;
	} head = { NDR_record, ret };
	size_t padded = (len + 3) & ~(size_t)3;

	if (sizeof(head) + padded > sizeof(body))
		return reply_data_ool(rq, ret, data, len);
	memcpy(body, &head, sizeof(head));
	memcpy(body + sizeof(head), data, len);
	memset(body + sizeof(head) + len, 0, padded - len);
	return ipc_reply_msg(rq, &h, NULL, body, sizeof(head) + padded, NULL, 0);
}
