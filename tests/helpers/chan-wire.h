/* SPDX-License-Identifier: MIT */
/*
 * chan-wire.h - the daemon's side of channels v2 spoken by hand, for
 * check-channels: a pair made here and its B handed in the ask
 * (bs_mig_channel), also by a child process; OFFERs read raw from R;
 * channel calls written through S; RETIRED read up A; and a check-in
 * answered on a raw connection, whose fds are counted.  Every function
 * fails the current test (ck_assert) on error unless it returns what
 * went wrong.
 */
#ifndef BOOTSTRAPD_TEST_CHAN_WIRE_H
#define BOOTSTRAPD_TEST_CHAN_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

/* Long enough never to expire unless something is broken. */
#define CHAN_WAIT_MS 10000

/** chan_serve() - dynamic name @name checked in here: *@recv its receive right, *@send a send right. */
void chan_serve(const char *name, mach_port_t *recv, mach_port_t *send);

/** chan_receiver_goes() - destroy receive right @recv: it comes back to the daemon. */
void chan_receiver_goes(mach_port_t recv);

/** chan_fds_at_rest() - the fds of process @pid at rest (what it had open briefly closed). */
int chan_fds_at_rest(pid_t pid);

/** chan_pair() - a pair as a client makes it: SEQPACKET, close-on-exec, credentials on A. */
void chan_pair(int *a, int *b);

/** chan_ask_with() - bs_mig_channel() for send right @port, handing @b (taken). */
kern_return_t chan_ask_with(mach_port_t port, int b);

/** chan_ask() - a pair made and its B handed for @port.  *@a: A on success, else -1. */
kern_return_t chan_ask(mach_port_t port, int *a);

/**
 * chan_ask_from_child() - chan_ask() by a child process for the port of
 * name @service, which it looks up (a forked task inherits no other
 * right), then hands A back and exits: the channel's owner is a process
 * other than this one.  Return: the ask's code; *@a as chan_ask()'s.
 */
kern_return_t chan_ask_from_child(const char *service, int *a);

/**
 * chan_read_offer() - dequeue the next datagram of raw R @r without
 * waiting; it must be an OFFER (wire_control()).  *@b: its B; Return: its id.
 */
int32_t chan_read_offer(int r, int *b);

/** chan_call() - a channel call numbered @seq through raw S @s.  Return: 0 or -errno. */
int chan_call(int s, uint16_t seq);

/** chan_send_bits() - chan_call() with wire bits @bits in place of CHAN | ONCONN. */
int chan_send_bits(int s, uint32_t bits, uint16_t seq);

/** chan_now_ns() - CLOCK_MONOTONIC in ns, the daemon's clock for RETIRED. */
uint64_t chan_now_ns(void);

/**
 * chan_read() - wait up to CHAN_WAIT_MS for a datagram up @a.
 * Return: 1 and *@seq, *@looked_ns for a RETIRED (wire_control() says so,
 * no fds came), 0 at end of file, -EAGAIN if none came, -EBADMSG for
 * anything else.
 */
int chan_read(int a, uint16_t *seq, uint64_t *looked_ns);

/** chan_assert_peers() - @x and @y are the two ends of one pair: a call down one comes up the other. */
void chan_assert_peers(int x, int y);

/** chan_wait_peer_gone() - wait up to CHAN_WAIT_MS for @a's peer to be closed: whether it was. */
int chan_wait_peer_gone(int a);

/** chan_pair_from_child() - a pair a child made, both ends handed here: its owner is gone. */
void chan_pair_from_child(int *a, int *b);

/**
 * chan_retired_seq() - wait for a RETIRED up @a (it must come).  Return:
 * its seq; its looked_ns must be within [@before, now].
 */
uint16_t chan_retired_seq(int a, uint64_t before);

/** chan_pending() - whether a datagram (or end of file) waits up @a, without waiting. */
int chan_pending(int a);

/** chan_peer_gone() - whether @a's peer is closed (every copy of B). */
int chan_peer_gone(int a);

/** chan_msgcount() - the message count of receive right @recv. */
mach_port_msgcount_t chan_msgcount(mach_port_t recv);

struct test_daemon;
struct fake_fdstore;

/**
 * chan_restart() - restart @td: re-exec (@from_store 0), or SIGKILL and
 * start again from the fd store @store, after a look-up of @name (a
 * request after the last change: the state was saved in an earlier turn).
 */
void chan_restart(struct test_daemon *td, struct fake_fdstore *store, int from_store,
		  const char *name);

/* What a check-in answered on a raw connection carried. */
struct chan_check_in {
	int fds[64];
	size_t nfds;
	uint32_t reserved;      /* the receive right's wire_desc.reserved */
};

/**
 * chan_raw_check_in() - check in @name on a new raw connection to the
 * daemon at @socket, the answer on that connection.  Return: 0, or the
 * bootstrap error in a simple reply.
 */
kern_return_t chan_raw_check_in(const char *socket, const char *name, struct chan_check_in *ci);

/** chan_check_in_close() - close what @ci holds. */
void chan_check_in_close(struct chan_check_in *ci);

#endif
