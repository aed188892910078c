/* SPDX-License-Identifier: MIT */
/*
 * check-wire-fuzz - fixed-seed fuzzing of wire_validate() and of the whole
 * receive path: well-formed datagrams, mutated now and then, written
 * straight into a port's send end; each is taken whole or dropped unseen
 * (the receive times out), nothing is left behind, and the port goes on.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>

#include "helpers/fdcheck.h"
#include "helpers/peer.h"
#include "helpers/raw-client.h"
#include "helpers/runner.h"
#include "helpers/wire-dgram.h"
#include "wire.h"


#define FUZZ_POOL 5

static uint32_t rnd(unsigned short xs[3], uint32_t n)
{
	return (uint32_t)nrand48(xs) % n;
}

/* A random descriptor, well-formed, its fds taken from @pool (socket, sealed memfd). */
static void fuzz_desc(struct wire_desc *d, unsigned short xs[3], const int *pool, int *fds,
		      size_t *nfds, uint32_t *ool)
{
	uint8_t kind = (uint8_t)rnd(xs, 8);
	static const uint8_t disp[] = { 17, 0, 17, 18, 16, 17, 0, 0 };

	*d = (struct wire_desc){ .kind = kind, .disposition = disp[kind],
				 .type = kind >= WIRE_OOL_INLINE ? MACH_MSG_OOL_DESCRIPTOR :
				 MACH_MSG_PORT_DESCRIPTOR };
	if (kind == WIRE_PORT_SEND || kind == WIRE_PORT_SEND_ONCE || kind == WIRE_PORT_RECEIVE) {
		d->nfds = kind == WIRE_PORT_RECEIVE ? (uint8_t)(1 + rnd(xs, 2)) : 1;
		d->flags = d->nfds == 2 ? WIRE_F_MASTER : 0;
		for (int i = 0; i < d->nfds; i++)
			fds[(*nfds)++] = pool[0];
	} else if (kind == WIRE_PORT_MEMORY || kind == WIRE_OOL_MEMFD) {
		d->nfds = 1;
		fds[(*nfds)++] = pool[1];
		d->size = kind == WIRE_OOL_MEMFD ? 1 + rnd(xs, 8192) : 4096;
		d->offset = kind == WIRE_OOL_MEMFD ? 0 : 4096 * rnd(xs, 2);
		d->flags = kind == WIRE_OOL_MEMFD ? 0 : VM_PROT_READ;
	} else if (kind == WIRE_OOL_INLINE) {
		d->size = rnd(xs, 48);
		d->offset = *ool;
		*ool += (d->size + 3) & ~3u;
	}
}

/* A random datagram that is well-formed more often than not. */
static void fuzz_dgram(struct dgram *g, unsigned short xs[3], const int *pool, int *fds)
{
	uint32_t ool = 0;
	size_t nfds = 0;

	dgram_init(g, (int)rnd(xs, 1000), rnd(xs, 6));
	g->h.body_len = 4 * rnd(xs, 8);
	if (rnd(xs, 4) == 0) {
		g->h.reply_nfds = 1;
		g->h.bits |= rnd(xs, 2) ? MACH_MSG_TYPE_PORT_SEND : MACH_MSG_TYPE_PORT_SEND_ONCE;
		fds[nfds++] = pool[0];
	}
	for (uint32_t i = 0; i < g->h.ndesc; i++)
		fuzz_desc(&g->d[i], xs, pool, fds, &nfds, &ool);
	g->h.data_len = g->h.body_len + ool;
	g->h.nfds = (uint32_t)nfds;
	for (uint32_t i = 0; i < g->h.data_len; i++)
		g->data[i] = (char)rnd(xs, 256);
	g->fds = fds;
	g->nfds = nfds;
}

/* Flip bytes, cut the end, add or drop an fd: each now and then. */
static size_t mutate(char *buf, size_t len, unsigned short xs[3], const int *pool, int *fds,
		     size_t *nfds)
{
	if (rnd(xs, 2))
		for (uint32_t i = 1 + rnd(xs, 4); i > 0; i--)
			buf[rnd(xs, (uint32_t)len)] ^= (char)(1 + rnd(xs, 255));
	if (rnd(xs, 8) == 0)
		len = rnd(xs, (uint32_t)len + 1);
	if (rnd(xs, 8) == 0 && *nfds < 16)
		fds[(*nfds)++] = pool[rnd(xs, FUZZ_POOL)];
	else if (rnd(xs, 8) == 0 && *nfds > 0)
		(*nfds)--;
	return len;
}

