/* SPDX-License-Identifier: MIT */
/*
 * type.h - the type model: what a .defs type is on the wire (inline data,
 * a counted inline array, a counted string, a port, out-of-line memory or
 * out-of-line ports) and what it is in C.
 */
#ifndef BSMIG_TYPE_H
#define BSMIG_TYPE_H

#include <stdbool.h>

#include "diag.h"

enum ipc_kind {
	IPC_INLINE,     /* fixed size: scalars, array[N], struct[N], c_string[N] */
	IPC_VAR_INLINE, /* array[*:N] of T: a count, then up to N elements */
	IPC_VAR_STRING, /* c_string[*:N]: an offset (0), a count, then the chars */
	IPC_PORT,       /* one port descriptor */
	IPC_OOL,        /* ^array[] / array[] of data: an out-of-line descriptor and a count */
	IPC_OOL_PORTS,  /* ^array[] / array[] of ports: an out-of-line ports descriptor and a count */
	IPC_OOL_FIXED,  /* ^T, T fixed-size data: an out-of-line descriptor of exactly T's size */
	IPC_PORT_ARRAY, /* array[N] / array[*:N] of ports: N port descriptors (and a count) */
};

/* msgt value of a polymorphic port: the disposition travels as an argument. */
#define MSGT_POLYMORPHIC (-1)

/* server_type func(arg_type), for intran, outtran and destructor. */
struct translation {
	char *func;
	char *result_type;
	char *arg_type;
};

struct mig_type {
	char *name;             /* the .defs name; NULL when anonymous */
	struct srcpos pos;
	enum ipc_kind kind;
	int msgt;               /* MACH_MSG_TYPE_* of a port or of the data, as sent */
	/*
	 * Non-zero for an "in|out" pair: the received disposition, or
	 * MSGT_POLYMORPHIC.  A data pair received as MACH_MSG_TYPE_UNSTRUCTURED
	 * (0) reads as no pair, which is the same to every reader: only ports
	 * are checked for their disposition.
	 */
	int rcv_msgt;
	unsigned size;          /* INLINE, OOL_FIXED: bytes of the whole value; others: of one element */
	unsigned number;        /* arrays: elements (fixed), or the bound (0 = none) */
	bool is_array;          /* C passes it as an array (decays to a pointer) */
	bool counted;           /* PORT_ARRAY: array[*:N], a count travels with it */
	bool ool_fixed;         /* OOL_PORTS: ^array[N], exactly N ports and no count */
	bool is_string;         /* c_string: copied with mig_strncpy, checked for a NUL */
	bool builtin;           /* a MACH_MSG_TYPE_* name */
	char *ctype;
	char *cusertype;
	char *cservertype;
	char *elem_ctype;       /* arrays: the C type of one element */
	struct translation intran, outtran, destructor;
};

/** type_builtin() - the MACH_MSG_TYPE_* type named @name, or NULL. */
struct mig_type *type_builtin(const char *name);

/** type_lookup() - a declared or built-in type, or NULL. */
struct mig_type *type_lookup(const char *name);

/** type_define() - declare @t under t->name; redeclaring replaces (as MIG does). */
void type_define(struct mig_type *t);

/** type_copy() - a fresh copy of @t, anonymous, without translations. */
struct mig_type *type_copy(const struct mig_type *t);

/** type_is_port() - @t travels as a port right. */
bool type_is_port(const struct mig_type *t);

/** type_received_msgt() - the disposition a receiver sees for a port sent as @msgt. */
int type_received_msgt(int msgt);

/**
 * type_rcv_msgt() - the disposition a receiver sees for @t: the second
 * half of an "in|out" pair, else what the kernel makes of t->msgt.
 * MSGT_POLYMORPHIC when the receiver is told it as an argument.
 */
int type_rcv_msgt(const struct mig_type *t);

/**
 * type_moves_receive(), type_moves_send() - whether sending with
 * disposition @msgt takes the sender's receive right, or its send or
 * send-once right.  Neither for MSGT_POLYMORPHIC: that is told at run time.
 */
bool type_moves_receive(int msgt);
bool type_moves_send(int msgt);

/** type_wire_size() - bytes an INLINE value occupies, padded to 4. */
unsigned type_wire_size(const struct mig_type *t);

/** type_utype(), type_stype() - the C type on the user and on the server side. */
const char *type_utype(const struct mig_type *t);
const char *type_stype(const struct mig_type *t);

/** type_transtype() - the C type of the message field on the server side. */
const char *type_transtype(const struct mig_type *t);

/** type_finish() - fill C types that were not given; report types C cannot name. */
void type_finish(struct mig_type *t);

#endif
