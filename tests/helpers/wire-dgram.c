/* SPDX-License-Identifier: MIT */
#include "wire-dgram.h"

#include <check.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdcheck.h"
#include "peer.h"
#include "raw-client.h"

struct wire_target wt;

void wire_target_setup(void)
{
	peer_fd_mark(true);
	wt.port = peer_port();
	wt.raw = peer_send_fd(wt.port);
	ck_assert_int_ge(wt.raw, 0);
	/* The first receive makes the port's epoll; let it exist before fds are counted. */
	ck_assert_int_eq(mach_msg(&(mach_msg_empty_rcv_t){ 0 }.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  0, sizeof(mach_msg_empty_rcv_t), wt.port, 0, MACH_PORT_NULL),
			 MACH_RCV_TIMED_OUT);
}

void wire_target_teardown(void)
{
	if (wt.raw >= 0)
		close(wt.raw);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), wt.port), KERN_SUCCESS);
	peer_fd_check();
}

void send_raw(const void *buf, size_t len, const int *fds, size_t nfds)
{
	ck_assert_int_eq(raw_send_flags(wt.raw, buf, len, fds, nfds, MSG_DONTWAIT | MSG_NOSIGNAL),
			 (ssize_t)len);
}

size_t dgram_bytes(const struct dgram *g, char *buf)
{
	size_t n = sizeof(g->h) + g->h.ndesc * sizeof(struct wire_desc);

	ck_assert_uint_le(g->h.ndesc, 8);
	ck_assert_uint_le(g->h.data_len, sizeof(g->data));
	memcpy(buf, &g->h, sizeof(g->h));
	memcpy(buf + sizeof(g->h), g->d, g->h.ndesc * sizeof(struct wire_desc));
	memcpy(buf + n, g->data, g->h.data_len);
	return n + g->h.data_len;
}

void send_dgram(const struct dgram *g)
{
	char buf[sizeof(*g)];

	send_raw(buf, dgram_bytes(g, buf), g->fds, g->nfds);
}

void dgram_init(struct dgram *g, int id, uint32_t ndesc)
{
	memset(g, 0, sizeof(*g));
	g->h.magic = WIRE_MAGIC;
	g->h.bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) | (ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	g->h.id = id;
	g->h.ndesc = ndesc;
	g->h.body_len = g->h.data_len = 8;
}

mach_msg_return_t wire_receive(union wire_rcv *r)
{
	memset(r, 0, sizeof(*r));
	return mach_msg(&r->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*r), wt.port, 0,
			MACH_PORT_NULL);
}

void assert_refused(const char *what)
{
	union wire_rcv r;
	int fds = fdcheck_count();
	mach_msg_return_t mr = wire_receive(&r);

	/* Dropped unseen, as the kernel never delivers such a message. */
	ck_assert_msg(mr == MACH_RCV_TIMED_OUT, "%s: 0x%x", what, mr);
	ck_assert_msg(fdcheck_count() == fds, "%s: fds %d -> %d", what, fds, fdcheck_count());
	ck_assert_int_eq(peer_send_id(wt.port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 4711);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
}

void send_with_pipes(struct dgram *g, size_t npipes)
{
	int fds[MAX_RAW_FDS + 1];
	size_t made = 0;

	ck_assert_uint_le(npipes, MAX_RAW_FDS);
	while (made < npipes) {
		ck_assert_int_eq(pipe2(&fds[made], O_CLOEXEC), 0);
		made += 2;
	}
	g->fds = fds;
	g->nfds = npipes;
	send_dgram(g);
	for (size_t i = 0; i < made; i++)
		close(fds[i]);
}

int sealed_memfd(size_t size, unsigned int seals)
{
	int fd = memfd_create("check-wire", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	if (seals)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}
