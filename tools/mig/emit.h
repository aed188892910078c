/* SPDX-License-Identifier: MIT */
/* emit.h - writing C from a parsed subsystem: shared pieces and the emitters. */
#ifndef BSMIG_EMIT_H
#define BSMIG_EMIT_H

#include <stdio.h>

#include "layout.h"
#include "model.h"

struct gen {
	const struct mig_subsystem *sub;
	const char *defs_file;          /* for the banner */
	const char *user_header;        /* the -header file name the user .c includes */
	unsigned maxonstack;            /* accepted; messages always live on the stack */
	bool novouchers;
};

/* Names derived from the subsystem. */
const char *emit_user_prefix(const struct gen *g);
const char *emit_server_prefix(const struct gen *g);
char *emit_demux_name(const struct gen *g);
char *emit_subsys_name(const struct gen *g);

/** emit_banner() - the comment that opens every generated file. */
void emit_banner(FILE *f, const struct gen *g);

/** emit_imports() - #include lines of @kind plus those for both sides. */
void emit_imports(FILE *f, const struct gen *g, enum import_kind kind);

/** emit_common_defines() - mig_internal, mig_external, __MigTypeCheck, _WALIGN_ ... */
void emit_common_defines(FILE *f);

/** emit_struct() - "typedef struct { fields } NAME;" packed to 4, for one side. */
void emit_struct(FILE *f, const struct msg_layout *m, const char *name, bool server,
		 const char *trailer, const char *indent);

/** emit_user_params(), emit_server_params() - the C parameter list, one per line. */
void emit_user_params(FILE *f, const struct mig_routine *rt);
void emit_server_params(FILE *f, const struct mig_routine *rt);

/** emit_server_argc() - how many C parameters the server routine takes. */
unsigned emit_server_argc(const struct mig_routine *rt);

/** emit_msg_types() - the __Request__ / __Reply__ typedefs and unions of a side. */
void emit_msg_types(FILE *f, const struct gen *g, bool server);

/** emit_pack() - move variable fields of *@ptr to their packed offsets; set @size_var. */
void emit_pack(FILE *f, const struct msg_layout *m, const char *ptr, const char *type,
	       const char *size_var);

/**
 * emit_walk() - validate the variable part of a received message at
 * @pfx0P (size in msgh_size) and set @pfx1P...: returns @err on failure.
 */
void emit_walk(FILE *f, const struct msg_layout *m, const char *pfx, const char *ptype,
	       const char *type, const char *fail_stmt);

/**
 * emit_ool_descriptor() - fill out-of-line descriptor @fld of message @msg
 * ("InP" or "OutP") from the C variable named after the argument plus @val
 * ("" in user stubs, "OOL" in server replies) and its count.
 */
void emit_ool_descriptor(FILE *f, const struct field *fld, const char *msg, const char *val);

/**
 * emit_port_array_fill() - fill the port descriptors of in-line port array
 * @fld in @msg from the C array @src; for a counted array, those from
 * index @cnt on carry MACH_PORT_NULL, as Apple's MIG sends them.
 */
void emit_port_array_fill(FILE *f, const struct field *fld, const char *msg, const char *src,
			  const char *cnt);

/**
 * emit_desc_check() - run @fail unless descriptor @fld (a port, out-of-line
 * data or out-of-line ports) in @msg has its type, a port's received
 * disposition (unless told in a Poly) and, for ^ of fixed-size data,
 * exactly the type's size.
 */
void emit_desc_check(FILE *f, const struct field *fld, const char *msg, const char *ind,
		     const char *fail);

/**
 * emit_port_array_check() - run @fail unless every descriptor of port
 * array @fld in @msg is a port descriptor with the received disposition
 * (in a counted array, those that name a port: the rest are null; with
 * @cnt, the expression of its count, those past the count must be null).
 */
void emit_port_array_check(FILE *f, const struct field *fld, const char *msg, const char *ind,
			   const char *fail, const char *cnt);

/**
 * emit_ool_count_check() - run @fail unless the out-of-line descriptor of
 * @fld's argument (data or ports) in @msg holds what count @cnt (an
 * expression) says: as many bytes as that many elements take, or as many
 * ports.
 */
void emit_ool_count_check(FILE *f, const struct field *fld, const char *msg, const char *cnt,
			  const char *ind, const char *fail);

/**
 * emit_count_expr() - where received message @m (segments @pfx0P ...)
 * keeps @a's count: its own count field, or with SameCount the field of
 * the array whose count it shares.
 */
char *emit_count_expr(const struct msg_layout *m, const char *pfx, const struct mig_arg *a);

/** emit_field_ptr() - "In2P" for a field in segment 2 with prefix "In". */
char *emit_field_ptr(const char *pfx, const struct field *fld);

/* The two code outputs; the headers are in emit-header.h. */
void emit_user(FILE *f, const struct gen *g);
void emit_server(FILE *f, const struct gen *g);

#endif
