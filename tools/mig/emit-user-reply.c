/* SPDX-License-Identifier: MIT */
/*
 * emit-user-reply.c - the second half of a user stub: mach_msg(), the
 * reply checks (MIG_REPLY_MISMATCH, MIG_SERVER_DIED, MIG_TYPE_ERROR, the
 * server's error reply) and copying results out to the caller.
 */
#include "emit-user.h"

#include <stdlib.h>

#define FAIL "{ check_result = MIG_TYPE_ERROR; break; }"

void user_error_macros(FILE *f)
{
	static const char *const timeout_cases[] = { "WithTimeout", "WithoutTimeout" };

	for (int i = 0; i < 2; i++) {
		fprintf(f, "#ifndef\t__MachMsgError%s\n#define\t__MachMsgError%s(_R_) { \\\n",
			timeout_cases[i], timeout_cases[i]);
		fputs("\tswitch (_R_) { \\\n\tcase MACH_SEND_INVALID_DATA: \\\n"
		      "\tcase MACH_SEND_INVALID_DEST: \\\n\tcase MACH_SEND_INVALID_HEADER: \\\n"
		      "\t\tmig_put_reply_port(InP->Head.msgh_reply_port); \\\n\t\tbreak; \\\n", f);
		if (i == 0)
			fputs("\tcase MACH_SEND_TIMED_OUT: \\\n\tcase MACH_RCV_TIMED_OUT: \\\n", f);
		fputs("\tdefault: \\\n\t\tmig_dealloc_reply_port(InP->Head.msgh_reply_port); \\\n"
		      "\t} \\\n}\n#endif\n\n", f);
	}
}

static const struct mig_arg *arg_of(const struct mig_routine *rt, enum arg_kind k)
{
	return model_find_kind(rt, k);
}

static bool has_countinout(const struct mig_routine *rt)
{
	for (size_t i = 0; i < rt->nargs; i++)
		if (rt->args[i].countinout)
			return true;
	return false;
}

void user_reply_locals(FILE *f, const struct mig_routine *rt)
{
	if (has_countinout(rt))
		fprintf(f, "\tboolean_t MigTooLarge = FALSE;\n");
}

void user_send(FILE *f, const struct gen *g, const struct mig_routine *rt, bool mig_port)
{
	const struct mig_arg *wt = arg_of(rt, ARG_WAITTIME), *mo = arg_of(rt, ARG_MSGOPTION);
	const char *timeout = wt ? wt->name : g->sub->waittime;
	const char *opt = mo ? mo->name : g->sub->msgoption;
	char *options = xasprintf("%s%s%s%s%s", rt->simple ? "MACH_SEND_MSG" : "MACH_SEND_MSG|MACH_RCV_MSG",
				  timeout ? (rt->simple ? "|MACH_SEND_TIMEOUT" : "|MACH_SEND_TIMEOUT|MACH_RCV_TIMEOUT") : "",
				  model_user_trailer(rt) ? "|MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0)"
				  "|MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)" : "",
				  opt ? "|" : "|MACH_MSG_OPTION_NONE", opt ? opt : "");

	if (rt->simple) {
		fprintf(f, "\tmsg_result = mach_msg(&InP->Head, %s, msgh_size, 0, MACH_PORT_NULL, %s, MACH_PORT_NULL);\n",
			options, timeout ? timeout : "MACH_MSG_TIMEOUT_NONE");
		fprintf(f, "\treturn msg_result;\n");
		free(options);
		return;
	}
	fprintf(f, "\tmsg_result = mach_msg(&InP->Head, %s, msgh_size, (mach_msg_size_t)sizeof(Reply), "
		   "InP->Head.msgh_reply_port, %s, MACH_PORT_NULL);\n",
		options, timeout ? timeout : "MACH_MSG_TIMEOUT_NONE");
	fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n");
	if (mig_port)
		fprintf(f, "\t\t__MachMsgError%s(msg_result);\n", timeout ? "WithTimeout" : "WithoutTimeout");
	fprintf(f, "\t\t{ return msg_result; }\n\t}\n\n");
	free(options);
}

