/* SPDX-License-Identifier: MIT */
/* msg-audit.h - a trailer's sender and audit tokens from kernel credentials (internal). */
#ifndef BOOTSTRAP_MSG_AUDIT_H
#define BOOTSTRAP_MSG_AUDIT_H

#include <mach/message.h>

#include "fdpass.h"

/**
 * audit_fill_tokens() - @t's msgh_sender and msgh_audit as XNU lays them
 * out (audit_token_to_*() read them back), from what the kernel said of
 * the sender; all ones when it said nothing.  The library's receive path
 * and the daemon's generated demux both use it.
 */
void audit_fill_tokens(mach_msg_max_trailer_t *t, const struct fdpass_creds *cr);

#endif
