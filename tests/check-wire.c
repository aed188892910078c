/* SPDX-License-Identifier: MIT */
/*
 * check-wire - hostile datagrams written straight into a port's send end:
 * mach_msg must reject each with MACH_RCV_INVALID_DATA, close every fd
 * that came with it, and go on receiving; plus fixed-seed fuzzing of
 * wire_validate() and of the whole receive path.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
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
#include "wire.h"

#define MAX_RAW_FDS 128

/* A raw datagram: header, descriptors, body (see wire.h). */
struct dgram {
	struct wire_hdr h;
	struct wire_desc d[8];
	char data[256];
	const int *fds;
	size_t nfds;
};

static mach_port_t port;        /* the receive right under attack */
static int raw;                 /* a send end of it, outside the library */

static void setup(void)
{
	peer_fd_mark(true);
	port = peer_port();
	raw = peer_send_fd(port);
	ck_assert_int_ge(raw, 0);
	/* The first receive makes the port's epoll; let it exist before fds are counted. */
	ck_assert_int_eq(mach_msg(&(mach_msg_empty_rcv_t){ 0 }.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  0, sizeof(mach_msg_empty_rcv_t), port, 0, MACH_PORT_NULL),
			 MACH_RCV_TIMED_OUT);
}

static void teardown(void)
{
	if (raw >= 0)
		close(raw);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), port), KERN_SUCCESS);
	peer_fd_check();
}

static void send_raw(const void *buf, size_t len, const int *fds, size_t nfds)
{
	ck_assert_int_eq(raw_send_flags(raw, buf, len, fds, nfds, MSG_DONTWAIT | MSG_NOSIGNAL),
			 (ssize_t)len);
}

/* @g as bytes in @buf (sizeof(struct dgram) at least).  Return: the length. */
static size_t dgram_bytes(const struct dgram *g, char *buf)
{
	size_t n = sizeof(g->h) + g->h.ndesc * sizeof(struct wire_desc);

	ck_assert_uint_le(g->h.ndesc, 8);
	ck_assert_uint_le(g->h.data_len, sizeof(g->data));
	memcpy(buf, &g->h, sizeof(g->h));
	memcpy(buf + sizeof(g->h), g->d, g->h.ndesc * sizeof(struct wire_desc));
	memcpy(buf + n, g->data, g->h.data_len);
	return n + g->h.data_len;
}

static void send_dgram(const struct dgram *g)
{
	char buf[sizeof(*g)];

	send_raw(buf, dgram_bytes(g, buf), g->fds, g->nfds);
}

/* A well-formed message: id @id, body 8 bytes, @ndesc descriptors left for the caller. */
static void dgram_init(struct dgram *g, int id, uint32_t ndesc)
{
	memset(g, 0, sizeof(*g));
	g->h.magic = WIRE_MAGIC;
	g->h.bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) | (ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	g->h.id = id;
	g->h.ndesc = ndesc;
	g->h.body_len = g->h.data_len = 8;
}

static mach_msg_return_t receive(union { mach_msg_header_t h; char b[4096]; } *r)
{
	memset(r, 0, sizeof(*r));
	return mach_msg(&r->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*r), port, 0,
			MACH_PORT_NULL);
}

