/* SPDX-License-Identifier: MIT */
/* chan-wire.c - channels spoken by hand (chan-wire.h). */
#include "chan-wire.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "bootstrap-mig.h"
#include "fdpass.h"
#include "peer.h"
#include "raw-client.h"
#include "wire.h"

kern_return_t chan_ask(mach_port_t port, int *a)
{
	mach_port_t chan = MACH_PORT_NULL;
	kern_return_t kr = bs_mig_channel(bootstrap_port, port, &chan);

	*a = -1;
	if (kr != KERN_SUCCESS)
		return kr;
	*a = peer_send_fd(chan);
	ck_assert_int_ge(*a, 0);
	ck_assert_int_eq(mach_port_deallocate(mach_task_self(), chan), KERN_SUCCESS);
	return kr;
}

int32_t chan_read_offer(int r, int *b)
{
	struct wire_hdr h;
	int fds[FDPASS_MAX_FDS];
	size_t nfds = 0;
	ssize_t len = fdpass_recv(r, &h, sizeof(h), fds, &nfds, NULL, MSG_DONTWAIT);

	ck_assert_int_eq(len, (ssize_t)sizeof(h));
	ck_assert_int_eq(wire_control(&h, (size_t)len, nfds), WIRE_CTL_OFFER);
	ck_assert_uint_eq(h.nfds, 1);
	*b = fds[0];
	return h.id;
}

int chan_send(int a, uint16_t seq)
{
	struct {
		struct wire_hdr h;
		char body[8];
	} m = {
		.h = { .magic = WIRE_MAGIC, .id = 4242, .seq = seq, .body_len = 8, .data_len = 8,
		       .bits = WIRE_BITS_CHAN | WIRE_BITS_ONCONN |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) },
		.body = "channel",
	};

	return send(a, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof(m) ? 0 : -errno;
}

int chan_read(int a, uint16_t *seq)
{
	struct pollfd p = { .fd = a, .events = POLLIN };
	struct wire_hdr h;
	ssize_t len;

	if (poll(&p, 1, CHAN_WAIT_MS) != 1)
		return -EAGAIN;
	len = recv(a, &h, sizeof(h), MSG_DONTWAIT);
	if (len == 0)
		return 0;
	if (len != (ssize_t)sizeof(h) || wire_control(&h, (size_t)len, 0) != WIRE_CTL_RETIRED)
		return -EBADMSG;
	*seq = h.seq;
	return 1;
}

int chan_pending(int a)
{
	struct pollfd p = { .fd = a, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

#pragma pack(push, 4)
struct check_in_body {
	NDR_record_t ndr;
	name_t name;
	uint64_t flags;
};
#pragma pack(pop)

/* The check-in request on @c, to be answered on @c (WIRE_BITS_ONCONN). */
static void send_check_in(int c, const char *name)
{
	struct {
		struct wire_hdr h;
		struct check_in_body b;
	} m = {
		.h = { .magic = WIRE_MAGIC, .id = 402, .seq = 1,
		       .body_len = sizeof(struct check_in_body),
		       .data_len = sizeof(struct check_in_body),
		       .bits = WIRE_BITS_ONCONN |
			       MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) },
		.b = { .ndr = NDR_record },
	};

	strncpy(m.b.name, name, sizeof(m.b.name) - 1);
	ck_assert_int_eq(raw_send(c, &m, sizeof(m), NULL, 0), (ssize_t)sizeof(m));
}

kern_return_t chan_raw_check_in(const char *socket, const char *name, struct chan_check_in *ci)
{
	_Alignas(8) char buf[1024];
	const struct wire_hdr *h = (const void *)buf;
	const struct wire_desc *d = wire_descs(buf);
	int c = raw_connect(socket);
	ssize_t len;

	memset(ci, 0, sizeof(*ci));
	ck_assert_int_ge(c, 0);
	send_check_in(c, name);
	len = fdpass_recv(c, buf, sizeof(buf), ci->fds, &ci->nfds, NULL, 0);
	close(c);
	ck_assert_int_ge(len, (ssize_t)sizeof(*h));
	ck_assert_int_eq(wire_validate(buf, (size_t)len, ci->nfds), 0);
	if (!(h->bits & MACH_MSGH_BITS_COMPLEX)) {
		const mig_reply_error_t *e = (const void *)(wire_body(buf) - sizeof(mach_msg_header_t));

		ck_assert_uint_ge(h->body_len, sizeof(NDR_record_t) + sizeof(kern_return_t));
		return e->RetCode;
	}
	ck_assert_uint_eq(h->ndesc, 1);
	ck_assert_int_eq(d->kind, WIRE_PORT_RECEIVE);
	ci->reserved = d->reserved;
	return KERN_SUCCESS;
}

void chan_check_in_close(struct chan_check_in *ci)
{
	for (size_t i = 0; i < ci->nfds; i++)
		close(ci->fds[i]);
	ci->nfds = 0;
}
