/* SPDX-License-Identifier: MIT */
/*
 * emit-user.c - the user side (-user): one stub per routine that builds
 * the request with Apple MIG's layout, sends it with mach_msg() on the
 * thread's reply port and hands the reply to emit-user-reply.c.
 */
#include "emit.h"
#include "emit-user.h"

#include <stdlib.h>

static void request_port_fill(FILE *f, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	const char *deref = a->kind == ARG_INOUT ? "*" : "";

	fprintf(f, "\tInP->%s.name = %s%s;\n", a->name, deref, a->name);
	fprintf(f, "\tInP->%s.pad1 = 0;\n\tInP->%s.pad2 = 0;\n", a->name, a->name);
	if (t->msgt == MSGT_POLYMORPHIC)
		fprintf(f, "\tInP->%s.disposition = %s%sPoly;\n", a->name, deref, a->name);
	else
		fprintf(f, "\tInP->%s.disposition = %d;\n", a->name, t->msgt);
	fprintf(f, "\tInP->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n", a->name);
}

/* An inout count is the caller's variable, reached through a pointer. */
static const char *count_deref(const struct mig_arg *a)
{
	return model_count_arg(a)->kind == ARG_INOUT ? "*" : "";
}

/* The caller's count within the array's bound; with SameCount, the shared count. */
static void bound_check(FILE *f, const struct mig_arg *a)
{
	if (a->type->number)
		fprintf(f, "\tif (%s%sCnt > %u) {\n\t\t{ return MIG_ARRAY_TOO_LARGE; }\n\t}\n",
			count_deref(a), model_count_arg(a)->name, a->type->number);
}

static void ool_fill(FILE *f, const struct field *fld)
{
	if (!fld->arg->type->ool_fixed)         /* ^array[N]: always N, no count */
		bound_check(f, fld->arg);
	emit_ool_descriptor(f, fld, "InP", "");
	fprintf(f, "\n");
}

static void port_array_fill(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	char *cnt = a->type->counted ? xasprintf("%sCnt", model_count_arg(a)->name) : NULL;

	if (cnt)
		bound_check(f, a);
	emit_port_array_fill(f, fld, "InP", a->name, cnt);
	free(cnt);
}

static void data_fill(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	const struct mig_type *t = a->type;
	const char *n = a->name;

	if (t->is_string)
		fprintf(f, "\t(void) mig_strncpy_zerofill(InP->%s, %s, %u);\n", n, n, t->number);
	else if (t->is_array)
		fprintf(f, "\t(void)memcpy((char *) InP->%s, (const char *) %s, %u);\n", n, n, t->size);
	else
		fprintf(f, "\tInP->%s = %s%s;\n", n, a->kind == ARG_INOUT ? "*" : "", n);
	if (fld->pad)
		fprintf(f, "\tmemset(InP->%sPad, 0, %u);\n", n, fld->pad);
}

static void var_fill(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	const char *n = a->name, *cnt = model_count_arg(a)->name;

	if (a->type->kind == IPC_VAR_STRING) {
		fprintf(f, "\tInP->%sOffset = 0;\n", n);
		fprintf(f, "\tInP->%sCnt = mig_strncpy(InP->%s, %s, %u);\n", n, n, n, a->type->number);
		return;
	}
	bound_check(f, a);
	fprintf(f, "\t(void)memcpy((char *) InP->%s, (const char *) %s, %u * %s%sCnt);\n",
		n, n, a->type->size, count_deref(a), cnt);
	if (!a->count_owner)
		fprintf(f, "\tInP->%sCnt = %s%sCnt;\n", n, count_deref(a), n);
}

static void fill_request(FILE *f, const struct msg_layout *m)
{
	bool ndr_done = false;

	if (m->complex)
		fprintf(f, "\tInP->msgh_body.msgh_descriptor_count = %u;\n", m->ndesc);
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];

		if (!layout_is_desc(fld) && !ndr_done && m->ndr) {
			fprintf(f, "\n\tInP->NDR = NDR_record;\n\n");
			ndr_done = true;
		}
		if (fld->kind == FIELD_PORT)
			request_port_fill(f, fld->arg);
		else if (fld->kind == FIELD_OOL || fld->kind == FIELD_OOL_PORTS)
			ool_fill(f, fld);
		else if (fld->kind == FIELD_PORT_ARRAY)
			port_array_fill(f, fld);
		else if (fld->kind == FIELD_DATA)
			data_fill(f, fld);
		else if (fld->kind == FIELD_COUNT && fld->arg->countinout)
			fprintf(f, "\tInP->%sCnt = *%sCnt < %u ? *%sCnt : %u;\n", fld->arg->name,
				fld->arg->name, fld->arg->type->number, fld->arg->name,
				fld->arg->type->number);
		else if (fld->kind == FIELD_COUNT)
			fprintf(f, "\tInP->%sCnt = %s%sCnt;\n", fld->arg->name,
				count_deref(fld->arg), fld->arg->name);
		else
			var_fill(f, fld);
	}
}

