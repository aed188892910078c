/* SPDX-License-Identifier: MIT */
/*
 * msg-deliver.h - the receive half's second step (internal): a datagram
 * already dequeued, or sized by a peek, checked and turned into the
 * caller's message: names for its rights, mappings for its memory, the
 * trailer.  msg-recv.c waits for it and says where it came from.
 */
#ifndef BOOTSTRAP_MSG_DELIVER_H
#define BOOTSTRAP_MSG_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <mach/message.h>

#include "fdpass.h"
#include "wire.h"

struct port;

#define RECV_AGAIN 1    /* nothing to take from this fd now */

struct rcv_req {
	mach_msg_header_t *msg;
	mach_msg_option_t option;
	mach_msg_size_t rcv_size;
	size_t trailer_size;
	int timeout_ms;                 /* -1: forever */
	struct timespec deadline;
	struct port *port;              /* the receive right being read (referenced by the caller) */
	bool in_r;                      /* reading the port's own queue R */
	bool asleep;                    /* waiting in recvmsg(R) itself (port-direct.c) */
	bool no_sleep;                  /* that could not be: the epoll way for this receive */
	bool from_chan;                 /* the datagram is a channel call, answered up B: */
	int chan_fd;                    /* a copy of B of the delivery's own (rcv_chan_release()) */
	ino_t chan_ino;                 /* B's inode */
};

/* A datagram taken off a queue, with its fds and its sender's credentials. */
struct rcv_dgram {
	char *buf;
	ssize_t len;                    /* fdpass_recv()'s result */
	int fds[FDPASS_MAX_FDS];
	size_t nfds;
	struct fdpass_creds cr;
	bool from_daemon;               /* our bootstrap connection's answer */
	bool answer;                    /* an answer on a connection or up a channel */
};

/* End of file: nothing dequeued, no credentials, no fds (an empty datagram carries its sender's). */
bool rcv_dgram_eof(const struct rcv_dgram *d);

/* Whether dequeued datagram @d is a control datagram (wire_control()). */
bool rcv_is_control(const struct rcv_dgram *d);

/* How long @rq may still wait, in ms (-1: for ever). */
int rcv_ms_left(const struct rcv_req *rq);

/* MACH_NOTIFY_SEND_ONCE: a send-once right to @name died unused. */
mach_msg_return_t rcv_send_once_notice(struct rcv_req *rq, mach_port_name_t name);


/*
 * rcv_take_channel() - whether datagram @d, dequeued from R, may be
 * delivered: a channel call (wire.h "Channels") only from the owner of
 * one of rq->port's channels, which is then the one its answer goes up
 * (rq->from_chan; rq->chan_fd a copy of B taken now, so that the channel
 * may go meanwhile) and remembers it as the last it read.
 */
bool rcv_take_channel(struct rcv_req *rq, const struct rcv_dgram *d);

/*
 * rcv_chan_release() - the copy of B rcv_take_channel() took, if no reply
 * right took it, closed.
 */
void rcv_chan_release(struct rcv_req *rq);

/*
 * A channel call was destroyed: its reply right went with it, and its
 * caller is told.
 */
void rcv_chan_call_destroyed(const struct rcv_req *rq, const struct wire_hdr *h);

/*
 * A message too large for the receiver was destroyed: its header (@h, the
 * datagram's) without its rights, and which port it left, as xnu tells.
 */
mach_msg_return_t rcv_too_large_destroyed(struct rcv_req *rq, mach_port_name_t name,
					  const struct wire_hdr *h);

/*
 * A message of @user_size bytes does not fit the receiver's buffer.  With
 * MACH_RCV_LARGE it stays queued and its size is told; without, it is
 * dequeued and destroyed (@h: its peeked header, for what is told; used
 * only then, so NULL with MACH_RCV_LARGE).
 */
mach_msg_return_t rcv_too_large(struct rcv_req *rq, int fd, const struct wire_hdr *h,
				size_t user_size, mach_port_name_t name);

/*
 * The user size of a peeked datagram of @total bytes (@len of them in
 * @peek), or 0 if its framing cannot be right: then it is dropped unread
 * instead of reported, so that a hostile sender cannot make a receiver
 * with MACH_RCV_LARGE allocate what the header claims.
 */
size_t rcv_peeked_user_size(const char *peek, size_t len, size_t total);

/*
 * Check and name dequeued datagram @d (len > 0) for the receiver.
 * @returned: out: the send end of a send-once pair that came back with the
 * message (WIRE_BITS_RETURNED), or -1; the caller owns it.
 */
mach_msg_return_t rcv_deliver(struct rcv_req *rq, struct rcv_dgram *d, mach_port_name_t name,
			      int *returned);

/* Dequeue the datagram of @len bytes that fdpass_peek() sized, and deliver it. */
mach_msg_return_t rcv_dequeue(struct rcv_req *rq, int fd, size_t len, mach_port_name_t name,
			      int *returned);

#endif
