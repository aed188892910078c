/* SPDX-License-Identifier: MIT */
/*
 * emit-server.c - one server stub (_X<routine>): check the request, call
 * the work routine <serverprefix><routine>, and build the reply with
 * Apple MIG's layout (or a mig_reply_error_t when the routine fails).
 */
#include "emit-server.h"

#include <stdarg.h>
#include <stdlib.h>

struct call {
	FILE *f;
	unsigned n;
};

static void arg_expr(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void arg_expr(struct call *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->f, "%s", c->n++ ? ", " : "");
	va_start(ap, fmt);
	vfprintf(c->f, fmt, ap);
	va_end(ap);
}

static bool is_out(const struct mig_arg *a)
{
	return a->kind == ARG_OUT || a->kind == ARG_INOUT;
}

/*
 * A scalar result goes through a local: the message packs fields to 4
 * bytes, so a pointer into it may not be aligned for the field's type.
 */
static bool out_by_local(const struct mig_arg *a)
{
	const struct mig_type *t = a->type;

	return is_out(a) && t->kind == IPC_INLINE && !t->is_array && !t->outtran.func;
}

/* Locals: translated values, out-of-line results, polymorphic dispositions. */
static void locals(FILE *f, const struct mig_routine *rt)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];
		const struct mig_type *t = a->type;

		if (!is_out(a) && t->intran.func)
			fprintf(f, "\t%s %sTemp;\n", t->intran.result_type, a->name);
		if (is_out(a) && t->outtran.func)
			fprintf(f, "\t%s %sTemp;\n", t->outtran.arg_type, a->name);
		else if (out_by_local(a))
			fprintf(f, "\t%s %sTemp;\n", type_stype(t), a->name);
		if (is_out(a) && (t->kind == IPC_OOL || t->kind == IPC_OOL_PORTS) && !t->ool_fixed)
			fprintf(f, "\t%s %sOOL;\n\tmach_msg_type_number_t %sOOLCnt;\n",
				type_stype(t), a->name, a->name);
		if (is_out(a) && (t->kind == IPC_OOL_FIXED || t->ool_fixed))
			fprintf(f, "\t%s %sOOL;\n", type_stype(t), a->name);
		if (is_out(a) && t->msgt == MSGT_POLYMORPHIC &&
		    (t->kind == IPC_PORT || t->kind == IPC_PORT_ARRAY || t->kind == IPC_OOL_PORTS))
			fprintf(f, "\tmach_msg_type_name_t %sPoly;\n", a->name);
		if (t->kind == IPC_PORT_ARRAY)
			fprintf(f, "\t%s %sPorts[%u];\n", t->elem_ctype, a->name, t->number);
	}
}

/* An in-line array of ports: the names, out of their descriptors, into an array. */
static void copy_in_port_arrays(FILE *f, const struct mig_routine *rt,
				const struct routine_layout *lay)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];
		char *cnt;

		if (a->type->kind != IPC_PORT_ARRAY || is_out(a))
			continue;
		cnt = a->type->counted ? emit_count_expr(&lay->req, "In", a) :
		      xasprintf("%u", a->type->number);
		fprintf(f, "\tfor (mach_msg_type_number_t MigI = 0; MigI < %s; MigI++)\n"
			   "\t\t%sPorts[MigI] = In0P->%s[MigI].name;\n", cnt, a->name, a->name);
		free(cnt);
	}
}

/* The value of an in argument as the message carries it. */
static char *in_value(const struct mig_routine *rt, const struct routine_layout *lay,
		      const struct mig_arg *a)
{
	const struct field *fld;
	char *p, *v;

	if (a == model_request_port(rt))
		return xstrdup("In0P->Head.msgh_request_port");
	if (a->kind == ARG_REPLYPORT || a->kind == ARG_SREPLYPORT)
		return xstrdup("In0P->Head.msgh_reply_port");
	if (a->kind == ARG_AUDIT)
		return xstrdup("TrailerP->msgh_audit");
	if (a->kind == ARG_SECTOKEN)
		return xstrdup("TrailerP->msgh_sender");
	if (a->kind == ARG_SEQNO)
		return xstrdup("TrailerP->msgh_seqno");
	if (a->type->kind == IPC_PORT)
		return xasprintf("In0P->%s.name", a->name);
	fld = server_field(&lay->req, a, a->type->kind == IPC_INLINE ? FIELD_DATA : FIELD_VAR);
	p = emit_field_ptr("In", fld);
	v = xasprintf("%s->%s", p, a->name);
	free(p);
	return v;
}

static void translate_in(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];
		char *v;

		if (is_out(a) || !a->type->intran.func || a->kind == ARG_UREPLYPORT ||
		    a->kind == ARG_WAITTIME || a->kind == ARG_MSGOPTION ||
		    a->kind == ARG_USER_AUDIT || a->kind == ARG_USER_SECTOKEN)
			continue;
		v = in_value(rt, lay, a);
		fprintf(f, "\t%sTemp = %s(%s);\n", a->name, a->type->intran.func, v);
		free(v);
	}
}