/* The disposition of a header port: its type's, or the caller's for polymorphic. */
static char *header_disp(const struct mig_arg *a)
{
	if (a->type->msgt == MSGT_POLYMORPHIC)
		return xasprintf("%sPoly", a->name);
	return xasprintf("%d", a->type->msgt);
}

static const struct mig_arg *user_reply_port(const struct mig_routine *rt)
{
	const struct mig_arg *a = model_find_kind(rt, ARG_REPLYPORT);

	return a ? a : model_find_kind(rt, ARG_UREPLYPORT);
}

static void fill_header(FILE *f, const struct gen *g, const struct mig_routine *rt,
			const struct msg_layout *m)
{
	const struct mig_arg *req = model_request_port(rt), *rp = user_reply_port(rt);
	char *req_disp = header_disp(req), *rep_disp;

	if (rp) {
		fprintf(f, "\tInP->Head.msgh_reply_port = %s;\n", rp->name);
		rep_disp = header_disp(rp);
	} else if (!rt->simple) {
		fprintf(f, "\tInP->Head.msgh_reply_port = mig_get_reply_port();\n");
		rep_disp = xstrdup("MACH_MSG_TYPE_MAKE_SEND_ONCE");
	} else {
		fprintf(f, "\tInP->Head.msgh_reply_port = MACH_PORT_NULL;\n");
		rep_disp = xstrdup("0");
	}
	fprintf(f, "\tInP->Head.msgh_bits = %s\n\t\tMACH_MSGH_BITS(%s, %s);\n",
		m->complex ? "MACH_MSGH_BITS_COMPLEX|" : "", req_disp, rep_disp);
	fprintf(f, "\tInP->Head.msgh_request_port = %s;\n", req->name);
	fprintf(f, "\tInP->Head.msgh_id = %d;\n", g->sub->base + rt->number);
	fprintf(f, "\tInP->Head.msgh_reserved = 0;\n");
	fprintf(f, "\tInP->Head.msgh_size = msgh_size;\n\n");
	free(req_disp);
	free(rep_disp);
}

static void declare(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	emit_struct(f, &lay->req, "Request", false, NULL, "\t");
	if (!rt->simple) {
		emit_struct(f, &lay->rep, "Reply", false,
			    model_user_trailer(rt) ? "mach_msg_max_trailer_t" : "mach_msg_trailer_t", "\t");
		emit_struct(f, &lay->rep, "__Reply", false, NULL, "\t");
	}
	fprintf(f, "\n\tunion {\n\t\tRequest In;\n%s\t} Mess;\n\n", rt->simple ? "" : "\t\tReply Out;\n");
	fprintf(f, "\tRequest *InP = &Mess.In;\n");
	if (!rt->simple)
		for (unsigned k = 0; k <= lay->rep.nvar; k++)
			fprintf(f, "\tReply *Out%uP __attribute__((unused)) = %s;\n", k, k ? "NULL" : "&Mess.Out");
	fprintf(f, "\n\tmach_msg_return_t msg_result;\n\tmach_msg_size_t msgh_size;\n");
	fprintf(f, "\tkern_return_t check_result = MACH_MSG_SUCCESS;\n");
	if (!rt->simple)
		user_reply_locals(f, rt);
	fprintf(f, "\n");
	if (model_user_trailer(rt))
		fprintf(f, "\tmach_msg_max_trailer_t *TrailerP = NULL;\n");
	fprintf(f, "\t(void)check_result;\n");
}

static void stub(FILE *f, const struct gen *g, const struct mig_routine *rt)
{
	struct routine_layout lay;

	layout_routine(rt, &lay);
	fprintf(f, "\n/* %s %s */\nmig_external kern_return_t %s%s\n(\n",
		rt->simple ? "SimpleRoutine" : "Routine", rt->name, emit_user_prefix(g), rt->name);
	emit_user_params(f, rt);
	fprintf(f, "\n)\n{\n");
	declare(f, rt, &lay);
	fill_request(f, &lay.req);
	emit_pack(f, &lay.req, "InP", "Request", "msgh_size");
	fill_header(f, g, rt, &lay.req);
	user_send(f, g, rt, user_reply_port(rt) == NULL);
	if (!rt->simple)
		user_reply(f, g, rt, &lay.rep);
	fprintf(f, "}\n");
}

void emit_user(FILE *f, const struct gen *g)
{
	emit_banner(f, g);
	fprintf(f, "#define\t__MIG_check__Reply__%s_subsystem__ 1\n\n", g->sub->name);
	fprintf(f, "#include \"%s\"\n\n", g->user_header);
	fprintf(f, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
	fprintf(f, "extern void mach_msg_destroy(mach_msg_header_t *);\n");
	fprintf(f, "#ifdef __cplusplus\n}\n#endif\n\n");
	emit_common_defines(f);
	user_error_macros(f);
	fprintf(f, "#define msgh_request_port\tmsgh_remote_port\n");
	fprintf(f, "#define msgh_reply_port\t\tmsgh_local_port\n\n");
	for (size_t i = 0; i < g->sub->nroutines; i++)
		if (g->sub->routines[i])
			stub(f, g, g->sub->routines[i]);
}
