/* SPDX-License-Identifier: MIT */
/* layout.c - request and reply layouts of a routine; see layout.h. */
#include "layout.h"

#include <stdlib.h>

bool layout_in_request(const struct mig_routine *rt, const struct mig_arg *a)
{
	if (a == model_request_port(rt))
		return false;
	return a->kind == ARG_IN || a->kind == ARG_INOUT;
}

bool layout_in_reply(const struct mig_arg *a)
{
	return a->kind == ARG_OUT || a->kind == ARG_INOUT;
}

bool layout_is_desc(const struct field *f)
{
	return f->kind == FIELD_PORT || f->kind == FIELD_OOL || f->kind == FIELD_OOL_PORTS ||
	       f->kind == FIELD_PORT_ARRAY;
}

static void add(struct msg_layout *m, enum field_kind kind, const struct mig_arg *a)
{
	struct field *f;

	m->fields = realloc(m->fields, (m->n + 1) * sizeof(*m->fields));
	if (!m->fields)
		diag_fatal("out of memory");
	f = &m->fields[m->n++];
	f->kind = kind;
	f->arg = a;
	f->wire = 0;
	f->pad = 0;
	f->seg = m->nvar;
	if (kind == FIELD_DATA) {
		f->wire = type_wire_size(a->type);
		f->pad = f->wire - a->type->size;
	} else if (kind == FIELD_VAR) {
		unsigned bytes = a->type->size * a->type->number;

		f->wire = (bytes + 3) & ~3u;
		f->pad = f->wire - bytes;
		m->nvar++;
		m->var_max += f->wire;
	} else if (kind == FIELD_COUNT) {
		f->wire = 4;
	} else if (kind == FIELD_PORT_ARRAY) {
		m->ndesc += a->type->number;
	} else {
		m->ndesc++;
	}
}

static void add_descriptor(struct msg_layout *m, const struct mig_arg *a)
{
	switch (a->type->kind) {
	case IPC_PORT:
		add(m, FIELD_PORT, a);
		break;
	case IPC_OOL:
	case IPC_OOL_FIXED:
		add(m, FIELD_OOL, a);
		break;
	case IPC_OOL_PORTS:
		add(m, FIELD_OOL_PORTS, a);
		break;
	case IPC_PORT_ARRAY:
		add(m, FIELD_PORT_ARRAY, a);
		break;
	default:
		break;
	}
}

static void add_inline(struct msg_layout *m, const struct mig_arg *a)
{
	switch (a->type->kind) {
	case IPC_INLINE:
		add(m, FIELD_DATA, a);
		break;
	case IPC_VAR_INLINE:
	case IPC_VAR_STRING:
		add(m, FIELD_VAR, a);
		break;
	case IPC_OOL:
		add(m, FIELD_COUNT, a);
		break;
	case IPC_OOL_PORTS:
		if (!a->type->ool_fixed)
			add(m, FIELD_COUNT, a);
		break;
	case IPC_PORT_ARRAY:
		if (a->type->counted && !a->count_owner)
			add(m, FIELD_COUNT, a);
		break;
	default:
		break;
	}
}

typedef bool (*member_fn)(const struct mig_routine *rt, const struct mig_arg *a);

static bool in_req(const struct mig_routine *rt, const struct mig_arg *a)
{
	return layout_in_request(rt, a);
}

static bool in_rep(const struct mig_routine *rt, const struct mig_arg *a)
{
	(void)rt;
	return layout_in_reply(a);
}

/*
 * Descriptors first; then a RetCode argument, where a reply's RetCode is;
 * then the in-line data in argument order.  An out array with CountInOut
 * puts the caller's capacity in the request at the argument's place.
 */
static unsigned fill(const struct mig_routine *rt, struct msg_layout *m, member_fn member,
		     bool request)
{
	size_t ndata_before;

	for (size_t i = 0; i < rt->nargs; i++)
		if (member(rt, &rt->args[i]))
			add_descriptor(m, &rt->args[i]);
	ndata_before = m->n;
	for (size_t i = 0; i < rt->nargs; i++)
		if (member(rt, &rt->args[i]) && rt->args[i].retcode)
			add_inline(m, &rt->args[i]);
	for (size_t i = 0; i < rt->nargs; i++) {
		const struct mig_arg *a = &rt->args[i];

		if (request && a->countinout)
			add(m, FIELD_COUNT, a);
		else if (member(rt, a) && !a->retcode)
			add_inline(m, a);
	}
	return (unsigned)(m->n - ndata_before);
}

void layout_routine(const struct mig_routine *rt, struct routine_layout *lay)
{
	unsigned ndata;

	*lay = (struct routine_layout){ 0 };
	ndata = fill(rt, &lay->req, in_req, true);
	lay->req.complex = lay->req.ndesc > 0;
	lay->req.ndr = ndata > 0;
	if (rt->simple)
		return;
	ndata = fill(rt, &lay->rep, in_rep, false);
	lay->rep.complex = lay->rep.ndesc > 0;
	/* RetCode rides only in simple replies; errors always travel as mig_reply_error_t. */
	lay->rep.retcode = !lay->rep.complex;
	lay->rep.ndr = lay->rep.retcode || ndata > 0;
}

char *layout_var_bytes(const struct field *f, const char *cnt)
{
	unsigned elem = f->arg->type->size;

	if (elem % 4 == 0)
		return xasprintf("(%u * %s)", elem, cnt);
	return xasprintf("_WALIGN_(%u * %s)", elem, cnt);
}
