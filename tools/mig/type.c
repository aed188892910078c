/* SPDX-License-Identifier: MIT */
/*
 * type.c - the built-in MACH_MSG_TYPE_* types, the table of declared
 * types, and the questions emitters ask about a type.
 */
#include "type.h"

#include <stdlib.h>
#include <string.h>

/* Mach's MACH_MSG_TYPE_* values (mach/message.h and the MIG type names). */
enum {
	MSGT_UNSTRUCTURED = 0, MSGT_BIT = 0, MSGT_BOOLEAN = 0, MSGT_INTEGER_16 = 1,
	MSGT_INTEGER_32 = 2, MSGT_CHAR = 8, MSGT_BYTE = 9, MSGT_INTEGER_8 = 9,
	MSGT_REAL = 10, MSGT_INTEGER_64 = 11, MSGT_STRING = 12, MSGT_STRING_C = 12,
	MSGT_PORT_NAME = 15, MSGT_MOVE_RECEIVE = 16, MSGT_MOVE_SEND = 17,
	MSGT_MOVE_SEND_ONCE = 18, MSGT_COPY_SEND = 19, MSGT_MAKE_SEND = 20,
	MSGT_MAKE_SEND_ONCE = 21,
};

struct builtin {
	const char *name;
	int msgt;
	unsigned size;
	bool port;
	const char *ctype;
	int rcv_msgt;           /* non-zero: an "in|out" pair, received as this */
};

static const struct builtin builtins[] = {
	{ "MACH_MSG_TYPE_UNSTRUCTURED", MSGT_UNSTRUCTURED, 4, false, "uint32_t" },
	{ "MACH_MSG_TYPE_BOOLEAN", MSGT_BOOLEAN, 4, false, "boolean_t" },
	{ "MACH_MSG_TYPE_INTEGER_8", MSGT_INTEGER_8, 1, false, "int8_t" },
	{ "MACH_MSG_TYPE_INTEGER_16", MSGT_INTEGER_16, 2, false, "int16_t" },
	{ "MACH_MSG_TYPE_INTEGER_32", MSGT_INTEGER_32, 4, false, "int32_t" },
	{ "MACH_MSG_TYPE_INTEGER_64", MSGT_INTEGER_64, 8, false, "int64_t" },
	{ "MACH_MSG_TYPE_CHAR", MSGT_CHAR, 1, false, "char" },
	{ "MACH_MSG_TYPE_BYTE", MSGT_BYTE, 1, false, "uint8_t" },
	{ "MACH_MSG_TYPE_REAL_32", MSGT_REAL, 4, false, "float" },
	{ "MACH_MSG_TYPE_REAL_64", MSGT_REAL, 8, false, "double" },
	{ "MACH_MSG_TYPE_STRING", MSGT_STRING, 1, false, "char" },
	{ "MACH_MSG_TYPE_STRING_C", MSGT_STRING_C, 1, false, "char" },
	{ "MACH_MSG_TYPE_PORT_NAME", MSGT_PORT_NAME, 4, false, "mach_port_name_t" },
	{ "MACH_MSG_TYPE_MOVE_RECEIVE", MSGT_MOVE_RECEIVE, 4, true, "mach_port_t" },
	{ "MACH_MSG_TYPE_MOVE_SEND", MSGT_MOVE_SEND, 4, true, "mach_port_t" },
	{ "MACH_MSG_TYPE_MOVE_SEND_ONCE", MSGT_MOVE_SEND_ONCE, 4, true, "mach_port_t" },
	{ "MACH_MSG_TYPE_COPY_SEND", MSGT_COPY_SEND, 4, true, "mach_port_t" },
	{ "MACH_MSG_TYPE_MAKE_SEND", MSGT_MAKE_SEND, 4, true, "mach_port_t" },
	{ "MACH_MSG_TYPE_MAKE_SEND_ONCE", MSGT_MAKE_SEND_ONCE, 4, true, "mach_port_t" },
	/*
	 * As in Apple's MIG (lexxer.l): polymorphic when sent, so the sender
	 * names the disposition in a Poly argument, and the named right when
	 * received.
	 */
	{ "MACH_MSG_TYPE_PORT_RECEIVE", MSGT_POLYMORPHIC, 4, true, "mach_port_t", MSGT_MOVE_RECEIVE },
	{ "MACH_MSG_TYPE_PORT_SEND", MSGT_POLYMORPHIC, 4, true, "mach_port_t", MSGT_MOVE_SEND },
	{ "MACH_MSG_TYPE_PORT_SEND_ONCE", MSGT_POLYMORPHIC, 4, true, "mach_port_t",
	  MSGT_MOVE_SEND_ONCE },
	{ "MACH_MSG_TYPE_POLYMORPHIC", MSGT_POLYMORPHIC, 4, true, "mach_port_t" },
	{ "polymorphic", MSGT_POLYMORPHIC, 4, true, "mach_port_t" },
};

