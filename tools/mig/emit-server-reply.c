/* SPDX-License-Identifier: MIT */
/*
 * emit-server-reply.c - the rest of a server stub (the reply) and the
 * server file around the stubs: includes, message typedefs, the
 * subsystem descriptor, the <subsystem>_server demux and
 * <subsystem>_server_routine.
 */
#include "emit-server.h"

#include <stdlib.h>

static void reply_port(FILE *f, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	const char *n = a->name;

	if (t->outtran.func)
		fprintf(f, "\tOutP->%s.name = %s(%sTemp);\n", n, t->outtran.func, n);
	fprintf(f, "\tOutP->%s.pad1 = 0;\n\tOutP->%s.pad2 = 0;\n", n, n);
	if (t->msgt == MSGT_POLYMORPHIC)
		fprintf(f, "\tOutP->%s.disposition = %sPoly;\n", n, n);
	else
		fprintf(f, "\tOutP->%s.disposition = %d;\n", n, t->msgt);
	fprintf(f, "\tOutP->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n", n);
}

static void reply_inline(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	const struct mig_type *t = a->type;
	const char *n = a->name;

	if (fld->kind == FIELD_COUNT && t->kind != IPC_PORT_ARRAY) {
		fprintf(f, "\tOutP->%sCnt = %sOOLCnt;\n", n, n);
	} else if (fld->kind == FIELD_VAR && t->kind == IPC_VAR_STRING) {
		fprintf(f, "\tOutP->%sOffset = 0;\n", n);
		fprintf(f, "\tOutP->%sCnt = (mach_msg_type_number_t)strnlen(OutP->%s, %u) + 1;\n",
			n, n, t->number - 1);
		fprintf(f, "\tOutP->%s[OutP->%sCnt - 1] = '\\0';\n", n, n);
	} else if (t->outtran.func) {
		fprintf(f, "\tOutP->%s = %s(%sTemp);\n", n, t->outtran.func, n);
	} else if (fld->kind == FIELD_DATA && !t->is_array) {
		fprintf(f, "\tOutP->%s = %sTemp;\n", n, n);
	}
	if (fld->kind == FIELD_DATA && fld->pad)
		fprintf(f, "\tmemset(OutP->%sPad, 0, %u);\n", n, fld->pad);
}

/*
 * Counts the work routine set, which must be within their bounds; an
 * array with SameCount holds the shared count within its own bound.
 */
static bool is_checked_count(const struct field *fld)
{
	return (fld->kind == FIELD_VAR && fld->arg->type->kind != IPC_VAR_STRING) ||
	       (fld->kind == FIELD_COUNT && fld->arg->type->kind == IPC_PORT_ARRAY) ||
	       (fld->kind == FIELD_PORT_ARRAY && fld->arg->count_owner);
}

/*
 * The counts the work routine set, before any descriptor is filled in:
 * one past its bound has the reply refused, although the routine
 * succeeded (see emit-server-release.c).
 */
static void check_out_counts(FILE *f, const struct mig_routine *rt,
			     const struct routine_layout *lay)
{
	const struct msg_layout *m = &lay->rep;
	unsigned n = 0;
	char *release;

	for (size_t i = 0; i < m->n; i++) {
		const struct mig_arg *a = m->fields[i].arg;

		if (is_checked_count(&m->fields[i]))
			fprintf(f, "%sOutP->%sCnt > %u", n++ ? " ||\n\t    " : "\tif (",
				model_count_arg(a)->name, a->type->number);
	}
	if (!n)
		return;
	release = server_release(rt, lay);
	if (*release)
		fprintf(f, ") {\n%s\t\tMIG_RETURN_ERROR(OutP, MIG_ARRAY_TOO_LARGE);\n\t}\n", release);
	else
		fprintf(f, ")\n\t\t{ MIG_RETURN_ERROR(OutP, MIG_ARRAY_TOO_LARGE); }\n");
	free(release);
}

static bool is_string(const struct field *fld)
{
	return fld->kind == FIELD_VAR && fld->arg->type->kind == IPC_VAR_STRING;
}

static void reply_port_array(FILE *f, const struct field *fld)
{
	const char *n = fld->arg->name;
	char *src = xasprintf("%sPorts", n), *cnt = NULL;

	if (fld->arg->type->counted)
		cnt = xasprintf("OutP->%sCnt", model_count_arg(fld->arg)->name);
	emit_port_array_fill(f, fld, "OutP", src, cnt);
	free(src);
	free(cnt);
}

static void reply_fill(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	const struct msg_layout *m = &lay->rep;

	check_out_counts(f, rt, lay);
	for (size_t i = 0; i < m->n; i++)
		if (is_string(&m->fields[i]))
			reply_inline(f, &m->fields[i]);
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];

		if (fld->kind == FIELD_PORT)
			reply_port(f, fld->arg);
		else if (fld->kind == FIELD_PORT_ARRAY)
			reply_port_array(f, fld);
		else if (fld->kind == FIELD_OOL || fld->kind == FIELD_OOL_PORTS)
			emit_ool_descriptor(f, fld, "OutP", "OOL");
		else if (!is_checked_count(fld) && !is_string(fld))
			reply_inline(f, fld);
	}
	if (m->ndr)
		fprintf(f, "\tOutP->NDR = NDR_record;\n");
	if (m->complex) {
		fprintf(f, "\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;\n");
		fprintf(f, "\tOutP->msgh_body.msgh_descriptor_count = %u;\n", m->ndesc);
	}
	emit_pack(f, m, "OutP", "Reply", "OutP->Head.msgh_size");
}

static void declare(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	emit_struct(f, &lay->req, "Request", true, "mach_msg_trailer_t", "\t");
	fprintf(f, "\ttypedef __Request__%s_t __Request;\n", rt->name);
	fprintf(f, "\ttypedef __Reply__%s_t Reply __attribute__((unused));\n\n", rt->name);
	for (unsigned k = 0; k <= lay->req.nvar; k++)
		fprintf(f, "\tRequest *In%uP __attribute__((unused)) = %s;\n", k, k ? "NULL" : "(Request *) InHeadP");
	fprintf(f, "\tReply *OutP = (Reply *) OutHeadP;\n\tmach_msg_size_t msgh_size;\n");
	if (model_server_trailer(rt))
		fprintf(f, "\tmach_msg_max_trailer_t *TrailerP;\n");
	if (!rt->simple && !lay->rep.retcode)
		fprintf(f, "\tkern_return_t RetCode;\n");
}

void server_stub(FILE *f, const struct gen *g, const struct mig_routine *rt)
{
	struct routine_layout lay;

	layout_routine(rt, &lay);
	fprintf(f, "\n/* %s %s */\n#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\n",
		rt->simple ? "SimpleRoutine" : "Routine", rt->name);
	fprintf(f, "kern_return_t %s%s\n(\n", emit_server_prefix(g), rt->name);
	emit_server_params(f, rt);
	fprintf(f, "\n);\n\n/* %s %s */\nmig_internal novalue _X%s\n", rt->simple ? "SimpleRoutine" :
		"Routine", rt->name, rt->name);
	fprintf(f, "\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n");
	declare(f, rt, &lay);
	server_call(f, g, rt, &lay);
	if (!rt->simple)
		reply_fill(f, rt, &lay);
	fprintf(f, "}\n");
}
