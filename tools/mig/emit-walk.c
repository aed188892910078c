/* SPDX-License-Identifier: MIT */
/*
 * emit-walk.c - validation of a received message's in-line part: its size
 * against the layout, each variable count against its bound and against
 * the bytes that arrived, strings for their NUL; and the pointers
 * (In1P, In2P, ...) that reach the fields after each variable one.
 */
#include "emit.h"

#include <stdlib.h>

/* Each array's own bound holds its count, also a count it shares (SameCount). */
static void walk_var(FILE *f, const struct msg_layout *m, const struct field *fld,
		     const char *pfx, const char *ptype, const char *fail)
{
	const struct mig_type *t = fld->arg->type;
	char *p = emit_field_ptr(pfx, fld);
	char *bytes = layout_var_bytes(fld, "MigCnt");
	char *cnt = emit_count_expr(m, pfx, fld->arg);

	fprintf(f, "\t\tMigCnt = %s;\n", cnt);
	free(cnt);
	fprintf(f, "\t\tif (MigCnt > %u)\n\t\t\t%s\n", t->number, fail);
	fprintf(f, "\t\tMigExpect += %s;\n", bytes);
	fprintf(f, "\t\tif (MigExpect > msgh_size)\n\t\t\t%s\n", fail);
	if (t->kind == IPC_VAR_STRING)
		fprintf(f, "\t\tif (memchr(%s->%s, '\\0', MigCnt) == NULL)\n\t\t\t%s\n",
			p, fld->arg->name, fail);
	fprintf(f, "\t\t%s%uP = (%s *)((char *)%s + %s - %u);\n",
		pfx, fld->seg + 1, ptype, p, bytes, fld->wire);
	free(bytes);
	free(p);
}

static void check_strings(FILE *f, const struct msg_layout *m, const char *pfx, const char *fail)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];
		char *p;

		if (fld->kind != FIELD_DATA || !fld->arg->type->is_string)
			continue;
		p = emit_field_ptr(pfx, fld);
		fprintf(f, "\tif (memchr(%s->%s, '\\0', %u) == NULL)\n\t\t%s\n",
			p, fld->arg->name, fld->arg->type->number, fail);
		free(p);
	}
}

void emit_walk(FILE *f, const struct msg_layout *m, const char *pfx, const char *ptype,
	       const char *type, const char *fail)
{
	if (m->nvar == 0) {
		fprintf(f, "\tif (msgh_size != (mach_msg_size_t)sizeof(%s))\n\t\t%s\n", type, fail);
		check_strings(f, m, pfx, fail);
		return;
	}
	fprintf(f, "\t{\n\t\tmach_msg_size_t MigExpect = (mach_msg_size_t)(sizeof(%s) - %u);\n",
		type, m->var_max);
	fprintf(f, "\t\tmach_msg_type_number_t MigCnt;\n\n");
	fprintf(f, "\t\tif (msgh_size < MigExpect || msgh_size > (mach_msg_size_t)sizeof(%s))\n"
		   "\t\t\t%s\n", type, fail);
	for (size_t i = 0; i < m->n; i++)
		if (m->fields[i].kind == FIELD_VAR)
			walk_var(f, m, &m->fields[i], pfx, ptype, fail);
	fprintf(f, "\t\tif (MigExpect != msgh_size)\n\t\t\t%s\n\t}\n", fail);
	check_strings(f, m, pfx, fail);
}