/*
 * A counted array of ports: its count (@cnt, shared with SameCount)
 * within its bound, and its descriptors checked once the count is known
 * (a right past it would never reach the caller, nor be released).  As
 * in Apple's MIG, the caller's room is the bound: its count is a result.
 */
static void check_port_array_count(FILE *f, const struct field *fld, const char *cnt)
{
	fprintf(f, "\t\tif (%s > %u)\n\t\t\t" FAIL "\n", cnt, fld->arg->type->number);
	emit_port_array_check(f, fld, "Out0P", "\t\t", FAIL, cnt);
}

/*
 * An out-of-line array's descriptor agreeing with its count, and a
 * bounded one's count within its bound: the caller sizes what it does
 * with the array by the bound.
 */
static void check_ool_count(FILE *f, const struct field *fld, const char *cnt)
{
	emit_ool_count_check(f, fld, "Out0P", cnt, "\t\t", FAIL);
	if (fld->arg->type->number)
		fprintf(f, "\t\tif (%s > %u)\n\t\t\t" FAIL "\n", cnt, fld->arg->type->number);
}

/* After the walk: counts of ports within bounds, out-of-line sizes agreeing with theirs. */
static void check_counts(FILE *f, const struct msg_layout *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];
		char *p, *cnt;

		if (fld->kind == FIELD_PORT_ARRAY && fld->arg->count_owner) {
			p = emit_count_expr(m, "Out", fld->arg);
			check_port_array_count(f, fld, p);
			free(p);
		}
		if (fld->kind != FIELD_COUNT)
			continue;
		p = emit_field_ptr("Out", fld);
		cnt = xasprintf("%s->%sCnt", p, fld->arg->name);
		if (fld->arg->type->kind == IPC_PORT_ARRAY)
			check_port_array_count(f, fld, cnt);
		else
			check_ool_count(f, fld, cnt);
		free(cnt);
		free(p);
	}
}

/* A counted port array's descriptors wait for its count, known after the walk. */
static void check_descriptors(FILE *f, const struct msg_layout *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];

		if (fld->kind == FIELD_PORT_ARRAY && !fld->arg->type->counted)
			emit_port_array_check(f, fld, "Out0P", "\t\t", FAIL, NULL);
		else if (fld->kind != FIELD_PORT_ARRAY && layout_is_desc(fld))
			emit_desc_check(f, fld, "Out0P", "\t\t", FAIL);
	}
}

static void check_form(FILE *f, const struct msg_layout *m)
{
	if (m->complex) {
		fprintf(f, "\t\tif (!(Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {\n"
			   "\t\t\tif (msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||\n"
			   "\t\t\t    ((mig_reply_error_t *)Out0P)->RetCode == KERN_SUCCESS)\n"
			   "\t\t\t\t" FAIL "\n"
			   "\t\t\treturn ((mig_reply_error_t *)Out0P)->RetCode;\n\t\t}\n");
		fprintf(f, "\t\tif (Out0P->msgh_body.msgh_descriptor_count != %u)\n\t\t\t" FAIL "\n",
			m->ndesc);
		check_descriptors(f, m);
		return;
	}
	fprintf(f, "\t\tif (Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)\n\t\t\t" FAIL "\n");
	fprintf(f, "\t\tif (msgh_size == (mach_msg_size_t)sizeof(mig_reply_error_t) &&\n"
		   "\t\t    Out0P->RetCode != KERN_SUCCESS)\n\t\t\treturn Out0P->RetCode;\n");
}

/* UserAuditToken, UserSecToken: the reply's trailer must carry them. */
static void check_trailer(FILE *f, const struct mig_routine *rt)
{
	if (!model_user_trailer(rt))
		return;
	fprintf(f, "\t\tTrailerP = (mach_msg_max_trailer_t *)((vm_offset_t)Out0P +\n"
		   "\t\t\tround_msg(Out0P->Head.msgh_size));\n");
	fprintf(f, "\t\tif (TrailerP->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 ||\n"
		   "\t\t    TrailerP->msgh_trailer_size < (mach_msg_size_t)sizeof(mach_msg_audit_trailer_t))\n"
		   "\t\t\t{ check_result = MIG_TRAILER_ERROR; break; }\n");
}

