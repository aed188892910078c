/* SPDX-License-Identifier: MIT */
/*
 * bsmig - bootstrapd's MIG: reads a Mach Interface Generator .defs file
 * and writes the user stubs, the server demux and their headers with the
 * message layouts of Apple's MIG.  Command line as Apple's mig(1).
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-bsmig.h"
#include "cpp.h"
#include "diag.h"
#include "emit-header.h"
#include "emit.h"
#include "parse.h"

/*
 * bsmig is a compiler pass: the tree it builds lives until exit, which
 * releases it.  Under AddressSanitizer, leak reports for that memory would
 * fail every build that runs bsmig, so leak detection is off for it.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

struct options {
	const char *user, *server, *header, *sheader, *iheader, *dheader;
	const char *defs;
	unsigned maxonstack;
	bool novouchers;
	struct cpp_args cpp;
};

static void usage(FILE *f)
{
	fputs("usage: bsmig [-user FILE] [-server FILE] [-header FILE] [-sheader FILE]\n"
	      "             [-iheader FILE] [-dheader FILE] [-I DIR] [-D NAME[=VALUE]] [-U NAME]\n"
	      "             [-maxonstack N] [-novouchers] FILE.defs\n", f);
}

/* Flags Apple's migcom takes that change nothing here. */
static const char *const ignored[] = {
	"-q", "-Q", "-v", "-V", "-k", "-K", "-n", "-N", "-l", "-L", "-t", "-T", "-r", "-R",
	"-x", "-X", "-s", "-S", "-split", "-MD",
};

/* Flags with a value that change nothing here. */
static const char *const ignored_with_value[] = {
	"-arch", "-target", "-isysroot", "-migcom", "-cpp", "-max_descrs", "-max_reply_descrs",
};

static const char *const refused[] = { "-i", "-mach_msg2" };

static bool in_list(const char *arg, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arg, list[i]) == 0)
			return true;
	return false;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "bsmig: %s needs a value\n", argv[*i]);
		usage(stderr);
		exit(2);
	}
	return argv[++*i];
}

/* -I DIR, -IDIR, -D..., -U...: handed to the preprocessor. */
static bool cpp_option(struct options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strncmp(a, "-I", 2) && strncmp(a, "-D", 2) && strncmp(a, "-U", 2))
		return false;
	if (a[2]) {
		cpp_add(&o->cpp, a);
	} else {
		cpp_add(&o->cpp, a);
		cpp_add(&o->cpp, value(argc, argv, i));
	}
	return true;
}

static const char **output_slot(struct options *o, const char *a)
{
	static const char *const names[] = { "-user", "-server", "-header", "-sheader", "-iheader",
					     "-dheader" };
	const char **slots[] = { &o->user, &o->server, &o->header, &o->sheader, &o->iheader,
				 &o->dheader };

	for (size_t k = 0; k < N(names); k++)
		if (strcmp(a, names[k]) == 0)
			return slots[k];
	return NULL;
}

static void option(struct options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char **slot = output_slot(o, a);

	if (slot)
		*slot = value(argc, argv, i);
	else if (cpp_option(o, argc, argv, i))
		;
	else if (!strcmp(a, "-maxonstack"))
		o->maxonstack = (unsigned)strtoul(value(argc, argv, i), NULL, 0);
	else if (!strcmp(a, "-novouchers"))
		o->novouchers = true;
	else if (!strcmp(a, "-cc"))
		o->cpp.cc = value(argc, argv, i);
	else if (in_list(a, ignored, N(ignored)))
		fprintf(stderr, "bsmig: note: %s has no effect and is ignored\n", a);
	else if (in_list(a, ignored_with_value, N(ignored_with_value)))
		fprintf(stderr, "bsmig: note: %s %s has no effect and is ignored\n", a,
			value(argc, argv, i));
	else if (in_list(a, refused, N(refused)))
		diag_fatal("%s is not supported", a);
	else
		cpp_add(&o->cpp, a); /* as Apple's mig: other options go to the preprocessor */
}

static void parse_args(struct options *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-help") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(argv[i], "-version") || !strcmp(argv[i], "--version")) {
			printf("bsmig %s\n", BSMIG_VERSION);
			exit(0);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			option(o, argc, argv, &i);
		} else if (o->defs) {
			diag_fatal("one .defs file at a time (%s and %s)", o->defs, argv[i]);
		} else {
			o->defs = argv[i];
		}
	}
	if (!o->defs) {
		usage(stderr);
		exit(2);
	}
}

/* Apple's defaults: <base>User.c, <base>Server.c, <base>.h in the current directory. */
static void defaults(struct options *o)
{
	char *copy = xstrdup(o->defs);
	char *base = basename(copy);
	char *dot = strrchr(base, '.');

	if (dot && !strcmp(dot, ".defs"))
		*dot = '\0';
	if (!o->user)
		o->user = xasprintf("%sUser.c", base);
	if (!o->server)
		o->server = xasprintf("%sServer.c", base);
	if (!o->header)
		o->header = xasprintf("%s.h", base);
}

typedef void (*emit_fn)(FILE *f, const struct gen *g);

static int write_file(const char *path, emit_fn fn, const struct gen *g)
{
	FILE *f;

	if (!path)
		return 0;
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "bsmig: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fn(f, g);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "bsmig: cannot write %s: %s\n", path, strerror(errno));
		remove(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct mig_subsystem sub;
	struct gen g = { 0 };
	char *text, *hdr;
	int r = 0;

	parse_args(&o, argc, argv);
	defaults(&o);
	text = cpp_run(&o.cpp, o.defs);
	if (!text)
		return 1;
	if (parse_defs(text, o.defs, &sub) < 0)
		return 1;
	hdr = xstrdup(o.header);
	g = (struct gen){ &sub, o.defs, basename(hdr), o.maxonstack, o.novouchers };
	r |= write_file(o.header, emit_user_header, &g);
	r |= write_file(o.user, emit_user, &g);
	r |= write_file(o.server, emit_server, &g);
	r |= write_file(o.sheader, emit_server_header, &g);
	r |= write_file(o.iheader, emit_internal_header, &g);
	r |= write_file(o.dheader, emit_defines_header, &g);
	return r ? 1 : 0;
}