static void ool_in_args(struct call *c, const struct routine_layout *lay, const struct mig_arg *a)
{
	const struct field *cnt = server_field(&lay->req, a, FIELD_COUNT);
	char *p = cnt ? emit_field_ptr("In", cnt) : NULL;

	arg_expr(c, "(%s)(In0P->%s.address)", type_stype(a->type), a->name);
	if (a->type->kind == IPC_OOL_PORTS && type_rcv_msgt(a->type) == MSGT_POLYMORPHIC)
		arg_expr(c, "In0P->%s.disposition", a->name);
	if (cnt)        /* ^ of fixed-size data has no count: its size is the type's */
		arg_expr(c, "%s->%sCnt", p, a->name);
	if (a->servercopy)
		arg_expr(c, "(In0P->%s.copy == MACH_MSG_PHYSICAL_COPY)", a->name);
	free(p);
}

static void in_args(struct call *c, const struct mig_routine *rt, const struct routine_layout *lay,
		    const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	char *v;

	if (t->kind == IPC_OOL || t->kind == IPC_OOL_PORTS || t->kind == IPC_OOL_FIXED) {
		ool_in_args(c, lay, a);
		return;
	}
	if (t->kind == IPC_PORT_ARRAY) {
		const struct field *cnt = server_field(&lay->req, a, FIELD_COUNT);

		arg_expr(c, "%sPorts", a->name);
		if (type_rcv_msgt(t) == MSGT_POLYMORPHIC)      /* as the first element came */
			arg_expr(c, "In0P->%s[0].disposition", a->name);
		if (cnt) {
			v = emit_field_ptr("In", cnt);
			arg_expr(c, "%s->%sCnt", v, a->name);
			free(v);
		}
		return;
	}
	v = in_value(rt, lay, a);
	if (t->intran.func)
		arg_expr(c, "%sTemp", a->name);
	else
		arg_expr(c, "%s", v);
	if (t->kind == IPC_PORT && type_rcv_msgt(t) == MSGT_POLYMORPHIC)
		arg_expr(c, a->kind == ARG_REPLYPORT || a->kind == ARG_SREPLYPORT ?
			 "MACH_MSGH_BITS_REPLY(In0P->Head.msgh_bits)" : "In0P->%s.disposition", a->name);
	if (t->kind == IPC_VAR_INLINE && !a->count_owner)
		arg_expr(c, "%sCnt", v);
	free(v);
}

static void out_args(struct call *c, const struct routine_layout *lay, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	const char *n = a->name;

	if (t->outtran.func || out_by_local(a)) {
		arg_expr(c, "&%sTemp", n);
	} else if (t->kind == IPC_PORT) {
		arg_expr(c, "&OutP->%s.name", n);
	} else if (t->kind == IPC_OOL || t->kind == IPC_OOL_PORTS) {
		arg_expr(c, "&%sOOL", n);
		if (t->msgt == MSGT_POLYMORPHIC)
			arg_expr(c, "&%sPoly", n);
		if (!t->ool_fixed)
			arg_expr(c, "&%sOOLCnt", n);
		return;
	} else if (t->kind == IPC_OOL_FIXED) {
		arg_expr(c, "&%sOOL", n);
	} else if (t->kind == IPC_PORT_ARRAY) {
		arg_expr(c, "%sPorts", n);
	} else {
		arg_expr(c, "%sOutP->%s", t->is_array || t->kind != IPC_INLINE ? "" : "&", n);
	}
	if ((t->kind == IPC_PORT || t->kind == IPC_PORT_ARRAY) && t->msgt == MSGT_POLYMORPHIC)
		arg_expr(c, "&%sPoly", n);
	if ((t->kind == IPC_VAR_INLINE || (t->kind == IPC_PORT_ARRAY && t->counted)) &&
	    !a->count_owner)
		arg_expr(c, "&OutP->%sCnt", n);
	(void)lay;
}

static void call_args(struct call *c, const struct mig_routine *rt, const struct routine_layout *lay)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];

		if (a->kind == ARG_UREPLYPORT || a->kind == ARG_WAITTIME || a->kind == ARG_MSGOPTION ||
		    a->kind == ARG_USER_AUDIT || a->kind == ARG_USER_SECTOKEN)
			continue;
		if (is_out(a))
			out_args(c, lay, a);
		else
			in_args(c, rt, lay, a);
	}
}

/* CountInOut: the work routine gets the caller's capacity, at most the bound. */
static void count_inout(FILE *f, const struct routine_layout *lay, const struct mig_arg *a)
{
	char *p = emit_field_ptr("In", server_field(&lay->req, a, FIELD_COUNT));

	fprintf(f, "\tOutP->%sCnt = %s->%sCnt < %u ? %s->%sCnt : %u;\n", a->name, p, a->name,
		a->type->number, p, a->name, a->type->number);
	free(p);
}

/*
 * The capacity an out count starts as: the array's bound, or the
 * shortest of the bounds of the arrays that share it (SameCount), so
 * that none is written past.
 */
