/* SPDX-License-Identifier: MIT */
/*
 * emit-server-file.c - the server file (-server): includes, the request
 * and reply typedefs, every stub, the subsystem descriptor
 * `<serverprefix><subsystem>_subsystem`, the demux (`<subsystem>_server`
 * or the serverdemux name) and `<subsystem>_server_routine`.
 */
#include "emit-server.h"

#include <stdlib.h>

void server_includes(FILE *f)
{
	fputs("#include <string.h>\n#include <mach/ndr.h>\n#include <mach/boolean.h>\n"
	      "#include <mach/kern_return.h>\n#include <mach/notify.h>\n"
	      "#include <mach/mach_types.h>\n#include <mach/message.h>\n"
	      "#include <mach/mig_errors.h>\n#include <mach/port.h>\n\n"
	      "#include <mach/std_types.h>\n#include <mach/mig.h>\n#include <mach/mach_types.h>\n", f);
}

static void server_prologue(FILE *f, const struct gen *g)
{
	emit_banner(f, g);
	fprintf(f, "#define\t__MIG_check__Request__%s_subsystem__ 1\n\n", g->sub->name);
	server_includes(f);
	/* What a refused reply releases: see emit-server-release.c. */
	fputs("#include <mach/mach_init.h>\n#include <mach/mach_port.h>\n", f);
	emit_imports(f, g, IMPORT_SERVER);
	fprintf(f, "\n");
	emit_common_defines(f);
	fputs("#define novalue void\n\n"
	      "#define msgh_request_port\tmsgh_local_port\n"
	      "#define MACH_MSGH_BITS_REQUEST(bits)\tMACH_MSGH_BITS_LOCAL(bits)\n"
	      "#define msgh_reply_port\t\tmsgh_remote_port\n"
	      "#define MACH_MSGH_BITS_REPLY(bits)\tMACH_MSGH_BITS_REMOTE(bits)\n\n"
	      "#define MIG_RETURN_ERROR(X, code)\t{\\\n"
	      "\t\t\t\t((mig_reply_error_t *)X)->RetCode = code;\\\n"
	      "\t\t\t\t((mig_reply_error_t *)X)->NDR = NDR_record;\\\n"
	      "\t\t\t\treturn;\\\n\t\t\t\t}\n", f);
}

static void subsystem(FILE *f, const struct gen *g, const char *demux)
{
	const struct mig_subsystem *s = g->sub;
	char *name = emit_subsys_name(g);

	fprintf(f, "\n/* Description of this subsystem, for use in direct RPC */\n");
	fprintf(f, "const struct %s {\n\tmig_server_routine_t \tserver;\t/* Server routine */\n", name);
	fprintf(f, "\tmach_msg_id_t\tstart;\t/* Min routine number */\n"
		   "\tmach_msg_id_t\tend;\t/* Max routine number + 1 */\n"
		   "\tunsigned int\tmaxsize;\t/* Max msg size */\n"
		   "\tvm_address_t\treserved;\t/* Reserved */\n"
		   "\tstruct routine_descriptor\t/*Array of routine descriptors */\n"
		   "\t\troutine[%zu];\n} %s = {\n", s->nroutines ? s->nroutines : 1, name);
	fprintf(f, "\t%s_routine,\n\t%d,\n\t%d,\n", demux, s->base, s->base + (int)s->nroutines);
	fprintf(f, "\t(mach_msg_size_t)sizeof(union __ReplyUnion__%s),\n\t(vm_address_t)0,\n\t{\n", name);
	for (size_t i = 0; i < s->nroutines; i++) {
		const struct mig_routine *rt = s->routines[i];

		if (!rt) {
			fprintf(f, "\t\t{0, 0, 0, 0, 0, 0},\n");
			continue;
		}
		fprintf(f, "\t\t{ (mig_impl_routine_t) 0,\n\t\t  (mig_stub_routine_t) _X%s, %u, 0, "
			   "(routine_arg_descriptor_t)0, (mach_msg_size_t)sizeof(__Reply__%s_t)},\n",
			rt->name, emit_server_argc(rt), rt->name);
	}
	if (s->nroutines == 0)
		fprintf(f, "\t\t{0, 0, 0, 0, 0, 0},\n");
	fprintf(f, "\t}\n};\n");
	free(name);
}

static void demux_fn(FILE *f, const struct gen *g, const char *demux)
{
	const struct mig_subsystem *s = g->sub;
	char *name = emit_subsys_name(g);
	int last = s->base + (int)s->nroutines - 1;

	fprintf(f, "\nmig_external boolean_t %s\n\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)\n{\n",
		demux);
	fprintf(f, "\tmig_routine_t routine;\n\n"
		   "\tOutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(InHeadP->msgh_bits), 0);\n"
		   "\tOutHeadP->msgh_remote_port = InHeadP->msgh_reply_port;\n"
		   "\t/* Minimal size: routine() will update it if different */\n"
		   "\tOutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);\n"
		   "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;\n"
		   "\t/* Wraps like the kernel's arithmetic, without signed overflow. */\n"
		   "\tOutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100);\n"
		   "\tOutHeadP->msgh_reserved = 0;\n\n");
	fprintf(f, "\tif ((InHeadP->msgh_id > %d) || (InHeadP->msgh_id < %d) ||\n"
		   "\t    ((routine = %s.routine[InHeadP->msgh_id - %d].stub_routine) == 0)) {\n"
		   "\t\t((mig_reply_error_t *)OutHeadP)->NDR = NDR_record;\n"
		   "\t\t((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;\n"
		   "\t\treturn FALSE;\n\t}\n\t(*routine) (InHeadP, OutHeadP);\n\treturn TRUE;\n}\n",
		last, s->base, name, s->base);
	fprintf(f, "\nmig_external mig_routine_t %s_routine\n\t(mach_msg_header_t *InHeadP)\n{\n"
		   "\tint msgh_id;\n\n\tmsgh_id = InHeadP->msgh_id - %d;\n\n"
		   "\tif ((msgh_id > %d) || (msgh_id < 0))\n\t\treturn 0;\n\n"
		   "\treturn %s.routine[msgh_id].stub_routine;\n}\n",
		demux, s->base, (int)s->nroutines - 1, name);
	free(name);
}

void emit_server(FILE *f, const struct gen *g)
{
	const struct mig_subsystem *s = g->sub;
	char *demux = emit_demux_name(g);

	server_prologue(f, g);
	emit_msg_types(f, g, true);
	fprintf(f, "\n/* Forward Declarations */\n\n");
	for (size_t i = 0; i < s->nroutines; i++)
		if (s->routines[i])
			fprintf(f, "mig_internal novalue _X%s\n\t(mach_msg_header_t *InHeadP, "
				   "mach_msg_header_t *OutHeadP);\n\n", s->routines[i]->name);
	for (size_t i = 0; i < s->nroutines; i++)
		if (s->routines[i])
			server_stub(f, g, s->routines[i]);
	fprintf(f, "\nmig_external boolean_t %s\n\t(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);\n",
		demux);
	fprintf(f, "\nmig_external mig_routine_t %s_routine\n\t(mach_msg_header_t *InHeadP);\n", demux);
	subsystem(f, g, demux);
	demux_fn(f, g, demux);
	free(demux);
}
