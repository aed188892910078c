/* SPDX-License-Identifier: MIT */
/*
 * demux.h - running a MIG-generated demux over the daemon's transport.
 *
 * The daemon reads datagrams, not Mach messages, and holds raw fds, not
 * port names.  demux_run() rebuilds the Mach message the generated demux
 * expects from a request (header, descriptors, body, and an audit trailer
 * filled from the kernel's SCM_CREDENTIALS), runs the demux, and sends the
 * reply it laid out through ipc.c.  Rights appear to the routines as
 * names valid during the call only: a right the request carried is taken
 * with demux_take(); a right to reply with is named by demux_give().
 */
#ifndef BOOTSTRAPD_DEMUX_H
#define BOOTSTRAPD_DEMUX_H

#include <stdbool.h>
#include <stddef.h>

#include <mach/mach.h>

#include "wire.h"

struct conn;
struct ipc_request;

/* Rights a reply may carry. */
#define DEMUX_MAX_OUT 4

/*
 * A right's fds at most: a receive right's R, S and port-destroyed
 * request, and its channels (CHANNELS_PER_SERVICE at most).
 */
#define DEMUX_RIGHT_MAX_FDS (3 + 32)

struct demux_right {
	enum wire_kind kind;    /* WIRE_PORT_SEND or WIRE_PORT_RECEIVE */
	int fds[DEMUX_RIGHT_MAX_FDS];   /* borrowed: the daemon keeps its copies */
	size_t nfds;
	unsigned int flags;     /* WIRE_F_* */
	uint32_t ino;           /* a send right's identity, vouched for on a connection; 0: none */
	uint32_t reserved;      /* a receive right's wire_desc.reserved: its channels (WIRE_RECV_RESERVED) */
};

struct demux_call {
	struct conn *conn;
	struct ipc_request *rq;
	struct demux_right out[DEMUX_MAX_OUT];
	size_t nout;
	/* After a successful routine's reply: @ok whether it went out. */
	void (*sent)(void *arg, bool ok);
	void *sent_arg;
};

/* The generated demux: <subsystem>_server(). */
typedef boolean_t (*demux_server_fn)(mach_msg_header_t *in, mach_msg_header_t *out);

/**
 * demux_run() - answer @rq with @server: every request gets a reply
 * (MIG_BAD_ID for an id the subsystem does not know, MIG_BAD_ARGUMENTS
 * for a malformed one), or a log line when it gave no reply right.
 */
void demux_run(struct conn *c, struct ipc_request *rq, demux_server_fn server);

/** demux_call() - the call a routine serves, from its first argument; NULL if none. */
struct demux_call *demux_call(mach_port_t bp);

/** demux_take() - the fd of the right @name the request carried (now owned), or -1. */
int demux_take(struct demux_call *call, mach_port_t name);

/**
 * demux_give() - a name for a right to reply with: @kind, @fds (@nfds of
 * them, borrowed), @flags.  Return: the name, or MACH_PORT_NULL when the
 * call has no room left.
 */
mach_port_t demux_give(struct demux_call *call, enum wire_kind kind, const int *fds, size_t nfds,
		       unsigned int flags);

/**
 * demux_give_receive() - demux_give() of a receive right whose last
 * @nchan fds of @nfds are its channels' Bs (wire_desc.reserved).
 */
mach_port_t demux_give_receive(struct demux_call *call, const int *fds, size_t nfds,
			       unsigned int flags, size_t nchan);

/**
 * demux_give_port() - a name for a send right to a port this daemon made,
 * @fd (borrowed), whose send end has inode @ino (0: unknown).  An answer
 * on the caller's connection says @ino (WIRE_F_INO), sparing the caller
 * the syscalls that learn it.
 */
mach_port_t demux_give_port(struct demux_call *call, int fd, uint32_t ino);

#endif