/* The datagram in the queue must be refused, leave no fd behind, and not block the next message. */
static void assert_refused(const char *what)
{
	union { mach_msg_header_t h; char b[4096]; } r;
	int fds = fdcheck_count();
	mach_msg_return_t mr = receive((void *)&r);

	ck_assert_msg(mr == MACH_RCV_INVALID_DATA, "%s: 0x%x", what, mr);
	ck_assert_msg(fdcheck_count() == fds, "%s: fds %d -> %d", what, fds, fdcheck_count());
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(receive((void *)&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 4711);
	ck_assert_int_eq(receive((void *)&r), MACH_RCV_TIMED_OUT);
}

/* Send @g with fresh pipe fds (ours closed at once, so only the message holds them). */
static void send_with_pipes(struct dgram *g, size_t npipes)
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

static int sealed_memfd(size_t size, unsigned int seals)
{
	int fd = memfd_create("check-wire", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	if (seals)
		ck_assert_int_eq(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}

START_TEST(test_garbage)
{
	char junk[512];
	struct dgram g;

	srand48(1);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)lrand48();
	send_raw(junk, 100, NULL, 0);
	assert_refused("random bytes");
	send_raw(junk, 10, NULL, 0);
	assert_refused("shorter than a header");
	send_raw(junk, 0, NULL, 0);
	assert_refused("empty datagram");
	{
		int pfd[2];

		ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
		send_raw(junk, 0, pfd, 2);
		close(pfd[0]);
		close(pfd[1]);
		assert_refused("empty datagram with fds");
	}
	dgram_init(&g, 1, 0);
	memcpy(junk, &g.h, sizeof(g.h));
	send_raw(junk, sizeof(g.h) - 1, NULL, 0);
	assert_refused("truncated header");
	dgram_init(&g, 1, 0);
	g.h.magic ^= 1;
	send_dgram(&g);
	assert_refused("wrong magic");
	{
		size_t big = WIRE_MAX_DATAGRAM + 1024;
		char *huge = calloc(1, big);

		ck_assert_ptr_nonnull(huge);
		send_raw(huge, big, NULL, 0);
		assert_refused("oversized garbage");
		/* Well framed, but larger than any message may be. */
		dgram_init(&g, 1, 0);
		g.h.body_len = g.h.data_len = (uint32_t)(big - sizeof(g.h));
		memcpy(huge, &g.h, sizeof(g.h));
		send_raw(huge, big, NULL, 0);
		assert_refused("oversized message");
		free(huge);
	}
}
END_TEST

START_TEST(test_bad_header)
{
	struct dgram g;

	dgram_init(&g, 1, 0);
	g.h.body_len = 12;
	send_dgram(&g);
	assert_refused("body longer than the data");
	dgram_init(&g, 1, 0);
	g.h.body_len = g.h.data_len = 6;
	send_dgram(&g);
	assert_refused("body not a multiple of 4");
	dgram_init(&g, 1, 0);
	g.h.data_len = 200;
	send_raw(&g, sizeof(g.h) + 8, NULL, 0);
	assert_refused("datagram shorter than its header says");
	dgram_init(&g, 1, 0);
	g.h.ndesc = 1000;
	send_raw(&g.h, sizeof(g.h), NULL, 0);
	assert_refused("too many descriptors");
	dgram_init(&g, 1, 1);
	g.h.bits &= ~MACH_MSGH_BITS_COMPLEX;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_NULL };
	send_dgram(&g);
	assert_refused("descriptors in a simple message");
	dgram_init(&g, 1, 0);
	g.h.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_RECEIVE, MACH_MSG_TYPE_PORT_SEND);
	g.h.nfds = g.h.reply_nfds = 1;
	send_with_pipes(&g, 1);
	assert_refused("reply right claiming to be a receive right");
	dgram_init(&g, 1, 0);
	g.h.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND);
	g.h.nfds = g.h.reply_nfds = 1;
	send_with_pipes(&g, 1);
	assert_refused("reply right that is a pipe");
}
END_TEST

START_TEST(test_fd_counts)
{
	struct dgram g;
	int sock = peer_send_fd(port), fds[2];

	dgram_init(&g, 1, 0);
	g.h.nfds = 1;
	send_dgram(&g);
	assert_refused("fd promised, none sent");
	dgram_init(&g, 1, 0);
	send_with_pipes(&g, 2);
	assert_refused("fds sent, none promised");
	dgram_init(&g, 1, 1);
	g.h.nfds = 2;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_SEND,
				     .disposition = MACH_MSG_TYPE_PORT_SEND, .nfds = 2 };
	fds[0] = fds[1] = sock;
	g.fds = fds;
	g.nfds = 2;
	send_dgram(&g);
	assert_refused("two fds for a send right");
	dgram_init(&g, 1, 1);
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_RECEIVE,
				     .disposition = MACH_MSG_TYPE_PORT_RECEIVE };
	send_dgram(&g);
	assert_refused("receive right without fds");
	/* More than any message may carry: the kernel cuts them off, we close what came. */
	dgram_init(&g, 1, 0);
	g.h.nfds = 100;
	send_with_pipes(&g, 100);
	assert_refused("100 fds");
	close(sock);
}
END_TEST

/* Out-of-line memory and memory entries in fds that cannot hold them. */
static void bad_memory_descriptors(int small, int loose)
{
	struct dgram g;
	int fds[1];

	dgram_init(&g, 1, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_OOL_DESCRIPTOR, .kind = WIRE_OOL_MEMFD,
				     .size = 4096, .nfds = 1 };
	fds[0] = small;
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	assert_refused("out-of-line memfd smaller than its size");
	fds[0] = loose;
	send_dgram(&g);
	assert_refused("out-of-line memfd without seals");
	send_with_pipes(&g, 1);
	assert_refused("out-of-line data in a pipe");
	dgram_init(&g, 1, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_MEMORY,
				     .disposition = MACH_MSG_TYPE_PORT_SEND, .size = 4096,
				     .offset = 8192, .nfds = 1, .flags = VM_PROT_READ };
	fds[0] = loose;
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	assert_refused("memory entry beyond its object");
}

