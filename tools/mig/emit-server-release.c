/* SPDX-License-Identifier: MIT */
/*
 * emit-server-release.c - a reply that cannot be built after the work
 * routine succeeded: a count it set passes its array's bound, which the
 * stub answers with MIG_ARRAY_TOO_LARGE.  By then the work routine owns
 * what the request carried (it may have kept a right, or freed and
 * replaced an inout region), so the caller of the demux must destroy no
 * more than the request's header; and what the routine handed over for
 * the reply is released as sending it would have: the rights the reply
 * would move, and the memory it would deallocate.
 */
#include "emit-server.h"

#include <stdlib.h>

#define SELF "mach_task_self()"

/* Release right @name if its disposition @msgt (a number, or @poly's value) moves it. */
static void release_right(FILE *f, const char *ind, const char *name, int msgt, const char *poly)
{
	if (msgt == MSGT_POLYMORPHIC) {
		fprintf(f, "%sif (MACH_PORT_VALID(%s) && %s == MACH_MSG_TYPE_MOVE_RECEIVE)\n"
			   "%s\t(void)mach_port_mod_refs(" SELF ", %s, MACH_PORT_RIGHT_RECEIVE, -1);\n",
			ind, name, poly, ind, name);
		fprintf(f, "%selse if (MACH_PORT_VALID(%s) && (%s == MACH_MSG_TYPE_MOVE_SEND ||\n"
			   "%s    %s == MACH_MSG_TYPE_MOVE_SEND_ONCE))\n"
			   "%s\t(void)mach_port_deallocate(" SELF ", %s);\n",
			ind, name, poly, ind, poly, ind, name);
	} else if (type_moves_receive(msgt)) {
		fprintf(f, "%sif (MACH_PORT_VALID(%s))\n"
			   "%s\t(void)mach_port_mod_refs(" SELF ", %s, MACH_PORT_RIGHT_RECEIVE, -1);\n",
			ind, name, ind, name);
	} else if (type_moves_send(msgt)) {
		fprintf(f, "%sif (MACH_PORT_VALID(%s))\n%s\t(void)mach_port_deallocate(" SELF ", %s);\n",
			ind, name, ind, name);
	}
}

static bool moves_rights(const struct mig_type *t)
{
	return t->msgt == MSGT_POLYMORPHIC || type_moves_receive(t->msgt) ||
	       type_moves_send(t->msgt);
}

/* The rights of an array of @cnt names at @base (an in-line array or out-of-line memory). */
static void release_rights(FILE *f, const struct mig_arg *a, const char *base, const char *cnt)
{
	char *name = xasprintf("%s[MigI]", base), *poly = xasprintf("%sPoly", a->name);

	if (moves_rights(a->type)) {
		fprintf(f, "\t\tfor (mach_msg_type_number_t MigI = 0; %s; MigI++) {\n", cnt);
		release_right(f, "\t\t\t", name, a->type->msgt, poly);
		fprintf(f, "\t\t}\n");
	}
	free(name);
	free(poly);
}

/* An in-line port array: its elements up to its count, which may pass the bound. */
static void release_port_array(FILE *f, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	char *base = xasprintf("%sPorts", a->name);
	char *cnt = t->counted ? xasprintf("MigI < %u && MigI < OutP->%sCnt", t->number,
					   model_count_arg(a)->name) :
		    xasprintf("MigI < %u", t->number);

	release_rights(f, a, base, cnt);
	free(base);
	free(cnt);
}

/* Out-of-line data or ports: the rights, then the memory if the reply would deallocate it. */
static void release_ool(FILE *f, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	const char *n = a->name;
	char *count = t->ool_fixed ? xasprintf("%u", t->number) : xasprintf("%sOOLCnt", n);
	char *bytes;

	if (t->kind == IPC_OOL_PORTS) {
		char *cnt = xasprintf("MigI < %s", count), *base = xasprintf("%sOOL", n);

		release_rights(f, a, base, cnt);
		free(base);
		free(cnt);
		bytes = xasprintf("sizeof(mach_port_t) * %s", count);
	} else
		bytes = t->kind == IPC_OOL_FIXED ? xasprintf("%u", t->size) :
			xasprintf("%u * %s", t->size, count);
	if (a->dealloc)
		fprintf(f, "\t\tmig_deallocate((vm_offset_t)%sOOL, %s);\n", n, bytes);
	free(bytes);
	free(count);
}

static void release_out(FILE *f, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	char *name, *poly;

	if (a->kind != ARG_OUT && a->kind != ARG_INOUT)
		return;
	if (t->outtran.func)    /* a C value, not yet a right: the routine's to keep */
		return;
	switch (t->kind) {
	case IPC_PORT:
		name = xasprintf("OutP->%s.name", a->name);
		poly = xasprintf("%sPoly", a->name);
		release_right(f, "\t\t", name, t->msgt, poly);
		free(name);
		free(poly);
		break;
	case IPC_PORT_ARRAY:
		release_port_array(f, a);
		break;
	case IPC_OOL:
	case IPC_OOL_PORTS:
	case IPC_OOL_FIXED:
		release_ool(f, a);
		break;
	default:
		break;
	}
}

char *server_release(const struct mig_routine *rt, const struct routine_layout *lay)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		diag_fatal("out of memory");
	if (lay->req.complex)
		fprintf(f, "\t\t/* What the request carried is the work routine's now. */\n"
			   "\t\tIn0P->Head.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;\n");
	for (size_t i = 0; i < rt->nargs; i++)
		release_out(f, &rt->args[i]);
	if (fclose(f) != 0)
		diag_fatal("out of memory");
	return text;
}
