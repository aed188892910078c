/* SPDX-License-Identifier: MIT */
/*
 * bsctl - control bootstrapd: a thin client, one subcommand per verb.
 *
 * Exit codes:
 *   0  success
 *   1  failure (the daemon refused or could not do it; lint found errors;
 *      an unknown subcommand, as launchctl)
 *   2  usage error (wrong arguments to a subcommand, an unknown option)
 *   3  no bootstrapd is listening
 *   4  no such job
 *   5  not permitted (neither root nor the domain's owner)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "bootstrap-proto.h"
#include "bsctl.h"
#include "ctl-client.h"
#include "target.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const struct bsctl_opts *o);
	const char *usage;
};

static int cmd_version(int argc, char **argv, const struct bsctl_opts *o);
static int cmd_help(int argc, char **argv, const struct bsctl_opts *o);

/* JOB is LABEL or DOMAIN/LABEL; DOMAIN is system, user/UID or gui/UID. */
static const struct command commands[] = {
	{ "list", cmd_list, "list [-x | --json] [JOB]\n"
	  "\t\t\tjobs: PID, last status, label; a job: launchd's\n"
	  "\t\t\tdictionary of it (-x: as an XML plist)" },
	{ "print", cmd_print, "print [--json] JOB|DOMAIN\n"
	  "\t\t\ta job's state in detail, or the domain's" },
	{ "print-disabled", cmd_print_disabled, "print-disabled [DOMAIN]\n"
	  "\t\t\tthe enable/disable overrides" },
	{ "start", cmd_start, "start JOB\t\tstart a job" },
	{ "stop", cmd_stop, "stop JOB\t\tstop a job (SIGTERM, then SIGKILL)" },
	{ "remove", cmd_remove, "remove JOB\t\tstop and unload a job" },
	{ "kickstart", cmd_kickstart, "kickstart [-kp] JOB\tstart now; -k kills a running one first,\n"
	  "\t\t\t-p prints the pid" },
	{ "kill", cmd_kill, "kill SIGNAL JOB\tsend SIGNAL (number or name) to a job" },
	{ "blame", cmd_blame, "blame [--json] JOB\twhy a job runs, or last ran" },
	{ "bootstrap", cmd_bootstrap, "bootstrap DOMAIN PATH...\n"
	  "\t\t\tload plists into DOMAIN" },
	{ "bootout", cmd_bootout, "bootout DOMAIN [PATH|LABEL...] | bootout DOMAIN/LABEL\n"
	  "\t\t\tunload (DOMAIN alone: every job of it)" },
	{ "load", cmd_load, "load [-wF] [-S TYPE] [-D DOMAIN] PATH...\n"
	  "\t\t\tload plists (of a directory: each *.plist);\n"
	  "\t\t\t-w: enable for good; -F: despite Disabled, dubious owner;\n"
	  "\t\t\t-S: ignored; -D: also the domain's job directories" },
	{ "unload", cmd_unload, "unload [-wF] [-S TYPE] [-D DOMAIN] PATH|LABEL...\n"
	  "\t\t\tstop and unload; -w: disable for good" },
	{ "enable", cmd_enable, "enable JOB\t\tpersistently allow loading (at the next scan)" },
	{ "disable", cmd_disable, "disable JOB\t\tpersistently prevent loading (stops nothing)" },
	{ "setenv", cmd_setenv, "setenv [DOMAIN] KEY VALUE\n"
	  "\t\t\tset KEY for jobs started from now on (not persistent)" },
	{ "unsetenv", cmd_unsetenv, "unsetenv [DOMAIN] KEY\tno longer set KEY for new jobs" },
	{ "getenv", cmd_getenv, "getenv [DOMAIN] KEY\tprint what setenv set KEY to" },
	{ "export", cmd_export, "export [DOMAIN]\twhat setenv set, as shell commands" },
	{ "managerpid", cmd_manager, "managerpid [DOMAIN]\tthe pid of the domain's bootstrapd" },
	{ "manageruid", cmd_manager, "manageruid [DOMAIN]\tthe uid it runs as" },
	{ "managername", cmd_manager, "managername [DOMAIN]\tSystem, or Background for a user's" },
	{ "reexec", cmd_reexec, "reexec\t\t\texecute bootstrapd again (an upgraded binary),\n"
	  "\t\t\tkeeping its ports, names, jobs and clients" },
	{ "lint", cmd_lint, "lint PATH...\t\tcheck job plists (no daemon needed)" },
	{ "convert", cmd_convert, "convert PATH\t\tprint a plist (binary or XML) as XML" },
	{ "error", cmd_error, "error [posix|mach|bootstrap] CODE\n"
	  "\t\t\twhat an error code means" },
	{ "version", cmd_version, "version\t\t\tprint bsctl's version" },
	{ "help", cmd_help, "help [COMMAND]\t\tthis text" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bsctl [--socket PATH | --system] [--json] COMMAND [ARG...]\n\n"
		   "  JOB is LABEL or DOMAIN/LABEL; DOMAIN is system, user/UID or gui/UID\n\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nexit codes: 0 ok, 1 failure, 2 usage error, 3 no daemon,\n"
		   "            4 no such job, 5 not permitted\n");
}

static int cmd_version(int argc, char **argv, const struct bsctl_opts *o)
{
	(void)argv;
	(void)o;
	if (argc != 1)
		return BSCTL_USAGE;
	printf("bsctl %s\n", BOOTSTRAPD_VERSION);
	return BSCTL_OK;
}

static int cmd_help(int argc, char **argv, const struct bsctl_opts *o)
{
	const struct command *c;

	(void)o;
	if (argc == 1) {
		usage(stdout);
		return BSCTL_OK;
	}
	c = argc == 2 ? command_find(argv[1]) : NULL;
	if (!c)
		return BSCTL_USAGE;
	printf("usage: bsctl %s\n", c->usage);
	return BSCTL_OK;
}

/* --system: the system domain, unless the command names another. */
static void use_system(void)
{
	struct target t;

	if (target_parse("system", &t) == 0)
		target_use(&t);
}

/* Global options before the command.  Return: index of the command, or -1. */
static int parse_globals(int argc, char **argv, struct bsctl_opts *o)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--json") == 0)
			o->json = true;
		else if (strcmp(argv[i], "--system") == 0)
			use_system();
		else if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			ctl_client_use_socket(argv[++i], true);
		else
			return -1;
	}
	return i < argc ? i : -1;
}

/* --json may also follow the command (bsctl list --json). */
static int strip_json(int argc, char **argv, struct bsctl_opts *o)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (i > 0 && strcmp(argv[i], "--json") == 0)
			o->json = true;
		else
			argv[n++] = argv[i];
	}
	return n;
}

int main(int argc, char **argv)
{
	struct bsctl_opts o = { 0 };
	const struct command *c;
	int i = parse_globals(argc, argv, &o);
	int ret;

	c = i < 0 ? NULL : command_find(argv[i]);
	if (i >= 0 && !c) {
		/* One line and exit 1, as launchctl's demux_cmd. */
		fprintf(stderr, "bsctl: unknown subcommand \"%s\"\n", argv[i]);
		return BSCTL_FAILURE;
	}
	if (!c) {
		usage(stderr);
		return BSCTL_USAGE;
	}
	ret = c->fn(strip_json(argc - i, argv + i, &o), argv + i, &o);
	if (ret == BSCTL_USAGE)
		fprintf(stderr, "usage: bsctl %s\n", c->usage);
	return ret;
}
