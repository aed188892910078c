/* SPDX-License-Identifier: MIT */
/*
 * model.c - questions about a parsed routine and the checks that reject
 * what bsmig cannot generate correctly, each with file and line.
 */
#include "model.h"

const struct mig_arg *model_find_kind(const struct mig_routine *rt, enum arg_kind kind)
{
	for (size_t i = 0; i < rt->nargs; i++)
		if (rt->args[i].kind == kind)
			return &rt->args[i];
	return NULL;
}

const struct mig_arg *model_request_port(const struct mig_routine *rt)
{
	const struct mig_arg *a = model_find_kind(rt, ARG_REQUESTPORT);

	if (a)
		return a;
	return rt->nargs ? &rt->args[0] : NULL;
}

const char *model_server_trailer(const struct mig_routine *rt)
{
	if (model_find_kind(rt, ARG_AUDIT))
		return "mach_msg_audit_trailer_t";
	if (model_find_kind(rt, ARG_SECTOKEN))
		return "mach_msg_security_trailer_t";
	if (model_find_kind(rt, ARG_SEQNO))
		return "mach_msg_seqno_trailer_t";
	return NULL;
}

bool model_user_trailer(const struct mig_routine *rt)
{
	return model_find_kind(rt, ARG_USER_AUDIT) || model_find_kind(rt, ARG_USER_SECTOKEN);
}

const struct mig_arg *model_count_arg(const struct mig_arg *a)
{
	return a->count_owner ? a->count_owner : a;
}

/* Arrays whose count is an in-line field bsmig can share: in-line data and ports. */
static bool is_variable(const struct mig_type *t)
{
	return t->kind == IPC_VAR_INLINE || (t->kind == IPC_PORT_ARRAY && t->counted);
}

/*
 * SameCount, as Apple's MIG takes it: the argument before this one (or
 * the array that one shares its count with) must be a variable array
 * going the same way; otherwise the flag is ignored with a warning.
 */
static void resolve_samecount(struct mig_routine *rt, size_t i)
{
	struct mig_arg *a = &rt->args[i];
	const struct mig_arg *prev = i ? model_count_arg(&rt->args[i - 1]) : NULL;
	const struct mig_type *t = a->type;

	if (!a->samecount)
		return;
	if (t->kind == IPC_VAR_STRING || t->kind == IPC_OOL || t->kind == IPC_OOL_PORTS ||
	    (prev && (prev->type->kind == IPC_VAR_STRING || prev->type->kind == IPC_OOL ||
		      prev->type->kind == IPC_OOL_PORTS))) {
		diag_error(a->pos, "%s: SameCount on strings and out-of-line arrays is not supported by bsmig",
			   a->name);
	} else if (a->countinout || (prev && prev->countinout)) {
		diag_error(a->pos, "%s: SameCount with CountInOut is not supported by bsmig", a->name);
	} else if (!is_variable(t)) {
		diag_warn(a->pos, "%s: SameCount is ignored - the argument is not variable", a->name);
	} else if (!prev || !is_variable(prev->type)) {
		diag_warn(a->pos, "%s: SameCount is ignored - adjacent argument is not variable",
			  a->name);
	} else if (prev->kind != a->kind) {
		diag_warn(a->pos, "%s: SameCount is ignored - inconsistencies with the adjacent argument",
			  a->name);
	} else {
		a->count_owner = prev;
	}
}

static bool is_reply_port(enum arg_kind k)
{
	return k == ARG_REPLYPORT || k == ARG_SREPLYPORT || k == ARG_UREPLYPORT;
}

static bool is_array_kind(const struct mig_type *t)
{
	return t->kind == IPC_VAR_INLINE || t->kind == IPC_VAR_STRING ||
	       t->kind == IPC_OOL || t->kind == IPC_OOL_PORTS || t->kind == IPC_PORT_ARRAY;
}