static unsigned out_capacity(const struct mig_routine *rt, const struct mig_arg *a)
{
	unsigned cap = a->type->number;

	for (size_t i = 0; i < rt->nargs; i++)
		if (rt->args[i].count_owner == a && rt->args[i].type->number < cap)
			cap = rt->args[i].type->number;
	return cap;
}

/*
 * An inout array starts as the request's: in-line data is copied into the
 * reply, where the work routine changes it within the bound (the reply's
 * room); out-of-line memory is handed over, for the work routine to give
 * back or replace, as Apple's MIG hands it.
 */
static void inout_array(FILE *f, const struct routine_layout *lay, const struct mig_arg *a)
{
	const struct mig_type *t = a->type;
	bool ool = t->kind == IPC_OOL;
	char *p = emit_field_ptr("In", server_field(&lay->req, a, ool ? FIELD_COUNT : FIELD_VAR));

	if (ool) {
		fprintf(f, "\t%sOOL = (%s)(In0P->%s.address);\n", a->name, type_stype(t), a->name);
		fprintf(f, "\t%sOOLCnt = %s->%sCnt;\n", a->name, p, a->name);
	} else {
		fprintf(f, "\t(void)memcpy((char *) OutP->%s, (const char *) %s->%s, %u * %s->%sCnt);\n",
			a->name, p, a->name, t->size, p, a->name);
		fprintf(f, "\tOutP->%sCnt = %s->%sCnt;\n", a->name, p, a->name);
	}
	free(p);
}

/*
 * ^ of fixed-size data: the work routine gets the request's memory, to
 * change in place or replace, and the reply carries whatever it leaves,
 * as Apple's MIG hands it (the address in the request, copied to the
 * reply after the call).
 */
static void inout_fixed_ool(FILE *f, const struct mig_arg *a)
{
	fprintf(f, "\t%sOOL = (%s)(In0P->%s.address);\n", a->name, type_stype(a->type), a->name);
}

/* inout values start as the request's; out counts start as the capacity. */
static void prepare_outs(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];
		const struct mig_type *t = a->type;
		const struct field *in = server_field(&lay->req, a, FIELD_DATA);
		char *p = in ? emit_field_ptr("In", in) : NULL;

		if (a->kind == ARG_OUT && t->kind == IPC_VAR_INLINE && a->countinout)
			count_inout(f, lay, a);
		else if (a->kind == ARG_OUT && !a->count_owner &&
			 (t->kind == IPC_VAR_INLINE || (t->kind == IPC_PORT_ARRAY && t->counted)))
			fprintf(f, "\tOutP->%sCnt = %u;\n", a->name, out_capacity(rt, a));
		if (a->kind == ARG_INOUT && (t->kind == IPC_VAR_INLINE || t->kind == IPC_OOL)) {
			inout_array(f, lay, a);
		} else if (a->kind == ARG_INOUT && t->kind == IPC_OOL_FIXED) {
			inout_fixed_ool(f, a);
		} else if (a->kind == ARG_INOUT && t->kind == IPC_PORT) {
			fprintf(f, "\tOutP->%s.name = In0P->%s.name;\n", a->name, a->name);
			if (t->msgt == MSGT_POLYMORPHIC)
				fprintf(f, "\t%sPoly = In0P->%s.disposition;\n", a->name, a->name);
		} else if (a->kind == ARG_INOUT && t->is_array) {
			fprintf(f, "\t(void)memcpy((char *) OutP->%s, (const char *) %s->%s, %u);\n",
				a->name, p, a->name, t->size);
		} else if (a->kind == ARG_INOUT) {
			fprintf(f, "\t%sTemp = %s->%s;\n", a->name, p, a->name);
		}
		free(p);
	}
}

static void destructors(FILE *f, const struct mig_routine *rt)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];

		if (!is_out(a) && a->type->destructor.func && a->type->intran.func)
			fprintf(f, "\t%s(%sTemp);\n", a->type->destructor.func, a->name);
	}
}

void server_call(FILE *f, const struct gen *g, const struct mig_routine *rt,
		 const struct routine_layout *lay)
{
	struct call c = { f, 0 };
	const char *ret = rt->simple || lay->rep.retcode ? "OutP->RetCode" : "RetCode";

	locals(f, rt);
	server_check(f, rt, lay);
	copy_in_port_arrays(f, rt, lay);
	translate_in(f, rt, lay);
	prepare_outs(f, rt, lay);
	fprintf(f, "\t%s = %s%s(", ret, emit_server_prefix(g), rt->name);
	call_args(&c, rt, lay);
	fprintf(f, ");\n");
	destructors(f, rt);
	if (rt->simple) {
		/*
		 * As in Apple's MIG: a work routine that keeps the request's reply
		 * port (to answer later) returns MIG_NO_REPLY itself.
		 */
		fprintf(f, "\tOutP->NDR = NDR_record;\n");
		return;
	}
	fprintf(f, "\tif (%s != KERN_SUCCESS) {\n\t\tMIG_RETURN_ERROR(OutP, %s);\n\t}\n\n", ret, ret);
}
