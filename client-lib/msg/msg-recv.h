/* SPDX-License-Identifier: MIT */
/* msg-recv.h - the receive half of mach_msg (internal). */
#ifndef BOOTSTRAP_MSG_RECV_H
#define BOOTSTRAP_MSG_RECV_H

#include <stdbool.h>
#include <stdint.h>

#include <mach/message.h>

#include "fdpass.h"

struct port;

/* msg_receive_conn(): the daemon asked for the request the ordinary way. */
#define MSG_RECV_RESEND ((mach_msg_return_t)2)
/*
 * msg_receive_conn(): the call's reply right became one of its own
 * (SO_MOVED): its answer comes to the reply port, received the ordinary way.
 */
#define MSG_RECV_ORDINARY ((mach_msg_return_t)3)

/*
 * The daemon's credentials on a connection this process made by connect():
 * one daemon answers on it for its whole life (a re-exec keeps the pid;
 * any other restart ends the connection), so its first answer's
 * SCM_CREDENTIALS serve for the later ones, which then come without them
 * (msg-conn.c).  A connection inherited from the daemon may outlive the
 * daemon that made it (restarted from the fd store): each answer's own.
 */
struct conn_sender {
	bool cacheable;         /* a connection this process made */
	bool known;             /* creds taken, SO_PASSCRED off */
	struct fdpass_creds creds;
};

/* A call answered on a connection or up a channel (msg_receive_conn()). */
struct conn_wait {
	int fd;                 /* the bootstrap connection, or the channel's A */
	uint16_t seq;           /* the call's number */
	bool channel;           /* up a channel: the service answers, not the daemon */
	struct conn_sender *sender;     /* on the connection: whose answers these are */
	bool gone;              /* out: the channel ended (end of file on A, or refused) */
	bool refused;           /* out: the receiver could not take it (REFUSED) */
	/* A channel call's: S, its send's monotonic times (RETIRED, msg-recv-conn.c). */
	int probe_fd;
	uint64_t sent_from, sent_by;
};

/* What a RETIRED says of a channel call (msg_chan_fate()). */
enum chan_fate {
	CHAN_FATE_QUEUED,       /* still in R, or sent after the daemon looked: wait on */
	CHAN_FATE_DIED,         /* taken by the receiver that went */
	CHAN_FATE_ASK,          /* sent while the daemon looked, or it could not: a PROBE asks the next one */
};

/**
 * msg_chan_fate() - channel call @seq, sent between monotonic @sent_from
 * and @sent_by, when the receiver went: the daemon, looking in R from
 * @looked_ns, found its owner's last queued call @last_queued (0: none).
 * The call waited for is the owner's newest, so it is queued if and only
 * if it is the last one queued (whatever numbering older ones had); else
 * a call sent wholly before the look was taken by the receiver that went,
 * and one sent after it was not.  @looked_ns 0: the daemon could not look.
 */
enum chan_fate msg_chan_fate(uint16_t seq, uint64_t sent_from, uint64_t sent_by,
			    uint16_t last_queued, uint64_t looked_ns);

/**
 * msg_receive() - dequeue one message from the receive right or port set
 * @rcv_name into @msg (@rcv_size bytes, trailer included).
 * Return: MACH_MSG_SUCCESS or a MACH_RCV_* code.
 */
mach_msg_return_t msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			      mach_msg_timeout_t timeout);

/**
 * msg_receive_conn() - the answer to call @w->seq, read from @w->fd, into
 * @msg as if it had come to receive right @p (referenced by the caller):
 * its sequence number, context and trailer.
 * Return: MACH_MSG_SUCCESS, a MACH_RCV_* code, MSG_RECV_RESEND (the
 * daemon's), or MSG_RECV_ORDINARY (a channel's).
 */
mach_msg_return_t msg_receive_conn(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t rcv_size, struct port *p, struct conn_wait *w,
				   mach_msg_timeout_t timeout);

#endif