static void check_flags(const struct mig_routine *rt, const struct mig_arg *a)
{
	bool ool = a->type->kind == IPC_OOL || a->type->kind == IPC_OOL_PORTS ||
		   a->type->kind == IPC_OOL_FIXED;

	if ((a->dealloc || a->physicalcopy) && !ool)
		diag_error(a->pos, "%s: dealloc and physicalcopy apply to out-of-line data only",
			   a->name);
	if (a->countinout && !(a->kind == ARG_OUT && a->type->kind == IPC_VAR_INLINE))
		diag_error(a->pos, "%s: CountInOut applies to out counted in-line arrays only", a->name);
	if (a->retcode && !(a->kind == ARG_IN && a->type->kind == IPC_INLINE && a->type->size == 4 &&
			    !a->type->is_array))
		diag_error(a->pos, "%s: RetCode applies to an 'in' 32-bit integer only", a->name);
	if (a->servercopy && !(ool && a->kind == ARG_IN))
		diag_error(a->pos, "%s: servercopy applies to out-of-line 'in' data only", a->name);
	(void)rt;
}

static void check_arg(const struct mig_routine *rt, const struct mig_arg *a, const struct mig_arg *req)
{
	const struct mig_type *t = a->type;

	if (is_reply_port(a->kind) && t->kind != IPC_PORT)
		diag_error(a->pos, "%s: a reply port must have a port type", a->name);
	if ((a->kind == ARG_OUT || a->kind == ARG_INOUT) && rt->simple)
		diag_error(a->pos, "%s: a simpleroutine has no reply, so no out arguments", a->name);
	if ((a->kind == ARG_USER_AUDIT || a->kind == ARG_USER_SECTOKEN) && rt->simple)
		diag_error(a->pos, "%s: a simpleroutine has no reply to take a token from", a->name);
	if (a->kind == ARG_INOUT && is_array_kind(t) && t->kind != IPC_VAR_INLINE && t->kind != IPC_OOL)
		diag_error(a->pos, "%s: inout strings and arrays of ports are not supported by bsmig",
			   a->name);
	if (a->kind == ARG_INOUT && is_array_kind(t) && a->samecount)
		diag_error(a->pos, "%s: SameCount on an inout array is not supported by bsmig", a->name);
	if ((a->kind == ARG_WAITTIME || a->kind == ARG_MSGOPTION) &&
	    (t->kind != IPC_INLINE || t->size != 4))
		diag_error(a->pos, "%s: WaitTime and MsgOption need a 32-bit integer type", a->name);
	if (a == req && t->kind != IPC_PORT)
		diag_error(a->pos, "%s: the request port (first argument) must have a port type",
			   a->name);
	if (a == req && a->kind != ARG_IN && a->kind != ARG_REQUESTPORT)
		diag_error(a->pos, "%s: the request port must be an 'in' argument", a->name);
	if (a->kind == ARG_OUT && t->kind == IPC_INLINE && t->intran.func && !t->outtran.func)
		diag_warn(a->pos, "%s: intran on an out argument is not used", a->name);
	check_flags(rt, a);
}

void model_check(struct mig_routine *rt)
{
	const struct mig_arg *req = model_request_port(rt);
	int reply_ports = 0;

	if (!req) {
		diag_error(rt->pos, "%s: a routine needs a request port argument", rt->name);
		return;
	}
	for (size_t i = 0; i < rt->nargs; i++) {
		struct mig_arg *a = &rt->args[i];

		type_finish(a->type);
		check_arg(rt, a, req);
		resolve_samecount(rt, i);
		if (is_reply_port(a->kind))
			reply_ports++;
		for (size_t j = 0; j < i; j++)
			if (!__builtin_strcmp(rt->args[j].name, a->name))
				diag_error(a->pos, "argument '%s' declared twice", a->name);
	}
	if (reply_ports > 1)
		diag_error(rt->pos, "%s: more than one reply port argument", rt->name);
}