static void check_reply(FILE *f, const struct gen *g, const struct mig_routine *rt,
			const struct msg_layout *m)
{
	int id = g->sub->base + rt->number + 100;

	fprintf(f, "\tdo {\n\t\tmsgh_size = Out0P->Head.msgh_size;\n");
	fprintf(f, "\t\tif (Out0P->Head.msgh_id != %d) {\n"
		   "\t\t\tcheck_result = Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE ?\n"
		   "\t\t\t\tMIG_SERVER_DIED : MIG_REPLY_MISMATCH;\n\t\t\tbreak;\n\t\t}\n", id);
	fprintf(f, "\t\tif (Out0P->Head.msgh_request_port != MACH_PORT_NULL)\n\t\t\t" FAIL "\n");
	check_form(f, m);
	emit_walk(f, m, "Out", "Reply", "__Reply", FAIL);
	check_counts(f, m);
	check_trailer(f, rt);
	fprintf(f, "\t} while (0);\n");
	fprintf(f, "\tif (check_result != MACH_MSG_SUCCESS) {\n"
		   "\t\tmach_msg_destroy(&Out0P->Head);\n\t\t{ return check_result; }\n\t}\n\n");
}

static void copy_port(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	const char *n = a->name;

	fprintf(f, "\t*%s = Out0P->%s.name;\n", n, n);
	if (type_rcv_msgt(a->type) == MSGT_POLYMORPHIC)
		fprintf(f, "\t*%sPoly = Out0P->%s.disposition;\n", n, n);
}

static void copy_ool(FILE *f, const struct field *fld)
{
	const struct mig_arg *a = fld->arg;
	const char *n = a->name;

	fprintf(f, "\t*%s = (%s)(Out0P->%s.address);\n", n, type_utype(a->type), n);
	if (fld->kind == FIELD_OOL_PORTS && type_rcv_msgt(a->type) == MSGT_POLYMORPHIC)
		fprintf(f, "\t*%sPoly = Out0P->%s.disposition;\n", n, n);
}

static void copy_data(FILE *f, const struct field *fld, const char *p)
{
	const struct mig_type *t = fld->arg->type;
	const char *n = fld->arg->name;

	if (t->is_string)
		fprintf(f, "\t(void) mig_strncpy(%s, %s->%s, %u);\n", n, p, n, t->number);
	else if (t->is_array)
		fprintf(f, "\t(void)memcpy((char *) %s, (const char *) %s->%s, %u);\n", n, p, n, t->size);
	else
		fprintf(f, "\t*%s = %s->%s;\n", n, p, n);
}

/*
 * A CountInOut array: the caller's count is its room.  A reply holding
 * more fills the room and gives the caller the reply's count, as in
 * Apple's MIG; MIG_ARRAY_TOO_LARGE waits for the results after it, which
 * are the caller's as much (rights, out-of-line memory and their counts).
 */
static void copy_countinout(FILE *f, const struct field *fld, const char *p)
{
	const char *n = fld->arg->name;
	unsigned size = fld->arg->type->size;

	fprintf(f, "\tif (%s->%sCnt > *%sCnt) {\n", p, n, n);
	fprintf(f, "\t\t(void)memcpy((char *) %s, (const char *) %s->%s, %u * *%sCnt);\n",
		n, p, n, size, n);
	fprintf(f, "\t\tMigTooLarge = TRUE;\n\t} else\n");
	fprintf(f, "\t\t(void)memcpy((char *) %s, (const char *) %s->%s, %u * %s->%sCnt);\n",
		n, p, n, size, p, n);
	fprintf(f, "\t*%sCnt = %s->%sCnt;\n", n, p, n);
}

/*
 * A counted in-line array.  With SameCount its count is the one the
 * array before it came with and was copied out by: already within the
 * caller's room (SameCount never shares a CountInOut count).
 */
