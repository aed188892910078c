/* SPDX-License-Identifier: MIT */
/*
 * chan-wire.h - the daemon's side of channels spoken by hand, for
 * check-channels: the ask (bs_mig_channel) with A's raw fd, OFFERs read
 * raw from R, channel datagrams written down A, RETIRED read up A, and a
 * check-in answered on a raw connection, whose fds are counted.  Every
 * function fails the current test (ck_assert) on error unless it returns
 * what went wrong.
 */
#ifndef BOOTSTRAPD_TEST_CHAN_WIRE_H
#define BOOTSTRAPD_TEST_CHAN_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <mach/mach.h>

/* Long enough never to expire unless something is broken. */
#define CHAN_WAIT_MS 10000

/**
 * chan_ask() - bs_mig_channel() for send right @port.
 * Return: its code; on success *@a is a raw dup of A (the right itself is
 * dropped, so that @a is the one copy left outside the daemon).
 */
kern_return_t chan_ask(mach_port_t port, int *a);

/**
 * chan_read_offer() - dequeue the next datagram of raw R @r without
 * waiting; it must be an OFFER (wire_control()).  *@b: its B; Return: its id.
 */
int32_t chan_read_offer(int r, int *b);

/** chan_send() - a channel call down @a numbered @seq.  Return: 0 or -errno. */
int chan_send(int a, uint16_t seq);

/**
 * chan_read() - wait up to CHAN_WAIT_MS for a datagram up @a.
 * Return: 1 and *@seq for a RETIRED, 0 at end of file, -EAGAIN if none
 * came, -EBADMSG for anything else.
 */
int chan_read(int a, uint16_t *seq);

/** chan_pending() - whether a datagram (or end of file) waits up @a, without waiting. */
int chan_pending(int a);

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