START_TEST(test_bad_descriptors)
{
	int sock = peer_send_fd(port), small = sealed_memfd(100, F_SEAL_SHRINK | F_SEAL_WRITE);
	int loose = sealed_memfd(8192, 0), fds[1];
	struct dgram g;

	dgram_init(&g, 1, 1);
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = 99 };
	send_dgram(&g);
	assert_refused("unknown kind");
	dgram_init(&g, 1, 1);
	g.d[0] = (struct wire_desc){ .type = 7, .kind = WIRE_PORT_NULL };
	send_dgram(&g);
	assert_refused("unknown descriptor type");
	dgram_init(&g, 1, 1);
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_OOL_INLINE };
	send_dgram(&g);
	assert_refused("out-of-line kind in a port descriptor");
	dgram_init(&g, 1, 1);
	g.h.data_len = 8 + 16;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_OOL_DESCRIPTOR, .kind = WIRE_OOL_INLINE,
				     .size = 16, .offset = 8 };
	send_dgram(&g);
	assert_refused("inline out-of-line data past the end");
	dgram_init(&g, 1, 1);
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_SEND,
				     .disposition = MACH_MSG_TYPE_PORT_RECEIVE, .nfds = 1 };
	g.h.nfds = 1;
	fds[0] = sock;
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	assert_refused("send right with a receive disposition");
	g.d[0].disposition = MACH_MSG_TYPE_PORT_SEND;
	send_with_pipes(&g, 1);
	assert_refused("send right that is a pipe");
	bad_memory_descriptors(small, loose);
	close(sock);
	close(small);
	close(loose);
}
END_TEST

/* An empty datagram from the last sender is not the end: what follows it is received. */
START_TEST(test_empty_datagram_at_end)
{
	mach_port_t n = peer_port();
	union { mach_msg_header_t h; char b[4096]; } r;
	struct dgram g;

	/* The request drops our own send end: raw is the only sender left. */
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), port,
			 MACH_NOTIFY_NO_SENDERS, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_SUCCESS);
	send_raw("", 0, NULL, 0);
	dgram_init(&g, 5, 0);
	send_dgram(&g);
	close(raw);
	raw = -1;
	ck_assert_int_eq(receive((void *)&r), MACH_RCV_INVALID_DATA);
	ck_assert_int_eq(receive((void *)&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 5);
	ck_assert_int_eq(receive((void *)&r), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), n,
				  PEER_TIMEOUT_MS, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, MACH_NOTIFY_NO_SENDERS);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), n), KERN_SUCCESS);
}
END_TEST

/* Positive control: hand-made datagrams that are right arrive as Mach messages. */
START_TEST(test_valid_raw)
{
	int mem = sealed_memfd(8192, F_SEAL_SHRINK | F_SEAL_GROW), fds[1] = { mem };
	union { mach_msg_header_t h; char b[4096]; } r;
	mach_msg_port_descriptor_t pd;
	mach_port_type_t t;
	struct dgram g;

	dgram_init(&g, 77, 1);
	g.h.nfds = 1;
	g.d[0] = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_MEMORY,
				     .disposition = MACH_MSG_TYPE_PORT_SEND, .size = 4096,
				     .offset = 4096, .nfds = 1, .flags = VM_PROT_READ };
	memcpy(g.data, "abcdefgh", 8);
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
	close(mem);
	ck_assert_int_eq(receive((void *)&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 77);
	ck_assert_uint_eq(r.h.msgh_size, sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
			  sizeof(pd) + 8);
	memcpy(&pd, r.b + sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t), sizeof(pd));
	ck_assert_uint_eq(pd.disposition, MACH_MSG_TYPE_PORT_SEND);
	ck_assert_int_eq(mach_port_type(mach_task_self(), pd.name, &t), KERN_SUCCESS);
	ck_assert_uint_eq(t, MACH_PORT_TYPE_SEND);
	ck_assert_int_eq(memcmp(r.b + r.h.msgh_size - 8, "abcdefgh", 8), 0);
	mach_msg_destroy(&r.h);
	ck_assert_int_eq(mach_port_type(mach_task_self(), pd.name, &t), KERN_INVALID_NAME);
}
END_TEST

