/* SPDX-License-Identifier: MIT */
/*
 * emit-server-check.c - the checks a server stub makes before calling the
 * work routine: message form, sizes and counts (MIG_BAD_ARGUMENTS),
 * descriptor types and dispositions (MIG_TYPE_ERROR) and, for token
 * arguments, the trailer (MIG_TRAILER_ERROR).
 */
#include "emit-server.h"

#include <stdlib.h>

#define BAD_ARGS "{ MIG_RETURN_ERROR(OutP, MIG_BAD_ARGUMENTS); }"
#define TYPE_ERR "{ MIG_RETURN_ERROR(OutP, MIG_TYPE_ERROR); }"

const struct field *server_field(const struct msg_layout *m, const struct mig_arg *a,
				 enum field_kind kind)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->fields[i].arg == a && m->fields[i].kind == kind)
			return &m->fields[i];
	return NULL;
}

/* A descriptor, and an out-of-line array's size or count against the count sent with it. */
static void check_desc(FILE *f, const struct msg_layout *m, const struct field *fld)
{
	const struct mig_type *t = fld->arg->type;
	const char *n = fld->arg->name;
	const struct field *cnt;
	char *p, *c;

	emit_desc_check(f, fld, "In0P", "\t", TYPE_ERR);
	cnt = server_field(m, fld->arg, FIELD_COUNT);
	if (!cnt)
		return;
	p = emit_field_ptr("In", cnt);
	c = xasprintf("%s->%sCnt", p, n);
	emit_ool_count_check(f, fld, "In0P", c, "\t", TYPE_ERR);
	if (t->number)
		fprintf(f, "\tif (%s > %u)\n\t\t" BAD_ARGS "\n", c, t->number);
	free(c);
	free(p);
}

/*
 * A counted array's count, its own or the one it shares (SameCount), is
 * within its bound before any descriptor is read for it.
 */
static void check_port_array(FILE *f, const struct msg_layout *m, const struct field *fld)
{
	char *cnt = NULL;

	if (fld->arg->type->counted) {
		cnt = emit_count_expr(m, "In", fld->arg);
		fprintf(f, "\tif (%s > %u)\n\t\t" BAD_ARGS "\n", cnt, fld->arg->type->number);
	}
	emit_port_array_check(f, fld, "In0P", "\t", TYPE_ERR, cnt);
	free(cnt);
}

static void check_trailer(FILE *f, const struct mig_routine *rt)
{
	const char *trailer = model_server_trailer(rt);

	if (!trailer)
		return;
	fprintf(f, "\tTrailerP = (mach_msg_max_trailer_t *)((vm_offset_t)In0P +\n"
		   "\t\tround_msg(In0P->Head.msgh_size));\n");
	fprintf(f, "\tif (TrailerP->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0)\n"
		   "\t\t{ MIG_RETURN_ERROR(OutP, MIG_TRAILER_ERROR); }\n");
	fprintf(f, "\tif (TrailerP->msgh_trailer_size < (mach_msg_size_t)sizeof(%s))\n"
		   "\t\t{ MIG_RETURN_ERROR(OutP, MIG_TRAILER_ERROR); }\n", trailer);
}

void server_check(FILE *f, const struct mig_routine *rt, const struct routine_layout *lay)
{
	const struct msg_layout *m = &lay->req;

	fprintf(f, "\tmsgh_size = In0P->Head.msgh_size;\n");
	if (m->complex)
		fprintf(f, "\tif (!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||\n"
			   "\t    In0P->msgh_body.msgh_descriptor_count != %u)\n\t\t" BAD_ARGS "\n",
			m->ndesc);
	else
		fprintf(f, "\tif (In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)\n\t\t" BAD_ARGS "\n");
	emit_walk(f, m, "In", "Request", "__Request", BAD_ARGS);
	for (size_t i = 0; i < m->n; i++)
		if (m->fields[i].kind == FIELD_PORT_ARRAY)
			check_port_array(f, m, &m->fields[i]);
		else if (layout_is_desc(&m->fields[i]))
			check_desc(f, m, &m->fields[i]);
	check_trailer(f, rt);
	fprintf(f, "\n");
}
