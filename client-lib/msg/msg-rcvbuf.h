/* SPDX-License-Identifier: MIT */
/* msg-rcvbuf.h - each thread's buffer for one whole received datagram (internal). */
#ifndef BOOTSTRAP_MSG_RCVBUF_H
#define BOOTSTRAP_MSG_RCVBUF_H

/**
 * rcv_buffer_take() - the calling thread's buffer of WIRE_MAX_DATAGRAM
 * bytes, taken for one receive, or NULL if it is in use (a signal
 * handler's receive) or cannot be had.  rcv_buffer_give() gives it back.
 */
char *rcv_buffer_take(void);

/** rcv_buffer_give() - the buffer rcv_buffer_take() gave is free again. */
void rcv_buffer_give(void);

#endif