static void copy_var(FILE *f, const struct msg_layout *m, const struct field *fld, const char *p)
{
	const struct mig_type *t = fld->arg->type;
	const char *n = fld->arg->name;

	if (t->kind == IPC_VAR_STRING) {
		fprintf(f, "\t(void) mig_strncpy(%s, %s->%s, %u);\n", n, p, n, t->number);
		return;
	}
	if (fld->arg->count_owner) {
		char *cnt = emit_count_expr(m, "Out", fld->arg);

		fprintf(f, "\t(void)memcpy((char *) %s, (const char *) %s->%s, %u * %s);\n",
			n, p, n, t->size, cnt);
		free(cnt);
		return;
	}
	if (!fld->arg->countinout) {
		/*
		 * As Apple's MIG: the caller's room is the array's bound, which
		 * the walk held the count to.  The caller's count is a result
		 * (out) or what it sent (inout); only CountInOut makes it the
		 * room.
		 */
		fprintf(f, "\t(void)memcpy((char *) %s, (const char *) %s->%s, %u * %s->%sCnt);\n",
			n, p, n, t->size, p, n);
		fprintf(f, "\t*%sCnt = %s->%sCnt;\n", n, p, n);
		return;
	}
	copy_countinout(f, fld, p);
}

/* An in-line array of ports; a counted one once its count is known (checked). */
static void copy_port_array(FILE *f, const struct msg_layout *m, const struct field *fld,
			    const char *p)
{
	const struct mig_type *t = fld->arg->type;
	const char *n = fld->arg->name;
	char *cnt = fld->arg->count_owner ? emit_count_expr(m, "Out", fld->arg) :
		    t->counted ? xasprintf("%s->%sCnt", p, n) : xasprintf("%u", t->number);

	if (type_rcv_msgt(t) == MSGT_POLYMORPHIC)      /* as the first element came */
		fprintf(f, "\t*%sPoly = Out0P->%s[0].disposition;\n", n, n);
	fprintf(f, "\tfor (mach_msg_type_number_t MigI = 0; MigI < %s; MigI++)\n"
		   "\t\t%s[MigI] = Out0P->%s[MigI].name;\n", cnt, n, n);
	if (t->counted && !fld->arg->count_owner)
		fprintf(f, "\t*%sCnt = %s;\n", n, cnt);
	free(cnt);
}

static void copy_field(FILE *f, const struct msg_layout *m, const struct field *fld, const char *p)
{
	bool port_array = fld->arg->type->kind == IPC_PORT_ARRAY;

	switch (fld->kind) {
	case FIELD_PORT:
		copy_port(f, fld);
		break;
	case FIELD_OOL:
	case FIELD_OOL_PORTS:
		copy_ool(f, fld);
		break;
	case FIELD_PORT_ARRAY:  /* a counted one once its count is reached */
		if (!fld->arg->type->counted || fld->arg->count_owner)
			copy_port_array(f, m, fld, p);
		break;
	case FIELD_DATA:
		copy_data(f, fld, p);
		break;
	case FIELD_COUNT:
		if (port_array)
			copy_port_array(f, m, fld, p);
		else
			fprintf(f, "\t*%sCnt = %s->%sCnt;\n", fld->arg->name, p, fld->arg->name);
		break;
	case FIELD_VAR:
		copy_var(f, m, fld, p);
		break;
	}
}

void user_reply(FILE *f, const struct gen *g, const struct mig_routine *rt,
		const struct msg_layout *m)
{
	check_reply(f, g, rt, m);
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];

		if (a->kind == ARG_USER_AUDIT)
			fprintf(f, "\t*%s = TrailerP->msgh_audit;\n", a->name);
		else if (a->kind == ARG_USER_SECTOKEN)
			fprintf(f, "\t*%s = TrailerP->msgh_sender;\n", a->name);
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct field *fld = &m->fields[i];
		char *p = emit_field_ptr("Out", fld);

		copy_field(f, m, fld, p);
		free(p);
	}
	fprintf(f, "\treturn %s;\n",
		has_countinout(rt) ? "MigTooLarge ? MIG_ARRAY_TOO_LARGE : KERN_SUCCESS" : "KERN_SUCCESS");
}
