/* SPDX-License-Identifier: MIT */
/*
 * control-proto.h - bsctl's requests to bootstrapd, on the bootstrap port.
 *
 * Shared by the daemon and bsctl.  Ids 700-799 (launchd's MIG subsystem
 * stops below 500 + 100), replies id + 100.  A request's body is
 * struct control_request; a plist to load travels as an out-of-line
 * descriptor holding the file's bytes (bsctl opens the file with the
 * caller's own permissions: the daemon never opens a path a client names).
 * A reply is NDR + return code + text (a mig_reply_error_t when empty);
 * a refusal may carry text too (why, for bsctl to print).
 *
 * CONTROL_LOAD is a complex message: header, body count 1, one
 * mach_msg_ool_descriptor_t (the plist's bytes, at most PLIST_MAX_SIZE),
 * then struct control_request.  The daemon parses the bytes under the
 * path's name; it cannot check the file's owner and mode (it never sees
 * the file), so bsctl does (launchctl's path_goodness_check, skipped with
 * -F).  That is enough: only the domain's owner or root may load, and they
 * could write any plist anyway; in the system domain that means root.
 *
 * CONTROL_JOB_DIRS answers the domain's job directories (bsctl load -D)
 * in a form meant for programs, where print DOMAIN's is meant for people:
 * each directory on a line of its own, a backslash in its name written as
 * two backslashes and a newline as a backslash and an "n", so any name
 * comes back whole.
 *
 * Every request names the domain the client means in @domain ("system",
 * "user/UID", or "" for whichever domain answers): a daemon serving another
 * domain refuses it (CONTROL_E_WRONG_DOMAIN), so a socket path mixed up
 * never changes the wrong domain.  The name is only checked, never trusted:
 * authority comes from the kernel's credentials of the request.
 */
#ifndef BOOTSTRAPD_CONTROL_PROTO_H
#define BOOTSTRAPD_CONTROL_PROTO_H

#include <stdint.h>

#include <mach/mach.h>
#include <servers/bootstrap.h>

enum control_id {
	CONTROL_LIST = 700,     /* arg: "" for all, or a label (launchd's dictionary; F_XML) */
	CONTROL_PRINT,          /* arg: label */
	CONTROL_LOAD,           /* arg: the path (messages); OOL: the bytes; F_FORCE, F_PERSIST */
	CONTROL_UNLOAD,         /* arg: label; flags: CONTROL_F_PERSIST */
	CONTROL_START,
	CONTROL_STOP,
	CONTROL_KICKSTART,      /* flags: CONTROL_F_KILL */
	CONTROL_KILL,           /* signal: the signal number */
	CONTROL_ENABLE,         /* arg: label; persistent, loads nothing */
	CONTROL_DISABLE,        /* arg: label; persistent, stops nothing */
	CONTROL_BLAME,          /* arg: label; why it runs or last ran */
	CONTROL_PRINT_DOMAIN,   /* arg: ""; the domain: services, endpoints, environment, ... */
	CONTROL_PRINT_DISABLED, /* arg: ""; the overrides, launchctl print-disabled's way */
	CONTROL_SETENV,         /* arg: "KEY=VALUE"; for jobs started from now on */
	CONTROL_UNSETENV,       /* arg: KEY */
	CONTROL_GETENV,         /* arg: KEY; reply: the value and a newline (not set:
				 * success, no text); arg "": every variable, a "KEY=VALUE" line each */
	CONTROL_BOOTOUT_DOMAIN, /* arg: ""; unload every job of the domain */
	CONTROL_REEXEC,         /* arg: ""; execute the daemon again, keeping its state */
	CONTROL_MANAGER,        /* arg: ""; reply: "PID UID NAME\n", who serves the domain */
	CONTROL_JOB_DIRS,       /* arg: ""; reply: the job directories, for programs (below) */
	CONTROL_LAST = CONTROL_JOB_DIRS,
};

#define CONTROL_F_KILL          0x1     /* kickstart -k */
#define CONTROL_F_FORCE         0x2     /* load -F */
#define CONTROL_F_PERSIST       0x4     /* load/unload -w */
#define CONTROL_F_JSON          0x8     /* reply in JSON */
#define CONTROL_F_XML           0x10    /* list LABEL: an XML plist (list -x) */

#define CONTROL_ARG_MAX 1024
#define CONTROL_DOMAIN_MAX 32   /* "user/4294967295" and its NUL fit */

#pragma pack(push, 4)
struct control_request {
	NDR_record_t ndr;
	uint32_t flags;
	int32_t signal;
	char arg[CONTROL_ARG_MAX];
	char domain[CONTROL_DOMAIN_MAX];        /* "", "system" or "user/UID" */
};
#pragma pack(pop)

/* Return codes beyond BOOTSTRAP_*: what bsctl maps to its exit codes. */
#define CONTROL_E_NOT_FOUND     BOOTSTRAP_UNKNOWN_SERVICE
#define CONTROL_E_NOT_PERMITTED BOOTSTRAP_NOT_PRIVILEGED
#define CONTROL_E_INVALID       KERN_INVALID_ARGUMENT
#define CONTROL_E_EXISTS        BOOTSTRAP_SERVICE_ACTIVE        /* load: label already loaded */
/* Control-only, outside the BOOTSTRAP_* range: load of a disabled job without -F/-w. */
#define CONTROL_E_DISABLED      1150
/* The request names a domain this daemon does not serve. */
#define CONTROL_E_WRONG_DOMAIN  1151

#endif
