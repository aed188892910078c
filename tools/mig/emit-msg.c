/* SPDX-License-Identifier: MIT */
/*
 * emit-msg.c - message-level code shared by both sides: the
 * __Request__/__Reply__ typedefs and their unions, packing variable-sized
 * fields before a send, and validating them after a receive.
 */
#include "emit.h"

#include <stdlib.h>

char *emit_field_ptr(const char *pfx, const struct field *fld)
{
	return xasprintf("%s%uP", pfx, fld->seg);
}

char *emit_count_expr(const struct msg_layout *m, const char *pfx, const struct mig_arg *a)
{
	const struct mig_arg *owner = model_count_arg(a);

	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];

		if (fld->arg == owner && (fld->kind == FIELD_VAR || fld->kind == FIELD_COUNT)) {
			char *p = emit_field_ptr(pfx, fld), *e = xasprintf("%s->%sCnt", p, owner->name);

			free(p);
			return e;
		}
	}
	diag_fatal("%s: no count field for its array", a->name);
}

static void side_types(FILE *f, const struct gen *g, bool server, bool request)
{
	const struct mig_subsystem *s = g->sub;
	const char *what = request ? "Request" : "Reply";

	fprintf(f, "\n#ifndef __%s__%s_subsystem__defined\n#define __%s__%s_subsystem__defined\n",
		what, s->name, what, s->name);
	for (size_t i = 0; i < s->nroutines; i++) {
		const struct mig_routine *rt = s->routines[i];
		struct routine_layout lay;
		char *name;

		if (!rt || (!request && rt->simple && !server))
			continue;
		layout_routine(rt, &lay);
		name = xasprintf("__%s__%s_t", what, rt->name);
		if (!request && rt->simple)
			emit_struct(f, &(struct msg_layout){ .ndr = true, .retcode = true }, name,
				    server, NULL, "\t");
		else
			emit_struct(f, request ? &lay.req : &lay.rep, name, server, NULL, "\t");
		free(name);
	}
	fprintf(f, "#endif /* !__%s__%s_subsystem__defined */\n", what, s->name);
}

static void side_union(FILE *f, const struct gen *g, bool server, bool request)
{
	const struct mig_subsystem *s = g->sub;
	const char *what = request ? "Request" : "Reply";
	const char *prefix = server ? emit_server_prefix(g) : emit_user_prefix(g);
	unsigned members = 0;

	fprintf(f, "\n/* union of all %ss */\n\n", request ? "request" : "replie");
	fprintf(f, "#ifndef __%sUnion__%s%s_subsystem__defined\n", what, prefix, s->name);
	fprintf(f, "#define __%sUnion__%s%s_subsystem__defined\n", what, prefix, s->name);
	fprintf(f, "union __%sUnion__%s%s_subsystem {\n", what, prefix, s->name);
	for (size_t i = 0; i < s->nroutines; i++) {
		const struct mig_routine *rt = s->routines[i];

		if (!rt || (!request && rt->simple && !server))
			continue;
		fprintf(f, "\t__%s__%s_t %s_%s;\n", what, rt->name, what, rt->name);
		members++;
	}
	if (members == 0)
		fprintf(f, "\tmig_reply_error_t %s_none;\n", what);
	fprintf(f, "};\n#endif /* !__%sUnion__%s%s_subsystem__defined */\n", what, prefix, s->name);
}

void emit_msg_types(FILE *f, const struct gen *g, bool server)
{
	fprintf(f, "\n/* typedefs for all requests */\n");
	side_types(f, g, server, true);
	side_union(f, g, server, true);
	fprintf(f, "\n/* typedefs for all replies */\n");
	side_types(f, g, server, false);
	side_union(f, g, server, false);
}

/*
 * Packing squeezes each variable field down over the room the ones before
 * it left, so a count already packed may no longer be at its member.  A
 * SameCount array takes its owner's count from MigCnt, loaded when the
 * owner's count was packed; it reads the member only when the owner's
 * count lies before the first variable field, which nothing has moved.
 */
static bool count_in_migcnt(const struct msg_layout *m, size_t first, const struct field *fld)
{
	if (!fld->arg->count_owner)
		return false;
	for (size_t i = first; i < m->n; i++)
		if (m->fields[i].arg == fld->arg->count_owner &&
		    (m->fields[i].kind == FIELD_VAR || m->fields[i].kind == FIELD_COUNT))
			return true;
	return false;
}

static void pack_var(FILE *f, const struct field *fld, const char *ptr, bool have_count)
{
	const char *n = fld->arg->name;
	char *bytes = layout_var_bytes(fld, "MigCnt");

	if (!have_count)
		fprintf(f, "\t\tMigCnt = %s->%sCnt;\n", ptr, model_count_arg(fld->arg)->name);
	if (fld->arg->type->size % 4)
		fprintf(f, "\t\tmemset((char *)%s->%s + %u * MigCnt, 0, %s - %u * MigCnt);\n",
			ptr, n, fld->arg->type->size, bytes, fld->arg->type->size);
	if (fld->arg->type->kind == IPC_VAR_STRING)
		fprintf(f, "\t\tmemmove(MigBase + MigOff, &%s->%sOffset, 4);\n\t\tMigOff += 4;\n",
			ptr, n);
	if (!fld->arg->count_owner)
		fprintf(f, "\t\tmemmove(MigBase + MigOff, &%s->%sCnt, 4);\n\t\tMigOff += 4;\n",
			ptr, n);
	fprintf(f, "\t\tmemmove(MigBase + MigOff, %s->%s, %s);\n\t\tMigOff += %s;\n",
		ptr, n, bytes, bytes);
	free(bytes);
}

static const char *first_var_member(const struct field *fld)
{
	if (fld->arg->count_owner)
		return "";
	return fld->arg->type->kind == IPC_VAR_STRING ? "Offset" : "Cnt";
}

void emit_pack(FILE *f, const struct msg_layout *m, const char *ptr, const char *type,
	       const char *size_var)
{
	size_t i = 0, first;

	if (m->nvar == 0) {
		fprintf(f, "\t%s = (mach_msg_size_t)sizeof(%s);\n", size_var, type);
		return;
	}
	while (m->fields[i].kind != FIELD_VAR)
		i++;
	fprintf(f, "\t{\n\t\tchar *MigBase = (char *)%s;\n", ptr);
	fprintf(f, "\t\tunsigned int MigOff = (unsigned int)((char *)&%s->%s%s - MigBase);\n",
		ptr, m->fields[i].arg->name, first_var_member(&m->fields[i]));
	fprintf(f, "\t\tmach_msg_type_number_t MigCnt;\n\n");
	for (first = i; i < m->n; i++) {
		const struct field *fld = &m->fields[i];

		if (fld->kind == FIELD_VAR)
			pack_var(f, fld, ptr, count_in_migcnt(m, first, fld));
		else if (fld->kind == FIELD_COUNT)
			fprintf(f, "\t\tMigCnt = %s->%sCnt;\n"
				"\t\tmemmove(MigBase + MigOff, &%s->%sCnt, 4);\n\t\tMigOff += 4;\n",
				ptr, fld->arg->name, ptr, fld->arg->name);
		else
			fprintf(f, "\t\tmemmove(MigBase + MigOff, &%s->%s, %u);\n\t\tMigOff += %u;\n",
				ptr, fld->arg->name, fld->wire, fld->wire);
	}
	fprintf(f, "\t\t%s = MigOff;\n\t}\n", size_var);
}
