/* SPDX-License-Identifier: MIT */
/*
 * layout.h - the wire layout of a routine's request and reply, as Apple's
 * MIG lays them out: header; if complex, the body and one descriptor per
 * port or out-of-line argument, in argument order; the NDR record when
 * any in-line data follows (always in a simple reply, whose first datum is
 * RetCode); then the in-line data in argument order, every field padded
 * to 4 bytes, counts before their arrays.  An array with SameCount has
 * no count of its own: the count of the array it shares it with serves.
 */
#ifndef BSMIG_LAYOUT_H
#define BSMIG_LAYOUT_H

#include "model.h"

enum field_kind {
	FIELD_PORT,     /* mach_msg_port_descriptor_t */
	FIELD_OOL,      /* mach_msg_ool_descriptor_t */
	FIELD_OOL_PORTS,/* mach_msg_ool_ports_descriptor_t */
	FIELD_DATA,     /* fixed-size in-line value */
	FIELD_COUNT,    /* the count of an out-of-line array */
	FIELD_VAR,      /* [offset,] count (none with SameCount), then up to max bytes of data */
	FIELD_PORT_ARRAY,/* mach_msg_port_descriptor_t[N]: an in-line array of ports */
};

struct field {
	enum field_kind kind;
	const struct mig_arg *arg;
	unsigned wire;          /* DATA: padded size; VAR: padded maximum of the data */
	unsigned pad;           /* DATA, VAR: bytes of padding after the value */
	unsigned seg;           /* In<seg>P / Out<seg>P reaches it after variable fields */
};

struct msg_layout {
	struct field *fields;
	size_t n;
	unsigned ndesc;
	bool complex;
	bool ndr;
	bool retcode;
	unsigned nvar;          /* variable fields, so nvar + 1 segments */
	unsigned var_max;       /* sum of the padded maxima of the variable data */
};

struct routine_layout {
	struct msg_layout req;
	struct msg_layout rep;
};

/** layout_routine() - lay out @rt's messages. */
void layout_routine(const struct mig_routine *rt, struct routine_layout *lay);

/** layout_in_request(), layout_in_reply() - whether @a travels in the message body. */
bool layout_in_request(const struct mig_routine *rt, const struct mig_arg *a);
bool layout_in_reply(const struct mig_arg *a);

/** layout_is_desc() - the field is a descriptor. */
bool layout_is_desc(const struct field *f);

/** layout_var_bytes() - C expression of the padded data bytes of VAR field @f, count @cnt. */
char *layout_var_bytes(const struct field *f, const char *cnt);

#endif
