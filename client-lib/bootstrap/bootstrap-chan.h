/* SPDX-License-Identifier: MIT */
/* bootstrap-chan.h - asking bootstrapd for a channel to a service (internal). */
#ifndef BOOTSTRAP_CHAN_H
#define BOOTSTRAP_CHAN_H

#include <mach/mach.h>

/**
 * bootstrap_chan_ask() - ask the daemon for a channel to the port that
 * send right @service names (wire.h "Channels"): it writes the OFFER into
 * the port's queue before it answers.
 * Return: A (the caller's fd), or a negative number: refused, or no
 * daemon to ask.
 */
int bootstrap_chan_ask(mach_port_name_t service);

#endif
