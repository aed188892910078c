/* SPDX-License-Identifier: MIT */
/*
 * control-proto.h - bsctl's requests to bootstrapd, on the bootstrap port.
 *
 * Shared by the daemon and bsctl.  Ids 700-799 (launchd's MIG subsystem
 * stops below 500 + 100), replies id + 100.  A request's body is
 * struct control_request; a plist to load travels as an out-of-line
 * descriptor holding the file's bytes (bsctl opens the file with the
 * caller's own permissions: the daemon never opens a path a client names).
 * A reply is NDR + return code + text (a mig_reply_error_t when empty).
 */
#ifndef BOOTSTRAPD_CONTROL_PROTO_H
#define BOOTSTRAPD_CONTROL_PROTO_H

#include <stdint.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

enum control_id {
	CONTROL_LIST = 700,     /* arg: "" for all, or a label */
	CONTROL_PRINT,          /* arg: label */
	CONTROL_LOAD,           /* arg: the plist's path (for messages); OOL: its bytes */
	CONTROL_UNLOAD,         /* arg: label */
	CONTROL_START,
	CONTROL_STOP,
	CONTROL_KICKSTART,      /* flags: CONTROL_F_KILL */
	CONTROL_KILL,           /* signal: the signal number */
	CONTROL_ENABLE,
	CONTROL_DISABLE,
	CONTROL_BLAME,
	CONTROL_LAST = CONTROL_BLAME,
};

#define CONTROL_F_KILL          0x1     /* kickstart -k */
#define CONTROL_F_FORCE         0x2     /* load -F */
#define CONTROL_F_PERSIST       0x4     /* load/unload -w */
#define CONTROL_F_JSON          0x8     /* reply in JSON */

#define CONTROL_ARG_MAX 1024

#pragma pack(push, 4)
struct control_request {
	NDR_record_t ndr;
	uint32_t flags;
	int32_t signal;
	char arg[CONTROL_ARG_MAX];
};
#pragma pack(pop)

/* Return codes beyond BOOTSTRAP_*: what bsctl maps to its exit codes. */
#define CONTROL_E_NOT_FOUND     BOOTSTRAP_UNKNOWN_SERVICE
#define CONTROL_E_NOT_PERMITTED BOOTSTRAP_NOT_PRIVILEGED
#define CONTROL_E_INVALID       KERN_INVALID_ARGUMENT

#endif
