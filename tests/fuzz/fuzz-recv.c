/* SPDX-License-Identifier: MIT */
/*
 * fuzz-recv.c - libbootstrap's receive path: whatever a peer can put in
 * one datagram and its SCM_RIGHTS, received by mach_msg() on a receive
 * right (msg-recv.c: peek, dequeue, wire_validate, rights_check, then
 * names for rights and mappings for out-of-line memory).
 *
 * Input:
 *   byte 0   receive options: bit 0 MACH_RCV_LARGE, bits 1-2 the buffer
 *            size (64, 512 or 8192 bytes, or 128 KiB), bit 3 send on a
 *            send-once right's queue instead of the port's own socket,
 *            bits 4-6 MACH_RCV_TRAILER_ELEMENTS, bit 7 MACH_RCV_LARGE_IDENTITY
 *   byte 1   bits 0-2 how many fds to attach; bit 3 also attach, last,
 *            the send-once queue's own send end (as a reply returns it)
 *   then     one fd-kind byte per fd (fuzz-fds.h), then the datagram
 *
 * Whatever is received is destroyed with mach_msg_destroy(), everything
 * queued is drained, and then the process must hold as many fds as before.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <mach/mach.h>

#include "fdpass.h"
#include "fuzz-fds.h"
#include "space.h"
#include "port.h"

#define BIG_RCV (128u * 1024u)

static mach_port_t port;
static int port_send = -1;      /* our own copy of the port's S */
static const mach_msg_size_t rcv_sizes[] = { 64, 512, 8192, BIG_RCV };

int LLVMFuzzerInitialize(int *argc, char ***argv);
static void drain(void);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct port *p;

	(void)argc;
	(void)argv;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) !=
		    KERN_SUCCESS)
		abort();
	space_lock();
	p = space_get(port);
	if (p && p->send_fd >= 0)
		port_send = dup(p->send_fd);
	space_unlock();
	if (port_send < 0)
		abort();
	/* The port's epoll is made on the first receive: make it now. */
	drain();
	return 0;
}

/* A send-once right to the port, made as the library makes one.  Return: its send end. */
static int add_queue(void)
{
	struct so_pair pair;
	struct port *p;
	int err;

	space_lock();
	p = space_get(port);
	err = p ? port_pair_take(p, 0, true, &pair) : -1;
	if (err == 0)
		port_pair_given(&pair);
	space_unlock();
	if (err < 0)
		abort();
	return pair.s;
}

static mach_msg_return_t receive(mach_msg_option_t option, mach_msg_size_t size)
{
	static _Alignas(8) char buf[BIG_RCV];
	mach_msg_return_t mr;

	memset(buf, 0, size < 256 ? size : 256);
	mr = mach_msg((mach_msg_header_t *)buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | option, 0, size,
		      port, 0, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		mach_msg_destroy((mach_msg_header_t *)buf);
	return mr;
}

/* Take everything still queued (a message left by MACH_RCV_LARGE, notifications). */
static void drain(void)
{
	for (int i = 0; i < 16; i++)
		if (receive(0, BIG_RCV) == MACH_RCV_TIMED_OUT)
			return;
	abort();        /* more left than one input can queue */
}

static mach_msg_option_t options(uint8_t b)
{
	return ((b & 1) ? MACH_RCV_LARGE : 0) | MACH_RCV_TRAILER_ELEMENTS((b >> 4) & 7) |
	       ((b & 0x80) ? MACH_RCV_LARGE_IDENTITY : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fds fds;
	int queue_s = -1, all[FUZZ_FDS_MAX + 1];
	size_t nspec, nall;
	struct iovec iov;
	int fd_baseline = fuzz_fd_count();

	if (size < 2)
		return 0;
	nspec = data[1] & 7;
	if (nspec > size - 2)
		nspec = size - 2;
	if (fuzz_fds_make(&fds, data + 2, nspec) < 0)
		return 0;
	memcpy(all, fds.fds, fds.n * sizeof(int));
	nall = fds.n;
	if (data[0] & 8) {
		queue_s = add_queue();
		if (data[1] & 8)
			all[nall++] = queue_s;
	}
	iov = (struct iovec){ (void *)(data + 2 + nspec), size - 2 - nspec };
	fdpass_send(queue_s >= 0 ? queue_s : port_send, &iov, 1, all, nall, MSG_DONTWAIT);
	fuzz_fds_close(&fds);
	receive(options(data[0]), rcv_sizes[(data[0] >> 1) & 3]);
	if (queue_s >= 0)
		close(queue_s);
	drain();
	port_flush_idle();
	fuzz_fd_check(fd_baseline);
	return 0;
}