static struct mig_type **table;
static size_t n_table;

struct mig_type *type_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		const struct builtin *b = &builtins[i];
		struct mig_type *t;

		if (strcmp(b->name, name) != 0)
			continue;
		t = xcalloc(1, sizeof(*t));
		t->kind = b->port ? IPC_PORT : IPC_INLINE;
		t->msgt = b->msgt;
		t->rcv_msgt = b->rcv_msgt;
		t->size = b->size;
		t->builtin = true;
		t->ctype = xstrdup(b->ctype);
		return t;
	}
	return NULL;
}

struct mig_type *type_lookup(const char *name)
{
	for (size_t i = n_table; i-- > 0;)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return type_builtin(name);
}

void type_define(struct mig_type *t)
{
	table = realloc(table, (n_table + 1) * sizeof(*table));
	if (!table)
		diag_fatal("out of memory");
	table[n_table++] = t;
}

struct mig_type *type_copy(const struct mig_type *t)
{
	struct mig_type *c = xcalloc(1, sizeof(*c));

	*c = *t;
	c->name = NULL;
	c->builtin = false;
	memset(&c->intran, 0, sizeof(c->intran));
	memset(&c->outtran, 0, sizeof(c->outtran));
	memset(&c->destructor, 0, sizeof(c->destructor));
	c->cusertype = NULL;
	c->cservertype = NULL;
	return c;
}

bool type_is_port(const struct mig_type *t)
{
	return t->kind == IPC_PORT;
}

int type_received_msgt(int msgt)
{
	switch (msgt) {
	case MSGT_COPY_SEND:
	case MSGT_MAKE_SEND:
	case MSGT_MOVE_SEND:
		return MSGT_MOVE_SEND;
	case MSGT_MAKE_SEND_ONCE:
	case MSGT_MOVE_SEND_ONCE:
		return MSGT_MOVE_SEND_ONCE;
	default:
		return msgt;
	}
}

int type_rcv_msgt(const struct mig_type *t)
{
	return t->rcv_msgt ? t->rcv_msgt : type_received_msgt(t->msgt);
}

unsigned type_wire_size(const struct mig_type *t)
{
	return (t->size + 3) & ~3u;
}

const char *type_utype(const struct mig_type *t)
{
	return t->cusertype ? t->cusertype : t->ctype;
}

const char *type_stype(const struct mig_type *t)
{
	if (t->intran.func)
		return t->intran.result_type;
	return t->cservertype ? t->cservertype : t->ctype;
}

const char *type_transtype(const struct mig_type *t)
{
	if (t->intran.func)
		return t->intran.arg_type;
	if (t->outtran.func)
		return t->outtran.result_type;
	return t->cservertype ? t->cservertype : t->ctype;
}

void type_finish(struct mig_type *t)
{
	if (t->ctype)
		return;
	if (t->name) {
		t->ctype = xstrdup(t->name);
		return;
	}
	if (t->elem_ctype && (t->kind == IPC_VAR_INLINE || t->kind == IPC_OOL ||
			      t->kind == IPC_OOL_PORTS || t->is_array))
		t->ctype = xasprintf("%s *", t->elem_ctype);
	else if (t->is_string)
		t->ctype = xstrdup("char *");
	else if (t->kind == IPC_OOL_FIXED)
		diag_error(t->pos, "^ of fixed-size data needs a type name: C passes it as a pointer type");
	else
		diag_error(t->pos, "this anonymous type needs a C type (ctype:)");
}

bool type_moves_receive(int msgt)
{
	return msgt == MSGT_MOVE_RECEIVE;
}

bool type_moves_send(int msgt)
{
	return msgt == MSGT_MOVE_SEND || msgt == MSGT_MOVE_SEND_ONCE;
}
