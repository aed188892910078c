/* SPDX-License-Identifier: MIT */
/*
 * emit-header.c - the headers: user (-header: the stubs' prototypes and
 * message types), server (-sheader: work routine prototypes, the demux,
 * the subsystem declaration and message types), internal (-iheader) and
 * defines (-dheader: MACH_ID_ numbers).
 */
#include "emit-header.h"
#include "emit-server.h"

#include <ctype.h>
#include <stdlib.h>

static void guard_open(FILE *f, const struct gen *g, const char *what)
{
	fprintf(f, "#ifndef\t_%s_%s_\n#define\t_%s_%s_\n\n", g->sub->name, what, g->sub->name, what);
	emit_banner(f, g);
}

static unsigned msg_count(const struct gen *g)
{
	unsigned n = 0;

	for (size_t i = 0; i < g->sub->nroutines; i++)
		n += g->sub->routines[i] != NULL;
	return n;
}

static void decl_open(FILE *f)
{
	fprintf(f, "#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
}

/* The C prototype of every routine, as the user or the server side sees it. */
static void routine_decls(FILE *f, const struct gen *g, bool server)
{
	for (size_t i = 0; i < g->sub->nroutines; i++) {
		const struct mig_routine *rt = g->sub->routines[i];

		if (!rt)
			continue;
		fprintf(f, "\n/* %s %s */\n", rt->simple ? "SimpleRoutine" : "Routine", rt->name);
		decl_open(f);
		fprintf(f, "kern_return_t %s%s\n(\n", server ? emit_server_prefix(g) : emit_user_prefix(g), rt->name);
		if (server)
			emit_server_params(f, rt);
		else
			emit_user_params(f, rt);
		fprintf(f, "\n);\n");
	}
}

void emit_user_header(FILE *f, const struct gen *g)
{
	guard_open(f, g, "user");
	server_includes(f);
	fprintf(f, "\n#ifndef\t%s_MSG_COUNT\n#define\t%s_MSG_COUNT\t%u\n#endif\t/* %s_MSG_COUNT */\n\n",
		g->sub->name, g->sub->name, msg_count(g), g->sub->name);
	emit_imports(f, g, IMPORT_USER);
	fprintf(f, "\n#ifdef __BeforeMigUserHeader\n__BeforeMigUserHeader\n#endif\n\n"
		   "#include <sys/cdefs.h>\n__BEGIN_DECLS\n\n");
	routine_decls(f, g, false);
	fprintf(f, "\n__END_DECLS\n");
	emit_msg_types(f, g, false);
	fprintf(f, "\n#ifdef __AfterMigUserHeader\n__AfterMigUserHeader\n#endif\n\n");
	fprintf(f, "#endif\t /* _%s_user_ */\n", g->sub->name);
}

static void server_decls(FILE *f, const struct gen *g)
{
	char *demux = emit_demux_name(g), *name = emit_subsys_name(g);

	routine_decls(f, g, true);
	fprintf(f, "\n");
	decl_open(f);
	fprintf(f, "boolean_t %s(\n\t\tmach_msg_header_t *InHeadP,\n\t\tmach_msg_header_t *OutHeadP);\n\n",
		demux);
	decl_open(f);
	fprintf(f, "mig_routine_t %s_routine(\n\t\tmach_msg_header_t *InHeadP);\n\n", demux);
	fprintf(f, "\n/* Description of this subsystem, for use in direct RPC */\n");
	fprintf(f, "extern const struct %s {\n\tmig_server_routine_t\tserver;\t/* Server routine */\n"
		   "\tmach_msg_id_t\tstart;\t/* Min routine number */\n"
		   "\tmach_msg_id_t\tend;\t/* Max routine number + 1 */\n"
		   "\tunsigned int\tmaxsize;\t/* Max msg size */\n"
		   "\tvm_address_t\treserved;\t/* Reserved */\n"
		   "\tstruct routine_descriptor\t/* Array of routine descriptors */\n"
		   "\t\troutine[%zu];\n} %s;\n\n", name,
		g->sub->nroutines ? g->sub->nroutines : 1, name);
	free(demux);
	free(name);
}

void emit_server_header(FILE *f, const struct gen *g)
{
	guard_open(f, g, "server");
	server_includes(f);
	emit_imports(f, g, IMPORT_SERVER);
	fprintf(f, "\n#ifdef __BeforeMigServerHeader\n__BeforeMigServerHeader\n#endif\n\n"
		   "#ifndef MIG_SERVER_ROUTINE\n#define MIG_SERVER_ROUTINE\n#endif\n\n"
		   "#include <sys/cdefs.h>\n__BEGIN_DECLS\n");
	server_decls(f, g);
	fprintf(f, "__END_DECLS\n");
	emit_msg_types(f, g, true);
	fprintf(f, "\n#ifdef __AfterMigServerHeader\n__AfterMigServerHeader\n#endif\n\n");
	fprintf(f, "#endif\t /* _%s_server_ */\n", g->sub->name);
}

void emit_internal_header(FILE *f, const struct gen *g)
{
	emit_banner(f, g);
	for (size_t i = 0; i < g->sub->nroutines; i++)
		if (g->sub->routines[i])
			fprintf(f, "#define %s%s %s%s_external\n", emit_user_prefix(g),
				g->sub->routines[i]->name, emit_user_prefix(g), g->sub->routines[i]->name);
}

void emit_defines_header(FILE *f, const struct gen *g)
{
	guard_open(f, g, "defines");
	fprintf(f, "\n/*\tDefines related to the Subsystem %s\t*/\n\n", g->sub->name);
	for (size_t i = 0; i < g->sub->nroutines; i++) {
		const struct mig_routine *rt = g->sub->routines[i];
		int id = g->sub->base + (int)i;
		char *up;

		if (!rt)
			continue;
		up = xstrdup(rt->name);
		for (char *p = up; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		fprintf(f, "#define\tMACH_ID_%s\t\t%d\t/* %s() */\n", up, id, rt->name);
		if (!rt->simple)
			fprintf(f, "#define\tMACH_ID_%s_REPLY\t\t%d\t/* %s() */\n", up, id + 100, rt->name);
		fprintf(f, "\n");
		free(up);
	}
	fprintf(f, "#endif\t /* _%s_defines_ */\n", g->sub->name);
}