START_TEST(test_fuzz_validate)
{
	unsigned short xs[3] = { 1, 2, 3 };
	int pool[FUZZ_POOL] = { 10, 11, 12, 13, 14 }, fds[64];
	int accepted = 0;

	for (int i = 0; i < 20000; i++) {
		struct dgram g;
		char bytes[sizeof(g)], *buf;
		size_t nfds, len;
		int r;

		fuzz_dgram(&g, xs, pool, fds);
		nfds = g.nfds;
		len = mutate(bytes, dgram_bytes(&g, bytes), xs, pool, fds, &nfds);
		buf = malloc(len ? len : 1);    /* exact size: ASan sees any overread */
		memcpy(buf, bytes, len);
		r = wire_validate(buf, len, nfds);
		if (r == 0) {
			const struct wire_hdr *h = (const void *)buf;
			const struct wire_desc *d = wire_descs(buf);
			size_t sum = h->reply_nfds;

			accepted++;
			ck_assert_uint_le(h->ndesc, WIRE_MAX_DESC);
			for (uint32_t k = 0; k < h->ndesc; k++)
				sum += d[k].nfds;
			ck_assert_uint_eq(sum, nfds);
			ck_assert_uint_eq(len, sizeof(*h) + h->ndesc * sizeof(*d) + h->data_len);
			ck_assert_uint_le(wire_user_size(buf), sizeof(mach_msg_base_t) +
					  h->ndesc * sizeof(mach_msg_ool_descriptor_t) + h->body_len);
		} else {
			ck_assert_int_eq(r, -EBADMSG);
		}
		free(buf);
	}
	/* Both sides were exercised. */
	ck_assert_int_gt(accepted, 2000);
	ck_assert_int_lt(accepted, 18000);
}
END_TEST

START_TEST(test_fuzz_receive)
{
	unsigned short xs[3] = { 4, 5, 6 };
	mach_port_t spare = peer_port();
	int pool[FUZZ_POOL], p[2], counts[3] = { 0 };
	union wire_rcv r;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	pool[0] = peer_send_fd(spare);
	pool[1] = sealed_memfd(8192, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
	pool[2] = sealed_memfd(100, 0);
	pool[3] = p[0];
	pool[4] = p[1];
	for (int i = 0; i < 3000; i++) {
		struct dgram g;
		char bytes[sizeof(g)];
		int fds[64];
		size_t nfds, len;
		mach_msg_option_t opt = MACH_RCV_MSG | MACH_RCV_TIMEOUT | (rnd(xs, 2) ? MACH_RCV_LARGE : 0);
		mach_msg_size_t size = rnd(xs, 4) ? sizeof(r) : 64;
		mach_msg_return_t mr;

		fuzz_dgram(&g, xs, pool, fds);
		nfds = g.nfds;
		len = mutate(bytes, dgram_bytes(&g, bytes), xs, pool, fds, &nfds);
		send_raw(bytes, len, fds, nfds);
		mr = mach_msg(&r.h, opt, 0, size, wt.port, 0, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE && (opt & MACH_RCV_LARGE))
			mr = mach_msg(&r.h, opt, 0, sizeof(r), wt.port, 0, MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS)
			mach_msg_destroy(&r.h);
		ck_assert_msg(mr == MACH_MSG_SUCCESS || mr == MACH_RCV_TIMED_OUT ||
			      mr == MACH_RCV_TOO_LARGE, "iteration %d: 0x%x", i, mr);
		counts[mr == MACH_MSG_SUCCESS ? 0 : mr == MACH_RCV_TIMED_OUT ? 1 : 2]++;
	}
	ck_assert_int_gt(counts[0], 300);
	ck_assert_int_gt(counts[1], 300);
	ck_assert_int_eq(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), wt.port, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	for (int i = 0; i < FUZZ_POOL; i++)
		close(pool[i]);
	/* Nothing the fuzzer sent is left in our space: the spare wt.port is as it was. */
	ck_assert_uint_eq(peer_type(spare), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), spare), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(wt.port, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
}

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire-fuzz");
	TCase *fuzz = tcase_create("fuzz");

	tcase_add_test(fuzz, test_fuzz_validate);
	tcase_add_test(fuzz, test_fuzz_receive);
	tcase_add_checked_fixture(fuzz, wire_target_setup, wire_target_teardown);
	tcase_set_timeout(fuzz, 120);
	suite_add_tcase(s, fuzz);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(wire_suite(), NULL, 0, argc, argv);
}
