/* SPDX-License-Identifier: MIT */
/*
 * check-wire - hostile datagrams written straight into a port's send end:
 * mach_msg must drop each unseen, as the kernel never delivers such a
 * message, close every fd that came with it, and go on receiving
 * (fixed-seed fuzzing of the same path: check-wire-fuzz).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
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
	int sock = peer_send_fd(wt.port), fds[2];

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
	int sock = peer_send_fd(wt.port), small = sealed_memfd(100, F_SEAL_SHRINK | F_SEAL_WRITE);
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
	assert_refused("out-of-line kind in a wt.port descriptor");
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

static mach_msg_id_t served_id;

static boolean_t note_id(mach_msg_header_t *in, mach_msg_header_t *out)
{
	served_id = in->msgh_id;
	out->msgh_size = 0;     /* no reply: the request had no reply port */
	return TRUE;
}

/*
 * A server loop is not ended by garbage: any holder of a send right could
 * otherwise stop a service with one datagram.  The message behind it is
 * served.
 */
START_TEST(test_garbage_does_not_end_a_server_loop)
{
	served_id = 0;
	send_raw("junk", 4, NULL, 0);
	ck_assert_int_eq(peer_send_id(wt.port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg_server_once(note_id, 256, wt.port, 0), MACH_MSG_SUCCESS);
	ck_assert_int_eq(served_id, 4711);
}
END_TEST

/* A send-once right to wt.port (the reply right of a message to ourselves), with junk sent through it. */
static mach_port_t send_once_with_junk(mach_port_t via)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		.msgh_size = sizeof(h), .msgh_remote_port = via, .msgh_local_port = wt.port,
	};
	union wire_rcv r;
	int fd;

	ck_assert_int_eq(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	ck_assert_int_eq(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), via, 0,
				  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	fd = peer_send_fd(r.h.msgh_remote_port);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(raw_send(fd, "junk", 4, NULL, 0), 4);
	close(fd);
	return r.h.msgh_remote_port;
}

/*
 * Junk through a send-once right spends it: its receiver is told at once,
 * as of its death, also after a first receive with a buffer too small for
 * the notice; and nothing more goes through the right.
 */
START_TEST(test_garbage_spends_a_send_once_right)
{
	mach_port_t via = peer_port(), so;
	union wire_rcv r;

	so = send_once_with_junk(via);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
	mach_port_deallocate(mach_task_self(), so);

	so = send_once_with_junk(via);
	ck_assert_int_eq(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0,
				  sizeof(mach_msg_header_t), wt.port, 0, MACH_PORT_NULL),
			 MACH_RCV_TOO_LARGE);
	/* Spent: what goes through it now is destroyed, as through a dead send-once right. */
	ck_assert_int_eq(peer_send_id(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 777), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, MACH_NOTIFY_SEND_ONCE);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
	mach_port_destroy(mach_task_self(), via);
}
END_TEST

/*
 * A timed receive is not held past its time by datagrams dropped unseen:
 * with more junk queued than it looks at past its deadline, a zero-timeout
 * receive times out; the message behind the junk comes to later ones.
 */
START_TEST(test_junk_does_not_hold_a_timed_receive)
{
	union wire_rcv r;
	mach_msg_return_t mr = MACH_RCV_TIMED_OUT;

	for (int i = 0; i < 200; i++)
		send_raw("junk", 4, NULL, 0);
	ck_assert_int_eq(peer_send_id(wt.port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
	for (int i = 0; i < 10 && mr == MACH_RCV_TIMED_OUT; i++)
		mr = wire_receive(&r);
	ck_assert_int_eq(mr, MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 4711);
}
END_TEST

/*
 * Rights the receiver has no fds for (its RLIMIT_NOFILE) are cut off by
 * the kernel: the message is destroyed and dropped unseen, every fd that
 * did come closed, and the port goes on.
 */
START_TEST(test_rights_beyond_the_fd_limit_are_dropped)
{
	enum { N = 16 };
	mach_port_t ports[N];
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_ool_ports_descriptor_t d;
	} m;
	struct rlimit old, low;
	union wire_rcv r;
	int fds, spare;

	for (int i = 0; i < N; i++)
		ports[i] = peer_port();
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = wt.port;
	m.h.msgh_id = 9;
	m.b.msgh_descriptor_count = 1;
	m.d = (mach_msg_ool_ports_descriptor_t){ .address = ports, .count = N,
		.disposition = MACH_MSG_TYPE_MAKE_SEND, .type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
	ck_assert_int_eq(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL), MACH_MSG_SUCCESS);
	fds = fdcheck_count();
	spare = fcntl(0, F_DUPFD_CLOEXEC, 0);      /* the lowest free fd */
	ck_assert_int_ge(spare, 0);
	close(spare);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = (struct rlimit){ (rlim_t)spare + 4, old.rlim_max };
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_int_eq(fdcheck_count(), fds);
	ck_assert_int_eq(peer_send_id(wt.port, MACH_MSG_TYPE_MAKE_SEND, 4711), MACH_MSG_SUCCESS);
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
	ck_assert_int_eq(r.h.msgh_id, 4711);
	for (int i = 0; i < N; i++)
		mach_port_destroy(mach_task_self(), ports[i]);
}
END_TEST

/* An empty datagram from the last sender is not the end: what follows it is received. */
START_TEST(test_empty_datagram_at_end)
{
	mach_port_t n = peer_port();
	union wire_rcv r;
	struct dgram g;

	/* The request drops our own send end: wt.raw is the only sender left. */
	ck_assert_int_eq(mach_port_request_notification(mach_task_self(), wt.port,
			 MACH_NOTIFY_NO_SENDERS, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_SUCCESS);
	send_raw("", 0, NULL, 0);
	dgram_init(&g, 5, 0);
	send_dgram(&g);
	close(wt.raw);
	wt.raw = -1;
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);     /* the empty one dropped */
	ck_assert_int_eq(r.h.msgh_id, 5);
	ck_assert_int_eq(wire_receive(&r), MACH_RCV_TIMED_OUT);
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
	union wire_rcv r;
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
	ck_assert_int_eq(wire_receive(&r), MACH_MSG_SUCCESS);
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
 * receiver sends to that wt.port would go to the attacker.
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

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *hostile = tcase_create("hostile");

	tcase_add_test(hostile, test_garbage);
	tcase_add_test(hostile, test_bad_header);
	tcase_add_test(hostile, test_fd_counts);
	tcase_add_test(hostile, test_bad_descriptors);
	tcase_add_test(hostile, test_empty_datagram_at_end);
	tcase_add_test(hostile, test_garbage_does_not_end_a_server_loop);
	tcase_add_test(hostile, test_garbage_spends_a_send_once_right);
	tcase_add_test(hostile, test_junk_does_not_hold_a_timed_receive);
	tcase_add_test(hostile, test_rights_beyond_the_fd_limit_are_dropped);
	tcase_add_test(hostile, test_valid_raw);
	tcase_add_test(hostile, test_claimed_identity_refused);
	tcase_add_checked_fixture(hostile, wire_target_setup, wire_target_teardown);
	suite_add_tcase(s, hostile);
	return s;
}

int main(int argc, char **argv)
{
	return runner_main(wire_suite(), NULL, 0, argc, argv);
}
