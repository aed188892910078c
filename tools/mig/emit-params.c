/* SPDX-License-Identifier: MIT */
/*
 * emit-params.c - the C parameters of a user stub and of a server work
 * routine, in argument order, each followed by its count, polymorphic
 * disposition or server-copy flag, as MIG writes them.  An array with
 * SameCount has no count parameter: the one before it stands for it.
 * The server's are also counted, by the same walk, for its routine table.
 */
#include "emit.h"

struct plist {
	FILE *f;                /* NULL: count the parameters only */
	unsigned n;
	bool is_const;          /* the argument's "const" flag: its value parameter is const */
};

static void param(struct plist *p, const char *type, const char *ptr, const char *name,
		  const char *suffix)
{
	if (p->f)
		fprintf(p->f, "%s\t%s%s %s%s%s", p->n ? ",\n" : "", p->is_const ? "const " : "",
			type, ptr, name, suffix);
	p->n++;
}

static bool user_sees(const struct mig_arg *a)
{
	return a->kind != ARG_SREPLYPORT && a->kind != ARG_AUDIT && a->kind != ARG_SECTOKEN &&
	       a->kind != ARG_SEQNO;
}

static bool server_sees(const struct mig_arg *a)
{
	return a->kind != ARG_UREPLYPORT && a->kind != ARG_WAITTIME && a->kind != ARG_MSGOPTION &&
	       a->kind != ARG_USER_AUDIT && a->kind != ARG_USER_SECTOKEN;
}

/* Results the caller passes a pointer for, tokens from the reply's trailer included. */
static bool is_out(const struct mig_arg *a)
{
	return a->kind == ARG_OUT || a->kind == ARG_INOUT || a->kind == ARG_USER_AUDIT ||
	       a->kind == ARG_USER_SECTOKEN;
}

/*
 * A port's disposition is a parameter where its side names it (sends a
 * polymorphic half) or is told it (receives one), as Apple's MIG adds
 * its Poly argument.  For inout, the server's Poly is what it sends back.
 * An array of ports has one Poly for all its elements, before its count.
 */
static bool has_poly_param(const struct mig_arg *a, bool server)
{
	const struct mig_type *t = a->type;
	bool sent = t->msgt == MSGT_POLYMORPHIC, rcvd = type_rcv_msgt(t) == MSGT_POLYMORPHIC;

	if (t->kind != IPC_PORT && t->kind != IPC_PORT_ARRAY && t->kind != IPC_OOL_PORTS)
		return false;
	if (a->kind == ARG_INOUT)
		return server ? sent : sent || rcvd;
	if (a->kind == ARG_OUT)
		return server ? sent : rcvd;
	return server ? rcvd : sent;
}

/* One argument's parameters; @type is its C type on this side. */
static void arg_params(struct plist *p, const struct mig_arg *a, const char *type, bool server)
{
	const struct mig_type *t = a->type;
	bool out = is_out(a);
	const char *star = out ? "*" : "";

	p->is_const = a->is_const && !out;
	switch (t->kind) {
	case IPC_PORT:
		param(p, type, star, a->name, "");
		p->is_const = false;
		if (has_poly_param(a, server))
			param(p, "mach_msg_type_name_t", star, a->name, "Poly");
		break;
	case IPC_INLINE:
		param(p, type, out && !t->is_array ? "*" : "", a->name, "");
		break;
	case IPC_VAR_INLINE:
		param(p, type, "", a->name, "");
		p->is_const = false;
		if (!a->count_owner)
			param(p, "mach_msg_type_number_t", star, a->name, "Cnt");
		break;
	case IPC_VAR_STRING:
		param(p, type, "", a->name, "");
		break;
	case IPC_OOL:
	case IPC_OOL_PORTS:
		param(p, type, star, a->name, "");
		p->is_const = false;
		if (has_poly_param(a, server))
			param(p, "mach_msg_type_name_t", star, a->name, "Poly");
		if (!t->ool_fixed)
			param(p, "mach_msg_type_number_t", star, a->name, "Cnt");
		if (server && a->servercopy)
			param(p, "boolean_t", "", a->name, "SCopy");
		break;
	case IPC_OOL_FIXED:
		param(p, type, star, a->name, "");
		if (server && a->servercopy)
			param(p, "boolean_t", "", a->name, "SCopy");
		break;
	case IPC_PORT_ARRAY:    /* an array: the callee fills a result in place */
		param(p, type, "", a->name, "");
		p->is_const = false;
		if (has_poly_param(a, server))
			param(p, "mach_msg_type_name_t", star, a->name, "Poly");
		if (t->counted && !a->count_owner)
			param(p, "mach_msg_type_number_t", star, a->name, "Cnt");
		break;
	}
}

void emit_user_params(FILE *f, const struct mig_routine *rt)
{
	struct plist p = { f, 0, false };

	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];

		if (user_sees(a))
			arg_params(&p, a, type_utype(a->type), false);
	}
	if (p.n == 0)
		fprintf(f, "\tvoid");
}

/* The server routine's parameters, written to @p->f or only counted. */
static void server_params(struct plist *p, const struct mig_routine *rt)
{
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];
		const char *type = is_out(a) ? (a->type->outtran.func ? a->type->outtran.arg_type :
					      type_stype(a->type)) : type_stype(a->type);

		if (server_sees(a))
			arg_params(p, a, type, true);
	}
}

void emit_server_params(FILE *f, const struct mig_routine *rt)
{
	struct plist p = { f, 0, false };

	server_params(&p, rt);
	if (p.n == 0)
		fprintf(f, "\tvoid");
}

unsigned emit_server_argc(const struct mig_routine *rt)
{
	struct plist p = { NULL, 0, false };

	server_params(&p, rt);
	return p.n;
}