/*
 * A send right that claims another port's identity (WIRE_F_INO) is the
 * daemon's word on its own connection only.  Were it believed here, the
 * attacker's socket would be named as the victim port: messages the
 * receiver sends to that port would go to the attacker.
 */
static void send_claiming(mach_port_t victim, int attacker_send, bool in_array)
{
	struct stat st;
	int vfd = peer_send_fd(victim), fds[1] = { attacker_send };
	struct wire_desc claim;
	struct dgram g;

	ck_assert_int_ge(vfd, 0);
	ck_assert_int_eq(fstat(vfd, &st), 0);
	close(vfd);
	claim = (struct wire_desc){ .type = MACH_MSG_PORT_DESCRIPTOR, .kind = WIRE_PORT_SEND,
				    .disposition = MACH_MSG_TYPE_PORT_SEND, .nfds = 1,
				    .flags = WIRE_F_INO, .offset = st.st_ino };
	dgram_init(&g, 78, 1);
	g.h.nfds = 1;
	g.d[0] = claim;
	if (in_array) {
		g.d[0] = (struct wire_desc){ .type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
					     .kind = WIRE_PORT_ARRAY, .size = 1, .nfds = 1,
					     .offset = 0,
					     .disposition = MACH_MSG_TYPE_PORT_SEND };
		memcpy(g.data + g.h.body_len, &claim, sizeof(claim));
		g.h.data_len = g.h.body_len + sizeof(claim);
	}
	g.fds = fds;
	g.nfds = 1;
	send_dgram(&g);
}

START_TEST(test_claimed_identity_refused)
{
	mach_port_t victim = peer_port();
	int sv[2];

	for (int in_array = 0; in_array < 2; in_array++) {
		ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
		send_claiming(victim, sv[1], in_array);
		close(sv[1]);
		assert_refused(in_array ? "claimed identity in an array" : "claimed identity");
		close(sv[0]);
	}
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), victim), KERN_SUCCESS);
}
END_TEST

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
	union { mach_msg_header_t h; char b[4096]; } r;

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
		mr = mach_msg(&r.h, opt, 0, size, port, 0, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE && (opt & MACH_RCV_LARGE))
			mr = mach_msg(&r.h, opt, 0, sizeof(r), port, 0, MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS)
			mach_msg_destroy(&r.h);
		ck_assert_msg(mr == MACH_MSG_SUCCESS || mr == MACH_RCV_INVALID_DATA ||
			      mr == MACH_RCV_TOO_LARGE, "iteration %d: 0x%x", i, mr);
		counts[mr == MACH_MSG_SUCCESS ? 0 : mr == MACH_RCV_INVALID_DATA ? 1 : 2]++;
	}
	ck_assert_int_gt(counts[0], 300);
	ck_assert_int_gt(counts[1], 300);
	ck_assert_int_eq(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), port, 0,
				  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	for (int i = 0; i < FUZZ_POOL; i++)
		close(pool[i]);
	/* Nothing the fuzzer sent is left in our space: the spare port is as it was. */
	ck_assert_uint_eq(peer_type(spare), MACH_PORT_TYPE_RECEIVE);
	ck_assert_int_eq(mach_port_destroy(mach_task_self(), spare), KERN_SUCCESS);
	ck_assert_int_eq(peer_send_id(port, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	ck_assert_int_eq(receive((void *)&r), MACH_MSG_SUCCESS);
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *hostile = tcase_create("hostile"), *fuzz = tcase_create("fuzz");

	tcase_add_test(hostile, test_garbage);
	tcase_add_test(hostile, test_bad_header);
	tcase_add_test(hostile, test_fd_counts);
	tcase_add_test(hostile, test_bad_descriptors);
	tcase_add_test(hostile, test_empty_datagram_at_end);
	tcase_add_test(hostile, test_valid_raw);
	tcase_add_test(hostile, test_claimed_identity_refused);
	tcase_add_test(fuzz, test_fuzz_validate);
	tcase_add_test(fuzz, test_fuzz_receive);
	tcase_add_checked_fixture(hostile, setup, teardown);
	tcase_add_checked_fixture(fuzz, setup, teardown);
	tcase_set_timeout(fuzz, 120);
	suite_add_tcase(s, hostile);
	suite_add_tcase(s, fuzz);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wire_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
