/* SPDX-License-Identifier: MIT */
/* bootstrap-chan.h - asking bootstrapd for a channel to a service (internal). */
#ifndef BOOTSTRAP_CHAN_H
#define BOOTSTRAP_CHAN_H

#include <mach/mach.h>

/**
 * bootstrap_chan_ask() - ask the daemon for a channel to the port that
 * send right @service names (wire.h "Channels"): it writes the OFFER into
 * the port's queue before it answers.  @timeout_ms bounds the wait, as
 * MACH_RCV_TIMEOUT would; MACH_MSG_TIMEOUT_NONE waits as long as it takes.
 * Return: A (the caller's fd), -ETIMEDOUT, or -1: refused, or no daemon
 * to ask.
 */
int bootstrap_chan_ask(mach_port_name_t service, mach_msg_timeout_t timeout_ms);

#endif
