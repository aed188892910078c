/* SPDX-License-Identifier: MIT */
/*
 * wire-dgram.h - datagrams written by hand straight into a port's send end,
 * for the tests of hostile wire input (check-wire, check-wire-fuzz): the
 * port under attack, a raw send end of it, and the check that a datagram
 * was refused without a trace.  Every function fails the current test
 * (ck_assert) on error.
 */
#ifndef BOOTSTRAPD_TEST_WIRE_DGRAM_H
#define BOOTSTRAPD_TEST_WIRE_DGRAM_H

#include <stddef.h>
#include <stdint.h>

#include <mach/mach.h>

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

/* The port under attack: its receive right, and a send end of it outside the library. */
struct wire_target {
	mach_port_t port;
	int raw;
};

extern struct wire_target wt;

union wire_rcv {
	mach_msg_header_t h;
	char b[4096];
};

/* The checked fixture: make wt (fds counted from here), and check on teardown that none leaked. */
void wire_target_setup(void);
void wire_target_teardown(void);

void send_raw(const void *buf, size_t len, const int *fds, size_t nfds);

/* @g as bytes in @buf (sizeof(struct dgram) at least).  Return: the length. */
size_t dgram_bytes(const struct dgram *g, char *buf);
void send_dgram(const struct dgram *g);

/* A well-formed message: id @id, body 8 bytes, @ndesc descriptors left for the caller. */
void dgram_init(struct dgram *g, int id, uint32_t ndesc);

/* Receive from wt.port without waiting. */
mach_msg_return_t wire_receive(union wire_rcv *r);

/* The datagram in the queue must be refused, leave no fd behind, and not block the next message. */
void assert_refused(const char *what);

/* Send @g with fresh pipe fds (ours closed at once, so only the message holds them). */
void send_with_pipes(struct dgram *g, size_t npipes);

/* A memfd of @size bytes with @seals. */
int sealed_memfd(size_t size, unsigned int seals);

#endif
